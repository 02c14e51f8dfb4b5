/*
 * sp_report_crosstab.c -- the report's cross-tabulations (sp_report.h):
 * neighbourhood by housing among adults and by mind among the mental
 * health form, latest wave, weighted, each as counts and row percentages
 * with the crosstab engine's suppression marks.  The columnar copy is
 * read through sp_scan.c and the tables are made by sp_xtab.c; this file
 * only chooses them, labels the levels and rounds.
 */
#include <string.h>
#include <apr_strings.h>
#include "sp_report_int.h"
#include "sp_scan.h"
#include "sp_xtab.h"

/* Label of level value of item (a form item name) in the report's
 * language, or NULL. */
static const char *
level_label(sp_report_t *r, const char *item, const char *value)
{
    sqlite3_stmt *st;
    const char *out = NULL;

    if (sqlite3_prepare_v2(r->store->db,
                           "SELECT l.label_fr, l.label_en FROM form_item fi"
                           " JOIN indicator_level l ON l.indicator_id = fi.indicator_id"
                           " WHERE fi.name = ? AND l.level = CAST(? AS INTEGER) LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, item, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        out = apr_pstrdup(r->pool, (const char *)sqlite3_column_text(
                                       st, r->o.lang == SP_REPORT_FR ? 0 : 1));
    sqlite3_finalize(st);
    return out;
}

/* Replace the English "Total" of sp_table_from_xtab by the report's word. */
static void
retotal(sp_report_t *r, sp_table_t *t)
{
    size_t i;

    for (i = 0; i < t->ncols; i++)
        if (strcmp(t->columns[i], "Total") == 0)
            tcol(t, i, M(r, TOTAL));
    for (i = 0; i < t->nrows; i++)
        if (cell(t, i, 0)->kind == SPIRAL_CELL_TEXT && strcmp(cell(t, i, 0)->text, "Total") == 0)
            ttext(t, i, 0, M(r, TOTAL));
}

/* neighbourhood x item among respondents of form in wave, weighted. */
static int
crosstab(sp_report_t *r, section_t *sec, sp_scan_source_t *src, const char *form,
         const char *item, const char *wave, const char *idbase, sp_error_t **err)
{
    apr_pool_t *p = r->pool;
    const char *keys[2] = {"neighbourhood", item};
    sp_scan_request_t req;
    sp_scan_result_t *res;
    sp_where_t *where;
    sp_xtab_t *xt;
    sp_xtab_options_t xo;
    sp_table_t *tw, *tp;
    long *rmap, *cmap;
    size_t nr = 0, nc = 0, i, j;
    const char *item_label;
    int rc;

    if (!sp_scan_has_var(src, item)) {
        para(r, sec, apr_psprintf(p, M(r, XTAB_MISSING_VAR), item));
        return SP_OK;
    }
    if ((rc = sp_where_parse(apr_psprintf(p, "form=%s,wave=%s", form, wave), &where, p, err))
        != SP_OK)
        return rc;
    memset(&req, 0, sizeof req);
    req.keys = keys;
    req.nkeys = 2;
    req.weight = "weight";
    req.where = where;
    if ((rc = sp_scan_run(src, &req, &res, p, err)) != SP_OK)
        return rc;
    rmap = apr_palloc(p, (res->key[0].nlevels + 1) * sizeof *rmap);
    cmap = apr_palloc(p, (res->key[1].nlevels + 1) * sizeof *cmap);
    for (i = 0; i <= res->key[0].nlevels; i++)
        rmap[i] = -1;
    for (j = 0; j <= res->key[1].nlevels; j++)
        cmap[j] = -1;
    for (i = 1; i <= res->key[0].nlevels; i++)
        for (j = 1; j <= res->key[1].nlevels; j++)
            if (res->n[i * (res->key[1].nlevels + 1) + j] > 0) {
                rmap[i] = 0;
                cmap[j] = 0;
            }
    for (i = 1; i <= res->key[0].nlevels; i++)
        if (rmap[i] == 0)
            rmap[i] = (long)nr++;
    for (j = 1; j <= res->key[1].nlevels; j++)
        if (cmap[j] == 0)
            cmap[j] = (long)nc++;
    if (nr == 0 || nc == 0) {
        para(r, sec, apr_psprintf(p, M(r, XTAB_EMPTY), item, form));
        return SP_OK;
    }
    xt = sp_xtab_create(nr, nc, 1, p);
    for (i = 1; i <= res->key[0].nlevels; i++)
        for (j = 1; j <= res->key[1].nlevels; j++) {
            size_t c = i * (res->key[1].nlevels + 1) + j;

            if (res->n[c] > 0)
                sp_xtab_add(xt, 0, (size_t)rmap[i], (size_t)cmap[j], res->n[c], res->w[c]);
        }
    item_label = item;
    sp_xtab_set_vars(xt, M(r, NEIGHBOURHOOD), item, NULL);
    sp_xtab_set_weight_var(xt, "weight");
    for (i = 1; i <= res->key[0].nlevels; i++)
        if (rmap[i] >= 0)
            sp_xtab_set_label(xt, SP_XTAB_ROWS, (size_t)rmap[i], res->key[0].value[i]);
    for (j = 1; j <= res->key[1].nlevels; j++)
        if (cmap[j] >= 0) {
            const char *l = level_label(r, item, res->key[1].value[j]);

            sp_xtab_set_label(xt, SP_XTAB_COLS, (size_t)cmap[j], l ? l : res->key[1].value[j]);
        }
    sp_xtab_options_init(&xo);
    xo.min_cell = r->o.min_cell;
    if ((rc = sp_xtab_compute(xt, &xo, err)) != SP_OK)
        return rc;
    if ((rc = sp_table_from_xtab(xt, 0, SP_XTAB_WEIGHTED, &tw, p, err)) != SP_OK
        || (rc = sp_table_from_xtab(xt, 0, SP_XTAB_ROW_PCT, &tp, p, err)) != SP_OK)
        return rc;
    round_table(tw, 1);
    round_table(tp, 1);
    retotal(r, tw);
    retotal(r, tp);
    tw->title = apr_psprintf(p, M(r, XTAB_WEIGHTED), item_label, form, wave);
    tp->title = apr_psprintf(p, M(r, XTAB_ROWPCT), item_label, form, wave);
    table(r, sec, tw, apr_pstrcat(p, idbase, "-weighted", NULL));
    table(r, sec, tp, apr_pstrcat(p, idbase, "-rowpct", NULL));
    return SP_OK;
}

int
sp_report_crosstabs(sp_report_t *r, section_t *sec, sp_error_t **err)
{
    sp_scan_source_t *src;
    sqlite3_stmt *st;
    const char *wave = NULL;
    sp_error_t *e2 = NULL;
    int rc;

    if (sqlite3_prepare_v2(r->store->db, "SELECT code FROM survey_wave WHERE territory_id = ?"
                                         " ORDER BY started_on DESC, code DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return sp_store_fail(r->store->db, "crosstab", r->pool, err);
    sqlite3_bind_int64(st, 1, r->territory_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        wave = apr_pstrdup(r->pool, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (wave == NULL || count_of(r, "SELECT count(*) FROM respondent", -1) == 0) {
        para(r, sec, M(r, XTAB_NONE));
        return SP_OK;
    }
    /* The columnar copy may need a rebuild, which writes: a read-only
     * workspace just goes without this section. */
    if (sp_scan_open_store(&src, r->store, r->pool, &e2) != SP_OK) {
        para(r, sec, apr_psprintf(r->pool, "%s (%s)", M(r, XTAB_NONE), e2 ? e2->message : ""));
        return SP_OK;
    }
    para(r, sec, apr_psprintf(r->pool, M(r, XTAB_INTRO), apr_psprintf(r->pool, "%.0f",
                                                                        r->o.min_cell)));
    if ((rc = crosstab(r, sec, src, "adults", "housing", wave, "xtab-housing", err)) != SP_OK)
        return rc;
    return crosstab(r, sec, src, "mental_health", "mind", wave, "xtab-mind", err);
}
