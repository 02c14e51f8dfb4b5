/*
 * sp_scan_acc.c -- the hot loop of a scan: batches of rows into a
 * worker's dense accumulators (sp_scan_int.h).
 *
 * Both readers call sp_scan_accumulate once per batch of up to BATCH rows;
 * everything per row stays in this file so that the compiler can make one
 * loop per weight kind: weight_at and accumulate_pair are inline and get
 * the kind as a constant.  Each row's key cell is computed once, then
 * every measure's histogram is updated column by column.  Counts are
 * doubles, weights the exact fixed-point sums of sp_scan_int.h; in J1's
 * shape (two one-byte keys, no filter, no measure) with fixed-point
 * weights, sums stay in the chunk's own unit (af) until the unit changes.
 */
#include <stdlib.h>
#include "sp_scan_int.h"

static size_t
pow2_at_least(size_t n, size_t min)
{
    size_t c = min;

    while (c < n)
        c *= 2;
    return c;
}

int
sp_scan_ensure_caps(worker_t *wk)
{
    const plan_t *p = wk->p;
    size_t ncap[SP_SCAN_MAX_KEYS], nmcap = wk->mcap, ncells = 1, k, m, i, changed = 0;
    double *nn;
    wsum_t *nw;

    for (k = 0; k < p->nkeys; k++) {
        ncap[k] = pow2_at_least((size_t)wk->dict[p->key_u[k]].n + 1, wk->kcap[k] ? wk->kcap[k] : 8);
        changed |= ncap[k] != wk->kcap[k];
        ncells *= ncap[k];
        if (ncells > MAX_CELLS)
            return sp_scan_fail(wk, SP_EXIT_DATA, "the table is too large (too many combinations of values)");
    }
    for (m = 0; m < p->nmeas; m++)
        nmcap = pow2_at_least((size_t)wk->dict[p->meas_u[m]].n + 1, nmcap ? nmcap : 8);
    changed |= nmcap != wk->mcap;
    if (!changed)
        return SP_OK;
    if (p->nmeas && ncells * p->nmeas * nmcap > MAX_CELLS)
        return sp_scan_fail(wk, SP_EXIT_DATA, "the table is too large (too many values)");
    {
        size_t nsz = ncells * (p->nmeas ? p->nmeas * nmcap : 1);

        nn = calloc(nsz, sizeof *nn);
        nw = calloc(nsz, sizeof *nw);
        if (!nn || !nw) {
            free(nn);
            free(nw);
            return sp_scan_fail(wk, SP_EXIT_SOFTWARE, "out of memory");
        }
        for (i = 0; wk->an && i < wk->ncells; i++) {
            size_t rest = i, ni = 0, tuple[SP_SCAN_MAX_KEYS];

            for (k = p->nkeys; k-- > 0;) {
                tuple[k] = rest % wk->kcap[k];
                rest /= wk->kcap[k];
            }
            for (k = 0; k < p->nkeys; k++)
                ni = ni * ncap[k] + tuple[k];
            if (p->nmeas == 0) {
                nn[ni] = wk->an[i];
                nw[ni] = wk->aw[i];
            } else {
                for (m = 0; m < p->nmeas; m++)
                    for (k = 0; k < wk->mcap; k++) {
                        size_t o = (i * p->nmeas + m) * wk->mcap + k;
                        size_t d = (ni * p->nmeas + m) * nmcap + k;

                        nn[d] = wk->an[o];
                        nw[d] = wk->aw[o];
                    }
            }
        }
    }
    free(wk->an);
    free(wk->aw);
    wk->an = nn;
    wk->aw = nw;
    for (k = 0; k < p->nkeys; k++)
        wk->kcap[k] = ncap[k];
    wk->mcap = nmcap;
    wk->ncells = ncells;
    return SP_OK;
}

static inline unsigned
code_at(const view_t *v, size_t u, size_t i)
{
    return v->widthp[u] == 1 ? ((const uint8_t *)v->colp[u])[i]
                             : ((const uint16_t *)v->colp[u])[i];
}

static inline int
no_weight(const view_t *v, size_t i)
{
    return v->wkind == W_DOUBLE && v->w[i] != v->w[i];
}

/* Row i's weight in units of 2^-64 (kind passed apart so that the
 * compiler can make one loop per kind). */
static inline wsum_t
weight_at(const view_t *v, int kind, size_t i)
{
    switch (kind) {
    case W_DOUBLE:
        return fixed(v->w[i]);
    case W_FIXED:
        return (wsum_t)(uint64_t)v->wm[i] << v->wshift;
    case W_CODE:
        return v->wtab[v->wcode[i]];
    case W_UNIT:                   /* W_FIXED, left in its own unit */
        return (uint64_t)v->wm[i];
    default:
        return (wsum_t)1 << 64;
    }
}

/* J1's shape: two keys of one-byte codes, no filter, no measure. */
static inline __attribute__((always_inline)) void
accumulate_pair(worker_t *wk, const view_t *v, int kind)
{
    const uint8_t *r = v->colp[wk->p->key_u[0]], *c = v->colp[wk->p->key_u[1]];
    double *an = wk->an;
    wsum_t *aw = kind == W_UNIT ? wk->af : wk->aw;
    size_t nc = wk->kcap[1], i;

    for (i = 0; i < v->n; i++) {
        size_t j = r[i] * nc + c[i];

        if (kind == W_DOUBLE && v->w[i] != v->w[i]) {
            wk->no_weight++;
            continue;
        }
        an[j] += 1.0;
        aw[j] += weight_at(v, kind, i);
    }
}

/* Add the sums kept in the unit of a chunk's fixed-point weights to aw:
 * one shift per cell when the unit changes, not one per row. */
void
sp_scan_flush_unit_sums(worker_t *wk)
{
    size_t i, n = acc_size(wk);
    unsigned shift = 64 - (unsigned)wk->af_scale;

    if (wk->af_scale < 0)
        return;
    for (i = 0; i < n; i++) {
        wk->aw[i] += wk->af[i] << shift;
        wk->af[i] = 0;
    }
    wk->af_scale = -1;
}

/* The hot loop. */
void
sp_scan_accumulate(worker_t *wk, const view_t *v)
{
    const plan_t *p = wk->p;
    double *an = wk->an;
    wsum_t *aw = wk->aw;
    size_t i, k, m;

    wk->records += (double)v->n;
    if (pair_shape(p, v->widthp)) {
        switch (v->wkind) {
        case W_DOUBLE: accumulate_pair(wk, v, W_DOUBLE); return;
        case W_FIXED:
            if (wk->af_scale >= 0)
                accumulate_pair(wk, v, W_UNIT);
            else
                accumulate_pair(wk, v, W_FIXED);
            return;
        case W_CODE: accumulate_pair(wk, v, W_CODE); return;
        default: accumulate_pair(wk, v, W_ONE); return;
        }
    }
    for (i = 0; i < v->n; i++) {
        size_t j = 0;
        int ok = 1;

        for (k = 0; k < p->nfilter; k++)
            ok &= wk->dict[p->filter_u[k]].pass[code_at(v, p->filter_u[k], i)];
        if (!ok) {
            wk->filtered++;
            wk->kidx[i] = NO_CELL;
            continue;
        }
        if (no_weight(v, i)) {
            wk->no_weight++;
            wk->kidx[i] = NO_CELL;
            continue;
        }
        for (k = 0; k < p->nkeys; k++)
            j = j * wk->kcap[k] + code_at(v, p->key_u[k], i);
        wk->kidx[i] = (uint32_t)j;
    }
    if (p->nmeas == 0) {
        for (i = 0; i < v->n; i++) {
            uint32_t j = wk->kidx[i];

            if (j != NO_CELL) {
                an[j] += 1.0;
                aw[j] += weight_at(v, v->wkind, i);
            }
        }
        return;
    }
    for (m = 0; m < p->nmeas; m++) {
        size_t u = p->meas_u[m], mcap = wk->mcap, nm = p->nmeas;

        for (i = 0; i < v->n; i++) {
            uint32_t j = wk->kidx[i];

            if (j != NO_CELL) {
                size_t d = ((size_t)j * nm + m) * mcap + code_at(v, u, i);

                an[d] += 1.0;
                aw[d] += weight_at(v, v->wkind, i);
            }
        }
    }
}
