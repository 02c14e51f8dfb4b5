/*
 * sp_scan_int.h -- what the files of a scan share; internal to libspiral.
 *
 * A scan (sp_scan.h) is split by job: sp_scan.c plans it, runs the
 * threads through a reader, merges their results and looks up labels;
 * sp_scan_csv.c and sp_scan_store.c are the two readers, which hand
 * batches of at most BATCH rows to the hot loop of sp_scan_acc.c as a
 * view_t; sp_scan_dict.c codes a CSV file's values.  The plan is read-only
 * once the threads start; each thread owns one worker_t.  A worker's
 * first error is kept in it (sp_scan_fail) and becomes an sp_error_t
 * after the join.
 */
#ifndef SP_SCAN_INT_H
#define SP_SCAN_INT_H

#include <stddef.h>
#include <stdint.h>
#include <apr_pools.h>
#include <apr_time.h>
#include "sp_colstore.h"
#include "sp_scan.h"
#include "sp_scan_dict.h"

#define BATCH 8192
#define MAX_CELLS ((size_t)1 << 26)   /* accumulator entries of one thread */
#define NO_CELL UINT32_MAX

/* Weighted sums are kept in fixed point, units of 2^-64, in 128 bits: the
 * additions are exact and associative, so the totals do not depend on how
 * the rows were split between threads or read (CSV or workspace), and the
 * JSON of the same data is the same byte for byte.  A weight is cut below
 * 2^-64 (far below a double's rounding of any total). */
__extension__ typedef unsigned __int128 wsum_t;

static inline wsum_t
fixed(double w)
{
    double s = w * 0x1p32;
    int64_t hi = (int64_t)s;
    int64_t lo = (int64_t)((s - (double)hi) * 0x1p32);

    return ((wsum_t)(uint64_t)hi << 32) + (uint64_t)lo;
}

static inline double
unfixed(wsum_t v)
{
    return (double)v * 0x1p-64;
}

enum { SRC_CSV, SRC_STORE };

struct sp_scan_source_t {
    apr_pool_t *pool;
    int kind;
    const char *name;
    int nthreads;
    const char **vars;
    size_t nvars;
    /* CSV */
    sp_csv_options_t copt;
    int decimal_comma, delim, utf8;
    apr_off_t data_start, size;
    /* workspace */
    sp_store_t *store;
    size_t nrows;
};

/* ---- the plan shared by the threads ----------------------------------------- */

typedef struct plan_t {
    size_t nu;                     /* distinct variables coded */
    const char **uname;
    size_t nkeys, nmeas;
    size_t key_u[SP_SCAN_MAX_KEYS];
    size_t *meas_u;
    const sp_where_term_t ***uterms; /* per variable, its where terms */
    size_t *nuterms;
    size_t *filter_u;              /* variables that carry a filter */
    size_t nfilter;
    int weighted;
    int decimal_comma;
    /* CSV */
    int *field_u;                  /* per field: variable or -1 */
    size_t nfields, lastf;
    long wfield;                   /* weight field, or -1 */
    int delim;
    const char *path;
    /* workspace */
    sp_column_t **col;             /* per variable */
    sp_column_t *wcol;
    dict_t *sdict;                 /* shared dictionaries of the workspace */
    apr_time_t t_start, t_loaded;  /* for SPIRAL_SCAN_TIMING */
} plan_t;

/* What one thread accumulates. */
typedef struct worker_t {
    const plan_t *p;
    dict_t *dict;                  /* nu dictionaries */
    uint16_t *codes;               /* CSV batch: nu x BATCH */
    double *w;                     /* CSV batch weights (NAN: none) */
    size_t fill;
    uint32_t *kidx;                /* BATCH */
    size_t kcap[SP_SCAN_MAX_KEYS], mcap, ncells;
    double *an;                    /* ncells (x nmeas x mcap) */
    wsum_t *aw;
    wsum_t *af;                    /* J1 shape, fixed-point weights: sums in */
    int af_scale;                  /* units of 2^-af_scale (-1: none) */
    double records, filtered, no_weight;
    /* errors */
    int status;
    const char *msg;               /* msgbuf, once set */
    char msgbuf[200];
    apr_off_t err_off;             /* CSV: byte offset of the bad line */
    long err_col;
    /* range */
    apr_off_t begin, end;
    size_t chunk0, chunk1;         /* workspace: chunks [chunk0, chunk1) */
    sp_colstore_reader_t *reader;
    void *cbuf[64];                /* one chunk of each variable */
    double *wbuf;
    int fd;
    int saw_quote;
} worker_t;

/* How the weights of a batch are held. */
enum { W_ONE, W_DOUBLE, W_FIXED, W_CODE, W_UNIT };

/* A batch of rows as columns: per variable a pointer to codes of width
 * 1 or 2, and the weights in one of the forms above. */
typedef struct view_t {
    const void *col[64];
    int width[64];
    const void **colp;
    int *widthp;
    int wkind;
    const double *w;               /* W_DOUBLE; NaN: no weight */
    const int64_t *wm;             /* W_FIXED: weight = wm[i] << wshift units */
    unsigned wshift;
    const uint8_t *wcode;          /* W_CODE: weight = wtab[wcode[i]] */
    const wsum_t *wtab;
    size_t n;
} view_t;

static inline size_t
acc_size(const worker_t *wk)
{
    return wk->ncells * (wk->p->nmeas ? wk->p->nmeas * wk->mcap : 1);
}

/* J1's shape: two keys of one-byte codes, no filter, no measure.  The
 * workspace reader asks too, to keep such sums in a chunk's own unit. */
static inline int
pair_shape(const plan_t *p, const int *width)
{
    return p->nkeys == 2 && p->nmeas == 0 && p->nfilter == 0
        && width[p->key_u[0]] == 1 && width[p->key_u[1]] == 1;
}

/* ---- sp_scan.c -------------------------------------------------------------- */

/* Zero *wk and give it its batch buffers (csv: and its own dictionaries,
 * else the plan's); 0 when memory runs out (sp_scan_worker_free still
 * applies). */
int sp_scan_worker_init(worker_t *wk, const plan_t *p, int csv);

void sp_scan_worker_free(worker_t *wk, int csv);

/* Keep status and msg as the worker's error unless it has one; returns
 * status. */
int sp_scan_fail(worker_t *wk, int status, const char *msg);

/* ---- sp_scan_acc.c ---------------------------------------------------------- */

/* Make the accumulator large enough for the dictionaries' current sizes,
 * moving the old entries to their new places.  SP_OK, or the worker's
 * error when the table would be too large or memory runs out. */
int sp_scan_ensure_caps(worker_t *wk);

/* Add the n rows of v to the accumulator (sized by sp_scan_ensure_caps
 * for every code in v). */
void sp_scan_accumulate(worker_t *wk, const view_t *v);

/* Move the sums kept in the unit of a chunk's weights (af) into aw. */
void sp_scan_flush_unit_sums(worker_t *wk);

/* ---- the readers -------------------------------------------------------------
 * Each scans the source with up to src->nthreads workers wk[0..*nw), which
 * it initialises (*nw counts those to free, even on failure).  Errors of
 * the set-up, and those a reader can place (a CSV line), come back as an
 * sp_error_t; any other stays in its worker for sp_scan_run to report. */

/* sp_scan_csv.c.  *fast: the unquoted splitter did the scan. */
int sp_scan_run_csv(sp_scan_source_t *src, plan_t *p, worker_t *wk, int *nw, int *fast,
                    apr_pool_t *pool, sp_error_t **err);

/* sp_scan_store.c.  Sets p->t_loaded when the chunks are ready to read. */
int sp_scan_run_store(sp_scan_source_t *src, plan_t *p, worker_t *wk, int *nw,
                      apr_pool_t *pool, sp_error_t **err);

#endif
