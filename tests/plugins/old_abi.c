/*
 * old_abi.c -- a test plugin built for another ABI: TEST_ABI (0 or 2) and
 * TEST_NAME come from the build (tests/automake.mk builds old_abi.la with
 * ABI 0 and new_abi.la with ABI 2).  The loader must refuse it before
 * calling anything: open() would abort the test.
 */
#include <stdlib.h>
#include <lua.h>
#include "spiral_plugin.h"

static int
open_never(lua_State *L, const spiral_host_t *h)
{
    (void)L;
    (void)h;
    abort();
}

SPIRAL_PLUGIN_EXPORT const spiral_plugin_t spiral_plugin_entry = {
    TEST_ABI, LUA_VERSION_NUM, TEST_NAME, "0.0", open_never, NULL, NULL
};
