-- The string metatable is shared by every string of every run (line 2).
getmetatable("").__index.upper = function() return "pwned" end
