-- lib/limits.lua -- default reference limits of resource use, with sources.
--
-- The plan's "reference table of limits" (section V.D): per person and per
-- year, what stays within the renewal capacity of renewable resources, and
-- zero for non-renewable ones (pact, commitment 8).  Every figure names its
-- source; the figures are defaults to check against those sources before
-- real use, and a territory replaces them in its pack.  Each entry has
-- exactly the fields of spiral.def.limit; the extra facts (range, current
-- French average) are in M.notes.  M.for_territory() scales per-person and
-- world figures to a territory by population, and M.convert() moves an
-- amount between the units the meter and the limits use.

local M = {}

M.world_population = 8.0e9   -- UN World Population Prospects 2022: 8.0 billion in Nov. 2022

M.resources = {
    { code = "co2e", label_fr = "Gaz à effet de serre", label_en = "Greenhouse gases", unit = "t CO2e", renewable = true },
    { code = "energy_fossil", label_fr = "Énergie d'origine fossile", label_en = "Fossil energy", unit = "MWh", renewable = false },
    { code = "water", label_fr = "Eau douce (usage consommatif)", label_en = "Fresh water (consumptive use)", unit = "m3", renewable = true },
    { code = "land", label_fr = "Biocapacité (empreinte écologique)", label_en = "Biocapacity (ecological footprint)", unit = "gha", renewable = true },
}

M.list = {
    { resource = "co2e", scope = "person", amount = 2, unit = "t CO2e", horizon = 2050,
      source = "Stratégie nationale bas-carbone (France) et ADEME : 2 t CO2e par personne et par an en 2050 (fourchette 1,6 à 2,8 t) / French low-carbon strategy (SNBC) and ADEME: 2 t CO2e per person per year by 2050 (range 1.6-2.8 t)" },
    { resource = "energy_fossil", scope = "person", amount = 0, unit = "MWh", horizon = 2050,
      source = "Plan d'action de Mulhouse 2013, pacte territorial : aucune utilisation de ressources non renouvelables / Mulhouse action plan 2013, territorial pact: zero use of non-renewable resources" },
    { resource = "water", scope = "person", amount = 500, unit = "m3", horizon = 2050,
      source = "Limite planétaire de l'eau douce, 4 000 km3 par an (Rockström et al. 2009), rapportée à la population mondiale : environ 500 m3 par personne / Planetary boundary for fresh water, 4,000 km3 a year (Rockström et al. 2009), divided by world population: about 500 m3 per person" },
    { resource = "water", scope = "world", amount = 4000, unit = "km3", horizon = 2050,
      source = "Limite planétaire de l'eau douce : 4 000 km3 par an (Rockström et al. 2009) / Planetary boundary for fresh water: 4,000 km3 a year (Rockström et al. 2009)" },
    { resource = "land", scope = "person", amount = 1.6, unit = "gha", horizon = 2050,
      source = "Global Footprint Network : biocapacité de la Terre d'environ 1,6 hectare global par personne / Global Footprint Network: Earth's biocapacity is about 1.6 global hectares per person" },
}

M.notes = {
    co2e = { low = 1.6, high = 2.8, current_fr = 9.0, public_services = 1.5,
             source = "ADEME / Nos Gestes Climat: French average about 9 t CO2e per person, of which about 1.5 t is public services out of an individual's reach" },
    land = { humanity_earths = 1.7, source = "Global Footprint Network: humanity uses about 1.7 Earths" },
    water = { source = "4,000 km3 / 8.0e9 persons = 500 m3 per person and per year" },
}

-- Unit conversions: factor[from][to] multiplies an amount in `from`.
local factor = {
    ["t CO2e"] = { ["kg CO2e"] = 1000, ["t CO2e"] = 1 },
    ["kg CO2e"] = { ["t CO2e"] = 0.001, ["kg CO2e"] = 1 },
    ["MWh"] = { ["kWh"] = 1000, ["MWh"] = 1 },
    ["kWh"] = { ["MWh"] = 0.001, ["kWh"] = 1 },
    ["km3"] = { ["m3"] = 1e9, ["km3"] = 1 },
    ["m3"] = { ["km3"] = 1e-9, ["m3"] = 1 },
    ["gha"] = { ["gha"] = 1, ["m2"] = 10000 },
}

-- convert(amount, from, to) -> the amount in `to`, or nil, message.
function M.convert(amount, from, to)
    local f = factor[from] and factor[from][to]
    if f == nil then return nil, "cannot convert " .. tostring(from) .. " to " .. tostring(to) end
    return amount * f
end

-- get(resource, scope[, list]) -> the limit entry, or nil.
function M.get(resource, scope, list)
    for _, l in ipairs(list or M.list) do
        if l.resource == resource and l.scope == (scope or "person") then return l end
    end
    return nil
end

-- per_person(resource, unit[, list]) -> the per-person yearly limit in
-- `unit` (converted), or nil, message.
function M.per_person(resource, unit, list)
    local l = M.get(resource, "person", list)
    if l == nil then return nil, "no per-person limit for " .. resource end
    if unit == nil or unit == l.unit then return l.amount end
    return M.convert(l.amount, l.unit, unit)
end

-- scale(limit, population[, world_population]) -> a new limit of scope
-- "territory" for that population: a per-person amount times the
-- population, a world amount times the territory's share of the world's
-- people (same unit as the per-person figure when one is known).  The
-- source says how it was computed.
function M.scale(limit, population, world_population)
    assert(type(population) == "number" and population > 0, "population must be a positive number")
    local amount, how
    if limit.scope == "person" then
        amount = limit.amount * population
        how = string.format("%s %s × %d", tostring(limit.amount), limit.unit, population)
    elseif limit.scope == "world" then
        local share = population / (world_population or M.world_population)
        amount = limit.amount * share
        how = string.format("%s %s × %d / %.3g", tostring(limit.amount), limit.unit, population,
            world_population or M.world_population)
    else
        error("cannot scale a limit of scope '" .. tostring(limit.scope) .. "'", 2)
    end
    return {
        resource = limit.resource, scope = "territory", amount = amount, unit = limit.unit,
        horizon = limit.horizon,
        source = "Calculé / computed: " .. how .. " (" .. limit.source .. ")",
    }
end

-- for_territory(population[, list]) -> the per-person limits scaled to a
-- territory of that population (world figures are skipped: their
-- per-person form is already in the list).
function M.for_territory(population, list)
    local out = {}
    for _, l in ipairs(list or M.list) do
        if l.scope == "person" then out[#out + 1] = M.scale(l, population) end
    end
    return out
end

return M
