/*
 * sp_engine_sandbox.c -- what a script may see: the allow-listed globals,
 * the read-only proxies, and the spiral module.
 *
 * At creation (sp_engine_sandbox_init) the standard libraries are opened
 * into a registry table scripts never see, the string metatable (shared by
 * every string of every run) is locked behind a copy of `string` without
 * dump, and the base globals are built once from an allow-list: the
 * functions of BASE_NAMES as they are, and wrappers for print (to the
 * engine's output), rawset (refuses proxies), setmetatable (refuses __gc
 * and locked metatables), getmetatable (hides the metatables of
 * bindings), load (text only, this run's globals), collectgarbage (four
 * harmless options) and require (sp_engine_require.c).  Every other base
 * function (dofile, loadfile, warn...) is absent, as are io, debug,
 * package, string.dump and os but for clock, date, difftime and time.
 * Each run (sp_engine_sandbox_prepare) gets a fresh global table copied
 * from those, with fresh copies of the libraries.  The spiral module is
 * real tables kept in the registry, handed to scripts only as read-only
 * proxies: a proxy refuses writes through __newindex, the sandbox's rawset
 * refuses them through K_PROTECTED, and pairs and # see the real table
 * without ever handing it out.
 */
#include <stdio.h>
#include <string.h>
#include <lauxlib.h>
#include <lualib.h>
#include "sp_engine_int.h"

const char sp_engine_keys[KEY_COUNT_];

static const char READONLY_MSG[] = "spiral module is read-only";

/* ---------------------------------------------------------------------- */
/* Read-only proxies */

static int
l_readonly(lua_State *L)
{
    return luaL_error(L, "%s", lua_tostring(L, lua_upvalueindex(1)));
}

static int
l_proxy_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, lua_upvalueindex(1)));
    return 1;
}

/* The iterator pairs() gives for a proxy: it walks the real table (its
 * upvalue) but takes and hands out only the proxy, never the real table. */
static int
l_proxy_next(lua_State *L)
{
    lua_settop(L, 2);                           /* proxy, key */
    if (lua_next(L, lua_upvalueindex(1)))       /* proxy, k, v */
        return 2;
    lua_pushnil(L);
    return 1;
}

static int
l_proxy_pairs(lua_State *L)
{
    lua_pushvalue(L, lua_upvalueindex(1));      /* iterator */
    lua_pushvalue(L, 1);                        /* iterator, proxy */
    lua_pushnil(L);                             /* iterator, proxy, nil */
    return 3;
}

/* Push an empty table whose metatable forwards reads to the table at idx,
 * refuses writes with msg, iterates and measures the real table without
 * revealing it, and is locked (__metatable); rawset is refused by the
 * sandbox's rawset, which consults K_PROTECTED.  [-0, +1] */
static void
push_proxy(lua_State *L, int idx, const char *msg)
{
    idx = lua_absindex(L, idx);
    lua_newtable(L);                                    /* proxy */
    lua_createtable(L, 0, 5);                           /* proxy, mt */
    lua_pushvalue(L, idx);
    lua_setfield(L, -2, "__index");
    lua_pushstring(L, msg);
    lua_pushcclosure(L, l_readonly, 1);
    lua_setfield(L, -2, "__newindex");
    lua_pushvalue(L, idx);
    lua_pushcclosure(L, l_proxy_len, 1);
    lua_setfield(L, -2, "__len");
    lua_pushvalue(L, idx);
    lua_pushcclosure(L, l_proxy_next, 1);               /* proxy, mt, iter */
    lua_pushcclosure(L, l_proxy_pairs, 1);
    lua_setfield(L, -2, "__pairs");
    lua_pushliteral(L, "protected");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);                            /* proxy */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &K_PROTECTED);    /* proxy, set */
    lua_pushvalue(L, -2);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_pop(L, 1);                                      /* proxy */
}

static int
is_protected(lua_State *L, int idx)
{
    int yes;

    idx = lua_absindex(L, idx);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &K_PROTECTED);
    lua_pushvalue(L, idx);
    yes = lua_rawget(L, -2) != LUA_TNIL;
    lua_pop(L, 2);
    return yes;
}

/* ---------------------------------------------------------------------- */
/* Sandboxed base functions */

static int
l_print(lua_State *L)
{
    sp_engine_t *eng = sp_engine_from_lua(L);
    int i, n = lua_gettop(L);
    const char *s;
    size_t len;
    luaL_Buffer b;

    luaL_buffinit(L, &b);
    for (i = 1; i <= n; i++) {
        if (i > 1)
            luaL_addchar(&b, '\t');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_addchar(&b, '\n');
    luaL_pushresult(&b);
    s = lua_tolstring(L, -1, &len);
    if (eng->output != NULL)
        eng->output(eng->output_baton, s, len);
    else
        fwrite(s, 1, len, stdout);
    return 0;
}

static int
l_rawset(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    luaL_checkany(L, 3);
    if (is_protected(L, 1))
        return luaL_error(L, "rawset: the table is read-only");
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 1;
}

/* As the standard setmetatable, but refusing __gc: finalizers run with
 * hooks disabled, so a looping one could never be stopped. */
static int
l_setmetatable(lua_State *L)
{
    int t = lua_type(L, 2);

    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (t == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "setmetatable: __gc metamethods are not "
                              "allowed in the sandbox");
        lua_pop(L, 1);
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
        return luaL_error(L, "cannot change a protected metatable");
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

/* As the standard getmetatable, but a userdata's metatable (shared by all
 * objects of a binding) is only shown through its __metatable field. */
static int
l_getmetatable(lua_State *L)
{
    luaL_checkany(L, 1);
    if (!lua_getmetatable(L, 1)) {
        lua_pushnil(L);
        return 1;
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
        return 1;
    if (lua_type(L, 1) != LUA_TTABLE)
        lua_pushnil(L);
    else
        lua_pushvalue(L, -1);
    return 1;
}

/* load(chunk [, chunkname [, mode [, env]]]): text only, and the chunk gets
 * this run's globals unless env is given. */
static int
l_load(lua_State *L)
{
    int has_env = lua_gettop(L) >= 4;

    if (lua_type(L, 1) == LUA_TSTRING) {
        size_t n;
        const char *s = lua_tolstring(L, 1, &n);

        if (n > 0 && s[0] == LUA_SIGNATURE[0]) {
            lua_pushnil(L);
            lua_pushliteral(L, "load: binary (precompiled) chunks are not "
                            "allowed in the sandbox");
            return 2;
        }
    }
    lua_settop(L, 4);
    lua_pushvalue(L, lua_upvalueindex(1));      /* .., load */
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_pushliteral(L, "t");
    if (has_env)
        lua_pushvalue(L, 4);
    else
        lua_rawgetp(L, LUA_REGISTRYINDEX, &K_ENV);
    lua_call(L, 4, LUA_MULTRET);
    return lua_gettop(L) - 4;
}

static int
l_collectgarbage(lua_State *L)
{
    static const char *const allowed[] =
        {"collect", "step", "count", "isrunning", NULL};
    const char *opt = luaL_optstring(L, 1, "collect");
    int i;

    for (i = 0; allowed[i] != NULL; i++)
        if (strcmp(opt, allowed[i]) == 0)
            break;
    if (allowed[i] == NULL)
        return luaL_error(L, "collectgarbage: option '%s' is not allowed in "
                          "the sandbox", opt);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* ---------------------------------------------------------------------- */
/* Building the sandbox */

/* Copy the fields of the table at src into a new table, leaving out the
 * names in except (NULL-terminated) or, when only is not NULL, keeping
 * only those.  [-0, +1] */
static void
copy_table(lua_State *L, int src, const char *const *only,
           const char *const *except)
{
    src = lua_absindex(L, src);
    lua_newtable(L);
    if (only != NULL) {
        for (; *only != NULL; only++) {
            lua_getfield(L, src, *only);
            lua_setfield(L, -2, *only);
        }
        return;
    }
    lua_pushnil(L);
    while (lua_next(L, src)) {                  /* copy, k, v */
        const char *const *e;
        int skip = 0;

        if (lua_type(L, -2) == LUA_TSTRING && except != NULL)
            for (e = except; *e != NULL; e++)
                if (strcmp(lua_tostring(L, -2), *e) == 0)
                    skip = 1;
        if (skip) {
            lua_pop(L, 1);
            continue;
        }
        lua_pushvalue(L, -2);                   /* copy, k, v, k */
        lua_insert(L, -2);                      /* copy, k, k, v */
        lua_rawset(L, -4);                      /* copy, k */
    }
}

static const char *const BASE_NAMES[] = {
    "assert", "error", "ipairs", "next", "pairs", "pcall", "xpcall",
    "rawequal", "rawget", "rawlen", "select", "tonumber", "tostring",
    "type", "_VERSION", NULL
};
static const char *const OS_NAMES[] = {"clock", "date", "difftime", "time",
                                       NULL};
static const char *const NO_DUMP[] = {"dump", NULL};
/* Libraries every run gets a fresh copy of. */
static const char *const LIB_NAMES[] = {"string", "table", "math", "utf8",
                                        "coroutine", "os", NULL};

static const luaL_Reg LIBS[] = {
    {"_G", luaopen_base}, {"string", luaopen_string},
    {"table", luaopen_table}, {"math", luaopen_math},
    {"utf8", luaopen_utf8}, {"coroutine", luaopen_coroutine},
    {"os", luaopen_os}, {NULL, NULL}
};

/* Protected: open the libraries into the registry, lock the string
 * metatable, build the base allow-list and the spiral module.  The order
 * matters: K_PROTECTED must exist before the first push_proxy. */
int
sp_engine_sandbox_init(lua_State *L)
{
    const luaL_Reg *lib;

    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &K_LIBS);
    lua_newtable(L);                                    /* set */
    lua_createtable(L, 0, 1);                           /* set, mt */
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &K_PROTECTED);

    lua_rawgetp(L, LUA_REGISTRYINDEX, &K_LIBS);         /* libs */
    for (lib = LIBS; lib->name != NULL; lib++) {
        luaL_requiref(L, lib->name, lib->func, 0);      /* libs, lib */
        lua_setfield(L, -2, lib->name);
    }

    /* The string metatable is shared by every string of every run: its
     * __index becomes a private copy without dump, and getmetatable("")
     * returns a read-only view of it. */
    lua_getfield(L, -1, "string");                      /* libs, string */
    copy_table(L, -1, NULL, NO_DUMP);                   /* libs, string, safe */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);                            /* .., safe, "", smt */
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "__index");
    lua_createtable(L, 0, 1);                           /* .., smt, view */
    push_proxy(L, -4, "the string metatable is read-only");
    lua_setfield(L, -2, "__index");
    push_proxy(L, -1, "the string metatable is read-only");
    lua_setfield(L, -3, "__metatable");                 /* .., smt, view */
    lua_pop(L, 5);                                      /* libs */

    /* The globals every run starts from. */
    lua_getfield(L, -1, "_G");                          /* libs, G */
    copy_table(L, -1, BASE_NAMES, NULL);                /* libs, G, base */
    lua_pushcfunction(L, l_print);
    lua_setfield(L, -2, "print");
    lua_pushcfunction(L, l_rawset);
    lua_setfield(L, -2, "rawset");
    lua_pushcfunction(L, l_setmetatable);
    lua_setfield(L, -2, "setmetatable");
    lua_pushcfunction(L, l_getmetatable);
    lua_setfield(L, -2, "getmetatable");
    lua_pushcfunction(L, sp_engine_require);
    lua_setfield(L, -2, "require");
    lua_getfield(L, -2, "load");
    lua_pushcclosure(L, l_load, 1);
    lua_setfield(L, -2, "load");
    lua_getfield(L, -2, "collectgarbage");
    lua_pushcclosure(L, l_collectgarbage, 1);
    lua_setfield(L, -2, "collectgarbage");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &K_BASE);         /* libs, G */
    lua_pop(L, 2);

    /* The spiral module: real tables here, proxies for scripts. */
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &K_SUBS);
    lua_newtable(L);                                    /* spiral */
    lua_newtable(L);                                    /* spiral, limits */
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &K_LIMITS);
    push_proxy(L, -1, READONLY_MSG);                    /* spiral, limits, p */
    lua_setfield(L, -3, "limits");
    lua_pop(L, 1);                                      /* spiral */
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &K_SPIRAL);
    push_proxy(L, -1, READONLY_MSG);                    /* spiral, proxy */
    lua_rawsetp(L, LUA_REGISTRYINDEX, &K_SPIRAL_PROXY);
    lua_pop(L, 1);
    return 0;
}

/* Build this run's globals, module cache and spiral.limits.  Every table
 * a script may write to is made here for this run (what runs share, the
 * spiral module and the string metatable, is behind read-only proxies),
 * so nothing a script changes outlives it; sp_engine.c's run() drops
 * K_ENV and K_LOADED when it ends.  [-0, +0] */
void
sp_engine_sandbox_prepare(lua_State *L, sp_engine_t *eng,
                          const struct run_args *a)
{
    const char *const *n;
    int i;

    lua_newtable(L);                                    /* loaded */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &K_SPIRAL_PROXY);
    lua_setfield(L, -2, "spiral");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &K_LOADED);

    lua_rawgetp(L, LUA_REGISTRYINDEX, &K_LIMITS);       /* limits */
    for (i = 0; i < SP_LIMIT_COUNT_; i++) {
        lua_pushinteger(L, (lua_Integer)eng->limits.value[i]);
        lua_setfield(L, -2, sp_limit_name(i));
    }
    lua_pop(L, 1);

    lua_rawgetp(L, LUA_REGISTRYINDEX, &K_BASE);         /* base */
    copy_table(L, -1, NULL, NULL);                      /* base, env */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &K_LIBS);         /* base, env, libs */
    for (n = LIB_NAMES; *n != NULL; n++) {
        lua_getfield(L, -1, *n);                        /* .., libs, lib */
        if (strcmp(*n, "os") == 0)
            copy_table(L, -1, OS_NAMES, NULL);
        else if (strcmp(*n, "string") == 0)
            copy_table(L, -1, NULL, NO_DUMP);
        else
            copy_table(L, -1, NULL, NULL);              /* .., libs, lib, copy */
        lua_setfield(L, -4, *n);
        lua_pop(L, 1);                                  /* base, env, libs */
    }
    lua_pop(L, 1);                                      /* base, env */
    lua_pushvalue(L, -1);
    lua_setfield(L, -2, "_G");
    lua_createtable(L, a->argc, 1);                     /* base, env, arg */
    lua_pushstring(L, a->path != NULL ? a->path : a->name);
    lua_rawseti(L, -2, 0);
    for (i = 0; i < a->argc; i++) {
        lua_pushstring(L, a->argv[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "arg");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &K_ENV);          /* base */
    lua_pop(L, 1);
}

/* ---------------------------------------------------------------------- */
/* Adding functions to the spiral module */

struct register_args {
    const char *name;
    const luaL_Reg *fns;
};

/* Protected: add fns to the real table of a submodule (or of spiral). */
static int
l_register(lua_State *L)
{
    const struct register_args *a = lua_touserdata(L, 1);

    lua_rawgetp(L, LUA_REGISTRYINDEX, &K_SPIRAL);       /* args, spiral */
    if (a->name == NULL) {
        luaL_setfuncs(L, a->fns, 0);
        return 0;
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &K_SUBS);         /* .., spiral, subs */
    if (lua_getfield(L, -1, a->name) != LUA_TTABLE) {   /* .., subs, sub */
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, a->name);
        push_proxy(L, -1, READONLY_MSG);                /* .., sub, proxy */
        lua_setfield(L, -4, a->name);
    }
    luaL_setfuncs(L, a->fns, 0);
    return 0;
}

int
sp_engine_register(sp_engine_t *eng, const char *submodule,
                   const luaL_Reg *fns, sp_error_t **err)
{
    struct register_args a;
    int status;

    if (submodule != NULL && *submodule == '\0')
        submodule = NULL;
    if (submodule != NULL) {
        const char *p;

        for (p = submodule; *p != '\0'; p++)
            if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')
                  || (*p >= '0' && *p <= '9') || *p == '_'))
                break;
        if (*p != '\0' || strcmp(submodule, "limits") == 0)
            return sp_error_set(err, eng->pool, SP_EXIT_USAGE, NULL, 0, 0,
                                "invalid spiral submodule name '%s'",
                                submodule);
    }
    if (eng->running)
        return sp_error_set(err, eng->pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "cannot register functions during a run");
    a.name = submodule;
    a.fns = fns;
    lua_settop(eng->L, 0);
    lua_pushcfunction(eng->L, l_register);
    lua_pushlightuserdata(eng->L, &a);
    status = lua_pcall(eng->L, 1, 0, 0);
    if (status != LUA_OK) {
        const char *msg = lua_tostring(eng->L, -1);

        status = sp_error_set(err, eng->pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                              "cannot register spiral.%s: %s",
                              submodule ? submodule : "", msg ? msg : "?");
        lua_settop(eng->L, 0);
        return status;
    }
    return SP_OK;
}
