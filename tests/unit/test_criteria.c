/*
 * test_criteria.c -- unit tests of core/sp_criteria.c: the code grammar,
 * the roll-up tally (a criterion counts for its sub-object, component and
 * family, down to the chosen level), and statistics shown in another
 * taxonomy version through taxonomy_map (exact codes only; the rest listed
 * as unmapped).  Every expected count is worked out by hand beside it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "sp_test.h"
#include <apr_general.h>
#include "sp_criteria.h"

typedef struct fixture_t {
    apr_pool_t *pool;
    char path[64];
} fixture_t;

static int
setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);

    apr_pool_create(&f->pool, NULL);
    sp_test_tmp_path(f->path, "test_criteria");
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

static void
object_codes_have_three_depths(void **state)
{
    (void)state;
    assert_int_equal(sp_criteria_level_of("A"), SP_CRITERIA_FAMILY);
    assert_int_equal(sp_criteria_level_of("A01"), SP_CRITERIA_COMPONENT);
    assert_int_equal(sp_criteria_level_of("A01-11"), SP_CRITERIA_SUBOBJECT);
    assert_int_equal(sp_criteria_level_of("A1"), 0);
    assert_int_equal(sp_criteria_level_of("A01-1"), 0);
    assert_int_equal(sp_criteria_level_of("a01"), 0);
    assert_int_equal(sp_criteria_level_of("A011"), 0);
    assert_int_equal(sp_criteria_level_of(""), 0);
}

static void
criterion_codes_split_into_object_sense_and_beneficiary(void **state)
{
    fixture_t *f = *state;
    sp_criteria_code_t c;

    assert_true(sp_criteria_code_parse("A01-11/P15/k", &c, f->pool));
    assert_string_equal(c.object, "A01-11");
    assert_string_equal(c.sense, "P15");
    assert_string_equal(c.beneficiary, "k");
    assert_true(sp_criteria_code_parse("D", &c, f->pool));
    assert_null(c.sense);
    assert_null(c.beneficiary);
    assert_false(sp_criteria_code_parse("A01/p15", &c, f->pool));
    assert_false(sp_criteria_code_parse("A01/P15/kids", &c, f->pool));
    assert_false(sp_criteria_code_parse("A01/P151", &c, f->pool));
    assert_false(sp_criteria_code_parse("/P1", &c, f->pool));
}

static void
a_subobject_counts_for_its_component_and_its_family(void **state)
{
    fixture_t *f = *state;
    sp_criteria_tally_t *t = sp_criteria_tally_create(SP_CRITERIA_SUBOBJECT, f->pool);

    /* Column 0: A01-11, A01, A03, A; column 1: B00. */
    assert_true(sp_criteria_tally_add(t, "A01-11", 0));
    assert_true(sp_criteria_tally_add(t, "A01", 0));
    assert_true(sp_criteria_tally_add(t, "A03", 0));
    assert_true(sp_criteria_tally_add(t, "A", 0));
    assert_true(sp_criteria_tally_add(t, "B00", 1));
    assert_int_equal(sp_criteria_tally_count(t, "A", 0), 4);       /* all four */
    assert_int_equal(sp_criteria_tally_count(t, "A01", 0), 2);     /* A01-11, A01 */
    assert_int_equal(sp_criteria_tally_count(t, "A01-11", 0), 1);
    assert_int_equal(sp_criteria_tally_count(t, "A03", 0), 1);
    assert_int_equal(sp_criteria_tally_count(t, "B", 0), 0);
    assert_int_equal(sp_criteria_tally_count(t, "B", 1), 1);
    assert_int_equal(sp_criteria_tally_count(t, "B00", 1), 1);
    assert_int_equal(sp_criteria_tally_count(t, "A", 1), 0);
    /* Codes: A, A01, A01-11, A03, B, B00. */
    assert_int_equal(apr_hash_count(sp_criteria_tally_codes(t)), 6);
}

static void
the_tally_stops_at_the_chosen_level(void **state)
{
    fixture_t *f = *state;
    sp_criteria_tally_t *t = sp_criteria_tally_create(SP_CRITERIA_COMPONENT, f->pool);

    assert_true(sp_criteria_tally_add(t, "A01-11", 3));
    assert_int_equal(sp_criteria_tally_count(t, "A", 3), 1);
    assert_int_equal(sp_criteria_tally_count(t, "A01", 3), 1);
    assert_int_equal(sp_criteria_tally_count(t, "A01-11", 3), 0);
    assert_int_equal(apr_hash_count(sp_criteria_tally_codes(t)), 2);
}

static void
the_tally_refuses_what_is_not_a_code(void **state)
{
    fixture_t *f = *state;
    sp_criteria_tally_t *t = sp_criteria_tally_create(SP_CRITERIA_SUBOBJECT, f->pool);

    assert_false(sp_criteria_tally_add(t, "A1", 0));
    assert_false(sp_criteria_tally_add(t, "A01", -1));
    assert_int_equal(apr_hash_count(sp_criteria_tally_codes(t)), 0);
}

static void
exec(sp_store_t *store, const char *sql)
{
    char *msg = NULL;

    if (sqlite3_exec(store->db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

static const json_t *
row(const json_t *res, const char *code)
{
    const json_t *r;
    size_t i;

    json_array_foreach(json_object_get(res, "rows"), i, r)
        if (strcmp(json_string_value(json_object_get(r, "code")), code) == 0)
            return r;
    return NULL;
}

static long
count_of(const json_t *res, const char *code, size_t col)
{
    const json_t *r = row(res, code);

    return r ? (long)json_integer_value(json_array_get(json_object_get(r, "counts"), col)) : -1;
}

/* Two versions: old (A, A01, A01-11, A03, B, B00) and new (A, A01, A02, B,
 * B01); old A01 -> new A01, A03 -> A02, B00 -> B01; A and A01-11 unmapped.
 * Criteria: old A01-11, A01, A03, A03, B00, A; new A02; one uncoded. */
static void
build(sp_store_t *store)
{
    exec(store,
         "INSERT INTO taxonomy VALUES (1, 'spiral', 'old'), (2, 'spiral', 'new');"
         "INSERT INTO taxonomy_node (taxonomy_id, code, parent_code, level, label_fr, label_en) VALUES"
         " (1, 'A', NULL, 'family', 'a', 'a'), (1, 'A01', 'A', 'component', 'a1', 'a1'),"
         " (1, 'A01-11', 'A01', 'subobject', 's', 's'), (1, 'A03', 'A', 'component', 'a3', 'a3'),"
         " (1, 'B', NULL, 'family', 'b', 'b'), (1, 'B00', 'B', 'component', 'b0', 'b0'),"
         " (2, 'A', NULL, 'family', 'A', 'A'), (2, 'A01', 'A', 'component', 'A1', 'A1'),"
         " (2, 'A02', 'A', 'component', 'A2', 'A2'), (2, 'B', NULL, 'family', 'B', 'B'),"
         " (2, 'B01', 'B', 'component', 'B1', 'B1');"
         "INSERT INTO taxonomy_map VALUES (1, 'A01', 2, 'A01'), (1, 'A03', 2, 'A02'),"
         " (1, 'B00', 2, 'B01');"
         "INSERT INTO territory (id, code, name, taxonomy_id) VALUES (1, 't', 'T', 1);"
         "INSERT INTO citizen_group (id, territory_id, name, kind) VALUES (1, 1, 'g', 'age');"
         "INSERT INTO criterion (group_id, question, text, taxonomy_id, object_code) VALUES"
         " (1, 'wellbeing', 'x', 1, 'A01-11'), (1, 'wellbeing', 'x', 1, 'A01'),"
         " (1, 'wellbeing', 'x', NULL, 'A03'), (1, 'illbeing', 'x', 1, 'A03'),"
         " (1, 'illbeing', 'x', 1, 'B00'), (1, 'action', 'x', 1, 'A'),"
         " (1, 'action', 'x', 2, 'A02'), (1, 'action', 'x', NULL, NULL);");
}

static void
statistics_in_the_old_version_roll_up_and_list_zero_nodes(void **state)
{
    fixture_t *f = *state;
    sp_criteria_stats_opts_t o;
    sp_store_t *store;
    sp_error_t *err = NULL;
    json_t *res;

    assert_int_equal(sp_store_open(&store, f->path, 0, f->pool, &err), SP_OK);
    build(store);
    memset(&o, 0, sizeof o);
    o.level = SP_CRITERIA_COMPONENT;
    o.taxonomy = "spiral:old";
    assert_int_equal(sp_criteria_stats(store, &o, &res, f->pool, &err), SP_OK);
    /* Old-version criteria: A01-11, A01, A03, A03, B00, A (6 coded); the
     * new-version A02 has no mapping back: unmapped.  A = 5, A01 = 2,
     * A03 = 2, B = 1, B00 = 1; sub-object rows are not shown at this level. */
    assert_int_equal(count_of(res, "A", 0), 5);
    assert_int_equal(count_of(res, "A01", 0), 2);
    assert_int_equal(count_of(res, "A03", 0), 2);
    assert_int_equal(count_of(res, "B", 0), 1);
    assert_int_equal(count_of(res, "B00", 0), 1);
    assert_null(row(res, "A01-11"));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(res, "columns"), 0), "coded")), 6);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(res, "columns"), 0), "uncoded")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(res, "columns"), 0), "unmapped")), 1);
    /* Share of A: 5 of 6 coded. */
    assert_float_equal(json_real_value(json_array_get(json_object_get(row(res, "A"), "shares"), 0)),
                       5.0 / 6.0, 1e-12);
}

static void
statistics_in_the_new_version_go_through_the_mapping(void **state)
{
    fixture_t *f = *state;
    sp_criteria_stats_opts_t o;
    sp_store_t *store;
    sp_error_t *err = NULL;
    const json_t *u;
    json_t *res;

    assert_int_equal(sp_store_open(&store, f->path, 0, f->pool, &err), SP_OK);
    build(store);
    memset(&o, 0, sizeof o);
    o.level = SP_CRITERIA_COMPONENT;
    o.taxonomy = "spiral:new";
    assert_int_equal(sp_criteria_stats(store, &o, &res, f->pool, &err), SP_OK);
    /* A01 -> A01 (1), A03 -> A02 (2, one of them filed under the territory's
     * old version), new A02 (1), B00 -> B01 (1): 5 coded.  A01-11 and A are
     * not mapped (exact codes only): 2 unmapped.  New A = 1 + 2 + 1 = 4. */
    assert_int_equal(count_of(res, "A", 0), 4);
    assert_int_equal(count_of(res, "A01", 0), 1);
    assert_int_equal(count_of(res, "A02", 0), 3);
    assert_int_equal(count_of(res, "B01", 0), 1);
    assert_null(row(res, "A03"));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(res, "columns"), 0), "coded")), 5);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(res, "columns"), 0), "unmapped")), 2);
    assert_int_equal(json_array_size(json_object_get(res, "unmapped")), 2);
    u = json_array_get(json_object_get(res, "unmapped"), 0);       /* "A" sorts first */
    assert_string_equal(json_string_value(json_object_get(u, "code")), "A");
    assert_string_equal(json_string_value(json_object_get(u, "taxonomy")), "spiral:old");
}

static void
several_taxonomies_without_a_choice_is_a_usage_error(void **state)
{
    fixture_t *f = *state;
    sp_criteria_stats_opts_t o;
    sp_store_t *store;
    sp_error_t *err = NULL;
    json_t *res;

    assert_int_equal(sp_store_open(&store, f->path, 0, f->pool, &err), SP_OK);
    build(store);
    exec(store, "UPDATE territory SET taxonomy_id = NULL");
    memset(&o, 0, sizeof o);
    o.level = SP_CRITERIA_FAMILY;
    assert_int_equal(sp_criteria_stats(store, &o, &res, f->pool, &err), SP_EXIT_USAGE);
    assert_non_null(strstr(err->message, "several taxonomies"));
    o.taxonomy = "spiral:none";
    assert_int_equal(sp_criteria_stats(store, &o, &res, f->pool, &err), SP_EXIT_USAGE);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(object_codes_have_three_depths),
        cmocka_unit_test_setup_teardown(criterion_codes_split_into_object_sense_and_beneficiary, setup, teardown),
        cmocka_unit_test_setup_teardown(a_subobject_counts_for_its_component_and_its_family, setup, teardown),
        cmocka_unit_test_setup_teardown(the_tally_stops_at_the_chosen_level, setup, teardown),
        cmocka_unit_test_setup_teardown(the_tally_refuses_what_is_not_a_code, setup, teardown),
        cmocka_unit_test_setup_teardown(statistics_in_the_old_version_roll_up_and_list_zero_nodes, setup, teardown),
        cmocka_unit_test_setup_teardown(statistics_in_the_new_version_go_through_the_mapping, setup, teardown),
        cmocka_unit_test_setup_teardown(several_taxonomies_without_a_choice_is_a_usage_error, setup, teardown),
    };
    int rc;

    apr_initialize();
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_terminate();
    return rc;
}
