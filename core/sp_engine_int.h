/*
 * sp_engine_int.h -- what the files of the engine share; internal to
 * libspiral.
 *
 * The engine (sp_engine.h) is split by job: sp_engine.c creates it and
 * runs one script as one transaction, then reports the outcome;
 * sp_engine_alloc.c enforces the limits while the script runs (the
 * allocator for memory, the count hook for instructions and time);
 * sp_engine_sandbox.c builds what a script may see (the allow-listed
 * globals, the read-only proxies, the spiral module); sp_engine_require.c
 * decides which files a script may load or name (require, the workspace
 * folders, the script roots).  The limits table itself is sp_limits.c.
 *
 * Invariants that cross these files:
 *  - Nothing a script can reach is a real library or module table: the
 *    libraries live in the registry (K_LIBS) and each run gets copies,
 *    the spiral module is only handed out as read-only proxies.
 *  - A run's globals (K_ENV) and module cache (K_LOADED) exist only
 *    between sp_engine_sandbox_prepare and the end of run(), which
 *    drops them before the collection that ends the run.
 *  - The memory limit applies only while eng->capped is set (during a
 *    run); eng->slack is granted only to report an error once it hit.
 *  - Locations are recorded in where_t without allocating, because the
 *    allocator records one when memory may already be exhausted.
 */
#ifndef SP_ENGINE_INT_H
#define SP_ENGINE_INT_H

#include <stddef.h>
#include <time.h>
#include <apr_pools.h>
#include <lua.h>
#include "sp_engine.h"

#define HOOK_EVERY 10000          /* instructions between two limit checks */
#define REPORT_SLACK (1 << 20)    /* bytes granted to the message handler */

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

/* What one run executes (sp_engine_run_file or _run_string). */
struct run_args {
    const char *path;           /* run a file, or */
    const char *code;           /* run this text */
    size_t len;
    const char *name;           /* chunk name of code; arg[0] */
    int argc;
    const char **argv;
};

/* Registry keys: only their addresses matter.  They are the elements of
 * sp_engine_keys (defined in sp_engine_sandbox.c, which builds what they
 * hold) and are written &K_LIBS, as file-local keys would be.  K_LOADING,
 * the sentinel of a module being loaded, is private to
 * sp_engine_require.c. */
enum {
    KEY_LIBS,           /* name -> pristine library table */
    KEY_BASE,           /* global name -> value, for every run */
    KEY_PROTECTED,      /* weak set of read-only proxies */
    KEY_SPIRAL,         /* the real spiral table */
    KEY_SPIRAL_PROXY,   /* its proxy, what scripts get */
    KEY_SUBS,           /* submodule name -> real table */
    KEY_LIMITS,         /* the real spiral.limits table */
    KEY_ENV,            /* the global table of this run */
    KEY_LOADED,         /* modules required in this run */
    KEY_COUNT_
};
extern const char sp_engine_keys[KEY_COUNT_];
#define K_LIBS          (sp_engine_keys[KEY_LIBS])
#define K_BASE          (sp_engine_keys[KEY_BASE])
#define K_PROTECTED     (sp_engine_keys[KEY_PROTECTED])
#define K_SPIRAL        (sp_engine_keys[KEY_SPIRAL])
#define K_SPIRAL_PROXY  (sp_engine_keys[KEY_SPIRAL_PROXY])
#define K_SUBS          (sp_engine_keys[KEY_SUBS])
#define K_LIMITS        (sp_engine_keys[KEY_LIMITS])
#define K_ENV           (sp_engine_keys[KEY_ENV])
#define K_LOADED        (sp_engine_keys[KEY_LOADED])

static inline void
where_clear(where_t *w)
{
    w->set = 0;
    w->line = 0;
    w->file[0] = '\0';
    w->trace[0] = '\0';
}

/* The name a message shows for the chunk of ar (without '@' or '='). */
static inline const char *
source_name(const lua_Debug *ar)
{
    if (ar->source[0] == '@' || ar->source[0] == '=')
        return ar->source + 1;
    return ar->short_src;
}

/* sp_engine_alloc.c: the lua_Alloc of every engine (ud is the engine);
 * whether the script hit the memory limit in this run; the count hook
 * that stops it on the instruction budget or the wall clock. */
void *sp_engine_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
int sp_engine_memory_hit(const sp_engine_t *eng);
void sp_engine_hook(lua_State *L, lua_Debug *ar);

/* sp_engine_sandbox.c: open the libraries into the registry and build the
 * allow-list and the spiral module (a lua_CFunction, called protected
 * once by sp_engine_create); build one run's globals, module cache and
 * spiral.limits and store them in K_ENV and K_LOADED.  [-0, +0] */
int sp_engine_sandbox_init(lua_State *L);
void sp_engine_sandbox_prepare(lua_State *L, sp_engine_t *eng,
                               const struct run_args *a);

/* sp_engine_require.c: the sandbox's `require` (a lua_CFunction); the
 * script roots of a configuration resolved through their symbolic links
 * (those that do not exist are left out), NULL-terminated, in pool. */
int sp_engine_require(lua_State *L);
const char **sp_engine_resolve_roots(const char *const *roots,
                                     apr_pool_t *pool);

#endif
