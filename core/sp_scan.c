/*
 * sp_scan.c -- the driver of a scan (sp_scan.h): the accessors of a
 * source, the plan of a request, the workers, the merge of the threads'
 * results into sorted levels, and the workspace lookups that label them.
 *
 * The rest is split by job (sp_scan_int.h): the readers sp_scan_csv.c (a
 * CSV file, split by a splitter of its own when it holds no quote and by
 * sp_csv otherwise) and sp_scan_store.c (the workspace's columnar chunks
 * from sp_colstore.c), the hot loop sp_scan_acc.c, the dictionaries
 * sp_scan_dict.c, and --where with the order of levels sp_where.c.  The
 * commands (cmd_crosstab.c, cmd_aggregate.c) and the Lua analyses
 * (core/lua/sp_lua_xtab.c, sp_lua_agg.c) turn a result into an sp_xtab_t
 * or an sp_agg_t, labelling its levels with the lookups at the end of
 * this file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include <apr_time.h>
#include "sp_scan_int.h"

/* ---- sources -------------------------------------------------------------------- */

const char *const *
sp_scan_vars(const sp_scan_source_t *src, size_t *n)
{
    *n = src->nvars;
    return src->vars;
}

static long
var_index(const sp_scan_source_t *src, const char *name)
{
    size_t i;

    for (i = 0; i < src->nvars; i++)
        if (strcmp(src->vars[i], name) == 0)
            return (long)i;
    return -1;
}

int
sp_scan_has_var(const sp_scan_source_t *src, const char *name)
{
    return var_index(src, name) >= 0;
}

const char *
sp_scan_name(const sp_scan_source_t *src)
{
    return src->name;
}

void
sp_scan_set_threads(sp_scan_source_t *src, int nthreads)
{
    src->nthreads = nthreads < 1 ? 1 : nthreads > 2 ? 2 : nthreads;
}

/* ---- running ------------------------------------------------------------------- */

static int
unknown_var(const sp_scan_source_t *src, const char *name, apr_pool_t *pool, sp_error_t **err)
{
    const char *list = "";
    size_t i;

    for (i = 0; i < src->nvars; i++)
        list = apr_pstrcat(pool, list, i ? ", " : "", src->vars[i], NULL);
    return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                        "unknown variable '%s' in %s; known variables: %s", name, src->name,
                        list);
}

static size_t
add_uvar(apr_array_header_t *names, const char *name)
{
    int i;

    for (i = 0; i < names->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(names, i, const char *), name) == 0)
            return (size_t)i;
    APR_ARRAY_PUSH(names, const char *) = name;
    return (size_t)names->nelts - 1;
}

int
sp_scan_fail(worker_t *wk, int status, const char *msg)
{
    if (wk->status == SP_OK) {
        wk->status = status;
        snprintf(wk->msgbuf, sizeof wk->msgbuf, "%s", msg);
        wk->msg = wk->msgbuf;
    }
    return status;
}

int
sp_scan_worker_init(worker_t *wk, const plan_t *p, int csv)
{
    size_t u;

    memset(wk, 0, sizeof *wk);
    wk->p = p;
    wk->af_scale = -1;
    wk->fd = -1;
    wk->kidx = malloc(BATCH * sizeof *wk->kidx);   /* store batches are BATCH too */
    if (csv) {
        wk->dict = calloc(p->nu, sizeof *wk->dict);
        wk->codes = malloc(p->nu * BATCH * sizeof *wk->codes + 1);
        wk->w = malloc(BATCH * sizeof *wk->w);
        if (!wk->dict || !wk->codes || !wk->w)
            return 0;
        for (u = 0; u < p->nu; u++)
            if (!sp_scan_dict_init(&wk->dict[u], p->uterms[u], p->nuterms[u]))
                return 0;
    } else {
        wk->dict = p->sdict;
    }
    return wk->kidx != NULL;
}

void
sp_scan_worker_free(worker_t *wk, int csv)
{
    size_t u;

    if (csv && wk->dict) {
        for (u = 0; u < wk->p->nu; u++)
            sp_scan_dict_free(&wk->dict[u]);
        free(wk->dict);
    }
    free(wk->codes);
    free(wk->w);
    free(wk->kidx);
    free(wk->an);
    free(wk->aw);
    free(wk->af);
}

/* Levels of variable u over the workers, sorted; map[w][code] = index. */
static void
merge_levels(const plan_t *p, worker_t *wk, int nw, size_t u, const char *var,
             sp_scan_levels_t *out, uint32_t **map, int used_only, apr_pool_t *pool)
{
    apr_hash_t *h = apr_hash_make(pool);
    apr_array_header_t *vals = apr_array_make(pool, 16, sizeof(const char *));
    int i;
    uint32_t c;
    size_t k;

    (void)p;
    for (i = 0; i < nw; i++) {
        const dict_t *d = &wk[i].dict[u];

        for (c = 1; c <= d->n; c++) {
            if (used_only && !map[i][c])
                continue;
            if (!apr_hash_get(h, d->str[c], APR_HASH_KEY_STRING)) {
                const char *s = apr_pstrdup(pool, d->str[c]);

                apr_hash_set(h, s, APR_HASH_KEY_STRING, (void *)1);
                APR_ARRAY_PUSH(vals, const char *) = s;
            }
        }
    }
    sp_scan_sort_levels((const char **)vals->elts, (size_t)vals->nelts, p->decimal_comma);
    out->var = var;
    out->nlevels = (size_t)vals->nelts;
    out->value = apr_palloc(pool, (out->nlevels + 1) * sizeof(char *));
    out->value[0] = "";
    for (k = 0; k < out->nlevels; k++) {
        out->value[k + 1] = APR_ARRAY_IDX(vals, (int)k, const char *);
        apr_hash_set(h, out->value[k + 1], APR_HASH_KEY_STRING, (void *)(uintptr_t)(k + 1));
    }
    for (i = 0; i < nw; i++) {
        const dict_t *d = &wk[i].dict[u];

        map[i][0] = 0;
        for (c = 1; c <= d->n; c++)
            map[i][c] = (used_only && !map[i][c]) ? 0
                : (uint32_t)(uintptr_t)apr_hash_get(h, d->str[c], APR_HASH_KEY_STRING);
    }
}

int
sp_scan_run(sp_scan_source_t *src, const sp_scan_request_t *req, sp_scan_result_t **res,
            apr_pool_t *pool, sp_error_t **err)
{
    apr_array_header_t *names = apr_array_make(pool, 16, sizeof(const char *));
    plan_t *p = apr_pcalloc(pool, sizeof *p);
    worker_t wk[2];
    sp_scan_result_t *r;
    uint32_t **kmap[SP_SCAN_MAX_KEYS], ***mmap = NULL;
    size_t i, k, m, u, t, tsz = 0;
    int nw = 0, rc, fast = 0, j;
    wsum_t *tw = NULL;

    memset(wk, 0, sizeof wk);
    if (req->nkeys == 0 || req->nkeys > SP_SCAN_MAX_KEYS)
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                            "between 1 and %d grouping variables", SP_SCAN_MAX_KEYS);
    /* Names: keys, measures, filtered variables. */
    for (i = 0; i < req->nkeys; i++)
        if (var_index(src, req->keys[i]) < 0)
            return unknown_var(src, req->keys[i], pool, err);
    for (i = 0; i < req->nmeasures; i++)
        if (var_index(src, req->measures[i]) < 0)
            return unknown_var(src, req->measures[i], pool, err);
    if (req->weight && var_index(src, req->weight) < 0)
        return unknown_var(src, req->weight, pool, err);
    for (t = 0; req->where && t < req->where->nterms; t++)
        if (var_index(src, req->where->terms[t].var) < 0)
            return unknown_var(src, req->where->terms[t].var, pool, err);
    p->nkeys = req->nkeys;
    p->nmeas = req->nmeasures;
    p->meas_u = apr_palloc(pool, (p->nmeas + 1) * sizeof *p->meas_u);
    for (i = 0; i < req->nkeys; i++)
        p->key_u[i] = add_uvar(names, req->keys[i]);
    for (i = 0; i < req->nmeasures; i++)
        p->meas_u[i] = add_uvar(names, req->measures[i]);
    for (t = 0; req->where && t < req->where->nterms; t++)
        add_uvar(names, req->where->terms[t].var);
    p->nu = (size_t)names->nelts;
    if (p->nu > 64)
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "at most 64 variables in one scan");
    p->uname = (const char **)names->elts;
    p->uterms = apr_pcalloc(pool, p->nu * sizeof *p->uterms);
    p->nuterms = apr_pcalloc(pool, p->nu * sizeof *p->nuterms);
    p->filter_u = apr_palloc(pool, p->nu * sizeof *p->filter_u);
    for (u = 0; u < p->nu; u++) {
        p->uterms[u] = apr_palloc(pool, (req->where ? req->where->nterms : 0) * sizeof(void *) + 1);
        for (t = 0; req->where && t < req->where->nterms; t++)
            if (strcmp(req->where->terms[t].var, p->uname[u]) == 0)
                p->uterms[u][p->nuterms[u]++] = &req->where->terms[t];
        if (p->nuterms[u])
            p->filter_u[p->nfilter++] = u;
    }
    p->weighted = req->weight != NULL;
    p->decimal_comma = src->decimal_comma;
    p->path = src->name;

    p->t_start = p->t_loaded = apr_time_now();
    if (src->kind == SRC_CSV) {
        p->delim = src->delim;
        p->nfields = src->nvars;
        p->field_u = apr_palloc(pool, (p->nfields + 1) * sizeof *p->field_u);
        p->wfield = req->weight ? var_index(src, req->weight) : -1;
        p->lastf = p->wfield > 0 ? (size_t)p->wfield : 0;
        for (i = 0; i < p->nfields; i++) {
            long uu = -1;

            for (u = 0; u < p->nu; u++)
                if (strcmp(p->uname[u], src->vars[i]) == 0)
                    uu = (long)u;
            p->field_u[i] = (int)uu;
            if (uu >= 0 && i > p->lastf)
                p->lastf = i;
        }
        rc = sp_scan_run_csv(src, p, wk, &nw, &fast, pool, err);
    } else {
        rc = sp_scan_run_store(src, p, wk, &nw, pool, err);
    }
    if (rc != SP_OK)
        goto done;
    for (j = 0; j < nw; j++)
        if (wk[j].status != SP_OK) {
            rc = sp_error_set(err, pool, wk[j].status, src->name, 0, 0, "%s", wk[j].msg);
            goto done;
        }

    /* Merge: levels in sorted order, then the totals. */
    r = apr_pcalloc(pool, sizeof *r);
    r->nkeys = p->nkeys;
    r->nmeasures = p->nmeas;
    r->key = apr_pcalloc(pool, p->nkeys * sizeof *r->key);
    r->measure = apr_pcalloc(pool, (p->nmeas + 1) * sizeof *r->measure);
    r->threads = nw;
    r->fast_path = fast;
    /* Which codes occur in a counted record: only those become levels. */
    for (k = 0; k < p->nkeys; k++) {
        kmap[k] = apr_palloc(pool, (size_t)nw * sizeof(uint32_t *));
        for (j = 0; j < nw; j++)
            kmap[k][j] = apr_pcalloc(pool, ((size_t)wk[j].dict[p->key_u[k]].n + 1) * sizeof(uint32_t));
    }
    if (p->nmeas) {
        mmap = apr_palloc(pool, p->nmeas * sizeof *mmap);
        for (m = 0; m < p->nmeas; m++) {
            mmap[m] = apr_palloc(pool, (size_t)nw * sizeof(uint32_t *));
            for (j = 0; j < nw; j++)
                mmap[m][j] = apr_pcalloc(pool, ((size_t)wk[j].dict[p->meas_u[m]].n + 1) * sizeof(uint32_t));
        }
    }
    for (j = 0; j < nw; j++) {
        worker_t *w = &wk[j];

        for (i = 0; i < w->ncells; i++) {
            size_t rest = i, c, tuple[SP_SCAN_MAX_KEYS];
            int used = 0;

            if (p->nmeas == 0) {
                used = w->an[i] > 0;
            } else {
                for (m = 0; m < p->nmeas; m++)
                    for (c = 0; c < w->mcap && c <= w->dict[p->meas_u[m]].n; c++)
                        if (w->an[(i * p->nmeas + m) * w->mcap + c] > 0) {
                            used = 1;
                            mmap[m][j][c] = 1;
                        }
            }
            if (!used)
                continue;
            for (k = p->nkeys; k-- > 0;) {
                tuple[k] = rest % w->kcap[k];
                rest /= w->kcap[k];
                if (tuple[k] <= w->dict[p->key_u[k]].n)
                    kmap[k][j][tuple[k]] = 1;
            }
        }
    }
    for (k = 0; k < p->nkeys; k++)
        merge_levels(p, wk, nw, p->key_u[k], req->keys[k], &r->key[k], kmap[k], 1, pool);
    for (m = 0; m < p->nmeas; m++)
        merge_levels(p, wk, nw, p->meas_u[m], req->measures[m], &r->measure[m], mmap[m], 1, pool);
    r->ncells = 1;
    for (k = 0; k < p->nkeys; k++)
        r->ncells *= r->key[k].nlevels + 1;
    r->mstride = 1;
    for (m = 0; m < p->nmeas; m++)
        if (r->measure[m].nlevels + 1 > r->mstride)
            r->mstride = r->measure[m].nlevels + 1;
    {
        size_t sz = r->ncells * (p->nmeas ? p->nmeas * r->mstride : 1);

        r->n = apr_pcalloc(pool, sz * sizeof(double));
        r->w = apr_pcalloc(pool, sz * sizeof(double));
        tw = calloc(sz ? sz : 1, sizeof *tw);
        tsz = sz;
        if (tw == NULL) {
            rc = sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0, "out of memory");
            goto done;
        }
    }
    for (j = 0; j < nw; j++) {
        worker_t *w = &wk[j];

        r->records += w->records;
        r->filtered += w->filtered;
        r->no_weight += w->no_weight;
        for (i = 0; i < w->ncells; i++) {
            size_t rest = i, gi = 0, tuple[SP_SCAN_MAX_KEYS];

            for (k = p->nkeys; k-- > 0;) {
                tuple[k] = rest % w->kcap[k];
                rest /= w->kcap[k];
            }
            for (k = 0; k < p->nkeys; k++) {
                if (tuple[k] > w->dict[p->key_u[k]].n)
                    break;
                gi = gi * (r->key[k].nlevels + 1) + kmap[k][j][tuple[k]];
            }
            if (k < p->nkeys)
                continue;   /* a slot no code uses */
            if (p->nmeas == 0) {
                r->n[gi] += w->an[i];
                tw[gi] += w->aw[i];
                continue;
            }
            for (m = 0; m < p->nmeas; m++) {
                size_t c, nd = w->dict[p->meas_u[m]].n;

                for (c = 0; c < w->mcap && c <= nd; c++) {
                    size_t o = (i * p->nmeas + m) * w->mcap + c;
                    size_t d;

                    if (w->an[o] == 0)
                        continue;
                    d = (gi * p->nmeas + m) * r->mstride + mmap[m][j][c];
                    r->n[d] += w->an[o];
                    tw[d] += w->aw[o];
                }
            }
        }
    }
    for (i = 0; i < tsz; i++)
        r->w[i] = unfixed(tw[i]);
    *res = r;
    /* Where the time goes, for bench/run_scan.sh. */
    if (getenv("SPIRAL_SCAN_TIMING")) {
        apr_time_t end = apr_time_now();
        size_t bytes = 0;

        for (u = 0; src->kind == SRC_STORE && u < p->nu; u++)
            bytes += p->col[u]->nrows * (size_t)p->col[u]->width;
        if (p->wcol)
            bytes += p->wcol->nrows * 8;
        fprintf(stderr, "scan: %s, %.0f rows, %d thread(s)%s: setup %.1f ms, read+scan+merge %.1f ms, "
                "%.1f MB of columns\n", src->kind == SRC_CSV ? "csv" : "workspace", r->records, nw,
                fast ? " (splitter)" : "", (double)(p->t_loaded - p->t_start) / 1000.0,
                (double)(end - p->t_loaded) / 1000.0, (double)bytes / 1e6);
    }
done:
    free(tw);
    for (j = 0; j < nw; j++)
        sp_scan_worker_free(&wk[j], src->kind == SRC_CSV);
    return rc;
}

/* ---- labels from the workspace ------------------------------------------ */

/* The first column of the first row of sql, bound to a and to b (text) or
 * c (integer) when b is NULL; NULL when there is no store, no row, or a
 * NULL value. */
static const char *
one_text(sp_store_t *st, const char *sql, const char *a, const char *b, long c,
         apr_pool_t *pool)
{
    sqlite3_stmt *s;
    const char *out = NULL;

    if (st == NULL || sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
    if (b)
        sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(s, 2, c);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        out = apr_pstrdup(pool, (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return out;
}

const char *
sp_scan_value_label(sp_store_t *store, int french, const char *var, const char *value,
                    apr_pool_t *pool)
{
    const char *l;
    char *end;
    long lv;

    if (store == NULL || *value == '\0')
        return NULL;
    l = one_text(store, french ? "SELECT label_fr FROM value_label WHERE variable = ?1 AND value = ?2"
                               : "SELECT label_en FROM value_label WHERE variable = ?1 AND value = ?2",
                 var, value, 0, pool);
    if (l)
        return l;
    lv = strtol(value, &end, 10);
    if (*end || lv < 1)
        return NULL;
    return one_text(store, french
                    ? "SELECT il.label_fr FROM form_item fi JOIN indicator_level il ON il.indicator_id "
                      "= fi.indicator_id WHERE fi.name = ?1 AND il.level = ?2 ORDER BY fi.form_id LIMIT 1"
                    : "SELECT il.label_en FROM form_item fi JOIN indicator_level il ON il.indicator_id "
                      "= fi.indicator_id WHERE fi.name = ?1 AND il.level = ?2 ORDER BY fi.form_id LIMIT 1",
                    var, NULL, lv, pool);
}

const char *
sp_scan_var_label(sp_store_t *store, int french, const char *var, apr_pool_t *pool)
{
    return one_text(store, french
                    ? "SELECT i.label_fr FROM form_item fi JOIN indicator i ON i.id = fi.indicator_id "
                      "WHERE fi.name = ?1 AND ?2 = 0 ORDER BY fi.form_id LIMIT 1"
                    : "SELECT i.label_en FROM form_item fi JOIN indicator i ON i.id = fi.indicator_id "
                      "WHERE fi.name = ?1 AND ?2 = 0 ORDER BY fi.form_id LIMIT 1",
                    var, NULL, 0, pool);
}

int
sp_scan_bad_at_most(sp_store_t *store, const char *var)
{
    const char *v;
    apr_pool_t *tmp;
    int k = -1;

    if (store == NULL)
        return -1;
    apr_pool_create(&tmp, NULL);
    v = one_text(store, "SELECT i.bad_at_most FROM form_item fi JOIN indicator i ON i.id = "
                 "fi.indicator_id WHERE fi.name = ?1 AND ?2 = 0 ORDER BY fi.form_id LIMIT 1",
                 var, NULL, 0, tmp);
    if (v)
        k = atoi(v);
    apr_pool_destroy(tmp);
    return k;
}

const char *
sp_scan_missing_label(int french)
{
    return french ? "(manquant)" : "(missing)";
}
