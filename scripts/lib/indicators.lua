-- lib/indicators.lua -- default progress indicators, one per main component.
--
-- A progress indicator is an ordinal ladder in citizens' words, from the
-- worst situation (level 1) to the ideal one (level 5).  The generic ladder
-- is the one of the SPIRAL sheets: très mauvaise, mauvaise, moyenne, bonne,
-- idéale; where a component has a natural wording ("I often go without a
-- meal" ... "I eat well, varied food, as I like") the ladder says so.  A
-- situation at level bad_at_most (2) or below counts as "bad or worse".
--
-- Codes and labels are those of the bundled Mulhouse data
-- (datasets/mulhouse/data/indicators.csv), so a pack built from this module
-- reads the synthetic survey files as they are.  Each table has exactly the
-- fields of spiral.def.indicator; M.four_levels() derives the four-level
-- variant some sheets use.

local M = {}

M.generic = {
    { fr = "très mauvaise", en = "very bad" },
    { fr = "mauvaise", en = "bad" },
    { fr = "moyenne", en = "average" },
    { fr = "bonne", en = "good" },
    { fr = "idéale", en = "ideal" },
}

M.bad_at_most = 2

-- Specific ladders, worst first, in the words people used in the groups.
local ladders = {
    food = {
        { fr = "Je saute souvent des repas faute de moyens", en = "I often skip meals for lack of money" },
        { fr = "Je mange à ma faim mais mal", en = "I eat enough, but badly" },
        { fr = "Je mange correctement la plupart du temps", en = "I eat properly most of the time" },
        { fr = "Je mange bien et varié", en = "I eat well and varied food" },
        { fr = "Je mange bien, varié, et je partage des repas avec d'autres", en = "I eat well, varied food, and share meals with others" },
    },
    housing = {
        { fr = "Je n'ai pas de logement à moi", en = "I have no home of my own" },
        { fr = "Mon logement est trop petit, insalubre ou trop cher", en = "My home is too small, unhealthy or too expensive" },
        { fr = "Mon logement est correct mais il y a des problèmes", en = "My home is all right but has problems" },
        { fr = "Je me sens bien chez moi", en = "I feel good at home" },
        { fr = "Je me sens bien chez moi et j'y accueille qui je veux", en = "I feel good at home and can welcome whoever I like" },
    },
    employment = {
        { fr = "Je n'ai pas de travail et je n'en trouve pas", en = "I have no job and cannot find one" },
        { fr = "J'ai un travail précaire qui ne me fait pas vivre", en = "I have an insecure job I cannot live on" },
        { fr = "J'ai un travail qui me fait vivre, sans plus", en = "I have a job I can live on, no more" },
        { fr = "J'ai un travail stable qui me plaît", en = "I have a steady job I like" },
        { fr = "Mon travail me fait vivre, me plaît et sert aux autres", en = "My job pays, I like it and it is useful to others" },
    },
    health_care = {
        { fr = "Je renonce à me soigner", en = "I go without care" },
        { fr = "Je me soigne difficilement (coût, attente, distance)", en = "Getting care is hard (cost, waiting, distance)" },
        { fr = "Je suis soigné, avec des difficultés", en = "I get care, with difficulties" },
        { fr = "Je suis bien soigné quand il le faut", en = "I get good care when I need it" },
        { fr = "Je suis bien soigné et écouté", en = "I get good care and am listened to" },
    },
    friends = {
        { fr = "Je suis seul, je ne peux compter sur personne", en = "I am alone, I cannot count on anyone" },
        { fr = "Je vois rarement des amis ou des voisins", en = "I rarely see friends or neighbours" },
        { fr = "J'ai quelques amis ou voisins", en = "I have a few friends or neighbours" },
        { fr = "J'ai des amis et des voisins sur qui compter", en = "I have friends and neighbours to count on" },
        { fr = "Nous nous entraidons souvent entre amis et voisins", en = "Friends and neighbours often help each other" },
    },
    safety = {
        { fr = "J'ai peur chez moi ou dans mon quartier", en = "I am afraid at home or in my neighbourhood" },
        { fr = "J'ai souvent peur dehors", en = "I am often afraid outside" },
        { fr = "J'ai parfois peur", en = "I am sometimes afraid" },
        { fr = "Je me sens en sécurité", en = "I feel safe" },
        { fr = "Je me sens en sécurité partout, de jour comme de nuit", en = "I feel safe everywhere, day and night" },
    },
    commitment = {
        { fr = "Je me sens inutile", en = "I feel useless" },
        { fr = "Je me sens rarement utile", en = "I rarely feel useful" },
        { fr = "Je me sens parfois utile", en = "I sometimes feel useful" },
        { fr = "Je me sens utile à mes proches", en = "I feel useful to the people close to me" },
        { fr = "Je me sens utile à mes proches et à mon quartier", en = "I feel useful to my family, friends and neighbourhood" },
    },
}

-- code, component, label fr, label en; in taxonomy order.
local rows = {
    { "food", "A01", "Pouvoir bien se nourrir", "Being able to eat well" },
    { "health_care", "A02", "Être bien soigné", "Being well cared for" },
    { "housing", "A03", "Avoir un logement où l'on se sent bien", "A home where one feels good" },
    { "clothing", "A04", "Pouvoir s'habiller comme on le souhaite", "Dressing as one wishes" },
    { "education", "A05", "Apprendre et se former", "Learning and training" },
    { "employment", "A06", "Avoir un travail qui fait vivre", "A job one can live on" },
    { "leisure", "A07", "Avoir des loisirs, de la culture, du sport", "Leisure, culture and sport" },
    { "services", "A09", "Trouver de l'aide au quotidien", "Finding help in daily life" },
    { "information", "A11", "Être bien informé", "Being well informed" },
    { "environment", "B00", "Vivre dans un quartier agréable", "Living in a pleasant neighbourhood" },
    { "infrastructure", "B02", "Se déplacer et accéder aux services", "Getting about and reaching services" },
    { "institutions", "C01", "Être écouté par les institutions", "Being listened to by institutions" },
    { "associations", "C02", "Pouvoir compter sur les associations", "Being able to count on associations" },
    { "family", "D01", "S'entendre en famille", "Getting on in the family" },
    { "friends", "D02", "Avoir des amis et des voisins sur qui compter", "Friends and neighbours to count on" },
    { "equity", "E01", "Avoir les mêmes chances que les autres", "Having the same chances as others" },
    { "living_together", "E02", "Bien vivre ensemble", "Living well together" },
    { "body", "F01", "Être en forme", "Feeling fit" },
    { "mind", "F02", "Avoir l'esprit tranquille", "Peace of mind" },
    { "autonomy", "F03", "Décider de sa vie", "Deciding about one's life" },
    { "self_esteem", "G01", "Être reconnu, avoir confiance en soi", "Being recognised, self-confidence" },
    { "safety", "G02", "Se sentir en sécurité", "Feeling safe" },
    { "commitment", "H01", "Se sentir utile aux autres", "Feeling useful to others" },
    { "respect", "H02", "Être respecté", "Being respected" },
}

local function copy_levels(levels)
    local out = {}
    for i, l in ipairs(levels) do out[i] = { fr = l.fr, en = l.en } end
    return out
end

-- list() -> a fresh list of the default indicators (the caller may change
-- them without touching the defaults).
function M.list()
    local out = {}
    for i, r in ipairs(rows) do
        out[i] = {
            code = r[1], component = r[2], label_fr = r[3], label_en = r[4],
            levels = copy_levels(ladders[r[1]] or M.generic),
            bad_at_most = M.bad_at_most,
        }
    end
    return out
end

-- get(code) -> a fresh copy of one default indicator, or nil.
function M.get(code)
    for _, ind in ipairs(M.list()) do
        if ind.code == code then return ind end
    end
    return nil
end

-- four_levels(ind) -> a copy of a five-level indicator without its middle
-- level (very bad, bad, good, ideal): some sheets have no "average", so a
-- person has to lean one way.  bad_at_most stays 2.
function M.four_levels(ind)
    assert(#ind.levels == 5, "four_levels needs a five-level ladder")
    local out = {}
    for k, v in pairs(ind) do out[k] = v end
    local l = copy_levels(ind.levels)
    out.levels = { l[1], l[2], l[4], l[5] }
    return out
end

-- is_bad(ind, level) -> true when level is "bad or worse" on ind.
function M.is_bad(ind, level)
    return level ~= nil and level >= 1 and level <= ind.bad_at_most
end

-- check(ind) -> true, or nil, message: 2 to 10 levels, each worded in
-- French and English, bad_at_most inside the ladder.
function M.check(ind)
    local n = #(ind.levels or {})
    if n < 2 or n > 10 then return nil, ind.code .. ": needs 2 to 10 levels, has " .. n end
    for i, l in ipairs(ind.levels) do
        if type(l.fr) ~= "string" or type(l.en) ~= "string" then
            return nil, ind.code .. ": level " .. i .. " needs fr and en wording"
        end
    end
    if not (ind.bad_at_most >= 1 and ind.bad_at_most < n) then
        return nil, ind.code .. ": bad_at_most must be between 1 and " .. (n - 1)
    end
    return true
end

return M
