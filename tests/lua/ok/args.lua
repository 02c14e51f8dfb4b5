-- Arguments arrive both as the global table arg and as the chunk's `...`.
local first, second = ...
assert(arg[0] ~= nil, "arg[0] is missing")
assert(#arg == 2, "expected two arguments, got " .. #arg)
assert(first == arg[1] and second == arg[2], "... and arg disagree")
print(arg[1], arg[2])
