/*
 * good.c -- a well-formed test plugin (ABI 1) for tests/unit/test_plugin.c.
 *
 * Its functions exercise each host service: add() is plain Lua, abi() and
 * width() read the host table, tables() goes through check_tables and
 * out() through output_path.
 */
#include <lua.h>
#include <lauxlib.h>
#include "spiral_plugin.h"

static const spiral_host_t *host;

static int
l_good_add(lua_State *L)
{
    lua_pushnumber(L, luaL_checknumber(L, 1) + luaL_checknumber(L, 2));
    return 1;
}

static int
l_good_abi(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)host->abi_version);
    lua_pushstring(L, host->spiral_version);
    return 2;
}

static int
l_good_width(lua_State *L)
{
    lua_pushinteger(L, host->text_width(luaL_checkstring(L, 1)));
    return 1;
}

/* tables(t) -> count, ncols, nrows, kind and number of cell (1,1) */
static int
l_good_tables(lua_State *L)
{
    const spiral_table_t *const *t;
    const char *msg;
    size_t n;

    if (!host->check_tables(L, 1, &t, &n, &msg))
        return luaL_argerror(L, 1, msg);
    lua_pushinteger(L, (lua_Integer)n);
    lua_pushinteger(L, (lua_Integer)t[0]->ncols);
    lua_pushinteger(L, (lua_Integer)t[0]->nrows);
    if (t[0]->nrows == 0)
        return 3;
    lua_pushinteger(L, (lua_Integer)t[0]->cells[0].kind);
    lua_pushnumber(L, t[0]->cells[0].number);
    return 5;
}

static int
l_good_out(lua_State *L)
{
    const char *msg = NULL;
    const char *path = host->output_path(L, luaL_checkstring(L, 1), &msg);

    if (path == NULL) {
        lua_pushnil(L);
        lua_pushstring(L, msg);
        return 2;
    }
    lua_pushstring(L, path);
    return 1;
}

static int
open_good(lua_State *L, const spiral_host_t *h)
{
    static const luaL_Reg fns[] = {
        { "add", l_good_add },
        { "abi", l_good_abi },
        { "width", l_good_width },
        { "tables", l_good_tables },
        { "out", l_good_out },
        { NULL, NULL }
    };

    host = h;
    luaL_newlib(L, fns);
    return 1;
}

SPIRAL_PLUGIN_EXPORT const spiral_plugin_t spiral_plugin_entry = {
    SPIRAL_PLUGIN_ABI, LUA_VERSION_NUM, "good", "1.0", open_good, NULL, NULL
};
