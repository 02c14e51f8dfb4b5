-- tests/lua/scripts/test_territories.lua -- both territory packs loaded
-- through a strict stand-in of spiral.def (mock_spiral.lua), and the same
-- batch of co-evaluations run under both: different results, each checked
-- against values worked out by hand in the comments.
local T = require "harness"
local mock = require "mock_spiral"

-- load(name) -> defs, mock: run territories/<name>/init.lua as `spiral
-- run` would, with the territory folder first on the path (its own
-- "pack" module) and a fresh stand-in spiral.
local base = package.path
local function load(name)
    local root = (os.getenv("SCRIPTS_DIR") or "scripts") .. "/territories/" .. name
    package.path = root .. "/?.lua;" .. base
    for _, m in ipairs({ "pack", "ranking", "spiral", "territories." .. name .. ".init" }) do package.loaded[m] = nil end
    local s = mock.new()
    package.preload.spiral = function() return s end
    local defs = require("territories." .. name .. ".init")
    package.path = base
    return defs, s
end

local mulhouse, mm = load("mulhouse")
local wallonie, wm = load("wallonie_exemple")

T.case("territory-1 Mulhouse defines everything the plan asks for", function()
    local n = mulhouse.counts
    T.eq(n.taxonomy, 1); T.eq(n.indicator, 24); T.eq(n.form, 4); T.eq(n.grid, 1)
    T.eq(n.meter, 1); T.eq(n.routing, 1)
    T.eq(n.limit, 9, "5 reference limits + 4 scaled to the city")
    local forms = mm.defined.form
    T.eq(#forms.children.items, 10); T.eq(#forms.adolescents.items, 16)
    T.eq(#forms.adults.items, 24); T.eq(#forms.mental_health.items, 14)
    T.eq(forms.children.items[1].fr, "Ce que je mange")
    T.eq(#mm.defined.indicator.clothing.levels, 4); T.eq(#mm.defined.indicator.food.levels, 5)
    T.eq(mm.defined.grid.europe.scale.min, -2)
    T.eq(#mulhouse.groups, 19 + 12 + 1)
end)

T.case("territory-2 the example territory brings its own criteria", function()
    local n = wallonie.counts
    T.eq(n.indicator, 8); T.eq(n.form, 1); T.eq(n.grid, 1)
    local g = wm.defined.grid["wallonie-exemple"]
    T.eq(g.scale.min, 0); T.eq(g.scale.max, 4)
    T.list(g.components, { "R01", "R02", "R03", "L01", "L02", "M01", "M02", "S01" })
    T.eq(wm.defined.taxonomy.name, "wallonie-exemple")
    -- its meter uses its own electricity factor: an electric car, 10,000 km,
    -- one person: 1700 kWh x 0.16 = 272 kg = 0.272 t (Mulhouse: x 0.052 = 0.0884 t)
    local a = { household_size = 1, car_km_year = 10000, car_fuel = "electric", car_passengers = 1,
                meat_meals_week = 0, vegetarian_meals_week = 0, clothes_items_year = 0,
                electronics_year = 0, services_eur_month = 0, surface_m2 = 0 }
    T.near(wm.defined.meter.wallonie_exemple.rules.co2e(a), 0.272)
    T.near(mm.defined.meter.mulhouse.rules.co2e(a), 0.0884)
end)

T.case("territory-3 a misspelt field in a pack is refused, not dropped", function()
    local s = mock.new()
    local loader = require "lib.loader"
    local defs = { taxonomy = mulhouse.taxonomy, indicators = { mulhouse.indicators[1] },
                   forms = { { code = "f", label_fr = "F", label_en = "F",
                               items = { { name = "food", indicatr = "food", fr = "x", en = "x" } } } } }
    T.fails(function() loader.define(s.def, defs) end, "unknown field 'indicatr'")
end)

-- The batch: three actions co-evaluated on the European grid (-2..+2).
local batch = {
    -- JARDIN, a shared garden
    { action = "JARDIN", evaluator = "HAB", kind = "inhabitants", component = "B00", score = 2 },
    { action = "JARDIN", evaluator = "HAB", kind = "inhabitants", component = "D02", score = 1 },
    { action = "JARDIN", evaluator = "HAB", kind = "inhabitants", component = "A01", score = 1 },
    { action = "JARDIN", evaluator = "BEN", kind = "beneficiaries", component = "B00", score = 1 },
    { action = "JARDIN", evaluator = "BEN", kind = "beneficiaries", component = "D02", score = 2 },
    -- REPAIR, a repair café
    { action = "REPAIR", evaluator = "HAB", kind = "inhabitants", component = "H01", score = 1 },
    { action = "REPAIR", evaluator = "HAB", kind = "inhabitants", component = "A04", score = 1 },
    { action = "REPAIR", evaluator = "HAB", kind = "inhabitants", component = "C02", score = 1 },
    { action = "REPAIR", evaluator = "PRO", kind = "professionals", component = "H01", score = 1 },
    { action = "REPAIR", evaluator = "PRO", kind = "professionals", component = "A06", score = 1 },
    -- ROUTE, a bus line through a park
    { action = "ROUTE", evaluator = "HAB", kind = "inhabitants", component = "B02", score = 2 },
    { action = "ROUTE", evaluator = "HAB", kind = "inhabitants", component = "B00", score = -2 },
    { action = "ROUTE", evaluator = "HAB", kind = "inhabitants", component = "A06", score = 2 },
    { action = "ROUTE", evaluator = "HAB", kind = "inhabitants", component = "A09", score = 2 },
    { action = "ROUTE", evaluator = "BEN", kind = "beneficiaries", component = "B02", score = 2 },
    { action = "ROUTE", evaluator = "BEN", kind = "beneficiaries", component = "B00", score = -1 },
    { action = "ROUTE", evaluator = "BEN", kind = "beneficiaries", component = "A06", score = 2 },
    { action = "ROUTE", evaluator = "BEN", kind = "beneficiaries", component = "A09", score = 1 },
}
-- The other two viewpoints (used by the European grid only); savings in t CO2e.
local extras = {
    JARDIN = { coresponsibility = 2, savings = { co2e = 1 } },
    REPAIR = { coresponsibility = 3, savings = { co2e = 0.5 } },
    ROUTE = { coresponsibility = 1, savings = { co2e = 3 } },
}

local function order(result)
    local out = {}
    for i, e in ipairs(result) do out[i] = e.action end
    return out
end

T.case("territory-4 the batch under Mulhouse's grid, by hand", function()
    local g = mm.defined.grid.europe
    local r = g.rank(mulhouse.profiles(batch, extras), { gaps = { "A06", "F02" } })
    -- Means: JARDIN B00 (2+1)/2 = 1.5, D02 (1+2)/2 = 1.5, A01 1;
    --        vulnerable (BEN) B00 1, D02 2.
    --   impact 1.5 + 1.5 + 1 = 4; vulnerable 3; co-resp. 2;
    --   resources 1 t / 2 t = 0.5 share -> 1.                    total 10
    -- REPAIR H01 1, A04 1, C02 1, A06 1 (gap, x2); no vulnerable group.
    --   impact 1 + 1 + 1 + 2 = 5; co-resp. 3; 0.5/2 = 0.25 share -> 1.  total 9
    -- ROUTE  B02 2, B00 (-2-1)/2 = -1.5, A06 2 (gap, x2), A09 1.5;
    --        vulnerable B02 2, B00 -1, A06 2, A09 1.
    --   impact 2 - 1.5 + 4 + 1.5 = 6; vulnerable 4; co-resp. 1;
    --   3 t / 2 t = 1.5 shares -> 2.                              total 13
    T.list(order(r), { "ROUTE", "JARDIN", "REPAIR" })
    T.near(r[1].score, 13); T.near(r[2].score, 10); T.near(r[3].score, 9)
    T.near(r[1].parts.vulnerable, 4); T.near(r[1].parts.impact, 6)
    T.list(r.uncovered, { "F02" })
    local s = g.synthesis(r)
    T.eq(s.fr[2], "1. ROUTE : score 13 (bien-être 6, plus vulnérables 4, coresponsabilité 1, ressources 2)")
    T.eq(s.fr[3], "   points forts : Emploi (+2), Infrastructures de base (+2), Services à la personne (+1,5)")
    T.eq(s.fr[4], "   vigilance : Cadre de vie en général (-1,5)")
    T.eq(s.en[5], "2. JARDIN: score 10 (well-being 4, most vulnerable 3, co-responsibility 2, resources 1)")
end)

T.case("territory-5 the same batch under the example territory's grid, by hand", function()
    local g = wm.defined.grid["wallonie-exemple"]
    local r = g.rank(wallonie.profiles(batch))
    -- Crosswalk: component -> dimension, score + 2.
    -- JARDIN B00 -> M01: 4, 3 -> 3.5; D02 -> L01: 3, 4 -> 3.5; A01 -> R01: 3.
    --   no veto; breadth 3 (all >= 3);
    --   balance M01 1.5 x 1 + L01 1.5 x 2 + R01 1 x 1 = 5.5
    -- REPAIR H01 -> L02: 3, 3 -> 3; A04, A06 -> R01: 3, 3 -> 3; C02 -> L01: 3.
    --   no veto; breadth 3; balance L02 1 x 2 + R01 1 + L01 1 x 2 = 5
    -- ROUTE  B02 -> M02: 4, 4 -> 4; B00 -> M01: 0, 1 -> 0.5 (veto, <= 0.5);
    --        A06 -> R01: 4, 4 -> 4; A09 -> L01: 4, 3 -> 3.5.
    --   veto: last, whatever its gains.
    T.list(order(r), { "JARDIN", "REPAIR", "ROUTE" })
    T.eq(r[1].breadth, 3); T.near(r[1].balance, 5.5)
    T.eq(r[2].breadth, 3); T.near(r[2].balance, 5)
    T.eq(r[3].veto, true); T.list(r[3].harmed, { "M01" })
    -- ROUTE's balance without the veto would be the largest:
    -- M02 2 + M01 -1.5 + R01 2 + L01 1.5 x 2 = 5.5 with breadth 3.
    T.near(r[3].balance, 5.5); T.eq(r[3].breadth, 3)
    local s = g.synthesis(r)
    T.eq(s.fr[2], "1. JARDIN : 3 dimension(s) améliorée(s), solde pondéré +5,5")
    -- dimensions in code order: L01, M01, R01
    T.eq(s.en[3], "   improves: Social ties and solidarity, Environment and nature, Income and work")
    T.eq(s.fr[6], "3. ROUTE : à revoir, dégradation forte sur Environnement et nature")
    T.eq(s.de[6], "3. ROUTE: zu überarbeiten, starke Verschlechterung bei Umwelt und Natur")
end)

T.case("territory-6 the two territories disagree on the same batch", function()
    local r1 = mm.defined.grid.europe.rank(mulhouse.profiles(batch, extras), { gaps = { "A06", "F02" } })
    local r2 = wm.defined.grid["wallonie-exemple"].rank(wallonie.profiles(batch))
    T.ok(table.concat(order(r1), ",") ~= table.concat(order(r2), ","), "different orders")
    T.eq(r1[1].action, "ROUTE"); T.eq(r2[#r2].action, "ROUTE")
end)

T.finish()
