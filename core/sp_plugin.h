/*
 * sp_plugin.h -- finding, loading and opening plugins (shared objects that
 * speak the ABI of plugins/spiral_plugin.h).
 *
 * A plugin is named by a plain name ("xlsx") searched as <dir>/<name>.so
 * in the plugin path, or, from C only, by a path containing a '/'.  The
 * path is, in order: the folders of the environment variable
 * SPIRAL_PLUGIN_PATH (colon-separated; tests point it at the build tree),
 * those set with sp_plugin_set_path(), and the installed $(pkglibdir).
 * Loading checks, before anything of the plugin runs, that it exports
 * spiral_plugin_entry, that its ABI and Lua versions are this spiral's, and
 * that its name matches its file.  Opening it on an engine calls its open()
 * once per engine and installs its functions as spiral.<name>; the shared
 * object is unloaded by a cleanup of a subpool of the engine's pool, so
 * after the Lua state (which may still hold the plugin's functions) is
 * closed.  Scripts load plugins with spiral.plugin.load(name)
 * (core/lua/sp_lua_plugin.c), which never accepts a path.
 */
#ifndef SP_PLUGIN_H
#define SP_PLUGIN_H

#include <stddef.h>
#include <apr_pools.h>
#include <lua.h>
#include "sp_error.h"
#include "sp_engine.h"
#include "sp_table.h"
#include "spiral_plugin.h"

/* The environment variable searched first. */
#define SP_PLUGIN_PATH_ENV "SPIRAL_PLUGIN_PATH"
/* The file name suffix of plugins. */
#define SP_PLUGIN_SUFFIX ".so"

typedef struct sp_plugin_t sp_plugin_t;

/* Add folders (colon-separated, copied; NULL clears) searched after
 * SPIRAL_PLUGIN_PATH and before the installed folder -- e.g. from a
 * command-line option.  Process-wide: call it at start-up, before any
 * thread loads a plugin. */
void
sp_plugin_set_path(const char *dirs);

/* The folders searched, in order, colon-separated (in pool); the text that
 * "no plugin" messages show. */
const char *
sp_plugin_path(apr_pool_t *pool);

/* Find and load the plugin name_or_path and check it (see above), without
 * calling anything of it.  The shared object stays loaded until pool is
 * cleared or destroyed.  Returns SP_OK and *out, or with *err in pool:
 *   SP_EXIT_NOINPUT   "no plugin 'x' in <dirs>" (or the path is missing);
 *   SP_EXIT_USAGE     an invalid name ("plugin names are letters, ...");
 *   SP_EXIT_SOFTWARE  the file cannot be loaded (the loader's message), has
 *                     no spiral_plugin_entry, or was built for another ABI
 *                     ("plugin 'x' was built for ABI 2, this spiral speaks
 *                     ABI 1; rebuild it") or Lua, or names itself wrongly. */
int
sp_plugin_open(sp_plugin_t **out, const char *name_or_path, apr_pool_t *pool,
               sp_error_t **err);

/* What a loaded plugin exports, and the file it came from. */
const spiral_plugin_t *
sp_plugin_info(const sp_plugin_t *p);
const char *
sp_plugin_file(const sp_plugin_t *p);

/* Write tables through the plugin's optional C entry (spiral_plugin_t
 * .write) to path.  Returns SP_OK; SP_EXIT_USAGE when the plugin has no
 * such entry; SP_EXIT_CANTCREAT with the plugin's message when writing
 * failed.  *err in pool. */
int
sp_plugin_write(const sp_plugin_t *p, const char *path,
                const sp_table_t *const *tables, size_t ntables,
                apr_pool_t *pool, sp_error_t **err);

/* Load the plugin (as sp_plugin_open, in a subpool of the engine's pool),
 * call its open() on the engine's Lua state and install its functions as
 * spiral.<name> with sp_engine_register().  Loading a plugin the engine
 * already has only installs its functions again.  Call it between runs.
 * Returns SP_OK, a status of sp_plugin_open, SP_EXIT_SOFTWARE when open()
 * fails or returns something other than a table of C functions, or a
 * status of sp_engine_register; *err is allocated in pool. */
int
sp_plugin_load(sp_engine_t *eng, const char *name_or_path, apr_pool_t *pool,
               sp_error_t **err);

/* For the Lua binding, inside a run: push a fresh copy of the module table
 * of plugin name (a plain name only), loading and opening the plugin on
 * first use, and return 1; or push nil and a message and return 2 when the
 * plugin cannot be found or loaded.  Raises a Lua error when open() does. */
int
sp_plugin_push_module(lua_State *L, const char *name);

/* Install spiral.plugin.load (core/lua/sp_lua_plugin.c) in an engine.
 * Returns SP_OK or the status of sp_engine_register. */
int
sp_lua_plugin_open(sp_engine_t *eng, sp_error_t **err);

/* The host services handed to every plugin (static, never NULL). */
const spiral_host_t *
sp_plugin_host(void);

#endif
