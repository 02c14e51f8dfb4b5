# datasets/automake.mk -- see Makefile.am
