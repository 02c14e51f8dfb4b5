-- lib/loader.lua -- hand a territory's definitions to spiral.def.*.
--
-- A territory's init.lua assembles plain tables (from scripts/lib and its
-- own pack.lua) into one `defs` table, then calls M.define(spiral.def,
-- defs).  The definitions API is strict: an unknown field is an error
-- (M.fields lists the known ones), so the library modules build their
-- tables with exactly those fields and keep any extra data (third-language
-- labels, rubrics, sources of factors) on the Lua side.  Because `def` is
-- a parameter, tests run the same path under the standalone interpreter
-- with a stand-in.

local M = {}

-- The fields each definition takes (docs/lua-api.md, spiral.def).
M.fields = {
    taxonomy = { "name", "version", "nodes" },
    node = { "code", "label_fr", "label_en", "provisional" },
    indicator = { "code", "component", "label_fr", "label_en", "levels", "bad_at_most" },
    level = { "fr", "en" },
    form = { "code", "label_fr", "label_en", "items" },
    item = { "name", "indicator", "fr", "en" },
    grid = { "code", "label_fr", "label_en", "scale", "components", "viewpoints", "rank", "synthesis" },
    meter = { "code", "resources", "questions", "rules", "collective" },
    question = { "name", "label_fr", "label_en", "type", "default" },
    limit = { "resource", "scope", "amount", "unit", "horizon", "source" },
    routing = { "rules" },
}

-- unknown_fields(t, kind) -> list of the fields of t that spiral.def
-- would refuse (sorted), for tests and previews.
function M.unknown_fields(t, kind)
    local known, out = {}, {}
    for _, f in ipairs(M.fields[kind]) do known[f] = true end
    for k in pairs(t) do
        if not known[k] then out[#out + 1] = tostring(k) end
    end
    table.sort(out)
    return out
end

-- define(def, defs) -> counts: calls def.taxonomy, def.indicator (each),
-- def.form (each), def.grid, def.meter, def.limit (each) and def.routing
-- for the parts defs has, in that order (indicators need the taxonomy,
-- forms need indicators).  The tables go through unchanged, so that a
-- misspelt field in a pack reaches spiral.def and is reported, never
-- silently dropped.  Returns { kind = number defined }.
function M.define(def, defs)
    local n = {}
    local function count(k) n[k] = (n[k] or 0) + 1 end
    if defs.taxonomy then def.taxonomy(defs.taxonomy); count("taxonomy") end
    for _, ind in ipairs(defs.indicators or {}) do def.indicator(ind); count("indicator") end
    for _, f in ipairs(defs.forms or {}) do def.form(f); count("form") end
    if defs.grid then def.grid(defs.grid); count("grid") end
    if defs.meter then def.meter(defs.meter); count("meter") end
    for _, l in ipairs(defs.limits or {}) do def.limit(l); count("limit") end
    if defs.routing then def.routing(defs.routing); count("routing") end
    return n
end

-- territory_module(name, fallback) -> require(name), or require(fallback)
-- when no module `name` exists.  A territory's init.lua loads its own
-- files by short name ("pack"), found in the territory's folder when
-- `spiral run --territory-dir <folder>` makes it a script root, so a copied
-- territory folder uses its own copy; without that option (or under the
-- standalone interpreter) the dotted fallback ("territories.mulhouse.pack")
-- is found under scripts/.  Any other error (a syntax error in the pack)
-- is raised as it is.
function M.territory_module(name, fallback)
    local ok, m = pcall(require, name)
    if ok then return m end
    if not tostring(m):find("not found", 1, true) or fallback == nil then error(m, 0) end
    return require(fallback)
end

return M
