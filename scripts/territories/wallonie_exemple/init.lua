-- territories/wallonie_exemple/init.lua -- load the EXAMPLE territory.
--
--   spiral check scripts/territories/wallonie_exemple/init.lua
--
-- A fictional Walloon municipality (see pack.lua and README.md) that keeps
-- the library's structure of groups, limits, meter rules and routing, and
-- replaces what it has made its own: its taxonomy of eight dimensions, its
-- indicators and form, a 0-4 co-evaluation grid with its own ranking
-- (ranking.lua), and the electricity factors of its meter.  Nothing is
-- compiled: every difference is Lua data or a Lua function.  Returns the
-- assembled tables, with profiles(rows) reading European-grid evaluations
-- through the pack's crosswalk.

local structure = require "lib.structure"
local grid = require "lib.grid"
local meter = require "lib.meter"
local limits = require "lib.limits"
local routing = require "lib.routing"
local loader = require "lib.loader"
local pack = loader.territory_module("pack", "territories.wallonie_exemple.pack")
local ranking = loader.territory_module("ranking", "territories.wallonie_exemple.ranking")

local defs = { pack = pack, taxonomy = pack.taxonomy }

-- label(code, lang) -> the dimension's label (German from pack.labels_de).
local function label(code, lang)
    if lang == "de" then return pack.labels_de[code] or code end
    local n = structure.node(code, pack.taxonomy)
    return n and n["label_" .. lang] or code
end
defs.label = label

defs.indicators = {}
for _, r in ipairs(pack.indicators) do
    local levels = {}
    for i, l in ipairs(pack.ladder) do levels[i] = { fr = l.fr, en = l.en } end
    defs.indicators[#defs.indicators + 1] = {
        code = r[1], component = r[2], label_fr = r[3], label_en = r[4],
        levels = levels, bad_at_most = pack.bad_at_most,
    }
end

defs.forms = pack.forms

local g = pack.grid
defs.grid = {
    code = g.code, label_fr = g.label_fr, label_en = g.label_en,
    scale = grid.scale_def(g.scale),
    components = structure.components(pack.taxonomy),
    viewpoints = { "impact" },
    rank = function(profiles) return ranking.rank(profiles, g) end,
    synthesis = function(result) return ranking.synthesis(result, label) end,
}

-- profiles(rows) -> this grid's profiles of European-grid evaluation rows.
function defs.profiles(rows)
    return ranking.profiles(rows, pack.crosswalk)
end

local factors = meter.with_factors(pack.meter.factors)
defs.meter = meter.definition({ code = pack.meter.code, factors = factors })
defs.meter_factors = factors

defs.limits = {}
for _, l in ipairs(limits.list) do defs.limits[#defs.limits + 1] = l end
for _, l in ipairs(limits.for_territory(pack.territory.population)) do defs.limits[#defs.limits + 1] = l end

defs.routing = { rules = routing.rules() }
defs.groups = structure.all_groups(pack.neighbourhoods)

local ok, spiral = pcall(require, "spiral")
if ok and type(spiral) == "table" and spiral.def then
    defs.counts = loader.define(spiral.def, defs)
end

return defs
