-- examples/meter.lua -- what does one household's way of life use?
--
--   spiral run scripts/examples/meter.lua        (or: lua5.4 with
--   LUA_PATH="scripts/?.lua;scripts/?/init.lua" lua5.4 scripts/examples/meter.lua)
--
-- Answers go in a plain table; any answer left out takes the question's
-- default (see lib/meter.lua M.questions).  The report gives totals per
-- person and per household, the items that weigh most, a comparison with
-- one person's share of the limits, and what changing one answer saves.

local meter = require "lib.meter"

local answers = {
    household_size = 3,
    car_km_year = 12000, car_fuel = "diesel", car_passengers = 1.5,
    flight_hours_year = 6,
    meat_meals_week = 10, vegetarian_meals_week = 4,
    surface_m2 = 85, heating = "oil",
    clothes_items_year = 25, electronics_year = 2,
}

local report = assert(meter.evaluate(answers))
for _, line in ipairs(meter.lines(report, "en")) do print(line) end

-- The numbers themselves, e.g. for a table: kg CO2e per person and for the
-- household (person items times its size: an estimate).
print(string.format("per person %.0f kg, household %.0f kg, collective share %.0f kg",
    report.person.co2e, report.household.co2e, report.collective.co2e))
