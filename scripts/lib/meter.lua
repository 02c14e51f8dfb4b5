-- lib/meter.lua -- the default consumption meter ("consomètre").
--
-- A citizen answers a dozen questions on transport, flights, food, housing,
-- goods and services; the meter tells them the resources their way of life
-- uses in a year (greenhouse gases, energy, fossil energy, fresh water,
-- biocapacity), which items weigh most, how that compares with their share
-- of the limits (lib/limits.lua) and what changing one answer to a better
-- alternative would save.  Rules are plain Lua over a table of factors;
-- every factor names its source in M.sources (and in a comment beside it),
-- so a territory can replace a factor without touching a rule.
--
-- Units inside this module are those a person reads: kg CO2e, kWh, m3,
-- gha.  The spiral.def.meter table built by M.definition() converts to the
-- workspace's units (t CO2e, MWh, m3, gha; see datasets/mulhouse resources).
--
-- Person and household: items about the household (car, home) are asked
-- for the household and divided by its size for one person; items about
-- the person (flights, meals, purchases, services) are multiplied by the
-- household size for a household estimate, which assumes the others live
-- alike and is labelled so.  The collective share (public services, about
-- 1.5 t CO2e per person, out of any individual's reach) is shown apart and
-- never counted in what an answer can save.
--
-- The factors are orders of magnitude for France around 2020-2023, good
-- enough to rank items and show savings; check them against their sources
-- before publishing a number.

local limits = require "lib.limits"

local M = {}

M.code = "default"

M.resources = { "co2e", "energy", "energy_fossil", "water", "land" }
M.units = { co2e = "kg CO2e", energy = "kWh", energy_fossil = "kWh", water = "m3", land = "gha" }
M.labels = {
    co2e = { fr = "gaz à effet de serre", en = "greenhouse gases" },
    energy = { fr = "énergie", en = "energy" },
    energy_fossil = { fr = "énergie fossile", en = "fossil energy" },
    water = { fr = "eau douce", en = "fresh water" },
    land = { fr = "biocapacité", en = "biocapacity" },
}
-- Workspace resource code and unit of each meter resource (nil: reported
-- by the meter but with no limit of its own).
M.workspace = {
    co2e = { resource = "co2e", unit = "t CO2e" },
    energy_fossil = { resource = "energy_fossil", unit = "MWh" },
    water = { resource = "water", unit = "m3" },
    land = { resource = "land", unit = "gha" },
}

-- Factors --------------------------------------------------------------

M.factors = {
    -- Car fuel use per 100 km (average French cars on the road).
    car_l_100km = { petrol = 6.5, diesel = 5.5, hybrid = 4.5 },   -- SDES/ADEME: average fleet consumption
    car_electric_kwh_100km = 17,                                  -- ADEME: electric car, 15-20 kWh/100 km at the socket
    fuel_kgco2e_l = { petrol = 2.70, diesel = 3.16 },             -- ADEME Base Carbone: upstream + combustion per litre
    fuel_kwh_l = { petrol = 8.9, diesel = 10.0 },                 -- lower heating values: 32 MJ/L petrol, 36 MJ/L diesel
    elec_kgco2e_kwh = 0.052,                                      -- ADEME Base Carbone: French electricity mix, yearly average
    elec_heating_kgco2e_kwh = 0.079,                              -- ADEME Base Carbone: electricity used for heating (seasonal)
    elec_fossil_share = 0.08,                                     -- RTE Bilan électrique: fossil-fired share of French generation
    -- Flights, per hour in the air.
    flight_kgco2e_h = 150,     -- 800 km/h x 0.187 kg CO2e per passenger-km (ADEME Base Carbone, contrails included)
    flight_kwh_h = 280,        -- 800 km/h x 0.35 kWh of kerosene per passenger-km (about 3.6 L/100 pkm)
    -- Meals (one lunch or dinner).
    meal_kgco2e = { meat = 3.5, vegetarian = 1.1 },   -- Nos Gestes Climat / Agribalyse: red meat 5.51, white meat 1.58 (mean 3.5); vegetarian 1.115
    meal_water_m3 = { meat = 0.15, vegetarian = 0.05 }, -- Mekonnen & Hoekstra 2012: blue water footprint, order of magnitude per meal
    meal_gha = { meat = 0.0025, vegetarian = 0.0004 }, -- Poore & Nemecek 2018 land use (about 25 m2 and 1.5 m2 per meal), cropland/grazing, rounded
    -- Home heating.
    heating_kwh_m2 = 110,      -- CEREN/ADEME: average heating need of French dwellings, kWh per m2 per year
    heating = {                -- per kWh of heat: final energy, kg CO2e per final kWh, fossil share
        gas = { final = 1.0, kgco2e = 0.227, fossil = 1.0 },        -- ADEME Base Carbone: natural gas, upstream + combustion
        oil = { final = 1.0, kgco2e = 0.324, fossil = 1.0 },        -- ADEME Base Carbone: heating oil
        electric = { final = 1.0, kgco2e = 0.079, fossil = 0.08 },  -- electricity for heating (see above)
        heat_pump = { final = 1 / 3, kgco2e = 0.079, fossil = 0.08 }, -- seasonal coefficient of performance 3 (ADEME)
        wood = { final = 1.0, kgco2e = 0.030, fossil = 0.0 },       -- ADEME Base Carbone: logs, biogenic CO2 not counted
        district = { final = 1.0, kgco2e = 0.110, fossil = 0.5 },   -- SNCU: French heat networks, average; half fossil assumed
    },
    domestic_water_l_day = 150,   -- SISPEA/OFB: about 150 L per person per day drawn from the tap
    domestic_consumptive = 0.10,  -- share of tap water not returned to rivers (evaporation, losses), order of magnitude
    -- Goods and services.
    clothes_kgco2e = 10,     -- ADEME Impact CO2: t-shirt about 6 kg, jeans about 25 kg; an average new item taken as 10 kg
    clothes_water_m3 = 1.0,  -- cotton irrigation (Mekonnen & Hoekstra 2011), order of magnitude per item
    electronics_kgco2e = 100, -- ADEME: smartphone 40-85 kg, laptop 150-250 kg; an average device taken as 100 kg
    services_kgco2e_eur = 0.1, -- ADEME monetary ratios: market services about 0.1 kg CO2e per euro
    -- Biocapacity of emissions.
    gha_per_t_co2e = 0.34,   -- Global Footprint Network method: (1 - 0.28 ocean uptake) / 2.68 t CO2 per ha of forest x 1.28 equivalence factor
    -- The collective share, per person.
    collective_kgco2e = 1500, -- Nos Gestes Climat "services sociétaux", DOMAIN.md: about 1.5 t CO2e per person of public services
}

M.sources = {
    car_l_100km = "SDES / ADEME: average fuel use of French private cars (order of magnitude)",
    car_electric_kwh_100km = "ADEME: electric car consumption at the socket, 15-20 kWh/100 km",
    fuel_kgco2e_l = "ADEME Base Carbone: petrol 2.70 and diesel 3.16 kg CO2e per litre, upstream and combustion",
    fuel_kwh_l = "Lower heating values: petrol 32 MJ/L (8.9 kWh), diesel 36 MJ/L (10.0 kWh)",
    elec_kgco2e_kwh = "ADEME Base Carbone: French electricity, yearly average mix, 0.052 kg CO2e/kWh",
    elec_heating_kgco2e_kwh = "ADEME Base Carbone: electricity for heating, 0.079 kg CO2e/kWh",
    elec_fossil_share = "RTE, Bilan électrique: fossil-fired generation about 8 % of French electricity",
    flight_kgco2e_h = "ADEME Base Carbone: about 0.187 kg CO2e per passenger-km with contrails, at 800 km/h",
    flight_kwh_h = "About 3.6 L of kerosene per 100 passenger-km (0.35 kWh/pkm), at 800 km/h",
    meal_kgco2e = "Nos Gestes Climat (Agribalyse): red-meat meal 5.51, white-meat meal 1.58, vegetarian meal 1.115 kg CO2e",
    meal_water_m3 = "Mekonnen & Hoekstra 2012, blue water footprint of farm products: order of magnitude per meal",
    meal_gha = "Poore & Nemecek 2018 (Science), land use per food: about 25 m2 per meat meal, 1.5 m2 per vegetarian meal",
    heating_kwh_m2 = "CEREN / ADEME: average heating need of French dwellings, about 110 kWh/m2 a year",
    heating = "ADEME Base Carbone: gas 0.227, heating oil 0.324, wood logs 0.030 kg CO2e/kWh; SNCU heat networks 0.110; heat pump COP 3",
    domestic_water_l_day = "SISPEA / OFB: domestic water use about 150 L per person per day",
    domestic_consumptive = "Order of magnitude: most tap water returns to rivers after treatment; about 10 % is consumed",
    clothes_kgco2e = "ADEME Impact CO2: t-shirt about 6 kg, jeans about 25 kg CO2e",
    clothes_water_m3 = "Mekonnen & Hoekstra 2011, cotton: order of magnitude per item",
    electronics_kgco2e = "ADEME: smartphone 40-85 kg, laptop 150-250 kg CO2e over its making",
    services_kgco2e_eur = "ADEME monetary ratios: market services about 0.1 kg CO2e per euro",
    gha_per_t_co2e = "Global Footprint Network method: forest sequestration 2.68 t CO2/ha/yr, 28 % ocean uptake, equivalence factor 1.28",
    collective_kgco2e = "Nos Gestes Climat, services sociétaux; DOMAIN.md: about 1.5 t CO2e per person for public services",
}

-- with_factors(overrides) -> M.factors with a territory's own factors in
-- place (a shallow merge: a table given replaces the whole entry).
function M.with_factors(overrides)
    local F = {}
    for k, v in pairs(M.factors) do F[k] = v end
    for k, v in pairs(overrides or {}) do
        if M.factors[k] == nil then error("meter: unknown factor '" .. tostring(k) .. "'", 2) end
        F[k] = v
    end
    return F
end

-- Questions ------------------------------------------------------------

M.questions = {
    { name = "household_size", label_fr = "Combien de personnes vivent dans votre logement ?", label_en = "How many people live in your home?", type = "number", default = 2, min = 1 },
    { name = "car_km_year", label_fr = "Kilomètres parcourus par an avec la ou les voitures du foyer", label_en = "Kilometres a year driven in your household's car(s)", type = "number", default = 0, min = 0 },
    { name = "car_fuel", label_fr = "Carburant de la voiture", label_en = "The car's fuel", type = "choice", default = "petrol", choices = { "petrol", "diesel", "hybrid", "electric" } },
    { name = "car_passengers", label_fr = "Nombre moyen de personnes à bord", label_en = "Average number of people aboard", type = "number", default = 1.4, min = 1 },
    { name = "flight_hours_year", label_fr = "Heures de vol par an", label_en = "Hours of flight a year", type = "number", default = 0, min = 0 },
    { name = "meat_meals_week", label_fr = "Repas avec viande par semaine", label_en = "Meals with meat a week", type = "number", default = 7, min = 0 },
    { name = "vegetarian_meals_week", label_fr = "Repas végétariens par semaine", label_en = "Vegetarian meals a week", type = "number", default = 7, min = 0 },
    { name = "surface_m2", label_fr = "Surface du logement (m²)", label_en = "Floor area of your home (m²)", type = "number", default = 70, min = 0 },
    { name = "heating", label_fr = "Énergie de chauffage", label_en = "Heating energy", type = "choice", default = "gas", choices = { "gas", "oil", "electric", "heat_pump", "wood", "district" } },
    { name = "clothes_items_year", label_fr = "Vêtements neufs achetés par an", label_en = "New clothes bought a year", type = "number", default = 20, min = 0 },
    { name = "electronics_year", label_fr = "Appareils électroniques neufs achetés par an", label_en = "New electronic devices bought a year", type = "number", default = 1, min = 0 },
    { name = "services_eur_month", label_fr = "Dépenses de services par mois (€ : loisirs, assurances, banque…)", label_en = "Spending on services a month (€: leisure, insurance, banking…)", type = "number", default = 100, min = 0 },
}

local question_by_name = {}
for _, q in ipairs(M.questions) do question_by_name[q.name] = q end

-- normalise(answers) -> a complete answer table (defaults for missing
-- answers) or nil, message for an answer of the wrong kind.
function M.normalise(answers, questions)
    local out = {}
    for _, q in ipairs(questions or M.questions) do
        local v = answers[q.name]
        if v == nil or v == "" then v = q.default end
        if q.type == "number" then
            local n = tonumber(v)
            if n == nil then return nil, q.name .. ": '" .. tostring(v) .. "' is not a number" end
            if q.min and n < q.min then return nil, q.name .. ": " .. n .. " is below " .. q.min end
            v = n
        elseif q.type == "choice" then
            local ok = false
            for _, c in ipairs(q.choices) do ok = ok or c == v end
            if not ok then
                return nil, q.name .. ": '" .. tostring(v) .. "' is not one of " .. table.concat(q.choices, ", ")
            end
        end
        out[q.name] = v
    end
    return out
end

-- Items ---------------------------------------------------------------
--
-- Each item returns its use in the meter's units for its scope: the whole
-- household ("household") or one person ("person").  Land always adds the
-- biocapacity needed to absorb the item's emissions.

local function with_land(r, F, direct_gha)
    r.land = (r.co2e or 0) / 1000 * F.gha_per_t_co2e + (direct_gha or 0)
    return r
end

M.items = {
    { name = "car", scope = "household", label_fr = "Voiture", label_en = "Car",
      compute = function(a, F)
          -- The household's share of the car: its members aboard out of all
          -- people aboard (car-pooling with others shares the car).
          local share = math.min(a.household_size, a.car_passengers) / a.car_passengers
          local r
          if a.car_fuel == "electric" then
              local kwh = a.car_km_year * F.car_electric_kwh_100km / 100
              r = { co2e = kwh * F.elec_kgco2e_kwh, energy = kwh, energy_fossil = kwh * F.elec_fossil_share }
          else
              local fuel = a.car_fuel == "diesel" and "diesel" or "petrol"
              local litres = a.car_km_year * F.car_l_100km[a.car_fuel] / 100
              r = { co2e = litres * F.fuel_kgco2e_l[fuel], energy = litres * F.fuel_kwh_l[fuel] }
              r.energy_fossil = r.energy
          end
          for k, v in pairs(r) do r[k] = v * share end
          r.water = 0
          return with_land(r, F)
      end },
    { name = "flights", scope = "person", label_fr = "Avion", label_en = "Flights",
      compute = function(a, F)
          local h = a.flight_hours_year
          return with_land({ co2e = h * F.flight_kgco2e_h, energy = h * F.flight_kwh_h,
                             energy_fossil = h * F.flight_kwh_h, water = 0 }, F)
      end },
    { name = "food", scope = "person", label_fr = "Alimentation", label_en = "Food",
      compute = function(a, F)
          local meat, veg = a.meat_meals_week * 52, a.vegetarian_meals_week * 52
          return with_land({
              co2e = meat * F.meal_kgco2e.meat + veg * F.meal_kgco2e.vegetarian,
              energy = 0, energy_fossil = 0,
              water = meat * F.meal_water_m3.meat + veg * F.meal_water_m3.vegetarian,
          }, F, meat * F.meal_gha.meat + veg * F.meal_gha.vegetarian)
      end },
    { name = "heating", scope = "household", label_fr = "Chauffage du logement", label_en = "Home heating",
      compute = function(a, F)
          local h = F.heating[a.heating]
          local kwh = a.surface_m2 * F.heating_kwh_m2 * h.final
          return with_land({ co2e = kwh * h.kgco2e, energy = kwh, energy_fossil = kwh * h.fossil, water = 0 }, F)
      end },
    { name = "domestic_water", scope = "household", label_fr = "Eau du robinet", label_en = "Tap water",
      compute = function(a, F)
          local m3 = a.household_size * F.domestic_water_l_day * 365 / 1000 * F.domestic_consumptive
          return with_land({ co2e = 0, energy = 0, energy_fossil = 0, water = m3 }, F)
      end },
    { name = "clothes", scope = "person", label_fr = "Vêtements", label_en = "Clothes",
      compute = function(a, F)
          local n = a.clothes_items_year
          return with_land({ co2e = n * F.clothes_kgco2e, energy = 0, energy_fossil = 0, water = n * F.clothes_water_m3 }, F)
      end },
    { name = "electronics", scope = "person", label_fr = "Électronique", label_en = "Electronics",
      compute = function(a, F)
          return with_land({ co2e = a.electronics_year * F.electronics_kgco2e, energy = 0, energy_fossil = 0, water = 0 }, F)
      end },
    { name = "services", scope = "person", label_fr = "Services marchands", label_en = "Market services",
      compute = function(a, F)
          return with_land({ co2e = a.services_eur_month * 12 * F.services_kgco2e_eur, energy = 0, energy_fossil = 0, water = 0 }, F)
      end },
}

-- Better alternatives, one per answer a person can change.  apply gets a
-- copy of the normalised answers and changes it; it returns false when
-- the alternative does not apply (the answer is already the better one).
M.alternatives = {
    { question = "car_km_year", label_fr = "Rouler deux fois moins en voiture (vélo, transports, covoiturage)", label_en = "Drive half as much (bike, public transport, car-sharing)",
      apply = function(a) if a.car_km_year <= 0 then return false end a.car_km_year = a.car_km_year / 2 end },
    { question = "car_fuel", label_fr = "Passer à une voiture électrique", label_en = "Switch to an electric car",
      apply = function(a) if a.car_fuel == "electric" or a.car_km_year <= 0 then return false end a.car_fuel = "electric" end },
    { question = "car_passengers", label_fr = "Prendre une personne de plus à bord", label_en = "Take one more person aboard",
      apply = function(a) if a.car_km_year <= 0 then return false end a.car_passengers = a.car_passengers + 1 end },
    { question = "flight_hours_year", label_fr = "Ne plus prendre l'avion", label_en = "Stop flying",
      apply = function(a) if a.flight_hours_year <= 0 then return false end a.flight_hours_year = 0 end },
    { question = "meat_meals_week", label_fr = "Remplacer la moitié des repas avec viande par des repas végétariens", label_en = "Replace half the meat meals by vegetarian ones",
      apply = function(a)
          if a.meat_meals_week <= 0 then return false end
          local moved = a.meat_meals_week / 2
          a.meat_meals_week = a.meat_meals_week - moved
          a.vegetarian_meals_week = a.vegetarian_meals_week + moved
      end },
    { question = "heating", label_fr = "Chauffer avec une pompe à chaleur", label_en = "Heat with a heat pump",
      apply = function(a) if a.heating == "heat_pump" or a.heating == "wood" then return false end a.heating = "heat_pump" end },
    { question = "clothes_items_year", label_fr = "Acheter deux fois moins de vêtements neufs (occasion, réparation)", label_en = "Buy half as many new clothes (second-hand, mending)",
      apply = function(a) if a.clothes_items_year <= 0 then return false end a.clothes_items_year = a.clothes_items_year / 2 end },
    { question = "electronics_year", label_fr = "Garder ses appareils deux fois plus longtemps", label_en = "Keep devices twice as long",
      apply = function(a) if a.electronics_year <= 0 then return false end a.electronics_year = a.electronics_year / 2 end },
}

-- Evaluation -------------------------------------------------------------

local function zero()
    local t = {}
    for _, r in ipairs(M.resources) do t[r] = 0 end
    return t
end

-- totals(a, F) -> per-item person and household amounts, and their sums.
local function totals(a, F, items)
    local n = a.household_size
    local rows, person, household = {}, zero(), zero()
    for _, it in ipairs(items or M.items) do
        local raw = it.compute(a, F)
        local row = { item = it.name, label_fr = it.label_fr, label_en = it.label_en, scope = it.scope,
                      person = {}, household = {} }
        for _, r in ipairs(M.resources) do
            local v = raw[r] or 0
            if it.scope == "household" then
                row.household[r], row.person[r] = v, v / n
            else
                row.person[r], row.household[r] = v, v * n
            end
            person[r] = person[r] + row.person[r]
            household[r] = household[r] + row.household[r]
        end
        rows[#rows + 1] = row
    end
    return rows, person, household
end

-- A number as people read it: 1 decimal under 10, none above; French
-- decimal comma.
local function fmt(x, lang)
    local s
    if math.abs(x) >= 10 then s = string.format("%.0f", x) else s = string.format("%.1f", x) end
    if lang == "fr" then s = s:gsub("%.", ",") end
    return s
end
M.fmt = fmt

-- evaluate(answers[, opts]) -> report, or nil, message.
--   opts.factors   replaces M.factors (a territory's own), opts.limits the
--                  limit list of lib/limits.lua, opts.items M.items.
-- report = {
--   answers     the normalised answers,
--   household_size,
--   items       per item: { item, label_fr, label_en, scope, person = {r=}, household = {r=} },
--   person      per resource, what one person's own answers use,
--   household   per resource, the household's (person items x size: an estimate),
--   collective  per resource, the per-person share of public services,
--   total       per resource, person + collective (what is compared with limits),
--   breakdown   per resource, items sorted largest first: { item, amount, share },
--   compare     per resource with a limit: { limit, unit, ratio, fr, en },
--   savings     alternatives sorted by CO2e saved: { question, label_fr, label_en, saves = {r=} }
--               (empty when opts.savings is false),
-- }
function M.evaluate(answers, opts)
    opts = opts or {}
    local F = opts.factors or M.factors
    local a, err = M.normalise(answers or {})
    if not a then return nil, err end
    local rows, person, household = totals(a, F, opts.items)
    local rep = { answers = a, household_size = a.household_size, items = rows,
                  person = person, household = household, collective = zero(), total = {},
                  breakdown = {}, compare = {}, savings = {} }
    rep.collective.co2e = F.collective_kgco2e
    rep.collective.land = F.collective_kgco2e / 1000 * F.gha_per_t_co2e
    for _, r in ipairs(M.resources) do
        rep.total[r] = person[r] + rep.collective[r]
        local list = {}
        for _, row in ipairs(rows) do
            if row.person[r] > 0 then
                list[#list + 1] = { item = row.item, label_fr = row.label_fr, label_en = row.label_en,
                                    amount = row.person[r], share = person[r] > 0 and row.person[r] / person[r] or 0 }
            end
        end
        table.sort(list, function(x, y)
            if x.amount ~= y.amount then return x.amount > y.amount end
            return x.item < y.item
        end)
        rep.breakdown[r] = list
    end
    -- Comparison with one person's share of each limit.
    for _, r in ipairs(M.resources) do
        local ws = M.workspace[r]
        local lim = ws and limits.get(ws.resource, "person", opts.limits)
        if lim then
            local amount = (lim.unit == M.units[r]) and lim.amount or assert(limits.convert(lim.amount, lim.unit, M.units[r]))
            local c = { limit = amount, unit = M.units[r] }
            local name_fr, name_en = M.labels[r].fr, M.labels[r].en
            if amount > 0 then
                c.ratio = rep.total[r] / amount
                c.fr = string.format("%s : %s fois votre part (%s %s pour une limite de %s)", name_fr,
                    fmt(c.ratio, "fr"), fmt(rep.total[r], "fr"), M.units[r], fmt(amount, "fr"))
                c.en = string.format("%s: %s times your share (%s %s for a limit of %s)", name_en,
                    fmt(c.ratio, "en"), fmt(rep.total[r], "en"), M.units[r], fmt(amount, "en"))
            else
                c.ratio = rep.total[r] > 0 and math.huge or 0
                c.fr = string.format("%s : %s %s pour une limite de zéro (ressource non renouvelable)",
                    name_fr, fmt(rep.total[r], "fr"), M.units[r])
                c.en = string.format("%s: %s %s for a limit of zero (non-renewable resource)",
                    name_en, fmt(rep.total[r], "en"), M.units[r])
            end
            rep.compare[r] = c
        end
    end
    -- Savings: re-evaluate with one answer changed, per person.  A batch
    -- that never shows them passes opts.savings = false.
    for _, alt in ipairs(opts.savings ~= false and M.alternatives or {}) do
        local b = {}
        for k, v in pairs(a) do b[k] = v end
        if alt.apply(b) ~= false then
            local _, p2 = totals(b, F, opts.items)
            local saves, any = {}, false
            for _, r in ipairs(M.resources) do
                saves[r] = person[r] - p2[r]
                any = any or saves[r] > 1e-9
            end
            if any then
                rep.savings[#rep.savings + 1] = { question = alt.question, label_fr = alt.label_fr,
                                                  label_en = alt.label_en, saves = saves }
            end
        end
    end
    table.sort(rep.savings, function(x, y)
        if x.saves.co2e ~= y.saves.co2e then return x.saves.co2e > y.saves.co2e end
        return x.question < y.question
    end)
    return rep
end

-- pad(s, n): s followed by spaces up to n characters (UTF-8 aware).
local function pad(s, n)
    return s .. string.rep(" ", n - (utf8.len(s) or #s))
end

-- lines(report, lang) -> the report as text lines for a citizen.
function M.lines(rep, lang)
    lang = lang or "fr"
    local L = {}
    local u = M.units
    local t = lang == "fr" and {
        head = "Votre consommation en un an (par personne, foyer de %d)",
        item = "  %s %s %s",
        coll = "  %s %s %s (services publics, hors de votre portée)",
        save = "  %s : %s %s de moins",
        saves = "Ce que vous pourriez économiser :",
    } or {
        head = "Your consumption in a year (per person, household of %d)",
        item = "  %s %s %s",
        coll = "  %s %s %s (public services, out of your reach)",
        save = "  %s: %s %s less",
        saves = "What you could save:",
    }
    L[#L + 1] = string.format(t.head, math.floor(rep.household_size + 0.5))
    for _, b in ipairs(rep.breakdown.co2e) do
        L[#L + 1] = string.format(t.item, pad(b["label_" .. lang], 22), fmt(b.amount, lang), u.co2e)
    end
    L[#L + 1] = string.format(t.coll, pad(lang == "fr" and "Part collective" or "Collective share", 22),
        fmt(rep.collective.co2e, lang), u.co2e)
    for _, r in ipairs(M.resources) do
        if rep.compare[r] then L[#L + 1] = rep.compare[r][lang] end
    end
    L[#L + 1] = t.saves
    for _, s in ipairs(rep.savings) do
        L[#L + 1] = string.format(t.save, s["label_" .. lang], fmt(s.saves.co2e, lang), u.co2e)
    end
    return L
end

-- definition([opts]) -> the table for spiral.def.meter: questions with the
-- fields the definitions API knows, one rule per workspace resource giving
-- one person's own use in the workspace unit, and the collective share.
function M.definition(opts)
    opts = opts or {}
    local F = opts.factors or M.factors
    local def = { code = opts.code or M.code, resources = {}, questions = {}, rules = {}, collective = {} }
    for _, q in ipairs(M.questions) do
        def.questions[#def.questions + 1] = { name = q.name, label_fr = q.label_fr, label_en = q.label_en,
                                              type = q.type, default = q.default }
    end
    for _, r in ipairs(M.resources) do
        local ws = M.workspace[r]
        if ws then
            def.resources[#def.resources + 1] = ws.resource
            def.rules[ws.resource] = function(answers)
                local rep = assert(M.evaluate(answers, opts))
                local v = rep.person[r]
                if ws.unit ~= M.units[r] then v = assert(limits.convert(v, M.units[r], ws.unit)) end
                return v
            end
        end
    end
    def.collective.co2e = assert(limits.convert(F.collective_kgco2e, "kg CO2e", "t CO2e"))
    def.collective.land = F.collective_kgco2e / 1000 * F.gha_per_t_co2e
    return def
end

return M
