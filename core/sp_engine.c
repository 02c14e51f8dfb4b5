/*
 * sp_engine.c -- the Lua state, its allocator, limits and sandbox, and
 * running one script as one transaction (see sp_engine.h).
 *
 * The lua_State lives as long as the engine; what a script can reach is
 * rebuilt for every run.  At creation the standard libraries are opened
 * into registry tables scripts never see, the string metatable is locked,
 * and the `spiral` module is built as real tables kept in the registry plus
 * read-only proxies handed to scripts.  A run then makes a fresh global
 * table from an allow-list (base functions, wrapped load/print/require/...,
 * copies of string/table/math/utf8/coroutine and four os functions), loads
 * the script as text, and calls it under a message handler that records
 * the failing location and a traceback.  Limits: the allocator counts bytes
 * and refuses growth past the memory limit; a count hook checks the
 * instruction budget and the wall clock and, once a limit fired, re-arms
 * itself on every line and instruction (Redis's script_lua.c) so a pcall
 * inside the script cannot swallow the stop.  The places where a limit
 * fired are recorded without allocating, since memory may be exhausted.
 * sp_limits.h's functions live at the end of this file.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <apr_strings.h>
#include <lualib.h>
#include "sp_engine.h"

#define HOOK_EVERY 10000          /* instructions between two limit checks */
#define REPORT_SLACK (1 << 20)    /* bytes granted to the message handler */
#define TRACE_LEVELS 12           /* frames in a traceback built without Lua */

enum { STOP_NONE, STOP_INSTRUCTIONS, STOP_TIME, STOP_MEMORY };

/* A script location recorded without allocating (from the hook and from
 * the allocator, when memory may be exhausted). */
typedef struct where_t {
    int set;
    long line;
    char file[512];
    char trace[2048];
} where_t;

struct sp_engine_t {
    apr_pool_t *pool;
    apr_pool_t *run_pool;         /* the current run; NULL between runs */
    lua_State *L;
    sp_limits_t limits;
    const char **roots;           /* script roots, NULL-terminated */
    const char *input_dir;
    const char *output_dir;
    sp_store_t *store;
    sp_engine_output_fn *output;
    void *output_baton;

    /* allocator */
    size_t used;                  /* bytes the Lua state holds */
    size_t slack;                 /* extra bytes while reporting an error */
    int capped;                   /* enforce the memory limit (during runs) */
    int mem_hit;                  /* a growth was refused for good */
    int pending;                  /* a growth was refused; Lua may retry it */
    const void *ref_ptr;          /* the refused request, to spot the retry */
    size_t ref_osize, ref_nsize;
    where_t mem_where;

    /* the current run */
    int running;
    int stop;                     /* STOP_* once a limit fired */
    char stop_msg[128];
    where_t stop_where;
    long long instructions;
    int hook_count;
    struct timespec start;
    int load_status;              /* lua_load's status when loading failed */
    const char *err_msg;          /* what the message handler saw (run pool) */
    const char *err_trace;
    const char *err_file;
    long err_line;
};

/* Registry keys (their addresses are unique). */
static char K_LIBS = 0;       /* name -> pristine library table */
static char K_BASE = 0;       /* global name -> value, for every run */
static char K_PROTECTED = 0;  /* weak set of read-only proxies */
static char K_SPIRAL = 0;     /* the real spiral table */
static char K_SPIRAL_PROXY = 0;
static char K_SUBS = 0;       /* submodule name -> real table */
static char K_LIMITS = 0;     /* the real spiral.limits table */
static char K_ENV = 0;        /* the global table of this run */
static char K_LOADED = 0;     /* modules required in this run */
static char K_LOADING = 0;    /* sentinel for a module being loaded */

static const char READONLY_MSG[] = "spiral module is read-only";

/* ---------------------------------------------------------------------- */
/* Locations without allocating */

static void
where_clear(where_t *w)
{
    w->set = 0;
    w->line = 0;
    w->file[0] = '\0';
    w->trace[0] = '\0';
}

static const char *
source_name(const lua_Debug *ar)
{
    if (ar->source[0] == '@' || ar->source[0] == '=')
        return ar->source + 1;
    return ar->short_src;
}

/* Record in *w the first Lua frame of L with a line, and a short
 * traceback.  Uses only lua_getstack/lua_getinfo("Sl"), which do not
 * allocate, so it is safe from the allocator and from hooks. */
static void
locate(lua_State *L, where_t *w)
{
    lua_Debug ar;
    size_t n;
    int level;

    where_clear(w);
    w->set = 1;
    n = (size_t)snprintf(w->trace, sizeof w->trace, "stack traceback:");
    for (level = 0; level < TRACE_LEVELS && lua_getstack(L, level, &ar);
         level++) {
        int k;

        lua_getinfo(L, "Sl", &ar);
        if (w->line == 0 && ar.currentline > 0) {
            snprintf(w->file, sizeof w->file, "%s", source_name(&ar));
            w->line = ar.currentline;
        }
        if (n >= sizeof w->trace)
            continue;
        if (*ar.what == 'C')
            k = snprintf(w->trace + n, sizeof w->trace - n, "\n\t[C]: in ?");
        else if (*ar.what == 'm')
            k = snprintf(w->trace + n, sizeof w->trace - n,
                         "\n\t%s:%d: in main chunk", ar.short_src,
                         ar.currentline);
        else
            k = snprintf(w->trace + n, sizeof w->trace - n,
                         "\n\t%s:%d: in function <%s:%d>", ar.short_src,
                         ar.currentline, ar.short_src, ar.linedefined);
        if (k > 0)
            n += (size_t)k;
    }
}

/* ---------------------------------------------------------------------- */
/* The allocator */

/* A growth is refused.  Lua answers a first refusal with an emergency
 * collection and the very same request; only when that retry fails too,
 * or when Lua raises without retrying, has the script hit the limit. */
static void
refuse(sp_engine_t *eng, const void *ptr, size_t osize, size_t nsize)
{
    if (eng->pending && eng->ref_ptr == ptr && eng->ref_osize == osize
        && eng->ref_nsize == nsize) {
        eng->pending = 0;
        eng->mem_hit = 1;
        return;
    }
    if (eng->pending)
        eng->mem_hit = 1;       /* the previous refusal was not retried */
    if (!eng->mem_hit && eng->L != NULL && eng->running)
        locate(eng->L, &eng->mem_where);
    eng->pending = 1;
    eng->ref_ptr = ptr;
    eng->ref_osize = osize;
    eng->ref_nsize = nsize;
}

static void *
lalloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    sp_engine_t *eng = ud;
    void *p;

    if (ptr == NULL)
        osize = 0;              /* osize is then a type tag */
    if (nsize == 0) {
        free(ptr);
        eng->used -= osize;
        return NULL;
    }
    if (nsize > osize && eng->capped) {
        long long cap = eng->limits.value[SP_LIMIT_MEMORY];
        size_t grow = nsize - osize;

        if (cap > 0 && (eng->used + grow < eng->used
                        || eng->used + grow > (size_t)cap + eng->slack)) {
            refuse(eng, ptr, osize, nsize);
            return NULL;
        }
    }
    p = realloc(ptr, nsize);
    if (p == NULL)
        return NULL;            /* a real shortage: Lua raises */
    if (nsize > osize && eng->pending) {
        if (eng->ref_ptr == ptr && eng->ref_osize == osize
            && eng->ref_nsize == nsize)
            eng->pending = 0;   /* the retry after a collection fit */
        else {
            eng->pending = 0;   /* Lua raised instead of retrying */
            eng->mem_hit = 1;
        }
    }
    eng->used = eng->used - osize + nsize;
    return p;
}

static int
memory_hit(const sp_engine_t *eng)
{
    return eng->mem_hit || eng->pending;
}

static int
panic(lua_State *L)
{
    const char *msg = lua_tostring(L, -1);

    fprintf(stderr, "spiral: unprotected error in Lua: %s\n",
            msg ? msg : "(not a string)");
    abort();
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Limits enforced by the hook */

static double
elapsed(const sp_engine_t *eng)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - eng->start.tv_sec)
        + (double)(now.tv_nsec - eng->start.tv_nsec) / 1e9;
}

static void
hook(lua_State *L, lua_Debug *ar)
{
    sp_engine_t *eng = sp_engine_from_lua(L);

    if (eng->stop == STOP_NONE) {
        long long maxi = eng->limits.value[SP_LIMIT_INSTRUCTIONS];
        long long maxs = eng->limits.value[SP_LIMIT_SECONDS];

        if (ar->event == LUA_HOOKCOUNT)
            eng->instructions += eng->hook_count;
        if (memory_hit(eng)) {
            eng->stop = STOP_MEMORY;
            snprintf(eng->stop_msg, sizeof eng->stop_msg,
                     "memory limit exceeded (%lld bytes)",
                     eng->limits.value[SP_LIMIT_MEMORY]);
        } else if (maxi > 0 && eng->instructions >= maxi) {
            eng->stop = STOP_INSTRUCTIONS;
            snprintf(eng->stop_msg, sizeof eng->stop_msg,
                     "instruction budget exceeded (%lld instructions)", maxi);
        } else if (maxs > 0 && elapsed(eng) >= (double)maxs) {
            eng->stop = STOP_TIME;
            snprintf(eng->stop_msg, sizeof eng->stop_msg,
                     "time limit exceeded (%lld s)", maxs);
        } else {
            return;
        }
        locate(L, &eng->stop_where);
    }
    /* From now on every instruction of every function raises again. */
    lua_sethook(L, hook, LUA_MASKCOUNT | LUA_MASKLINE, 1);
    lua_getinfo(L, "Sl", ar);
    lua_pushfstring(L, "%s:%d: %s", ar->short_src, ar->currentline,
                    eng->stop_msg);
    lua_error(L);
}

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
/* require */

static int
valid_module_name(const char *name)
{
    const char *p;

    if (*name == '\0' || *name == '.' || strlen(name) > 200)
        return 0;
    for (p = name; *p != '\0'; p++) {
        if (*p == '.') {
            if (p[1] == '.' || p[1] == '\0')
                return 0;
        } else if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')
                     || (*p >= '0' && *p <= '9') || *p == '_')) {
            return 0;
        }
    }
    return 1;
}

/* Is path (absolute, resolved) root itself or inside it? */
static int
within(const char *root, const char *path)
{
    size_t n = strlen(root);

    if (n > 0 && root[n - 1] == '/')
        n--;
    return strncmp(path, root, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* realpath into pool, or NULL. */
static const char *
resolve(const char *path, apr_pool_t *pool)
{
    char *r = realpath(path, NULL);
    const char *copy;

    if (r == NULL)
        return NULL;
    copy = apr_pstrdup(pool, r);
    free(r);
    return copy;
}

/* Find module name in the roots; *outside is set when a candidate exists
 * but resolves outside its root (a symbolic link escaping it). */
static const char *
find_module(sp_engine_t *eng, const char *name, int *outside)
{
    char *rel = apr_pstrcat(eng->run_pool, name, ".lua", NULL);
    char *p;
    int i;

    for (p = rel; p[4] != '\0'; p++)    /* keep the ".lua" */
        if (*p == '.')
            *p = '/';
    *outside = 0;
    for (i = 0; eng->roots[i] != NULL; i++) {
        const char *path = apr_pstrcat(eng->run_pool, eng->roots[i], "/",
                                       rel, NULL);
        const char *real = resolve(path, eng->run_pool);
        struct stat st;

        if (real == NULL)
            continue;
        if (!within(eng->roots[i], real)) {
            *outside = 1;
            continue;
        }
        if (stat(real, &st) == 0 && S_ISREG(st.st_mode))
            return real;
    }
    return NULL;
}

static int
l_require(lua_State *L)
{
    sp_engine_t *eng = sp_engine_from_lua(L);
    const char *name = luaL_checkstring(L, 1);
    const char *path;
    int outside;

    lua_settop(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &K_LOADED);       /* name, loaded */
    if (lua_getfield(L, 2, name) != LUA_TNIL) {         /* name, loaded, v */
        if (lua_touserdata(L, -1) == &K_LOADING)
            return luaL_error(L, "require: module '%s' requires itself "
                              "(a loop of require calls)", name);
        return 1;
    }
    lua_pop(L, 1);
    if (!valid_module_name(name))
        return luaL_error(L, "require: invalid module name '%s' (letters, "
                          "digits, '_' and single dots only)", name);
    if (strncmp(name, "spiral.", 7) == 0) {
        lua_rawgetp(L, LUA_REGISTRYINDEX, &K_SPIRAL);
        if (lua_getfield(L, -1, name + 7) == LUA_TTABLE) {
            lua_pushvalue(L, -1);
            lua_setfield(L, 2, name);
            return 1;
        }
        lua_pop(L, 2);
    }
    path = find_module(eng, name, &outside);
    if (path == NULL)
        return luaL_error(L, "require: module '%s' not found in the script "
                          "roots%s", name,
                          outside ? " (a candidate leads outside them)" : "");
    lua_pushlightuserdata(L, (void *)&K_LOADING);
    lua_setfield(L, 2, name);
    if (luaL_loadfilex(L, path, "t") != LUA_OK) {       /* name, loaded, msg */
        lua_pushnil(L);
        lua_setfield(L, 2, name);
        return lua_error(L);
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &K_ENV);          /* .., chunk, env */
    if (lua_setupvalue(L, -2, 1) == NULL)
        lua_pop(L, 1);
    lua_pushvalue(L, 1);
    lua_pushstring(L, path);
    lua_call(L, 2, 1);                                  /* name, loaded, mod */
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, 2, name);
    lua_pushstring(L, path);
    return 2;
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
 * metatable, build the base allow-list and the spiral module. */
static int
l_init(lua_State *L)
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
    lua_pushcfunction(L, l_require);
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

struct run_args {
    const char *path;           /* run a file, or */
    const char *code;           /* run this text */
    size_t len;
    const char *name;           /* chunk name of code; arg[0] */
    int argc;
    const char **argv;
};

/* Build this run's globals, module cache and spiral.limits.  [-0, +0] */
static void
prepare(lua_State *L, sp_engine_t *eng, const struct run_args *a)
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

/* Message handler: record where the error happened (the first Lua frame
 * with a line) and the traceback, and return "message\ntraceback". */
static int
l_msgh(lua_State *L)
{
    sp_engine_t *eng = sp_engine_from_lua(L);
    const char *msg;
    const char *trace;
    lua_Debug ar;
    int level;

    if (memory_hit(eng))
        eng->slack = REPORT_SLACK;      /* room to build the report */
    msg = lua_tostring(L, 1);
    if (msg == NULL)
        msg = lua_pushfstring(L, "(error object is a %s value)",
                              luaL_typename(L, 1));
    eng->err_file = NULL;
    eng->err_line = 0;
    for (level = 1; lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0) {
            size_t plen;
            const char *prefix = lua_pushfstring(L, "%s:%d: ", ar.short_src,
                                                 ar.currentline);

            plen = strlen(prefix);
            if (strncmp(msg, prefix, plen) == 0)
                msg += plen;
            lua_pop(L, 1);
            eng->err_file = apr_pstrdup(eng->run_pool, source_name(&ar));
            eng->err_line = ar.currentline;
            break;
        }
    }
    luaL_traceback(L, L, NULL, 1);
    trace = lua_tostring(L, -1);
    eng->err_msg = apr_pstrdup(eng->run_pool, msg);
    eng->err_trace = apr_pstrdup(eng->run_pool, trace);
    lua_pushfstring(L, "%s\n%s", msg, trace);
    return 1;
}

/* Protected: prepare the run, load the chunk as text and call it. */
static int
l_run(lua_State *L)
{
    sp_engine_t *eng = sp_engine_from_lua(L);
    const struct run_args *a = lua_touserdata(L, 1);
    long long maxi = eng->limits.value[SP_LIMIT_INSTRUCTIONS];
    int status, i;

    lua_settop(L, 0);
    prepare(L, eng, a);
    eng->capped = 1;
    clock_gettime(CLOCK_MONOTONIC, &eng->start);
    if (a->path != NULL)
        status = luaL_loadfilex(L, a->path, "t");
    else
        status = luaL_loadbufferx(L, a->code, a->len, a->name, "t");
    if (status != LUA_OK) {
        eng->load_status = status;
        return lua_error(L);
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &K_ENV);          /* chunk, env */
    if (lua_setupvalue(L, -2, 1) == NULL)
        lua_pop(L, 1);
    luaL_checkstack(L, a->argc + 1, "too many script arguments");
    for (i = 0; i < a->argc; i++)
        lua_pushstring(L, a->argv[i]);
    eng->hook_count = HOOK_EVERY;
    if (maxi > 0 && maxi < HOOK_EVERY)
        eng->hook_count = (int)maxi;
    lua_sethook(L, hook, LUA_MASKCOUNT, eng->hook_count);
    lua_call(L, a->argc, 0);
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Reporting the outcome of a run */

/* "chunk:LINE: message" -> line and the message after it (for syntax
 * errors, which have no frame). */
static const char *
split_location(const char *msg, long *line)
{
    const char *p;

    for (p = msg; (p = strchr(p, ':')) != NULL; p++) {
        const char *q = p + 1;
        long n = 0;

        if (*q < '0' || *q > '9')
            continue;
        while (*q >= '0' && *q <= '9')
            n = n * 10 + (*q++ - '0');
        if (q[0] == ':' && q[1] == ' ') {
            *line = n;
            return q + 2;
        }
    }
    *line = 0;
    return msg;
}

static int
report(sp_engine_t *eng, const struct run_args *a, int lstatus,
       sp_error_t **err)
{
    const char *chunk = a->path != NULL ? a->path
        : (a->name[0] == '=' || a->name[0] == '@') ? a->name + 1 : a->name;
    const where_t *w = NULL;
    const char *msg, *trace;
    long line;

    if (memory_hit(eng) || (lstatus == LUA_ERRMEM
                            && eng->limits.value[SP_LIMIT_MEMORY] > 0)) {
        snprintf(eng->stop_msg, sizeof eng->stop_msg,
                 "memory limit exceeded (%lld bytes)",
                 eng->limits.value[SP_LIMIT_MEMORY]);
        w = &eng->mem_where;
    } else if (eng->stop != STOP_NONE) {
        w = &eng->stop_where;
    }
    if (w != NULL) {
        /* A limit: report where it fired, even if the script caught it. */
        const char *file = w->line > 0 ? w->file : eng->err_file;

        line = w->line > 0 ? w->line : eng->err_line;
        trace = w->set ? w->trace : eng->err_trace;
        if (eng->err_trace != NULL && eng->err_file != NULL && file != NULL
            && eng->err_line == line && strcmp(eng->err_file, file) == 0)
            trace = eng->err_trace;     /* the full one, same place */
        return sp_error_set(err, eng->pool, SP_EXIT_SCRIPT,
                            file != NULL ? file : chunk, line, 0, "%s\n%s",
                            eng->stop_msg, trace ? trace : "stack traceback:");
    }
    if (lstatus == LUA_OK)
        return SP_OK;
    if (eng->load_status == LUA_ERRFILE)
        return sp_error_set(err, eng->pool, SP_EXIT_NOINPUT, a->path, 0, 0,
                            "%s", eng->err_msg ? eng->err_msg
                            : "cannot read the script");
    if (eng->err_msg == NULL) {         /* no handler ran (ERRMEM, ERRERR) */
        msg = lua_tostring(eng->L, -1);
        return sp_error_set(err, eng->pool, SP_EXIT_SCRIPT, chunk, 0, 0,
                            "%s\nstack traceback:", msg ? msg : "error");
    }
    if (eng->err_file != NULL)
        return sp_error_set(err, eng->pool, SP_EXIT_SCRIPT, eng->err_file,
                            eng->err_line, 0, "%s\n%s", eng->err_msg,
                            eng->err_trace);
    msg = split_location(eng->err_msg, &line);
    return sp_error_set(err, eng->pool, SP_EXIT_SCRIPT, chunk, line, 0,
                        "%s\n%s", msg, eng->err_trace);
}

static int
run(sp_engine_t *eng, const struct run_args *a, sp_error_t **err)
{
    lua_State *L = eng->L;
    int lstatus, status;

    if (eng->running)
        return sp_error_set(err, eng->pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "the engine is already running a script");
    if (eng->store != NULL) {
        status = sp_store_begin(eng->store, eng->pool, err);
        if (status != SP_OK)
            return status;
    }
    apr_pool_create(&eng->run_pool, eng->pool);
    eng->running = 1;
    eng->stop = STOP_NONE;
    eng->stop_msg[0] = '\0';
    where_clear(&eng->stop_where);
    where_clear(&eng->mem_where);
    eng->mem_hit = eng->pending = 0;
    eng->slack = 0;
    eng->instructions = 0;
    eng->load_status = LUA_OK;
    eng->err_msg = eng->err_trace = eng->err_file = NULL;
    eng->err_line = 0;

    lua_settop(L, 0);
    lua_pushcfunction(L, l_msgh);
    lua_pushcfunction(L, l_run);
    lua_pushlightuserdata(L, (void *)a);
    lstatus = lua_pcall(L, 1, 0, 1);
    lua_sethook(L, NULL, 0, 0);
    eng->capped = 0;
    eng->slack = 0;
    status = report(eng, a, lstatus, err);

    /* Forget everything the script built; finalizers of bindings' objects
     * run now, before the transaction ends and the run pool goes. */
    lua_settop(L, 0);
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &K_ENV);
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &K_LOADED);
    lua_gc(L, LUA_GCCOLLECT);
    if (eng->store != NULL) {
        if (status == SP_OK)
            status = sp_store_commit(eng->store, eng->pool, err);
        if (status != SP_OK)
            sp_store_rollback(eng->store);
    }
    apr_pool_destroy(eng->run_pool);
    eng->run_pool = NULL;
    eng->running = 0;
    return status;
}

/* ---------------------------------------------------------------------- */
/* Public functions */

static apr_status_t
engine_cleanup(void *data)
{
    sp_engine_t *eng = data;

    if (eng->L != NULL) {
        lua_close(eng->L);
        eng->L = NULL;
    }
    return APR_SUCCESS;
}

int
sp_engine_create(sp_engine_t **engp, const sp_engine_config_t *cfg,
                 apr_pool_t *pool, sp_error_t **err)
{
    static const sp_engine_config_t none;
    sp_engine_t *eng;
    int i, n = 0;

    if (cfg == NULL)
        cfg = &none;
    eng = apr_pcalloc(pool, sizeof *eng);
    eng->pool = pool;
    if (cfg->limits != NULL)
        eng->limits = *cfg->limits;
    else
        sp_limits_init(&eng->limits);
    while (cfg->script_roots != NULL && cfg->script_roots[n] != NULL)
        n++;
    eng->roots = apr_pcalloc(pool, (size_t)(n + 1) * sizeof *eng->roots);
    for (i = 0, n = 0; cfg->script_roots != NULL
             && cfg->script_roots[i] != NULL; i++) {
        const char *r = resolve(cfg->script_roots[i], pool);

        if (r != NULL)
            eng->roots[n++] = r;
    }
    eng->input_dir = cfg->input_dir ? apr_pstrdup(pool, cfg->input_dir) : NULL;
    eng->output_dir = cfg->output_dir ? apr_pstrdup(pool, cfg->output_dir)
        : NULL;
    eng->store = cfg->store;
    eng->output = cfg->output;
    eng->output_baton = cfg->output_baton;

    eng->L = lua_newstate(lalloc, eng);
    if (eng->L == NULL)
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "cannot create a Lua state: out of memory");
    /* Before subpools go, so finalizers may still use run pools' parents. */
    apr_pool_pre_cleanup_register(pool, eng, engine_cleanup);
    lua_atpanic(eng->L, panic);
    *(sp_engine_t **)lua_getextraspace(eng->L) = eng;
    lua_pushcfunction(eng->L, l_init);
    if (lua_pcall(eng->L, 0, 0, 0) != LUA_OK) {
        const char *msg = lua_tostring(eng->L, -1);

        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "cannot set up the Lua sandbox: %s",
                            msg ? msg : "?");
    }
    *engp = eng;
    return SP_OK;
}

int
sp_engine_run_file(sp_engine_t *eng, const char *path, int argc,
                   const char **argv, sp_error_t **err)
{
    struct run_args a = {path, NULL, 0, NULL, argc, argv};

    return run(eng, &a, err);
}

int
sp_engine_run_string(sp_engine_t *eng, const char *code, size_t len,
                     const char *name, int argc, const char **argv,
                     sp_error_t **err)
{
    struct run_args a = {NULL, code, len, name ? name : "=string", argc,
                         argv};

    if (len == (size_t)-1)
        a.len = strlen(code);
    return run(eng, &a, err);
}

sp_limits_t *
sp_engine_limits(sp_engine_t *eng)
{
    return &eng->limits;
}

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

int
sp_engine_resolve_path(sp_engine_t *eng, const char *name, int for_write,
                       apr_pool_t *pool, const char **out, sp_error_t **err)
{
    const char *dir = for_write ? eng->output_dir : eng->input_dir;
    const char *what = for_write ? "output" : "input";
    int status = for_write ? SP_EXIT_CANTCREAT : SP_EXIT_NOINPUT;
    const char *root, *p, *slash, *base, *parent, *real;
    struct stat st;

    if (dir == NULL)
        return sp_error_set(err, pool, status, name, 0, 0,
                            "no workspace %s folder is configured", what);
    if (name == NULL || *name == '\0')
        return sp_error_set(err, pool, status, NULL, 0, 0,
                            "empty file name");
    if (name[0] == '/')
        return sp_error_set(err, pool, status, name, 0, 0,
                            "absolute paths are not allowed; give a name "
                            "relative to the %s folder", what);
    for (p = name; *p != '\0';) {
        size_t n = strcspn(p, "/");

        if (n == 2 && p[0] == '.' && p[1] == '.')
            return sp_error_set(err, pool, status, name, 0, 0,
                                "'..' is not allowed in file names");
        p += n;
        if (*p == '/')
            p++;
    }
    root = resolve(dir, pool);
    if (root == NULL)
        return sp_error_set(err, pool, status, dir, 0, 0,
                            "the %s folder does not exist: %s", what,
                            strerror(errno));
    if (!for_write) {
        real = resolve(apr_pstrcat(pool, root, "/", name, NULL), pool);
        if (real == NULL)
            return sp_error_set(err, pool, status, name, 0, 0,
                                "cannot open: %s", strerror(errno));
        if (!within(root, real) || strcmp(real, root) == 0)
            return sp_error_set(err, pool, status, name, 0, 0,
                                "the name leads outside the %s folder", what);
        *out = real;
        return SP_OK;
    }
    slash = strrchr(name, '/');
    base = slash != NULL ? slash + 1 : name;
    if (*base == '\0' || strcmp(base, ".") == 0)
        return sp_error_set(err, pool, status, name, 0, 0,
                            "not a file name");
    parent = slash != NULL
        ? apr_pstrcat(pool, root, "/", apr_pstrndup(pool, name,
                                                    (apr_size_t)(slash - name)),
                      NULL)
        : root;
    parent = resolve(parent, pool);
    if (parent == NULL)
        return sp_error_set(err, pool, status, name, 0, 0,
                            "cannot create: its folder does not exist");
    if (!within(root, parent))
        return sp_error_set(err, pool, status, name, 0, 0,
                            "the name leads outside the %s folder", what);
    real = apr_pstrcat(pool, parent, "/", base, NULL);
    if (lstat(real, &st) == 0) {
        if (S_ISLNK(st.st_mode)) {
            /* Follow it only when it stays inside; a dangling link could
             * create its target anywhere. */
            const char *target = resolve(real, pool);

            if (target == NULL || !within(root, target))
                return sp_error_set(err, pool, status, name, 0, 0,
                                    "the name is a symbolic link leading "
                                    "outside the %s folder", what);
            real = target;
            if (stat(real, &st) != 0)
                return sp_error_set(err, pool, status, name, 0, 0,
                                    "cannot create: %s", strerror(errno));
        }
        if (S_ISDIR(st.st_mode))
            return sp_error_set(err, pool, status, name, 0, 0,
                                "cannot create: it is a folder");
    }
    *out = real;
    return SP_OK;
}

sp_engine_t *
sp_engine_from_lua(lua_State *L)
{
    return *(sp_engine_t **)lua_getextraspace(L);
}

lua_State *
sp_engine_lua(sp_engine_t *eng)
{
    return eng->L;
}

sp_store_t *
sp_engine_store(sp_engine_t *eng)
{
    return eng->store;
}

apr_pool_t *
sp_engine_run_pool(sp_engine_t *eng)
{
    return eng->run_pool;
}

apr_pool_t *
sp_engine_pool(sp_engine_t *eng)
{
    return eng->pool;
}

size_t
sp_engine_memory(const sp_engine_t *eng)
{
    return eng->used;
}

/* ---------------------------------------------------------------------- */
/* The limits table (sp_limits.h) */

static const struct {
    const char *name;
    long long def;
    const char *doc;
} LIMITS[] = {
#define SP_LIMIT_ROW_(ID, name, def, doc) {#name, def, doc},
    SP_LIMITS(SP_LIMIT_ROW_)
#undef SP_LIMIT_ROW_
};

void
sp_limits_init(sp_limits_t *limits)
{
    int i;

    for (i = 0; i < SP_LIMIT_COUNT_; i++)
        limits->value[i] = LIMITS[i].def;
}

const char *
sp_limit_name(int id)
{
    return id >= 0 && id < SP_LIMIT_COUNT_ ? LIMITS[id].name : NULL;
}

long long
sp_limit_default(int id)
{
    return id >= 0 && id < SP_LIMIT_COUNT_ ? LIMITS[id].def : 0;
}

const char *
sp_limit_doc(int id)
{
    return id >= 0 && id < SP_LIMIT_COUNT_ ? LIMITS[id].doc : NULL;
}

int
sp_limit_find(const char *name)
{
    int i;

    for (i = 0; i < SP_LIMIT_COUNT_; i++)
        if (strcmp(name, LIMITS[i].name) == 0)
            return i;
    return -1;
}

int
sp_limits_parse(sp_limits_t *limits, const char *assignment,
                apr_pool_t *pool, sp_error_t **err)
{
    const char *eq = strchr(assignment, '=');
    const char *name, *v;
    char *end;
    unsigned long long value;
    int id, shift = 0;

    if (eq == NULL)
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                            "limit '%s': expected NAME=VALUE", assignment);
    name = apr_pstrndup(pool, assignment, (apr_size_t)(eq - assignment));
    id = sp_limit_find(name);
    if (id < 0)
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                            "unknown limit '%s' (memory, instructions, "
                            "seconds, rows or cells)", name);
    v = eq + 1;
    errno = 0;
    if (*v < '0' || *v > '9')
        goto bad;
    value = strtoull(v, &end, 10);
    if (errno != 0)
        goto bad;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: break;
    }
    if (*end != '\0' || value > ((unsigned long long)LLONG_MAX >> shift))
        goto bad;
    limits->value[id] = (long long)(value << shift);
    return SP_OK;
bad:
    return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                        "limit %s: '%s' is not a non-negative integer "
                        "(optionally followed by k, M or G)", name, v);
}

const char *const *
sp_engine_script_roots(apr_pool_t *pool, const char *territory_dir)
{
    const char **roots = apr_pcalloc(pool, 5 * sizeof *roots);
    const char *env = getenv("SPIRAL_SCRIPTS");
    char exe[4096];
    ssize_t len;
    int n = 0;

    if (territory_dir != NULL)
        roots[n++] = territory_dir;
    if (env != NULL && *env != '\0')
        roots[n++] = env;
    /* A program run from its build tree uses its source tree's scripts,
     * whatever an earlier `make install` left in the data folder. */
    len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        if (strncmp(exe, SP_BUILDDIR "/", strlen(SP_BUILDDIR) + 1) == 0)
            roots[n++] = SP_SRCDIR "/scripts";
    }
    roots[n++] = SP_PKGDATADIR "/scripts";
    roots[n] = NULL;
    return roots;
}
