/*
 * sp_import_table.c -- any CSV as a typed table of the analyst's own.
 *
 * A first pass over the file infers each column's type: integer when every
 * value is one (and none has a leading zero, which marks a code such as a
 * postcode), real when every value is a number (with a decimal comma in
 * files delimited by ';' or tab), text otherwise; `--type COL=TYPE`
 * overrides.  The second pass is the framework's ordinary one.  Rows keep
 * their file order in the _row column, and user_table records the columns.
 */
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include <apr_strings.h>
#include "sp_import.h"

typedef enum { T_INTEGER, T_REAL, T_TEXT } coltype_t;
static const char *const type_names[] = {"integer", "real", "text"};

typedef struct table_t {
    size_t ncols;
    coltype_t *type;
    sqlite3_stmt *insert;
} table_t;

static int
name_ok(const char *s)
{
    size_t i;

    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
        return 0;
    for (i = 1; s[i]; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_'
              || (s[i] >= '0' && s[i] <= '9')))
            return 0;
    return i <= 63;
}

static int
leading_zero(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    return s[0] == '0' && s[1] >= '0' && s[1] <= '9';
}

/* Pass 1: the narrowest type that holds every value of each column. */
static int
infer_types(sp_import_ctx_t *ctx, table_t *t)
{
    sp_csv_t *csv;
    sp_csv_record_t rec;
    size_t c;
    int rc, status;
    apr_pool_t *scratch;

    apr_pool_create(&scratch, ctx->pool);
    if ((status = sp_csv_open(&csv, ctx->path, &ctx->options->csv, scratch, ctx->err)) != SP_OK)
        return status;
    if (sp_csv_next(csv, &rec, ctx->err) != 1)
        return SP_EXIT_SOFTWARE;        /* the framework has read this header already */
    for (c = 0; c < t->ncols; c++)
        t->type[c] = T_INTEGER;
    while ((rc = sp_csv_next(csv, &rec, ctx->err)) == 1) {
        for (c = 0; c < t->ncols && c < rec.nfields; c++) {
            const char *v = rec.field[c];
            long long i;
            double r;

            if (rec.len[c] == 0 || t->type[c] == T_TEXT)
                continue;
            if (t->type[c] == T_INTEGER && (!sp_parse_int(v, &i) || leading_zero(v)))
                t->type[c] = T_REAL;
            if (t->type[c] == T_REAL
                && (!sp_parse_real(v, ctx->decimal_comma, &r) || leading_zero(v)))
                t->type[c] = T_TEXT;
        }
    }
    apr_pool_destroy(scratch);
    return rc == 0 ? SP_OK : rc;    /* a broken file fails here, before any write */
}

static int
apply_overrides(sp_import_ctx_t *ctx, table_t *t)
{
    const char *const *o;
    size_t c;
    int k;

    for (o = ctx->options->types; o != NULL && *o != NULL; o++) {
        const char *eq = strchr(*o, '=');
        size_t n = eq ? (size_t)(eq - *o) : 0;

        if (eq == NULL)
            return sp_error_set(ctx->err, ctx->pool, SP_EXIT_USAGE, NULL, 0, 0,
                                "--type %s: expected COLUMN=TYPE", *o);
        for (c = 0; c < t->ncols; c++)
            if (strlen(ctx->header->field[c]) == n && strncasecmp(ctx->header->field[c], *o, n) == 0)
                break;
        if (c == t->ncols)
            return sp_error_set(ctx->err, ctx->pool, SP_EXIT_USAGE, NULL, 0, 0,
                                "--type %s: the file has no column '%.*s'", *o, (int)n, *o);
        for (k = 0; k < 3 && strcasecmp(type_names[k], eq + 1) != 0; k++)
            ;
        if (k == 3)
            return sp_error_set(ctx->err, ctx->pool, SP_EXIT_USAGE, NULL, 0, 0,
                                "--type %s: type must be integer, real or text", *o);
        t->type[c] = (coltype_t)k;
    }
    return SP_OK;
}

static apr_status_t
finalize_insert(void *data)
{
    sqlite3_finalize(((table_t *)data)->insert);
    return APR_SUCCESS;
}

static int
table_begin(sp_import_ctx_t *ctx)
{
    const char *name = ctx->options->target;
    sqlite3 *db = ctx->store->db;
    table_t *t = apr_pcalloc(ctx->pool, sizeof *t);
    const char *sql_name, *create, *insert, *cols_json;
    sqlite3_stmt *stmt;
    json_t *cols;
    size_t c;
    int status, rc, exists;

    if (name == NULL || !name_ok(name))
        return sp_error_set(ctx->err, ctx->pool, SP_EXIT_USAGE, NULL, 0, 0,
                            "table name '%s' must be letters, digits and '_', starting "
                            "with a letter", name ? name : "");
    sql_name = apr_pstrcat(ctx->pool, "t_", name, NULL);
    t->ncols = ctx->header->nfields;
    t->type = apr_pcalloc(ctx->pool, sizeof *t->type * t->ncols);
    ctx->kind_data = t;
    for (c = 0; c < t->ncols; c++)
        if (strcasecmp(ctx->header->field[c], "_row") == 0)
            return sp_error_set(ctx->err, ctx->pool, SP_EXIT_DATA, ctx->path, ctx->header->line,
                                (long)c + 1, "column name '_row' is reserved");
    if ((status = infer_types(ctx, t)) != SP_OK || (status = apply_overrides(ctx, t)) != SP_OK)
        return status;

    if (sqlite3_prepare_v2(db, "SELECT 1 FROM user_table WHERE name = ?1", -1, &stmt, NULL) != SQLITE_OK)
        return sp_store_fail(db, "user table lookup", ctx->pool, ctx->err);
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    exists = sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_finalize(stmt);
    if (exists && !ctx->options->force)
        return sp_error_set(ctx->err, ctx->pool, SP_EXIT_DATA, ctx->path, 0, 0,
                            "table '%s' already exists; use --force to replace it", name);
    if (exists) {
        char *sql = sqlite3_mprintf("DROP TABLE \"%w\"; DELETE FROM user_table WHERE name = %Q;",
                                    sql_name, name);

        status = sp_store_exec(ctx->store, sql, ctx->pool, ctx->err);
        sqlite3_free(sql);
        if (status != SP_OK)
            return status;
    }

    cols = json_array();
    create = apr_psprintf(ctx->pool, "CREATE TABLE \"%s\" (_row INTEGER PRIMARY KEY", sql_name);
    insert = apr_psprintf(ctx->pool, "INSERT INTO \"%s\" VALUES (NULL", sql_name);
    for (c = 0; c < t->ncols; c++) {
        char *col = sqlite3_mprintf("%w", ctx->header->field[c]);

        create = apr_psprintf(ctx->pool, "%s, \"%s\" %s", create, col,
                              t->type[c] == T_INTEGER ? "INTEGER"
                              : t->type[c] == T_REAL ? "REAL" : "TEXT");
        insert = apr_psprintf(ctx->pool, "%s, ?%ld", insert, (long)c + 1);
        sqlite3_free(col);
        json_array_append_new(cols, json_pack("{s:s, s:s}", "name", ctx->header->field[c],
                                              "type", type_names[t->type[c]]));
    }
    create = apr_pstrcat(ctx->pool, create, ") STRICT", NULL);
    insert = apr_pstrcat(ctx->pool, insert, ")", NULL);
    cols_json = json_dumps(cols, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(cols);
    if ((status = sp_store_exec(ctx->store, create, ctx->pool, ctx->err)) != SP_OK) {
        free((void *)cols_json);
        return status;
    }
    if (sqlite3_prepare_v2(db, "INSERT INTO user_table (name, sql_name, columns, import_id) "
                           "VALUES (?1, ?2, ?3, ?4)", -1, &stmt, NULL) != SQLITE_OK) {
        free((void *)cols_json);
        return sp_store_fail(db, "user table insert", ctx->pool, ctx->err);
    }
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, sql_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, cols_json, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 4, ctx->import_id);
    rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    free((void *)cols_json);
    if (rc != SQLITE_DONE)
        return sp_store_fail(db, "user table insert", ctx->pool, ctx->err);
    if (sqlite3_prepare_v2(db, insert, -1, &t->insert, NULL) != SQLITE_OK)
        return sp_store_fail(db, "user table insert", ctx->pool, ctx->err);
    apr_pool_cleanup_register(ctx->pool, t, finalize_insert, apr_pool_cleanup_null);
    return SP_OK;
}

static int
table_row(sp_import_ctx_t *ctx, const sp_import_value_t *values)
{
    table_t *t = ctx->kind_data;
    const sp_csv_record_t *rec = ctx->record;
    size_t c;

    (void)values;
    sqlite3_reset(t->insert);
    for (c = 0; c < t->ncols; c++) {
        const char *v = rec->field[c];
        long long i;
        double r;
        int bind = (int)c + 1;

        if (rec->len[c] == 0) {
            sqlite3_bind_null(t->insert, bind);
        } else if (t->type[c] == T_INTEGER) {
            if (!sp_parse_int(v, &i))
                return sp_import_reject(ctx, -1, (int)c, "%s: '%s' is not valid: expected an "
                                        "integer", ctx->header->field[c], v);
            sqlite3_bind_int64(t->insert, bind, i);
        } else if (t->type[c] == T_REAL) {
            if (!sp_parse_real(v, ctx->decimal_comma, &r))
                return sp_import_reject(ctx, -1, (int)c, "%s: '%s' is not valid: expected a "
                                        "number", ctx->header->field[c], v);
            sqlite3_bind_double(t->insert, bind, r);
        } else {
            sqlite3_bind_text(t->insert, bind, v, (int)rec->len[c], SQLITE_STATIC);
        }
    }
    if (sqlite3_step(t->insert) != SQLITE_DONE)
        return sp_store_fail(ctx->store->db, "user table insert", ctx->pool, ctx->err);
    return SP_OK;
}

static const sp_import_column_t no_columns[] = {{NULL, NULL, 0, 0, 0, 0, NULL}};

const sp_import_kind_t sp_import_kind_table = {
    .name = "table",
    .summary = "any CSV as a typed table of your own (spiral import table NAME FILE)",
    .columns = no_columns,
    .extra_columns = 1,
    .begin = table_begin,
    .row = table_row,
};
