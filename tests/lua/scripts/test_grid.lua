-- tests/lua/scripts/test_grid.lua -- lib/grid.lua: profiles, the ranking
-- on hand-made profiles (scores worked out in the comments), the
-- synthesis lines; lib/indicators.lua and lib/routing.lua.
local T = require "harness"
local grid = require "lib.grid"
local indicators = require "lib.indicators"
local routing = require "lib.routing"

T.case("grid-1 profiles average the groups and keep the vulnerable apart", function()
    local rows = {
        { action = "X", evaluator = "HAB", kind = "inhabitants", component = "A06", score = 2 },
        { action = "X", evaluator = "BEN", kind = "beneficiaries", component = "A06", score = 1 },
        { action = "X", evaluator = "PRO", kind = "professionals", component = "A06", score = 0 },
        { action = "X", evaluator = "BEN", kind = "beneficiaries", component = "B00", score = -1 },
        { action = "W", evaluator = "HAB", kind = "inhabitants", component = "A01", score = 1 },
    }
    local p = grid.profiles(rows, { X = { coresponsibility = 2, savings = { co2e = 1 } } })
    T.eq(#p, 2); T.eq(p[1].action, "W"); T.eq(p[2].action, "X")
    -- A06: (2 + 1 + 0) / 3 = 1; B00: -1 (one group); vulnerable: BEN only
    T.near(p[2].impact.A06, 1); T.near(p[2].impact.B00, -1)
    T.near(p[2].vulnerable.A06, 1); T.near(p[2].vulnerable.B00, -1)
    T.eq(p[2].groups, 3); T.eq(p[2].coresponsibility, 2); T.eq(p[2].savings.co2e, 1)
    T.eq(p[1].coresponsibility, 0); T.eq(next(p[1].vulnerable), nil)
end)

T.case("grid-2 resource scores in person-shares of the limits", function()
    -- limit 2 t: 0.5 t = 0.25 share -> 1; 2 t = 1 share -> 2; 20 t = 10 shares -> 3
    T.eq(grid.resource_score(0.5, 2), 1); T.eq(grid.resource_score(2, 2), 2)
    T.eq(grid.resource_score(19.9, 2), 2); T.eq(grid.resource_score(20, 2), 3)
    T.eq(grid.resource_score(-2, 2), -2); T.eq(grid.resource_score(0, 2), 0)
    -- non-renewable: limit 0, any saving 3, any extra use -3
    T.eq(grid.resource_score(0.001, 0), 3); T.eq(grid.resource_score(-5, 0), -3)
end)

-- Three hand-made profiles; gaps A06 and F02.
local profiles = {
    { action = "GAMMA", impact = { A06 = 1, A05 = 1, H01 = 1 }, vulnerable = {},
      coresponsibility = 2, savings = { energy_fossil = -5 } },
    { action = "ALPHA", impact = { A06 = 2, A03 = 1, B00 = -1 }, vulnerable = { A06 = 2 },
      coresponsibility = 3, savings = {} },
    { action = "BETA", impact = { A01 = 1, D02 = 1 }, vulnerable = {},
      coresponsibility = 1, savings = { co2e = 30 } },
}

T.case("grid-3 ranking of hand-made profiles", function()
    local r = grid.rank(profiles, { gaps = { "A06", "F02" } })
    -- ALPHA: impact 2 x (1 + 1) [A06 is a gap] + 1 - 1 = 4; vulnerable 2;
    --        co-responsibility 3; resources 0 -> 9
    -- BETA:  impact 1 + 1 = 2; vulnerable 0; co-responsibility 1;
    --        resources: 30 t / 2 t = 15 shares -> 3 -> 6
    -- GAMMA: impact 1 x 2 + 1 + 1 = 4; vulnerable 0; co-responsibility 2;
    --        resources: fossil energy up, limit 0 -> -3 -> 3
    T.eq(r[1].action, "ALPHA"); T.near(r[1].score, 9)
    T.near(r[1].parts.impact, 4); T.near(r[1].parts.vulnerable, 2)
    T.near(r[1].parts.coresponsibility, 3); T.near(r[1].parts.resources, 0)
    T.eq(r[2].action, "BETA"); T.near(r[2].score, 6); T.near(r[2].parts.resources, 3)
    T.eq(r[3].action, "GAMMA"); T.near(r[3].score, 3); T.near(r[3].parts.resources, -3)
    T.list(r[1].strengths, { "A06", "A03" }); T.list(r[1].harms, { "B00" })
    -- F02 is improved by nobody; A06 by ALPHA and GAMMA
    T.list(r.gaps, { "A06", "F02" }); T.list(r.uncovered, { "F02" })
end)

T.case("grid-4 without gaps and with other weights the order changes", function()
    -- No gaps, weights all 1: ALPHA 2+1-1 + 2 + 3 = 7; BETA 6; GAMMA 3+2-3 = 2.
    -- Resources weighted 3: ALPHA 7; BETA 2+1+9 = 12; GAMMA 3+2-9 = -4.
    local r = grid.rank(profiles, { weights = { gap = 1, vulnerable = 1, coresponsibility = 1, resources = 3 } })
    T.eq(r[1].action, "BETA"); T.near(r[1].score, 12)
    T.eq(r[2].action, "ALPHA"); T.near(r[2].score, 7)
    T.eq(r[3].action, "GAMMA"); T.near(r[3].score, -4)
    T.eq(#r.uncovered, 0)
end)

T.case("grid-5 ties go to the action code", function()
    local r = grid.rank({
        { action = "ZED", impact = { A01 = 1 }, vulnerable = {}, coresponsibility = 0, savings = {} },
        { action = "ABE", impact = { A02 = 1 }, vulnerable = {}, coresponsibility = 0, savings = {} },
    })
    T.eq(r[1].action, "ABE"); T.eq(r[2].action, "ZED"); T.eq(r[2].rank, 2)
end)

T.case("grid-6 synthesis lines in French and English", function()
    local s = grid.synthesis(grid.rank(profiles, { gaps = { "A06", "F02" } }))
    T.eq(s.fr[1], "Synthèse de la co-évaluation : 3 actions classées")
    T.eq(s.fr[2], "1. ALPHA : score 9 (bien-être 4, plus vulnérables 2, coresponsabilité 3, ressources 0)")
    T.eq(s.fr[3], "   points forts : Emploi (+2), Logement (+1)")
    T.eq(s.fr[4], "   vigilance : Cadre de vie en général (-1)")
    T.eq(s.en[2], "1. ALPHA: score 9 (well-being 4, most vulnerable 2, co-responsibility 3, resources 0)")
    T.eq(s.en[#s.en], "Components in difficulty that no action improves: Mental balance")
    T.eq(s.fr[#s.fr], "Composantes en difficulté qu'aucune action n'améliore : Équilibre psychique")
end)

T.case("grid-7 the definition has the API's fields and its functions work", function()
    local g = grid.new({ gaps = { "A06" } })
    T.eq(g.code, "europe"); T.eq(#g.components, 24)
    T.eq(g.scale.min, -2); T.eq(g.scale.max, 2)
    T.eq(g.scale.labels[1], "Dégrade fortement / Strongly worsens")
    T.list(g.viewpoints, { "impact", "coresponsibility", "resources" })
    local r = g.rank(profiles)
    -- with gap A06 only: same scores as grid-3 (F02 changed nothing)
    T.eq(r[1].action, "ALPHA"); T.near(r[1].score, 9)
    T.eq(g.synthesis(r).en[1], "Co-evaluation synthesis: 3 actions ranked")
end)

T.case("indicators-1 one per main component, five levels, bad at 2", function()
    local list = indicators.list()
    T.eq(#list, 24)
    for _, ind in ipairs(list) do
        T.ok(indicators.check(ind), ind.code)
        T.eq(#ind.levels, 5, ind.code); T.eq(ind.bad_at_most, 2)
    end
    T.eq(indicators.get("clothing").levels[3].fr, "moyenne")
    T.eq(indicators.get("food").levels[1].en, "I often skip meals for lack of money")
    T.eq(indicators.get("nope"), nil)
    local four = indicators.four_levels(indicators.get("respect"))
    T.eq(#four.levels, 4); T.eq(four.levels[3].fr, "bonne")
    T.ok(indicators.is_bad(four, 2) and not indicators.is_bad(four, 3), "bad or worse")
    T.eq(#indicators.get("respect").levels, 5, "defaults untouched")
end)

T.case("routing-1 needs and offers reach their groups and the neighbourhood", function()
    local function groups(item, person, rules)
        local out = {}
        for i, r in ipairs(routing.route(item, person, rules)) do out[i] = r.group end
        return out
    end
    local p = { neighbourhood = "Wolf-Wagner" }
    T.list(groups({ kind = "job", theme = "employment" }, p), { "employment", "quartier-wolf-wagner" })
    T.list(groups({ kind = "training", theme = "youth" }, p), { "training", "youth", "quartier-wolf-wagner" })
    T.list(groups({ kind = "housing", theme = "" }, p), { "space", "quartier-wolf-wagner" })
    T.list(groups({ kind = "hours", theme = "ageing" }, p), { "time", "ageing", "quartier-wolf-wagner" })
    T.list(groups({ kind = "money", theme = "fund" }, p), { "money", "quartier-wolf-wagner" })
    T.list(groups({ kind = "hours", theme = "" }, nil), { "time" })
    -- a territory's extra rule comes before the neighbourhood
    local rules = routing.rules({ extra = { { when = { kind = "housing" }, groups = { "family" } } } })
    T.list(groups({ kind = "housing", theme = "" }, p, rules), { "space", "family", "quartier-wolf-wagner" })
    local r = routing.route({ kind = "job", theme = "" }, p)
    T.eq(r[1].rule, 1)
end)

T.case("routing-2 life-project items as the survey files write them", function()
    local items = routing.parse_items("hours=4:ageing|money=20.5:fund|job:employment|goods")
    T.eq(#items, 4)
    T.eq(items[1].kind, "hours"); T.eq(items[1].amount, 4); T.eq(items[1].theme, "ageing")
    T.eq(items[2].amount, 20.5); T.eq(items[3].amount, nil); T.eq(items[3].theme, "employment")
    T.eq(items[4].theme, "")
end)

T.finish()
