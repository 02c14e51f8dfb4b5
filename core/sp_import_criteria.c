/*
 * sp_import_criteria.c -- the criteria of citizen groups: one row per idea.
 *
 * Each row names its group (created per territory, name and cycle on first
 * sight, with the kind, size, age band, neighbourhood and date of that
 * row), the question it answers (well-being, ill-being, action; French
 * spellings are mapped to the canonical value) and the group's approved
 * wording.  A criterion may arrive already coded: the code is checked
 * against the grammar OBJECT[/SENSE[/BENEFICIARY]] (DOMAIN.md, "The
 * taxonomy"; sp_criteria_code_parse, the one parser of it) and, when a
 * taxonomy is named, against its nodes.  Coding is a human act, so nothing
 * here guesses a code: suggestions belong elsewhere.
 */
#include <string.h>
#include <apr_strings.h>
#include "sp_criteria.h"
#include "sp_import_kit.h"

enum { C_GROUP, C_KIND, C_SIZE, C_AGE, C_NEIGHBOURHOOD, C_MET_ON, C_CYCLE, C_QUESTION,
       C_TEXT, C_CODE, C_TAXONOMY };

static const char *const group_kinds[] = {"age", "social", "place", "institution", "mixed", NULL};
/* Canonical spellings first; question_of maps the French ones back. */
static const char *const questions[] = {"wellbeing", "illbeing", "action", "bien-etre",
                                        "bien-être", "mal-etre", "mal-être", NULL};
static const char *const canonical_question[] = {"wellbeing", "illbeing", "action", "wellbeing",
                                                 "wellbeing", "illbeing", "illbeing"};

static const sp_import_column_t columns[] = {
    {"group", "groupe", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"group_kind", "type_groupe", SP_VAL_CHOICE, 0, 0, -1, group_kinds},
    {"group_size", "taille_groupe", SP_VAL_INT, 0, 1, 10000, NULL},
    {"age_band", "tranche_age", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"neighbourhood", "quartier", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"met_on", "date_reunion", SP_VAL_DATE, 0, 0, -1, NULL},
    {"cycle", NULL, SP_VAL_INT, 0, 1, 1000, NULL},
    {"question", NULL, SP_VAL_CHOICE, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, questions},
    {"text", "texte", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"code", NULL, SP_VAL_TEXT, 0, 0, -1, NULL},
    {"taxonomy", "taxonomie", SP_VAL_TEXT, 0, 0, -1, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

enum { S_GROUP_FIND, S_GROUP_ADD, S_TAXONOMY, S_NODE, S_TERRITORY_TAXONOMY, S_INSERT,
       S_NGROUPS, S_NNEIGHBOURHOODS, S_COUNT };
static const char *const sql[S_COUNT] = {
    "SELECT id, kind FROM citizen_group WHERE territory_id = ?1 AND name = ?2 AND cycle = ?3",
    "INSERT INTO citizen_group (territory_id, name, kind, size, age_band, neighbourhood_id, "
    "met_on, cycle) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "SELECT id FROM taxonomy WHERE name = ?1 AND version = ?2",
    "SELECT 1 FROM taxonomy_node WHERE taxonomy_id = ?1 AND code = ?2",
    "SELECT taxonomy_id FROM territory WHERE id = ?1 AND taxonomy_id IS NOT NULL",
    "INSERT INTO criterion (group_id, question, text, taxonomy_id, object_code, sense_code, "
    "beneficiary_code, coded_by, import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    "SELECT count(*) FROM citizen_group WHERE territory_id = ?1",
    "SELECT count(*) FROM neighbourhood WHERE territory_id = ?1"
};

#define CODE_GRAMMAR "OBJECT[/SENSE[/BENEFICIARY]], e.g. A01-11/P15/k, where OBJECT is " \
    SP_IMPORT_OBJECT_GRAMMAR ", SENSE an uppercase letter and 1 or 2 digits (P15), " \
    "BENEFICIARY 1 to 3 lowercase letters (k)"

typedef struct state_t {
    sqlite3_stmt **s;
    sqlite3_int64 territory_taxonomy;   /* 0: the territory names none */
    sqlite3_int64 groups, neighbourhoods;   /* counts before the import */
} state_t;

/* The territory's groups and neighbourhoods: counted before and after, so
 * the note stays right when --skip-bad rolls a row back. */
static int
count_places(sp_import_ctx_t *ctx, state_t *st, sqlite3_int64 *groups,
             sqlite3_int64 *neighbourhoods)
{
    int status, found;

    sqlite3_bind_int64(st->s[S_NGROUPS], 1, ctx->territory_id);
    sqlite3_bind_int64(st->s[S_NNEIGHBOURHOODS], 1, ctx->territory_id);
    if ((status = sp_import_lookup(ctx, st->s[S_NGROUPS], groups, &found)) != SP_OK)
        return status;
    return sp_import_lookup(ctx, st->s[S_NNEIGHBOURHOODS], neighbourhoods, &found);
}

static int
criteria_begin(sp_import_ctx_t *ctx)
{
    state_t *st = apr_pcalloc(ctx->pool, sizeof *st);
    int status, found;

    if ((status = sp_import_need_territory(ctx, "groups belong to a territory")) != SP_OK
        || (status = sp_import_prepare(ctx, sql, S_COUNT, "preparing the criteria import",
                                       &st->s)) != SP_OK)
        return status;
    ctx->kind_data = st;
    sqlite3_bind_int64(st->s[S_TERRITORY_TAXONOMY], 1, ctx->territory_id);
    if ((status = sp_import_lookup(ctx, st->s[S_TERRITORY_TAXONOMY], &st->territory_taxonomy,
                                   &found)) != SP_OK)
        return status;
    return count_places(ctx, st, &st->groups, &st->neighbourhoods);
}

/* The taxonomy named "name:version", checked; *id 0 when none is named. */
static int
find_taxonomy(sp_import_ctx_t *ctx, state_t *st, const sp_import_value_t *v, sqlite3_int64 *id)
{
    char *name, *version;
    int status, found;

    *id = 0;
    if (!v->present)
        return SP_OK;
    name = apr_pstrdup(ctx->row_pool, v->text);
    version = strrchr(name, ':');
    if (version == NULL || version == name || version[1] == '\0')
        return sp_import_reject(ctx, C_TAXONOMY, -1, "taxonomy: '%s' is not valid: expected "
                                "name:version, e.g. spiral:2013", v->text);
    *version++ = '\0';
    sqlite3_bind_text(st->s[S_TAXONOMY], 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st->s[S_TAXONOMY], 2, version, -1, SQLITE_STATIC);
    if ((status = sp_import_lookup(ctx, st->s[S_TAXONOMY], id, &found)) != SP_OK)
        return status;
    if (!found)
        return sp_import_reject(ctx, C_TAXONOMY, -1, "taxonomy: unknown taxonomy '%s' "
                                "(load it before the criteria coded in it)", v->text);
    return SP_OK;
}

/* The group of this row, created on first sight. */
static int
find_group(sp_import_ctx_t *ctx, state_t *st, const sp_import_value_t *v, long long cycle,
           sqlite3_int64 *id)
{
    sqlite3_stmt *find = st->s[S_GROUP_FIND], *add = st->s[S_GROUP_ADD];
    sqlite3_int64 nb = 0;
    int rc, status;

    sqlite3_bind_int64(find, 1, ctx->territory_id);
    sqlite3_bind_text(find, 2, v[C_GROUP].text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(find, 3, cycle);
    rc = sqlite3_step(find);
    if (rc == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(find, 1);

        *id = sqlite3_column_int64(find, 0);
        status = SP_OK;
        if (v[C_KIND].present && strcmp(kind, v[C_KIND].text) != 0)
            status = sp_import_reject(ctx, C_KIND, -1, "group_kind: group '%s' (cycle %ld) "
                                      "is of kind '%s', not '%s'", v[C_GROUP].text,
                                      (long)cycle, kind, v[C_KIND].text);
        sqlite3_reset(find);
        return status;
    }
    sqlite3_reset(find);
    if (rc != SQLITE_DONE)
        return sp_store_fail(ctx->store->db, "group lookup", ctx->pool, ctx->err);
    if (!v[C_KIND].present)
        return sp_import_reject(ctx, ctx->field_of_column[C_KIND] >= 0 ? C_KIND : C_GROUP, -1,
                                "group_kind: the first row of group '%s' (cycle %ld) must "
                                "give its kind: age, social, place, institution or mixed",
                                v[C_GROUP].text, (long)cycle);
    if (v[C_NEIGHBOURHOOD].present
        && (status = sp_import_neighbourhood(ctx, v[C_NEIGHBOURHOOD].text, &nb)) != SP_OK)
        return status;
    sqlite3_bind_int64(add, 1, ctx->territory_id);
    sqlite3_bind_text(add, 2, v[C_GROUP].text, -1, SQLITE_STATIC);
    sqlite3_bind_text(add, 3, v[C_KIND].text, -1, SQLITE_STATIC);
    if (v[C_SIZE].present)
        sqlite3_bind_int64(add, 4, v[C_SIZE].i);
    else
        sqlite3_bind_null(add, 4);
    sp_import_bind_optional(add, 5, &v[C_AGE]);
    if (nb)
        sqlite3_bind_int64(add, 6, nb);
    else
        sqlite3_bind_null(add, 6);
    sp_import_bind_optional(add, 7, &v[C_MET_ON]);
    sqlite3_bind_int64(add, 8, cycle);
    if ((status = sp_import_exec(ctx, add, "group insert")) != SP_OK)
        return status;
    *id = sqlite3_last_insert_rowid(ctx->store->db);
    return SP_OK;
}

static int
criteria_row(sp_import_ctx_t *ctx, const sp_import_value_t *v)
{
    state_t *st = ctx->kind_data;
    sqlite3_stmt *ins = st->s[S_INSERT];
    long long cycle = v[C_CYCLE].present ? v[C_CYCLE].i : 1;
    sqlite3_int64 taxonomy = 0, group = 0, one;
    sp_criteria_code_t code;
    int status, found;

    /* Check everything before writing anything. */
    memset(&code, 0, sizeof code);
    if (v[C_CODE].present && !sp_criteria_code_parse(v[C_CODE].text, &code, ctx->row_pool))
        return sp_import_reject(ctx, C_CODE, -1, "code: '%s' is not a criterion code: "
                                "expected " CODE_GRAMMAR, v[C_CODE].text);
    if ((status = find_taxonomy(ctx, st, &v[C_TAXONOMY], &taxonomy)) != SP_OK)
        return status;
    if (taxonomy != 0 && code.object != NULL) {
        sqlite3_bind_int64(st->s[S_NODE], 1, taxonomy);
        sqlite3_bind_text(st->s[S_NODE], 2, code.object, -1, SQLITE_STATIC);
        if ((status = sp_import_lookup(ctx, st->s[S_NODE], &one, &found)) != SP_OK)
            return status;
        if (!found)
            return sp_import_reject(ctx, C_CODE, -1, "code: '%s' is not a node of taxonomy "
                                    "'%s'", code.object, v[C_TAXONOMY].text);
    }
    if (taxonomy == 0)
        taxonomy = st->territory_taxonomy;
    if ((status = find_group(ctx, st, v, cycle, &group)) != SP_OK)
        return status;

    sqlite3_bind_int64(ins, 1, group);
    sqlite3_bind_text(ins, 2, canonical_question[v[C_QUESTION].i], -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, v[C_TEXT].text, (int)v[C_TEXT].len, SQLITE_STATIC);
    if (taxonomy)
        sqlite3_bind_int64(ins, 4, taxonomy);
    else
        sqlite3_bind_null(ins, 4);
    sqlite3_bind_text(ins, 5, code.object, -1, SQLITE_STATIC);        /* NULL binds NULL */
    sqlite3_bind_text(ins, 6, code.sense, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 7, code.beneficiary, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 8, code.object ? "import" : NULL, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 9, ctx->import_id);
    return sp_import_exec(ctx, ins, "criterion insert");
}

static int
criteria_end(sp_import_ctx_t *ctx)
{
    state_t *st = ctx->kind_data;
    sqlite3_int64 groups, neighbourhoods;
    int status;

    if ((status = count_places(ctx, st, &groups, &neighbourhoods)) != SP_OK)
        return status;
    if (groups > st->groups || neighbourhoods > st->neighbourhoods)
        ctx->note = apr_psprintf(ctx->pool, "%ld new group(s), %ld new neighbourhood(s)",
                                 (long)(groups - st->groups),
                                 (long)(neighbourhoods - st->neighbourhoods));
    return SP_OK;
}

const sp_import_kind_t sp_import_kind_criteria = {
    .name = "criteria",
    .summary = "criteria of citizen groups: one row per approved idea",
    .columns = columns,
    .begin = criteria_begin,
    .row = criteria_row,
    .end = criteria_end,
};
