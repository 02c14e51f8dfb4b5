-- lib/structure.lua -- the SPIRAL structure as versioned data.
--
-- What a territory needs before it can code a criterion or route a life
-- project: the taxonomy of well-being components (families A-H of the 2013
-- "8 families" version), the grammar of criterion codes
-- (OBJECT/SENSE/BENEFICIARY, e.g. A01-11/P15/k) with their roll-up by
-- prefix, and the coordination groups of annex 2 of the Mulhouse plan.
-- Everything here is plain data and pure functions: it runs under the
-- standalone lua5.4 interpreter as well as inside `spiral run`, and a
-- territory pack passes the tables to spiral.def.* itself.
--
-- Only families A and B and their listed components are confirmed by a
-- source (DOMAIN.md); the names of C-H, their components and every
-- sub-object are placeholders marked provisional = true.  A territory that
-- has the real list loads its own taxonomy instead (see
-- docs/territory-packs.md).

local M = {}

-- The taxonomy ------------------------------------------------------------

-- Nodes carry exactly the fields spiral.def.taxonomy accepts; the level and
-- the parent follow from the code (see M.level and M.parent).
local function node(code, fr, en, provisional)
    return { code = code, label_fr = fr, label_en = en, provisional = provisional }
end

M.taxonomy = {
    name = "spiral",
    version = "2013-8",
    nodes = {
        node("A", "Accès aux moyens de vie", "Access to means of living", false),
        node("A01", "Alimentation", "Food", false),
        node("A01-01", "Qualité de l'alimentation", "Quality of food", true),
        node("A02", "Soins de santé", "Health care", false),
        node("A03", "Logement", "Housing", false),
        node("A03-01", "Taille et confort du logement", "Size and comfort of the dwelling", true),
        node("A03-02", "Coût du logement", "Cost of housing", true),
        node("A04", "Habillement", "Clothing", false),
        node("A05", "Éducation, formation", "Education, training", false),
        node("A06", "Emploi", "Employment", false),
        node("A06-01", "Avoir un emploi", "Having a job", true),
        node("A06-02", "Conditions de travail", "Working conditions", true),
        node("A07", "Loisirs, culture, sport", "Leisure, culture, sport", false),
        node("A09", "Services à la personne", "Personal services", false),
        node("A11", "Information", "Information", false),
        node("B", "Cadre de vie", "Living environment", false),
        node("B00", "Cadre de vie en général", "Living environment in general", false),
        node("B02", "Infrastructures de base", "Basic infrastructure", false),
        node("C", "Relations avec et entre les organisations", "Relations with and between organisations", true),
        node("C01", "Relations avec les institutions publiques", "Relations with public institutions", true),
        node("C02", "Relations avec les associations et les entreprises", "Relations with associations and businesses", true),
        node("D", "Relations personnelles", "Personal relations", true),
        node("D01", "Relations familiales", "Family relations", true),
        node("D02", "Relations d'amitié et de voisinage", "Friends and neighbours", true),
        node("E", "Équilibres sociaux", "Social balance", true),
        node("E01", "Équité, justice sociale", "Equity, social justice", true),
        node("E02", "Vivre ensemble, diversité", "Living together, diversity", true),
        node("F", "Équilibre personnel", "Personal balance", true),
        node("F01", "Équilibre physique", "Physical balance", true),
        node("F02", "Équilibre psychique", "Mental balance", true),
        node("F03", "Autonomie", "Autonomy", true),
        node("G", "Sentiments de bien-être ou de mal-être", "Feelings of well-being or ill-being", true),
        node("G01", "Estime de soi, reconnaissance", "Self-esteem, recognition", true),
        node("G02", "Sentiment de sécurité", "Feeling safe", true),
        node("H", "Attitudes et initiatives", "Attitudes and initiatives", true),
        node("H01", "Engagement, responsabilité", "Commitment, responsibility", true),
        node("H02", "Respect, tolérance", "Respect, tolerance", true),
    },
}

-- The criterion code grammar ---------------------------------------------
--
--   CODE        = OBJECT [ "/" SENSE [ "/" BENEFICIARY ] ]
--   OBJECT      = FAMILY [ COMPONENT [ "-" SUBOBJECT ] ]     e.g. A, A01, A01-11
--   FAMILY      = one uppercase letter A-Z
--   COMPONENT   = two digits;  SUBOBJECT = two digits
--   SENSE       = one uppercase letter and 1 or 2 digits        e.g. P15
--   BENEFICIARY = 1 to 3 lowercase letters                      e.g. k
--
-- It is the grammar `spiral import criteria` checks (core/sp_import_kit.c).
-- A shorter object is a more general meaning: A01-11 rolls up to A01,
-- which rolls up to A.

M.levels = { "family", "component", "subobject" }
local level_rank = { family = 1, component = 2, subobject = 3 }

M.grammar = "OBJECT[/SENSE[/BENEFICIARY]], e.g. A01-11/P15/k, where OBJECT is a "
    .. "family letter A-Z, optionally followed by a two-digit component and "
    .. "'-' with a two-digit sub-object (A, A01, A01-11), SENSE an uppercase "
    .. "letter and 1 or 2 digits (P15), BENEFICIARY 1 to 3 lowercase letters (k)"

-- parse(code) -> { object, family, component, subobject, sense, beneficiary }
-- or nil, message.  Absent parts are nil; component and subobject are the
-- full prefixes ("A01", "A01-11"), so they can be looked up directly.
function M.parse(code)
    if type(code) ~= "string" then
        return nil, "criterion code must be a string, got " .. type(code)
    end
    local object, sense, beneficiary, extra = code:match("^([^/]*)/?([^/]*)/?([^/]*)/?(.*)$")
    if object == nil or extra ~= "" or code:find("//", 1, true) or code:sub(-1) == "/" then
        return nil, "'" .. code .. "' is not a criterion code: expected " .. M.grammar
    end
    local r = {}
    local fam, comp, sub = object:match("^(%u)(%d%d)%-(%d%d)$")
    if fam == nil then fam, comp = object:match("^(%u)(%d%d)$") end
    if fam == nil then fam = object:match("^(%u)$") end
    if fam == nil then
        return nil, "'" .. code .. "': object '" .. object .. "' is not "
            .. "a family letter, A01 or A01-11"
    end
    r.object = object
    r.family = fam
    r.component = comp and (fam .. comp) or nil
    r.subobject = sub and (fam .. comp .. "-" .. sub) or nil
    if sense ~= "" then
        if not sense:match("^%u%d%d?$") then
            return nil, "'" .. code .. "': sense '" .. sense .. "' is not an uppercase letter and 1 or 2 digits"
        end
        r.sense = sense
    end
    if beneficiary ~= "" then
        if not beneficiary:match("^%l%l?%l?$") then
            return nil, "'" .. code .. "': beneficiary '" .. beneficiary .. "' is not 1 to 3 lowercase letters"
        end
        r.beneficiary = beneficiary
    end
    return r
end

-- level(code) -> "family" | "component" | "subobject", or nil, message:
-- how specific the object part of a code is.
function M.level(code)
    local p, err = M.parse(code)
    if not p then return nil, err end
    return (p.subobject and "subobject") or (p.component and "component") or "family"
end

-- rollup(code, level) -> the object code at that level ("A", "A01",
-- "A01-11"), or nil, message when the code is not valid or is less
-- specific than the level asked ("A01" has no sub-object).  level is a
-- name of M.levels or its number (1 family, 2 component, 3 sub-object).
function M.rollup(code, level)
    local p, err = M.parse(code)
    if not p then return nil, err end
    local want = level_rank[level] or (math.type(level) == "integer" and level) or nil
    if want == nil or want < 1 or want > 3 then
        return nil, "unknown level '" .. tostring(level) .. "' (family, component or subobject)"
    end
    local v = ({ p.family, p.component, p.subobject })[want]
    if v == nil then
        return nil, "'" .. code .. "' is not coded down to the " .. ({ "family", "component", "sub-object" })[want]
    end
    return v
end

-- parent(code) -> the object one level up, or nil for a family.
function M.parent(code)
    local lvl = M.level(code)
    if lvl == "subobject" then return M.rollup(code, "component") end
    if lvl == "component" then return M.rollup(code, "family") end
    return nil
end

-- count_by(codes, level) -> { [object] = n }, plus the count of codes that
-- could not be rolled up to that level under the key false (uncoded or
-- coded less precisely): counts and shares, never a silent drop.
function M.count_by(codes, level)
    local out = { [false] = 0 }
    for _, c in ipairs(codes) do
        local k = (c ~= nil and c ~= "") and M.rollup(c, level) or nil
        if k then out[k] = (out[k] or 0) + 1 else out[false] = out[false] + 1 end
    end
    return out
end

-- Lookup ------------------------------------------------------------------

-- node(code[, taxonomy]) -> the taxonomy node or nil.
function M.node(code, taxonomy)
    for _, n in ipairs((taxonomy or M.taxonomy).nodes) do
        if n.code == code then return n end
    end
    return nil
end

-- label(code, lang[, taxonomy]) -> the label of the most specific known
-- node on the code's object (falling back up the prefixes), or the code.
function M.label(code, lang, taxonomy)
    local p = M.parse(code)
    if not p then return code end
    for _, k in ipairs({ p.subobject or false, p.component or false, p.family }) do
        local n = k and M.node(k, taxonomy)
        if n then return n["label_" .. (lang or "fr")] or n.label_fr end
    end
    return code
end

-- components([taxonomy]) -> the list of component codes, in taxonomy order.
function M.components(taxonomy)
    local out = {}
    for _, n in ipairs((taxonomy or M.taxonomy).nodes) do
        if M.level(n.code) == "component" then out[#out + 1] = n.code end
    end
    return out
end

-- check(taxonomy) -> true, or nil, message: every code parses, appears
-- once, and has its parent in the taxonomy.
function M.check(taxonomy)
    local seen = {}
    for i, n in ipairs(taxonomy.nodes) do
        local ok, err = M.parse(n.code)
        if not ok then return nil, "node " .. i .. ": " .. err end
        if n.code:find("/", 1, true) then return nil, "node " .. i .. ": '" .. n.code .. "' is not an object code" end
        if seen[n.code] then return nil, "node " .. i .. ": '" .. n.code .. "' appears twice" end
        seen[n.code] = true
        local parent = M.parent(n.code)
        if parent and not seen[parent] then
            return nil, "node " .. i .. ": '" .. n.code .. "' comes before its parent '" .. parent .. "'"
        end
    end
    return true
end

-- The coordination groups (annex 2 of the plan) ---------------------------
--
-- Codes are the theme words the self-survey files use for life projects
-- (datasets/mulhouse: "job:employment", "hours=4:ageing", "money=20:fund").
-- ref is the plan's numbering, as action files tag problématiques
-- (vie-1 ... vie-10, relations-1 ... relations-4, ressources-1 ... 5).
-- kind is the coordination_group.kind of the workspace schema.

local function group(code, kind, ref, fr, en)
    return { code = code, kind = kind, ref = ref, label_fr = fr, label_en = en }
end

M.groups = {
    group("childhood", "life_slice", "vie-1", "Enfance, éducation : préparation à la vie", "Childhood and education: preparing for life"),
    group("youth", "life_slice", "vie-2", "Jeunesse : projection dans la vie", "Youth: looking ahead to life"),
    group("employment", "life_slice", "vie-3", "Emplois et vie productive", "Employment and productive life"),
    group("citizenship", "life_slice", "vie-4", "Consommation, participation et vie citoyenne/politique", "Consumption, participation and civic/political life"),
    group("family", "life_slice", "vie-5", "Construction d'une famille et vie familiale/parentale", "Building a family, family and parental life"),
    group("training", "life_slice", "vie-6", "Formation et renouvellement tout au long de la vie", "Training and renewal throughout life"),
    group("ageing", "life_slice", "vie-7", "Personnes âgées, retraites et transmission des savoirs", "Older people, retirement and passing on knowledge"),
    group("culture", "life_slice", "vie-8", "Culture, arts, sports et temps de loisirs/détente/créativité", "Culture, arts, sports, leisure and creativity"),
    group("health", "life_slice", "vie-9", "Maladies/santé et reconstitution de son bien-être physique et/ou mental", "Illness and health: rebuilding physical and mental well-being"),
    group("reintegration", "life_slice", "vie-10", "Réinsertion et reconstitution de son bien-être social", "Reintegration and rebuilding social well-being"),
    group("gender", "relation", "relations-1", "Genre", "Gender"),
    group("generations", "relation", "relations-2", "Rapports intergénérationnels", "Between generations"),
    group("cultures", "relation", "relations-3", "Interculturalité", "Between cultures"),
    group("solidarity", "relation", "relations-4", "Dialogue et échanges entre personnes favorisées et défavorisées", "Between the favoured and the disadvantaged"),
    group("energy", "resource", "ressources-1", "La reconversion énergétique", "Energy transition"),
    group("space", "resource", "ressources-2", "Gestion de l'espace, des ressources naturelles locales et de l'immobilier", "Space, local natural resources and buildings"),
    group("time", "resource", "ressources-3", "Gestion du temps (temps volontaire, banque du temps)", "Time (volunteer time, time bank)"),
    group("money", "resource", "ressources-4", "Gestion des ressources financières (fonds, monnaies locales)", "Money (co-responsibility fund, local currencies)"),
    group("information", "resource", "ressources-5", "Information et communication", "Information and communication"),
}

-- The city-level group: every quarter it makes the synthesis of the
-- groups' plans and decides the use of the fund and of donated time.
M.city_group = group("city", "city", "ville", "Groupe de coordination de la ville", "City coordination group")

-- Words people also use for a group's theme; routing maps them to codes.
M.group_aliases = { fund = "money", fonds = "money", temps = "time", jeunesse = "youth" }

-- slug(name) -> a code-safe lowercase ASCII form of a place name.
local accents = {
    ["à"] = "a", ["â"] = "a", ["ä"] = "a", ["ç"] = "c", ["é"] = "e", ["è"] = "e",
    ["ê"] = "e", ["ë"] = "e", ["î"] = "i", ["ï"] = "i", ["ô"] = "o", ["ö"] = "o",
    ["ù"] = "u", ["û"] = "u", ["ü"] = "u", ["ÿ"] = "y", ["œ"] = "oe", ["æ"] = "ae",
    ["À"] = "a", ["Â"] = "a", ["Ç"] = "c", ["É"] = "e", ["È"] = "e", ["Ê"] = "e",
    ["Î"] = "i", ["Ô"] = "o", ["Œ"] = "oe", ["Ù"] = "u", ["Û"] = "u", ["Ü"] = "u",
}
function M.slug(name)
    local s = name:gsub("[\xC3\xC5][\x80-\xBF]", accents):lower()
    s = s:gsub("[^%w]+", "-"):gsub("^%-+", ""):gsub("%-+$", "")
    return s
end

-- neighbourhood_group(name) -> the coordination group of one neighbourhood.
function M.neighbourhood_group(name)
    return group("quartier-" .. M.slug(name), "neighbourhood", nil,
        "Groupe du quartier " .. name, name .. " neighbourhood group")
end

-- all_groups(neighbourhoods) -> the 19 thematic groups, one group per
-- neighbourhood name given, and the city group, in that order.
function M.all_groups(neighbourhoods)
    local out = {}
    for _, g in ipairs(M.groups) do out[#out + 1] = g end
    for _, name in ipairs(neighbourhoods or {}) do out[#out + 1] = M.neighbourhood_group(name) end
    out[#out + 1] = M.city_group
    return out
end

-- group(code) -> the thematic or city group with that code (aliases too).
function M.group(code)
    code = M.group_aliases[code] or code
    if code == M.city_group.code then return M.city_group end
    for _, g in ipairs(M.groups) do
        if g.code == code then return g end
    end
    return nil
end

return M
