/*
 * sp_agg.c -- the histogram behind grouped aggregation (see sp_agg.h).
 *
 * One dense array of cells, indexed [group][var][level] with level 0 the
 * missing answers, each cell a record count and a weight sum side by side so
 * that the hot loop touches one cache line per record.  Adding is the only
 * work done per record; sp_agg_compute turns each (group, var) run of
 * nlevels + 1 cells into counts, moments, HAVERAGE quantiles and shares.
 * Names and labels are kept here for the renderers in sp_agg_render.c.
 */
#include "config.h"
#include <float.h>
#include <math.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_agg.h"
#include "sp_sdc.h"

typedef struct cell_t {
    double w;
    uint64_t n;
} cell_t;

struct sp_agg_t {
    apr_pool_t *pool;
    size_t ngroups, nvars, nlevels, nlev1; /* nlev1 = nlevels + 1 */
    cell_t *cells;                          /* ngroups * nvars * nlev1 */
    uint64_t rejected;
    size_t ndims;
    const char **dims;       /* ndims names */
    const char **keys;       /* ngroups * ndims values */
    const char **var_names, **var_labels;
    const char **level_labels; /* nlev1, index 0 unused */
    const char *title;
    sp_agg_stats_t *stats;   /* ngroups * nvars after compute */
    sp_agg_opts_t opts;
    size_t nsuppressed;
    size_t nparts;           /* shown entries with a part withheld */
};

static cell_t *
cells_of(const sp_agg_t *a, size_t group, size_t var)
{
    return a->cells + (group * a->nvars + var) * a->nlev1;
}

sp_agg_t *
sp_agg_create(size_t ngroups, size_t nvars, size_t nlevels, apr_pool_t *pool)
{
    sp_agg_t *a;
    size_t i, ncells;

    if (ngroups == 0 || nvars == 0 || nlevels == 0
        || nlevels > SP_AGG_MAX_LEVELS || ngroups > UINT32_MAX)
        return NULL;
    if (nvars > SIZE_MAX / (nlevels + 1)
        || ngroups > SIZE_MAX / (nvars * (nlevels + 1)))
        return NULL;
    ncells = ngroups * nvars * (nlevels + 1);
    if (ncells > SIZE_MAX / sizeof(cell_t)
        || ngroups * nvars > SIZE_MAX / sizeof(sp_agg_stats_t))
        return NULL;

    a = apr_pcalloc(pool, sizeof *a);
    a->pool = pool;
    a->ngroups = ngroups;
    a->nvars = nvars;
    a->nlevels = nlevels;
    a->nlev1 = nlevels + 1;
    a->cells = apr_pcalloc(pool, ncells * sizeof(cell_t));
    a->ndims = 1;
    a->dims = apr_palloc(pool, sizeof *a->dims);
    a->dims[0] = "group";
    a->keys = apr_palloc(pool, ngroups * sizeof *a->keys);
    for (i = 0; i < ngroups; i++)
        a->keys[i] = apr_psprintf(pool, "%" APR_SIZE_T_FMT, i + 1);
    a->var_names = apr_palloc(pool, nvars * sizeof *a->var_names);
    a->var_labels = apr_pcalloc(pool, nvars * sizeof *a->var_labels);
    for (i = 0; i < nvars; i++)
        a->var_names[i] = apr_psprintf(pool, "v%" APR_SIZE_T_FMT, i + 1);
    a->level_labels = apr_pcalloc(pool, a->nlev1 * sizeof *a->level_labels);
    return a;
}

size_t
sp_agg_ngroups(const sp_agg_t *a)
{
    return a->ngroups;
}

size_t
sp_agg_nvars(const sp_agg_t *a)
{
    return a->nvars;
}

size_t
sp_agg_nlevels(const sp_agg_t *a)
{
    return a->nlevels;
}

static int
weight_ok(double w)
{
    return w >= 0.0 && w <= DBL_MAX; /* false for NaN, negative, infinite */
}

void
sp_agg_add(sp_agg_t *a, size_t group, size_t var, unsigned level, double weight)
{
    cell_t *c;

    if (group >= a->ngroups || var >= a->nvars || level > a->nlevels
        || !weight_ok(weight)) {
        a->rejected++;
        return;
    }
    c = cells_of(a, group, var) + level;
    c->w += weight;
    c->n++;
}

void
sp_agg_add_n(sp_agg_t *a, size_t group, size_t var, unsigned level, uint64_t n,
             double weight)
{
    cell_t *c;

    if (group >= a->ngroups || var >= a->nvars || level > a->nlevels
        || !weight_ok(weight)) {
        a->rejected += n;
        return;
    }
    c = cells_of(a, group, var) + level;
    c->w += weight;
    c->n += n;
}

int
sp_agg_add_column(sp_agg_t *a, size_t var, const uint8_t *codes,
                  const uint32_t *groups, const double *weights, size_t nrows,
                  apr_pool_t *pool, sp_error_t **err)
{
    const size_t stride = a->nvars * a->nlev1;
    cell_t *base;
    uint32_t gmax = 0;
    uint8_t cmax = 0;
    int wbad = 0;
    size_t i;

    if (var >= a->nvars)
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "aggregate: variable %" APR_SIZE_T_FMT " out of range (%" APR_SIZE_T_FMT " variables)",
                            var, a->nvars);
    if (nrows == 0)
        return SP_OK;

    /* Validation first, as reductions the compiler can vectorise, so that
     * the accumulating loop below needs no test at all; only when something
     * is wrong do we go back to find the row. */
    for (i = 0; i < nrows; i++) {
        gmax = groups[i] > gmax ? groups[i] : gmax;
        cmax = codes[i] > cmax ? codes[i] : cmax;
    }
    if (weights != NULL)
        for (i = 0; i < nrows; i++)
            wbad |= !weight_ok(weights[i]);
    if (gmax >= a->ngroups || cmax > a->nlevels || wbad) {
        for (i = 0; i < nrows; i++) {
            if (groups[i] >= a->ngroups)
                return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                                    "aggregate %s: row %" APR_SIZE_T_FMT ": group %u out of range (%" APR_SIZE_T_FMT " groups)",
                                    a->var_names[var], i, (unsigned)groups[i],
                                    a->ngroups);
            if (codes[i] > a->nlevels)
                return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                                    "aggregate %s: row %" APR_SIZE_T_FMT ": level %u out of range 1..%" APR_SIZE_T_FMT,
                                    a->var_names[var], i, (unsigned)codes[i],
                                    a->nlevels);
            if (weights != NULL && !weight_ok(weights[i]))
                return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                                    "aggregate %s: row %" APR_SIZE_T_FMT ": weight %g is not a finite number >= 0",
                                    a->var_names[var], i, weights[i]);
        }
    }

    base = a->cells + var * a->nlev1;
    if (weights != NULL) {
        for (i = 0; i < nrows; i++) {
            cell_t *c = base + groups[i] * stride + codes[i];
            c->w += weights[i];
            c->n++;
        }
    } else {
        for (i = 0; i < nrows; i++) {
            cell_t *c = base + groups[i] * stride + codes[i];
            c->w += 1.0;
            c->n++;
        }
    }
    return SP_OK;
}

uint64_t
sp_agg_rejected(const sp_agg_t *a)
{
    return a->rejected;
}

int
sp_agg_set_dims(sp_agg_t *a, size_t ndims, const char *const *names)
{
    size_t i;

    if (ndims == 0 || names == NULL)
        return SP_EXIT_SOFTWARE;
    a->ndims = ndims;
    a->dims = apr_palloc(a->pool, ndims * sizeof *a->dims);
    for (i = 0; i < ndims; i++)
        a->dims[i] = apr_pstrdup(a->pool, names[i] ? names[i] : "");
    /* Keys of the old shape no longer fit: reset them to the group number
     * in the first dimension and empty strings in the others. */
    a->keys = apr_palloc(a->pool, a->ngroups * ndims * sizeof *a->keys);
    for (i = 0; i < a->ngroups * ndims; i++)
        a->keys[i] = (i % ndims == 0) ? apr_psprintf(a->pool, "%" APR_SIZE_T_FMT, i / ndims + 1)
                                      : "";
    return SP_OK;
}

int
sp_agg_set_group_key(sp_agg_t *a, size_t group, const char *const *values)
{
    size_t d;

    if (group >= a->ngroups || values == NULL)
        return SP_EXIT_SOFTWARE;
    for (d = 0; d < a->ndims; d++)
        a->keys[group * a->ndims + d] =
            apr_pstrdup(a->pool, values[d] ? values[d] : "");
    return SP_OK;
}

int
sp_agg_set_var(sp_agg_t *a, size_t var, const char *name, const char *label)
{
    if (var >= a->nvars || name == NULL)
        return SP_EXIT_SOFTWARE;
    a->var_names[var] = apr_pstrdup(a->pool, name);
    a->var_labels[var] = label ? apr_pstrdup(a->pool, label) : NULL;
    return SP_OK;
}

int
sp_agg_set_level_label(sp_agg_t *a, unsigned level, const char *label)
{
    if (level == 0 || level > a->nlevels)
        return SP_EXIT_SOFTWARE;
    a->level_labels[level] = label ? apr_pstrdup(a->pool, label) : NULL;
    return SP_OK;
}

void
sp_agg_set_title(sp_agg_t *a, const char *title)
{
    a->title = title ? apr_pstrdup(a->pool, title) : NULL;
}

size_t
sp_agg_ndims(const sp_agg_t *a)
{
    return a->ndims;
}

const char *
sp_agg_dim_name(const sp_agg_t *a, size_t dim)
{
    return dim < a->ndims ? a->dims[dim] : NULL;
}

const char *
sp_agg_group_key(const sp_agg_t *a, size_t group, size_t dim)
{
    if (group >= a->ngroups || dim >= a->ndims)
        return NULL;
    return a->keys[group * a->ndims + dim];
}

const char *
sp_agg_var_name(const sp_agg_t *a, size_t var)
{
    return var < a->nvars ? a->var_names[var] : NULL;
}

const char *
sp_agg_var_label(const sp_agg_t *a, size_t var)
{
    return var < a->nvars ? a->var_labels[var] : NULL;
}

const char *
sp_agg_level_label(const sp_agg_t *a, unsigned level)
{
    return (level >= 1 && level <= a->nlevels) ? a->level_labels[level] : NULL;
}

const char *
sp_agg_title(const sp_agg_t *a)
{
    return a->title;
}

void
sp_agg_opts_init(sp_agg_opts_t *opts)
{
    opts->min_cell = SP_AGG_DEFAULT_MIN_CELL;
    opts->no_suppress = 0;
    opts->bad_level = SP_AGG_DEFAULT_BAD_LEVEL;
}

/* PSPP's HAVERAGE (src/math/percentiles.c, order-stats.c) on a histogram:
 * the "distinct values" are the levels of positive weight, in order. */
static double
haverage(const cell_t *c, size_t nlevels, double W, double p)
{
    const double tc = (W + 1.0) * p;
    double cc = 0.0;      /* cumulative weight through the lower level */
    double c_lo = 0.0;    /* weight of the lower level (0: none) */
    double y_lo = 0.0;
    double c_hi = 0.0, y_hi = 0.0; /* first level with cumulative > tc */
    double cum = 0.0, g;
    size_t l;

    if (!(W > 0.0) || !(p >= 0.0 && p <= 1.0))
        return NAN;
    for (l = 1; l <= nlevels; l++) {
        if (!(c[l].w > 0.0))
            continue;
        cum += c[l].w;
        if (cum <= tc) {
            cc = cum;
            c_lo = c[l].w;
            y_lo = (double)l;
        } else {
            c_hi = c[l].w;
            y_hi = (double)l;
            break;
        }
    }
    if (c_hi == 0.0)            /* tc at or past the total: the highest level */
        return y_lo;
    if (c_lo == 0.0)            /* below the lowest level (PSPP would use 0) */
        return y_hi;
    g = tc - cc;
    if (g >= 1.0)
        return y_hi;
    if (c_hi >= 1.0)
        return g == 0.0 ? y_lo : (1.0 - g) * y_lo + g * y_hi;
    g /= c_hi;
    return (1.0 - g) * y_lo + g * y_hi;
}

static void
derive(const cell_t *c, size_t nlevels, unsigned bad, sp_agg_stats_t *s)
{
    double W = 0.0, S = 0.0, ss = 0.0, le = 0.0, mean;
    uint64_t n = 0;
    size_t l;

    for (l = 1; l <= nlevels; l++) {
        n += c[l].n;
        W += c[l].w;
        S += c[l].w * (double)l;
        if (l <= bad)
            le += c[l].w;
    }
    s->n = n;
    s->n_missing = c[0].n;
    s->weight = W;
    s->weight_missing = c[0].w;
    s->sum = S;
    if (W > 0.0) {
        mean = S / W;
        for (l = 1; l <= nlevels; l++) {
            double d = (double)l - mean;
            ss += c[l].w * d * d;
        }
        s->mean = mean;
        s->sd = W > 1.0 ? sqrt(ss / (W - 1.0)) : NAN;
        s->share_le = le / W;
    } else {
        s->mean = s->sd = s->share_le = NAN;
    }
    s->q1 = haverage(c, nlevels, W, 0.25);
    s->median = haverage(c, nlevels, W, 0.5);
    s->q3 = haverage(c, nlevels, W, 0.75);
}

/* A level of the entry holds 1..K-1 answers (and suppression is on). */
static int
dist_small(const sp_agg_t *a, size_t group, size_t var)
{
    const cell_t *c = cells_of(a, group, var);
    size_t l;

    for (l = 1; !a->opts.no_suppress && l <= a->nlevels; l++)
        if (sp_sdc_small((double)c[l].n, a->opts.min_cell))
            return 1;
    return 0;
}

int
sp_agg_share_le_withheld(const sp_agg_t *a, size_t group, size_t var, unsigned k)
{
    const cell_t *c;
    uint64_t le = 0, gt = 0;
    size_t l;

    if (group >= a->ngroups || var >= a->nvars || a->opts.no_suppress)
        return 0;
    c = cells_of(a, group, var);
    for (l = 1; l <= a->nlevels; l++) {
        if (l <= k)
            le += c[l].n;
        else
            gt += c[l].n;
    }
    return sp_sdc_small((double)le, a->opts.min_cell)
        || sp_sdc_small((double)gt, a->opts.min_cell);
}

void
sp_agg_compute(sp_agg_t *a, const sp_agg_opts_t *opts)
{
    size_t g, v;
    unsigned bad;

    if (opts != NULL)
        a->opts = *opts;
    else
        sp_agg_opts_init(&a->opts);
    if (a->opts.bad_level > a->nlevels)
        a->opts.bad_level = (unsigned)a->nlevels;
    bad = a->opts.bad_level;
    if (a->stats == NULL)
        a->stats = apr_palloc(a->pool, a->ngroups * a->nvars * sizeof *a->stats);
    a->nsuppressed = 0;
    a->nparts = 0;
    for (g = 0; g < a->ngroups; g++) {
        for (v = 0; v < a->nvars; v++) {
            sp_agg_stats_t *s = &a->stats[g * a->nvars + v];
            derive(cells_of(a, g, v), a->nlevels, bad, s);
            /* as the crosstab: 1..K-1 answers are disclosive, none is not */
            s->small = sp_sdc_small((double)s->n, a->opts.min_cell);
            s->suppressed = s->small && !a->opts.no_suppress;
            a->nsuppressed += s->suppressed;
            s->dist_withheld = s->suppressed || dist_small(a, g, v);
            s->missing_withheld = s->suppressed
                || (!a->opts.no_suppress && sp_sdc_small((double)s->n_missing, a->opts.min_cell));
            s->share_le_withheld = s->suppressed || sp_agg_share_le_withheld(a, g, v, bad);
            a->nparts += !s->suppressed
                && (s->dist_withheld || s->share_le_withheld || s->missing_withheld);
        }
    }
}

const sp_agg_opts_t *
sp_agg_options(const sp_agg_t *a)
{
    return a->stats ? &a->opts : NULL;
}

const sp_agg_stats_t *
sp_agg_stats(const sp_agg_t *a, size_t group, size_t var)
{
    if (a->stats == NULL || group >= a->ngroups || var >= a->nvars)
        return NULL;
    return &a->stats[group * a->nvars + var];
}

uint64_t
sp_agg_level_count(const sp_agg_t *a, size_t group, size_t var, unsigned level)
{
    if (group >= a->ngroups || var >= a->nvars || level > a->nlevels)
        return 0;
    return cells_of(a, group, var)[level].n;
}

double
sp_agg_level_weight(const sp_agg_t *a, size_t group, size_t var, unsigned level)
{
    if (group >= a->ngroups || var >= a->nvars || level > a->nlevels)
        return 0.0;
    return cells_of(a, group, var)[level].w;
}

double
sp_agg_share_le(const sp_agg_t *a, size_t group, size_t var, unsigned k)
{
    const cell_t *c;
    double W = 0.0, le = 0.0;
    size_t l;

    if (group >= a->ngroups || var >= a->nvars)
        return NAN;
    c = cells_of(a, group, var);
    for (l = 1; l <= a->nlevels; l++) {
        W += c[l].w;
        if (l <= k)
            le += c[l].w;
    }
    return W > 0.0 ? le / W : NAN;
}

double
sp_agg_quantile(const sp_agg_t *a, size_t group, size_t var, double p)
{
    const cell_t *c;
    double W = 0.0;
    size_t l;

    if (group >= a->ngroups || var >= a->nvars)
        return NAN;
    c = cells_of(a, group, var);
    for (l = 1; l <= a->nlevels; l++)
        W += c[l].w;
    return haverage(c, a->nlevels, W, p);
}

const char *
sp_agg_count_text(const sp_agg_t *a, double n, apr_pool_t *pool)
{
    return sp_sdc_count_text(n, a->opts.min_cell, a->opts.no_suppress, pool);
}

size_t
sp_agg_nwithheld_parts(const sp_agg_t *a)
{
    return a->nparts;
}

size_t
sp_agg_nsuppressed(const sp_agg_t *a)
{
    return a->nsuppressed;
}
