-- No direct file access (line 2).
local f = io.open("/etc/passwd")
return f:read("a")
