/*
 * sp_store.c -- opening, migrating and transacting on the workspace file.
 *
 * The schema itself is in sp_schema.c; this file applies it.  Migrations run
 * inside one transaction each, so a workspace is always at a whole version.
 */
#include <string.h>
#include <unistd.h>
#include <apr_strings.h>
#include "sp_store.h"

static apr_status_t
close_db(void *data)
{
    sp_store_t *store = data;

    if (store->db != NULL) {
        sqlite3_close_v2(store->db);
        store->db = NULL;
    }
    return APR_SUCCESS;
}

int
sp_store_fail(sqlite3 *db, const char *what, apr_pool_t *pool, sp_error_t **err)
{
    return sp_error_set(err, pool, SP_EXIT_SOFTWARE, sqlite3_db_filename(db, "main"),
                        0, 0, "%s: %s", what, sqlite3_errmsg(db));
}

const char *
sp_store_text(sqlite3_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

const char *
sp_store_text_or_empty(sqlite3_stmt *st, int col)
{
    const char *s = sp_store_text(st, col);

    return s ? s : "";
}

int
sp_store_version(sqlite3 *db)
{
    sqlite3_stmt *stmt;
    int version = -1;

    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        version = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return version;
}

int
sp_store_migrate(sqlite3 *db, int target, apr_pool_t *pool, sp_error_t **err)
{
    int version = sp_store_version(db);
    int latest = sp_schema_version();

    if (version < 0)
        return sp_store_fail(db, "cannot read the schema version", pool, err);
    if (version > latest)
        return sp_error_set(err, pool, SP_EXIT_DATA, sqlite3_db_filename(db, "main"), 0, 0,
                            "workspace schema version %d is newer than this program's (%d); "
                            "upgrade spiral", version, latest);
    if (target > latest)
        target = latest;
    while (version < target) {
        char *sql = apr_psprintf(pool, "BEGIN IMMEDIATE;\n%s\nPRAGMA user_version = %d;\nCOMMIT;",
                                 sp_schema_migrations[version], version + 1);
        char *msg = NULL;

        if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
            int status = sp_error_set(err, pool, SP_EXIT_SOFTWARE, sqlite3_db_filename(db, "main"),
                                      0, 0, "migration %d -> %d failed: %s", version,
                                      version + 1, msg ? msg : sqlite3_errmsg(db));
            sqlite3_free(msg);
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return status;
        }
        version++;
    }
    return SP_OK;
}

int
sp_store_open(sp_store_t **out, const char *path, int flags, apr_pool_t *pool,
              sp_error_t **err)
{
    sp_store_t *store = apr_pcalloc(pool, sizeof *store);
    int oflags = SQLITE_OPEN_NOMUTEX;
    int status;

    if (flags & SP_STORE_READONLY)
        oflags |= SQLITE_OPEN_READONLY;
    else if (flags & SP_STORE_NOCREATE)
        oflags |= SQLITE_OPEN_READWRITE;
    else
        oflags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if ((flags & (SP_STORE_READONLY | SP_STORE_NOCREATE)) && access(path, F_OK) != 0)
        return sp_error_set(err, pool, SP_EXIT_NOINPUT, path, 0, 0,
                            "no workspace here (create one with `spiral init`)");

    store->path = apr_pstrdup(pool, path);
    store->pool = pool;
    if (sqlite3_open_v2(path, &store->db, oflags, NULL) != SQLITE_OK) {
        status = sp_error_set(err, pool, SP_EXIT_CANTCREAT, path, 0, 0,
                              "cannot open workspace: %s",
                              store->db ? sqlite3_errmsg(store->db) : "out of memory");
        sqlite3_close_v2(store->db);
        return status;
    }
    apr_pool_cleanup_register(pool, store, close_db, apr_pool_cleanup_null);
    sqlite3_extended_result_codes(store->db, 1);
    sqlite3_busy_timeout(store->db, 5000);

    /* A file that is not a database is bad input, not a bug. */
    if (sqlite3_exec(store->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) != SQLITE_OK)
        return sp_error_set(err, pool, SP_EXIT_DATA, path, 0, 0,
                            "not a spiral workspace: %s", sqlite3_errmsg(store->db));
    if (!(flags & SP_STORE_READONLY)) {
        if (sqlite3_exec(store->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK)
            return sp_store_fail(store->db, "cannot enable WAL", pool, err);
        sqlite3_exec(store->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
    }
    if (sqlite3_exec(store->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK)
        return sp_store_fail(store->db, "cannot enable foreign keys", pool, err);
    if (!(flags & SP_STORE_READONLY)) {
        if ((status = sp_store_migrate(store->db, sp_schema_version(), pool, err)) != SP_OK)
            return status;
    } else if (sp_store_version(store->db) != sp_schema_version()) {
        return sp_error_set(err, pool, SP_EXIT_DATA, path, 0, 0,
                            "workspace is at schema version %d, this program needs %d; "
                            "open it once read-write to migrate",
                            sp_store_version(store->db), sp_schema_version());
    }
    *out = store;
    return SP_OK;
}

int
sp_store_exec(sp_store_t *store, const char *sql, apr_pool_t *pool, sp_error_t **err)
{
    char *msg = NULL;
    int status = SP_OK;

    if (sqlite3_exec(store->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        status = sp_error_set(err, pool, SP_EXIT_SOFTWARE, store->path, 0, 0, "%s",
                              msg ? msg : sqlite3_errmsg(store->db));
        sqlite3_free(msg);
    }
    return status;
}

int
sp_store_prepare(sp_store_t *store, const char *sql, sqlite3_stmt **stmt,
                 apr_pool_t *pool, sp_error_t **err)
{
    if (sqlite3_prepare_v2(store->db, sql, -1, stmt, NULL) != SQLITE_OK)
        return sp_store_fail(store->db, "cannot prepare statement", pool, err);
    return SP_OK;
}

int
sp_store_begin(sp_store_t *store, apr_pool_t *pool, sp_error_t **err)
{
    return sp_store_exec(store, "BEGIN IMMEDIATE", pool, err);
}

int
sp_store_commit(sp_store_t *store, apr_pool_t *pool, sp_error_t **err)
{
    return sp_store_exec(store, "COMMIT", pool, err);
}

void
sp_store_rollback(sp_store_t *store)
{
    if (!sqlite3_get_autocommit(store->db))
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
}
