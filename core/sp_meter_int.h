/*
 * sp_meter_int.h -- what the files of the meter share; internal to
 * libspiral.
 *
 * The meter (sp_meter.h) is split by job: sp_meter.c finds the meter
 * module, opens its engine and answers the public accessors;
 * sp_meter_host.c is what one run of the Lua driver exchanges with C (the
 * spiral.meter_host functions, the driver chunk, the run's budgets);
 * sp_meter_one.c is one household (answers parsed from text or read from
 * the workspace, and its report); sp_meter_batch.c runs the meter over
 * many households (a CSV file, the workspace); sp_meter_dist.c summarises
 * a batch by neighbourhood with its disclosure control.
 *
 * A run is the driver called once with a host_t: the host's next() feeds
 * it households, put() and refuse() bring results and the meter's
 * messages back.  The meter itself (sp_meter_t) lives as long as its pool
 * and is only written by the "describe" run of sp_meter_open.
 */
#ifndef SP_METER_INT_H
#define SP_METER_INT_H

#include <apr_hash.h>
#include <apr_pools.h>
#include <apr_tables.h>
#include "sp_engine.h"
#include "sp_meter.h"

struct sp_meter_t {
    apr_pool_t *pool;
    sp_engine_t *eng;
    const char *module, *pack, *code;
    apr_array_header_t *resources;  /* sp_meter_resource_t */
    apr_array_header_t *questions;  /* const char * */
    apr_hash_t *question_set;
};

typedef struct host_t host_t;
/* Push the next household's answers table and return 1, or return 0 at the
 * end (or after setting h->src_err). */
typedef int next_fn(host_t *h, lua_State *L);

/* One run of the driver.  A batch source embeds it first in a larger
 * struct (batch_ctx_t) and casts back from the host_t in its next_fn. */
struct host_t {
    sp_meter_t *m;
    apr_pool_t *pool;          /* results */
    next_fn *next;
    void *src;
    sp_error_t *src_err;       /* a reading error: the run stops, C reports it */
    const char *refused;       /* the meter's message for a refused answer */
    apr_array_header_t *lines; /* const char *, mode "report" */
    /* batch results */
    apr_array_header_t *values;        /* double, 3 * nres per household */
    long puts;
};

/* sp_meter_host.c */

/* Register spiral.meter_host in m's engine (once, before any run). */
int
sp_meter_host_register(sp_meter_t *m, sp_error_t **err);
/* Run the driver in mode ("describe", "batch", "report") with h as the
 * host, the instruction and time budgets grown for households; the
 * meter's messages and reading errors come back through h. */
int
sp_meter_run(sp_meter_t *m, host_t *h, const char *mode, const char *lang, long households,
             sp_error_t **err);

/* sp_meter.c */

/* Set *err to "unknown question 'name'; the meter 'code' asks: ..." with
 * status at file:line:col (file NULL: no location); returns status. */
int
sp_meter_unknown_question(const sp_meter_t *m, int status, const char *file, long line, long col,
                          const char *name, apr_pool_t *pool, sp_error_t **err);

#endif
