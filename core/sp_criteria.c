/*
 * sp_criteria.c -- counts and shares of criteria per taxonomy code, rolled
 * up by prefix, synchronic and diachronic, in either taxonomy version (see
 * sp_criteria.h); the list of criteria; the code grammar they share with
 * the `codes` import kind (sp_import_taxonomy.c).
 *
 * One SQL pass reads every criterion with its group's attributes; each is
 * placed in its columns (breakdown value and total, or the periods it
 * falls in), translated to the chosen taxonomy when coded in another, and
 * counted by sp_criteria_tally_add for its family, component and
 * sub-object.  The rows are then the union of the taxonomy's nodes down to
 * the chosen level (so that what no group mentioned shows as 0) and the
 * codes counted, in code order, which is also the order of the hierarchy.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include "sp_criteria.h"
#include "sp_grid.h"

/* --- codes ------------------------------------------------------------------ */

static int
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int
sp_criteria_level_of(const char *s)
{
    if (s == NULL || !(s[0] >= 'A' && s[0] <= 'Z'))
        return 0;
    if (s[1] == '\0')
        return SP_CRITERIA_FAMILY;
    if (!(is_digit(s[1]) && is_digit(s[2])))
        return 0;
    if (s[3] == '\0')
        return SP_CRITERIA_COMPONENT;
    if (s[3] == '-' && is_digit(s[4]) && is_digit(s[5]) && s[6] == '\0')
        return SP_CRITERIA_SUBOBJECT;
    return 0;
}

static const char *const level_names[] = {NULL, "family", "component", "subobject"};
static const size_t level_len[] = {0, 1, 3, 6};

int
sp_criteria_level_parse(const char *name)
{
    int i;

    for (i = 1; i <= 3; i++)
        if (strcmp(name, level_names[i]) == 0)
            return i;
    return 0;
}

const char *
sp_criteria_level_name(int level)
{
    return level >= 1 && level <= 3 ? level_names[level] : "";
}

static int
all_in(const char *s, size_t min, size_t max, char lo, char hi)
{
    size_t n = strlen(s), i;

    if (n < min || n > max)
        return 0;
    for (i = 0; i < n; i++)
        if (s[i] < lo || s[i] > hi)
            return 0;
    return 1;
}

int
sp_criteria_code_parse(const char *text, sp_criteria_code_t *code, apr_pool_t *pool)
{
    char *s = apr_pstrdup(pool, text), *slash, *sense = NULL, *beneficiary = NULL;

    if ((slash = strchr(s, '/')) != NULL) {
        *slash = '\0';
        sense = slash + 1;
        if ((slash = strchr(sense, '/')) != NULL) {
            *slash = '\0';
            beneficiary = slash + 1;
        }
    }
    code->object = s;
    code->sense = sense;
    code->beneficiary = beneficiary;
    if (sp_criteria_level_of(s) == 0)
        return 0;
    if (sense != NULL && !(sense[0] >= 'A' && sense[0] <= 'Z' && all_in(sense + 1, 1, 2, '0', '9')))
        return 0;
    return beneficiary == NULL || all_in(beneficiary, 1, 3, 'a', 'z');
}

int
sp_criteria_taxonomy_split(const char *text, const char **name, const char **version,
                           apr_pool_t *pool)
{
    const char *colon = strrchr(text, ':');

    if (colon == NULL || colon == text || colon[1] == '\0')
        return 0;
    *name = apr_pstrndup(pool, text, (apr_size_t)(colon - text));
    *version = apr_pstrdup(pool, colon + 1);
    return 1;
}

/* --- counts per key and column ----------------------------------------------- */

typedef struct counts_t {
    long *n;
    int cap;
} counts_t;

static void
bump(apr_hash_t *h, const char *key, int col, apr_pool_t *pool)
{
    counts_t *c = apr_hash_get(h, key, APR_HASH_KEY_STRING);

    if (c == NULL) {
        c = apr_pcalloc(pool, sizeof *c);
        apr_hash_set(h, apr_pstrdup(pool, key), APR_HASH_KEY_STRING, c);
    }
    if (col >= c->cap) {
        int cap = c->cap ? c->cap : 4;
        long *n;

        while (cap <= col)
            cap *= 2;
        n = apr_pcalloc(pool, sizeof(long) * (size_t)cap);
        if (c->cap)
            memcpy(n, c->n, sizeof(long) * (size_t)c->cap);
        c->n = n;
        c->cap = cap;
    }
    c->n[col]++;
}

static long
get(apr_hash_t *h, const char *key, int col)
{
    const counts_t *c = apr_hash_get(h, key, APR_HASH_KEY_STRING);

    return c != NULL && col >= 0 && col < c->cap ? c->n[col] : 0;
}

struct sp_criteria_tally_t {
    apr_hash_t *codes;
    int max_level;
    apr_pool_t *pool;
};

sp_criteria_tally_t *
sp_criteria_tally_create(int max_level, apr_pool_t *pool)
{
    sp_criteria_tally_t *t = apr_pcalloc(pool, sizeof *t);

    t->codes = apr_hash_make(pool);
    t->max_level = max_level;
    t->pool = pool;
    return t;
}

int
sp_criteria_tally_add(sp_criteria_tally_t *t, const char *object, int col)
{
    int level = sp_criteria_level_of(object), d;
    char prefix[8];

    if (level == 0 || col < 0)
        return 0;
    for (d = 1; d <= level && d <= t->max_level; d++) {
        memcpy(prefix, object, level_len[d]);
        prefix[level_len[d]] = '\0';
        bump(t->codes, prefix, col, t->pool);
    }
    return 1;
}

long
sp_criteria_tally_count(const sp_criteria_tally_t *t, const char *code, int col)
{
    return get(t->codes, code, col);
}

apr_hash_t *
sp_criteria_tally_codes(const sp_criteria_tally_t *t)
{
    return t->codes;
}

/* --- statistics --------------------------------------------------------------- */

static const char *const by_names[] = {"", "question", "group_kind", "age_band",
                                       "neighbourhood", "cycle"};

int
sp_criteria_by_parse(const char *name)
{
    int i;

    for (i = 1; i <= SP_CRITERIA_BY_CYCLE; i++)
        if (strcmp(name, by_names[i]) == 0)
            return i;
    return -1;
}

typedef struct column_t {
    const char *key;
    long criteria, coded, uncoded, unmapped;
} column_t;

typedef struct node_t {
    const char *code, *label_fr, *label_en;
    int provisional, in_taxonomy;
} node_t;

typedef struct stats_t {
    sp_store_t *store;
    const sp_criteria_stats_opts_t *opts;
    apr_pool_t *pool;
    sp_error_t **err;
    sqlite3_int64 taxonomy;          /* 0: no taxonomy in the workspace */
    const char *taxonomy_name;
    apr_hash_t *names;               /* taxonomy id (decimal) -> "name:version" */
    apr_hash_t *map;                 /* "from_id\tcode" -> to_code */
    apr_hash_t *nodes;               /* code -> node_t */
    apr_hash_t *unmapped;            /* "name:version\tcode" -> counts */
    apr_hash_t *by_index;            /* breakdown value -> column index */
    apr_array_header_t *columns;     /* column_t; 0 is the total (synchronic) */
    sp_criteria_tally_t *tally;
} stats_t;

static int
fail(stats_t *st, const char *what)
{
    return sp_store_fail(st->store->db, what, st->pool, st->err);
}

/* Run sql (one optional integer parameter) and call each for every row. */
static int
each_row(stats_t *st, const char *sql, sqlite3_int64 param,
         void (*each)(stats_t *st, sqlite3_stmt *stmt))
{
    sqlite3_stmt *stmt;
    int rc;

    if (sqlite3_prepare_v2(st->store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return fail(st, "criteria statistics");
    if (sqlite3_bind_parameter_count(stmt) > 0)
        sqlite3_bind_int64(stmt, 1, param);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        each(st, stmt);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? SP_OK : fail(st, "criteria statistics");
}

static const char *
text(sqlite3_stmt *stmt, int i, apr_pool_t *pool)
{
    const unsigned char *s = sqlite3_column_text(stmt, i);

    return s ? apr_pstrdup(pool, (const char *)s) : NULL;
}

static void
each_name(stats_t *st, sqlite3_stmt *stmt)
{
    apr_hash_set(st->names, apr_psprintf(st->pool, "%ld", (long)sqlite3_column_int64(stmt, 0)),
                 APR_HASH_KEY_STRING, text(stmt, 1, st->pool));
}

static void
each_map(stats_t *st, sqlite3_stmt *stmt)
{
    apr_hash_set(st->map, apr_psprintf(st->pool, "%ld\t%s", (long)sqlite3_column_int64(stmt, 0),
                                       sqlite3_column_text(stmt, 1)),
                 APR_HASH_KEY_STRING, text(stmt, 2, st->pool));
}

static void
each_node(stats_t *st, sqlite3_stmt *stmt)
{
    node_t *n = apr_pcalloc(st->pool, sizeof *n);

    n->code = text(stmt, 0, st->pool);
    n->label_fr = text(stmt, 1, st->pool);
    n->label_en = text(stmt, 2, st->pool);
    n->provisional = sqlite3_column_int(stmt, 3);
    n->in_taxonomy = 1;
    apr_hash_set(st->nodes, n->code, APR_HASH_KEY_STRING, n);
}

/* The taxonomy the statistics are shown in. */
static int
resolve_taxonomy(stats_t *st)
{
    sqlite3 *db = st->store->db;
    sqlite3_stmt *stmt;
    const char *name, *version;
    int rc, n = 0;

    if (st->opts->taxonomy != NULL) {
        if (!sp_criteria_taxonomy_split(st->opts->taxonomy, &name, &version, st->pool))
            return sp_error_set(st->err, st->pool, SP_EXIT_USAGE, NULL, 0, 0, "--taxonomy: "
                                "'%s' is not valid: expected name:version, e.g. spiral:2013",
                                st->opts->taxonomy);
        if (sqlite3_prepare_v2(db, "SELECT id FROM taxonomy WHERE name = ?1 AND version = ?2",
                               -1, &stmt, NULL) != SQLITE_OK)
            return fail(st, "taxonomy lookup");
        sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, version, -1, SQLITE_STATIC);
        rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW)
            st->taxonomy = sqlite3_column_int64(stmt, 0);
        sqlite3_finalize(stmt);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return fail(st, "taxonomy lookup");
        if (rc == SQLITE_DONE)
            return sp_error_set(st->err, st->pool, SP_EXIT_USAGE, NULL, 0, 0,
                                "--taxonomy: unknown taxonomy '%s'", st->opts->taxonomy);
        st->taxonomy_name = st->opts->taxonomy;
        return SP_OK;
    }
    /* The territories' taxonomy when they agree on one, else the only one. */
    if (sqlite3_prepare_v2(db, "SELECT DISTINCT taxonomy_id FROM territory WHERE taxonomy_id "
                           "IS NOT NULL", -1, &stmt, NULL) != SQLITE_OK)
        return fail(st, "taxonomy lookup");
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && n++ == 0)
        st->taxonomy = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    if (n != 1) {
        st->taxonomy = 0;
        n = 0;
        if (sqlite3_prepare_v2(db, "SELECT id FROM taxonomy", -1, &stmt, NULL) != SQLITE_OK)
            return fail(st, "taxonomy lookup");
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && n++ == 0)
            st->taxonomy = sqlite3_column_int64(stmt, 0);
        sqlite3_finalize(stmt);
        if (n > 1)
            return sp_error_set(st->err, st->pool, SP_EXIT_USAGE, NULL, 0, 0, "the workspace "
                                "has several taxonomies: name one with --taxonomy name:version");
        if (n == 0)
            st->taxonomy = 0;
    }
    if (st->taxonomy != 0)
        st->taxonomy_name = apr_hash_get(st->names, apr_psprintf(st->pool, "%ld",
                                         (long)st->taxonomy), APR_HASH_KEY_STRING);
    return SP_OK;
}

static int
column_of(stats_t *st, const char *key)
{
    int *i = apr_hash_get(st->by_index, key, APR_HASH_KEY_STRING);
    column_t *c;

    if (i != NULL)
        return *i;
    c = apr_array_push(st->columns);
    memset(c, 0, sizeof *c);
    c->key = apr_pstrdup(st->pool, key);
    i = apr_palloc(st->pool, sizeof *i);
    *i = st->columns->nelts - 1;
    apr_hash_set(st->by_index, c->key, APR_HASH_KEY_STRING, i);
    return *i;
}

static int
in_period(const sp_criteria_period_t *p, long cycle, const char *met_on)
{
    switch (p->kind) {
    case SP_PERIOD_CYCLE: return cycle == p->cycle;
    case SP_PERIOD_UNTIL: return met_on != NULL && strcmp(met_on, p->date) <= 0;
    default: return 1;
    }
}

/* Count one criterion (object may be NULL) coded in taxonomy tax in column col. */
static void
count(stats_t *st, int col, const char *object, sqlite3_int64 tax)
{
    column_t *c = &APR_ARRAY_IDX(st->columns, col, column_t);

    c->criteria++;
    if (object == NULL) {
        c->uncoded++;
        return;
    }
    if (st->taxonomy != 0 && tax != 0 && tax != st->taxonomy) {
        const char *to = apr_hash_get(st->map, apr_psprintf(st->pool, "%ld\t%s",
                                      (long)tax, object), APR_HASH_KEY_STRING);

        if (to == NULL) {
            const char *name = apr_hash_get(st->names, apr_psprintf(st->pool, "%ld",
                                            (long)tax), APR_HASH_KEY_STRING);

            c->unmapped++;
            bump(st->unmapped, apr_psprintf(st->pool, "%s\t%s", name ? name : "?", object),
                 col, st->pool);
            return;
        }
        object = to;
    }
    if (sp_criteria_tally_add(st->tally, object, col))
        c->coded++;
    else
        c->uncoded++;      /* not a code: the import never lets one in */
}

static void
each_criterion(stats_t *st, sqlite3_stmt *stmt)
{
    const sp_criteria_stats_opts_t *o = st->opts;
    const char *object = (const char *)sqlite3_column_text(stmt, 0);
    sqlite3_int64 tax = sqlite3_column_int64(stmt, 1);
    long cycle = (long)sqlite3_column_int64(stmt, 6);
    const char *met_on = (const char *)sqlite3_column_text(stmt, 7), *key;

    if (o->to.kind != SP_PERIOD_ALL) {
        if (in_period(&o->from, cycle, met_on))
            count(st, 0, object, tax);
        if (in_period(&o->to, cycle, met_on))
            count(st, 1, object, tax);
        return;
    }
    if (!in_period(&o->from, cycle, met_on))
        return;
    count(st, 0, object, tax);
    if (o->by != SP_CRITERIA_BY_NONE) {
        key = (const char *)sqlite3_column_text(stmt, 1 + (int)o->by);
        count(st, column_of(st, key ? key : "(none)"), object, tax);
    }
}

static const char *
period_label(const sp_criteria_period_t *p, apr_pool_t *pool)
{
    if (p->kind == SP_PERIOD_CYCLE)
        return apr_psprintf(pool, "cycle %ld", p->cycle);
    if (p->kind == SP_PERIOD_UNTIL)
        return apr_psprintf(pool, "until %s", p->date);
    return "all";
}

/* Breakdown values in byte order, "(none)" last; cycles in numeric order. */
static int
compare_keys(const void *a, const void *b)
{
    const column_t *x = *(const column_t *const *)a, *y = *(const column_t *const *)b;
    int nx = strcmp(x->key, "(none)") == 0, ny = strcmp(y->key, "(none)") == 0;

    return nx != ny ? nx - ny : strcmp(x->key, y->key);
}

static int
compare_numeric_keys(const void *a, const void *b)
{
    const column_t *x = *(const column_t *const *)a, *y = *(const column_t *const *)b;
    long u = atol(x->key), v = atol(y->key);

    return (u > v) - (u < v);
}

static int
compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static json_t *
share(long n, long coded)
{
    return coded > 0 ? json_real((double)n / (double)coded) : json_null();
}

/* Build the result object from the tallies. */
static json_t *
build(stats_t *st)
{
    const sp_criteria_stats_opts_t *o = st->opts;
    int diachronic = o->to.kind != SP_PERIOD_ALL, ncols = st->columns->nelts, i, k, nrows = 0;
    const column_t **order = apr_pcalloc(st->pool, sizeof(column_t *) * (size_t)ncols);
    int *index = apr_pcalloc(st->pool, sizeof(int) * (size_t)ncols);
    json_t *res = json_object(), *cols = json_array(), *rows = json_array(), *un = json_array();
    apr_hash_t *seen = apr_hash_make(st->pool);
    apr_hash_index_t *hi;
    const char **codes;

    /* Output columns: the breakdown's values in order, then the total. */
    for (i = 0; i < ncols; i++)
        order[i] = &APR_ARRAY_IDX(st->columns, i, column_t);
    if (!diachronic && ncols > 1) {
        qsort(order + 1, (size_t)(ncols - 1), sizeof *order,
              o->by == SP_CRITERIA_BY_CYCLE ? compare_numeric_keys : compare_keys);
        memmove(order, order + 1, sizeof *order * (size_t)(ncols - 1));
        order[ncols - 1] = &APR_ARRAY_IDX(st->columns, 0, column_t);
    }
    for (i = 0; i < ncols; i++) {
        json_t *c = json_object();

        index[i] = (int)(order[i] - &APR_ARRAY_IDX(st->columns, 0, column_t));
        json_object_set_new(c, "key", json_string(order[i]->key));
        json_object_set_new(c, "criteria", json_integer(order[i]->criteria));
        json_object_set_new(c, "coded", json_integer(order[i]->coded));
        json_object_set_new(c, "uncoded", json_integer(order[i]->uncoded));
        json_object_set_new(c, "unmapped", json_integer(order[i]->unmapped));
        json_array_append_new(cols, c);
    }

    /* Rows: the taxonomy's nodes down to the level, and every code counted. */
    codes = apr_pcalloc(st->pool, sizeof(char *)
                        * (apr_hash_count(st->nodes) + apr_hash_count(sp_criteria_tally_codes(st->tally)) + 1));
    for (hi = apr_hash_first(st->pool, st->nodes); hi; hi = apr_hash_next(hi)) {
        const char *code = apr_hash_this_key(hi);

        if (sp_criteria_level_of(code) <= o->level && sp_criteria_level_of(code) > 0) {
            codes[nrows++] = code;
            apr_hash_set(seen, code, APR_HASH_KEY_STRING, code);
        }
    }
    for (hi = apr_hash_first(st->pool, sp_criteria_tally_codes(st->tally)); hi;
         hi = apr_hash_next(hi)) {
        const char *code = apr_hash_this_key(hi);

        if (apr_hash_get(seen, code, APR_HASH_KEY_STRING) == NULL)
            codes[nrows++] = code;
    }
    qsort(codes, (size_t)nrows, sizeof *codes, compare_strings);
    for (k = 0; k < nrows; k++) {
        const node_t *node = apr_hash_get(st->nodes, codes[k], APR_HASH_KEY_STRING);
        json_t *row = json_object(), *counts = json_array(), *shares = json_array();

        json_object_set_new(row, "code", json_string(codes[k]));
        json_object_set_new(row, "level",
                            json_string(sp_criteria_level_name(sp_criteria_level_of(codes[k]))));
        json_object_set_new(row, "label_fr", node ? json_string(node->label_fr) : json_null());
        json_object_set_new(row, "label_en", node ? json_string(node->label_en) : json_null());
        json_object_set_new(row, "provisional", json_boolean(node && node->provisional));
        json_object_set_new(row, "in_taxonomy", json_boolean(node != NULL));
        for (i = 0; i < ncols; i++) {
            long n = sp_criteria_tally_count(st->tally, codes[k], index[i]);

            json_array_append_new(counts, json_integer(n));
            json_array_append_new(shares, share(n, order[i]->coded));
        }
        if (diachronic) {
            json_t *change = json_object();
            long a = sp_criteria_tally_count(st->tally, codes[k], 0);
            long b = sp_criteria_tally_count(st->tally, codes[k], 1);

            json_object_set_new(change, "count", json_integer(b - a));
            json_object_set_new(change, "points", order[0]->coded > 0 && order[1]->coded > 0
                                ? json_real(100.0 * ((double)b / (double)order[1]->coded
                                                     - (double)a / (double)order[0]->coded))
                                : json_null());
            json_object_set_new(row, "change", change);
        }
        json_object_set_new(row, "counts", counts);
        json_object_set_new(row, "shares", shares);
        json_array_append_new(rows, row);
    }

    /* Codes of other versions that the mapping does not cover. */
    nrows = 0;
    codes = apr_pcalloc(st->pool, sizeof(char *) * (apr_hash_count(st->unmapped) + 1));
    for (hi = apr_hash_first(st->pool, st->unmapped); hi; hi = apr_hash_next(hi))
        codes[nrows++] = apr_hash_this_key(hi);
    qsort(codes, (size_t)nrows, sizeof *codes, compare_strings);
    for (k = 0; k < nrows; k++) {
        json_t *u = json_object(), *counts = json_array();
        const char *tab = strchr(codes[k], '\t');

        json_object_set_new(u, "taxonomy", json_stringn(codes[k], (size_t)(tab - codes[k])));
        json_object_set_new(u, "code", json_string(tab + 1));
        for (i = 0; i < ncols; i++)
            json_array_append_new(counts, json_integer(get(st->unmapped, codes[k], index[i])));
        json_object_set_new(u, "counts", counts);
        json_array_append_new(un, u);
    }

    json_object_set_new(res, "taxonomy", st->taxonomy_name ? json_string(st->taxonomy_name)
                        : json_null());
    json_object_set_new(res, "level", json_string(sp_criteria_level_name(o->level)));
    json_object_set_new(res, "by", !diachronic && o->by != SP_CRITERIA_BY_NONE
                        ? json_string(by_names[o->by]) : json_null());
    if (diachronic)
        json_object_set_new(res, "comparison", json_pack("{s:s, s:s}", "from",
                            period_label(&o->from, st->pool), "to",
                            period_label(&o->to, st->pool)));
    else
        json_object_set_new(res, "comparison", json_null());
    json_object_set_new(res, "selection", json_string(diachronic ? "all"
                        : period_label(&o->from, st->pool)));
    json_object_set_new(res, "columns", cols);
    json_object_set_new(res, "rows", rows);
    json_object_set_new(res, "unmapped", un);
    return res;
}

int
sp_criteria_stats(sp_store_t *store, const sp_criteria_stats_opts_t *opts, json_t **result,
                  apr_pool_t *pool, sp_error_t **err)
{
    stats_t st;
    column_t *c;
    int status;

    *result = NULL;
    if (opts->level < SP_CRITERIA_FAMILY || opts->level > SP_CRITERIA_SUBOBJECT)
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "the level must be family, "
                            "component or subobject");
    if (opts->to.kind != SP_PERIOD_ALL && opts->by != SP_CRITERIA_BY_NONE)
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "a comparison of two "
                            "periods has no breakdown: leave out --by");
    memset(&st, 0, sizeof st);
    st.store = store;
    st.opts = opts;
    st.pool = pool;
    st.err = err;
    st.names = apr_hash_make(pool);
    st.map = apr_hash_make(pool);
    st.nodes = apr_hash_make(pool);
    st.unmapped = apr_hash_make(pool);
    st.by_index = apr_hash_make(pool);
    st.columns = apr_array_make(pool, 8, sizeof(column_t));
    st.tally = sp_criteria_tally_create(opts->level, pool);

    if ((status = each_row(&st, "SELECT id, name || ':' || version FROM taxonomy", 0,
                           each_name)) != SP_OK
        || (status = resolve_taxonomy(&st)) != SP_OK)
        return status;
    if (st.taxonomy != 0
        && ((status = each_row(&st, "SELECT code, label_fr, label_en, provisional FROM "
                               "taxonomy_node WHERE taxonomy_id = ?1", st.taxonomy,
                               each_node)) != SP_OK
            || (status = each_row(&st, "SELECT from_taxonomy_id, from_code, to_code FROM "
                                  "taxonomy_map WHERE to_taxonomy_id = ?1", st.taxonomy,
                                  each_map)) != SP_OK))
        return status;

    c = apr_array_push(st.columns);
    memset(c, 0, sizeof *c);
    if (opts->to.kind != SP_PERIOD_ALL) {
        c->key = period_label(&opts->from, pool);
        c = apr_array_push(st.columns);
        memset(c, 0, sizeof *c);
        c->key = period_label(&opts->to, pool);
    } else {
        c->key = "total";
    }
    /* A criterion without a taxonomy of its own is filed under its
     * territory's (as the import does), else taken as coded in the chosen one. */
    if ((status = each_row(&st, "SELECT c.object_code, coalesce(c.taxonomy_id, t.taxonomy_id, 0), "
                           "c.question, g.kind, g.age_band, n.name, g.cycle, g.met_on "
                           "FROM criterion c JOIN citizen_group g ON g.id = c.group_id "
                           "JOIN territory t ON t.id = g.territory_id "
                           "LEFT JOIN neighbourhood n ON n.id = g.neighbourhood_id",
                           0, each_criterion)) != SP_OK)
        return status;
    *result = sp_grid_pool_own(build(&st), pool);
    return SP_OK;
}

/* --- rendering ------------------------------------------------------------------ */

static const char *
count_text(const json_t *v, apr_pool_t *pool)
{
    return json_is_integer(v) ? apr_psprintf(pool, "%ld", (long)json_integer_value(v)) : "";
}

static const char *
pct_text(const json_t *v, double scale, apr_pool_t *pool)
{
    return json_is_number(v) ? apr_psprintf(pool, "%.1f", json_number_value(v) * scale) : "";
}

json_t *
sp_criteria_stats_grid(const json_t *res, const char *lang, apr_pool_t *pool)
{
    const json_t *cols = json_object_get(res, "columns"), *rows = json_object_get(res, "rows");
    const json_t *row, *col, *u;
    int diachronic = !json_is_null(json_object_get(res, "comparison"));
    size_t ncols = json_array_size(cols), width = 2 + 2 * ncols + (diachronic ? 2 : 0), i, r;
    const char **names = apr_pcalloc(pool, sizeof(char *) * width);
    const char **cells = apr_pcalloc(pool, sizeof(char *) * width);
    int *right = apr_pcalloc(pool, sizeof(int) * width);
    const char *tax = json_string_value(json_object_get(res, "taxonomy"));
    const char *label_key = lang && strcmp(lang, "en") == 0 ? "label_en" : "label_fr";
    json_t *grid;

    names[0] = "code";
    names[1] = "label";
    for (i = 0; i < ncols; i++) {
        const char *key = json_string_value(json_object_get(json_array_get(cols, i), "key"));

        if (json_is_string(json_object_get(res, "by")) && strcmp(key, "total") != 0
            && strcmp(json_string_value(json_object_get(res, "by")), "cycle") == 0)
            key = apr_pstrcat(pool, "cycle ", key, NULL);

        names[2 + 2 * i] = apr_pstrcat(pool, key, " n", NULL);
        names[3 + 2 * i] = apr_pstrcat(pool, key, " %", NULL);
        right[2 + 2 * i] = right[3 + 2 * i] = 1;
    }
    if (diachronic) {
        names[width - 2] = "change n";
        names[width - 1] = "change pp";
        right[width - 2] = right[width - 1] = 1;
    }
    grid = sp_grid_pool_own(sp_grid_new(apr_psprintf(pool, "Criteria per %s%s%s%s%s",
                                                     json_string_value(json_object_get(res, "level")),
                                                     tax ? " of " : "", tax ? tax : "",
                                                     json_is_string(json_object_get(res, "by"))
                                                     ? " by " : "",
                                                     json_is_string(json_object_get(res, "by"))
                                                     ? json_string_value(json_object_get(res, "by"))
                                                     : ""),
                                        names, right, width), pool);
    json_array_foreach(rows, r, row) {
        const char *label = json_string_value(json_object_get(row, label_key));
        int depth = sp_criteria_level_parse(json_string_value(json_object_get(row, "level")));

        cells[0] = json_string_value(json_object_get(row, "code"));
        cells[1] = apr_pstrcat(pool, depth == 3 ? "    " : depth == 2 ? "  " : "",
                               label ? label : "(not in the taxonomy)",
                               json_is_true(json_object_get(row, "provisional"))
                               ? " (provisional)" : "", NULL);
        for (i = 0; i < ncols; i++) {
            cells[2 + 2 * i] = count_text(json_array_get(json_object_get(row, "counts"), i), pool);
            cells[3 + 2 * i] = pct_text(json_array_get(json_object_get(row, "shares"), i), 100, pool);
        }
        if (diachronic) {
            const json_t *change = json_object_get(row, "change");

            cells[width - 2] = apr_psprintf(pool, "%+ld", (long)json_integer_value(
                                            json_object_get(change, "count")));
            cells[width - 1] = json_is_number(json_object_get(change, "points"))
                ? apr_psprintf(pool, "%+.1f", json_number_value(json_object_get(change, "points")))
                : "";
        }
        sp_grid_add_row(grid, cells, width);
    }
    /* Uncoded and unmapped criteria, counted apart. */
    for (i = 2; i < width; i++)
        cells[i] = "";
    cells[0] = "(uncoded)";
    cells[1] = "criteria without a code";
    json_array_foreach(cols, i, col)
        cells[2 + 2 * i] = count_text(json_object_get(col, "uncoded"), pool);
    sp_grid_add_row(grid, cells, width);
    json_array_foreach(json_object_get(res, "unmapped"), r, u) {
        cells[0] = json_string_value(json_object_get(u, "code"));
        cells[1] = apr_psprintf(pool, "(unmapped, from %s)",
                                json_string_value(json_object_get(u, "taxonomy")));
        for (i = 0; i < ncols; i++)
            cells[2 + 2 * i] = count_text(json_array_get(json_object_get(u, "counts"), i), pool);
        sp_grid_add_row(grid, cells, width);
    }
    json_array_foreach(cols, i, col)
        sp_grid_add_note(grid, apr_psprintf(pool, "%s: %ld criteria, %ld coded, %ld uncoded, "
                                            "%ld unmapped",
                                            json_string_value(json_object_get(col, "key")),
                                            (long)json_integer_value(json_object_get(col, "criteria")),
                                            (long)json_integer_value(json_object_get(col, "coded")),
                                            (long)json_integer_value(json_object_get(col, "uncoded")),
                                            (long)json_integer_value(json_object_get(col, "unmapped"))));
    sp_grid_add_note(grid, "Counts roll up by prefix (A01-11 counts for A01 and A); % is of "
                     "the coded criteria of the column.");
    return grid;
}

/* --- list ------------------------------------------------------------------------- */

int
sp_criteria_list(sp_store_t *store, int uncoded_only, json_t **result, apr_pool_t *pool,
                 sp_error_t **err)
{
    static const char *const sql =
        "SELECT c.id, g.name, g.cycle, c.question, c.object_code || "
        "coalesce('/' || c.sense_code, '') || coalesce('/' || c.beneficiary_code, ''), "
        "c.coded_by, t.name || ':' || t.version, "
        "(SELECT s.object_code FROM criterion_suggestion s WHERE s.criterion_id = c.id "
        " ORDER BY s.score DESC, s.object_code LIMIT 1), c.text "
        "FROM criterion c JOIN citizen_group g ON g.id = c.group_id "
        "LEFT JOIN taxonomy t ON t.id = c.taxonomy_id "
        "WHERE ?1 = 0 OR c.object_code IS NULL ORDER BY c.id";
    static const char *const keys[] = {"id", "group", "cycle", "question", "code", "coded_by",
                                       "taxonomy", "suggestion", "text"};
    sqlite3_stmt *stmt;
    json_t *list = json_array(), *res;
    int rc, i;

    *result = NULL;
    if (sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        json_decref(list);
        return sp_store_fail(store->db, "criteria list", pool, err);
    }
    sqlite3_bind_int(stmt, 1, uncoded_only);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        json_t *o = json_object();

        for (i = 0; i < 9; i++) {
            json_t *v;

            if (sqlite3_column_type(stmt, i) == SQLITE_NULL)
                v = json_null();
            else if (i == 0 || i == 2)
                v = json_integer(sqlite3_column_int64(stmt, i));
            else
                v = json_string((const char *)sqlite3_column_text(stmt, i));
            json_object_set_new(o, keys[i], v);
        }
        json_array_append_new(list, o);
    }
    sqlite3_finalize(stmt);
    res = sp_grid_pool_own(json_pack("{s:o}", "criteria", list), pool);
    if (rc != SQLITE_DONE)
        return sp_store_fail(store->db, "criteria list", pool, err);
    *result = res;
    return SP_OK;
}

json_t *
sp_criteria_list_grid(const json_t *res, apr_pool_t *pool)
{
    static const char *const names[] = {"id", "group", "cycle", "question", "code", "coded_by",
                                        "suggestion", "text"};
    static const int right[] = {1, 0, 1, 0, 0, 0, 0, 0};
    json_t *grid = sp_grid_pool_own(sp_grid_new(NULL, names, right, 8), pool), *o;
    const char *cells[8];
    size_t r;

    json_array_foreach(json_object_get(res, "criteria"), r, o) {
        cells[0] = count_text(json_object_get(o, "id"), pool);
        cells[1] = json_string_value(json_object_get(o, "group"));
        cells[2] = count_text(json_object_get(o, "cycle"), pool);
        cells[3] = json_string_value(json_object_get(o, "question"));
        cells[4] = json_string_value(json_object_get(o, "code"));
        cells[5] = json_string_value(json_object_get(o, "coded_by"));
        cells[6] = json_string_value(json_object_get(o, "suggestion"));
        cells[7] = json_string_value(json_object_get(o, "text"));
        sp_grid_add_row(grid, cells, 8);
    }
    sp_grid_add_note(grid, apr_psprintf(pool, "%ld criteria",
                                        (long)json_array_size(json_object_get(res, "criteria"))));
    return grid;
}
