/*
 * sp_profile.c -- respondent and group profiles from respondent.levels
 * (see sp_profile.h).  Group statistics are computed by sp_agg from a plain
 * SQL read of the rows: each respondent's levels blob is decoded through
 * its form's items into (group, variable, level, weight) additions, so the
 * numbers are exactly those of `spiral aggregate` for the same data.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include "sp_agg.h"
#include "sp_grid.h"
#include "sp_profile.h"

static int
compare_unsigned(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

    return (x > y) - (x < y);
}

unsigned
sp_profile_lower_median(unsigned *levels, size_t n)
{
    if (n == 0)
        return 0;
    qsort(levels, n, sizeof *levels, compare_unsigned);
    return levels[(n - 1) / 2];
}

static json_t *
number_or_null(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

/* --- one respondent ------------------------------------------------------------ */

int
sp_profile_respondent(sp_store_t *store, long id, json_t **result, apr_pool_t *pool,
                      sp_error_t **err)
{
    sqlite3_stmt *head = NULL, *items = NULL, *label = NULL;
    json_t *res = NULL, *inds, *fams;
    unsigned *levels_of[26], counts[26], bads[26], present[26];
    const unsigned char *blob;
    int rc, status = SP_OK, nblob, f;

    *result = NULL;
    memset(counts, 0, sizeof counts);
    memset(present, 0, sizeof present);
    if (sqlite3_prepare_v2(store->db, "SELECT r.id, f.code, w.code, n.name, r.weight, r.levels, "
                           "r.form_id FROM respondent r JOIN survey_form f ON f.id = r.form_id "
                           "JOIN survey_wave w ON w.id = r.wave_id LEFT JOIN neighbourhood n ON "
                           "n.id = r.neighbourhood_id WHERE r.id = ?1", -1, &head, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(store->db, "SELECT fi.position, fi.name, i.code, i.component_code, "
                              "i.label_fr, i.label_en, i.nlevels, i.bad_at_most, i.id "
                              "FROM form_item fi JOIN indicator i ON i.id = fi.indicator_id "
                              "WHERE fi.form_id = ?1 ORDER BY fi.position", -1, &items,
                              NULL) != SQLITE_OK
        || sqlite3_prepare_v2(store->db, "SELECT label_fr, label_en FROM indicator_level "
                              "WHERE indicator_id = ?1 AND level = ?2", -1, &label,
                              NULL) != SQLITE_OK) {
        status = sp_store_fail(store->db, "respondent profile", pool, err);
        goto done;
    }
    sqlite3_bind_int64(head, 1, id);
    if ((rc = sqlite3_step(head)) != SQLITE_ROW) {
        status = rc == SQLITE_DONE
            ? sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "no respondent %ld", id)
            : sp_store_fail(store->db, "respondent profile", pool, err);
        goto done;
    }
    res = sp_grid_pool_own(json_object(), pool);
    json_object_set_new(res, "respondent", json_integer(sqlite3_column_int64(head, 0)));
    json_object_set_new(res, "form", json_string(sp_store_text_or_empty(head, 1)));
    json_object_set_new(res, "wave", json_string(sp_store_text_or_empty(head, 2)));
    json_object_set_new(res, "neighbourhood", sqlite3_column_type(head, 3) == SQLITE_NULL
                        ? json_null() : json_string(sp_store_text_or_empty(head, 3)));
    json_object_set_new(res, "weight", json_real(sqlite3_column_double(head, 4)));
    inds = json_array();
    fams = json_array();
    json_object_set_new(res, "indicators", inds);
    json_object_set_new(res, "families", fams);
    blob = sqlite3_column_blob(head, 5);
    nblob = sqlite3_column_bytes(head, 5);
    sqlite3_bind_int64(items, 1, sqlite3_column_int64(head, 6));
    while ((rc = sqlite3_step(items)) == SQLITE_ROW) {
        int pos = sqlite3_column_int(items, 0), nlevels = sqlite3_column_int(items, 6);
        int bad = sqlite3_column_int(items, 7);
        unsigned level = pos >= 1 && pos <= nblob ? blob[pos - 1] : 0;
        const char *component = sp_store_text_or_empty(items, 3);
        json_t *o = json_object();

        f = component[0] >= 'A' && component[0] <= 'Z' ? component[0] - 'A' : -1;
        json_object_set_new(o, "item", json_string(sp_store_text_or_empty(items, 1)));
        json_object_set_new(o, "indicator", json_string(sp_store_text_or_empty(items, 2)));
        json_object_set_new(o, "component", json_string(component));
        json_object_set_new(o, "family", f >= 0 ? json_stringn(component, 1) : json_null());
        json_object_set_new(o, "label_fr", json_string(sp_store_text_or_empty(items, 4)));
        json_object_set_new(o, "label_en", json_string(sp_store_text_or_empty(items, 5)));
        json_object_set_new(o, "nlevels", json_integer(nlevels));
        json_object_set_new(o, "bad_at_most", json_integer(bad));
        if (level >= 1 && (int)level <= nlevels) {
            json_object_set_new(o, "level", json_integer(level));
            sqlite3_bind_int64(label, 1, sqlite3_column_int64(items, 8));
            sqlite3_bind_int(label, 2, (int)level);
            if (sqlite3_step(label) == SQLITE_ROW) {
                json_object_set_new(o, "level_fr", json_string(sp_store_text_or_empty(label, 0)));
                json_object_set_new(o, "level_en", json_string(sp_store_text_or_empty(label, 1)));
            } else {
                json_object_set_new(o, "level_fr", json_null());
                json_object_set_new(o, "level_en", json_null());
            }
            sqlite3_reset(label);
            json_object_set_new(o, "bad", json_boolean((int)level <= bad));
        } else {
            json_object_set_new(o, "level", json_null());
            json_object_set_new(o, "level_fr", json_null());
            json_object_set_new(o, "level_en", json_null());
            json_object_set_new(o, "bad", json_null());
        }
        json_array_append_new(inds, o);
        if (f < 0)
            continue;
        if (!present[f]) {
            present[f] = 1;
            bads[f] = (unsigned)bad;
            levels_of[f] = apr_palloc(pool, sizeof(unsigned) * (size_t)(nblob + 1));
        }
        if ((unsigned)bad < bads[f])
            bads[f] = (unsigned)bad;
        if (level >= 1 && (int)level <= nlevels && counts[f] < (unsigned)nblob + 1)
            levels_of[f][counts[f]++] = level;
    }
    if (rc != SQLITE_DONE) {
        status = sp_store_fail(store->db, "respondent profile", pool, err);
        goto done;
    }
    for (f = 0; f < 26; f++) {
        unsigned med;
        char letter[2] = {(char)('A' + f), '\0'};

        if (!present[f])
            continue;
        med = sp_profile_lower_median(levels_of[f], counts[f]);
        json_array_append_new(fams, json_pack("{s:s, s:i, s:o, s:o}", "family", letter,
                                              "answered", (int)counts[f],
                                              "median", med ? json_integer(med) : json_null(),
                                              "bad", med ? json_boolean(med <= bads[f])
                                                         : json_null()));
    }
    *result = res;
done:
    sqlite3_finalize(head);
    sqlite3_finalize(items);
    sqlite3_finalize(label);
    return status;
}

/* --- groups ---------------------------------------------------------------------- */

static const char *const dim_names[] = {"neighbourhood", "form", "wave"};
static const char *const dim_sql[] = {"coalesce(n.name, '(none)')", "f.code", "w.code"};

int
sp_profile_dim_ok(const char *name)
{
    int i;

    for (i = 0; i < 3; i++)
        if (strcmp(name, dim_names[i]) == 0)
            return 1;
    return 0;
}

typedef struct var_t {
    const char *code, *label_fr, *label_en;
    unsigned nlevels, bad;
} var_t;

typedef struct form_t {
    int npos;
    int *var;          /* variable of item position k (1-based), -1 when none */
    int *family;       /* family mode: family variable of position k */
} form_t;

typedef struct groups_t {
    sp_store_t *store;
    const sp_profile_opts_t *opts;
    apr_pool_t *pool;
    sp_error_t **err;
    apr_hash_t *var_index;     /* code -> int* */
    apr_array_header_t *vars;  /* var_t */
    apr_hash_t *forms;         /* form id (sqlite3_int64) -> form_t */
    apr_hash_t *group_index;   /* joined key -> int* */
    apr_array_header_t *keys;  /* const char ** (ndims values) per group */
    unsigned max_levels;
} groups_t;

static int
var_of(groups_t *g, const char *code, const char *fr, const char *en, unsigned nlevels,
       unsigned bad)
{
    int *i = apr_hash_get(g->var_index, code, APR_HASH_KEY_STRING);
    var_t *v;

    if (i != NULL) {
        v = &APR_ARRAY_IDX(g->vars, *i, var_t);
        if (nlevels > v->nlevels)
            v->nlevels = nlevels;
        if (bad < v->bad)
            v->bad = bad;
        return *i;
    }
    v = apr_array_push(g->vars);
    v->code = apr_pstrdup(g->pool, code);
    v->label_fr = fr ? apr_pstrdup(g->pool, fr) : NULL;
    v->label_en = en ? apr_pstrdup(g->pool, en) : NULL;
    v->nlevels = nlevels;
    v->bad = bad;
    i = apr_palloc(g->pool, sizeof *i);
    *i = g->vars->nelts - 1;
    apr_hash_set(g->var_index, v->code, APR_HASH_KEY_STRING, i);
    if (nlevels > g->max_levels)
        g->max_levels = nlevels;
    return *i;
}

/* Variables (indicators or families, in code order) and each form's items. */
static int
load_items(groups_t *g)
{
    sqlite3_stmt *stmt;
    int rc;

    if (sqlite3_prepare_v2(g->store->db, "SELECT fi.form_id, fi.position, i.code, "
                           "i.component_code, i.label_fr, i.label_en, i.nlevels, i.bad_at_most, "
                           "(SELECT max(position) FROM form_item WHERE form_id = fi.form_id) "
                           "FROM form_item fi JOIN indicator i ON i.id = fi.indicator_id "
                           "ORDER BY CASE WHEN ?1 THEN substr(i.component_code, 1, 1) "
                           "ELSE i.code END, fi.form_id, fi.position", -1, &stmt,
                           NULL) != SQLITE_OK)
        return sp_store_fail(g->store->db, "profile", g->pool, g->err);
    sqlite3_bind_int(stmt, 1, g->opts->family);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        sqlite3_int64 form_id = sqlite3_column_int64(stmt, 0);
        form_t *form = apr_hash_get(g->forms, &form_id, sizeof form_id);
        int pos = sqlite3_column_int(stmt, 1), k;
        unsigned nlevels = (unsigned)sqlite3_column_int(stmt, 6);
        unsigned bad = (unsigned)sqlite3_column_int(stmt, 7);

        if (form == NULL) {
            form = apr_pcalloc(g->pool, sizeof *form);
            form->npos = sqlite3_column_int(stmt, 8);
            form->var = apr_palloc(g->pool, sizeof(int) * (size_t)(form->npos + 1));
            for (k = 0; k <= form->npos; k++)
                form->var[k] = -1;
            apr_hash_set(g->forms, apr_pmemdup(g->pool, &form_id, sizeof form_id),
                         sizeof form_id, form);
        }
        if (pos < 1 || pos > form->npos)
            continue;
        if (g->opts->family) {
            char family[2] = {sp_store_text_or_empty(stmt, 3)[0], '\0'};

            form->var[pos] = var_of(g, family, NULL, NULL, nlevels, bad);
        } else {
            form->var[pos] = var_of(g, sp_store_text_or_empty(stmt, 2),
                                    sp_store_text_or_empty(stmt, 4),
                                    sp_store_text_or_empty(stmt, 5), nlevels, bad);
        }
    }
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? SP_OK : sp_store_fail(g->store->db, "profile", g->pool, g->err);
}

static const char *
select_dims(const sp_profile_opts_t *o, apr_pool_t *pool)
{
    const char *s = "";
    size_t i;
    int k;

    for (i = 0; i < o->ndims; i++)
        for (k = 0; k < 3; k++)
            if (strcmp(o->dims[i], dim_names[k]) == 0)
                s = apr_pstrcat(pool, s, ", ", dim_sql[k], NULL);
    return s;
}

#define FROM_RESPONDENTS " FROM respondent r JOIN survey_form f ON f.id = r.form_id " \
    "JOIN survey_wave w ON w.id = r.wave_id LEFT JOIN neighbourhood n ON n.id = r.neighbourhood_id"

static const char *
joined_key(sqlite3_stmt *stmt, int first, size_t ndims, apr_pool_t *pool)
{
    const char *key = "";
    size_t i;

    for (i = 0; i < ndims; i++)
        key = apr_pstrcat(pool, key, i ? "\x1f" : "",
                          sp_store_text_or_empty(stmt, first + (int)i), NULL);
    return key;
}

/* The groups: every combination of dimension values present, in order. */
static int
load_groups(groups_t *g)
{
    const char *dims = select_dims(g->opts, g->pool), *sql;
    sqlite3_stmt *stmt;
    size_t i;
    int rc;

    if (g->opts->ndims == 0) {
        const char **values = apr_pcalloc(g->pool, sizeof(char *));
        int *idx = apr_pcalloc(g->pool, sizeof *idx);

        APR_ARRAY_PUSH(g->keys, const char **) = values;
        apr_hash_set(g->group_index, "", APR_HASH_KEY_STRING, idx);
        return SP_OK;
    }
    sql = apr_psprintf(g->pool, "SELECT DISTINCT %s" FROM_RESPONDENTS " ORDER BY %s", dims + 2,
                       g->opts->ndims == 1 ? "1" : g->opts->ndims == 2 ? "1, 2" : "1, 2, 3");
    if (sqlite3_prepare_v2(g->store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return sp_store_fail(g->store->db, "profile", g->pool, g->err);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char **values = apr_pcalloc(g->pool, sizeof(char *) * g->opts->ndims);
        int *idx = apr_palloc(g->pool, sizeof *idx);

        for (i = 0; i < g->opts->ndims; i++)
            values[i] = apr_pstrdup(g->pool, sp_store_text_or_empty(stmt, (int)i));
        *idx = g->keys->nelts;
        APR_ARRAY_PUSH(g->keys, const char **) = values;
        apr_hash_set(g->group_index, joined_key(stmt, 0, g->opts->ndims, g->pool),
                     APR_HASH_KEY_STRING, idx);
    }
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? SP_OK : sp_store_fail(g->store->db, "profile", g->pool, g->err);
}

/* Read every respondent into the aggregator; count respondents per group. */
static int
fill(groups_t *g, sp_agg_t *agg, long *respondents, double *weights)
{
    const char *sql = apr_pstrcat(g->pool, "SELECT r.form_id, r.weight, r.levels",
                                  select_dims(g->opts, g->pool), FROM_RESPONDENTS, NULL);
    size_t nvars = (size_t)g->vars->nelts, v;
    unsigned *buf = apr_palloc(g->pool, sizeof(unsigned) * 256 * (nvars + 1));
    unsigned *count = apr_palloc(g->pool, sizeof(unsigned) * (nvars + 1));
    unsigned char *seen = apr_palloc(g->pool, nvars + 1);
    apr_pool_t *scratch;
    sqlite3_stmt *stmt;
    int rc;

    if (sqlite3_prepare_v2(g->store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return sp_store_fail(g->store->db, "profile", g->pool, g->err);
    apr_pool_create(&scratch, g->pool);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        sqlite3_int64 form_id = sqlite3_column_int64(stmt, 0);
        const form_t *form = apr_hash_get(g->forms, &form_id, sizeof form_id);
        double w = sqlite3_column_double(stmt, 1);
        const unsigned char *levels = sqlite3_column_blob(stmt, 2);
        int nlevels = sqlite3_column_bytes(stmt, 2), k;
        const int *grp = apr_hash_get(g->group_index,
                                      joined_key(stmt, 3, g->opts->ndims, scratch),
                                      APR_HASH_KEY_STRING);

        apr_pool_clear(scratch);
        if (grp == NULL || form == NULL)
            continue;
        respondents[*grp]++;
        weights[*grp] += w;
        if (!g->opts->family) {
            for (k = 1; k <= form->npos; k++)
                if (form->var[k] >= 0)
                    sp_agg_add(agg, (size_t)*grp, (size_t)form->var[k],
                               k <= nlevels ? levels[k - 1] : 0, w);
            continue;
        }
        /* Families: the lower median of the answered indicators of each
         * family the form measures (at most 255 items per form). */
        memset(count, 0, sizeof(unsigned) * nvars);
        memset(seen, 0, nvars);
        for (k = 1; k <= form->npos; k++) {
            int fam = form->var[k];
            unsigned level = k <= nlevels ? levels[k - 1] : 0;

            if (fam < 0)
                continue;
            seen[fam] = 1;
            if (level > 0 && count[fam] < 256)
                buf[(size_t)fam * 256 + count[fam]++] = level;
        }
        for (v = 0; v < nvars; v++)
            if (seen[v])
                sp_agg_add(agg, (size_t)*grp, v,
                           sp_profile_lower_median(buf + v * 256, count[v]), w);
    }
    sqlite3_finalize(stmt);
    apr_pool_destroy(scratch);
    return rc == SQLITE_DONE ? SP_OK : sp_store_fail(g->store->db, "profile", g->pool, g->err);
}

int
sp_profile_groups(sp_store_t *store, const sp_profile_opts_t *opts, json_t **result,
                  apr_pool_t *pool, sp_error_t **err)
{
    groups_t g;
    sp_agg_t *agg = NULL;
    sp_agg_opts_t aopts;
    json_t *res, *vars, *groups, *dims;
    long *respondents;
    double *weights;
    size_t i, ngroups, v;
    int status;

    *result = NULL;
    for (i = 0; i < opts->ndims; i++) {
        size_t j;

        if (!sp_profile_dim_ok(opts->dims[i]))
            return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "cannot group by '%s': "
                                "neighbourhood, form or wave", opts->dims[i]);
        for (j = 0; j < i; j++)
            if (strcmp(opts->dims[i], opts->dims[j]) == 0)
                return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "'%s' is named twice",
                                    opts->dims[i]);
    }
    memset(&g, 0, sizeof g);
    g.store = store;
    g.opts = opts;
    g.pool = pool;
    g.err = err;
    g.var_index = apr_hash_make(pool);
    g.vars = apr_array_make(pool, 32, sizeof(var_t));
    g.forms = apr_hash_make(pool);
    g.group_index = apr_hash_make(pool);
    g.keys = apr_array_make(pool, 16, sizeof(const char **));
    if ((status = load_items(&g)) != SP_OK || (status = load_groups(&g)) != SP_OK)
        return status;
    ngroups = (size_t)g.keys->nelts;
    respondents = apr_pcalloc(pool, sizeof(long) * (ngroups + 1));
    weights = apr_pcalloc(pool, sizeof(double) * (ngroups + 1));
    if (ngroups > 0 && g.vars->nelts > 0) {
        if ((agg = sp_agg_create(ngroups, (size_t)g.vars->nelts, g.max_levels, pool)) == NULL)
            return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0, "profile: too many "
                                "groups or levels for the aggregator");
        if ((status = fill(&g, agg, respondents, weights)) != SP_OK)
            return status;
        sp_agg_opts_init(&aopts);
        if (opts->min_cell)
            aopts.min_cell = opts->min_cell;
        aopts.no_suppress = opts->no_suppress;
        sp_agg_compute(agg, &aopts);
    } else {
        sp_agg_opts_init(&aopts);
        if (opts->min_cell)
            aopts.min_cell = opts->min_cell;
    }

    res = sp_grid_pool_own(json_object(), pool);
    dims = json_array();
    for (i = 0; i < opts->ndims; i++)
        json_array_append_new(dims, json_string(opts->dims[i]));
    json_object_set_new(res, "group_by", dims);
    json_object_set_new(res, "unit", json_string(opts->family ? "family" : "indicator"));
    json_object_set_new(res, "min_cell", json_integer(aopts.min_cell));
    json_object_set_new(res, "not_for_publication", json_boolean(opts->no_suppress));
    vars = json_array();
    for (v = 0; v < (size_t)g.vars->nelts; v++) {
        const var_t *x = &APR_ARRAY_IDX(g.vars, v, var_t);

        json_array_append_new(vars, json_pack("{s:s, s:o, s:o, s:i, s:i}", "code", x->code,
                                              "label_fr", x->label_fr ? json_string(x->label_fr)
                                                                      : json_null(),
                                              "label_en", x->label_en ? json_string(x->label_en)
                                                                      : json_null(),
                                              "nlevels", (int)x->nlevels,
                                              "bad_at_most", (int)x->bad));
    }
    json_object_set_new(res, "variables", vars);
    groups = json_array();
    json_object_set_new(res, "groups", groups);
    for (i = 0; i < ngroups; i++) {
        const char **values = APR_ARRAY_IDX(g.keys, i, const char **);
        int small = respondents[i] > 0 && respondents[i] < (long)aopts.min_cell;
        int group_hidden = small && !opts->no_suppress;
        json_t *o = json_object(), *key = json_object(), *results = json_array();
        size_t d;

        for (d = 0; d < opts->ndims; d++)
            json_object_set_new(key, opts->dims[d], json_string(values[d]));
        json_object_set_new(o, "key", key);
        /* a withheld group's size is itself a small count: null */
        json_object_set_new(o, "respondents",
                            group_hidden ? json_null() : json_integer(respondents[i]));
        json_object_set_new(o, "weight", group_hidden ? json_null() : json_real(weights[i]));
        json_object_set_new(o, "suppressed", json_boolean(group_hidden));
        json_object_set_new(o, "results", results);
        json_array_append_new(groups, o);
        for (v = 0; agg != NULL && v < (size_t)g.vars->nelts; v++) {
            const var_t *x = &APR_ARRAY_IDX(g.vars, v, var_t);
            const sp_agg_stats_t *s = sp_agg_stats(agg, i, v);
            int hidden = group_hidden || s->suppressed;
            json_t *r, *dist;
            unsigned l;

            if (s->n + s->n_missing == 0)
                continue;      /* no form of this group measures it */
            r = json_object();
            json_object_set_new(r, "variable", json_string(x->code));
            json_object_set_new(r, "n", hidden ? json_null() : json_integer((json_int_t)s->n));
            json_object_set_new(r, "missing", hidden || s->missing_withheld ? json_null()
                                : json_integer((json_int_t)s->n_missing));
            if (hidden || s->weight <= 0) {
                json_object_set_new(r, "weight", hidden ? json_null() : json_real(s->weight));
                json_object_set_new(r, "distribution", json_null());
                json_object_set_new(r, "median", json_null());
                json_object_set_new(r, "bad_or_worse", json_null());
            } else {
                /* parts withheld as in sp_agg.h, with this item's own bad level */
                int bad_withheld = sp_agg_share_le_withheld(agg, i, v, x->bad);

                dist = s->dist_withheld ? json_null() : json_array();
                for (l = 1; !s->dist_withheld && l <= x->nlevels; l++)
                    json_array_append_new(dist, json_real(sp_agg_level_weight(agg, i, v, l)
                                                          / s->weight));
                json_object_set_new(r, "weight", json_real(s->weight));
                json_object_set_new(r, "distribution", dist);
                json_object_set_new(r, "median", number_or_null(s->median));
                json_object_set_new(r, "bad_or_worse", bad_withheld ? json_null()
                                    : number_or_null(sp_agg_share_le(agg, i, v, x->bad)));
                json_object_set_new(r, "distribution_withheld", json_boolean(s->dist_withheld));
                json_object_set_new(r, "bad_or_worse_withheld", json_boolean(bad_withheld));
            }
            json_object_set_new(r, "suppressed", json_boolean(hidden));
            json_array_append_new(results, r);
        }
    }
    *result = res;
    return SP_OK;
}

/* --- rendering ------------------------------------------------------------------- */

static const char *
num(const json_t *v, const char *fmt, double scale, apr_pool_t *pool)
{
    return json_is_number(v) ? apr_psprintf(pool, fmt, json_number_value(v) * scale) : "";
}

/* A count, or "<K" where it is withheld (null). */
static const char *
count_text(const json_t *v, long kmin, apr_pool_t *pool)
{
    return json_is_integer(v) ? apr_psprintf(pool, "%ld", (long)json_integer_value(v))
                              : apr_psprintf(pool, "<%ld", kmin);
}

json_t *
sp_profile_respondent_grid(const json_t *res, const char *lang, apr_pool_t *pool)
{
    static const char *const names[] = {"item", "indicator", "label", "level", "wording", "bad"};
    static const int right[] = {0, 0, 0, 1, 0, 0};
    int en = lang && strcmp(lang, "en") == 0;
    json_t *grid, *o;
    const char *cells[6];
    size_t r;

    grid = sp_grid_pool_own(sp_grid_new(apr_psprintf(pool, "Respondent %ld (%s, wave %s%s%s)",
                                                     (long)json_integer_value(json_object_get(res, "respondent")),
                                                     json_string_value(json_object_get(res, "form")),
                                                     json_string_value(json_object_get(res, "wave")),
                                                     json_is_string(json_object_get(res, "neighbourhood")) ? ", " : "",
                                                     json_is_string(json_object_get(res, "neighbourhood"))
                                                     ? json_string_value(json_object_get(res, "neighbourhood")) : ""),
                                        names, right, 6), pool);
    json_array_foreach(json_object_get(res, "indicators"), r, o) {
        const json_t *bad = json_object_get(o, "bad");

        cells[0] = json_string_value(json_object_get(o, "item"));
        cells[1] = json_string_value(json_object_get(o, "indicator"));
        cells[2] = json_string_value(json_object_get(o, en ? "label_en" : "label_fr"));
        cells[3] = json_is_integer(json_object_get(o, "level"))
            ? apr_psprintf(pool, "%ld/%ld", (long)json_integer_value(json_object_get(o, "level")),
                           (long)json_integer_value(json_object_get(o, "nlevels")))
            : "-";
        cells[4] = json_string_value(json_object_get(o, en ? "level_en" : "level_fr"));
        cells[5] = json_is_true(bad) ? "bad or worse" : "";
        sp_grid_add_row(grid, cells, 6);
    }
    json_array_foreach(json_object_get(res, "families"), r, o) {
        cells[0] = apr_pstrcat(pool, "family ", json_string_value(json_object_get(o, "family")),
                               NULL);
        cells[1] = "";
        cells[2] = apr_psprintf(pool, "lower median of %ld answered",
                                (long)json_integer_value(json_object_get(o, "answered")));
        cells[3] = json_is_integer(json_object_get(o, "median"))
            ? apr_psprintf(pool, "%ld", (long)json_integer_value(json_object_get(o, "median")))
            : "-";
        cells[4] = "";
        cells[5] = json_is_true(json_object_get(o, "bad")) ? "bad or worse" : "";
        sp_grid_add_row(grid, cells, 6);
    }
    return grid;
}

json_t *
sp_profile_groups_grid(const json_t *res, apr_pool_t *pool)
{
    const json_t *dims = json_object_get(res, "group_by"), *vars = json_object_get(res, "variables");
    const json_t *grp, *r, *v;
    size_t ndims = json_array_size(dims), maxl = 0, width, i, gi, ri;
    long kmin = (long)json_integer_value(json_object_get(res, "min_cell"));
    const char **names, **cells;
    int *right;
    apr_hash_t *nlevels = apr_hash_make(pool);
    json_t *grid;

    json_array_foreach(vars, i, v) {
        size_t n = (size_t)json_integer_value(json_object_get(v, "nlevels"));

        if (n > maxl)
            maxl = n;
        apr_hash_set(nlevels, json_string_value(json_object_get(v, "code")), APR_HASH_KEY_STRING,
                     v);
    }
    width = ndims + 5 + maxl;
    names = apr_pcalloc(pool, sizeof(char *) * width);
    cells = apr_pcalloc(pool, sizeof(char *) * width);
    right = apr_pcalloc(pool, sizeof(int) * width);
    for (i = 0; i < ndims; i++)
        names[i] = json_string_value(json_array_get(dims, i));
    names[ndims] = json_string_value(json_object_get(res, "unit"));
    names[ndims + 1] = "resp.";
    names[ndims + 2] = "n";
    for (i = 0; i < maxl; i++)
        names[ndims + 3 + i] = apr_psprintf(pool, "%%%ld", (long)(i + 1));
    names[width - 2] = "median";
    names[width - 1] = "% bad";
    for (i = ndims + 1; i < width; i++)
        right[i] = 1;
    grid = sp_grid_pool_own(sp_grid_new(apr_psprintf(pool, "Profile per %s, weighted",
                                                     json_string_value(json_object_get(res, "unit"))),
                                        names, right, width), pool);
    json_array_foreach(json_object_get(res, "groups"), gi, grp) {
        json_array_foreach(json_object_get(grp, "results"), ri, r) {
            int hidden = json_is_true(json_object_get(r, "suppressed"));
            int dist_hidden = hidden || json_is_true(json_object_get(r, "distribution_withheld"));
            int bad_hidden = hidden || json_is_true(json_object_get(r, "bad_or_worse_withheld"));
            const json_t *dist = json_object_get(r, "distribution");

            for (i = 0; i < ndims; i++)
                cells[i] = json_string_value(json_object_get(json_object_get(grp, "key"),
                                                             names[i]));
            cells[ndims] = json_string_value(json_object_get(r, "variable"));
            cells[ndims + 1] = count_text(json_object_get(grp, "respondents"), kmin, pool);
            cells[ndims + 2] = count_text(json_object_get(r, "n"), kmin, pool);
            for (i = 0; i < maxl; i++)
                cells[ndims + 3 + i] = dist_hidden ? "x" : num(json_array_get(dist, i), "%.1f",
                                                               100, pool);
            cells[width - 2] = hidden ? "x" : num(json_object_get(r, "median"), "%g", 1, pool);
            cells[width - 1] = bad_hidden ? "x" : num(json_object_get(r, "bad_or_worse"), "%.1f",
                                                      100, pool);
            sp_grid_add_row(grid, cells, width);
        }
    }
    if (json_is_true(json_object_get(res, "not_for_publication")))
        sp_grid_add_note(grid, "NOT FOR PUBLICATION: small-cell suppression is off");
    else
        sp_grid_add_note(grid, apr_psprintf(pool, "x: withheld, built from 1 to %ld respondents "
                                            "or answers (a group, a level, the bad or the other "
                                            "answers)", (long)json_integer_value(
                                            json_object_get(res, "min_cell")) - 1));
    sp_grid_add_note(grid, "%k: weighted share at level k; median: HAVERAGE; % bad: share at or "
                     "below the indicator's bad_at_most");
    return grid;
}
