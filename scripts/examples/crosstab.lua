-- examples/crosstab.lua -- who is "bad or worse" on housing, by neighbourhood?
--
--   spiral run --input datasets/mulhouse/data scripts/examples/crosstab.lua
--
-- Reads the adults' self-survey file from the input folder, derives a
-- variable from an indicator's ladder, and prints a weighted cross-table
-- (counts and percentages; small cells are suppressed, as survey data on
-- vulnerable people is personal).  Change `file`, the indicator and the
-- rows to ask your own question.

local spiral = require "spiral"
local indicators = require "lib.indicators"

local housing = indicators.get("housing")        -- the ladder, bad_at_most = 2

local ds = assert(spiral.survey.dataset{ file = "responses-adults.csv" })

-- A composite variable: "bad or worse" when the level is at or below
-- bad_at_most; nil (missing) when the person did not answer.
ds:composite("housing_bad", { "housing" }, function(level)
    if level == nil then return nil end
    return indicators.is_bad(housing, level) and "bad or worse" or "average or better"
end)

local xt = assert(ds:crosstab{ rows = "neighbourhood", cols = "housing_bad", weight = "weight" })
print(xt:text())
