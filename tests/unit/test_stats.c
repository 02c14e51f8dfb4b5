/*
 * test_stats.c -- sp_stats.c against R: incomplete gamma, chi-square tail
 * and Fisher's exact test, on the values in tests/fixtures/xtab/stats.ref
 * (written by make_stats.R, R 4.2.2; see its header).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "sp_stats.h"

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

/* Relative agreement (values that are both 0 agree). */
static int
close_to(double got, double want, double rel)
{
    if (got == want)
        return 1;
    return fabs(got - want) <= rel * fmax(fabs(got), fabs(want));
}

#define CHECK_CLOSE(got, want, rel, what)                                       \
    do {                                                                        \
        if (!close_to((got), (want), (rel)))                                    \
            fail_msg("%s: got %.17g, R says %.17g", (what), (got), (want));     \
    } while (0)

static FILE *
open_ref(apr_pool_t *pool)
{
    const char *src = getenv("SRCDIR") ? getenv("SRCDIR") : ".";
    const char *path = apr_pstrcat(pool, src, "/tests/fixtures/xtab/stats.ref", NULL);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s (set SRCDIR to the source tree)", path);
    return f;
}

/* Run every line of kind `kind` in stats.ref through check(); returns the
 * number of lines checked. */
static int
each_ref(apr_pool_t *pool, const char *kind, void (*check)(const double *v))
{
    FILE *f = open_ref(pool);
    char line[512];
    int count = 0;
    while (fgets(line, sizeof line, f)) {
        char name[32];
        double v[7];
        int k = sscanf(line, "%31s %lf %lf %lf %lf %lf %lf %lf", name,
                       &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]);
        if (k < 2 || strcmp(name, kind) != 0)
            continue;
        check(v);
        count++;
    }
    fclose(f);
    return count;
}

static void
check_gamma_p(const double *v)
{
    char what[80];
    snprintf(what, sizeof what, "P(%g, %g)", v[0], v[1]);
    CHECK_CLOSE(sp_stats_gamma_p(v[0], v[1]), v[2], 1e-12, what);
}

static void
check_gamma_q(const double *v)
{
    char what[80];
    snprintf(what, sizeof what, "Q(%g, %g)", v[0], v[1]);
    CHECK_CLOSE(sp_stats_gamma_q(v[0], v[1]), v[2], 1e-12, what);
}

static void
check_chi2(const double *v)
{
    char what[80];
    snprintf(what, sizeof what, "chi2_q(%g, df %g)", v[0], v[1]);
    CHECK_CLOSE(sp_stats_chi2_q(v[0], v[1]), v[2], 1e-12, what);
}

static void
check_fisher(const double *v)
{
    sp_stats_fisher_t f;
    char what[80];
    assert_int_equal(sp_stats_fisher_2x2(v[0], v[1], v[2], v[3], &f), 0);
    snprintf(what, sizeof what, "fisher [%g %g; %g %g]", v[0], v[1], v[2], v[3]);
    CHECK_CLOSE(f.two_sided, v[4], 1e-12, what);
    CHECK_CLOSE(f.less, v[5], 1e-12, what);
    CHECK_CLOSE(f.greater, v[6], 1e-12, what);
}

static void
lower_incomplete_gamma_matches_r(void **state)
{
    assert_true(each_ref(*state, "gamma_p", check_gamma_p) >= 40);
}

static void
upper_incomplete_gamma_matches_r_even_when_tiny(void **state)
{
    assert_true(each_ref(*state, "gamma_q", check_gamma_q) >= 40);
}

static void
chi_square_upper_tail_matches_r_pchisq(void **state)
{
    assert_true(each_ref(*state, "chi2_q", check_chi2) >= 40);
}

static void
fisher_exact_test_matches_r_fisher_test(void **state)
{
    assert_true(each_ref(*state, "fisher", check_fisher) >= 9);
}

static void
fisher_one_sided_follows_the_observed_direction(void **state)
{
    (void)state;
    sp_stats_fisher_t f;
    assert_int_equal(sp_stats_fisher_2x2(10, 2, 3, 9, &f), 0);  /* ad > bc */
    assert_true(f.one_sided == f.greater);
    assert_int_equal(sp_stats_fisher_2x2(2, 10, 9, 3, &f), 0);  /* ad < bc */
    assert_true(f.one_sided == f.less);
}

static void
fisher_rejects_non_integer_or_negative_counts(void **state)
{
    (void)state;
    sp_stats_fisher_t f;
    assert_int_equal(sp_stats_fisher_2x2(1.5, 2, 3, 4, &f), -1);
    assert_int_equal(sp_stats_fisher_2x2(-1, 2, 3, 4, &f), -1);
}

static void
gamma_edges_are_defined(void **state)
{
    (void)state;
    assert_true(sp_stats_gamma_p(2, 0) == 0);
    assert_true(sp_stats_gamma_q(2, 0) == 1);
    assert_true(sp_stats_chi2_q(0, 3) == 1);
    assert_true(isnan(sp_stats_gamma_p(0, 1)));
    assert_true(isnan(sp_stats_chi2_q(1, 0)));
}

int
main(void)
{
    apr_initialize();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(lower_incomplete_gamma_matches_r, setup, teardown),
        cmocka_unit_test_setup_teardown(upper_incomplete_gamma_matches_r_even_when_tiny, setup, teardown),
        cmocka_unit_test_setup_teardown(chi_square_upper_tail_matches_r_pchisq, setup, teardown),
        cmocka_unit_test_setup_teardown(fisher_exact_test_matches_r_fisher_test, setup, teardown),
        cmocka_unit_test_setup_teardown(fisher_one_sided_follows_the_observed_direction, setup, teardown),
        cmocka_unit_test_setup_teardown(fisher_rejects_non_integer_or_negative_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(gamma_edges_are_defined, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_terminate();
    return rc;
}
