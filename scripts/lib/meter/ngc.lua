-- scripts/lib/meter/ngc.lua -- a port to Lua of three sub-trees of Nos
-- Gestes Climat (ADEME's footprint calculator, whose rules are publicodes):
-- the car (transport . voiture), flights (transport . avion) and meals
-- (alimentation . repas: breakfast, the 14 lunches and dinners, and the
-- local/seasonal bonus).  Constants are data tables keyed by the model's
-- own rule names; each rule of the model is one small function of an
-- evaluation environment.  Plain Lua 5.4 (string, table, math only), so it
-- runs in spiral's sandbox: `local ngc = require "lib.meter.ngc"`.
--
-- Checked against the published model by tests/lua/ngc_test.lua with the
-- numbers of tests/fixtures/ngc/expected.lua (made by tools/ngc/generate.mjs
-- running publicodes on the model).  What is ported and what is not:
-- docs/meter-ngc.md.
--
-- The port keeps publicodes' evaluation rules where the model relies on
-- them: a rule that is not applicable (its own "applicable si" / "non
-- applicable si", or a parent's) is null (nil here); null + x = x,
-- null * x = null, 0 * x = 0; an answer is clamped by the rule's "plancher"
-- and "plafond"; "contexte" re-evaluates a rule with some answers replaced,
-- and only the replacements whose value differs from the current one are
-- applied (as publicodes 1.10 does); "x%" operands are divided by 100 after
-- the product; sums associate from the right.

local M = {}

-- Where every constant and rule below comes from.
M.MODEL = "@incubateur-ademe/nosgestesclimat 4.10.2, public/co2-model.FR-lang.fr.json"
M.ENGINE = "publicodes 1.10.3"

local V = "transport . voiture . "
local A = "transport . avion . "

-- Constants of the model, by rule name.  From nosgestesclimat 4.10.2
-- (co2-model.FR-lang.fr.json); a formula of literals is kept as written.
local K = {
  ["population"] = 68372290,
  ["commun . semaines par an"] = 52,
  ["commun . jours par an"] = 365,
  ["commun . jours par semaine"] = 7,
  ["commun . mix électrique . empreinte carbone"] = 0.0519,   -- kgCO2e/kWh
  ["commun . mix électrique . empreinte eau"] = 0.146,        -- m3/kWh

  -- car: fleet and averages
  [V .. "voyageurs . nombre moyen"] = 1.6,
  [V .. "km annuels moyen . véhicules légers"] = 11634,        -- km
  [V .. "km annuels moyen . VUL"] = 13143,                     -- km
  [V .. "nombre véhicules circulation . véhicules légers"] = 39358421,
  [V .. "nombre véhicules circulation . VUL"] = 6522800,
  [V .. "climatisation . émissions gaz fluorés transport"] = 1138000000, -- kgCO2e
  [V .. "durée de vie en km"] = 230000,
  -- car: fuel consumption estimates, l/100 km
  [V .. "thermique . consommation estimée . petite diesel"] = 3.95 * 1.17,
  [V .. "thermique . consommation estimée . petite essence"] = 5.46 * 1.21,
  [V .. "thermique . consommation estimée . moyenne diesel"] = 4.68 * 1.17,
  [V .. "thermique . consommation estimée . moyenne essence"] = 6.49 * 1.21,
  [V .. "thermique . consommation estimée . VUL diesel"] = 4.7 * 1.17,
  [V .. "thermique . consommation estimée . VUL essence"] = 6.34 * 1.21,
  [V .. "thermique . consommation estimée . berline diesel"] = 6.16 * 1.17,
  [V .. "thermique . consommation estimée . berline essence"] = 7.06 * 1.21,
  [V .. "thermique . consommation estimée . SUV diesel"] = 5.55 * 1.17,
  [V .. "thermique . consommation estimée . SUV essence"] = 9.85 * 1.21,
  -- hybrids: fuel l/100 km, electricity kWh/100 km
  [V .. "hybride . consommation thermique estimée . petite HNR"] = 4.37 * 1.2,
  [V .. "hybride . consommation thermique estimée . petite HR"] = 1 * 4.25,
  [V .. "hybride . consommation thermique estimée . moyenne HNR"] = 4.69 * 1.2,
  [V .. "hybride . consommation thermique estimée . moyenne HR"] = 1 * 4.25,
  [V .. "hybride . consommation thermique estimée . berline HNR"] = 5.4 * 1.2,
  [V .. "hybride . consommation thermique estimée . berline HR"] = 1.27 * 4.25,
  [V .. "hybride . consommation thermique estimée . SUV HNR"] = 5.88 * 1.2,
  [V .. "hybride . consommation thermique estimée . SUV HR"] = 1.52 * 4.25,
  [V .. "hybride rechargeable . consommation elec estimée . petite"] = 13.2 * 1.2,
  [V .. "hybride rechargeable . consommation elec estimée . moyenne"] = 15.9 * 1.2,
  [V .. "hybride rechargeable . consommation elec estimée . berline"] = 17.5 * 1.2,
  [V .. "hybride rechargeable . consommation elec estimée . SUV"] = 20.4 * 1.2,
  -- electric cars, kWh/100 km
  [V .. "électrique . consommation estimée . petite"] = 15.6 * 1.2,
  [V .. "électrique . consommation estimée . moyenne"] = 17.1 * 1.2,
  [V .. "électrique . consommation estimée . VUL"] = 20.6 * 1.2,
  [V .. "électrique . consommation estimée . berline"] = 23.9 * 1.2,
  [V .. "électrique . consommation estimée . SUV"] = 22.3 * 1.2,
  -- masses (kg) and manufacturing factors
  [V .. "gabarit . petite . poids"] = 1400,
  [V .. "gabarit . moyenne . poids"] = 1600,
  [V .. "gabarit . VUL . poids"] = 1600,
  [V .. "gabarit . berline . poids"] = 2000,
  [V .. "gabarit . SUV . poids"] = 2000,
  [V .. "barème construction . barème thermique . empreinte par kg"] = 7.29,
  [V .. "barème construction . barème électrique . empreinte par kg"] = 7.63,
  [V .. "barème construction . barème électrique . empreinte batterie par kWh"] = 142.7,
  [V .. "barème construction . barème hybride . moteur électrique . empreinte"] = 4.43,

  -- flights
  [A .. "vols amortis . amortissement"] = 3,
  [A .. "fréquence trajets"] = 5.6,
  [A .. "proportion trajets perso"] = 0.81,
  [A .. "court courrier . vitesse moyenne"] = 600 / 1.3,                -- km/h
  [A .. "court courrier . empreinte par km . entre 500 et 1000 km"] = 0.22,
  [A .. "court courrier . empreinte par km . entre 1000 et 2000 km"] = 0.18,
  [A .. "court courrier . passagers annuel"] = 21100000,
  [A .. "court courrier . proportions voyageurs français"] = 0.91,
  [A .. "court courrier . passager km total"] = 384000000000 * 0.072,
  [A .. "moyen et long courrier . vitesse moyenne"] = 1350 / 2.5,       -- km/h
  [A .. "moyen et long courrier . empreinte par km . entre 2000 et 5000 km"] = 0.17,
  [A .. "moyen et long courrier . empreinte par km . plus de 5000 km"] = 0.15,
  [A .. "moyen et long courrier . passagers annuel"] = 142400000,
  [A .. "moyen et long courrier . proportion voyageurs français"] = 0.53,
  [A .. "moyen et long courrier . passager km total"] = 384000000000 * (1 - 0.072),

  -- meals: kgCO2e per meal and litres of water per meal
  ["alimentation . plats . végétalien . empreinte carbone"] = 0.54,
  ["alimentation . plats . végétalien . empreinte eau"] = 820,
  ["alimentation . plats . végétarien . empreinte carbone"] = 0.85,
  ["alimentation . plats . végétarien . empreinte eau"] = 725,
  ["alimentation . plats . viande blanche . empreinte carbone"] = 1.65,
  ["alimentation . plats . viande blanche . empreinte eau"] = 996,
  ["alimentation . plats . viande rouge . empreinte carbone"] = 5.01,
  ["alimentation . plats . viande rouge . empreinte eau"] = 1059,
  ["alimentation . plats . poisson gras . empreinte carbone"] = 1.45,
  ["alimentation . plats . poisson gras . empreinte eau"] = 1113,
  ["alimentation . plats . poisson blanc . empreinte carbone"] = 2.22,
  ["alimentation . plats . poisson blanc . empreinte eau"] = 724,
  ["alimentation . petit déjeuner . continental . empreinte carbone"] = 0.32,
  ["alimentation . petit déjeuner . continental . empreinte eau"] = 1250,
  ["alimentation . petit déjeuner . lait vache céréales . empreinte carbone"] = 0.45,
  ["alimentation . petit déjeuner . lait vache céréales . empreinte eau"] = 337,
  ["alimentation . petit déjeuner . lait soja céréales . empreinte carbone"] = 0.29,
  ["alimentation . petit déjeuner . lait soja céréales . empreinte eau"] = 322,
  ["alimentation . petit déjeuner . lait avoine céréales . empreinte carbone"] = 0.31,
  ["alimentation . petit déjeuner . lait avoine céréales . empreinte eau"] = 380,
  ["alimentation . petit déjeuner . britannique . empreinte carbone"] = 1.08,
  ["alimentation . petit déjeuner . britannique . empreinte eau"] = 365,
  ["alimentation . petit déjeuner . végétalien . empreinte carbone"] = 0.38,
  ["alimentation . petit déjeuner . végétalien . empreinte eau"] = 596,
  ["alimentation . de saison . ratio"] = 2.26,
  ["alimentation . de saison . pourcentage de saison"] = 7.3,        -- %
}
M.constants = K

-- Shares of local produce per dish (percent), alimentation . local . part locale.
local LOCAL_SHARE = {
  { "alimentation . plats . végétalien", 12 },
  { "alimentation . plats . végétarien", 8 },
  { "alimentation . plats . viande blanche", 3 },
  { "alimentation . plats . viande rouge", 1 },
  { "alimentation . plats . poisson gras", 5 },
  { "alimentation . plats . poisson blanc", 6 },
  { "alimentation . petit déjeuner . par semaine", 8 },
}
-- "niveau" of local / seasonal consumption, percent.
local LEVEL = { ["oui toujours"] = 100, souvent = 66.6, parfois = 33.3 }

local DISHES = { "végétalien", "végétarien", "viande blanche", "viande rouge",
  "poisson gras", "poisson blanc" }
local DISH_DEFAULT = { ["végétalien"] = 0, ["végétarien"] = 5, ["viande blanche"] = 4,
  ["viande rouge"] = 3, ["poisson gras"] = 2, ["poisson blanc"] = 0 }

---------------------------------------------------------------------------
-- publicodes arithmetic on values that may be null (nil).

local function add(a, b) return (a or 0) + (b or 0) end   -- JS: null + null = 0
local function sub(a, b)
  if a == nil then return nil end
  return a - (b or 0)
end
local function mul(a, b)
  if a == nil then return nil end
  if a == 0 then return a end
  if b == nil then return nil end
  return a * b
end
local function div(a, b)
  if a == nil then return nil end
  if a == 0 then return a end
  if b == nil then return nil end
  if b == 0 then error("ngc: division by zero", 0) end
  return a / b
end
-- a * p where p is a percentage ("12%"): publicodes divides after the product.
local function mulpct(a, p)
  local r = mul(a, p)
  if r == nil then return nil end
  return r / 100
end
local function lt(a, b)
  if a == nil or b == nil then return nil end
  return a < b
end
-- somme [a, b, c] = a + (b + (c + null))
local function sum(list, n)
  local acc = nil
  for i = n, 1, -1 do acc = add(list[i], acc) end
  return acc
end
-- moyenne of applicable values
local function mean(a, b)
  local n = 0
  if a ~= nil then n = n + 1 end
  if b ~= nil then n = n + 1 end
  return div(add(a, add(b, nil)), n)
end
-- arrondi: 0 décimale, as publicodes' Math.round(n + EPSILON)
local function round0(n)
  if n == nil then return nil end
  return math.floor(n + 2.220446049250313e-16 + 0.5) + 0.0
end

---------------------------------------------------------------------------
-- Evaluation environments: the answers in force and a cache of rule values.

local NIL = setmetatable({}, { __tostring = function() return "null" end })
-- A question without default, not answered: publicodes' "undefined".
local UNDEF = setmetatable({}, { __tostring = function() return "undefined" end })
M.UNDEFINED = UNDEF

local RULES = {}   -- name -> { value=, applicable=, question=, default=, floor=, cap=, choices= }
local Env = {}
Env.__index = Env

local function new_env(answers)
  return setmetatable({ answers = answers, cache = {}, live = {} }, Env)
end

local function rule(name)
  local r = RULES[name]
  if r == nil then error("ngc: internal: no rule '" .. name .. "'", 0) end
  return r
end

-- Whether a rule is applicable: its own test, and that of the nearest
-- ancestor that has one (which decides for all its descendants).
local function applicable(e, name)
  local c = e.live[name]
  if c ~= nil then return c end
  local r, ok = RULES[name], true
  if r and r.applicable then ok = r.applicable(e) end
  if ok then
    local p = name
    while true do
      p = p:match("^(.*) %. [^.]*$")
      if p == nil then break end
      local pr = RULES[p]
      if pr and pr.applicable then ok = applicable(e, p); break end
    end
  end
  e.live[name] = ok
  return ok
end

local function compute(e, name)
  local r = rule(name)
  if not applicable(e, name) then return nil end
  local v = e.answers[name]
  if v == NIL then return nil end
  if v == nil then
    if r.question then
      if r.default == nil then return UNDEF end
      v = r.default
      if type(v) == "function" then v = v(e) end
    else
      v = r.value(e)
    end
  end
  if type(v) == "number" then
    if r.floor and v < r.floor then v = r.floor end
    if r.cap and v > r.cap then v = r.cap end
  end
  return v
end

-- The value of a rule: a number, a string (a choice), true/false, nil
-- (null: not applicable) or UNDEF (a question with no default, unanswered).
function Env:get(name)
  local c = self.cache[name]
  if c ~= nil then
    if c == NIL then return nil end
    return c
  end
  local v = compute(self, name)
  self.cache[name] = (v == nil) and NIL or v
  return v
end

-- A number, or nil when the rule is null or undefined.
function Env:num(name)
  local v = self:get(name)
  if type(v) ~= "number" then return nil end
  return v
end

function Env:is(name, choice) return self:get(name) == choice end
function Env:defined(name) return self:get(name) ~= UNDEF end

-- contexte: the same answers with some rules replaced.  Replacements are
-- evaluated here (the outer environment); one whose value equals the
-- current value of its rule is dropped, as in publicodes.
function Env:with(ctx)
  local answers = {}
  for k, v in pairs(self.answers) do answers[k] = v end
  for _, pair in ipairs(ctx) do
    local name, rep = pair[1], pair[2]
    if type(rep) == "function" then rep = rep(self) end
    if self:get(name) ~= rep then
      if rep == nil then rep = NIL end
      answers[name] = rep
    end
  end
  return new_env(answers)
end

---------------------------------------------------------------------------
-- Rules.  def(name, fn) is a formula; ask(name, spec) a question (an answer
-- a territory may give); gate(name, applicable) sets an applicability test.

local function def(name, fn, extra)
  local r = { value = fn }
  if extra then for k, v in pairs(extra) do r[k] = v end end
  RULES[name] = r
end
local function ask(name, spec)
  spec.question = true
  RULES[name] = spec
end
local function const(name) def(name, function() return K[name] end) end
for name in pairs(K) do const(name) end

local function carbon(e) return e:is("métrique", "carbone") end

ask("métrique", { choices = { "carbone", "eau" }, default = "carbone" })

-- logement (not ported): the carbon intensity of the electricity used to
-- charge a car.  Without home solar panels the model takes the grid's.
def("logement . électricité . intensité carbone équivalente", function()
  return K["commun . mix électrique . empreinte carbone"] end, { override = "number" })
def("logement . électricité . empreinte eau mix électrique", function()
  return K["commun . mix électrique . empreinte eau"] * 1000 end)
def("logement . électricité . empreinte au kWh", function(e)
  if e:is("métrique", "carbone") then
    return e:num("logement . électricité . intensité carbone équivalente")
  elseif e:is("métrique", "eau") then
    return e:num("logement . électricité . empreinte eau mix électrique")
  end
end)

def("transport", function() return nil end, { applicable = carbon })

--- transport . voiture ----------------------------------------------------

local USER = V .. "utilisateur"
-- owner or regular non-owner: the car's own answers apply
local function drives(e)
  return e:defined(USER) and (e:is(USER, "propriétaire") or e:is(USER, "régulier non propriétaire"))
end
local function not_never(e) return not (e:defined(USER) and e:is(USER, "jamais")) end
local function mot(e, m) return e:is(V .. "motorisation", m) end
local function gab(e) return e:get(V .. "gabarit") end

ask(USER, { choices = { "propriétaire", "régulier non propriétaire", "non régulier", "jamais" } })
ask(V .. "voyageurs", { number = true, default = function() return K[V .. "voyageurs . nombre moyen"] end,
  floor = 1, cap = 9, applicable = not_never })
ask(V .. "km", { number = true, default = function(e) return e:num(V .. "km annuels moyen") end,
  floor = 1, cap = 99999, applicable = not_never })
ask(V .. "motorisation", { choices = { "thermique", "électrique", "hybride non rechargeable",
  "hybride rechargeable" }, default = "thermique", applicable = drives })
ask(V .. "gabarit", { choices = { "petite", "moyenne", "VUL", "berline", "SUV" },
  default = "moyenne", applicable = drives })
ask(V .. "thermique . carburant", { choices = { "gazole B7 ou B10", "essence E5 ou E10",
  "essence E85", "GPL" }, default = "essence E5 ou E10",
  applicable = function(e) return drives(e) and mot(e, "thermique") end })
ask(V .. "thermique . consommation aux 100", { number = true, floor = 1, cap = 30,
  default = function(e) return e:num(V .. "thermique . consommation estimée") end,
  applicable = function(e) return drives(e) and mot(e, "thermique") end })
ask(V .. "électrique . consommation aux 100", { number = true, floor = 1, cap = 30,
  default = function(e) return e:num(V .. "électrique . consommation estimée") end,
  applicable = function(e) return drives(e) and mot(e, "électrique") end })
local BATTERY_DEFAULT = { petite = 44, moyenne = 57, VUL = 57, berline = 89, SUV = 100 }
ask(V .. "barème construction . barème électrique . batterie . capacité", { number = true,
  default = function(e) return BATTERY_DEFAULT[gab(e)] end,
  applicable = function(e) return drives(e) and mot(e, "électrique") end })
-- Applicable only when the household entered its exact energy use in the
-- logement sub-tree, which is not ported: always null here, as in the
-- model for any situation without logement answers.
def(V .. "électrique . recharge à domicile", function() return nil end,
  { applicable = function() return false end })
def(V .. "électrique . recharge à domicile . part", function(e)
  local r = e:get(V .. "électrique . recharge à domicile")
  return ({ ["toujours domicile"] = 1, ["majoritairement domicile"] = 0.85,
    variable = 0.5, ["jamais domicile"] = 0 })[r]
end)

def(V .. "nombre véhicules circulation", function()
  return K[V .. "nombre véhicules circulation . véhicules légers"]
    + K[V .. "nombre véhicules circulation . VUL"]
end)
def(V .. "km annuels moyen", function(e)
  local n = e:num(V .. "nombre véhicules circulation")
  return round0(sum({
    K[V .. "km annuels moyen . véhicules légers"] * K[V .. "nombre véhicules circulation . véhicules légers"] / n,
    K[V .. "km annuels moyen . VUL"] * K[V .. "nombre véhicules circulation . VUL"] / n }, 2))
end)
def(V .. "km annuels moyen réel", function(e)
  return round0(e:num(V .. "km annuels moyen") * e:num(V .. "nombre véhicules circulation") / K["population"])
end)
def(V .. "climatisation", function(e)
  return (K[V .. "climatisation . émissions gaz fluorés transport"] / e:num(V .. "nombre véhicules circulation"))
    / e:num(V .. "km annuels moyen")
end)
def(V .. "entretien", function(e)
  if mot(e, "thermique") then return 0.0067 end
  if mot(e, "hybride non rechargeable") or mot(e, "hybride rechargeable") or mot(e, "électrique") then
    return 0.0066
  end
end)
def(V .. "base au kilomètre", function(e)
  return add(e:num(V .. "entretien"), e:num(V .. "climatisation"))
end, { applicable = drives })

-- thermal
local FUEL_SUFFIX = { ["gazole B7 ou B10"] = { "diesel", 1 }, ["essence E5 ou E10"] = { "essence", 1 },
  ["essence E85"] = { "essence", 1.25 }, ["GPL"] = { "essence", 1.15 } }
def(V .. "thermique . consommation estimée", function(e)
  local g, f = gab(e), FUEL_SUFFIX[e:get(V .. "thermique . carburant")]
  if type(g) ~= "string" or f == nil then return nil end
  local base = K[V .. "thermique . consommation estimée . " .. g .. " " .. f[1]]
  if f[2] == 1 then return base end
  return base * f[2]
end)
def(V .. "thermique . empreinte au litre", function(e)
  local c = e:get(V .. "thermique . carburant")
  if c == "gazole B7 ou B10" then return mean(3.1, 3.04) end
  return ({ ["essence E5 ou E10"] = 2.7, ["essence E85"] = 1.11, GPL = 1.86 })[c]
end)
def(V .. "thermique . consommation au kilomètre", function(e)
  return div(e:num(V .. "thermique . consommation aux 100"), 100)
end)
def(V .. "thermique . empreinte au kilomètre", function(e)
  return mul(e:num(V .. "thermique . consommation au kilomètre"), e:num(V .. "thermique . empreinte au litre"))
end)

-- hybrid
local HYBRID = { ["hybride non rechargeable"] = "HNR", ["hybride rechargeable"] = "HR" }
def(V .. "hybride . consommation thermique estimée", function(e)
  local g, h = gab(e), HYBRID[e:get(V .. "motorisation")]
  if type(g) ~= "string" or h == nil then return nil end
  if g == "VUL" then g = "moyenne" end   -- VUL HNR/HR = moyenne HNR/HR
  return K[V .. "hybride . consommation thermique estimée . " .. g .. " " .. h]
end)
def(V .. "hybride rechargeable . consommation elec estimée", function(e)
  local g = gab(e)
  if type(g) ~= "string" then return nil end
  if g == "VUL" then g = "moyenne" end
  return K[V .. "hybride rechargeable . consommation elec estimée . " .. g]
end)
def(V .. "hybride . empreinte thermique au kilomètre", function(e)
  return e:with({ { V .. "motorisation", "thermique" },
    { V .. "thermique . carburant", "gazole B7 ou B10" },
    { V .. "thermique . consommation aux 100",
      function(o) return o:get(V .. "hybride . consommation thermique estimée") end } })
    :num(V .. "thermique . empreinte au kilomètre")
end)
def(V .. "hybride . empreinte électrique au kilomètre", function(e)
  local c = e:with({ { V .. "motorisation", "électrique" },
    { V .. "électrique . consommation aux 100",
      function(o) return o:get(V .. "hybride rechargeable . consommation elec estimée") end } })
  return mul(c:num(V .. "électrique . empreinte au kilomètre"),
    sub(1, c:num(V .. "électrique . recharge à domicile . part")))
end)
def(V .. "hybride . empreinte au kilomètre", function(e)
  if mot(e, "hybride non rechargeable") then
    return e:num(V .. "hybride . empreinte thermique au kilomètre")
  elseif mot(e, "hybride rechargeable") then
    return add(e:num(V .. "hybride . empreinte électrique au kilomètre"),
      e:num(V .. "hybride . empreinte thermique au kilomètre"))
  end
end)

-- electric
def(V .. "électrique . consommation estimée", function(e)
  local g = gab(e)
  if type(g) ~= "string" then return nil end
  return K[V .. "électrique . consommation estimée . " .. g]
end)
def(V .. "électrique . consommation au kilomètre", function(e)
  return div(e:num(V .. "électrique . consommation aux 100"), 100)
end)
def(V .. "électrique . empreinte au kilomètre", function(e)
  return mul(e:num(V .. "électrique . consommation au kilomètre"),
    e:num("logement . électricité . empreinte au kWh"))
end)

-- use
def(V .. "usage au kilomètre calculé", function(e)
  if mot(e, "thermique") then
    return add(e:num(V .. "thermique . empreinte au kilomètre"), e:num(V .. "base au kilomètre"))
  elseif mot(e, "hybride non rechargeable") or mot(e, "hybride rechargeable") then
    return add(e:num(V .. "hybride . empreinte au kilomètre"), e:num(V .. "base au kilomètre"))
  elseif mot(e, "électrique") then
    return add(mul(e:num(V .. "électrique . empreinte au kilomètre"),
      sub(1, e:num(V .. "électrique . recharge à domicile . part"))), e:num(V .. "base au kilomètre"))
  end
end)

-- The average car: a medium petrol car (the ctx of "empreinte moyenne" and
-- "usage au kilomètre moyen"; "non régulier" is a regular non-owner's).
local function average_car(user)
  local inner = { { USER, user }, { V .. "gabarit", "moyenne" }, { V .. "motorisation", "thermique" },
    { V .. "thermique . carburant", "essence E5 ou E10" } }
  return { { USER, user }, { V .. "gabarit", "moyenne" }, { V .. "motorisation", "thermique" },
    { V .. "thermique . carburant", "essence E5 ou E10" },
    { V .. "thermique . consommation aux 100",
      function(o) return o:with(inner):get(V .. "thermique . consommation estimée") end } }
end
local CTX_AVERAGE = average_car("propriétaire")
local CTX_IRREGULAR = average_car("régulier non propriétaire")
local CTX_AVERAGE_FOOTPRINT = { { V .. "voyageurs", function(o) return o:get(V .. "voyageurs . nombre moyen") end },
  { V .. "km", function(o) return o:get(V .. "km annuels moyen réel") end } }
for _, p in ipairs(CTX_AVERAGE) do CTX_AVERAGE_FOOTPRINT[#CTX_AVERAGE_FOOTPRINT + 1] = p end

def(V .. "usage au kilomètre moyen", function(e)
  return e:with(CTX_AVERAGE):num(V .. "usage au kilomètre calculé")
end)
def(V .. "usage au kilomètre non régulier", function(e)
  return e:with(CTX_IRREGULAR):num(V .. "usage au kilomètre calculé")
end)
def(V .. "usage au kilomètre", function(e)
  if e:defined(USER) then
    if e:is(USER, "propriétaire") or e:is(USER, "régulier non propriétaire") then
      return e:num(V .. "usage au kilomètre calculé")
    elseif e:is(USER, "non régulier") then
      return e:num(V .. "usage au kilomètre non régulier")
    end
    return nil
  end
  return e:num(V .. "usage au kilomètre moyen")
end)
def(V .. "usage", function(e)
  return mul(e:num(V .. "usage au kilomètre"), e:num(V .. "km"))
end)

-- manufacturing, spread over the car's life in km
local function weight(e)
  local g = gab(e)
  if type(g) ~= "string" then return nil end
  return e:num(V .. "gabarit . " .. g .. " . poids")
end
local B = V .. "barème construction . "
def(B .. "barème thermique . production", function(e)
  if type(gab(e)) ~= "string" then return nil end
  return mul(K[B .. "barème thermique . empreinte par kg"], weight(e))
end)
def(B .. "barème thermique", function(e) return e:num(B .. "barème thermique . production") end)
def(B .. "barème électrique . production hors batterie", function(e)
  if type(gab(e)) ~= "string" then return nil end
  return mul(K[B .. "barème électrique . empreinte par kg"], weight(e))
end)
def(B .. "barème électrique . batterie", function(e)
  return mul(e:num(B .. "barème électrique . batterie . capacité"),
    K[B .. "barème électrique . empreinte batterie par kWh"])
end)
def(B .. "barème électrique", function(e)
  return add(e:num(B .. "barème électrique . production hors batterie"), e:num(B .. "barème électrique . batterie"))
end)
def(B .. "barème hybride . batterie . capacité", function(e)
  if mot(e, "hybride non rechargeable") then return 3 end
  if mot(e, "hybride rechargeable") then return 22 end
end)
def(B .. "barème hybride . batterie", function(e)
  return mul(e:num(B .. "barème hybride . batterie . capacité"), K[B .. "barème électrique . empreinte batterie par kWh"])
end)
def(B .. "barème hybride . moteur électrique . poids", function(e)
  if mot(e, "hybride non rechargeable") then return 25 end
  if mot(e, "hybride rechargeable") then return 42 end
end)
def(B .. "barème hybride . moteur électrique", function(e)
  return mul(e:num(B .. "barème hybride . moteur électrique . poids"), K[B .. "barème hybride . moteur électrique . empreinte"])
end)
def(B .. "barème hybride", function(e)
  return add(add(e:num(B .. "barème thermique"), e:num(B .. "barème hybride . batterie")),
    e:num(B .. "barème hybride . moteur électrique"))
end)
def(V .. "barème construction", function(e)
  if mot(e, "thermique") then return e:num(B .. "barème thermique") end
  if mot(e, "électrique") then return e:num(B .. "barème électrique") end
  if mot(e, "hybride non rechargeable") or mot(e, "hybride rechargeable") then
    return e:num(B .. "barème hybride")
  end
end)
def(V .. "amortissement", function() return 1 / K[V .. "durée de vie en km"] end)
def(V .. "construction au kilomètre", function(e)
  return mul(e:num(V .. "barème construction"), e:num(V .. "amortissement"))
end)
def(V .. "construction . seuil km", function(e) return e:num(V .. "km annuels moyen") end)
-- An owner driving less than the average still pays for the average's
-- share of manufacturing.  With no user answer, "utilisateur =
-- 'propriétaire'" is undefined in publicodes, and so is the rule when the
-- km are below the threshold (undefined then spreads to empreinte calculée).
def(V .. "construction", function(e)
  local below = lt(e:num(V .. "km"), e:num(V .. "construction . seuil km"))
  if below and not e:defined(USER) then return UNDEF end
  if below and e:is(USER, "propriétaire") then
    return mul(e:num(V .. "construction au kilomètre"), e:num(V .. "construction . seuil km"))
  end
  return mul(e:num(V .. "construction au kilomètre"), e:num(V .. "km"))
end)

def(V .. "empreinte calculée", function(e)
  local c = e:get(V .. "construction")
  if c == UNDEF then return UNDEF end
  return div(add(e:num(V .. "usage"), c), e:num(V .. "voyageurs"))
end)
def(V .. "empreinte moyenne", function(e)
  return e:with(CTX_AVERAGE_FOOTPRINT):num(V .. "empreinte calculée")
end)
def(V .. "empreinte moyenne non régulier", function(e)
  return e:with(CTX_IRREGULAR):num(V .. "empreinte calculée")
end)
def(V .. "empreinte", function(e)
  if not e:defined(USER) then return nil end   -- "undefined" in the model
  if e:is(USER, "propriétaire") or e:is(USER, "régulier non propriétaire") then
    return e:num(V .. "empreinte calculée")
  elseif e:is(USER, "non régulier") then
    return e:num(V .. "empreinte moyenne non régulier")
  end
end)
def("transport . voiture", function(e)
  if e:defined(USER) and e:is(USER, "jamais") then return 0 end
  if e:defined(USER) then return e:num(V .. "empreinte") end
  return e:num(V .. "empreinte moyenne")
end)

--- transport . avion ------------------------------------------------------

local FLYER = A .. "usager"
local function flyer(e, f) return e:defined(FLYER) and e:is(FLYER, f) end
local function frequent(e) return flyer(e, "fréquemment") end
local function occasional(e) return flyer(e, "occasionnellement") end

ask(FLYER, { choices = { "jamais", "occasionnellement", "fréquemment" } })

for _, class in ipairs({ "court courrier", "moyen et long courrier" }) do
  local C = A .. class .. " . "
  local share = class == "court courrier" and C .. "proportions voyageurs français"
    or C .. "proportion voyageurs français"
  def(C .. "empreinte par km", function()
    if class == "court courrier" then
      return mean(K[C .. "empreinte par km . entre 500 et 1000 km"], K[C .. "empreinte par km . entre 1000 et 2000 km"])
    end
    return mean(K[C .. "empreinte par km . entre 2000 et 5000 km"], K[C .. "empreinte par km . plus de 5000 km"])
  end)
  def(C .. "passagers annuel français", function()
    return K[C .. "passagers annuel"] * K[share] / K[A .. "fréquence trajets"]
  end)
  def(C .. "passager km moyen", function(e)
    return K[A .. "proportion trajets perso"] * K[C .. "passager km total"] * K[share]
      / e:num(C .. "passagers annuel français")
  end)
  def(C .. "durée moyenne passager", function(e)
    return e:num(C .. "passager km moyen") / K[C .. "vitesse moyenne"]
  end)
  def(C .. "durée moyenne", function(e)
    return e:num(C .. "durée moyenne passager") * e:num(C .. "passagers annuel français") / K["population"]
  end)
  -- hours flown: per year for frequent flyers, over 3 years for others
  for _, kind in ipairs({ { "vols annuels", frequent }, { "vols amortis", occasional } }) do
    local H = A .. kind[1] .. " . heures " .. class
    ask(H .. " . saisie", { number = true, floor = 0,
      cap = class == "court courrier" and 200 or 600, applicable = kind[2],
      default = function(e) return e:num(C .. "durée moyenne passager") end })
    if kind[1] == "vols annuels" then
      def(H, function(e) return e:num(H .. " . saisie") end)
    else
      def(H, function(e) return div(e:num(H .. " . saisie"), K[A .. "vols amortis . amortissement"]) end)
    end
  end
end
for _, kind in ipairs({ { "vols annuels", frequent }, { "vols amortis", occasional } }) do
  local F = A .. kind[1]
  def(F, function(e)
    local cc, ml = A .. "court courrier . ", A .. "moyen et long courrier . "
    return sum({
      mul(mul(e:num(F .. " . heures court courrier"), e:num(cc .. "empreinte par km")), K[cc .. "vitesse moyenne"]),
      mul(mul(e:num(F .. " . heures moyen et long courrier"), e:num(ml .. "empreinte par km")), K[ml .. "vitesse moyenne"]),
    }, 2)
  end, { applicable = kind[2] })
end
def(A .. "empreinte", function(e)
  if frequent(e) then return e:num(A .. "vols annuels") end
  if occasional(e) then return e:num(A .. "vols amortis") end
  return 0
end)
local CTX_AVERAGE_FLYER = { { FLYER, "fréquemment" },
  { A .. "vols annuels . heures court courrier", function(o) return o:get(A .. "court courrier . durée moyenne") end },
  { A .. "vols annuels . heures moyen et long courrier",
    function(o) return o:get(A .. "moyen et long courrier . durée moyenne") end } }
def(A .. "empreinte moyenne", function(e)
  return e:with(CTX_AVERAGE_FLYER):num(A .. "empreinte")
end)
def("transport . avion", function(e)
  if e:defined(FLYER) then return e:num(A .. "empreinte") end
  return e:num(A .. "empreinte moyenne")
end)

--- alimentation . repas ---------------------------------------------------

local BT = "alimentation . petit déjeuner . type"
local MILK = "alimentation . boisson . type de lait"
ask(BT, { choices = { "continental", "lait céréales", "britannique", "végétalien", "aucun" },
  default = "continental" })
-- Also applicable when hot chocolate is drunk (boisson, not ported): it
-- only matters for the "lait céréales" breakfast, where it is applicable.
ask(MILK, { choices = { "lait de vache", "lait de soja", "lait d'avoine" }, default = "lait de vache",
  applicable = function(e) return e:is(BT, "lait céréales") end })

-- carbon or water, by the metric in force
local function by_metric(e, base)
  if e:is("métrique", "carbone") then return K[base .. " . empreinte carbone"] end
  if e:is("métrique", "eau") then return K[base .. " . empreinte eau"] end
end
local MILK_CEREAL = { ["lait de vache"] = "lait vache céréales", ["lait de soja"] = "lait soja céréales",
  ["lait d'avoine"] = "lait avoine céréales" }
def("alimentation . petit déjeuner", function(e)
  local t = e:get(BT)
  if t == "lait céréales" then
    local m = MILK_CEREAL[e:get(MILK)]
    return m and by_metric(e, "alimentation . petit déjeuner . " .. m)
  elseif t == "continental" or t == "britannique" or t == "végétalien" then
    return by_metric(e, "alimentation . petit déjeuner . " .. t)
  end
  return 0
end)
def("alimentation . petit déjeuner . par jour", function(e) return mul(e:num("alimentation . petit déjeuner"), 1) end)
def("alimentation . petit déjeuner . par semaine", function(e)
  return mul(e:num("alimentation . petit déjeuner . par jour"), K["commun . jours par semaine"])
end)
def("alimentation . petit déjeuner annuel", function(e)
  return mul(e:num("alimentation . petit déjeuner . par jour"), K["commun . jours par an"])
end)

local P = "alimentation . plats . "
local dish_values = {}
for i, d in ipairs(DISHES) do
  ask(P .. d .. " . nombre", { number = true, default = DISH_DEFAULT[d], floor = 0, cap = 21 })
  def(P .. d .. " . empreinte", function(e) return by_metric(e, P .. d) end)
  def(P .. d, function(e) return mul(e:num(P .. d .. " . empreinte"), e:num(P .. d .. " . nombre")) end)
  dish_values[i] = P .. d
end
def("alimentation . plats", function(e)
  local v = {}
  for i, n in ipairs(dish_values) do v[i] = e:num(n) end
  return sum(v, #dish_values)
end)
def("alimentation . déjeuner et dîner", function(e)
  return mul(e:num("alimentation . plats"), K["commun . semaines par an"])
end)

for _, what in ipairs({ "local", "de saison" }) do
  local W = "alimentation . " .. what
  def(W, function() return nil end, { applicable = carbon })
  ask(W .. " . consommation", { choices = { "jamais", "parfois", "souvent", "oui toujours" }, default = "jamais" })
  def(W .. " . niveau", function(e) return LEVEL[e:get(W .. " . consommation")] or 0 end)
end
def("alimentation . local . part locale", function(e)
  local v = {}
  for i, s in ipairs(LOCAL_SHARE) do v[i] = mulpct(e:num(s[1]), s[2]) end
  return sum(v, #LOCAL_SHARE)
end)
def("alimentation . local . part locale annuelle", function(e)
  return mul(e:num("alimentation . local . part locale"), K["commun . semaines par an"])
end)
def("alimentation . local . empreinte", function(e)
  if e:is("alimentation . local . consommation", "jamais") then return 0 end
  return mul(mulpct(-1, e:num("alimentation . local . niveau")), e:num("alimentation . local . part locale annuelle"))
end)
def("alimentation . de saison . facteur de saison", function(e)
  return div(mulpct(-1, e:num("alimentation . de saison . niveau")), K["alimentation . de saison . ratio"])
end)
def("alimentation . de saison . part de saison", function(e)
  return mulpct(add(e:num("alimentation . petit déjeuner annuel"), e:num("alimentation . déjeuner et dîner")),
    K["alimentation . de saison . pourcentage de saison"])
end)
def("alimentation . de saison . empreinte", function(e)
  if e:is("alimentation . de saison . consommation", "jamais") then return 0 end
  return mul(e:num("alimentation . de saison . facteur de saison"), e:num("alimentation . de saison . part de saison"))
end)
def("alimentation . bonus", function(e)
  return sum({ e:num("alimentation . de saison . empreinte"), e:num("alimentation . local . empreinte") }, 2)
end, { applicable = carbon })
def("alimentation . repas", function(e)
  return sum({ e:num("alimentation . petit déjeuner annuel"), e:num("alimentation . déjeuner et dîner"),
    e:num("alimentation . bonus") }, 3)
end)

---------------------------------------------------------------------------
-- Entry points.

-- The sub-trees: their total and the intermediate nodes evaluate returns.
M.SUBTREES = {
  voiture = { total = "transport . voiture", nodes = {
    "transport . voiture", V .. "empreinte moyenne", V .. "empreinte calculée", V .. "usage",
    V .. "usage au kilomètre", V .. "usage au kilomètre calculé", V .. "construction",
    V .. "construction au kilomètre", V .. "barème construction", V .. "km", V .. "voyageurs",
    V .. "base au kilomètre", V .. "climatisation", V .. "km annuels moyen", V .. "km annuels moyen réel",
    V .. "thermique . empreinte au kilomètre", V .. "thermique . consommation aux 100",
    V .. "hybride . empreinte au kilomètre", V .. "électrique . empreinte au kilomètre",
    V .. "électrique . consommation aux 100" } },
  avion = { total = "transport . avion", nodes = {
    "transport . avion", A .. "empreinte", A .. "empreinte moyenne", A .. "vols annuels", A .. "vols amortis",
    A .. "vols annuels . heures court courrier", A .. "vols annuels . heures moyen et long courrier",
    A .. "vols amortis . heures court courrier", A .. "vols amortis . heures moyen et long courrier",
    A .. "court courrier . durée moyenne passager", A .. "moyen et long courrier . durée moyenne passager",
    A .. "court courrier . durée moyenne", A .. "moyen et long courrier . durée moyenne" } },
  repas = { total = "alimentation . repas", nodes = {
    "alimentation . repas", "alimentation . petit déjeuner annuel", "alimentation . déjeuner et dîner",
    "alimentation . plats", P .. "végétalien", P .. "végétarien", P .. "viande blanche", P .. "viande rouge",
    P .. "poisson gras", P .. "poisson blanc", "alimentation . bonus", "alimentation . de saison . empreinte",
    "alimentation . local . empreinte" } },
}

-- The answers a situation may hold: name -> { choices = {...} } or
-- { number = true }, with the model's default (nil: none).  A copy.
function M.answers()
  local out = {}
  for name, r in pairs(RULES) do
    if r.question or r.override then
      local choices
      if r.choices then choices = table.move(r.choices, 1, #r.choices, 1, {}) end
      local d = r.default
      if type(d) == "function" then d = "(computed)" end
      if r.override then d = "(computed)" end
      out[name] = { choices = choices, number = (r.number or r.override == "number") or nil, default = d }
    end
  end
  return out
end

local function check_situation(situation)
  if type(situation) ~= "table" then
    error("ngc: the situation must be a table of answers", 3)
  end
  local answers = {}
  for name, value in pairs(situation) do
    if type(name) ~= "string" then error("ngc: an answer name must be a string", 3) end
    local r = RULES[name]
    if r == nil or not (r.question or r.override) then
      error("ngc: unknown answer '" .. name .. "'", 3)
    end
    if r.choices then
      local ok = false
      for _, c in ipairs(r.choices) do if c == value then ok = true end end
      if not ok then
        error("ngc: answer '" .. name .. "' = '" .. tostring(value) .. "' is not one of: "
          .. table.concat(r.choices, ", "), 3)
      end
    elseif type(value) ~= "number" or value ~= value then
      error("ngc: answer '" .. name .. "' must be a number, not " .. tostring(value), 3)
    end
    answers[name] = value
  end
  return answers
end

-- evaluate(situation, subtree) -> total, nodes
-- situation: answer name (the model's rule name) -> value (a choice string
-- or a number); a missing answer takes the model's default.  An unknown
-- name, a choice not offered or a non-number is an error naming it.
-- subtree: "voiture", "avion" or "repas" (or its rule name).  total is the
-- sub-tree's footprint, kgCO2e per year (litres of water with métrique =
-- "eau" for meals), nil where the model makes it not applicable (transport
-- under the water metric); nodes maps each name of M.SUBTREES[subtree].nodes
-- to its value (absent when not applicable).
function M.evaluate(situation, subtree)
  local tree = M.SUBTREES[subtree]
  if tree == nil then
    for _, t in pairs(M.SUBTREES) do if t.total == subtree then tree = t end end
  end
  if tree == nil then error("ngc: unknown sub-tree '" .. tostring(subtree) .. "'", 2) end
  local e = new_env(check_situation(situation))
  local nodes = {}
  for _, name in ipairs(tree.nodes) do nodes[name] = e:num(name) end
  return e:num(tree.total), nodes
end

-- value(situation, name) -> the value of any ported rule (number, choice
-- string, nil), for explanations and debugging.
function M.value(situation, name)
  if RULES[name] == nil then error("ngc: no ported rule '" .. tostring(name) .. "'", 2) end
  local v = new_env(check_situation(situation)):get(name)
  if v == UNDEF then return nil end
  return v
end

return M
