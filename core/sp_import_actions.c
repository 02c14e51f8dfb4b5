/*
 * sp_import_actions.c -- actions of co-responsibility and their
 * co-evaluations.
 *
 * `actions`: one row per action, with the three viewpoints of the plan
 * (co-responsibility, impact on well-being, savings of resources) and
 * '|'-separated tag lists (themes, problématiques, well-being components,
 * actors, sectors, keywords) that become action_tag rows; the text goes
 * into the contentless full-text index action_fts under the action's id.
 * An action may name a plan, created on first sight.
 *
 * `evaluations`: long format, one row per action, evaluator group, phase,
 * grid and component, with its score; the evaluation (action, group, phase,
 * grid) is created on first sight, and a component scored twice in one
 * evaluation is an error, so a merged spreadsheet cannot count twice.
 */
#include <string.h>
#include <apr_strings.h>
#include "sp_import_kit.h"

#define MAX_TAGS 256

/* --- actions ------------------------------------------------------------ */

enum { A_CODE, A_TITLE, A_SUMMARY, A_COUNTRY, A_TOWN, A_NEIGHBOURHOOD, A_STARTED, A_ENDED,
       A_THEMES, A_PROBLEMATIQUES, A_COMPONENTS, A_ACTORS, A_SECTORS, A_KEYWORDS,
       A_CORESP, A_IMPACT, A_SAVINGS, A_PLAN };

static const sp_import_column_t action_columns[] = {
    {"code", NULL, SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"title", "titre", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"summary", "resume", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"country", "pays", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"town", "ville", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"neighbourhood", "quartier", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"started_on", "debut", SP_VAL_DATE, 0, 0, -1, NULL},
    {"ended_on", "fin", SP_VAL_DATE, 0, 0, -1, NULL},
    {"themes", "thematiques", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"problematiques", "problématiques", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"components", "composantes", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"actors", "acteurs", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"sectors", "secteurs", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"keywords", "mots_cles", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"coresponsibility", "coresponsabilite", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"wellbeing_impact", "impact_bien_etre", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"resource_savings", "economies_ressources", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"plan", NULL, SP_VAL_TEXT, 0, 0, -1, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

/* The tag columns, in order, and the action_tag.kind each fills. */
static const int tag_column[] = {A_THEMES, A_PROBLEMATIQUES, A_COMPONENTS, A_ACTORS, A_SECTORS,
                                 A_KEYWORDS};
static const char *const tag_kind[] = {"theme", "problematique", "component", "actor", "sector",
                                       "keyword"};
#define NTAGKINDS (sizeof tag_column / sizeof tag_column[0])

enum { SA_FIND, SA_INSERT, SA_TAG, SA_FTS, SA_PLAN_FIND, SA_PLAN_ADD, SA_PLAN_ACTION, SA_COUNT };
static const char *const action_sql[SA_COUNT] = {
    "SELECT id FROM action WHERE code = ?1",
    "INSERT INTO action (code, title, summary, country, town, neighbourhood, territory_id, "
    "started_on, ended_on, coresponsibility, wellbeing_impact, resource_savings, import_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    "INSERT OR IGNORE INTO action_tag (action_id, kind, value) VALUES (?1, ?2, ?3)",
    "INSERT INTO action_fts (rowid, title, summary, coresponsibility, wellbeing_impact, "
    "resource_savings, tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "SELECT id FROM plan WHERE code = ?1",
    "INSERT INTO plan (code, title, territory_id) VALUES (?1, ?1, ?2)",
    "INSERT OR IGNORE INTO plan_action (plan_id, action_id) VALUES (?1, ?2)"
};

typedef struct actions_t {
    sqlite3_stmt **s;
    long new_plans;
} actions_t;

static int
actions_begin(sp_import_ctx_t *ctx)
{
    actions_t *st = apr_pcalloc(ctx->pool, sizeof *st);

    ctx->kind_data = st;
    return sp_import_prepare(ctx, action_sql, SA_COUNT, "preparing the actions import", &st->s);
}

static void
bind_territory(sp_import_ctx_t *ctx, sqlite3_stmt *stmt, int i)
{
    if (ctx->territory_id)
        sqlite3_bind_int64(stmt, i, ctx->territory_id);
    else
        sqlite3_bind_null(stmt, i);
}

/* The plan with this code, created on first sight. */
static int
plan_id(sp_import_ctx_t *ctx, actions_t *st, const char *code, sqlite3_int64 *id)
{
    int status, found;

    sqlite3_bind_text(st->s[SA_PLAN_FIND], 1, code, -1, SQLITE_STATIC);
    if ((status = sp_import_lookup(ctx, st->s[SA_PLAN_FIND], id, &found)) != SP_OK || found)
        return status;
    sqlite3_bind_text(st->s[SA_PLAN_ADD], 1, code, -1, SQLITE_STATIC);
    bind_territory(ctx, st->s[SA_PLAN_ADD], 2);
    if ((status = sp_import_exec(ctx, st->s[SA_PLAN_ADD], "plan insert")) != SP_OK)
        return status;
    *id = sqlite3_last_insert_rowid(ctx->store->db);
    st->new_plans++;
    return SP_OK;
}

static int
actions_row(sp_import_ctx_t *ctx, const sp_import_value_t *v)
{
    actions_t *st = ctx->kind_data;
    sqlite3_stmt *ins = st->s[SA_INSERT], *tag = st->s[SA_TAG], *fts = st->s[SA_FTS];
    char **items[NTAGKINDS];
    int nitems[NTAGKINDS], status, found, i, k;
    const char *words = "";
    sqlite3_int64 id, plan = 0;

    sqlite3_bind_text(st->s[SA_FIND], 1, v[A_CODE].text, -1, SQLITE_STATIC);
    if ((status = sp_import_lookup(ctx, st->s[SA_FIND], &id, &found)) != SP_OK)
        return status;
    if (found)
        return sp_import_reject(ctx, A_CODE, -1, "code: action '%s' already exists",
                                v[A_CODE].text);
    if (v[A_STARTED].present && v[A_ENDED].present
        && strcmp(v[A_ENDED].text, v[A_STARTED].text) < 0)
        return sp_import_reject(ctx, A_ENDED, -1, "ended_on: '%s' is before started_on '%s'",
                                v[A_ENDED].text, v[A_STARTED].text);
    for (k = 0; k < (int)NTAGKINDS; k++) {
        const sp_import_value_t *tv = &v[tag_column[k]];

        items[k] = apr_palloc(ctx->row_pool, sizeof(char *) * MAX_TAGS);
        nitems[k] = tv->present ? sp_import_split(apr_pstrdup(ctx->row_pool, tv->text),
                                                  items[k], MAX_TAGS) : 0;
        for (i = 0; i < nitems[k]; i++) {
            if (tag_column[k] == A_COMPONENTS && !sp_import_object_ok(items[k][i]))
                return sp_import_reject(ctx, A_COMPONENTS, -1, "components: '%s' is not a "
                                        "well-being component: expected "
                                        SP_IMPORT_OBJECT_GRAMMAR, items[k][i]);
            words = apr_pstrcat(ctx->row_pool, words, *words ? " " : "", items[k][i], NULL);
        }
    }

    sqlite3_bind_text(ins, 1, v[A_CODE].text, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, v[A_TITLE].text, -1, SQLITE_STATIC);
    for (i = A_SUMMARY; i <= A_NEIGHBOURHOOD; i++)
        sqlite3_bind_text(ins, 3 + i - A_SUMMARY, v[i].text, -1, SQLITE_STATIC);
    bind_territory(ctx, ins, 7);
    sp_import_bind_optional(ins, 8, &v[A_STARTED]);
    sp_import_bind_optional(ins, 9, &v[A_ENDED]);
    sqlite3_bind_text(ins, 10, v[A_CORESP].text, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 11, v[A_IMPACT].text, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 12, v[A_SAVINGS].text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 13, ctx->import_id);
    if ((status = sp_import_exec(ctx, ins, "action insert")) != SP_OK)
        return status;
    id = sqlite3_last_insert_rowid(ctx->store->db);

    for (k = 0; k < (int)NTAGKINDS; k++)
        for (i = 0; i < nitems[k]; i++) {
            sqlite3_bind_int64(tag, 1, id);
            sqlite3_bind_text(tag, 2, tag_kind[k], -1, SQLITE_STATIC);
            sqlite3_bind_text(tag, 3, items[k][i], -1, SQLITE_STATIC);
            if ((status = sp_import_exec(ctx, tag, "action tag insert")) != SP_OK)
                return status;
        }
    sqlite3_bind_int64(fts, 1, id);
    sqlite3_bind_text(fts, 2, v[A_TITLE].text, -1, SQLITE_STATIC);
    sqlite3_bind_text(fts, 3, v[A_SUMMARY].text, -1, SQLITE_STATIC);
    sqlite3_bind_text(fts, 4, v[A_CORESP].text, -1, SQLITE_STATIC);
    sqlite3_bind_text(fts, 5, v[A_IMPACT].text, -1, SQLITE_STATIC);
    sqlite3_bind_text(fts, 6, v[A_SAVINGS].text, -1, SQLITE_STATIC);
    sqlite3_bind_text(fts, 7, words, -1, SQLITE_STATIC);
    if ((status = sp_import_exec(ctx, fts, "action index insert")) != SP_OK)
        return status;

    if (v[A_PLAN].present) {
        if ((status = plan_id(ctx, st, v[A_PLAN].text, &plan)) != SP_OK)
            return status;
        sqlite3_bind_int64(st->s[SA_PLAN_ACTION], 1, plan);
        sqlite3_bind_int64(st->s[SA_PLAN_ACTION], 2, id);
        if ((status = sp_import_exec(ctx, st->s[SA_PLAN_ACTION], "plan action insert")) != SP_OK)
            return status;
    }
    return SP_OK;
}

static int
actions_end(sp_import_ctx_t *ctx)
{
    actions_t *st = ctx->kind_data;

    if (st->new_plans)
        ctx->note = apr_psprintf(ctx->pool, "%ld new plan(s)", st->new_plans);
    return SP_OK;
}

const sp_import_kind_t sp_import_kind_actions = {
    .name = "actions",
    .summary = "actions of co-responsibility, with tags, viewpoints and plan",
    .columns = action_columns,
    .begin = actions_begin,
    .row = actions_row,
    .end = actions_end,
};

/* --- evaluations ---------------------------------------------------------- */

enum { E_PLAN, E_ACTION, E_GROUP, E_GROUP_KIND, E_PHASE, E_GRID, E_COMPONENT, E_SCORE,
       E_COMMENT, E_DATE };

/* Canonical spellings first; canonical_phase maps the French ones back. */
static const char *const phases[] = {"ex-ante", "ex-post", "avant", "après", "apres", NULL};
static const char *const canonical_phase[] = {"ex-ante", "ex-post", "ex-ante", "ex-post",
                                              "ex-post"};

static const sp_import_column_t evaluation_columns[] = {
    {"plan", NULL, SP_VAL_TEXT, 0, 0, -1, NULL},
    {"action", NULL, SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"evaluator_group", "groupe_evaluateur", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY,
     0, -1, NULL},
    {"evaluator_kind", "type_evaluateur", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"phase", NULL, SP_VAL_CHOICE, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, phases},
    {"grid", "grille", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"component", "composante", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"score", "note", SP_VAL_REAL, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"comment", "commentaire", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"evaluated_on", "date_evaluation", SP_VAL_DATE, 0, 0, -1, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

enum { SE_ACTION, SE_PLAN, SE_IN_PLAN, SE_GROUP_FIND, SE_GROUP_ADD, SE_EVAL_FIND, SE_EVAL_ADD,
       SE_EVAL_DATE, SE_SCORE_FIND, SE_SCORE_ADD, SE_COUNT };
static const char *const evaluation_sql[SE_COUNT] = {
    "SELECT id FROM action WHERE code = ?1",
    "SELECT id FROM plan WHERE code = ?1",
    "SELECT 1 FROM plan_action WHERE plan_id = ?1 AND action_id = ?2",
    "SELECT id, kind FROM evaluator_group WHERE code = ?1",
    "INSERT INTO evaluator_group (code, kind) VALUES (?1, ?2)",
    "SELECT id, evaluated_on FROM evaluation WHERE action_id = ?1 AND evaluator_group_id = ?2 "
    "AND phase = ?3 AND grid = ?4",
    "INSERT INTO evaluation (action_id, evaluator_group_id, phase, grid, evaluated_on, "
    "import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "UPDATE evaluation SET evaluated_on = ?2 WHERE id = ?1",
    "SELECT 1 FROM evaluation_score WHERE evaluation_id = ?1 AND component_code = ?2",
    "INSERT INTO evaluation_score (evaluation_id, component_code, score, comment) "
    "VALUES (?1, ?2, ?3, ?4)"
};

typedef struct evaluations_t {
    sqlite3_stmt **s;
    long new_groups, new_evaluations;
} evaluations_t;

static int
evaluations_begin(sp_import_ctx_t *ctx)
{
    evaluations_t *st = apr_pcalloc(ctx->pool, sizeof *st);

    ctx->kind_data = st;
    return sp_import_prepare(ctx, evaluation_sql, SE_COUNT, "preparing the evaluations import",
                             &st->s);
}

/* The evaluator group with this code, created on first sight; a kind that
 * contradicts the stored one is an error.  *id is 0 after a rejection. */
static int
evaluator_group(sp_import_ctx_t *ctx, evaluations_t *st, const sp_import_value_t *v,
                sqlite3_int64 *id, int check_only)
{
    sqlite3_stmt *find = st->s[SE_GROUP_FIND], *add = st->s[SE_GROUP_ADD];
    const char *kind = v[E_GROUP_KIND].present ? v[E_GROUP_KIND].text : v[E_GROUP].text;
    int rc, status = SP_OK;

    *id = 0;
    sqlite3_bind_text(find, 1, v[E_GROUP].text, -1, SQLITE_STATIC);
    rc = sqlite3_step(find);
    if (rc == SQLITE_ROW) {
        const char *stored = (const char *)sqlite3_column_text(find, 1);

        *id = sqlite3_column_int64(find, 0);
        if (v[E_GROUP_KIND].present && strcmp(stored, kind) != 0)
            status = sp_import_reject(ctx, E_GROUP_KIND, -1, "evaluator_kind: evaluator group "
                                      "'%s' is of kind '%s', not '%s'", v[E_GROUP].text,
                                      stored, kind);
        sqlite3_reset(find);
        return status;
    }
    sqlite3_reset(find);
    if (rc != SQLITE_DONE)
        return sp_store_fail(ctx->store->db, "evaluator group lookup", ctx->pool, ctx->err);
    if (check_only)
        return SP_OK;
    sqlite3_bind_text(add, 1, v[E_GROUP].text, -1, SQLITE_STATIC);
    sqlite3_bind_text(add, 2, kind, -1, SQLITE_STATIC);
    if ((status = sp_import_exec(ctx, add, "evaluator group insert")) != SP_OK)
        return status;
    *id = sqlite3_last_insert_rowid(ctx->store->db);
    st->new_groups++;
    return SP_OK;
}

/* The evaluation of this row; *id is 0 when it does not exist yet, and
 * *date its date (in row_pool) or NULL. */
static int
find_evaluation(sp_import_ctx_t *ctx, evaluations_t *st, sqlite3_int64 action,
                sqlite3_int64 group, const char *phase, const char *grid, sqlite3_int64 *id,
                const char **date)
{
    sqlite3_stmt *find = st->s[SE_EVAL_FIND];
    int rc;

    *id = 0;
    *date = NULL;
    if (group == 0)
        return SP_OK;
    sqlite3_bind_int64(find, 1, action);
    sqlite3_bind_int64(find, 2, group);
    sqlite3_bind_text(find, 3, phase, -1, SQLITE_STATIC);
    sqlite3_bind_text(find, 4, grid, -1, SQLITE_STATIC);
    rc = sqlite3_step(find);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(find, 0);
        if (sqlite3_column_type(find, 1) != SQLITE_NULL)
            *date = apr_pstrdup(ctx->row_pool, (const char *)sqlite3_column_text(find, 1));
    }
    sqlite3_reset(find);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sp_store_fail(ctx->store->db, "evaluation lookup", ctx->pool, ctx->err);
    return SP_OK;
}

static int
evaluations_row(sp_import_ctx_t *ctx, const sp_import_value_t *v)
{
    evaluations_t *st = ctx->kind_data;
    const char *phase = canonical_phase[v[E_PHASE].i];
    const char *grid = v[E_GRID].present ? v[E_GRID].text : "default";
    const char *date = NULL;
    sqlite3_int64 action, plan, group, evaluation, one;
    sqlite3_stmt *stmt;
    int status, found;

    /* References and duplicates first: nothing is written for a bad row. */
    sqlite3_bind_text(st->s[SE_ACTION], 1, v[E_ACTION].text, -1, SQLITE_STATIC);
    if ((status = sp_import_lookup(ctx, st->s[SE_ACTION], &action, &found)) != SP_OK)
        return status;
    if (!found)
        return sp_import_reject(ctx, E_ACTION, -1, "action: unknown action '%s' (import it "
                                "with `spiral import actions` first)", v[E_ACTION].text);
    if (v[E_PLAN].present) {
        sqlite3_bind_text(st->s[SE_PLAN], 1, v[E_PLAN].text, -1, SQLITE_STATIC);
        if ((status = sp_import_lookup(ctx, st->s[SE_PLAN], &plan, &found)) != SP_OK)
            return status;
        if (!found)
            return sp_import_reject(ctx, E_PLAN, -1, "plan: unknown plan '%s'", v[E_PLAN].text);
        sqlite3_bind_int64(st->s[SE_IN_PLAN], 1, plan);
        sqlite3_bind_int64(st->s[SE_IN_PLAN], 2, action);
        if ((status = sp_import_lookup(ctx, st->s[SE_IN_PLAN], &one, &found)) != SP_OK)
            return status;
        if (!found)
            return sp_import_reject(ctx, E_PLAN, -1, "plan: action '%s' is not part of plan "
                                    "'%s'", v[E_ACTION].text, v[E_PLAN].text);
    }
    if (!sp_import_object_ok(v[E_COMPONENT].text))
        return sp_import_reject(ctx, E_COMPONENT, -1, "component: '%s' is not a well-being "
                                "component: expected " SP_IMPORT_OBJECT_GRAMMAR,
                                v[E_COMPONENT].text);
    if ((status = evaluator_group(ctx, st, v, &group, 1)) != SP_OK
        || (status = find_evaluation(ctx, st, action, group, phase, grid, &evaluation,
                                     &date)) != SP_OK)
        return status;
    if (evaluation != 0) {
        sqlite3_bind_int64(st->s[SE_SCORE_FIND], 1, evaluation);
        sqlite3_bind_text(st->s[SE_SCORE_FIND], 2, v[E_COMPONENT].text, -1, SQLITE_STATIC);
        if ((status = sp_import_lookup(ctx, st->s[SE_SCORE_FIND], &one, &found)) != SP_OK)
            return status;
        if (found)
            return sp_import_reject(ctx, E_COMPONENT, -1, "component: %s is scored twice in "
                                    "the %s evaluation of action '%s' by '%s' (grid '%s')",
                                    v[E_COMPONENT].text, phase, v[E_ACTION].text,
                                    v[E_GROUP].text, grid);
        if (date != NULL && v[E_DATE].present && strcmp(date, v[E_DATE].text) != 0)
            return sp_import_reject(ctx, E_DATE, -1, "evaluated_on: '%s' differs from the "
                                    "date of this evaluation, %s", v[E_DATE].text, date);
    }

    if (group == 0 && (status = evaluator_group(ctx, st, v, &group, 0)) != SP_OK)
        return status;
    if (evaluation == 0) {
        stmt = st->s[SE_EVAL_ADD];
        sqlite3_bind_int64(stmt, 1, action);
        sqlite3_bind_int64(stmt, 2, group);
        sqlite3_bind_text(stmt, 3, phase, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, grid, -1, SQLITE_STATIC);
        sp_import_bind_optional(stmt, 5, &v[E_DATE]);
        sqlite3_bind_int64(stmt, 6, ctx->import_id);
        if ((status = sp_import_exec(ctx, stmt, "evaluation insert")) != SP_OK)
            return status;
        evaluation = sqlite3_last_insert_rowid(ctx->store->db);
        st->new_evaluations++;
    } else if (date == NULL && v[E_DATE].present) {
        stmt = st->s[SE_EVAL_DATE];
        sqlite3_bind_int64(stmt, 1, evaluation);
        sqlite3_bind_text(stmt, 2, v[E_DATE].text, -1, SQLITE_STATIC);
        if ((status = sp_import_exec(ctx, stmt, "evaluation update")) != SP_OK)
            return status;
    }
    stmt = st->s[SE_SCORE_ADD];
    sqlite3_bind_int64(stmt, 1, evaluation);
    sqlite3_bind_text(stmt, 2, v[E_COMPONENT].text, -1, SQLITE_STATIC);
    sqlite3_bind_double(stmt, 3, v[E_SCORE].r);
    sqlite3_bind_text(stmt, 4, v[E_COMMENT].text, -1, SQLITE_STATIC);
    return sp_import_exec(ctx, stmt, "evaluation score insert");
}

static int
evaluations_end(sp_import_ctx_t *ctx)
{
    evaluations_t *st = ctx->kind_data;

    ctx->note = apr_psprintf(ctx->pool, "%ld new evaluation(s), %ld new evaluator group(s)",
                             st->new_evaluations, st->new_groups);
    return SP_OK;
}

const sp_import_kind_t sp_import_kind_evaluations = {
    .name = "evaluations",
    .summary = "co-evaluation scores: one row per action, group, phase and component",
    .columns = evaluation_columns,
    .begin = evaluations_begin,
    .row = evaluations_row,
    .end = evaluations_end,
};
