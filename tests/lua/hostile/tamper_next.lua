-- next() sees an empty proxy; iterating it gives nothing to tamper with.
local spiral = require "spiral"
assert(next(spiral) == nil, "next() found a field in the proxy")
local names = {}
for name, value in pairs(spiral) do names[#names + 1] = name end
assert(#names >= 1 and spiral.limits ~= nil)
for name, value in pairs(spiral.limits) do
  assert(type(value) == "number")
end
rawset(spiral, "limits", nil)
