-- Never ends: the instruction budget or the time limit must stop it (line 3).
local n = 0
while true do n = n + 1 end
