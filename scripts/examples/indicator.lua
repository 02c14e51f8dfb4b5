-- examples/indicator.lua -- define a progress indicator of your own.
--
--   spiral check scripts/examples/indicator.lua    (is it well formed?)
--   spiral run scripts/examples/indicator.lua      (save it in the workspace)
--
-- An indicator is an ordinal ladder in the words people used in the
-- groups, from the worst situation (level 1) to the ideal one.  Copy this
-- file into your territory folder, change the wording, and run it.

local spiral = require "spiral"
local indicators = require "lib.indicators"

local mobility = {
    code = "getting_about",         -- the column name in your survey files
    component = "B02",              -- the taxonomy component it measures
    label_fr = "Pouvoir se déplacer",
    label_en = "Being able to get about",
    levels = {                      -- worst first; 2 to 10 levels
        { fr = "Je ne peux pas sortir de mon quartier", en = "I cannot leave my neighbourhood" },
        { fr = "Me déplacer est difficile et cher", en = "Getting about is hard and costly" },
        { fr = "Je me déplace, avec des difficultés", en = "I get about, with difficulties" },
        { fr = "Je vais où je veux sans peine", en = "I go where I want without trouble" },
        { fr = "Je vais où je veux et j'emmène les autres", en = "I go where I want and take others along" },
    },
    bad_at_most = 2,                -- levels 1 and 2 count as "bad or worse"
}

-- The library's own check (the same rules spiral.def applies).
assert(indicators.check(mobility))

-- Strict: a misspelt field (levles, label_EN...) is an error naming the line.
spiral.def.indicator(mobility)
print("defined " .. mobility.code .. " with " .. #mobility.levels .. " levels")
