/*
 * sp_lua_dataset.h -- internal to the bindings: the Dataset class and the
 * analysis machinery of sp_lua_dataset.c, used by ds:crosstab
 * (sp_lua_xtab.c) and ds:aggregate (sp_lua_agg.c).
 *
 * An analysis names "logical" variables (plain ones, or composites); it is
 * run as one scan over the "physical" variables behind them, after which
 * sp_lua_an_level() maps each scan cell to the logical level of every
 * logical variable (0 = missing, 1..nlevels in sorted order).
 */
#ifndef SP_LUA_DATASET_H
#define SP_LUA_DATASET_H

#include <apr_hash.h>
#include <apr_tables.h>
#include "sp_lua.h"
#include "sp_scan.h"

/* Built-in composite functions: X(ENUM, name). */
#define COMPOSITE_BUILTINS(X) X(MEDIAN, "median") X(MEAN, "mean") X(MIN, "min") X(MAX, "max")
enum {
#define X(e, name) B_##e,
    COMPOSITE_BUILTINS(X)
#undef X
    B_LUA
};
static const char *const builtin_names[] = {
#define X(e, name) name,
    COMPOSITE_BUILTINS(X)
#undef X
    NULL
};

typedef struct composite_t {
    const char *name;
    size_t nvars;
    const char **vars;
    int builtin;            /* B_LUA: the function is in the uservalue table */
} composite_t;

typedef struct dataset_t {
    apr_pool_t *pool;       /* NULL once closed */
    sp_scan_source_t *src;
    const char *where;      /* the dataset's filter text, or NULL */
    apr_array_header_t *comps;
} dataset_t;

/* One variable of the logical table: plain or composite. */
typedef struct lkey_t {
    const char *name;
    const composite_t *comp;    /* NULL: plain */
    size_t phys;                /* plain: its scan key */
    size_t *cphys;              /* composite: scan keys of its components */
    int *memo;                  /* composite: component tuple -> value id + 1, 0 missing, -1 unknown */
    size_t nmemo;
    apr_hash_t *ids;            /* composite: value text -> id */
    apr_array_header_t *texts;  /* composite: id -> text */
    size_t *remap;              /* composite: id -> sorted level (1-based) */
    size_t nlevels;
    const char **value;         /* value[1..nlevels] */
} lkey_t;

/* How an analysis labels its levels (options lang= and labels=). */
typedef struct an_labels_t {
    sp_store_t *store;          /* the engine's workspace, or NULL: bare codes */
    int french;                 /* lang = "fr" */
} an_labels_t;

typedef struct analysis_t {
    apr_pool_t *pool;           /* scratch, a sub-pool of the run pool */
    an_labels_t labels;
    size_t nkeys;
    lkey_t key[SP_SCAN_MAX_KEYS];
    apr_array_header_t *phys;   /* scan key names */
    sp_scan_result_t *res;
} analysis_t;

/* The open Dataset at idx (raises when it is not one or is closed). */
dataset_t *sp_lua_ds_check(lua_State *L, int idx);

/* Raise "what: unknown field 'x'" when the table at idx has a field that is
 * not in allowed (NULL-terminated). */
void sp_lua_check_fields(lua_State *L, int idx, const char *what,
                         const char *const *allowed);
/* Optional string field (raises on a wrong type); NULL when absent. */
const char *sp_lua_opt_string(lua_State *L, int idx, const char *field,
                              const char *what);
/* Optional list field, "a,b" or {"a","b"}: appended to out (const char *). */
void sp_lua_opt_list(lua_State *L, int idx, const char *field,
                     const char *what, apr_array_header_t *out);

/* Read the options lang = "fr" | "en" (default "en") and labels = true |
 * false (default true) of the table at idx into *out: the store is the
 * engine's workspace (NULL without one, or with labels = false).  Raises
 * "what: ..." on a wrong value; call it before sp_lua_an_init. */
void sp_lua_opt_labels(lua_State *L, int idx, const char *what, an_labels_t *out);

/* Start an analysis (scratch pool under the run pool). */
void sp_lua_an_init(lua_State *L, analysis_t *an);
/* Add a logical variable; NULL or a static message. */
const char *sp_lua_an_add_key(analysis_t *an, const dataset_t *ds,
                              const char *name);
/* Scan and resolve composites.  Raises on a programmer's mistake; returns
 * SP_OK, -1 (a Lua error message is on the stack), or a status with *err. */
int sp_lua_an_run(lua_State *L, int ds_idx, dataset_t *ds, analysis_t *an,
                  const apr_array_header_t *measures, const char *weight,
                  const char *where, sp_error_t **err);
/* Scan key levels of a result cell. */
void sp_lua_an_tuple(const sp_scan_result_t *r, size_t cell, size_t *t);
/* Logical level of key k for scan tuple t. */
size_t sp_lua_an_level(const analysis_t *an, size_t k, const size_t *t);
/* Text shown for logical level i of key k: the missing label for 0, else
 * the workspace's label of the value (sp_scan_value_label, looked up by the
 * key's name) or the value itself.  Allocated in pool. */
const char *sp_lua_an_label(const analysis_t *an, size_t k, size_t i, apr_pool_t *pool);
/* Destroy the scratch pool and return nil, message (rc a status) or raise
 * (rc == -1). */
int sp_lua_an_fail(lua_State *L, analysis_t *an, int rc, sp_error_t *err);

/* Methods defined with their result classes. */
int sp_lua_dataset_crosstab(lua_State *L);
int sp_lua_dataset_aggregate(lua_State *L);

#endif
