/*
 * sp_colstore.h -- the workspace's columnar copy of the survey.
 *
 * Table respondent holds the truth, one row per respondent.  For scans the
 * same data is kept as columns in table column_chunk of the same SQLite
 * file: per variable, chunks of SP_COLSTORE_CHUNK rows, dictionary-coded
 * (uint8 codes, uint16 beyond 255 values; code 0 = missing; the dictionary,
 * a JSON array of the values of codes 1.., is stored with chunk 0), items
 * as their level byte (code = level, no dictionary), and the weight per
 * chunk in the first of these forms that holds it exactly: a JSON
 * dictionary and uint8 codes when the chunk has at most 255 distinct
 * weights; native int64 m with weight = m * 2^-scale and the dictionary
 * {"scale": scale}, scale <= 64; raw native doubles.  A marker row
 * "#rows" records the row count and the layout.  Every chunk carries the
 * survey_generation it was built from; the triggers of sp_schema.c bump the
 * generation on any change to respondent, and sp_colstore_refresh()
 * rebuilds everything, in one transaction, when they differ (or the
 * layout is an older one).
 */
#ifndef SP_COLSTORE_H
#define SP_COLSTORE_H

#include <stddef.h>
#include <stdint.h>
#include <apr_pools.h>
#include "sp_error.h"
#include "sp_store.h"

#define SP_COLSTORE_CHUNK 65536

/* One column loaded in memory as a flat array over all rows. */
typedef struct sp_column_t {
    const char *name;
    size_t nrows;
    int width;            /* 1 or 2: codes; 8: doubles (the weight) */
    const void *data;     /* nrows codes (uint8/uint16) or doubles */
    size_t nvalues;       /* dictionary size (codes 1..nvalues) */
    const char **values;  /* values[1..nvalues]; values[0] = "" */
} sp_column_t;

/* Rebuild the chunks when their generation differs from
 * survey_generation.value (or they are missing).  *rebuilt (may be NULL)
 * receives 1 when it did.  Returns SP_OK or an error status. */
int sp_colstore_refresh(sp_store_t *store, int *rebuilt, apr_pool_t *pool,
                        sp_error_t **err);

/* Names of the columns (after a refresh), workspace order; *n their number,
 * *nrows the number of respondents. */
int sp_colstore_columns(sp_store_t *store, const char ***names, size_t *n,
                        size_t *nrows, apr_pool_t *pool, sp_error_t **err);

/* One column without its data (data NULL): rows, width, dictionary.
 * SP_EXIT_USAGE when there is no such column. */
int sp_colstore_describe(sp_store_t *store, const char *name, sp_column_t **col,
                         apr_pool_t *pool, sp_error_t **err);

/* Number of chunks of a column. */
size_t sp_colstore_nchunks(const sp_column_t *col);

/* A chunk reader.  own_connection: a read-only connection of its own, so
 * that each thread of a scan can read with its own reader (create readers
 * in the thread that owns pool, then hand each to one thread).  Closed by
 * a cleanup on pool. */
typedef struct sp_colstore_reader_t sp_colstore_reader_t;
int sp_colstore_reader_open(sp_store_t *store, int own_connection,
                            sp_colstore_reader_t **rd, apr_pool_t *pool,
                            sp_error_t **err);

/* Read chunk `chunk` of col into buf (room for SP_COLSTORE_CHUNK values of
 * col->width bytes; dictionary-coded weights are decoded to doubles, narrow
 * codes widened).  *nrows receives its rows.  Returns SP_OK, or a status
 * with *why a message owned by the reader (no allocation: callable from a
 * worker thread). */
int sp_colstore_read(sp_colstore_reader_t *rd, const sp_column_t *col, size_t chunk,
                     void *buf, size_t *nrows, const char **why);

/* One chunk of the weight column as stored, for scans that sum weights
 * exactly: exactly one of value, fixed and code is set. */
typedef struct sp_colstore_weights_t {
    size_t n;
    const double *value;    /* the weights */
    const int64_t *fixed;   /* weight k = fixed[k] * 2^-scale, exactly */
    int scale;              /* 0..64 */
    const uint8_t *code;    /* weight k = dict[code[k]] */
    double dict[255];
    size_t ndict;
} sp_colstore_weights_t;

/* Read chunk `chunk` of the weight column without decoding it: buf has
 * room for SP_COLSTORE_CHUNK doubles; out->code, when set, points into
 * the reader and lasts until its next read. */
int sp_colstore_read_weights(sp_colstore_reader_t *rd, const sp_column_t *col,
                             size_t chunk, void *buf, sp_colstore_weights_t *out,
                             const char **why);

/* Load one column as a flat array (in pool).  SP_EXIT_USAGE when there is
 * no such column. */
int sp_colstore_load(sp_store_t *store, const char *name, sp_column_t **col,
                     apr_pool_t *pool, sp_error_t **err);

#endif
