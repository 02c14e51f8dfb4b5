/*
 * sp_import_meter.c -- answers to the consumption meter, one row per
 * household.
 *
 * The fixed columns describe the household (its id, pseudonymised with the
 * workspace key in the "household" domain, its neighbourhood, size and the
 * date of the answers); every other column is a question of the meter,
 * whose non-empty answer is kept as text under the header's name, so a
 * territory can change its questionnaire without a schema change.  The
 * rules that turn answers into resource use are data elsewhere.
 */
#include <string.h>
#include <apr_strings.h>
#include "sp_import_kit.h"

enum { M_HOUSEHOLD, M_NEIGHBOURHOOD, M_SIZE, M_ANSWERED_ON };

static const sp_import_column_t columns[] = {
    {"household", "menage", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"neighbourhood", "quartier", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"household_size", "taille_menage", SP_VAL_INT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 1, 100,
     NULL},
    {"answered_on", "date_reponse", SP_VAL_DATE, 0, 0, -1, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

enum { S_FIND, S_INSERT, S_ANSWER, S_COUNT };
static const char *const sql[S_COUNT] = {
    "SELECT id FROM meter_household WHERE pseudonym = ?1",
    "INSERT INTO meter_household (pseudonym, neighbourhood_id, household_size, answered_on, "
    "import_id) VALUES (?1, ?2, ?3, ?4, ?5)",
    "INSERT INTO meter_answer (household_id, question, value) VALUES (?1, ?2, ?3)"
};

static int
meter_begin(sp_import_ctx_t *ctx)
{
    sqlite3_stmt **s;
    size_t f;
    int status;

    if (ctx->field_of_column[M_NEIGHBOURHOOD] >= 0
        && (status = sp_import_need_territory(ctx, "neighbourhoods belong to a territory")) != SP_OK)
        return status;
    for (f = 0; f < ctx->header->nfields; f++)
        if (ctx->column_of_field[f] < 0)
            break;
    if (f == ctx->header->nfields)
        return sp_error_set(ctx->err, ctx->pool, SP_EXIT_DATA, ctx->path, ctx->header->line, 0,
                            "no question column: a meter file has household, household_size "
                            "and one column per question");
    status = sp_import_prepare(ctx, sql, S_COUNT, "preparing the meter import", &s);
    ctx->kind_data = s;
    return status;
}

static int
meter_row(sp_import_ctx_t *ctx, const sp_import_value_t *v)
{
    sqlite3_stmt **s = ctx->kind_data, *ins = s[S_INSERT], *ans = s[S_ANSWER];
    const sp_csv_record_t *rec = ctx->record;
    unsigned char pseudonym[SP_PSEUDO_LEN];
    sqlite3_int64 id, nb = 0;
    int status, found;
    size_t f;

    sp_pseudo_id(ctx->pseudo, "household", v[M_HOUSEHOLD].text, v[M_HOUSEHOLD].len, pseudonym);
    sqlite3_bind_blob(s[S_FIND], 1, pseudonym, SP_PSEUDO_LEN, SQLITE_STATIC);
    if ((status = sp_import_lookup(ctx, s[S_FIND], &id, &found)) != SP_OK)
        return status;
    if (found)
        return sp_import_reject(ctx, M_HOUSEHOLD, -1, "household: household '%s' appears twice",
                                v[M_HOUSEHOLD].text);
    if (v[M_NEIGHBOURHOOD].present
        && (status = sp_import_neighbourhood(ctx, v[M_NEIGHBOURHOOD].text, &nb)) != SP_OK)
        return status;
    sqlite3_bind_blob(ins, 1, pseudonym, SP_PSEUDO_LEN, SQLITE_STATIC);
    if (nb)
        sqlite3_bind_int64(ins, 2, nb);
    else
        sqlite3_bind_null(ins, 2);
    sqlite3_bind_int64(ins, 3, v[M_SIZE].i);
    sp_import_bind_optional(ins, 4, &v[M_ANSWERED_ON]);
    sqlite3_bind_int64(ins, 5, ctx->import_id);
    if ((status = sp_import_exec(ctx, ins, "household insert")) != SP_OK)
        return status;
    id = sqlite3_last_insert_rowid(ctx->store->db);
    for (f = 0; f < rec->nfields; f++) {
        if (ctx->column_of_field[f] >= 0 || rec->len[f] == 0)
            continue;
        sqlite3_bind_int64(ans, 1, id);
        sqlite3_bind_text(ans, 2, ctx->header->field[f], (int)ctx->header->len[f], SQLITE_STATIC);
        sqlite3_bind_text(ans, 3, rec->field[f], (int)rec->len[f], SQLITE_STATIC);
        if ((status = sp_import_exec(ctx, ans, "meter answer insert")) != SP_OK)
            return status;
    }
    return SP_OK;
}

const sp_import_kind_t sp_import_kind_meter = {
    .name = "meter",
    .summary = "consumption meter answers: one row per household, one column per question",
    .columns = columns,
    .extra_columns = 1,
    .begin = meter_begin,
    .row = meter_row,
};
