/*
 * test_sdc.c -- small-cell suppression along the lines of a table with its
 * margins (sp_sdc.h): the report's meter table case that a row-only rule
 * left open, margins as primary cells, and random tables against the
 * invariant itself (no row or column with exactly one value withheld, and
 * primary exactly where a count is 1..K-1).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "sp_sdc.h"

/* Extend an nr x nc table with its margins into ext ((nr+1) x (nc+1)). */
static void
extend(const double *cells, size_t nr, size_t nc, double *ext)
{
    size_t i, j, w = nc + 1;

    memset(ext, 0, (nr + 1) * w * sizeof *ext);
    for (i = 0; i < nr; i++)
        for (j = 0; j < nc; j++) {
            double c = cells[i * nc + j];

            ext[i * w + j] = c;
            ext[i * w + nc] += c;
            ext[nr * w + j] += c;
            ext[nr * w + nc] += c;
        }
}

/* The number of withheld values on each line is never exactly one. */
static void
assert_no_lone_value(const unsigned char *supp, size_t nr, size_t nc)
{
    size_t i, j, w = nc + 1, n;

    for (i = 0; i <= nr; i++) {
        for (n = 0, j = 0; j <= nc; j++)
            n += supp[i * w + j] != SP_SDC_SHOWN;
        if (n == 1)
            fail_msg("row %zu holds one withheld value", i);
    }
    for (j = 0; j <= nc; j++) {
        for (n = 0, i = 0; i <= nr; i++)
            n += supp[i * w + j] != SP_SDC_SHOWN;
        if (n == 1)
            fail_msg("column %zu holds one withheld value", j);
    }
}

/* Two neighbourhoods by five bands, with everyone's row: one small cell.
 * Withholding a second cell in its row only would leave its column's
 * total (everyone's row) to give it back. */
static void
a_small_cell_gets_partners_in_its_row_and_its_column(void **state)
{
    static const double cells[2 * 5] = { 2, 9, 12, 7, 6,
                                         8, 11, 15, 9, 10 };
    double ext[3 * 6];
    unsigned char supp[3 * 6];

    (void)state;
    extend(cells, 2, 5, ext);
    assert_int_equal(sp_sdc_protect_table(ext, 2, 5, 5, 0, supp), 1);
    assert_int_equal(supp[0], SP_SDC_PRIMARY);
    assert_int_equal(supp[6 + 0], SP_SDC_SECONDARY);   /* column partner: 8 */
    assert_int_equal(supp[4], SP_SDC_SECONDARY);       /* row partner: the smallest, 6 */
    assert_int_equal(supp[6 + 4], SP_SDC_SECONDARY);   /* and so on in row 2 */
    assert_int_equal(supp[5], SP_SDC_SHOWN);           /* margins stay */
    assert_int_equal(supp[2 * 6 + 5], SP_SDC_SHOWN);
    assert_no_lone_value(supp, 2, 5);
}

static void
small_margins_are_primary_when_asked(void **state)
{
    static const double cells[2 * 2] = { 1, 2, 10, 20 };
    double ext[3 * 3];
    unsigned char supp[3 * 3];

    (void)state;
    extend(cells, 2, 2, ext);
    sp_sdc_protect_table(ext, 2, 2, 5, 0, supp);
    assert_int_equal(supp[2], SP_SDC_SHOWN);           /* row total 3, shown */
    sp_sdc_protect_table(ext, 2, 2, 5, 1, supp);
    assert_int_equal(supp[2], SP_SDC_PRIMARY);
    assert_no_lone_value(supp, 2, 2);
}

static void
zero_cells_are_not_sensitive_and_never_taken_as_partners(void **state)
{
    static const double cells[2 * 3] = { 0, 0, 0,
                                         0, 3, 40 };
    double ext[3 * 4];
    unsigned char supp[3 * 4];
    size_t k;

    (void)state;
    extend(cells, 2, 3, ext);
    sp_sdc_protect_table(ext, 2, 3, 5, 0, supp);
    for (k = 0; k < 3; k++)
        assert_int_equal(supp[k], SP_SDC_SHOWN);
    assert_int_equal(supp[4 + 1], SP_SDC_PRIMARY);
    assert_int_equal(supp[4 + 2], SP_SDC_SECONDARY);
    assert_no_lone_value(supp, 2, 3);
}

/* Random tables with many small counts: whenever every line could be
 * protected, no line holds a lone withheld value; primary marks are
 * exactly the interior cells of 1..K-1. */
static void
random_tables_keep_the_invariant(void **state)
{
    unsigned seed = 12345;
    int round, complete = 0;

    (void)state;
    for (round = 0; round < 2000; round++) {
        size_t nr = 1 + (size_t)(rand_r(&seed) % 6), nc = 1 + (size_t)(rand_r(&seed) % 6);
        double cells[36], ext[49];
        unsigned char supp[49];
        size_t i, j;

        for (i = 0; i < nr * nc; i++)
            cells[i] = (double)(rand_r(&seed) % 3 == 0 ? rand_r(&seed) % 5 : rand_r(&seed) % 30);
        extend(cells, nr, nc, ext);
        if (sp_sdc_protect_table(ext, nr, nc, 5, 0, supp)) {
            complete++;
            assert_no_lone_value(supp, nr, nc);
        }
        for (i = 0; i < nr; i++)
            for (j = 0; j < nc; j++) {
                double c = cells[i * nc + j];

                assert_int_equal(supp[i * (nc + 1) + j] == SP_SDC_PRIMARY, c > 0 && c < 5);
            }
    }
    assert_true(complete > 1500);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_small_cell_gets_partners_in_its_row_and_its_column),
        cmocka_unit_test(small_margins_are_primary_when_asked),
        cmocka_unit_test(zero_cells_are_not_sensitive_and_never_taken_as_partners),
        cmocka_unit_test(random_tables_keep_the_invariant),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
