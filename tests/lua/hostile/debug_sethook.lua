-- The debug library could remove the hook that enforces the limits (line 2).
debug.sethook()
while true do end
