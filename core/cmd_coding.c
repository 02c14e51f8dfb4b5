/*
 * cmd_coding.c -- `spiral criteria suggest`: codes proposed for the
 * uncoded criteria by the keyword rules of scripts/lib/coding.lua (and a
 * territory's coding.lua), stored as criterion_suggestion rows and written
 * as a CSV file the analyst corrects and hands back to `spiral criteria
 * accept` (cmd_criteria.c), whose import kind for such a file is here.
 *
 * The program never codes a criterion itself: suggest writes only
 * suggestions (all earlier ones are replaced, in one transaction), and a
 * code reaches a criterion only through accept, marked
 * 'accepted-suggestion' when it equals the suggestion, else 'analyst'.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <apr_strings.h>
#include "cmd_workflow.h"

/* ... = the territory's coding module or "". */
static const char suggest_driver[] =
    "local override = ...\n"
    "local coding = require 'lib.coding'\n"
    "local ev = require('spiral').evaluate\n"
    "local config = coding.config(override ~= '' and require(override) or nil, override)\n"
    "local out = {}\n"
    "for i, c in ipairs(ev.input().criteria) do\n"
    "  local s = coding.suggest(c.text, config) or {}\n"
    "  out[i] = { id = c.id, code = s.code or '', rule = s.rule or '', score = s.score or 0 }\n"
    "end\n"
    "ev.emit({ suggestions = out })\n";

/* One CSV field, quoted when it holds a delimiter, a quote or a line end. */
static void
csv_field(FILE *f, const char *s, int last)
{
    if (strpbrk(s, ",\"\r\n") != NULL) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputc(last ? '\n' : ',', f);
}

/* The uncoded criteria as {"criteria": [{id, text}]} plus their group and
 * question for the CSV (kept in rows, same order). */
static int
load_uncoded(cmd_wf_t *wf, json_t **input, json_t **rows, sp_error_t **err)
{
    sqlite3_stmt *s = NULL;
    json_t *list = json_array();
    int status, rc;

    *rows = json_array();
    *input = json_pack("{s:o}", "criteria", list);
    status = sp_store_prepare(wf->store, "SELECT c.id, g.name, c.question, c.text FROM "
                              "criterion c JOIN citizen_group g ON g.id = c.group_id "
                              "WHERE c.object_code IS NULL AND g.territory_id = ?1 "
                              "ORDER BY c.id", &s, wf->cli->pool, err);
    if (status != SP_OK)
        return status;
    sqlite3_bind_int64(s, 1, wf->territory->id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_int_t id = sqlite3_column_int64(s, 0);
        const char *text = (const char *)sqlite3_column_text(s, 3);

        json_array_append_new(list, json_pack("{s:I,s:s}", "id", id, "text", text));
        json_array_append_new(*rows, json_pack("{s:I,s:s,s:s,s:s}", "id", id,
            "group", (const char *)sqlite3_column_text(s, 1),
            "question", (const char *)sqlite3_column_text(s, 2), "text", text));
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? SP_OK
        : sp_store_fail(wf->store->db, "reading the criteria", wf->cli->pool, err);
}

/* Replace every suggestion by those of sugg (one transaction, rolled back on
 * any failure) and write the CSV to out. */
static int
store_and_write(cmd_wf_t *wf, json_t *rows, json_t *sugg, FILE *out, long *nsuggested,
                long *ndoubt, sp_error_t **err)
{
    apr_pool_t *pool = wf->cli->pool;
    sqlite3_stmt *ins = NULL;
    size_t i;
    json_t *row;
    int status;

    *nsuggested = *ndoubt = 0;
    if ((status = sp_store_begin(wf->store, pool, err)) != SP_OK)
        return status;
    if ((status = sp_store_exec(wf->store, "DELETE FROM criterion_suggestion", pool, err))
            != SP_OK
        || (status = sp_store_prepare(wf->store, "INSERT INTO criterion_suggestion "
                                      "(criterion_id, object_code, rule, score) "
                                      "VALUES (?1, ?2, ?3, ?4)", &ins, pool, err)) != SP_OK)
        goto done;
    fputs("criterion_id,group,question,text,code,rule,score\n", out);
    json_array_foreach(rows, i, row) {
        json_t *s = json_array_get(sugg, i);
        json_int_t id = json_integer_value(json_object_get(row, "id"));
        const char *code = json_string_value(json_object_get(s, "code"));
        const char *rule = json_string_value(json_object_get(s, "rule"));
        double score = json_number_value(json_object_get(s, "score"));
        const char *score_text = "";

        if (s == NULL || json_integer_value(json_object_get(s, "id")) != id) {
            status = sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0, "lib/coding.lua "
                                  "returned suggestions out of order");
            goto done;
        }
        code = code ? code : "";
        rule = rule ? rule : "";
        if (*code != '\0') {
            sqlite3_reset(ins);
            sqlite3_bind_int64(ins, 1, id);
            sqlite3_bind_text(ins, 2, code, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 3, rule, -1, SQLITE_STATIC);
            sqlite3_bind_double(ins, 4, score);
            if (sqlite3_step(ins) != SQLITE_DONE) {
                status = sp_store_fail(wf->store->db, "storing a suggestion", pool, err);
                goto done;
            }
            ++*nsuggested;
        } else if (*rule != '\0') {
            ++*ndoubt;
        }
        if (*rule != '\0')
            score_text = apr_psprintf(pool, "%g", score);
        fputs(apr_ltoa(pool, (long)id), out);
        fputc(',', out);
        csv_field(out, json_string_value(json_object_get(row, "group")), 0);
        csv_field(out, json_string_value(json_object_get(row, "question")), 0);
        csv_field(out, json_string_value(json_object_get(row, "text")), 0);
        csv_field(out, code, 0);
        csv_field(out, rule, 0);
        csv_field(out, score_text, 1);
    }
    if (fflush(out) != 0 || ferror(out)) {
        status = sp_error_set(err, pool, SP_EXIT_IO, NULL, 0, 0, "cannot write the CSV: %s",
                              strerror(errno));
        goto done;
    }
    sqlite3_finalize(ins);
    ins = NULL;
    status = sp_store_commit(wf->store, pool, err);
done:
    sqlite3_finalize(ins);
    if (status != SP_OK)
        sp_store_rollback(wf->store);
    return status;
}

int
cmd_criteria_suggest(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"territory-dir", required_argument, NULL, 'T'},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0}
    };
    const char *tdir = NULL, *output = NULL, *args[2];
    cmd_wf_t wf;
    sp_error_t *err = NULL;
    json_t *input, *rows, *res = NULL;
    FILE *out = stdout;
    long nsugg, ndoubt;
    int c, status;

    while ((c = getopt_long(argc, argv, "T:o:", options, NULL)) != -1) {
        switch (c) {
        case 'T': tdir = optarg; break;
        case 'o': output = optarg; break;
        default: return sp_cli_usage(cli, "criteria", "unknown option");
        }
    }
    if (optind < argc)
        return sp_cli_usage(cli, "criteria", "unexpected argument '%s'", argv[optind]);
    if ((status = cmd_wf_open(cli, tdir, &wf, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    if ((status = load_uncoded(&wf, &input, &rows, &err)) != SP_OK) {
        json_decref(input);
        json_decref(rows);
        return sp_cli_fail(cli, err);
    }
    args[0] = cmd_wf_module(&wf, "coding");
    args[1] = NULL;
    status = cmd_wf_lua(&wf, suggest_driver, "=criteria suggest", input, args, &res, &err);
    json_decref(input);
    if (status == SP_OK && json_array_size(json_object_get(res, "suggestions"))
                           != json_array_size(rows))
        status = sp_error_set(&err, cli->pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                              "lib/coding.lua returned %ld suggestions for %ld criteria",
                              (long)json_array_size(json_object_get(res, "suggestions")),
                              (long)json_array_size(rows));
    if (status == SP_OK && output != NULL && (out = fopen(output, "w")) == NULL)
        status = sp_error_set(&err, cli->pool, SP_EXIT_CANTCREAT, output, 0, 0,
                              "cannot create: %s", strerror(errno));
    if (status == SP_OK)
        status = store_and_write(&wf, rows, json_object_get(res, "suggestions"), out, &nsugg,
                                 &ndoubt, &err);
    if (out != stdout && out != NULL && fclose(out) != 0 && status == SP_OK)
        status = sp_error_set(&err, cli->pool, SP_EXIT_IO, output, 0, 0, "cannot write: %s",
                              strerror(errno));
    if (status != SP_OK) {
        json_decref(rows);
        return sp_cli_fail(cli, err);
    }
    if (!cli->quiet)
        fprintf(stderr, "criteria suggest: %ld uncoded criteria: %ld suggestion(s), %ld in "
                "doubt between families (no code), %ld without a rule%s%s\n",
                (long)json_array_size(rows), nsugg, ndoubt,
                (long)json_array_size(rows) - nsugg - ndoubt, output ? "; written to " : "",
                output ? output : "");
    json_decref(rows);
    return SP_OK;
}

/* --- the accept kind for a suggestions file ----------------------------------- */

/* criterion_id and code first, in the places the codes kind reads them. */
static const sp_import_column_t suggestion_columns[] = {
    {"criterion_id", "critere", SP_VAL_INT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 1, 9e15, NULL},
    {"code", NULL, SP_VAL_TEXT, SP_COL_REQUIRED, 0, -1, NULL},
    {"group", "groupe", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"question", NULL, SP_VAL_TEXT, 0, 0, -1, NULL},
    {"text", "texte", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"rule", "regle", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"score", NULL, SP_VAL_TEXT, 0, 0, -1, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

/* One import per process: the rows left uncoded. */
static long left_uncoded;

static int
suggestion_begin(sp_import_ctx_t *ctx)
{
    left_uncoded = 0;
    return sp_import_kind_find("codes")->begin(ctx);
}

static int
suggestion_row(sp_import_ctx_t *ctx, const sp_import_value_t *v)
{
    if (!v[1].present) {
        left_uncoded++;
        return SP_OK;
    }
    return sp_import_kind_find("codes")->row(ctx, v);
}

static int
suggestion_end(sp_import_ctx_t *ctx)
{
    const sp_import_kind_t *codes = sp_import_kind_find("codes");
    int status = codes->end ? codes->end(ctx) : SP_OK;

    ctx->rows_imported -= left_uncoded;
    if (status == SP_OK && left_uncoded > 0)
        ctx->note = apr_psprintf(ctx->pool, "%s%s%ld left uncoded (empty code)",
                                 ctx->note ? ctx->note : "", ctx->note ? ", " : "",
                                 left_uncoded);
    return status;
}

static const sp_import_kind_t suggestion_kind = {
    .name = "codes",
    .summary = "codes for criteria as written by `spiral criteria suggest`",
    .columns = suggestion_columns,
    .begin = suggestion_begin,
    .row = suggestion_row,
    .end = suggestion_end,
};

const sp_import_kind_t *
cmd_coding_accept_kind(const char *path)
{
    char line[4096], *p, *field;
    FILE *f = fopen(path, "r");
    int found = 0;

    if (f == NULL)
        return sp_import_kind_find("codes");
    if (fgets(line, sizeof line, f) != NULL) {
        p = line;
        if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
            p += 3;
        for (field = strtok(p, ",;\t\r\n"); field; field = strtok(NULL, ",;\t\r\n")) {
            if (*field == '"')
                field++;
            if (strncasecmp(field, "rule", 4) == 0 && (field[4] == '\0' || field[4] == '"'))
                found = 1;
        }
    }
    fclose(f);
    return found ? &suggestion_kind : sp_import_kind_find("codes");
}
