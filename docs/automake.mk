# docs/automake.mk -- see Makefile.am
