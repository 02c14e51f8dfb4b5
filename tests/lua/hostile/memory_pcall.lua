-- Catches "not enough memory" and carries on (the cap was hit on line 6).
local results = {}
while true do
  local ok = pcall(function()
    local s = "x"
    while true do s = s .. s end
  end)
  results[#results + 1] = ok
end
