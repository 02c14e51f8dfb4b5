-- The globals are exactly the allow-list of docs/sandbox.md.
local expected = {
  assert = "function", error = "function", ipairs = "function",
  next = "function", pairs = "function", pcall = "function",
  xpcall = "function", print = "function", rawequal = "function",
  rawget = "function", rawlen = "function", rawset = "function",
  select = "function", tonumber = "function", tostring = "function",
  type = "function", setmetatable = "function", getmetatable = "function",
  load = "function", collectgarbage = "function", require = "function",
  _VERSION = "string", _G = "table", arg = "table",
  string = "table", table = "table", math = "table", utf8 = "table",
  coroutine = "table", os = "table",
}
for name, value in pairs(_G) do
  assert(expected[name], "unexpected global " .. tostring(name))
  assert(type(value) == expected[name], "global " .. name .. " is a " .. type(value))
end
for name in pairs(expected) do
  assert(_G[name] ~= nil, "missing global " .. name)
end
local os_expected = { clock = true, date = true, difftime = true, time = true }
for name in pairs(os) do
  assert(os_expected[name], "unexpected os." .. name)
end
assert(string.dump == nil, "string.dump is there")
assert(_VERSION == "Lua 5.4", _VERSION)
print("allow-list holds")
