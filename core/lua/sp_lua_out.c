/*
 * sp_lua_out.c -- spiral.out: what a script shows and writes.
 *
 * text(rows) aligns a Lua array of rows by display width (sp_text.h);
 * csv(name, rows, opts) and json(name, value) write into the workspace
 * output folder, through sp_engine_resolve_path; format(x) and print(x)
 * pretty-print any value (the REPL of `spiral lua` prints its results with
 * them).  Rows are arrays (the first row is the header) or records (the
 * header is opts.columns, else the sorted keys of the first row).  Result
 * objects (Xtab, Agg) are written by their own csv/json methods.
 *
 * Foreign memory (jansson values, the text being built) is built inside a
 * protected call and released before any error is raised again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <jansson.h>
#include "sp_lua.h"
#include "sp_text.h"

/* ---- rows ------------------------------------------------------------------ */

/* Push the matrix of strings of `rows` at idx as a Lua array of arrays
 * (header first).  opts at oidx may hold columns = {...}.  decimal_comma
 * writes numbers with a comma. */
static void
push_matrix(lua_State *L, int idx, int oidx, int decimal_comma)
{
    lua_Integer i, n, j, ncol;
    int record;

    luaL_checktype(L, idx, LUA_TTABLE);
    n = (lua_Integer)lua_rawlen(L, idx);
    lua_newtable(L);                                    /* m */
    if (n == 0)
        return;
    lua_rawgeti(L, idx, 1);
    if (!lua_istable(L, -1))
        luaL_error(L, "rows[1] must be a table");
    record = lua_rawlen(L, -1) == 0;
    lua_pop(L, 1);
    /* Header: columns = {...}, or the sorted keys of the first record. */
    if (record) {
        if (oidx != 0 && lua_istable(L, oidx) && lua_getfield(L, oidx, "columns") == LUA_TTABLE) {
            lua_Integer k, nk = (lua_Integer)lua_rawlen(L, -1);

            lua_newtable(L);
            for (k = 1; k <= nk; k++) {
                lua_rawgeti(L, -2, k);
                lua_rawseti(L, -2, k);
            }
            lua_remove(L, -2);
        } else {
            if (oidx != 0 && lua_istable(L, oidx))
                lua_pop(L, 1);
            lua_newtable(L);                            /* m, head */
            lua_rawgeti(L, idx, 1);
            lua_pushnil(L);
            j = 0;
            while (lua_next(L, -2) != 0) {
                lua_pop(L, 1);
                if (lua_type(L, -1) == LUA_TSTRING) {
                    lua_pushvalue(L, -1);
                    lua_rawseti(L, -4, ++j);
                }
            }
            lua_pop(L, 1);
            /* Sort the names (insertion sort: few columns). */
            for (i = 2; i <= j; i++) {
                lua_Integer k;

                for (k = i; k > 1; k--) {
                    lua_rawgeti(L, -1, k - 1);          /* .., head, a */
                    lua_rawgeti(L, -2, k);              /* .., head, a, b */
                    if (!lua_compare(L, -1, -2, LUA_OPLT)) {
                        lua_pop(L, 2);
                        break;
                    }
                    lua_rawseti(L, -3, k - 1);
                    lua_rawseti(L, -2, k);
                }
            }
        }
        lua_rawseti(L, -2, 1);                          /* m */
    }
    ncol = 0;
    for (i = 1; i <= n; i++) {
        lua_Integer at = (lua_Integer)lua_rawlen(L, -1) + 1;

        if (lua_rawgeti(L, idx, i) != LUA_TTABLE)       /* m, row */
            luaL_error(L, "rows[%d] must be a table", (int)i);
        lua_newtable(L);                                /* m, row, out */
        if (record) {
            lua_rawgeti(L, -3, 1);                      /* m, row, out, head */
            ncol = (lua_Integer)lua_rawlen(L, -1);
            for (j = 1; j <= ncol; j++) {
                lua_rawgeti(L, -1, j);
                lua_gettable(L, -4);
                lua_rawseti(L, -3, j);
            }
            lua_pop(L, 1);
        } else {
            ncol = (lua_Integer)lua_rawlen(L, -2);
            for (j = 1; j <= ncol; j++) {
                lua_rawgeti(L, -2, j);
                lua_rawseti(L, -2, j);
            }
        }
        /* To strings. */
        for (j = 1; j <= ncol; j++) {
            int t = lua_rawgeti(L, -1, j);

            if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, -1))) {
                lua_pop(L, 1);
                lua_pushliteral(L, "");
            } else if (t == LUA_TNUMBER && !lua_isinteger(L, -1)) {
                char buf[64], *p;
                double x = lua_tonumber(L, -1);

                lua_pop(L, 1);
                if (x != x)
                    buf[0] = '\0';
                else
                    snprintf(buf, sizeof buf, "%.15g", x);
                if (decimal_comma && (p = strchr(buf, '.')) != NULL)
                    *p = ',';
                lua_pushstring(L, buf);
            } else {
                luaL_tolstring(L, -1, NULL);
                lua_remove(L, -2);
            }
            lua_rawseti(L, -2, j);
        }
        lua_rawseti(L, -3, at);                         /* m, row */
        lua_pop(L, 1);                                  /* m */
    }
}

/* Aligned text of a matrix at idx (array of arrays of strings); numbers
 * right-aligned below the header. */
static void
push_aligned(lua_State *L, int idx)
{
    lua_Integer i, j, n = (lua_Integer)lua_rawlen(L, idx), ncol = 0;
    const char **cell;
    int *width;
    char *num;
    luaL_Buffer b;

    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, i);
        if ((lua_Integer)lua_rawlen(L, -1) > ncol)
            ncol = (lua_Integer)lua_rawlen(L, -1);
        lua_pop(L, 1);
    }
    if (n == 0 || ncol == 0) {
        lua_pushliteral(L, "");
        return;
    }
    /* The strings stay anchored by the matrix while their pointers are used. */
    cell = lua_newuserdatauv(L, (size_t)(n * ncol) * sizeof *cell, 0);
    num = lua_newuserdatauv(L, (size_t)(n * ncol), 0);
    width = lua_newuserdatauv(L, (size_t)ncol * sizeof *width, 0);
    for (j = 0; j < ncol; j++)
        width[j] = 0;
    for (i = 0; i < n; i++) {
        lua_rawgeti(L, idx, i + 1);
        for (j = 0; j < ncol; j++) {
            const char *v;
            int w;

            lua_rawgeti(L, -1, j + 1);
            v = lua_tostring(L, -1);
            cell[i * ncol + j] = v ? v : "";
            num[i * ncol + j] = i > 0 && v != NULL && lua_stringtonumber(L, v) != 0;
            if (num[i * ncol + j])
                lua_pop(L, 1);
            lua_pop(L, 1);
            w = sp_text_width(cell[i * ncol + j]);
            if (w > width[j])
                width[j] = w;
        }
        lua_pop(L, 1);
    }
    luaL_buffinit(L, &b);
    for (i = 0; i < n; i++) {
        for (j = 0; j < ncol; j++) {
            const char *v = cell[i * ncol + j];
            int w = sp_text_width(v), k;

            if (j > 0)
                luaL_addstring(&b, "  ");
            for (k = w; num[i * ncol + j] && k < width[j]; k++)
                luaL_addchar(&b, ' ');
            luaL_addstring(&b, v);
            for (k = w; !num[i * ncol + j] && j < ncol - 1 && k < width[j]; k++)
                luaL_addchar(&b, ' ');
        }
        luaL_addchar(&b, '\n');
    }
    luaL_pushresult(&b);
}

/***
 * spiral.out.text(rows [, {columns = {...}}]) -> string
 */
static int
l_out_text(lua_State *L)
{
    lua_settop(L, 2);
    push_matrix(L, 1, 2, 0);                            /* rows, opts, m */
    push_aligned(L, 3);
    return 1;
}

/* Is the value at idx an Xtab or an Agg?  Then call its method `m` with
 * the value at arg (or none) and leave the string on the stack. */
static int
object_method(lua_State *L, int idx, const char *m, int arg)
{
    if (luaL_testudata(L, idx, SP_LUA_XTAB) == NULL && luaL_testudata(L, idx, SP_LUA_AGG) == NULL)
        return 0;
    luaL_getmetafield(L, idx, "__index");
    lua_getfield(L, -1, m);
    lua_remove(L, -2);
    lua_pushvalue(L, idx);
    if (arg != 0)
        lua_pushvalue(L, arg);
    lua_call(L, arg != 0 ? 2 : 1, 1);
    return 1;
}

/* Write the string at the top of the stack to the output file `name`;
 * returns true or nil, message. */
static int
write_file(lua_State *L, const char *name)
{
    sp_engine_t *eng = sp_engine_from_lua(L);
    apr_pool_t *tmp;
    const char *path, *data;
    sp_error_t *err = NULL;
    size_t len;
    FILE *f;
    int ok;

    data = lua_tolstring(L, -1, &len);
    apr_pool_create(&tmp, sp_engine_pool(eng));
    if (sp_engine_resolve_path(eng, name, 1, tmp, &path, &err) != SP_OK) {
        lua_pushnil(L);
        lua_pushstring(L, err->message);
        apr_pool_destroy(tmp);
        return 2;
    }
    f = fopen(path, "wb");
    ok = f != NULL && fwrite(data, 1, len, f) == len;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    apr_pool_destroy(tmp);
    if (!ok) {
        lua_pushnil(L);
        lua_pushfstring(L, "%s: cannot write", name);
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

/* CSV field quoting (RFC 4180). */
static void
add_field(luaL_Buffer *b, const char *s, char sep)
{
    const char *p;

    if (strchr(s, sep) == NULL && strpbrk(s, "\"\r\n") == NULL) {
        luaL_addstring(b, s);
        return;
    }
    luaL_addchar(b, '"');
    for (p = s; *p; p++) {
        if (*p == '"')
            luaL_addchar(b, '"');
        luaL_addchar(b, *p);
    }
    luaL_addchar(b, '"');
}

/***
 * spiral.out.csv(name, rows | xtab | agg [, {sep =, decimal =, columns =}])
 *   -> true | nil, message
 */
static int
l_out_csv(lua_State *L)
{
    static const char *const fields[] = {"sep", "decimal", "columns", NULL};
    const char *name = luaL_checkstring(L, 1);
    char sep = ',';
    int decimal_comma = 0;
    lua_Integer i, j, n;
    luaL_Buffer b;

    lua_settop(L, 3);
    sp_lua_refuse_in_check(L, "spiral.out.csv");
    if (!lua_isnil(L, 3)) {
        const char *s, *d;

        luaL_checktype(L, 3, LUA_TTABLE);
        lua_pushnil(L);
        while (lua_next(L, 3) != 0) {
            const char *const *f;

            lua_pop(L, 1);
            for (f = fields; *f && !(lua_type(L, -1) == LUA_TSTRING
                                     && strcmp(*f, lua_tostring(L, -1)) == 0); f++)
                ;
            if (*f == NULL)
                return luaL_error(L, "spiral.out.csv: unknown option '%s'", luaL_tolstring(L, -1, NULL));
        }
        lua_getfield(L, 3, "sep");
        lua_getfield(L, 3, "decimal");
        s = lua_tostring(L, -2);
        d = lua_tostring(L, -1);
        if (s != NULL)
            sep = strcmp(s, "tab") == 0 ? '\t' : s[0];
        if (s != NULL && (strchr(",;|\t", sep) == NULL || (s[1] && strcmp(s, "tab"))))
            return luaL_error(L, "spiral.out.csv: sep is ',', ';', '|' or tab");
        decimal_comma = d != NULL && strcmp(d, ",") == 0;
        if (decimal_comma && sep == ',')
            return luaL_error(L, "spiral.out.csv: a decimal comma needs sep ';' or tab");
        lua_pop(L, 2);
    }
    if (lua_type(L, 2) == LUA_TUSERDATA) {
        lua_newtable(L);
        if (!lua_isnil(L, 3)) {
            lua_getfield(L, 3, "sep");
            lua_setfield(L, -2, "sep");
            lua_getfield(L, 3, "decimal");
            lua_setfield(L, -2, "decimal");
        }
        if (!object_method(L, 2, "csv", lua_gettop(L)))
            return luaL_argerror(L, 2, "rows, an Xtab or an Agg expected");
        return write_file(L, name);
    }
    push_matrix(L, 2, 3, decimal_comma);                /* .., m */
    n = (lua_Integer)lua_rawlen(L, -1);
    /* Anchor the strings by the matrix; the buffer goes on top. */
    {
        int m = lua_gettop(L);
        const char **cells;
        lua_Integer ncol = 0, at = 0;

        for (i = 1; i <= n; i++) {
            lua_rawgeti(L, m, i);
            ncol += (lua_Integer)lua_rawlen(L, -1) + 1;
            lua_pop(L, 1);
        }
        cells = lua_newuserdatauv(L, (size_t)(ncol + 1) * sizeof *cells, 0);
        for (i = 1; i <= n; i++) {
            lua_rawgeti(L, m, i);
            for (j = 1; j <= (lua_Integer)lua_rawlen(L, -1); j++) {
                lua_rawgeti(L, -1, j);
                cells[at++] = lua_tostring(L, -1);
                lua_pop(L, 1);
            }
            cells[at++] = NULL;                         /* end of line */
            lua_pop(L, 1);
        }
        luaL_buffinit(L, &b);
        for (i = 0, j = 0; i < at; i++) {
            if (cells[i] == NULL) {
                luaL_addchar(&b, '\n');
                j = 0;
                continue;
            }
            if (j++ > 0)
                luaL_addchar(&b, sep);
            add_field(&b, cells[i], sep);
        }
        luaL_pushresult(&b);
    }
    return write_file(L, name);
}

/* ---- JSON ------------------------------------------------------------------ */

struct to_json {
    json_t *root;
    int depth;
};

static json_t *
value_json(lua_State *L, int idx, int depth)
{
    int t = lua_type(L, idx);

    idx = lua_absindex(L, idx);
    if (depth > 64)
        luaL_error(L, "spiral.out.json: nested too deeply (a cycle?)");
    switch (t) {
    case LUA_TNIL:
        return json_null();
    case LUA_TBOOLEAN:
        return json_boolean(lua_toboolean(L, idx));
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx))
            return json_integer((json_int_t)lua_tointeger(L, idx));
        if (lua_tonumber(L, idx) != lua_tonumber(L, idx))
            return json_null();
        return json_real(lua_tonumber(L, idx));
    case LUA_TSTRING:
        return json_stringn(lua_tostring(L, idx), lua_rawlen(L, idx));
    case LUA_TTABLE: {
        lua_Integer n = (lua_Integer)lua_rawlen(L, idx), i, count = 0;
        json_t *j;

        lua_pushnil(L);
        while (lua_next(L, idx) != 0) {
            lua_pop(L, 1);
            count++;
        }
        if (n > 0 && count == n) {
            j = json_array();
            for (i = 1; i <= n; i++) {
                json_t *v;

                lua_rawgeti(L, idx, i);
                v = value_json(L, -1, depth + 1);
                lua_pop(L, 1);
                json_array_append_new(j, v);
            }
            return j;
        }
        j = json_object();
        lua_pushnil(L);
        while (lua_next(L, idx) != 0) {
            json_t *v;

            if (lua_type(L, -2) != LUA_TSTRING) {
                json_decref(j);
                luaL_error(L, "spiral.out.json: a table mixes array items and other keys");
            }
            v = value_json(L, -1, depth + 1);
            json_object_set_new(j, lua_tostring(L, -2), v);
            lua_pop(L, 1);
        }
        return j;
    }
    default:
        if (object_method(L, idx, "json", 0)) {
            json_t *j = json_loads(lua_tostring(L, -1), 0, NULL);

            lua_pop(L, 1);
            return j ? j : json_null();
        }
        luaL_error(L, "spiral.out.json: cannot write a %s", luaL_typename(L, idx));
        return NULL;
    }
}

/* Protected: ctx (light), value. */
static int
l_build_json(lua_State *L)
{
    struct to_json *c = lua_touserdata(L, 1);

    c->root = value_json(L, 2, 0);
    return 0;
}

/***
 * spiral.out.json(name, value) -> true | nil, message
 *
 * Tables with keys 1..n are arrays, others objects (keys sorted); Xtab and
 * Agg objects are written as their :json().
 */
static int
l_out_json(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    struct to_json c = {NULL, 0};
    char *text;
    int rc;

    luaL_checkany(L, 2);
    sp_lua_refuse_in_check(L, "spiral.out.json");
    lua_settop(L, 2);
    lua_pushcfunction(L, l_build_json);
    lua_pushlightuserdata(L, &c);
    lua_pushvalue(L, 2);
    rc = lua_pcall(L, 2, 0, 0);
    if (rc != LUA_OK) {
        /* A partial tree is lost: jansson frees nothing we cannot reach;
         * subtrees were attached as they were built. */
        json_decref(c.root);
        return lua_error(L);
    }
    text = json_dumps(c.root, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(17)
                      | JSON_ENCODE_ANY);
    json_decref(c.root);
    if (text == NULL)
        return luaL_error(L, "spiral.out.json: cannot encode (invalid UTF-8?)");
    lua_pushstring(L, text);    /* may raise: text would leak; copy first */
    free(text);
    lua_pushliteral(L, "\n");
    lua_concat(L, 2);
    return write_file(L, name);
}

/* ---- pretty printing ---------------------------------------------------- */

static int
is_identifier(const char *s)
{
    const char *p;

    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return 0;
    for (p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_'
              || (*p >= '0' && *p <= '9')))
            return 0;
    return 1;
}

static void
add_piece(lua_State *L, int pieces)
{
    lua_rawseti(L, pieces, (lua_Integer)lua_rawlen(L, pieces) + 1);
}

/* Push the pretty-printed value at idx; seen: the tables being printed. */
static void
format_push(lua_State *L, int idx, int depth, int seen)
{
    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 10, NULL);
    switch (lua_type(L, idx)) {
    case LUA_TSTRING:
        if (depth == 0)
            lua_pushvalue(L, idx);
        else
            lua_pushfstring(L, "\"%s\"", lua_tostring(L, idx));
        return;
    case LUA_TTABLE: {
        lua_Integer n = (lua_Integer)lua_rawlen(L, idx), i;
        int pieces, first = 1;
        luaL_Buffer b;

        lua_pushvalue(L, idx);
        if (lua_rawget(L, seen) != LUA_TNIL || depth > 8) {
            lua_pop(L, 1);
            lua_pushliteral(L, "{...}");
            return;
        }
        lua_pop(L, 1);
        lua_pushvalue(L, idx);
        lua_pushboolean(L, 1);
        lua_rawset(L, seen);
        lua_newtable(L);                                /* pieces */
        pieces = lua_gettop(L);
        lua_pushliteral(L, "{");
        add_piece(L, pieces);
        for (i = 1; i <= n; i++) {
            if (!first) {
                lua_pushliteral(L, ", ");
                add_piece(L, pieces);
            }
            first = 0;
            lua_rawgeti(L, idx, i);
            format_push(L, -1, depth + 1, seen);
            add_piece(L, pieces);
            lua_pop(L, 1);
        }
        lua_pushnil(L);
        while (lua_next(L, idx) != 0) {                 /* .., k, v */
            if (lua_type(L, -2) == LUA_TNUMBER && lua_isinteger(L, -2)
                && lua_tointeger(L, -2) >= 1 && lua_tointeger(L, -2) <= n) {
                lua_pop(L, 1);
                continue;
            }
            if (!first) {
                lua_pushliteral(L, ", ");
                add_piece(L, pieces);
            }
            first = 0;
            if (lua_type(L, -2) == LUA_TSTRING && is_identifier(lua_tostring(L, -2))) {
                lua_pushvalue(L, -2);
            } else {
                lua_pushliteral(L, "[");
                add_piece(L, pieces);
                format_push(L, -2, depth + 1, seen);
                add_piece(L, pieces);
                lua_pushliteral(L, "]");
            }
            add_piece(L, pieces);
            lua_pushliteral(L, " = ");
            add_piece(L, pieces);
            format_push(L, -1, depth + 1, seen);
            add_piece(L, pieces);
            lua_pop(L, 1);                              /* .., k */
        }
        lua_pushliteral(L, "}");
        add_piece(L, pieces);
        lua_pushvalue(L, idx);
        lua_pushnil(L);
        lua_rawset(L, seen);
        n = (lua_Integer)lua_rawlen(L, pieces);
        luaL_buffinit(L, &b);
        for (i = 1; i <= n; i++) {
            lua_rawgeti(L, pieces, i);
            luaL_addvalue(&b);
        }
        luaL_pushresult(&b);
        lua_remove(L, pieces);
        return;
    }
    default:
        luaL_tolstring(L, idx, NULL);
        return;
    }
}

void
sp_lua_out_format(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_newtable(L);                                    /* seen */
    format_push(L, idx, 0, lua_gettop(L));
    lua_remove(L, -2);
}

/***
 * spiral.out.format(x) -> string: x pretty-printed ({a = 1, {2, 3}})
 */
static int
l_out_format(lua_State *L)
{
    luaL_checkany(L, 1);
    sp_lua_out_format(L, 1);
    return 1;
}

/***
 * spiral.out.print(x, ...): print the pretty-printed values, one per line,
 * with the script's own print.
 */
static int
l_out_print(lua_State *L)
{
    int i, n = lua_gettop(L), found = 0;
    lua_Debug ar;

    /* The caller's _ENV holds the run's print. */
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "f", &ar)) {
        const char *up;
        int u;

        for (u = 1; (up = lua_getupvalue(L, -1, u)) != NULL; u++) {
            if (strcmp(up, "_ENV") == 0 && lua_istable(L, -1)) {
                lua_getfield(L, -1, "print");
                found = lua_isfunction(L, -1);
                lua_remove(L, -2);
                break;
            }
            lua_pop(L, 1);
        }
        if (found)
            lua_remove(L, -2);
        else
            lua_settop(L, n);
    }
    for (i = 1; i <= n; i++) {
        sp_lua_out_format(L, i);
        if (found) {
            lua_pushvalue(L, n + 1);
            lua_insert(L, -2);
            lua_call(L, 1, 0);
        } else {
            fputs(lua_tostring(L, -1), stdout);
            fputc('\n', stdout);
            lua_pop(L, 1);
        }
    }
    return 0;
}

static const luaL_Reg out_fns[] = {
    {"text", l_out_text},
    {"csv", l_out_csv},
    {"json", l_out_json},
    {"format", l_out_format},
    {"print", l_out_print},
    {NULL, NULL}
};

int
sp_lua_open_out(sp_engine_t *eng, sp_error_t **err)
{
    return sp_engine_register(eng, "out", out_fns, err);
}
