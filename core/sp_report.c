/*
 * sp_report.c -- the facilitator's report (see sp_report.h), the driver:
 * the options, the territory, the sections in report order, the tables
 * gathered in that order, and the files written from them (HTML, JSON,
 * one CSV per table and, through the xlsx plugin, a workbook).
 *
 * Each section is built by its own file (sp_report_survey.c,
 * sp_report_crosstab.c, sp_report_eval.c, sp_report_resource.c,
 * sp_report_meter.c, sp_report_pact.c, sp_report_quarterly.c,
 * sp_report_summary.c) on the context and helpers of sp_report_int.h;
 * the page and the JSON document are printed by sp_report_html.c and
 * sp_report_json.c.  Where another module computes a section (sp_eval.c,
 * sp_resource.c, sp_pact.c, sp_ledger.c, sp_meter.c, sp_scan.c +
 * sp_xtab.c) its result is used as it is.  Numbers are rounded once, when
 * they enter a table, to the digits they are shown with.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <apr_file_io.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include "sp_report_int.h"
#include "sp_plugin.h"

/* A new section at the end of the report: sections print in the order
 * they are made. */
static section_t *
section(sp_report_t *r, const char *id, sp_report_msg_t title)
{
    section_t *s = apr_pcalloc(r->pool, sizeof *s);

    s->id = id;
    s->title = title;
    s->blocks = apr_array_make(r->pool, 8, sizeof(block_t));
    APR_ARRAY_PUSH(r->sections, section_t *) = s;
    return s;
}

/* The territory the report is about (o.territory, or the first one): its
 * id, name and population, or territory_id -1 when the workspace has
 * none.  SP_EXIT_USAGE when o.territory names none. */
static int
territory(sp_report_t *r, sp_error_t **err)
{
    sqlite3_stmt *st;
    int rc;

    rc = sqlite3_prepare_v2(r->store->db,
                            "SELECT id, name, population FROM territory"
                            " WHERE ?1 IS NULL OR code = ?1 ORDER BY id LIMIT 1",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        return sp_store_fail(r->store->db, "territory", r->pool, err);
    if (r->o.territory)
        sqlite3_bind_text(st, 1, r->o.territory, -1, SQLITE_TRANSIENT);
    r->territory_id = -1;
    r->population = NAN;
    if (sqlite3_step(st) == SQLITE_ROW) {
        r->territory_id = sqlite3_column_int64(st, 0);
        r->territory_name = apr_pstrdup(r->pool, (const char *)sqlite3_column_text(st, 1));
        if (sqlite3_column_type(st, 2) != SQLITE_NULL)
            r->population = sqlite3_column_double(st, 2);
    }
    sqlite3_finalize(st);
    if (r->territory_id < 0 && r->o.territory)
        return sp_error_set(err, r->pool, SP_EXIT_USAGE, NULL, 0, 0, "no territory '%s'",
                            r->o.territory);
    return SP_OK;
}

/* ---- building ------------------------------------------------------------- */

void
sp_report_options_init(sp_report_options_t *o)
{
    memset(o, 0, sizeof *o);
    o->lang = SP_REPORT_EN;
    o->min_cell = 5;
}

int
sp_report_build(sp_store_t *store, const sp_report_options_t *opt, sp_report_t **out,
                apr_pool_t *pool, sp_error_t **err)
{
    sp_report_t *r = apr_pcalloc(pool, sizeof *r);
    section_t *sum, *s;
    json_t *pq = NULL;
    size_t i, j;
    int rc;

    r->pool = pool;
    r->store = store;
    if (opt)
        r->o = *opt;
    else
        sp_report_options_init(&r->o);
    if (!(r->o.min_cell >= 1))
        r->o.min_cell = 5;
    r->sections = apr_array_make(pool, 8, sizeof(section_t *));
    r->tables = apr_array_make(pool, 32, sizeof(sp_table_t *));
    r->tids = apr_array_make(pool, 32, sizeof(const char *));
    r->fallbacks = apr_array_make(pool, 4, sizeof(const char *));
    r->points = apr_array_make(pool, 8, sizeof(const char *));
    if ((rc = territory(r, err)) != SP_OK)
        return rc;
    sum = section(r, "summary", SP_MSG_S_SUMMARY);
    if ((rc = sp_report_survey(r, section(r, "survey", SP_MSG_S_SURVEY), err)) != SP_OK
        || (rc = sp_report_crosstabs(r, section(r, "crosstabs", SP_MSG_S_CROSSTAB), err)) != SP_OK
        || (rc = sp_report_evaluation(r, section(r, "evaluation", SP_MSG_S_EVAL), err)) != SP_OK
        || (rc = sp_report_resources(r, section(r, "resources", SP_MSG_S_RESOURCES), err)) != SP_OK
        || (rc = sp_report_meter(r, section(r, "meter", SP_MSG_S_METER), err)) != SP_OK
        || (rc = sp_report_pact(r, section(r, "pact", SP_MSG_S_PACT), &pq, err)) != SP_OK
        || (rc = sp_report_quarterly(r, section(r, "quarterly", SP_MSG_S_QUARTERLY), pq, err))
               != SP_OK)
        return rc;
    sp_report_summary(r, sum);
    /* The tables in report order. */
    for (i = 0; i < (size_t)r->sections->nelts; i++) {
        s = APR_ARRAY_IDX(r->sections, i, section_t *);
        for (j = 0; j < (size_t)s->blocks->nelts; j++) {
            block_t *b = &APR_ARRAY_IDX(s->blocks, j, block_t);

            if (b->table) {
                APR_ARRAY_PUSH(r->tables, sp_table_t *) = b->table;
                APR_ARRAY_PUSH(r->tids, const char *) = b->tid;
            }
        }
    }
    *out = r;
    return SP_OK;
}

const sp_table_t *const *
sp_report_tables(const sp_report_t *r, const char *const **ids, size_t *n)
{
    if (ids)
        *ids = (const char *const *)r->tids->elts;
    *n = (size_t)r->tables->nelts;
    return (const sp_table_t *const *)r->tables->elts;
}

const char *const *
sp_report_fallbacks(const sp_report_t *r, size_t *n)
{
    *n = (size_t)r->fallbacks->nelts;
    return (const char *const *)r->fallbacks->elts;
}

/* ---- writing -------------------------------------------------------------- */

static int
write_file(const char *path, const char *text, apr_pool_t *pool, sp_error_t **err)
{
    FILE *f = fopen(path, "wb");
    size_t n = strlen(text);

    if (f == NULL)
        return sp_error_set(err, pool, SP_EXIT_CANTCREAT, path, 0, 0, "cannot create: %s",
                            strerror(errno));
    if (fwrite(text, 1, n, f) != n || fclose(f) != 0)
        return sp_error_set(err, pool, SP_EXIT_IO, path, 0, 0, "write error");
    return SP_OK;
}

int
sp_report_write(const sp_report_t *r, const char *dir, apr_pool_t *pool, sp_error_t **err)
{
    const sp_table_t *const *t;
    const char *const *ids;
    size_t n, i;
    apr_status_t as;
    int rc;

    if ((as = apr_dir_make_recursive(dir, APR_FPROT_OS_DEFAULT, pool)) != APR_SUCCESS) {
        char msg[128];

        return sp_error_set(err, pool, SP_EXIT_CANTCREAT, dir, 0, 0, "cannot create folder: %s",
                            apr_strerror(as, msg, sizeof msg));
    }
    if ((rc = write_file(apr_pstrcat(pool, dir, "/report.html", NULL), sp_report_html(r, pool),
                         pool, err)) != SP_OK
        || (rc = write_file(apr_pstrcat(pool, dir, "/report.json", NULL), sp_report_json(r, pool),
                            pool, err)) != SP_OK)
        return rc;
    t = sp_report_tables(r, &ids, &n);
    for (i = 0; i < n; i++) {
        const char *csv;

        if ((rc = sp_table_render_csv(t[i], ',', &csv, pool, err)) != SP_OK
            || (rc = write_file(apr_psprintf(pool, "%s/report-%s.csv", dir, ids[i]), csv, pool,
                                err)) != SP_OK)
            return rc;
    }
    return SP_OK;
}

int
sp_report_write_xlsx(const sp_report_t *r, const char *path, apr_pool_t *pool, sp_error_t **err)
{
    sp_plugin_t *pl;
    const sp_table_t *const *t;
    size_t n;
    int rc;

    if ((rc = sp_plugin_open(&pl, "xlsx", pool, err)) != SP_OK)
        return rc;
    t = sp_report_tables(r, NULL, &n);
    return sp_plugin_write(pl, path, t, n, pool, err);
}
