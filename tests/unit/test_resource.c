/*
 * test_resource.c -- limits per person and per territory, and the dashboard
 * of use against them (core/sp_resource.c).
 *
 * Fixture (worked out by hand; the arithmetic is written beside each test):
 *   territory "ville", FR, population 1000; neighbourhoods Nord (400) and
 *   Sud (population unknown).
 *   co2e (t, renewable): limits territory 1500 t and person 2 t.
 *   water (m3, renewable): limits country 68.4 km3 and world 4000 km3.
 *   oil (t, non-renewable): no limit row, hence the plan's zero.
 *   land (gha, renewable): no limit at all.
 *   use, whole territory: co2e 2020-2023 = 3000, 2800, 2500, 2300;
 *   water 2021-2022 = 1.2e6, 1.3e6; oil 2022-2023 = 10, 12; land 2023 = 50.
 *   use, Nord: co2e 2022-2023 = 1200, 1000; water 2023 = 300000.
 *   use, Sud: co2e 2023 = 500.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "sp_test.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include "sp_resource.h"

static const char fixture_sql[] =
    "INSERT INTO territory (id, code, name, country, population) VALUES "
    " (1, 'ville', 'Ville', 'FR', 1000);"
    "INSERT INTO neighbourhood (id, territory_id, name, population) VALUES "
    " (1, 1, 'Nord', 400), (2, 1, 'Sud', NULL);"
    "INSERT INTO resource (id, code, label_fr, label_en, unit, renewable) VALUES "
    " (1, 'co2e', 'GES', 'GHG', 't', 1), (2, 'water', 'Eau', 'Water', 'm3', 1),"
    " (3, 'oil', 'Petrole', 'Oil', 't', 0), (4, 'land', 'Sol', 'Land', 'gha', 1);"
    "INSERT INTO resource_limit (resource_id, scope, amount, unit, horizon_year, source, "
    " territory_id) VALUES (1, 'person', 2, 't', 2050, 'SNBC', NULL),"
    " (1, 'territory', 1500, 't', 2030, 'Plan climat', 1),"
    " (2, 'world', 4000, 'km3', NULL, 'Boundary', NULL),"
    " (2, 'country', 68.4, 'km3', NULL, 'National', NULL);"
    "INSERT INTO resource_usage (resource_id, territory_id, neighbourhood_id, year, amount) "
    " VALUES (1, 1, NULL, 2020, 3000), (1, 1, NULL, 2021, 2800), (1, 1, NULL, 2022, 2500),"
    " (1, 1, NULL, 2023, 2300), (2, 1, NULL, 2021, 1200000), (2, 1, NULL, 2022, 1300000),"
    " (3, 1, NULL, 2022, 10), (3, 1, NULL, 2023, 12), (4, 1, NULL, 2023, 50),"
    " (1, 1, 1, 2022, 1200), (1, 1, 1, 2023, 1000), (2, 1, 1, 2023, 300000),"
    " (1, 1, 2, 2023, 500);";

typedef struct fixture_t {
    apr_pool_t *pool;
    sp_store_t *store;
    sp_resource_params_t params;
} fixture_t;

static int
setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    sp_error_t *err = NULL;

    apr_pool_create(&f->pool, NULL);
    assert_int_equal(sp_store_open(&f->store, ":memory:", 0, f->pool, &err), SP_OK);
    assert_int_equal(sp_store_exec(f->store, fixture_sql, f->pool, &err), SP_OK);
    sp_resource_params_default(&f->params);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture_t *f = *state;

    apr_pool_destroy(f->pool);
    free(f);
    return 0;
}

static double
num(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);

    assert_true(json_is_number(v));
    return json_number_value(v);
}

static const char *
str(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);

    assert_true(json_is_string(v));
    return json_string_value(v);
}

static void
a_least_squares_line_is_fitted_to_hand_computed_values(void **state)
{
    /* mean x 2021.5, mean y 2650; Sxy = -1200, Sxx = 5 => slope -240,
     * intercept 2650 + 240 * 2021.5 = 487810; residuals -10, 30, -30, 10:
     * SSR 2000, SST 290000 => r2 = 288/290. */
    double x[] = {2020, 2021, 2022, 2023}, y[] = {3000, 2800, 2500, 2300};
    double same[] = {5, 5};
    sp_resource_trend_t t;

    (void)state;
    assert_int_equal(sp_resource_fit(x, y, 4, &t), 0);
    assert_int_equal(t.n, 4);
    assert_near(t.slope, -240, 1e-9);
    assert_near(t.intercept, 487810, 1e-6);
    assert_near(t.r2, 288.0 / 290.0, 1e-12);
    assert_int_equal(sp_resource_fit(x, y, 1, &t), -1);
    assert_int_equal(sp_resource_fit(same, y, 2, &t), -1);
    /* A flat series has no r2. */
    assert_int_equal(sp_resource_fit(x, same, 2, &t), 0);
    assert_near(t.slope, 0, 0);
    assert_true(isnan(t.r2));
}

static void
the_status_says_within_meets_never_or_no_trend(void **state)
{
    sp_resource_trend_t down = {4, -240, 487810, 0.99}, up = {2, 100, 0, 1};
    double year = 0;

    (void)state;
    assert_int_equal(sp_resource_status(1400, 1500, &down, &year), SP_RESOURCE_WITHIN);
    assert_int_equal(sp_resource_status(1500, 1500, &up, &year), SP_RESOURCE_WITHIN);
    /* (1500 - 487810) / -240 = 2026.2916... */
    assert_int_equal(sp_resource_status(2300, 1500, &down, &year), SP_RESOURCE_MEETS);
    assert_near(year, 486310.0 / 240.0, 1e-9);
    assert_int_equal(sp_resource_status(2300, 1500, &up, &year), SP_RESOURCE_NEVER);
    assert_int_equal(sp_resource_status(2300, 1500, NULL, &year), SP_RESOURCE_NO_TREND);
    assert_int_equal(sp_resource_status(2300, NAN, &down, &year), SP_RESOURCE_NO_LIMIT);
    assert_string_equal(sp_resource_status_name(SP_RESOURCE_NEVER), "never");
}

static void
units_convert_only_where_the_factor_is_certain(void **state)
{
    (void)state;
    assert_near(sp_resource_unit_factor("m3", "m3"), 1, 0);
    assert_near(sp_resource_unit_factor("km3", "m3"), 1e9, 0);
    assert_near(sp_resource_unit_factor("Mt CO2e", "t CO2e"), 1e6, 0);
    assert_near(sp_resource_unit_factor("GWh", "kWh"), 1e6, 0);
    assert_true(isnan(sp_resource_unit_factor("km3", "t")));
    assert_true(isnan(sp_resource_unit_factor("Mt CO2e", "t")));
}

static const json_t *
limit_row(const json_t *l, const char *resource, const char *scope)
{
    const json_t *o;
    size_t i;

    json_array_foreach(json_object_get(l, "limits"), i, o)
        if (strcmp(str(o, "resource"), resource) == 0 && strcmp(str(o, "scope"), scope) == 0)
            return o;
    fail_msg("no limit %s/%s", resource, scope);
    return NULL;
}

static void
limits_are_turned_into_per_person_and_territory_figures(void **state)
{
    fixture_t *f = *state;
    sp_error_t *err = NULL;
    const json_t *o;
    json_t *l;

    assert_int_equal(sp_resource_limits(f->store, &f->params, &l, f->pool, &err), SP_OK);
    assert_int_equal(json_array_size(json_object_get(l, "limits")), 4);
    /* co2e person 2 t: territory 2 * 1000 = 2000; territory 1500: 1.5 each. */
    o = limit_row(l, "co2e", "person");
    assert_near(num(o, "per_person"), 2, 0);
    assert_near(num(o, "territory_limit"), 2000, 0);
    o = limit_row(l, "co2e", "territory");
    assert_near(num(o, "per_person"), 1.5, 1e-12);
    assert_near(num(o, "territory_limit"), 1500, 0);
    /* water world 4000 km3 = 4e12 m3 / 8e9 people = 500 m3: 500000 here. */
    o = limit_row(l, "water", "world");
    assert_near(num(o, "factor"), 1e9, 0);
    assert_near(num(o, "per_person"), 500, 1e-9);
    assert_near(num(o, "territory_limit"), 500000, 1e-6);
    /* water country 68.4 km3 / 68.4e6 (France, INSEE) = 1000 m3. */
    o = limit_row(l, "water", "country");
    assert_near(num(o, "per_person"), 1000, 1e-9);
    assert_string_equal(str(json_object_get(l, "country_population"), "source"),
                        "INSEE, population estimate on 1 January 2024: 68.4 million");
    assert_string_equal(str(json_object_get(l, "world_population"), "source"),
                        SP_RESOURCE_WORLD_SOURCE);
}

static const json_t *
chosen(const json_t *l, const char *resource)
{
    const json_t *o;
    size_t i;

    json_array_foreach(json_object_get(l, "resources"), i, o)
        if (strcmp(str(o, "resource"), resource) == 0)
            return o;
    fail_msg("no resource %s", resource);
    return NULL;
}

static void
the_dashboard_limit_is_the_most_specific_and_zero_for_non_renewables(void **state)
{
    fixture_t *f = *state;
    sp_error_t *err = NULL;
    json_t *l;

    assert_int_equal(sp_resource_limits(f->store, &f->params, &l, f->pool, &err), SP_OK);
    assert_string_equal(str(chosen(l, "co2e"), "scope"), "territory");
    assert_near(num(chosen(l, "co2e"), "territory_limit"), 1500, 0);
    assert_string_equal(str(chosen(l, "water"), "scope"), "country");
    assert_near(num(chosen(l, "water"), "territory_limit"), 1e6, 1e-6);
    assert_near(num(chosen(l, "oil"), "territory_limit"), 0, 0);
    assert_false(json_is_true(json_object_get(chosen(l, "oil"), "renewable")));
    assert_true(json_is_null(json_object_get(chosen(l, "land"), "territory_limit")));
}

static void
a_country_figure_needs_a_country_population(void **state)
{
    fixture_t *f = *state;
    sp_error_t *err = NULL;
    json_t *l;

    assert_int_equal(sp_store_exec(f->store, "UPDATE territory SET country = 'XX'", f->pool,
                                   &err), SP_OK);
    assert_int_equal(sp_resource_limits(f->store, &f->params, &l, f->pool, &err), SP_OK);
    assert_true(json_is_null(json_object_get(limit_row(l, "water", "country"), "per_person")));
    assert_string_equal(str(limit_row(l, "water", "country"), "note"),
                        "no population known for the country: give --country-population");
    /* Then the dashboard falls back on the world figure: 500 m3. */
    assert_string_equal(str(chosen(l, "water"), "scope"), "world");
    f->params.country_population = 34.2e6;   /* 68.4e9 / 34.2e6 = 2000 m3 */
    assert_int_equal(sp_resource_limits(f->store, &f->params, &l, f->pool, &err), SP_OK);
    assert_near(num(limit_row(l, "water", "country"), "per_person"), 2000, 1e-9);
}

static const json_t *
row(const json_t *d, const char *resource, const char *neighbourhood)
{
    const json_t *o;
    size_t i;

    json_array_foreach(json_object_get(d, "rows"), i, o) {
        const json_t *nb = json_object_get(o, "neighbourhood");

        if (strcmp(str(o, "resource"), resource) == 0
            && (neighbourhood ? json_is_string(nb) && strcmp(json_string_value(nb),
                                                             neighbourhood) == 0
                              : json_is_null(nb)))
            return o;
    }
    fail_msg("no row %s/%s", resource, neighbourhood ? neighbourhood : "-");
    return NULL;
}

static void
a_falling_use_meets_its_limit_in_the_year_of_the_trend(void **state)
{
    fixture_t *f = *state;
    sp_error_t *err = NULL;
    const json_t *r, *t;
    json_t *d;

    assert_int_equal(sp_resource_dashboard(f->store, &f->params, NULL, &d, f->pool, &err), SP_OK);
    assert_int_equal(json_array_size(json_object_get(d, "rows")), 7);
    r = row(d, "co2e", NULL);
    assert_near(num(r, "limit"), 1500, 0);
    assert_near(num(r, "ratio"), 2300.0 / 1500.0, 1e-12);
    assert_near(num(json_array_get(json_object_get(r, "years"), 0), "ratio"), 2.0, 1e-12);
    assert_near(num(json_array_get(json_object_get(r, "years"), 0), "per_person"), 3, 1e-12);
    t = json_object_get(r, "trend");
    assert_near(num(t, "slope"), -240, 1e-9);
    assert_near(num(t, "r2"), 288.0 / 290.0, 1e-12);
    assert_string_equal(str(r, "status"), "meets");
    assert_near(num(r, "meets_year"), 486310.0 / 240.0, 1e-6);
    assert_int_equal(json_integer_value(json_object_get(r, "meets_in")), 2027);
    assert_string_equal(str(r, "verdict"), "meets the limit in 2027 at this pace");
    assert_false(json_is_true(json_object_get(r, "overshoot_growing")));
}

static void
a_rising_use_never_meets_it_and_its_overshoot_grows(void **state)
{
    fixture_t *f = *state;
    sp_error_t *err = NULL;
    const json_t *r;
    json_t *d;

    assert_int_equal(sp_resource_dashboard(f->store, &f->params, NULL, &d, f->pool, &err), SP_OK);
    /* water: limit 1e6 (country), 1.3e6 > 1.2e6 > limit, slope +100000. */
    r = row(d, "water", NULL);
    assert_near(num(r, "ratio"), 1.3, 1e-12);
    assert_near(num(json_object_get(r, "trend"), "slope"), 100000, 1e-6);
    assert_string_equal(str(r, "verdict"), "never at this pace");
    assert_true(json_is_true(json_object_get(r, "overshoot_growing")));
    /* oil: any use is over a zero limit; no ratio to a zero. */
    r = row(d, "oil", NULL);
    assert_near(num(r, "limit"), 0, 0);
    assert_true(json_is_null(json_object_get(r, "ratio")));
    assert_string_equal(str(r, "status"), "never");
    assert_true(json_is_true(json_object_get(r, "overshoot_growing")));
    /* land: nothing to compare with. */
    r = row(d, "land", NULL);
    assert_string_equal(str(r, "status"), "no_limit");
    assert_true(json_is_null(json_object_get(r, "trend")));
}

static void
neighbourhoods_are_measured_against_the_per_person_limit_times_their_population(void **state)
{
    fixture_t *f = *state;
    sp_error_t *err = NULL;
    const json_t *r;
    json_t *d;

    assert_int_equal(sp_resource_dashboard(f->store, &f->params, "Nord", &d, f->pool, &err),
                     SP_OK);
    assert_int_equal(json_array_size(json_object_get(d, "rows")), 2);
    /* co2e: 1.5 t x 400 = 600; 1200 -> 1000, slope -200: 600 in 2025. */
    r = row(d, "co2e", "Nord");
    assert_near(num(r, "limit"), 600, 1e-9);
    assert_near(num(r, "meets_year"), 2025, 1e-9);
    assert_int_equal(json_integer_value(json_object_get(r, "meets_in")), 2025);
    /* water: 1000 m3 x 400 = 400000 > 300000: already within. */
    r = row(d, "water", "Nord");
    assert_near(num(r, "limit"), 400000, 1e-6);
    assert_string_equal(str(r, "verdict"), "already within");
    /* Sud's population is unknown: no limit, still its use. */
    assert_int_equal(sp_resource_dashboard(f->store, &f->params, "Sud", &d, f->pool, &err), SP_OK);
    r = row(d, "co2e", "Sud");
    assert_string_equal(str(r, "status"), "no_limit");
    assert_near(num(r, "latest"), 500, 0);
}

static void
an_unknown_neighbourhood_or_territory_is_an_error(void **state)
{
    fixture_t *f = *state;
    sp_error_t *err = NULL;
    json_t *d;

    assert_int_equal(sp_resource_dashboard(f->store, &f->params, "Est", &d, f->pool, &err),
                     SP_EXIT_DATA);
    assert_string_equal(err->message, "unknown neighbourhood 'Est' in Ville");
    f->params.territory = "bourg";
    assert_int_equal(sp_resource_limits(f->store, &f->params, &d, f->pool, &err), SP_EXIT_DATA);
    assert_string_equal(err->message,
                        "unknown territory 'bourg' (create it with `spiral init --territory bourg`)");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_least_squares_line_is_fitted_to_hand_computed_values),
        cmocka_unit_test(the_status_says_within_meets_never_or_no_trend),
        cmocka_unit_test(units_convert_only_where_the_factor_is_certain),
        cmocka_unit_test_setup_teardown(limits_are_turned_into_per_person_and_territory_figures, setup, teardown),
        cmocka_unit_test_setup_teardown(the_dashboard_limit_is_the_most_specific_and_zero_for_non_renewables, setup, teardown),
        cmocka_unit_test_setup_teardown(a_country_figure_needs_a_country_population, setup, teardown),
        cmocka_unit_test_setup_teardown(a_falling_use_meets_its_limit_in_the_year_of_the_trend, setup, teardown),
        cmocka_unit_test_setup_teardown(a_rising_use_never_meets_it_and_its_overshoot_grows, setup, teardown),
        cmocka_unit_test_setup_teardown(neighbourhoods_are_measured_against_the_per_person_limit_times_their_population, setup, teardown),
        cmocka_unit_test_setup_teardown(an_unknown_neighbourhood_or_territory_is_an_error, setup, teardown),
    };

    apr_initialize();
    atexit(apr_terminate);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
