/*
 * sp_scan_csv.c -- the CSV reader of a scan: sp_scan_open_csv and
 * sp_scan_run_csv (sp_scan_int.h).
 *
 * A file without any quote character after its header, in UTF-8, is split
 * by a splitter of its own in up to two byte ranges cut at a line
 * boundary, one APR thread each; a range that meets a quote gives up and
 * the whole file goes through sp_csv, one thread.  Either way each
 * projected field is coded in the thread's dictionaries (sp_scan_dict.h)
 * and the weight parsed, into a batch of BATCH rows of uint16 codes that
 * sp_scan_acc.c accumulates.  Per-field work stays in this file, inline.
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
#include <apr_strings.h>
#include <apr_thread_proc.h>
#include "sp_scan_int.h"
#include "sp_text.h"

#define READ_SIZE (4 * 1024 * 1024)
#define MAX_WEIGHT 1e9                 /* as the importer */

/* ---- the source ------------------------------------------------------------- */

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
            return sp_scan_fail(wk, SP_EXIT_DATA, "too many distinct values in one column");
        if (c == wk->dict[u].n && c > 0 && n > 1) {
            size_t bad;

            if (!sp_text_utf8_valid(s, n, &bad)) {
                wk->err_col = (long)f + 1;
                return sp_scan_fail(wk, SP_EXIT_DATA, "invalid UTF-8");
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
    if (sp_scan_ensure_caps(wk) != SP_OK)
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
    sp_scan_accumulate(wk, &v);
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
        sp_scan_fail(wk, SP_EXIT_SOFTWARE, "out of memory");
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
                sp_scan_fail(wk, SP_EXIT_IO, strerror(errno));
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
                sp_scan_fail(wk, SP_EXIT_SOFTWARE, "out of memory");
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

/* ---- running -------------------------------------------------------------------- */

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

int
sp_scan_run_csv(sp_scan_source_t *src, plan_t *p, worker_t *wk, int *nw, int *fast,
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
            if (!sp_scan_worker_init(&wk[i], p, 1)) {
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
            sp_scan_worker_free(&wk[i], 1);
    }
    /* Quotes, another encoding, or no newline after the header. */
    *nw = 1;
    if (!sp_scan_worker_init(&wk[0], p, 1))
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0, "out of memory");
    rc = csv_general(src, &wk[0], pool, err);
    return rc;
}
