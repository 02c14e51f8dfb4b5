-- tests/lua/scripts/harness.lua -- a tiny test runner for the Lua tests of
-- scripts/ (run by tests/e2e/scripts.sh under the standalone lua5.4).
--
--   local T = require "harness"
--   T.case("parse splits a full code", function() T.eq(x, y) end)
--   T.finish()    -- prints "N passed, M failed", exits 1 on failure
--
-- A case fails on the first failed check or on any error; the others run.

local T = { passed = 0, failed = 0 }

local function show(v)
    if type(v) == "string" then return string.format("%q", v) end
    return tostring(v)
end

function T.eq(got, want, what)
    if got ~= want then
        error((what or "value") .. ": got " .. show(got) .. ", expected " .. show(want), 2)
    end
end

-- near(got, want[, tol]): equal within tol (default 1e-9, relative to
-- the larger magnitude when that is above 1).
function T.near(got, want, what, tol)
    tol = tol or 1e-9
    local scale = math.max(1, math.abs(want))
    if type(got) ~= "number" or math.abs(got - want) > tol * scale then
        error((what or "value") .. ": got " .. show(got) .. ", expected " .. show(want), 2)
    end
end

function T.ok(cond, what)
    if not cond then error((what or "condition") .. " does not hold", 2) end
end

-- list(got, want, what): two arrays of plain values are equal.
function T.list(got, want, what)
    local g = {}
    for i, v in ipairs(got) do g[i] = show(v) end
    local w = {}
    for i, v in ipairs(want) do w[i] = show(v) end
    local gs, ws = table.concat(g, ", "), table.concat(w, ", ")
    if gs ~= ws then error((what or "list") .. ": got {" .. gs .. "}, expected {" .. ws .. "}", 2) end
end

-- fails(fn, pattern, what): fn raises or returns nil, msg with msg
-- matching the plain text pattern.
function T.fails(fn, text, what)
    local ok, a, b = pcall(fn)
    local msg = ok and (a == nil and b) or (not ok and a) or nil
    if msg == nil then error((what or "call") .. " did not fail", 2) end
    if not tostring(msg):find(text, 1, true) then
        error((what or "call") .. " failed with " .. show(tostring(msg)) .. ", expected text " .. show(text), 2)
    end
end

function T.case(name, fn)
    local ok, err = pcall(fn)
    if ok then
        T.passed = T.passed + 1
        print("ok   " .. name)
    else
        T.failed = T.failed + 1
        print("FAIL " .. name .. ": " .. tostring(err))
    end
end

function T.finish()
    print(T.passed .. " passed, " .. T.failed .. " failed")
    if os.exit then os.exit(T.failed == 0 and 0 or 1) end
    assert(T.failed == 0, "some cases failed")
end

return T
