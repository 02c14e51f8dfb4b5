/*
 * sp_lua.c -- what the binding files of core/lua/ share: installing the
 * whole `spiral` module in an engine (sp_lua_open_all), the per-engine
 * state of the bindings (check mode and the mistakes it collected), and
 * object pools.  The classes themselves are in sp_lua_<class>.c.
 *
 * The state is a C struct in the engine's pool, found from any lua_State
 * through a light userdata in the Lua registry (which, unlike globals,
 * survives from one run to the next).
 */
#include <string.h>
#include "config.h"
#include <apr_strings.h>
#include <apr_tables.h>
#include "sp_lua.h"

typedef struct lua_state_t {
    int check;                    /* 1: `spiral check` */
    apr_array_header_t *errors;   /* const char *, in the engine's pool */
    apr_pool_t *pool;             /* the engine's pool */
    int defs_valid;               /* 0: the per-run registry is stale */
} lua_state_t;

static const char K_STATE = 'S';
static const char K_DEFS = 'D';

static lua_state_t *
state_of(lua_State *L)
{
    lua_state_t *st;

    lua_rawgetp(L, LUA_REGISTRYINDEX, &K_STATE);        /* st */
    st = lua_touserdata(L, -1);
    lua_pop(L, 1);                                      /* */
    return st;
}

/* Protected: store the state pointer in the registry. */
static int
l_setup(lua_State *L)
{
    lua_pushvalue(L, 1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &K_STATE);
    return 0;
}

static int
l_version(lua_State *L)
{
    lua_pushstring(L, PACKAGE_VERSION);
    return 1;
}

int
sp_lua_open_all(sp_engine_t *eng, sp_error_t **err)
{
    static const luaL_Reg root[] = {
        {"version", l_version},
        {NULL, NULL}
    };
    lua_State *L = sp_engine_lua(eng);
    apr_pool_t *pool = sp_engine_pool(eng);
    lua_state_t *st = apr_pcalloc(pool, sizeof *st);
    int rc;

    st->pool = pool;
    st->errors = apr_array_make(pool, 8, sizeof(const char *));
    lua_settop(L, 0);
    lua_pushcfunction(L, l_setup);
    lua_pushlightuserdata(L, st);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
        lua_settop(L, 0);
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "cannot set up the spiral module: out of memory");
    }
    if ((rc = sp_engine_register(eng, NULL, root, err)) != SP_OK
        || (rc = sp_lua_open_data(eng, err)) != SP_OK
        || (rc = sp_lua_open_dataset(eng, err)) != SP_OK
        || (rc = sp_lua_open_def(eng, err)) != SP_OK
        || (rc = sp_lua_open_out(eng, err)) != SP_OK
        || (rc = sp_lua_open_workspace(eng, err)) != SP_OK)
        return rc;
    return SP_OK;
}

void
sp_lua_set_check(sp_engine_t *eng, int on)
{
    lua_state_t *st = state_of(sp_engine_lua(eng));

    if (st != NULL)
        st->check = on != 0;
}

const char *const *
sp_lua_check_errors(sp_engine_t *eng, size_t *count)
{
    lua_state_t *st = state_of(sp_engine_lua(eng));

    *count = st ? (size_t)st->errors->nelts : 0;
    return st ? (const char *const *)st->errors->elts : NULL;
}

void
sp_lua_check_reset(sp_engine_t *eng)
{
    lua_state_t *st = state_of(sp_engine_lua(eng));

    if (st != NULL)
        apr_array_clear(st->errors);
}

int
sp_lua_in_check(lua_State *L)
{
    lua_state_t *st = state_of(L);

    return st != NULL && st->check;
}

void
sp_lua_refuse_in_check(lua_State *L, const char *what)
{
    if (sp_lua_in_check(L))
        luaL_error(L, "%s: " SP_LUA_CHECK_REFUSED, what);
}

void
sp_lua_check_add(lua_State *L, const char *where, const char *message)
{
    lua_state_t *st = state_of(L);

    if (st == NULL)
        return;
    APR_ARRAY_PUSH(st->errors, const char *) =
        apr_pstrcat(st->pool, where, message, NULL);
}

apr_pool_t *
sp_lua_object_pool(lua_State *L)
{
    apr_pool_t *p = NULL;

    apr_pool_create(&p, sp_engine_pool(sp_engine_from_lua(L)));
    return p;
}

void
sp_lua_class(lua_State *L, const char *tname, const luaL_Reg *meta, const luaL_Reg *methods)
{
    if (luaL_newmetatable(L, tname)) {                  /* mt */
        luaL_setfuncs(L, meta, 0);
        lua_newtable(L);                                /* mt, methods */
        luaL_setfuncs(L, methods, 0);
        lua_setfield(L, -2, "__index");                 /* mt */
        lua_pushliteral(L, "locked");
        lua_setfield(L, -2, "__metatable");
    }
}

void
sp_lua_push_result(lua_State *L, const char *tname, const luaL_Reg *meta,
                   const luaL_Reg *methods, void *obj, const char *notes, apr_pool_t *pool)
{
    sp_lua_result_t *u = lua_newuserdatauv(L, sizeof *u, 0);    /* u */

    u->pool = pool;
    u->obj = obj;
    u->notes = notes;
    sp_lua_class(L, tname, meta, methods);              /* u, mt */
    lua_setmetatable(L, -2);                            /* u */
}

sp_lua_result_t *
sp_lua_check_result(lua_State *L, int idx, const char *tname, const char *closed)
{
    sp_lua_result_t *u = luaL_checkudata(L, idx, tname);

    if (u->pool == NULL)
        luaL_error(L, "%s", closed);
    return u;
}

int
sp_lua_close_result(lua_State *L, const char *tname)
{
    sp_lua_result_t *u = luaL_checkudata(L, 1, tname);

    if (u->pool != NULL) {
        apr_pool_destroy(u->pool);
        u->pool = NULL;
    }
    return 0;
}

void
sp_lua_set_number(lua_State *L, const char *field, double v)
{
    if (v == v) {
        lua_pushnumber(L, v);                           /* t, v */
        lua_setfield(L, -2, field);                     /* t */
    }
}

static apr_status_t
defs_stale(void *data)
{
    ((lua_state_t *)data)->defs_valid = 0;
    return APR_SUCCESS;
}

void
sp_lua_push_defs(lua_State *L)
{
    lua_state_t *st = state_of(L);
    apr_pool_t *run = sp_engine_run_pool(sp_engine_from_lua(L));

    if (st != NULL && st->defs_valid
        && lua_rawgetp(L, LUA_REGISTRYINDEX, &K_DEFS) == LUA_TTABLE)
        return;
    if (st != NULL && st->defs_valid)
        lua_pop(L, 1);
    lua_newtable(L);                                    /* defs */
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &K_DEFS);
    if (st != NULL && run != NULL) {
        st->defs_valid = 1;
        apr_pool_cleanup_register(run, st, defs_stale, apr_pool_cleanup_null);
    }
}
