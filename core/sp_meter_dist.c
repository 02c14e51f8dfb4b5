/*
 * sp_meter_dist.c -- a batch by neighbourhood (sp_meter_distribution) and
 * the weighted quartile it uses (sp_meter_quantile).
 *
 * Groups are the neighbourhoods sorted, "(none)" last, then "(all)"; each
 * household counts with its size as weight, so that the mean, quartiles
 * and share above the limit are per inhabitant.  Which groups are
 * withheld (primary and secondary suppression, docs/meter.md) is decided
 * from the groups' household counts before any row is written.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "config.h"
#include "sp_meter_int.h"
#include "sp_sdc.h"

double
sp_meter_quantile(const double *x, const double *w, size_t n, double p)
{
    double W = 0.0, tc, cc = 0.0, c_lo = 0.0, y_lo = 0.0, c_hi = 0.0, y_hi = 0.0, cum = 0.0, g;
    size_t i;

    for (i = 0; i < n; i++)
        W += w[i];
    if (!(W > 0.0) || !(p >= 0.0 && p <= 1.0))
        return NAN;
    tc = (W + 1.0) * p;
    /* sp_agg.c's haverage() over distinct values: equal values pool their
     * weights, values of zero weight are not present. */
    for (i = 0; i < n;) {
        double y = x[i], c = 0.0;

        while (i < n && x[i] == y)
            c += w[i++];
        if (!(c > 0.0))
            continue;
        cum += c;
        if (cum <= tc) {
            cc = cum;
            c_lo = c;
            y_lo = y;
        } else {
            c_hi = c;
            y_hi = y;
            break;
        }
    }
    if (c_hi == 0.0)
        return y_lo;
    if (c_lo == 0.0)
        return y_hi;
    g = tc - cc;
    if (g >= 1.0)
        return y_hi;
    if (c_hi >= 1.0)
        return g == 0.0 ? y_lo : (1.0 - g) * y_lo + g * y_hi;
    g /= c_hi;
    return (1.0 - g) * y_lo + g * y_hi;
}

typedef struct pair_t {
    double x, w;
} pair_t;

static int
cmp_pair(const void *a, const void *b)
{
    double x = ((const pair_t *)a)->x, y = ((const pair_t *)b)->x;

    return (x > y) - (x < y);
}

static int
cmp_name(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;

    /* households without a neighbourhood go last */
    if (*x == '\0' || *y == '\0')
        return (*x == '\0') - (*y == '\0');
    return strcmp(x, y);
}

static void
cell_text(sp_table_t *t, size_t r, size_t c, const char *s)
{
    sp_table_cell_t *cell = (sp_table_cell_t *)&t->cells[r * t->ncols + c];

    cell->kind = SPIRAL_CELL_TEXT;
    cell->text = s;
}

static void
cell_num(sp_table_t *t, size_t r, size_t c, double v, int withheld, const char *note)
{
    sp_table_cell_t *cell = (sp_table_cell_t *)&t->cells[r * t->ncols + c];

    if (withheld) {
        cell->kind = SPIRAL_CELL_SUPPRESSED;
        cell->text = SP_TABLE_MARK_SUPPRESSED;
        cell->note = note;
    } else if (isfinite(v)) {
        cell->kind = SPIRAL_CELL_NUMBER;
        cell->number = v;
    } else {
        cell->kind = SPIRAL_CELL_UNDEFINED;
        cell->text = SP_TABLE_MARK_UNDEFINED;
        cell->note = "undefined";
    }
}

enum {
    D_GROUP, D_RESOURCE, D_UNIT, D_HOUSEHOLDS, D_PERSONS, D_MEAN, D_Q1, D_MEDIAN, D_Q3,
    D_LIMIT, D_ABOVE, D_HMEAN, D_NCOLS
};
static const char *const dist_columns[D_NCOLS] = {
    "neighbourhood", "resource", "unit", "households", "persons", "mean", "q1", "median", "q3",
    "limit", "above_limit", "household_mean"
};

/* Why a group of sp_meter_distribution is withheld. */
enum { KEEP, PRIMARY, SECONDARY };

/* The withheld set of the distribution into why[]: count[g] households in
 * group g, the neighbourhoods first and everyone ("(all)") last, ng groups
 * in all.  Primary: a group of 1..k-1 households.  Secondary: a
 * neighbourhood withheld alone could be worked out from (all) and the
 * others (its households, persons, means and share above the limit
 * exactly, since they add up; its quartiles roughly), so a second one is
 * withheld with it: the smallest one shown (the first on a tie), which
 * hides the fewest households.  With none to take, (all) is withheld
 * instead; that cannot happen while (all) is shown, since it then holds at
 * least k households, but the rule does not lean on it.  Two or more
 * withheld neighbourhoods, or (all) withheld, leave only their sum to
 * work out. */
static void
decide_withheld(const size_t *count, size_t ng, unsigned k, int *why)
{
    size_t g, all = ng - 1, nprimary = 0, best = all;

    for (g = 0; g < ng; g++) {
        why[g] = sp_sdc_small((double)count[g], k) ? PRIMARY : KEEP;
        if (g < all && why[g] == PRIMARY)
            nprimary++;
    }
    if (nprimary != 1 || why[all] != KEEP)
        return;
    for (g = 0; g < all; g++)
        if (why[g] == KEEP && count[g] > 0 && (best == all || count[g] < count[best]))
            best = g;
    why[best] = SECONDARY;
}

int
sp_meter_distribution(const sp_meter_t *m, const sp_meter_batch_t *b,
                      const sp_meter_dist_opts_t *opts, sp_table_t **out, apr_pool_t *pool,
                      sp_error_t **err)
{
    sp_meter_dist_opts_t def = {5, 0};
    apr_hash_t *index = apr_hash_make(pool);
    apr_array_header_t *groups = apr_array_make(pool, 16, sizeof(const char *));
    size_t ng, g, i, k, r = 0, nres = b->nres, *count, *member;
    int *why;
    pair_t *pairs;
    const char *note[3], *listed[3] = {NULL, NULL, NULL};
    sp_table_t *t;

    if (opts == NULL)
        opts = &def;
    if (nres != sp_meter_nresources(m))
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "meter distribution: the batch is not this meter's");
    for (i = 0; i < b->n; i++)
        if (apr_hash_get(index, b->neighbourhood[i], APR_HASH_KEY_STRING) == NULL) {
            apr_hash_set(index, b->neighbourhood[i], APR_HASH_KEY_STRING, "");
            APR_ARRAY_PUSH(groups, const char *) = b->neighbourhood[i];
        }
    qsort(groups->elts, (size_t)groups->nelts, sizeof(const char *), cmp_name);
    ng = (size_t)groups->nelts + 1;    /* + everyone */
    t = sp_table_create("consumption meter by neighbourhood", ng * nres, D_NCOLS, pool);
    if (t == NULL)
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0, "meter distribution: too many cells");
    memcpy((void *)t->columns, dist_columns, sizeof dist_columns);
    /* Households per group first: the withheld set depends on all of them. */
    count = apr_pcalloc(pool, ng * sizeof *count);
    member = apr_palloc(pool, (b->n ? b->n : 1) * sizeof *member);
    for (g = 0; g + 1 < ng; g++) {
        size_t *gp = apr_palloc(pool, sizeof *gp);

        *gp = g;
        apr_hash_set(index, APR_ARRAY_IDX(groups, g, const char *), APR_HASH_KEY_STRING, gp);
    }
    for (i = 0; i < b->n; i++) {
        member[i] = *(const size_t *)apr_hash_get(index, b->neighbourhood[i], APR_HASH_KEY_STRING);
        count[member[i]]++;
    }
    count[ng - 1] = b->n;
    why = apr_pcalloc(pool, ng * sizeof *why);
    if (!opts->no_suppress)
        decide_withheld(count, ng, opts->min_cell, why);
    note[KEEP] = NULL;
    note[PRIMARY] = apr_psprintf(pool, "suppressed: fewer than %u households", opts->min_cell);
    note[SECONDARY] = why[ng - 1] == SECONDARY
                          ? "withheld so that a small group cannot be worked out from the others"
                          : "withheld so that a small group cannot be worked out from (all)";
    pairs = apr_palloc(pool, (b->n ? b->n : 1) * sizeof *pairs);
    for (g = 0; g < ng; g++) {
        const char *name = g + 1 < ng ? APR_ARRAY_IDX(groups, g, const char *) : NULL;
        const char *label = name == NULL ? "(all)" : *name ? name : "(none)";
        int withheld = why[g] != KEEP;
        const char *wnote = note[why[g]];

        if (withheld)
            listed[why[g]] = listed[why[g]] ? apr_pstrcat(pool, listed[why[g]], ", ", label, NULL)
                                            : label;
        for (k = 0; k < nres; k++, r++) {
            const sp_meter_resource_t *res = sp_meter_resource(m, k);
            double W = 0.0, S = 0.0, above = 0.0, hsum = 0.0;
            size_t n = 0;

            for (i = 0; i < b->n; i++) {
                double x, w;

                if (name != NULL && member[i] != g)
                    continue;
                x = b->total[i * nres + k];
                w = b->size[i];
                pairs[n].x = x;
                pairs[n].w = w;
                n++;
                W += w;
                S += w * x;
                hsum += b->household[i * nres + k];
                if (isfinite(res->limit) && x > res->limit)
                    above += w;
            }
            qsort(pairs, n, sizeof *pairs, cmp_pair);
            cell_text(t, r, D_GROUP, label);
            cell_text(t, r, D_RESOURCE, res->name);
            cell_text(t, r, D_UNIT, res->unit);
            cell_num(t, r, D_HOUSEHOLDS, (double)n, withheld, wnote);
            cell_num(t, r, D_PERSONS, W, withheld, wnote);
            cell_num(t, r, D_MEAN, W > 0 ? S / W : NAN, withheld, wnote);
            {
                double *xs = apr_palloc(pool, (n ? n : 1) * sizeof *xs);
                double *ws = apr_palloc(pool, (n ? n : 1) * sizeof *ws);

                for (i = 0; i < n; i++) {
                    xs[i] = pairs[i].x;
                    ws[i] = pairs[i].w;
                }
                cell_num(t, r, D_Q1, sp_meter_quantile(xs, ws, n, 0.25), withheld, wnote);
                cell_num(t, r, D_MEDIAN, sp_meter_quantile(xs, ws, n, 0.5), withheld, wnote);
                cell_num(t, r, D_Q3, sp_meter_quantile(xs, ws, n, 0.75), withheld, wnote);
            }
            /* the limit is the meter's, not the households' */
            cell_num(t, r, D_LIMIT, res->limit, 0, NULL);
            cell_num(t, r, D_ABOVE, W > 0 && isfinite(res->limit) ? above / W : NAN, withheld,
                     wnote);
            cell_num(t, r, D_HMEAN, n > 0 ? hsum / (double)n : NAN, withheld, wnote);
        }
    }
    t->not_for_publication = opts->no_suppress ? 1 : 0;
    t->note = apr_psprintf(pool, "meter %s; mean and quartiles: one person's yearly use with the"
                           " collective share, households weighted by their size",
                           sp_meter_code(m));
    /* The text and CSV forms show no cell notes: the table's says what is
     * withheld and why. */
    if (listed[PRIMARY] != NULL)
        t->note = apr_psprintf(pool, "%s; withheld, fewer than %u households: %s", t->note,
                               opts->min_cell, listed[PRIMARY]);
    if (listed[SECONDARY] != NULL)
        t->note = apr_psprintf(pool, "%s; %s: %s", t->note, note[SECONDARY], listed[SECONDARY]);
    *out = t;
    return SP_OK;
}
