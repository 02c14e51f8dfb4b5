-- tests/lua/scripts/mock_spiral.lua -- a stand-in for the host module
-- `spiral` under the standalone interpreter: spiral.def.* as the brief of
-- the definitions API describes them (strict: an unknown field, a missing
-- one or a reference to something not yet defined is an error), recording
-- what was defined.  Written from the API's description, independently of
-- scripts/lib/loader.lua, so that it can catch the loader's mistakes.
--
--   local mock = require "mock_spiral"
--   local spiral = mock.new()          -- fresh definitions
--   package.preload.spiral = function() return spiral end

local M = {}

local function fail(kind, msg) error("def." .. kind .. ": " .. msg, 3) end

-- fields(kind, t, spec): spec maps field -> "string" | "number" | "boolean"
-- | "table" | "function" | "integer", with a trailing "?" when optional.
local function fields(kind, t, spec, where)
    where = where and (where .. ": ") or ""
    if type(t) ~= "table" then fail(kind, where .. "expected a table") end
    for k in pairs(t) do
        if spec[k] == nil then fail(kind, where .. "unknown field '" .. tostring(k) .. "'") end
    end
    for k, ty in pairs(spec) do
        local optional = ty:sub(-1) == "?"
        ty = optional and ty:sub(1, -2) or ty
        local v = t[k]
        if v == nil then
            if not optional then fail(kind, where .. "missing field '" .. k .. "'") end
        elseif ty == "integer" then
            if math.type(v) ~= "integer" then fail(kind, where .. "field '" .. k .. "' must be an integer") end
        elseif type(v) ~= ty then
            fail(kind, where .. "field '" .. k .. "' must be a " .. ty .. ", got " .. type(v))
        end
    end
end

function M.new()
    local got = { taxonomy = nil, nodes = {}, indicator = {}, form = {}, grid = {}, meter = {},
                  limit = {}, routing = {} }
    local def = {}

    function def.taxonomy(t)
        fields("taxonomy", t, { name = "string", version = "string", nodes = "table" })
        for i, n in ipairs(t.nodes) do
            fields("taxonomy", n, { code = "string", label_fr = "string", label_en = "string",
                                    provisional = "boolean" }, "node " .. i)
            got.nodes[n.code] = n
        end
        got.taxonomy = t
    end

    function def.indicator(t)
        fields("indicator", t, { code = "string", component = "string", label_fr = "string",
                                 label_en = "string", levels = "table", bad_at_most = "integer" })
        if not got.nodes[t.component] then fail("indicator", t.code .. ": unknown component '" .. t.component .. "'") end
        if #t.levels < 2 or #t.levels > 10 then fail("indicator", t.code .. ": 2 to 10 levels") end
        for i, l in ipairs(t.levels) do fields("indicator", l, { fr = "string", en = "string" }, "level " .. i) end
        if t.bad_at_most < 1 or t.bad_at_most >= #t.levels then fail("indicator", t.code .. ": bad_at_most out of range") end
        got.indicator[t.code] = t
    end

    function def.form(t)
        fields("form", t, { code = "string", label_fr = "string", label_en = "string", items = "table" })
        for i, it in ipairs(t.items) do
            fields("form", it, { name = "string", indicator = "string", fr = "string", en = "string" }, "item " .. i)
            if not got.indicator[it.indicator] then fail("form", t.code .. ": unknown indicator '" .. it.indicator .. "'") end
        end
        got.form[t.code] = t
    end

    function def.grid(t)
        fields("grid", t, { code = "string", label_fr = "string", label_en = "string", scale = "table",
                            components = "table", viewpoints = "table", rank = "function", synthesis = "function" })
        fields("grid", t.scale, { min = "number", max = "number", labels = "table" }, "scale")
        if #t.scale.labels ~= t.scale.max - t.scale.min + 1 then fail("grid", "one label per scale point") end
        for i, l in ipairs(t.scale.labels) do
            if type(l) ~= "string" then fail("grid", "scale label " .. i .. " must be a string") end
        end
        for _, c in ipairs(t.components) do
            if not got.nodes[c] then fail("grid", "unknown component '" .. c .. "'") end
        end
        got.grid[t.code] = t
    end

    function def.meter(t)
        fields("meter", t, { code = "string", resources = "table", questions = "table", rules = "table",
                             collective = "table" })
        for i, q in ipairs(t.questions) do
            fields("meter", q, { name = "string", label_fr = "string", label_en = "string", type = "string",
                                 default = (type(q.default) == "number" and "number" or "string") }, "question " .. i)
        end
        local res = {}
        for _, r in ipairs(t.resources) do
            res[r] = true
            if type(t.rules[r]) ~= "function" then fail("meter", "no rule for resource '" .. r .. "'") end
        end
        for _, map in ipairs({ t.rules, t.collective }) do
            for r in pairs(map) do
                if not res[r] then fail("meter", "'" .. tostring(r) .. "' is not one of the meter's resources") end
            end
        end
        got.meter[t.code] = t
    end

    function def.limit(t)
        fields("limit", t, { resource = "string", scope = "string", amount = "number", unit = "string",
                             horizon = "integer?", source = "string" })
        if t.source == "" then fail("limit", "a limit needs its source") end
        local scopes = { world = true, country = true, territory = true, person = true }
        if not scopes[t.scope] then fail("limit", "scope '" .. t.scope .. "' is not world, country, territory or person") end
        if not (t.amount >= 0) then fail("limit", "amount must be >= 0") end
        got.limit[#got.limit + 1] = t
    end

    function def.routing(t)
        fields("routing", t, { rules = "table" })
        for i, r in ipairs(t.rules) do
            fields("routing", r, { when = "table", groups = "table" }, "rule " .. i)
            for _, g in ipairs(r.groups) do
                if type(g) ~= "string" then fail("routing", "rule " .. i .. ": groups are strings") end
            end
            fields("routing", r.when, { kind = "string?", theme = "string?" }, "rule " .. i .. " when")
        end
        got.routing[#got.routing + 1] = t
    end

    function def.get(kind, code) return got[kind] and got[kind][code] end

    return { def = def, defined = got }
end

return M
