-- tests/lua/scripts/test_meter.lua -- lib/meter.lua and lib/limits.lua
-- against numbers computed by hand from the factors (the arithmetic is in
-- the comments: change a factor and these must be recomputed).
local T = require "harness"
local meter = require "lib.meter"
local limits = require "lib.limits"

-- Household A: two people, a petrol car driven 10,000 km alone, 4 hours of
-- flight, 7 meat and 7 vegetarian meals a week, 70 m2 heated with gas,
-- 20 new clothes, 1 device, 100 euros of services a month.
local A = { household_size = 2, car_km_year = 10000, car_fuel = "petrol", car_passengers = 1,
            flight_hours_year = 4, meat_meals_week = 7, vegetarian_meals_week = 7,
            surface_m2 = 70, heating = "gas", clothes_items_year = 20, electronics_year = 1,
            services_eur_month = 100 }

local function item(rep, name)
    for _, it in ipairs(rep.items) do if it.item == name then return it end end
end

T.case("meter-1 each item of household A, by hand", function()
    local r = assert(meter.evaluate(A))
    -- car: 10000 km x 6.5 L/100 km = 650 L; x 2.70 kg/L = 1755 kg for the
    -- household (share min(2,1)/1 = 1), 877.5 kg per person;
    -- 650 L x 8.9 kWh/L = 5785 kWh, all fossil.
    T.near(item(r, "car").household.co2e, 1755, "car household co2e")
    T.near(item(r, "car").person.co2e, 877.5, "car person co2e")
    T.near(item(r, "car").household.energy_fossil, 5785, "car fossil kWh")
    -- flights: 4 h x 150 kg = 600 kg; 4 h x 280 kWh = 1120 kWh (per person).
    T.near(item(r, "flights").person.co2e, 600, "flights co2e")
    T.near(item(r, "flights").household.co2e, 1200, "flights household (x2, an estimate)")
    -- food: 7 x 52 = 364 meat meals x 3.5 = 1274, 364 vegetarian x 1.1 =
    -- 400.4 -> 1674.4 kg; water 364 x 0.15 + 364 x 0.05 = 54.6 + 18.2 = 72.8 m3.
    T.near(item(r, "food").person.co2e, 1674.4, "food co2e")
    T.near(item(r, "food").person.water, 72.8, "food water")
    -- heating: 70 m2 x 110 kWh = 7700 kWh x 0.227 = 1747.9 kg household, 873.95 per person.
    T.near(item(r, "heating").household.co2e, 1747.9, "heating household co2e")
    T.near(item(r, "heating").person.energy, 3850, "heating kWh per person")
    -- tap water: 2 x 150 L x 365 / 1000 x 0.10 = 10.95 m3 household, 5.475 per person.
    T.near(item(r, "domestic_water").household.water, 10.95, "tap water")
    -- clothes 20 x 10 = 200 kg and 20 x 1 = 20 m3; electronics 1 x 100 = 100 kg;
    -- services 100 x 12 x 0.1 = 120 kg.
    T.near(item(r, "clothes").person.co2e, 200); T.near(item(r, "clothes").person.water, 20)
    T.near(item(r, "electronics").person.co2e, 100)
    T.near(item(r, "services").person.co2e, 120)
end)

T.case("meter-2 totals per person, per household, with the collective share", function()
    local r = assert(meter.evaluate(A))
    -- person co2e: 877.5 + 600 + 1674.4 + 873.95 + 200 + 100 + 120 = 4445.85 kg
    T.near(r.person.co2e, 4445.85, "person co2e")
    -- household: car 1755 + heating 1747.9 + 2 x (600 + 1674.4 + 200 + 100 + 120) = 8891.7
    T.near(r.household.co2e, 8891.7, "household co2e")
    -- collective 1500 kg apart; total 5945.85
    T.near(r.collective.co2e, 1500); T.near(r.total.co2e, 5945.85, "total co2e")
    -- energy per person: 5785/2 + 1120 + 7700/2 = 2892.5 + 1120 + 3850 = 7862.5 kWh
    T.near(r.person.energy, 7862.5); T.near(r.person.energy_fossil, 7862.5)
    -- water: 72.8 + 5.475 + 20 = 98.275 m3
    T.near(r.person.water, 98.275)
    -- land: 4.44585 t x 0.34 = 1.511589 gha of carbon + meals 364 x 0.0025 +
    -- 364 x 0.0004 = 0.91 + 0.1456 = 1.0556 -> 2.567189; collective 1.5 x 0.34 = 0.51
    T.near(r.person.land, 2.567189); T.near(r.total.land, 3.077189)
end)

T.case("meter-3 breakdown is sorted largest first with shares", function()
    local r = assert(meter.evaluate(A))
    local names = {}
    for i, b in ipairs(r.breakdown.co2e) do names[i] = b.item end
    -- 1674.4 food, 877.5 car, 873.95 heating, 600 flights, 200 clothes, 120 services, 100 electronics
    T.list(names, { "food", "car", "heating", "flights", "clothes", "services", "electronics" })
    T.near(r.breakdown.co2e[1].share, 1674.4 / 4445.85, "food share")
    -- water: food 72.8, clothes 20, tap water 5.475 (nothing else uses water)
    names = {}
    for i, b in ipairs(r.breakdown.water) do names[i] = b.item end
    T.list(names, { "food", "clothes", "domestic_water" })
end)

T.case("meter-4 comparison with one person's share of the limits", function()
    local r = assert(meter.evaluate(A))
    -- 5945.85 / 2000 = 2.972925 -> "3.0 times your share"
    T.near(r.compare.co2e.ratio, 2.972925)
    T.eq(r.compare.co2e.en, "greenhouse gases: 3.0 times your share (5946 kg CO2e for a limit of 2000)")
    T.eq(r.compare.co2e.fr, "gaz à effet de serre : 3,0 fois votre part (5946 kg CO2e pour une limite de 2000)")
    -- water 98.275 / 500 = 0.19655; land 3.077189 / 1.6 = 1.923243
    T.near(r.compare.water.ratio, 0.19655); T.near(r.compare.land.ratio, 3.077189 / 1.6)
    -- fossil energy: limit zero
    T.eq(r.compare.energy_fossil.ratio, math.huge)
    T.ok(r.compare.energy_fossil.en:find("limit of zero", 1, true), r.compare.energy_fossil.en)
    T.eq(r.compare.energy, nil, "total energy has no limit of its own")
end)

T.case("meter-5 savings of better alternatives, largest first", function()
    local r = assert(meter.evaluate(A))
    local got = {}
    for i, s in ipairs(r.savings) do got[i] = s.question end
    -- electric car: 10000 x 17/100 = 1700 kWh x 0.052 = 88.4 kg household,
    --   44.2 per person: saves 877.5 - 44.2 = 833.3
    -- heat pump: 7700 / 3 x 0.079 = 202.7667 household, 101.3833 per person:
    --   saves 873.95 - 101.3833 = 772.5667
    -- stop flying: 600; half the km: 877.5 / 2 = 438.75
    -- half the meat meals: 182 meals move from 3.5 to 1.1 kg: 182 x 2.4 = 436.8
    -- half the clothes: 100; devices twice as long: 50
    -- one more person aboard: the household (2) already fills the car's
    --   share (min(2,2)/2 = min(2,1)/1 = 1): saves nothing, not listed.
    T.list(got, { "car_fuel", "heating", "flight_hours_year", "car_km_year", "meat_meals_week",
                  "clothes_items_year", "electronics_year" })
    T.near(r.savings[1].saves.co2e, 833.3); T.near(r.savings[2].saves.co2e, 772.5666666666667)
    T.near(r.savings[4].saves.co2e, 438.75); T.near(r.savings[5].saves.co2e, 436.8)
    -- meat to vegetarian also saves water: 182 x (0.15 - 0.05) = 18.2 m3
    T.near(r.savings[5].saves.water, 18.2)
end)

T.case("meter-6 car-pooling outside the household shares the car", function()
    -- One person, diesel, 8000 km, 2 aboard: 8000 x 5.5/100 = 440 L x 3.16 =
    -- 1390.4 kg, household share min(1,2)/2 = 0.5 -> 695.2 kg.  One more
    -- aboard: share 1/3 -> 463.4667, saves 231.7333.
    local r = assert(meter.evaluate({ household_size = 1, car_km_year = 8000, car_fuel = "diesel",
                                      car_passengers = 2 }))
    T.near(item(r, "car").person.co2e, 695.2)
    local s
    for _, x in ipairs(r.savings) do if x.question == "car_passengers" then s = x end end
    T.near(s.saves.co2e, 1390.4 / 2 - 1390.4 / 3)
end)

T.case("meter-7 answers are checked and defaults fill the gaps", function()
    T.fails(function() return meter.evaluate({ car_fuel = "kerosene" }) end, "car_fuel: 'kerosene' is not one of")
    T.fails(function() return meter.evaluate({ household_size = 0 }) end, "household_size: 0 is below 1")
    T.fails(function() return meter.evaluate({ surface_m2 = "big" }) end, "is not a number")
    local r = assert(meter.evaluate({}))
    T.eq(r.answers.heating, "gas"); T.eq(r.household_size, 2)
    -- "" counts as no answer (CSV cells)
    T.eq(assert(meter.evaluate({ heating = "" })).answers.heating, "gas")
end)

T.case("meter-8 a territory's factors change the result", function()
    local F = meter.with_factors({ elec_kgco2e_kwh = 0.16 })
    -- electric car 1700 kWh x 0.16 = 272 kg for a household of 1
    local r = assert(meter.evaluate({ household_size = 1, car_km_year = 10000, car_fuel = "electric",
                                      car_passengers = 1 }, { factors = F }))
    T.near(item(r, "car").person.co2e, 272)
    T.eq(meter.factors.elec_kgco2e_kwh, 0.052, "defaults untouched")
    T.fails(function() meter.with_factors({ elec_kgco2e = 1 }) end, "unknown factor 'elec_kgco2e'")
end)

T.case("meter-9 every factor names its source", function()
    for k in pairs(meter.factors) do
        T.ok(type(meter.sources[k]) == "string" and #meter.sources[k] > 10, "source of " .. k)
    end
end)

T.case("meter-10 the definition's rules give workspace units", function()
    local d = meter.definition()
    T.list(d.resources, { "co2e", "energy_fossil", "water", "land" })
    -- 4445.85 kg -> 4.44585 t; 7862.5 kWh -> 7.8625 MWh; 1500 kg -> 1.5 t
    T.near(d.rules.co2e(A), 4.44585); T.near(d.rules.energy_fossil(A), 7.8625)
    T.near(d.rules.water(A), 98.275); T.near(d.collective.co2e, 1.5)
    for _, q in ipairs(d.questions) do
        T.eq(q.choices, nil, "no field outside the API"); T.eq(q.min, nil)
    end
end)

T.case("meter-11 text lines for a citizen", function()
    local L = meter.lines(assert(meter.evaluate(A)), "en")
    T.eq(L[1], "Your consumption in a year (per person, household of 2)")
    T.eq(L[2], "  Food                   1674 kg CO2e")
    T.ok(L[#L]:find("Keep devices twice as long: 50 kg CO2e less", 1, true), L[#L])
end)

T.case("limits-1 per-person limits and units", function()
    T.eq(limits.per_person("co2e", "kg CO2e"), 2000)
    T.eq(limits.per_person("energy_fossil", "kWh"), 0)
    T.eq(limits.per_person("water"), 500)
    T.fails(function() return limits.per_person("co2e", "m3") end, "cannot convert t CO2e to m3")
    for _, l in ipairs(limits.list) do T.ok(#l.source > 20, l.resource .. " has a source") end
end)

T.case("limits-2 scaled to a territory by population", function()
    -- Mulhouse: 2 t x 110,000 = 220,000 t (as datasets/mulhouse/data/limits.csv);
    -- water 500 x 110,000 = 55,000,000 m3; land 1.6 x 110,000 = 176,000 gha.
    local t = {}
    for _, l in ipairs(limits.for_territory(110000)) do t[l.resource] = l end
    T.near(t.co2e.amount, 220000); T.eq(t.co2e.scope, "territory"); T.eq(t.co2e.horizon, 2050)
    T.near(t.water.amount, 5.5e7); T.near(t.land.amount, 176000); T.eq(t.energy_fossil.amount, 0)
    T.ok(t.co2e.source:find("2 t CO2e × 110000", 1, true), t.co2e.source)
    -- world water 4000 km3 x 110,000 / 8.0e9 = 0.055 km3 = 55,000,000 m3
    local w = limits.scale(limits.get("water", "world"), 110000)
    T.near(w.amount, 0.055); T.near(limits.convert(w.amount, "km3", "m3"), 5.5e7)
end)

T.finish()
