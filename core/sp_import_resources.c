/*
 * sp_import_resources.c -- resources, their limits and their actual use.
 *
 * `resources` defines what is counted (CO2e, water, land...) with its unit
 * and whether it renews; `limits` is the plan's reference table of limits,
 * where every figure carries its source and a non-renewable resource's
 * limit is zero (the plan asks for zero use of them); `usage` is the
 * territory's dashboard of actual use per year, city-wide or per
 * neighbourhood, one figure per resource, place and year.
 */
#include <string.h>
#include <apr_strings.h>
#include "sp_import_kit.h"

/* --- resources ------------------------------------------------------------ */

enum { R_CODE, R_LABEL_FR, R_LABEL_EN, R_UNIT, R_RENEWABLE };

/* Even indexes mean yes. */
static const char *const yes_no[] = {"yes", "no", "1", "0", "true", "false", "oui", "non", NULL};

static const sp_import_column_t resource_columns[] = {
    {"code", NULL, SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"label_fr", "libelle", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"label_en", NULL, SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"unit", "unite", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"renewable", "renouvelable", SP_VAL_CHOICE, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1,
     yes_no},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

enum { SR_FIND, SR_INSERT, SR_COUNT };
static const char *const resource_sql[SR_COUNT] = {
    "SELECT id FROM resource WHERE code = ?1",
    "INSERT INTO resource (code, label_fr, label_en, unit, renewable) VALUES (?1, ?2, ?3, ?4, ?5)"
};

static int
resources_begin(sp_import_ctx_t *ctx)
{
    return sp_import_begin_stmts(ctx, resource_sql, SR_COUNT, "preparing the resources import");
}

static int
resources_row(sp_import_ctx_t *ctx, const sp_import_value_t *v)
{
    sqlite3_stmt **s = ctx->kind_data;
    sqlite3_int64 id;
    int status, found, i;

    sqlite3_bind_text(s[SR_FIND], 1, v[R_CODE].text, -1, SQLITE_STATIC);
    if ((status = sp_import_lookup(ctx, s[SR_FIND], &id, &found)) != SP_OK)
        return status;
    if (found)
        return sp_import_reject(ctx, R_CODE, -1, "code: resource '%s' already exists",
                                v[R_CODE].text);
    for (i = R_CODE; i <= R_UNIT; i++)
        sqlite3_bind_text(s[SR_INSERT], 1 + i, v[i].text, -1, SQLITE_STATIC);
    sqlite3_bind_int(s[SR_INSERT], 5, v[R_RENEWABLE].i % 2 == 0);
    return sp_import_exec(ctx, s[SR_INSERT], "resource insert");
}

const sp_import_kind_t sp_import_kind_resources = {
    .name = "resources",
    .summary = "resources counted against limits (code, labels, unit, renewable)",
    .columns = resource_columns,
    .begin = resources_begin,
    .row = resources_row,
};

/* The resource with this code: *id, *renewable and *unit (in row_pool), or a
 * rejection of column col. */
static int
find_resource(sp_import_ctx_t *ctx, sqlite3_stmt *stmt, int col, const char *code,
              sqlite3_int64 *id, int *renewable, const char **unit)
{
    int rc = sqlite3_step(stmt), status = SP_OK;

    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(stmt, 0);
        *renewable = sqlite3_column_int(stmt, 1);
        *unit = apr_pstrdup(ctx->row_pool, (const char *)sqlite3_column_text(stmt, 2));
    } else if (rc == SQLITE_DONE) {
        status = sp_import_reject(ctx, col, -1, "resource: unknown resource '%s' (define it "
                                  "with `spiral import resources` first)", code);
    } else {
        status = sp_store_fail(ctx->store->db, "resource lookup", ctx->pool, ctx->err);
    }
    sqlite3_reset(stmt);
    return status;
}

static int
reject_negative(sp_import_ctx_t *ctx, int col, const sp_import_value_t *v)
{
    return sp_import_reject(ctx, col, -1, "amount: '%s' is not valid: expected a number >= 0",
                            v->text);
}

#define RESOURCE_FIND "SELECT id, renewable, unit FROM resource WHERE code = ?1"

/* --- limits ----------------------------------------------------------------- */

enum { L_RESOURCE, L_SCOPE, L_AMOUNT, L_UNIT, L_HORIZON, L_SOURCE };

static const char *const scopes[] = {"world", "country", "territory", "person",
                                     "monde", "pays", "territoire", "personne", NULL};

static const sp_import_column_t limit_columns[] = {
    {"resource", "ressource", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"scope", "portee", SP_VAL_CHOICE, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, scopes},
    {"amount", "quantite", SP_VAL_REAL, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"unit", "unite", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"horizon_year", "annee_horizon", SP_VAL_INT, 0, 1900, 2200, NULL},
    {"source", NULL, SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

enum { SL_RESOURCE, SL_INSERT, SL_COUNT };
static const char *const limit_sql[SL_COUNT] = {
    RESOURCE_FIND,
    "INSERT INTO resource_limit (resource_id, scope, amount, unit, horizon_year, source, "
    "territory_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
};

static int
limits_begin(sp_import_ctx_t *ctx)
{
    return sp_import_begin_stmts(ctx, limit_sql, SL_COUNT, "preparing the limits import");
}

static int
limits_row(sp_import_ctx_t *ctx, const sp_import_value_t *v)
{
    sqlite3_stmt **s = ctx->kind_data, *ins = s[SL_INSERT];
    const char *scope = scopes[v[L_SCOPE].i % 4], *unit = NULL;
    sqlite3_int64 resource = 0;
    int status, renewable = 0;

    sqlite3_bind_text(s[SL_RESOURCE], 1, v[L_RESOURCE].text, -1, SQLITE_STATIC);
    if ((status = find_resource(ctx, s[SL_RESOURCE], L_RESOURCE, v[L_RESOURCE].text, &resource,
                                &renewable, &unit)) != SP_OK)
        return status;
    if (v[L_AMOUNT].r < 0)
        return reject_negative(ctx, L_AMOUNT, &v[L_AMOUNT]);
    if (!renewable && v[L_AMOUNT].r != 0)
        return sp_import_reject(ctx, L_AMOUNT, -1, "amount: resource '%s' is not renewable, "
                                "so its limit must be 0 (zero use), not %s",
                                v[L_RESOURCE].text, v[L_AMOUNT].text);
    if (strcmp(scope, "territory") == 0 && ctx->territory_id == 0)
        return sp_import_reject(ctx, L_SCOPE, -1, "scope: a territory limit needs a territory "
                                "in the workspace (run `spiral init --territory CODE`)");
    sqlite3_bind_int64(ins, 1, resource);
    sqlite3_bind_text(ins, 2, scope, -1, SQLITE_STATIC);
    sqlite3_bind_double(ins, 3, v[L_AMOUNT].r);
    sqlite3_bind_text(ins, 4, v[L_UNIT].present ? v[L_UNIT].text : unit, -1, SQLITE_STATIC);
    if (v[L_HORIZON].present)
        sqlite3_bind_int64(ins, 5, v[L_HORIZON].i);
    else
        sqlite3_bind_null(ins, 5);
    sqlite3_bind_text(ins, 6, v[L_SOURCE].text, -1, SQLITE_STATIC);
    if (strcmp(scope, "territory") == 0)
        sqlite3_bind_int64(ins, 7, ctx->territory_id);
    else
        sqlite3_bind_null(ins, 7);
    return sp_import_exec(ctx, ins, "limit insert");
}

const sp_import_kind_t sp_import_kind_limits = {
    .name = "limits",
    .summary = "reference limits of resources, each with its source",
    .columns = limit_columns,
    .begin = limits_begin,
    .row = limits_row,
};

/* --- usage ------------------------------------------------------------------ */

enum { U_RESOURCE, U_YEAR, U_AMOUNT, U_NEIGHBOURHOOD, U_SOURCE };

static const sp_import_column_t usage_columns[] = {
    {"resource", "ressource", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"year", "annee", SP_VAL_INT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 1900, 2200, NULL},
    {"amount", "quantite", SP_VAL_REAL, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"neighbourhood", "quartier", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"source", NULL, SP_VAL_TEXT, 0, 0, -1, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

enum { SU_RESOURCE, SU_NEIGHBOURHOOD, SU_FIND, SU_INSERT, SU_COUNT };
static const char *const usage_sql[SU_COUNT] = {
    RESOURCE_FIND,
    "SELECT id FROM neighbourhood WHERE territory_id = ?1 AND name = ?2",
    "SELECT id FROM resource_usage WHERE resource_id = ?1 AND territory_id = ?2 "
    "AND ifnull(neighbourhood_id, 0) = ?3 AND year = ?4",
    "INSERT INTO resource_usage (resource_id, territory_id, neighbourhood_id, year, amount, "
    "source, import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
};

static int
usage_begin(sp_import_ctx_t *ctx)
{
    int status;

    if ((status = sp_import_need_territory(ctx, "use is counted per territory")) != SP_OK)
        return status;
    return sp_import_begin_stmts(ctx, usage_sql, SU_COUNT, "preparing the usage import");
}

static int
usage_row(sp_import_ctx_t *ctx, const sp_import_value_t *v)
{
    sqlite3_stmt **s = ctx->kind_data, *ins = s[SU_INSERT];
    sqlite3_int64 resource = 0, nb = 0, id;
    const char *unit;
    int status, renewable, found = 0;

    if (v[U_AMOUNT].r < 0)
        return reject_negative(ctx, U_AMOUNT, &v[U_AMOUNT]);
    sqlite3_bind_text(s[SU_RESOURCE], 1, v[U_RESOURCE].text, -1, SQLITE_STATIC);
    if ((status = find_resource(ctx, s[SU_RESOURCE], U_RESOURCE, v[U_RESOURCE].text, &resource,
                                &renewable, &unit)) != SP_OK)
        return status;
    if (v[U_NEIGHBOURHOOD].present) {
        sqlite3_bind_int64(s[SU_NEIGHBOURHOOD], 1, ctx->territory_id);
        sqlite3_bind_text(s[SU_NEIGHBOURHOOD], 2, v[U_NEIGHBOURHOOD].text, -1, SQLITE_STATIC);
        if ((status = sp_import_lookup(ctx, s[SU_NEIGHBOURHOOD], &nb, &found)) != SP_OK)
            return status;
    }
    /* A neighbourhood not seen yet cannot hold a duplicate. */
    if (found || !v[U_NEIGHBOURHOOD].present) {
        sqlite3_bind_int64(s[SU_FIND], 1, resource);
        sqlite3_bind_int64(s[SU_FIND], 2, ctx->territory_id);
        sqlite3_bind_int64(s[SU_FIND], 3, nb);
        sqlite3_bind_int64(s[SU_FIND], 4, v[U_YEAR].i);
        if ((status = sp_import_lookup(ctx, s[SU_FIND], &id, &found)) != SP_OK)
            return status;
        if (found)
            return sp_import_reject(ctx, U_YEAR, -1, "year: the use of '%s' in %s for %ld "
                                    "is already recorded", v[U_RESOURCE].text,
                                    v[U_NEIGHBOURHOOD].present ? v[U_NEIGHBOURHOOD].text
                                                               : "the whole territory",
                                    (long)v[U_YEAR].i);
    }
    if (v[U_NEIGHBOURHOOD].present && nb == 0
        && (status = sp_import_neighbourhood(ctx, v[U_NEIGHBOURHOOD].text, &nb)) != SP_OK)
        return status;
    sqlite3_bind_int64(ins, 1, resource);
    sqlite3_bind_int64(ins, 2, ctx->territory_id);
    if (nb)
        sqlite3_bind_int64(ins, 3, nb);
    else
        sqlite3_bind_null(ins, 3);
    sqlite3_bind_int64(ins, 4, v[U_YEAR].i);
    sqlite3_bind_double(ins, 5, v[U_AMOUNT].r);
    sqlite3_bind_text(ins, 6, v[U_SOURCE].text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 7, ctx->import_id);
    return sp_import_exec(ctx, ins, "usage insert");
}

const sp_import_kind_t sp_import_kind_usage = {
    .name = "usage",
    .summary = "actual use of resources per year, territory-wide or per neighbourhood",
    .columns = usage_columns,
    .begin = usage_begin,
    .row = usage_row,
};
