/*
 * sp_lua_agg.c -- the Agg class (a computed grouped aggregation, sp_agg.h)
 * and ds:aggregate, which folds the scan of an analysis
 * (sp_lua_dataset.c) into sp_agg's histograms: plain indicators are scan
 * measures, composite ones are scan keys whose codes the composite maps to
 * a level, and the groups are the combinations of the `by` variables.
 * Group keys, variables and levels are labelled from the workspace as in
 * `spiral aggregate` (sp_scan_value_label, sp_scan_var_label) unless
 * labels = false.
 *
 * The renderers of sp_agg_render.c write to a FILE; here they write to a
 * memory stream whose text is copied into a scratch pool before anything
 * is pushed, so no Lua error can leak the malloc'd buffer.
 */
#define _GNU_SOURCE 1   /* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_lua_dataset.h"
#include "sp_table.h"

static sp_lua_result_t *
check_agg(lua_State *L, int idx)
{
    return sp_lua_check_result(L, idx, SP_LUA_AGG, "the aggregation is closed");
}

static const luaL_Reg agg_methods[];
static const luaL_Reg agg_meta[];

void
sp_lua_push_agg(lua_State *L, sp_agg_t *a, const char *notes, apr_pool_t *pool)
{
    sp_lua_push_result(L, SP_LUA_AGG, agg_meta, agg_methods, a, notes, pool);
}

static int
l_agg_close(lua_State *L)
{
    return sp_lua_close_result(L, SP_LUA_AGG);
}

enum { R_JSON, R_CSV, R_TEXT };

/* Render into a string and push it (raises on failure). */
static int
render(lua_State *L, sp_lua_result_t *u, int how, const sp_agg_csv_opts_t *co)
{
    apr_pool_t *tmp;
    char *buf = NULL;
    size_t len = 0;
    const char *text = NULL;
    sp_error_t *err = NULL;
    FILE *f;
    int rc;

    apr_pool_create(&tmp, u->pool);
    if ((f = open_memstream(&buf, &len)) == NULL) {
        apr_pool_destroy(tmp);
        return luaL_error(L, "out of memory");
    }
    rc = how == R_JSON ? sp_agg_render_json(u->obj, f, tmp, &err)
        : how == R_CSV ? sp_agg_render_csv(u->obj, co, f, tmp, &err)
        : sp_agg_render_text(u->obj, f, tmp, &err);
    if (rc == SP_OK && how == R_TEXT && u->notes && *u->notes)
        fprintf(f, "\n%s", u->notes);
    fclose(f);
    text = rc == SP_OK ? apr_pstrmemdup(tmp, buf, len)
        : apr_pstrdup(tmp, err && err->message ? err->message : "cannot render");
    free(buf);
    lua_pushstring(L, text);
    apr_pool_destroy(tmp);
    if (rc != SP_OK)
        return lua_error(L);
    return 1;
}

/***
 * ag:json() -> string; ag:text() -> string; ag:csv{sep=, decimal=} -> string
 */
static int
l_agg_json(lua_State *L)
{
    return render(L, check_agg(L, 1), R_JSON, NULL);
}

static int
l_agg_text(lua_State *L)
{
    return render(L, check_agg(L, 1), R_TEXT, NULL);
}

static int
l_agg_tostring(lua_State *L)
{
    sp_lua_result_t *u = luaL_checkudata(L, 1, SP_LUA_AGG);

    if (u->pool == NULL) {
        lua_pushliteral(L, "spiral.Agg (closed)");
        return 1;
    }
    return render(L, u, R_TEXT, NULL);
}

static int
l_agg_csv(lua_State *L)
{
    static const char *const fields[] = {"sep", "decimal", NULL};
    sp_lua_result_t *u = check_agg(L, 1);
    sp_agg_csv_opts_t co;
    const char *s, *d;

    co.sep = ',';
    co.decimal_comma = 0;
    if (!lua_isnoneornil(L, 2)) {
        sp_lua_check_fields(L, 2, "csv", fields);
        s = sp_lua_opt_string(L, 2, "sep", "csv");
        d = sp_lua_opt_string(L, 2, "decimal", "csv");
        if (s != NULL) {
            if (strcmp(s, "tab") == 0 || strcmp(s, "\t") == 0)
                co.sep = '\t';
            else if (strcmp(s, ",") == 0 || strcmp(s, ";") == 0)
                co.sep = s[0];
            else
                return luaL_error(L, "csv: sep is ',', ';' or tab");
        }
        if (d != NULL && strcmp(d, ",") == 0)
            co.decimal_comma = 1;
        else if (d != NULL && strcmp(d, ".") != 0)
            return luaL_error(L, "csv: decimal is '.' or ','");
        if (co.decimal_comma && co.sep == ',')
            return luaL_error(L, "csv: a decimal comma needs sep ';' or tab");
    }
    return render(L, u, R_CSV, &co);
}

/***
 * ag:rows() -> array of {<by var> = key..., variable =, n =, n_missing =,
 *   weight =, mean =, sd =, q1 =, median =, q3 =, share_le =, suppressed =}
 *
 * One row per (group, variable).  A suppressed entry has only its keys,
 * variable and suppressed = true; an undefined statistic is nil; share_le
 * is nil and share_le_withheld true when its answers, or the others, are
 * 1..K-1 (sp_agg.h).
 */
static int
l_agg_rows(lua_State *L)
{
    sp_lua_result_t *u = check_agg(L, 1);
    size_t ng = sp_agg_ngroups(u->obj), nv = sp_agg_nvars(u->obj), nd = sp_agg_ndims(u->obj);
    size_t g, v, d;
    lua_Integer at = 0;

    lua_createtable(L, (int)(ng * nv), 0);
    for (g = 0; g < ng; g++)
        for (v = 0; v < nv; v++) {
            const sp_agg_stats_t *s = sp_agg_stats(u->obj, g, v);

            lua_createtable(L, 0, 12);
            for (d = 0; d < nd; d++) {
                lua_pushstring(L, sp_agg_group_key(u->obj, g, d));
                lua_setfield(L, -2, sp_agg_dim_name(u->obj, d));
            }
            lua_pushstring(L, sp_agg_var_name(u->obj, v));
            lua_setfield(L, -2, "variable");
            lua_pushboolean(L, s->suppressed);
            lua_setfield(L, -2, "suppressed");
            if (!s->suppressed) {
                lua_pushinteger(L, (lua_Integer)s->n);
                lua_setfield(L, -2, "n");
                if (!s->missing_withheld) {
                    lua_pushinteger(L, (lua_Integer)s->n_missing);
                    lua_setfield(L, -2, "n_missing");
                }
                sp_lua_set_number(L, "weight", s->weight);
                sp_lua_set_number(L, "mean", s->mean);
                sp_lua_set_number(L, "sd", s->sd);
                sp_lua_set_number(L, "q1", s->q1);
                sp_lua_set_number(L, "median", s->median);
                sp_lua_set_number(L, "q3", s->q3);
                if (!s->share_le_withheld)
                    sp_lua_set_number(L, "share_le", s->share_le);
                lua_pushboolean(L, s->share_le_withheld);
                lua_setfield(L, -2, "share_le_withheld");
            }
            lua_rawseti(L, -2, ++at);
        }
    return 1;
}

/* One entry of ag:suppressed(). */
static void
push_withheld(lua_State *L, const sp_agg_t *a, size_t g, size_t v, const char *part,
              lua_Integer *at)
{
    size_t d, nd = sp_agg_ndims(a);

    lua_createtable(L, 0, 3);
    lua_createtable(L, (int)nd, 0);
    for (d = 0; d < nd; d++) {
        lua_pushstring(L, sp_agg_group_key(a, g, d));
        lua_rawseti(L, -2, (lua_Integer)d + 1);
    }
    lua_setfield(L, -2, "group");
    lua_pushstring(L, sp_agg_var_name(a, v));
    lua_setfield(L, -2, "variable");
    lua_pushstring(L, part);
    lua_setfield(L, -2, "part");
    lua_rawseti(L, -2, ++*at);
}

/***
 * ag:suppressed() -> array of {group = {keys...}, variable = name, part =}
 * part: "all" (the entry), "distribution", "share_le" or "missing"
 * (sp_agg.h).
 */
static int
l_agg_suppressed(lua_State *L)
{
    sp_lua_result_t *u = check_agg(L, 1);
    size_t ng = sp_agg_ngroups(u->obj), nv = sp_agg_nvars(u->obj);
    size_t g, v;
    lua_Integer at = 0;

    lua_newtable(L);
    for (g = 0; g < ng; g++)
        for (v = 0; v < nv; v++) {
            const sp_agg_stats_t *s = sp_agg_stats(u->obj, g, v);

            if (s->suppressed) {
                push_withheld(L, u->obj, g, v, "all", &at);
                continue;
            }
            if (s->dist_withheld)
                push_withheld(L, u->obj, g, v, "distribution", &at);
            if (s->share_le_withheld)
                push_withheld(L, u->obj, g, v, "share_le", &at);
            if (s->missing_withheld)
                push_withheld(L, u->obj, g, v, "missing", &at);
        }
    return 1;
}

static int
l_agg_tables(lua_State *L)
{
    sp_lua_result_t *u = check_agg(L, 1);
    apr_pool_t *tmp;
    sp_table_t *t = NULL;
    sp_error_t *err = NULL;

    apr_pool_create(&tmp, u->pool);
    if (sp_table_from_agg(u->obj, &t, tmp, &err) != SP_OK) {
        lua_pushstring(L, err ? err->message : "cannot make a table");
        apr_pool_destroy(tmp);
        return lua_error(L);
    }
    sp_table_push_lua(L, t);
    apr_pool_destroy(tmp);
    return 1;
}

static const luaL_Reg agg_methods[] = {
    {"json", l_agg_json},
    {"csv", l_agg_csv},
    {"text", l_agg_text},
    {"rows", l_agg_rows},
    {"suppressed", l_agg_suppressed},
    {"tables", l_agg_tables},
    {"close", l_agg_close},
    {NULL, NULL}
};

static const luaL_Reg agg_meta[] = {
    {"__gc", l_agg_close},
    {"__close", l_agg_close},
    {"__tostring", l_agg_tostring},
    {SP_TABLE_LUA_META, l_agg_tables},
    {NULL, NULL}
};

/* ---- ds:aggregate ------------------------------------------------------- */

typedef struct grank_t {
    size_t tuple;
    double rank;
} grank_t;

static int
by_rank(const void *x, const void *y)
{
    const grank_t *a = x, *b = y;

    return a->rank < b->rank ? -1 : a->rank > b->rank;
}

static int
level_number(const char *s, unsigned *out)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (*end || end == s || v < 1 || v > SP_AGG_MAX_LEVELS)
        return 0;
    *out = (unsigned)v;
    return 1;
}

/* Add n records of total weight w at level to (g, m). */
static void
add_records(sp_agg_t *a, size_t g, size_t m, unsigned level, double n, double w)
{
    double c;

    if (n <= 0)
        return;
    sp_agg_add(a, g, m, level, w);
    for (c = 1; c < n; c++)
        sp_agg_add(a, g, m, level, 0.0);
}

/* vars: names; kidx[v] = logical key of a composite var, or -1 and
 * midx[v] = its scan measure.  Keys 0..nby-1 are the by variables. */
static int
build(const analysis_t *an, size_t nby, const apr_array_header_t *vars, const long *kidx,
      const size_t *midx, int include_missing, const sp_agg_opts_t *ao, sp_agg_t **out,
      const char **notes, apr_pool_t *pool, sp_error_t **err)
{
    const sp_scan_result_t *r = an->res;
    size_t nv = (size_t)vars->nelts, M = r->nmeasures, i, k, v, li, cell, nlevels = 1;
    size_t ncube = 1, ng = 0, t[SP_SCAN_MAX_KEYS];
    unsigned **num = apr_pcalloc(pool, (M + an->nkeys) * sizeof *num);
    long *gid;
    grank_t *gr;
    double left_out = 0;
    const char **dims = apr_palloc(pool, (nby + 1) * sizeof *dims);
    sp_agg_t *a;

    /* Levels: plain measures, then composite keys. */
    for (i = 0; i < M; i++) {
        num[i] = apr_pcalloc(pool, (r->measure[i].nlevels + 1) * sizeof(unsigned));
        for (li = 1; li <= r->measure[i].nlevels; li++)
            if (!level_number(r->measure[i].value[li], &num[i][li]))
                return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                                    "%s has the value '%s', not a level 1..%d",
                                    r->measure[i].var, r->measure[i].value[li],
                                    SP_AGG_MAX_LEVELS);
            else if (num[i][li] > nlevels)
                nlevels = num[i][li];
    }
    for (k = nby; k < an->nkeys; k++) {
        unsigned *kn = num[M + k] = apr_pcalloc(pool, (an->key[k].nlevels + 1) * sizeof(unsigned));

        for (li = 1; li <= an->key[k].nlevels; li++)
            if (!level_number(an->key[k].value[li], &kn[li]))
                return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                                    "composite '%s' gave '%s', not a level 1..%d (round it)",
                                    an->key[k].name, an->key[k].value[li], SP_AGG_MAX_LEVELS);
            else if (kn[li] > nlevels)
                nlevels = kn[li];
    }
    /* Groups: by-tuples holding records, in level order, missing last. */
    for (k = 0; k < nby; k++)
        ncube *= an->key[k].nlevels + 1;
    gid = apr_palloc(pool, ncube * sizeof *gid);
    for (i = 0; i < ncube; i++)
        gid[i] = -1;
    for (cell = 0; cell < r->ncells; cell++) {
        double n = 0;
        size_t bt = 0;

        if (M == 0)
            n = r->n[cell];
        else
            for (li = 0; li <= r->measure[0].nlevels; li++)
                n += r->n[cell * M * r->mstride + li];
        if (n == 0)
            continue;
        sp_lua_an_tuple(r, cell, t);
        for (k = 0; k < nby; k++)
            bt = bt * (an->key[k].nlevels + 1) + sp_lua_an_level(an, k, t);
        gid[bt] = 0;
    }
    gr = apr_palloc(pool, ncube * sizeof *gr);
    for (i = 0; i < ncube; i++) {
        size_t rest = i;
        double rank = 0, mult = 1;
        int valid = 1;

        if (gid[i] < 0)
            continue;
        for (k = nby; k-- > 0;) {
            size_t L = an->key[k].nlevels, lv = rest % (L + 1);

            rest /= L + 1;
            valid &= lv != 0 || include_missing;
            rank += mult * (double)(lv ? lv : L + 1);
            mult *= (double)(L + 2);
        }
        if (!valid) {
            gid[i] = -2;
            continue;
        }
        gr[ng].tuple = i;
        gr[ng].rank = rank;
        ng++;
    }
    if (ng == 0)
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "no record to aggregate");
    qsort(gr, ng, sizeof *gr, by_rank);
    if ((a = sp_agg_create(ng, nv, nlevels, pool)) == NULL)
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "too many groups");
    for (k = 0; k < nby; k++)
        dims[k] = an->key[k].name;
    sp_agg_set_dims(a, nby, dims);
    for (i = 0; i < ng; i++) {
        size_t rest = gr[i].tuple;
        const char **keys = apr_palloc(pool, (nby + 1) * sizeof *keys);

        gid[gr[i].tuple] = (long)i;
        for (k = nby; k-- > 0;) {
            size_t lv = rest % (an->key[k].nlevels + 1);

            rest /= an->key[k].nlevels + 1;
            keys[k] = sp_lua_an_label(an, k, lv, pool);
        }
        sp_agg_set_group_key(a, i, keys);
    }
    for (v = 0; v < nv; v++) {
        const char *name = APR_ARRAY_IDX(vars, v, const char *);

        sp_agg_set_var(a, v, name, sp_scan_var_label(an->labels.store, an->labels.french, name,
                                                     pool));
    }
    /* Level labels from the first variable, as `spiral aggregate` does. */
    for (li = 1; li <= nlevels; li++) {
        const char *l = sp_scan_value_label(an->labels.store, an->labels.french,
                                            APR_ARRAY_IDX(vars, 0, const char *),
                                            apr_psprintf(pool, "%ld", (long)li), pool);

        if (l)
            sp_agg_set_level_label(a, (unsigned)li, l);
    }
    /* Fold every scan cell. */
    for (cell = 0; cell < r->ncells; cell++) {
        double n = 0, w = 0;
        size_t bt = 0, g;

        if (M == 0) {
            n = r->n[cell];
            w = r->w[cell];
        } else {
            for (li = 0; li <= r->measure[0].nlevels; li++) {
                n += r->n[cell * M * r->mstride + li];
                w += r->w[cell * M * r->mstride + li];
            }
        }
        if (n == 0)
            continue;
        sp_lua_an_tuple(r, cell, t);
        for (k = 0; k < nby; k++)
            bt = bt * (an->key[k].nlevels + 1) + sp_lua_an_level(an, k, t);
        if (gid[bt] < 0) {
            left_out += n;
            continue;
        }
        g = (size_t)gid[bt];
        for (v = 0; v < nv; v++) {
            if (kidx[v] >= 0) {
                size_t lv = sp_lua_an_level(an, (size_t)kidx[v], t);

                add_records(a, g, v, lv ? num[M + (size_t)kidx[v]][lv] : 0, n, w);
            } else {
                size_t m = midx[v];

                for (li = 0; li <= r->measure[m].nlevels; li++) {
                    size_t at = (cell * M + m) * r->mstride + li;

                    add_records(a, g, v, li ? num[m][li] : 0, r->n[at], r->w[at]);
                }
            }
        }
    }
    sp_agg_compute(a, ao);
    *notes = "";
    if (left_out > 0 || r->filtered > 0 || r->no_weight > 0)
        *notes = apr_psprintf(pool, "%s: %s; %s: %s; %s: %s\n",
                              an->labels.french ? "Enregistrements sans groupe"
                                                : "Records without a group",
                              sp_agg_count_text(a, left_out, pool),
                              an->labels.french ? "exclus par where" : "left out by where",
                              sp_agg_count_text(a, r->filtered, pool),
                              an->labels.french ? "sans poids" : "without a weight",
                              sp_agg_count_text(a, r->no_weight, pool));
    *out = a;
    return SP_OK;
}

/***
 * ds:aggregate{vars=, by=, weight=, where=, missing=, min_cell=,
 *              no_suppress=, bad_at_most=, lang=, labels=} -> Agg | nil, message
 */
int
sp_lua_dataset_aggregate(lua_State *L)
{
    static const char *const fields[] = {"vars", "by", "weight", "where", "missing",
                                         "min_cell", "no_suppress", "bad_at_most", "lang",
                                         "labels", NULL};
    static const char *const missing_opts[] = {"exclude", "include", NULL};
    dataset_t *ds = sp_lua_ds_check(L, 1);
    const char *weight, *where, *msg = NULL, *notes = "";
    apr_array_header_t *vars, *by, *meas;
    long *kidx;
    size_t *midx;
    sp_agg_opts_t ao;
    sp_agg_t *a = NULL;
    sp_error_t *err = NULL;
    an_labels_t lb;
    analysis_t an;
    apr_pool_t *opool;
    int include = 0, rc, i;

    sp_lua_check_fields(L, 2, "aggregate", fields);
    sp_lua_refuse_in_check(L, "aggregate");
    weight = sp_lua_opt_string(L, 2, "weight", "aggregate");
    where = sp_lua_opt_string(L, 2, "where", "aggregate");
    sp_agg_opts_init(&ao);
    if (lua_getfield(L, 2, "missing") != LUA_TNIL)
        include = luaL_checkoption(L, -1, NULL, missing_opts);
    if (lua_getfield(L, 2, "min_cell") != LUA_TNIL) {
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0)
            return luaL_error(L, "aggregate: min_cell must be an integer >= 0");
        ao.min_cell = (unsigned)lua_tointeger(L, -1);
    }
    if (lua_getfield(L, 2, "bad_at_most") != LUA_TNIL) {
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1
            || lua_tointeger(L, -1) > SP_AGG_MAX_LEVELS)
            return luaL_error(L, "aggregate: bad_at_most must be a level 1..%d",
                              SP_AGG_MAX_LEVELS);
        ao.bad_level = (unsigned)lua_tointeger(L, -1);
    }
    lua_getfield(L, 2, "no_suppress");
    ao.no_suppress = lua_toboolean(L, -1);
    lua_pop(L, 4);
    sp_lua_opt_labels(L, 2, "aggregate", &lb);
    sp_lua_an_init(L, &an);
    an.labels = lb;
    vars = apr_array_make(an.pool, 8, sizeof(const char *));
    by = apr_array_make(an.pool, 4, sizeof(const char *));
    meas = apr_array_make(an.pool, 8, sizeof(const char *));
    sp_lua_opt_list(L, 2, "vars", "aggregate", vars);
    sp_lua_opt_list(L, 2, "by", "aggregate", by);
    if (vars->nelts == 0 || by->nelts == 0) {
        apr_pool_destroy(an.pool);
        return luaL_error(L, "aggregate: vars and by are required");
    }
    kidx = apr_palloc(an.pool, (size_t)vars->nelts * sizeof *kidx);
    midx = apr_palloc(an.pool, (size_t)vars->nelts * sizeof *midx);
    for (i = 0; i < by->nelts && msg == NULL; i++)
        msg = sp_lua_an_add_key(&an, ds, APR_ARRAY_IDX(by, i, const char *));
    for (i = 0; i < vars->nelts && msg == NULL; i++) {
        const char *name = APR_ARRAY_IDX(vars, i, const char *);
        const composite_t *c = NULL;
        int j;

        for (j = 0; j < ds->comps->nelts; j++)
            if (strcmp(APR_ARRAY_IDX(ds->comps, j, composite_t).name, name) == 0)
                c = &APR_ARRAY_IDX(ds->comps, j, composite_t);
        if (c != NULL) {
            kidx[i] = (long)an.nkeys;
            msg = sp_lua_an_add_key(&an, ds, name);
        } else {
            kidx[i] = -1;
            midx[i] = (size_t)meas->nelts;
            APR_ARRAY_PUSH(meas, const char *) = name;
        }
    }
    if (msg != NULL) {
        apr_pool_destroy(an.pool);
        return luaL_error(L, "aggregate: %s", msg);
    }
    rc = sp_lua_an_run(L, 1, ds, &an, meas, weight, where, &err);
    if (rc != SP_OK)
        return sp_lua_an_fail(L, &an, rc, err);
    opool = sp_lua_object_pool(L);
    rc = build(&an, (size_t)by->nelts, vars, kidx, midx, include, &ao, &a, &notes, opool, &err);
    if (rc != SP_OK) {
        lua_pushnil(L);
        lua_pushstring(L, err ? err->message : "aggregate failed");
        apr_pool_destroy(opool);
        apr_pool_destroy(an.pool);
        return 2;
    }
    apr_pool_destroy(an.pool);
    sp_lua_push_agg(L, a, notes, opool);
    return 1;
}
