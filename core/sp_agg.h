/*
 * sp_agg.h -- grouped aggregation of many ordinal variables at once.
 *
 * Progress indicators and self-survey items are ordinal codes with few
 * levels (1 = very bad .. 5 = ideal).  An sp_agg_t keeps, for every
 * (group, variable, level) triple, the number of records and the sum of
 * their weights in one dense array; level 0 holds the missing answers.
 * One pass over the data fills it (sp_agg_add_column is the hot loop); every
 * statistic -- counts, weighted sum, mean, standard deviation, quantiles,
 * distribution, share at or below a level -- is then derived from that
 * histogram by sp_agg_compute.  Disclosure control is applied there too.
 * Rendering to JSON, CSV and aligned text lives in sp_agg_render.c.  The
 * module does no I/O except the render functions' writes to a FILE.
 *
 * Definitions (all weights are frequency weights, as PSPP MEANS and SPSS):
 *   n       records with a valid level (1..nlevels), unweighted;
 *   W       sum of their weights;  S = sum of w*x;  mean = S / W;
 *   sd      sqrt((sum w x^2 - S^2/W) / (W - 1)), computed around the mean;
 *   quantile p: PSPP's and SPSS's HAVERAGE, the default of EXAMINE
 *           /PERCENTILES: with tc = (W + 1) p, y the largest level whose
 *           cumulative weight cc <= tc and y1 the next level present, the
 *           value is y + g (y1 - y) where g = tc - cc when the weight of y1
 *           is >= 1, and g = (tc - cc) / weight(y1) otherwise; g >= 1 gives
 *           y1, and tc >= W gives the highest level.  One deviation: when tc
 *           is below the weight of the lowest level present, PSPP
 *           interpolates between 0 and that level; spiral returns that level
 *           (a quantile of ordinal codes never falls outside the codes seen).
 *           Levels of zero weight are not "present" (PSPP drops cases of
 *           zero weight before ordering).
 *   share_le(k)  weight of levels 1..k divided by W ("bad or worse" when k
 *           is the last bad level).
 * A statistic that is undefined -- any of them when W = 0, sd when W <= 1 --
 * is NAN in C and null/empty/"." in the rendered outputs, never a number.
 *
 * Disclosure control, as for the crosstab (sp_xtab.h): an entry with 1..K-1
 * valid answers is suppressed -- the renderers list it and withhold its
 * numbers -- unless no_suppress, which marks the output "not for
 * publication".  An empty group (n = 0) is shown with n = 0 and undefined
 * statistics.  In an entry that is shown, two parts are cells of their own
 * and are withheld in the same way:
 *   the distribution over levels (counts, weights, shares, cumulative
 *           shares), withheld whole when a level holds 1..K-1 answers --
 *           withholding that level alone would be undone by the entry's
 *           total and the cumulative shares;
 *   share_le(k), withheld when the answers at or below k, or those above
 *           it, number 1..K-1 (the second is the total minus the first);
 *   the missing answers (count and weight), withheld when 1..K-1: they are
 *           people who did not answer.
 * The mean, sd and quantiles stay shown: they describe at least K answers.
 * With short ladders they still narrow down the distribution (a mean of
 * 1.2 over 5 answers on a 2-level ladder is four 1s and a 2): raise K for
 * such items.
 *
 * Weights must be finite and >= 0.  A record of weight 0 counts in n (it is
 * an answer) but adds nothing weighted.
 */
#ifndef SP_AGG_H
#define SP_AGG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <apr_pools.h>
#include "sp_error.h"

#define SP_AGG_MAX_LEVELS 254      /* codes are uint8; 0 = missing, 255 kept free */
#define SP_AGG_DEFAULT_MIN_CELL 5
#define SP_AGG_DEFAULT_BAD_LEVEL 2 /* 1 very bad, 2 bad: "bad or worse" */

typedef struct sp_agg_t sp_agg_t;

/* Options of sp_agg_compute; sp_agg_opts_init sets the defaults. */
typedef struct sp_agg_opts_t {
    unsigned min_cell;  /* K: a (group, variable) with 1..K-1 answers is suppressed */
    int no_suppress;    /* publish everything, marked "not for publication" */
    unsigned bad_level; /* k of share_le; clamped to nlevels */
} sp_agg_opts_t;

/* What sp_agg_compute derives for one (group, variable). */
typedef struct sp_agg_stats_t {
    uint64_t n;          /* valid answers, unweighted */
    uint64_t n_missing;  /* missing answers (level 0), unweighted */
    double weight;       /* W: sum of weights of valid answers */
    double weight_missing;
    double sum;          /* sum of w * level */
    double mean;         /* NAN when W = 0 */
    double sd;           /* NAN when W <= 1 */
    double q1, median, q3; /* HAVERAGE quantiles .25 .5 .75; NAN when W = 0 */
    double share_le;     /* share of W at levels <= bad_level; NAN when W = 0 */
    int suppressed;      /* small and suppression on */
    int small;           /* 0 < n < min_cell (an empty group discloses nothing) */
    int dist_withheld;   /* suppressed, or a level holds 1..K-1 answers */
    int missing_withheld; /* suppressed, or 1..K-1 missing answers */
    int share_le_withheld; /* suppressed, or answers <= or > bad_level number 1..K-1 */
} sp_agg_stats_t;

/* Create an aggregator for ngroups x nvars x nlevels (levels 1..nlevels,
 * 1 <= nlevels <= SP_AGG_MAX_LEVELS).  Everything lives in pool.  Returns
 * NULL when a size is 0, nlevels is too large, or the cell count overflows.
 * Default names: dimension "group", group keys "1".."ngroups", variables
 * "v1".."vN", no labels. */
sp_agg_t *sp_agg_create(size_t ngroups, size_t nvars, size_t nlevels,
                        apr_pool_t *pool);

size_t sp_agg_ngroups(const sp_agg_t *a);
size_t sp_agg_nvars(const sp_agg_t *a);
size_t sp_agg_nlevels(const sp_agg_t *a);

/* Add one answer: level 1..nlevels, 0 = missing.  A record whose group,
 * variable or level is out of range, or whose weight is negative or not
 * finite, is not added and is counted by sp_agg_rejected. */
void sp_agg_add(sp_agg_t *a, size_t group, size_t var, unsigned level,
                double weight);

/* Add n answers at once whose weights total weight (callers that counted
 * elsewhere, such as the columnar scan).  Refused like sp_agg_add. */
void sp_agg_add_n(sp_agg_t *a, size_t group, size_t var, unsigned level,
                  uint64_t n, double weight);

/* Add a whole column: row i has level codes[i] (0 = missing), group
 * groups[i] and weight weights[i] (weights NULL means 1 for every row).
 * The arguments are checked first and nothing is added unless all of them
 * are in range: otherwise SP_EXIT_DATA with the first bad row (0-based) in
 * the message, or SP_EXIT_SOFTWARE for a bad var.  Returns SP_OK. */
int sp_agg_add_column(sp_agg_t *a, size_t var, const uint8_t *codes,
                      const uint32_t *groups, const double *weights,
                      size_t nrows, apr_pool_t *pool, sp_error_t **err);

/* Records refused by sp_agg_add. */
uint64_t sp_agg_rejected(const sp_agg_t *a);

/* Names and labels (copied into the aggregator's pool; NULL label clears).
 * Grouping dimensions: set their names first, then each group's key values
 * (ndims strings).  Each returns SP_OK or SP_EXIT_SOFTWARE when an index or
 * count is out of range. */
int sp_agg_set_dims(sp_agg_t *a, size_t ndims, const char *const *names);
int sp_agg_set_group_key(sp_agg_t *a, size_t group, const char *const *values);
int sp_agg_set_var(sp_agg_t *a, size_t var, const char *name, const char *label);
int sp_agg_set_level_label(sp_agg_t *a, unsigned level, const char *label);
/* A title printed by the renderers (NULL for none). */
void sp_agg_set_title(sp_agg_t *a, const char *title);

size_t sp_agg_ndims(const sp_agg_t *a);
const char *sp_agg_dim_name(const sp_agg_t *a, size_t dim);
const char *sp_agg_group_key(const sp_agg_t *a, size_t group, size_t dim);
const char *sp_agg_var_name(const sp_agg_t *a, size_t var);
const char *sp_agg_var_label(const sp_agg_t *a, size_t var);   /* may be NULL */
const char *sp_agg_level_label(const sp_agg_t *a, unsigned level); /* may be NULL */
const char *sp_agg_title(const sp_agg_t *a);                   /* may be NULL */

void sp_agg_opts_init(sp_agg_opts_t *opts);

/* Derive all statistics from the histogram (opts NULL: defaults).  May be
 * called again after more adds or with other options. */
void sp_agg_compute(sp_agg_t *a, const sp_agg_opts_t *opts);

/* The options of the last sp_agg_compute, or NULL before it. */
const sp_agg_opts_t *sp_agg_options(const sp_agg_t *a);
/* The statistics of (group, var), or NULL before sp_agg_compute or when out
 * of range.  Valid until the next sp_agg_compute.  Suppressed entries still
 * hold the numbers: renderers are what withhold them. */
const sp_agg_stats_t *sp_agg_stats(const sp_agg_t *a, size_t group, size_t var);
/* Histogram cells: level 0..nlevels (0 = missing).  0 when out of range. */
uint64_t sp_agg_level_count(const sp_agg_t *a, size_t group, size_t var,
                            unsigned level);
double sp_agg_level_weight(const sp_agg_t *a, size_t group, size_t var,
                           unsigned level);
/* Share of valid weight at levels <= k (k clamped to nlevels); NAN when W = 0. */
double sp_agg_share_le(const sp_agg_t *a, size_t group, size_t var, unsigned k);
/* HAVERAGE quantile for 0 <= p <= 1 (see above); NAN when W = 0 or p is
 * outside [0, 1]. */
double sp_agg_quantile(const sp_agg_t *a, size_t group, size_t var, double p);
/* Number of (group, variable) entries suppressed by the last compute. */
size_t sp_agg_nsuppressed(const sp_agg_t *a);
/* A count of records left out (without a group, filtered, without a
 * weight) as text for a note: "12", or "<K" when it is 1..K-1 and
 * suppression is on.  Uses the options of the last sp_agg_compute. */
const char *sp_agg_count_text(const sp_agg_t *a, double n, apr_pool_t *pool);
/* Number of entries shown with their distribution or share_le withheld. */
size_t sp_agg_nwithheld_parts(const sp_agg_t *a);
/* Whether share_le(k) of (group, var) must be withheld: suppression on and
 * the answers at levels <= k, or above k, number 1..K-1.  Uses the options
 * of the last sp_agg_compute. */
int sp_agg_share_le_withheld(const sp_agg_t *a, size_t group, size_t var,
                             unsigned k);

/* ---- rendering (sp_agg_render.c); call sp_agg_compute first ---- */

typedef struct sp_agg_csv_opts_t {
    int sep;            /* ',' (default when 0), ';' or '\t' */
    int decimal_comma;  /* write 0,5 instead of 0.5 (needs sep != ',') */
} sp_agg_csv_opts_t;

/* JSON: one object with the options, the quantile rule, the dimensions,
 * variables, levels, the list of suppressed entries and one result per
 * (group, variable); numbers with 17 significant digits, keys in a fixed
 * order, undefined numbers as null.  Written to out; SP_EXIT_IO on a write
 * error, SP_EXIT_SOFTWARE when not computed. */
int sp_agg_render_json(const sp_agg_t *a, FILE *out, apr_pool_t *pool,
                       sp_error_t **err);
/* CSV, long format: dims..., variable, statistic, level, value, note; one
 * value per row.  opts NULL: comma and point.  SP_EXIT_USAGE for a bad
 * separator or decimal comma with a comma separator. */
int sp_agg_render_csv(const sp_agg_t *a, const sp_agg_csv_opts_t *opts,
                      FILE *out, apr_pool_t *pool, sp_error_t **err);
/* Aligned text table (display width of UTF-8 labels respected). */
int sp_agg_render_text(const sp_agg_t *a, FILE *out, apr_pool_t *pool,
                       sp_error_t **err);

#endif
