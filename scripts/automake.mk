# scripts/automake.mk -- see Makefile.am
nobase_dist_pkgdata_DATA += scripts/lib/meter/ngc.lua
