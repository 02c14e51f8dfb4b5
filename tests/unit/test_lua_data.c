/*
 * test_lua_data.c -- spiral.data.query and its authorizer
 * (core/lua/sp_lua_data.c).
 *
 * A fresh workspace in a scratch folder holds one respondent, one free
 * text and one import ledger row; the tests prepare statements through
 * sp_lua_sql_prepare (the authorizer alone) and run scripts through an
 * engine with the whole spiral module (the binding end to end).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "sp_engine.h"
#include "lua/sp_lua.h"

typedef struct fixture {
    apr_pool_t *pool;
    sp_store_t *store;
    char dir[64];
    char out[4096];
    size_t outlen;
} fixture;

static void
capture(void *baton, const char *data, size_t len)
{
    fixture *f = baton;

    if (len > sizeof f->out - 1 - f->outlen)
        len = sizeof f->out - 1 - f->outlen;
    memcpy(f->out + f->outlen, data, len);
    f->outlen += len;
    f->out[f->outlen] = '\0';
}

static const char SEED[] =
    "INSERT INTO import_ledger (kind, file_name, sha256, encoding, delimiter, rows_imported) "
    "VALUES ('responses', 'secret-file.csv', 'x', 'utf-8', ',', 1);"
    "INSERT INTO territory (code, name) VALUES ('MUL', 'Mulhouse');"
    "INSERT INTO survey_wave (territory_id, code) VALUES (1, '2025');"
    "INSERT INTO survey_form (code, label_fr, label_en) VALUES ('adults', 'Adultes', 'Adults');"
    "INSERT INTO indicator (code, component_code, label_fr, label_en, nlevels) "
    "VALUES ('housing', 'A03', 'Logement', 'Housing', 5), ('health', 'A02', 'Santé', 'Health', 5);"
    "INSERT INTO respondent (wave_id, form_id, pseudonym, levels) "
    "VALUES (1, 1, zeroblob(32), x'0304');"
    "INSERT INTO free_text (respondent_id, field, text) VALUES (1, 'comment', 'private');";

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    sp_error_t *err = NULL;

    apr_pool_create(&f->pool, NULL);
    strcpy(f->dir, "/tmp/test_lua_data.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    assert_int_equal(sp_store_open(&f->store, apr_pstrcat(f->pool, f->dir, "/ws.db", NULL), 0,
                                   f->pool, &err), SP_OK);
    assert_int_equal(sqlite3_exec(f->store->db, SEED, NULL, NULL, NULL), SQLITE_OK);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;
    const char *dir = apr_pstrdup(f->pool, f->dir);
    char cmd[128];

    apr_pool_destroy(f->pool);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    free(f);
    return system(cmd) == 0 ? 0 : -1;
}

/* Prepare sql with nparams parameters; return the SQLite code. */
static int
prepare(fixture *f, const char *sql, int nparams, const char **why)
{
    sqlite3_stmt *st = NULL;
    int rc = sp_lua_sql_prepare(f->store->db, sql, nparams, &st, why);

    if (rc == SQLITE_OK) {
        assert_non_null(st);
        sqlite3_finalize(st);
        sqlite3_set_authorizer(f->store->db, NULL, NULL);
    } else {
        assert_null(st);
    }
    return rc;
}

static void
select_with_a_bound_parameter_is_allowed(void **state)
{
    const char *why = NULL;

    assert_int_equal(prepare(*state, "SELECT code, nlevels FROM indicator WHERE code = ?", 1,
                             &why), SQLITE_OK);
}

static void
joins_and_functions_are_allowed(void **state)
{
    const char *why = NULL;

    assert_int_equal(prepare(*state, "SELECT upper(f.code), count(r.id) FROM survey_form f "
                             "LEFT JOIN respondent r ON r.form_id = f.id GROUP BY f.code",
                             0, &why), SQLITE_OK);
}

static void
writing_is_refused(void **state)
{
    const char *why = NULL;

    assert_int_equal(prepare(*state, "INSERT INTO indicator (code, component_code, label_fr, "
                             "label_en, nlevels) VALUES (?, 'A01', 'x', 'x', 3)", 1, &why),
                     SQLITE_AUTH);
    assert_string_equal(why, SP_LUA_SQL_REFUSED);
    assert_int_equal(prepare(*state, "DELETE FROM indicator", 0, &why), SQLITE_AUTH);
    assert_int_equal(prepare(*state, "UPDATE indicator SET nlevels = 3", 0, &why), SQLITE_AUTH);
    assert_int_equal(prepare(*state, "DROP TABLE indicator", 0, &why), SQLITE_AUTH);
}

static void
pragma_attach_and_transactions_are_refused(void **state)
{
    const char *why = NULL;

    assert_int_equal(prepare(*state, "PRAGMA user_version", 0, &why), SQLITE_AUTH);
    assert_int_equal(prepare(*state, "ATTACH '/tmp/x.db' AS x", 0, &why), SQLITE_AUTH);
    assert_int_equal(prepare(*state, "COMMIT", 0, &why), SQLITE_AUTH);
}

static void
free_text_is_refused(void **state)
{
    const char *why = NULL;

    assert_int_equal(prepare(*state, "SELECT text FROM free_text", 0, &why), SQLITE_AUTH);
    assert_int_equal(prepare(*state, "SELECT count(*) FROM free_text", 0, &why), SQLITE_AUTH);
}

static void
pseudonym_columns_are_refused(void **state)
{
    const char *why = NULL;

    assert_int_equal(prepare(*state, "SELECT pseudonym FROM respondent", 0, &why), SQLITE_AUTH);
    assert_int_equal(prepare(*state, "SELECT * FROM respondent", 0, &why), SQLITE_AUTH);
    assert_int_equal(prepare(*state, "SELECT invitee FROM pact_invitation", 0, &why),
                     SQLITE_AUTH);
    /* Other columns of the same table stay readable. */
    assert_int_equal(prepare(*state, "SELECT id, weight, age_band FROM respondent", 0, &why),
                     SQLITE_OK);
}

static void
import_file_names_are_refused_but_not_the_rest_of_the_ledger(void **state)
{
    const char *why = NULL;

    assert_int_equal(prepare(*state, "SELECT file_name FROM import_ledger", 0, &why),
                     SQLITE_AUTH);
    assert_int_equal(prepare(*state, "SELECT kind, rows_imported FROM import_ledger", 0, &why),
                     SQLITE_OK);
}

static void
a_second_statement_is_refused(void **state)
{
    const char *why = NULL;

    assert_int_equal(prepare(*state, "SELECT 1; DELETE FROM indicator", 0, &why), SQLITE_AUTH);
    /* A trailing semicolon alone is fine. */
    assert_int_equal(prepare(*state, "SELECT 1;  ", 0, &why), SQLITE_OK);
}

static void
a_parameter_count_mismatch_is_refused(void **state)
{
    const char *why = NULL;

    assert_int_equal(prepare(*state, "SELECT code FROM indicator WHERE code = ?", 0, &why),
                     SQLITE_RANGE);
    assert_non_null(strstr(why, "parameters"));
    assert_int_equal(prepare(*state, "SELECT code FROM indicator", 2, &why), SQLITE_RANGE);
}

static void
the_authorizer_is_removed_after_a_refusal(void **state)
{
    fixture *f = *state;
    const char *why = NULL;

    assert_int_equal(prepare(f, "DELETE FROM indicator", 0, &why), SQLITE_AUTH);
    assert_int_equal(sqlite3_exec(f->store->db, "UPDATE indicator SET bad_at_most = 1",
                                  NULL, NULL, NULL), SQLITE_OK);
}

/* Run code in an engine over the fixture's workspace. */
static int
run(fixture *f, const char *code, long long rows, sp_error_t **err)
{
    sp_engine_config_t cfg;
    sp_limits_t lim;
    sp_engine_t *eng;

    sp_limits_init(&lim);
    if (rows > 0)
        lim.value[SP_LIMIT_ROWS] = rows;
    memset(&cfg, 0, sizeof cfg);
    cfg.limits = &lim;
    cfg.store = f->store;
    cfg.output = capture;
    cfg.output_baton = f;
    assert_int_equal(sp_engine_create(&eng, &cfg, f->pool, err), SP_OK);
    assert_int_equal(sp_lua_open_all(eng, err), SP_OK);
    f->outlen = 0;
    f->out[0] = '\0';
    return sp_engine_run_string(eng, code, (size_t)-1, "=t", 0, NULL, err);
}

static void
query_returns_typed_rows_with_bound_values(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;

    assert_int_equal(run(f, "local d = require('spiral').data\n"
                         "local r = d.query('SELECT code, nlevels, 0.5 AS h, NULL AS z FROM "
                         "indicator WHERE nlevels >= ? AND code <> ? ORDER BY code', 5, 'x')\n"
                         "print(#r, r[1].code, math.type(r[1].nlevels), r[1].h, r[1].z, "
                         "r[2].code)", 0, &err), SP_OK);
    assert_string_equal(f->out, "2\thealth\tinteger\t0.5\tnil\thousing\n");
}

static void
query_raises_on_refused_sql_and_leaves_the_workspace_unchanged(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;
    sqlite3_stmt *st;

    assert_int_equal(run(f, "require('spiral').data.query('DELETE FROM indicator')", 0, &err),
                     SP_EXIT_SCRIPT);
    assert_non_null(strstr(err->message, SP_LUA_SQL_REFUSED));
    assert_int_equal(err->line, 1);
    assert_int_equal(sqlite3_prepare_v2(f->store->db, "SELECT count(*) FROM indicator", -1, &st,
                                        NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 2);
    sqlite3_finalize(st);
}

static void
query_cannot_be_caught_into_reading_free_text(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;

    assert_int_equal(run(f, "local ok, e = pcall(require('spiral').data.query, "
                         "'SELECT text FROM free_text')\nprint(ok, e)", 0, &err), SP_OK);
    assert_non_null(strstr(f->out, "false"));
    assert_non_null(strstr(f->out, SP_LUA_SQL_REFUSED));
    assert_null(strstr(f->out, "private"));
}

static void
query_stops_at_the_rows_limit(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;

    assert_int_equal(run(f, "require('spiral').data.query('SELECT code FROM indicator')", 1,
                         &err), SP_EXIT_SCRIPT);
    assert_non_null(strstr(err->message, "limit rows"));
    assert_int_equal(run(f, "print(#require('spiral').data.query('SELECT code FROM indicator'))",
                         2, &err), SP_OK);
    assert_string_equal(f->out, "2\n");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(select_with_a_bound_parameter_is_allowed, setup, teardown),
        cmocka_unit_test_setup_teardown(joins_and_functions_are_allowed, setup, teardown),
        cmocka_unit_test_setup_teardown(writing_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(pragma_attach_and_transactions_are_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(free_text_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(pseudonym_columns_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(import_file_names_are_refused_but_not_the_rest_of_the_ledger,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_second_statement_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(a_parameter_count_mismatch_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(the_authorizer_is_removed_after_a_refusal, setup, teardown),
        cmocka_unit_test_setup_teardown(query_returns_typed_rows_with_bound_values, setup, teardown),
        cmocka_unit_test_setup_teardown(query_raises_on_refused_sql_and_leaves_the_workspace_unchanged,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(query_cannot_be_caught_into_reading_free_text, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(query_stops_at_the_rows_limit, setup, teardown),
    };

    apr_initialize();
    atexit(apr_terminate);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
