-- string.dump would turn functions into bytecode; it is not there, not even
-- through the string metatable (line 4).
assert(("").dump == nil, "string.dump reachable through the string metatable")
return string.dump(function() end)
