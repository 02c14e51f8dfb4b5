/*
 * bad_open.c -- a test plugin whose open() fails with a Lua error, which
 * the loader must report as an error, not a crash.
 */
#include <lua.h>
#include <lauxlib.h>
#include "spiral_plugin.h"

static int
open_bad(lua_State *L, const spiral_host_t *h)
{
    (void)h;
    return luaL_error(L, "bad_open refuses to open");
}

SPIRAL_PLUGIN_EXPORT const spiral_plugin_t spiral_plugin_entry = {
    SPIRAL_PLUGIN_ABI, LUA_VERSION_NUM, "bad_open", "1.0", open_bad, NULL,
    NULL
};
