/*
 * sp_scan_store.c -- the workspace reader of a scan: sp_scan_open_store
 * and sp_scan_run_store (sp_scan_int.h).
 *
 * The columnar chunks of sp_colstore.h are already dictionary-coded: the
 * plan takes the workspace's dictionaries as they are (one shared set, the
 * --where terms tested once per value here) and two threads, each with
 * its own SQLite connection, read every column of a chunk in turn and
 * hand it to sp_scan_acc.c in batches of BATCH rows while it is in cache.
 * The weights come in the chunk's own form (codes, fixed point, doubles)
 * and are never converted row by row here.
 */
#include <stdlib.h>
#include <string.h>
#include <apr_thread_proc.h>
#include "sp_scan_int.h"

/* ---- the source ------------------------------------------------------------- */

int
sp_scan_open_store(sp_scan_source_t **out, sp_store_t *store, apr_pool_t *pool,
                   sp_error_t **err)
{
    sp_scan_source_t *src = apr_pcalloc(pool, sizeof *src);
    int rc;

    src->pool = pool;
    src->kind = SRC_STORE;
    src->name = store->path;
    src->store = store;
    src->nthreads = 2;
    if ((rc = sp_colstore_refresh(store, NULL, pool, err)) != SP_OK
        || (rc = sp_colstore_columns(store, &src->vars, &src->nvars, &src->nrows, pool, err))
               != SP_OK)
        return rc;
    *out = src;
    return SP_OK;
}

/* ---- workspace rows ------------------------------------------------------------- */

static void *APR_THREAD_FUNC
store_range(apr_thread_t *thd, void *data)
{
    worker_t *wk = data;
    const plan_t *p = wk->p;
    size_t c, u, n, at, k;
    const char *why = NULL;
    sp_colstore_weights_t wt;
    wsum_t wtab[255];
    view_t v;
    int rc;

    (void)thd;
    memset(&wt, 0, sizeof wt);
    v.colp = v.col;
    v.widthp = v.width;
    /* Read a chunk of every column, then scan it while it is in cache. */
    for (c = wk->chunk0; c < wk->chunk1; c++) {
        size_t rows = 0;

        for (u = 0; u < p->nu; u++) {
            if ((rc = sp_colstore_read(wk->reader, p->col[u], c, wk->cbuf[u], &n, &why)) != SP_OK) {
                sp_scan_fail(wk, rc, why);
                return NULL;
            }
            if (u > 0 && n != rows) {
                sp_scan_fail(wk, SP_EXIT_SOFTWARE, "the columns of a chunk differ in length");
                return NULL;
            }
            rows = n;
            v.width[u] = p->col[u]->width;
        }
        v.wkind = W_ONE;
        if (p->wcol) {
            if ((rc = sp_colstore_read_weights(wk->reader, p->wcol, c, wk->wbuf, &wt, &why))
                != SP_OK) {
                sp_scan_fail(wk, rc, why);
                return NULL;
            }
            if (wt.n != rows) {
                sp_scan_fail(wk, SP_EXIT_SOFTWARE, "the weight of a chunk differs in length");
                return NULL;
            }
            v.wkind = wt.fixed ? W_FIXED : wt.code ? W_CODE : W_DOUBLE;
            v.wshift = 64 - (unsigned)wt.scale;
            if (wt.fixed && wk->af && pair_shape(p, v.width) && wk->af_scale != wt.scale) {
                sp_scan_flush_unit_sums(wk);
                wk->af_scale = wt.scale;
            }
            for (k = 0; k < wt.ndict; k++)
                wtab[k] = fixed(wt.dict[k]);
            v.wtab = wtab;
        }
        for (at = 0; at < rows; at += BATCH) {
            for (u = 0; u < p->nu; u++)
                v.col[u] = (const uint8_t *)wk->cbuf[u] + at * (size_t)v.width[u];
            v.w = wt.value ? wt.value + at : NULL;
            v.wm = wt.fixed ? wt.fixed + at : NULL;
            v.wcode = wt.code ? wt.code + at : NULL;
            v.n = rows - at < BATCH ? rows - at : BATCH;
            sp_scan_accumulate(wk, &v);
        }
    }
    sp_scan_flush_unit_sums(wk);
    return NULL;
}

int
sp_scan_run_store(sp_scan_source_t *src, plan_t *p, worker_t *wk, int *nw, apr_pool_t *pool,
                  sp_error_t **err)
{
    size_t u, k, t, nchunks;
    int i, n, rc, width[64];

    p->col = apr_palloc(pool, p->nu * sizeof *p->col);
    p->sdict = apr_pcalloc(pool, p->nu * sizeof *p->sdict);
    for (u = 0; u < p->nu; u++) {
        dict_t *d = &p->sdict[u];

        if ((rc = sp_colstore_describe(src->store, p->uname[u], &p->col[u], pool, err)) != SP_OK)
            return rc;
        if (p->col[u]->width == 8)
            return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                                "%s is the weight: it cannot be a dimension", p->uname[u]);
        d->n = (uint32_t)p->col[u]->nvalues;
        d->str = (char **)p->col[u]->values;
        if (p->nuterms[u]) {
            d->terms = p->uterms[u];
            d->nterms = p->nuterms[u];
            d->pass = apr_palloc(pool, (size_t)d->n + 1);
            for (k = 0; k <= d->n; k++) {
                d->pass[k] = 1;
                for (t = 0; t < d->nterms; t++)
                    d->pass[k] &= (uint8_t)sp_where_term_test(d->terms[t], d->str[k],
                                                              strlen(d->str[k]));
            }
        }
    }
    if (p->weighted && (rc = sp_colstore_describe(src->store, "weight", &p->wcol, pool, err))
        != SP_OK)
        return rc;
    for (u = 0; u < p->nu; u++)
        width[u] = p->col[u]->width;
    nchunks = (src->nrows + SP_COLSTORE_CHUNK - 1) / SP_COLSTORE_CHUNK;
    n = src->nthreads > 1 && nchunks >= 2 ? 2 : 1;
    for (i = 0; i < n; i++) {
        if (!sp_scan_worker_init(&wk[i], p, 0))
            return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0, "out of memory");
        *nw = i + 1;
        if (sp_scan_ensure_caps(&wk[i]) != SP_OK)
            return sp_error_set(err, pool, wk[i].status, NULL, 0, 0, "%s", wk[i].msg);
        if (p->wcol && pair_shape(p, width)
            && (wk[i].af = calloc(acc_size(&wk[i]), sizeof *wk[i].af)) == NULL)
            return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0, "out of memory");
        /* Each thread its own connection (the first shares the command's). */
        if ((rc = sp_colstore_reader_open(src->store, i > 0, &wk[i].reader, pool, err)) != SP_OK)
            return rc;
        for (u = 0; u < p->nu; u++)
            wk[i].cbuf[u] = apr_palloc(pool, SP_COLSTORE_CHUNK * (size_t)p->col[u]->width);
        wk[i].wbuf = apr_palloc(pool, SP_COLSTORE_CHUNK * sizeof(double));
        wk[i].chunk0 = i == 0 ? 0 : nchunks / 2;
        wk[i].chunk1 = (n == 1 || i == 1) ? nchunks : nchunks / 2;
    }
    p->t_loaded = apr_time_now();
    if (n == 2) {
        apr_thread_t *th;
        apr_status_t ts;

        if (apr_thread_create(&th, NULL, store_range, &wk[1], pool) != APR_SUCCESS) {
            store_range(NULL, &wk[1]);
            store_range(NULL, &wk[0]);
        } else {
            store_range(NULL, &wk[0]);
            apr_thread_join(&ts, th);
        }
    } else {
        store_range(NULL, &wk[0]);
    }
    return SP_OK;
}
