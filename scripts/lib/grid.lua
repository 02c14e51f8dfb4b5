-- lib/grid.lua -- the default participatory co-evaluation grid.
--
-- Evaluator groups (inhabitants, professionals, elected people,
-- associations, beneficiaries) score an action's impact on each well-being
-- component; the grid turns their scores into one profile per action,
-- ranks the actions and writes the lines of the co-evaluation guide that
-- feed strategic planning.  It follows the three viewpoints of the plan's
-- database of actions (section V.C):
--
--   impact on well-being   score per component on the scale below;
--   co-responsibility      0-3, rubric M.coresponsibility;
--   savings of resources   per resource, scored -3..3 against the
--                          per-person limits (M.resource_score).
--
-- Scale: -2 strongly worsens, -1 worsens, 0 no effect, +1 improves,
-- +2 strongly improves (the scale of datasets/mulhouse evaluations.csv,
-- grid "europe").
--
-- Ranking (M.rank, documented so that an assembly can check it by hand):
--
--   score = sum over components c of  s_c x (1 + W.gap  if c is a gap)
--         + W.vulnerable x sum over c of v_c
--         + W.coresponsibility x coresponsibility (0-3)
--         + W.resources x clamp(sum over resources of resource_score, -3, 3)
--
-- where s_c is the mean score of all evaluator groups on component c,
-- v_c the mean score of the groups that speak for the most vulnerable
-- (evaluator kinds in opts.vulnerable_kinds, default "beneficiaries"), and
-- a gap is a component where the territory's self-surveys show many people
-- "bad or worse" (given by the caller: the grid does not guess).  Default
-- weights are all 1.  Ties go to the action code in alphabetical order, so
-- the order never depends on table traversal.
--
-- Everything is plain Lua: M.new() returns the table spiral.def.grid takes
-- (code, labels, scale, components, viewpoints, rank, synthesis), and the
-- same functions run under the standalone interpreter for tests.

local structure = require "lib.structure"
local limits = require "lib.limits"

local M = {}

M.scale = {
    min = -2, max = 2,
    labels = {
        { fr = "Dégrade fortement", en = "Strongly worsens" },
        { fr = "Dégrade", en = "Worsens" },
        { fr = "Sans effet", en = "No effect" },
        { fr = "Améliore", en = "Improves" },
        { fr = "Améliore fortement", en = "Strongly improves" },
    },
}

-- The co-responsibility rubric: which actors, which new cross-sector links.
M.coresponsibility = {
    [0] = { fr = "Un seul acteur agit pour les autres", en = "One actor acts for the others" },
    [1] = { fr = "Plusieurs acteurs d'un même secteur, les personnes concernées consultées", en = "Several actors of one sector, the people concerned consulted" },
    [2] = { fr = "Acteurs de plusieurs secteurs et personnes concernées décident ensemble", en = "Actors of several sectors and the people concerned decide together" },
    [3] = { fr = "Nouveaux liens entre secteurs, engagements écrits de chacun, citoyens co-porteurs", en = "New cross-sector links, written commitments of each, citizens co-leading" },
}

M.viewpoints = {
    { code = "impact", label_fr = "Impact sur le bien-être", label_en = "Impact on well-being",
      scale = "-2..+2 per component, mean over evaluator groups" },
    { code = "coresponsibility", label_fr = "Coresponsabilité", label_en = "Co-responsibility",
      scale = "0..3, rubric" },
    { code = "resources", label_fr = "Économies de ressources", label_en = "Savings of resources",
      scale = "-3..+3 per resource, against the per-person limits" },
}

M.weights = { gap = 1, vulnerable = 1, coresponsibility = 1, resources = 1 }

-- resource_score(saved, limit_per_person) -> -3..3.  saved is a yearly
-- saving (negative: extra use) in the limit's unit.  In person-shares of
-- the limit: none 0; under one share 1; 1 to 10 shares 2; 10 or more 3;
-- the same negative for extra use.  A non-renewable resource (limit 0):
-- any saving 3, any extra use -3 (the pact aims at zero use).
function M.resource_score(saved, limit)
    if saved == 0 then return 0 end
    local sign = saved > 0 and 1 or -1
    if limit == 0 then return 3 * sign end
    local shares = math.abs(saved) / limit
    local s = shares >= 10 and 3 or shares >= 1 and 2 or 1
    return s * sign
end

local function clamp(x, lo, hi) return math.max(lo, math.min(hi, x)) end

local function sorted_keys(t)
    local k = {}
    for key in pairs(t) do k[#k + 1] = key end
    table.sort(k)
    return k
end

-- profiles(rows[, extras[, opts]]) -> a list of profiles sorted by action.
--   rows:   evaluation scores { action, evaluator, kind, component, score },
--           as in evaluations.csv (kind is the evaluator kind);
--   extras: per action { coresponsibility = 0..3, savings = { resource = amount } };
--   opts.vulnerable_kinds: evaluator kinds that speak for the most
--           vulnerable (default { beneficiaries = true }).
-- profile = { action, impact = { c = mean }, vulnerable = { c = mean },
--             groups = number of evaluator groups, coresponsibility, savings }
function M.profiles(rows, extras, opts)
    opts = opts or {}
    local vk = opts.vulnerable_kinds or { beneficiaries = true }
    local acc = {}
    for _, r in ipairs(rows) do
        local a = acc[r.action]
        if not a then
            a = { sum = {}, n = {}, vsum = {}, vn = {}, groups = {} }
            acc[r.action] = a
        end
        local c = r.component
        a.sum[c] = (a.sum[c] or 0) + r.score
        a.n[c] = (a.n[c] or 0) + 1
        if vk[r.kind] then
            a.vsum[c] = (a.vsum[c] or 0) + r.score
            a.vn[c] = (a.vn[c] or 0) + 1
        end
        a.groups[r.evaluator or "?"] = true
    end
    local out = {}
    for _, action in ipairs(sorted_keys(acc)) do
        local a = acc[action]
        local p = { action = action, impact = {}, vulnerable = {}, groups = #sorted_keys(a.groups),
                    coresponsibility = 0, savings = {} }
        for c, s in pairs(a.sum) do p.impact[c] = s / a.n[c] end
        for c, s in pairs(a.vsum) do p.vulnerable[c] = s / a.vn[c] end
        local x = extras and extras[action]
        if x then
            p.coresponsibility = x.coresponsibility or 0
            p.savings = x.savings or {}
        end
        out[#out + 1] = p
    end
    return out
end

-- score(profile, ctx) -> total, parts.  ctx: { weights, gaps = set of
-- components, limits = limit list }.
function M.score(p, ctx)
    local W = ctx.weights or M.weights
    local gaps = ctx.gaps or {}
    local parts = { impact = 0, vulnerable = 0, coresponsibility = 0, resources = 0 }
    for _, c in ipairs(sorted_keys(p.impact)) do
        parts.impact = parts.impact + p.impact[c] * (1 + (gaps[c] and W.gap or 0))
    end
    for _, c in ipairs(sorted_keys(p.vulnerable)) do
        parts.vulnerable = parts.vulnerable + W.vulnerable * p.vulnerable[c]
    end
    parts.coresponsibility = W.coresponsibility * (p.coresponsibility or 0)
    local rs = 0
    for _, r in ipairs(sorted_keys(p.savings or {})) do
        local lim = limits.get(r, "person", ctx.limits)
        if lim then rs = rs + M.resource_score(p.savings[r], lim.amount) end
    end
    parts.resources = W.resources * clamp(rs, -3, 3)
    return parts.impact + parts.vulnerable + parts.coresponsibility + parts.resources, parts
end

local function set_of(list)
    local s = {}
    for _, v in ipairs(list or {}) do s[v] = true end
    return s
end

-- rank(profiles[, ctx]) -> result: a list of entries, best first:
--   { rank, action, score, parts, strengths = {c...}, harms = {c...}, profile }
-- strengths: components with mean >= 1, strongest first; harms: mean < 0.
-- result.gaps is the list of gaps used, result.uncovered the gaps no
-- action improves (mean > 0).  ctx.gaps is a list of component codes.
function M.rank(profiles, ctx)
    ctx = ctx or {}
    local gaps = set_of(ctx.gaps)
    local sctx = { weights = ctx.weights, gaps = gaps, limits = ctx.limits }
    local result = {}
    for _, p in ipairs(profiles) do
        local total, parts = M.score(p, sctx)
        local e = { action = p.action, score = total, parts = parts, strengths = {}, harms = {}, profile = p }
        for _, c in ipairs(sorted_keys(p.impact)) do
            if p.impact[c] >= 1 then e.strengths[#e.strengths + 1] = c end
            if p.impact[c] < 0 then e.harms[#e.harms + 1] = c end
        end
        table.sort(e.strengths, function(x, y)
            if p.impact[x] ~= p.impact[y] then return p.impact[x] > p.impact[y] end
            return x < y
        end)
        result[#result + 1] = e
    end
    table.sort(result, function(x, y)
        if math.abs(x.score - y.score) > 1e-9 then return x.score > y.score end
        return x.action < y.action
    end)
    for i, e in ipairs(result) do e.rank = i end
    result.gaps = {}
    result.uncovered = {}
    for _, c in ipairs(sorted_keys(gaps)) do
        result.gaps[#result.gaps + 1] = c
        local covered = false
        for _, e in ipairs(result) do covered = covered or (e.profile.impact[c] or 0) > 0 end
        if not covered then result.uncovered[#result.uncovered + 1] = c end
    end
    return result
end

-- num(x, lang): signed numbers with at most 2 decimals, French comma.
local function num(x, lang, signed)
    local s = string.format("%.2f", x):gsub("0+$", ""):gsub("%.$", "")
    if s == "-0" then s = "0" end
    if signed and x > 0 then s = "+" .. s end
    if lang == "fr" then s = s:gsub("%.", ",") end
    return s
end
M.num = num

local function names(codes, lang, label, impact)
    local out = {}
    for _, c in ipairs(codes) do
        local s = label(c, lang)
        if impact then s = s .. " (" .. num(impact[c], lang, true) .. ")" end
        out[#out + 1] = s
    end
    return table.concat(out, ", ")
end

-- synthesis(result[, opts]) -> { fr = {lines}, en = {lines} }: the
-- co-evaluation guide's reading of a ranking.  One line per action (rank,
-- score and its parts, strengths, harms to watch), then the gaps no action
-- addresses: the planning questions for the coordination group.
-- opts.label(code, lang) names a component (default: lib.structure).
function M.synthesis(result, opts)
    opts = opts or {}
    local label = opts.label or function(c, lang) return structure.label(c, lang) end
    local out = { fr = {}, en = {} }
    local T = {
        fr = { head = "Synthèse de la co-évaluation : %d actions classées",
               line = "%d. %s : score %s (bien-être %s, plus vulnérables %s, coresponsabilité %s, ressources %s)",
               strong = "   points forts : %s", harm = "   vigilance : %s", none = "aucun",
               gaps = "Composantes en difficulté qu'aucune action n'améliore : %s",
               allgaps = "Toutes les composantes en difficulté sont améliorées par au moins une action." },
        en = { head = "Co-evaluation synthesis: %d actions ranked",
               line = "%d. %s: score %s (well-being %s, most vulnerable %s, co-responsibility %s, resources %s)",
               strong = "   strengths: %s", harm = "   watch: %s", none = "none",
               gaps = "Components in difficulty that no action improves: %s",
               allgaps = "Every component in difficulty is improved by at least one action." },
    }
    for _, lang in ipairs({ "fr", "en" }) do
        local t, L = T[lang], out[lang]
        L[#L + 1] = string.format(t.head, #result)
        for _, e in ipairs(result) do
            L[#L + 1] = string.format(t.line, e.rank, e.action, num(e.score, lang),
                num(e.parts.impact, lang), num(e.parts.vulnerable, lang),
                num(e.parts.coresponsibility, lang), num(e.parts.resources, lang))
            L[#L + 1] = string.format(t.strong, #e.strengths > 0 and names(e.strengths, lang, label, e.profile.impact) or t.none)
            if #e.harms > 0 then
                L[#L + 1] = string.format(t.harm, names(e.harms, lang, label, e.profile.impact))
            end
        end
        if result.gaps and #result.gaps > 0 then
            if #result.uncovered > 0 then
                L[#L + 1] = string.format(t.gaps, names(result.uncovered, lang, label))
            else
                L[#L + 1] = t.allgaps
            end
        end
    end
    return out
end

-- scale_def(scale) -> the scale as spiral.def.grid takes it: min, max and
-- one label string per point, "French / English".
function M.scale_def(scale)
    local labels = {}
    for i, l in ipairs(scale.labels) do labels[i] = l.fr .. " / " .. l.en end
    return { min = scale.min, max = scale.max, labels = labels }
end

-- new([opts]) -> the grid definition for spiral.def.grid.
--   opts.code (default "europe"), label_fr, label_en, components (default
--   every component of lib.structure), weights, gaps (list), limits,
--   label (component namer for the synthesis).
-- rank and synthesis close over opts, so the engine may call them with
-- the profiles or the result alone.
function M.new(opts)
    opts = opts or {}
    local ctx = { weights = opts.weights, gaps = opts.gaps, limits = opts.limits }
    local viewpoints = {}
    for i, v in ipairs(M.viewpoints) do viewpoints[i] = v.code end
    return {
        code = opts.code or "europe",
        label_fr = opts.label_fr or "Grille européenne de co-évaluation participative",
        label_en = opts.label_en or "European participatory co-evaluation grid",
        scale = M.scale_def(M.scale),
        components = opts.components or structure.components(),
        viewpoints = viewpoints,
        rank = function(profiles, override)
            return M.rank(profiles, override or ctx)
        end,
        synthesis = function(result)
            return M.synthesis(result, { label = opts.label })
        end,
    }
end

return M
