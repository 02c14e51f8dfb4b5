# scripts/automake.mk -- see Makefile.am
nobase_dist_pkgdata_DATA += scripts/lib/meter/ngc.lua
nobase_dist_pkgdata_DATA += scripts/lib/guidelines.lua
# The standard Lua scripts, the territory packs and the examples
# (docs/territory-packs.md), installed under $(pkgdatadir)/scripts.
nobase_dist_pkgdata_DATA += scripts/lib/structure.lua scripts/lib/indicators.lua \
	scripts/lib/grid.lua scripts/lib/meter.lua scripts/lib/limits.lua \
	scripts/lib/routing.lua scripts/lib/loader.lua \
	scripts/territories/mulhouse/init.lua scripts/territories/mulhouse/pack.lua \
	scripts/territories/mulhouse/README.md \
	scripts/territories/wallonie_exemple/init.lua \
	scripts/territories/wallonie_exemple/pack.lua \
	scripts/territories/wallonie_exemple/ranking.lua \
	scripts/territories/wallonie_exemple/README.md \
	scripts/examples/indicator.lua scripts/examples/crosstab.lua \
	scripts/examples/meter.lua
# How a territory adapts the scripts, installed into $(docdir).
packdocdir = $(docdir)
dist_packdoc_DATA = docs/territory-packs.md
# Coding suggestions and the allocation proposal (docs/workflow.md).
nobase_dist_pkgdata_DATA += scripts/lib/coding.lua scripts/lib/allocation.lua
# Mulhouse's meter: the default meter asked with its own questionnaire's
# names (datasets/mulhouse/data/meter.csv); `spiral meter` uses it.
nobase_dist_pkgdata_DATA += scripts/territories/mulhouse/meter.lua
