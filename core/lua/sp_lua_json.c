/*
 * sp_lua_json.c -- jansson values to Lua tables and back (sp_lua_json.h).
 *
 * Pushing only builds Lua values, so a Lua error in the middle leaks
 * nothing.  Converting to JSON builds C objects, so every container is
 * attached to its parent (or to the root slot) as soon as it is made and
 * only then filled: when Lua raises half-way (out of memory in lua_next or
 * in converting a number key), decref'ing the root frees everything.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <lauxlib.h>
#include "sp_lua_json.h"

int
sp_lua_json_null(lua_State *L)
{
    lua_pushcfunction(L, sp_lua_json_null);
    return 1;
}

static void
push(lua_State *L, const json_t *v, int depth)
{
    luaL_checkstack(L, 4, "JSON value too deep");
    if (v == NULL || depth > SP_LUA_JSON_DEPTH) {
        lua_pushnil(L);
        return;
    }
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *k;
        json_t *x;

        lua_createtable(L, 0, (int)json_object_size(v));    /* t */
        json_object_foreach((json_t *)v, k, x) {
            if (json_is_null(x))
                continue;
            push(L, x, depth + 1);                          /* t, x */
            lua_setfield(L, -2, k);                         /* t */
        }
        break;
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *x;

        lua_createtable(L, (int)json_array_size(v), 0);     /* t */
        json_array_foreach(v, i, x) {
            if (json_is_null(x))
                lua_pushcfunction(L, sp_lua_json_null);     /* t, null */
            else
                push(L, x, depth + 1);                      /* t, x */
            lua_rawseti(L, -2, (lua_Integer)i + 1);         /* t */
        }
        break;
    }
    case JSON_STRING:
        lua_pushlstring(L, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER: lua_pushinteger(L, (lua_Integer)json_integer_value(v)); break;
    case JSON_REAL: lua_pushnumber(L, json_real_value(v)); break;
    case JSON_TRUE: lua_pushboolean(L, 1); break;
    case JSON_FALSE: lua_pushboolean(L, 0); break;
    default: lua_pushnil(L); break;
    }
}

void
sp_lua_push_json(lua_State *L, const json_t *v)
{
    push(L, v, 0);
}

/* 1 when the table at idx has exactly the keys 1..n (n may be 0). */
static int
is_array(lua_State *L, int idx, lua_Integer *n)
{
    lua_Integer count = 0, maxk = 0;
    int seq = 1;

    lua_pushnil(L);                                         /* k */
    while (lua_next(L, idx)) {                              /* k, v */
        count++;
        if (lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 1) {
            if (lua_tointeger(L, -2) > maxk)
                maxk = lua_tointeger(L, -2);
        } else
            seq = 0;
        lua_pop(L, 1);                                      /* k */
    }
    *n = count;
    return seq && maxk == count;
}

/* Hand v to its place: appended to the array parent, set as member key of
 * the object parent, or stored in *root when parent is NULL. */
static void
attach(json_t *v, json_t *parent, const char *key, json_t **root)
{
    if (parent == NULL)
        *root = v;
    else if (json_is_array(parent))
        json_array_append_new(parent, v);
    else
        json_object_set_new(parent, key, v);        /* decrefs v on a bad key */
}

/* Member names in order: numbers (as names) by value first, then the
 * others by bytes. */
static int
cmp_name(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    char *ex, *ey;
    double dx = strtod(x, &ex), dy = strtod(y, &ey);
    int nx = *x != '\0' && *ex == '\0', ny = *y != '\0' && *ey == '\0';

    if (nx && ny && dx != dy)
        return dx < dy ? -1 : 1;
    if (nx != ny)
        return nx ? -1 : 1;
    return strcmp(x, y);
}

/* Put the members of obj in the order of cmp_name.  A Lua table has no
 * order, and lua_next's depends on the state's random hash seed: without
 * this the same script would write its objects differently from one run
 * to the next.  Pure jansson, so no Lua error can leave a copy behind. */
static void
sort_members(json_t *obj)
{
    size_t n = json_object_size(obj), i = 0;
    const char *k;
    char **names;
    json_t *v, **values;

    if (n < 2)
        return;
    names = malloc(n * sizeof *names);
    values = malloc(n * sizeof *values);
    if (names == NULL || values == NULL) {
        free(names);
        free(values);
        return;                                     /* unsorted, still whole */
    }
    json_object_foreach(obj, k, v)
        names[i++] = (char *)k;
    qsort(names, n, sizeof *names, cmp_name);
    for (i = 0; i < n; i++) {
        values[i] = json_incref(json_object_get(obj, names[i]));
        names[i] = strdup(names[i]);
    }
    json_object_clear(obj);
    for (i = 0; i < n; i++) {
        if (names[i] != NULL)
            json_object_set_new(obj, names[i], values[i]);
        else
            json_decref(values[i]);
        free(names[i]);
    }
    free(names);
    free(values);
}

/* Convert the value at idx and attach it (see attach). */
static void
convert(lua_State *L, int idx, int depth, json_t *parent, const char *key, json_t **root)
{
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
    case LUA_TBOOLEAN:
        attach(json_boolean(lua_toboolean(L, idx)), parent, key, root);
        return;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx))
            attach(json_integer((json_int_t)lua_tointeger(L, idx)), parent, key, root);
        else
            attach(isfinite(lua_tonumber(L, idx)) ? json_real(lua_tonumber(L, idx))
                   : json_null(), parent, key, root);
        return;
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        json_t *v = json_stringn(s, n);                     /* NULL: not UTF-8 */

        attach(v ? v : json_string("?"), parent, key, root);
        return;
    }
    case LUA_TTABLE: {
        lua_Integer i, n;
        json_t *out;

        if (depth > SP_LUA_JSON_DEPTH)
            break;
        luaL_checkstack(L, 6, "value too deep for JSON");
        if (is_array(L, idx, &n)) {
            attach(out = json_array(), parent, key, root);
            for (i = 1; i <= n; i++) {
                lua_rawgeti(L, idx, i);                     /* v */
                convert(L, -1, depth + 1, out, NULL, root);
                lua_pop(L, 1);                              /* */
            }
            return;
        }
        attach(out = json_object(), parent, key, root);
        lua_pushnil(L);                                     /* k */
        while (lua_next(L, idx)) {                          /* k, v */
            int kt = lua_type(L, -2);

            if (kt == LUA_TSTRING || kt == LUA_TNUMBER) {
                lua_pushvalue(L, -2);                       /* k, v, k': tostring must not touch k */
                convert(L, -2, depth + 1, out, lua_tostring(L, -1), root);
                lua_pop(L, 1);                              /* k, v */
            }
            lua_pop(L, 1);                                  /* k */
        }
        sort_members(out);
        return;
    }
    default:
        break;
    }
    attach(json_null(), parent, key, root);
}

/* Protected: the conversion of the value (argument 1) into *root
 * (argument 2). */
static int
l_convert(lua_State *L)
{
    json_t **root = lua_touserdata(L, 2);

    convert(L, 1, 0, NULL, NULL, root);
    return 0;
}

json_t *
sp_lua_to_json(lua_State *L, int idx)
{
    json_t *root = NULL;

    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 3, NULL);
    lua_pushcfunction(L, l_convert);                        /* f */
    lua_pushvalue(L, idx);                                  /* f, v */
    lua_pushlightuserdata(L, &root);                        /* f, v, root */
    if (lua_pcall(L, 2, 0, 0) != LUA_OK) {                  /* msg */
        json_decref(root);
        lua_error(L);
    }
    return root != NULL ? root : json_null();
}
