-- A syntax error is reported at its line (line 3).
local x = 1
local y = = 2
