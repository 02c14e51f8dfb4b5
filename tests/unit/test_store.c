/*
 * test_store.c -- the workspace: creation, pragmas, migrations from every
 * earlier version (with data kept), refusal of newer or foreign files,
 * transactions that leave nothing behind when rolled back, and reading a
 * column as text (SQL NULL, empty, UTF-8, an integer).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "sp_test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "sp_store.h"

typedef struct fixture_t {
    apr_pool_t *pool;
    char path[64];
} fixture_t;

static int
setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);

    apr_pool_create(&f->pool, NULL);
    sp_test_tmp_path(f->path, "test_store");
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture_t *f = *state;

    apr_pool_destroy(f->pool);
    sp_test_remove_workspace(f->path);
    free(f);
    return 0;
}

static long long
scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt;
    long long v = -1;

    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
    if (sqlite3_step(stmt) == SQLITE_ROW)
        v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
}

static void
a_new_workspace_is_at_the_latest_version_in_wal_with_foreign_keys(void **state)
{
    fixture_t *f = *state;
    sp_store_t *store;
    sp_error_t *err = NULL;
    sqlite3_stmt *stmt;

    assert_int_equal(sp_store_open(&store, f->path, 0, f->pool, &err), SP_OK);
    assert_int_equal(sp_store_version(store->db), sp_schema_version());
    assert_true(sp_schema_version() >= 2);
    assert_int_equal(scalar(store->db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(sqlite3_prepare_v2(store->db, "PRAGMA journal_mode", -1, &stmt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "wal");
    sqlite3_finalize(stmt);
    /* Foreign keys are enforced: a neighbourhood of no territory is refused. */
    assert_int_not_equal(sqlite3_exec(store->db, "INSERT INTO neighbourhood (territory_id, name) "
                                      "VALUES (42, 'x')", NULL, NULL, NULL), SQLITE_OK);
}

/* Build version v by hand, put a territory in it, then open normally. */
static void
every_earlier_version_migrates_to_the_latest_keeping_its_data(void **state)
{
    fixture_t *f = *state;
    int v;

    for (v = 0; v < sp_schema_version(); v++) {
        sqlite3 *db;
        sp_store_t *store;
        sp_error_t *err = NULL;
        apr_pool_t *pool;

        unlink(f->path);
        apr_pool_create(&pool, f->pool);
        assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
        assert_int_equal(sp_store_migrate(db, v, pool, &err), SP_OK);
        assert_int_equal(sp_store_version(db), v);
        if (v >= 1)
            assert_int_equal(sqlite3_exec(db, "INSERT INTO territory (code, name) VALUES "
                                          "('mulhouse', 'Mulhouse')", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);

        assert_int_equal(sp_store_open(&store, f->path, 0, pool, &err), SP_OK);
        assert_int_equal(sp_store_version(store->db), sp_schema_version());
        assert_int_equal(scalar(store->db, "SELECT count(*) FROM territory"), v >= 1 ? 1 : 0);
        assert_int_equal(scalar(store->db, "PRAGMA foreign_key_check"), -1);   /* no rows */
        assert_int_equal(scalar(store->db, "SELECT count(*) FROM pragma_integrity_check "
                                "WHERE integrity_check <> 'ok'"), 0);
        apr_pool_destroy(pool);
    }
}

static void
a_workspace_from_a_newer_program_is_refused(void **state)
{
    fixture_t *f = *state;
    sp_store_t *store;
    sp_error_t *err = NULL;
    sqlite3 *db;
    char sql[64];

    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", sp_schema_version() + 1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(sp_store_open(&store, f->path, 0, f->pool, &err), SP_EXIT_DATA);
    assert_non_null(strstr(err->message, "newer than this program"));
}

static void
a_file_that_is_not_a_database_is_bad_input(void **state)
{
    fixture_t *f = *state;
    sp_store_t *store;
    sp_error_t *err = NULL;
    FILE *fp = fopen(f->path, "w");

    fputs("id,wave\nR1,2025\nthis is a CSV file, not a workspace\n", fp);
    fclose(fp);
    assert_int_equal(sp_store_open(&store, f->path, 0, f->pool, &err), SP_EXIT_DATA);
    assert_non_null(strstr(err->message, "not a spiral workspace"));
}

static void
opening_a_missing_workspace_without_create_says_so(void **state)
{
    fixture_t *f = *state;
    sp_store_t *store;
    sp_error_t *err = NULL;

    assert_int_equal(sp_store_open(&store, f->path, SP_STORE_NOCREATE, f->pool, &err),
                     SP_EXIT_NOINPUT);
    assert_string_equal(err->file, f->path);
    assert_int_equal(access(f->path, F_OK), -1);
}

static void
a_rolled_back_transaction_leaves_nothing(void **state)
{
    fixture_t *f = *state;
    sp_store_t *store;
    sp_error_t *err = NULL;

    assert_int_equal(sp_store_open(&store, f->path, 0, f->pool, &err), SP_OK);
    assert_int_equal(sp_store_begin(store, f->pool, &err), SP_OK);
    assert_int_equal(sp_store_exec(store, "INSERT INTO territory (code, name) VALUES ('a', 'A')",
                                   f->pool, &err), SP_OK);
    sp_store_rollback(store);
    assert_int_equal(scalar(store->db, "SELECT count(*) FROM territory"), 0);
    /* rollback outside a transaction is harmless */
    sp_store_rollback(store);
}

/* The columnar copy is stale when the generation or max(id) moved:
 * updates and deletes bump the generation, inserts raise max(id). */
static void
changing_respondents_bumps_the_survey_generation(void **state)
{
    fixture_t *f = *state;
    sp_store_t *store;
    sp_error_t *err = NULL;
    long long g0, g1, g2, g3;

    assert_int_equal(sp_store_open(&store, f->path, 0, f->pool, &err), SP_OK);
    assert_int_equal(sp_store_exec(store,
        "INSERT INTO territory (code, name) VALUES ('t', 'T');"
        "INSERT INTO survey_wave (territory_id, code) VALUES (1, 'w');"
        "INSERT INTO survey_form (code, label_fr, label_en) VALUES ('adults', 'a', 'a');",
        f->pool, &err), SP_OK);
    g0 = scalar(store->db, "SELECT value FROM survey_generation");
    assert_int_equal(sp_store_exec(store, "INSERT INTO respondent (wave_id, form_id, pseudonym, levels) "
                                   "VALUES (1, 1, zeroblob(32), x'0102')", f->pool, &err), SP_OK);
    g1 = scalar(store->db, "SELECT value FROM survey_generation");
    assert_int_equal(g1, g0);
    assert_int_equal(scalar(store->db, "SELECT max(id) FROM respondent"), 1);
    assert_int_equal(sp_store_exec(store, "UPDATE respondent SET weight = 2", f->pool, &err), SP_OK);
    g2 = scalar(store->db, "SELECT value FROM survey_generation");
    assert_true(g2 > g1);
    assert_int_equal(sp_store_exec(store, "DELETE FROM respondent", f->pool, &err), SP_OK);
    g3 = scalar(store->db, "SELECT value FROM survey_generation");
    assert_true(g3 > g2);
}

/* Prepare sql on a fresh in-memory database and step to its first row;
 * the caller finalizes *stmt and closes *db. */
static void
first_row(const char *sql, sqlite3 **db, sqlite3_stmt **stmt)
{
    assert_int_equal(sqlite3_open(":memory:", db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(*db, "CREATE TABLE t (n INTEGER, s TEXT);"
                                  "INSERT INTO t VALUES (42, NULL), (-9223372036854775808, ''), "
                                  "(NULL, 'Mulhouse – cœur, Bâle, 北京 🌿')", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(*db, sql, -1, stmt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(*stmt), SQLITE_ROW);
}

static void
a_null_column_reads_as_null_or_as_the_empty_string(void **state)
{
    sqlite3 *db;
    sqlite3_stmt *stmt;

    (void)state;
    first_row("SELECT s, n FROM t WHERE rowid = 1", &db, &stmt);
    assert_null(sp_store_text(stmt, 0));
    assert_string_equal(sp_store_text_or_empty(stmt, 0), "");
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}

static void
an_empty_text_reads_as_the_empty_string_not_null(void **state)
{
    sqlite3 *db;
    sqlite3_stmt *stmt;

    (void)state;
    first_row("SELECT s FROM t WHERE rowid = 2", &db, &stmt);
    assert_non_null(sp_store_text(stmt, 0));
    assert_string_equal(sp_store_text(stmt, 0), "");
    assert_string_equal(sp_store_text_or_empty(stmt, 0), "");
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}

static void
utf8_text_comes_back_byte_for_byte(void **state)
{
    static const char want[] = "Mulhouse \xe2\x80\x93 c\xc5\x93ur, B\xc3\xa2le, "
                               "\xe5\x8c\x97\xe4\xba\xac \xf0\x9f\x8c\xbf";
    sqlite3 *db;
    sqlite3_stmt *stmt;

    (void)state;
    first_row("SELECT s FROM t WHERE rowid = 3", &db, &stmt);
    assert_string_equal(sp_store_text(stmt, 0), want);
    assert_int_equal(sqlite3_column_bytes(stmt, 0), (int)strlen(want));
    assert_string_equal(sp_store_text_or_empty(stmt, 0), want);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}

static void
an_integer_column_reads_as_its_decimal_text(void **state)
{
    sqlite3 *db;
    sqlite3_stmt *stmt;

    (void)state;
    first_row("SELECT n FROM t ORDER BY rowid", &db, &stmt);
    assert_string_equal(sp_store_text(stmt, 0), "42");
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    assert_string_equal(sp_store_text_or_empty(stmt, 0), "-9223372036854775808");
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    assert_null(sp_store_text(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_new_workspace_is_at_the_latest_version_in_wal_with_foreign_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(every_earlier_version_migrates_to_the_latest_keeping_its_data, setup, teardown),
        cmocka_unit_test_setup_teardown(a_workspace_from_a_newer_program_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(a_file_that_is_not_a_database_is_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(opening_a_missing_workspace_without_create_says_so, setup, teardown),
        cmocka_unit_test_setup_teardown(a_rolled_back_transaction_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(changing_respondents_bumps_the_survey_generation, setup, teardown),
        cmocka_unit_test(a_null_column_reads_as_null_or_as_the_empty_string),
        cmocka_unit_test(an_empty_text_reads_as_the_empty_string_not_null),
        cmocka_unit_test(utf8_text_comes_back_byte_for_byte),
        cmocka_unit_test(an_integer_column_reads_as_its_decimal_text),
    };
    int rc;

    apr_initialize();
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_terminate();
    return rc;
}
