/*
 * sp_import_kit.c -- statements and code grammar shared by the domain
 * import kinds (see sp_import_kit.h).
 */
#include <string.h>
#include <apr_strings.h>
#include "sp_criteria.h"
#include "sp_import_kit.h"

typedef struct stmt_set_t {
    sqlite3_stmt **stmts;
    int n;
} stmt_set_t;

static apr_status_t
finalize_set(void *data)
{
    stmt_set_t *set = data;
    int i;

    for (i = 0; i < set->n; i++) {
        sqlite3_finalize(set->stmts[i]);
        set->stmts[i] = NULL;
    }
    return APR_SUCCESS;
}

int
sp_import_prepare(sp_import_ctx_t *ctx, const char *const *sql, int n, const char *what,
                  sqlite3_stmt ***stmts)
{
    stmt_set_t *set = apr_palloc(ctx->pool, sizeof *set);
    int i;

    set->stmts = apr_pcalloc(ctx->pool, sizeof(sqlite3_stmt *) * (size_t)(n + 1));
    set->n = n;
    /* Registered first: statements prepared before a failure are released too. */
    apr_pool_cleanup_register(ctx->pool, set, finalize_set, apr_pool_cleanup_null);
    *stmts = set->stmts;
    for (i = 0; i < n; i++)
        if (sqlite3_prepare_v2(ctx->store->db, sql[i], -1, &set->stmts[i], NULL) != SQLITE_OK)
            return sp_store_fail(ctx->store->db, what, ctx->pool, ctx->err);
    return SP_OK;
}

int
sp_import_begin_stmts(sp_import_ctx_t *ctx, const char *const *sql, int n, const char *what)
{
    sqlite3_stmt **s;
    int status = sp_import_prepare(ctx, sql, n, what, &s);

    ctx->kind_data = s;
    return status;
}

int
sp_import_exec(sp_import_ctx_t *ctx, sqlite3_stmt *stmt, const char *what)
{
    int rc = sqlite3_step(stmt), status = SP_OK;

    if (rc != SQLITE_DONE)
        status = sp_store_fail(ctx->store->db, what, ctx->pool, ctx->err);
    sqlite3_reset(stmt);
    return status;
}

int
sp_import_lookup(sp_import_ctx_t *ctx, sqlite3_stmt *stmt, sqlite3_int64 *id, int *found)
{
    int rc = sqlite3_step(stmt), status = SP_OK;

    *found = rc == SQLITE_ROW;
    if (*found)
        *id = sqlite3_column_int64(stmt, 0);
    else if (rc != SQLITE_DONE)
        status = sp_store_fail(ctx->store->db, sqlite3_sql(stmt), ctx->pool, ctx->err);
    sqlite3_reset(stmt);
    return status;
}

void
sp_import_bind_optional(sqlite3_stmt *stmt, int i, const sp_import_value_t *v)
{
    if (v->present)
        sqlite3_bind_text(stmt, i, v->text, (int)v->len, SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, i);
}

int
sp_import_need_territory(sp_import_ctx_t *ctx, const char *why)
{
    if (ctx->territory_id != 0)
        return SP_OK;
    return sp_error_set(ctx->err, ctx->pool, SP_EXIT_DATA, ctx->path, 0, 0,
                        "the workspace has no territory yet (%s): run `spiral init "
                        "--territory CODE` first", why);
}

int
sp_import_object_ok(const char *s)
{
    return sp_criteria_level_of(s) != 0;
}
