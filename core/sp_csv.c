/*
 * sp_csv.c -- the streaming CSV reader (see sp_csv.h).
 *
 * Bytes flow in three stages.  read(2) fills a large buffer; when the file
 * is not UTF-8 the buffer is converted with iconv(3) into a second one, and
 * when it is, the bytes are only validated (sp_text_utf8_valid, whose ASCII
 * fast path keeps this cheap).  The text is then cut into physical lines
 * with memchr and each line is handed to libcsv on its own, so that every
 * callback knows the line it is on: a record starts on the line where
 * libcsv leaves its ROW_NOT_BEGUN state, which we read from the parser's
 * public struct between two lines.  Fields are copied into one arena that
 * holds the rows of the current line (usually one) and is emptied before
 * the next line is read, so memory stays flat whatever the file size.
 * sp_parse_real and sp_parse_int, which check numbers as written in fields,
 * live here too because they share the reader's notion of a field.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memrchr, strtod_l, newlocale */
#endif
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <csv.h>
#include <apr_strings.h>
#include "sp_csv.h"
#include "sp_text.h"

/* libcsv 3.0.x keeps these states in csv_parser.pstate (libcsv.c). */
#define PS_ROW_NOT_BEGUN 0
#define PS_FIELD_BEGUN   2

#define SAMPLE_SIZE  (64 * 1024)    /* bytes inspected for detection */
#define BUFFER_SIZE  (1024 * 1024)  /* read(2) size; grows for longer lines */
#define NO_BAD       SIZE_MAX
#define ENTRY_BLOCK  4096           /* libcsv's field buffer grows by this */
#define SLACK        16             /* see on_field */

typedef struct row_t {
    size_t first;   /* index of its first field */
    size_t nfields;
    long line;
} row_t;

struct sp_csv_t {
    apr_pool_t *pool;
    const char *path;
    int fd;
    int own_fd;
    apr_off_t size;     /* from fstat, 0 when not a regular file */
    apr_off_t nread;    /* bytes read from fd */
    int eof;            /* read(2) returned 0 */
    int delim;
    sp_encoding_t enc;
    iconv_t cd;         /* (iconv_t)-1 for UTF-8 */

    /* raw bytes waiting for conversion (non-UTF-8 input only) */
    char *raw;
    size_t raw_pos, raw_len, raw_cap;

    /* UTF-8 text; the next line starts at start */
    char *buf;
    size_t start, end, cap;
    size_t checked;     /* bytes before this offset are valid UTF-8 */
    size_t bad;         /* offset of the first invalid byte, or NO_BAD */
    char eol;           /* '\n', or '\r' in files with CR-only line ends */
    long line;          /* physical line being parsed (1-based) */

    struct csv_parser parser;
    int parser_live;

    /* fields of the rows parsed and not yet returned */
    char *data;
    size_t data_len, data_cap;
    size_t *foff, *flen;
    size_t nf, fcap;
    row_t *rows;
    size_t nrows, rows_cap, row_next;
    size_t row_first;   /* first field of the row being built */
    long row_line;      /* line where the row being built starts */
    long quote_line;    /* line where the open quoted field starts */
    const char **ptrs;
    size_t ptrs_cap;

    int no_fast_path;   /* tests: every line through libcsv */
    long index;
    int done;
    int status;         /* sticky failure */
    sp_error_t *error;
};

/* Growth that cannot fail: running out of memory aborts, as pools do. */
static void *
grow(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL) {
        fputs("spiral: out of memory in the CSV reader\n", stderr);
        abort();
    }
    return q;
}

static apr_status_t
cleanup(void *data)
{
    sp_csv_t *csv = data;

    if (csv->parser_live)
        csv_free(&csv->parser);
    if (csv->cd != (iconv_t)-1)
        iconv_close(csv->cd);
    if (csv->own_fd && csv->fd >= 0)
        close(csv->fd);
    free(csv->raw);
    free(csv->buf);
    free(csv->data);
    free(csv->foff);
    free(csv->flen);
    free(csv->rows);
    free(csv->ptrs);
    return APR_SUCCESS;
}

/* Remember the first failure: later calls return it again. */
static int
fail(sp_csv_t *csv, sp_error_t **err, int status, long line, long column,
     const char *msg)
{
    csv->status = status;
    sp_error_set(&csv->error, csv->pool, status, csv->path, line, column,
                 "%s", msg);
    if (err != NULL)
        *err = csv->error;
    return status;
}

/* Read up to want bytes; short only at end of file. */
static int
read_full(sp_csv_t *csv, char *dst, size_t want, size_t *got,
          sp_error_t **err)
{
    size_t n = 0;

    while (n < want) {
        ssize_t r = read(csv->fd, dst + n, want - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return fail(csv, err, SP_EXIT_IO, 0, 0,
                        apr_psprintf(csv->pool, "read error: %s",
                                     strerror(errno)));
        }
        if (r == 0) {
            csv->eof = 1;
            break;
        }
        n += (size_t)r;
        csv->nread += r;
    }
    *got = n;
    return SP_OK;
}

/* ---- detection ---------------------------------------------------------- */

/* Bytes 0x80-0x9F that Windows-1252 defines (all but 81, 8D, 8F, 90, 9D). */
static int
cp1252_defined(unsigned char c)
{
    return c >= 0x80 && c <= 0x9F && c != 0x81 && c != 0x8D && c != 0x8F
           && c != 0x90 && c != 0x9D;
}

static sp_encoding_t
detect_encoding(const char *s, size_t n, int at_eof)
{
    size_t i, len = n;

    /* A sample that stops mid-file may cut the last sequence: drop it. */
    if (!at_eof) {
        for (i = n; i > 0 && n - i < 4; i--) {
            unsigned char c = (unsigned char)s[i - 1];
            if (c < 0x80)
                break;
            if (c >= 0xC0) {
                size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
                if (n - (i - 1) < need)
                    len = i - 1;
                break;
            }
        }
    }
    if (sp_text_utf8_valid(s, len, NULL))
        return SP_ENC_UTF8;
    for (i = 0; i < n; i++)
        if (cp1252_defined((unsigned char)s[i]))
            return SP_ENC_CP1252;
    return SP_ENC_LATIN1;
}

/* Most frequent of , ; TAB on the header line, outside quotes. */
static int
detect_delimiter(const char *s, size_t n)
{
    size_t comma = 0, semi = 0, tab = 0, i;
    int quoted = 0;

    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == '\n' || c == '\r')
            break;
        else if (c == ',')
            comma++;
        else if (c == ';')
            semi++;
        else if (c == '\t')
            tab++;
    }
    if (comma >= semi && comma >= tab)
        return ',';
    return semi >= tab ? ';' : '\t';
}

static int
only_blanks(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* ---- libcsv callbacks -------------------------------------------------- */

/* Cold path of on_field, kept out of line so the hot path stays small. */
static void
make_room(sp_csv_t *csv, size_t len)
{
    if (csv->data_len + len + SLACK > csv->data_cap) {
        csv->data_cap = 2 * (csv->data_len + len + SLACK);
        csv->data = grow(csv->data, csv->data_cap);
    }
    if (csv->nf == csv->fcap) {
        csv->fcap = csv->fcap ? 2 * csv->fcap : 64;
        csv->foff = grow(csv->foff, csv->fcap * sizeof *csv->foff);
        csv->flen = grow(csv->flen, csv->fcap * sizeof *csv->flen);
    }
}

/* Called once per field: the hottest code of the reader after libcsv. */
static void
on_field(void *s, size_t len, void *data)
{
    sp_csv_t *csv = data;
    size_t at = csv->data_len, nf = csv->nf;

    if (at + len + SLACK > csv->data_cap || nf == csv->fcap)
        make_room(csv, len);
    /* CSV_APPEND_NULL put a NUL at s[len]: copy it with the bytes.  Short
     * fields, most of them, are copied as one fixed-size block, which the
     * compiler inlines; libcsv's buffer is at least ENTRY_BLOCK bytes, so
     * the bytes read past the NUL are in bounds (and overwritten later). */
    if (len < SLACK)
        memcpy(csv->data + at, s, SLACK);
    else
        memcpy(csv->data + at, s, len + 1);
    csv->foff[nf] = at;
    csv->flen[nf] = len;
    csv->nf = nf + 1;
    csv->data_len = at + len + 1;
}

static void
on_row(int c, void *data)
{
    sp_csv_t *csv = data;
    row_t *r;

    (void)c;
    if (csv->nrows == csv->rows_cap) {
        csv->rows_cap = csv->rows_cap ? 2 * csv->rows_cap : 8;
        csv->rows = grow(csv->rows, csv->rows_cap * sizeof *csv->rows);
    }
    r = &csv->rows[csv->nrows++];
    r->first = csv->row_first;
    r->nfields = csv->nf - csv->row_first;
    r->line = csv->row_line;
    csv->row_first = csv->nf;
    csv->row_line = csv->line; /* a row ended by a bare CR: same line */
}

/* ---- opening ------------------------------------------------------------ */

static int
setup(sp_csv_t *csv, const sp_csv_options_t *options, sp_error_t **err)
{
    size_t got, skip = 0;
    const char *sample;
    int delim = options ? options->delimiter : 0;
    sp_encoding_t enc = options ? options->encoding : SP_ENC_DETECT;
    struct stat st;

    if (fstat(csv->fd, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return fail(csv, err, SP_EXIT_NOINPUT, 0, 0,
                        "cannot open: Is a directory");
        if (S_ISREG(st.st_mode))
            csv->size = st.st_size;
    }
    if (delim != 0 && delim != ',' && delim != ';' && delim != '\t'
        && delim != '|')
        return fail(csv, err, SP_EXIT_USAGE, 0, 0,
                    "delimiter must be ',', ';', tab or '|'");
    if ((int)enc < SP_ENC_DETECT || enc > SP_ENC_LATIN1)
        return fail(csv, err, SP_EXIT_USAGE, 0, 0, "unknown encoding");

    csv->cap = BUFFER_SIZE;
    csv->buf = grow(NULL, csv->cap + SLACK);
    if (read_full(csv, csv->buf, SAMPLE_SIZE, &got, err) != SP_OK)
        return csv->status;
    sample = csv->buf;
    if (got >= 3 && memcmp(sample, "\xEF\xBB\xBF", 3) == 0
        && (enc == SP_ENC_DETECT || enc == SP_ENC_UTF8)) {
        skip = 3;
        enc = SP_ENC_UTF8;
    }
    if (csv->eof && only_blanks(sample + skip, got - skip))
        return fail(csv, err, SP_EXIT_DATA, 0, 0, "file is empty");
    if (memchr(sample, '\0', got) != NULL)
        return fail(csv, err, SP_EXIT_DATA, 0, 0,
                    "NUL bytes: a binary file or UTF-16 text, not CSV "
                    "(save it as CSV UTF-8)");
    if (enc == SP_ENC_DETECT)
        enc = detect_encoding(sample + skip, got - skip, csv->eof);
    if (delim == 0)
        delim = detect_delimiter(sample + skip, got - skip);
    if (memchr(sample, '\n', got) == NULL && memchr(sample, '\r', got))
        csv->eol = '\r';
    csv->enc = enc;
    csv->delim = delim;

    if (enc == SP_ENC_UTF8) {
        csv->start = skip;
        csv->end = got;
        csv->checked = skip;
    } else {
        csv->cd = iconv_open("UTF-8",
                             enc == SP_ENC_CP1252 ? "CP1252" : "ISO-8859-1");
        if (csv->cd == (iconv_t)-1)
            return fail(csv, err, SP_EXIT_SOFTWARE, 0, 0,
                        apr_psprintf(csv->pool, "iconv: %s",
                                     strerror(errno)));
        csv->raw = csv->buf;
        csv->raw_cap = csv->cap;
        csv->raw_len = got;
        csv->raw_pos = 0;
        csv->buf = grow(NULL, csv->cap + SLACK);
    }

    csv_init(&csv->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    csv->parser_live = 1;
    csv_set_delim(&csv->parser, (unsigned char)delim);
    csv_set_blk_size(&csv->parser, ENTRY_BLOCK);
    return SP_OK;
}

static int
open_common(sp_csv_t **out, int fd, int own_fd, const char *name,
            const sp_csv_options_t *options, apr_pool_t *pool,
            sp_error_t **err)
{
    sp_csv_t *csv = apr_pcalloc(pool, sizeof *csv);

    csv->pool = pool;
    csv->path = apr_pstrdup(pool, name);
    csv->fd = fd;
    csv->own_fd = own_fd;
    csv->cd = (iconv_t)-1;
    csv->bad = NO_BAD;
    csv->eol = '\n';
    csv->line = 1;
    csv->row_line = 1;
    apr_pool_cleanup_register(pool, csv, cleanup, apr_pool_cleanup_null);
    if (setup(csv, options, err) != SP_OK) {
        *out = NULL;
        return csv->status;
    }
    *out = csv;
    return SP_OK;
}

int
sp_csv_open(sp_csv_t **csv, const char *path,
            const sp_csv_options_t *options, apr_pool_t *pool,
            sp_error_t **err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        *csv = NULL;
        return sp_error_set(err, pool, SP_EXIT_NOINPUT, path, 0, 0,
                            "cannot open: %s", strerror(errno));
    }
    return open_common(csv, fd, 1, path, options, pool, err);
}

int
sp_csv_open_fd(sp_csv_t **csv, int fd, const char *name,
               const sp_csv_options_t *options, apr_pool_t *pool,
               sp_error_t **err)
{
    return open_common(csv, fd, 0, name, options, pool, err);
}

/* ---- reading ------------------------------------------------------------ */

/* Convert raw bytes into the text buffer until one of them runs out.
 * Windows-1252 leaves five bytes undefined; like Windows itself we map
 * them to the C1 controls of the same value. */
static void
convert(sp_csv_t *csv)
{
    char *in = csv->raw + csv->raw_pos;
    size_t inleft = csv->raw_len - csv->raw_pos;
    char *outp = csv->buf + csv->end;
    size_t outleft = csv->cap - csv->end;

    while (inleft > 0 && outleft > 0) {
        size_t r = iconv(csv->cd, &in, &inleft, &outp, &outleft);
        if (r != (size_t)-1 || errno == E2BIG)
            break;
        if (outleft < 2)
            break;
        *outp++ = (char)0xC2;
        *outp++ = *in++;
        outleft -= 2;
        inleft--;
    }
    csv->raw_pos = csv->raw_len - inleft;
    csv->end = (size_t)(outp - csv->buf);
}

/* Move the unread text to the front and add more; *added is 0 at end of
 * file. */
static int
fill(sp_csv_t *csv, size_t *added, sp_error_t **err)
{
    size_t before, got;

    if (csv->start > 0) {
        size_t keep = csv->end - csv->start;
        memmove(csv->buf, csv->buf + csv->start, keep);
        csv->checked -= csv->start;
        if (csv->bad != NO_BAD)
            csv->bad -= csv->start;
        csv->end = keep;
        csv->start = 0;
    }
    if (csv->cap - csv->end < 4) { /* room for one converted character */
        csv->cap *= 2;
        csv->buf = grow(csv->buf, csv->cap + SLACK);
    }
    before = csv->end;
    if (csv->cd == (iconv_t)-1) {
        if (read_full(csv, csv->buf + csv->end, csv->cap - csv->end, &got,
                      err) != SP_OK)
            return csv->status;
        csv->end += got;
    } else {
        while (csv->end == before) {
            if (csv->raw_pos == csv->raw_len) {
                if (csv->eof)
                    break;
                csv->raw_pos = 0;
                if (read_full(csv, csv->raw, csv->raw_cap, &csv->raw_len,
                              err) != SP_OK)
                    return csv->status;
            }
            convert(csv);
        }
        csv->checked = csv->end;
    }
    *added = csv->end - before;
    return SP_OK;
}

/* Validate the text from checked up to the last line end (or to the end
 * of the file), remembering the first invalid byte. */
static void
validate(sp_csv_t *csv)
{
    size_t stop = csv->end;
    size_t off;

    if (!csv->eof || csv->raw_pos < csv->raw_len) {
        const char *eol = memrchr(csv->buf + csv->checked, csv->eol,
                                  csv->end - csv->checked);
        if (eol == NULL)
            return;
        stop = (size_t)(eol - csv->buf) + 1;
    }
    if (sp_text_utf8_valid(csv->buf + csv->checked, stop - csv->checked,
                           &off)) {
        csv->checked = stop;
    } else {
        csv->bad = csv->checked + off;
        csv->checked = csv->bad;
    }
}

static size_t
field_number(const sp_csv_t *csv)
{
    return csv->nf - csv->row_first + 1;
}

/* The fast path: a line that starts a record and holds no quote and no
 * carriage return but its final CRLF cannot need libcsv's state machine,
 * so it is split with memchr, following libcsv's rules exactly: blanks
 * (space, and tab unless it is the delimiter) around unquoted fields are
 * dropped and a line of blanks is no record.  This triples the speed on
 * typical survey files; libcsv still reads every line that has a quote.
 * The fuzzer checks that both paths give the same records.  Returns 0 when
 * the line must go to libcsv. */
static int
fast_line(sp_csv_t *csv, const char *s, size_t len)
{
    const char *e = s + len, *p = s;
    char delim = (char)csv->delim;
    int tab_blank = delim != '\t';

    if (csv->no_fast_path || csv->eol != '\n'
        || csv->parser.pstate != PS_ROW_NOT_BEGUN)
        return 0;
    if (e > s && e[-1] == '\n')
        e--;
    if (e > s && e[-1] == '\r')
        e--;
    if (memchr(s, '"', (size_t)(e - s)) || memchr(s, '\r', (size_t)(e - s)))
        return 0;
    while (p < e && (*p == ' ' || (*p == '\t' && tab_blank)))
        p++;
    if (p == e)
        return 1; /* blank line */
    csv->row_line = csv->line;
    for (;;) {
        const char *b, *fe;
        size_t flen, at;

        /* fields are short: a plain loop beats a memchr call per field */
        while (p < e && (*p == ' ' || (*p == '\t' && tab_blank)))
            p++;
        b = fe = p;
        while (p < e && *p != delim) {
            char c = *p++;
            if (c != ' ' && (c != '\t' || !tab_blank))
                fe = p;
        }
        flen = (size_t)(fe - b);
        at = csv->data_len;
        if (at + flen + SLACK > csv->data_cap || csv->nf == csv->fcap)
            make_room(csv, flen);
        /* buf has SLACK spare bytes at its end: the block copy is in bounds */
        if (flen < SLACK)
            memcpy(csv->data + at, b, SLACK);
        else
            memcpy(csv->data + at, b, flen);
        csv->data[at + flen] = '\0';
        csv->foff[csv->nf] = at;
        csv->flen[csv->nf] = flen;
        csv->nf++;
        csv->data_len = at + flen + 1;
        if (p == e)
            break;
        p++; /* the delimiter */
    }
    on_row('\n', csv);
    return 1;
}

/* Hand one physical line (or the part of it before an invalid byte) to
 * libcsv. */
static int
feed(sp_csv_t *csv, const char *s, size_t len, int whole,
     sp_error_t **err)
{
    struct csv_parser *p = &csv->parser;
    int was_quoted = p->pstate == PS_FIELD_BEGUN && p->quoted;
    size_t ends = csv->nf + csv->nrows; /* grows with every field end */
    size_t n;

    if (whole && fast_line(csv, s, len))
        return SP_OK;
    if (p->pstate == PS_ROW_NOT_BEGUN)
        csv->row_line = csv->line;
    n = csv_parse(p, s, len, on_field, on_row, csv);
    if (n < len) {
        if (csv_error(p) == CSV_EPARSE) {
            const char *what = p->quoted && p->pstate != PS_FIELD_BEGUN
                ? "unexpected character after a closing quote"
                : "quote inside an unquoted field (quote the whole field"
                  " and double the quote)";
            return fail(csv, err, SP_EXIT_DATA, csv->line,
                        (long)field_number(csv),
                        apr_psprintf(csv->pool, "%s in field %lu", what,
                                     (unsigned long)field_number(csv)));
        }
        return fail(csv, err, SP_EXIT_SOFTWARE, csv->line, 0,
                    apr_psprintf(csv->pool, "libcsv: %s",
                                 csv_strerror(csv_error(p))));
    }
    if (p->pstate == PS_FIELD_BEGUN && p->quoted
        && (!was_quoted || csv->nf + csv->nrows != ends))
        csv->quote_line = csv->line;
    return SP_OK;
}

static int
finish(sp_csv_t *csv, sp_error_t **err)
{
    struct csv_parser *p = &csv->parser;

    if (p->pstate == PS_FIELD_BEGUN && p->quoted)
        return fail(csv, err, SP_EXIT_DATA, csv->quote_line, 0,
                    apr_psprintf(csv->pool,
                                 "unterminated quoted field %lu "
                                 "(the quote opened on line %ld is never "
                                 "closed)",
                                 (unsigned long)field_number(csv),
                                 csv->quote_line));
    if (csv_fini(p, on_field, on_row, csv) != 0)
        return fail(csv, err, SP_EXIT_SOFTWARE, 0, 0, "libcsv: fini failed");
    csv->done = 1;
    return SP_OK;
}

/* Drop the fields of the rows already returned, keeping a row in progress. */
static void
compact(sp_csv_t *csv)
{
    if (csv->row_first < csv->nf) {
        size_t base = csv->foff[csv->row_first], i;
        size_t keep = csv->nf - csv->row_first;
        memmove(csv->data, csv->data + base, csv->data_len - base);
        csv->data_len -= base;
        for (i = 0; i < keep; i++) {
            csv->foff[i] = csv->foff[csv->row_first + i] - base;
            csv->flen[i] = csv->flen[csv->row_first + i];
        }
        csv->nf = keep;
    } else {
        csv->nf = 0;
        csv->data_len = 0;
    }
    csv->row_first = 0;
    csv->nrows = csv->row_next = 0;
}

static void
emit(sp_csv_t *csv, sp_csv_record_t *rec)
{
    const row_t *r = &csv->rows[csv->row_next++];
    size_t i;

    if (csv->ptrs_cap < r->nfields) {
        csv->ptrs_cap = 2 * r->nfields;
        csv->ptrs = grow(csv->ptrs, csv->ptrs_cap * sizeof *csv->ptrs);
    }
    for (i = 0; i < r->nfields; i++)
        csv->ptrs[i] = csv->data + csv->foff[r->first + i];
    rec->nfields = r->nfields;
    rec->field = csv->ptrs;
    rec->len = csv->flen + r->first;
    rec->line = r->line;
    rec->index = csv->index++;
}

int
sp_csv_next(sp_csv_t *csv, sp_csv_record_t *rec, sp_error_t **err)
{
    for (;;) {
        const char *s, *nl;
        size_t avail, len, feedlen;
        int bad_here;

        if (csv->status != SP_OK) {
            if (err != NULL)
                *err = csv->error;
            return csv->status;
        }
        if (csv->row_next < csv->nrows) {
            emit(csv, rec);
            return 1;
        }
        if (csv->done)
            return 0;
        if (csv->nrows > 0)
            compact(csv);

        s = csv->buf + csv->start;
        avail = csv->end - csv->start;
        nl = avail ? memchr(s, csv->eol, avail) : NULL;
        if (nl != NULL) {
            len = (size_t)(nl - s) + 1;
        } else if (!csv->eof || csv->raw_pos < csv->raw_len) {
            size_t added;
            if (fill(csv, &added, err) != SP_OK)
                return csv->status;
            continue;
        } else if (avail > 0) {
            len = avail;  /* last line, without a line end */
        } else {
            if (finish(csv, err) != SP_OK)
                return csv->status;
            continue;
        }

        if (csv->start + len > csv->checked)
            validate(csv);
        bad_here = csv->bad != NO_BAD && csv->bad < csv->start + len;
        feedlen = bad_here ? csv->bad - csv->start : len;
        if (feed(csv, s, feedlen, !bad_here, err) != SP_OK)
            return csv->status;
        if (bad_here) {
            unsigned char b = (unsigned char)s[feedlen];
            return fail(csv, err, SP_EXIT_DATA, csv->line,
                        (long)field_number(csv),
                        apr_psprintf(csv->pool,
                                     "invalid UTF-8 (byte 0x%02X) in field "
                                     "%lu, byte %lu of the field; the file "
                                     "mixes encodings",
                                     b, (unsigned long)field_number(csv),
                                     (unsigned long)csv->parser.entry_pos
                                         + 1));
        }
        csv->start += len;
        csv->line++;
    }
}

/* ---- queries ------------------------------------------------------------ */

void
sp_csv_set_fast_path(sp_csv_t *csv, int enabled)
{
    csv->no_fast_path = !enabled;
}

int
sp_csv_delimiter(const sp_csv_t *csv)
{
    return csv->delim;
}

sp_encoding_t
sp_csv_encoding(const sp_csv_t *csv)
{
    return csv->enc;
}

const char *
sp_csv_encoding_name(sp_encoding_t enc)
{
    switch (enc) {
    case SP_ENC_UTF8:
        return "UTF-8";
    case SP_ENC_CP1252:
        return "Windows-1252";
    case SP_ENC_LATIN1:
        return "ISO-8859-1";
    case SP_ENC_DETECT:
        break;
    }
    return "auto";
}

apr_off_t
sp_csv_offset(const sp_csv_t *csv)
{
    /* Converted text is longer than its source: an estimate, for progress. */
    apr_off_t off = csv->nread - (apr_off_t)(csv->raw_len - csv->raw_pos)
                    - (apr_off_t)(csv->end - csv->start);
    if (off < 0)
        off = 0;
    if (csv->size > 0 && off > csv->size)
        off = csv->size;
    return off;
}

apr_off_t
sp_csv_size(const sp_csv_t *csv)
{
    return csv->size;
}

const char *
sp_csv_path(const sp_csv_t *csv)
{
    return csv->path;
}

int
sp_csv_parse_encoding(const char *name)
{
    static const struct {
        const char *name;
        sp_encoding_t enc;
    } names[] = {
        {"auto", SP_ENC_DETECT},        {"utf-8", SP_ENC_UTF8},
        {"utf8", SP_ENC_UTF8},          {"windows-1252", SP_ENC_CP1252},
        {"cp1252", SP_ENC_CP1252},      {"latin1", SP_ENC_LATIN1},
        {"latin-1", SP_ENC_LATIN1},     {"iso-8859-1", SP_ENC_LATIN1},
        {"iso8859-1", SP_ENC_LATIN1},
    };
    size_t i;

    if (name == NULL)
        return -1;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i].name) == 0)
            return (int)names[i].enc;
    return -1;
}

/* ---- numbers ------------------------------------------------------------ */

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void
make_c_locale(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static int
is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Trim blanks: [*b, *e) is what is left. */
static void
trim(const char *s, const char **b, const char **e)
{
    const char *end = s + strlen(s);

    while (is_blank(*s))
        s++;
    while (end > s && is_blank(end[-1]))
        end--;
    *b = s;
    *e = end;
}

int
sp_parse_real(const char *s, int decimal_comma, double *out)
{
    const char *b, *e, *p;
    char sep = decimal_comma ? ',' : '.';
    char small[128], *copy, *stop;
    size_t digits = 0, n, sep_at = SIZE_MAX;
    double v;

    if (s == NULL)
        return 0;
    trim(s, &b, &e);
    p = b;
    if (p < e && (*p == '+' || *p == '-'))
        p++;
    for (; p < e && is_digit(*p); p++)
        digits++;
    if (p < e && *p == sep) {
        sep_at = (size_t)(p - b);
        for (p++; p < e && is_digit(*p); p++)
            digits++;
    }
    if (digits == 0)
        return 0;
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < e && (*p == '+' || *p == '-'))
            p++;
        if (p == e || !is_digit(*p))
            return 0;
        while (p < e && is_digit(*p))
            p++;
    }
    if (p != e)
        return 0;

    /* The syntax is checked; strtod_l in the C locale does the rounding. */
    n = (size_t)(e - b);
    copy = n < sizeof small ? small : grow(NULL, n + 1);
    memcpy(copy, b, n);
    copy[n] = '\0';
    if (sep_at != SIZE_MAX)
        copy[sep_at] = '.';
    pthread_once(&c_locale_once, make_c_locale);
    if (c_locale == (locale_t)0) {
        if (copy != small)
            free(copy);
        return 0;
    }
    v = strtod_l(copy, &stop, c_locale);
    if (copy != small)
        free(copy);
    if (isinf(v) || isnan(v))
        return 0;
    *out = v;
    return 1;
}

int
sp_parse_int(const char *s, long long *out)
{
    const char *b, *e, *p;
    int neg = 0;
    unsigned long long v = 0;
    unsigned long long limit;

    if (s == NULL)
        return 0;
    trim(s, &b, &e);
    p = b;
    if (p < e && (*p == '+' || *p == '-'))
        neg = *p++ == '-';
    if (p == e)
        return 0;
    limit = neg ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)LLONG_MAX;
    for (; p < e; p++) {
        unsigned d;
        if (!is_digit(*p))
            return 0;
        d = (unsigned)(*p - '0');
        if (v > (limit - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    if (neg)
        *out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN
                                                      : -(long long)v;
    else
        *out = (long long)v;
    return 1;
}
