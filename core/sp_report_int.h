/*
 * sp_report_int.h -- what the files of the facilitator's report share
 * (sp_report.c, the driver; sp_report_<section>.c, one section each;
 * sp_report_html.c and sp_report_json.c, the printers): the report's
 * context with its sections and blocks, the builders of the sections in
 * report order, and the small helpers that add a paragraph, a figure or a
 * table to a section and set a table's cells, rounded once as they enter.
 *
 * The helpers are static inline so that they keep their short names
 * without becoming symbols of libspiral.  Internal to libspiral: not
 * installed.
 */
#ifndef SP_REPORT_INT_H
#define SP_REPORT_INT_H

#include <math.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include <jansson.h>
#include "sp_report.h"

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

/* ---- the sections, in report order ---------------------------------------- */

/* Each builder adds its paragraphs, figures and tables to sec; a
 * workspace without its kind of data gets a sentence saying so, not an
 * error.  They return SP_OK, or the status (with *err) of a SQLite
 * failure or of the module they call. */
int
sp_report_survey(sp_report_t *r, section_t *sec, sp_error_t **err);
int
sp_report_crosstabs(sp_report_t *r, section_t *sec, sp_error_t **err);
/* Also SP_EXIT_USAGE when r->o.plan names no plan. */
int
sp_report_evaluation(sp_report_t *r, section_t *sec, sp_error_t **err);
int
sp_report_resources(sp_report_t *r, section_t *sec, sp_error_t **err);
int
sp_report_meter(sp_report_t *r, section_t *sec, sp_error_t **err);
/* *quarters: the pact's quarters, or NULL when there are none, for the
 * quarterly synthesis. */
int
sp_report_pact(sp_report_t *r, section_t *sec, json_t **quarters, sp_error_t **err);
int
sp_report_quarterly(sp_report_t *r, section_t *sec, const json_t *pact_quarters,
                    sp_error_t **err);
/* Built last, since it lists the key points the other sections left in
 * r->points; placed first. */
void
sp_report_summary(sp_report_t *r, section_t *sec);

/* ---- sections, blocks, tables --------------------------------------------- */

static inline void
para(sp_report_t *r, section_t *s, const char *text)
{
    block_t *b = apr_array_push(s->blocks);

    memset(b, 0, sizeof *b);
    b->kind = B_PARA;
    b->text = apr_pstrdup(r->pool, text);
}

/* A chart (svg NULL: replaced by the sentence NO_DATA_CHART) with its
 * table beside (may be NULL). */
static inline void
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

static inline void
table(sp_report_t *r, section_t *s, sp_table_t *t, const char *tid)
{
    block_t *b = apr_array_push(s->blocks);

    memset(b, 0, sizeof *b);
    b->kind = B_TABLE;
    b->table = t;
    b->tid = tid;
    (void)r;
}

static inline sp_table_cell_t *
cell(sp_table_t *t, size_t row, size_t col)
{
    return (sp_table_cell_t *)&t->cells[row * t->ncols + col];
}

static inline void
tcol(sp_table_t *t, size_t col, const char *name)
{
    ((const char **)t->columns)[col] = name;
}

static inline double
rnd(double v, int digits)
{
    double p = pow(10, digits), x = round(v * p) / p;

    return x == 0 ? 0 : x;   /* no "-0" */
}

/* A number rounded to digits decimals; NAN or infinite: undefined. */
static inline void
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

static inline void
ttext(sp_table_t *t, size_t row, size_t col, const char *s)
{
    sp_table_cell_t *c = cell(t, row, col);

    c->kind = SPIRAL_CELL_TEXT;
    c->text = s ? s : "";
}

static inline void
tsupp(sp_table_t *t, size_t row, size_t col, const char *note)
{
    sp_table_cell_t *c = cell(t, row, col);

    c->kind = SPIRAL_CELL_SUPPRESSED;
    c->text = SP_TABLE_MARK_SUPPRESSED;
    c->note = note;
}

static inline void
tundef(sp_table_t *t, size_t row, size_t col, const char *note)
{
    sp_table_cell_t *c = cell(t, row, col);

    c->kind = SPIRAL_CELL_UNDEFINED;
    c->text = SP_TABLE_MARK_UNDEFINED;
    c->note = note;
}

/* Round every number of a table made elsewhere (sp_table_from_xtab). */
static inline void
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
static inline const char *
chart_id(sp_report_t *r)
{
    return apr_psprintf(r->pool, "c%u", ++r->charts);
}

static inline const char *
jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));

    return s ? s : "";
}

static inline double
jnum(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* qsort order of an array of C strings, by bytes. */
static inline int
cmp_cstr_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One integer from sql with an optional integer parameter (-1: none). */
static inline double
count_of(const sp_report_t *r, const char *sql, long param)
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

#endif
