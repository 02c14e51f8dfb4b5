-- Doubles a string until memory runs out (line 3).
local s = "x"
while true do s = s .. s end
