/*
 * sp_store.h -- the workspace: one SQLite file holding every SPIRAL object.
 *
 * Opening a workspace applies the ordered schema migrations (sp_schema.c) up
 * to SP_SCHEMA_VERSION, turns on WAL and foreign keys, and registers the SQL
 * functions the rest of the core relies on.  Every change a command makes is
 * one transaction (sp_store_begin / commit / rollback), so a failed import or
 * script run leaves the database as it was.
 */
#ifndef SP_STORE_H
#define SP_STORE_H

#include <sqlite3.h>
#include <apr_pools.h>
#include "sp_error.h"

#define SP_STORE_READONLY 0x1 /* open an existing workspace read-only */
#define SP_STORE_NOCREATE 0x2 /* fail when the file does not exist */

typedef struct sp_store_t {
    sqlite3 *db;
    const char *path;   /* as given */
    apr_pool_t *pool;   /* lifetime of the handle */
} sp_store_t;

/* Open (creating when allowed) and migrate the workspace at path.  The
 * handle is closed by a cleanup registered on pool. */
int sp_store_open(sp_store_t **store, const char *path, int flags,
                  apr_pool_t *pool, sp_error_t **err);

/* Apply migrations to db from its current user_version up to target
 * (tests use it to build every earlier version). */
int sp_store_migrate(sqlite3 *db, int target, apr_pool_t *pool, sp_error_t **err);

/* The schema version of db (PRAGMA user_version). */
int sp_store_version(sqlite3 *db);

/* Transactions: begin is BEGIN IMMEDIATE so a writer fails early when
 * another holds the lock. */
int sp_store_begin(sp_store_t *store, apr_pool_t *pool, sp_error_t **err);
int sp_store_commit(sp_store_t *store, apr_pool_t *pool, sp_error_t **err);
void sp_store_rollback(sp_store_t *store);

/* Run sql (no result rows) and turn a failure into an error record. */
int sp_store_exec(sp_store_t *store, const char *sql, apr_pool_t *pool,
                  sp_error_t **err);

/* Prepare sql; on failure fill *err (SP_EXIT_SOFTWARE) with SQLite's message. */
int sp_store_prepare(sp_store_t *store, const char *sql, sqlite3_stmt **stmt,
                     apr_pool_t *pool, sp_error_t **err);

/* Report an unexpected SQLite failure on db as SP_EXIT_SOFTWARE. */
int sp_store_fail(sqlite3 *db, const char *what, apr_pool_t *pool, sp_error_t **err);

/* Column col of the current row of st as UTF-8 text: NULL for SQL NULL,
 * otherwise SQLite's own buffer (numbers are converted), valid until st is
 * stepped, reset or finalized, or the column is read as another type.  NULL
 * also when SQLite runs out of memory converting the value. */
const char *sp_store_text(sqlite3_stmt *st, int col);

/* The same, but "" where sp_store_text gives NULL: for callers that treat a
 * missing value as an empty string (JSON output, keys, comparisons). */
const char *sp_store_text_or_empty(sqlite3_stmt *st, int col);

/* Schema migrations, in order; sp_schema_migrations[i] moves the schema
 * from version i to i + 1. */
extern const char *const sp_schema_migrations[];
#define SP_SCHEMA_VERSION sp_schema_version()
int sp_schema_version(void);

#endif
