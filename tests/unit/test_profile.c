/*
 * test_profile.c -- unit tests of core/sp_profile.c's family level: the
 * lower median of a respondent's levels (the ceil(n/2)-th smallest), worked
 * out by hand beside each case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <apr_general.h>
#include "sp_profile.h"

static void
the_lower_median_of_an_odd_count_is_the_middle_level(void **state)
{
    unsigned v[] = {5, 1, 3};                 /* 1 3 5 -> 3 */

    (void)state;
    assert_int_equal(sp_profile_lower_median(v, 3), 3);
}

static void
the_lower_median_of_an_even_count_is_the_worse_middle_level(void **state)
{
    unsigned v[] = {5, 2};                    /* 2 5 -> 2, not 3.5 */
    unsigned w[] = {4, 1, 3, 2};              /* 1 2 3 4 -> 2 */

    (void)state;
    assert_int_equal(sp_profile_lower_median(v, 2), 2);
    assert_int_equal(sp_profile_lower_median(w, 4), 2);
}

static void
the_lower_median_of_nothing_is_missing(void **state)
{
    unsigned v[] = {3};

    (void)state;
    assert_int_equal(sp_profile_lower_median(v, 0), 0);
    assert_int_equal(sp_profile_lower_median(v, 1), 3);
}

static void
only_three_dimensions_group_profiles(void **state)
{
    (void)state;
    assert_true(sp_profile_dim_ok("neighbourhood"));
    assert_true(sp_profile_dim_ok("form"));
    assert_true(sp_profile_dim_ok("wave"));
    assert_false(sp_profile_dim_ok("gender"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_lower_median_of_an_odd_count_is_the_middle_level),
        cmocka_unit_test(the_lower_median_of_an_even_count_is_the_worse_middle_level),
        cmocka_unit_test(the_lower_median_of_nothing_is_missing),
        cmocka_unit_test(only_three_dimensions_group_profiles),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
