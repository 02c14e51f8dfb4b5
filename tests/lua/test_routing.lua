-- tests/lua/test_routing.lua -- the pure Lua parts of the coordination
-- groups' workflow under the standalone interpreter: lib/coding.lua (fold,
-- the determination key's "more general code"), lib/routing.lua's match()
-- and lib/allocation.lua.  Run by tests/e2e/routing.sh with
-- LUA_PATH="scripts/?.lua"; prints "ok ID" or "FAIL ID: ..." per case.
-- Expected values are worked out by hand in the comments.

local coding = require "lib.coding"
local routing = require "lib.routing"
local allocation = require "lib.allocation"

local failed = 0
local function check(id, got, want)
    if got == want then
        print("ok   " .. id)
    else
        failed = failed + 1
        print("FAIL " .. id .. ": got " .. tostring(got) .. ", expected " .. tostring(want))
    end
end

-- fold: accents and case, Œ, the typographic apostrophe
check("lua-fold.1", coding.fold("Énergie"), "energie")
check("lua-fold.2", coding.fold("ŒUVRE À l\u{2019}ÉCOLE"), "oeuvre a l'ecole")

-- general: component and sub-object -> component; two components of one
-- family -> the family; two families -> nil
check("lua-general.1", coding.general({ "A03", "A03-02" }), "A03")
check("lua-general.2", coding.general({ "A03-01", "A03-02" }), "A03")
check("lua-general.3", coding.general({ "A03", "A06-01" }), "A")
check("lua-general.4", coding.general({ "A03", "D02" }), nil)

-- suggest: a keyword matches at the start of a word only ("ami" is a D02
-- keyword: "amis" matches, "camion" does not)
local cfg = coding.config()
check("lua-suggest.1", (coding.suggest("Mes amis", cfg) or {}).code, "D02")
check("lua-suggest.2", coding.suggest("Un camion", cfg), nil)
-- "Travail, salaire": A06 (travail) 1, A06-02 (salaire) 1 -> A06, 2
local s = coding.suggest("Travail, salaire", cfg)
check("lua-suggest.3", s.code .. " " .. s.score, "A06 2")
-- a territory drops a default rule by name
local dropped = coding.config({ rules = { { name = "A06-02", drop = true } } })
check("lua-suggest.4", coding.suggest("Travail, salaire", dropped).code, "A06")

-- match: need training served by hours:training first (themed pass), the
-- general hours=2 serves the second training need; housing is not served
-- by money:fund (fund -> money is not a topic of housing).
local needs = { { kind = "training", theme = "" }, { kind = "training", theme = "" },
    { kind = "housing", theme = "" } }
local offers = { { kind = "hours", theme = "" }, { kind = "hours", theme = "training" },
    { kind = "money", theme = "fund" } }
local pairs_, unmet, unused = routing.match(needs, offers)
check("lua-match.1", #pairs_ .. " " .. unmet .. " " .. unused, "2 1 1")
check("lua-match.2", pairs_[1].need .. ":" .. pairs_[1].offer .. " " .. pairs_[2].need .. ":" .. pairs_[2].offer, "1:2 2:1")
-- a territory's kinds: housing served by money
local _, unmet2 = routing.match(needs, offers, { training = { "hours" }, housing = { "money" } })
check("lua-match.3", unmet2, 1)    -- money:fund still not a topic of housing

-- allocation: groups a (unmet 3), b (1), the city (excluded), d (0: no
-- share).  Hours 40: floor 2 each, rest 36: a 2 + 27 = 29 > cap 16 -> 16,
-- excess 13 to b: 2 + 9 + 13 = 24 > 16 -> 16; reserve 40 - 32 = 8.
-- Money 1000: floor 50 each, a 50 + 675 -> 400, b 50 + 225 + 325 -> 400,
-- reserve 200.
local groups = { { code = "a", kind = "life_slice", unmet = 3 }, { code = "b", kind = "relation", unmet = 1 },
    { code = "city", kind = "city", unmet = 5 }, { code = "d", kind = "resource", unmet = 0 } }
local r = allocation.allocate(groups, { hours = 40, money = 1000 })
check("lua-alloc.1", r.resources.hours.shares.a .. " " .. r.resources.hours.shares.b .. " " .. r.resources.hours.reserve, "16.0 16.0 8.0")
check("lua-alloc.2", r.resources.money.shares.a .. " " .. r.resources.money.reserve, "400 200")
check("lua-alloc.3", r.resources.hours.shares.city, nil)
-- without a cap: a 2 + 36 x 3/4 = 29, b 2 + 9 = 11, nothing in reserve
local r2 = allocation.allocate(groups, { hours = 40, money = 0 }, allocation.with({ cap = 1 }))
check("lua-alloc.4", r2.resources.hours.shares.a .. " " .. r2.resources.hours.shares.b .. " " .. r2.resources.hours.reserve, "29.0 11.0 0.0")
check("lua-alloc.5", pcall(allocation.with, { ceiling = 1 }), false)

print(string.format("%d failed", failed))
os.exit(failed == 0 and 0 or 1)
