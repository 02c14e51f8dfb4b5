/*
 * sp_colstore.c -- builds and loads the columnar chunks of the survey
 * (table column_chunk), see sp_colstore.h.  The rebuild reads respondent
 * once in id order, keeps one chunk of every column in memory, and writes
 * the dictionaries last (they grow while the rows stream by); loading reads
 * every chunk of one column with sqlite3_blob_read straight into a flat
 * array.  sp_scan.c is the only reader.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_tables.h>
#include <apr_strings.h>
#include <jansson.h>
#include "sp_colstore.h"

#define MARKER "#rows"
/* The marker's data: the layout of the chunks.  Chunks of another layout
 * are stale like chunks of another generation (1: weights as doubles or
 * codes; 2: also fixed point). */
#define LAYOUT "2"

/* ---- building -------------------------------------------------------------- */

typedef struct textcol_t {
    const char *name;
    apr_hash_t *codes;          /* value -> (uintptr_t)code */
    apr_array_header_t *values; /* const char *, code k at index k-1 */
    uint16_t *buf;              /* one chunk of codes */
} textcol_t;

typedef struct build_t {
    sqlite3 *db;
    apr_pool_t *pool;
    sqlite3_stmt *ins;
    sqlite3_int64 gen;
    size_t ntext, nitems;
    textcol_t text[6];          /* wave, form, neighbourhood, age_band, gender, social_category */
    const char **items;
    uint8_t *ibuf;              /* nitems x CHUNK */
    double *wbuf;
    size_t fill;                /* rows in the current chunk */
    long chunk;
} build_t;

static const char *const text_names[6] = {
    "wave", "form", "neighbourhood", "age_band", "gender", "social_category"
};

static int
fail(sqlite3 *db, const char *what, apr_pool_t *pool, sp_error_t **err)
{
    return sp_store_fail(db, what, pool, err);
}

static uint16_t
text_code(textcol_t *t, const char *v, apr_pool_t *pool)
{
    void *c;

    if (v == NULL)
        return 0;
    c = apr_hash_get(t->codes, v, APR_HASH_KEY_STRING);
    if (c == NULL) {
        const char *copy = apr_pstrdup(pool, v);

        if (t->values->nelts >= 65535)
            return 0xffff;  /* caller reports */
        APR_ARRAY_PUSH(t->values, const char *) = copy;
        c = (void *)(uintptr_t)t->values->nelts;
        apr_hash_set(t->codes, copy, APR_HASH_KEY_STRING, c);
    }
    return (uint16_t)(uintptr_t)c;
}

static int
insert_chunk(build_t *b, const char *name, const char *dict, const void *data,
             size_t bytes, apr_pool_t *pool, sp_error_t **err)
{
    sqlite3_reset(b->ins);
    sqlite3_bind_text(b->ins, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(b->ins, 2, b->chunk);
    sqlite3_bind_int64(b->ins, 3, b->gen);
    sqlite3_bind_int64(b->ins, 4, (sqlite3_int64)b->fill);
    if (dict)
        sqlite3_bind_text(b->ins, 5, dict, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(b->ins, 5);
    sqlite3_bind_blob64(b->ins, 6, data, (sqlite3_uint64)bytes, SQLITE_STATIC);
    if (sqlite3_step(b->ins) != SQLITE_DONE)
        return fail(b->db, "writing a column chunk", pool, err);
    return SP_OK;
}

static char *
weight_dict(const double *w, size_t n, uint8_t *codes)
{
    double vals[255];
    size_t nv = 0, i, k;
    json_t *a;
    char *s;

    for (i = 0; i < n; i++) {
        for (k = 0; k < nv && memcmp(&vals[k], &w[i], sizeof(double)) != 0; k++)
            ;
        if (k == nv) {
            if (nv == 255)
                return NULL;
            vals[nv++] = w[i];
        }
        codes[i] = (uint8_t)k;
    }
    a = json_array();
    for (k = 0; k < nv; k++)
        json_array_append_new(a, json_real(vals[k]));
    s = json_dumps(a, JSON_COMPACT | JSON_REAL_PRECISION(17));
    json_decref(a);
    return s;
}

/* The weights of a chunk as integers m with w = m * 2^-scale exactly, the
 * smallest such scale (at most 64, so that a scan turns m into its units of
 * 2^-64 with one shift).  Returns 0 when some weight does not fit: negative,
 * not finite, or a range too wide for 63 bits at that scale. */
static int
weight_fixed(const double *w, size_t n, int64_t *m, int *scale)
{
    double top = 0;
    int s = 0, e;
    size_t i;

    for (i = 0; i < n; i++) {
        uint64_t mant;

        if (!(w[i] >= 0) || w[i] > 0x1p62)
            return 0;
        if (w[i] == 0)
            continue;
        if (w[i] > top)
            top = w[i];
        /* w = mant * 2^(e - 53); its lowest set bit is 2^(e - 53 + ctz) */
        mant = (uint64_t)ldexp(frexp(w[i], &e), 53);
        e += __builtin_ctzll(mant) - 53;
        if (-e > s)
            s = -e;
    }
    if (s > 64 || ldexp(top, s) >= 0x1p63)
        return 0;
    for (i = 0; i < n; i++)
        m[i] = (int64_t)ldexp(w[i], s);
    *scale = s;
    return 1;
}

static int
flush_chunk(build_t *b, apr_pool_t *pool, sp_error_t **err)
{
    apr_pool_t *tmp;
    size_t i, k;
    int rc = SP_OK;

    if (b->fill == 0)
        return SP_OK;
    apr_pool_create(&tmp, pool);
    for (k = 0; k < b->ntext && rc == SP_OK; k++) {
        textcol_t *t = &b->text[k];

        if (t->values->nelts <= 255) {
            uint8_t *c8 = apr_palloc(tmp, b->fill);

            for (i = 0; i < b->fill; i++)
                c8[i] = (uint8_t)t->buf[i];
            rc = insert_chunk(b, t->name, NULL, c8, b->fill, pool, err);
        } else {
            rc = insert_chunk(b, t->name, NULL, t->buf, b->fill * 2, pool, err);
        }
    }
    if (rc == SP_OK) {
        uint8_t *codes = apr_palloc(tmp, b->fill);
        char *dict = weight_dict(b->wbuf, b->fill, codes);

        int64_t *m = apr_palloc(tmp, b->fill * sizeof *m);
        int scale;

        if (dict) {
            rc = insert_chunk(b, "weight", dict, codes, b->fill, pool, err);
            free(dict);
        } else if (weight_fixed(b->wbuf, b->fill, m, &scale)) {
            rc = insert_chunk(b, "weight", apr_psprintf(tmp, "{\"scale\":%d}", scale), m,
                              b->fill * sizeof *m, pool, err);
        } else {
            rc = insert_chunk(b, "weight", NULL, b->wbuf, b->fill * sizeof(double), pool, err);
        }
    }
    for (k = 0; k < b->nitems && rc == SP_OK; k++)
        rc = insert_chunk(b, b->items[k], NULL, b->ibuf + k * SP_COLSTORE_CHUNK, b->fill,
                          pool, err);
    apr_pool_destroy(tmp);
    b->chunk++;
    b->fill = 0;
    return rc;
}

/* id -> text for the small tables (waves, forms, neighbourhoods). */
static apr_hash_t *
id_map(sqlite3 *db, const char *sql, apr_pool_t *pool)
{
    apr_hash_t *h = apr_hash_make(pool);
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_int64 *id = apr_palloc(pool, sizeof *id);

        *id = sqlite3_column_int64(st, 0);
        apr_hash_set(h, id, sizeof *id,
                     apr_pstrdup(pool, (const char *)sqlite3_column_text(st, 1)));
    }
    sqlite3_finalize(st);
    return h;
}

static const char *
id_lookup(apr_hash_t *h, sqlite3_stmt *st, int col)
{
    sqlite3_int64 id;

    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return NULL;
    id = sqlite3_column_int64(st, col);
    return apr_hash_get(h, &id, sizeof id);
}

static int
rebuild(sp_store_t *store, sqlite3_int64 gen, apr_pool_t *pool, sp_error_t **err)
{
    sqlite3 *db = store->db;
    build_t b;
    apr_hash_t *waves, *forms, *nbs, *form_pos;
    sqlite3_stmt *st = NULL;
    size_t k, nrows = 0;
    int rc = SP_OK;

    memset(&b, 0, sizeof b);
    b.db = db;
    b.pool = pool;
    b.gen = gen;
    waves = id_map(db, "SELECT id, code FROM survey_wave", pool);
    forms = id_map(db, "SELECT id, code FROM survey_form", pool);
    nbs = id_map(db, "SELECT id, name FROM neighbourhood", pool);
    if (!waves || !forms || !nbs)
        return fail(db, "reading waves, forms and neighbourhoods", pool, err);

    /* Items: every name of every form, in name order; per form the byte
     * (position - 1) of each, or -1. */
    {
        apr_array_header_t *names = apr_array_make(pool, 64, sizeof(const char *));
        apr_hash_t *index = apr_hash_make(pool);

        if (sqlite3_prepare_v2(db, "SELECT DISTINCT name FROM form_item ORDER BY name", -1,
                               &st, NULL) != SQLITE_OK)
            return fail(db, "reading form items", pool, err);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *nm = apr_pstrdup(pool, (const char *)sqlite3_column_text(st, 0));

            apr_hash_set(index, nm, APR_HASH_KEY_STRING, (void *)(uintptr_t)(names->nelts + 1));
            APR_ARRAY_PUSH(names, const char *) = nm;
        }
        sqlite3_finalize(st);
        b.items = (const char **)names->elts;
        b.nitems = (size_t)names->nelts;
        form_pos = apr_hash_make(pool);
        if (sqlite3_prepare_v2(db, "SELECT form_id, position, name FROM form_item", -1, &st,
                               NULL) != SQLITE_OK)
            return fail(db, "reading form items", pool, err);
        while (sqlite3_step(st) == SQLITE_ROW) {
            sqlite3_int64 fid = sqlite3_column_int64(st, 0);
            int *pos = apr_hash_get(form_pos, &fid, sizeof fid);
            size_t it = (size_t)(uintptr_t)apr_hash_get(index, sqlite3_column_text(st, 2),
                                                        APR_HASH_KEY_STRING);

            if (pos == NULL) {
                sqlite3_int64 *key = apr_palloc(pool, sizeof *key);

                *key = fid;
                pos = apr_palloc(pool, (b.nitems + 1) * sizeof *pos);
                for (k = 0; k < b.nitems; k++)
                    pos[k] = -1;
                apr_hash_set(form_pos, key, sizeof *key, pos);
            }
            if (it > 0)
                pos[it - 1] = sqlite3_column_int(st, 1) - 1;
        }
        sqlite3_finalize(st);
        st = NULL;
    }

    b.ntext = 6;
    for (k = 0; k < b.ntext; k++) {
        b.text[k].name = text_names[k];
        b.text[k].codes = apr_hash_make(pool);
        b.text[k].values = apr_array_make(pool, 16, sizeof(const char *));
        b.text[k].buf = apr_palloc(pool, SP_COLSTORE_CHUNK * sizeof(uint16_t));
    }
    b.ibuf = apr_palloc(pool, (b.nitems ? b.nitems : 1) * SP_COLSTORE_CHUNK);
    b.wbuf = apr_palloc(pool, SP_COLSTORE_CHUNK * sizeof(double));

    if ((rc = sp_store_exec(store, "DELETE FROM column_chunk", pool, err)) != SP_OK)
        return rc;
    if (sqlite3_prepare_v2(db, "INSERT INTO column_chunk (column_name, chunk, generation, "
                           "nrows, dictionary, data) VALUES (?, ?, ?, ?, ?, ?)", -1, &b.ins,
                           NULL) != SQLITE_OK)
        return fail(db, "preparing the chunk writer", pool, err);
    if (sqlite3_prepare_v2(db, "SELECT wave_id, form_id, neighbourhood_id, age_band, gender, "
                           "social_category, weight, levels FROM respondent ORDER BY id", -1,
                           &st, NULL) != SQLITE_OK) {
        rc = fail(db, "reading respondents", pool, err);
        goto done;
    }
    for (;;) {
        int s = sqlite3_step(st);
        const char *v[6];
        const uint8_t *levels;
        int nlev, *pos;
        sqlite3_int64 fid;

        if (s == SQLITE_DONE)
            break;
        if (s != SQLITE_ROW) {
            rc = fail(db, "reading respondents", pool, err);
            goto done;
        }
        v[0] = id_lookup(waves, st, 0);
        v[1] = id_lookup(forms, st, 1);
        v[2] = id_lookup(nbs, st, 2);
        v[3] = sp_store_text(st, 3);
        v[4] = sp_store_text(st, 4);
        v[5] = sp_store_text(st, 5);
        for (k = 0; k < 6; k++) {
            uint16_t c = text_code(&b.text[k], v[k], pool);

            if (c == 0xffff) {
                rc = sp_error_set(err, pool, SP_EXIT_DATA, store->path, 0, 0,
                                  "column %s has more than 65534 distinct values", text_names[k]);
                goto done;
            }
            b.text[k].buf[b.fill] = c;
        }
        b.wbuf[b.fill] = sqlite3_column_double(st, 6);
        levels = sqlite3_column_blob(st, 7);
        nlev = sqlite3_column_bytes(st, 7);
        fid = sqlite3_column_int64(st, 1);
        pos = apr_hash_get(form_pos, &fid, sizeof fid);
        for (k = 0; k < b.nitems; k++) {
            int p = pos ? pos[k] : -1;

            b.ibuf[k * SP_COLSTORE_CHUNK + b.fill] = (p >= 0 && p < nlev) ? levels[p] : 0;
        }
        nrows++;
        if (++b.fill == SP_COLSTORE_CHUNK && (rc = flush_chunk(&b, pool, err)) != SP_OK)
            goto done;
    }
    if ((rc = flush_chunk(&b, pool, err)) != SP_OK)
        goto done;

    /* Dictionaries with chunk 0 (a column of zero rows gets an empty chunk). */
    {
        sqlite3_stmt *up;

        sqlite3_finalize(st);
        st = NULL;
        if (sqlite3_prepare_v2(db, "INSERT INTO column_chunk (column_name, chunk, generation, "
                               "nrows, dictionary, data) VALUES (?1, 0, ?2, 0, ?3, x'') "
                               "ON CONFLICT (column_name, chunk) DO UPDATE SET dictionary = ?3",
                               -1, &up, NULL) != SQLITE_OK) {
            rc = fail(db, "writing dictionaries", pool, err);
            goto done;
        }
        for (k = 0; k < b.ntext && rc == SP_OK; k++) {
            json_t *a = json_array();
            char *s;
            int i;

            for (i = 0; i < b.text[k].values->nelts; i++)
                json_array_append_new(a, json_string(APR_ARRAY_IDX(b.text[k].values, i,
                                                                   const char *)));
            s = json_dumps(a, JSON_COMPACT);
            json_decref(a);
            sqlite3_reset(up);
            sqlite3_bind_text(up, 1, text_names[k], -1, SQLITE_STATIC);
            sqlite3_bind_int64(up, 2, gen);
            sqlite3_bind_text(up, 3, s, -1, SQLITE_TRANSIENT);
            free(s);
            if (sqlite3_step(up) != SQLITE_DONE)
                rc = fail(db, "writing dictionaries", pool, err);
        }
        sqlite3_finalize(up);
        if (rc != SP_OK)
            goto done;
    }
    /* The marker: row count, and the list of item columns in order. */
    {
        json_t *a = json_array();
        char *s;

        for (k = 0; k < b.nitems; k++)
            json_array_append_new(a, json_string(b.items[k]));
        s = json_dumps(a, JSON_COMPACT);
        json_decref(a);
        b.chunk = 0;
        b.fill = nrows;
        rc = insert_chunk(&b, MARKER, s, LAYOUT, strlen(LAYOUT), pool, err);
        free(s);
    }
done:
    sqlite3_finalize(st);
    sqlite3_finalize(b.ins);
    return rc;
}

static int
stale(sqlite3 *db, sqlite3_int64 *gen, int *is_stale, apr_pool_t *pool, sp_error_t **err)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(db, "SELECT (SELECT value FROM survey_generation WHERE id = 1), "
                           "(SELECT generation FROM column_chunk WHERE column_name = '" MARKER
                           "' AND chunk = 0), "
                           "(SELECT count(*) FROM column_chunk WHERE generation <> "
                           "(SELECT value FROM survey_generation WHERE id = 1)), "
                           "(SELECT CAST(data AS TEXT) = '" LAYOUT "' FROM column_chunk "
                           "WHERE column_name = '" MARKER "' AND chunk = 0)", -1, &st,
                           NULL) != SQLITE_OK)
        return fail(db, "checking the columnar chunks", pool, err);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        return fail(db, "checking the columnar chunks", pool, err);
    }
    *gen = sqlite3_column_int64(st, 0);
    *is_stale = sqlite3_column_type(st, 1) == SQLITE_NULL
        || sqlite3_column_int64(st, 1) != *gen || sqlite3_column_int64(st, 2) != 0
        || sqlite3_column_int64(st, 3) != 1;
    sqlite3_finalize(st);
    return SP_OK;
}

int
sp_colstore_refresh(sp_store_t *store, int *rebuilt, apr_pool_t *pool, sp_error_t **err)
{
    sqlite3_int64 gen;
    int is_stale, rc;

    if (rebuilt)
        *rebuilt = 0;
    if ((rc = stale(store->db, &gen, &is_stale, pool, err)) != SP_OK || !is_stale)
        return rc;
    if ((rc = sp_store_begin(store, pool, err)) != SP_OK)
        return rc;
    /* Another process may have rebuilt while we waited for the lock. */
    if ((rc = stale(store->db, &gen, &is_stale, pool, err)) != SP_OK)
        goto fail;
    if (is_stale && (rc = rebuild(store, gen, pool, err)) != SP_OK)
        goto fail;
    if ((rc = sp_store_commit(store, pool, err)) != SP_OK)
        goto fail;
    if (rebuilt)
        *rebuilt = is_stale;
    return SP_OK;
fail:
    sp_store_rollback(store);
    return rc;
}

/* ---- reading --------------------------------------------------------------- */

static int
marker(sp_store_t *store, size_t *nrows, json_t **items, apr_pool_t *pool, sp_error_t **err)
{
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(store->db, "SELECT nrows, dictionary FROM column_chunk WHERE "
                           "column_name = '" MARKER "' AND chunk = 0", -1, &st, NULL) != SQLITE_OK)
        return fail(store->db, "reading the columnar chunks", pool, err);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, store->path, 0, 0,
                            "the columnar chunks are missing (refresh first)");
    }
    *nrows = (size_t)sqlite3_column_int64(st, 0);
    if (items)
        *items = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
    sqlite3_finalize(st);
    return SP_OK;
}

int
sp_colstore_columns(sp_store_t *store, const char ***names, size_t *n, size_t *nrows,
                    apr_pool_t *pool, sp_error_t **err)
{
    json_t *items = NULL;
    size_t k, ni;
    int rc;

    if ((rc = marker(store, nrows, &items, pool, err)) != SP_OK)
        return rc;
    ni = json_is_array(items) ? json_array_size(items) : 0;
    *names = apr_palloc(pool, (7 + ni + 1) * sizeof(char *));
    for (k = 0; k < 6; k++)
        (*names)[k] = text_names[k];
    (*names)[6] = "weight";
    for (k = 0; k < ni; k++)
        (*names)[7 + k] = apr_pstrdup(pool, json_string_value(json_array_get(items, k)));
    (*names)[7 + ni] = NULL;
    *n = 7 + ni;
    json_decref(items);
    return SP_OK;
}

/* The column without its data: name, rows, width, dictionary. */
static int
describe(sp_store_t *store, const char *name, sp_column_t **out, apr_pool_t *pool,
         sp_error_t **err)
{
    sqlite3 *db = store->db;
    sqlite3_stmt *st = NULL;
    sp_column_t *col;
    size_t nrows, k;
    int rc, is_text = 0, known;

    if ((rc = marker(store, &nrows, NULL, pool, err)) != SP_OK)
        return rc;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM column_chunk WHERE column_name = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return fail(db, "reading a column", pool, err);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    known = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0;
    sqlite3_finalize(st);
    if (!known && strcmp(name, "weight") != 0)
        for (k = 0; k < 6; k++)
            known |= strcmp(name, text_names[k]) == 0;
    if (!known || strcmp(name, MARKER) == 0)
        return sp_error_set(err, pool, SP_EXIT_USAGE, store->path, 0, 0, "no column %s", name);
    for (k = 0; k < 6; k++)
        if (strcmp(name, text_names[k]) == 0)
            is_text = 1;
    col = apr_pcalloc(pool, sizeof *col);
    col->name = apr_pstrdup(pool, name);
    col->nrows = nrows;
    if (is_text) {
        json_t *d;

        if (sqlite3_prepare_v2(db, "SELECT dictionary FROM column_chunk WHERE column_name = ? "
                               "AND chunk = 0", -1, &st, NULL) != SQLITE_OK)
            return fail(db, "reading a dictionary", pool, err);
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        d = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT
            ? json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL) : NULL;
        sqlite3_finalize(st);
        col->nvalues = json_is_array(d) ? json_array_size(d) : 0;
        col->values = apr_palloc(pool, (col->nvalues + 1) * sizeof(char *));
        col->values[0] = "";
        for (k = 0; k < col->nvalues; k++)
            col->values[k + 1] = apr_pstrdup(pool, json_string_value(json_array_get(d, k)));
        json_decref(d);
        col->width = col->nvalues > 255 ? 2 : 1;
    } else if (strcmp(name, "weight") == 0) {
        col->width = 8;
        col->values = apr_pcalloc(pool, sizeof(char *));
        col->values[0] = "";
    } else {
        /* Items: code = level byte; values "1".."255". */
        col->width = 1;
        col->nvalues = 255;
        col->values = apr_palloc(pool, 256 * sizeof(char *));
        col->values[0] = "";
        for (k = 1; k < 256; k++)
            col->values[k] = apr_psprintf(pool, "%ld", (long)k);
    }
    *out = col;
    return SP_OK;
}

int
sp_colstore_describe(sp_store_t *store, const char *name, sp_column_t **col, apr_pool_t *pool,
                     sp_error_t **err)
{
    return describe(store, name, col, pool, err);
}

struct sp_colstore_reader_t {
    sqlite3 *db;
    int own;                /* db opened here */
    sqlite3_stmt *find;
    sqlite3_blob *blob;
    uint8_t *tmp;
    const char *path;
};

static apr_status_t
reader_close(void *data)
{
    sp_colstore_reader_t *rd = data;

    if (rd->blob)
        sqlite3_blob_close(rd->blob);
    sqlite3_finalize(rd->find);
    if (rd->own)
        sqlite3_close(rd->db);
    free(rd->tmp);
    return APR_SUCCESS;
}

int
sp_colstore_reader_open(sp_store_t *store, int own_connection, sp_colstore_reader_t **out,
                        apr_pool_t *pool, sp_error_t **err)
{
    sp_colstore_reader_t *rd = apr_pcalloc(pool, sizeof *rd);

    rd->path = store->path;
    if (own_connection) {
        if (sqlite3_open_v2(store->path, &rd->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                            NULL) != SQLITE_OK) {
            int rc = sp_error_set(err, pool, SP_EXIT_IO, store->path, 0, 0, "cannot open: %s",
                                  sqlite3_errmsg(rd->db));

            sqlite3_close(rd->db);
            return rc;
        }
        rd->own = 1;
    } else {
        rd->db = store->db;
    }
    apr_pool_cleanup_register(pool, rd, reader_close, apr_pool_cleanup_null);
    /* Chunks are read from the mapped file, not copied by read(2). */
    sqlite3_exec(rd->db, "PRAGMA mmap_size = 4294967296", NULL, NULL, NULL);
    rd->tmp = malloc(SP_COLSTORE_CHUNK * 2);
    if (rd->tmp == NULL
        || sqlite3_prepare_v2(rd->db, "SELECT rowid, nrows, length(data), dictionary FROM "
                              "column_chunk WHERE column_name = ? AND chunk = ?", -1, &rd->find,
                              NULL) != SQLITE_OK)
        return fail(rd->db, "preparing the chunk reader", pool, err);
    *out = rd;
    return SP_OK;
}

/* Find chunk `chunk` of col and read its bytes into buf when they are the
 * values themselves (*direct), else into rd->tmp (one-byte codes).  The
 * dictionary stays readable in rd->find until the next call. */
static int
read_chunk(sp_colstore_reader_t *rd, const sp_column_t *col, size_t chunk, void *buf,
           size_t *nrows, int *direct, const char **why)
{
    size_t n, bytes;
    sqlite3_int64 rowid;

    *nrows = 0;
    sqlite3_reset(rd->find);
    sqlite3_bind_text(rd->find, 1, col->name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(rd->find, 2, (sqlite3_int64)chunk);
    if (sqlite3_step(rd->find) != SQLITE_ROW) {
        *why = "a column chunk is missing";
        return SP_EXIT_SOFTWARE;
    }
    rowid = sqlite3_column_int64(rd->find, 0);
    n = (size_t)sqlite3_column_int64(rd->find, 1);
    bytes = (size_t)sqlite3_column_int64(rd->find, 2);
    if (n == 0)
        return SP_OK;
    *direct = bytes == n * (size_t)col->width;
    if (n > SP_COLSTORE_CHUNK || (!*direct && bytes != n)) {
        *why = "a column chunk has an unexpected size";
        return SP_EXIT_SOFTWARE;
    }
    if (rd->blob == NULL ? sqlite3_blob_open(rd->db, "main", "column_chunk", "data", rowid, 0,
                                             &rd->blob)
                         : sqlite3_blob_reopen(rd->blob, rowid)) {
        *why = sqlite3_errmsg(rd->db);
        return SP_EXIT_SOFTWARE;
    }
    if (sqlite3_blob_read(rd->blob, *direct ? buf : rd->tmp, (int)bytes, 0) != SQLITE_OK) {
        *why = sqlite3_errmsg(rd->db);
        return SP_EXIT_IO;
    }
    *nrows = n;
    return SP_OK;
}

int
sp_colstore_read_weights(sp_colstore_reader_t *rd, const sp_column_t *col, size_t chunk,
                         void *buf, sp_colstore_weights_t *out, const char **why)
{
    const char *dict;
    json_t *d;
    size_t k;
    int direct = 1, rc;

    memset(out, 0, sizeof *out);
    out->value = buf;
    if ((rc = read_chunk(rd, col, chunk, buf, &out->n, &direct, why)) != SP_OK || out->n == 0)
        return rc;
    dict = (const char *)sqlite3_column_text(rd->find, 3);
    if (direct && dict == NULL)
        return SP_OK;
    d = json_loads(dict ? dict : "", 0, NULL);
    if (direct && json_is_integer(json_object_get(d, "scale"))) {
        out->value = NULL;
        out->fixed = buf;
        out->scale = (int)json_integer_value(json_object_get(d, "scale"));
    } else if (!direct && json_is_array(d) && json_array_size(d) <= 255) {
        out->value = NULL;
        out->code = rd->tmp;
        out->ndict = json_array_size(d);
        for (k = 0; k < out->ndict; k++)
            out->dict[k] = json_real_value(json_array_get(d, k));
        for (k = 0; k < out->n; k++)
            if (rd->tmp[k] >= out->ndict)
                out->value = NULL, out->code = NULL;
    }
    json_decref(d);
    if (out->value == NULL && out->fixed == NULL && out->code == NULL) {
        *why = "a chunk of weights has a bad dictionary";
        return SP_EXIT_SOFTWARE;
    }
    if (out->fixed && (out->scale < 0 || out->scale > 64)) {
        *why = "a chunk of weights has a bad scale";
        return SP_EXIT_SOFTWARE;
    }
    return SP_OK;
}

int
sp_colstore_read(sp_colstore_reader_t *rd, const sp_column_t *col, size_t chunk, void *buf,
                 size_t *nrows, const char **why)
{
    size_t k;
    int direct = 1, rc;

    if (col->width == 8) {
        sp_colstore_weights_t wt;
        double *w = buf;

        if ((rc = sp_colstore_read_weights(rd, col, chunk, buf, &wt, why)) != SP_OK)
            return rc;
        for (k = 0; wt.fixed && k < wt.n; k++)
            w[k] = ldexp((double)wt.fixed[k], -wt.scale);
        for (k = 0; wt.code && k < wt.n; k++)
            w[k] = wt.dict[wt.code[k]];
        *nrows = wt.n;
        return SP_OK;
    }
    if ((rc = read_chunk(rd, col, chunk, buf, nrows, &direct, why)) != SP_OK)
        return rc;
    if (!direct && col->width == 2) {
        uint16_t *c = buf;

        for (k = 0; k < *nrows; k++)
            c[k] = rd->tmp[k];
    }
    return SP_OK;
}

size_t
sp_colstore_nchunks(const sp_column_t *col)
{
    return (col->nrows + SP_COLSTORE_CHUNK - 1) / SP_COLSTORE_CHUNK;
}

int
sp_colstore_load(sp_store_t *store, const char *name, sp_column_t **out, apr_pool_t *pool,
                 sp_error_t **err)
{
    sp_colstore_reader_t *rd;
    sp_column_t *col;
    size_t c, at = 0, n;
    const char *why = NULL;
    int rc;

    if ((rc = describe(store, name, &col, pool, err)) != SP_OK
        || (rc = sp_colstore_reader_open(store, 0, &rd, pool, err)) != SP_OK)
        return rc;
    col->data = apr_palloc(pool, col->nrows * (size_t)col->width + 1);
    for (c = 0; c < sp_colstore_nchunks(col); c++) {
        if ((rc = sp_colstore_read(rd, col, c, (uint8_t *)col->data + at * (size_t)col->width,
                                   &n, &why)) != SP_OK)
            return sp_error_set(err, pool, rc, store->path, 0, 0, "column %s: %s", name, why);
        at += n;
    }
    if (at != col->nrows)
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, store->path, 0, 0,
                            "column %s: the chunks hold %ld rows, the table %ld", name, (long)at,
                            (long)col->nrows);
    *out = col;
    return SP_OK;
}
