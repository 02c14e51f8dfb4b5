/*
 * sp_report.c -- the facilitator's report (see sp_report.h): reads the
 * workspace section by section into result tables, charts (sp_svg.c) and
 * sentences, then prints the same tables as HTML, JSON, CSV and, through
 * the xlsx plugin, a workbook.
 *
 * Where another module computes a section (sp_eval.c, sp_resource.c,
 * sp_pact.c, sp_ledger.c, sp_scan.c + sp_xtab.c) its result is used as it
 * is (the meter's per-household results come from sp_meter.c); the survey
 * profiles by family are computed here by a small static function
 * (survey_profiles) until sp_profile.c can be called: it says so in
 * sp_report_fallbacks().  Numbers are rounded once, when they enter a
 * table, to the digits they are shown with.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_file_io.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include <jansson.h>
#include "sp_report.h"
#include "sp_export.h"
#include "sp_grid.h"
#include "sp_svg.h"
#include "sp_scan.h"
#include "sp_xtab.h"
#include "sp_eval.h"
#include "sp_resource.h"
#include "sp_pact.h"
#include "sp_ledger.h"
#include "sp_plugin.h"
#include "sp_meter.h"
#include "sp_sdc.h"

#define NFAM 8

enum { B_PARA, B_FIG, B_TABLE };

typedef struct block_t {
    int kind;
    const char *text;       /* B_PARA; B_FIG: caption */
    const char *svg;        /* B_FIG: the chart, or NULL (then text says why) */
    sp_table_t *table;      /* B_TABLE, and B_FIG's table beside (may be NULL) */
    const char *tid;
} block_t;

typedef struct section_t {
    const char *id;
    sp_report_msg_t title;
    apr_array_header_t *blocks;    /* block_t */
} section_t;

struct sp_report_t {
    apr_pool_t *pool;
    sp_store_t *store;
    sp_report_options_t o;
    apr_array_header_t *sections;  /* section_t * */
    apr_array_header_t *tables;    /* sp_table_t * (after finish) */
    apr_array_header_t *tids;      /* const char * */
    apr_array_header_t *fallbacks; /* const char * */
    apr_array_header_t *points;    /* const char *: key points for the summary */
    long territory_id;
    const char *territory_name;
    double population;
    unsigned charts;
};

#define M(r, id) sp_report_msg(SP_MSG_##id, (r)->o.lang)

static const char FAMILIES[NFAM + 1] = "ABCDEFGH";

/* ---- sections, blocks, tables --------------------------------------------- */

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

static void
para(sp_report_t *r, section_t *s, const char *text)
{
    block_t *b = apr_array_push(s->blocks);

    memset(b, 0, sizeof *b);
    b->kind = B_PARA;
    b->text = apr_pstrdup(r->pool, text);
}

/* A chart (svg NULL: replaced by the sentence NO_DATA_CHART) with its
 * table beside (may be NULL). */
static void
figure(sp_report_t *r, section_t *s, const char *svg, const char *caption, sp_table_t *t,
       const char *tid)
{
    block_t *b = apr_array_push(s->blocks);

    memset(b, 0, sizeof *b);
    b->kind = B_FIG;
    b->svg = svg;
    b->text = caption;
    b->table = t;
    b->tid = tid;
    (void)r;
}

static void
table(sp_report_t *r, section_t *s, sp_table_t *t, const char *tid)
{
    block_t *b = apr_array_push(s->blocks);

    memset(b, 0, sizeof *b);
    b->kind = B_TABLE;
    b->table = t;
    b->tid = tid;
    (void)r;
}

static sp_table_cell_t *
cell(sp_table_t *t, size_t row, size_t col)
{
    return (sp_table_cell_t *)&t->cells[row * t->ncols + col];
}

static void
tcol(sp_table_t *t, size_t col, const char *name)
{
    ((const char **)t->columns)[col] = name;
}

static double
rnd(double v, int digits)
{
    double p = pow(10, digits), x = round(v * p) / p;

    return x == 0 ? 0 : x;   /* no "-0" */
}

/* A number rounded to digits decimals; NAN or infinite: undefined. */
static void
tnum(sp_table_t *t, size_t row, size_t col, double v, int digits)
{
    sp_table_cell_t *c = cell(t, row, col);

    if (!isfinite(v)) {
        c->kind = SPIRAL_CELL_UNDEFINED;
        c->text = SP_TABLE_MARK_UNDEFINED;
        c->note = "no value";
        return;
    }
    c->kind = SPIRAL_CELL_NUMBER;
    c->number = rnd(v, digits);
}

static void
ttext(sp_table_t *t, size_t row, size_t col, const char *s)
{
    sp_table_cell_t *c = cell(t, row, col);

    c->kind = SPIRAL_CELL_TEXT;
    c->text = s ? s : "";
}

static void
tsupp(sp_table_t *t, size_t row, size_t col, const char *note)
{
    sp_table_cell_t *c = cell(t, row, col);

    c->kind = SPIRAL_CELL_SUPPRESSED;
    c->text = SP_TABLE_MARK_SUPPRESSED;
    c->note = note;
}

static void
tundef(sp_table_t *t, size_t row, size_t col, const char *note)
{
    sp_table_cell_t *c = cell(t, row, col);

    c->kind = SPIRAL_CELL_UNDEFINED;
    c->text = SP_TABLE_MARK_UNDEFINED;
    c->note = note;
}

/* Round every number of a table made elsewhere (sp_table_from_xtab). */
static void
round_table(sp_table_t *t, int digits)
{
    size_t i;

    for (i = 0; i < t->nrows * t->ncols; i++) {
        sp_table_cell_t *c = (sp_table_cell_t *)&t->cells[i];

        if (c->kind == SPIRAL_CELL_NUMBER)
            c->number = rnd(c->number, digits);
    }
}

/* A unique id for a chart. */
static const char *
chart_id(sp_report_t *r)
{
    return apr_psprintf(r->pool, "c%u", ++r->charts);
}

static const char *
jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));

    return s ? s : "";
}

static double
jnum(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* ---- queries -------------------------------------------------------------- */

/* One integer from sql with an optional integer parameter (-1: none). */
static double
count_of(sp_report_t *r, const char *sql, long param)
{
    sqlite3_stmt *st;
    double v = 0;

    if (sqlite3_prepare_v2(r->store->db, sql, -1, &st, NULL) != SQLITE_OK)
        return 0;
    if (param >= 0)
        sqlite3_bind_int64(st, 1, param);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    return v;
}

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

/* ---- survey results by neighbourhood and form ------------------------------ */

typedef struct facc_t {
    double n, w, wbad, nbad;    /* answers, weight, weight and answers "bad" */
} facc_t;

/* The lower median of n levels (sorted here). */
static unsigned
lower_median(unsigned *v, size_t n)
{
    size_t i, j;

    for (i = 1; i < n; i++)
        for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
            unsigned t = v[j];

            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return n ? v[(n + 1) / 2 - 1] : 0;
}

/* Share "bad or worse" per family for every (place, form) of the latest
 * wave, following sp_profile.h's definitions (a family's level is the
 * lower median of the respondent's levels on its indicators; bad at or
 * below the smallest bad_at_most of those indicators).  FALLBACK until
 * sp_profile_groups() can be called here. */
static int
survey(sp_report_t *r, section_t *sec, sp_error_t **err)
{
    apr_pool_t *p = r->pool;
    sqlite3 *db = r->store->db;
    sqlite3_stmt *st;
    long wave_id = -1;
    const char *wave = NULL;
    size_t nforms = 0, nplaces = 1, f, pl, k, i;
    long form_ids[8];
    const char *form_names[8];
    int *fam_of[8];             /* per form, per position: family or -1 */
    unsigned thr[8][NFAM];      /* per form and family: bad at or below */
    size_t npos[8];
    long *place_ids;
    const char **place_names;
    facc_t *acc;                /* [place][form][family] */
    double *nresp;              /* [place][form] */
    int *supp;                  /* [place][form]: respondents count withheld */
    double K = r->o.min_cell;
    double total = 0;

    if (sqlite3_prepare_v2(db, "SELECT id, code FROM survey_wave WHERE territory_id = ?"
                               " ORDER BY started_on DESC, code DESC LIMIT 1", -1, &st, NULL)
        != SQLITE_OK)
        return sp_store_fail(db, "survey", p, err);
    sqlite3_bind_int64(st, 1, r->territory_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        wave_id = sqlite3_column_int64(st, 0);
        wave = apr_pstrdup(p, (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    if (wave_id < 0) {
        para(r, sec, M(r, SURVEY_NONE));
        return SP_OK;
    }
    /* Forms answered in the wave (at most 8: one colour each). */
    if (sqlite3_prepare_v2(db, "SELECT f.id, f.label_fr, f.label_en FROM survey_form f"
                               " WHERE EXISTS (SELECT 1 FROM respondent WHERE form_id = f.id"
                               " AND wave_id = ?) ORDER BY f.id LIMIT 8", -1, &st, NULL)
        != SQLITE_OK)
        return sp_store_fail(db, "survey", p, err);
    sqlite3_bind_int64(st, 1, wave_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        form_ids[nforms] = sqlite3_column_int64(st, 0);
        form_names[nforms++] = apr_pstrdup(p, (const char *)sqlite3_column_text(
                                                  st, r->o.lang == SP_REPORT_FR ? 1 : 2));
    }
    sqlite3_finalize(st);
    if (nforms == 0) {
        para(r, sec, M(r, SURVEY_NONE));
        return SP_OK;
    }
    /* Items: family and bad threshold per position. */
    for (f = 0; f < nforms; f++) {
        npos[f] = (size_t)count_of(r, "SELECT ifnull(max(position), 0) FROM form_item"
                                      " WHERE form_id = ?", form_ids[f]);
        fam_of[f] = apr_palloc(p, (npos[f] + 1) * sizeof(int));
        for (i = 0; i <= npos[f]; i++)
            fam_of[f][i] = -1;
        for (k = 0; k < NFAM; k++)
            thr[f][k] = 255;
        if (sqlite3_prepare_v2(db, "SELECT fi.position, upper(substr(i.component_code, 1, 1)),"
                                   " i.bad_at_most FROM form_item fi JOIN indicator i"
                                   " ON i.id = fi.indicator_id WHERE fi.form_id = ?",
                               -1, &st, NULL) != SQLITE_OK)
            return sp_store_fail(db, "survey", p, err);
        sqlite3_bind_int64(st, 1, form_ids[f]);
        while (sqlite3_step(st) == SQLITE_ROW) {
            long pos = sqlite3_column_int64(st, 0);
            const char *fl = (const char *)sqlite3_column_text(st, 1);
            const char *hit = fl && *fl ? strchr(FAMILIES, fl[0]) : NULL;
            unsigned bad = (unsigned)sqlite3_column_int(st, 2);

            if (pos < 1 || (size_t)pos > npos[f] || hit == NULL)
                continue;
            fam_of[f][pos] = (int)(hit - FAMILIES);
            if (bad < thr[f][hit - FAMILIES])
                thr[f][hit - FAMILIES] = bad;
        }
        sqlite3_finalize(st);
    }
    /* Places: everyone, then each neighbourhood. */
    nplaces += (size_t)count_of(r, "SELECT count(*) FROM neighbourhood WHERE territory_id = ?",
                                r->territory_id);
    place_ids = apr_pcalloc(p, nplaces * sizeof *place_ids);
    place_names = apr_pcalloc(p, nplaces * sizeof *place_names);
    place_names[0] = M(r, ALL_PLACES);
    place_ids[0] = -1;
    if (sqlite3_prepare_v2(db, "SELECT id, name FROM neighbourhood WHERE territory_id = ?"
                               " ORDER BY name", -1, &st, NULL) != SQLITE_OK)
        return sp_store_fail(db, "survey", p, err);
    sqlite3_bind_int64(st, 1, r->territory_id);
    for (pl = 1; pl < nplaces && sqlite3_step(st) == SQLITE_ROW; pl++) {
        place_ids[pl] = sqlite3_column_int64(st, 0);
        place_names[pl] = apr_pstrdup(p, (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    nplaces = pl;
    acc = apr_pcalloc(p, nplaces * nforms * NFAM * sizeof *acc);
    nresp = apr_pcalloc(p, nplaces * nforms * sizeof *nresp);
    supp = apr_pcalloc(p, nplaces * nforms * sizeof *supp);

    if (sqlite3_prepare_v2(db, "SELECT form_id, neighbourhood_id, weight, levels FROM respondent"
                               " WHERE wave_id = ?", -1, &st, NULL) != SQLITE_OK)
        return sp_store_fail(db, "survey", p, err);
    sqlite3_bind_int64(st, 1, wave_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        long fid = sqlite3_column_int64(st, 0), nid = sqlite3_column_int64(st, 1);
        int has_nb = sqlite3_column_type(st, 1) != SQLITE_NULL;
        double w = sqlite3_column_double(st, 2);
        const unsigned char *lv = sqlite3_column_blob(st, 3);
        size_t nlv = (size_t)sqlite3_column_bytes(st, 3), at[2], nat = 1;
        unsigned levels[NFAM][64];
        size_t nl[NFAM] = {0};

        for (f = 0; f < nforms && form_ids[f] != fid; f++)
            ;
        if (f == nforms)
            continue;
        at[0] = 0;
        for (pl = 1; has_nb && pl < nplaces; pl++)
            if (place_ids[pl] == nid)
                at[nat++] = pl;
        for (i = 1; i <= npos[f] && i <= nlv; i++) {
            int fam = fam_of[f][i];

            if (fam >= 0 && lv[i - 1] > 0 && nl[fam] < 64)
                levels[fam][nl[fam]++] = lv[i - 1];
        }
        total += 1;
        for (k = 0; k < nat; k++) {
            nresp[at[k] * nforms + f] += 1;
            for (i = 0; i < NFAM; i++) {
                facc_t *a = &acc[(at[k] * nforms + f) * NFAM + i];
                unsigned med;

                if (nl[i] == 0)
                    continue;
                med = lower_median(levels[i], nl[i]);
                a->n += 1;
                a->w += w;
                if (med <= thr[f][i]) {
                    a->wbad += w;
                    a->nbad += 1;
                }
            }
        }
    }
    sqlite3_finalize(st);
    APR_ARRAY_PUSH(r->fallbacks, const char *) =
        "survey profiles by family computed by sp_report.c (survey): swap for sp_profile_groups()";

    /* Counts of respondents: primary, then one secondary per form across
     * neighbourhoods, so that the whole minus the others does not give a
     * withheld count back. */
    for (f = 0; f < nforms; f++) {
        size_t nsupp = 0, best = 0;
        double bestv = INFINITY;

        for (pl = 0; pl < nplaces; pl++) {
            double n = nresp[pl * nforms + f];

            if (n > 0 && n < K) {
                supp[pl * nforms + f] = 1;
                nsupp += pl > 0;
            }
        }
        for (pl = 1; pl < nplaces; pl++) {
            double n = nresp[pl * nforms + f];

            if (!supp[pl * nforms + f] && n > 0 && n < bestv) {
                bestv = n;
                best = pl;
            }
        }
        if (nsupp == 1 && best > 0)
            supp[best * nforms + f] = 2;
    }

    para(r, sec, apr_psprintf(p, M(r, SURVEY_INTRO), wave,
                              apr_psprintf(p, "%.0f", total), apr_psprintf(p, "%.0f", K)));
    {
        const char *key = M(r, FAMILY_KEY);

        for (i = 0; i < NFAM; i++)
            key = apr_psprintf(p, "%s %c: %s%s", key, FAMILIES[i],
                               sp_report_msg((sp_report_msg_t)(SP_MSG_FAM_A + i), r->o.lang),
                               i + 1 < NFAM ? ";" : ".");
        para(r, sec, key);
    }
    for (pl = 0; pl < nplaces; pl++) {
        sp_table_t *t;
        double *vals = apr_palloc(p, nforms * NFAM * sizeof *vals);
        sp_svg_series_t series[8];
        sp_svg_radar_t rad;
        sp_svg_buf_t *b = sp_svg_buf_create(p);
        const char *axes[NFAM], *tid;
        size_t any = 0;

        for (f = 0; f < nforms; f++)
            any += nresp[pl * nforms + f] > 0;
        if (!any)
            continue;
        tid = apr_psprintf(p, "survey-%02lu", (unsigned long)pl);
        t = sp_table_create(apr_psprintf(p, M(r, SURVEY_TABLE), place_names[pl], wave), nforms,
                            2 + NFAM, p);
        tcol(t, 0, M(r, FORM));
        tcol(t, 1, M(r, RESPONDENTS));
        for (i = 0; i < NFAM; i++) {
            tcol(t, 2 + i, apr_psprintf(p, "%c", FAMILIES[i]));
            axes[i] = t->columns[2 + i];
        }
        for (f = 0; f < nforms; f++) {
            double n = nresp[pl * nforms + f];

            ttext(t, f, 0, form_names[f]);
            if (supp[pl * nforms + f])
                tsupp(t, f, 1, supp[pl * nforms + f] == 1 ? M(r, PRIMARY_NOTE)
                                                           : M(r, SUPPRESSED_NOTE));
            else
                tnum(t, f, 1, n, 0);
            for (i = 0; i < NFAM; i++) {
                facc_t *a = &acc[(pl * nforms + f) * NFAM + i];

                vals[f * NFAM + i] = NAN;
                /* The share is withheld when its answers, the bad ones or
                 * the others (n minus the bad) number 1..K-1. */
                if (a->n == 0)
                    tundef(t, f, 2 + i, "no answer");
                else if (a->n < K || supp[pl * nforms + f] || (a->nbad > 0 && a->nbad < K)
                         || (a->n - a->nbad > 0 && a->n - a->nbad < K))
                    tsupp(t, f, 2 + i, M(r, PRIMARY_NOTE));
                else if (!(a->w > 0))
                    tundef(t, f, 2 + i, "zero weight");
                else {
                    tnum(t, f, 2 + i, 100.0 * a->wbad / a->w, 1);
                    vals[f * NFAM + i] = rnd(100.0 * a->wbad / a->w, 1);
                }
            }
            series[f].name = form_names[f];
            series[f].values = vals + f * NFAM;
        }
        memset(&rad, 0, sizeof rad);
        rad.head.id = chart_id(r);
        rad.head.title = apr_psprintf(p, M(r, RADAR_TITLE), place_names[pl], wave);
        rad.head.desc = M(r, RADAR_DESC);
        rad.head.width = 340;
        rad.naxes = NFAM;
        rad.axes = axes;
        rad.min = 0;
        rad.max = 100;
        rad.nseries = nforms;
        rad.series = series;
        figure(r, sec, sp_svg_radar(b, &rad) == SP_OK ? sp_svg_text(b) : NULL,
               rad.head.title, t, tid);
        if (pl == 0)
            APR_ARRAY_PUSH(r->points, const char *) =
                apr_psprintf(p, M(r, HL_SURVEY), wave, apr_psprintf(p, "%.0f", total));
    }
    return SP_OK;
}

/* ---- cross-tabulations ---------------------------------------------------- */

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

static int
crosstabs(sp_report_t *r, section_t *sec, sp_error_t **err)
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

/* ---- the plan's co-evaluation ---------------------------------------------- */

static const char *
phase_label(sp_report_t *r, const char *phase)
{
    return strcmp(phase, "ex-post") == 0 ? M(r, EX_POST) : M(r, EX_ANTE);
}

static int
evaluation(sp_report_t *r, section_t *sec, sp_error_t **err)
{
    apr_pool_t *p = r->pool;
    sqlite3_stmt *st;
    const char *plan = r->o.plan, *grid = NULL;
    sp_eval_options_t eo;
    json_t *res, *actions, *a;
    size_t na, i, k, ph;
    static const char *const phases[2] = {"ex-ante", "ex-post"};
    int rc;

    if (plan == NULL) {
        if (sqlite3_prepare_v2(r->store->db,
                               "SELECT p.code FROM plan p JOIN plan_action pa ON pa.plan_id = p.id"
                               " JOIN evaluation e ON e.action_id = pa.action_id"
                               " GROUP BY p.id ORDER BY count(*) DESC, p.code LIMIT 1",
                               -1, &st, NULL) != SQLITE_OK)
            return sp_store_fail(r->store->db, "evaluation", p, err);
        if (sqlite3_step(st) == SQLITE_ROW)
            plan = apr_pstrdup(p, (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    } else {
        int found;

        if (sqlite3_prepare_v2(r->store->db, "SELECT 1 FROM plan WHERE code = ?", -1, &st, NULL)
            != SQLITE_OK)
            return sp_store_fail(r->store->db, "evaluation", p, err);
        sqlite3_bind_text(st, 1, plan, -1, SQLITE_TRANSIENT);
        found = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
        if (!found)
            return sp_error_set(err, p, SP_EXIT_USAGE, NULL, 0, 0, "no plan '%s'", plan);
    }
    if (plan == NULL) {
        para(r, sec, M(r, EVAL_NONE));
        return SP_OK;
    }
    /* The grid the plan was scored on most. */
    if (sqlite3_prepare_v2(r->store->db,
                           "SELECT e.grid FROM plan p JOIN plan_action pa ON pa.plan_id = p.id"
                           " JOIN evaluation e ON e.action_id = pa.action_id WHERE p.code = ?"
                           " GROUP BY e.grid ORDER BY count(*) DESC, e.grid LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return sp_store_fail(r->store->db, "evaluation", p, err);
    sqlite3_bind_text(st, 1, plan, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        grid = apr_pstrdup(p, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (grid == NULL) {
        para(r, sec, M(r, EVAL_NONE));
        return SP_OK;
    }
    sp_eval_options_init(&eo);
    eo.grid = grid;
    if ((rc = sp_eval_plan(r->store, plan, &eo, &res, p, err)) != SP_OK)
        return rc;
    sp_grid_pool_own(res, p);
    actions = json_object_get(res, "actions");
    na = json_array_size(actions);
    para(r, sec, apr_psprintf(p, M(r, EVAL_INTRO), plan, jstr(res, "title"), grid,
                              apr_psprintf(p, "%lu", (unsigned long)na)));
    if (na == 0) {
        para(r, sec, M(r, EVAL_NONE));
        return SP_OK;
    }

    /* Profiles: per phase, the mean over actions of each family's mean. */
    {
        double sum[2][NFAM] = {{0}}, cnt[2][NFAM] = {{0}}, *vals;
        sp_table_t *t = sp_table_create(apr_psprintf(p, M(r, EVAL_PROFILE), plan), 2, 1 + NFAM, p);
        sp_svg_series_t series[2];
        sp_svg_radar_t rad;
        sp_svg_buf_t *b = sp_svg_buf_create(p);
        const char *axes[NFAM];

        vals = apr_palloc(p, 2 * NFAM * sizeof *vals);
        json_array_foreach(actions, i, a) {
            for (ph = 0; ph < 2; ph++) {
                json_t *fams = json_object_get(json_object_get(json_object_get(a, "phases"),
                                                               phases[ph]), "families"), *fm;
                size_t j;

                json_array_foreach(fams, j, fm) {
                    const char *fl = jstr(fm, "family");
                    const char *hit = *fl ? strchr(FAMILIES, fl[0]) : NULL;
                    double m = jnum(fm, "mean");

                    if (hit && isfinite(m)) {
                        sum[ph][hit - FAMILIES] += m;
                        cnt[ph][hit - FAMILIES] += 1;
                    }
                }
            }
        }
        tcol(t, 0, M(r, PHASE));
        for (k = 0; k < NFAM; k++) {
            tcol(t, 1 + k, apr_psprintf(p, "%c", FAMILIES[k]));
            axes[k] = t->columns[1 + k];
        }
        for (ph = 0; ph < 2; ph++) {
            ttext(t, ph, 0, phase_label(r, phases[ph]));
            for (k = 0; k < NFAM; k++) {
                double m = cnt[ph][k] > 0 ? sum[ph][k] / cnt[ph][k] : NAN;

                if (isfinite(m))
                    tnum(t, ph, 1 + k, m, 2);
                else
                    tundef(t, ph, 1 + k, "not scored");
                vals[ph * NFAM + k] = isfinite(m) ? rnd(m, 2) : NAN;
            }
            series[ph].name = phase_label(r, phases[ph]);
            series[ph].values = vals + ph * NFAM;
        }
        memset(&rad, 0, sizeof rad);
        rad.head.id = chart_id(r);
        rad.head.title = t->title;
        rad.head.desc = M(r, EVAL_PROFILE_DESC);
        rad.head.width = 340;
        rad.naxes = NFAM;
        rad.axes = axes;
        rad.min = -2;
        rad.max = 2;
        rad.nseries = 2;
        rad.series = series;
        figure(r, sec, sp_svg_radar(b, &rad) == SP_OK ? sp_svg_text(b) : NULL, t->title, t,
               "eval-profile");
    }

    /* Ranking: by the mean of the latest phase scored (ex-post when there
     * is one), as sp_eval_profiles() chooses. */
    {
        json_t *prof = sp_eval_profiles(res, NULL), *pr;
        size_t np = json_array_size(prof), *order = apr_palloc(p, (np + 1) * sizeof(size_t));
        sp_table_t *t = sp_table_create(apr_psprintf(p, M(r, EVAL_RANKING), plan), np, 5, p);
        const char **labels = apr_palloc(p, (np + 1) * sizeof *labels);
        double *vals = apr_palloc(p, (np + 1) * sizeof *vals);
        sp_svg_bars_t bars;
        sp_svg_buf_t *b = sp_svg_buf_create(p);

        sp_grid_pool_own(prof, p);
        for (i = 0; i < np; i++)
            order[i] = i;
        for (i = 1; i < np; i++)   /* insertion sort: descending mean, then code */
            for (k = i; k > 0; k--) {
                json_t *x = json_array_get(prof, order[k - 1]), *y = json_array_get(prof, order[k]);
                double mx = jnum(x, "mean"), my = jnum(y, "mean");

                if (!isfinite(mx))
                    mx = -INFINITY;
                if (!isfinite(my))
                    my = -INFINITY;
                if (mx > my || (mx == my && strcmp(jstr(x, "action"), jstr(y, "action")) <= 0))
                    break;
                order[k - 1] = order[k] ^ order[k - 1];
                order[k] = order[k] ^ order[k - 1];
                order[k - 1] = order[k] ^ order[k - 1];
            }
        tcol(t, 0, M(r, RANK));
        tcol(t, 1, M(r, ACTION));
        tcol(t, 2, M(r, TITLE));
        tcol(t, 3, M(r, PHASE));
        tcol(t, 4, M(r, MEAN));
        for (i = 0; i < np; i++) {
            pr = json_array_get(prof, order[i]);
            tnum(t, i, 0, (double)(i + 1), 0);
            ttext(t, i, 1, apr_pstrdup(p, jstr(pr, "action")));
            ttext(t, i, 2, apr_pstrdup(p, jstr(pr, "title")));
            ttext(t, i, 3, phase_label(r, jstr(pr, "phase")));
            tnum(t, i, 4, jnum(pr, "mean"), 2);
            labels[i] = t->cells[i * 5 + 1].text;
            vals[i] = isfinite(jnum(pr, "mean")) ? rnd(jnum(pr, "mean"), 2) : NAN;
        }
        memset(&bars, 0, sizeof bars);
        bars.head.id = chart_id(r);
        bars.head.title = t->title;
        bars.head.desc = M(r, EVAL_RANKING_DESC);
        bars.head.width = 460;
        bars.head.height = 60 + 22.0 * (double)np + SP_SVG_BOTTOM;
        bars.horizontal = 1;
        bars.n = np;
        bars.labels = labels;
        bars.values = vals;
        bars.limit = NAN;
        figure(r, sec, np && sp_svg_bars(b, &bars) == SP_OK ? sp_svg_text(b) : NULL, t->title,
               t, "eval-ranking");
        if (np > 0)
            APR_ARRAY_PUSH(r->points, const char *) =
                apr_psprintf(p, M(r, HL_EVAL), plan, labels[0]);
    }

    /* Gaps: grid components no action reaches with a positive mean. */
    for (ph = 0; ph < 2; ph++) {
        json_t *gaps = json_object_get(json_object_get(json_object_get(res, "across"),
                                                       phases[ph]), "gaps"), *g;
        const char *list = NULL;

        if (gaps == NULL)
            continue;
        json_array_foreach(gaps, i, g)
            list = list ? apr_pstrcat(p, list, ", ", json_string_value(g), NULL)
                        : json_string_value(g);
        para(r, sec, list ? apr_psprintf(p, M(r, EVAL_GAPS), phase_label(r, phases[ph]), list)
                          : apr_psprintf(p, M(r, EVAL_GAPS_NONE), phase_label(r, phases[ph])));
    }
    /* Ex-ante to ex-post: the change of each action's mean. */
    {
        size_t n = 0, row = 0;
        sp_table_t *t;

        json_array_foreach(actions, i, a) {
            json_t *phs = json_object_get(a, "phases");

            n += json_object_get(phs, "ex-ante") && json_object_get(phs, "ex-post");
        }
        if (n > 0) {
            t = sp_table_create(apr_psprintf(p, M(r, EVAL_DELTA), plan), n, 4, p);
            tcol(t, 0, M(r, ACTION));
            tcol(t, 1, M(r, EX_ANTE));
            tcol(t, 2, M(r, EX_POST));
            tcol(t, 3, M(r, DIFFERENCE));
            json_array_foreach(actions, i, a) {
                json_t *phs = json_object_get(a, "phases");
                double m0, m1;

                if (!(json_object_get(phs, "ex-ante") && json_object_get(phs, "ex-post")))
                    continue;
                m0 = rnd(jnum(json_object_get(phs, "ex-ante"), "mean"), 2);
                m1 = rnd(jnum(json_object_get(phs, "ex-post"), "mean"), 2);
                ttext(t, row, 0, apr_pstrdup(p, jstr(a, "code")));
                tnum(t, row, 1, m0, 2);
                tnum(t, row, 2, m1, 2);
                tnum(t, row, 3, m1 - m0, 2);
                row++;
            }
            table(r, sec, t, "eval-delta");
        }
    }
    /* Agreement: components on which the groups disagree. */
    {
        size_t n = 0, row = 0;
        sp_table_t *t;

        para(r, sec, apr_psprintf(p, M(r, EVAL_AGREE_INTRO),
                                  apr_psprintf(p, "%g", jnum(res, "threshold"))));
        json_array_foreach(actions, i, a)
            for (ph = 0; ph < 2; ph++)
                n += json_array_size(json_object_get(
                    json_object_get(json_object_get(a, "phases"), phases[ph]), "disagreements"));
        if (n == 0) {
            para(r, sec, M(r, EVAL_AGREE_NONE));
            return SP_OK;
        }
        t = sp_table_create(apr_psprintf(p, M(r, EVAL_AGREEMENT), plan), n, 6, p);
        tcol(t, 0, M(r, ACTION));
        tcol(t, 1, M(r, PHASE));
        tcol(t, 2, M(r, COMPONENT));
        tcol(t, 3, M(r, MIN));
        tcol(t, 4, M(r, MAX));
        tcol(t, 5, M(r, SPREAD));
        json_array_foreach(actions, i, a)
            for (ph = 0; ph < 2; ph++) {
                json_t *pj = json_object_get(json_object_get(a, "phases"), phases[ph]);
                json_t *dis = json_object_get(pj, "disagreements"), *d, *c;
                size_t j, m;

                json_array_foreach(dis, j, d) {
                    const char *code = json_string_value(d);

                    ttext(t, row, 0, apr_pstrdup(p, jstr(a, "code")));
                    ttext(t, row, 1, phase_label(r, phases[ph]));
                    ttext(t, row, 2, apr_pstrdup(p, code ? code : ""));
                    tundef(t, row, 3, "not found");
                    tundef(t, row, 4, "not found");
                    tundef(t, row, 5, "not found");
                    json_array_foreach(json_object_get(pj, "components"), m, c)
                        if (code && strcmp(jstr(c, "code"), code) == 0) {
                            tnum(t, row, 3, jnum(c, "min"), 2);
                            tnum(t, row, 4, jnum(c, "max"), 2);
                            tnum(t, row, 5, jnum(c, "spread"), 2);
                        }
                    row++;
                }
            }
        table(r, sec, t, "eval-agreement");
    }
    return SP_OK;
}

/* ---- resources against limits --------------------------------------------- */

static const char *
verdict(sp_report_t *r, const json_t *row)
{
    const char *s = jstr(row, "status");

    if (strcmp(s, "within") == 0)
        return M(r, RES_WITHIN);
    if (strcmp(s, "meets") == 0)
        return apr_psprintf(r->pool, M(r, RES_MEETS),
                            apr_psprintf(r->pool, "%.0f", jnum(row, "meets_in")));
    if (strcmp(s, "never") == 0)
        return M(r, RES_NEVER);
    if (strcmp(s, "no_trend") == 0)
        return M(r, RES_NO_TREND);
    return M(r, RES_NO_LIMIT);
}

static int
resources(sp_report_t *r, section_t *sec, sp_error_t **err)
{
    apr_pool_t *p = r->pool;
    sp_resource_params_t rp;
    json_t *dash, *rows, *row;
    size_t n, i, j, over = 0, terr = 0;
    sp_table_t *sum;
    int rc;

    sp_resource_params_default(&rp);
    if ((rc = sp_resource_dashboard(r->store, &rp, NULL, &dash, p, err)) != SP_OK) {
        if (rc == SP_EXIT_SOFTWARE)
            return rc;
        para(r, sec, M(r, RES_NONE));
        return SP_OK;
    }
    rows = json_object_get(dash, "rows");
    n = json_array_size(rows);
    if (n == 0) {
        para(r, sec, M(r, RES_NONE));
        return SP_OK;
    }
    para(r, sec, M(r, RES_INTRO));
    json_array_foreach(rows, i, row) {
        json_t *years = json_object_get(row, "years"), *y, *tr = json_object_get(row, "trend");
        size_t ny = json_array_size(years);
        sp_table_t *t;
        const char **labels;
        double *vals, *trend, limit = jnum(row, "limit");
        sp_svg_bars_t bars;
        sp_svg_buf_t *b = sp_svg_buf_create(p);
        const char *res_name = jstr(row, "resource");

        if (strcmp(jstr(row, "place"), "territory") != 0 || ny == 0)
            continue;
        terr++;
        over += isfinite(jnum(row, "ratio")) && jnum(row, "ratio") > 1;
        t = sp_table_create(apr_psprintf(p, M(r, RES_CHART), res_name, jstr(row, "unit")), ny,
                            4, p);
        tcol(t, 0, M(r, YEAR));
        tcol(t, 1, M(r, AMOUNT));
        tcol(t, 2, M(r, LIMIT));
        tcol(t, 3, M(r, RATIO));
        labels = apr_palloc(p, ny * sizeof *labels);
        vals = apr_palloc(p, ny * sizeof *vals);
        trend = apr_palloc(p, ny * sizeof *trend);
        json_array_foreach(years, j, y) {
            double yr = jnum(y, "year");

            tnum(t, j, 0, yr, 0);
            tnum(t, j, 1, jnum(y, "amount"), 1);
            tnum(t, j, 2, limit, 1);
            tnum(t, j, 3, jnum(y, "ratio"), 2);
            labels[j] = apr_psprintf(p, "%.0f", yr);
            vals[j] = rnd(jnum(y, "amount"), 1);
            trend[j] = json_is_object(tr) ? jnum(tr, "intercept") + jnum(tr, "slope") * yr : NAN;
        }
        memset(&bars, 0, sizeof bars);
        bars.head.id = chart_id(r);
        bars.head.title = t->title;
        bars.head.desc = apr_psprintf(p, M(r, RES_CHART_DESC), res_name, verdict(r, row));
        bars.head.width = 420;
        bars.head.height = 240;
        bars.n = ny;
        bars.labels = labels;
        bars.values = vals;
        bars.limit = isfinite(limit) ? rnd(limit, 1) : NAN;
        bars.limit_label = isfinite(limit) ? apr_psprintf(p, "%s %.0f", M(r, LIMIT), limit) : NULL;
        bars.trend = json_is_object(tr) ? trend : NULL;
        bars.trend_label = M(r, TREND);
        bars.unit = jstr(row, "unit");
        figure(r, sec, sp_svg_bars(b, &bars) == SP_OK ? sp_svg_text(b) : NULL,
               apr_psprintf(p, "%s: %s", t->title, verdict(r, row)), t,
               apr_psprintf(p, "resource-%s", res_name));
    }
    /* Every row, neighbourhoods included, in one table. */
    sum = sp_table_create(M(r, RES_SUMMARY), n, 8, p);
    tcol(sum, 0, M(r, RESOURCE));
    tcol(sum, 1, M(r, PLACE));
    tcol(sum, 2, M(r, LATEST_YEAR));
    tcol(sum, 3, M(r, LATEST));
    tcol(sum, 4, M(r, LIMIT));
    tcol(sum, 5, M(r, RATIO));
    tcol(sum, 6, M(r, MEETS_IN));
    tcol(sum, 7, M(r, TREND));
    json_array_foreach(rows, i, row) {
        const char *place = json_is_string(json_object_get(row, "neighbourhood"))
                                ? jstr(row, "neighbourhood") : r->territory_name;

        ttext(sum, i, 0, apr_psprintf(p, "%s (%s)", jstr(row, "resource"), jstr(row, "unit")));
        ttext(sum, i, 1, apr_pstrdup(p, place ? place : ""));
        tnum(sum, i, 2, jnum(row, "latest_year"), 0);
        tnum(sum, i, 3, jnum(row, "latest"), 1);
        tnum(sum, i, 4, jnum(row, "limit"), 1);
        tnum(sum, i, 5, jnum(row, "ratio"), 2);
        if (isfinite(jnum(row, "meets_in")))
            tnum(sum, i, 6, jnum(row, "meets_in"), 0);
        else
            tundef(sum, i, 6, "does not meet the limit at this pace");
        ttext(sum, i, 7, verdict(r, row));
    }
    table(r, sec, sum, "resources-summary");
    APR_ARRAY_PUSH(r->points, const char *) =
        apr_psprintf(p, M(r, HL_RES), apr_psprintf(p, "%lu", (unsigned long)over),
                     apr_psprintf(p, "%lu", (unsigned long)terr));
    return SP_OK;
}

/* ---- the consumption meter ------------------------------------------------ */

static int
cmp_cstr_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Households by band of one person's yearly CO2e (own use and collective
 * share), per neighbourhood, from the territory's meter (sp_meter.h). */
static int
meter(sp_report_t *r, section_t *sec, sp_error_t **err)
{
    apr_pool_t *p = r->pool;
    static const double edges[4] = {2, 4, 6, 8};   /* t CO2e; 2 t: one person's share */
    const char *bins[5];
    apr_array_header_t *names = apr_array_make(p, 16, sizeof(const char *));
    apr_array_header_t *counts = apr_array_make(p, 16 * 5, sizeof(double));
    size_t nb, k, g, i, co2e = 0;
    double K = r->o.min_cell, *all, *ext, to_t = 1.0;
    sp_table_t *t;
    unsigned char *supp;
    sp_meter_t *m;
    sp_meter_batch_t *mb;
    sp_error_t *merr = NULL;
    const char **order;

    (void)err;
    for (k = 0; k < 5; k++)
        bins[k] = sp_report_msg((sp_report_msg_t)(SP_MSG_METER_BIN_0 + k), r->o.lang);
    if (sp_meter_workspace(r->store, r->o.territory, &m, &mb, p, &merr) != SP_OK) {
        APR_ARRAY_PUSH(r->fallbacks, const char *) =
            apr_psprintf(p, "meter section left empty: %s", merr->message);
        mb = NULL;
    } else {
        for (co2e = 0; co2e < mb->nres; co2e++)
            if (strcmp(sp_meter_resource(m, co2e)->name, "co2e") == 0)
                break;
        if (co2e < mb->nres && strcmp(sp_meter_resource(m, co2e)->unit, "kg CO2e") == 0)
            to_t = 0.001;
        if (co2e == mb->nres) {
            APR_ARRAY_PUSH(r->fallbacks, const char *) = "meter section left empty: the meter has no co2e";
            mb = NULL;
        }
    }
    /* Neighbourhoods in name order ("" first, shown as NONE_LABEL). */
    order = apr_palloc(p, (mb && mb->n ? mb->n : 1) * sizeof *order);
    for (i = 0; mb != NULL && i < mb->n; i++)
        order[i] = mb->neighbourhood[i];
    if (mb != NULL)
        qsort(order, mb->n, sizeof *order, cmp_cstr_ptr);
    for (i = 0; mb != NULL && i < mb->n; i++)
        if (i == 0 || strcmp(order[i], order[i - 1]) != 0) {
            APR_ARRAY_PUSH(names, const char *) = order[i];
            for (k = 0; k < 5; k++)
                APR_ARRAY_PUSH(counts, double) = 0;
        }
    for (i = 0; mb != NULL && i < mb->n; i++) {
        double v = mb->total[i * mb->nres + co2e] * to_t;
        size_t lo = 0, hi = (size_t)names->nelts;

        while (hi - lo > 1) {                 /* names are sorted */
            size_t mid = (lo + hi) / 2;

            if (strcmp(APR_ARRAY_IDX(names, mid, const char *), mb->neighbourhood[i]) <= 0)
                lo = mid;
            else
                hi = mid;
        }
        for (k = 0; k < 4 && v >= edges[k]; k++)
            ;
        ((double *)counts->elts)[lo * 5 + k] += 1;
    }
    for (g = 0; g < (size_t)names->nelts; g++)
        if (*APR_ARRAY_IDX(names, g, const char *) == '\0')
            APR_ARRAY_IDX(names, g, const char *) = M(r, NONE_LABEL);
    nb = (size_t)names->nelts;
    if (nb == 0) {
        para(r, sec, M(r, METER_NONE));
        return SP_OK;
    }
    para(r, sec, M(r, METER_INTRO));
    /* Table: every neighbourhood, then everyone, each with its total:
     * primary and secondary suppression along rows and columns (sp_sdc.h),
     * since both the rows' totals and the row of everyone are shown. */
    t = sp_table_create(M(r, METER_TABLE), nb + 1, 7, p);
    all = apr_pcalloc(p, 5 * sizeof *all);
    ext = apr_pcalloc(p, (nb + 1) * 6 * sizeof *ext);
    supp = apr_palloc(p, (nb + 1) * 6);
    tcol(t, 0, M(r, NEIGHBOURHOOD));
    for (k = 0; k < 5; k++)
        tcol(t, 1 + k, bins[k]);
    tcol(t, 6, M(r, TOTAL));
    for (g = 0; g < nb; g++)
        for (k = 0; k < 5; k++) {
            double c = ((double *)counts->elts)[g * 5 + k];

            all[k] += c;
            ext[g * 6 + k] = c;
            ext[g * 6 + 5] += c;
            ext[nb * 6 + k] += c;
            ext[nb * 6 + 5] += c;
        }
    if (!sp_sdc_protect_table(ext, nb, 5, K, 1, supp))
        APR_ARRAY_PUSH(r->fallbacks, const char *) =
            "meter table: a line with one withheld value had no other to withhold";
    for (g = 0; g <= nb; g++) {
        ttext(t, g, 0, g < nb ? APR_ARRAY_IDX(names, g, const char *) : M(r, ALL_PLACES));
        for (k = 0; k < 6; k++)
            if (supp[g * 6 + k] != SP_SDC_SHOWN)
                tsupp(t, g, 1 + k, supp[g * 6 + k] == SP_SDC_PRIMARY ? M(r, PRIMARY_NOTE)
                                                                   : M(r, SUPPRESSED_NOTE));
            else
                tnum(t, g, 1 + k, ext[g * 6 + k], 0);
    }
    /* Chart: everyone and the (up to) five largest neighbourhoods. */
    {
        const char *groups[6];
        double *hc = apr_palloc(p, 6 * 5 * sizeof *hc), htot[6];
        size_t ng = 0, pick, used[6];
        sp_svg_hist_t h;
        sp_svg_buf_t *b = sp_svg_buf_create(p);

        groups[ng] = M(r, ALL_PLACES);
        for (k = 0; k < 5; k++)
            hc[k] = all[k];
        htot[ng] = supp[nb * 6 + 5] ? NAN : ext[nb * 6 + 5];
        used[ng++] = nb;
        while (ng < 6) {
            double bestt = 0;

            pick = nb;
            for (g = 0; g < nb; g++) {
                double tot = 0;
                size_t u;
                int taken = 0;

                for (u = 0; u < ng; u++)
                    taken |= used[u] == g;
                for (k = 0; k < 5; k++)
                    tot += ((double *)counts->elts)[g * 5 + k];
                if (!taken && tot > bestt) {
                    bestt = tot;
                    pick = g;
                }
            }
            if (pick == nb)
                break;
            groups[ng] = APR_ARRAY_IDX(names, pick, const char *);
            for (k = 0; k < 5; k++)
                hc[ng * 5 + k] = supp[pick * 6 + k] ? NAN : ((double *)counts->elts)[pick * 5 + k];
            htot[ng] = supp[pick * 6 + 5] ? NAN : ext[pick * 6 + 5];
            used[ng++] = pick;
        }
        for (k = 0; k < 5; k++)       /* as withheld in the table (rows of 6) */
            if (supp[nb * 6 + k])
                hc[k] = NAN;
        memset(&h, 0, sizeof h);
        h.head.id = chart_id(r);
        h.head.title = M(r, METER_CHART);
        h.head.desc = M(r, METER_CHART_DESC);
        h.head.width = 620;
        h.head.height = 300;
        h.nbins = 5;
        h.bins = bins;
        h.ngroups = ng;
        h.groups = groups;
        h.counts = hc;
        h.totals = htot;
        h.min_cell = K;
        h.unit = M(r, METER_UNIT);
        figure(r, sec, sp_svg_hist(b, &h) == SP_OK ? sp_svg_text(b) : NULL, h.head.title, NULL,
               NULL);
    }
    table(r, sec, t, "meter");
    para(r, sec, M(r, METER_SWAP));
    return SP_OK;
}

/* ---- the pact ------------------------------------------------------------- */

static int
pact(sp_report_t *r, section_t *sec, json_t **quarters, sp_error_t **err)
{
    apr_pool_t *p = r->pool;
    sp_pact_params_t pp;
    json_t *rep, *qs, *q, *proj;
    size_t n, i;
    sp_table_t *t;
    const char **labels;
    double *obs, *tgt;
    sp_svg_line_t series[2];
    sp_svg_lines_t lc;
    sp_svg_buf_t *b = sp_svg_buf_create(p);
    int rc;

    *quarters = NULL;
    sp_pact_params_default(&pp);
    if ((rc = sp_pact_report(r->store, &pp, &rep, p, err)) != SP_OK) {
        if (rc == SP_EXIT_SOFTWARE)
            return rc;
        para(r, sec, M(r, PACT_NONE));
        return SP_OK;
    }
    qs = json_object_get(rep, "quarters");
    n = json_array_size(qs);
    if (n == 0) {
        para(r, sec, M(r, PACT_NONE));
        return SP_OK;
    }
    *quarters = qs;
    para(r, sec, apr_psprintf(p, M(r, PACT_INTRO), apr_psprintf(p, "%.0f", jnum(rep, "founders")),
                              apr_psprintf(p, "%.0f", jnum(rep, "signatories"))));
    t = sp_table_create(M(r, PACT_CHART), n, 4, p);
    tcol(t, 0, M(r, QUARTER));
    tcol(t, 1, M(r, NEW));
    tcol(t, 2, M(r, CUMULATIVE));
    tcol(t, 3, M(r, TARGET));
    labels = apr_palloc(p, n * sizeof *labels);
    obs = apr_palloc(p, n * sizeof *obs);
    tgt = apr_palloc(p, n * sizeof *tgt);
    json_array_foreach(qs, i, q) {
        labels[i] = apr_pstrdup(p, jstr(q, "quarter"));
        ttext(t, i, 0, labels[i]);
        tnum(t, i, 1, jnum(q, "new"), 0);
        tnum(t, i, 2, jnum(q, "cumulative"), 0);
        tnum(t, i, 3, jnum(q, "target"), 0);
        obs[i] = jnum(q, "cumulative");
        tgt[i] = rnd(jnum(q, "target"), 0);
    }
    series[0].name = M(r, CUMULATIVE);
    series[0].y = obs;
    series[0].dashed = 0;
    series[1].name = M(r, TARGET);
    series[1].y = tgt;
    series[1].dashed = 1;
    memset(&lc, 0, sizeof lc);
    lc.head.id = chart_id(r);
    lc.head.title = t->title;
    lc.head.desc = M(r, PACT_CHART_DESC);
    lc.head.width = 560;
    lc.head.height = 300;
    lc.n = n;
    lc.xlabels = labels;
    lc.nseries = 2;
    lc.series = series;
    lc.log_scale = 1;
    lc.reference = r->population;
    lc.reference_label = isfinite(r->population)
                             ? apr_psprintf(p, "%s %.0f", M(r, POPULATION), r->population) : NULL;
    proj = json_object_get(rep, "projection");
    figure(r, sec, sp_svg_lines(b, &lc) == SP_OK ? sp_svg_text(b) : NULL, t->title, t, "pact");
    if (json_is_string(json_object_get(proj, "covered_in")))
        para(r, sec, apr_psprintf(p, M(r, PACT_COVERED), jstr(proj, "covered_in")));
    else
        para(r, sec, M(r, PACT_NOT_COVERED));
    q = json_array_get(qs, n - 1);
    APR_ARRAY_PUSH(r->points, const char *) =
        apr_psprintf(p, M(r, HL_PACT), jstr(q, "quarter"),
                     apr_psprintf(p, "%.0f", jnum(q, "cumulative")),
                     apr_psprintf(p, "%.0f", jnum(q, "target")));
    return SP_OK;
}

/* ---- the quarterly synthesis ---------------------------------------------- */

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
quarterly(sp_report_t *r, section_t *sec, const json_t *pact_quarters, sp_error_t **err)
{
    apr_pool_t *p = r->pool;
    static const char *const ledgers[3] = {"time", "fund", "goods"};
    json_t *stm, *list, *s, *q;
    apr_array_header_t *all = apr_array_make(p, 32, sizeof(const char *));
    const char **qs;
    size_t i, j, k, nq = 0, n;
    double *vol, *ntr, *sig, *hours;
    sp_table_t *t;
    sp_svg_bars_t bars;
    sp_svg_buf_t *b = sp_svg_buf_create(p);
    int rc;

    if ((rc = sp_ledger_statement(r->store, NULL, NULL, &stm, p, err)) != SP_OK)
        return rc;
    list = json_object_get(stm, "statements");
    /* Quarters of the ledgers and of the pact ("YYYY-Qn" sorts as text). */
    json_array_foreach(list, i, s)
        APR_ARRAY_PUSH(all, const char *) = jstr(s, "quarter");
    json_array_foreach(pact_quarters, i, q)
        APR_ARRAY_PUSH(all, const char *) = jstr(q, "quarter");
    n = (size_t)all->nelts;
    if (n == 0) {
        para(r, sec, M(r, Q_NONE));
        return SP_OK;
    }
    qsort(all->elts, n, sizeof(const char *), cmp_str);
    qs = apr_palloc(p, n * sizeof *qs);
    for (i = 0; i < n; i++) {
        const char *x = APR_ARRAY_IDX(all, i, const char *);

        if (*x && (nq == 0 || strcmp(qs[nq - 1], x) != 0))
            qs[nq++] = x;
    }
    vol = apr_pcalloc(p, nq * 3 * sizeof *vol);
    ntr = apr_pcalloc(p, nq * sizeof *ntr);
    sig = apr_pcalloc(p, nq * sizeof *sig);
    hours = apr_palloc(p, nq * sizeof *hours);
    json_array_foreach(list, i, s) {
        const char *ql = jstr(s, "quarter"), *lg = jstr(s, "ledger");

        for (j = 0; j < nq && strcmp(qs[j], ql) != 0; j++)
            ;
        for (k = 0; k < 3 && strcmp(ledgers[k], lg) != 0; k++)
            ;
        if (j == nq || k == 3)
            continue;
        vol[j * 3 + k] += jnum(s, "volume");
        ntr[j] += jnum(s, "transfers");
    }
    json_array_foreach(pact_quarters, i, q) {
        for (j = 0; j < nq && strcmp(qs[j], jstr(q, "quarter")) != 0; j++)
            ;
        if (j < nq)
            sig[j] += jnum(q, "new");
    }
    para(r, sec, M(r, Q_INTRO));
    t = sp_table_create(M(r, Q_TABLE), nq, 6, p);
    tcol(t, 0, M(r, QUARTER));
    tcol(t, 1, M(r, TRANSFERS));
    tcol(t, 2, M(r, HOURS));
    tcol(t, 3, M(r, EUROS));
    tcol(t, 4, M(r, GOODS));
    tcol(t, 5, M(r, NEW_SIGNATORIES));
    for (j = 0; j < nq; j++) {
        ttext(t, j, 0, qs[j]);
        tnum(t, j, 1, ntr[j], 0);
        for (k = 0; k < 3; k++)
            tnum(t, j, 2 + k, vol[j * 3 + k], 2);
        tnum(t, j, 5, sig[j], 0);
        hours[j] = rnd(vol[j * 3], 2);
    }
    memset(&bars, 0, sizeof bars);
    bars.head.id = chart_id(r);
    bars.head.title = M(r, Q_CHART);
    bars.head.desc = M(r, Q_CHART_DESC);
    bars.head.width = 560;
    bars.head.height = 260;
    bars.n = nq;
    bars.labels = qs;
    bars.values = hours;
    bars.limit = NAN;
    bars.unit = "h";
    figure(r, sec, sp_svg_bars(b, &bars) == SP_OK ? sp_svg_text(b) : NULL, bars.head.title, t,
           "quarterly");
    return SP_OK;
}

/* ---- summary -------------------------------------------------------------- */

static void
summary(sp_report_t *r, section_t *sec)
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
    if ((rc = survey(r, section(r, "survey", SP_MSG_S_SURVEY), err)) != SP_OK
        || (rc = crosstabs(r, section(r, "crosstabs", SP_MSG_S_CROSSTAB), err)) != SP_OK
        || (rc = evaluation(r, section(r, "evaluation", SP_MSG_S_EVAL), err)) != SP_OK
        || (rc = resources(r, section(r, "resources", SP_MSG_S_RESOURCES), err)) != SP_OK
        || (rc = meter(r, section(r, "meter", SP_MSG_S_METER), err)) != SP_OK
        || (rc = pact(r, section(r, "pact", SP_MSG_S_PACT), &pq, err)) != SP_OK
        || (rc = quarterly(r, section(r, "quarterly", SP_MSG_S_QUARTERLY), pq, err)) != SP_OK)
        return rc;
    summary(r, sum);
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

/* ---- printing ------------------------------------------------------------- */

static const char CSS[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:1.5em auto;"
    "max-width:72em;padding:0 1em;color:#222;line-height:1.4}"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;"
    "margin-top:2em}"
    ".synthetic{background:#fff4d6;border:1px solid #e6c65c;padding:.4em .8em}"
    ".pair{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start;margin:1em 0}"
    "figure{margin:0;display:table}figcaption{display:table-caption;caption-side:bottom;"
    "font-size:.9em;color:#444}"
    "table{border-collapse:collapse;font-size:.85em;margin:.6em 0}"
    "caption{text-align:left;font-weight:bold;padding:.3em 0}"
    "th,td{border:1px solid #ccc;padding:.2em .5em}thead th{background:#eef3f8}"
    "tbody th{text-align:left;font-weight:normal}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}"
    "td.x{text-align:center;color:#a00;font-weight:bold}td.na{text-align:center;color:#888}"
    "p.note{font-size:.85em;color:#555}p.nodata{font-style:italic;color:#555}"
    "ul.points li{margin:.2em 0}nav ol{columns:2}"
    "svg.chart{max-width:100%;height:auto}"
    "@media print{body{max-width:none;margin:0;font-size:10pt}nav{display:none}"
    "section{break-before:page}section#s-summary{break-before:avoid}"
    ".pair,figure,table{break-inside:avoid}a{color:inherit;text-decoration:none}}";

/* A number cell's text in the report's language (decimal comma in French). */
static const char *
num_text(const sp_report_t *r, double v, char *buf, size_t n)
{
    sp_export_real(buf, n, v, r->o.lang == SP_REPORT_FR);
    return buf;
}

static void
html_table(const sp_report_t *r, sp_svg_buf_t *h, const sp_table_t *t, const char *tid)
{
    size_t i, j;
    char num[64];

    if (t->not_for_publication) {
        sp_svg_puts(h, "<p class=\"note\"><strong>");
        sp_svg_escape(h, M(r, NOT_FOR_PUB));
        sp_svg_puts(h, "</strong></p>");
    }
    sp_svg_printf(h, "<table id=\"t-%s\"><caption>", tid);
    sp_svg_escape(h, t->title);
    sp_svg_puts(h, "</caption><thead><tr>");
    for (j = 0; j < t->ncols; j++) {
        sp_svg_puts(h, "<th scope=\"col\">");
        sp_svg_escape(h, t->columns[j]);
        sp_svg_puts(h, "</th>");
    }
    sp_svg_puts(h, "</tr></thead><tbody>\n");
    for (i = 0; i < t->nrows; i++) {
        sp_svg_puts(h, "<tr>");
        for (j = 0; j < t->ncols; j++) {
            const sp_table_cell_t *c = &t->cells[i * t->ncols + j];

            switch (c->kind) {
            case SPIRAL_CELL_NUMBER:
                sp_svg_printf(h, "<td class=\"num\">%s</td>", num_text(r, c->number, num, sizeof num));
                break;
            case SPIRAL_CELL_TEXT:
                sp_svg_puts(h, j == 0 ? "<th scope=\"row\">" : "<td>");
                sp_svg_escape(h, c->text);
                sp_svg_puts(h, j == 0 ? "</th>" : "</td>");
                break;
            case SPIRAL_CELL_SUPPRESSED:
            case SPIRAL_CELL_UNDEFINED:
                sp_svg_puts(h, c->kind == SPIRAL_CELL_SUPPRESSED ? "<td class=\"x\"" : "<td class=\"na\"");
                if (c->note) {
                    sp_svg_puts(h, " title=\"");
                    sp_svg_escape(h, c->note);
                    sp_svg_puts(h, "\"");
                }
                sp_svg_puts(h, ">");
                sp_svg_escape(h, c->text && *c->text ? c->text : (c->kind == SPIRAL_CELL_SUPPRESSED ? "x" : "."));
                sp_svg_puts(h, "</td>");
                break;
            default:
                sp_svg_puts(h, "<td></td>");
            }
        }
        sp_svg_puts(h, "</tr>\n");
    }
    sp_svg_puts(h, "</tbody></table>\n");
    if (t->note && *t->note) {
        sp_svg_puts(h, "<p class=\"note\">");
        sp_svg_escape(h, t->note);
        sp_svg_puts(h, "</p>");
    }
}

/* A paragraph; lines after the first of a multi-line text become a list. */
static void
html_para(sp_svg_buf_t *h, const char *text)
{
    const char *nl = strchr(text, '\n');

    if (nl == NULL) {
        sp_svg_puts(h, "<p>");
        sp_svg_escape(h, text);
        sp_svg_puts(h, "</p>\n");
        return;
    }
    sp_svg_puts(h, "<p>");
    for (; text < nl; text++) {
        char one[2] = {*text, 0};

        sp_svg_escape(h, one);
    }
    sp_svg_puts(h, "</p><ul class=\"points\">");
    while (nl) {
        const char *start = nl + 1, *end;

        nl = strchr(start, '\n');
        end = nl ? nl : start + strlen(start);
        sp_svg_puts(h, "<li>");
        for (; start < end; start++) {
            char one[2] = {*start, 0};

            sp_svg_escape(h, one);
        }
        sp_svg_puts(h, "</li>");
    }
    sp_svg_puts(h, "</ul>\n");
}

const char *
sp_report_html(const sp_report_t *r, apr_pool_t *pool)
{
    sp_svg_buf_t *h = sp_svg_buf_create(pool);
    size_t i, j;

    sp_svg_printf(h, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>", r->o.lang == SP_REPORT_FR ? "fr" : "en");
    sp_svg_escape(h, M(r, DOC_TITLE));
    if (r->territory_name) {
        sp_svg_puts(h, " \xe2\x80\x94 ");
        sp_svg_escape(h, r->territory_name);
    }
    sp_svg_printf(h, "</title>\n<style>%s</style>\n</head>\n<body>\n<header><h1>", CSS);
    sp_svg_escape(h, M(r, DOC_TITLE));
    if (r->territory_name) {
        sp_svg_puts(h, " \xe2\x80\x94 ");
        sp_svg_escape(h, r->territory_name);
    }
    sp_svg_puts(h, "</h1><p>");
    sp_svg_escape(h, M(r, DOC_INTRO));
    sp_svg_puts(h, "</p>");
    if (count_of((sp_report_t *)r, "SELECT count(*) FROM meta WHERE key = 'synthetic'"
                                   " AND value IN ('1', 'yes', 'true')", -1) > 0
        || (r->territory_name && count_of((sp_report_t *)r,
                                          "SELECT count(*) FROM import_ledger WHERE file_name LIKE"
                                          " '%datasets/mulhouse/%'", -1) > 0)) {
        sp_svg_puts(h, "<p class=\"synthetic\">");
        sp_svg_escape(h, M(r, SYNTHETIC));
        sp_svg_puts(h, "</p>");
    }
    sp_svg_puts(h, "</header>\n<nav aria-label=\"");
    sp_svg_escape(h, M(r, CONTENTS));
    sp_svg_puts(h, "\"><ol>");
    for (i = 0; i < (size_t)r->sections->nelts; i++) {
        section_t *s = APR_ARRAY_IDX(r->sections, i, section_t *);

        sp_svg_printf(h, "<li><a href=\"#s-%s\">", s->id);
        sp_svg_escape(h, sp_report_msg(s->title, r->o.lang));
        sp_svg_puts(h, "</a></li>");
    }
    sp_svg_puts(h, "</ol></nav>\n<main>\n");
    for (i = 0; i < (size_t)r->sections->nelts; i++) {
        section_t *s = APR_ARRAY_IDX(r->sections, i, section_t *);

        sp_svg_printf(h, "<section id=\"s-%s\">\n<h2>", s->id);
        sp_svg_escape(h, sp_report_msg(s->title, r->o.lang));
        sp_svg_puts(h, "</h2>\n");
        for (j = 0; j < (size_t)s->blocks->nelts; j++) {
            block_t *b = &APR_ARRAY_IDX(s->blocks, j, block_t);

            if (b->kind == B_PARA) {
                html_para(h, b->text);
            } else if (b->kind == B_TABLE) {
                html_table(r, h, b->table, b->tid);
            } else {
                sp_svg_puts(h, "<div class=\"pair\"><figure>");
                if (b->svg) {
                    sp_svg_puts(h, b->svg);
                } else {
                    sp_svg_puts(h, "<p class=\"nodata\">");
                    sp_svg_escape(h, M(r, NO_DATA_CHART));
                    sp_svg_puts(h, "</p>");
                }
                sp_svg_puts(h, "<figcaption>");
                sp_svg_escape(h, b->text);
                sp_svg_puts(h, "</figcaption></figure>");
                if (b->table) {
                    sp_svg_puts(h, "<div class=\"tbl\">");
                    html_table(r, h, b->table, b->tid);
                    sp_svg_puts(h, "</div>");
                }
                sp_svg_puts(h, "</div>\n");
            }
        }
        sp_svg_puts(h, "</section>\n");
    }
    sp_svg_puts(h, "</main>\n<footer><p class=\"note\">");
    sp_svg_escape(h, apr_psprintf(pool, M(r, MARK_NOTE), apr_psprintf(pool, "%.0f", r->o.min_cell)));
    sp_svg_puts(h, "</p></footer>\n</body>\n</html>\n");
    return sp_svg_text(h);
}

/* A JSON string. */
static void
jput(sp_svg_buf_t *b, const char *s)
{
    const unsigned char *p;

    sp_svg_puts(b, "\"");
    for (p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            sp_svg_printf(b, "\\%c", *p);
        else if (*p == '\n')
            sp_svg_puts(b, "\\n");
        else if (*p < 0x20)
            sp_svg_printf(b, "\\u%04x", *p);
        else
            sp_svg_printf(b, "%c", *p);
    }
    sp_svg_puts(b, "\"");
}

const char *
sp_report_json(const sp_report_t *r, apr_pool_t *pool)
{
    sp_svg_buf_t *b = sp_svg_buf_create(pool);
    size_t i, j, row, col, nt = 0;
    char num[64];

    sp_svg_puts(b, "{\"title\": ");
    jput(b, M(r, DOC_TITLE));
    sp_svg_printf(b, ", \"lang\": \"%s\", \"territory\": ", r->o.lang == SP_REPORT_FR ? "fr" : "en");
    if (r->territory_name)
        jput(b, r->territory_name);
    else
        sp_svg_puts(b, "null");
    sp_export_real(num, sizeof num, r->o.min_cell, 0);
    sp_svg_printf(b, ", \"min_cell\": %s,\n \"sections\": [", num);
    for (i = 0; i < (size_t)r->sections->nelts; i++) {
        section_t *s = APR_ARRAY_IDX(r->sections, i, section_t *);
        int first = 1;

        sp_svg_printf(b, "%s\n  {\"id\": \"%s\", \"title\": ", i ? "," : "", s->id);
        jput(b, sp_report_msg(s->title, r->o.lang));
        sp_svg_puts(b, ", \"tables\": [");
        for (j = 0; j < (size_t)s->blocks->nelts; j++) {
            block_t *bl = &APR_ARRAY_IDX(s->blocks, j, block_t);
            const sp_table_t *t = bl->table;

            if (t == NULL)
                continue;
            nt++;
            sp_svg_printf(b, "%s\n   {\"id\": ", first ? "" : ",");
            first = 0;
            jput(b, bl->tid);
            sp_svg_puts(b, ", \"title\": ");
            jput(b, t->title);
            sp_svg_printf(b, ", \"not_for_publication\": %s, \"note\": ",
                          t->not_for_publication ? "true" : "false");
            if (t->note)
                jput(b, t->note);
            else
                sp_svg_puts(b, "null");
            sp_svg_puts(b, ",\n    \"columns\": [");
            for (col = 0; col < t->ncols; col++) {
                if (col)
                    sp_svg_puts(b, ", ");
                jput(b, t->columns[col]);
            }
            sp_svg_puts(b, "],\n    \"rows\": [");
            /* One row a line, so that a line-based tool can compare rows. */
            for (row = 0; row < t->nrows; row++) {
                sp_svg_puts(b, row ? ",\n     [" : "\n     [");
                for (col = 0; col < t->ncols; col++) {
                    const sp_table_cell_t *c = &t->cells[row * t->ncols + col];

                    if (col)
                        sp_svg_puts(b, ", ");
                    if (c->kind == SPIRAL_CELL_NUMBER) {
                        sp_export_real(num, sizeof num, c->number, 0);
                        sp_svg_puts(b, num);
                    } else if (c->kind == SPIRAL_CELL_TEXT) {
                        jput(b, c->text);
                    } else if (c->kind == SPIRAL_CELL_SUPPRESSED
                               || c->kind == SPIRAL_CELL_UNDEFINED) {
                        sp_svg_puts(b, "{\"mark\": ");
                        jput(b, c->text);
                        sp_svg_printf(b, ", \"suppressed\": %s, \"note\": ",
                                      c->kind == SPIRAL_CELL_SUPPRESSED ? "true" : "false");
                        if (c->note)
                            jput(b, c->note);
                        else
                            sp_svg_puts(b, "null");
                        sp_svg_puts(b, "}");
                    } else {
                        sp_svg_puts(b, "null");
                    }
                }
                sp_svg_puts(b, "]");
            }
            sp_svg_puts(b, "]}");
        }
        sp_svg_puts(b, "]}");
    }
    sp_svg_puts(b, "\n ]}\n");
    (void)nt;
    return sp_svg_text(b);
}

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
