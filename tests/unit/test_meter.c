/*
 * test_meter.c -- unit tests of the meter's C side (sp_meter): the weighted
 * quantile, the parsing of answers, and the distribution table on batches
 * made by hand (its weighting by household size, and its suppression:
 * primary for small groups, secondary when one neighbourhood alone would
 * be withheld, none with --no-suppress).
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

/* The index of co2e among m's resources (its limit is 2000 kg). */
static size_t
co2e_of(const sp_meter_t *m)
{
    size_t nres = sp_meter_nresources(m), i;

    for (i = 0; i < nres; i++)
        if (strcmp(sp_meter_resource(m, i)->name, "co2e") == 0)
            break;
    assert_true(i < nres);
    assert_float_equal(sp_meter_resource(m, i)->limit, 2000.0, 1e-9);
    return i;
}

/* A batch of n households made by hand for m: household i lives in nb[i]
 * ("" for none), has size[i] persons and a co2e total of kg[i] for one
 * person (own use: kg[i] x size[i]); every other number is 0. */
static void
fill_batch(sp_meter_batch_t *b, const sp_meter_t *m, size_t n, const char **nb,
           const double *size, const double *kg, apr_pool_t *pool)
{
    size_t nres = sp_meter_nresources(m), co2e = co2e_of(m), i;

    memset(b, 0, sizeof *b);
    b->n = n;
    b->nres = nres;
    b->neighbourhood = nb;
    b->size = (double *)size;
    b->person = apr_pcalloc(pool, n * nres * sizeof(double));
    b->household = apr_pcalloc(pool, n * nres * sizeof(double));
    b->total = apr_pcalloc(pool, n * nres * sizeof(double));
    for (i = 0; i < n; i++) {
        b->total[i * nres + co2e] = kg[i];
        b->household[i * nres + co2e] = kg[i] * size[i];
    }
}

/* A batch of groups: counts[g] households in names[g] (NULL-terminated),
 * of sizes 1, 2, 3, 1, 2, 3... and totals 1000, 1100, 1200... kg. */
static void
group_batch(sp_meter_batch_t *b, const sp_meter_t *m, const char *const *names,
            const size_t *counts, apr_pool_t *pool)
{
    size_t n = 0, g, j, i = 0;
    const char **nb;
    double *size, *kg;

    for (g = 0; names[g] != NULL; g++)
        n += counts[g];
    nb = apr_palloc(pool, n * sizeof *nb);
    size = apr_palloc(pool, n * sizeof *size);
    kg = apr_palloc(pool, n * sizeof *kg);
    for (g = 0; names[g] != NULL; g++)
        for (j = 0; j < counts[g]; j++, i++) {
            nb[i] = names[g];
            size[i] = (double)(i % 3 + 1);
            kg[i] = 1000.0 + 100.0 * (double)i;
        }
    fill_batch(b, m, n, nb, size, kg, pool);
}

/* The distribution table of groups names[g] of counts[g] households,
 * K = 5 (or everything shown with no_suppress). */
static sp_table_t *
group_table(apr_pool_t *pool, const char *const *names, const size_t *counts, int no_suppress)
{
    sp_meter_t *m = default_meter(pool);
    sp_meter_dist_opts_t o = {5, no_suppress};
    sp_meter_batch_t b;
    sp_table_t *t = NULL;
    sp_error_t *err = NULL;

    group_batch(&b, m, names, counts, pool);
    assert_int_equal(sp_meter_distribution(m, &b, &o, &t, pool, &err), SP_OK);
    return t;
}

/* The columns that hold data about households (all but the labels and
 * the limit, column 9). */
static const size_t data_columns[] = {3, 4, 5, 6, 7, 8, 10, 11};
#define NDATA (sizeof data_columns / sizeof data_columns[0])
#define LIMIT_COLUMN 9

static const char SECONDARY_NOTE[] = "withheld so that a small group cannot be worked out from (all)";
static const char PRIMARY_NOTE[] = "suppressed: fewer than 5 households";

/* Every row of group label (one per resource) has every data cell
 * withheld with note, and the limit shown. */
static void
assert_withheld(const sp_table_t *t, const char *label, const char *note)
{
    size_t r, c, rows = 0;

    for (r = 0; r < t->nrows; r++) {
        if (strcmp(sp_table_cell(t, r, 0)->text, label) != 0)
            continue;
        rows++;
        for (c = 0; c < NDATA; c++) {
            const sp_table_cell_t *cell = sp_table_cell(t, r, data_columns[c]);

            assert_int_equal(cell->kind, SPIRAL_CELL_SUPPRESSED);
            assert_string_equal(cell->text, "x");
            assert_string_equal(cell->note, note);
        }
        assert_int_not_equal(sp_table_cell(t, r, LIMIT_COLUMN)->kind, SPIRAL_CELL_SUPPRESSED);
    }
    assert_true(rows > 0);
}

/* Every row of group label shows its numbers, households among them. */
static void
assert_shown(const sp_table_t *t, const char *label, double households)
{
    size_t r, c, rows = 0;

    for (r = 0; r < t->nrows; r++) {
        if (strcmp(sp_table_cell(t, r, 0)->text, label) != 0)
            continue;
        rows++;
        for (c = 0; c < NDATA; c++)
            assert_int_not_equal(sp_table_cell(t, r, data_columns[c])->kind,
                                 SPIRAL_CELL_SUPPRESSED);
        assert_int_equal(sp_table_cell(t, r, 3)->kind, SPIRAL_CELL_NUMBER);
        assert_float_equal(sp_table_cell(t, r, 3)->number, households, 0);
    }
    assert_true(rows > 0);
}

/* How many cells of t carry note. */
static size_t
cells_noted(const sp_table_t *t, const char *note)
{
    size_t r, c, n = 0;

    for (r = 0; r < t->nrows; r++)
        for (c = 0; c < t->ncols; c++) {
            const sp_table_cell_t *cell = sp_table_cell(t, r, c);

            n += cell->note != NULL && strcmp(cell->note, note) == 0;
        }
    return n;
}

/* A batch of 7 households: 5 in "A" (sizes 1, 2, 1, 1, 3; co2e totals
 * 1000, 2000, 3000, 4000, 5000 kg), 1 in "B" and 1 in "C" (two small
 * groups, so that neither needs a second one withheld with it).  Weighted
 * mean of A: (1000 + 4000 + 3000 + 4000 + 15000) / 8 = 3375; above the
 * 2000 kg limit: sizes 1 + 1 + 3 = 5 of 8 persons (2000 is not above).
 * Quartiles: rep(c(1000,2000,3000,4000,5000), c(1,2,1,1,3)), type 6 ->
 * 2000 3500 5000. */
static void
the_distribution_weights_by_size_and_withholds_small_groups(void **state)
{
    apr_pool_t *pool = *state;
    sp_meter_t *m = default_meter(pool);
    size_t nres = sp_meter_nresources(m), co2e = co2e_of(m), r;
    static const char *nb[] = {"A", "A", "A", "A", "A", "B", "C"};
    static const double size[] = {1, 2, 1, 1, 3, 2, 1};
    static const double kg[] = {1000, 2000, 3000, 4000, 5000, 9000, 8000};
    sp_meter_batch_t b;
    sp_table_t *t;
    sp_error_t *err = NULL;
    sp_meter_dist_opts_t o = {5, 0};

    fill_batch(&b, m, 7, nb, size, kg, pool);
    assert_int_equal(sp_meter_distribution(m, &b, &o, &t, pool, &err), SP_OK);
    assert_int_equal(t->nrows, 4 * nres);      /* A, B, C, (all) */
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
    r = 3 * nres + co2e;                       /* everyone: 7 households, 11 persons */
    assert_string_equal(sp_table_cell(t, r, 0)->text, "(all)");
    assert_float_equal(sp_table_cell(t, r, 4)->number, 11, 0);
    o.no_suppress = 1;
    assert_int_equal(sp_meter_distribution(m, &b, &o, &t, pool, &err), SP_OK);
    assert_int_equal(sp_table_cell(t, nres + co2e, 5)->kind, SPIRAL_CELL_NUMBER);
    assert_float_equal(sp_table_cell(t, nres + co2e, 5)->number, 9000, 1e-9);
    assert_int_equal(t->not_for_publication, 1);
}

/* Sud (2 households) alone withheld would be (all) minus Est and Nord, so
 * the smaller of the other two, Nord (6, although Est comes first), is
 * withheld with it; Est and (all) stay. */
static void
one_small_neighbourhood_takes_the_smallest_other_with_it(void **state)
{
    apr_pool_t *pool = *state;
    static const char *const names[] = {"Est", "Nord", "Sud", NULL};
    static const size_t counts[] = {9, 6, 2};
    sp_table_t *t;

    t = group_table(pool, names, counts, 0);
    assert_withheld(t, "Sud", PRIMARY_NOTE);
    assert_withheld(t, "Nord", SECONDARY_NOTE);
    assert_shown(t, "Est", 9);
    assert_shown(t, "(all)", 17);
    assert_int_equal(t->not_for_publication, 0);
    assert_non_null(strstr(t->note, "withheld, fewer than 5 households: Sud;"));
    assert_non_null(strstr(t->note, "worked out from (all): Nord"));
}

/* On a tie the first in the table's order goes: Est, not Nord. */
static void
a_tie_for_the_second_group_takes_the_first(void **state)
{
    apr_pool_t *pool = *state;
    static const char *const names[] = {"Nord", "Sud", "Est", NULL};
    static const size_t counts[] = {5, 1, 5};
    sp_table_t *t;

    t = group_table(pool, names, counts, 0);
    assert_withheld(t, "Sud", PRIMARY_NOTE);
    assert_withheld(t, "Est", SECONDARY_NOTE);
    assert_shown(t, "Nord", 5);
    assert_shown(t, "(all)", 11);
}

/* With one other neighbourhood only, that one is the only candidate: both
 * go, and (all) (7 households) stays, since it no longer tells either. */
static void
with_one_other_neighbourhood_both_are_withheld(void **state)
{
    apr_pool_t *pool = *state;
    static const char *const names[] = {"Nord", "Sud", NULL};
    static const size_t counts[] = {5, 2};
    sp_table_t *t;

    t = group_table(pool, names, counts, 0);
    assert_withheld(t, "Sud", PRIMARY_NOTE);
    assert_withheld(t, "Nord", SECONDARY_NOTE);
    assert_shown(t, "(all)", 7);
}

/* Two small groups ("(none)" is one) only give away their sum: both are
 * primary, nothing is secondary, Nord and (all) stay. */
static void
two_small_groups_need_no_secondary(void **state)
{
    apr_pool_t *pool = *state;
    static const char *const names[] = {"", "Nord", "Sud", NULL};
    static const size_t counts[] = {3, 6, 2};
    sp_table_t *t;

    t = group_table(pool, names, counts, 0);
    assert_withheld(t, "Sud", PRIMARY_NOTE);
    assert_withheld(t, "(none)", PRIMARY_NOTE);
    assert_shown(t, "Nord", 6);
    assert_shown(t, "(all)", 11);
    assert_int_equal(cells_noted(t, SECONDARY_NOTE), 0);
    assert_non_null(strstr(t->note, "withheld, fewer than 5 households: Sud, (none)"));
    assert_null(strstr(t->note, "worked out"));
}

/* A small (all) is withheld like any group; its neighbourhoods are all
 * small too, so nothing is secondary. */
static void
a_small_everyone_is_withheld_too(void **state)
{
    apr_pool_t *pool = *state;
    static const char *const names[] = {"Nord", "Sud", NULL};
    static const size_t counts[] = {3, 1};
    sp_table_t *t;

    t = group_table(pool, names, counts, 0);
    assert_withheld(t, "Nord", PRIMARY_NOTE);
    assert_withheld(t, "Sud", PRIMARY_NOTE);
    assert_withheld(t, "(all)", PRIMARY_NOTE);
    assert_int_equal(cells_noted(t, SECONDARY_NOTE), 0);
}

/* --no-suppress: the batch of the first case shows every number. */
static void
no_suppress_withholds_nothing(void **state)
{
    apr_pool_t *pool = *state;
    static const char *const names[] = {"Est", "Nord", "Sud", NULL};
    static const size_t counts[] = {9, 6, 2};
    sp_table_t *t;
    size_t r, c;

    t = group_table(pool, names, counts, 1);
    for (r = 0; r < t->nrows; r++)
        for (c = 0; c < t->ncols; c++)
            assert_int_not_equal(sp_table_cell(t, r, c)->kind, SPIRAL_CELL_SUPPRESSED);
    assert_shown(t, "Sud", 2);
    assert_shown(t, "Nord", 6);
    assert_int_equal(t->not_for_publication, 1);
    assert_null(strstr(t->note, "withheld"));
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
        cmocka_unit_test_setup_teardown(one_small_neighbourhood_takes_the_smallest_other_with_it,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_tie_for_the_second_group_takes_the_first, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(with_one_other_neighbourhood_both_are_withheld, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(two_small_groups_need_no_secondary, setup, teardown),
        cmocka_unit_test_setup_teardown(a_small_everyone_is_withheld_too, setup, teardown),
        cmocka_unit_test_setup_teardown(no_suppress_withholds_nothing, setup, teardown),
    };

    apr_initialize();
    atexit(apr_terminate);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
