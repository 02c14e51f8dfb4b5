-- Succeeds, but tries to leave traces for the next run (ok/check_pristine.lua).
string.upper = function() return "pwned" end
table.insert = nil
math.pi = 3
os.time = nil
leaked_global = true
coroutine.wrap = error
_G.print = nil
