/*
 * sp_scan.c -- the scan of sp_scan.h: the --where parser, per-thread
 * dictionaries and dense accumulators, the two sources (a CSV file, split
 * by a splitter of its own when it holds no quote and by sp_csv otherwise;
 * the workspace's columnar chunks from sp_colstore.c) and the merge of the
 * threads' results into sorted levels.  The commands (cmd_crosstab.c,
 * cmd_aggregate.c) and the Lua analyses (core/lua/sp_lua_xtab.c,
 * sp_lua_agg.c) turn a result into an sp_xtab_t or an sp_agg_t, labelling
 * its levels with the workspace lookups at the end of this file.
 *
 * The hot loop works on batches of rows held as code arrays: a batch of the
 * CSV splitter (uint16 codes in this thread's dictionaries) or a slice of
 * the flat columns of the workspace (uint8 codes in the workspace's
 * dictionaries).  Each row's key cell is computed once, then every
 * measure's histogram is updated column by column.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <apr_hash.h>
#include <apr_tables.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>
#include <apr_time.h>
#include "sp_colstore.h"
#include "sp_scan.h"
#include "sp_text.h"

#define BATCH 8192
#define READ_SIZE (4 * 1024 * 1024)
#define MAX_CELLS ((size_t)1 << 26)   /* accumulator entries of one thread */
#define NO_CELL UINT32_MAX
#define MAX_WEIGHT 1e9                 /* as the importer */

/* Weighted sums are kept in fixed point, units of 2^-64, in 128 bits: the
 * additions are exact and associative, so the totals do not depend on how
 * the rows were split between threads or read (CSV or workspace), and the
 * JSON of the same data is the same byte for byte.  A weight is cut below
 * 2^-64 (far below a double's rounding of any total). */
__extension__ typedef unsigned __int128 wsum_t;

static inline wsum_t
fixed(double w)
{
    double s = w * 0x1p32;
    int64_t hi = (int64_t)s;
    int64_t lo = (int64_t)((s - (double)hi) * 0x1p32);

    return ((wsum_t)(uint64_t)hi << 32) + (uint64_t)lo;
}

static inline double
unfixed(wsum_t v)
{
    return (double)v * 0x1p-64;
}

enum { SRC_CSV, SRC_STORE };

struct sp_scan_source_t {
    apr_pool_t *pool;
    int kind;
    const char *name;
    int nthreads;
    const char **vars;
    size_t nvars;
    /* CSV */
    sp_csv_options_t copt;
    int decimal_comma, delim, utf8;
    apr_off_t data_start, size;
    /* workspace */
    sp_store_t *store;
    size_t nrows;
};

/* ---- --where --------------------------------------------------------------- */

static char *
trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
    return s;
}

int
sp_where_parse(const char *text, sp_where_t **out, apr_pool_t *pool, sp_error_t **err)
{
    char *copy = apr_pstrdup(pool, text), *term, *state = NULL;
    apr_array_header_t *terms = apr_array_make(pool, 4, sizeof(sp_where_term_t));
    sp_where_t *w;

    for (term = apr_strtok(copy, ",", &state); term; term = apr_strtok(NULL, ",", &state)) {
        sp_where_term_t *t = &APR_ARRAY_PUSH(terms, sp_where_term_t);
        char *s = trim(term), *op, *in = NULL;
        const char **vals;

        memset(t, 0, sizeof *t);
        /* " in " (or tab-separated) is the IN operator. */
        for (op = s; *op; op++)
            if ((op[0] == ' ' || op[0] == '\t') && (op[1] == 'i' || op[1] == 'I')
                && (op[2] == 'n' || op[2] == 'N') && (op[3] == ' ' || op[3] == '\t')) {
                in = op;
                break;
            }
        if (in && strchr(s, '=') == NULL) {
            char *v, *vs = NULL;
            apr_array_header_t *list = apr_array_make(pool, 4, sizeof(const char *));

            *in = '\0';
            t->var = trim(s);
            t->op = SP_WHERE_IN;
            for (v = apr_strtok(in + 4, "|", &vs); v; v = apr_strtok(NULL, "|", &vs))
                APR_ARRAY_PUSH(list, const char *) = trim(v);
            t->nvalues = (size_t)list->nelts;
            t->values = (const char *const *)list->elts;
            if (t->nvalues == 0)
                goto bad;
        } else if ((op = strchr(s, '=')) != NULL) {
            if (op > s && op[-1] == '!') {
                t->op = SP_WHERE_NE;
                op[-1] = '\0';
            } else {
                t->op = SP_WHERE_EQ;
            }
            *op = '\0';
            t->var = trim(s);
            vals = apr_palloc(pool, sizeof *vals);
            vals[0] = trim(op + 1);
            t->values = vals;
            t->nvalues = 1;
        } else {
            goto bad;
        }
        if (*t->var == '\0' || strpbrk(t->var, " \t=!|") != NULL)
            goto bad;
        continue;
bad:
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                            "--where: cannot read '%s' (VAR=VALUE, VAR!=VALUE or "
                            "VAR in A|B|C, joined by ',')", term);
    }
    if (terms->nelts == 0)
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "--where: empty filter");
    w = apr_palloc(pool, sizeof *w);
    w->nterms = (size_t)terms->nelts;
    w->terms = (const sp_where_term_t *)terms->elts;
    *out = w;
    return SP_OK;
}

int
sp_where_term_test(const sp_where_term_t *t, const char *value, size_t len)
{
    size_t i;
    int hit = 0;

    for (i = 0; i < t->nvalues && !hit; i++)
        hit = strlen(t->values[i]) == len && memcmp(t->values[i], value, len) == 0;
    return t->op == SP_WHERE_NE ? !hit : hit;
}

/* ---- level order ------------------------------------------------------------ */

typedef struct lvl_t {
    const char *s;
    double v;
} lvl_t;

static int
cmp_num(const void *a, const void *b)
{
    const lvl_t *x = a, *y = b;

    if (x->v < y->v)
        return -1;
    if (x->v > y->v)
        return 1;
    return strcmp(x->s, y->s);
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(((const lvl_t *)a)->s, ((const lvl_t *)b)->s);
}

void
sp_scan_sort_levels(const char **values, size_t n, int decimal_comma)
{
    lvl_t *l = malloc((n ? n : 1) * sizeof *l);
    int numeric = 1;
    size_t i;

    for (i = 0; i < n; i++) {
        l[i].s = values[i];
        if (numeric && !sp_parse_real(values[i], 0, &l[i].v)
            && !(decimal_comma && sp_parse_real(values[i], 1, &l[i].v)))
            numeric = 0;
    }
    qsort(l, n, sizeof *l, numeric ? cmp_num : cmp_str);
    for (i = 0; i < n; i++)
        values[i] = l[i].s;
    free(l);
}

/* ---- dictionaries ----------------------------------------------------------- */

typedef struct dict_t {
    uint32_t n;          /* codes 1..n */
    uint32_t cap;        /* of str, len, hash, pass */
    uint32_t *slot;      /* open addressing: code or 0 */
    uint32_t mask;
    char **str;          /* str[code]; str[0] = "" */
    uint32_t *len;
    uint32_t *hash;
    uint16_t one[256];   /* code of each one-byte value, 0 = not yet seen */
    uint8_t *pass;       /* pass[code] of --where; NULL when unfiltered */
    const sp_where_term_t **terms;
    size_t nterms;
    int owned;           /* strings malloc'd by this dictionary */
} dict_t;

static uint32_t
fnv(const char *s, size_t n)
{
    uint32_t h = 2166136261u;

    while (n--)
        h = (h ^ (uint8_t)*s++) * 16777619u;
    return h;
}

static int
dict_init(dict_t *d, const sp_where_term_t **terms, size_t nterms)
{
    memset(d, 0, sizeof *d);
    d->cap = 64;
    d->mask = 127;
    d->slot = calloc(d->mask + 1, sizeof *d->slot);
    d->str = calloc(d->cap + 1, sizeof *d->str);
    d->len = calloc(d->cap + 1, sizeof *d->len);
    d->hash = calloc(d->cap + 1, sizeof *d->hash);
    d->terms = terms;
    d->nterms = nterms;
    d->owned = 1;
    if (nterms) {
        size_t t;

        d->pass = calloc(d->cap + 1, 1);
        d->pass[0] = 1;
        for (t = 0; t < nterms; t++)
            d->pass[0] &= (uint8_t)sp_where_term_test(terms[t], "", 0);
    }
    d->str[0] = (char *)"";
    return d->slot && d->str && d->len && d->hash && (!nterms || d->pass);
}

static void
dict_free(dict_t *d)
{
    uint32_t i;

    if (d->owned)
        for (i = 1; i <= d->n; i++)
            free(d->str[i]);
    free(d->slot);
    free(d->str);
    free(d->len);
    free(d->hash);
    free(d->pass);
}

static int
dict_grow(dict_t *d)
{
    uint32_t cap = d->cap * 2, i;

    d->str = realloc(d->str, (cap + 1) * sizeof *d->str);
    d->len = realloc(d->len, (cap + 1) * sizeof *d->len);
    d->hash = realloc(d->hash, (cap + 1) * sizeof *d->hash);
    if (d->pass)
        d->pass = realloc(d->pass, cap + 1);
    if (!d->str || !d->len || !d->hash || (d->nterms && !d->pass))
        return 0;
    d->cap = cap;
    if ((d->mask + 1) / 2 < cap) {
        free(d->slot);
        d->mask = d->mask * 2 + 1;
        while ((d->mask + 1) / 2 < cap)
            d->mask = d->mask * 2 + 1;
        if ((d->slot = calloc(d->mask + 1, sizeof *d->slot)) == NULL)
            return 0;
        for (i = 1; i <= d->n; i++) {
            uint32_t h = d->hash[i] & d->mask;

            while (d->slot[h])
                h = (h + 1) & d->mask;
            d->slot[h] = i;
        }
    }
    return 1;
}

/* Code of s[0..n), inserting it.  0 for the empty value; -1 when the
 * dictionary is full or memory runs out. */
static inline long
dict_code(dict_t *d, const char *s, size_t n)
{
    uint32_t h, i, c;

    if (n == 0)
        return 0;
    if (n == 1 && d->one[(uint8_t)s[0]])
        return d->one[(uint8_t)s[0]];
    h = fnv(s, n);
    for (i = h & d->mask; (c = d->slot[i]) != 0; i = (i + 1) & d->mask)
        if (d->hash[c] == h && d->len[c] == n && memcmp(d->str[c], s, n) == 0)
            return c;
    if (d->n >= SP_SCAN_MAX_LEVELS)
        return -1;
    if (d->n + 1 > d->cap) {
        if (!dict_grow(d))
            return -1;
        for (i = h & d->mask; d->slot[i]; i = (i + 1) & d->mask)
            ;
    }
    c = ++d->n;
    d->slot[i] = c;
    if ((d->str[c] = malloc(n + 1)) == NULL)
        return -1;
    memcpy(d->str[c], s, n);
    d->str[c][n] = '\0';
    d->len[c] = (uint32_t)n;
    d->hash[c] = h;
    if (d->pass) {
        size_t t;

        d->pass[c] = 1;
        for (t = 0; t < d->nterms; t++)
            d->pass[c] &= (uint8_t)sp_where_term_test(d->terms[t], s, n);
    }
    if (n == 1)
        d->one[(uint8_t)s[0]] = (uint16_t)c;
    return c;
}

/* ---- the plan shared by the threads ----------------------------------------- */

typedef struct plan_t {
    size_t nu;                     /* distinct variables coded */
    const char **uname;
    size_t nkeys, nmeas;
    size_t key_u[SP_SCAN_MAX_KEYS];
    size_t *meas_u;
    const sp_where_term_t ***uterms; /* per variable, its where terms */
    size_t *nuterms;
    size_t *filter_u;              /* variables that carry a filter */
    size_t nfilter;
    int weighted;
    int decimal_comma;
    /* CSV */
    int *field_u;                  /* per field: variable or -1 */
    size_t nfields, lastf;
    long wfield;                   /* weight field, or -1 */
    int delim;
    const char *path;
    /* workspace */
    sp_column_t **col;             /* per variable */
    sp_column_t *wcol;
    dict_t *sdict;                 /* shared dictionaries of the workspace */
    apr_time_t t_start, t_loaded;  /* for SPIRAL_SCAN_TIMING */
} plan_t;

/* What one thread accumulates. */
typedef struct worker_t {
    const plan_t *p;
    dict_t *dict;                  /* nu dictionaries */
    uint16_t *codes;               /* CSV batch: nu x BATCH */
    double *w;                     /* CSV batch weights (NAN: none) */
    size_t fill;
    uint32_t *kidx;                /* BATCH */
    size_t kcap[SP_SCAN_MAX_KEYS], mcap, ncells;
    double *an;                    /* ncells (x nmeas x mcap) */
    wsum_t *aw;
    wsum_t *af;                    /* J1 shape, fixed-point weights: sums in */
    int af_scale;                  /* units of 2^-af_scale (-1: none) */
    double records, filtered, no_weight;
    /* errors */
    int status;
    const char *msg;               /* static or malloc'd (msg_owned) */
    char msgbuf[200];
    apr_off_t err_off;             /* CSV: byte offset of the bad line */
    long err_line, err_col;
    /* range */
    apr_off_t begin, end;
    size_t chunk0, chunk1;         /* workspace: chunks [chunk0, chunk1) */
    sp_colstore_reader_t *reader;
    void *cbuf[64];                /* one chunk of each variable */
    double *wbuf;
    int fd;
    int saw_quote;
} worker_t;

static int
set_werr(worker_t *wk, int status, const char *msg)
{
    if (wk->status == SP_OK) {
        wk->status = status;
        snprintf(wk->msgbuf, sizeof wk->msgbuf, "%s", msg);
        wk->msg = wk->msgbuf;
    }
    return status;
}

static size_t
acc_size(const worker_t *wk)
{
    return wk->ncells * (wk->p->nmeas ? wk->p->nmeas * wk->mcap : 1);
}

static size_t
pow2_at_least(size_t n, size_t min)
{
    size_t c = min;

    while (c < n)
        c *= 2;
    return c;
}

/* Make the accumulator large enough for the dictionaries' current sizes,
 * moving the old entries to their new places. */
static int
ensure_caps(worker_t *wk)
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
            return set_werr(wk, SP_EXIT_DATA, "the table is too large (too many combinations of values)");
    }
    for (m = 0; m < p->nmeas; m++)
        nmcap = pow2_at_least((size_t)wk->dict[p->meas_u[m]].n + 1, nmcap ? nmcap : 8);
    changed |= nmcap != wk->mcap;
    if (!changed)
        return SP_OK;
    if (p->nmeas && ncells * p->nmeas * nmcap > MAX_CELLS)
        return set_werr(wk, SP_EXIT_DATA, "the table is too large (too many values)");
    {
        size_t nsz = ncells * (p->nmeas ? p->nmeas * nmcap : 1), osz = acc_size(wk);

        nn = calloc(nsz, sizeof *nn);
        nw = calloc(nsz, sizeof *nw);
        if (!nn || !nw) {
            free(nn);
            free(nw);
            return set_werr(wk, SP_EXIT_SOFTWARE, "out of memory");
        }
        for (i = 0; wk->an && i < wk->ncells; i++) {
            size_t rest = i, ni = 0, mult = 1, tuple[SP_SCAN_MAX_KEYS];

            for (k = p->nkeys; k-- > 0;) {
                tuple[k] = rest % wk->kcap[k];
                rest /= wk->kcap[k];
            }
            for (k = 0; k < p->nkeys; k++)
                ni = ni * ncap[k] + tuple[k];
            (void)mult;
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
        (void)osz;
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

/* How the weights of a batch are held. */
enum { W_ONE, W_DOUBLE, W_FIXED, W_CODE, W_UNIT };

/* A batch of rows as columns: per variable a pointer to codes of width
 * 1 or 2, and the weights in one of the forms above. */
typedef struct view_t {
    const void *col[64];
    int width[64];
    const void **colp;
    int *widthp;
    int wkind;
    const double *w;               /* W_DOUBLE; NaN: no weight */
    const int64_t *wm;             /* W_FIXED: weight = wm[i] << wshift units */
    unsigned wshift;
    const uint8_t *wcode;          /* W_CODE: weight = wtab[wcode[i]] */
    const wsum_t *wtab;
    size_t n;
} view_t;

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

static inline int
pair_shape(const plan_t *p, const int *width)
{
    return p->nkeys == 2 && p->nmeas == 0 && p->nfilter == 0
        && width[p->key_u[0]] == 1 && width[p->key_u[1]] == 1;
}

/* Add the sums kept in the unit of a chunk's fixed-point weights to aw:
 * one shift per cell when the unit changes, not one per row. */
static void
flush_unit_sums(worker_t *wk)
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
static void
accumulate(worker_t *wk, const view_t *v)
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

/* ---- CSV rows ---------------------------------------------------------------- */

/* Weight as written: Clinger's fast path (exact) for plain decimals, else
 * sp_parse_real.  Returns 1 and *out, 0 when not a number. */
static int
parse_weight(const char *s, size_t n, int decimal_comma, double *out)
{
    static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                                  1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
                                  1e20, 1e21, 1e22 };
    char tmp[128];
    uint64_t m = 0;
    size_t i = 0, digits = 0, frac = 0;
    int neg = 0, seen_sep = 0;

    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    for (; i < n; i++) {
        char ch = s[i];

        if (ch >= '0' && ch <= '9') {
            if (m == 0 && ch == '0' && !seen_sep) {
                digits += 0;
            } else {
                digits++;
            }
            m = m * 10 + (uint64_t)(ch - '0');
            frac += seen_sep;
            if (digits > 15)
                goto slow;
        } else if ((ch == '.' || (ch == ',' && decimal_comma)) && !seen_sep) {
            seen_sep = 1;
        } else {
            goto slow;
        }
    }
    if (n == (size_t)neg || (seen_sep && n == (size_t)neg + 1) || frac > 22)
        goto slow;
    *out = (double)m / p10[frac];
    if (neg)
        *out = -*out;
    return 1;
slow:
    if (n >= sizeof tmp)
        return 0;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    return sp_parse_real(tmp, 0, out) || (decimal_comma && sp_parse_real(tmp, 1, out));
}

/* Field f of the current row. */
static inline int
row_field(worker_t *wk, size_t f, const char *s, size_t n)
{
    const plan_t *p = wk->p;
    int u = f < p->nfields ? p->field_u[f] : -1;

    if (u >= 0) {
        long c = dict_code(&wk->dict[u], s, n);

        if (c < 0)
            return set_werr(wk, SP_EXIT_DATA, "too many distinct values in one column");
        if (c == wk->dict[u].n && c > 0 && n > 1) {
            size_t bad;

            if (!sp_text_utf8_valid(s, n, &bad)) {
                wk->err_col = (long)f + 1;
                return set_werr(wk, SP_EXIT_DATA, "invalid UTF-8");
            }
        }
        wk->codes[(size_t)u * BATCH + wk->fill] = (uint16_t)c;
    }
    if ((long)f == p->wfield) {
        double v;

        if (n == 0) {
            wk->w[wk->fill] = NAN;
        } else if (!parse_weight(s, n, p->decimal_comma, &v) || !(v >= 0) || v > MAX_WEIGHT) {
            wk->err_col = (long)f + 1;
            snprintf(wk->msgbuf, sizeof wk->msgbuf, "weight '%.*s' is %s", (int)(n > 40 ? 40 : n),
                     s, parse_weight(s, n, p->decimal_comma, &v)
                        ? (v < 0 ? "negative" : "above 1e9") : "not a number");
            wk->status = SP_EXIT_DATA;
            wk->msg = wk->msgbuf;
            return SP_EXIT_DATA;
        } else {
            wk->w[wk->fill] = v;
        }
    }
    return SP_OK;
}

static int
flush_batch(worker_t *wk)
{
    view_t v;
    size_t u;

    if (wk->fill == 0)
        return SP_OK;
    if (ensure_caps(wk) != SP_OK)
        return wk->status;
    v.colp = v.col;
    v.widthp = v.width;
    for (u = 0; u < wk->p->nu; u++) {
        v.col[u] = wk->codes + u * BATCH;
        v.width[u] = 2;
    }
    v.wkind = wk->p->weighted ? W_DOUBLE : W_ONE;
    v.w = wk->w;
    v.n = wk->fill;
    accumulate(wk, &v);
    wk->fill = 0;
    return SP_OK;
}

/* Start a row: every variable missing until its field is seen. */
static inline void
row_begin(worker_t *wk)
{
    size_t u;

    for (u = 0; u < wk->p->nu; u++)
        wk->codes[u * BATCH + wk->fill] = 0;
    wk->w[wk->fill] = wk->p->weighted ? NAN : 1.0;
}

static inline int
row_end(worker_t *wk)
{
    if (++wk->fill == BATCH)
        return flush_batch(wk);
    return SP_OK;
}

/* One unquoted line [s, e) (no newline). */
static inline int
split_line(worker_t *wk, const char *s, const char *e)
{
    const plan_t *p = wk->p;
    size_t f = 0;
    char d = (char)p->delim;

    if (e > s && e[-1] == '\r')
        e--;
    if (e == s)
        return SP_OK;   /* blank line */
    row_begin(wk);
    for (;;) {
        const char *x = s;

        while (x < e && *x != d)
            x++;
        if (f < p->nfields && (p->field_u[f] >= 0 || (long)f == p->wfield)
            && row_field(wk, f, s, (size_t)(x - s)) != SP_OK)
            return wk->status;
        if (x >= e || ++f > p->lastf)
            break;
        s = x + 1;
    }
    return row_end(wk);
}

/* The splitter over byte range [begin, end) of the file; stops (saw_quote)
 * at the first quote character. */
static void *APR_THREAD_FUNC
csv_range(apr_thread_t *thd, void *data)
{
    worker_t *wk = data;
    size_t cap = READ_SIZE, have = 0;
    char *buf = malloc(cap);
    apr_off_t off = wk->begin;

    (void)thd;
    if (buf == NULL) {
        set_werr(wk, SP_EXIT_SOFTWARE, "out of memory");
        return NULL;
    }
    while (off < wk->end || have > 0) {
        size_t want = cap - have;
        ssize_t got = 0;
        char *s, *nl, *lim;

        if ((apr_off_t)want > wk->end - off)
            want = (size_t)(wk->end - off);
        if (want > 0) {
            got = pread(wk->fd, buf + have, want, off);
            if (got < 0) {
                set_werr(wk, SP_EXIT_IO, strerror(errno));
                break;
            }
            if (memchr(buf + have, '"', (size_t)got)) {
                wk->saw_quote = 1;
                break;
            }
        }
        off += got;
        lim = buf + have + got;
        s = buf;
        while ((nl = memchr(s, '\n', (size_t)(lim - s))) != NULL) {
            if (split_line(wk, s, nl) != SP_OK) {
                wk->err_off = off - (lim - s);
                goto out;
            }
            s = nl + 1;
        }
        have = (size_t)(lim - s);
        if (off >= wk->end || got == 0) {
            /* Last line without a newline. */
            if (have > 0 && split_line(wk, s, lim) != SP_OK) {
                wk->err_off = off - (lim - s);
                goto out;
            }
            break;
        }
        memmove(buf, s, have);
        if (have == cap) {
            char *nb = realloc(buf, cap * 2);

            if (nb == NULL) {
                set_werr(wk, SP_EXIT_SOFTWARE, "out of memory");
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (wk->status == SP_OK)
        flush_batch(wk);
out:
    free(buf);
    return NULL;
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
                set_werr(wk, rc, why);
                return NULL;
            }
            if (u > 0 && n != rows) {
                set_werr(wk, SP_EXIT_SOFTWARE, "the columns of a chunk differ in length");
                return NULL;
            }
            rows = n;
            v.width[u] = p->col[u]->width;
        }
        v.wkind = W_ONE;
        if (p->wcol) {
            if ((rc = sp_colstore_read_weights(wk->reader, p->wcol, c, wk->wbuf, &wt, &why))
                != SP_OK) {
                set_werr(wk, rc, why);
                return NULL;
            }
            if (wt.n != rows) {
                set_werr(wk, SP_EXIT_SOFTWARE, "the weight of a chunk differs in length");
                return NULL;
            }
            v.wkind = wt.fixed ? W_FIXED : wt.code ? W_CODE : W_DOUBLE;
            v.wshift = 64 - (unsigned)wt.scale;
            if (wt.fixed && wk->af && pair_shape(p, v.width) && wk->af_scale != wt.scale) {
                flush_unit_sums(wk);
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
            accumulate(wk, &v);
        }
    }
    flush_unit_sums(wk);
    return NULL;
}

/* ---- sources ------------------------------------------------------------------ */

int
sp_scan_open_csv(sp_scan_source_t **out, const char *path, const sp_csv_options_t *copt,
                 int decimal_comma, apr_pool_t *pool, sp_error_t **err)
{
    sp_scan_source_t *src = apr_pcalloc(pool, sizeof *src);
    apr_pool_t *tmp;
    sp_csv_t *csv;
    sp_csv_record_t rec;
    size_t i;
    int rc;

    src->pool = pool;
    src->kind = SRC_CSV;
    src->name = apr_pstrdup(pool, path);
    src->nthreads = 2;
    src->decimal_comma = decimal_comma;
    if (copt)
        src->copt = *copt;
    apr_pool_create(&tmp, pool);
    if ((rc = sp_csv_open(&csv, path, copt, tmp, err)) != SP_OK)
        goto done;
    rc = sp_csv_next(csv, &rec, err);
    if (rc == 0) {
        rc = sp_error_set(err, pool, SP_EXIT_DATA, path, 0, 0, "file is empty");
        goto done;
    }
    if (rc != 1)
        goto done;
    rc = SP_OK;
    src->delim = sp_csv_delimiter(csv);
    src->utf8 = sp_csv_encoding(csv) == SP_ENC_UTF8;
    src->size = sp_csv_size(csv);
    src->nvars = rec.nfields;
    src->vars = apr_palloc(pool, (rec.nfields + 1) * sizeof(char *));
    for (i = 0; i < rec.nfields; i++)
        src->vars[i] = apr_pstrdup(pool, rec.field[i]);
    src->vars[i] = NULL;
    src->copt.delimiter = src->delim;
    /* Files delimited by ';' or tab may write weights with a decimal comma. */
    if (src->delim != ',')
        src->decimal_comma = 1;
    src->copt.encoding = sp_csv_encoding(csv);
    if (decimal_comma && src->delim == ',') {
        rc = sp_error_set(err, pool, SP_EXIT_USAGE, path, 0, 0,
                          "a decimal comma needs a delimiter other than ','");
        goto done;
    }
    /* Where the data starts, for the splitter (meaningful only when the
     * header holds no quote, which the splitter checks). */
    {
        int fd = open(path, O_RDONLY);
        char head[65536];
        ssize_t got = fd >= 0 ? read(fd, head, sizeof head) : -1;
        char *nl = got > 0 ? memchr(head, '\n', (size_t)got) : NULL;

        if (fd >= 0)
            close(fd);
        src->data_start = nl && !memchr(head, '"', (size_t)(nl - head)) ? (apr_off_t)(nl - head + 1) : -1;
    }
    *out = src;
done:
    apr_pool_destroy(tmp);
    return rc;
}

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

static int
worker_init(worker_t *wk, const plan_t *p, int csv)
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
            if (!dict_init(&wk->dict[u], p->uterms[u], p->nuterms[u]))
                return 0;
    } else {
        wk->dict = p->sdict;
    }
    return wk->kidx != NULL;
}

static void
worker_free(worker_t *wk, int csv)
{
    size_t u;

    if (csv && wk->dict) {
        for (u = 0; u < wk->p->nu; u++)
            dict_free(&wk->dict[u]);
        free(wk->dict);
    }
    free(wk->codes);
    free(wk->w);
    free(wk->kidx);
    free(wk->an);
    free(wk->aw);
    free(wk->af);
}

/* Line number of byte offset off (1-based), for messages. */
static long
line_of(const char *path, apr_off_t off)
{
    int fd = open(path, O_RDONLY);
    char buf[65536];
    apr_off_t at = 0;
    long line = 1;

    if (fd < 0)
        return 0;
    while (at < off) {
        ssize_t got = read(fd, buf, sizeof buf), i;

        if (got <= 0)
            break;
        for (i = 0; i < got && at < off; i++, at++)
            line += buf[i] == '\n';
    }
    close(fd);
    return line;
}

/* The general path: sp_csv, one thread. */
static int
csv_general(sp_scan_source_t *src, worker_t *wk, apr_pool_t *pool, sp_error_t **err)
{
    apr_pool_t *tmp;
    sp_csv_t *csv;
    sp_csv_record_t rec;
    int rc;

    apr_pool_create(&tmp, pool);
    if ((rc = sp_csv_open(&csv, src->name, &src->copt, tmp, err)) != SP_OK)
        goto done;
    if ((rc = sp_csv_next(csv, &rec, err)) != 1)
        goto done;
    while ((rc = sp_csv_next(csv, &rec, err)) == 1) {
        size_t f;

        row_begin(wk);
        for (f = 0; f < rec.nfields && f <= wk->p->lastf; f++)
            if (f < wk->p->nfields && (wk->p->field_u[f] >= 0 || (long)f == wk->p->wfield)
                && row_field(wk, f, rec.field[f], rec.len[f]) != SP_OK) {
                rc = sp_error_set(err, pool, wk->status, src->name, rec.line, wk->err_col,
                                  "%s", wk->msg);
                goto done;
            }
        if (row_end(wk) != SP_OK) {
            rc = sp_error_set(err, pool, wk->status, src->name, rec.line, 0, "%s", wk->msg);
            goto done;
        }
    }
    if (rc == 0 && flush_batch(wk) != SP_OK)
        rc = sp_error_set(err, pool, wk->status, src->name, 0, 0, "%s", wk->msg);
done:
    apr_pool_destroy(tmp);
    return rc == 0 ? SP_OK : rc;
}

static int
run_csv(sp_scan_source_t *src, plan_t *p, worker_t *wk, int *nw, int *fast,
        apr_pool_t *pool, sp_error_t **err)
{
    int fd, i, n = 1, rc = SP_OK;
    apr_off_t mid = -1;

    *fast = 0;
    if (src->utf8 && src->data_start > 0 && src->delim != 0) {
        if ((fd = open(src->name, O_RDONLY)) < 0)
            return sp_error_set(err, pool, SP_EXIT_NOINPUT, src->name, 0, 0, "cannot open: %s",
                                strerror(errno));
        /* Split at a line boundary near the middle when it is worth it. */
        if (src->nthreads > 1 && src->size - src->data_start > (1 << 20)) {
            char buf[65536];
            apr_off_t at = src->data_start + (src->size - src->data_start) / 2;
            ssize_t got;

            while ((got = pread(fd, buf, sizeof buf, at)) > 0) {
                char *nl = memchr(buf, '\n', (size_t)got);

                if (nl) {
                    mid = at + (nl - buf) + 1;
                    break;
                }
                at += got;
            }
            if (mid > src->data_start && mid < src->size)
                n = 2;
        }
        for (i = 0; i < n; i++) {
            if (!worker_init(&wk[i], p, 1)) {
                close(fd);
                *nw = n;
                return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0, "out of memory");
            }
            wk[i].fd = fd;
            wk[i].begin = i == 0 ? src->data_start : mid;
            wk[i].end = (n == 1 || i == 1) ? src->size : mid;
        }
        *nw = n;
        if (n == 2) {
            apr_thread_t *t;
            apr_status_t ts;

            if (apr_thread_create(&t, NULL, csv_range, &wk[1], pool) != APR_SUCCESS) {
                wk[0].end = src->size;
                n = *nw = 1;
                csv_range(NULL, &wk[0]);
            } else {
                csv_range(NULL, &wk[0]);
                apr_thread_join(&ts, t);
            }
        } else {
            csv_range(NULL, &wk[0]);
        }
        close(fd);
        for (i = 0; i < n; i++)
            if (wk[i].status != SP_OK && !wk[i].saw_quote)
                return sp_error_set(err, pool, wk[i].status, src->name,
                                    line_of(src->name, wk[i].err_off), wk[i].err_col, "%s",
                                    wk[i].msg);
        if (!wk[0].saw_quote && (n == 1 || !wk[1].saw_quote)) {
            *fast = 1;
            return SP_OK;
        }
        for (i = 0; i < n; i++)
            worker_free(&wk[i], 1);
    }
    /* Quotes, another encoding, or no newline after the header. */
    *nw = 1;
    if (!worker_init(&wk[0], p, 1))
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0, "out of memory");
    rc = csv_general(src, &wk[0], pool, err);
    return rc;
}

static int
run_store(sp_scan_source_t *src, plan_t *p, worker_t *wk, int *nw, apr_pool_t *pool,
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
        if (!worker_init(&wk[i], p, 0))
            return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0, "out of memory");
        *nw = i + 1;
        if (ensure_caps(&wk[i]) != SP_OK)
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
        rc = run_csv(src, p, wk, &nw, &fast, pool, err);
    } else {
        rc = run_store(src, p, wk, &nw, pool, err);
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
        worker_free(&wk[j], src->kind == SRC_CSV);
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
