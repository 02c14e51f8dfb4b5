/*
 * sp_engine_require.c -- which files a script may load or name: the
 * sandbox's `require`, the workspace folders of sp_engine_resolve_path,
 * and the script roots.
 *
 * `require` loads only text modules found under the script roots, by
 * names of letters, digits, '_' and single dots (so a name can neither
 * climb with ".." nor start at "/"), and runs them with the run's globals;
 * "spiral.x" gives the read-only proxy of a registered submodule.  The
 * roots are resolved through their symbolic links once, when the engine
 * is created (sp_engine_resolve_roots), and every candidate is resolved
 * too before it is compared with its root: a link inside a root pointing
 * outside it is then seen for what it leads to, and refused.
 * sp_engine_resolve_path applies the same rule to the workspace folders
 * (a file to be written may not exist yet: its folder is resolved, and a
 * final link is followed only when it stays inside).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <apr_strings.h>
#include <lauxlib.h>
#include "sp_engine_int.h"

static char K_LOADING = 0;    /* sentinel for a module being loaded */

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

/* Resolved once here so that within() compares two resolved paths: a root
 * given through a symbolic link still contains its modules. */
const char **
sp_engine_resolve_roots(const char *const *roots, apr_pool_t *pool)
{
    const char **real;
    int i, n = 0;

    while (roots != NULL && roots[n] != NULL)
        n++;
    real = apr_pcalloc(pool, (size_t)(n + 1) * sizeof *real);
    for (i = 0, n = 0; roots != NULL && roots[i] != NULL; i++) {
        const char *r = resolve(roots[i], pool);

        if (r != NULL)
            real[n++] = r;
    }
    return real;
}

/* Find module name in the roots; *outside is set when a candidate exists
 * but resolves outside its root (a symbolic link escaping it).  The
 * candidate is resolved before the check, never after: checking the path
 * as written would let a link inside a root lead anywhere. */
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

/* require(name): the run's cached module, the proxy of spiral.<sub>, or
 * the text file name.lua (dots becoming folders) from the first root that
 * has it, called with this run's globals and (name, path); caches and
 * returns its result (true for nil) and the path.  A module requiring
 * itself, directly or not, is an error rather than a half-built table. */
int
sp_engine_require(lua_State *L)
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
/* Public functions */

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
