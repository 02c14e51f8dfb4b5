-- rawset on the string metatable's view is refused too (line 2).
rawset(getmetatable("").__index, "upper", function() return "pwned" end)
