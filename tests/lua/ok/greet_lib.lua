-- A module for require_module.lua: found in a script root, loaded as text.
local M = {}

function M.hello(who)
  return "hello, " .. who
end

return M
