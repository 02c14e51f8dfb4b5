/*
 * sp_table.c -- result tables (see sp_table.h): built from crosstabs and
 * aggregations, rendered as wide CSV and JSON, and converted to and from
 * their Lua form for plugins.
 *
 * The builders only read what sp_xtab_cell() and sp_agg_stats() expose
 * after disclosure control, so a withheld value never reaches a table as a
 * number.  The Lua reader uses raw access only (no metamethod runs except
 * the documented __sp_table), and checks every cell, so that a plugin gets
 * a well-formed table or a message naming the bad cell.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <jansson.h>
#include <lauxlib.h>
#include "sp_table.h"
#include "sp_export.h"

/* ---- building ----------------------------------------------------------- */

sp_table_t *
sp_table_create(const char *title, size_t nrows, size_t ncols,
                apr_pool_t *pool)
{
    sp_table_t *t;
    const char **cols;
    size_t i;

    if (ncols == 0 || (nrows > 0 && ncols > SIZE_MAX / sizeof(sp_table_cell_t)
                                            / nrows))
        return NULL;
    t = apr_pcalloc(pool, sizeof *t);
    t->title = title ? apr_pstrdup(pool, title) : NULL;
    t->nrows = nrows;
    t->ncols = ncols;
    cols = apr_palloc(pool, ncols * sizeof *cols);
    for (i = 0; i < ncols; i++)
        cols[i] = "";
    t->columns = cols;
    /* EMPTY is 0, so zeroed memory is a table of empty cells. */
    t->cells = apr_pcalloc(pool, (nrows ? nrows : 1) * ncols
                           * sizeof(sp_table_cell_t));
    return t;
}

const sp_table_cell_t *
sp_table_cell(const sp_table_t *t, size_t r, size_t c)
{
    if (t == NULL || r >= t->nrows || c >= t->ncols)
        return NULL;
    return &t->cells[r * t->ncols + c];
}

static sp_table_cell_t *
cell_at(sp_table_t *t, size_t r, size_t c)
{
    return (sp_table_cell_t *)&t->cells[r * t->ncols + c];
}

static void
set_text(sp_table_cell_t *cell, const char *text)
{
    cell->kind = SPIRAL_CELL_TEXT;
    cell->text = text;
}

static void
set_number(sp_table_cell_t *cell, double v)
{
    if (isfinite(v)) {
        cell->kind = SPIRAL_CELL_NUMBER;
        cell->number = v;
    } else {
        cell->kind = SPIRAL_CELL_UNDEFINED;
        cell->text = SP_TABLE_MARK_UNDEFINED;
        cell->note = "undefined";
    }
}

static void
set_withheld(sp_table_cell_t *cell, int suppressed, const char *note)
{
    cell->kind = suppressed ? SPIRAL_CELL_SUPPRESSED : SPIRAL_CELL_UNDEFINED;
    cell->text = suppressed ? SP_TABLE_MARK_SUPPRESSED
                            : SP_TABLE_MARK_UNDEFINED;
    cell->note = note;
}

static int
has_margins(sp_xtab_cell_kind_t kind)
{
    return kind != SP_XTAB_EXPECTED && kind != SP_XTAB_STD_RESID
        && kind != SP_XTAB_ADJ_RESID;
}

int
sp_table_from_xtab(const sp_xtab_t *xt, size_t t, sp_xtab_cell_kind_t kind,
                   sp_table_t **out, apr_pool_t *pool, sp_error_t **err)
{
    size_t nr, nc, r, c, rows, cols;
    int margins;
    const char *rv, *cv, *title, *why = NULL;
    sp_table_t *tab;
    const char **heads;

    if (!sp_xtab_is_computed(xt))
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "table: the crosstab is not computed");
    if (t >= sp_xtab_ntables(xt) || (int)kind < 0
        || kind >= SP_XTAB_N_CELL_KINDS)
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "table: no table %ld or cell kind %d",
                            (long)t, (int)kind);
    nr = sp_xtab_nrows(xt);
    nc = sp_xtab_ncols(xt);
    margins = has_margins(kind);
    rows = nr + (margins ? 1 : 0);
    cols = 1 + nc + (margins ? 1 : 0);
    rv = sp_xtab_var(xt, SP_XTAB_ROWS);
    cv = sp_xtab_var(xt, SP_XTAB_COLS);
    /* Kind and layer first: spreadsheets cut sheet names at 31 characters. */
    title = sp_xtab_cell_labels[kind];
    if (sp_xtab_nlayers(xt) > 1)
        title = apr_pstrcat(pool, title, ", ", t == sp_xtab_nlayers(xt)
                            ? "all" : sp_xtab_label(xt, SP_XTAB_LAYERS, t),
                            NULL);
    title = apr_psprintf(pool, "%s (%s x %s)", title, rv ? rv : "rows",
                         cv ? cv : "columns");
    tab = sp_table_create(title, rows, cols, pool);
    if (tab == NULL)
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "table: too many cells");
    heads = (const char **)tab->columns;
    heads[0] = rv ? apr_pstrdup(pool, rv) : "";
    for (c = 0; c < nc; c++)
        heads[1 + c] = apr_pstrdup(pool, sp_xtab_label(xt, SP_XTAB_COLS, c));
    if (margins)
        heads[1 + nc] = "Total";

    for (r = 0; r < rows; r++) {
        size_t ri = r == nr ? SP_XTAB_TOTAL : r;

        set_text(cell_at(tab, r, 0), ri == SP_XTAB_TOTAL
                 ? "Total"
                 : apr_pstrdup(pool, sp_xtab_label(xt, SP_XTAB_ROWS, r)));
        for (c = 0; c + 1 < cols; c++) {
            size_t ci = c == nc ? SP_XTAB_TOTAL : c;
            double v = 0;
            const char *cwhy = NULL;
            sp_xtab_status_t s = sp_xtab_cell(xt, t, kind, ri, ci, &v, &cwhy);

            if (s == SP_XTAB_SHOWN)
                set_number(cell_at(tab, r, 1 + c), v);
            else
                set_withheld(cell_at(tab, r, 1 + c), s == SP_XTAB_SUPPRESSED,
                             cwhy);
        }
    }
    tab->not_for_publication = sp_xtab_options(xt)->no_suppress ? 1 : 0;
    if (!tab->not_for_publication && !sp_xtab_publishable(xt, &why))
        tab->note = apr_pstrcat(pool, "not publishable: ",
                                why ? why : "disclosure control failed",
                                NULL);
    *out = tab;
    return SP_OK;
}

int
sp_table_from_xtab_all(const sp_xtab_t *xt, unsigned kinds,
                       sp_table_t ***out, size_t *count, apr_pool_t *pool,
                       sp_error_t **err)
{
    size_t t, n = 0, nk = 0;
    int k, rc;
    sp_table_t **arr;

    if (kinds == 0)
        kinds = (1u << SP_XTAB_WEIGHTED) | (1u << SP_XTAB_ROW_PCT)
            | (1u << SP_XTAB_COL_PCT);
    for (k = 0; k < SP_XTAB_N_CELL_KINDS; k++)
        if (kinds & (1u << k))
            nk++;
    if (nk == 0)
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "table: no known cell kind selected");
    if (!sp_xtab_is_computed(xt))
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "table: the crosstab is not computed");
    arr = apr_pcalloc(pool, sp_xtab_ntables(xt) * nk * sizeof *arr);
    for (t = 0; t < sp_xtab_ntables(xt); t++)
        for (k = 0; k < SP_XTAB_N_CELL_KINDS; k++)
            if (kinds & (1u << k)) {
                rc = sp_table_from_xtab(xt, t, (sp_xtab_cell_kind_t)k,
                                        &arr[n], pool, err);
                if (rc != SP_OK)
                    return rc;
                n++;
            }
    *out = arr;
    *count = n;
    return SP_OK;
}

int
sp_table_from_agg(const sp_agg_t *a, sp_table_t **out, apr_pool_t *pool,
                  sp_error_t **err)
{
    static const char *const stats[] = {
        "n", "n_missing", "weight", "mean", "sd", "q1", "median", "q3",
        "share_le"
    };
    enum { NSTATS = sizeof stats / sizeof stats[0] };
    const sp_agg_opts_t *o = sp_agg_options(a);
    size_t nd, ng, nv, g, v, d, r, i;
    const char **heads;
    const char *note, *share_note, *missing_note;
    sp_table_t *tab;

    if (o == NULL)
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "table: the aggregation is not computed");
    nd = sp_agg_ndims(a);
    ng = sp_agg_ngroups(a);
    nv = sp_agg_nvars(a);
    if (nv != 0 && ng > SIZE_MAX / nv)
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "table: too many cells");
    tab = sp_table_create(sp_agg_title(a) ? sp_agg_title(a) : "aggregate",
                          ng * nv, nd + 1 + NSTATS, pool);
    if (tab == NULL)
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "table: too many cells");
    heads = (const char **)tab->columns;
    for (d = 0; d < nd; d++)
        heads[d] = apr_pstrdup(pool, sp_agg_dim_name(a, d));
    heads[nd] = "variable";
    for (i = 0; i < NSTATS; i++)
        heads[nd + 1 + i] = stats[i];
    note = apr_psprintf(pool, "suppressed: n < %u", o->min_cell);
    share_note = apr_psprintf(pool, "suppressed: 1 to %u answers at levels <= %u or above",
                              o->min_cell - 1, o->bad_level);
    missing_note = apr_psprintf(pool, "suppressed: 1 to %u missing answers", o->min_cell - 1);

    for (r = 0, g = 0; g < ng; g++)
        for (v = 0; v < nv; v++, r++) {
            const sp_agg_stats_t *s = sp_agg_stats(a, g, v);
            double vals[NSTATS];

            for (d = 0; d < nd; d++)
                set_text(cell_at(tab, r, d),
                         apr_pstrdup(pool, sp_agg_group_key(a, g, d)));
            set_text(cell_at(tab, r, nd),
                     apr_pstrdup(pool, sp_agg_var_name(a, v)));
            vals[0] = (double)s->n;
            vals[1] = (double)s->n_missing;
            vals[2] = s->weight;
            vals[3] = s->mean;
            vals[4] = s->sd;
            vals[5] = s->q1;
            vals[6] = s->median;
            vals[7] = s->q3;
            vals[8] = s->share_le;
            for (i = 0; i < NSTATS; i++) {
                if (s->suppressed)
                    set_withheld(cell_at(tab, r, nd + 1 + i), 1, note);
                else if (i == 8 && s->share_le_withheld)
                    set_withheld(cell_at(tab, r, nd + 1 + i), 1, share_note);
                else if (i == 1 && s->missing_withheld)
                    set_withheld(cell_at(tab, r, nd + 1 + i), 1, missing_note);
                else
                    set_number(cell_at(tab, r, nd + 1 + i), vals[i]);
            }
        }
    tab->not_for_publication = o->no_suppress ? 1 : 0;
    heads[nd + 1 + NSTATS - 1] = apr_psprintf(pool, "share_le%u",
                                              o->bad_level);
    *out = tab;
    return SP_OK;
}

/* ---- CSV and JSON ------------------------------------------------------- */

/* A growing string in a pool (small tables: doubling is enough). */
struct text_buf {
    apr_pool_t *pool;
    char *data;
    size_t len, cap;
};

static void
buf_add(struct text_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        char *d;

        while (cap < b->len + n + 1)
            cap *= 2;
        d = apr_palloc(b->pool, cap);
        if (b->len)
            memcpy(d, b->data, b->len);
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void
csv_field(struct text_buf *b, const char *s, char sep)
{
    const char *p;

    if (s == NULL)
        s = "";
    if (strchr(s, sep) == NULL && strpbrk(s, "\"\r\n") == NULL) {
        buf_add(b, s, strlen(s));
        return;
    }
    buf_add(b, "\"", 1);
    for (p = s; *p; p++) {
        if (*p == '"')
            buf_add(b, "\"\"", 2);
        else
            buf_add(b, p, 1);
    }
    buf_add(b, "\"", 1);
}

int
sp_table_render_csv(const sp_table_t *t, char sep, const char **out,
                    apr_pool_t *pool, sp_error_t **err)
{
    struct text_buf b = { pool, NULL, 0, 0 };
    char num[64];
    size_t r, c;

    if (sep != ',' && sep != ';' && sep != '\t')
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                            "table: CSV separator must be ',', ';' or tab");
    buf_add(&b, "", 0);
    if (t->not_for_publication) {
        csv_field(&b, SP_TABLE_NOT_FOR_PUBLICATION, sep);
        buf_add(&b, "\n", 1);
    }
    for (c = 0; c < t->ncols; c++) {
        if (c)
            buf_add(&b, &sep, 1);
        csv_field(&b, t->columns[c], sep);
    }
    buf_add(&b, "\n", 1);
    for (r = 0; r < t->nrows; r++) {
        for (c = 0; c < t->ncols; c++) {
            const sp_table_cell_t *cell = sp_table_cell(t, r, c);

            if (c)
                buf_add(&b, &sep, 1);
            if (cell->kind == SPIRAL_CELL_NUMBER) {
                sp_export_real(num, sizeof num, cell->number, 0);
                buf_add(&b, num, strlen(num));
            } else if (cell->kind != SPIRAL_CELL_EMPTY) {
                csv_field(&b, cell->text, sep);
            }
        }
        buf_add(&b, "\n", 1);
    }
    if (t->note != NULL) {
        csv_field(&b, t->note, sep);
        buf_add(&b, "\n", 1);
    }
    *out = b.data;
    return SP_OK;
}

int
sp_table_render_json(const sp_table_t *t, const char **out, apr_pool_t *pool,
                     sp_error_t **err)
{
    json_t *o = json_object(), *cols = json_array(), *rows = json_array();
    size_t r, c;
    char *s;

    json_object_set_new(o, "title", t->title ? json_string(t->title)
                                             : json_null());
    json_object_set_new(o, "not_for_publication",
                        json_boolean(t->not_for_publication));
    for (c = 0; c < t->ncols; c++)
        json_array_append_new(cols, json_string(t->columns[c]));
    json_object_set_new(o, "columns", cols);
    for (r = 0; r < t->nrows; r++) {
        json_t *row = json_array();

        for (c = 0; c < t->ncols; c++) {
            const sp_table_cell_t *cell = sp_table_cell(t, r, c);
            json_t *v;

            switch (cell->kind) {
            case SPIRAL_CELL_NUMBER:
                v = json_real(cell->number);
                break;
            case SPIRAL_CELL_TEXT:
                v = json_string(cell->text);
                break;
            case SPIRAL_CELL_SUPPRESSED:
            case SPIRAL_CELL_UNDEFINED:
                v = json_object();
                json_object_set_new(v, "mark", json_string(cell->text
                                                           ? cell->text : ""));
                json_object_set_new(v, "suppressed", json_boolean(
                    cell->kind == SPIRAL_CELL_SUPPRESSED));
                json_object_set_new(v, "note", cell->note
                                    ? json_string(cell->note) : json_null());
                break;
            default:
                v = json_null();
            }
            /* json_string returns NULL for invalid UTF-8: keep the shape. */
            json_array_append_new(row, v ? v : json_null());
        }
        json_array_append_new(rows, row);
    }
    json_object_set_new(o, "rows", rows);
    json_object_set_new(o, "note", t->note ? json_string(t->note)
                                           : json_null());
    s = json_dumps(o, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(o);
    if (s == NULL)
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "table: cannot encode JSON");
    *out = apr_pstrdup(pool, s);
    free(s);
    return SP_OK;
}

/* ---- Lua ---------------------------------------------------------------- */

static void
set_str_field(lua_State *L, const char *key, const char *value)
{
    if (value == NULL)
        return;
    lua_pushstring(L, value);                   /* tab, value */
    lua_setfield(L, -2, key);                   /* tab */
}

void
sp_table_push_lua(lua_State *L, const sp_table_t *t)
{
    size_t r, c;

    lua_createtable(L, 0, 5);                   /* tab */
    set_str_field(L, "title", t->title);
    set_str_field(L, "note", t->note);
    lua_pushboolean(L, t->not_for_publication);
    lua_setfield(L, -2, "not_for_publication");
    lua_createtable(L, (int)t->ncols, 0);       /* tab, cols */
    for (c = 0; c < t->ncols; c++) {
        lua_pushstring(L, t->columns[c]);
        lua_rawseti(L, -2, (lua_Integer)c + 1);
    }
    lua_setfield(L, -2, "columns");             /* tab */
    lua_createtable(L, (int)t->nrows, 0);       /* tab, rows */
    for (r = 0; r < t->nrows; r++) {
        lua_createtable(L, (int)t->ncols, 0);   /* tab, rows, row */
        for (c = 0; c < t->ncols; c++) {
            const sp_table_cell_t *cell = sp_table_cell(t, r, c);

            switch (cell->kind) {
            case SPIRAL_CELL_NUMBER:
                lua_pushnumber(L, cell->number);
                break;
            case SPIRAL_CELL_TEXT:
                lua_pushstring(L, cell->text);
                break;
            case SPIRAL_CELL_SUPPRESSED:
            case SPIRAL_CELL_UNDEFINED:
                lua_createtable(L, 0, 3);
                lua_pushstring(L, cell->kind == SPIRAL_CELL_SUPPRESSED
                               ? "suppressed" : "undefined");
                lua_setfield(L, -2, "kind");
                set_str_field(L, "mark", cell->text ? cell->text : "");
                set_str_field(L, "note", cell->note);
                break;
            default:
                lua_pushboolean(L, 0);
            }
            lua_rawseti(L, -2, (lua_Integer)c + 1);
        }
        lua_rawseti(L, -2, (lua_Integer)r + 1); /* tab, rows */
    }
    lua_setfield(L, -2, "rows");                /* tab */
}

/* A string field of the table at idx (raw), copied; NULL when nil. */
static int
opt_string(lua_State *L, int idx, const char *key, const char **out,
           apr_pool_t *pool)
{
    int type;

    lua_pushstring(L, key);
    type = lua_rawget(L, idx);
    *out = NULL;
    if (type == LUA_TSTRING)
        *out = apr_pstrdup(pool, lua_tostring(L, -1));
    lua_pop(L, 1);
    return type == LUA_TNIL || type == LUA_TSTRING;
}

/* Read the cell on top of the stack into cell; NULL, or a message. */
static const char *
read_cell(lua_State *L, sp_table_cell_t *cell, apr_pool_t *pool)
{
    int top = lua_gettop(L);
    const char *kind;

    switch (lua_type(L, top)) {
    case LUA_TNIL:
        cell->kind = SPIRAL_CELL_EMPTY;
        return NULL;
    case LUA_TBOOLEAN:
        if (lua_toboolean(L, top))
            return "true is not a cell value (false or nil is an empty cell)";
        cell->kind = SPIRAL_CELL_EMPTY;
        return NULL;
    case LUA_TNUMBER:
        set_number(cell, (double)lua_tonumber(L, top));
        return NULL;
    case LUA_TSTRING:
        set_text(cell, apr_pstrdup(pool, lua_tostring(L, top)));
        return NULL;
    case LUA_TTABLE:
        if (!opt_string(L, top, "kind", &kind, pool) || kind == NULL
            || (strcmp(kind, "suppressed") && strcmp(kind, "undefined")))
            return "a table cell needs kind = \"suppressed\" or \"undefined\"";
        set_withheld(cell, strcmp(kind, "suppressed") == 0, NULL);
        if (!opt_string(L, top, "mark", &cell->text, pool))
            return "mark must be a string";
        if (cell->text == NULL)
            cell->text = strcmp(kind, "suppressed") == 0
                ? SP_TABLE_MARK_SUPPRESSED : SP_TABLE_MARK_UNDEFINED;
        if (!opt_string(L, top, "note", &cell->note, pool))
            return "note must be a string";
        return NULL;
    default:
        return apr_psprintf(pool, "a %s is not a cell value",
                            luaL_typename(L, top));
    }
}

/* The table in Lua form at absolute index idx into *out; NULL or a message
 * naming where the problem is. */
static const char *
read_table(lua_State *L, int idx, sp_table_t **out, apr_pool_t *pool)
{
    const char *title, *note, *msg;
    lua_Integer ncols, nrows, r, c;
    sp_table_t *t;
    const char **heads;

    if (!opt_string(L, idx, "title", &title, pool))
        return "title must be a string";
    if (!opt_string(L, idx, "note", &note, pool))
        return "note must be a string";
    lua_pushstring(L, "columns");
    lua_rawget(L, idx);                                 /* .., cols */
    if (!lua_istable(L, -1))
        return "columns must be a list of strings";
    ncols = (lua_Integer)lua_rawlen(L, -1);
    lua_pushstring(L, "rows");
    if (lua_rawget(L, idx) != LUA_TTABLE)               /* .., cols, rows */
        return "rows must be a list of rows";
    nrows = (lua_Integer)lua_rawlen(L, -1);
    if (ncols < 1)
        return "columns is empty";
    t = sp_table_create(title, (size_t)nrows, (size_t)ncols, pool);
    if (t == NULL)
        return "too many cells";
    t->note = note;
    heads = (const char **)t->columns;
    for (c = 1; c <= ncols; c++) {
        if (lua_rawgeti(L, -2, c) != LUA_TSTRING)       /* .., head */
            return apr_psprintf(pool, "columns[%ld] is not a string",
                                (long)c);
        heads[c - 1] = apr_pstrdup(pool, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    for (r = 1; r <= nrows; r++) {
        if (lua_rawgeti(L, -1, r) != LUA_TTABLE)        /* .., rows, row */
            return apr_psprintf(pool, "rows[%ld] is not a table", (long)r);
        if ((lua_Integer)lua_rawlen(L, -1) > ncols)
            return apr_psprintf(pool, "rows[%ld] has %ld cells for %ld "
                                "columns", (long)r, (long)lua_rawlen(L, -1),
                                (long)ncols);
        for (c = 1; c <= ncols; c++) {
            lua_rawgeti(L, -1, c);                      /* .., row, cell */
            msg = read_cell(L, cell_at(t, (size_t)r - 1, (size_t)c - 1),
                            pool);
            if (msg != NULL)
                return apr_psprintf(pool, "rows[%ld][%ld]: %s", (long)r,
                                    (long)c, msg);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);                                  /* .., rows */
    }
    lua_pushstring(L, "not_for_publication");
    lua_rawget(L, idx);
    t->not_for_publication = lua_toboolean(L, -1);
    *out = t;
    return NULL;
}

/* Is the table at idx in Lua form (it has `columns`)? */
static int
is_table_form(lua_State *L, int idx)
{
    int yes;

    lua_pushstring(L, "columns");
    yes = lua_rawget(L, idx) != LUA_TNIL;
    lua_pop(L, 1);
    return yes;
}

int
sp_table_from_lua(lua_State *L, int idx, const sp_table_t *const **out,
                  size_t *count, apr_pool_t *pool, sp_error_t **err)
{
    int top = lua_gettop(L), base;
    const sp_table_t **arr;
    const char *msg = NULL;
    size_t n, i;

    idx = lua_absindex(L, idx);
    if (luaL_getmetafield(L, idx, SP_TABLE_LUA_META) != LUA_TNIL) {
        lua_pushvalue(L, idx);                          /* .., fn, obj */
        lua_call(L, 1, 1);                              /* .., result */
        idx = lua_gettop(L);
    }
    if (!lua_istable(L, idx)) {
        msg = apr_psprintf(pool, "expected a result table or a list of "
                           "them, got a %s", luaL_typename(L, idx));
        goto done;
    }
    base = lua_gettop(L);
    if (is_table_form(L, idx)) {
        arr = apr_palloc(pool, sizeof *arr);
        n = 1;
        msg = read_table(L, idx, (sp_table_t **)&arr[0], pool);
    } else {
        n = (size_t)lua_rawlen(L, idx);
        if (n == 0) {
            msg = "expected a result table or a non-empty list of them";
            goto done;
        }
        arr = apr_palloc(pool, n * sizeof *arr);
        for (i = 0; i < n && msg == NULL; i++) {
            lua_settop(L, base);
            lua_rawgeti(L, idx, (lua_Integer)i + 1);    /* .., item */
            if (luaL_getmetafield(L, -1, SP_TABLE_LUA_META) != LUA_TNIL) {
                lua_pushvalue(L, -2);                   /* .., item, fn, item */
                lua_call(L, 1, 1);                      /* .., item, result */
            }
            if (!lua_istable(L, -1) || !is_table_form(L, lua_gettop(L))) {
                msg = apr_psprintf(pool, "item %ld: expected a result table "
                                   "(with columns and rows)", (long)i + 1);
                break;
            }
            msg = read_table(L, lua_gettop(L), (sp_table_t **)&arr[i], pool);
            if (msg != NULL)
                msg = apr_psprintf(pool, "item %ld: %s", (long)i + 1, msg);
        }
    }
    if (msg == NULL) {
        *out = arr;
        *count = n;
    }
done:
    lua_settop(L, top);
    if (msg != NULL)
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "%s", msg);
    return SP_OK;
}
