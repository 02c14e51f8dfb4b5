/*
 * sp_lua_plugin.c -- the Lua binding of the plugin loader: spiral.plugin.
 *
 * Scripts load plugins by name only; the search path, the checks and the
 * per-engine cache are those of core/sp_plugin.c.  A plugin loaded here is
 * returned as a table (a fresh copy for every call), since spiral.<name>
 * can only be installed between runs (sp_plugin_load does that from C).
 */
#include <lauxlib.h>
#include "sp_plugin.h"

/***
 * spiral.plugin.load(name) -> module | nil, message
 *
 * Load the plugin `name` (letters, digits and '_'; never a path) from the
 * plugin path and return its functions as a table:
 *
 *     local xlsx = assert(spiral.plugin.load("xlsx"))
 *     xlsx.write("results.xlsx", tables)
 *
 * A missing plugin, or one built for another ABI or Lua, gives nil and a
 * message; an invalid name raises an error.  Loading the same plugin again
 * is cheap: its open function runs once per engine.
 */
static int
l_plugin_load(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);

    return sp_plugin_push_module(L, name);
}

static const luaL_Reg plugin_fns[] = {
    { "load", l_plugin_load },
    { NULL, NULL }
};

int
sp_lua_plugin_open(sp_engine_t *eng, sp_error_t **err)
{
    return sp_engine_register(eng, "plugin", plugin_fns, err);
}
