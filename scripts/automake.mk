# scripts/automake.mk -- see Makefile.am
