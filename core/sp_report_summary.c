/*
 * sp_report_summary.c -- the report's first section (sp_report.h): the
 * territory, a table of what the workspace holds (counts of rows, not
 * findings) and the key points the other sections left in r->points,
 * which is why sp_report_build() fills it last.
 */
#include <math.h>
#include <apr_strings.h>
#include "sp_report_int.h"

void
sp_report_summary(sp_report_t *r, section_t *sec)
{
    apr_pool_t *p = r->pool;
    static const struct {
        sp_report_msg_t label;
        const char *sql;
    } rows[] = {
        {SP_MSG_FORMS, "SELECT count(*) FROM survey_form"},
        {SP_MSG_RESPONDENTS_ALL, "SELECT count(*) FROM respondent"},
        {SP_MSG_RESPONDENTS_WAVE, "SELECT count(*) FROM respondent WHERE wave_id ="
                                  " (SELECT id FROM survey_wave ORDER BY started_on DESC,"
                                  " code DESC LIMIT 1)"},
        {SP_MSG_CRITERIA, "SELECT count(*) FROM criterion"},
        {SP_MSG_ACTIONS, "SELECT count(*) FROM action"},
        {SP_MSG_EVALUATIONS, "SELECT count(*) FROM evaluation"},
        {SP_MSG_HOUSEHOLDS, "SELECT count(*) FROM meter_household"},
        {SP_MSG_SIGNATORIES, "SELECT count(*) FROM pact_signatory"},
        {SP_MSG_INVITATIONS, "SELECT count(*) FROM pact_invitation"},
        {SP_MSG_TRANSFERS, "SELECT count(*) FROM ledger_transfer"},
    };
    size_t n = sizeof rows / sizeof rows[0], i;
    sp_table_t *t = sp_table_create(M(r, FIGURES), n + 1, 2, p);
    const char *list = "";

    if (r->territory_name)
        para(r, sec, apr_psprintf(p, M(r, TERRITORY_LINE), r->territory_name,
                                  isfinite(r->population)
                                      ? apr_psprintf(p, "%.0f", r->population) : "?"));
    else
        para(r, sec, M(r, NO_TERRITORY));
    tcol(t, 0, M(r, FIGURE));
    tcol(t, 1, M(r, VALUE));
    ttext(t, 0, 0, M(r, POPULATION));
    tnum(t, 0, 1, r->population, 0);
    for (i = 0; i < n; i++) {
        ttext(t, i + 1, 0, sp_report_msg(rows[i].label, r->o.lang));
        tnum(t, i + 1, 1, count_of(r, rows[i].sql, -1), 0);
    }
    table(r, sec, t, "summary");
    for (i = 0; i < (size_t)r->points->nelts; i++)
        list = apr_pstrcat(p, list, i ? "\n" : "", APR_ARRAY_IDX(r->points, i, const char *),
                           NULL);
    if (*list)
        para(r, sec, apr_pstrcat(p, M(r, KEY_POINTS), "\n", list, NULL));
}
