-- territories/wallonie_exemple/ranking.lua -- the example territory's own
-- reading of co-evaluations (an EXAMPLE: see pack.lua).
--
-- Where the European grid (lib/grid.lua) adds everything into one weighted
-- score, this territory ranks in three steps, so that one strong harm is
-- never bought back by many small gains:
--
--   1. "Do no harm": an action whose mean on any dimension is at or below
--      veto_at (0.5 on the 0-4 scale: a strong deterioration) goes after
--      every other action, marked "to revise".
--   2. "Breadth": more dimensions improved (mean >= improve_at, 3) first.
--   3. "Balance": then the larger sum of w_d x (mean_d - 2) over the
--      dimensions scored, w_d from pack.grid.weights (default 1).
--   Ties go to the action code, alphabetically.
--
-- Evaluations arrive as on the European grid ({ action, evaluator, kind,
-- component, score } with SPIRAL components and -2..+2 scores) and are
-- read through pack.crosswalk: component -> dimension, score + offset; a
-- dimension's mean is over every row mapped to it.

local M = {}

local function sorted_keys(t)
    local k = {}
    for key in pairs(t) do k[#k + 1] = key end
    table.sort(k)
    return k
end

-- profiles(rows, crosswalk) -> list of { action, impact = { dim = mean } },
-- sorted by action; rows whose component has no dimension are counted in
-- profile.unmapped (and do not score).
function M.profiles(rows, crosswalk)
    local acc = {}
    for _, r in ipairs(rows) do
        local a = acc[r.action] or { sum = {}, n = {}, unmapped = 0 }
        acc[r.action] = a
        local d = crosswalk.components[r.component]
        if d then
            a.sum[d] = (a.sum[d] or 0) + r.score + crosswalk.offset
            a.n[d] = (a.n[d] or 0) + 1
        else
            a.unmapped = a.unmapped + 1
        end
    end
    local out = {}
    for _, action in ipairs(sorted_keys(acc)) do
        local a = acc[action]
        local p = { action = action, impact = {}, unmapped = a.unmapped }
        for d, s in pairs(a.sum) do p.impact[d] = s / a.n[d] end
        out[#out + 1] = p
    end
    return out
end

-- rank(profiles, opts) -> list of entries, best first:
--   { rank, action, veto, breadth, balance, improved = {d}, harmed = {d}, profile }
-- opts = pack.grid (weights, improve_at, veto_at).
function M.rank(profiles, opts)
    local W = opts.weights or {}
    local out = {}
    for _, p in ipairs(profiles) do
        local e = { action = p.action, veto = false, breadth = 0, balance = 0,
                    improved = {}, harmed = {}, profile = p }
        for _, d in ipairs(sorted_keys(p.impact)) do
            local m = p.impact[d]
            if m <= opts.veto_at then e.veto = true; e.harmed[#e.harmed + 1] = d end
            if m >= opts.improve_at then e.breadth = e.breadth + 1; e.improved[#e.improved + 1] = d end
            e.balance = e.balance + (W[d] or 1) * (m - 2)
        end
        out[#out + 1] = e
    end
    table.sort(out, function(x, y)
        if x.veto ~= y.veto then return not x.veto end
        if x.breadth ~= y.breadth then return x.breadth > y.breadth end
        if math.abs(x.balance - y.balance) > 1e-9 then return x.balance > y.balance end
        return x.action < y.action
    end)
    for i, e in ipairs(out) do e.rank = i end
    return out
end

local function num(x, lang)
    local s = string.format("%.2f", x):gsub("0+$", ""):gsub("%.$", "")
    if x > 0 then s = "+" .. s end
    if lang ~= "en" then s = s:gsub("%.", ",") end
    return s
end

local T = {
    fr = { head = "Lecture de la co-évaluation (grille wallonne d'exemple) : %d actions",
           line = "%d. %s : %d dimension(s) améliorée(s), solde pondéré %s",
           veto = "%d. %s : à revoir, dégradation forte sur %s", improved = "   améliore : %s" },
    en = { head = "Co-evaluation reading (Walloon example grid): %d actions",
           line = "%d. %s: %d dimension(s) improved, weighted balance %s",
           veto = "%d. %s: to revise, strong deterioration on %s", improved = "   improves: %s" },
    de = { head = "Auswertung der Ko-Evaluation (wallonisches Beispielraster): %d Maßnahmen",
           line = "%d. %s: %d Dimension(en) verbessert, gewichteter Saldo %s",
           veto = "%d. %s: zu überarbeiten, starke Verschlechterung bei %s", improved = "   verbessert: %s" },
}

-- synthesis(result, label) -> { fr = {lines}, en = {lines}, de = {lines} };
-- label(code, lang) names a dimension.
function M.synthesis(result, label)
    local out = {}
    for _, lang in ipairs({ "fr", "en", "de" }) do
        local t, L = T[lang], {}
        local function names(codes)
            local n = {}
            for _, c in ipairs(codes) do n[#n + 1] = label(c, lang) end
            return table.concat(n, ", ")
        end
        L[1] = string.format(t.head, #result)
        for _, e in ipairs(result) do
            if e.veto then
                L[#L + 1] = string.format(t.veto, e.rank, e.action, names(e.harmed))
            else
                L[#L + 1] = string.format(t.line, e.rank, e.action, e.breadth, num(e.balance, lang))
                if #e.improved > 0 then L[#L + 1] = string.format(t.improved, names(e.improved)) end
            end
        end
        out[lang] = L
    end
    return out
end

return M
