-- lib/routing.lua -- default routing of life-project needs and offers.
--
-- The self-surveys end with a life project: what the person needs (a job,
-- a training, housing...) and what they are ready to give (hours, a
-- project, money to the fund, goods).  Each need or offer goes to the
-- coordination groups concerned (lib/structure.lua M.groups), and always
-- to the group of the person's neighbourhood; every quarter the city
-- group makes the synthesis.
--
-- A rule is { when = { kind = K, theme = T }, groups = { codes } }: it
-- matches when every field of `when` equals the item's (a missing field
-- matches anything; `when = {}` matches every item).  Every matching rule
-- adds its groups, without duplicates, in rule order.  The group code
-- "neighbourhood" stands for the person's neighbourhood group.  Needs and
-- offers share the rules: their kinds do not overlap (job, training,
-- housing... are needs; hours, money, goods, project are offers).
--
-- M.rules has exactly the shape of spiral.def.routing{rules = ...};
-- M.route() applies them in plain Lua for tests and previews.

local structure = require "lib.structure"

local M = {}

M.NEIGHBOURHOOD = "neighbourhood"

local function rule(when, groups) return { when = when, groups = groups } end

-- By kind of need or offer (the first word of "job:employment").
M.by_kind = {
    rule({ kind = "job" }, { "employment" }),
    rule({ kind = "training" }, { "training" }),
    rule({ kind = "tutoring" }, { "childhood" }),
    rule({ kind = "housing" }, { "space" }),
    rule({ kind = "health" }, { "health" }),
    rule({ kind = "childcare" }, { "family" }),
    rule({ kind = "language" }, { "cultures" }),
    rule({ kind = "mobility" }, { "space" }),
    rule({ kind = "company" }, { "generations" }),
    rule({ kind = "leisure" }, { "culture" }),
    rule({ kind = "hours" }, { "time" }),
    rule({ kind = "money" }, { "money" }),
    rule({ kind = "goods" }, { "solidarity" }),
    rule({ kind = "project" }, { "citizenship" }),
}

-- rules([opts]) -> the full rule list: the kind rules, one theme rule per
-- coordination group (theme "youth" goes to the youth group, and the
-- aliases such as "fund" to theirs), and the neighbourhood rule last.
-- opts.extra: territory rules inserted before the neighbourhood rule.
function M.rules(opts)
    opts = opts or {}
    local out = {}
    for _, r in ipairs(M.by_kind) do out[#out + 1] = r end
    for _, g in ipairs(structure.groups) do
        out[#out + 1] = rule({ theme = g.code }, { g.code })
    end
    local aliases = {}
    for a in pairs(structure.group_aliases) do aliases[#aliases + 1] = a end
    table.sort(aliases)
    for _, a in ipairs(aliases) do
        out[#out + 1] = rule({ theme = a }, { structure.group_aliases[a] })
    end
    for _, r in ipairs(opts.extra or {}) do out[#out + 1] = r end
    out[#out + 1] = rule({}, { M.NEIGHBOURHOOD })
    return out
end

local function matches(when, item)
    for k, v in pairs(when) do
        if item[k] ~= v then return false end
    end
    return true
end

-- route(item, person[, rules]) -> list of { group, rule } in rule order.
--   item   = { kind = "job", theme = "employment" } (theme may be "")
--   person = { neighbourhood = "Wolf-Wagner" } (may be nil)
-- rule is the index of the first rule that sent the item to the group.
-- Without a neighbourhood the "neighbourhood" group is skipped.
function M.route(item, person, rules)
    local out, seen = {}, {}
    for i, r in ipairs(rules or M.rules()) do
        if matches(r.when, item) then
            for _, g in ipairs(r.groups) do
                local code = g
                if g == M.NEIGHBOURHOOD then
                    code = person and person.neighbourhood
                        and structure.neighbourhood_group(person.neighbourhood).code or nil
                end
                if code and not seen[code] then
                    seen[code] = true
                    out[#out + 1] = { group = code, rule = i }
                end
            end
        end
    end
    return out
end

-- parse_items(text) -> list of { kind, amount, theme } from the survey
-- form "kind[=amount][:theme]|..." (e.g. "hours=4:ageing|money=20:fund").
function M.parse_items(text)
    local out = {}
    for part in (text or ""):gmatch("[^|]+") do
        local kind, rest = part:match("^([%w_]+)(.*)$")
        if kind then
            local amount = rest:match("^=([%d%.]+)")
            local theme = rest:match(":([%w_%-]+)$") or ""
            out[#out + 1] = { kind = kind, amount = tonumber(amount), theme = theme }
        end
    end
    return out
end

-- Matching offers to needs (`spiral groups match`, `spiral synthesis`) ----
--
-- M.match_kinds[need kind] lists the offer kinds that can serve it: hours
-- of volunteer time serve a training, tutoring, childcare...; a project
-- serves a job; money serves housing.  A kind missing here is served by
-- nothing.  A territory's routing.lua may give its own match_kinds.
M.match_kinds = {
    training = { "hours", "project" }, tutoring = { "hours" }, childcare = { "hours" },
    language = { "hours" }, company = { "hours" }, leisure = { "hours", "project" },
    mobility = { "hours", "goods" }, health = { "hours" }, job = { "project" },
    housing = { "money", "goods" },
}

-- The topics of a need: its kind, its theme, and the groups its kind is
-- routed to by the kind rules (a need "training" has topics training and
-- the training group; "job:youth" has job, youth, employment).
local function topics(need)
    local t = { [need.kind] = true }
    if need.theme and need.theme ~= "" then
        t[structure.group_aliases[need.theme] or need.theme] = true
    end
    for _, r in ipairs(M.by_kind) do
        if r.when.kind == need.kind then
            for _, g in ipairs(r.groups) do t[g] = true end
        end
    end
    return t
end

-- match(needs, offers[, kinds]) -> pairs, unmet, unused
--   needs  = list of { kind, theme }, offers = list of { kind, theme, amount },
--   in the order to serve (the command gives them by id).
-- An offer can serve a need when its kind is in kinds[need.kind] (default
-- M.match_kinds) and its theme is empty or one of the need's topics.
-- Greedy by theme, in two passes over the needs in order: first each need
-- takes the first unused offer whose theme is one of its topics; then each
-- need still unmet takes the first unused offer without a theme.  An offer
-- serves one need.  pairs = list of { need = i, offer = j } (indexes);
-- unmet = needs without an offer; unused = offers left.
function M.match(needs, offers, kinds)
    kinds = kinds or M.match_kinds
    local used, served, pairs_ = {}, {}, {}
    local function can(n, o, themed)
        local ok = false
        for _, k in ipairs(kinds[n.kind] or {}) do
            if k == o.kind then ok = true end
        end
        if not ok then return false end
        local theme = o.theme or ""
        if themed then
            return theme ~= "" and topics(n)[structure.group_aliases[theme] or theme] == true
        end
        return theme == ""
    end
    for _, themed in ipairs({ true, false }) do
        for i, n in ipairs(needs) do
            if not served[i] then
                for j, o in ipairs(offers) do
                    if not used[j] and can(n, o, themed) then
                        used[j], served[i] = true, true
                        pairs_[#pairs_ + 1] = { need = i, offer = j }
                        break
                    end
                end
            end
        end
    end
    table.sort(pairs_, function(a, b) return a.need < b.need end)
    local unmet, unused = 0, 0
    for i in ipairs(needs) do if not served[i] then unmet = unmet + 1 end end
    for j in ipairs(offers) do if not used[j] then unused = unused + 1 end end
    return pairs_, unmet, unused
end

return M
