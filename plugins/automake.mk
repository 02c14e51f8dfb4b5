# plugins/automake.mk -- see Makefile.am
