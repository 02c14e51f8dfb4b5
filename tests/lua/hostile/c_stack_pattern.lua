-- A pattern whose matcher recurses once per item; the C stack guard stops it.
local subject = string.rep("a", 1000)
return string.match(subject, string.rep("a?", 1000))
