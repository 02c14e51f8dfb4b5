-- Endless loops inside coroutines, whose errors resume() would catch (line 3).
while true do
  local co = coroutine.create(function() while true do end end)
  coroutine.resume(co)
end
