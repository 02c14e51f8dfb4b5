-- Grows a table without end (line 4).
local t = {}
local i = 0
while true do i = i + 1; t[i] = { i, i, i, i } end
