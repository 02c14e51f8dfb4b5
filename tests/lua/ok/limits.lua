-- spiral.limits shows the limits of this run (read-only).
local limits = require("spiral").limits
print(limits.memory, limits.instructions, limits.seconds, limits.rows,
      limits.cells)
local n = 0
for name in pairs(limits) do n = n + 1 end
assert(n == 5, "spiral.limits should list five limits, found " .. n)
