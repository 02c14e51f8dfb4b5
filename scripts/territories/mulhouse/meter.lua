-- territories/mulhouse/meter.lua -- Mulhouse's consumption meter: the
-- default meter (lib/meter.lua) asked with the questions of Mulhouse's own
-- questionnaire, the one of datasets/mulhouse/data/meter.csv.
--
-- `spiral meter` uses this file instead of lib/meter.lua for a workspace
-- whose territory is `mulhouse` (or with --territory-dir pointing here).
-- The questionnaire asks some things in other units than the default
-- meter, so each of its answers is mapped to the default meter's answers
-- below (M.mapping says how, in words; to_default() does it).  Every rule,
-- factor, limit and saving is then the default meter's.
--
--   Mulhouse question       default meter answer
--   car_km_per_week         car_km_year = car_km_per_week x 52
--   flights_per_year        flight_hours_year = flights_per_year x 4
--                           (one flight taken as a return trip of about
--                           2 h each way: an assumption, to check)
--   meat_meals_per_week     meat_meals_week; vegetarian_meals_week = the
--                           rest of the 14 lunches and dinners (never < 0)
--   heating                 heating, "fuel_oil" read as "oil"
--   surface_m2              surface_m2
--   goods_eur_per_month     a "goods" item of the household (below), in
--                           place of the default meter's clothes and
--                           electronics questions (set to 0)
--   car_fuel, car_passengers, services_eur_month, household_size: as in
--                           the default meter (not in the bundled file:
--                           their defaults apply)
--
-- goods_eur_per_month is the household's spending on new goods a month; it
-- becomes CO2e with a monetary ratio (goods_kgco2e_eur).  Its default, 100
-- euros a month, gives the default meter's own default for a household of
-- 2 (20 clothes x 10 kg + 1 device x 100 kg = 300 kg CO2e a person, 600 kg
-- for two; 600 / 0.5 / 12 = 100 euros).  An empty answer takes the
-- question's default, as in every meter.

local base = require "lib.meter"

local M = {}
for _, k in ipairs({ "resources", "units", "labels", "workspace", "factors", "sources",
                     "with_factors", "fmt", "lines", "alternatives" }) do
    M[k] = base[k]
end

M.code = "mulhouse"

-- Constants of the mapping, with their sources.
M.constants = {
    weeks_per_year = 52,
    meals_per_week = 14,       -- lunches and dinners, as the default meter's two meal questions
    hours_per_flight = 4,      -- assumption: a return trip of about 2 h each way (Europe)
    goods_kgco2e_eur = 0.5,    -- order of magnitude of ADEME's monetary ratios for manufactured goods
}
M.constant_sources = {
    weeks_per_year = "calendar",
    meals_per_week = "lib/meter.lua: two meals a day (lunch and dinner), 7 days",
    hours_per_flight = "assumption of this pack: one flight a year = one return trip of about 2 h each way; to check against the questionnaire's wording",
    goods_kgco2e_eur = "ADEME monetary emission ratios, manufactured goods: order of magnitude 0.3 to 1 kg CO2e per euro; 0.5 taken; check before publishing",
}

M.mapping = {
    car_km_per_week = "car_km_year = car_km_per_week x 52",
    flights_per_year = "flight_hours_year = flights_per_year x 4",
    meat_meals_per_week = "meat_meals_week = meat_meals_per_week; vegetarian_meals_week = max(0, 14 - meat_meals_per_week)",
    heating = "heating; fuel_oil = oil",
    surface_m2 = "surface_m2",
    goods_eur_per_month = "goods item: goods_eur_per_month x 12 x 0.5 kg CO2e per euro, for the household; clothes_items_year = electronics_year = 0",
}

local q = {}
for _, bq in ipairs(base.questions) do q[bq.name] = bq end

local heating_choices = {}
for _, c in ipairs(q.heating.choices) do heating_choices[#heating_choices + 1] = c end
heating_choices[#heating_choices + 1] = "fuel_oil"

M.questions = {
    q.household_size,
    { name = "car_km_per_week", label_fr = "Kilomètres parcourus par semaine avec la ou les voitures du foyer",
      label_en = "Kilometres a week driven in your household's car(s)", type = "number", default = 0, min = 0 },
    q.car_fuel,
    q.car_passengers,
    { name = "flights_per_year", label_fr = "Vols (allers-retours) par an", label_en = "Flights (return trips) a year",
      type = "number", default = 0, min = 0 },
    { name = "meat_meals_per_week", label_fr = "Repas avec viande par semaine (sur 14 déjeuners et dîners)",
      label_en = "Meals with meat a week (out of 14 lunches and dinners)", type = "number", default = 7, min = 0 },
    q.surface_m2,
    { name = "heating", label_fr = q.heating.label_fr, label_en = q.heating.label_en, type = "choice",
      default = q.heating.default, choices = heating_choices },
    { name = "goods_eur_per_month", label_fr = "Dépenses du foyer en biens neufs par mois (€)",
      label_en = "Household spending on new goods a month (€)", type = "number", default = 100, min = 0 },
    q.services_eur_month,
}

-- to_default(a) -> the default meter's answers for Mulhouse's normalised
-- answers a.
function M.to_default(a)
    local C = M.constants
    return {
        household_size = a.household_size,
        car_km_year = a.car_km_per_week * C.weeks_per_year,
        car_fuel = a.car_fuel,
        car_passengers = a.car_passengers,
        flight_hours_year = a.flights_per_year * C.hours_per_flight,
        meat_meals_week = a.meat_meals_per_week,
        vegetarian_meals_week = math.max(0, C.meals_per_week - a.meat_meals_per_week),
        surface_m2 = a.surface_m2,
        heating = a.heating == "fuel_oil" and "oil" or a.heating,
        clothes_items_year = 0,
        electronics_year = 0,
        services_eur_month = a.services_eur_month,
    }
end

-- The goods item for a spending of eur a month (household scope).
local function goods_item(eur)
    return { name = "goods", scope = "household", label_fr = "Biens neufs", label_en = "New goods",
             compute = function(_, F)
                 local co2e = eur * 12 * M.constants.goods_kgco2e_eur
                 return { co2e = co2e, energy = 0, energy_fossil = 0, water = 0,
                          land = co2e / 1000 * F.gha_per_t_co2e }
             end }
end

-- evaluate(answers[, opts]) -> the default meter's report for Mulhouse's
-- answers (rep.given holds them, normalised), or nil, message naming the
-- question.
function M.evaluate(answers, opts)
    local a, err = base.normalise(answers or {}, M.questions)
    if not a then return nil, err end
    local o = {}
    for k, v in pairs(opts or {}) do o[k] = v end
    local items = {}
    for _, it in ipairs(o.items or base.items) do items[#items + 1] = it end
    items[#items + 1] = goods_item(a.goods_eur_per_month)
    o.items = items
    local rep, err2 = base.evaluate(M.to_default(a), o)
    if not rep then return nil, err2 end
    rep.given = a
    return rep
end

return M
