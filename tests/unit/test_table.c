/*
 * test_table.c -- result tables (core/sp_table.c): built from a crosstab
 * and an aggregation, rendered as CSV and JSON, and carried through Lua.
 *
 * The tables are small and their values worked out by hand beside each
 * test; the crosstab builder is also checked cell by cell against
 * sp_xtab_cell(), which is what every other output reads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <jansson.h>
#include <lauxlib.h>
#include <lualib.h>
#include "sp_table.h"

static int
setup(void **state)
{
    apr_pool_t *pool;

    apr_pool_create(&pool, NULL);
    *state = pool;
    return 0;
}

static int
teardown(void **state)
{
    apr_pool_destroy(*state);
    return 0;
}

/* 2 x 3, weights 1.5 per record:
 *            a    b    c
 *   r1       1   10   10      (n; r1/a has 1 record: primary with K = 5)
 *   r2      10   10   10                                                 */
static sp_xtab_t *
small_xtab(apr_pool_t *pool, int no_suppress)
{
    static const double n[2][3] = { { 1, 10, 10 }, { 10, 10, 10 } };
    sp_xtab_t *xt = sp_xtab_create(2, 3, 1, pool);
    sp_xtab_options_t opt;
    sp_error_t *err = NULL;
    size_t r, c;

    for (r = 0; r < 2; r++)
        for (c = 0; c < 3; c++)
            sp_xtab_add(xt, 0, r, c, n[r][c], 1.5 * n[r][c]);
    sp_xtab_set_vars(xt, "row", "col", NULL);
    sp_xtab_set_label(xt, SP_XTAB_ROWS, 0, "r1");
    sp_xtab_set_label(xt, SP_XTAB_ROWS, 1, "r2");
    sp_xtab_set_label(xt, SP_XTAB_COLS, 0, "a");
    sp_xtab_set_label(xt, SP_XTAB_COLS, 1, "b");
    sp_xtab_set_label(xt, SP_XTAB_COLS, 2, "c");
    sp_xtab_options_init(&opt);
    opt.no_suppress = no_suppress;
    assert_int_equal(sp_xtab_compute(xt, &opt, &err), SP_OK);
    return xt;
}

static void
a_crosstab_table_has_labels_totals_and_the_values_of_sp_xtab_cell(
    void **state)
{
    apr_pool_t *pool = *state;
    sp_xtab_t *xt = small_xtab(pool, 0);
    sp_table_t *t = NULL;
    sp_error_t *err = NULL;
    size_t r, c;

    assert_int_equal(sp_table_from_xtab(xt, 0, SP_XTAB_WEIGHTED, &t, pool,
                                        &err), SP_OK);
    assert_int_equal(t->nrows, 3);
    assert_int_equal(t->ncols, 5);
    assert_string_equal(t->title, "Weighted (row x col)");
    assert_string_equal(t->columns[0], "row");
    assert_string_equal(t->columns[3], "c");
    assert_string_equal(t->columns[4], "Total");
    assert_string_equal(sp_table_cell(t, 2, 0)->text, "Total");
    assert_false(t->not_for_publication);
    /* r2/c: 10 records of weight 1.5. */
    assert_int_equal(sp_table_cell(t, 1, 3)->kind, SPIRAL_CELL_NUMBER);
    assert_true(sp_table_cell(t, 1, 3)->number == 15.0);
    /* r1/a: 1 record, fewer than 5: suppressed, marked "x". */
    assert_int_equal(sp_table_cell(t, 0, 1)->kind, SPIRAL_CELL_SUPPRESSED);
    assert_string_equal(sp_table_cell(t, 0, 1)->text, "x");
    for (r = 0; r < 3; r++)
        for (c = 0; c < 4; c++) {
            double v = NAN;
            const char *why = NULL;
            sp_xtab_status_t s = sp_xtab_cell(xt, 0, SP_XTAB_WEIGHTED,
                                              r == 2 ? SP_XTAB_TOTAL : r,
                                              c == 3 ? SP_XTAB_TOTAL : c,
                                              &v, &why);
            const sp_table_cell_t *cell = sp_table_cell(t, r, c + 1);

            if (s == SP_XTAB_SHOWN) {
                assert_int_equal(cell->kind, SPIRAL_CELL_NUMBER);
                assert_true(cell->number == v);
            } else {
                assert_int_equal(cell->kind, s == SP_XTAB_SUPPRESSED
                                 ? SPIRAL_CELL_SUPPRESSED
                                 : SPIRAL_CELL_UNDEFINED);
                assert_ptr_equal(cell->note, why);
            }
        }
}

static void
residual_tables_have_no_total_row_or_column(void **state)
{
    apr_pool_t *pool = *state;
    sp_table_t *t = NULL;
    sp_error_t *err = NULL;

    assert_int_equal(sp_table_from_xtab(small_xtab(pool, 1), 0,
                                        SP_XTAB_ADJ_RESID, &t, pool, &err),
                     SP_OK);
    assert_int_equal(t->nrows, 2);
    assert_int_equal(t->ncols, 4);
}

static void
all_tables_come_table_major_with_the_default_kinds(void **state)
{
    apr_pool_t *pool = *state;
    sp_table_t **ts = NULL;
    size_t n = 0;
    sp_error_t *err = NULL;

    assert_int_equal(sp_table_from_xtab_all(small_xtab(pool, 0), 0, &ts, &n,
                                            pool, &err), SP_OK);
    assert_int_equal(n, 3);
    assert_string_equal(ts[1]->title, "Row % (row x col)");
}

static void
without_suppression_the_table_is_not_for_publication_and_shows_all(
    void **state)
{
    apr_pool_t *pool = *state;
    sp_table_t *t = NULL;
    sp_error_t *err = NULL;
    const char *csv = NULL;

    assert_int_equal(sp_table_from_xtab(small_xtab(pool, 1), 0, SP_XTAB_COUNT,
                                        &t, pool, &err), SP_OK);
    assert_true(t->not_for_publication);
    assert_true(sp_table_cell(t, 0, 1)->number == 1.0);
    assert_int_equal(sp_table_render_csv(t, ',', &csv, pool, &err), SP_OK);
    /* Row totals: r1 = 1 + 10 + 10, r2 = 30, grand total 51. */
    assert_string_equal(csv,
        "NOT FOR PUBLICATION: small-cell suppression is off\n"
        "row,a,b,c,Total\n"
        "r1,1,10,10,21\n"
        "r2,10,10,10,30\n"
        "Total,11,20,20,51\n");
}

static void
csv_prints_marks_and_round_trip_numbers(void **state)
{
    apr_pool_t *pool = *state;
    sp_table_t *t = sp_table_create("t", 1, 4, pool);
    sp_table_cell_t *cells = (sp_table_cell_t *)t->cells;
    const char **cols = (const char **)t->columns;
    const char *csv = NULL;
    sp_error_t *err = NULL;

    cols[0] = "name, with comma";
    cols[1] = "v";
    cols[2] = "s";
    cols[3] = "u";
    cells[0].kind = SPIRAL_CELL_TEXT;
    cells[0].text = "say \"hi\"";
    cells[1].kind = SPIRAL_CELL_NUMBER;
    cells[1].number = 0.1 + 0.2;        /* needs 17 digits */
    cells[2].kind = SPIRAL_CELL_SUPPRESSED;
    cells[2].text = "x";
    cells[3].kind = SPIRAL_CELL_UNDEFINED;
    cells[3].text = "";
    t->note = "a note";
    assert_int_equal(sp_table_render_csv(t, ';', &csv, pool, &err), SP_OK);
    assert_string_equal(csv, "name, with comma;v;s;u\n"
                             "\"say \"\"hi\"\"\";0.30000000000000004;x;\n"
                             "a note\n");
    assert_int_equal(sp_table_render_csv(t, '|', &csv, pool, &err),
                     SP_EXIT_USAGE);
}

static void
json_keeps_numbers_exact_and_withheld_values_as_objects(void **state)
{
    apr_pool_t *pool = *state;
    sp_table_t *t = NULL;
    sp_error_t *err = NULL;
    const char *text = NULL;
    json_t *root, *rows;
    json_error_t jerr;

    /* Without suppression, r2/b row %: 15 / 45 * 100. */
    assert_int_equal(sp_table_from_xtab(small_xtab(pool, 1), 0,
                                        SP_XTAB_ROW_PCT, &t, pool, &err),
                     SP_OK);
    assert_int_equal(sp_table_render_json(t, &text, pool, &err), SP_OK);
    root = json_loads(text, 0, &jerr);
    assert_non_null(root);
    rows = json_object_get(root, "rows");
    assert_true(json_real_value(json_array_get(json_array_get(rows, 1), 2))
                == sp_table_cell(t, 1, 2)->number);
    assert_true(fabs(sp_table_cell(t, 1, 2)->number - 100.0 / 3) < 1e-12);
    assert_true(json_is_true(json_object_get(root, "not_for_publication")));
    json_decref(root);
    /* With suppression, r1/a is {"mark": "x", "suppressed": true}. */
    assert_int_equal(sp_table_from_xtab(small_xtab(pool, 0), 0,
                                        SP_XTAB_ROW_PCT, &t, pool, &err),
                     SP_OK);
    assert_int_equal(sp_table_render_json(t, &text, pool, &err), SP_OK);
    root = json_loads(text, 0, &jerr);
    assert_non_null(root);
    rows = json_object_get(root, "rows");
    assert_string_equal(json_string_value(json_object_get(
        json_array_get(json_array_get(rows, 0), 1), "mark")), "x");
    assert_true(json_is_true(json_object_get(
        json_array_get(json_array_get(rows, 0), 1), "suppressed")));
    json_decref(root);
}

/* Group 1: levels 1, 2, 3 (weight 1 each): n 3, mean 2, sd 1.
 * Group 2: level 4 twice: n 2, mean 4, sd 0. */
static sp_agg_t *
small_agg(apr_pool_t *pool, unsigned min_cell)
{
    sp_agg_t *a = sp_agg_create(2, 1, 5, pool);
    sp_agg_opts_t o;

    sp_agg_add(a, 0, 0, 1, 1.0);
    sp_agg_add(a, 0, 0, 2, 1.0);
    sp_agg_add(a, 0, 0, 3, 1.0);
    sp_agg_add(a, 1, 0, 4, 1.0);
    sp_agg_add(a, 1, 0, 4, 1.0);
    sp_agg_opts_init(&o);
    o.min_cell = min_cell;
    sp_agg_compute(a, &o);
    return a;
}

static void
an_aggregation_table_has_one_row_per_group_and_variable(void **state)
{
    apr_pool_t *pool = *state;
    sp_table_t *t = NULL;
    sp_error_t *err = NULL;

    assert_int_equal(sp_table_from_agg(small_agg(pool, 2), &t, pool, &err),
                     SP_OK);
    assert_int_equal(t->nrows, 2);
    assert_string_equal(t->columns[1], "variable");
    assert_string_equal(t->columns[2], "n");
    assert_string_equal(t->columns[5], "mean");
    assert_string_equal(sp_table_cell(t, 0, 1)->text, "v1");
    assert_true(sp_table_cell(t, 0, 2)->number == 3.0);
    assert_true(sp_table_cell(t, 0, 5)->number == 2.0);
    assert_true(sp_table_cell(t, 0, 6)->number == 1.0);
    assert_true(sp_table_cell(t, 1, 5)->number == 4.0);
}

static void
a_suppressed_aggregate_shows_the_mark_in_every_statistic(void **state)
{
    apr_pool_t *pool = *state;
    sp_table_t *t = NULL;
    sp_error_t *err = NULL;
    size_t c;

    /* K = 3: group 2 (2 answers) is suppressed, group 1 (3) is not. */
    assert_int_equal(sp_table_from_agg(small_agg(pool, 3), &t, pool, &err),
                     SP_OK);
    assert_int_equal(sp_table_cell(t, 0, 2)->kind, SPIRAL_CELL_NUMBER);
    for (c = 2; c < t->ncols; c++) {
        assert_int_equal(sp_table_cell(t, 1, c)->kind, SPIRAL_CELL_SUPPRESSED);
        assert_string_equal(sp_table_cell(t, 1, c)->text, "x");
        assert_string_equal(sp_table_cell(t, 1, c)->note,
                            "suppressed: n < 3");
    }
}

static void
a_table_survives_the_trip_through_lua(void **state)
{
    apr_pool_t *pool = *state;
    lua_State *L = luaL_newstate();
    sp_table_t *t = NULL;
    const sp_table_t *const *back = NULL;
    size_t n = 0, i;
    sp_error_t *err = NULL;

    assert_int_equal(sp_table_from_xtab(small_xtab(pool, 0), 0,
                                        SP_XTAB_COL_PCT, &t, pool, &err),
                     SP_OK);
    sp_table_push_lua(L, t);
    assert_int_equal(sp_table_from_lua(L, -1, &back, &n, pool, &err), SP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(back[0]->nrows, t->nrows);
    assert_int_equal(back[0]->ncols, t->ncols);
    assert_string_equal(back[0]->title, t->title);
    for (i = 0; i < t->nrows * t->ncols; i++) {
        assert_int_equal(back[0]->cells[i].kind, t->cells[i].kind);
        if (t->cells[i].kind == SPIRAL_CELL_NUMBER)
            assert_true(back[0]->cells[i].number == t->cells[i].number);
        else if (t->cells[i].text != NULL)
            assert_string_equal(back[0]->cells[i].text, t->cells[i].text);
    }
    assert_int_equal(lua_gettop(L), 1);
    lua_close(L);
}

static void
a_bad_lua_table_is_refused_with_the_cell_named(void **state)
{
    apr_pool_t *pool = *state;
    lua_State *L = luaL_newstate();
    const sp_table_t *const *back = NULL;
    size_t n = 0;
    sp_error_t *err = NULL;

    luaL_openlibs(L);
    assert_int_equal(luaL_dostring(L, "return {columns = {'a', 'b'}, "
                                      "rows = {{1, 2}, {3, {}}}}"), LUA_OK);
    assert_int_equal(sp_table_from_lua(L, -1, &back, &n, pool, &err),
                     SP_EXIT_USAGE);
    assert_non_null(strstr(err->message, "rows[2][2]"));
    assert_int_equal(luaL_dostring(L, "return {columns = {'a'}, "
                                      "rows = {{1, 2}}}"), LUA_OK);
    assert_int_equal(sp_table_from_lua(L, -1, &back, &n, pool, &err),
                     SP_EXIT_USAGE);
    assert_non_null(strstr(err->message, "rows[1] has 2 cells for 1"));
    assert_int_equal(lua_gettop(L), 2);
    lua_close(L);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(a_crosstab_table_has_labels_totals_and_the_values_of_sp_xtab_cell),
        T(residual_tables_have_no_total_row_or_column),
        T(all_tables_come_table_major_with_the_default_kinds),
        T(without_suppression_the_table_is_not_for_publication_and_shows_all),
        T(csv_prints_marks_and_round_trip_numbers),
        T(json_keeps_numbers_exact_and_withheld_values_as_objects),
        T(an_aggregation_table_has_one_row_per_group_and_variable),
        T(a_suppressed_aggregate_shows_the_mark_in_every_statistic),
        T(a_table_survives_the_trip_through_lua),
        T(a_bad_lua_table_is_refused_with_the_cell_named),
    };
    int rc;

    apr_initialize();
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_terminate();
    return rc;
}
