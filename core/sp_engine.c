/*
 * sp_engine.c -- an engine's life: creating it, running one script as one
 * transaction, and reporting the outcome (see sp_engine.h).
 *
 * The lua_State lives as long as the engine; what a script can reach is
 * rebuilt for every run by sp_engine_sandbox.c, and the limits are
 * enforced while it runs by sp_engine_alloc.c.  A run prepares the
 * sandbox, loads the script as text and calls it under a message handler
 * that records the failing location and a traceback; report() then turns
 * the outcome into an sp_error_t, preferring a limit that fired (where the
 * hook or the allocator recorded it) over whatever error the script made
 * of it, since a pcall inside the script may have caught the first one.
 * Every run ends the same way, whatever happened: the hook is removed, the
 * memory cap lifted, the run's globals dropped and collected (bindings'
 * finalizers run then), the transaction committed or rolled back, and the
 * run pool destroyed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <apr_strings.h>
#include "sp_engine_int.h"

/* ---------------------------------------------------------------------- */
/* Running a script */

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

    if (sp_engine_memory_hit(eng))
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

/* Protected: prepare the run, load the chunk as text and call it.  The
 * memory cap starts after the sandbox is built, the hook just before the
 * call. */
static int
l_run(lua_State *L)
{
    sp_engine_t *eng = sp_engine_from_lua(L);
    const struct run_args *a = lua_touserdata(L, 1);
    long long maxi = eng->limits.value[SP_LIMIT_INSTRUCTIONS];
    int status, i;

    lua_settop(L, 0);
    sp_engine_sandbox_prepare(L, eng, a);
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
    lua_sethook(L, sp_engine_hook, LUA_MASKCOUNT, eng->hook_count);
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

/* The status of a run whose lua_pcall returned lstatus, with *err filled
 * as sp_engine_run_file documents it.  A limit wins over the script's own
 * error (which may be what a pcall made of the stop). */
static int
report(sp_engine_t *eng, const struct run_args *a, int lstatus,
       sp_error_t **err)
{
    const char *chunk = a->path != NULL ? a->path
        : (a->name[0] == '=' || a->name[0] == '@') ? a->name + 1 : a->name;
    const where_t *w = NULL;
    const char *msg, *trace;
    long line;

    if (sp_engine_memory_hit(eng)
        || (lstatus == LUA_ERRMEM && eng->limits.value[SP_LIMIT_MEMORY] > 0)) {
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

/* Everything runs protected, so reaching Lua's panic is a bug. */
static int
panic(lua_State *L)
{
    const char *msg = lua_tostring(L, -1);

    fprintf(stderr, "spiral: unprotected error in Lua: %s\n",
            msg ? msg : "(not a string)");
    abort();
    return 0;
}

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

    if (cfg == NULL)
        cfg = &none;
    eng = apr_pcalloc(pool, sizeof *eng);
    eng->pool = pool;
    if (cfg->limits != NULL)
        eng->limits = *cfg->limits;
    else
        sp_limits_init(&eng->limits);
    eng->roots = sp_engine_resolve_roots(cfg->script_roots, pool);
    eng->input_dir = cfg->input_dir ? apr_pstrdup(pool, cfg->input_dir) : NULL;
    eng->output_dir = cfg->output_dir ? apr_pstrdup(pool, cfg->output_dir)
        : NULL;
    eng->store = cfg->store;
    eng->output = cfg->output;
    eng->output_baton = cfg->output_baton;

    eng->L = lua_newstate(sp_engine_alloc, eng);
    if (eng->L == NULL)
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "cannot create a Lua state: out of memory");
    /* Before subpools go, so finalizers may still use run pools' parents. */
    apr_pool_pre_cleanup_register(pool, eng, engine_cleanup);
    lua_atpanic(eng->L, panic);
    *(sp_engine_t **)lua_getextraspace(eng->L) = eng;
    lua_pushcfunction(eng->L, sp_engine_sandbox_init);
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
