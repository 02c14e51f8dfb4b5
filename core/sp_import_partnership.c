/*
 * sp_import_partnership.c -- producer-consumer partnerships (community-
 * supported agriculture, tool 5 of the plan) in one long file.
 *
 * Each row is one record, named in the `record` column: `partnership`
 * (its name), `member` (a producer or a consumer), `target` (an agreed
 * target for one indicator) or `observation` (one season's value of an
 * indicator as one side reports it).  A partnership is created on first
 * sight.  Indicators are a closed list -- local share (0 to 1), resource
 * used per unit of produce (naming a resource), price, the producers' and
 * the consumers' well-being -- so both sides follow the same ones;
 * sp_partnership.c compares them with the targets and the resource limits.
 */
#include <string.h>
#include <apr_strings.h>
#include "sp_import_kit.h"

enum { C_PARTNERSHIP, C_RECORD, C_NAME, C_SIDE, C_SEASON, C_INDICATOR, C_RESOURCE, C_VALUE,
       C_DIRECTION, C_UNIT };

/* Canonical spellings first; index % n gives the canonical one. */
static const char *const records[] = {"partnership", "member", "target", "observation",
                                      "partenariat", "membre", "cible", "observation", NULL};
static const char *const sides[] = {"producer", "consumer", "producteur", "consommateur", NULL};
static const char *const indicators[] = {"local_share", "resource_per_unit", "price",
                                         "producer_wellbeing", "consumer_wellbeing",
                                         "part_locale", "ressource_par_unite", "prix",
                                         "bien_etre_producteurs", "bien_etre_consommateurs", NULL};
static const char *const directions[] = {"at_least", "at_most", "au_moins", "au_plus", NULL};
/* Default direction per indicator: more local, fewer resources, a price
 * at most the agreed one, more well-being. */
static const char *const default_direction[] = {"at_least", "at_most", "at_most", "at_least",
                                                "at_least"};

enum { R_PARTNERSHIP, R_MEMBER, R_TARGET, R_OBSERVATION };
enum { I_LOCAL_SHARE, I_RESOURCE_PER_UNIT, I_PRICE };

static const sp_import_column_t columns[] = {
    {"partnership", "partenariat", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"record", "enregistrement", SP_VAL_CHOICE, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1,
     records},
    {"name", "nom", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"side", "cote", SP_VAL_CHOICE, 0, 0, -1, sides},
    {"season", "saison", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"indicator", "indicateur", SP_VAL_CHOICE, 0, 0, -1, indicators},
    {"resource", "ressource", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"value", "valeur", SP_VAL_REAL, 0, 0, -1, NULL},
    {"direction", "sens", SP_VAL_CHOICE, 0, 0, -1, directions},
    {"unit", "unite", SP_VAL_TEXT, 0, 0, -1, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

enum { S_FIND, S_CREATE, S_RENAME, S_MEMBER_FIND, S_MEMBER, S_RESOURCE, S_TARGET_FIND, S_TARGET,
       S_OBS_FIND, S_OBS, S_COUNT };
static const char *const sql[S_COUNT] = {
    "SELECT id FROM partnership WHERE code = ?1",
    "INSERT INTO partnership (code, name, territory_id, import_id) VALUES (?1, ?1, ?2, ?3)",
    "UPDATE partnership SET name = ?2 WHERE id = ?1",
    "SELECT 1 FROM partnership_member WHERE partnership_id = ?1 AND side = ?2 AND name = ?3",
    "INSERT INTO partnership_member (partnership_id, side, name) VALUES (?1, ?2, ?3)",
    "SELECT id FROM resource WHERE code = ?1",
    "SELECT 1 FROM partnership_target WHERE partnership_id = ?1 AND indicator = ?2 "
    "AND resource_code = ?3",
    "INSERT INTO partnership_target (partnership_id, indicator, resource_code, target, "
    "direction, unit) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "SELECT 1 FROM partnership_observation WHERE partnership_id = ?1 AND season = ?2 "
    "AND side = ?3 AND indicator = ?4 AND resource_code = ?5",
    "INSERT INTO partnership_observation (partnership_id, season, side, indicator, "
    "resource_code, value, import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
};

static int
begin(sp_import_ctx_t *ctx)
{
    return sp_import_begin_stmts(ctx, sql, S_COUNT, "preparing the partnership import");
}

/* Reject the row when column col is empty: record needs it. */
static int
need(sp_import_ctx_t *ctx, const sp_import_value_t *v, int col, const char *record)
{
    if (v[col].present)
        return SP_OK;
    return sp_import_reject(ctx, col, -1, "%s: a %s record needs a %s", columns[col].name,
                            record, columns[col].name);
}

/* The indicator's resource column: required for resource_per_unit (and
 * the resource must exist), empty otherwise. */
static int
check_resource(sp_import_ctx_t *ctx, sqlite3_stmt **s, const sp_import_value_t *v, int ind)
{
    sqlite3_int64 id;
    int found, status;

    if (ind != I_RESOURCE_PER_UNIT) {
        if (v[C_RESOURCE].present)
            return sp_import_reject(ctx, C_RESOURCE, -1, "resource: only the indicator "
                                    "resource_per_unit names a resource, not %s",
                                    indicators[ind]);
        return SP_OK;
    }
    if (!v[C_RESOURCE].present)
        return sp_import_reject(ctx, C_RESOURCE, -1, "resource: the indicator "
                                "resource_per_unit needs a resource code");
    sqlite3_bind_text(s[S_RESOURCE], 1, v[C_RESOURCE].text, -1, SQLITE_STATIC);
    if ((status = sp_import_lookup(ctx, s[S_RESOURCE], &id, &found)) != SP_OK)
        return status;
    if (!found)
        return sp_import_reject(ctx, C_RESOURCE, -1, "resource: unknown resource '%s' (define "
                                "it with `spiral import resources` first)", v[C_RESOURCE].text);
    return SP_OK;
}

static int
check_value(sp_import_ctx_t *ctx, const sp_import_value_t *v, int ind)
{
    if (ind == I_LOCAL_SHARE && (v[C_VALUE].r < 0 || v[C_VALUE].r > 1))
        return sp_import_reject(ctx, C_VALUE, -1, "value: '%s' is not valid: a local share is "
                                "between 0 and 1", v[C_VALUE].text);
    if ((ind == I_RESOURCE_PER_UNIT || ind == I_PRICE) && v[C_VALUE].r < 0)
        return sp_import_reject(ctx, C_VALUE, -1, "value: '%s' is not valid: expected a number "
                                ">= 0", v[C_VALUE].text);
    return SP_OK;
}

static int
row(sp_import_ctx_t *ctx, const sp_import_value_t *v)
{
    sqlite3_stmt **s = ctx->kind_data;
    int record = (int)(v[C_RECORD].i % 4), ind = (int)(v[C_INDICATOR].i % 5);
    const char *rname = records[record], *side = sides[v[C_SIDE].i % 2];
    const char *res = v[C_RESOURCE].present ? v[C_RESOURCE].text : "";
    sqlite3_int64 id, dummy;
    int status, found;

    /* Check the record's fields before creating anything. */
    switch (record) {
    case R_PARTNERSHIP:
        if ((status = need(ctx, v, C_NAME, rname)) != SP_OK)
            return status;
        break;
    case R_MEMBER:
        if ((status = need(ctx, v, C_SIDE, rname)) != SP_OK
            || (status = need(ctx, v, C_NAME, rname)) != SP_OK)
            return status;
        break;
    case R_TARGET:
        if ((status = need(ctx, v, C_INDICATOR, rname)) != SP_OK
            || (status = need(ctx, v, C_VALUE, rname)) != SP_OK
            || (status = check_resource(ctx, s, v, ind)) != SP_OK
            || (status = check_value(ctx, v, ind)) != SP_OK)
            return status;
        break;
    default:
        if ((status = need(ctx, v, C_SEASON, rname)) != SP_OK
            || (status = need(ctx, v, C_SIDE, rname)) != SP_OK
            || (status = need(ctx, v, C_INDICATOR, rname)) != SP_OK
            || (status = need(ctx, v, C_VALUE, rname)) != SP_OK
            || (status = check_resource(ctx, s, v, ind)) != SP_OK
            || (status = check_value(ctx, v, ind)) != SP_OK)
            return status;
        break;
    }

    sqlite3_bind_text(s[S_FIND], 1, v[C_PARTNERSHIP].text, -1, SQLITE_STATIC);
    if ((status = sp_import_lookup(ctx, s[S_FIND], &id, &found)) != SP_OK)
        return status;
    if (!found) {
        sqlite3_bind_text(s[S_CREATE], 1, v[C_PARTNERSHIP].text, -1, SQLITE_STATIC);
        if (ctx->territory_id)
            sqlite3_bind_int64(s[S_CREATE], 2, ctx->territory_id);
        else
            sqlite3_bind_null(s[S_CREATE], 2);
        sqlite3_bind_int64(s[S_CREATE], 3, ctx->import_id);
        if ((status = sp_import_exec(ctx, s[S_CREATE], "partnership insert")) != SP_OK)
            return status;
        id = sqlite3_last_insert_rowid(ctx->store->db);
    }

    switch (record) {
    case R_PARTNERSHIP:
        sqlite3_bind_int64(s[S_RENAME], 1, id);
        sqlite3_bind_text(s[S_RENAME], 2, v[C_NAME].text, -1, SQLITE_STATIC);
        return sp_import_exec(ctx, s[S_RENAME], "partnership name");
    case R_MEMBER:
        sqlite3_bind_int64(s[S_MEMBER_FIND], 1, id);
        sqlite3_bind_text(s[S_MEMBER_FIND], 2, side, -1, SQLITE_STATIC);
        sqlite3_bind_text(s[S_MEMBER_FIND], 3, v[C_NAME].text, -1, SQLITE_STATIC);
        if ((status = sp_import_lookup(ctx, s[S_MEMBER_FIND], &dummy, &found)) != SP_OK)
            return status;
        if (found)
            return sp_import_reject(ctx, C_NAME, -1, "name: '%s' is already a %s of "
                                    "partnership '%s'", v[C_NAME].text, side,
                                    v[C_PARTNERSHIP].text);
        sqlite3_bind_int64(s[S_MEMBER], 1, id);
        sqlite3_bind_text(s[S_MEMBER], 2, side, -1, SQLITE_STATIC);
        sqlite3_bind_text(s[S_MEMBER], 3, v[C_NAME].text, -1, SQLITE_STATIC);
        return sp_import_exec(ctx, s[S_MEMBER], "member insert");
    case R_TARGET:
        sqlite3_bind_int64(s[S_TARGET_FIND], 1, id);
        sqlite3_bind_text(s[S_TARGET_FIND], 2, indicators[ind], -1, SQLITE_STATIC);
        sqlite3_bind_text(s[S_TARGET_FIND], 3, res, -1, SQLITE_STATIC);
        if ((status = sp_import_lookup(ctx, s[S_TARGET_FIND], &dummy, &found)) != SP_OK)
            return status;
        if (found)
            return sp_import_reject(ctx, C_INDICATOR, -1, "indicator: partnership '%s' already "
                                    "has a target for %s%s%s", v[C_PARTNERSHIP].text,
                                    indicators[ind], *res ? " of " : "", res);
        sqlite3_bind_int64(s[S_TARGET], 1, id);
        sqlite3_bind_text(s[S_TARGET], 2, indicators[ind], -1, SQLITE_STATIC);
        sqlite3_bind_text(s[S_TARGET], 3, res, -1, SQLITE_STATIC);
        sqlite3_bind_double(s[S_TARGET], 4, v[C_VALUE].r);
        sqlite3_bind_text(s[S_TARGET], 5, v[C_DIRECTION].present
                                              ? directions[v[C_DIRECTION].i % 2]
                                              : default_direction[ind], -1, SQLITE_STATIC);
        sqlite3_bind_text(s[S_TARGET], 6, v[C_UNIT].text, -1, SQLITE_STATIC);
        return sp_import_exec(ctx, s[S_TARGET], "target insert");
    default:
        sqlite3_bind_int64(s[S_OBS_FIND], 1, id);
        sqlite3_bind_text(s[S_OBS_FIND], 2, v[C_SEASON].text, -1, SQLITE_STATIC);
        sqlite3_bind_text(s[S_OBS_FIND], 3, side, -1, SQLITE_STATIC);
        sqlite3_bind_text(s[S_OBS_FIND], 4, indicators[ind], -1, SQLITE_STATIC);
        sqlite3_bind_text(s[S_OBS_FIND], 5, res, -1, SQLITE_STATIC);
        if ((status = sp_import_lookup(ctx, s[S_OBS_FIND], &dummy, &found)) != SP_OK)
            return status;
        if (found)
            return sp_import_reject(ctx, C_INDICATOR, -1, "indicator: the %s side already "
                                    "reported %s%s%s for season %s", side, indicators[ind],
                                    *res ? " of " : "", res, v[C_SEASON].text);
        sqlite3_bind_int64(s[S_OBS], 1, id);
        sqlite3_bind_text(s[S_OBS], 2, v[C_SEASON].text, -1, SQLITE_STATIC);
        sqlite3_bind_text(s[S_OBS], 3, side, -1, SQLITE_STATIC);
        sqlite3_bind_text(s[S_OBS], 4, indicators[ind], -1, SQLITE_STATIC);
        sqlite3_bind_text(s[S_OBS], 5, res, -1, SQLITE_STATIC);
        sqlite3_bind_double(s[S_OBS], 6, v[C_VALUE].r);
        sqlite3_bind_int64(s[S_OBS], 7, ctx->import_id);
        return sp_import_exec(ctx, s[S_OBS], "observation insert");
    }
}

const sp_import_kind_t sp_import_kind_partnership = {
    .name = "partnership",
    .summary = "producer-consumer partnerships: members, targets, seasonal observations",
    .columns = columns,
    .begin = begin,
    .row = row,
};
