-- An endless loop inside pcall: the stop must not be swallowed (line 3).
local ok, msg = pcall(function()
  while true do end
end)
-- Reaching this line would mean pcall swallowed the stop.
print("escaped", ok, msg)
