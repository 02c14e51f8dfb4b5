-- Run after a hostile script: nothing it did may be visible here.
assert(print ~= nil, "print was removed")
assert(string.upper("a") == "A", "string.upper was changed")
assert(("a"):upper() == "A", "the string metatable was changed")
assert(("").pwned == nil, "a field was added to strings")
assert(getmetatable("").__index.upper == string.upper,
       "the string metatable's view was changed")
assert(table.insert ~= nil, "table.insert was removed")
assert(math.pi > 3.14, "math.pi was changed")
assert(os.time ~= nil, "os.time was removed")
assert(coroutine.wrap ~= error, "coroutine.wrap was changed")
assert(leaked_global == nil, "a global leaked from an earlier run")
local spiral = require "spiral"
assert(type(spiral.limits) == "table", "spiral.limits was changed")
assert(spiral.limits.memory == tonumber(arg[1]), "spiral.limits.memory is "
       .. tostring(spiral.limits.memory))
assert(rawget(spiral, "limits") == nil, "rawset reached the spiral proxy")
print("pristine")
