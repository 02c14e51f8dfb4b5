/*
 * sp_import.c -- the import framework shared by every kind (see sp_import.h).
 *
 * Order of work: hash the file, read and map the header, open the one
 * transaction, refuse a content already imported, then stream the rows.
 * Any failure rolls the transaction back, so the workspace is left exactly
 * as it was; the rejects file is written beside the input only when the
 * import succeeds with skip_bad.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <apr_hash.h>
#include <apr_thread_cond.h>
#include <apr_thread_mutex.h>
#include <apr_thread_proc.h>
#include <apr_strings.h>
#include "sp_export.h"
#include "sp_import.h"
#include "sp_progress.h"

/* --- values ------------------------------------------------------------ */

static int
parse_date(const char *s)
{
    int y, m, d, n = 0;

    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || s[n] != '\0' || n != 10)
        return 0;
    return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

int
sp_import_parse(const sp_import_column_t *column, const char *text, size_t len,
                int decimal_comma, sp_import_value_t *value, const char **why)
{
    int i;

    value->text = text;
    value->len = len;
    value->present = len > 0;
    value->i = 0;
    value->r = 0;
    if (!value->present)
        return 1;
    switch (column->type) {
    case SP_VAL_TEXT:
        return 1;
    case SP_VAL_INT:
        if (!sp_parse_int(text, &value->i)) {
            *why = "an integer";
            return 0;
        }
        value->r = (double)value->i;
        break;
    case SP_VAL_REAL:
        if (!sp_parse_real(text, decimal_comma, &value->r)) {
            *why = decimal_comma ? "a number (decimal comma or point)" : "a number";
            return 0;
        }
        break;
    case SP_VAL_DATE:
        if (!parse_date(text)) {
            *why = "a date written YYYY-MM-DD";
            return 0;
        }
        return 1;
    case SP_VAL_CHOICE:
        for (i = 0; column->choices[i] != NULL; i++)
            if (strcasecmp(column->choices[i], text) == 0) {
                value->i = i;
                value->text = column->choices[i];
                value->len = strlen(column->choices[i]);
                return 1;
            }
        *why = "one of the listed values";
        return 0;
    }
    if (column->min <= column->max && (value->r < column->min || value->r > column->max)) {
        *why = "a value in range";
        return 0;
    }
    return 1;
}

static const char *
expected_text(const sp_import_column_t *column, const char *why, apr_pool_t *pool)
{
    const char *s;
    int i;

    if (column->type == SP_VAL_CHOICE) {
        s = "";
        for (i = 0; column->choices[i] != NULL; i++)
            s = apr_pstrcat(pool, s, i ? ", " : "", column->choices[i], NULL);
        return apr_psprintf(pool, "one of: %s", s);
    }
    if ((column->type == SP_VAL_INT || column->type == SP_VAL_REAL) && column->min <= column->max)
        return apr_psprintf(pool, "%s from %g to %g", column->type == SP_VAL_INT
                            ? "an integer" : "a number", column->min, column->max);
    return why;
}

/* --- the file's hash ---------------------------------------------------- */

int
sp_import_sha256(const char *path, char hex[65], apr_pool_t *pool, sp_error_t **err)
{
    unsigned char buf[1 << 16], md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0, i;
    EVP_MD_CTX *ctx;
    FILE *f;
    size_t n;
    int ok;

    if ((f = fopen(path, "rb")) == NULL)
        return sp_error_set(err, pool, SP_EXIT_NOINPUT, path, 0, 0, "cannot open: %s",
                            strerror(errno));
    ctx = EVP_MD_CTX_new();
    ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
    while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0)
        ok = EVP_DigestUpdate(ctx, buf, n) == 1;
    ok = ok && !ferror(f) && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1;
    EVP_MD_CTX_free(ctx);
    fclose(f);
    if (!ok)
        return sp_error_set(err, pool, SP_EXIT_IO, path, 0, 0, "cannot read the file");
    for (i = 0; i < mdlen; i++)
        sprintf(hex + 2 * i, "%02x", md[i]);
    hex[64] = '\0';
    return SP_OK;
}

/* --- rejected rows ------------------------------------------------------- */

typedef struct rejects_t {
    FILE *f;
    const char *path, *tmp_path;
} rejects_t;

static void
put_field(FILE *f, const char *s, size_t len, int first)
{
    if (!first)
        fputc(',', f);
    sp_export_csv_field(f, s, len, ',');
}

static int
rejects_write(sp_import_ctx_t *ctx, rejects_t *rj, long line, long column, const char *reason)
{
    const sp_csv_record_t *rec = ctx->record;
    char num[32];
    size_t i;

    if (rj->f == NULL) {
        rj->path = apr_pstrcat(ctx->pool, ctx->path, ".rejects.csv", NULL);
        rj->tmp_path = apr_pstrcat(ctx->pool, rj->path, ".tmp", NULL);
        if ((rj->f = fopen(rj->tmp_path, "w")) == NULL)
            return sp_error_set(ctx->err, ctx->pool, SP_EXIT_CANTCREAT, rj->tmp_path, 0, 0,
                                "cannot create the rejects file: %s", strerror(errno));
        fputs("line,column,reason", rj->f);
        for (i = 0; i < ctx->header->nfields; i++)
            put_field(rj->f, ctx->header->field[i], ctx->header->len[i], 0);
        fputs("\r\n", rj->f);
    }
    snprintf(num, sizeof num, "%ld", line);
    put_field(rj->f, num, strlen(num), 1);
    snprintf(num, sizeof num, "%ld", column);
    put_field(rj->f, num, column > 0 ? strlen(num) : 0, 0);
    put_field(rj->f, reason, strlen(reason), 0);
    for (i = 0; i < rec->nfields; i++)
        put_field(rj->f, rec->field[i], rec->len[i], 0);
    fputs("\r\n", rj->f);
    return SP_OK;
}

static apr_status_t
rejects_discard(void *data)
{
    rejects_t *rj = data;

    if (rj->f != NULL) {
        fclose(rj->f);
        rj->f = NULL;
        unlink(rj->tmp_path);
    }
    return APR_SUCCESS;
}

/* --- rows ---------------------------------------------------------------- */

int
sp_import_reject(sp_import_ctx_t *ctx, int col, int field, const char *fmt, ...)
{
    va_list ap;
    const char *msg;

    if (col >= 0)
        field = ctx->field_of_column[col];
    va_start(ap, fmt);
    msg = apr_pvsprintf(ctx->row_pool, fmt, ap);
    va_end(ap);
    return sp_error_set(ctx->err, ctx->row_pool, SP_EXIT_DATA, ctx->path, ctx->record->line,
                        field >= 0 ? field + 1 : 0, "%s", msg);
}

int
sp_import_split(char *text, char **items, int max)
{
    int n = 0;
    char *p = text, *end;

    while (n < max && *p != '\0') {
        char *bar = strchr(p, '|');

        if (bar != NULL)
            *bar = '\0';
        while (*p == ' ')
            p++;
        end = p + strlen(p);
        while (end > p && end[-1] == ' ')
            *--end = '\0';
        if (*p != '\0')
            items[n++] = p;
        if (bar == NULL)
            break;
        p = bar + 1;
    }
    return n;
}

int
sp_import_neighbourhood(sp_import_ctx_t *ctx, const char *name, sqlite3_int64 *id)
{
    static const char sql_find[] =
        "SELECT id FROM neighbourhood WHERE territory_id = ?1 AND name = ?2";
    static const char sql_add[] =
        "INSERT INTO neighbourhood (territory_id, name) VALUES (?1, ?2)";
    sqlite3_stmt *stmt;
    sqlite3 *db = ctx->store->db;
    int rc;

    if (sqlite3_prepare_v2(db, sql_find, -1, &stmt, NULL) != SQLITE_OK)
        return sp_store_fail(db, "neighbourhood lookup", ctx->pool, ctx->err);
    sqlite3_bind_int64(stmt, 1, ctx->territory_id);
    sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    if (rc == SQLITE_ROW)
        return SP_OK;
    if (sqlite3_prepare_v2(db, sql_add, -1, &stmt, NULL) != SQLITE_OK)
        return sp_store_fail(db, "neighbourhood insert", ctx->pool, ctx->err);
    sqlite3_bind_int64(stmt, 1, ctx->territory_id);
    sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return sp_store_fail(db, "neighbourhood insert", ctx->pool, ctx->err);
    *id = sqlite3_last_insert_rowid(db);
    ctx->neighbourhoods_created++;
    return SP_OK;
}

/* Map header fields to the kind's columns. */
static int
map_header(sp_import_ctx_t *ctx, const sp_import_kind_t *kind, int **col_of_field,
           int **field_of_col)
{
    const sp_csv_record_t *h = ctx->header;
    int ncols = 0, c;
    size_t f, g;

    while (kind->columns[ncols].name != NULL)
        ncols++;
    *col_of_field = apr_palloc(ctx->pool, sizeof(int) * (h->nfields + 1));
    *field_of_col = apr_palloc(ctx->pool, sizeof(int) * (size_t)(ncols + 1));
    for (c = 0; c < ncols; c++)
        (*field_of_col)[c] = -1;
    for (f = 0; f < h->nfields; f++) {
        const char *name = h->field[f];

        if (h->len[f] == 0)
            return sp_error_set(ctx->err, ctx->pool, SP_EXIT_DATA, ctx->path, h->line,
                                (long)f + 1, "empty column name in the header");
        for (g = 0; g < f; g++)
            if (strcasecmp(h->field[g], name) == 0)
                return sp_error_set(ctx->err, ctx->pool, SP_EXIT_DATA, ctx->path, h->line,
                                    (long)f + 1, "column '%s' appears twice in the header "
                                    "(also column %ld)", name, (long)g + 1);
        (*col_of_field)[f] = -1;
        for (c = 0; c < ncols; c++) {
            const sp_import_column_t *col = &kind->columns[c];

            if (strcasecmp(col->name, name) == 0
                || (col->alias != NULL && strcasecmp(col->alias, name) == 0)) {
                (*col_of_field)[f] = c;
                (*field_of_col)[c] = (int)f;
                break;
            }
        }
        if ((*col_of_field)[f] < 0 && !kind->extra_columns) {
            const char *known = "";

            for (c = 0; c < ncols; c++)
                known = apr_pstrcat(ctx->pool, known, c ? ", " : "", kind->columns[c].name, NULL);
            return sp_error_set(ctx->err, ctx->pool, SP_EXIT_DATA, ctx->path, h->line,
                                (long)f + 1, "unknown column '%s' for %s files (known: %s)",
                                name, kind->name, known);
        }
    }
    for (c = 0; c < ncols; c++)
        if ((kind->columns[c].flags & SP_COL_REQUIRED) && (*field_of_col)[c] < 0)
            return sp_error_set(ctx->err, ctx->pool, SP_EXIT_DATA, ctx->path, h->line, 0,
                                "missing column '%s' in the header", kind->columns[c].name);
    return SP_OK;
}

static int
find_territory(sp_import_ctx_t *ctx)
{
    sqlite3 *db = ctx->store->db;
    sqlite3_stmt *stmt;
    const char *code = ctx->options->territory;
    int rc, n = 0;

    if (sqlite3_prepare_v2(db, code ? "SELECT id FROM territory WHERE code = ?1"
                                    : "SELECT id FROM territory ORDER BY id LIMIT 2",
                           -1, &stmt, NULL) != SQLITE_OK)
        return sp_store_fail(db, "territory lookup", ctx->pool, ctx->err);
    if (code)
        sqlite3_bind_text(stmt, 1, code, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        ctx->territory_id = sqlite3_column_int64(stmt, 0);
        n++;
    }
    sqlite3_finalize(stmt);
    if (code != NULL && n == 0)
        return sp_error_set(ctx->err, ctx->pool, SP_EXIT_DATA, NULL, 0, 0,
                            "unknown territory '%s' (create it with `spiral init --territory %s`)",
                            code, code);
    if (n > 1)
        return sp_error_set(ctx->err, ctx->pool, SP_EXIT_USAGE, NULL, 0, 0,
                            "this workspace holds several territories: name one with --territory");
    if (n == 0)
        ctx->territory_id = 0;
    return SP_OK;
}

static int
ledger_open(sp_import_ctx_t *ctx, const sp_import_kind_t *kind, const char *sha, const sp_csv_t *csv)
{
    sqlite3 *db = ctx->store->db;
    const char *target = ctx->options->target ? ctx->options->target : "";
    sqlite3_stmt *stmt;
    char delim[2] = {(char)sp_csv_delimiter(csv), 0};
    int rc;

    if (!ctx->options->force) {
        if (sqlite3_prepare_v2(db, "SELECT id, imported_at FROM import_ledger "
                               "WHERE kind = ?1 AND target = ?2 AND sha256 = ?3", -1, &stmt,
                               NULL) != SQLITE_OK)
            return sp_store_fail(db, "import ledger", ctx->pool, ctx->err);
        sqlite3_bind_text(stmt, 1, kind->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, target, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, sha, -1, SQLITE_STATIC);
        if (sqlite3_step(stmt) == SQLITE_ROW) {
            int status = sp_error_set(ctx->err, ctx->pool, SP_EXIT_DATA, ctx->path, 0, 0,
                                      "this content was already imported as %s on %s "
                                      "(import #%lld); use --force to import it again",
                                      kind->name, sqlite3_column_text(stmt, 1),
                                      (long long)sqlite3_column_int64(stmt, 0));
            sqlite3_finalize(stmt);
            return status;
        }
        sqlite3_finalize(stmt);
    }
    if (sqlite3_prepare_v2(db, "INSERT INTO import_ledger (kind, target, file_name, sha256, "
                           "encoding, delimiter, rows_imported, forced) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7)", -1, &stmt, NULL) != SQLITE_OK)
        return sp_store_fail(db, "import ledger", ctx->pool, ctx->err);
    sqlite3_bind_text(stmt, 1, kind->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, target, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, ctx->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 4, sha, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 5, sp_csv_encoding_name(sp_csv_encoding(csv)), -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 6, delim[0] == '\t' ? "tab" : delim, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 7, ctx->options->force != 0);
    rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return sp_store_fail(db, "import ledger", ctx->pool, ctx->err);
    ctx->import_id = sqlite3_last_insert_rowid(db);
    return SP_OK;
}

static int
ledger_close(sp_import_ctx_t *ctx)
{
    sqlite3_stmt *stmt;
    int rc;

    if (sqlite3_prepare_v2(ctx->store->db, "UPDATE import_ledger SET rows_imported = ?1, "
                           "rows_rejected = ?2 WHERE id = ?3", -1, &stmt, NULL) != SQLITE_OK)
        return sp_store_fail(ctx->store->db, "import ledger", ctx->pool, ctx->err);
    sqlite3_bind_int64(stmt, 1, ctx->rows_imported);
    sqlite3_bind_int64(stmt, 2, ctx->rows_rejected);
    sqlite3_bind_int64(stmt, 3, ctx->import_id);
    rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? SP_OK : sp_store_fail(ctx->store->db, "import ledger", ctx->pool,
                                                     ctx->err);
}

void *
sp_import_buf_add(sp_import_buf_t *buf, size_t n)
{
    void *at;

    if (buf->len + n > buf->cap) {
        size_t cap = buf->cap ? buf->cap : 1 << 16;

        while (cap < buf->len + n)
            cap *= 2;
        buf->data = realloc(buf->data, cap);
        if (buf->data == NULL) {
            fputs("spiral: out of memory\n", stderr);
            abort();
        }
        buf->cap = cap;
    }
    at = buf->data + buf->len;
    buf->len += n;
    return at;
}

/* One row of a two-stage kind on the one-thread path. */
static int
encode_store(sp_import_ctx_t *ctx, const sp_import_kind_t *kind, const sp_import_value_t *values)
{
    int status;

    ctx->scratch.len = 0;
    if ((status = kind->encode(ctx, values, &ctx->scratch)) != SP_OK)
        return status;
    return kind->store(ctx, ctx->scratch.data, ctx->scratch.len);
}

/* Check the current record's shape and parse its declared columns into
 * values.  Returns SP_OK, or SP_EXIT_DATA with *ctx->err filled. */
static int
parse_row(sp_import_ctx_t *ctx, const sp_import_kind_t *kind, sp_import_value_t *values,
          int ncols)
{
    const sp_csv_record_t *rec = ctx->record;
    int c;

    if (rec->nfields != ctx->header->nfields)
        return sp_error_set(ctx->err, ctx->row_pool, SP_EXIT_DATA, ctx->path, rec->line,
                            rec->nfields > ctx->header->nfields ? (long)ctx->header->nfields + 1
                                                                : (long)rec->nfields,
                            "row has %ld fields but the header has %ld", (long)rec->nfields,
                            (long)ctx->header->nfields);
    for (c = 0; c < ncols; c++) {
        const sp_import_column_t *col = &kind->columns[c];
        int f = ctx->field_of_column[c];
        const char *why = NULL;

        if (f < 0) {
            memset(&values[c], 0, sizeof values[c]);
            values[c].text = "";
            continue;
        }
        if (!sp_import_parse(col, rec->field[f], rec->len[f], ctx->decimal_comma, &values[c],
                             &why))
            return sp_error_set(ctx->err, ctx->row_pool, SP_EXIT_DATA, ctx->path, rec->line,
                                f + 1, "%s: '%s' is not valid: expected %s", col->name,
                                rec->field[f], expected_text(col, why, ctx->row_pool));
        if ((col->flags & SP_COL_NONEMPTY) && !values[c].present)
            return sp_error_set(ctx->err, ctx->row_pool, SP_EXIT_DATA, ctx->path, rec->line,
                                f + 1, "%s: a value is required", col->name);
    }
    return SP_OK;
}

/* Parse and hand one record to the kind.  Returns SP_OK, or SP_EXIT_DATA
 * with *ctx->err describing a row-level problem, or another status. */
static int
import_row(sp_import_ctx_t *ctx, const sp_import_kind_t *kind, sp_import_value_t *values,
           int ncols)
{
    int status = parse_row(ctx, kind, values, ncols);

    if (status != SP_OK)
        return status;
    if (kind->row != NULL)
        return kind->row(ctx, values);
    return encode_store(ctx, kind, values);
}

/* --- the two-thread path ------------------------------------------------------
 *
 * A reading thread parses, validates and encodes rows into batches; the
 * calling thread, which alone touches SQLite, stores them in file order.
 * The reader owns its own pool (with its own allocator), its own CSV
 * handle and its own copy of the context, so the two share nothing but the
 * batch queue.  Either side's first error stops both. */

#define PIPE_BATCHES 4
#define PIPE_BATCH_ROWS 2048

typedef struct batch_t {
    sp_import_buf_t buf;
    long rows;
    int last;                       /* the reader's final batch */
    apr_off_t offset;               /* bytes read when it was filled */
    struct batch_t *next;
} batch_t;

typedef struct pipe_t {
    apr_thread_mutex_t *lock;
    apr_thread_cond_t *changed;
    batch_t *free_list, *full_head, *full_tail;
    int stop;                       /* the writer failed: the reader gives up */
    const sp_import_kind_t *kind;
    sp_import_ctx_t rctx;           /* the reader's context */
    apr_pool_t *rpool;              /* the reader's pool */
    int ncols;
    int status;                     /* the reader's outcome */
    sp_error_t *rerr;
} pipe_t;

typedef struct rec_head_t {
    long line;
    size_t len;
} rec_head_t;

static batch_t *
pipe_take(pipe_t *p, int full)
{
    batch_t *b;

    apr_thread_mutex_lock(p->lock);
    for (;;) {
        if (!full && p->stop) {
            b = NULL;
            break;
        }
        b = full ? p->full_head : p->free_list;
        if (b != NULL) {
            if (full && (p->full_head = b->next) == NULL)
                p->full_tail = NULL;
            if (!full)
                p->free_list = b->next;
            break;
        }
        apr_thread_cond_wait(p->changed, p->lock);
    }
    apr_thread_mutex_unlock(p->lock);
    return b;
}

static void
pipe_give(pipe_t *p, batch_t *b, int full)
{
    apr_thread_mutex_lock(p->lock);
    b->next = NULL;
    if (!full) {
        b->next = p->free_list;
        p->free_list = b;
    } else if (p->full_tail != NULL) {
        p->full_tail->next = b;
        p->full_tail = b;
    } else {
        p->full_head = p->full_tail = b;
    }
    apr_thread_cond_broadcast(p->changed);
    apr_thread_mutex_unlock(p->lock);
}

static void *APR_THREAD_FUNC
pipe_reader(apr_thread_t *thread, void *data)
{
    pipe_t *p = data;
    sp_import_ctx_t *ctx = &p->rctx;
    sp_import_value_t *values = apr_pcalloc(p->rpool, sizeof *values * (size_t)(p->ncols + 1));
    sp_csv_record_t rec;
    sp_csv_t *csv;
    batch_t *b = NULL;
    int rc, status;

    ctx->err = &p->rerr;
    ctx->record = &rec;
    status = sp_csv_open(&csv, ctx->path, &ctx->options->csv, p->rpool, ctx->err);
    if (status == SP_OK && (rc = sp_csv_next(csv, &rec, ctx->err)) != 1)   /* the header */
        status = rc == 0 ? SP_EXIT_SOFTWARE : rc;
    while (status == SP_OK) {
        rec_head_t head;
        size_t at;

        if (b == NULL) {
            if ((b = pipe_take(p, 0)) == NULL)
                break;
            b->buf.len = 0;
            b->rows = 0;
            b->last = 0;
        }
        if ((rc = sp_csv_next(csv, &rec, ctx->err)) != 1) {
            status = rc == 0 ? SP_OK : rc;
            break;
        }
        at = b->buf.len;
        sp_import_buf_add(&b->buf, sizeof head);
        if ((status = parse_row(ctx, p->kind, values, p->ncols)) != SP_OK
            || (status = p->kind->encode(ctx, values, &b->buf)) != SP_OK)
            break;      /* the error lives in row_pool, which is not cleared */
        head.line = rec.line;
        head.len = b->buf.len - at - sizeof head;
        memcpy(b->buf.data + at, &head, sizeof head);
        apr_pool_clear(ctx->row_pool);
        if (++b->rows == PIPE_BATCH_ROWS) {
            b->offset = sp_csv_offset(csv);
            pipe_give(p, b, 1);
            b = NULL;
        }
    }
    p->status = status;
    if (b == NULL && status == SP_OK && !p->stop)
        b = pipe_take(p, 0);
    if (b != NULL) {
        if (status != SP_OK)
            b->rows = 0;    /* the failing batch is not stored */
        b->last = 1;
        pipe_give(p, b, 1);
    } else {
        /* The writer stopped (or nothing is free): wake it for the end. */
        batch_t *end = apr_pcalloc(p->rpool, sizeof *end);

        end->last = 1;
        pipe_give(p, end, 1);
    }
    apr_thread_exit(thread, APR_SUCCESS);
    return NULL;
}

/* Run the rows of ctx through kind->encode (a reading thread) and
 * kind->store (this thread).  Returns the first error of either. */
static int
pipe_run(sp_import_ctx_t *ctx, const sp_import_kind_t *kind, int ncols, sp_progress_t *progress)
{
    apr_pool_t *pool = ctx->pool;
    apr_allocator_t *allocator;
    apr_thread_t *thread;
    apr_status_t ignored;
    sp_csv_record_t stub;
    batch_t batches[PIPE_BATCHES];
    pipe_t p;
    int i, status = SP_OK, done = 0;

    memset(&p, 0, sizeof p);
    memset(batches, 0, sizeof batches);
    memset(&stub, 0, sizeof stub);
    p.kind = kind;
    p.ncols = ncols;
    p.rctx = *ctx;
    memset(&p.rctx.scratch, 0, sizeof p.rctx.scratch);
    if (apr_allocator_create(&allocator) != APR_SUCCESS
        || apr_pool_create_ex(&p.rpool, NULL, NULL, allocator) != APR_SUCCESS)
        return sp_error_set(ctx->err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0, "out of memory");
    apr_allocator_owner_set(allocator, p.rpool);
    apr_pool_create(&p.rctx.row_pool, p.rpool);
    p.rctx.pool = NULL;         /* the reader must not use the writer's pool */
    apr_thread_mutex_create(&p.lock, APR_THREAD_MUTEX_DEFAULT, pool);
    apr_thread_cond_create(&p.changed, pool);
    for (i = 0; i < PIPE_BATCHES; i++)
        pipe_give(&p, &batches[i], 0);
    if (apr_thread_create(&thread, NULL, pipe_reader, &p, pool) != APR_SUCCESS) {
        apr_pool_destroy(p.rpool);
        return sp_error_set(ctx->err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "cannot start the reading thread");
    }

    ctx->record = &stub;
    while (!done) {
        batch_t *b = pipe_take(&p, 1);
        size_t at = 0;
        long r;

        for (r = 0; r < b->rows && status == SP_OK; r++) {
            rec_head_t head;

            memcpy(&head, b->buf.data + at, sizeof head);
            at += sizeof head;
            stub.line = head.line;
            status = kind->store(ctx, b->buf.data + at, head.len);
            at += head.len;
            if (status == SP_OK)
                ctx->rows_imported++;
        }
        done = b->last || status != SP_OK;
        sp_progress_update(progress, (double)b->offset, ctx->rows_imported);
        if (b >= batches && b < batches + PIPE_BATCHES)
            pipe_give(&p, b, 0);
        if (status == SP_OK)
            apr_pool_clear(ctx->row_pool);
    }
    if (status != SP_OK) {
        apr_thread_mutex_lock(p.lock);
        p.stop = 1;
        apr_thread_cond_broadcast(p.changed);
        apr_thread_mutex_unlock(p.lock);
    }
    apr_thread_join(&ignored, thread);
    if (status == SP_OK && p.status != SP_OK) {
        status = p.status;
        if (ctx->err != NULL && p.rerr != NULL)
            sp_error_set(ctx->err, pool, p.rerr->status, p.rerr->file, p.rerr->line,
                         p.rerr->column, "%s", p.rerr->message);
    }
    for (i = 0; i < PIPE_BATCHES; i++)
        free(batches[i].buf.data);
    apr_pool_destroy(p.rpool);
    return status;
}

int
sp_import_file(sp_store_t *store, const sp_pseudo_t *pseudo, const sp_import_kind_t *kind,
               const char *path, const sp_import_options_t *options,
               sp_import_result_t *result, apr_pool_t *pool, sp_error_t **err)
{
    sp_import_ctx_t ctx;
    sp_csv_record_t header, rec;
    sp_import_value_t *values;
    sqlite3_stmt *sp_begin = NULL, *sp_release = NULL, *sp_undo = NULL;
    sp_progress_t *progress;
    rejects_t rejects = {NULL, NULL, NULL};
    char sha[65];
    int *col_of_field, *field_of_col;
    int status, rc, ncols = 0, in_tx = 0;
    sp_csv_t *csv;

    memset(&ctx, 0, sizeof ctx);
    memset(result, 0, sizeof *result);
    ctx.store = store;
    ctx.pseudo = pseudo;
    ctx.options = options;
    ctx.path = path;
    ctx.pool = pool;
    ctx.err = err;
    apr_pool_create(&ctx.row_pool, pool);
    while (kind->columns[ncols].name != NULL)
        ncols++;
    values = apr_pcalloc(pool, sizeof *values * (size_t)(ncols + 1));

    if ((status = sp_import_sha256(path, sha, pool, err)) != SP_OK)
        return status;
    if ((status = sp_csv_open(&csv, path, &options->csv, pool, err)) != SP_OK)
        return status;
    ctx.decimal_comma = sp_csv_delimiter(csv) != ',';
    rc = sp_csv_next(csv, &header, err);
    if (rc == 0)
        return sp_error_set(err, pool, SP_EXIT_DATA, path, 0, 0, "file is empty");
    if (rc != 1)
        return rc;
    /* The header's fields are overwritten by the next record: keep a copy. */
    {
        char **fields = apr_palloc(pool, sizeof(char *) * header.nfields);
        size_t *lens = apr_palloc(pool, sizeof(size_t) * header.nfields), i;

        for (i = 0; i < header.nfields; i++) {
            fields[i] = apr_pstrmemdup(pool, header.field[i], header.len[i]);
            lens[i] = header.len[i];
        }
        header.field = (const char *const *)fields;
        header.len = lens;
    }
    ctx.header = &header;
    if ((status = map_header(&ctx, kind, &col_of_field, &field_of_col)) != SP_OK)
        return status;
    ctx.column_of_field = col_of_field;
    ctx.field_of_column = field_of_col;

    apr_pool_cleanup_register(pool, &rejects, rejects_discard, apr_pool_cleanup_null);
    /* PRAGMA foreign_keys is a no-op inside a transaction: set it before. */
    if ((kind->flags & SP_KIND_BULK)
        && (status = sp_store_exec(store, "PRAGMA foreign_keys = OFF", pool, err)) != SP_OK)
        return status;
    if ((status = sp_store_begin(store, pool, err)) != SP_OK)
        goto done;
    in_tx = 1;
    if ((status = ledger_open(&ctx, kind, sha, csv)) != SP_OK
        || (status = find_territory(&ctx)) != SP_OK
        || (kind->begin != NULL && (status = kind->begin(&ctx)) != SP_OK))
        goto done;
    if (options->skip_bad
        && (sqlite3_prepare_v2(store->db, "SAVEPOINT row", -1, &sp_begin, NULL) != SQLITE_OK
            || sqlite3_prepare_v2(store->db, "RELEASE row", -1, &sp_release, NULL) != SQLITE_OK
            || sqlite3_prepare_v2(store->db, "ROLLBACK TO row", -1, &sp_undo, NULL) != SQLITE_OK)) {
        status = sp_store_fail(store->db, "savepoint", pool, err);
        goto done;
    }

    progress = sp_progress_start(apr_psprintf(pool, "import %s", kind->name),
                                 (double)sp_csv_size(csv), options->progress, pool);
    ctx.record = &rec;
    rc = 0;
    if (kind->encode != NULL && !options->skip_bad && !ctx.serial) {
        status = pipe_run(&ctx, kind, ncols, progress);
        goto rows_done;
    }
    while ((rc = sp_csv_next(csv, &rec, err)) == 1) {
        if (sp_begin) {
            sqlite3_reset(sp_begin);
            sqlite3_step(sp_begin);
        }
        status = import_row(&ctx, kind, values, ncols);
        if (status == SP_OK) {
            ctx.rows_imported++;
            if (sp_release) {
                sqlite3_reset(sp_release);
                sqlite3_step(sp_release);
            }
        } else if (status == SP_EXIT_DATA && options->skip_bad) {
            sqlite3_reset(sp_undo);
            sqlite3_step(sp_undo);
            sqlite3_reset(sp_release);
            sqlite3_step(sp_release);
            ctx.rows_rejected++;
            if ((status = rejects_write(&ctx, &rejects, (*err)->line, (*err)->column,
                                        (*err)->message)) != SP_OK)
                break;
        } else {
            break;
        }
        status = SP_OK;
        if (err != NULL)
            *err = NULL;
        apr_pool_clear(ctx.row_pool);
        sp_progress_update(progress, (double)sp_csv_offset(csv), ctx.rows_imported);
    }
rows_done:
    sp_progress_end(progress);
    if (status == SP_OK && rc < 0)
        status = rc;
    if (status == SP_OK && rc != 0)
        status = rc;
    if (status != SP_OK)
        goto done;
    if (ctx.rows_imported + ctx.rows_rejected == 0) {
        status = sp_error_set(err, pool, SP_EXIT_DATA, path, header.line + 1, 0,
                              "the file has a header but no data rows");
        goto done;
    }
    if ((kind->end != NULL && (status = kind->end(&ctx)) != SP_OK)
        || (status = ledger_close(&ctx)) != SP_OK)
        goto done;
    if (rejects.f != NULL) {
        if (fclose(rejects.f) != 0) {
            rejects.f = NULL;
            status = sp_error_set(err, pool, SP_EXIT_IO, rejects.tmp_path, 0, 0,
                                  "cannot write the rejects file");
            goto done;
        }
        rejects.f = NULL;
        if (rename(rejects.tmp_path, rejects.path) != 0) {
            status = sp_error_set(err, pool, SP_EXIT_CANTCREAT, rejects.path, 0, 0,
                                  "cannot create the rejects file: %s", strerror(errno));
            goto done;
        }
        result->rejects_path = rejects.path;
    }
    if ((status = sp_store_commit(store, pool, err)) != SP_OK)
        goto done;
    in_tx = 0;
    result->rows_imported = ctx.rows_imported;
    result->rows_rejected = ctx.rows_rejected;
    result->note = ctx.note;
    result->import_id = ctx.import_id;

done:
    free(ctx.scratch.data);
    apr_pool_cleanup_run(pool, &rejects, rejects_discard);
    sqlite3_finalize(sp_begin);
    sqlite3_finalize(sp_release);
    sqlite3_finalize(sp_undo);
    if (status != SP_OK) {
        /* A row-level error lives in row_pool: copy it before the pool goes. */
        if (err != NULL && *err != NULL)
            sp_error_set(err, pool, (*err)->status, (*err)->file, (*err)->line,
                         (*err)->column, "%s", (*err)->message);
        if (in_tx)
            sp_store_rollback(store);
        if (result->rejects_path != NULL)
            unlink(result->rejects_path);
        result->rejects_path = NULL;
    }
    if (kind->flags & SP_KIND_BULK)
        sqlite3_exec(store->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    return status;
}
