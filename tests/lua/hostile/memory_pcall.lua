-- Catches "not enough memory", then runs on without allocating: the cap was
-- hit on line 5 and the run must end there, as a memory stop.
local ok = pcall(function()
  local s = "x"
  while true do s = s .. s end
end)
for i = 1, 1000000 do end  -- far more than the hook's 10000-instruction beat
print("escaped", ok)
while true do end
