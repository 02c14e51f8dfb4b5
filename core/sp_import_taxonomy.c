/*
 * sp_import_taxonomy.c -- taxonomies as data: their nodes, the mappings
 * between versions, and an analyst's bulk coding of criteria.
 *
 * `taxonomy` loads the families, components and sub-objects of one or more
 * versioned taxonomies (created on first sight by name and version); each
 * node's level must agree with the shape of its code and its parent must be
 * the code's own prefix, already known (earlier in the file or in the
 * workspace).  `taxonomy-map` says which code of a new version an old code
 * becomes, so that sp_criteria.c can count criteria in either version.
 * `codes` is how an analyst accepts or corrects the codes of criteria in
 * bulk (`spiral criteria accept`): all or nothing, like every import, and
 * each code is marked as the analyst's, or as an accepted suggestion when it
 * is the object code a rule had proposed.  Grammar checks come from
 * sp_import_kit.h and sp_criteria.h.
 */
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "sp_criteria.h"
#include "sp_import_kit.h"

/* --- taxonomy --------------------------------------------------------------- */

enum { T_NAME, T_VERSION, T_CODE, T_PARENT, T_LEVEL, T_LABEL_FR, T_LABEL_EN, T_PROVISIONAL };

/* Canonical spellings first, then French; level_of maps index -> level. */
static const char *const levels[] = {"family", "component", "subobject", "famille",
                                     "composante", "sous-objet", NULL};
static const char *const canonical_level[] = {"family", "component", "subobject",
                                              "family", "component", "subobject"};
/* Even indexes mean yes. */
static const char *const yes_no[] = {"yes", "no", "1", "0", "true", "false", "oui", "non", NULL};

static const sp_import_column_t taxonomy_columns[] = {
    {"name", "nom", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"version", NULL, SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"code", NULL, SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"parent", NULL, SP_VAL_TEXT, 0, 0, -1, NULL},
    {"level", "niveau", SP_VAL_CHOICE, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, levels},
    {"label_fr", "libelle", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"label_en", NULL, SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"provisional", "provisoire", SP_VAL_CHOICE, 0, 0, -1, yes_no},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

enum { TS_FIND, TS_ADD, TS_NODE, TS_INSERT, TS_TERRITORY, TS_ADOPT, TS_COUNT };
static const char *const taxonomy_sql[TS_COUNT] = {
    "SELECT id FROM taxonomy WHERE name = ?1 AND version = ?2",
    "INSERT INTO taxonomy (name, version) VALUES (?1, ?2)",
    "SELECT 1 FROM taxonomy_node WHERE taxonomy_id = ?1 AND code = ?2",
    "INSERT INTO taxonomy_node (taxonomy_id, code, parent_code, level, label_fr, label_en, "
    "provisional) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "SELECT 1 FROM territory WHERE id = ?1 AND taxonomy_id IS NULL",
    "UPDATE territory SET taxonomy_id = ?2 WHERE id = ?1"
};

typedef struct taxonomy_state_t {
    sqlite3_stmt **s;
    sqlite3_int64 first;        /* the first taxonomy of the file */
    const char *first_name;
    long taxonomies_created;
} taxonomy_state_t;

static int
taxonomy_begin(sp_import_ctx_t *ctx)
{
    taxonomy_state_t *st = apr_pcalloc(ctx->pool, sizeof *st);

    ctx->kind_data = st;
    return sp_import_prepare(ctx, taxonomy_sql, TS_COUNT, "preparing the taxonomy import",
                             &st->s);
}

/* The taxonomy (name, version), created on first sight. */
static int
taxonomy_find_or_add(sp_import_ctx_t *ctx, taxonomy_state_t *st, const char *name,
                     const char *version, sqlite3_int64 *id)
{
    int status, found;

    sqlite3_bind_text(st->s[TS_FIND], 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st->s[TS_FIND], 2, version, -1, SQLITE_STATIC);
    if ((status = sp_import_lookup(ctx, st->s[TS_FIND], id, &found)) != SP_OK || found)
        return status;
    sqlite3_bind_text(st->s[TS_ADD], 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st->s[TS_ADD], 2, version, -1, SQLITE_STATIC);
    if ((status = sp_import_exec(ctx, st->s[TS_ADD], "taxonomy insert")) != SP_OK)
        return status;
    *id = sqlite3_last_insert_rowid(ctx->store->db);
    st->taxonomies_created++;
    return SP_OK;
}

static int
node_exists(sp_import_ctx_t *ctx, sqlite3_stmt *stmt, sqlite3_int64 taxonomy, const char *code,
            int *found)
{
    sqlite3_int64 one;

    sqlite3_bind_int64(stmt, 1, taxonomy);
    sqlite3_bind_text(stmt, 2, code, -1, SQLITE_STATIC);
    return sp_import_lookup(ctx, stmt, &one, found);
}

static int
taxonomy_row(sp_import_ctx_t *ctx, const sp_import_value_t *v)
{
    taxonomy_state_t *st = ctx->kind_data;
    sqlite3_stmt *ins = st->s[TS_INSERT];
    const char *code = v[T_CODE].text, *level = canonical_level[v[T_LEVEL].i], *parent = NULL;
    const char *shape;
    size_t n = strlen(code);
    sqlite3_int64 taxonomy;
    int status, found;

    if (!sp_import_object_ok(code))
        return sp_import_reject(ctx, T_CODE, -1, "code: '%s' is not a taxonomy code: expected "
                                SP_IMPORT_OBJECT_GRAMMAR, code);
    shape = n == 1 ? "family" : n == 3 ? "component" : "subobject";
    if (strcmp(shape, level) != 0)
        return sp_import_reject(ctx, T_LEVEL, -1, "level: '%s' is a %s code, not a %s",
                                code, shape, level);
    if (n > 1)
        parent = apr_pstrndup(ctx->row_pool, code, n == 3 ? 1 : 3);
    if (v[T_PARENT].present) {
        if (parent == NULL)
            return sp_import_reject(ctx, T_PARENT, -1, "parent: a family has no parent, "
                                    "found '%s'", v[T_PARENT].text);
        if (strcmp(parent, v[T_PARENT].text) != 0)
            return sp_import_reject(ctx, T_PARENT, -1, "parent: the parent of '%s' is its "
                                    "prefix '%s', not '%s'", code, parent, v[T_PARENT].text);
    }
    if ((status = taxonomy_find_or_add(ctx, st, v[T_NAME].text, v[T_VERSION].text,
                                       &taxonomy)) != SP_OK)
        return status;
    if (st->first == 0) {
        st->first = taxonomy;
        st->first_name = apr_pstrcat(ctx->pool, v[T_NAME].text, ":", v[T_VERSION].text, NULL);
    }
    if ((status = node_exists(ctx, st->s[TS_NODE], taxonomy, code, &found)) != SP_OK)
        return status;
    if (found)
        return sp_import_reject(ctx, T_CODE, -1, "code: '%s' is already in taxonomy '%s:%s'",
                                code, v[T_NAME].text, v[T_VERSION].text);
    if (parent != NULL) {
        if ((status = node_exists(ctx, st->s[TS_NODE], taxonomy, parent, &found)) != SP_OK)
            return status;
        if (!found)
            return sp_import_reject(ctx, v[T_PARENT].present ? T_PARENT : T_CODE, -1,
                                    "parent: '%s' (parent of '%s') is not in taxonomy '%s:%s': "
                                    "a parent comes before its children", parent, code,
                                    v[T_NAME].text, v[T_VERSION].text);
    }
    sqlite3_bind_int64(ins, 1, taxonomy);
    sqlite3_bind_text(ins, 2, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, parent, -1, SQLITE_STATIC);     /* NULL binds NULL */
    sqlite3_bind_text(ins, 4, level, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 5, v[T_LABEL_FR].text, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 6, v[T_LABEL_EN].text, -1, SQLITE_STATIC);
    sqlite3_bind_int(ins, 7, v[T_PROVISIONAL].present && v[T_PROVISIONAL].i % 2 == 0);
    return sp_import_exec(ctx, ins, "taxonomy node insert");
}

/* A territory without a taxonomy adopts the first one loaded: it is what
 * criteria imported without a taxonomy column are filed under. */
static int
taxonomy_end(sp_import_ctx_t *ctx)
{
    taxonomy_state_t *st = ctx->kind_data;
    sqlite3_int64 one;
    int status, found = 0;

    if (ctx->territory_id != 0 && st->first != 0) {
        sqlite3_bind_int64(st->s[TS_TERRITORY], 1, ctx->territory_id);
        if ((status = sp_import_lookup(ctx, st->s[TS_TERRITORY], &one, &found)) != SP_OK)
            return status;
        if (found) {
            sqlite3_bind_int64(st->s[TS_ADOPT], 1, ctx->territory_id);
            sqlite3_bind_int64(st->s[TS_ADOPT], 2, st->first);
            if ((status = sp_import_exec(ctx, st->s[TS_ADOPT], "territory update")) != SP_OK)
                return status;
        }
    }
    ctx->note = apr_psprintf(ctx->pool, "%ld new taxonomy version(s)%s%s",
                             st->taxonomies_created,
                             found ? "; the territory now uses " : "",
                             found ? st->first_name : "");
    return SP_OK;
}

const sp_import_kind_t sp_import_kind_taxonomy = {
    .name = "taxonomy",
    .summary = "taxonomy nodes: families, components, sub-objects of a versioned taxonomy",
    .columns = taxonomy_columns,
    .begin = taxonomy_begin,
    .row = taxonomy_row,
    .end = taxonomy_end,
};

/* --- taxonomy-map ------------------------------------------------------------- */

enum { M_FROM, M_FROM_CODE, M_TO, M_TO_CODE };

static const sp_import_column_t map_columns[] = {
    {"from", "de", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"from_code", "code_de", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"to", "vers", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"to_code", "code_vers", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

enum { MS_FIND, MS_NODE, MS_DUP, MS_INSERT, MS_COUNT };
static const char *const map_sql[MS_COUNT] = {
    "SELECT id FROM taxonomy WHERE name = ?1 AND version = ?2",
    "SELECT 1 FROM taxonomy_node WHERE taxonomy_id = ?1 AND code = ?2",
    "SELECT 1 FROM taxonomy_map WHERE from_taxonomy_id = ?1 AND from_code = ?2 "
    "AND to_taxonomy_id = ?3",
    "INSERT INTO taxonomy_map (from_taxonomy_id, from_code, to_taxonomy_id, to_code) "
    "VALUES (?1, ?2, ?3, ?4)"
};

static int
map_begin(sp_import_ctx_t *ctx)
{
    sqlite3_stmt **s;
    int status;

    if ((status = sp_import_prepare(ctx, map_sql, MS_COUNT, "preparing the mapping import",
                                    &s)) == SP_OK)
        ctx->kind_data = s;
    return status;
}

/* The taxonomy "name:version" of column col; a row error when unknown. */
static int
map_taxonomy(sp_import_ctx_t *ctx, sqlite3_stmt *find, int col, const sp_import_value_t *v,
             sqlite3_int64 *id)
{
    const char *name, *version;
    int status, found;

    if (!sp_criteria_taxonomy_split(v->text, &name, &version, ctx->row_pool))
        return sp_import_reject(ctx, col, -1, "%s: '%s' is not valid: expected name:version, "
                                "e.g. spiral:2013", map_columns[col].name, v->text);
    sqlite3_bind_text(find, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(find, 2, version, -1, SQLITE_STATIC);
    if ((status = sp_import_lookup(ctx, find, id, &found)) != SP_OK)
        return status;
    if (!found)
        return sp_import_reject(ctx, col, -1, "%s: unknown taxonomy '%s' (import it first)",
                                map_columns[col].name, v->text);
    return SP_OK;
}

static int
map_code(sp_import_ctx_t *ctx, sqlite3_stmt *node, int col, sqlite3_int64 taxonomy,
         const sp_import_value_t *code, const sp_import_value_t *tax)
{
    int status, found;

    if (!sp_import_object_ok(code->text))
        return sp_import_reject(ctx, col, -1, "%s: '%s' is not a taxonomy code: expected "
                                SP_IMPORT_OBJECT_GRAMMAR, map_columns[col].name, code->text);
    if ((status = node_exists(ctx, node, taxonomy, code->text, &found)) != SP_OK)
        return status;
    if (!found)
        return sp_import_reject(ctx, col, -1, "%s: '%s' is not a node of taxonomy '%s'",
                                map_columns[col].name, code->text, tax->text);
    return SP_OK;
}

static int
map_row(sp_import_ctx_t *ctx, const sp_import_value_t *v)
{
    sqlite3_stmt **s = ctx->kind_data;
    sqlite3_int64 from, to, one;
    int status, found;

    if ((status = map_taxonomy(ctx, s[MS_FIND], M_FROM, &v[M_FROM], &from)) != SP_OK
        || (status = map_taxonomy(ctx, s[MS_FIND], M_TO, &v[M_TO], &to)) != SP_OK)
        return status;
    if (from == to)
        return sp_import_reject(ctx, M_TO, -1, "to: a mapping goes from one taxonomy to "
                                "another, not to '%s' itself", v[M_TO].text);
    if ((status = map_code(ctx, s[MS_NODE], M_FROM_CODE, from, &v[M_FROM_CODE],
                           &v[M_FROM])) != SP_OK
        || (status = map_code(ctx, s[MS_NODE], M_TO_CODE, to, &v[M_TO_CODE], &v[M_TO])) != SP_OK)
        return status;
    sqlite3_bind_int64(s[MS_DUP], 1, from);
    sqlite3_bind_text(s[MS_DUP], 2, v[M_FROM_CODE].text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s[MS_DUP], 3, to);
    if ((status = sp_import_lookup(ctx, s[MS_DUP], &one, &found)) != SP_OK)
        return status;
    if (found)
        return sp_import_reject(ctx, M_FROM_CODE, -1, "from_code: '%s' of '%s' is already "
                                "mapped to '%s'", v[M_FROM_CODE].text, v[M_FROM].text,
                                v[M_TO].text);
    sqlite3_bind_int64(s[MS_INSERT], 1, from);
    sqlite3_bind_text(s[MS_INSERT], 2, v[M_FROM_CODE].text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s[MS_INSERT], 3, to);
    sqlite3_bind_text(s[MS_INSERT], 4, v[M_TO_CODE].text, -1, SQLITE_STATIC);
    return sp_import_exec(ctx, s[MS_INSERT], "mapping insert");
}

const sp_import_kind_t sp_import_kind_taxonomy_map = {
    .name = "taxonomy-map",
    .summary = "how the codes of one taxonomy version map to another's",
    .columns = map_columns,
    .begin = map_begin,
    .row = map_row,
};

/* --- codes (spiral criteria accept) ---------------------------------------------- */

enum { K_CRITERION, K_CODE };

static const sp_import_column_t codes_columns[] = {
    {"criterion_id", "critere", SP_VAL_INT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 1, 9e15, NULL},
    {"code", NULL, SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

enum { KS_CRITERION, KS_NODE, KS_SUGGESTED, KS_UPDATE, KS_COUNT };
static const char *const codes_sql[KS_COUNT] = {
    /* The taxonomy a criterion is checked against: its own, else its
     * territory's; 0 when neither (then only the grammar is checked). */
    "SELECT coalesce(c.taxonomy_id, t.taxonomy_id, 0) FROM criterion c "
    "JOIN citizen_group g ON g.id = c.group_id JOIN territory t ON t.id = g.territory_id "
    "WHERE c.id = ?1",
    "SELECT 1 FROM taxonomy_node WHERE taxonomy_id = ?1 AND code = ?2",
    "SELECT 1 FROM criterion_suggestion WHERE criterion_id = ?1 AND object_code = ?2",
    "UPDATE criterion SET object_code = ?2, sense_code = ?3, beneficiary_code = ?4, "
    "coded_by = ?5, taxonomy_id = nullif(?6, 0) WHERE id = ?1"
};

typedef struct codes_state_t {
    sqlite3_stmt **s;
    apr_hash_t *seen;           /* criterion id -> line that coded it */
    long analyst, accepted;
} codes_state_t;

static int
codes_begin(sp_import_ctx_t *ctx)
{
    codes_state_t *st = apr_pcalloc(ctx->pool, sizeof *st);

    st->seen = apr_hash_make(ctx->pool);
    ctx->kind_data = st;
    return sp_import_prepare(ctx, codes_sql, KS_COUNT, "preparing the codes import", &st->s);
}

static int
codes_row(sp_import_ctx_t *ctx, const sp_import_value_t *v)
{
    codes_state_t *st = ctx->kind_data;
    sqlite3_stmt **s = st->s;
    sp_criteria_code_t code;
    sqlite3_int64 taxonomy = 0, one;
    long *seen, *line;
    void *key;
    int status, found, suggested = 0;

    if (!sp_criteria_code_parse(v[K_CODE].text, &code, ctx->row_pool))
        return sp_import_reject(ctx, K_CODE, -1, "code: '%s' is not a criterion code: expected "
                                SP_CRITERIA_CODE_GRAMMAR, v[K_CODE].text);
    sqlite3_bind_int64(s[KS_CRITERION], 1, v[K_CRITERION].i);
    if ((status = sp_import_lookup(ctx, s[KS_CRITERION], &taxonomy, &found)) != SP_OK)
        return status;
    if (!found)
        return sp_import_reject(ctx, K_CRITERION, -1, "criterion_id: no criterion %ld in the "
                                "workspace", (long)v[K_CRITERION].i);
    if ((seen = apr_hash_get(st->seen, &v[K_CRITERION].i, sizeof v[K_CRITERION].i)) != NULL)
        return sp_import_reject(ctx, K_CRITERION, -1, "criterion_id: criterion %ld was "
                                "already coded on line %ld", (long)v[K_CRITERION].i, *seen);
    if (taxonomy != 0) {
        if ((status = node_exists(ctx, s[KS_NODE], taxonomy, code.object, &found)) != SP_OK)
            return status;
        if (!found)
            return sp_import_reject(ctx, K_CODE, -1, "code: '%s' is not a node of the "
                                    "criterion's taxonomy", code.object);
    }
    sqlite3_bind_int64(s[KS_SUGGESTED], 1, v[K_CRITERION].i);
    sqlite3_bind_text(s[KS_SUGGESTED], 2, code.object, -1, SQLITE_STATIC);
    if ((status = sp_import_lookup(ctx, s[KS_SUGGESTED], &one, &suggested)) != SP_OK)
        return status;

    sqlite3_bind_int64(s[KS_UPDATE], 1, v[K_CRITERION].i);
    sqlite3_bind_text(s[KS_UPDATE], 2, code.object, -1, SQLITE_STATIC);
    sqlite3_bind_text(s[KS_UPDATE], 3, code.sense, -1, SQLITE_STATIC);
    sqlite3_bind_text(s[KS_UPDATE], 4, code.beneficiary, -1, SQLITE_STATIC);
    sqlite3_bind_text(s[KS_UPDATE], 5, suggested ? "accepted-suggestion" : "analyst", -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(s[KS_UPDATE], 6, taxonomy);
    if ((status = sp_import_exec(ctx, s[KS_UPDATE], "criterion update")) != SP_OK)
        return status;
    key = apr_pmemdup(ctx->pool, &v[K_CRITERION].i, sizeof v[K_CRITERION].i);
    line = apr_palloc(ctx->pool, sizeof *line);
    *line = (long)ctx->record->line;
    apr_hash_set(st->seen, key, sizeof v[K_CRITERION].i, line);
    if (suggested)
        st->accepted++;
    else
        st->analyst++;
    return SP_OK;
}

static int
codes_end(sp_import_ctx_t *ctx)
{
    codes_state_t *st = ctx->kind_data;

    ctx->note = apr_psprintf(ctx->pool, "%ld accepted suggestion(s), %ld analyst's code(s)",
                             st->accepted, st->analyst);
    return SP_OK;
}

const sp_import_kind_t sp_import_kind_codes = {
    .name = "codes",
    .summary = "an analyst's codes for criteria (criterion_id, code): `spiral criteria accept`",
    .columns = codes_columns,
    .begin = codes_begin,
    .row = codes_row,
    .end = codes_end,
};
