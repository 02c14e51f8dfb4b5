-- Unbounded Lua recursion: Lua's own stack limit stops it (line 3).
local function down(n)
  return 1 + down(n + 1)
end
return down(1)
