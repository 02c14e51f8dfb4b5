/*
 * test_eval.c -- co-evaluation of a plan (core/sp_eval.c) on a tiny
 * workspace built with SQL.
 *
 * Provenance of the expected numbers: worked out by hand from the scores
 * below, and checked with Python 3.11 (statistics.mean, statistics.median,
 * statistics.pstdev; math for the cosine):
 *   X ex-ante A01 = {2, 1, -2}: mean 1/3, median 1, spread 4, pstdev
 *     sqrt(78/27) = 1.699673; with inhabitants weighing 2: (4+1-2)/4 = 0.75
 *   X ex-ante A02 = {1, 1}: mean 1; B01 = {-1, 0}: mean -0.5, median -0.5
 *   X families: A = (1/3 + 1)/2 = 2/3, B = -0.5; phase mean 0.277778
 *   X ex-post A01 = {2, 2, 1}: mean 5/3, so delta = 4/3
 *   Y ex-ante A01 = {1, 1}: 1, A02 = {2}: 2; cosine(X+, Y+) with X+ = (1/3,
 *     1, 0, 0), Y+ = (1, 2, 0, 0): (7/3) / (sqrt(10/9) sqrt(5)) = 0.989949
 *   Z ex-ante B01 = {1}: disjoint from X and Y: two complements of 3
 *   grid A01 A02 B01 C01: ex-ante gap C01; ex-post (only X) gaps A02 B01 C01
 */
#define _POSIX_C_SOURCE 200809L   /* open_memstream */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "sp_eval.h"

typedef struct fix_t {
    apr_pool_t *pool;
    sp_store_t *store;
    char path[64];
} fix_t;

static const char fixture_sql[] =
    "INSERT INTO territory (id, code, name, population) VALUES (1, 'T', 'Town', 1000);"
    "INSERT INTO plan (id, code, title, territory_id) VALUES (1, 'P1', 'Plan one', 1);"
    "INSERT INTO plan (id, code, title, territory_id) VALUES (2, 'P2', 'Plan two', 1);"
    "INSERT INTO action (id, code, title, started_on) VALUES (1, 'X', 'Ex', '2020-01-01'),"
    " (2, 'Y', 'Why', '2021-01-01'), (3, 'Z', 'Zed', NULL);"
    "INSERT INTO plan_action VALUES (1, 1), (1, 2), (1, 3);"
    "INSERT INTO action_tag VALUES (1, 'sector', 'social'), (1, 'sector', 'culture'),"
    " (1, 'actor', 'a1'), (1, 'actor', 'a2'), (1, 'theme', 'co2e'),"
    " (2, 'sector', 'culture'), (2, 'sector', 'social'), (2, 'sector', 'sport'),"
    " (2, 'problematique', 'ressources-1'), (2, 'component', 'A01'),"
    " (3, 'sector', 'social'), (3, 'sector', 'culture');"
    "INSERT INTO evaluator_group (id, code, kind) VALUES (1, 'G1', 'inhabitants'),"
    " (2, 'G2', 'professionals'), (3, 'G3', 'beneficiaries');"
    "INSERT INTO evaluation (id, action_id, evaluator_group_id, phase, grid) VALUES"
    " (1, 1, 1, 'ex-ante', 'g'), (2, 1, 2, 'ex-ante', 'g'), (3, 1, 3, 'ex-ante', 'g'),"
    " (4, 1, 1, 'ex-post', 'g'), (5, 1, 2, 'ex-post', 'g'), (6, 1, 3, 'ex-post', 'g'),"
    " (7, 2, 1, 'ex-ante', 'g'), (8, 2, 2, 'ex-ante', 'g'), (9, 3, 1, 'ex-ante', 'g'),"
    " (10, 1, 1, 'ex-ante', 'other');"
    "INSERT INTO evaluation_score VALUES (1, 'A01', 2, 'great'), (2, 'A01', 1, ''),"
    " (3, 'A01', -2, 'no'), (1, 'A02', 1, ''), (2, 'A02', 1, ''), (1, 'B01', -1, ''),"
    " (2, 'B01', 0, ''), (4, 'A01', 2, ''), (5, 'A01', 2, ''), (6, 'A01', 1, ''),"
    " (7, 'A01', 1, ''), (8, 'A01', 1, ''), (7, 'A02', 2, ''), (9, 'B01', 1, ''),"
    " (10, 'A01', -2, '');"
    "INSERT INTO resource (id, code, label_fr, label_en, unit, renewable) VALUES"
    " (1, 'co2e', 'GES', 'GHG', 't', 1), (2, 'water', 'Eau', 'Water', 'm3', 1);"
    "INSERT INTO resource_limit (resource_id, scope, amount, unit, source) VALUES"
    " (1, 'territory', 2000, 't', 'test'), (2, 'person', 500, 'm3', 'test');"
    "INSERT INTO resource_usage (resource_id, territory_id, year, amount) VALUES"
    " (1, 1, 2019, 1500), (1, 1, 2020, 3000);";

static const char *const grid_components[] = {"A01", "A02", "B01", "C01", NULL};

static int
setup(void **state)
{
    fix_t *f = calloc(1, sizeof *f);
    sp_error_t *err = NULL;

    apr_initialize();
    apr_pool_create(&f->pool, NULL);
    snprintf(f->path, sizeof f->path, "/tmp/test_eval_%ld.db", (long)getpid());
    unlink(f->path);
    assert_int_equal(sp_store_open(&f->store, f->path, 0, f->pool, &err), SP_OK);
    assert_int_equal(sp_store_exec(f->store, fixture_sql, f->pool, &err), SP_OK);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fix_t *f = *state;
    char p[80];

    apr_pool_destroy(f->pool);
    unlink(f->path);
    snprintf(p, sizeof p, "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", f->path);
    unlink(p);
    free(f);
    apr_terminate();
    return 0;
}

static json_t *
run(fix_t *f, sp_eval_options_t *opt)
{
    json_t *r = NULL;
    sp_error_t *err = NULL;

    assert_int_equal(sp_eval_plan(f->store, "P1", opt, &r, f->pool, &err), SP_OK);
    return r;
}

static sp_eval_options_t
grid_g(void)
{
    sp_eval_options_t o;

    sp_eval_options_init(&o);
    o.grid = "g";
    o.components = grid_components;
    return o;
}

static json_t *
action(json_t *r, const char *code)
{
    json_t *a;
    size_t i;

    json_array_foreach(json_object_get(r, "actions"), i, a)
        if (strcmp(json_string_value(json_object_get(a, "code")), code) == 0)
            return a;
    fail_msg("no action %s", code);
    return NULL;
}

static json_t *
component(json_t *r, const char *act, const char *phase, const char *code)
{
    json_t *ph = json_object_get(json_object_get(action(r, act), "phases"), phase), *c;
    size_t i;

    assert_non_null(ph);
    json_array_foreach(json_object_get(ph, "components"), i, c)
        if (strcmp(json_string_value(json_object_get(c, "code")), code) == 0)
            return c;
    fail_msg("no component %s", code);
    return NULL;
}

static double
num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    assert_true(json_is_number(v));
    return json_number_value(v);
}

static void
profile_is_the_mean_and_median_of_the_groups(void **state)
{
    sp_eval_options_t o = grid_g();
    json_t *r = run(*state, &o), *c = component(r, "X", "ex-ante", "A01");

    assert_float_equal(num(c, "mean"), 1.0 / 3, 1e-12);
    assert_float_equal(num(c, "median"), 1, 1e-12);
    assert_float_equal(num(c, "spread"), 4, 1e-12);
    assert_float_equal(num(c, "sd"), 1.699673, 1e-6);
    assert_int_equal(json_integer_value(json_object_get(c, "n_groups")), 3);
    c = component(r, "X", "ex-ante", "B01");
    assert_float_equal(num(c, "median"), -0.5, 1e-12);
    json_decref(r);
}

static void
families_roll_up_the_component_means(void **state)
{
    sp_eval_options_t o = grid_g();
    json_t *r = run(*state, &o);
    json_t *ph = json_object_get(json_object_get(action(r, "X"), "phases"), "ex-ante");
    json_t *fams = json_object_get(ph, "families");

    assert_int_equal(json_array_size(fams), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(fams, 0), "family")), "A");
    assert_float_equal(num(json_array_get(fams, 0), "mean"), 2.0 / 3, 1e-12);
    assert_float_equal(num(json_array_get(fams, 1), "mean"), -0.5, 1e-12);
    assert_float_equal(num(ph, "mean"), 0.277778, 1e-6);
    json_decref(r);
}

static void
groups_differing_by_more_than_half_the_range_disagree(void **state)
{
    sp_eval_options_t o = grid_g();
    json_t *r = run(*state, &o);

    assert_true(json_is_true(json_object_get(component(r, "X", "ex-ante", "A01"), "disagreement")));
    assert_false(json_is_true(json_object_get(component(r, "X", "ex-ante", "A02"), "disagreement")));
    json_decref(r);
    o.threshold = 4;     /* spread 4 is not more than 4 */
    r = run(*state, &o);
    assert_false(json_is_true(json_object_get(component(r, "X", "ex-ante", "A01"), "disagreement")));
    json_decref(r);
}

static void
kind_weights_change_the_mean_not_the_median(void **state)
{
    static const char *const w[] = {"inhabitants=2", NULL};
    sp_eval_options_t o = grid_g();
    json_t *r, *c;

    o.kind_weights = w;
    r = run(*state, &o);
    c = component(r, "X", "ex-ante", "A01");
    assert_float_equal(num(c, "mean"), 0.75, 1e-12);
    assert_float_equal(num(c, "median"), 1, 1e-12);
    json_decref(r);
}

static void
ex_post_minus_ex_ante_is_the_delta(void **state)
{
    sp_eval_options_t o = grid_g();
    json_t *r = run(*state, &o), *d = json_object_get(action(r, "X"), "delta");

    assert_int_equal(json_array_size(d), 1);
    assert_float_equal(num(json_array_get(d, 0), "delta"), 4.0 / 3, 1e-12);
    json_decref(r);
    o.phases = SP_EVAL_EX_ANTE;
    r = run(*state, &o);
    assert_null(json_object_get(json_object_get(action(r, "X"), "phases"), "ex-post"));
    assert_int_equal(json_array_size(json_object_get(action(r, "X"), "delta")), 0);
    json_decref(r);
}

static void
only_the_chosen_grid_is_read(void **state)
{
    sp_eval_options_t o = grid_g();
    json_t *r;

    o.grid = "other";
    r = run(*state, &o);
    assert_float_equal(num(component(r, "X", "ex-ante", "A01"), "mean"), -2, 1e-12);
    assert_null(json_object_get(json_object_get(action(r, "Y"), "phases"), "ex-ante"));
    json_decref(r);
}

static void
components_no_action_improves_are_gaps(void **state)
{
    sp_eval_options_t o = grid_g();
    json_t *r = run(*state, &o), *x = json_object_get(r, "across");
    json_t *ante = json_object_get(json_object_get(x, "ex-ante"), "gaps");
    json_t *post = json_object_get(json_object_get(x, "ex-post"), "gaps");

    assert_int_equal(json_array_size(ante), 1);
    assert_string_equal(json_string_value(json_array_get(ante, 0)), "C01");
    assert_int_equal(json_array_size(post), 3);
    assert_string_equal(json_string_value(json_array_get(post, 0)), "A02");
    json_decref(r);
}

static void
similar_profiles_overlap_and_disjoint_ones_complement(void **state)
{
    sp_eval_options_t o = grid_g();
    json_t *r = run(*state, &o), *x = json_object_get(json_object_get(r, "across"), "ex-ante");
    json_t *ov = json_object_get(x, "overlaps"), *cp = json_object_get(x, "complements");

    assert_int_equal(json_array_size(ov), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(ov, 0), "a")), "X");
    assert_string_equal(json_string_value(json_object_get(json_array_get(ov, 0), "b")), "Y");
    assert_float_equal(num(json_array_get(ov, 0), "cosine"), 0.989949, 1e-6);
    assert_int_equal(json_array_size(cp), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(cp, 0), "covered")), 3);
    json_decref(r);
    o.overlap = 0.995;
    r = run(*state, &o);
    x = json_object_get(json_object_get(r, "across"), "ex-ante");
    assert_int_equal(json_array_size(json_object_get(x, "overlaps")), 0);
    json_decref(r);
}

static void
new_links_are_sector_pairs_no_earlier_action_had(void **state)
{
    sp_eval_options_t o = grid_g();
    json_t *r = run(*state, &o);
    json_t *lx = json_object_get(json_object_get(action(r, "X"), "coresponsibility"), "new_links");
    json_t *ly = json_object_get(json_object_get(action(r, "Y"), "coresponsibility"), "new_links");
    json_t *lz = json_object_get(json_object_get(action(r, "Z"), "coresponsibility"), "new_links");

    assert_int_equal(json_array_size(lx), 1);
    assert_string_equal(json_string_value(json_array_get(json_array_get(lx, 0), 0)), "culture");
    assert_int_equal(json_array_size(ly), 2);     /* culture+sport, social+sport */
    assert_int_equal(json_array_size(lz), 0);     /* undated: after X */
    assert_int_equal(json_array_size(json_object_get(json_object_get(action(r, "X"),
                                                     "coresponsibility"), "actors")), 2);
    json_decref(r);
}

static void
resources_show_the_latest_use_against_the_limit(void **state)
{
    sp_eval_options_t o = grid_g();
    json_t *r = run(*state, &o);
    json_t *rx = json_object_get(action(r, "X"), "resources");
    json_t *ry = json_object_get(action(r, "Y"), "resources");

    assert_int_equal(json_array_size(rx), 1);
    assert_float_equal(num(json_array_get(rx, 0), "usage"), 3000, 0);
    assert_float_equal(num(json_array_get(rx, 0), "ratio"), 1.5, 1e-12);
    assert_true(json_is_true(json_object_get(json_array_get(rx, 0), "over_limit")));
    /* ressources-1 maps to co2e by default */
    assert_int_equal(json_array_size(ry), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(ry, 0), "via")),
                        "ressources-1");
    json_decref(r);
}

static void
profiles_for_rank_take_ex_post_first(void **state)
{
    sp_eval_options_t o = grid_g();
    json_t *r = run(*state, &o), *p = sp_eval_profiles(r, NULL), *x = json_array_get(p, 0);

    assert_string_equal(json_string_value(json_object_get(x, "action")), "X");
    assert_string_equal(json_string_value(json_object_get(x, "phase")), "ex-post");
    assert_float_equal(num(json_object_get(x, "impact"), "A01"), 5.0 / 3, 1e-12);
    /* G3 is the only beneficiaries group: its score */
    assert_float_equal(num(json_object_get(x, "vulnerable"), "A01"), 1, 1e-12);
    assert_int_equal(json_integer_value(json_object_get(x, "coresponsibility")), 3);
    assert_int_equal(json_integer_value(json_object_get(x, "groups")), 3);
    json_decref(p);
    json_decref(r);
}

static void
an_unknown_plan_is_a_data_error(void **state)
{
    fix_t *f = *state;
    sp_eval_options_t o = grid_g();
    sp_error_t *err = NULL;
    json_t *r = NULL;

    assert_int_equal(sp_eval_plan(f->store, "NOPE", &o, &r, f->pool, &err), SP_EXIT_DATA);
    assert_null(r);
    assert_non_null(strstr(err->message, "NOPE"));
}

static void
template_has_a_row_per_action_and_component(void **state)
{
    fix_t *f = *state;
    sp_error_t *err = NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    int lines = 0;
    char *p;

    assert_int_equal(sp_eval_template(f->store, "P1", "g", grid_components, out, f->pool, &err),
                     SP_OK);
    fclose(out);
    for (p = buf; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 1 + 3 * 4);
    assert_non_null(strstr(buf, "P1,X,,,ex-ante,g,C01,,,\n"));
    free(buf);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(profile_is_the_mean_and_median_of_the_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(families_roll_up_the_component_means, setup, teardown),
        cmocka_unit_test_setup_teardown(groups_differing_by_more_than_half_the_range_disagree, setup, teardown),
        cmocka_unit_test_setup_teardown(kind_weights_change_the_mean_not_the_median, setup, teardown),
        cmocka_unit_test_setup_teardown(ex_post_minus_ex_ante_is_the_delta, setup, teardown),
        cmocka_unit_test_setup_teardown(only_the_chosen_grid_is_read, setup, teardown),
        cmocka_unit_test_setup_teardown(components_no_action_improves_are_gaps, setup, teardown),
        cmocka_unit_test_setup_teardown(similar_profiles_overlap_and_disjoint_ones_complement, setup, teardown),
        cmocka_unit_test_setup_teardown(new_links_are_sector_pairs_no_earlier_action_had, setup, teardown),
        cmocka_unit_test_setup_teardown(resources_show_the_latest_use_against_the_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(profiles_for_rank_take_ex_post_first, setup, teardown),
        cmocka_unit_test_setup_teardown(an_unknown_plan_is_a_data_error, setup, teardown),
        cmocka_unit_test_setup_teardown(template_has_a_row_per_action_and_component, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
