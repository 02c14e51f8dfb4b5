/*
 * sp_lua_dataset.c -- spiral.survey.dataset and the Dataset class: survey
 * rows from a CSV file of the input folder or from the workspace, derived
 * "composite" variables, and the crosstab and aggregate analyses.
 *
 * Nothing is kept per row.  An analysis is one scan (sp_scan.h) whose key
 * variables are the plain variables it names plus the components of every
 * composite it names; the scan returns weighted counts per combination of
 * their codes.  A composite's function is then called once per distinct
 * combination of its components' codes that occurs (memoized: the function
 * must be pure), and the counts are folded into the cells of the logical
 * table -- the crosstab's rows x cols x layers, or the aggregation's groups
 * and indicator levels -- which sp_xtab / sp_agg compute.  Because the
 * answers are small ordinal codes there are at most a few hundred distinct
 * combinations, whatever the number of respondents: this is what lets a
 * composite written in Lua cost about the same as a built-in one
 * (bench/run_composite.sh measures it).  The options lang= and labels= of
 * both analyses are read here, and levels labelled with the workspace
 * lookups of sp_scan.h, as the commands do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include "sp_lua.h"
#include "sp_lua_dataset.h"

dataset_t *
sp_lua_ds_check(lua_State *L, int idx)
{
    dataset_t *ds = luaL_checkudata(L, idx, SP_LUA_DATASET);

    if (ds->pool == NULL)
        luaL_error(L, "the dataset is closed");
    return ds;
}

/* Strict option tables: raise on a field not in allowed. */
void
sp_lua_check_fields(lua_State *L, int idx, const char *what, const char *const *allowed)
{
    luaL_checktype(L, idx, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        const char *const *a;

        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "%s: unexpected positional value (options are named)", what);
        for (a = allowed; *a != NULL; a++)
            if (strcmp(*a, lua_tostring(L, -1)) == 0)
                break;
        if (*a == NULL)
            luaL_error(L, "%s: unknown field '%s'", what, lua_tostring(L, -1));
    }
}

const char *
sp_lua_opt_string(lua_State *L, int idx, const char *field, const char *what)
{
    const char *s = NULL;

    if (lua_getfield(L, idx, field) != LUA_TNIL) {
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "%s: field '%s' must be a string", what, field);
        s = lua_tostring(L, -1);
    }
    lua_pop(L, 1);      /* the string stays reachable from the table */
    return s;
}

/* A list field: "a,b" or {"a", "b"}; pushes names onto out. */
void
sp_lua_opt_list(lua_State *L, int idx, const char *field, const char *what, apr_array_header_t *out)
{
    int t = lua_getfield(L, idx, field);

    if (t == LUA_TSTRING) {
        char *copy = apr_pstrdup(out->pool, lua_tostring(L, -1)), *tok, *st = NULL;

        for (tok = apr_strtok(copy, ", ", &st); tok; tok = apr_strtok(NULL, ", ", &st))
            APR_ARRAY_PUSH(out, const char *) = tok;
    } else if (t == LUA_TTABLE) {
        lua_Integer i, n = luaL_len(L, -1);

        for (i = 1; i <= n; i++) {
            if (lua_rawgeti(L, -1, i) != LUA_TSTRING)
                luaL_error(L, "%s: %s[%d] must be a variable name", what, field, (int)i);
            APR_ARRAY_PUSH(out, const char *) = apr_pstrdup(out->pool, lua_tostring(L, -1));
            lua_pop(L, 1);
        }
    } else if (t != LUA_TNIL) {
        luaL_error(L, "%s: field '%s' must be a name, a list \"a,b\" or an array", what, field);
    }
    lua_pop(L, 1);
}

/* ---- the class ---------------------------------------------------------- */

static int
l_dataset_close(lua_State *L)
{
    dataset_t *ds = luaL_checkudata(L, 1, SP_LUA_DATASET);

    if (ds->pool != NULL) {
        apr_pool_destroy(ds->pool);
        ds->pool = NULL;
    }
    return 0;
}

static int
l_dataset_tostring(lua_State *L)
{
    dataset_t *ds = luaL_checkudata(L, 1, SP_LUA_DATASET);

    if (ds->pool == NULL)
        lua_pushstring(L, "spiral.Dataset (closed)");
    else
        lua_pushfstring(L, "spiral.Dataset (%s)", sp_scan_name(ds->src));
    return 1;
}

/***
 * ds:vars() -> array of variable names (composites last)
 */
static int
l_dataset_vars(lua_State *L)
{
    dataset_t *ds = sp_lua_ds_check(L, 1);
    size_t n, i;
    const char *const *v = sp_scan_vars(ds->src, &n);
    int at = 0;

    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_pushstring(L, v[i]);
        lua_rawseti(L, -2, ++at);
    }
    for (i = 0; i < (size_t)ds->comps->nelts; i++) {
        lua_pushstring(L, APR_ARRAY_IDX(ds->comps, i, composite_t).name);
        lua_rawseti(L, -2, ++at);
    }
    return 1;
}

static const composite_t *
find_composite(const dataset_t *ds, const char *name)
{
    int i;

    for (i = 0; i < ds->comps->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(ds->comps, i, composite_t).name, name) == 0)
            return &APR_ARRAY_IDX(ds->comps, i, composite_t);
    return NULL;
}

/***
 * ds:composite(name, {vars...}, fn | "median" | "mean" | "min" | "max") -> ds
 *
 * Define a derived variable: fn(v1, v2, ...) receives one respondent's
 * values of vars (numbers when they read as numbers, nil when missing) and
 * returns the derived value (a number, a string, or nil for missing).  fn
 * is called once per distinct combination of values, so it must be pure.
 */
static int
l_dataset_composite(lua_State *L)
{
    dataset_t *ds = sp_lua_ds_check(L, 1);
    const char *name = luaL_checkstring(L, 2);
    composite_t c;
    lua_Integer i, n;

    luaL_checktype(L, 3, LUA_TTABLE);
    memset(&c, 0, sizeof c);
    if (lua_type(L, 4) == LUA_TSTRING)
        c.builtin = luaL_checkoption(L, 4, NULL, builtin_names);
    else {
        luaL_checktype(L, 4, LUA_TFUNCTION);
        c.builtin = B_LUA;
    }
    if (sp_scan_has_var(ds->src, name) || find_composite(ds, name))
        return luaL_error(L, "composite '%s': the dataset already has a variable of that name",
                          name);
    n = luaL_len(L, 3);
    if (n < 1 || n > SP_SCAN_MAX_KEYS)
        return luaL_error(L, "composite '%s': give 1 to %d variables", name, SP_SCAN_MAX_KEYS);
    c.name = apr_pstrdup(ds->pool, name);
    c.nvars = (size_t)n;
    c.vars = apr_palloc(ds->pool, (size_t)n * sizeof *c.vars);
    for (i = 1; i <= n; i++) {
        const char *v;

        if (lua_rawgeti(L, 3, i) != LUA_TSTRING)
            return luaL_error(L, "composite '%s': variable %d is not a name", name, (int)i);
        v = lua_tostring(L, -1);
        if (!sp_scan_has_var(ds->src, v))
            return luaL_error(L, "composite '%s': unknown variable '%s' in %s", name, v,
                              sp_scan_name(ds->src));
        c.vars[i - 1] = apr_pstrdup(ds->pool, v);
        lua_pop(L, 1);
    }
    if (c.builtin == B_LUA) {
        lua_getiuservalue(L, 1, 1);                     /* .., fns */
        lua_pushvalue(L, 4);
        lua_setfield(L, -2, name);
        lua_pop(L, 1);
    }
    APR_ARRAY_PUSH(ds->comps, composite_t) = c;
    lua_settop(L, 1);
    return 1;
}

/* ---- analyses ------------------------------------------------------------ */

static size_t
phys_key(analysis_t *an, const char *var)
{
    int i;

    for (i = 0; i < an->phys->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(an->phys, i, const char *), var) == 0)
            return (size_t)i;
    if (an->phys->nelts >= SP_SCAN_MAX_KEYS)
        return (size_t)-1;
    APR_ARRAY_PUSH(an->phys, const char *) = var;
    return (size_t)an->phys->nelts - 1;
}

/* Add a logical variable; NULL on success or a static message. */
const char *
sp_lua_an_add_key(analysis_t *an, const dataset_t *ds, const char *name)
{
    lkey_t *k = &an->key[an->nkeys];
    size_t i;

    if (an->nkeys >= SP_SCAN_MAX_KEYS)
        return "too many variables in one analysis";
    memset(k, 0, sizeof *k);
    k->name = name;
    k->comp = find_composite(ds, name);
    if (k->comp == NULL) {
        if ((k->phys = phys_key(an, name)) == (size_t)-1)
            return "too many variables in one analysis (composites count their components)";
    } else {
        k->cphys = apr_palloc(an->pool, k->comp->nvars * sizeof *k->cphys);
        for (i = 0; i < k->comp->nvars; i++)
            if ((k->cphys[i] = phys_key(an, k->comp->vars[i])) == (size_t)-1)
                return "too many variables in one analysis (composites count their components)";
    }
    an->nkeys++;
    return NULL;
}

/* Scan key levels of result cell. */
void
sp_lua_an_tuple(const sp_scan_result_t *r, size_t cell, size_t *t)
{
    size_t k;

    for (k = r->nkeys; k-- > 0;) {
        t[k] = cell % (r->key[k].nlevels + 1);
        cell /= r->key[k].nlevels + 1;
    }
}

static double
builtin(int which, const double *v, size_t n)
{
    size_t i, j;
    double x, s = 0;
    double sorted[SP_SCAN_MAX_KEYS];

    switch (which) {
    case B_MEDIAN:
        /* Insertion sort; the lower middle value, so the result is an answer. */
        for (i = 0; i < n; i++) {
            x = v[i];
            for (j = i; j > 0 && sorted[j - 1] > x; j--)
                sorted[j] = sorted[j - 1];
            sorted[j] = x;
        }
        return sorted[(n - 1) / 2];
    case B_MIN:
        for (x = v[0], i = 1; i < n; i++)
            x = v[i] < x ? v[i] : x;
        return x;
    case B_MAX:
        for (x = v[0], i = 1; i < n; i++)
            x = v[i] > x ? v[i] : x;
        return x;
    default:
        for (i = 0; i < n; i++)
            s += v[i];
        return s / (double)n;
    }
}

static const char *
number_text(double x, apr_pool_t *pool)
{
    char buf[64];

    if (x == (double)(long long)x && x > -1e15 && x < 1e15)
        snprintf(buf, sizeof buf, "%lld", (long long)x);
    else
        snprintf(buf, sizeof buf, "%.17g", x);
    return apr_pstrdup(pool, buf);
}

/* Protected (called through lua_pcall): the value of composite key k for
 * component codes t; returns its text or NULL for missing.  Stack: fns. */
static const char *
eval_composite(lua_State *L, analysis_t *an, const lkey_t *k, const size_t *t)
{
    const composite_t *c = k->comp;
    const sp_scan_result_t *r = an->res;
    size_t i, n = 0;

    if (c->builtin != B_LUA) {
        double v[SP_SCAN_MAX_KEYS];

        for (i = 0; i < c->nvars; i++) {
            size_t pk = k->cphys[i];
            char *end;

            if (t[pk] == 0)
                continue;
            v[n] = strtod(r->key[pk].value[t[pk]], &end);
            if (*end != '\0')
                luaL_error(L, "composite '%s': %s has the value '%s', not a number", c->name,
                           c->vars[i], r->key[pk].value[t[pk]]);
            n++;
        }
        return n == 0 ? NULL : number_text(builtin(c->builtin, v, n), an->pool);
    }
    lua_getfield(L, -1, c->name);                       /* fns, fn */
    for (i = 0; i < c->nvars; i++) {
        size_t pk = k->cphys[i];
        const char *s = r->key[pk].value[t[pk]];

        if (t[pk] == 0)
            lua_pushnil(L);
        else if (lua_stringtonumber(L, s) == 0)
            lua_pushstring(L, s);
    }
    lua_call(L, (int)c->nvars, 1);                      /* fns, result */
    switch (lua_type(L, -1)) {
    case LUA_TNIL:
    case LUA_TBOOLEAN:
        if (lua_toboolean(L, -1))
            break;
        lua_pop(L, 1);
        return NULL;
    case LUA_TNUMBER: {
        double x = lua_tonumber(L, -1);

        lua_pop(L, 1);
        if (x != x)
            return NULL;
        return number_text(x, an->pool);
    }
    case LUA_TSTRING: {
        const char *s = apr_pstrdup(an->pool, lua_tostring(L, -1));

        lua_pop(L, 1);
        return s;
    }
    default:
        break;
    }
    luaL_error(L, "composite '%s' must return a number, a string or nil, not %s", c->name,
               luaL_typename(L, -1));
    return NULL;
}

/* Protected: evaluate every composite on every cell that holds records and
 * give the logical keys their levels.  Args: an (light), fns. */
static int
l_resolve(lua_State *L)
{
    analysis_t *an = lua_touserdata(L, 1);
    const sp_scan_result_t *r = an->res;
    size_t cell, i, k, t[SP_SCAN_MAX_KEYS];

    lua_settop(L, 2);                                   /* an, fns */
    for (k = 0; k < an->nkeys; k++) {
        lkey_t *lk = &an->key[k];

        if (lk->comp == NULL) {
            lk->nlevels = r->key[lk->phys].nlevels;
            lk->value = r->key[lk->phys].value;
            continue;
        }
        lk->nmemo = 1;
        for (i = 0; i < lk->comp->nvars; i++)
            lk->nmemo *= r->key[lk->cphys[i]].nlevels + 1;
        lk->memo = apr_palloc(an->pool, lk->nmemo * sizeof *lk->memo);
        for (i = 0; i < lk->nmemo; i++)
            lk->memo[i] = -1;
        lk->ids = apr_hash_make(an->pool);
        lk->texts = apr_array_make(an->pool, 16, sizeof(const char *));
    }
    for (cell = 0; cell < r->ncells; cell++) {
        double any = 0;

        if (r->nmeasures == 0)
            any = r->n[cell];
        else
            for (i = 0; i <= r->measure[0].nlevels; i++)
                any += r->n[cell * r->nmeasures * r->mstride + i];
        if (any == 0)
            continue;
        sp_lua_an_tuple(r, cell, t);
        for (k = 0; k < an->nkeys; k++) {
            lkey_t *lk = &an->key[k];
            size_t ct = 0;
            const char *text;
            void *id;

            if (lk->comp == NULL)
                continue;
            for (i = 0; i < lk->comp->nvars; i++)
                ct = ct * (r->key[lk->cphys[i]].nlevels + 1) + t[lk->cphys[i]];
            if (lk->memo[ct] >= 0)
                continue;
            text = eval_composite(L, an, lk, t);
            if (text == NULL) {
                lk->memo[ct] = 0;
                continue;
            }
            id = apr_hash_get(lk->ids, text, APR_HASH_KEY_STRING);
            if (id == NULL) {
                APR_ARRAY_PUSH(lk->texts, const char *) = text;
                id = (void *)(intptr_t)lk->texts->nelts;
                apr_hash_set(lk->ids, text, APR_HASH_KEY_STRING, id);
            }
            lk->memo[ct] = (int)(intptr_t)id;
        }
    }
    /* Sort each composite's values as the scan sorts levels. */
    for (k = 0; k < an->nkeys; k++) {
        lkey_t *lk = &an->key[k];
        size_t n;

        if (lk->comp == NULL)
            continue;
        n = (size_t)lk->texts->nelts;
        lk->nlevels = n;
        lk->value = apr_palloc(an->pool, (n + 1) * sizeof *lk->value);
        lk->value[0] = "";
        memcpy(lk->value + 1, lk->texts->elts, n * sizeof *lk->value);
        sp_scan_sort_levels(lk->value + 1, n, 0);
        lk->remap = apr_palloc(an->pool, (n + 1) * sizeof *lk->remap);
        lk->remap[0] = 0;
        for (i = 1; i <= n; i++)
            lk->remap[(size_t)(intptr_t)apr_hash_get(lk->ids, lk->value[i],
                                                     APR_HASH_KEY_STRING)] = i;
    }
    return 0;
}

/* The logical level (0 = missing) of key k in scan tuple t. */
size_t
sp_lua_an_level(const analysis_t *an, size_t k, const size_t *t)
{
    const lkey_t *lk = &an->key[k];
    const sp_scan_result_t *r = an->res;
    size_t i, ct = 0;

    if (lk->comp == NULL)
        return t[lk->phys];
    for (i = 0; i < lk->comp->nvars; i++)
        ct = ct * (r->key[lk->cphys[i]].nlevels + 1) + t[lk->cphys[i]];
    return lk->remap[lk->memo[ct]];
}

void
sp_lua_opt_labels(lua_State *L, int idx, const char *what, an_labels_t *out)
{
    const char *lang = sp_lua_opt_string(L, idx, "lang", what);
    int t;

    out->french = 0;
    if (lang != NULL && strcmp(lang, "fr") == 0)
        out->french = 1;
    else if (lang != NULL && strcmp(lang, "en") != 0)
        luaL_error(L, "%s: lang is \"fr\" or \"en\"", what);
    out->store = sp_engine_store(sp_engine_from_lua(L));
    t = lua_getfield(L, idx, "labels");
    if (t != LUA_TNIL && t != LUA_TBOOLEAN)
        luaL_error(L, "%s: field 'labels' must be a boolean", what);
    if (t == LUA_TBOOLEAN && !lua_toboolean(L, -1))
        out->store = NULL;
    lua_pop(L, 1);
}

const char *
sp_lua_an_label(const analysis_t *an, size_t k, size_t i, apr_pool_t *pool)
{
    const lkey_t *lk = &an->key[k];
    const char *l;

    if (i == 0)
        return sp_scan_missing_label(an->labels.french);
    l = sp_scan_value_label(an->labels.store, an->labels.french, lk->name, lk->value[i], pool);
    return l ? l : lk->value[i];
}

/* Run the scan and resolve the composites.  Raises on a programmer's
 * mistake; returns SP_OK, or another status with *err for data errors. */
int
sp_lua_an_run(lua_State *L, int ds_idx, dataset_t *ds, analysis_t *an,
             const apr_array_header_t *measures, const char *weight,
             const char *where, sp_error_t **err)
{
    sp_engine_t *eng = sp_engine_from_lua(L);
    long long rows = sp_engine_limits(eng)->value[SP_LIMIT_ROWS];
    sp_scan_request_t req;
    sp_where_t *w = NULL;
    const char *filter = ds->where;
    int rc;

    if (where != NULL)
        filter = filter ? apr_pstrcat(an->pool, filter, ",", where, NULL) : where;
    if (filter != NULL && sp_where_parse(filter, &w, an->pool, err) != SP_OK)
        return luaL_error(L, "where: %s", (*err)->message);
    memset(&req, 0, sizeof req);
    req.keys = (const char *const *)an->phys->elts;
    req.nkeys = (size_t)an->phys->nelts;
    req.measures = measures ? (const char *const *)measures->elts : NULL;
    req.nmeasures = measures ? (size_t)measures->nelts : 0;
    req.weight = weight;
    req.where = w;
    rc = sp_scan_run(ds->src, &req, &an->res, an->pool, err);
    if (rc == SP_EXIT_USAGE)
        return luaL_error(L, "%s", (*err)->message);
    if (rc != SP_OK)
        return rc;
    if (rows > 0 && an->res->records > (double)rows)
        return sp_error_set(err, an->pool, SP_EXIT_DATA, NULL, 0, 0,
                            "the dataset has more than %" APR_INT64_T_FMT " rows (limit rows)", (apr_int64_t)rows);
    lua_pushcfunction(L, l_resolve);
    lua_pushlightuserdata(L, an);
    lua_getiuservalue(L, ds_idx, 1);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK)
        return -1;                      /* message on the stack */
    return SP_OK;
}

/* The scratch pool of an analysis; destroyed by finish(). */
void
sp_lua_an_init(lua_State *L, analysis_t *an)
{
    apr_pool_t *parent = sp_engine_run_pool(sp_engine_from_lua(L));

    memset(an, 0, sizeof *an);
    apr_pool_create(&an->pool, parent ? parent : sp_engine_pool(sp_engine_from_lua(L)));
    an->phys = apr_array_make(an->pool, 8, sizeof(const char *));
}

/* Push nil, message (data errors) or raise (-1: message on the stack),
 * after destroying the scratch pool. */
int
sp_lua_an_fail(lua_State *L, analysis_t *an, int rc, sp_error_t *err)
{
    if (rc == -1) {
        apr_pool_destroy(an->pool);
        return lua_error(L);
    }
    lua_pushnil(L);
    lua_pushstring(L, err && err->message ? err->message : "analysis failed");
    apr_pool_destroy(an->pool);
    return 2;
}


/* ---- spiral.survey.dataset ---------------------------------------------- */

/***
 * spiral.survey.dataset{file = "survey.csv" | workspace = true, where = "..."}
 *   -> Dataset | nil, message
 */
static int
l_survey_dataset(lua_State *L)
{
    static const char *const fields[] = {"file", "workspace", "where", NULL};
    sp_engine_t *eng = sp_engine_from_lua(L);
    const char *file, *where, *path;
    int workspace;
    dataset_t *ds;
    sp_error_t *err = NULL;
    sp_where_t *w;
    int rc;

    sp_lua_check_fields(L, 1, "spiral.survey.dataset", fields);
    file = sp_lua_opt_string(L, 1, "file", "spiral.survey.dataset");
    where = sp_lua_opt_string(L, 1, "where", "spiral.survey.dataset");
    lua_getfield(L, 1, "workspace");
    workspace = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if ((file == NULL) == (workspace == 0))
        return luaL_error(L, "spiral.survey.dataset: give either file= or workspace=true");
    sp_lua_refuse_in_check(L, "spiral.survey.dataset");
    if (workspace && sp_engine_store(eng) == NULL)
        return luaL_error(L, "spiral.survey.dataset: no workspace (give --db)");
    ds = lua_newuserdatauv(L, sizeof *ds, 1);           /* .., ds */
    memset(ds, 0, sizeof *ds);
    if (luaL_newmetatable(L, SP_LUA_DATASET))
        luaL_error(L, "internal error: the Dataset class is not set up");
    lua_setmetatable(L, -2);
    lua_newtable(L);
    lua_setiuservalue(L, -2, 1);
    ds->pool = sp_lua_object_pool(L);
    ds->comps = apr_array_make(ds->pool, 4, sizeof(composite_t));
    if (where != NULL) {
        if (sp_where_parse(where, &w, ds->pool, &err) != SP_OK)
            return luaL_error(L, "spiral.survey.dataset: where: %s", err->message);
        ds->where = apr_pstrdup(ds->pool, where);
    }
    if (file != NULL)
        rc = sp_engine_resolve_path(eng, file, 0, ds->pool, &path, &err) == SP_OK
            ? sp_scan_open_csv(&ds->src, path, NULL, 0, ds->pool, &err) : SP_EXIT_NOINPUT;
    else
        rc = sp_scan_open_store(&ds->src, sp_engine_store(eng), ds->pool, &err);
    if (rc != SP_OK) {
        lua_pushnil(L);
        if (err && err->file && err->line)
            lua_pushfstring(L, "%s:%d: %s", err->file, (int)err->line, err->message);
        else if (err && err->file)
            lua_pushfstring(L, "%s: %s", err->file, err->message);
        else
            lua_pushstring(L, err ? err->message : "cannot open the dataset");
        apr_pool_destroy(ds->pool);
        ds->pool = NULL;
        return 2;
    }
    return 1;
}

static const luaL_Reg dataset_methods[] = {
    {"composite", l_dataset_composite},
    {"crosstab", sp_lua_dataset_crosstab},
    {"aggregate", sp_lua_dataset_aggregate},
    {"vars", l_dataset_vars},
    {"close", l_dataset_close},
    {NULL, NULL}
};

static const luaL_Reg dataset_meta[] = {
    {"__gc", l_dataset_close},
    {"__close", l_dataset_close},
    {"__tostring", l_dataset_tostring},
    {NULL, NULL}
};

/* Protected: create the metatable of the class. */
static int
l_setup_class(lua_State *L)
{
    sp_lua_class(L, SP_LUA_DATASET, dataset_meta, dataset_methods);
    return 0;
}

static const luaL_Reg survey_fns[] = {
    {"dataset", l_survey_dataset},
    {NULL, NULL}
};

int
sp_lua_open_dataset(sp_engine_t *eng, sp_error_t **err)
{
    lua_State *L = sp_engine_lua(eng);

    lua_pushcfunction(L, l_setup_class);
    if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
        lua_settop(L, 0);
        return sp_error_set(err, sp_engine_pool(eng), SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "cannot set up spiral.Dataset");
    }
    return sp_engine_register(eng, "survey", survey_fns, err);
}
