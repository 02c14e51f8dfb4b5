/*
 * sp_engine.h -- the embedded Lua 5.4 engine and its sandbox.
 *
 * An engine owns one lua_State whose allocator counts bytes and refuses to
 * grow past the memory limit, and runs untrusted scripts in it, one at a
 * time.  Every run gets a fresh global table built from an allow-list
 * (docs/sandbox.md lists it), copies of the standard library tables, a
 * restricted `require` that only loads text modules from the configured
 * script roots, and the host module `spiral` as a read-only proxy.  A count
 * hook enforces the instruction budget and the wall-clock limit; once it
 * has fired it re-arms on every instruction so that a pcall inside the
 * script cannot swallow the stop (the technique of Redis's script_lua.c).
 * When the engine has a workspace store, a run is one transaction: it is
 * committed when the script returns and rolled back on any error.
 *
 * Bindings (core/lua/sp_lua_*.c) add functions to `spiral` with
 * sp_engine_register() and, inside a Lua function, find their engine with
 * sp_engine_from_lua().
 */
#ifndef SP_ENGINE_H
#define SP_ENGINE_H

#include <stddef.h>
#include <apr_pools.h>
#include <lua.h>
#include <lauxlib.h>
#include "sp_error.h"
#include "sp_limits.h"
#include "sp_store.h"

typedef struct sp_engine_t sp_engine_t;

/* Where `print` writes: data is not NUL-terminated and ends with "\n". */
typedef void sp_engine_output_fn(void *baton, const char *data, size_t len);

typedef struct sp_engine_config_t {
    /* Limits to start from; NULL means the defaults of sp_limits.h.  They
     * are copied; change them later through sp_engine_limits(). */
    const sp_limits_t *limits;
    /* NULL-terminated list of folders `require` searches, in order (the
     * installed or source scripts/ folder, then the territory's own one).
     * Folders that do not exist are skipped.  May be NULL. */
    const char *const *script_roots;
    /* Workspace folders that sp_engine_resolve_path maps names into; NULL
     * refuses every read (input) or every write (output). */
    const char *input_dir;
    const char *output_dir;
    /* Optional workspace: when set, each run is one transaction. */
    sp_store_t *store;
    /* Where `print` goes; NULL writes to stdout. */
    sp_engine_output_fn *output;
    void *output_baton;
} sp_engine_config_t;

/* Create an engine living as long as pool (its lua_State is closed by a
 * cleanup on pool).  cfg may be NULL for all defaults.  Returns SP_OK, or
 * SP_EXIT_SOFTWARE with *err filled (in pool) when Lua cannot start. */
int sp_engine_create(sp_engine_t **eng, const sp_engine_config_t *cfg,
                     apr_pool_t *pool, sp_error_t **err);

/* Run the script at path (loaded as text, chunk name "@path") with argv
 * as the global table `arg` (arg[1..argc], arg[0] = path) and as the
 * chunk's `...`.  Returns SP_OK, or
 *   SP_EXIT_NOINPUT  the script cannot be read;
 *   SP_EXIT_SCRIPT   a syntax or run-time error, or a limit was hit (even if
 *                    the script caught it); err->file and err->line name the
 *                    script location (the first Lua frame of the error, or
 *                    where the limit fired) and err->message holds
 *                    "message\nstack traceback:...";
 *   SP_EXIT_SOFTWARE the engine is already running a script (no nesting);
 *   or the status of sp_store_begin/commit.
 * With a store, the database is unchanged unless SP_OK is returned.
 * *err is allocated in the engine's pool. */
int sp_engine_run_file(sp_engine_t *eng, const char *path, int argc,
                       const char **argv, sp_error_t **err);

/* As sp_engine_run_file, for the source text code of len bytes (len may be
 * (size_t)-1 for a NUL-terminated string); name is the chunk name shown in
 * messages (e.g. "=repl"); arg[0] is name. */
int sp_engine_run_string(sp_engine_t *eng, const char *code, size_t len,
                         const char *name, int argc, const char **argv,
                         sp_error_t **err);

/* The limits the next run will use; the caller may change them between
 * runs (changes during a run apply to the next one, except memory which
 * applies at the next allocation). */
sp_limits_t *sp_engine_limits(sp_engine_t *eng);

/* Add the functions fns (ending with {NULL, NULL}) to the host module: to
 * `spiral.<submodule>` (created on first use), or to `spiral` itself when
 * submodule is NULL or "".  Scripts see every module table as a read-only
 * proxy.  Call it between runs (usually right after sp_engine_create).
 * Returns SP_OK, SP_EXIT_USAGE for a bad submodule name (one of
 * [A-Za-z0-9_]+, not "limits") or SP_EXIT_SOFTWARE when Lua fails. */
int sp_engine_register(sp_engine_t *eng, const char *submodule,
                       const luaL_Reg *fns, sp_error_t **err);

/* Map the relative name a script gave to a file in the workspace input
 * folder (for_write 0) or output folder (for_write 1) and store the
 * resulting absolute path (allocated in pool) in *out.  Refuses absolute
 * names, names with a ".." component, empty names, and names that resolve
 * (through symbolic links) outside the folder.  For reading the file must
 * exist; for writing its folder must exist.  Returns SP_OK, SP_EXIT_NOINPUT
 * (read) or SP_EXIT_CANTCREAT (write) with *err filled in pool. */
int sp_engine_resolve_path(sp_engine_t *eng, const char *name, int for_write,
                           apr_pool_t *pool, const char **out,
                           sp_error_t **err);

/* The engine a lua_State (or any coroutine of it) belongs to. */
sp_engine_t *sp_engine_from_lua(lua_State *L);

/* Accessors for bindings: the Lua state; the store (or NULL); the pool of
 * the current run (cleared when the run ends; NULL between runs); the
 * engine's own pool. */
lua_State *sp_engine_lua(sp_engine_t *eng);
sp_store_t *sp_engine_store(sp_engine_t *eng);
apr_pool_t *sp_engine_run_pool(sp_engine_t *eng);
apr_pool_t *sp_engine_pool(sp_engine_t *eng);

/* Bytes the Lua state holds now (what the memory limit is checked
 * against). */
size_t sp_engine_memory(const sp_engine_t *eng);

/* Where a script's `require` looks, in order: territory_dir (when not
 * NULL: a territory's modules override the standard ones), $SPIRAL_SCRIPTS,
 * the source tree's scripts/ when the program runs from its build tree,
 * and the installed data folder.  NULL-terminated, allocated in pool. */
const char *const *
sp_engine_script_roots(apr_pool_t *pool, const char *territory_dir);

#endif
