-- __index calls itself through the metamethod: each level is a C call (line 3).
local t = setmetatable({}, {})
getmetatable(t).__index = function(self, k) return self[k] end
return t.anything
