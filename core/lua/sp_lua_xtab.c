/*
 * sp_lua_xtab.c -- the Xtab class (a computed cross-tabulation, sp_xtab.h)
 * and ds:crosstab, which folds the scan of an analysis (sp_lua_dataset.c)
 * into the logical rows x cols x layers table and computes it.
 *
 * As in `spiral crosstab` (core/cmd_crosstab.c), levels that hold no
 * counted record are left out, and missing values are excluded and counted
 * unless missing = "include", which shows them as a last level
 * "(missing)", so that margins are the sums of the cells shown; levels are
 * labelled from the workspace (sp_scan_value_label) unless labels = false.
 */
#include <string.h>
#include <apr_strings.h>
#include "sp_lua_dataset.h"
#include "sp_table.h"

static sp_lua_result_t *
check_xtab(lua_State *L, int idx)
{
    return sp_lua_check_result(L, idx, SP_LUA_XTAB, "the table is closed");
}

static const luaL_Reg xtab_methods[];
static const luaL_Reg xtab_meta[];

void
sp_lua_push_xtab(lua_State *L, sp_xtab_t *xt, const char *notes, apr_pool_t *pool)
{
    sp_lua_push_result(L, SP_LUA_XTAB, xtab_meta, xtab_methods, xt, notes, pool);
}

static int
l_xtab_close(lua_State *L)
{
    return sp_lua_close_result(L, SP_LUA_XTAB);
}

/* Push a rendered string built in a scratch pool, or raise. */
static int
push_rendered(lua_State *L, int rc, const char *text, apr_pool_t *tmp, sp_error_t *err)
{
    if (rc != SP_OK) {
        lua_pushstring(L, err && err->message ? err->message : "cannot render the table");
        apr_pool_destroy(tmp);
        return lua_error(L);
    }
    lua_pushstring(L, text);
    apr_pool_destroy(tmp);
    return 1;
}

static apr_pool_t *
scratch(lua_State *L, sp_lua_result_t *u)
{
    apr_pool_t *p;

    (void)L;
    apr_pool_create(&p, u->pool);
    return p;
}

/***
 * xt:text() -> string (aligned table, "x" suppressed, "." absent)
 */
static int
l_xtab_text(lua_State *L)
{
    sp_lua_result_t *u = check_xtab(L, 1);
    apr_pool_t *tmp = scratch(L, u);
    const char *text = NULL;
    sp_error_t *err = NULL;
    int rc = sp_xtab_render_text(u->obj, NULL, &text, tmp, &err);

    if (rc == SP_OK && u->notes && *u->notes)
        text = apr_pstrcat(tmp, text, "\n", u->notes, NULL);
    return push_rendered(L, rc, text, tmp, err);
}

static int
l_xtab_tostring(lua_State *L)
{
    sp_lua_result_t *u = luaL_checkudata(L, 1, SP_LUA_XTAB);

    if (u->pool == NULL) {
        lua_pushliteral(L, "spiral.Xtab (closed)");
        return 1;
    }
    return l_xtab_text(L);
}

/***
 * xt:json() -> string
 */
static int
l_xtab_json(lua_State *L)
{
    sp_lua_result_t *u = check_xtab(L, 1);
    apr_pool_t *tmp = scratch(L, u);
    const char *text = NULL;
    sp_error_t *err = NULL;
    int rc = sp_xtab_render_json(u->obj, &text, tmp, &err);

    return push_rendered(L, rc, text, tmp, err);
}

/* {sep = ",", decimal = "."} */
static void
csv_options(lua_State *L, int idx, char *sep, int *decimal_comma)
{
    static const char *const fields[] = {"sep", "decimal", NULL};
    const char *s, *d;

    *sep = ',';
    *decimal_comma = 0;
    if (lua_isnoneornil(L, idx))
        return;
    sp_lua_check_fields(L, idx, "csv", fields);
    s = sp_lua_opt_string(L, idx, "sep", "csv");
    d = sp_lua_opt_string(L, idx, "decimal", "csv");
    if (s != NULL) {
        if (strcmp(s, "tab") == 0 || strcmp(s, "\t") == 0)
            *sep = '\t';
        else if (strlen(s) == 1 && strchr(",;|", s[0]))
            *sep = s[0];
        else
            luaL_error(L, "csv: sep is ',', ';', '|' or tab");
    }
    if (d != NULL) {
        if (strcmp(d, ",") == 0)
            *decimal_comma = 1;
        else if (strcmp(d, ".") != 0)
            luaL_error(L, "csv: decimal is '.' or ','");
    }
    if (*decimal_comma && *sep == ',')
        luaL_error(L, "csv: a decimal comma needs sep ';' or tab");
}

/***
 * xt:csv{sep = ";", decimal = ","} -> string (long format)
 */
static int
l_xtab_csv(lua_State *L)
{
    sp_lua_result_t *u = check_xtab(L, 1);
    sp_xtab_render_options_t ro;
    apr_pool_t *tmp;
    const char *text = NULL;
    sp_error_t *err = NULL;
    int rc;

    sp_xtab_render_options_init(&ro);
    csv_options(L, 2, &ro.sep, &ro.decimal_comma);
    tmp = scratch(L, u);
    rc = sp_xtab_render_csv(u->obj, &ro, &text, tmp, &err);
    return push_rendered(L, rc, text, tmp, err);
}

/* A row or column argument: index, label or "total". */
static size_t
index_arg(lua_State *L, int idx, const sp_xtab_t *xt, sp_xtab_dim_t dim)
{
    size_t n = dim == SP_XTAB_ROWS ? sp_xtab_nrows(xt) : sp_xtab_ncols(xt), i;

    if (lua_type(L, idx) == LUA_TNUMBER) {
        lua_Integer v = luaL_checkinteger(L, idx);

        luaL_argcheck(L, v >= 1 && (size_t)v <= n, idx, "index out of range");
        return (size_t)v - 1;
    } else {
        const char *s = luaL_checkstring(L, idx);

        if (strcmp(s, "total") == 0)
            return SP_XTAB_TOTAL;
        for (i = 0; i < n; i++)
            if (strcmp(sp_xtab_label(xt, dim, i), s) == 0)
                return i;
        luaL_argerror(L, idx, lua_pushfstring(L, "no %s labelled '%s'",
                                              dim == SP_XTAB_ROWS ? "row" : "column", s));
        return 0;
    }
}

/* The table argument: 1..nlayers, or "all"/none = the sum over layers. */
static size_t
table_arg(lua_State *L, int idx, const sp_xtab_t *xt)
{
    size_t nt = sp_xtab_ntables(xt);

    if (lua_isnoneornil(L, idx) || (lua_type(L, idx) == LUA_TSTRING
                                    && strcmp(lua_tostring(L, idx), "all") == 0))
        return nt - 1;
    {
        lua_Integer v = luaL_checkinteger(L, idx);

        luaL_argcheck(L, v >= 1 && (size_t)v <= sp_xtab_nlayers(xt), idx, "layer out of range");
        return (size_t)v - 1;
    }
}

/***
 * xt:cell(kind, row, col [, layer]) -> number | nil, why
 *
 * kind: "n", "weighted", "row_pct", "col_pct", "total_pct", "expected",
 * "std_residuals", "adj_residuals"; row, col: 1-based index, label or
 * "total"; layer: 1-based, default the table of all layers.
 */
static int
l_xtab_cell(lua_State *L)
{
    sp_lua_result_t *u = check_xtab(L, 1);
    int kind = luaL_checkoption(L, 2, NULL, sp_xtab_cell_keys);
    size_t r = index_arg(L, 3, u->obj, SP_XTAB_ROWS);
    size_t c = index_arg(L, 4, u->obj, SP_XTAB_COLS);
    size_t t = table_arg(L, 5, u->obj);
    double v = 0;
    const char *why = NULL;

    switch (sp_xtab_cell(u->obj, t, (sp_xtab_cell_kind_t)kind, r, c, &v, &why)) {
    case SP_XTAB_SHOWN:
        lua_pushnumber(L, v);
        return 1;
    case SP_XTAB_SUPPRESSED:
        lua_pushnil(L);
        lua_pushstring(L, why ? why : "suppressed");
        return 2;
    default:
        lua_pushnil(L);
        lua_pushstring(L, why ? why : "undefined");
        return 2;
    }
}

/***
 * xt:stat(name [, layer]) -> {value=, df=, p=, ...} | nil, why
 *
 * name: "pearson", "lr", "yates", "fisher", "phi", "cramers_v",
 * "contingency_coefficient".
 */
static int
l_xtab_stat(lua_State *L)
{
    sp_lua_result_t *u = check_xtab(L, 1);
    int kind = luaL_checkoption(L, 2, NULL, sp_xtab_stat_keys);
    size_t t = table_arg(L, 3, u->obj);
    const sp_xtab_stat_t *s = sp_xtab_stat(u->obj, t, (sp_xtab_stat_kind_t)kind);

    if (s == NULL || !s->defined) {
        lua_pushnil(L);
        lua_pushstring(L, s && s->why ? s->why : "not defined");
        return 2;
    }
    lua_createtable(L, 0, 6);
    sp_lua_set_number(L, "value", s->value);
    sp_lua_set_number(L, "df", s->df);
    sp_lua_set_number(L, "p", s->p);
    sp_lua_set_number(L, "p_less", s->p_less);
    sp_lua_set_number(L, "p_greater", s->p_greater);
    sp_lua_set_number(L, "p_one", s->p_one);
    return 1;
}

/***
 * xt:suppressed() -> array of {layer=, row=, col=, kind="primary"|"secondary"}
 * (row or col "total" for a margin; layer "all" for the sum of layers)
 */
static int
l_xtab_suppressed(lua_State *L)
{
    sp_lua_result_t *u = check_xtab(L, 1);
    size_t n, i, nl = sp_xtab_nlayers(u->obj);
    const sp_xtab_suppressed_t *s = sp_xtab_suppressed(u->obj, &n);

    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_createtable(L, 0, 4);
        if (s[i].table >= nl)
            lua_pushliteral(L, "all");
        else
            lua_pushinteger(L, (lua_Integer)s[i].table + 1);
        lua_setfield(L, -2, "layer");
        if (s[i].row == SP_XTAB_TOTAL)
            lua_pushliteral(L, "total");
        else
            lua_pushinteger(L, (lua_Integer)s[i].row + 1);
        lua_setfield(L, -2, "row");
        if (s[i].col == SP_XTAB_TOTAL)
            lua_pushliteral(L, "total");
        else
            lua_pushinteger(L, (lua_Integer)s[i].col + 1);
        lua_setfield(L, -2, "col");
        lua_pushstring(L, s[i].kind == SP_XTAB_SUPP_PRIMARY ? "primary" : "secondary");
        lua_setfield(L, -2, "kind");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/***
 * xt:labels("rows" | "cols" | "layers") -> array of strings
 */
static int
l_xtab_labels(lua_State *L)
{
    static const char *const dims[] = {"rows", "cols", "layers", NULL};
    sp_lua_result_t *u = check_xtab(L, 1);
    int d = luaL_checkoption(L, 2, NULL, dims);
    size_t n = d == 0 ? sp_xtab_nrows(u->obj) : d == 1 ? sp_xtab_ncols(u->obj)
        : sp_xtab_nlayers(u->obj), i;

    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_pushstring(L, sp_xtab_label(u->obj, (sp_xtab_dim_t)d, i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* __sp_table: the result tables of sp_table.h (for plugins such as xlsx). */
static int
l_xtab_tables(lua_State *L)
{
    sp_lua_result_t *u = check_xtab(L, 1);
    apr_pool_t *tmp = scratch(L, u);
    sp_table_t **t = NULL;
    size_t n = 0, i;
    sp_error_t *err = NULL;

    if (sp_table_from_xtab_all(u->obj, 0, &t, &n, tmp, &err) != SP_OK) {
        lua_pushstring(L, err ? err->message : "cannot make tables");
        apr_pool_destroy(tmp);
        return lua_error(L);
    }
    /* The pushes may raise on memory only; tmp then lives until the
     * object's pool goes. */
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        sp_table_push_lua(L, t[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    apr_pool_destroy(tmp);
    return 1;
}

static const luaL_Reg xtab_methods[] = {
    {"cell", l_xtab_cell},
    {"stat", l_xtab_stat},
    {"json", l_xtab_json},
    {"csv", l_xtab_csv},
    {"text", l_xtab_text},
    {"suppressed", l_xtab_suppressed},
    {"labels", l_xtab_labels},
    {"tables", l_xtab_tables},
    {"close", l_xtab_close},
    {NULL, NULL}
};

static const luaL_Reg xtab_meta[] = {
    {"__gc", l_xtab_close},
    {"__close", l_xtab_close},
    {"__tostring", l_xtab_tostring},
    {SP_TABLE_LUA_META, l_xtab_tables},
    {NULL, NULL}
};

/* ---- ds:crosstab -------------------------------------------------------- */

/* Fold the analysis into an sp_xtab (allocated in pool).  Keys: layers...,
 * row, col.  Returns SP_OK or SP_EXIT_DATA with *err. */
static int
build(const analysis_t *an, int include_missing, const sp_xtab_options_t *xo,
      const char *weight, long long max_cells, sp_xtab_t **out, const char **notes,
      apr_pool_t *pool, sp_error_t **err)
{
    const sp_scan_result_t *r = an->res;
    size_t K = an->nkeys, nlv = K - 2, k, i, cell, ncube = 1, nlc = 1, nl = 0;
    size_t t[SP_SCAN_MAX_KEYS], lv[SP_SCAN_MAX_KEYS], nshown[SP_SCAN_MAX_KEYS];
    long *sidx[SP_SCAN_MAX_KEYS];
    double *cn, *cw, miss_n = r->no_weight, miss_w = 0, var_miss[SP_SCAN_MAX_KEYS];
    size_t *lmap;
    char *lused;
    const char *note = "", *lvar = NULL;
    sp_xtab_t *xt;
    int rc, fr = an->labels.french;

    for (k = 0; k < K; k++) {
        if (ncube > ((size_t)1 << 26) / (an->key[k].nlevels + 1))
            return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "the table is too large");
        ncube *= an->key[k].nlevels + 1;
    }
    cn = apr_pcalloc(pool, ncube * sizeof *cn);
    cw = apr_pcalloc(pool, ncube * sizeof *cw);
    for (cell = 0; cell < r->ncells; cell++) {
        size_t at = 0;

        if (r->n[cell] == 0)
            continue;
        sp_lua_an_tuple(r, cell, t);
        for (k = 0; k < K; k++)
            at = at * (an->key[k].nlevels + 1) + sp_lua_an_level(an, k, t);
        cn[at] += r->n[cell];
        cw[at] += r->w[cell];
    }
    /* Levels shown: those of counted cells; missing last when included. */
    for (k = 0; k < K; k++) {
        sidx[k] = apr_pcalloc(pool, (an->key[k].nlevels + 1) * sizeof(long));
        var_miss[k] = 0;
    }
    for (cell = 0; cell < ncube; cell++) {
        size_t rest = cell;
        int valid = 1;

        if (cn[cell] == 0)
            continue;
        for (k = K; k-- > 0;) {
            lv[k] = rest % (an->key[k].nlevels + 1);
            rest /= an->key[k].nlevels + 1;
        }
        for (k = 0; k < K; k++) {
            if (lv[k] == 0) {
                var_miss[k] += cn[cell];
                valid &= include_missing;
            }
        }
        if (valid)
            for (k = 0; k < K; k++)
                sidx[k][lv[k]] = 1;
    }
    for (k = 0; k < K; k++) {
        long at = 0;

        for (i = 1; i <= an->key[k].nlevels; i++)
            sidx[k][i] = sidx[k][i] ? at++ : -1;
        sidx[k][0] = sidx[k][0] ? at++ : -1;
        nshown[k] = (size_t)at;
    }
    for (k = 0; k < nlv; k++)
        nlc *= nshown[k] ? nshown[k] : 1;
    lused = apr_pcalloc(pool, nlc);
    lmap = apr_palloc(pool, nlc * sizeof *lmap);
    for (cell = 0; cell < ncube; cell++) {
        size_t rest = cell, li = 0;
        int ok = 1;

        if (cn[cell] == 0)
            continue;
        for (k = K; k-- > 0;) {
            lv[k] = rest % (an->key[k].nlevels + 1);
            rest /= an->key[k].nlevels + 1;
        }
        for (k = 0; k < K; k++)
            ok &= sidx[k][lv[k]] >= 0;
        if (!ok)
            continue;
        for (k = 0; k < nlv; k++)
            li = li * nshown[k] + (size_t)sidx[k][lv[k]];
        lused[li] = 1;
    }
    for (i = 0; i < nlc; i++)
        lmap[i] = lused[i] ? nl++ : (size_t)-1;
    if (nl == 0 || nshown[K - 2] == 0 || nshown[K - 1] == 0)
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                            "no record has a value for every variable of the table");
    if (max_cells > 0 && (double)nshown[K - 2] * (double)nshown[K - 1] * (double)nl
        > (double)max_cells)
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                            "the table would have more than %" APR_INT64_T_FMT " cells (limit cells)",
                            (apr_int64_t)max_cells);
    if ((xt = sp_xtab_create(nshown[K - 2], nshown[K - 1], nl, pool)) == NULL)
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "the table is too large");
    for (cell = 0; cell < ncube; cell++) {
        size_t rest = cell, li = 0;
        int ok = 1;

        if (cn[cell] == 0)
            continue;
        for (k = K; k-- > 0;) {
            lv[k] = rest % (an->key[k].nlevels + 1);
            rest /= an->key[k].nlevels + 1;
        }
        for (k = 0; k < K; k++)
            ok &= sidx[k][lv[k]] >= 0;
        if (!ok) {
            miss_n += cn[cell];
            miss_w += cw[cell];
            continue;
        }
        for (k = 0; k < nlv; k++)
            li = li * nshown[k] + (size_t)sidx[k][lv[k]];
        sp_xtab_add(xt, lmap[li], (size_t)sidx[K - 2][lv[K - 2]],
                    (size_t)sidx[K - 1][lv[K - 1]], cn[cell], cw[cell]);
    }
    for (k = 0; k < nlv; k++)
        lvar = lvar ? apr_pstrcat(pool, lvar, " / ", an->key[k].name, NULL) : an->key[k].name;
    sp_xtab_set_vars(xt, an->key[K - 2].name, an->key[K - 1].name, lvar);
    sp_xtab_set_weight_var(xt, weight);
    for (k = K - 2; k < K; k++)
        for (i = 0; i <= an->key[k].nlevels; i++)
            if (sidx[k][i] >= 0)
                sp_xtab_set_label(xt, k == K - 2 ? SP_XTAB_ROWS : SP_XTAB_COLS,
                                  (size_t)sidx[k][i], sp_lua_an_label(an, k, i, pool));
    for (i = 0; nlv > 0 && i < nlc; i++) {
        size_t rest = i, j, lt[SP_SCAN_MAX_KEYS];
        const char *lab = NULL;

        if (!lused[i])
            continue;
        for (k = nlv; k-- > 0;) {
            lt[k] = rest % nshown[k];
            rest /= nshown[k];
        }
        for (k = 0; k < nlv; k++)
            for (j = 0; j <= an->key[k].nlevels; j++)
                if (sidx[k][j] == (long)lt[k]) {
                    const char *one = sp_lua_an_label(an, k, j, pool);

                    lab = lab ? apr_pstrcat(pool, lab, " / ", one, NULL) : one;
                }
        sp_xtab_set_label(xt, SP_XTAB_LAYERS, lmap[i], lab);
    }
    sp_xtab_set_missing(xt, miss_n, miss_w);
    if ((rc = sp_xtab_compute(xt, xo, err)) != SP_OK)
        return rc;
    for (k = 0; k < K; k++)
        if (var_miss[k] > 0)
            note = apr_psprintf(pool, "%s%s %s: %s\n", note,
                                fr ? "Valeurs manquantes de" : "Missing values of",
                                an->key[k].name, sp_xtab_count_text(xt, var_miss[k], pool));
    if (r->filtered > 0)
        note = apr_psprintf(pool, "%s%s: %s\n", note,
                            fr ? "Enregistrements exclus par where" : "Records left out by where",
                            sp_xtab_count_text(xt, r->filtered, pool));
    if (r->no_weight > 0)
        note = apr_psprintf(pool, "%s%s: %s\n", note,
                            fr ? "Enregistrements sans poids" : "Records without a weight",
                            sp_xtab_count_text(xt, r->no_weight, pool));
    *notes = note;
    *out = xt;
    return SP_OK;
}

/***
 * ds:crosstab{rows=, cols=, layers=, weight=, where=, missing=, min_cell=,
 *             no_suppress=, lang=, labels=} -> Xtab | nil, message
 */
int
sp_lua_dataset_crosstab(lua_State *L)
{
    static const char *const fields[] = {"rows", "cols", "layers", "weight", "where",
                                         "missing", "min_cell", "no_suppress", "lang",
                                         "labels", NULL};
    static const char *const missing_opts[] = {"exclude", "include", NULL};
    dataset_t *ds = sp_lua_ds_check(L, 1);
    const char *rows, *cols, *weight, *where, *msg, *notes = "";
    apr_array_header_t *layers;
    sp_xtab_options_t xo;
    sp_xtab_t *xt = NULL;
    sp_error_t *err = NULL;
    an_labels_t lb;
    analysis_t an;
    apr_pool_t *opool;
    int include = 0, rc, i;

    sp_lua_check_fields(L, 2, "crosstab", fields);
    sp_lua_refuse_in_check(L, "crosstab");
    rows = sp_lua_opt_string(L, 2, "rows", "crosstab");
    cols = sp_lua_opt_string(L, 2, "cols", "crosstab");
    weight = sp_lua_opt_string(L, 2, "weight", "crosstab");
    where = sp_lua_opt_string(L, 2, "where", "crosstab");
    if (rows == NULL || cols == NULL)
        return luaL_error(L, "crosstab: rows and cols are required");
    sp_xtab_options_init(&xo);
    if (lua_getfield(L, 2, "missing") != LUA_TNIL)
        include = luaL_checkoption(L, -1, NULL, missing_opts);
    if (lua_getfield(L, 2, "min_cell") != LUA_TNIL) {
        if (!lua_isnumber(L, -1) || lua_tonumber(L, -1) < 0)
            return luaL_error(L, "crosstab: min_cell must be a number >= 0");
        xo.min_cell = lua_tonumber(L, -1);
    }
    lua_getfield(L, 2, "no_suppress");
    xo.no_suppress = lua_toboolean(L, -1);
    lua_pop(L, 3);
    sp_lua_opt_labels(L, 2, "crosstab", &lb);
    sp_lua_an_init(L, &an);
    an.labels = lb;
    layers = apr_array_make(an.pool, 4, sizeof(const char *));
    sp_lua_opt_list(L, 2, "layers", "crosstab", layers);
    for (i = 0; i < layers->nelts; i++)
        if ((msg = sp_lua_an_add_key(&an, ds, APR_ARRAY_IDX(layers, i, const char *))) != NULL)
            break;
    if (i == layers->nelts && (msg = sp_lua_an_add_key(&an, ds, rows)) == NULL)
        msg = sp_lua_an_add_key(&an, ds, cols);
    if (msg != NULL) {
        apr_pool_destroy(an.pool);
        return luaL_error(L, "crosstab: %s", msg);
    }
    rc = sp_lua_an_run(L, 1, ds, &an, NULL, weight, where, &err);
    if (rc != SP_OK)
        return sp_lua_an_fail(L, &an, rc, err);
    opool = sp_lua_object_pool(L);
    rc = build(&an, include, &xo, weight,
               sp_engine_limits(sp_engine_from_lua(L))->value[SP_LIMIT_CELLS], &xt, &notes,
               opool, &err);
    if (rc != SP_OK) {
        lua_pushnil(L);
        lua_pushstring(L, err ? err->message : "crosstab failed");
        apr_pool_destroy(opool);
        apr_pool_destroy(an.pool);
        return 2;
    }
    apr_pool_destroy(an.pool);
    sp_lua_push_xtab(L, xt, notes, opool);
    return 1;
}
