/*
 * sp_meter_batch.c -- the meter over many households (sp_meter_int.h):
 * one run of the driver in mode "batch" fed by a CSV file read as it goes
 * or by the workspace's meter_household and meter_answer tables, the
 * numbers kept per household in input order (sp_meter_batch_t), and a
 * refused answer located in the source (file, line and column; or the
 * household's rank in the workspace).
 *
 * Each source is a next_fn that pushes one household's answers table and
 * records its neighbourhood and size in the batch_ctx_t whose host_t it
 * was given; reading errors stop the run through h->src_err.
 */
#include <string.h>
#include <strings.h>
#include <apr_strings.h>
#include "config.h"
#include "sp_meter_int.h"
#include "sp_csv.h"
#include "sp_territory.h"

/* A batch run: the host first (each source's next_fn casts its host_t
 * back), then each household's neighbourhood and size in input order. */
typedef struct batch_ctx_t {
    host_t h;
    apr_array_header_t *neighbourhood;  /* const char * */
    apr_array_header_t *size;           /* double */
    apr_hash_t *names;                  /* interned neighbourhood names */
} batch_ctx_t;

static void
batch_init(batch_ctx_t *b, sp_meter_t *m, apr_pool_t *pool)
{
    memset(b, 0, sizeof *b);
    b->h.m = m;
    b->h.pool = pool;
    b->h.values = apr_array_make(pool, 1024, sizeof(double));
    b->neighbourhood = apr_array_make(pool, 256, sizeof(const char *));
    b->size = apr_array_make(pool, 256, sizeof(double));
    b->names = apr_hash_make(pool);
}

static void
batch_household(batch_ctx_t *b, const char *neighbourhood, size_t len, double size)
{
    const char *nm = apr_hash_get(b->names, neighbourhood, (apr_ssize_t)len);

    if (nm == NULL) {
        nm = apr_pstrmemdup(b->h.pool, neighbourhood, len);
        apr_hash_set(b->names, nm, (apr_ssize_t)len, nm);
    }
    APR_ARRAY_PUSH(b->neighbourhood, const char *) = nm;
    APR_ARRAY_PUSH(b->size, double) = size;
}

static sp_meter_batch_t *
batch_result(batch_ctx_t *b)
{
    sp_meter_batch_t *r = apr_pcalloc(b->h.pool, sizeof *r);
    size_t nres = (size_t)b->h.m->resources->nelts, n = (size_t)b->h.puts, i, k;
    const double *v = (const double *)b->h.values->elts;

    r->n = n;
    r->nres = nres;
    r->neighbourhood = (const char **)b->neighbourhood->elts;
    r->size = (double *)b->size->elts;
    /* put() wrote person, household, total for each household in turn;
     * split them into three n x nres matrices. */
    r->person = apr_palloc(b->h.pool, (n ? n : 1) * nres * sizeof(double));
    r->household = apr_palloc(b->h.pool, (n ? n : 1) * nres * sizeof(double));
    r->total = apr_palloc(b->h.pool, (n ? n : 1) * nres * sizeof(double));
    for (i = 0; i < n; i++)
        for (k = 0; k < nres; k++) {
            r->person[i * nres + k] = v[(i * 3 + 0) * nres + k];
            r->household[i * nres + k] = v[(i * 3 + 1) * nres + k];
            r->total[i * nres + k] = v[(i * 3 + 2) * nres + k];
        }
    return r;
}

/* The question a meter's message names ("car_km_year: 'x' is not a
 * number"), copied into pool, or NULL. */
static const char *
message_question(const char *msg, apr_pool_t *pool)
{
    const char *colon = strchr(msg, ':');

    if (colon == NULL || colon == msg)
        return NULL;
    return apr_pstrmemdup(pool, msg, (apr_size_t)(colon - msg));
}

/* CSV --------------------------------------------------------------------- */

enum { C_HOUSEHOLD, C_NEIGHBOURHOOD, C_SIZE, C_ANSWERED_ON, C_FIXED };
static const char *const fixed_names[C_FIXED][2] = {
    {"household", "menage"}, {"neighbourhood", "quartier"},
    {"household_size", "taille_menage"}, {"answered_on", "date_reponse"}
};

typedef struct csv_src_t {
    sp_csv_t *csv;
    const char *path;
    size_t nfields;
    const char **header;    /* question names (NULL for fixed columns) */
    int fixed[C_FIXED];     /* field of each fixed column, or -1 */
    apr_hash_t *ids;        /* household ids seen */
    long line;              /* line of the current record */
    apr_pool_t *pool;
} csv_src_t;

static int
csv_next(host_t *h, lua_State *L)
{
    batch_ctx_t *b = (batch_ctx_t *)h;
    csv_src_t *s = h->src;
    sp_csv_record_t rec;
    long long size;
    const char *id, *nb = "";
    size_t i, nblen = 0;
    int rc;

    rc = sp_csv_next(s->csv, &rec, &h->src_err);
    if (rc != 1)
        return 0;
    s->line = rec.line;
    if (rec.nfields > s->nfields) {
        sp_error_set(&h->src_err, h->pool, SP_EXIT_DATA, s->path, rec.line, 0,
                     "%ld fields, the header has %ld", (long)rec.nfields, (long)s->nfields);
        return 0;
    }
    id = (size_t)s->fixed[C_HOUSEHOLD] < rec.nfields ? rec.field[s->fixed[C_HOUSEHOLD]] : "";
    if (*id == '\0') {
        sp_error_set(&h->src_err, h->pool, SP_EXIT_DATA, s->path, rec.line,
                     s->fixed[C_HOUSEHOLD] + 1, "household: empty");
        return 0;
    }
    if (apr_hash_get(s->ids, id, APR_HASH_KEY_STRING) != NULL) {
        sp_error_set(&h->src_err, h->pool, SP_EXIT_DATA, s->path, rec.line,
                     s->fixed[C_HOUSEHOLD] + 1, "household: household '%s' appears twice", id);
        return 0;
    }
    id = apr_pstrdup(s->pool, id);
    apr_hash_set(s->ids, id, APR_HASH_KEY_STRING, id);
    if ((size_t)s->fixed[C_SIZE] >= rec.nfields
        || !sp_parse_int(rec.field[s->fixed[C_SIZE]], &size) || size < 1 || size > 100) {
        sp_error_set(&h->src_err, h->pool, SP_EXIT_DATA, s->path, rec.line,
                     s->fixed[C_SIZE] + 1,
                     "household_size: '%s' is not a whole number from 1 to 100",
                     (size_t)s->fixed[C_SIZE] < rec.nfields ? rec.field[s->fixed[C_SIZE]] : "");
        return 0;
    }
    if (s->fixed[C_NEIGHBOURHOOD] >= 0 && (size_t)s->fixed[C_NEIGHBOURHOOD] < rec.nfields) {
        nb = rec.field[s->fixed[C_NEIGHBOURHOOD]];
        nblen = rec.len[s->fixed[C_NEIGHBOURHOOD]];
    }
    lua_createtable(L, 0, (int)s->nfields);                 /* +1 */
    for (i = 0; i < rec.nfields; i++) {
        if (s->header[i] == NULL || rec.len[i] == 0)
            continue;
        lua_pushlstring(L, rec.field[i], rec.len[i]);        /* +2 */
        lua_setfield(L, -2, s->header[i]);                  /* +1 */
    }
    lua_pushinteger(L, (lua_Integer)size);                  /* +2 */
    lua_setfield(L, -2, "household_size");                  /* +1 */
    batch_household(b, nb, nblen, (double)size);
    return 1;
}

int
sp_meter_batch_csv(sp_meter_t *m, const char *path, sp_meter_batch_t **out,
                   apr_pool_t *pool, sp_error_t **err)
{
    batch_ctx_t b;
    csv_src_t s;
    sp_csv_record_t rec;
    size_t i, f;
    long estimate;
    int rc;

    memset(&s, 0, sizeof s);
    s.path = path;
    s.pool = pool;
    s.ids = apr_hash_make(pool);
    if ((rc = sp_csv_open(&s.csv, path, NULL, pool, err)) != SP_OK)
        return rc;
    rc = sp_csv_next(s.csv, &rec, err);
    if (rc != 1)
        return rc == 0 ? sp_error_set(err, pool, SP_EXIT_DATA, path, 1, 0, "no header") : rc;
    s.nfields = rec.nfields;
    s.header = apr_pcalloc(pool, rec.nfields * sizeof *s.header);
    for (f = 0; f < C_FIXED; f++)
        s.fixed[f] = -1;
    for (i = 0; i < rec.nfields; i++) {
        const char *name = rec.field[i];
        int fixed = -1;

        for (f = 0; f < C_FIXED; f++)
            if (strcasecmp(name, fixed_names[f][0]) == 0 || strcasecmp(name, fixed_names[f][1]) == 0)
                fixed = (int)f;
        if (fixed >= 0) {
            if (s.fixed[fixed] >= 0)
                return sp_error_set(err, pool, SP_EXIT_DATA, path, rec.line, (long)i + 1,
                                    "column '%s' appears twice", fixed_names[fixed][0]);
            s.fixed[fixed] = (int)i;
            continue;
        }
        if (!sp_meter_has_question(m, name))
            return sp_meter_unknown_question(m, SP_EXIT_DATA, path, rec.line, (long)i + 1, name,
                                             pool, err);
        for (f = 0; f < i; f++)
            if (s.header[f] != NULL && strcmp(s.header[f], name) == 0)
                return sp_error_set(err, pool, SP_EXIT_DATA, path, rec.line, (long)i + 1,
                                    "column '%s' appears twice", name);
        s.header[i] = apr_pstrdup(pool, name);
    }
    if (s.fixed[C_HOUSEHOLD] < 0 || s.fixed[C_SIZE] < 0)
        return sp_error_set(err, pool, SP_EXIT_DATA, path, rec.line, 0,
                            "missing column '%s': a meter file has household, household_size"
                            " and one column per question",
                            s.fixed[C_HOUSEHOLD] < 0 ? "household" : "household_size");

    batch_init(&b, m, pool);
    b.h.next = csv_next;
    b.h.src = &s;
    /* A row of the meter's CSV is some 40 bytes: budget for at least that many. */
    estimate = (long)(sp_csv_size(s.csv) / 20) + 1;
    if ((rc = sp_meter_run(m, &b.h, "batch", "en", estimate, err)) != SP_OK)
        return rc;
    if (b.h.src_err != NULL) {
        *err = b.h.src_err;
        return b.h.src_err->status;
    }
    if (b.h.refused != NULL) {
        const char *q = message_question(b.h.refused, pool);
        long col = 0;

        for (i = 0; q != NULL && i < s.nfields; i++)
            if (s.header[i] != NULL && strcmp(s.header[i], q) == 0)
                col = (long)i + 1;
        if (q != NULL && strcmp(q, "household_size") == 0)
            col = s.fixed[C_SIZE] + 1;
        return sp_error_set(err, pool, SP_EXIT_DATA, path, s.line, col, "%s", b.h.refused);
    }
    *out = batch_result(&b);
    return SP_OK;
}

/* The workspace ------------------------------------------------------------ */

typedef struct store_src_t {
    sqlite3_stmt *st;
    int row;                  /* SQLITE_ROW when st holds an unread row */
    sqlite3_int64 current;    /* id of the household being read */
    const char *sql_error;
} store_src_t;

static int
store_next(host_t *h, lua_State *L)
{
    batch_ctx_t *b = (batch_ctx_t *)h;
    store_src_t *s = h->src;
    sqlite3_int64 id;

    if (s->row != SQLITE_ROW) {
        if (s->row != SQLITE_DONE)
            sp_error_set(&h->src_err, h->pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                         "reading the meter's households: %s",
                         sqlite3_errmsg(sqlite3_db_handle(s->st)));
        return 0;
    }
    id = sqlite3_column_int64(s->st, 0);
    s->current = id;
    lua_createtable(L, 0, 16);                              /* +1 */
    lua_pushinteger(L, sqlite3_column_int64(s->st, 1));     /* +2 */
    lua_setfield(L, -2, "household_size");                  /* +1 */
    batch_household(b, (const char *)sqlite3_column_text(s->st, 2),
                    (size_t)sqlite3_column_bytes(s->st, 2),
                    (double)sqlite3_column_int64(s->st, 1));
    do {
        if (sqlite3_column_type(s->st, 3) != SQLITE_NULL) {
            lua_pushlstring(L, (const char *)sqlite3_column_text(s->st, 4),
                            (size_t)sqlite3_column_bytes(s->st, 4));      /* +2 */
            lua_setfield(L, -2, (const char *)sqlite3_column_text(s->st, 3)); /* +1 */
        }
        s->row = sqlite3_step(s->st);
    } while (s->row == SQLITE_ROW && sqlite3_column_int64(s->st, 0) == id);
    return 1;
}

static apr_status_t
finalize_cleanup(void *st)
{
    sqlite3_finalize(st);
    return APR_SUCCESS;
}

int
sp_meter_batch_store(sp_meter_t *m, sp_store_t *store, sp_meter_batch_t **out,
                     apr_pool_t *pool, sp_error_t **err)
{
    batch_ctx_t b;
    store_src_t s;
    sqlite3_stmt *st;
    long count = 0;
    int rc;

    /* Refuse a question the meter does not ask before running anything. */
    if (sqlite3_prepare_v2(store->db, "SELECT DISTINCT question FROM meter_answer ORDER BY 1",
                           -1, &st, NULL) != SQLITE_OK)
        return sp_store_fail(store->db, "meter questions", pool, err);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *q = (const char *)sqlite3_column_text(st, 0);

        if (!sp_meter_has_question(m, q)) {
            rc = sp_meter_unknown_question(m, SP_EXIT_DATA, NULL, 0, 0, q, pool, err);
            sqlite3_finalize(st);
            (*err)->message = apr_pstrcat(pool, "the workspace's meter answers: ",
                                          (*err)->message, NULL);
            return rc;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sp_store_fail(store->db, "meter questions", pool, err);
    if (sqlite3_prepare_v2(store->db, "SELECT count(*) FROM meter_household", -1, &st, NULL)
        != SQLITE_OK)
        return sp_store_fail(store->db, "meter households", pool, err);
    if (sqlite3_step(st) == SQLITE_ROW)
        count = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);

    memset(&s, 0, sizeof s);
    if (sqlite3_prepare_v2(store->db,
                           "SELECT h.id, h.household_size, ifnull(n.name, ''), a.question, a.value"
                           " FROM meter_household h"
                           " LEFT JOIN neighbourhood n ON n.id = h.neighbourhood_id"
                           " LEFT JOIN meter_answer a ON a.household_id = h.id"
                           " ORDER BY h.id", -1, &s.st, NULL) != SQLITE_OK)
        return sp_store_fail(store->db, "meter households", pool, err);
    apr_pool_cleanup_register(pool, s.st, finalize_cleanup, apr_pool_cleanup_null);
    s.row = sqlite3_step(s.st);
    batch_init(&b, m, pool);
    b.h.next = store_next;
    b.h.src = &s;
    rc = sp_meter_run(m, &b.h, "batch", "en", count, err);
    sqlite3_reset(s.st);
    if (rc != SP_OK)
        return rc;
    if (b.h.src_err != NULL) {
        *err = b.h.src_err;
        return b.h.src_err->status;
    }
    if (b.h.refused != NULL)
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                            "a household of the workspace (number %ld in import order): %s",
                            b.h.puts + 1, b.h.refused);
    *out = batch_result(&b);
    return SP_OK;
}

int
sp_meter_workspace(sp_store_t *store, const char *territory, sp_meter_t **mout,
                   sp_meter_batch_t **out, apr_pool_t *pool, sp_error_t **err)
{
    sp_meter_config_t cfg;
    sp_territory_t *t;
    sp_meter_t *m;
    sp_error_t *ignored = NULL;
    int rc;

    memset(&cfg, 0, sizeof cfg);
    /* Without a territory (or with several) the default meter is used. */
    if (sp_territory_find(store, territory, &t, pool, &ignored) == SP_OK)
        cfg.territory = t->code;
    else if (territory != NULL)
        return sp_error_set(err, pool, ignored->status, NULL, 0, 0, "%s", ignored->message);
    if ((rc = sp_meter_open(&m, &cfg, pool, err)) != SP_OK
        || (rc = sp_meter_batch_store(m, store, out, pool, err)) != SP_OK)
        return rc;
    if (mout != NULL)
        *mout = m;
    return SP_OK;
}
