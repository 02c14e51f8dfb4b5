-- lib/guidelines.lua -- guidelines per problématique for the territorial
-- project of well-being (`spiral project build`).
--
-- The coordination groups of annex 2 of the Mulhouse plan: 10 life slices
-- (vie-N), 4 relations (relations-N), 5 resources (ressources-N).  Keys are
-- the problématique codes actions carry (action_tag kind problematique);
-- fr/en are the guideline each entry of the project is placed against;
-- themes are the self-survey need themes (life_need.theme) the group
-- answers, so that needs no action covers are flagged.  The wording of each
-- guideline is a DEFAULT written for this program from the plan's titles of
-- the groups, not the plan's text: a territory replaces this file with its
-- own (scripts/territories/<name>/lib/guidelines.lua or --territory-dir).
-- Plain data: no function, no dependency.

return {
    ["vie-1"] = { fr = "Enfance et éducation : chaque enfant grandit dans un quartier qui l'accompagne",
                  en = "Childhood and education: every child grows up in a neighbourhood that supports them",
                  themes = { "childhood", "education" } },
    ["vie-2"] = { fr = "Jeunesse : les jeunes décident et agissent avec les institutions",
                  en = "Youth: young people decide and act with the institutions",
                  themes = { "youth" } },
    ["vie-3"] = { fr = "Emploi et vie productive : un emploi ou une activité utile pour chacun",
                  en = "Employment and productive life: a job or useful activity for everyone",
                  themes = { "employment", "job" } },
    ["vie-4"] = { fr = "Consommation, participation et vie citoyenne : consommer et décider de façon responsable",
                  en = "Consumption, participation and civic life: consume and decide responsibly",
                  themes = { "citizenship", "consumption" } },
    ["vie-5"] = { fr = "Vie familiale : soutenir les familles dans leurs responsabilités",
                  en = "Family life: support families in their responsibilities",
                  themes = { "family" } },
    ["vie-6"] = { fr = "Formation tout au long de la vie : apprendre à tout âge",
                  en = "Lifelong training: learning at every age",
                  themes = { "training" } },
    ["vie-7"] = { fr = "Personnes âgées et transmission des savoirs",
                  en = "Older people and passing on knowledge",
                  themes = { "ageing" } },
    ["vie-8"] = { fr = "Culture, arts, sports et loisirs accessibles à tous",
                  en = "Culture, arts, sports and leisure open to all",
                  themes = { "culture", "leisure", "sport" } },
    ["vie-9"] = { fr = "Maladie et santé : prendre soin ensemble",
                  en = "Illness and health: caring together",
                  themes = { "health" } },
    ["vie-10"] = { fr = "Réinsertion et bien-être social : personne n'est laissé de côté",
                   en = "Reintegration and social well-being: no one left behind",
                   themes = { "reintegration", "housing" } },
    ["relations-1"] = { fr = "Relations entre femmes et hommes : égalité et respect",
                        en = "Relations between women and men: equality and respect",
                        themes = { "gender" } },
    ["relations-2"] = { fr = "Relations entre générations : se rencontrer et s'entraider",
                        en = "Relations between generations: meeting and helping each other",
                        themes = { "generations" } },
    ["relations-3"] = { fr = "Relations entre cultures : vivre ensemble nos différences",
                        en = "Relations between cultures: living together with our differences",
                        themes = { "cultures" } },
    ["relations-4"] = { fr = "Relations entre favorisés et défavorisés : solidarité et coresponsabilité",
                        en = "Relations between the favoured and the disadvantaged: solidarity and co-responsibility",
                        themes = { "solidarity" } },
    ["ressources-1"] = { fr = "Transition énergétique : sortir des énergies fossiles",
                         en = "Energy transition: leaving fossil energy behind",
                         themes = { "energy" } },
    ["ressources-2"] = { fr = "Espace, ressources naturelles et bâtiments : partager et préserver",
                         en = "Space, natural resources and buildings: share and preserve",
                         themes = { "space" } },
    ["ressources-3"] = { fr = "Temps : donner et recevoir du temps (banque de temps)",
                         en = "Time: giving and receiving time (time bank)",
                         themes = { "time" } },
    ["ressources-4"] = { fr = "Argent : fonds de coresponsabilité et monnaies locales",
                         en = "Money: co-responsibility fund and local currencies",
                         themes = { "money", "fund" } },
    ["ressources-5"] = { fr = "Information et communication : une information partagée et accessible",
                         en = "Information and communication: shared and accessible information",
                         themes = { "information" } },
}
