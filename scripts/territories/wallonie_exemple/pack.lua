-- territories/wallonie_exemple/pack.lua -- an EXAMPLE territory, plain data.
--
-- This territory is fictional.  It shows how a region adapts the European
-- tools to its own criteria, as the Mulhouse plan says Wallonia did with
-- its co-evaluation grid; nothing here describes Wallonia's real grid,
-- indicators or figures.  Its criteria are grouped in eight dimensions of
-- its own (codes R, L, M, S), its grid scores impact from 0 to 4, its
-- ranking (ranking.lua) puts "do no harm" before "do much", and its meter
-- uses a more carbon-intensive electricity mix.  Labels are in French and
-- English, with German as extra data (Belgium's third official language),
-- which spiral.def does not take but this pack's synthesis prints.

local function node(code, fr, en, de)
    return { code = code, label_fr = fr, label_en = en, provisional = false }, de
end

local nodes, labels_de = {}, {}
for _, n in ipairs({
    { "R", "Ressources de base", "Basic resources", "Grundlegende Ressourcen" },
    { "R01", "Revenus et travail", "Income and work", "Einkommen und Arbeit" },
    { "R02", "Logement et énergie", "Housing and energy", "Wohnen und Energie" },
    { "R03", "Santé", "Health", "Gesundheit" },
    { "L", "Liens", "Ties", "Beziehungen" },
    { "L01", "Liens sociaux et solidarité", "Social ties and solidarity", "Soziale Bindungen und Solidarität" },
    { "L02", "Participation citoyenne", "Citizen participation", "Bürgerbeteiligung" },
    { "M", "Milieu de vie", "Living environment", "Lebensumfeld" },
    { "M01", "Environnement et nature", "Environment and nature", "Umwelt und Natur" },
    { "M02", "Mobilité", "Mobility", "Mobilität" },
    { "S", "Soi", "Oneself", "Selbst" },
    { "S01", "Épanouissement personnel", "Personal fulfilment", "Persönliche Entfaltung" },
}) do
    local t, de = node(n[1], n[2], n[3], n[4])
    nodes[#nodes + 1] = t
    labels_de[n[1]] = de
end

-- A five-level ladder in this territory's own words.
local ladder = {
    { fr = "pas du tout satisfaisant", en = "not at all satisfactory", de = "überhaupt nicht zufriedenstellend" },
    { fr = "peu satisfaisant", en = "hardly satisfactory", de = "wenig zufriedenstellend" },
    { fr = "moyennement satisfaisant", en = "fairly satisfactory", de = "einigermaßen zufriedenstellend" },
    { fr = "satisfaisant", en = "satisfactory", de = "zufriedenstellend" },
    { fr = "tout à fait satisfaisant", en = "fully satisfactory", de = "voll zufriedenstellend" },
}

return {
    territory = {
        code = "wallonie_exemple", name = "Commune d'exemple (Wallonie, fictive)",
        country = "BE", population = 25000,
    },
    neighbourhoods = { "Centre", "Gare", "Les Hauts" },

    taxonomy = { name = "wallonie-exemple", version = "1", nodes = nodes },
    labels_de = labels_de,

    -- code, component, label fr, label en (one indicator per component).
    indicators = {
        { "income", "R01", "Vivre de son revenu", "Living on one's income" },
        { "home", "R02", "Un logement sain et chauffé", "A healthy, heated home" },
        { "health", "R03", "Être en bonne santé", "Being in good health" },
        { "ties", "L01", "Pouvoir compter sur les autres", "Being able to count on others" },
        { "voice", "L02", "Avoir son mot à dire", "Having a say" },
        { "nature", "M01", "Un environnement sain", "A healthy environment" },
        { "moving", "M02", "Se déplacer facilement", "Getting about easily" },
        { "fulfilment", "S01", "S'épanouir", "Thriving" },
    },
    ladder = ladder,
    bad_at_most = 2,

    forms = {
        { code = "habitants", label_fr = "Habitants", label_en = "Inhabitants", items = {
            { name = "income", indicator = "income", fr = "Mes revenus me permettent de vivre", en = "My income is enough to live on" },
            { name = "home", indicator = "home", fr = "Mon logement", en = "My home" },
            { name = "health", indicator = "health", fr = "Ma santé", en = "My health" },
            { name = "ties", indicator = "ties", fr = "Les gens sur qui je peux compter", en = "The people I can count on" },
            { name = "voice", indicator = "voice", fr = "Ma voix dans la commune", en = "My voice in the municipality" },
            { name = "nature", indicator = "nature", fr = "L'air, l'eau, les espaces verts", en = "Air, water, green spaces" },
            { name = "moving", indicator = "moving", fr = "Mes déplacements", en = "Getting about" },
            { name = "fulfilment", indicator = "fulfilment", fr = "Ce qui me fait grandir", en = "What helps me grow" },
        } },
    },

    -- The grid: 0-4 scale, its own dimensions and ranking (ranking.lua).
    grid = {
        code = "wallonie-exemple",
        label_fr = "Grille de co-évaluation (exemple wallon)",
        label_en = "Co-evaluation grid (Walloon example)",
        scale = {
            min = 0, max = 4,
            labels = {
                { fr = "Dégradation forte", en = "Strong deterioration", de = "Starke Verschlechterung" },
                { fr = "Dégradation", en = "Deterioration", de = "Verschlechterung" },
                { fr = "Pas d'effet", en = "No effect", de = "Keine Wirkung" },
                { fr = "Amélioration", en = "Improvement", de = "Verbesserung" },
                { fr = "Amélioration forte", en = "Strong improvement", de = "Starke Verbesserung" },
            },
        },
        -- Ties and participation count double: they are this territory's
        -- priorities after its own criteria-gathering.
        weights = { L01 = 2, L02 = 2 },
        improve_at = 3,   -- a dimension is improved when its mean is 3 or more
        veto_at = 0.5,    -- a mean at or below this is a strong deterioration
    },

    -- How evaluations made on the European grid (-2..+2, SPIRAL components)
    -- are read on this grid: component -> dimension, score + 2.
    crosswalk = {
        offset = 2,
        components = {
            A01 = "R01", A02 = "R03", A03 = "R02", A04 = "R01", A05 = "S01", A06 = "R01",
            A07 = "S01", A09 = "L01", A11 = "L02", B00 = "M01", B02 = "M02", C01 = "L02",
            C02 = "L01", D01 = "L01", D02 = "L01", E01 = "L02", E02 = "L01", F01 = "R03",
            F02 = "R03", F03 = "S01", G01 = "S01", G02 = "M01", H01 = "L02", H02 = "L01",
        },
    },

    -- The meter: Belgian electricity (nuclear and gas) emits more than the
    -- French mix.  Order of magnitude, to verify against the grid operator's
    -- yearly figures before use.
    meter = {
        code = "wallonie_exemple",
        factors = { elec_kgco2e_kwh = 0.16, elec_heating_kgco2e_kwh = 0.19, elec_fossil_share = 0.3 },
    },
}
