/*
 * sp_report_i18n.c -- every text of the report that a citizen or a
 * facilitator reads, in French and English, as one table indexed by the
 * message ids of sp_report.h.  Texts with "%s" are formats for
 * apr_psprintf (their arguments are described beside them, always
 * strings); "%%" appears only in those.  Names of families C-H follow the
 * project's domain notes, where they are marked provisional.
 */
#include <stddef.h>
#include "sp_report.h"

typedef struct msg_t {
    const char *fr, *en;
} msg_t;

#define T(id, fr, en) [SP_MSG_##id] = {fr, en},

static const msg_t msgs[SP_MSG_COUNT] = {
    T(DOC_TITLE, "Rapport d'animation SPIRAL", "SPIRAL facilitator's report")
    T(DOC_INTRO, "Résultats tirés de l'espace de travail : enquêtes, tableaux croisés, "
                 "co-évaluation du plan, ressources, consomètre, pacte et synthèse trimestrielle. "
                 "Les mêmes nombres sont fournis en CSV, JSON et xlsx.",
      "Results drawn from the workspace: self-surveys, cross-tabulations, the plan's "
      "co-evaluation, resources, the consumption meter, the pact and the quarterly synthesis. "
      "The same numbers are provided as CSV, JSON and xlsx.")
    T(SYNTHETIC, "Données SYNTHÉTIQUES : ces nombres sont inventés et ne disent rien du territoire réel.",
      "SYNTHETIC data: these numbers are invented and say nothing about the real territory.")
    T(CONTENTS, "Sommaire", "Contents")
    T(NOT_FOR_PUB, "NE PAS PUBLIER : le masquage des petites cases est désactivé",
      "NOT FOR PUBLICATION: small-cell suppression is off")
    T(NO_DATA_CHART, "Pas de données à représenter pour ce graphique.",
      "There is no data to draw for this chart.")
    T(SUPPRESSED_NOTE, "secondaire : masqué pour qu'une petite case ne puisse pas être recalculée",
      "secondary: withheld so that a small cell cannot be worked out")
    T(PRIMARY_NOTE, "primaire : trop peu d'enregistrements", "primary: too few records")
    /* %s: the minimum number of records */
    T(MARK_NOTE, "x : valeur masquée (moins de %s enregistrements, ou pour protéger une telle valeur) ; "
                 ". : pas de valeur.",
      "x: value withheld (fewer than %s records, or to protect such a value); .: no value.")
    T(S_SUMMARY, "Synthèse", "Summary")
    T(S_SURVEY, "Enquêtes par quartier et par questionnaire", "Self-surveys by neighbourhood and form")
    T(S_CROSSTAB, "Tableaux croisés", "Cross-tabulations")
    T(S_EVAL, "Co-évaluation du plan", "Co-evaluation of the plan")
    T(S_RESOURCES, "Ressources et limites", "Resources against limits")
    T(S_METER, "Consomètre", "Consumption meter")
    T(S_PACT, "Diffusion du pacte", "Diffusion of the pact")
    T(S_QUARTERLY, "Synthèse trimestrielle", "Quarterly synthesis")
    T(FIGURES, "Chiffres clés", "Key figures")
    T(FIGURE, "Élément", "Item")
    T(VALUE, "Valeur", "Value")
    T(POPULATION, "Population", "Population")
    T(RESPONDENTS_ALL, "Réponses aux enquêtes (toutes vagues)", "Survey answers (all waves)")
    T(RESPONDENTS_WAVE, "Réponses de la dernière vague", "Answers of the latest wave")
    T(FORMS, "Questionnaires", "Survey forms")
    T(CRITERIA, "Critères de bien-être", "Well-being criteria")
    T(ACTIONS, "Actions", "Actions")
    T(EVALUATIONS, "Co-évaluations", "Co-evaluations")
    T(HOUSEHOLDS, "Ménages du consomètre", "Households of the meter")
    T(SIGNATORIES, "Signataires du pacte", "Signatories of the pact")
    T(INVITATIONS, "Invitations", "Invitations")
    T(TRANSFERS, "Échanges (temps, fonds, biens)", "Transfers (time, fund, goods)")
    T(KEY_POINTS, "Points clés :", "Key points:")
    /* %s: territory name, population */
    T(TERRITORY_LINE, "Territoire : %s, population %s.", "Territory: %s, population %s.")
    T(NO_TERRITORY, "L'espace de travail ne contient pas de territoire.",
      "The workspace holds no territory.")
    /* %s: wave, respondents, minimum */
    T(SURVEY_INTRO, "Dernière vague %s : %s réponses. Pour chaque famille de composantes, part "
                    "pondérée des personnes dont le niveau est « mauvais ou pire » (%%), par "
                    "questionnaire. Moins de %s réponses, ou de personnes « mauvais ou pire », "
                    "ou d'autres : valeur masquée (x).",
      "Latest wave %s: %s answers. For each family of components, the weighted share of people "
      "whose level is \"bad or worse\" (%%), per form. Fewer than %s answers, or people \"bad "
      "or worse\", or others: value withheld (x).")
    T(SURVEY_NONE, "L'espace de travail ne contient pas encore de réponses aux enquêtes.",
      "The workspace holds no survey answers yet.")
    T(FAMILY_KEY, "Familles :", "Families:")
    T(ALL_PLACES, "Tout le territoire", "Whole territory")
    T(FORM, "Questionnaire", "Form")
    T(RESPONDENTS, "Réponses", "Answers")
    /* %s: place, wave */
    T(RADAR_TITLE, "Mauvais ou pire par famille (%%) : %s, vague %s",
      "Bad or worse by family (%%): %s, wave %s")
    T(RADAR_DESC, "Radar : un axe par famille, de A à H dans cet ordre ; une ligne par "
                  "questionnaire ; plus loin du centre, plus de personnes en situation mauvaise "
                  "ou pire. Un point absent est une valeur masquée ou manquante ; le tableau "
                  "voisin donne les nombres.",
      "Radar: one axis per family, A to H in this order; one line per form; further from the "
      "centre means more people whose situation is bad or worse. A missing point is a withheld "
      "or absent value; the table beside it gives the numbers.")
    /* %s: place, wave */
    T(SURVEY_TABLE, "Mauvais ou pire par famille (%%), %s, vague %s",
      "Bad or worse by family (%%), %s, wave %s")
    T(FAM_A, "accès aux moyens de vie", "access to means of living")
    T(FAM_B, "cadre de vie", "living environment")
    T(FAM_C, "relations avec les institutions", "relations with organisations")
    T(FAM_D, "relations personnelles", "personal relations")
    T(FAM_E, "équilibre sociétal", "social balance")
    T(FAM_F, "équilibre personnel", "personal balance")
    T(FAM_G, "sentiments de bien-être", "feelings of well-being")
    T(FAM_H, "attitudes et initiatives", "attitudes and initiatives")
    /* %s: wave, answers */
    T(HL_SURVEY, "Enquêtes : dernière vague %s, %s réponses.",
      "Self-surveys: latest wave %s, %s answers.")
    /* %s: minimum */
    T(XTAB_INTRO, "Effectifs pondérés et pourcentages en ligne ; x marque une valeur masquée "
                  "(moins de %s enregistrements, ou pour la protéger).",
      "Weighted counts and row percentages; x marks a value withheld (fewer than %s records, "
      "or to protect one).")
    T(XTAB_NONE, "Pas de réponses à croiser.", "There are no answers to cross-tabulate.")
    /* %s: item, form */
    T(XTAB_EMPTY, "Aucune réponse à %s dans le questionnaire %s.",
      "No answer to %s in form %s.")
    /* %s: item, form, wave */
    T(XTAB_WEIGHTED, "Effectifs pondérés : quartier × %s (questionnaire %s, vague %s)",
      "Weighted counts: neighbourhood × %s (form %s, wave %s)")
    T(XTAB_ROWPCT, "%% en ligne : quartier × %s (questionnaire %s, vague %s)",
      "Row %%: neighbourhood × %s (form %s, wave %s)")
    T(NEIGHBOURHOOD, "Quartier", "Neighbourhood")
    /* %s: variable */
    T(XTAB_MISSING_VAR, "L'espace de travail n'a pas de variable %s.",
      "The workspace has no variable %s.")
    T(TOTAL, "Total", "Total")
    /* %s: plan, title, grid, number of actions */
    T(EVAL_INTRO, "Plan %s (%s), grille %s : %s actions co-évaluées par les groupes "
                  "d'évaluateurs, de −2 (dégrade fortement) à +2 (améliore fortement).",
      "Plan %s (%s), grid %s: %s actions co-evaluated by the evaluator groups, from −2 "
      "(strongly worsens) to +2 (strongly improves).")
    T(EVAL_NONE, "Aucun plan n'a encore été co-évalué.", "No plan has been co-evaluated yet.")
    /* %s: plan */
    T(EVAL_PROFILE, "Note moyenne par famille, plan %s (−2 … +2)",
      "Mean score by family, plan %s (−2 … +2)")
    T(EVAL_PROFILE_DESC, "Radar : un axe par famille, de A à H ; une ligne par phase (ex ante, "
                         "ex post) ; le centre vaut −2, le bord +2.",
      "Radar: one axis per family, A to H; one line per phase (ex ante, ex post); the centre "
      "is −2, the edge +2.")
    T(EX_ANTE, "ex ante", "ex ante")
    T(EX_POST, "ex post", "ex post")
    T(PHASE, "Phase", "Phase")
    /* %s: plan */
    T(EVAL_RANKING, "Classement des actions, plan %s", "Ranking of the actions, plan %s")
    T(EVAL_RANKING_DESC, "Barres horizontales : note moyenne de chaque action (ex post quand "
                         "elle existe, sinon ex ante), de la meilleure à la moins bonne.",
      "Horizontal bars: each action's mean score (ex post when there is one, else ex ante), "
      "best first.")
    T(RANK, "Rang", "Rank")
    T(ACTION, "Action", "Action")
    T(TITLE, "Intitulé", "Title")
    T(MEAN, "Moyenne", "Mean")
    /* %s: phase, list of components */
    T(EVAL_GAPS, "Manques (%s) : composantes qu'aucune action n'atteint avec une note moyenne "
                 "positive : %s.",
      "Gaps (%s): components no action reaches with a positive mean: %s.")
    /* %s: phase */
    T(EVAL_GAPS_NONE, "Manques (%s) : aucune ; chaque composante est atteinte par au moins une action.",
      "Gaps (%s): none; every component is reached by at least one action.")
    /* %s: plan */
    T(EVAL_DELTA, "D'ex ante à ex post, plan %s", "From ex ante to ex post, plan %s")
    T(DIFFERENCE, "Écart", "Difference")
    /* %s: plan */
    T(EVAL_AGREEMENT, "Désaccords entre groupes d'évaluateurs, plan %s",
      "Disagreements between evaluator groups, plan %s")
    T(EVAL_AGREE_NONE, "Aucun désaccord marqué entre groupes.",
      "No strong disagreement between groups.")
    T(COMPONENT, "Composante", "Component")
    T(MIN, "Min", "Min")
    T(MAX, "Max", "Max")
    T(SPREAD, "Écart max − min", "Spread max − min")
    /* %s: threshold */
    T(EVAL_AGREE_INTRO, "Accord : il y a désaccord quand l'écart entre les notes des groupes "
                        "dépasse %s.",
      "Agreement: groups disagree when the spread of their scores exceeds %s.")
    /* %s: plan, action */
    T(HL_EVAL, "Plan %s : action la mieux notée, %s.", "Plan %s: highest-rated action, %s.")
    T(RES_INTRO, "Utilisation annuelle des ressources par le territoire, comparée à sa limite "
                 "(tableau de référence des limites), avec la tendance des moindres carrés.",
      "Yearly use of resources by the territory against its limit (reference table of "
      "limits), with the least-squares trend.")
    T(RES_NONE, "Pas de données d'utilisation des ressources.", "There is no data on resource use.")
    /* %s: resource, unit */
    T(RES_CHART, "Utilisation de %s (%s) et limite", "Use of %s (%s) against its limit")
    /* %s: resource, verdict */
    T(RES_CHART_DESC, "Barres : utilisation annuelle de %s ; ligne en tirets : la limite ; ligne "
                      "orange : la tendance. %s",
      "Bars: yearly use of %s; dashed line: the limit; orange line: the trend. %s")
    T(YEAR, "Année", "Year")
    T(AMOUNT, "Utilisation", "Use")
    T(LIMIT, "Limite", "Limit")
    T(RATIO, "Rapport à la limite", "Ratio to the limit")
    T(TREND, "Tendance", "Trend")
    T(RES_WITHIN, "déjà sous la limite", "already within the limit")
    /* %s: year */
    T(RES_MEETS, "atteint la limite en %s à ce rythme", "meets the limit in %s at this pace")
    T(RES_NEVER, "jamais à ce rythme", "never at this pace")
    T(RES_NO_TREND, "au-dessus de la limite, une seule année : pas de tendance",
      "above the limit, a single year: no trend")
    T(RES_NO_LIMIT, "pas de limite connue", "no known limit")
    T(RES_SUMMARY, "Ressources : dernière année et limite", "Resources: latest year and limit")
    T(RESOURCE, "Ressource", "Resource")
    T(PLACE, "Lieu", "Place")
    T(LATEST_YEAR, "Dernière année", "Latest year")
    T(LATEST, "Dernière utilisation", "Latest use")
    T(MEETS_IN, "Atteint la limite en", "Meets the limit in")
    /* %s: resources above, resources */
    T(HL_RES, "Ressources : %s sur %s au-dessus de leur limite la dernière année.",
      "Resources: %s of %s above their limit in the latest year.")
    T(METER_INTRO, "Répartition des ménages du consomètre selon les gaz à effet de serre d'une "
                   "personne en un an (sa propre consommation et la part collective), par quartier "
                   "(part des ménages du quartier). 2 t CO2e est la part d'une personne dans la limite.",
      "Households of the consumption meter by one person's greenhouse gases in a year (own "
      "consumption and the collective share), per neighbourhood (share of the neighbourhood's "
      "households). 2 t CO2e is one person's share of the limit.")
    T(METER_NONE, "Le consomètre n'a pas encore de réponses.",
      "The consumption meter has no answers yet.")
    T(METER_CHART, "Ménages selon les t CO2e par personne et par an",
      "Households by t CO2e per person a year")
    T(METER_CHART_DESC, "Barres groupées : pour chaque tranche de t CO2e par personne, la part des "
                        "ménages de chaque quartier (les cinq plus grands et tout le territoire) ; "
                        "x : valeur masquée.",
      "Grouped bars: for each band of t CO2e per person, the share of each neighbourhood's "
      "households (the five largest and the whole territory); x: value withheld.")
    T(METER_BIN_0, "moins de 2 t", "under 2 t")
    T(METER_BIN_1, "2–4 t", "2–4 t")
    T(METER_BIN_2, "4–6 t", "4–6 t")
    T(METER_BIN_3, "6–8 t", "6–8 t")
    T(METER_BIN_4, "8 t et plus", "8 t or more")
    T(METER_UNIT, "t CO2e par personne et par an", "t CO2e per person a year")
    T(METER_TABLE, "Ménages par tranche de t CO2e par personne et par an",
      "Households by band of t CO2e per person a year")
    T(METER_SWAP, "Calcul : le consomètre du territoire (règles Lua, facteurs sourcés) pour chaque "
                  "ménage ; les postes du foyer sont divisés par sa taille ; la part collective "
                  "(services publics) est comptée pour chacun.",
      "Method: the territory's consumption meter (Lua rules, factors with sources) for each "
      "household; household items are divided by its size; the collective share (public "
      "services) is counted for everyone.")
    /* %s: founders, signatories */
    T(PACT_INTRO, "%s fondateurs ; %s signataires du pacte. Chaque signataire invite au moins une "
                  "personne par trimestre : la cible double chaque trimestre (échelle "
                  "logarithmique : un doublement régulier est une droite).",
      "%s founders; %s signatories of the pact. Each signatory invites at least one person a "
      "quarter: the target doubles every quarter (log scale: a steady doubling is a straight "
      "line).")
    T(PACT_NONE, "Pas encore de signataires du pacte.", "The pact has no signatories yet.")
    T(PACT_CHART, "Signataires cumulés et cible de doublement",
      "Cumulative signatories and the doubling target")
    T(PACT_CHART_DESC, "Lignes, échelle logarithmique : signataires cumulés par trimestre (trait "
                       "plein) et cible du plan (tirets) ; la ligne pointillée est la population.",
      "Lines on a log scale: cumulative signatories per quarter (solid) and the plan's target "
      "(dashed); the dotted line is the population.")
    T(QUARTER, "Trimestre", "Quarter")
    T(NEW, "Nouveaux", "New")
    T(CUMULATIVE, "Cumul", "Cumulative")
    T(TARGET, "Cible", "Target")
    /* %s: quarter */
    T(PACT_COVERED, "Au rythme observé, les signataires couvriraient la population en %s.",
      "At the observed pace, the signatories would cover the population in %s.")
    T(PACT_NOT_COVERED, "Au rythme observé, les signataires ne couvriront pas la population.",
      "At the observed pace, the signatories will not cover the population.")
    /* %s: quarter, cumulative, target */
    T(HL_PACT, "Pacte : en %s, %s signataires pour une cible de %s.",
      "Pact: by %s, %s signatories against a target of %s.")
    T(Q_INTRO, "Par trimestre : échanges de la banque de temps, du fonds et des biens (volumes), "
               "et nouveaux signataires du pacte.",
      "Per quarter: transfers of the time bank, the fund and goods (volumes), and new "
      "signatories of the pact.")
    T(Q_NONE, "Pas encore d'échanges ni de signatures.", "No transfers or signatures yet.")
    T(Q_CHART, "Heures échangées par trimestre (banque de temps)",
      "Hours exchanged per quarter (time bank)")
    T(Q_CHART_DESC, "Barres verticales : volume d'heures de la banque de temps par trimestre.",
      "Vertical bars: volume of hours of the time bank per quarter.")
    T(HOURS, "Heures", "Hours")
    T(EUROS, "Euros (fonds)", "Euros (fund)")
    T(GOODS, "Biens (unités)", "Goods (units)")
    T(NEW_SIGNATORIES, "Nouveaux signataires", "New signatories")
    T(Q_TABLE, "Synthèse trimestrielle", "Quarterly synthesis")
    T(NONE_LABEL, "(aucun)", "(none)")
};

static const char *const names[SP_MSG_COUNT] = {
#define X(id) "?" #id "?",
    SP_REPORT_MSGS(X)
#undef X
};

const char *
sp_report_msg(sp_report_msg_t id, sp_report_lang_t lang)
{
    const char *s;

    if ((unsigned)id >= SP_MSG_COUNT)
        return "?";
    s = lang == SP_REPORT_FR ? msgs[id].fr : msgs[id].en;
    return s && *s ? s : names[id];
}

int
sp_report_msgs_complete(void)
{
    size_t i;

    for (i = 0; i < SP_MSG_COUNT; i++)
        if (!msgs[i].fr || !*msgs[i].fr || !msgs[i].en || !*msgs[i].en)
            return 0;
    return 1;
}
