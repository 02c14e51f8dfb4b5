-- pairs() on a proxy must not hand out the real table behind it (line 4).
local spiral = require "spiral"
local _, state = pairs(spiral)
state.limits = nil
