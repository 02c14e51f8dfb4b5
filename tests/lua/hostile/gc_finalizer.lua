-- Finalizers run with hooks off, so an endless one could never be stopped
-- (line 3).
setmetatable({}, { __gc = function() while true do end end })
