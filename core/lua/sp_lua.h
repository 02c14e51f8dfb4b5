/*
 * sp_lua.h -- the Lua module `spiral` seen by scripts: what the binding
 * files of core/lua/ share.
 *
 * One file per class, each with one luaL_Reg table and one opener:
 * sp_lua_data.c (spiral.data.query, read-only SQL behind an authorizer),
 * sp_lua_dataset.c (spiral.survey.dataset and the Dataset class: composite
 * variables, crosstab, aggregate, all through the scans of sp_scan.h),
 * sp_lua_xtab.c and sp_lua_agg.c (the result classes), sp_lua_def.c
 * (spiral.def.*: strictly checked definitions), sp_lua_out.c (spiral.out:
 * text, csv, json, print; spiral.version), sp_lua_workspace.c (the results
 * of the workflow and of pooling: spiral.criteria, .actions, .profile,
 * .ledger, .resources, .pact, .partnership, .plans, .project, converted by
 * sp_lua_json.c, which also gives spiral.null).  sp_lua_open_all() installs them
 * all in an engine (core/sp_engine.h).  docs/lua-api.md is the reference
 * for script authors; its examples are run by tests/e2e/lua_api.sh.
 *
 * Objects are full userdata holding a pointer and an APR pool of their own
 * (a sub-pool of the engine's pool, so that they may outlive one run in the
 * REPL); __gc and __close destroy the pool, and closing twice is harmless.
 */
#ifndef SP_LUA_H
#define SP_LUA_H

#include <sqlite3.h>
#include <apr_pools.h>
#include <lua.h>
#include <lauxlib.h>
#include "sp_engine.h"
#include "sp_error.h"
#include "sp_xtab.h"
#include "sp_agg.h"

/* Metatable names, defined once. */
#define SP_LUA_DATASET "spiral.Dataset"
#define SP_LUA_XTAB "spiral.Xtab"
#define SP_LUA_AGG "spiral.Agg"

/* The message of every refused query. */
#define SP_LUA_SQL_REFUSED \
    "scripts cannot run this SQL (only SELECT with bound parameters)"
/* The message of every analysis refused by `spiral check`. */
#define SP_LUA_CHECK_REFUSED "not available in check mode"

/* Install every submodule (data, survey, def, out, the workspace's results,
 * spiral.version, spiral.null) in eng.
 * Call it once, between runs, right after sp_engine_create.  Returns SP_OK
 * or the status of sp_engine_register; *err (may be NULL) in the engine's
 * pool. */
int sp_lua_open_all(sp_engine_t *eng, sp_error_t **err);

/* Check mode (`spiral check`): definitions are validated and every mistake
 * is collected instead of raised; nothing is written; analyses raise
 * SP_LUA_CHECK_REFUSED.  Set it between runs.  sp_lua_open_all must have
 * been called. */
void sp_lua_set_check(sp_engine_t *eng, int on);

/* The mistakes collected by check mode since the last reset, each
 * "file:line: message"; *count receives their number.  The array lives in
 * the engine's pool. */
const char *const *sp_lua_check_errors(sp_engine_t *eng, size_t *count);
void sp_lua_check_reset(sp_engine_t *eng);

/* ---- shared by the binding files (not for other callers) -------------- */

/* 1 when the engine of L runs in check mode. */
int sp_lua_in_check(lua_State *L);
/* Raise SP_LUA_CHECK_REFUSED (naming what) when in check mode. */
void sp_lua_refuse_in_check(lua_State *L, const char *what);
/* Record a definition mistake in check mode: "where: message". */
void sp_lua_check_add(lua_State *L, const char *where, const char *message);

/* Push the per-run registry of definitions (a table kind -> code -> def),
 * fresh at the start of every run. */
void sp_lua_push_defs(lua_State *L);

/* A new pool for an object, a sub-pool of the engine's pool. */
apr_pool_t *sp_lua_object_pool(lua_State *L);

/* Push the metatable tname, made on first use: meta are its metamethods,
 * a table of methods its __index, and __metatable locks it.  [-0, +1] */
void sp_lua_class(lua_State *L, const char *tname, const luaL_Reg *meta,
                  const luaL_Reg *methods);

/* The userdata of a result class (Xtab, Agg): a computed object, the notes
 * printed under its text form, and the pool both live in, which close,
 * __close and __gc destroy (closing twice is harmless). */
typedef struct sp_lua_result_t {
    apr_pool_t *pool;       /* NULL once closed */
    void *obj;              /* sp_xtab_t *, sp_agg_t * */
    const char *notes;      /* or NULL */
} sp_lua_result_t;

/* Push a new result of class tname (its metatable from sp_lua_class with
 * meta and methods) owning obj, notes and pool.  [-0, +1] */
void sp_lua_push_result(lua_State *L, const char *tname, const luaL_Reg *meta,
                        const luaL_Reg *methods, void *obj, const char *notes,
                        apr_pool_t *pool);
/* The result of class tname at idx; raises closed (a message) when it has
 * been closed, and the usual type error when it is not one. */
sp_lua_result_t *sp_lua_check_result(lua_State *L, int idx, const char *tname,
                                     const char *closed);
/* The body of a result class's close, __close and __gc: destroy the pool
 * of the result of class tname at index 1, once.  Returns 0 (no results). */
int sp_lua_close_result(lua_State *L, const char *tname);

/* t[field] = v for the table t at the top of the stack, unless v is NaN
 * (an undefined statistic stays nil).  [-0, +0] */
void sp_lua_set_number(lua_State *L, const char *field, double v);

/* Push a userdata owning xt (computed) and pool (destroyed with it). */
void sp_lua_push_xtab(lua_State *L, sp_xtab_t *xt, const char *notes,
                      apr_pool_t *pool);
/* Push a userdata owning a (computed) and pool. */
void sp_lua_push_agg(lua_State *L, sp_agg_t *a, const char *notes,
                     apr_pool_t *pool);

/* Prepare sql on db for a script: the authorizer allows only reading
 * (SELECT, READ, FUNCTION) and refuses free_text, pseudonym columns and
 * the import ledger's file names; the statement must be one read-only
 * statement with exactly nparams parameters.  Returns SQLITE_OK with *st,
 * or an SQLite error code with *st NULL and *why a static message
 * (SP_LUA_SQL_REFUSED or a parameter count mismatch). */
int sp_lua_sql_prepare(sqlite3 *db, const char *sql, int nparams,
                       sqlite3_stmt **st, const char **why);

/* The authorizer itself (sqlite3_set_authorizer callback). */
int sp_lua_sql_authorize(void *baton, int action, const char *a,
                         const char *b, const char *db, const char *trigger);

/* Push the pretty-printed form of the value at idx (spiral.out.print). */
void sp_lua_out_format(lua_State *L, int idx);

/* Openers of the individual submodules. */
int sp_lua_open_data(sp_engine_t *eng, sp_error_t **err);
int sp_lua_open_dataset(sp_engine_t *eng, sp_error_t **err);
int sp_lua_open_def(sp_engine_t *eng, sp_error_t **err);
int sp_lua_open_out(sp_engine_t *eng, sp_error_t **err);
/* spiral.criteria, .actions, .profile, .ledger, .resources, .pact,
 * .partnership, .plans, .project and spiral.null (sp_lua_workspace.c). */
int sp_lua_open_workspace(sp_engine_t *eng, sp_error_t **err);

#endif
