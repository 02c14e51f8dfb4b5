/*
 * sp_xtab.h -- the cross-tabulation object: weighted counts, percentages,
 * expected counts, residuals, chi-square tests, association measures and
 * disclosure control, for a rows x cols table repeated over layers.
 *
 * Life cycle: sp_xtab_create(), then sp_xtab_add() once per non-empty cell
 * (callers that scan many records accumulate dense arrays themselves), the
 * setters for names and labels, then sp_xtab_compute(); afterwards the
 * results are read with sp_xtab_cell() and sp_xtab_stat(), or rendered by
 * sp_xtab_render.c.  Everything lives in the pool given to sp_xtab_create().
 *
 * Weights are frequency weights, as in PSPP/SPSS CROSSTABS: every statistic
 * uses the weighted counts at full double precision; the unweighted counts
 * (records) only decide disclosure control.  Fisher's exact test needs
 * integer counts: with non-integer weighted counts it runs on the counts
 * rounded half up, as PSPP does, and the result says so (rounded = 1).
 *
 * Degenerate tables follow PSPP: statistics are computed on the non-empty
 * rows and columns only (a row or column whose weighted total is zero does
 * not count towards df or Cramer's V); with fewer than two non-empty rows or
 * columns the chi-squares and measures are absent; Yates and Fisher exist
 * only when exactly two rows and two columns are non-empty.  Unlike PSPP, a
 * chi-square that is exactly 0 is reported as 0 with p = 1 (as R does), not
 * as absent.  Absent values carry a reason string and are never NaN on
 * output (JSON null, empty CSV field, "." in text).
 *
 * Disclosure control (on unless no_suppress): a cell or a margin whose
 * unweighted count is 1..min_cell-1 is suppressed (primary); then, iterating until stable,
 * every row, column and (with several layers) every layer-line of the table
 * extended with its margins that holds exactly one suppressed value gets a
 * second one: the smallest non-zero unsuppressed cell of that line
 * (secondary), or, when the line has no such cell, its margin.  Zero cells
 * are never sensitive.  Percentages whose denominator has fewer than
 * min_cell records, or whose cell or denominator is suppressed, are
 * suppressed; so are expected counts and residuals that would reveal a
 * suppressed value.  With no_suppress nothing is hidden and the result is
 * flagged "not for publication".
 */
#ifndef SP_XTAB_H
#define SP_XTAB_H

#include <stddef.h>
#include <apr_pools.h>

#include "sp_error.h"

/* Cell kinds: X(ENUM, key, label).  Keys are the JSON/CSV names. */
#define SP_XTAB_CELL_KINDS(X)                               \
    X(COUNT, "n", "Count")                                  \
    X(WEIGHTED, "weighted", "Weighted")                     \
    X(ROW_PCT, "row_pct", "Row %")                          \
    X(COL_PCT, "col_pct", "Column %")                       \
    X(TOTAL_PCT, "total_pct", "Total %")                    \
    X(EXPECTED, "expected", "Expected")                     \
    X(STD_RESID, "std_residuals", "Std. residual")          \
    X(ADJ_RESID, "adj_residuals", "Adj. residual")

typedef enum sp_xtab_cell_kind_t {
#define X(e, key, label) SP_XTAB_##e,
    SP_XTAB_CELL_KINDS(X)
#undef X
    SP_XTAB_N_CELL_KINDS
} sp_xtab_cell_kind_t;

/* Statistics: X(ENUM, key, label). */
#define SP_XTAB_STATISTICS(X)                                     \
    X(PEARSON, "pearson", "Pearson chi-square")                   \
    X(LR, "lr", "Likelihood ratio")                               \
    X(YATES, "yates", "Continuity correction (Yates)")            \
    X(FISHER, "fisher", "Fisher's exact test")                    \
    X(PHI, "phi", "Phi")                                          \
    X(CRAMERS_V, "cramers_v", "Cramer's V")                       \
    X(CC, "contingency_coefficient", "Contingency coefficient")

typedef enum sp_xtab_stat_kind_t {
#define X(e, key, label) SP_XTAB_ST_##e,
    SP_XTAB_STATISTICS(X)
#undef X
    SP_XTAB_N_STATS
} sp_xtab_stat_kind_t;

/* Names from the lists above, NULL-terminated (for luaL_checkoption). */
extern const char *const sp_xtab_cell_keys[SP_XTAB_N_CELL_KINDS + 1];
extern const char *const sp_xtab_cell_labels[SP_XTAB_N_CELL_KINDS + 1];
extern const char *const sp_xtab_stat_keys[SP_XTAB_N_STATS + 1];
extern const char *const sp_xtab_stat_labels[SP_XTAB_N_STATS + 1];

/* Dimensions, for labels. */
typedef enum sp_xtab_dim_t {
    SP_XTAB_ROWS = 0,
    SP_XTAB_COLS = 1,
    SP_XTAB_LAYERS = 2
} sp_xtab_dim_t;

/* What a value read from a computed table is. */
typedef enum sp_xtab_status_t {
    SP_XTAB_SHOWN = 0,      /* *value holds it */
    SP_XTAB_UNDEFINED = 1,  /* not defined (zero denominator...); *why says why */
    SP_XTAB_SUPPRESSED = 2  /* hidden by disclosure control */
} sp_xtab_status_t;

/* Why a cell value is suppressed (sp_xtab_suppressed_t.kind). */
typedef enum sp_xtab_supp_kind_t {
    SP_XTAB_SUPP_NONE = 0,
    SP_XTAB_SUPP_PRIMARY = 1,   /* 1 .. min_cell-1 records */
    SP_XTAB_SUPP_SECONDARY = 2  /* hidden so that a primary one can't be recovered */
} sp_xtab_supp_kind_t;

/* A row or column index equal to SP_XTAB_TOTAL names the margin: (r, TOTAL)
 * is row r's total, (TOTAL, c) column c's total. */
#define SP_XTAB_TOTAL ((size_t)-1)

typedef struct sp_xtab_options_t {
    double min_cell;  /* K: cells with 1..K-1 records are hidden; default 5 */
    int no_suppress;  /* 1: no disclosure control; "not for publication" */
} sp_xtab_options_t;

/* One statistic of one table.  For chi-squares value, df and p are set;
 * for Fisher p is the two-sided p-value and p_less, p_greater, p_one the
 * one-sided ones; for measures only value.  Unused fields are NAN. */
typedef struct sp_xtab_stat_t {
    int defined;      /* 0: absent, see why */
    double value;
    double df;
    double p;
    double p_less;
    double p_greater;
    double p_one;
    const char *why;  /* static string, NULL when defined */
} sp_xtab_stat_t;

/* One suppressed value (cell or margin) of one table. */
typedef struct sp_xtab_suppressed_t {
    size_t table;     /* 0..ntables-1, see sp_xtab_ntables() */
    size_t row;       /* or SP_XTAB_TOTAL */
    size_t col;       /* or SP_XTAB_TOTAL */
    sp_xtab_supp_kind_t kind;
} sp_xtab_suppressed_t;

typedef struct sp_xtab_t sp_xtab_t;

/* Create an empty table of nrows x ncols x nlayers (each >= 1; nlayers == 1
 * means no layer variable).  Returns NULL when a dimension is 0 or the
 * product overflows.  Allocates in pool. */
sp_xtab_t *
sp_xtab_create(size_t nrows, size_t ncols, size_t nlayers, apr_pool_t *pool);

/* Add n records of total weight `weighted` to a cell.  Adding to a computed
 * table discards the results.  Indexes out of range, negative or non-finite
 * n or weighted are remembered and make sp_xtab_compute() fail. */
void
sp_xtab_add(sp_xtab_t *xt, size_t layer, size_t row, size_t col,
            double n, double weighted);

/* Names of the row, column and layer variables (copied; NULL allowed). */
void
sp_xtab_set_vars(sp_xtab_t *xt, const char *row_var, const char *col_var,
                 const char *layer_var);

/* Name of the weight variable, or NULL for an unweighted table (copied). */
void
sp_xtab_set_weight_var(sp_xtab_t *xt, const char *weight_var);

/* Label of level `index` of a dimension (copied).  Returns SP_OK, or
 * SP_EXIT_SOFTWARE when index is out of range.  Unset labels read "1", "2"... */
int
sp_xtab_set_label(sp_xtab_t *xt, sp_xtab_dim_t dim, size_t index,
                  const char *label);

/* Records and weight left out because a variable was missing. */
void
sp_xtab_set_missing(sp_xtab_t *xt, double records, double weight);

/* Defaults: min_cell 5, suppression on. */
void
sp_xtab_options_init(sp_xtab_options_t *opt);

/* Compute everything (opt NULL = defaults).  Returns SP_OK, or
 * SP_EXIT_DATA with *err filled (in the table's pool) when a call to
 * sp_xtab_add() was invalid or min_cell is negative. */
int
sp_xtab_compute(sp_xtab_t *xt, const sp_xtab_options_t *opt, sp_error_t **err);

/* ---- reading a computed table ----------------------------------------- */

/* 1 when sp_xtab_compute() succeeded and nothing was added since. */
int sp_xtab_is_computed(const sp_xtab_t *xt);

size_t sp_xtab_nrows(const sp_xtab_t *xt);
size_t sp_xtab_ncols(const sp_xtab_t *xt);
size_t sp_xtab_nlayers(const sp_xtab_t *xt);

/* Tables: one per layer, plus, when nlayers > 1, the sum over the layers
 * at index nlayers.  So ntables is 1 without layers, nlayers + 1 with. */
size_t sp_xtab_ntables(const sp_xtab_t *xt);

/* Names and labels (never NULL except var names and weight, which may be). */
const char *sp_xtab_var(const sp_xtab_t *xt, sp_xtab_dim_t dim);
const char *sp_xtab_weight_var(const sp_xtab_t *xt);
const char *sp_xtab_label(const sp_xtab_t *xt, sp_xtab_dim_t dim, size_t index);
void sp_xtab_missing(const sp_xtab_t *xt, double *records, double *weight);
/* A count of records left out (missing, filtered, without a weight) as
 * text for a note: "12", or "<K" when it is 1..K-1 and suppression is on
 * (those records are people too).  Call after sp_xtab_compute. */
const char *sp_xtab_count_text(const sp_xtab_t *xt, double n, apr_pool_t *pool);
const sp_xtab_options_t *sp_xtab_options(const sp_xtab_t *xt);

/* The value of a cell kind in table t at (row, col); row or col may be
 * SP_XTAB_TOTAL for margins (COUNT, WEIGHTED and the percentages have
 * margins; expected and residuals do not).  Fills *value when SHOWN and
 * *why (a static string) when UNDEFINED or SUPPRESSED; either pointer may be
 * NULL.  Percentages are in percent (0..100). */
sp_xtab_status_t
sp_xtab_cell(const sp_xtab_t *xt, size_t t, sp_xtab_cell_kind_t kind,
             size_t row, size_t col, double *value, const char **why);

/* A statistic of table t (pointer into the table; never NULL after a
 * successful compute). */
const sp_xtab_stat_t *
sp_xtab_stat(const sp_xtab_t *xt, size_t t, sp_xtab_stat_kind_t kind);

/* Non-empty rows and columns of table t (those the statistics use). */
void
sp_xtab_nonempty(const sp_xtab_t *xt, size_t t, size_t *rows, size_t *cols);

/* 1 when Fisher's test of table t ran on rounded non-integer counts. */
int sp_xtab_fisher_rounded(const sp_xtab_t *xt, size_t t);

/* Suppressed values of all tables, in (table, row, col) order with
 * margins last; *count receives their number. */
const sp_xtab_suppressed_t *
sp_xtab_suppressed(const sp_xtab_t *xt, size_t *count);

/* Suppression kind of one value (row/col may be SP_XTAB_TOTAL). */
sp_xtab_supp_kind_t
sp_xtab_supp_kind(const sp_xtab_t *xt, size_t t, size_t row, size_t col);

/* 1 when disclosure control ran and protected every suppressed value;
 * 0 with no_suppress, or when a suppressed value could not be given a
 * partner (then *why, when not NULL, says so). */
int
sp_xtab_publishable(const sp_xtab_t *xt, const char **why);

/* ---- rendering (sp_xtab_render.c) ------------------------------------- */

typedef struct sp_xtab_render_options_t {
    char sep;            /* CSV field separator; default ',' */
    int decimal_comma;   /* 1: decimal comma in CSV and text (French style) */
    unsigned cells;      /* text: bit (1u << kind) per cell kind shown;
                            0 = weighted count, row % and column % */
} sp_xtab_render_options_t;

void
sp_xtab_render_options_init(sp_xtab_render_options_t *opt);

/* JSON (jansson, keys in a stable order, reals with 17 significant digits)
 * of a computed table.  *out is a NUL-terminated string in pool.  Returns
 * SP_OK, or SP_EXIT_SOFTWARE when the table was not computed. */
int
sp_xtab_render_json(const sp_xtab_t *xt, const char **out, apr_pool_t *pool,
                    sp_error_t **err);

/* The same content as a jansson object (a new reference the caller
 * json_decref()s), for callers that embed it; NULL when not computed. */
struct json_t *
sp_xtab_to_json(const sp_xtab_t *xt);

/* Long CSV: header "layer,row,col,measure,value,note", one line per cell,
 * margin and kind, then one per statistic field; suppressed values are
 * "x", absent ones empty with the reason in note.  opt may be NULL. */
int
sp_xtab_render_csv(const sp_xtab_t *xt, const sp_xtab_render_options_t *opt,
                   const char **out, apr_pool_t *pool, sp_error_t **err);

/* Aligned text (labels padded by display width), "x" for suppressed and
 * "." for absent values, notes under each table.  opt may be NULL. */
int
sp_xtab_render_text(const sp_xtab_t *xt, const sp_xtab_render_options_t *opt,
                    const char **out, apr_pool_t *pool, sp_error_t **err);

#endif
