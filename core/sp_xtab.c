/*
 * sp_xtab.c -- the cross-tabulation object: accumulation, statistics and
 * disclosure control.
 *
 * Counts arrive per cell through sp_xtab_add() into two dense arrays (records
 * and weight) laid out layer by layer, row by row.  sp_xtab_compute() builds
 * one result per layer and, when there are several layers, one for their
 * sum; each result holds margins, expected counts, the statistics (following
 * PSPP's crosstabs.c: only populated rows and columns take part) and the
 * suppression flags of the table extended with its margins.  Cell values
 * (percentages, residuals) are derived on demand by sp_xtab_cell(), which
 * is also where suppression is applied, so that no caller can read a hidden
 * value by accident.  The distributions come from sp_stats.c; rendering is
 * in sp_xtab_render.c.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <apr_strings.h>

#include "sp_stats.h"
#include "sp_xtab.h"
#include "sp_sdc.h"

const char *const sp_xtab_cell_keys[SP_XTAB_N_CELL_KINDS + 1] = {
#define X(e, key, label) key,
    SP_XTAB_CELL_KINDS(X)
#undef X
    NULL
};
const char *const sp_xtab_cell_labels[SP_XTAB_N_CELL_KINDS + 1] = {
#define X(e, key, label) label,
    SP_XTAB_CELL_KINDS(X)
#undef X
    NULL
};
const char *const sp_xtab_stat_keys[SP_XTAB_N_STATS + 1] = {
#define X(e, key, label) key,
    SP_XTAB_STATISTICS(X)
#undef X
    NULL
};
const char *const sp_xtab_stat_labels[SP_XTAB_N_STATS + 1] = {
#define X(e, key, label) label,
    SP_XTAB_STATISTICS(X)
#undef X
    NULL
};

/* Reasons, shared so the renderers can print them verbatim. */
static const char WHY_EMPTY[] = "the table has no weight (all weights are zero)";
static const char WHY_ONE_LEVEL[] = "fewer than two non-empty rows or columns";
static const char WHY_NOT_2X2[] = "defined only for two non-empty rows and two non-empty columns";
static const char WHY_ZERO_DEN[] = "the denominator is zero";
static const char WHY_ZERO_EXP[] = "the expected count is zero (empty row or column)";
static const char WHY_NO_MARGIN[] = "not defined for margins";
static const char WHY_SUPP[] = "suppressed: fewer than min_cell records";
static const char WHY_SUPP_SEC[] = "suppressed to protect another cell";
static const char WHY_SUPP_DEN[] = "suppressed: the denominator has fewer than min_cell records";
static const char WHY_SUPP_MARGIN[] = "suppressed: it would reveal a suppressed margin";

/* One computed table: a layer, or the sum over layers. */
typedef struct result_t {
    const double *n;       /* nr * nc records */
    const double *w;       /* nr * nc weights */
    double *row_n, *col_n, total_n;
    double *row_w, *col_w, total_w;
    size_t ns_rows, ns_cols;
    int fisher_rounded;
    sp_xtab_stat_t stat[SP_XTAB_N_STATS];
} result_t;

struct sp_xtab_t {
    apr_pool_t *pool;
    size_t nr, nc, nl;
    double *n, *w;               /* nl * nr * nc */
    const char *var[3];
    const char *weight_var;
    const char **labels[3];
    double miss_records, miss_weight;
    const char *bad;             /* first invalid sp_xtab_add(), or NULL */

    int computed;
    sp_xtab_options_t opt;
    size_t nt;                   /* tables: nl, or nl + 1 with layers */
    result_t *res;
    unsigned char *supp;         /* nt * (nr + 1) * (nc + 1) sp_xtab_supp_kind_t */
    sp_xtab_suppressed_t *supp_list;
    size_t supp_count;
    int supp_complete;
};

sp_xtab_t *
sp_xtab_create(size_t nrows, size_t ncols, size_t nlayers, apr_pool_t *pool)
{
    if (nrows == 0 || ncols == 0 || nlayers == 0 || !pool)
        return NULL;
    /* Room for the extended tables (margins, sum over layers) too. */
    if (nrows >= SIZE_MAX / 2 || ncols >= SIZE_MAX / 2 || nlayers >= SIZE_MAX / 2)
        return NULL;
    size_t cells = (nrows + 1) * (ncols + 1);
    if (cells / (ncols + 1) != nrows + 1 || cells > SIZE_MAX / sizeof(double) / (nlayers + 1))
        return NULL;

    sp_xtab_t *xt = apr_pcalloc(pool, sizeof *xt);
    xt->pool = pool;
    xt->nr = nrows;
    xt->nc = ncols;
    xt->nl = nlayers;
    xt->n = apr_pcalloc(pool, nlayers * nrows * ncols * sizeof *xt->n);
    xt->w = apr_pcalloc(pool, nlayers * nrows * ncols * sizeof *xt->w);
    size_t dims[3] = { nrows, ncols, nlayers };
    for (int d = 0; d < 3; d++) {
        xt->labels[d] = apr_palloc(pool, dims[d] * sizeof(char *));
        for (size_t i = 0; i < dims[d]; i++)
            xt->labels[d][i] = apr_psprintf(pool, "%" APR_SIZE_T_FMT, i + 1);
    }
    return xt;
}

void
sp_xtab_add(sp_xtab_t *xt, size_t layer, size_t row, size_t col,
            double n, double weighted)
{
    if (!xt)
        return;
    xt->computed = 0;
    if (layer >= xt->nl || row >= xt->nr || col >= xt->nc) {
        if (!xt->bad)
            xt->bad = apr_psprintf(xt->pool,
                                   "sp_xtab_add: cell (%" APR_SIZE_T_FMT ", %" APR_SIZE_T_FMT ", %" APR_SIZE_T_FMT ") outside a %"
                                   APR_SIZE_T_FMT " x %" APR_SIZE_T_FMT " x %" APR_SIZE_T_FMT " table",
                                   layer, row, col, xt->nl, xt->nr, xt->nc);
        return;
    }
    if (!isfinite(n) || !isfinite(weighted) || n < 0 || weighted < 0) {
        if (!xt->bad)
            xt->bad = apr_psprintf(xt->pool,
                                   "sp_xtab_add: invalid count %g or weight %g at cell (%" APR_SIZE_T_FMT ", %"
                                   APR_SIZE_T_FMT ", %" APR_SIZE_T_FMT ")",
                                   n, weighted, layer, row, col);
        return;
    }
    size_t k = (layer * xt->nr + row) * xt->nc + col;
    xt->n[k] += n;
    xt->w[k] += weighted;
}

static const char *
dup_or_null(apr_pool_t *pool, const char *s)
{
    return s ? apr_pstrdup(pool, s) : NULL;
}

void
sp_xtab_set_vars(sp_xtab_t *xt, const char *row_var, const char *col_var,
                 const char *layer_var)
{
    xt->var[SP_XTAB_ROWS] = dup_or_null(xt->pool, row_var);
    xt->var[SP_XTAB_COLS] = dup_or_null(xt->pool, col_var);
    xt->var[SP_XTAB_LAYERS] = dup_or_null(xt->pool, layer_var);
}

void
sp_xtab_set_weight_var(sp_xtab_t *xt, const char *weight_var)
{
    xt->weight_var = dup_or_null(xt->pool, weight_var);
}

static size_t
dim_size(const sp_xtab_t *xt, sp_xtab_dim_t dim)
{
    return dim == SP_XTAB_ROWS ? xt->nr : dim == SP_XTAB_COLS ? xt->nc : xt->nl;
}

int
sp_xtab_set_label(sp_xtab_t *xt, sp_xtab_dim_t dim, size_t index,
                  const char *label)
{
    if ((unsigned)dim > 2 || index >= dim_size(xt, dim) || !label)
        return SP_EXIT_SOFTWARE;
    xt->labels[dim][index] = apr_pstrdup(xt->pool, label);
    return SP_OK;
}

void
sp_xtab_set_missing(sp_xtab_t *xt, double records, double weight)
{
    xt->miss_records = records;
    xt->miss_weight = weight;
}

void
sp_xtab_options_init(sp_xtab_options_t *opt)
{
    opt->min_cell = 5;
    opt->no_suppress = 0;
}

/* ---- statistics --------------------------------------------------------- */

static void
stat_absent(sp_xtab_stat_t *s, const char *why)
{
    s->defined = 0;
    s->value = s->df = s->p = s->p_less = s->p_greater = s->p_one = NAN;
    s->why = why;
}

static void
stat_chi2(sp_xtab_stat_t *s, double value, double df)
{
    stat_absent(s, NULL);
    s->defined = 1;
    s->value = value;
    s->df = df;
    s->p = sp_stats_chi2_q(value, df);
}

static void
stat_measure(sp_xtab_stat_t *s, double value)
{
    stat_absent(s, NULL);
    s->defined = 1;
    s->value = value;
}

/* Yates and Fisher on the two populated rows and columns. */
static void
compute_2x2(const sp_xtab_t *xt, result_t *r)
{
    size_t ri[2], ci[2], k = 0;
    for (size_t i = 0; i < xt->nr && k < 2; i++)
        if (r->row_w[i] > 0)
            ri[k++] = i;
    k = 0;
    for (size_t j = 0; j < xt->nc && k < 2; j++)
        if (r->col_w[j] > 0)
            ci[k++] = j;
    double f11 = r->w[ri[0] * xt->nc + ci[0]], f12 = r->w[ri[0] * xt->nc + ci[1]];
    double f21 = r->w[ri[1] * xt->nc + ci[0]], f22 = r->w[ri[1] * xt->nc + ci[1]];
    double N = r->total_w;

    /* Yates as PSPP and R: zero when |ad - bc| <= N / 2. */
    double x = fabs(f11 * f22 - f12 * f21) - 0.5 * N;
    double yates = x > 0 ? N * x * x / (f11 + f12) / (f21 + f22) / (f11 + f21) / (f12 + f22) : 0.0;
    stat_chi2(&r->stat[SP_XTAB_ST_YATES], yates, 1);

    double g[4] = { f11, f12, f21, f22 };
    r->fisher_rounded = 0;
    for (int i = 0; i < 4; i++) {
        if (g[i] != floor(g[i]))
            r->fisher_rounded = 1;
        g[i] = floor(g[i] + 0.5);  /* PSPP: (int) (f + .5) */
    }
    sp_stats_fisher_t f;
    sp_xtab_stat_t *s = &r->stat[SP_XTAB_ST_FISHER];
    if (sp_stats_fisher_2x2(g[0], g[1], g[2], g[3], &f) != 0) {
        stat_absent(s, "counts too large for an exact test");
        return;
    }
    stat_absent(s, NULL);
    s->defined = 1;
    s->p = f.two_sided;
    s->p_less = f.less;
    s->p_greater = f.greater;
    s->p_one = f.one_sided;
}

static void
compute_stats(const sp_xtab_t *xt, result_t *r)
{
    size_t nr = xt->nr, nc = xt->nc;
    sp_xtab_stat_t *st = r->stat;

    r->ns_rows = r->ns_cols = 0;
    for (size_t i = 0; i < nr; i++)
        r->ns_rows += r->row_w[i] > 0;
    for (size_t j = 0; j < nc; j++)
        r->ns_cols += r->col_w[j] > 0;

    const char *why = !(r->total_w > 0) ? WHY_EMPTY
                      : (r->ns_rows < 2 || r->ns_cols < 2) ? WHY_ONE_LEVEL : NULL;
    if (why) {
        for (int k = 0; k < SP_XTAB_N_STATS; k++)
            stat_absent(&st[k], why);
        if (r->total_w > 0) {
            stat_absent(&st[SP_XTAB_ST_YATES], WHY_NOT_2X2);
            stat_absent(&st[SP_XTAB_ST_FISHER], WHY_NOT_2X2);
        }
        return;
    }

    double N = r->total_w, X2 = 0, G2 = 0;
    for (size_t i = 0; i < nr; i++) {
        if (!(r->row_w[i] > 0))
            continue;
        for (size_t j = 0; j < nc; j++) {
            if (!(r->col_w[j] > 0))
                continue;
            double e = r->row_w[i] * r->col_w[j] / N;
            double f = r->w[i * nc + j];
            X2 += (f - e) * (f - e) / e;
            if (f > 0)
                G2 += f * log(f / e);
        }
    }
    G2 *= 2;
    if (G2 < 0)  /* rounding when the table is exactly independent */
        G2 = 0;
    double df = (double)(r->ns_rows - 1) * (double)(r->ns_cols - 1);
    double q = (double)(r->ns_rows < r->ns_cols ? r->ns_rows : r->ns_cols);
    stat_chi2(&st[SP_XTAB_ST_PEARSON], X2, df);
    stat_chi2(&st[SP_XTAB_ST_LR], G2, df);
    stat_measure(&st[SP_XTAB_ST_PHI], sqrt(X2 / N));
    stat_measure(&st[SP_XTAB_ST_CRAMERS_V], sqrt(X2 / (N * (q - 1))));
    stat_measure(&st[SP_XTAB_ST_CC], sqrt(X2 / (X2 + N)));

    if (r->ns_rows == 2 && r->ns_cols == 2) {
        compute_2x2(xt, r);
    } else {
        stat_absent(&st[SP_XTAB_ST_YATES], WHY_NOT_2X2);
        stat_absent(&st[SP_XTAB_ST_FISHER], WHY_NOT_2X2);
    }
}

static void
compute_margins(const sp_xtab_t *xt, result_t *r)
{
    size_t nr = xt->nr, nc = xt->nc;
    r->row_n = apr_pcalloc(xt->pool, nr * sizeof(double));
    r->row_w = apr_pcalloc(xt->pool, nr * sizeof(double));
    r->col_n = apr_pcalloc(xt->pool, nc * sizeof(double));
    r->col_w = apr_pcalloc(xt->pool, nc * sizeof(double));
    r->total_n = r->total_w = 0;
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j < nc; j++) {
            double n = r->n[i * nc + j], w = r->w[i * nc + j];
            r->row_n[i] += n;
            r->row_w[i] += w;
            r->col_n[j] += n;
            r->col_w[j] += w;
        }
    for (size_t i = 0; i < nr; i++) {
        r->total_n += r->row_n[i];
        r->total_w += r->row_w[i];
    }
}

/* ---- disclosure control ------------------------------------------------- */

/* Records of the extended table t at (i, j); i == nr and j == nc are the
 * margins. */
static double
ext_count(const sp_xtab_t *xt, size_t t, size_t i, size_t j)
{
    const result_t *r = &xt->res[t];
    if (i == xt->nr && j == xt->nc)
        return r->total_n;
    if (i == xt->nr)
        return r->col_n[j];
    if (j == xt->nc)
        return r->row_n[i];
    return r->n[i * xt->nc + j];
}

/* A line of the extended tables: len entries from start by stride; the
 * last entry is the line's total. */
typedef struct line_t {
    size_t start, stride, len;
} line_t;

/* sp_xtab_supp_kind_t and sp_sdc.h's marks are the same values. */
_Static_assert((int)SP_XTAB_SUPP_NONE == (int)SP_SDC_SHOWN
               && (int)SP_XTAB_SUPP_PRIMARY == (int)SP_SDC_PRIMARY
               && (int)SP_XTAB_SUPP_SECONDARY == (int)SP_SDC_SECONDARY,
               "suppression marks differ");

static int
protect_line(sp_xtab_t *xt, const double *count, line_t ln, size_t grand)
{
    return sp_sdc_protect_line(xt->supp, count, ln.start, ln.stride, ln.len, grand);
}

static void
suppress(sp_xtab_t *xt)
{
    size_t nr = xt->nr, nc = xt->nc, nt = xt->nt;
    size_t A = (nr + 1) * (nc + 1), total = nt * A;
    double *count = apr_palloc(xt->pool, total * sizeof *count);

    xt->supp = apr_pcalloc(xt->pool, total);
    for (size_t t = 0; t < nt; t++)
        for (size_t i = 0; i <= nr; i++)
            for (size_t j = 0; j <= nc; j++)
                count[t * A + i * (nc + 1) + j] = ext_count(xt, t, i, j);
    xt->supp_complete = 1;
    if (xt->opt.no_suppress)
        return;

    /* Primary: cells with 1..K-1 records, in every table, margins too (a
     * row total of 3 is three people with that value). */
    for (size_t t = 0; t < nt; t++)
        for (size_t i = 0; i <= nr; i++)
            for (size_t j = 0; j <= nc; j++) {
                size_t e = t * A + i * (nc + 1) + j;
                if (count[e] > 0 && count[e] < xt->opt.min_cell)
                    xt->supp[e] = SP_XTAB_SUPP_PRIMARY;
            }

    /* Secondary: until no line holds a lone suppressed value.  With
     * layers the sum over layers is published too, so the lines across
     * layers count as well. */
    size_t grand = (nt - 1) * A + nr * (nc + 1) + nc;
    int changed, stuck;
    do {
        changed = 0;
        stuck = 0;
        for (size_t t = 0; t < nt; t++) {
            for (size_t i = 0; i <= nr; i++) {
                line_t ln = { t * A + i * (nc + 1), 1, nc + 1 };
                int rc = protect_line(xt, count, ln, grand);
                changed |= rc > 0;
                stuck |= rc < 0;
            }
            for (size_t j = 0; j <= nc; j++) {
                line_t ln = { t * A + j, nc + 1, nr + 1 };
                int rc = protect_line(xt, count, ln, grand);
                changed |= rc > 0;
                stuck |= rc < 0;
            }
        }
        if (nt > 1)
            for (size_t e = 0; e < A; e++) {
                line_t ln = { e, A, nt };
                int rc = protect_line(xt, count, ln, grand);
                changed |= rc > 0;
                stuck |= rc < 0;
            }
    } while (changed);
    xt->supp_complete = !stuck;
}

static void
list_suppressed(sp_xtab_t *xt)
{
    size_t nr = xt->nr, nc = xt->nc, A = (nr + 1) * (nc + 1), k = 0;
    xt->supp_count = 0;
    for (size_t e = 0; e < xt->nt * A; e++)
        xt->supp_count += xt->supp[e] != SP_XTAB_SUPP_NONE;
    xt->supp_list = apr_pcalloc(xt->pool, (xt->supp_count + 1) * sizeof *xt->supp_list);
    for (size_t t = 0; t < xt->nt; t++) {
        const unsigned char *s = xt->supp + t * A;
        for (size_t i = 0; i < nr; i++)
            for (size_t j = 0; j < nc; j++)
                if (s[i * (nc + 1) + j])
                    xt->supp_list[k++] = (sp_xtab_suppressed_t){ t, i, j, s[i * (nc + 1) + j] };
        for (size_t i = 0; i < nr; i++)
            if (s[i * (nc + 1) + nc])
                xt->supp_list[k++] = (sp_xtab_suppressed_t){ t, i, SP_XTAB_TOTAL, s[i * (nc + 1) + nc] };
        for (size_t j = 0; j < nc; j++)
            if (s[nr * (nc + 1) + j])
                xt->supp_list[k++] = (sp_xtab_suppressed_t){ t, SP_XTAB_TOTAL, j, s[nr * (nc + 1) + j] };
    }
}

int
sp_xtab_compute(sp_xtab_t *xt, const sp_xtab_options_t *opt, sp_error_t **err)
{
    if (xt->bad)
        return sp_error_set(err, xt->pool, SP_EXIT_DATA, NULL, 0, 0, "%s", xt->bad);
    if (opt)
        xt->opt = *opt;
    else
        sp_xtab_options_init(&xt->opt);
    if (!(xt->opt.min_cell >= 0) || !isfinite(xt->opt.min_cell))
        return sp_error_set(err, xt->pool, SP_EXIT_DATA, NULL, 0, 0,
                            "min_cell must be a non-negative number, not %g", xt->opt.min_cell);

    size_t nr = xt->nr, nc = xt->nc, nl = xt->nl, cells = nr * nc;
    xt->nt = nl > 1 ? nl + 1 : 1;
    xt->res = apr_pcalloc(xt->pool, xt->nt * sizeof *xt->res);
    for (size_t l = 0; l < nl; l++) {
        xt->res[l].n = xt->n + l * cells;
        xt->res[l].w = xt->w + l * cells;
    }
    if (nl > 1) {
        double *n = apr_pcalloc(xt->pool, cells * sizeof *n);
        double *w = apr_pcalloc(xt->pool, cells * sizeof *w);
        for (size_t l = 0; l < nl; l++)
            for (size_t k = 0; k < cells; k++) {
                n[k] += xt->n[l * cells + k];
                w[k] += xt->w[l * cells + k];
            }
        xt->res[nl].n = n;
        xt->res[nl].w = w;
    }
    for (size_t t = 0; t < xt->nt; t++) {
        compute_margins(xt, &xt->res[t]);
        compute_stats(xt, &xt->res[t]);
    }
    suppress(xt);
    list_suppressed(xt);
    xt->computed = 1;
    return SP_OK;
}

/* ---- reading ------------------------------------------------------------ */

size_t sp_xtab_nrows(const sp_xtab_t *xt) { return xt->nr; }
size_t sp_xtab_ncols(const sp_xtab_t *xt) { return xt->nc; }
size_t sp_xtab_nlayers(const sp_xtab_t *xt) { return xt->nl; }
size_t sp_xtab_ntables(const sp_xtab_t *xt) { return xt->nl > 1 ? xt->nl + 1 : 1; }
const char *sp_xtab_weight_var(const sp_xtab_t *xt) { return xt->weight_var; }
const sp_xtab_options_t *sp_xtab_options(const sp_xtab_t *xt) { return &xt->opt; }

const char *
sp_xtab_var(const sp_xtab_t *xt, sp_xtab_dim_t dim)
{
    return (unsigned)dim <= 2 ? xt->var[dim] : NULL;
}

const char *
sp_xtab_label(const sp_xtab_t *xt, sp_xtab_dim_t dim, size_t index)
{
    if ((unsigned)dim > 2 || index >= dim_size(xt, dim))
        return "";
    return xt->labels[dim][index];
}

void
sp_xtab_missing(const sp_xtab_t *xt, double *records, double *weight)
{
    if (records)
        *records = xt->miss_records;
    if (weight)
        *weight = xt->miss_weight;
}

const char *
sp_xtab_count_text(const sp_xtab_t *xt, double n, apr_pool_t *pool)
{
    return sp_sdc_count_text(n, xt->opt.min_cell, xt->opt.no_suppress, pool);
}

sp_xtab_supp_kind_t
sp_xtab_supp_kind(const sp_xtab_t *xt, size_t t, size_t row, size_t col)
{
    if (!xt->computed || t >= xt->nt)
        return SP_XTAB_SUPP_NONE;
    size_t i = row == SP_XTAB_TOTAL ? xt->nr : row;
    size_t j = col == SP_XTAB_TOTAL ? xt->nc : col;
    if (i > xt->nr || j > xt->nc)
        return SP_XTAB_SUPP_NONE;
    return xt->supp[t * (xt->nr + 1) * (xt->nc + 1) + i * (xt->nc + 1) + j];
}

static sp_xtab_status_t
give(double v, double *value)
{
    if (value)
        *value = v;
    return SP_XTAB_SHOWN;
}

static sp_xtab_status_t
deny(sp_xtab_status_t s, const char *reason, const char **why)
{
    if (why)
        *why = reason;
    return s;
}

sp_xtab_status_t
sp_xtab_cell(const sp_xtab_t *xt, size_t t, sp_xtab_cell_kind_t kind,
             size_t row, size_t col, double *value, const char **why)
{
    if (!xt->computed || t >= xt->nt)
        return deny(SP_XTAB_UNDEFINED, "the table is not computed", why);
    int rt = row == SP_XTAB_TOTAL, ct = col == SP_XTAB_TOTAL;
    if ((!rt && row >= xt->nr) || (!ct && col >= xt->nc))
        return deny(SP_XTAB_UNDEFINED, "no such cell", why);

    const result_t *r = &xt->res[t];
    size_t nc = xt->nc;
    double K = xt->opt.no_suppress ? 0 : xt->opt.min_cell;
    sp_xtab_supp_kind_t s_rc = sp_xtab_supp_kind(xt, t, row, col);
    /* Is the row's (column's) margin hidden? */
    int s_r = !rt && sp_xtab_supp_kind(xt, t, row, SP_XTAB_TOTAL) != SP_XTAB_SUPP_NONE;
    int s_c = !ct && sp_xtab_supp_kind(xt, t, SP_XTAB_TOTAL, col) != SP_XTAB_SUPP_NONE;
    const char *why_rc = s_rc == SP_XTAB_SUPP_SECONDARY ? WHY_SUPP_SEC : WHY_SUPP;

    double n = rt && ct ? r->total_n : rt ? r->col_n[col] : ct ? r->row_n[row] : r->n[row * nc + col];
    double w = rt && ct ? r->total_w : rt ? r->col_w[col] : ct ? r->row_w[row] : r->w[row * nc + col];

    /* Percentages: numerator (row, col) over a denominator. */
    double den_n, den_w;
    int den_hidden;
    switch (kind) {
    case SP_XTAB_COUNT:
    case SP_XTAB_WEIGHTED:
        if (s_rc)
            return deny(SP_XTAB_SUPPRESSED, why_rc, why);
        return give(kind == SP_XTAB_COUNT ? n : w, value);

    case SP_XTAB_ROW_PCT:
    case SP_XTAB_COL_PCT:
    case SP_XTAB_TOTAL_PCT:
        if (kind == SP_XTAB_ROW_PCT && !rt) {
            den_n = r->row_n[row];
            den_w = r->row_w[row];
            den_hidden = sp_xtab_supp_kind(xt, t, row, SP_XTAB_TOTAL) != 0;
        } else if (kind == SP_XTAB_COL_PCT && !ct) {
            den_n = r->col_n[col];
            den_w = r->col_w[col];
            den_hidden = sp_xtab_supp_kind(xt, t, SP_XTAB_TOTAL, col) != 0;
        } else {
            den_n = r->total_n;
            den_w = r->total_w;
            den_hidden = 0;
        }
        if (!(den_w > 0))
            return deny(SP_XTAB_UNDEFINED, WHY_ZERO_DEN, why);
        if (s_rc)
            return deny(SP_XTAB_SUPPRESSED, why_rc, why);
        if (den_hidden)
            return deny(SP_XTAB_SUPPRESSED, WHY_SUPP_MARGIN, why);
        if (den_n < K)
            return deny(SP_XTAB_SUPPRESSED, WHY_SUPP_DEN, why);
        return give(w / den_w * 100.0, value);

    case SP_XTAB_EXPECTED:
    case SP_XTAB_STD_RESID:
    case SP_XTAB_ADJ_RESID:
        break;
    default:
        return deny(SP_XTAB_UNDEFINED, "no such cell kind", why);
    }

    if (rt || ct)
        return deny(SP_XTAB_UNDEFINED, WHY_NO_MARGIN, why);
    if (!(r->total_w > 0))
        return deny(SP_XTAB_UNDEFINED, WHY_EMPTY, why);
    double e = r->row_w[row] * r->col_w[col] / r->total_w;
    if (kind == SP_XTAB_EXPECTED) {
        if (s_r || s_c)
            return deny(SP_XTAB_SUPPRESSED, WHY_SUPP_MARGIN, why);
        return give(e, value);
    }
    if (!(e > 0))
        return deny(SP_XTAB_UNDEFINED, WHY_ZERO_EXP, why);
    double v = e;
    if (kind == SP_XTAB_ADJ_RESID)
        v = e * (1 - r->row_w[row] / r->total_w) * (1 - r->col_w[col] / r->total_w);
    if (!(v > 0))
        return deny(SP_XTAB_UNDEFINED, WHY_ONE_LEVEL, why);
    if (s_rc)
        return deny(SP_XTAB_SUPPRESSED, why_rc, why);
    if (s_r || s_c)
        return deny(SP_XTAB_SUPPRESSED, WHY_SUPP_MARGIN, why);
    return give((w - e) / sqrt(v), value);
}

const sp_xtab_stat_t *
sp_xtab_stat(const sp_xtab_t *xt, size_t t, sp_xtab_stat_kind_t kind)
{
    static const sp_xtab_stat_t none = { 0, NAN, NAN, NAN, NAN, NAN, NAN, "the table is not computed" };
    if (!xt->computed || t >= xt->nt || (unsigned)kind >= SP_XTAB_N_STATS)
        return &none;
    return &xt->res[t].stat[kind];
}

void
sp_xtab_nonempty(const sp_xtab_t *xt, size_t t, size_t *rows, size_t *cols)
{
    int ok = xt->computed && t < xt->nt;
    if (rows)
        *rows = ok ? xt->res[t].ns_rows : 0;
    if (cols)
        *cols = ok ? xt->res[t].ns_cols : 0;
}

int
sp_xtab_fisher_rounded(const sp_xtab_t *xt, size_t t)
{
    return xt->computed && t < xt->nt && xt->res[t].stat[SP_XTAB_ST_FISHER].defined
           && xt->res[t].fisher_rounded;
}

const sp_xtab_suppressed_t *
sp_xtab_suppressed(const sp_xtab_t *xt, size_t *count)
{
    if (count)
        *count = xt->computed ? xt->supp_count : 0;
    return xt->computed ? xt->supp_list : NULL;
}

int
sp_xtab_publishable(const sp_xtab_t *xt, const char **why)
{
    if (!xt->computed)
        return (int)deny(0, "the table is not computed", why);
    if (xt->opt.no_suppress)
        return (int)deny(0, "NOT FOR PUBLICATION: disclosure control is off", why);
    if (!xt->supp_complete)
        return (int)deny(0, "NOT FOR PUBLICATION: a suppressed value could not be protected "
                       "(a line has a single non-empty entry)", why);
    return 1;
}

int
sp_xtab_is_computed(const sp_xtab_t *xt)
{
    return xt && xt->computed;
}
