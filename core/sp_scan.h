/*
 * sp_scan.h -- one pass over survey rows, straight into dense histograms.
 *
 * A scan projects only the variables a job needs into dictionary codes
 * (code 0 = missing, 1.. = the values in the order first seen) and feeds
 * dense per-thread accumulators: for every combination of the "key"
 * variables (rows x cols x layers of a crosstab, the by-variables of an
 * aggregation) the number of records and the sum of their weights, and,
 * for every "measure" variable (the indicators of an aggregation), the
 * same per level.  At the end the thread-local codes are merged into
 * levels sorted numerically when every value is a number, else by bytes,
 * and the caller hands the totals to sp_xtab_add() or sp_agg_add() once
 * per cell.  Nothing is kept per row: memory is bounded by the size of the
 * table, not by the number of rows.
 *
 * Two sources: a CSV file (sp_scan_open_csv: files without any quote
 * character are split by a specialised splitter in two byte ranges scanned
 * by two APR threads; other files go through sp_csv, one thread) and the
 * workspace (sp_scan_open_store: the columnar chunks of sp_colstore.h,
 * rebuilt first when stale, loaded as flat arrays and scanned by two
 * threads).  The workspace lookups that label a result's variables and
 * levels live here too; the filter language of --where and the order of
 * levels in sp_where.h, included here.
 */
#ifndef SP_SCAN_H
#define SP_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <apr_pools.h>
#include "sp_csv.h"
#include "sp_error.h"
#include "sp_store.h"
#include "sp_where.h"   /* sp_where_t of a request; sp_scan_sort_levels */

#define SP_SCAN_MAX_KEYS 8        /* key variables of one scan */
#define SP_SCAN_MAX_LEVELS 65535  /* distinct values of one variable */

/* ---- sources -------------------------------------------------------------- */

typedef struct sp_scan_source_t sp_scan_source_t;

/* A CSV file: reads the header (delimiter and encoding detected unless set
 * in copt).  decimal_comma: weights may be written 1,5 (needs a delimiter
 * other than ',').  SP_EXIT_NOINPUT / SP_EXIT_DATA as sp_csv_open. */
int sp_scan_open_csv(sp_scan_source_t **src, const char *path,
                     const sp_csv_options_t *copt, int decimal_comma,
                     apr_pool_t *pool, sp_error_t **err);

/* The workspace's respondents through their columnar chunks (rebuilt here
 * when stale, see sp_colstore.h).  Variables: wave, form, neighbourhood,
 * age_band, gender, social_category, weight and every form item by name. */
int sp_scan_open_store(sp_scan_source_t **src, sp_store_t *store,
                       apr_pool_t *pool, sp_error_t **err);

/* Names of the variables of a source, in file (or workspace) order. */
const char *const *sp_scan_vars(const sp_scan_source_t *src, size_t *n);

/* 1 when name is a variable of src. */
int sp_scan_has_var(const sp_scan_source_t *src, const char *name);

/* The file name or workspace path, for messages. */
const char *sp_scan_name(const sp_scan_source_t *src);

/* Number of threads used by sp_scan_run (default 2; 1 forces one). */
void sp_scan_set_threads(sp_scan_source_t *src, int nthreads);

/* ---- running a scan ------------------------------------------------------- */

typedef struct sp_scan_request_t {
    const char *const *keys;     /* joint dimensions, 1..SP_SCAN_MAX_KEYS */
    size_t nkeys;
    const char *const *measures; /* histogrammed per key cell (may be 0) */
    size_t nmeasures;
    const char *weight;          /* NULL: every record weighs 1 */
    const sp_where_t *where;     /* NULL: every record */
} sp_scan_request_t;

/* Levels of one variable after the merge: index 0 is "missing", 1..nlevels
 * the values in sorted order. */
typedef struct sp_scan_levels_t {
    const char *var;
    size_t nlevels;
    const char **value;          /* value[1..nlevels]; value[0] = "" */
} sp_scan_levels_t;

/* The totals.  Key cells are indexed in mixed radix over the keys, each
 * dimension of size nlevels + 1 (index 0 = missing), the last key varying
 * fastest: cell = ((k0 * (L1 + 1)) + k1) * (L2 + 1) + k2 ...
 * Without measures, n[cell] and w[cell] are the records and their weight.
 * With measures, n[(cell * nmeasures + m) * mstride + level] (level 0 =
 * missing, 1..measure[m].nlevels) and w likewise; mstride is the largest
 * measure nlevels + 1. */
typedef struct sp_scan_result_t {
    size_t nkeys, nmeasures, ncells, mstride;
    sp_scan_levels_t *key;       /* nkeys */
    sp_scan_levels_t *measure;   /* nmeasures */
    double *n, *w;
    double records;              /* rows read */
    double filtered;             /* rows dropped by --where */
    double no_weight;            /* rows kept but without a weight (empty) */
    int threads;                 /* threads that scanned */
    int fast_path;               /* CSV: the unquoted splitter was used */
} sp_scan_result_t;

/* Run one scan.  Unknown variable names give SP_EXIT_USAGE with the list of
 * known ones; a weight that is negative or not a number SP_EXIT_DATA with
 * file:line:column; a variable with more than SP_SCAN_MAX_LEVELS values
 * SP_EXIT_DATA.  The result lives in pool. */
int sp_scan_run(sp_scan_source_t *src, const sp_scan_request_t *req,
                sp_scan_result_t **res, apr_pool_t *pool, sp_error_t **err);

/* ---- labels from the workspace -------------------------------------------
 * What `spiral crosstab`, `spiral aggregate` and the Lua analyses show in
 * place of bare codes.  store may be NULL (no workspace, or labels turned
 * off): every lookup then finds nothing.  french: 1 for label_fr, 0 for
 * label_en.  Lookups are plain SELECTs; a failure to prepare or step is
 * treated as "no label", never as an error, so that a workspace of an
 * older schema still gives bare codes. */

/* Label of value of variable var: the value_label row (var, value), else,
 * when value is an integer >= 1 and var is a form item, that level of the
 * item's indicator (among the items named var whose indicator has that
 * level, the one of the lowest form id).  NULL when there is none or value
 * is "" (missing).  The string is allocated in pool. */
const char *sp_scan_value_label(sp_store_t *store, int french, const char *var,
                                const char *value, apr_pool_t *pool);

/* Label of variable var: the indicator of the form item named var (lowest
 * form id), or NULL.  Allocated in pool. */
const char *sp_scan_var_label(sp_store_t *store, int french, const char *var,
                              apr_pool_t *pool);

/* bad_at_most of the indicator of the form item named var, or -1 when
 * store is NULL or var is not an item. */
int sp_scan_bad_at_most(sp_store_t *store, const char *var);

/* The label of the missing level: "(manquant)" or "(missing)" (static). */
const char *sp_scan_missing_label(int french);

#endif
