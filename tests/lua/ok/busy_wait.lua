-- Busy for arg[1] seconds of processor time (default 1.5): passes or not
-- depending on the time limit of the run.
local seconds = tonumber(arg[1]) or 1.5
local start = os.clock()
local spins = 0
while os.clock() - start < seconds do spins = spins + 1 end
print("done")
