-- A message handler that swallows the error, and a loop that retries (line 3).
while true do
  xpcall(function() while true do end end, function() return "ignored" end)
end
