-- territories/mulhouse/init.lua -- load Mulhouse's definitions.
--
--   spiral run scripts/territories/mulhouse/init.lua     (define them)
--   spiral check scripts/territories/mulhouse/init.lua   (only check them)
--
-- Assembles the library defaults (scripts/lib) with Mulhouse's own data
-- (pack.lua) and hands them to spiral.def.* through lib/loader.lua: the
-- SPIRAL taxonomy 2013-8, 24 indicators (four of them with four levels),
-- the four self-survey forms, the European co-evaluation grid, the
-- consumption meter, the reference limits (per person and scaled to the
-- city) and the routing of life projects.  Returns the assembled tables,
-- with profiles(rows, extras) that turns evaluation rows into the grid's
-- profiles, so another script can `require "territories.mulhouse.init"`.

local structure = require "lib.structure"
local indicators = require "lib.indicators"
local grid = require "lib.grid"
local meter = require "lib.meter"
local limits = require "lib.limits"
local routing = require "lib.routing"
local loader = require "lib.loader"
local pack = loader.territory_module("pack", "territories.mulhouse.pack")

local defs = { pack = pack, taxonomy = structure.taxonomy }

-- Indicators: the defaults, with four levels where Mulhouse's sheets have four.
local four = {}
for _, code in ipairs(pack.four_levels) do four[code] = true end
defs.indicators = {}
for _, ind in ipairs(indicators.list()) do
    defs.indicators[#defs.indicators + 1] = four[ind.code] and indicators.four_levels(ind) or ind
end

defs.forms = pack.forms

local vulnerable = {}
for _, k in ipairs(pack.grid.vulnerable_kinds) do vulnerable[k] = true end
defs.grid = grid.new({ code = pack.grid.code, weights = pack.grid.weights })

-- profiles(rows[, extras]) -> the grid's profiles of evaluation rows
-- ({ action, evaluator, kind, component, score } on the -2..+2 scale).
function defs.profiles(rows, extras)
    return grid.profiles(rows, extras, { vulnerable_kinds = vulnerable })
end

local factors = meter.with_factors(pack.meter.factors)
defs.meter = meter.definition({ code = pack.meter.code, factors = factors })
defs.meter_factors = factors

defs.limits = {}
for _, l in ipairs(limits.list) do defs.limits[#defs.limits + 1] = l end
for _, l in ipairs(limits.for_territory(pack.territory.population)) do defs.limits[#defs.limits + 1] = l end

defs.routing = { rules = routing.rules({ extra = pack.routing }) }
defs.groups = structure.all_groups(pack.neighbourhoods)

-- Define everything when the host is there (spiral run / spiral check).
local ok, spiral = pcall(require, "spiral")
if ok and type(spiral) == "table" and spiral.def then
    defs.counts = loader.define(spiral.def, defs)
end

return defs
