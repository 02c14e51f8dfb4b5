-- lib/coding.lua -- keyword rules that suggest codes for criteria.
--
-- `spiral criteria suggest` hands every uncoded criterion's text to
-- M.suggest and stores what comes back as a *suggestion*: an analyst
-- accepts or corrects it (`spiral criteria accept`); nothing here ever
-- codes a criterion.  A rule is
--
--   { name = "A03", code = "A03", keywords = { "logement", "housing" },
--     weight = 1 }
--
-- (name defaults to code, weight to 1).  Text and keywords are folded the
-- same way (M.fold: lowercase, accents stripped, "Énergie" -> "energie"),
-- and a keyword matches where a word of the text starts with it ("loyer"
-- matches "loyers"; "ami" does not match "camion").  A rule scores
-- weight x the number of its keywords found; the rules of one code add up.
--
-- The determination key: when the best code is in doubt -- another code
-- scores at least M.doubt (0.75) times the best -- the suggestion is the
-- more general code the candidates in doubt share: their component
-- (A03 and A03-02 -> A03; A03-01 and A03-02 -> A03) or their family
-- (A03 and A06 -> A).  Candidates of different families share nothing:
-- then there is no suggestion, and the analyst decides.
--
-- A territory adds or replaces rules with scripts/territories/<name>/
-- coding.lua (or coding.lua in its --territory-dir) returning
--   { rules = { rule, ... }, doubt = 0.6 }
-- a rule whose name is the name of a default rule replaces it; a rule with
-- `drop = true` removes the default of that name.  Pure Lua: runs under the
-- standalone lua5.4 as well as inside spiral.

local M = {}

M.doubt = 0.75

local function rule(code, keywords, name)
    return { name = name or code, code = code, keywords = keywords }
end

-- Families A-H of lib/structure.lua, French and English keywords.
M.rules = {
    rule("A01", { "alimentation", "manger", "nourriture", "nourrir", "repas", "faim", "cantine",
        "food", "eat", "meal", "hunger" }),
    rule("A02", { "soins", "soigner", "medecin", "docteur", "hopital", "pharmacie",
        "health care", "doctor", "hospital", "nurse" }),
    rule("A03", { "logement", "loger", "appartement", "maison", "toit", "housing", "home",
        "flat", "roof" }),
    rule("A03-01", { "confort", "trop petit", "humidite", "insalubre", "overcrowd", "damp" }),
    rule("A03-02", { "loyer", "charges", "rent" }),
    rule("A04", { "vetement", "habits", "habiller", "chaussures", "clothes", "clothing", "shoes" }),
    rule("A05", { "ecole", "education", "formation", "apprendre", "etudes", "college", "lycee",
        "diplome", "school", "training", "learn", "study" }),
    rule("A06", { "emploi", "travail", "travailler", "boulot", "metier", "job", "work",
        "employment" }),
    rule("A06-01", { "chomage", "chomeur", "trouver un travail", "unemploy" }),
    rule("A06-02", { "conditions de travail", "salaire", "collegues", "working conditions",
        "wage", "salary" }),
    rule("A07", { "loisir", "sport", "culture", "musique", "cinema", "vacances", "jouer",
        "leisure", "music", "holiday", "play" }),
    rule("A09", { "garde d'enfant", "aide a domicile", "creche", "childcare", "home help" }),
    rule("A11", { "information", "s'informer", "internet", "journal", "news" }),
    rule("B00", { "quartier", "cadre de vie", "environnement", "bruit", "proprete", "propre",
        "parc", "espaces verts", "square", "neighbourhood", "noise", "park", "clean" }),
    rule("B02", { "transport", "bus", "tram", "route", "eclairage", "equipement", "trottoir",
        "public transport", "streetlight", "pavement" }),
    rule("C01", { "mairie", "administration", "institution", "services publics", "elus",
        "town hall", "council", "public services" }),
    rule("C02", { "association", "commerce", "entreprise", "magasin", "shop", "business",
        "charity" }),
    rule("D01", { "famille", "parents", "enfants", "family", "children" }),
    rule("D02", { "ami", "amitie", "voisin", "solitude", "seul", "friend", "neighbour",
        "lonely", "loneliness" }),
    rule("E01", { "justice", "egalite", "inegalite", "pauvrete", "discrimination",
        "equality", "inequality", "poverty", "fairness" }),
    rule("E02", { "vivre ensemble", "diversite", "mixite", "living together", "diversity" }),
    rule("F01", { "forme physique", "sommeil", "dormir", "fatigue", "sleep", "fitness", "tired" }),
    rule("F02", { "stress", "depression", "moral", "angoisse", "anxiete", "anxiety", "mental" }),
    rule("F03", { "autonomie", "independance", "autonomy", "independence" }),
    rule("G01", { "reconnaissance", "estime", "fierte", "recognition", "self-esteem", "pride" }),
    rule("G02", { "securite", "peur", "violence", "agression", "insecurite", "safety", "safe",
        "fear" }),
    rule("H01", { "engagement", "benevol", "s'engager", "aider", "entraide", "participer",
        "volunteer", "help", "commitment" }),
    rule("H02", { "respect", "tolerance", "politesse", "tolerant", "polite" }),
}

-- fold(s) -> s in lowercase ASCII where Latin letters lose their accents
-- (UTF-8 U+00C0-U+00FF, Œ, œ, Ÿ; the typographic apostrophe becomes ').
-- Other characters are kept as they are.
local latin = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "x", "o", "u", "u", "u", "u", "y", "th", "ss",
}
local fold_map = {
    ["\xC5\x92"] = "oe", ["\xC5\x93"] = "oe", ["\xC5\xB8"] = "y", ["\xE2\x80\x99"] = "'",
}
for i = 0, 31 do
    fold_map["\xC3" .. string.char(0x80 + i)] = latin[i + 1]
    fold_map["\xC3" .. string.char(0xA0 + i)] = latin[i + 1]
end
fold_map["\xC3\xB7"] = "/"
fold_map["\xC3\xBF"] = "y"

function M.fold(s)
    s = tostring(s or "")
    s = s:gsub("\xE2\x80\x99", "'"):gsub("[\xC3\xC5][\x80-\xBF]", function(c)
        return fold_map[c]
    end)
    return (s:lower())
end

local function escape(s) return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0")) end

-- config([override[, name]]) -> { rules = list, doubt = n }: the default
-- rules with the territory's override (a table as in the file comment)
-- merged in.  Refuses a rule without code or keywords with an error naming
-- the override (name, e.g. the module "territories.x.coding") and the rule.
function M.config(override, name)
    override = override or {}
    local by_name, order = {}, {}
    local function add(r, where)
        if type(r) ~= "table" then error(where .. ": a rule must be a table", 0) end
        local name = r.name or r.code
        if type(name) ~= "string" then error(where .. ": a rule needs a name or a code", 0) end
        if not by_name[name] then order[#order + 1] = name end
        if r.drop then by_name[name] = false return end
        if type(r.code) ~= "string" or type(r.keywords) ~= "table" or #r.keywords == 0 then
            error(where .. ": rule '" .. name .. "' needs a code and a list of keywords", 0)
        end
        local kw = {}
        for i, k in ipairs(r.keywords) do kw[i] = M.fold(k) end
        by_name[name] = { name = name, code = r.code, keywords = kw,
            weight = tonumber(r.weight) or 1 }
    end
    for i, r in ipairs(M.rules) do add(r, "lib/coding.lua rule " .. i) end
    for i, r in ipairs(override.rules or {}) do add(r, (name or "territory") .. ": rule " .. i) end
    local rules = {}
    for _, name in ipairs(order) do
        if by_name[name] then rules[#rules + 1] = by_name[name] end
    end
    return { rules = rules, doubt = tonumber(override.doubt) or M.doubt }
end

-- The object part of a code, split: family, component, sub-object.
local function parts(code)
    local object = code:match("^([^/]*)")
    local fam, comp = object:match("^(%u)(%d%d)")
    fam = fam or object:match("^(%u)")
    return fam, comp and (fam .. comp) or nil, object
end

-- general(codes) -> the most specific object code every code shares
-- (component, else family), or nil when they are of different families.
function M.general(codes)
    local fam, comp = parts(codes[1])
    for i = 2, #codes do
        local f, c = parts(codes[i])
        if f ~= fam then return nil end
        if c ~= comp then comp = nil end
    end
    -- a component alone among its sub-objects is itself the common code
    return comp or fam
end

-- suggest(text, config) -> { code, score, rule, candidates } or nil.
--   code       the suggestion (nil when the candidates in doubt are of
--              different families);
--   score      the score of the code (for a general code, the sum of the
--              candidates it covers);
--   rule       how it was reached: "A03[logement]" for one candidate,
--              "general(A03[logement] A03-02[loyer])" when in doubt, or
--              "doubt(...)" when no code is shared;
--   candidates every code that scored, best first: { code, score, rule }.
function M.suggest(text, config)
    config = config or M.config()
    local t = M.fold(text)
    local by_code, list = {}, {}
    for _, r in ipairs(config.rules) do
        local hits = {}
        for _, k in ipairs(r.keywords) do
            if t:find("%f[%w]" .. escape(k)) then hits[#hits + 1] = k end
        end
        if #hits > 0 then
            local c = by_code[r.code]
            if not c then
                c = { code = r.code, score = 0, hits = {} }
                by_code[r.code] = c
                list[#list + 1] = c
            end
            c.score = c.score + r.weight * #hits
            c.hits[#c.hits + 1] = (r.name ~= r.code and (r.name .. ":") or "") .. table.concat(hits, ",")
        end
    end
    if #list == 0 then return nil end
    table.sort(list, function(a, b)
        if a.score ~= b.score then return a.score > b.score end
        return a.code < b.code
    end)
    local candidates, doubt, codes, total = {}, {}, {}, 0
    for i, c in ipairs(list) do
        candidates[i] = { code = c.code, score = c.score,
            rule = c.code .. "[" .. table.concat(c.hits, ";") .. "]" }
        if c.score >= config.doubt * list[1].score then
            doubt[#doubt + 1] = candidates[i].rule
            codes[#codes + 1] = c.code
            total = total + c.score
        end
    end
    if #codes == 1 then
        return { code = list[1].code, score = list[1].score, rule = candidates[1].rule,
            candidates = candidates }
    end
    local g = M.general(codes)
    return { code = g, score = total,
        rule = (g and "general(" or "doubt(") .. table.concat(doubt, " ") .. ")",
        candidates = candidates }
end

return M
