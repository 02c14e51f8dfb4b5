-- tests/lua/ngc_test.lua -- the Lua port of Nos Gestes Climat
-- (scripts/lib/meter/ngc.lua) against the published model: every output of
-- every situation in tests/fixtures/ngc/expected.lua (made by
-- tools/ngc/generate.mjs running publicodes on the model) must agree to
-- 1e-9 relative, and a null of the model must be nil in the port.  Also
-- checks that a misspelt answer is an error naming it.
--
-- No io or os: both modules come through require, so the module path must
-- reach scripts/ ("lib.meter.ngc") and tests/fixtures/ ("ngc.expected").
-- tests/e2e/ngc.sh runs it with lua5.4 and LUA_PATH set accordingly; under
-- spiral, those two folders must be script roots.  Ends with the line
-- "N passed, M failed" and raises an error if any check failed.

local ngc = require "lib.meter.ngc"
local expected = require "ngc.expected"

local NULL = expected.NULL
local TOL = 1e-9
local passed, failed = 0, 0

local function ok(id) passed = passed + 1 end
local function fail(id, msg)
  failed = failed + 1
  print("FAIL " .. id .. ": " .. msg)
end

local function fmt(v)
  if v == nil or v == NULL then return "null" end
  if type(v) == "number" then return string.format("%.17g", v) end
  return tostring(v)
end

-- agree(got, want): same null-ness, and numbers within TOL relative
-- (absolute below 1e-300, where relative is meaningless).
local function agree(got, want)
  if want == NULL then return got == nil end
  if type(got) ~= "number" then return false end
  if got == want then return true end
  local scale = math.max(math.abs(want), math.abs(got))
  if scale < 1e-300 then return true end
  return math.abs(got - want) / scale <= TOL
end

-- Every expected node must be one the port reports (else a NULL could
-- pass by absence).
for tree, spec in pairs(ngc.SUBTREES) do
  local names = {}
  for _, n in ipairs(spec.nodes) do names[n] = true end
  local first = expected.situations[1].outputs[tree]
  if first == nil then
    fail("ngc-0." .. tree, "fixture has no outputs for sub-tree " .. tree)
  else
    for _, pair in ipairs(first) do
      if names[pair[1]] then ok() else fail("ngc-0." .. tree, "port does not report '" .. pair[1] .. "'") end
    end
  end
end

-- The published model's numbers.
for i, s in ipairs(expected.situations) do
  for _, tree in ipairs({ "voiture", "avion", "repas" }) do
    local ran, total, nodes = pcall(ngc.evaluate, s.answers, tree)
    local id = string.format("ngc-1.%d.%s (%s)", i, tree, s.id)
    if not ran then
      fail(id, "error: " .. tostring(total))
    else
      for _, pair in ipairs(s.outputs[tree]) do
        local name, want = pair[1], pair[2]
        local got = nodes[name]
        if name == expected.totals[tree] and got ~= total then
          fail(id, "total " .. fmt(total) .. " differs from node " .. fmt(got))
        elseif agree(got, want) then
          ok()
        else
          fail(id, name .. ": port " .. fmt(got) .. ", model " .. fmt(want))
        end
      end
    end
  end
end

-- Bad answers are errors that name them.
local function expect_error(id, situation, needle)
  local ran, err = pcall(ngc.evaluate, situation, "voiture")
  if ran then
    fail(id, "no error")
  elseif not string.find(tostring(err), needle, 1, true) then
    fail(id, "error lacks '" .. needle .. "': " .. tostring(err))
  else
    ok()
  end
end
expect_error("ngc-2.1", { ["transport . voiture . kms"] = 100 }, "unknown answer 'transport . voiture . kms'")
expect_error("ngc-2.2", { ["transport . voiture . gabarit"] = "énorme" }, "'transport . voiture . gabarit' = 'énorme'")
expect_error("ngc-2.3", { ["transport . voiture . km"] = "100" }, "'transport . voiture . km' must be a number")
expect_error("ngc-2.4", { ["transport . voiture . électrique . recharge à domicile"] = "variable" },
  "unknown answer 'transport . voiture . électrique . recharge à domicile'")
local ran = pcall(ngc.evaluate, {}, "logement")
if ran then fail("ngc-2.5", "unknown sub-tree accepted") else ok() end

-- The sub-tree may also be named by its rule; defaults are the model's.
local t1 = ngc.evaluate({}, "voiture")
local t2 = ngc.evaluate({}, "transport . voiture")
if t1 == t2 and type(t1) == "number" then ok() else fail("ngc-3.1", fmt(t1) .. " vs " .. fmt(t2)) end

print(string.format("%d passed, %d failed", passed, failed))
if failed > 0 then error("ngc: " .. failed .. " checks failed", 0) end
