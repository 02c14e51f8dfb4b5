/*
 * sp_plugin.c -- the plugin loader (see sp_plugin.h) and the host services
 * plugins receive (spiral_host_t).
 *
 * Loading is APR's DSO layer: apr_dso_load, apr_dso_sym for the one entry
 * symbol, and the pool cleanup APR registers, which unloads the object.
 * Every check a refusal depends on reads only the members ABI 1 promises
 * to keep in place: abi_version first, and nothing else unless it matches.
 * Per engine, the module tables plugins return are cached in the Lua
 * registry under a key of this file, so that open() runs once per engine
 * whether the plugin was loaded from C (sp_plugin_load, between runs) or
 * from a script (spiral.plugin.load, during one); scripts get a fresh copy
 * of the table, so one run cannot change what the next one sees.
 */
#include <stdlib.h>
#include <string.h>
#include <apr_dso.h>
#include <apr_file_info.h>
#include <apr_strings.h>
#include <lauxlib.h>
#include "spiral.h"
#include "sp_plugin.h"
#include "sp_text.h"

#ifndef SP_PKGLIBDIR
#define SP_PKGLIBDIR "/usr/local/lib/spiral"
#endif

#define NAME_MAX_LEN 64

struct sp_plugin_t {
    apr_dso_handle_t *dso;
    const spiral_plugin_t *info;
    const char *name;   /* the plugin's name (its file's stem) */
    const char *file;
};

static char K_PLUGINS = 0;      /* registry: name -> module table */
static char *configured_dirs;   /* sp_plugin_set_path; malloc'ed */

/* ---- the host services -------------------------------------------------- */

static apr_pool_t *
lua_pool(lua_State *L)
{
    sp_engine_t *eng = sp_engine_from_lua(L);
    apr_pool_t *pool = sp_engine_run_pool(eng);

    return pool != NULL ? pool : sp_engine_pool(eng);
}

static const char *
host_output_path(lua_State *L, const char *name, const char **errmsg)
{
    apr_pool_t *pool = lua_pool(L);
    sp_error_t *e = NULL;
    const char *path = NULL;

    if (sp_engine_resolve_path(sp_engine_from_lua(L), name, 1, pool, &path,
                               &e) != SP_OK) {
        *errmsg = e == NULL ? "cannot write there"
            : e->file != NULL ? apr_psprintf(pool, "%s: %s", e->file,
                                             e->message)
            : e->message;
        return NULL;
    }
    return path;
}

static int
host_check_tables(lua_State *L, int idx, const spiral_table_t *const **tables,
                  size_t *count, const char **errmsg)
{
    sp_error_t *e = NULL;

    if (sp_table_from_lua(L, idx, tables, count, lua_pool(L), &e) != SP_OK) {
        *errmsg = e != NULL ? e->message : "not a result table";
        return 0;
    }
    return 1;
}

static int
host_text_width(const char *utf8)
{
    return sp_text_width(utf8);
}

static spiral_host_t host = {
    SPIRAL_PLUGIN_ABI, sizeof(spiral_host_t), NULL,
    host_output_path, host_check_tables, host_text_width
};

const spiral_host_t *
sp_plugin_host(void)
{
    if (host.spiral_version == NULL)
        host.spiral_version = sp_version();
    return &host;
}

/* ---- finding and loading ------------------------------------------------ */

void
sp_plugin_set_path(const char *dirs)
{
    free(configured_dirs);
    configured_dirs = dirs != NULL ? strdup(dirs) : NULL;
}

const char *
sp_plugin_path(apr_pool_t *pool)
{
    const char *env = getenv(SP_PLUGIN_PATH_ENV);
    const char *parts[3] = { env, configured_dirs, SP_PKGLIBDIR };
    const char *out = "";
    int i;

    for (i = 0; i < 3; i++) {
        char *copy, *dir, *last = NULL;

        if (parts[i] == NULL)
            continue;
        copy = apr_pstrdup(pool, parts[i]);
        for (dir = apr_strtok(copy, ":", &last); dir != NULL;
             dir = apr_strtok(NULL, ":", &last))
            out = *out ? apr_pstrcat(pool, out, ":", dir, NULL) : dir;
    }
    return out;
}

static int
valid_name(const char *name)
{
    const char *p;

    for (p = name; *p != '\0'; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')
              || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return p != name && p - name <= NAME_MAX_LEN;
}

static int
is_file(const char *path, apr_pool_t *pool)
{
    apr_finfo_t fi;

    return apr_stat(&fi, path, APR_FINFO_TYPE, pool) == APR_SUCCESS
        && fi.filetype == APR_REG;
}

/* The stem of a plugin file: "dir/xlsx.so" -> "xlsx". */
static const char *
stem(const char *path, apr_pool_t *pool)
{
    const char *base = strrchr(path, '/');
    size_t n, sn = strlen(SP_PLUGIN_SUFFIX);

    base = base ? base + 1 : path;
    n = strlen(base);
    if (n > sn && strcmp(base + n - sn, SP_PLUGIN_SUFFIX) == 0)
        n -= sn;
    return apr_pstrndup(pool, base, n);
}

/* Find the file of name_or_path; *name receives the plugin name. */
static int
find(const char *name_or_path, const char **file, const char **name,
     apr_pool_t *pool, sp_error_t **err)
{
    const char *dirs;
    char *copy, *dir, *last = NULL;

    if (strchr(name_or_path, '/') != NULL) {
        *name = stem(name_or_path, pool);
        if (!is_file(name_or_path, pool))
            return sp_error_set(err, pool, SP_EXIT_NOINPUT, NULL, 0, 0,
                                "no plugin file '%s'", name_or_path);
        *file = name_or_path;
        return SP_OK;
    }
    if (!valid_name(name_or_path))
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                            "invalid plugin name '%s': plugin names are "
                            "letters, digits and '_' (at most %d)",
                            name_or_path, NAME_MAX_LEN);
    *name = name_or_path;
    dirs = sp_plugin_path(pool);
    copy = apr_pstrdup(pool, dirs);
    for (dir = apr_strtok(copy, ":", &last); dir != NULL;
         dir = apr_strtok(NULL, ":", &last)) {
        const char *f = apr_pstrcat(pool, dir, "/", name_or_path,
                                    SP_PLUGIN_SUFFIX, NULL);

        if (is_file(f, pool)) {
            *file = f;
            return SP_OK;
        }
    }
    return sp_error_set(err, pool, SP_EXIT_NOINPUT, NULL, 0, 0,
                        "no plugin '%s' in %s", name_or_path, dirs);
}

/* Load and check; the object lives in dso_pool, *err in pool. */
static int
open_in(sp_plugin_t **out, const char *name_or_path, apr_pool_t *dso_pool,
        apr_pool_t *pool, sp_error_t **err)
{
    const char *file = NULL, *name = NULL;
    apr_dso_handle_t *dso = NULL;
    apr_dso_handle_sym_t sym = NULL;
    const spiral_plugin_t *info;
    sp_plugin_t *p;
    char buf[512];
    int rc;

    if ((rc = find(name_or_path, &file, &name, pool, err)) != SP_OK)
        return rc;
    if (apr_dso_load(&dso, file, dso_pool) != APR_SUCCESS) {
        rc = sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                          "cannot load plugin '%s' (%s): %s", name, file,
                          dso ? apr_dso_error(dso, buf, sizeof buf)
                              : "unknown error");
        return rc;
    }
    if (apr_dso_sym(&sym, dso, SPIRAL_PLUGIN_ENTRY_SYMBOL) != APR_SUCCESS
        || sym == NULL) {
        rc = sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                          "plugin '%s' (%s) does not export %s: it is not "
                          "a spiral plugin", name, file,
                          SPIRAL_PLUGIN_ENTRY_SYMBOL);
        goto refuse;
    }
    info = (const spiral_plugin_t *)sym;
    if (info->abi_version != SPIRAL_PLUGIN_ABI) {
        rc = sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                          "plugin '%s' was built for ABI %u, this spiral "
                          "speaks ABI %d; rebuild it", name,
                          info->abi_version, SPIRAL_PLUGIN_ABI);
        goto refuse;
    }
    if (info->lua_version != LUA_VERSION_NUM) {
        rc = sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                          "plugin '%s' was built for Lua %u, this spiral "
                          "uses Lua %d; rebuild it", name, info->lua_version,
                          LUA_VERSION_NUM);
        goto refuse;
    }
    if (info->name == NULL || strcmp(info->name, name) != 0) {
        rc = sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                          "plugin file %s calls itself '%s': a plugin's "
                          "name must be its file's name", file,
                          info->name ? info->name : "(null)");
        goto refuse;
    }
    if (info->open == NULL) {
        rc = sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                          "plugin '%s' (%s) has no open function", name,
                          file);
        goto refuse;
    }
    p = apr_pcalloc(dso_pool, sizeof *p);
    p->dso = dso;
    p->info = info;
    p->name = apr_pstrdup(dso_pool, name);
    p->file = apr_pstrdup(dso_pool, file);
    *out = p;
    return SP_OK;

refuse:
    /* Nothing of the plugin has run: unload it now. */
    apr_dso_unload(dso);
    return rc;
}

int
sp_plugin_open(sp_plugin_t **out, const char *name_or_path, apr_pool_t *pool,
               sp_error_t **err)
{
    return open_in(out, name_or_path, pool, pool, err);
}

const spiral_plugin_t *
sp_plugin_info(const sp_plugin_t *p)
{
    return p->info;
}

const char *
sp_plugin_file(const sp_plugin_t *p)
{
    return p->file;
}

int
sp_plugin_write(const sp_plugin_t *p, const char *path,
                const sp_table_t *const *tables, size_t ntables,
                apr_pool_t *pool, sp_error_t **err)
{
    char buf[512] = "";

    if (p->info->write == NULL)
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                            "plugin '%s' does not write files", p->name);
    if (p->info->write(path, tables, ntables, buf, sizeof buf) != 0) {
        buf[sizeof buf - 1] = '\0';
        return sp_error_set(err, pool, SP_EXIT_CANTCREAT, path, 0, 0, "%s",
                            buf[0] ? buf : "the plugin could not write it");
    }
    return SP_OK;
}

/* ---- opening on an engine ----------------------------------------------- */

/* Push the cached module table of name (or nil); returns its type. */
static int
cached(lua_State *L, const char *name)
{
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &K_PLUGINS) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_pushnil(L);
        return LUA_TNIL;
    }
    lua_getfield(L, -1, name);                          /* cache, module */
    lua_remove(L, -2);                                  /* module */
    return lua_type(L, -1);
}

/* Call open() and check and cache what it returns: leaves the module table
 * on the stack.  Raises Lua errors. */
static void
open_module(lua_State *L, const sp_plugin_t *p)
{
    int base = lua_gettop(L), n;

    n = p->info->open(L, sp_plugin_host());
    if (n != 1 || lua_gettop(L) != base + 1 || !lua_istable(L, -1))
        luaL_error(L, "plugin '%s': open() must push one table and return 1",
                   p->name);
    lua_pushnil(L);                                     /* module, key */
    while (lua_next(L, -2) != 0) {                      /* module, key, value */
        if (lua_type(L, -2) != LUA_TSTRING
            || !valid_name(lua_tostring(L, -2)))
            luaL_error(L, "plugin '%s': its table may only have names as "
                       "keys", p->name);
        if (!lua_iscfunction(L, -1))
            luaL_error(L, "plugin '%s': field '%s' is not a C function",
                       p->name, lua_tostring(L, -2));
        if (lua_getupvalue(L, -1, 1) != NULL)
            luaL_error(L, "plugin '%s': function '%s' has upvalues, which "
                       "the host cannot keep", p->name, lua_tostring(L, -3));
        lua_pop(L, 1);                                  /* module, key */
    }
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &K_PLUGINS) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);                                /* module, cache */
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &K_PLUGINS);
    }
    lua_pushvalue(L, -2);                               /* module, cache, module */
    lua_setfield(L, -2, p->name);
    lua_pop(L, 1);                                      /* module */
}

static int
l_open_module(lua_State *L)
{
    const sp_plugin_t *p = lua_touserdata(L, 1);

    lua_settop(L, 0);
    open_module(L, p);
    return 1;
}

int
sp_plugin_load(sp_engine_t *eng, const char *name_or_path, apr_pool_t *pool,
               sp_error_t **err)
{
    lua_State *L = sp_engine_lua(eng);
    const char *name = NULL, *file = NULL;
    sp_error_t *e = NULL;
    luaL_Reg *regs;
    size_t n = 0;
    int rc;

    /* The name the cache knows it by. */
    if ((rc = find(name_or_path, &file, &name, pool, err)) != SP_OK)
        return rc;
    lua_settop(L, 0);
    if (cached(L, name) != LUA_TTABLE) {
        apr_pool_t *sub;
        sp_plugin_t *p;

        lua_pop(L, 1);
        apr_pool_create(&sub, sp_engine_pool(eng));
        if ((rc = open_in(&p, file, sub, pool, err)) != SP_OK) {
            apr_pool_destroy(sub);
            return rc;
        }
        lua_pushcfunction(L, l_open_module);
        lua_pushlightuserdata(L, p);
        if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
            const char *msg = lua_tostring(L, -1);

            /* The plugin ran: it stays loaded, since Lua may hold some of
             * its code (a finalizer...), until the engine goes. */
            rc = sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                              "cannot open plugin '%s': %s", name,
                              msg ? msg : "?");
            lua_settop(L, 0);
            return rc;
        }
    }
    lua_pushnil(L);                                     /* module, key */
    while (lua_next(L, 1) != 0) {
        n++;
        lua_pop(L, 1);
    }
    regs = apr_pcalloc(pool, (n + 1) * sizeof *regs);
    n = 0;
    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {                       /* module, key, fn */
        regs[n].name = apr_pstrdup(pool, lua_tostring(L, -2));
        regs[n].func = lua_tocfunction(L, -1);
        n++;
        lua_pop(L, 1);
    }
    lua_settop(L, 0);
    rc = sp_engine_register(eng, name, regs, &e);
    if (rc != SP_OK)
        return sp_error_set(err, pool, rc, NULL, 0, 0, "plugin '%s': %s",
                            name, e ? e->message : "cannot register");
    return SP_OK;
}

/* Push a shallow copy of the table at idx. */
static void
push_copy(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_newtable(L);                                    /* copy */
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {                     /* copy, key, value */
        lua_pushvalue(L, -2);
        lua_insert(L, -2);                              /* copy, key, key, value */
        lua_rawset(L, -4);                              /* copy, key */
    }
}

int
sp_plugin_push_module(lua_State *L, const char *name)
{
    sp_engine_t *eng = sp_engine_from_lua(L);
    sp_error_t *e = NULL;
    apr_pool_t *sub;
    sp_plugin_t *p;

    if (!valid_name(name))
        return luaL_error(L, "invalid plugin name '%s': give a name made of "
                          "letters, digits and '_', not a path", name);
    if (cached(L, name) != LUA_TTABLE) {                /* cached */
        lua_pop(L, 1);
        apr_pool_create(&sub, sp_engine_pool(eng));
        if (open_in(&p, name, sub, lua_pool(L), &e) != SP_OK) {
            apr_pool_destroy(sub);
            lua_pushnil(L);
            lua_pushstring(L, e ? e->message : "cannot load the plugin");
            return 2;
        }
        open_module(L, p);                              /* module */
    }
    push_copy(L, -1);                                   /* module, copy */
    lua_remove(L, -2);
    return 1;
}
