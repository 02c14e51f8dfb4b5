/*
 * sp_territory.c -- the territory a report is about (see sp_territory.h).
 */
#include <math.h>
#include <apr_strings.h>
#include "sp_territory.h"

int
sp_territory_find(sp_store_t *store, const char *code, sp_territory_t **t, apr_pool_t *pool,
                  sp_error_t **err)
{
    sqlite3_stmt *s = NULL;
    sp_territory_t *r;
    int rc, status;

    status = sp_store_prepare(store, code ? "SELECT id, code, name, country, population FROM "
                                            "territory WHERE code = ?1"
                                          : "SELECT id, code, name, country, population FROM "
                                            "territory ORDER BY id LIMIT 2", &s, pool, err);
    if (status != SP_OK)
        return status;
    sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        r = apr_pcalloc(pool, sizeof *r);
        r->id = sqlite3_column_int64(s, 0);
        r->code = apr_pstrdup(pool, (const char *)sqlite3_column_text(s, 1));
        r->name = apr_pstrdup(pool, (const char *)sqlite3_column_text(s, 2));
        r->country = apr_pstrdup(pool, (const char *)sqlite3_column_text(s, 3));
        r->population = sqlite3_column_type(s, 4) == SQLITE_NULL ? NAN
                                                                 : sqlite3_column_double(s, 4);
        *t = r;
        if (!code && sqlite3_step(s) == SQLITE_ROW)
            status = sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "this workspace holds "
                                  "several territories: name one with --territory");
    } else if (rc == SQLITE_DONE) {
        status = code ? sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "unknown territory "
                                     "'%s' (create it with `spiral init --territory %s`)", code,
                                     code)
                      : sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "this workspace has "
                                     "no territory (run `spiral init --territory CODE`)");
    } else {
        status = sp_store_fail(store->db, "territory lookup", pool, err);
    }
    sqlite3_finalize(s);
    return status;
}
