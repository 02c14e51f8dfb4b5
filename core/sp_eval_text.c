/*
 * sp_eval_text.c -- the co-evaluation for people: sp_eval_render_text
 * prints the result object of sp_eval.c (with the ranking and synthesis
 * that cmd_evaluate.c adds), and sp_eval_template writes the CSV that the
 * evaluations import reads back, one row per action and component of the
 * grid.
 */
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_eval.h"
#include "sp_export.h"
#include "sp_text.h"

/* ---- text ------------------------------------------------------------------ */

static const char *
fmt(apr_pool_t *pool, json_t *v)
{
    if (json_is_number(v))
        return apr_psprintf(pool, "%.2f", json_number_value(v));
    if (json_is_string(v))
        return json_string_value(v);
    return "-";
}

static void
print_row(FILE *out, apr_pool_t *pool, const char *const *cells, const int *w, int n)
{
    int i;

    fputs("  ", out);
    for (i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? "  " : "", sp_text_pad(pool, cells[i], w[i], i > 0));
    fputc('\n', out);
}

/* Write a JSON value compactly (ranking, synthesis of any shape). */
static void
print_value(FILE *out, json_t *v, const char *indent)
{
    char *s;
    size_t i;
    json_t *x;

    if (json_is_string(v)) {
        fprintf(out, "%s%s\n", indent, json_string_value(v));
        return;
    }
    if (json_is_array(v)) {
        int strings = 1;

        json_array_foreach(v, i, x)
            strings = strings && json_is_string(x);
        if (strings) {
            json_array_foreach(v, i, x)
                fprintf(out, "%s%s\n", indent, json_string_value(x));
            return;
        }
    }
    s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    fprintf(out, "%s%s\n", indent, s ? s : "?");
    free(s);
}

int
sp_eval_render_text(const json_t *result, FILE *out, apr_pool_t *pool, sp_error_t **err)
{
    static const char *const head[] = {"component", "mean", "median", "min", "max", "spread",
                                       "sd", "groups", "flag"};
    static const int w[] = {10, 6, 6, 6, 6, 6, 6, 6, 12};
    json_t *a, *ph, *c, *x, *across = json_object_get(result, "across");
    const char *pn;
    size_t i, j;

    fprintf(out, "Plan %s -- %s\n", json_string_value(json_object_get(result, "plan")),
            json_string_value(json_object_get(result, "title")));
    fprintf(out, "Grid %s, scale %s..%s, disagreement when groups differ by more than %s\n",
            json_string_value(json_object_get(result, "grid")),
            fmt(pool, json_object_get(json_object_get(result, "scale"), "min")),
            fmt(pool, json_object_get(json_object_get(result, "scale"), "max")),
            fmt(pool, json_object_get(result, "threshold")));
    json_array_foreach(json_object_get(result, "actions"), i, a) {
        json_t *cr = json_object_get(a, "coresponsibility");

        fprintf(out, "\n%s -- %s\n", json_string_value(json_object_get(a, "code")),
                json_string_value(json_object_get(a, "title")));
        json_object_foreach(json_object_get(a, "phases"), pn, ph) {
            fprintf(out, " %s (mean %s)\n", pn, fmt(pool, json_object_get(ph, "mean")));
            print_row(out, pool, head, w, 9);
            json_array_foreach(json_object_get(ph, "components"), j, c) {
                const char *cells[9];

                cells[0] = json_string_value(json_object_get(c, "code"));
                cells[1] = fmt(pool, json_object_get(c, "mean"));
                cells[2] = fmt(pool, json_object_get(c, "median"));
                cells[3] = fmt(pool, json_object_get(c, "min"));
                cells[4] = fmt(pool, json_object_get(c, "max"));
                cells[5] = fmt(pool, json_object_get(c, "spread"));
                cells[6] = fmt(pool, json_object_get(c, "sd"));
                cells[7] = apr_psprintf(pool, "%ld", (long)json_integer_value(json_object_get(c, "n_groups")));
                cells[8] = json_is_true(json_object_get(c, "disagreement")) ? "DISAGREEMENT" : "";
                print_row(out, pool, cells, w, 9);
            }
            fputs("  families:", out);
            json_array_foreach(json_object_get(ph, "families"), j, c)
                fprintf(out, " %s %s", json_string_value(json_object_get(c, "family")),
                        fmt(pool, json_object_get(c, "mean")));
            fputc('\n', out);
        }
        if (json_object_size(json_object_get(a, "phases")) == 0)
            fputs(" not evaluated\n", out);
        json_array_foreach(json_object_get(a, "delta"), j, c)
            fprintf(out, " %s ex-ante %s -> ex-post %s (%+.2f)\n",
                    json_string_value(json_object_get(c, "code")),
                    fmt(pool, json_object_get(c, "ex_ante")), fmt(pool, json_object_get(c, "ex_post")),
                    json_real_value(json_object_get(c, "delta")));
        fprintf(out, " actors: %lu, sectors: %lu, new links:", (unsigned long)json_array_size(json_object_get(cr, "actors")),
                (unsigned long)json_array_size(json_object_get(cr, "sectors")));
        json_array_foreach(json_object_get(cr, "new_links"), j, c)
            fprintf(out, " %s+%s", json_string_value(json_array_get(c, 0)),
                    json_string_value(json_array_get(c, 1)));
        fputc('\n', out);
        json_array_foreach(json_object_get(a, "resources"), j, c)
            fprintf(out, " resource %s (via %s): use %s / limit %s %s, ratio %s%s\n",
                    json_string_value(json_object_get(c, "resource")),
                    json_string_value(json_object_get(c, "via")),
                    fmt(pool, json_object_get(c, "usage")), fmt(pool, json_object_get(c, "limit")),
                    json_string_value(json_object_get(c, "unit")),
                    fmt(pool, json_object_get(c, "ratio")),
                    json_is_true(json_object_get(c, "over_limit")) ? " OVER LIMIT" : "");
    }
    json_object_foreach(across, pn, x) {
        fprintf(out, "\nAcross actions, %s\n gaps:", pn);
        json_array_foreach(json_object_get(x, "gaps"), j, c)
            fprintf(out, " %s", json_string_value(c));
        fputc('\n', out);
        json_array_foreach(json_object_get(x, "overlaps"), j, c)
            fprintf(out, " overlap %s ~ %s (cosine %.3f)\n", json_string_value(json_object_get(c, "a")),
                    json_string_value(json_object_get(c, "b")), json_real_value(json_object_get(c, "cosine")));
        json_array_foreach(json_object_get(x, "complements"), j, c)
            fprintf(out, " complement %s + %s (%ld components)\n", json_string_value(json_object_get(c, "a")),
                    json_string_value(json_object_get(c, "b")),
                    (long)json_integer_value(json_object_get(c, "covered")));
    }
    if ((x = json_object_get(result, "ranking")) != NULL) {
        fputs("\nRanking (the grid's rank)\n", out);
        json_array_foreach(x, j, c)
            fprintf(out, " %2lu. %s%s%s\n", (unsigned long)(j + 1),
                    json_string_value(json_object_get(c, "action")),
                    json_object_get(c, "score") ? "  " : "",
                    json_object_get(c, "score") ? fmt(pool, json_object_get(c, "score")) : "");
    }
    if ((x = json_object_get(result, "synthesis")) != NULL) {
        fputs("\nSynthesis (the grid's co-evaluation guide)\n", out);
        if (json_is_array(x))
            json_array_foreach(x, j, c)
                print_value(out, c, " ");
        else if (json_is_object(x)) {
            json_object_foreach(x, pn, c) {
                fprintf(out, " %s:\n", pn);
                print_value(out, c, "   ");
            }
        } else
            print_value(out, x, " ");
    }
    if (fflush(out) != 0 || ferror(out))
        return sp_error_set(err, pool, SP_EXIT_IO, NULL, 0, 0, "cannot write the result");
    return SP_OK;
}

/* ---- the template ---------------------------------------------------------- */

static void
csv_field(FILE *out, const char *s)
{
    sp_export_csv_field(out, s, strlen(s), ',');
}

int
sp_eval_template(sp_store_t *store, const char *plan, const char *grid,
                 const char *const *components, FILE *out, apr_pool_t *pool, sp_error_t **err)
{
    static const char sql[] =
        "SELECT coalesce(p.code, ''), a.code, a.id FROM action a"
        " LEFT JOIN plan_action pa ON pa.action_id = a.id LEFT JOIN plan p ON p.id = pa.plan_id"
        " WHERE ?1 IS NULL OR p.code = ?1 ORDER BY p.code, a.code";
    sqlite3_stmt *st, *tags;
    int rc, status;

    if ((status = sp_store_prepare(store, sql, &st, pool, err)) != SP_OK)
        return status;
    if ((status = sp_store_prepare(store, "SELECT value FROM action_tag WHERE action_id = ?"
                                   " AND kind = 'component' ORDER BY value", &tags, pool,
                                   err)) != SP_OK) {
        sqlite3_finalize(st);
        return status;
    }
    if (plan)
        sqlite3_bind_text(st, 1, plan, -1, SQLITE_STATIC);
    fputs("plan,action,evaluator_group,evaluator_kind,phase,grid,component,score,comment,"
          "evaluated_on\n", out);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *p = sp_store_text_or_empty(st, 0), *a = sp_store_text_or_empty(st, 1);
        size_t k;

        if (components != NULL) {
            for (k = 0; components[k] != NULL; k++) {
                csv_field(out, p); fputc(',', out); csv_field(out, a);
                fputs(",,,ex-ante,", out); csv_field(out, grid); fputc(',', out);
                csv_field(out, components[k]); fputs(",,,\n", out);
            }
        } else {
            sqlite3_reset(tags);
            sqlite3_bind_int64(tags, 1, sqlite3_column_int64(st, 2));
            while (sqlite3_step(tags) == SQLITE_ROW) {
                csv_field(out, p); fputc(',', out); csv_field(out, a);
                fputs(",,,ex-ante,", out); csv_field(out, grid); fputc(',', out);
                csv_field(out, sp_store_text_or_empty(tags, 0)); fputs(",,,\n", out);
            }
        }
    }
    sqlite3_finalize(tags);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sp_store_fail(store->db, "reading actions", pool, err);
    if (fflush(out) != 0 || ferror(out))
        return sp_error_set(err, pool, SP_EXIT_IO, NULL, 0, 0, "cannot write the template");
    return SP_OK;
}
