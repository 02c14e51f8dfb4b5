-- territories/mulhouse/pack.lua -- Mulhouse's territory pack, as plain data.
--
-- What makes Mulhouse's pack different from the defaults of scripts/lib:
-- the place (population, neighbourhoods), the four self-survey forms of the
-- 2013 action plan (children, adolescents, adults, people with mental
-- illness), each with its own wording mapped to the shared indicators, the
-- indicators that have four levels on Mulhouse's sheets, and the grid's
-- options.  Nothing here calls spiral: init.lua assembles this data with
-- the library modules and passes it to spiral.def.*.
--
-- Wording and codes follow datasets/mulhouse/data (forms.csv,
-- indicators.csv), so the bundled synthetic survey files import against
-- this pack as they are.  The population is the plan's figure (~110,000).

return {
    territory = {
        code = "mulhouse", name = "Mulhouse", country = "FR", population = 110000,
    },

    -- Neighbourhoods of the synthetic data; the plan names Drouot-Barbanègre,
    -- Wolf-Wagner, Briand and Coteaux.  Each gets its coordination group.
    neighbourhoods = {
        "Bourtzwiller", "Briand", "Coteaux", "Daguerre", "Dornach", "Drouot-Barbanègre",
        "Fonderie", "Franklin-Fridolin", "Haut-Poirier", "Rebberg", "Vauban-Neppert", "Wolf-Wagner",
    },

    -- Indicators whose sheet has no middle level (very bad, bad, good, ideal).
    four_levels = { "clothing", "associations", "living_together", "respect" },

    -- The four self-survey forms.  Each item is named after the shared
    -- indicator it measures, so answers compare across forms.  The life
    -- project part (needs and offers) is read from the `needs` and `offers`
    -- columns of the answer files and routed by lib/routing.lua.
    forms = {
        { code = "children", label_fr = "Enfants", label_en = "Children", items = {
            { name = "food", indicator = "food", fr = "Ce que je mange", en = "What I eat" },
            { name = "housing", indicator = "housing", fr = "Ma maison", en = "My home" },
            { name = "education", indicator = "education", fr = "À l'école, j'apprends bien", en = "At school I learn well" },
            { name = "leisure", indicator = "leisure", fr = "Jouer et faire du sport", en = "Playing and sport" },
            { name = "family", indicator = "family", fr = "Avec ma famille", en = "With my family" },
            { name = "friends", indicator = "friends", fr = "Avec mes copains", en = "With my friends" },
            { name = "safety", indicator = "safety", fr = "Dans mon quartier, je n'ai pas peur", en = "In my neighbourhood I am not afraid" },
            { name = "body", indicator = "body", fr = "Je me sens en forme", en = "I feel fit" },
            { name = "self_esteem", indicator = "self_esteem", fr = "Je suis content de moi", en = "I am happy with myself" },
            { name = "respect", indicator = "respect", fr = "On me respecte", en = "People respect me" },
        } },
        { code = "adolescents", label_fr = "Adolescents", label_en = "Adolescents", items = {
            { name = "food", indicator = "food", fr = "Ce que je mange", en = "What I eat" },
            { name = "housing", indicator = "housing", fr = "Chez moi, je me sens bien", en = "I feel good at home" },
            { name = "education", indicator = "education", fr = "Mes études, ma formation", en = "My studies, my training" },
            { name = "employment", indicator = "employment", fr = "Mon avenir professionnel", en = "My future job" },
            { name = "leisure", indicator = "leisure", fr = "Mes loisirs, le sport, les sorties", en = "My leisure, sport, going out" },
            { name = "information", indicator = "information", fr = "Je sais où trouver l'information", en = "I know where to find information" },
            { name = "environment", indicator = "environment", fr = "Mon quartier", en = "My neighbourhood" },
            { name = "institutions", indicator = "institutions", fr = "Les adultes et les institutions m'écoutent", en = "Adults and institutions listen to me" },
            { name = "family", indicator = "family", fr = "Avec ma famille", en = "With my family" },
            { name = "friends", indicator = "friends", fr = "Mes amis", en = "My friends" },
            { name = "living_together", indicator = "living_together", fr = "Entre jeunes de cultures différentes", en = "Between young people of different cultures" },
            { name = "body", indicator = "body", fr = "Ma forme physique", en = "My fitness" },
            { name = "mind", indicator = "mind", fr = "Mon moral", en = "My morale" },
            { name = "self_esteem", indicator = "self_esteem", fr = "La confiance en moi", en = "My self-confidence" },
            { name = "safety", indicator = "safety", fr = "Ma sécurité dans la rue", en = "My safety in the street" },
            { name = "respect", indicator = "respect", fr = "Le respect qu'on me porte", en = "The respect I get" },
        } },
        { code = "adults", label_fr = "Adultes", label_en = "Adults", items = {
            { name = "food", indicator = "food", fr = "Pouvoir me nourrir correctement", en = "Being able to eat properly" },
            { name = "health_care", indicator = "health_care", fr = "L'accès aux soins", en = "Access to health care" },
            { name = "housing", indicator = "housing", fr = "Mon logement", en = "My housing" },
            { name = "clothing", indicator = "clothing", fr = "Pouvoir m'habiller comme je le souhaite", en = "Dressing as I wish" },
            { name = "education", indicator = "education", fr = "Pouvoir apprendre, me former", en = "Being able to learn and train" },
            { name = "employment", indicator = "employment", fr = "Mon travail, mes revenus", en = "My work, my income" },
            { name = "leisure", indicator = "leisure", fr = "Mes loisirs, la culture, le sport", en = "My leisure, culture and sport" },
            { name = "services", indicator = "services", fr = "L'aide dont j'ai besoin au quotidien", en = "The help I need day to day" },
            { name = "information", indicator = "information", fr = "L'information sur mes droits et sur la ville", en = "Information on my rights and the city" },
            { name = "environment", indicator = "environment", fr = "Mon quartier, mon cadre de vie", en = "My neighbourhood, my surroundings" },
            { name = "infrastructure", indicator = "infrastructure", fr = "Les transports et les équipements", en = "Transport and facilities" },
            { name = "institutions", indicator = "institutions", fr = "L'écoute des institutions", en = "How institutions listen" },
            { name = "associations", indicator = "associations", fr = "Les associations et les commerces proches", en = "Nearby associations and shops" },
            { name = "family", indicator = "family", fr = "Ma vie de famille", en = "My family life" },
            { name = "friends", indicator = "friends", fr = "Mes amis, mes voisins", en = "My friends, my neighbours" },
            { name = "equity", indicator = "equity", fr = "L'égalité des chances", en = "Equal opportunities" },
            { name = "living_together", indicator = "living_together", fr = "Le vivre ensemble", en = "Living together" },
            { name = "body", indicator = "body", fr = "Ma santé, ma forme", en = "My health, my fitness" },
            { name = "mind", indicator = "mind", fr = "Mon moral, ma tranquillité d'esprit", en = "My morale, my peace of mind" },
            { name = "autonomy", indicator = "autonomy", fr = "Ma liberté de décider", en = "My freedom to decide" },
            { name = "self_esteem", indicator = "self_esteem", fr = "La reconnaissance, la confiance en moi", en = "Recognition, self-confidence" },
            { name = "safety", indicator = "safety", fr = "Ma sécurité", en = "My safety" },
            { name = "commitment", indicator = "commitment", fr = "Me sentir utile aux autres", en = "Feeling useful to others" },
            { name = "respect", indicator = "respect", fr = "Le respect entre les gens", en = "Respect between people" },
        } },
        { code = "mental_health", label_fr = "Santé mentale", label_en = "Mental health", items = {
            { name = "food", indicator = "food", fr = "Pouvoir me nourrir correctement", en = "Being able to eat properly" },
            { name = "health_care", indicator = "health_care", fr = "Mes soins, mon traitement", en = "My care, my treatment" },
            { name = "housing", indicator = "housing", fr = "Mon logement", en = "My housing" },
            { name = "employment", indicator = "employment", fr = "Avoir une activité, un travail", en = "Having an activity, a job" },
            { name = "leisure", indicator = "leisure", fr = "Mes loisirs, mes sorties", en = "My leisure, going out" },
            { name = "services", indicator = "services", fr = "L'accompagnement dont j'ai besoin", en = "The support I need" },
            { name = "institutions", indicator = "institutions", fr = "L'écoute des soignants et des services", en = "How carers and services listen" },
            { name = "family", indicator = "family", fr = "Les liens avec ma famille", en = "Ties with my family" },
            { name = "friends", indicator = "friends", fr = "Avoir des amis, ne pas être seul", en = "Having friends, not being alone" },
            { name = "equity", indicator = "equity", fr = "Être traité comme les autres", en = "Being treated like others" },
            { name = "mind", indicator = "mind", fr = "Mon moral, mon équilibre", en = "My morale, my balance" },
            { name = "autonomy", indicator = "autonomy", fr = "Décider de ma vie", en = "Deciding about my life" },
            { name = "self_esteem", indicator = "self_esteem", fr = "Le regard des autres sur moi", en = "How others see me" },
            { name = "safety", indicator = "safety", fr = "Me sentir en sécurité", en = "Feeling safe" },
        } },
    },

    -- The co-evaluation grid: the European grid (lib/grid.lua), its
    -- default weights.  Gaps (components where many people are "bad or
    -- worse") come from the self-surveys at evaluation time, not from here.
    grid = {
        code = "europe",
        weights = { gap = 1, vulnerable = 1, coresponsibility = 1, resources = 1 },
        vulnerable_kinds = { "beneficiaries" },
    },

    -- The consumption meter: the default meter; Mulhouse changes no factor.
    meter = { code = "mulhouse", factors = {} },

    -- Extra routing rules (before the neighbourhood rule): as in the IGLOO
    -- pilot action (integration through housing and employment), a housing
    -- need also goes to the family-life group.
    routing = {
        { when = { kind = "housing" }, groups = { "family" } },
    },
}
