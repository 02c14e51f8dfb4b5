/*
 * cmd_evaluate.h -- what `spiral evaluate` and `spiral project` share: an
 * engine whose scripts exchange JSON-shaped data with the command.
 *
 * The command creates one engine per batch with the script roots (the
 * --territory-dir first, so that a territory pack overrides the default
 * library, then $SPIRAL_SCRIPTS, the installed scripts/ folder, and for an
 * uninstalled program its build or source tree's scripts/), and adds
 * the internal submodule spiral.evaluate with two functions: input(), which
 * returns the value the command prepared (a jansson value turned into Lua
 * tables), and emit(v), which hands a Lua value back (turned into jansson);
 * both convert with lua/sp_lua_json.h (a table with keys 1..n only is an
 * array, other tables are objects with string keys, functions and userdata
 * become null, a null in an array is spiral.null).
 */
#ifndef CMD_EVALUATE_H
#define CMD_EVALUATE_H

#include <jansson.h>
#include "sp_cli.h"
#include "sp_engine.h"

typedef struct cmd_host_t cmd_host_t;

/* Create the engine for a batch; territory_dir may be NULL.  The engine
 * and the host live as long as pool. */
int cmd_host_create(cmd_host_t **host, const char *territory_dir, apr_pool_t *pool,
                    sp_error_t **err);

/* The absolute path of module name ("lib.grid") in the first root that has
 * it, or NULL. */
const char *cmd_host_find_module(cmd_host_t *host, const char *name, apr_pool_t *pool);

/* Run code with input as spiral.evaluate.input() and args as `...`; on
 * SP_OK *output is what the chunk emitted (a new reference, or NULL when it
 * emitted nothing).  Script errors come back as SP_EXIT_SCRIPT with file
 * and line. */
int cmd_host_run(cmd_host_t *host, const char *code, const char *name, json_t *input,
                 int argc, const char **argv, json_t **output, sp_error_t **err);

/* The engine (for other bindings). */
sp_engine_t *cmd_host_engine(cmd_host_t *host);

#endif
