/*
 * sp_limits.h -- the run-time limits of the engine, as one named table.
 *
 * Like sqlite3_limit, every limit is a slot in one table indexed by an id.
 * The list is a single X-macro, SP_LIMITS, from which the enum, the names
 * (used by `--limit NAME=VALUE` and by the read-only `spiral.limits` table
 * scripts see), the defaults and the documentation strings are generated,
 * so the four can never disagree.  The engine (sp_engine_alloc.c)
 * enforces memory, instructions and seconds itself; rows and cells are
 * checked by the modules that create rows and cells (datasets,
 * cross-tabulations), which read them through sp_engine_limits().  A value
 * of 0 means "no limit".  The functions declared here are defined in
 * sp_limits.c.
 */
#ifndef SP_LIMITS_H
#define SP_LIMITS_H

#include <apr_pools.h>
#include "sp_error.h"

/* X(ID, name, default, documentation) */
#define SP_LIMITS(X) \
    X(MEMORY, memory, 268435456LL, \
      "bytes the Lua state of a run may hold (256 MiB)") \
    X(INSTRUCTIONS, instructions, 10000000000LL, \
      "Lua VM instructions one run may execute") \
    X(SECONDS, seconds, 120LL, \
      "wall-clock seconds one run may take") \
    X(ROWS, rows, 5000000LL, \
      "rows one dataset may hold") \
    X(CELLS, cells, 1000000LL, \
      "cells one cross-tabulation may hold")

typedef enum sp_limit_id_t {
#define SP_LIMIT_ENUM_(ID, name, def, doc) SP_LIMIT_##ID,
    SP_LIMITS(SP_LIMIT_ENUM_)
#undef SP_LIMIT_ENUM_
    SP_LIMIT_COUNT_
} sp_limit_id_t;

typedef struct sp_limits_t {
    long long value[SP_LIMIT_COUNT_];   /* 0 = unlimited; never negative */
} sp_limits_t;

/* Fill *limits with the defaults of SP_LIMITS. */
void sp_limits_init(sp_limits_t *limits);

/* The name ("memory"), default and documentation of limit id; NULL/0 for
 * an id out of range. */
const char *sp_limit_name(int id);
long long sp_limit_default(int id);
const char *sp_limit_doc(int id);

/* The id of the limit called name, or -1. */
int sp_limit_find(const char *name);

/* Parse "NAME=VALUE" (VALUE a non-negative integer, optionally followed by
 * k, M or G for powers of 1024) and store it in *limits.  On a bad name or
 * value return SP_EXIT_USAGE and fill *err (allocated in pool). */
int sp_limits_parse(sp_limits_t *limits, const char *assignment,
                    apr_pool_t *pool, sp_error_t **err);

#endif
