/*
 * sp_export.c -- CSV and JSON writers for workspace tables (see sp_export.h).
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <apr_strings.h>
#include "sp_export.h"

void
sp_export_real(char *buf, size_t size, double v, int decimal_comma)
{
    int prec;
    char *p;

    for (prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    if (decimal_comma && (p = strchr(buf, '.')) != NULL)
        *p = ',';
}

void
sp_export_csv_field(FILE *out, const char *s, size_t len, char sep)
{
    size_t i;

    if (memchr(s, sep, len) == NULL && memchr(s, '"', len) == NULL
        && memchr(s, '\n', len) == NULL && memchr(s, '\r', len) == NULL) {
        fwrite(s, 1, len, out);
        return;
    }
    fputc('"', out);
    for (i = 0; i < len; i++) {
        if (s[i] == '"')
            fputc('"', out);
        fputc(s[i], out);
    }
    fputc('"', out);
}

static int
lookup(sp_store_t *store, const char *name, const char **sql_name, apr_pool_t *pool,
       sp_error_t **err)
{
    sqlite3_stmt *stmt;
    const char *known = "";

    if (sqlite3_prepare_v2(store->db, "SELECT name, sql_name FROM user_table ORDER BY name", -1,
                           &stmt, NULL) != SQLITE_OK)
        return sp_store_fail(store->db, "user table lookup", pool, err);
    *sql_name = NULL;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        const char *n = (const char *)sqlite3_column_text(stmt, 0);

        if (strcmp(n, name) == 0)
            *sql_name = apr_pstrdup(pool, (const char *)sqlite3_column_text(stmt, 1));
        known = apr_pstrcat(pool, known, *known ? ", " : "", n, NULL);
    }
    sqlite3_finalize(stmt);
    if (*sql_name == NULL)
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                            "no table '%s' in this workspace (tables: %s)", name,
                            *known ? known : "none yet; see `spiral import table`");
    return SP_OK;
}

static void
write_csv_value(FILE *out, sqlite3_stmt *stmt, int i, const sp_export_options_t *o)
{
    char buf[64];

    switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_NULL:
        break;
    case SQLITE_INTEGER:
        fprintf(out, "%lld", (long long)sqlite3_column_int64(stmt, i));
        break;
    case SQLITE_FLOAT:
        sp_export_real(buf, sizeof buf, sqlite3_column_double(stmt, i), o->decimal_comma);
        sp_export_csv_field(out, buf, strlen(buf), o->sep);
        break;
    default:
        sp_export_csv_field(out, (const char *)sqlite3_column_text(stmt, i),
                            (size_t)sqlite3_column_bytes(stmt, i), o->sep);
    }
}

static json_t *
json_value(sqlite3_stmt *stmt, int i)
{
    switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_NULL: return json_null();
    case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT: return json_real(sqlite3_column_double(stmt, i));
    default:
        return json_stringn((const char *)sqlite3_column_text(stmt, i),
                            (size_t)sqlite3_column_bytes(stmt, i));
    }
}

int
sp_export_table(sp_store_t *store, const char *name, const sp_export_options_t *o,
                FILE *out, apr_pool_t *pool, sp_error_t **err)
{
    const char *sql_name;
    sqlite3_stmt *stmt;
    int status, ncols, i, rc, first = 1;
    char *sql;

    if ((status = lookup(store, name, &sql_name, pool, err)) != SP_OK)
        return status;
    sql = sqlite3_mprintf("SELECT * FROM \"%w\" ORDER BY _row", sql_name);
    rc = sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return sp_store_fail(store->db, "export", pool, err);
    ncols = sqlite3_column_count(stmt);
    if (o->format == SP_EXPORT_CSV) {
        for (i = 1; i < ncols; i++) {
            const char *h = sqlite3_column_name(stmt, i);

            if (i > 1)
                fputc(o->sep, out);
            sp_export_csv_field(out, h, strlen(h), o->sep);
        }
        fputs("\r\n", out);
    } else {
        fputc('[', out);
    }
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (o->format == SP_EXPORT_CSV) {
            for (i = 1; i < ncols; i++) {
                if (i > 1)
                    fputc(o->sep, out);
                write_csv_value(out, stmt, i, o);
            }
            fputs("\r\n", out);
        } else {
            json_t *obj = json_object();

            for (i = 1; i < ncols; i++)
                json_object_set_new(obj, sqlite3_column_name(stmt, i), json_value(stmt, i));
            fputs(first ? "\n  " : ",\n  ", out);
            json_dumpf(obj, out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
            json_decref(obj);
            first = 0;
        }
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return sp_store_fail(store->db, "export", pool, err);
    if (o->format == SP_EXPORT_JSON)
        fputs(first ? "]\n" : "\n]\n", out);
    if (fflush(out) != 0 || ferror(out))
        return sp_error_set(err, pool, SP_EXIT_IO, NULL, 0, 0, "cannot write the export");
    return SP_OK;
}
