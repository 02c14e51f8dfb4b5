/*
 * test_meter.c -- unit tests of the meter's C side (sp_meter): the weighted
 * quantile, the parsing of answers, and the distribution table on a batch
 * made by hand (its suppression and its weighting by household size).
 *
 * Quantiles are checked against R 4.2.2: with integer frequency weights
 * the HAVERAGE quantile of sp_agg.h equals R's type 6 quantile of the data
 * with each value repeated w times, so every expected value below is
 * `quantile(rep(x, w), c(.25, .5, .75), type = 6)` printed by Rscript
 * (the command is beside each fixture).  The tests that need a meter
 * open the default one from $SRCDIR/scripts (set by `make check`).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "sp_meter.h"

static int
setup(void **state)
{
    apr_pool_t *pool;

    if (apr_pool_create(&pool, NULL) != APR_SUCCESS)
        return -1;
    *state = pool;
    return 0;
}

static int
teardown(void **state)
{
    apr_pool_destroy(*state);
    return 0;
}

static sp_meter_t *
default_meter(apr_pool_t *pool)
{
    const char *src = getenv("SRCDIR");
    const char **roots = apr_pcalloc(pool, 2 * sizeof *roots);
    sp_meter_config_t cfg;
    sp_meter_t *m = NULL;
    sp_error_t *err = NULL;

    roots[0] = apr_pstrcat(pool, src ? src : "..", "/scripts", NULL);
    memset(&cfg, 0, sizeof cfg);
    cfg.script_roots = roots;
    assert_int_equal(sp_meter_open(&m, &cfg, pool, &err), SP_OK);
    return m;
}

/* x <- c(1.5, 2, 2, 3.25, 7, 10); w <- c(2, 1, 3, 1, 4, 2)
 * quantile(rep(x, w), c(.25,.5,.75), type=6) -> 2.00 3.25 7.00 */
static void
quantiles_of_weighted_values_match_r_type_6(void **state)
{
    static const double x[] = {1.5, 2, 2, 3.25, 7, 10}, w[] = {2, 1, 3, 1, 4, 2};

    (void)state;
    assert_float_equal(sp_meter_quantile(x, w, 6, 0.25), 2.0, 1e-12);
    assert_float_equal(sp_meter_quantile(x, w, 6, 0.5), 3.25, 1e-12);
    assert_float_equal(sp_meter_quantile(x, w, 6, 0.75), 7.0, 1e-12);
}

/* x <- c(1, 2, 3, 4); w <- c(3, 1, 2, 2) -> 1.00 2.50 3.75 */
static void
quantiles_interpolate_between_distinct_values(void **state)
{
    static const double x[] = {1, 2, 3, 4}, w[] = {3, 1, 2, 2};

    (void)state;
    assert_float_equal(sp_meter_quantile(x, w, 4, 0.25), 1.0, 1e-12);
    assert_float_equal(sp_meter_quantile(x, w, 4, 0.5), 2.5, 1e-12);
    assert_float_equal(sp_meter_quantile(x, w, 4, 0.75), 3.75, 1e-12);
}

/* x <- c(4, 8, 15, 16, 23, 42), unit weights -> 7.00 15.50 27.75 */
static void
quantiles_with_unit_weights_are_the_plain_ones(void **state)
{
    static const double x[] = {4, 8, 15, 16, 23, 42}, w[] = {1, 1, 1, 1, 1, 1};

    (void)state;
    assert_float_equal(sp_meter_quantile(x, w, 6, 0.25), 7.0, 1e-12);
    assert_float_equal(sp_meter_quantile(x, w, 6, 0.5), 15.5, 1e-12);
    assert_float_equal(sp_meter_quantile(x, w, 6, 0.75), 27.75, 1e-12);
}

/* A value of weight 0 is not there: rep(c(1, 3), c(1, 1)) -> 1 2 3 */
static void
quantiles_ignore_values_of_zero_weight(void **state)
{
    static const double x[] = {1, 2, 3}, w[] = {1, 0, 1};

    (void)state;
    assert_float_equal(sp_meter_quantile(x, w, 3, 0.25), 1.0, 1e-12);
    assert_float_equal(sp_meter_quantile(x, w, 3, 0.5), 2.0, 1e-12);
    assert_float_equal(sp_meter_quantile(x, w, 3, 0.75), 3.0, 1e-12);
}

static void
quantiles_are_undefined_without_weight_or_out_of_range(void **state)
{
    static const double x[] = {1, 2}, w[] = {0, 0}, w1[] = {1, 1};

    (void)state;
    assert_true(isnan(sp_meter_quantile(x, w, 2, 0.5)));
    assert_true(isnan(sp_meter_quantile(x, w, 0, 0.5)));
    assert_true(isnan(sp_meter_quantile(x, w1, 2, 1.5)));
    assert_float_equal(sp_meter_quantile(x, w1, 2, 0.0), 1.0, 1e-12);
    assert_float_equal(sp_meter_quantile(x, w1, 2, 1.0), 2.0, 1e-12);
}

static void
answers_parse_into_names_and_values(void **state)
{
    apr_pool_t *pool = *state;
    sp_meter_t *m = default_meter(pool);
    sp_meter_answers_t a;
    sp_error_t *err = NULL;

    assert_int_equal(sp_meter_parse_answers(m, " car_km_year = 8000 ,heating=wood,", &a, pool, &err),
                     SP_OK);
    assert_int_equal(a.n, 2);
    assert_string_equal(a.names[0], "car_km_year");
    assert_string_equal(a.values[0], "8000");
    assert_string_equal(a.names[1], "heating");
    assert_string_equal(a.values[1], "wood");
}

static void
an_unknown_question_is_refused_by_name(void **state)
{
    apr_pool_t *pool = *state;
    sp_meter_t *m = default_meter(pool);
    sp_meter_answers_t a;
    sp_error_t *err = NULL;

    assert_int_equal(sp_meter_parse_answers(m, "car_km=8000", &a, pool, &err), SP_EXIT_USAGE);
    assert_non_null(strstr(err->message, "unknown question 'car_km'"));
    err = NULL;
    assert_int_equal(sp_meter_parse_answers(m, "heating=gas,heating=oil", &a, pool, &err),
                     SP_EXIT_USAGE);
    assert_non_null(strstr(err->message, "twice"));
    err = NULL;
    assert_int_equal(sp_meter_parse_answers(m, "heating", &a, pool, &err), SP_EXIT_USAGE);
}

/* A batch of 6 households: 5 in "A" (sizes 1, 2, 1, 1, 3; co2e totals
 * 1000, 2000, 3000, 4000, 5000 kg) and 1 in "B".  Weighted mean of A:
 * (1000 + 4000 + 3000 + 4000 + 15000) / 8 = 3375; above the 2000 kg limit:
 * sizes 1 + 1 + 3 = 5 of 8 persons (2000 is not above).  Quartiles:
 * rep(c(1000,2000,3000,4000,5000), c(1,2,1,1,3)), type 6 -> 2000 3500 5000. */
static void
the_distribution_weights_by_size_and_withholds_small_groups(void **state)
{
    apr_pool_t *pool = *state;
    sp_meter_t *m = default_meter(pool);
    size_t nres = sp_meter_nresources(m), co2e = nres, i, r;
    static const char *nb[] = {"A", "A", "A", "A", "A", "B"};
    static const double size[] = {1, 2, 1, 1, 3, 2};
    static const double kg[] = {1000, 2000, 3000, 4000, 5000, 9000};
    sp_meter_batch_t b;
    sp_table_t *t;
    sp_error_t *err = NULL;
    sp_meter_dist_opts_t o = {5, 0};

    for (i = 0; i < nres; i++)
        if (strcmp(sp_meter_resource(m, i)->name, "co2e") == 0)
            co2e = i;
    assert_true(co2e < nres);
    assert_float_equal(sp_meter_resource(m, co2e)->limit, 2000.0, 1e-9);
    memset(&b, 0, sizeof b);
    b.n = 6;
    b.nres = nres;
    b.neighbourhood = (const char **)nb;
    b.size = (double *)size;
    b.person = apr_pcalloc(pool, 6 * nres * sizeof(double));
    b.household = apr_pcalloc(pool, 6 * nres * sizeof(double));
    b.total = apr_pcalloc(pool, 6 * nres * sizeof(double));
    for (i = 0; i < 6; i++) {
        b.total[i * nres + co2e] = kg[i];
        b.household[i * nres + co2e] = kg[i] * size[i];
    }
    assert_int_equal(sp_meter_distribution(m, &b, &o, &t, pool, &err), SP_OK);
    assert_int_equal(t->nrows, 3 * nres);      /* A, B, (all) */
    r = co2e;                                  /* A, co2e */
    assert_string_equal(sp_table_cell(t, r, 0)->text, "A");
    assert_float_equal(sp_table_cell(t, r, 3)->number, 5, 0);
    assert_float_equal(sp_table_cell(t, r, 4)->number, 8, 0);
    assert_float_equal(sp_table_cell(t, r, 5)->number, 3375, 1e-9);
    assert_float_equal(sp_table_cell(t, r, 6)->number, 2000, 1e-9);
    assert_float_equal(sp_table_cell(t, r, 7)->number, 3500, 1e-9);
    assert_float_equal(sp_table_cell(t, r, 8)->number, 5000, 1e-9);
    assert_float_equal(sp_table_cell(t, r, 10)->number, 5.0 / 8.0, 1e-12);
    /* household mean: (1000 + 4000 + 3000 + 4000 + 15000) / 5 = 5400 */
    assert_float_equal(sp_table_cell(t, r, 11)->number, 5400, 1e-9);
    r = nres + co2e;                           /* B: one household, withheld */
    assert_string_equal(sp_table_cell(t, r, 0)->text, "B");
    assert_int_equal(sp_table_cell(t, r, 3)->kind, SPIRAL_CELL_SUPPRESSED);
    assert_int_equal(sp_table_cell(t, r, 5)->kind, SPIRAL_CELL_SUPPRESSED);
    assert_int_equal(t->not_for_publication, 0);
    r = 2 * nres + co2e;                       /* everyone: 6 households, 10 persons */
    assert_string_equal(sp_table_cell(t, r, 0)->text, "(all)");
    assert_float_equal(sp_table_cell(t, r, 4)->number, 10, 0);
    o.no_suppress = 1;
    assert_int_equal(sp_meter_distribution(m, &b, &o, &t, pool, &err), SP_OK);
    assert_int_equal(sp_table_cell(t, nres + co2e, 5)->kind, SPIRAL_CELL_NUMBER);
    assert_float_equal(sp_table_cell(t, nres + co2e, 5)->number, 9000, 1e-9);
    assert_int_equal(t->not_for_publication, 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quantiles_of_weighted_values_match_r_type_6),
        cmocka_unit_test(quantiles_interpolate_between_distinct_values),
        cmocka_unit_test(quantiles_with_unit_weights_are_the_plain_ones),
        cmocka_unit_test(quantiles_ignore_values_of_zero_weight),
        cmocka_unit_test(quantiles_are_undefined_without_weight_or_out_of_range),
        cmocka_unit_test_setup_teardown(answers_parse_into_names_and_values, setup, teardown),
        cmocka_unit_test_setup_teardown(an_unknown_question_is_refused_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(the_distribution_weights_by_size_and_withholds_small_groups,
                                        setup, teardown),
    };

    apr_initialize();
    atexit(apr_terminate);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
