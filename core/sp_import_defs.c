/*
 * sp_import_defs.c -- definitions that a territory may also bring as CSV:
 * progress indicators with their ladders, and survey forms with their items.
 *
 * Territory packs usually define these in Lua (scripts/territories/); the
 * CSV kinds serve a coordination group that keeps them in a spreadsheet,
 * and both write the same tables.
 */
#include <string.h>
#include <apr_strings.h>
#include "sp_import.h"

/* --- indicators ----------------------------------------------------------- */

enum { I_CODE, I_COMPONENT, I_LABEL_FR, I_LABEL_EN, I_LEVELS_FR, I_LEVELS_EN, I_BAD };

static const sp_import_column_t indicator_columns[] = {
    {"code", NULL, SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"component", "composante", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"label_fr", NULL, SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"label_en", NULL, SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"levels_fr", "niveaux", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"levels_en", NULL, SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"bad_at_most", NULL, SP_VAL_INT, 0, 1, 9, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

static int
component_ok(const char *code)
{
    return code[0] >= 'A' && code[0] <= 'Z'
        && (code[1] == '\0'
            || (code[1] >= '0' && code[1] <= '9' && code[2] >= '0' && code[2] <= '9'
                && code[3] == '\0'));
}

static int
indicators_row(sp_import_ctx_t *ctx, const sp_import_value_t *v)
{
    sqlite3 *db = ctx->store->db;
    char *fr[11], *en[11];
    int nfr, nen, k, rc;
    sqlite3_stmt *stmt;
    sqlite3_int64 id;

    if (!component_ok(v[I_COMPONENT].text))
        return sp_import_reject(ctx, I_COMPONENT, -1, "component: '%s' is not a component "
                                "code: expected a family letter and two digits, e.g. A01",
                                v[I_COMPONENT].text);
    nfr = sp_import_split(apr_pstrdup(ctx->row_pool, v[I_LEVELS_FR].text), fr, 11);
    nen = sp_import_split(apr_pstrdup(ctx->row_pool, v[I_LEVELS_EN].text), en, 11);
    if (nfr < 2 || nfr > 10)
        return sp_import_reject(ctx, I_LEVELS_FR, -1, "levels_fr: expected 2 to 10 levels "
                                "separated by '|', from worst to best; found %d", nfr);
    if (nen != nfr)
        return sp_import_reject(ctx, I_LEVELS_EN, -1, "levels_en: %d levels, but levels_fr "
                                "has %d", nen, nfr);
    if (v[I_BAD].present && v[I_BAD].i >= nfr)
        return sp_import_reject(ctx, I_BAD, -1, "bad_at_most: must be below the number of "
                                "levels (%d)", nfr);
    if (sqlite3_prepare_v2(db, "INSERT INTO indicator (code, component_code, label_fr, label_en, "
                           "nlevels, bad_at_most) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           -1, &stmt, NULL) != SQLITE_OK)
        return sp_store_fail(db, "indicator insert", ctx->pool, ctx->err);
    sqlite3_bind_text(stmt, 1, v[I_CODE].text, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, v[I_COMPONENT].text, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, v[I_LABEL_FR].text, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 4, v[I_LABEL_EN].text, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 5, nfr);
    sqlite3_bind_int(stmt, 6, v[I_BAD].present ? (int)v[I_BAD].i : (nfr >= 4 ? 2 : 1));
    rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return sp_import_reject(ctx, I_CODE, -1, "code: indicator '%s' is already defined",
                                v[I_CODE].text);
    if (rc != SQLITE_DONE)
        return sp_store_fail(db, "indicator insert", ctx->pool, ctx->err);
    id = sqlite3_last_insert_rowid(db);
    if (sqlite3_prepare_v2(db, "INSERT INTO indicator_level VALUES (?1, ?2, ?3, ?4)", -1, &stmt,
                           NULL) != SQLITE_OK)
        return sp_store_fail(db, "indicator level insert", ctx->pool, ctx->err);
    for (k = 0; k < nfr; k++) {
        sqlite3_reset(stmt);
        sqlite3_bind_int64(stmt, 1, id);
        sqlite3_bind_int(stmt, 2, k + 1);
        sqlite3_bind_text(stmt, 3, fr[k], -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, en[k], -1, SQLITE_STATIC);
        if (sqlite3_step(stmt) != SQLITE_DONE) {
            sqlite3_finalize(stmt);
            return sp_store_fail(db, "indicator level insert", ctx->pool, ctx->err);
        }
    }
    sqlite3_finalize(stmt);
    return SP_OK;
}

const sp_import_kind_t sp_import_kind_indicators = {
    .name = "indicators",
    .summary = "progress indicators and their ladders of levels",
    .columns = indicator_columns,
    .row = indicators_row,
};

/* --- forms ---------------------------------------------------------------- */

enum { F_FORM, F_LABEL_FR, F_LABEL_EN, F_ITEM, F_INDICATOR, F_WORDING_FR, F_WORDING_EN };

static const sp_import_column_t form_columns[] = {
    {"form", "formulaire", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"form_label_fr", NULL, SP_VAL_TEXT, 0, 0, -1, NULL},
    {"form_label_en", NULL, SP_VAL_TEXT, 0, 0, -1, NULL},
    {"item", NULL, SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"indicator", "indicateur", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"wording_fr", NULL, SP_VAL_TEXT, 0, 0, -1, NULL},
    {"wording_en", NULL, SP_VAL_TEXT, 0, 0, -1, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

static int
forms_row(sp_import_ctx_t *ctx, const sp_import_value_t *v)
{
    sqlite3 *db = ctx->store->db;
    sqlite3_stmt *stmt;
    sqlite3_int64 form_id = 0, indicator_id = 0;
    int rc, position = 1;

    if (sqlite3_prepare_v2(db, "SELECT id FROM indicator WHERE code = ?1", -1, &stmt, NULL) != SQLITE_OK)
        return sp_store_fail(db, "indicator lookup", ctx->pool, ctx->err);
    sqlite3_bind_text(stmt, 1, v[F_INDICATOR].text, -1, SQLITE_STATIC);
    if (sqlite3_step(stmt) == SQLITE_ROW)
        indicator_id = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    if (indicator_id == 0)
        return sp_import_reject(ctx, F_INDICATOR, -1, "indicator: unknown indicator '%s'",
                                v[F_INDICATOR].text);

    if (sqlite3_prepare_v2(db, "INSERT INTO survey_form (code, label_fr, label_en) "
                           "VALUES (?1, ?2, ?3) ON CONFLICT (code) DO NOTHING", -1, &stmt,
                           NULL) != SQLITE_OK)
        return sp_store_fail(db, "form insert", ctx->pool, ctx->err);
    sqlite3_bind_text(stmt, 1, v[F_FORM].text, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, v[F_LABEL_FR].present ? v[F_LABEL_FR].text : v[F_FORM].text, -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, v[F_LABEL_EN].present ? v[F_LABEL_EN].text : v[F_FORM].text, -1,
                      SQLITE_STATIC);
    rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return sp_store_fail(db, "form insert", ctx->pool, ctx->err);
    if (sqlite3_prepare_v2(db, "SELECT f.id, (SELECT ifnull(max(position), 0) + 1 FROM form_item "
                           "WHERE form_id = f.id) FROM survey_form f WHERE f.code = ?1", -1,
                           &stmt, NULL) != SQLITE_OK)
        return sp_store_fail(db, "form lookup", ctx->pool, ctx->err);
    sqlite3_bind_text(stmt, 1, v[F_FORM].text, -1, SQLITE_STATIC);
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        form_id = sqlite3_column_int64(stmt, 0);
        position = sqlite3_column_int(stmt, 1);
    }
    sqlite3_finalize(stmt);

    if (sqlite3_prepare_v2(db, "INSERT INTO form_item (form_id, position, name, indicator_id, "
                           "wording_fr, wording_en) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &stmt,
                           NULL) != SQLITE_OK)
        return sp_store_fail(db, "form item insert", ctx->pool, ctx->err);
    sqlite3_bind_int64(stmt, 1, form_id);
    sqlite3_bind_int(stmt, 2, position);
    sqlite3_bind_text(stmt, 3, v[F_ITEM].text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 4, indicator_id);
    sqlite3_bind_text(stmt, 5, v[F_WORDING_FR].text, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 6, v[F_WORDING_EN].text, -1, SQLITE_STATIC);
    rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return sp_import_reject(ctx, F_ITEM, -1, "item: form '%s' already has an item '%s'",
                                v[F_FORM].text, v[F_ITEM].text);
    if (rc != SQLITE_DONE)
        return sp_store_fail(db, "form item insert", ctx->pool, ctx->err);
    return SP_OK;
}

const sp_import_kind_t sp_import_kind_forms = {
    .name = "forms",
    .summary = "self-survey forms: one row per item, mapped to an indicator",
    .columns = form_columns,
    .row = forms_row,
};
