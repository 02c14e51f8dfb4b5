/*
 * test_pact.c -- the spread of the territorial pact (core/sp_pact.c) and
 * producer-consumer partnerships (core/sp_partnership.c).
 *
 * Pact fixture (hand-computed numbers beside each test): territory of 1000
 * people; signatories of the pact 1 (organisation "Ville", 2026-01-10),
 * 2 (by 1, 2026-02-01, Nord), 3 (by 2, 2026-04-05, Nord), 4 (by 2,
 * 2026-05-01, Sud), 5 (by 3, 2026-07-02, Nord), 6 (by 3, 2026-08-01),
 * 7 (by 1, 2026-09-01, Sud), 8 (by 3, 2026-09-15, Nord); of the charter
 * 9 ("Asso Zoo", 2026-03-01) and 10 ("Lycee", 2026-06-01).  Invitations:
 * 2 -> x1 (2026-02-10), 4 -> x4 (2026-05-10), 3 -> signatory 5 (2026-06-20,
 * accepted), 5 -> x2 (2026-07-10), 6 -> x3 (2026-08-05), 8 -> x6
 * (2026-11-20, the latest date: as of 2026-Q4).
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
#include "sp_pact.h"
#include "sp_partnership.h"

/* Pseudonyms: 32 ASCII digits of the id; invitees the same with 'x'. */
#define P(n) "CAST(printf('%032d', " #n ") AS BLOB)"
#define X(n) "CAST(printf('x%031d', " #n ") AS BLOB)"

static const char pact_sql[] =
    "INSERT INTO territory (id, code, name, population) VALUES (1, 'ville', 'Ville', 1000);"
    "INSERT INTO neighbourhood (id, territory_id, name, population) VALUES "
    " (1, 1, 'Nord', 400), (2, 1, 'Sud', NULL);"
    "INSERT INTO pact_signatory (id, pseudonym, kind, display_name, neighbourhood_id, signed_on,"
    " invited_by, document) VALUES"
    " (1, " P(1) ", 'organisation', 'Ville', NULL, '2026-01-10', NULL, 'pact'),"
    " (2, " P(2) ", 'person', NULL, 1, '2026-02-01', 1, 'pact'),"
    " (3, " P(3) ", 'person', NULL, 1, '2026-04-05', 2, 'pact'),"
    " (4, " P(4) ", 'person', NULL, 2, '2026-05-01', 2, 'pact'),"
    " (5, " P(5) ", 'person', NULL, 1, '2026-07-02', 3, 'pact'),"
    " (6, " P(6) ", 'person', NULL, NULL, '2026-08-01', 3, 'pact'),"
    " (7, " P(7) ", 'person', NULL, 2, '2026-09-01', 1, 'pact'),"
    " (8, " P(8) ", 'person', NULL, 1, '2026-09-15', 3, 'pact'),"
    " (9, " P(9) ", 'organisation', 'Asso Zoo', NULL, '2026-03-01', NULL, 'charter'),"
    " (10, " P(10) ", 'organisation', 'Lycee', NULL, '2026-06-01', NULL, 'charter');"
    "INSERT INTO pact_invitation (inviter_id, invitee, invited_on, accepted_by) VALUES"
    " (2, " X(1) ", '2026-02-10', NULL), (4, " X(4) ", '2026-05-10', NULL),"
    " (3, " P(5) ", '2026-06-20', 5), (5, " X(2) ", '2026-07-10', NULL),"
    " (6, " X(3) ", '2026-08-05', NULL), (8, " X(6) ", '2026-11-20', NULL);";

typedef struct fixture_t {
    apr_pool_t *pool;
    sp_store_t *store;
    sp_pact_params_t params;
} fixture_t;

static int
open_empty(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    sp_error_t *err = NULL;

    apr_pool_create(&f->pool, NULL);
    assert_int_equal(sp_store_open(&f->store, ":memory:", 0, f->pool, &err), SP_OK);
    sp_pact_params_default(&f->params);
    *state = f;
    return 0;
}

static int
setup(void **state)
{
    fixture_t *f;
    sp_error_t *err = NULL;

    open_empty(state);
    f = *state;
    assert_int_equal(sp_store_exec(f->store, pact_sql, f->pool, &err), SP_OK);
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

static json_t *
report(fixture_t *f)
{
    sp_error_t *err = NULL;
    json_t *r = NULL;

    assert_int_equal(sp_pact_report(f->store, &f->params, &r, f->pool, &err), SP_OK);
    return r;
}

static long
integer(const json_t *o, const char *key)
{
    assert_true(json_is_integer(json_object_get(o, key)));
    return (long)json_integer_value(json_object_get(o, key));
}

static double
num(const json_t *o, const char *key)
{
    assert_true(json_is_number(json_object_get(o, key)));
    return json_number_value(json_object_get(o, key));
}

static const char *
str(const json_t *o, const char *key)
{
    assert_true(json_is_string(json_object_get(o, key)));
    return json_string_value(json_object_get(o, key));
}

static void
quarters_are_numbered_from_dates(void **state)
{
    fixture_t *f = *state;

    assert_int_equal(sp_pact_quarter_index("2026-01-10"), 2026 * 4);
    assert_int_equal(sp_pact_quarter_index("2026-12-31"), 2026 * 4 + 3);
    assert_int_equal(sp_pact_quarter_index("2026-13-01"), -1);
    assert_string_equal(sp_pact_quarter_label(2026 * 4 + 13, f->pool), "2029-Q2");
}

static void
the_diffusion_is_counted_per_quarter_against_the_doubling_target(void **state)
{
    json_t *r = report(*state);
    const json_t *q = json_object_get(r, "quarters");
    static const long cum[] = {2, 4, 8, 8}, target[] = {2, 4, 8, 16}, added[] = {2, 2, 4, 0};
    size_t i;

    assert_string_equal(str(r, "as_of"), "2026-11-20");
    assert_int_equal(integer(r, "signatories"), 8);
    assert_int_equal(integer(r, "charter_signatories"), 2);
    assert_int_equal(integer(r, "founders"), 2);
    assert_int_equal(json_array_size(q), 4);
    for (i = 0; i < 4; i++) {
        assert_int_equal(integer(json_array_get(q, i), "cumulative"), cum[i]);
        assert_int_equal(integer(json_array_get(q, i), "new"), added[i]);
        assert_near(num(json_array_get(q, i), "target"), (double)target[i], 0);
    }
    assert_string_equal(str(json_array_get(q, 3), "quarter"), "2026-Q4");
}

static void
the_pace_is_the_slope_of_log2_of_the_count_and_gives_the_date_of_coverage(void **state)
{
    /* log2(cum) = 1, 2, 3, 3 at q = 0..3: slope 3.5 / 5 = 0.7, intercept
     * 2.25 - 0.7 * 1.5 = 1.2, SSR 0.30, SST 2.75.  Covering 1000 people:
     * (log2(1000) - 1.2) / 0.7 = 12.52... quarters -> 13 -> 2029-Q2; the
     * plan's target: ceil(log2(1000 / 2)) = 9 -> 2028-Q2. */
    json_t *r = report(*state);
    const json_t *pace = json_object_get(r, "pace"), *proj = json_object_get(r, "projection");

    assert_near(num(pace, "doublings_per_quarter"), 0.7, 1e-12);
    assert_near(num(pace, "intercept"), 1.2, 1e-12);
    assert_near(num(pace, "r2"), 1 - 0.30 / 2.75, 1e-12);
    assert_near(num(pace, "doubling_time_quarters"), 1 / 0.7, 1e-12);
    assert_near(num(proj, "quarters_from_start"), (log2(1000) - 1.2) / 0.7, 1e-9);
    assert_string_equal(str(proj, "covered_in"), "2029-Q2");
    assert_string_equal(str(proj, "target_covers_in"), "2028-Q2");
    assert_string_equal(str(proj, "verdict"), "covers the population in 2029-Q2 at this pace");
}

static void
chains_stall_where_invitations_wait_two_quarters_without_acceptance(void **state)
{
    fixture_t *f = *state;
    json_t *r = report(f);
    const json_t *ch = json_object_get(r, "chains"), *inv = json_object_get(r, "invitations");
    const json_t *s, *by = json_object_get(ch, "by_depth");
    static const long depth[] = {3, 2, 2, 3};
    size_t i;

    assert_int_equal(integer(inv, "made"), 6);
    assert_int_equal(integer(inv, "accepted"), 1);
    assert_int_equal(integer(inv, "pending"), 5);
    /* depth 0: 1, 9, 10; 1: 2, 7; 2: 3, 4; 3: 5, 6, 8 */
    assert_int_equal(integer(ch, "max_depth"), 3);
    for (i = 0; i < 4; i++)
        assert_int_equal(json_integer_value(json_array_get(by, i)), depth[i]);
    /* 4 invited in Q2, brought nobody: 2 quarters by Q4.  2 brought 3 and
     * 4; 5 and 6 wait one quarter only. */
    assert_int_equal(json_array_size(json_object_get(ch, "stalled")), 1);
    s = json_array_get(json_object_get(ch, "stalled"), 0);
    assert_int_equal(integer(s, "id"), 4);
    assert_string_equal(str(s, "signatory"), "303030303030");  /* "000000" in hex */
    assert_int_equal(integer(s, "depth"), 2);
    assert_int_equal(integer(s, "quarters_waiting"), 2);
    assert_string_equal(str(s, "first_invited_on"), "2026-05-10");
    /* 9 and 10 signed in Q1 and Q2 and invited nobody. */
    assert_int_equal(integer(ch, "silent"), 2);
    /* With one quarter, 5 and 6 stall too. */
    f->params.stall_quarters = 1;
    r = report(f);
    assert_int_equal(json_array_size(json_object_get(json_object_get(r, "chains"), "stalled")), 3);
}

static void
the_share_of_signatories_is_given_by_neighbourhood(void **state)
{
    json_t *r = report(*state);
    const json_t *n = json_object_get(r, "neighbourhoods"), *o;

    /* Nord 2, 3, 5, 8; Sud 4, 7; none 1, 6. */
    assert_int_equal(json_array_size(n), 3);
    o = json_array_get(n, 0);
    assert_string_equal(str(o, "name"), "Nord");
    assert_int_equal(integer(o, "signatories"), 4);
    assert_near(num(o, "share"), 0.5, 1e-12);
    assert_near(num(o, "coverage"), 4.0 / 400.0, 1e-12);
    o = json_array_get(n, 1);
    assert_string_equal(str(o, "name"), "Sud");
    assert_near(num(o, "share"), 0.25, 1e-12);
    assert_true(json_is_null(json_object_get(o, "coverage")));
    o = json_array_get(n, 2);
    assert_true(json_is_null(json_object_get(o, "name")));
    assert_int_equal(integer(o, "signatories"), 2);
}

static void
the_organisations_of_the_charter_are_listed_by_name(void **state)
{
    json_t *r = report(*state);
    const json_t *o = json_object_get(r, "organisations");

    assert_int_equal(json_array_size(o), 3);
    assert_string_equal(str(json_array_get(o, 0), "name"), "Asso Zoo");
    assert_string_equal(str(json_array_get(o, 0), "document"), "charter");
    assert_string_equal(str(json_array_get(o, 1), "name"), "Lycee");
    assert_string_equal(str(json_array_get(o, 2), "name"), "Ville");
    assert_string_equal(str(json_array_get(o, 2), "document"), "pact");
}

static void
an_earlier_as_of_date_cuts_the_curve_there(void **state)
{
    /* Up to 2026-06-30: 2, 4 -> slope 1, intercept 1: (log2(1000) - 1) / 1
     * = 8.97 -> 9 quarters -> 2028-Q2; nothing has waited two quarters. */
    fixture_t *f = *state;
    json_t *r;

    f->params.as_of = "2026-06-30";
    r = report(f);
    assert_int_equal(json_array_size(json_object_get(r, "quarters")), 2);
    assert_near(num(json_object_get(r, "pace"), "doublings_per_quarter"), 1, 1e-12);
    assert_string_equal(str(json_object_get(r, "projection"), "covered_in"), "2028-Q2");
    assert_int_equal(json_array_size(json_object_get(json_object_get(r, "chains"), "stalled")), 0);
}

static void
an_empty_pact_reports_nothing_yet(void **state)
{
    fixture_t *f = *state;
    sp_error_t *err = NULL;
    json_t *r;

    assert_int_equal(sp_pact_report(f->store, &f->params, &r, f->pool, &err), SP_EXIT_DATA);
    assert_string_equal(err->message, "this workspace has no territory (run `spiral init "
                        "--territory CODE`)");
    assert_int_equal(sp_store_exec(f->store, "INSERT INTO territory (code, name) VALUES "
                                   "('v', 'V')", f->pool, &err), SP_OK);
    r = report(f);
    assert_int_equal(integer(r, "founders"), 0);
    assert_int_equal(json_array_size(json_object_get(r, "quarters")), 0);
    assert_string_equal(str(json_object_get(r, "projection"), "verdict"), "no signatory yet");
}

/* --- partnerships ------------------------------------------------------------------ */

/* One partnership "amap": targets local share >= 0.8, CO2e per kg <= 0.5
 * (kg CO2e per kg, the resource's unit), price <= 2.5; two seasons; the
 * consumers forgot their price in 2026-summer.  co2e's limit: 2000 kg per
 * person, so 0.4 kg is 0.02% of it. */
static const char partnership_sql[] =
    "INSERT INTO territory (id, code, name, population) VALUES (1, 'ville', 'Ville', 1000);"
    "INSERT INTO resource (id, code, label_fr, label_en, unit, renewable) VALUES "
    " (1, 'co2e', 'GES', 'GHG', 'kg', 1);"
    "INSERT INTO resource_limit (resource_id, scope, amount, unit, source) VALUES "
    " (1, 'person', 2, 't', 'SNBC');"
    "INSERT INTO partnership (id, code, name) VALUES (1, 'amap', 'AMAP du Rebberg');"
    "INSERT INTO partnership_member VALUES (1, 'producer', 'Ferme Koehl'),"
    " (1, 'consumer', 'Famille A'), (1, 'consumer', 'Famille B');"
    "INSERT INTO partnership_target VALUES (1, 'local_share', '', 0.8, 'at_least', ''),"
    " (1, 'resource_per_unit', 'co2e', 0.5, 'at_most', 'kg/kg'),"
    " (1, 'price', '', 2.5, 'at_most', 'EUR/kg');"
    "INSERT INTO partnership_observation (partnership_id, season, side, indicator, "
    " resource_code, value) VALUES"
    " (1, '2026-spring', 'producer', 'local_share', '', 0.9),"
    " (1, '2026-spring', 'consumer', 'local_share', '', 0.7),"
    " (1, '2026-spring', 'producer', 'resource_per_unit', 'co2e', 0.4),"
    " (1, '2026-spring', 'consumer', 'resource_per_unit', 'co2e', 0.6),"
    " (1, '2026-spring', 'producer', 'price', '', 2.4),"
    " (1, '2026-spring', 'consumer', 'price', '', 2.6),"
    " (1, '2026-summer', 'producer', 'price', '', 2.5),"
    " (1, '2026-summer', 'consumer', 'consumer_wellbeing', '', 4);";

static int
setup_partnership(void **state)
{
    fixture_t *f;
    sp_error_t *err = NULL;

    open_empty(state);
    f = *state;
    assert_int_equal(sp_store_exec(f->store, partnership_sql, f->pool, &err), SP_OK);
    return 0;
}

static const json_t *
line(const json_t *season, const char *indicator)
{
    const json_t *o;
    size_t i;

    json_array_foreach(json_object_get(season, "indicators"), i, o)
        if (strcmp(str(o, "indicator"), indicator) == 0)
            return o;
    fail_msg("no line %s", indicator);
    return NULL;
}

static void
each_season_sets_both_sides_against_the_targets(void **state)
{
    fixture_t *f = *state;
    sp_error_t *err = NULL;
    const json_t *p, *spring, *summer, *o;
    json_t *r;

    assert_int_equal(sp_partnership_report(f->store, "amap", NULL, &r, f->pool, &err), SP_OK);
    p = json_array_get(json_object_get(r, "partnerships"), 0);
    assert_string_equal(str(p, "name"), "AMAP du Rebberg");
    assert_int_equal(json_array_size(json_object_get(p, "producers")), 1);
    assert_int_equal(json_array_size(json_object_get(p, "consumers")), 2);
    assert_int_equal(json_array_size(json_object_get(p, "seasons")), 2);
    spring = json_array_get(json_object_get(p, "seasons"), 0);
    assert_string_equal(str(spring, "season"), "2026-spring");
    /* 4 lines: the 3 targets and consumer_wellbeing observed in summer. */
    assert_int_equal(json_array_size(json_object_get(spring, "indicators")), 4);
    o = line(spring, "local_share");
    assert_true(json_is_true(json_object_get(o, "producer_meets")));    /* 0.9 >= 0.8 */
    assert_true(json_is_false(json_object_get(o, "consumer_meets")));   /* 0.7 <  0.8 */
    assert_near(num(o, "difference"), 0.2, 1e-12);
    o = line(spring, "resource_per_unit");
    assert_true(json_is_true(json_object_get(o, "producer_meets")));    /* 0.4 <= 0.5 */
    assert_true(json_is_false(json_object_get(o, "consumer_meets")));   /* 0.6 >  0.5 */
    /* 2 t = 2000 kg per person: 0.4 / 2000 = 0.0002. */
    assert_near(num(o, "person_limit"), 2000, 1e-9);
    assert_near(num(o, "producer_share_of_person_limit"), 0.0002, 1e-15);
    summer = json_array_get(json_object_get(p, "seasons"), 1);
    o = line(summer, "price");
    assert_true(json_is_true(json_object_get(o, "producer_meets")));    /* 2.5 <= 2.5 */
    assert_true(json_is_null(json_object_get(o, "consumer")));           /* not reported */
    o = line(summer, "consumer_wellbeing");
    assert_true(json_is_null(json_object_get(o, "target")));
    assert_near(num(o, "consumer"), 4, 0);
}

static void
an_unknown_partnership_is_an_error(void **state)
{
    fixture_t *f = *state;
    sp_error_t *err = NULL;
    json_t *r;

    assert_int_equal(sp_partnership_report(f->store, "csa", NULL, &r, f->pool, &err),
                     SP_EXIT_DATA);
    assert_string_equal(err->message, "unknown partnership 'csa'");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(quarters_are_numbered_from_dates, open_empty, teardown),
        cmocka_unit_test_setup_teardown(the_diffusion_is_counted_per_quarter_against_the_doubling_target, setup, teardown),
        cmocka_unit_test_setup_teardown(the_pace_is_the_slope_of_log2_of_the_count_and_gives_the_date_of_coverage, setup, teardown),
        cmocka_unit_test_setup_teardown(chains_stall_where_invitations_wait_two_quarters_without_acceptance, setup, teardown),
        cmocka_unit_test_setup_teardown(the_share_of_signatories_is_given_by_neighbourhood, setup, teardown),
        cmocka_unit_test_setup_teardown(the_organisations_of_the_charter_are_listed_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(an_earlier_as_of_date_cuts_the_curve_there, setup, teardown),
        cmocka_unit_test_setup_teardown(an_empty_pact_reports_nothing_yet, open_empty, teardown),
        cmocka_unit_test_setup_teardown(each_season_sets_both_sides_against_the_targets, setup_partnership, teardown),
        cmocka_unit_test_setup_teardown(an_unknown_partnership_is_an_error, setup_partnership, teardown),
    };

    apr_initialize();
    atexit(apr_terminate);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
