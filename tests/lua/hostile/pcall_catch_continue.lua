-- Catches every error and keeps looping, hoping to outlive the stop (line 4).
local caught = 0
while true do
  local ok = pcall(function() for i = 1, 1e12 do end end)
  if not ok then caught = caught + 1; print("caught", caught) end
end
