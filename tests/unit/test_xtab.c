/*
 * test_xtab.c -- the cross-tabulation engine against R and PSPP, its
 * degenerate cases, disclosure control and renderers.
 *
 * Reference values are in tests/fixtures/xtab: <case>.cells (the counts),
 * <case>.r (R 4.2.2, make_r.R) and <case>.pspp (PSPP 1.6.2 CROSSTABS,
 * make_pspp.sps + pspp_extract.py); the README there has the commands.
 * Agreement is checked at 1e-9 relative (1e-12 absolute for cell values
 * that are zero up to rounding).
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
#include <jansson.h>
#include <utf8proc.h>

#include "sp_xtab.h"

#define T SP_XTAB_TOTAL

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

static const char *
fixture(apr_pool_t *pool, const char *name)
{
    const char *src = getenv("SRCDIR") ? getenv("SRCDIR") : ".";
    return apr_pstrcat(pool, src, "/tests/fixtures/xtab/", name, NULL);
}

/* ---- reading fixtures ---------------------------------------------------- */

static sp_xtab_t *
load_cells(apr_pool_t *pool, const char *name)
{
    const char *path = fixture(pool, apr_pstrcat(pool, name, ".cells", NULL));
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s (set SRCDIR to the source tree)", path);
    char line[512];
    sp_xtab_t *xt = NULL;
    while (fgets(line, sizeof line, f)) {
        size_t a, b, c;
        double n, w;
        char dim[16], label[256];
        if (sscanf(line, "dims %zu %zu %zu", &a, &b, &c) == 3) {
            xt = sp_xtab_create(a, b, c, pool);
        } else if (sscanf(line, "label %15s %zu %255[^\n]", dim, &a, label) == 3) {
            sp_xtab_dim_t d = !strcmp(dim, "rows") ? SP_XTAB_ROWS : !strcmp(dim, "cols") ? SP_XTAB_COLS : SP_XTAB_LAYERS;
            assert_int_equal(sp_xtab_set_label(xt, d, a, label), SP_OK);
        } else if (sscanf(line, "cell %zu %zu %zu %lf %lf", &a, &b, &c, &n, &w) == 5) {
            sp_xtab_add(xt, a, b, c, n, w);
        }
    }
    fclose(f);
    assert_non_null(xt);
    return xt;
}

static int
agree(double got, double want, double abs_floor)
{
    if (got == want)
        return 1;
    double d = fabs(got - want);
    return d <= 1e-9 * fmax(fabs(got), fabs(want)) || d <= abs_floor;
}

static size_t
parse_index(const char *s)
{
    return !strcmp(s, "T") ? T : (size_t)strtoul(s, NULL, 10);
}

static int
key_index(const char *const *keys, const char *key)
{
    for (int i = 0; keys[i]; i++)
        if (!strcmp(keys[i], key))
            return i;
    return -1;
}

/* Check every ref/stat line of <name><ext> against the computed xt;
 * returns the number of values checked. */
static int
check_refs(apr_pool_t *pool, sp_xtab_t *xt, const char *name, const char *ext)
{
    const char *path = fixture(pool, apr_pstrcat(pool, name, ext, NULL));
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    char line[512];
    int checked = 0;
    size_t nt = sp_xtab_ntables(xt);
    while (fgets(line, sizeof line, f)) {
        char table[32], kind[64], r[16], c[16], field[32];
        double want, got;
        if (sscanf(line, "ref %31s %63s %15s %15s %lf", table, kind, r, c, &want) == 5) {
            size_t t = !strcmp(table, "all") ? nt - 1 : (size_t)atoi(table);
            int k = key_index(sp_xtab_cell_keys, kind);
            assert_true(k >= 0);
            const char *why = NULL;
            sp_xtab_status_t s = sp_xtab_cell(xt, t, k, parse_index(r), parse_index(c), &got, &why);
            if (s != SP_XTAB_SHOWN)
                fail_msg("%s%s: %s", name, ext, line);
            if (!agree(got, want, 1e-12))
                fail_msg("%s%s: got %.17g for %s", name, ext, got, line);
            checked++;
        } else if (sscanf(line, "stat %31s %63s %31s %lf", table, kind, field, &want) == 4) {
            size_t t = !strcmp(table, "all") ? nt - 1 : (size_t)atoi(table);
            int k = key_index(sp_xtab_stat_keys, kind);
            assert_true(k >= 0);
            const sp_xtab_stat_t *s = sp_xtab_stat(xt, t, k);
            if (!s->defined)
                fail_msg("%s%s: absent (%s): %s", name, ext, s->why, line);
            got = !strcmp(field, "value") ? s->value : !strcmp(field, "df") ? s->df
                  : !strcmp(field, "p") ? s->p : !strcmp(field, "p_less") ? s->p_less
                  : !strcmp(field, "p_greater") ? s->p_greater : s->p_one;
            if (!agree(got, want, 0))
                fail_msg("%s%s: got %.17g for %s", name, ext, got, line);
            checked++;
        }
    }
    fclose(f);
    return checked;
}

static sp_xtab_t *
computed_fixture(apr_pool_t *pool, const char *name)
{
    sp_xtab_t *xt = load_cells(pool, name);
    sp_xtab_options_t opt;
    sp_xtab_options_init(&opt);
    opt.no_suppress = 1;  /* the references are unsuppressed */
    assert_int_equal(sp_xtab_compute(xt, &opt, NULL), SP_OK);
    return xt;
}

static void
agree_with_r_and_pspp(apr_pool_t *pool, const char *name, int min_r, int min_pspp)
{
    sp_xtab_t *xt = computed_fixture(pool, name);
    int nr = check_refs(pool, xt, name, ".r");
    int np = check_refs(pool, xt, name, ".pspp");
    if (nr < min_r || np < min_pspp)
        fail_msg("%s: only %d R and %d PSPP values checked", name, nr, np);
}

/* ---- against R and PSPP --------------------------------------------------- */

static void
ucb_admissions_by_department_matches_r_and_pspp(void **state)
{
    agree_with_r_and_pspp(*state, "ucb", 300, 300);
}

static void
hair_eye_color_matches_r_and_pspp(void **state)
{
    agree_with_r_and_pspp(*state, "haireye", 100, 100);
}

static void
hair_eye_color_with_sex_as_layer_matches_r_and_pspp(void **state)
{
    agree_with_r_and_pspp(*state, "haireye_sex", 200, 200);
}

static void
titanic_class_by_survival_matches_r_and_pspp(void **state)
{
    agree_with_r_and_pspp(*state, "titanic", 50, 50);
}

static void
apistrat_weighted_by_pw_matches_xtabs_and_pspp_weight_by(void **state)
{
    agree_with_r_and_pspp(*state, "api_stype_awards", 50, 50);
}

static void
apistrat_weighted_two_by_two_rounds_counts_for_fisher(void **state)
{
    agree_with_r_and_pspp(*state, "api_awards_schwide", 40, 40);
    sp_xtab_t *xt = computed_fixture(*state, "api_awards_schwide");
    assert_true(sp_xtab_fisher_rounded(xt, 0));
}

/* ---- degenerate tables ---------------------------------------------------- */

/* HairEyeColor with an empty row inserted: PSPP computes on the populated
 * rows, so the statistics are those of the plain table. */
static void
an_empty_row_leaves_statistics_of_the_other_rows_unchanged(void **state)
{
    apr_pool_t *pool = *state;
    sp_xtab_t *ref = computed_fixture(pool, "haireye");
    sp_xtab_t *xt = sp_xtab_create(5, 4, 1, pool);
    for (size_t r = 0; r < 4; r++)
        for (size_t c = 0; c < 4; c++) {
            double w;
            assert_int_equal(sp_xtab_cell(ref, 0, SP_XTAB_WEIGHTED, r, c, &w, NULL), SP_XTAB_SHOWN);
            sp_xtab_add(xt, 0, r < 2 ? r : r + 1, c, w, w);
        }
    sp_xtab_options_t opt = { 5, 1 };
    assert_int_equal(sp_xtab_compute(xt, &opt, NULL), SP_OK);
    for (int k = 0; k < SP_XTAB_N_STATS; k++) {
        const sp_xtab_stat_t *a = sp_xtab_stat(xt, 0, k), *b = sp_xtab_stat(ref, 0, k);
        assert_int_equal(a->defined, b->defined);
        if (a->defined) {
            assert_true(agree(a->value, b->value, 0));
            assert_true(isnan(a->df) || a->df == b->df);
            assert_true(isnan(a->p) || agree(a->p, b->p, 0));
        }
    }
    const char *why;
    assert_int_equal(sp_xtab_cell(xt, 0, SP_XTAB_ROW_PCT, 2, 1, NULL, &why), SP_XTAB_UNDEFINED);
    assert_int_equal(sp_xtab_cell(xt, 0, SP_XTAB_STD_RESID, 2, 1, NULL, &why), SP_XTAB_UNDEFINED);
    assert_non_null(why);
    double e;
    assert_int_equal(sp_xtab_cell(xt, 0, SP_XTAB_EXPECTED, 2, 1, &e, NULL), SP_XTAB_SHOWN);
    assert_true(e == 0);
}

/* A 2x3 table with an empty middle column is a 2x2 table to PSPP: Yates and
 * Fisher exist and equal those of UCB department A. */
static void
an_empty_column_still_gives_yates_and_fisher_on_the_two_others(void **state)
{
    apr_pool_t *pool = *state;
    sp_xtab_t *ref = computed_fixture(pool, "ucb");
    sp_xtab_t *xt = sp_xtab_create(2, 3, 1, pool);
    for (size_t r = 0; r < 2; r++)
        for (size_t c = 0; c < 2; c++) {
            double w;
            sp_xtab_cell(ref, 0, SP_XTAB_WEIGHTED, r, c, &w, NULL);
            sp_xtab_add(xt, 0, r, c ? 2 : 0, w, w);
        }
    sp_xtab_options_t opt = { 5, 1 };
    assert_int_equal(sp_xtab_compute(xt, &opt, NULL), SP_OK);
    for (int k = 0; k < SP_XTAB_N_STATS; k++) {
        const sp_xtab_stat_t *a = sp_xtab_stat(xt, 0, k), *b = sp_xtab_stat(ref, 0, k);
        assert_true(a->defined && b->defined);
        assert_true(isnan(b->value) || agree(a->value, b->value, 0));
        assert_true(isnan(b->p) || agree(a->p, b->p, 0));
    }
    check_refs(pool, ref, "ucb", ".r");
}

static void
assert_json_has_no_nan(apr_pool_t *pool, sp_xtab_t *xt)
{
    const char *js, *csv, *txt;
    assert_int_equal(sp_xtab_render_json(xt, &js, pool, NULL), SP_OK);
    assert_int_equal(sp_xtab_render_csv(xt, NULL, &csv, pool, NULL), SP_OK);
    assert_int_equal(sp_xtab_render_text(xt, NULL, &txt, pool, NULL), SP_OK);
    for (const char *s = js; *s; s++)
        assert_false(!strncmp(s, "nan", 3) || !strncmp(s, "NaN", 3) || !strncmp(s, "inf", 3));
    for (const char *s = csv; *s; s++)
        assert_false(!strncmp(s, "nan", 3) || !strncmp(s, "inf", 3));
    for (const char *s = txt; *s; s++)
        assert_false(!strncmp(s, "nan", 3) || !strncmp(s, "inf", 3));
    json_error_t e;
    json_t *o = json_loads(js, 0, &e);
    assert_non_null(o);
    assert_true(json_is_null(json_object_get(o, "phi")));
    assert_true(json_is_string(json_object_get(json_object_get(o, "notes"), "phi")));
    json_decref(o);
}

static void
a_single_cell_has_no_statistics_and_says_why(void **state)
{
    apr_pool_t *pool = *state;
    sp_xtab_t *xt = sp_xtab_create(1, 1, 1, pool);
    sp_xtab_add(xt, 0, 0, 0, 12, 12);
    assert_int_equal(sp_xtab_compute(xt, NULL, NULL), SP_OK);
    for (int k = 0; k < SP_XTAB_N_STATS; k++) {
        assert_false(sp_xtab_stat(xt, 0, k)->defined);
        assert_non_null(sp_xtab_stat(xt, 0, k)->why);
    }
    double v;
    assert_int_equal(sp_xtab_cell(xt, 0, SP_XTAB_ROW_PCT, 0, 0, &v, NULL), SP_XTAB_SHOWN);
    assert_true(v == 100);
    assert_int_equal(sp_xtab_cell(xt, 0, SP_XTAB_ADJ_RESID, 0, 0, NULL, NULL), SP_XTAB_UNDEFINED);
    assert_json_has_no_nan(pool, xt);
}

static void
all_weights_zero_leaves_everything_weighted_undefined(void **state)
{
    apr_pool_t *pool = *state;
    sp_xtab_t *xt = sp_xtab_create(2, 2, 1, pool);
    for (size_t k = 0; k < 4; k++)
        sp_xtab_add(xt, 0, k / 2, k % 2, 10, 0);
    assert_int_equal(sp_xtab_compute(xt, NULL, NULL), SP_OK);
    assert_false(sp_xtab_stat(xt, 0, SP_XTAB_ST_PEARSON)->defined);
    assert_false(sp_xtab_stat(xt, 0, SP_XTAB_ST_FISHER)->defined);
    assert_int_equal(sp_xtab_cell(xt, 0, SP_XTAB_TOTAL_PCT, 0, 0, NULL, NULL), SP_XTAB_UNDEFINED);
    assert_int_equal(sp_xtab_cell(xt, 0, SP_XTAB_EXPECTED, 0, 0, NULL, NULL), SP_XTAB_UNDEFINED);
    double n;
    assert_int_equal(sp_xtab_cell(xt, 0, SP_XTAB_COUNT, 1, 1, &n, NULL), SP_XTAB_SHOWN);
    assert_true(n == 10);
    assert_json_has_no_nan(pool, xt);
}

static void
one_column_only_gives_no_chi_square(void **state)
{
    apr_pool_t *pool = *state;
    sp_xtab_t *xt = sp_xtab_create(3, 2, 1, pool);
    sp_xtab_add(xt, 0, 0, 1, 10, 10);
    sp_xtab_add(xt, 0, 1, 1, 20, 20);
    sp_xtab_add(xt, 0, 2, 1, 30, 30);
    assert_int_equal(sp_xtab_compute(xt, NULL, NULL), SP_OK);
    size_t rows, cols;
    sp_xtab_nonempty(xt, 0, &rows, &cols);
    assert_int_equal(rows, 3);
    assert_int_equal(cols, 1);
    assert_false(sp_xtab_stat(xt, 0, SP_XTAB_ST_PEARSON)->defined);
    assert_false(sp_xtab_stat(xt, 0, SP_XTAB_ST_CRAMERS_V)->defined);
    assert_json_has_no_nan(pool, xt);
}

static void
invalid_additions_make_compute_fail(void **state)
{
    apr_pool_t *pool = *state;
    sp_xtab_t *xt = sp_xtab_create(2, 2, 1, pool);
    sp_xtab_add(xt, 0, 2, 0, 1, 1);
    sp_error_t *err = NULL;
    assert_int_equal(sp_xtab_compute(xt, NULL, &err), SP_EXIT_DATA);
    assert_non_null(err);
    xt = sp_xtab_create(2, 2, 1, pool);
    sp_xtab_add(xt, 0, 0, 0, 1, -3);
    assert_int_equal(sp_xtab_compute(xt, NULL, NULL), SP_EXIT_DATA);
    assert_null(sp_xtab_create(0, 2, 1, pool));
}

/* ---- disclosure control --------------------------------------------------- */

static sp_xtab_t *
table_of(apr_pool_t *pool, size_t nl, size_t nr, size_t nc, const double *counts, double min_cell)
{
    sp_xtab_t *xt = sp_xtab_create(nr, nc, nl, pool);
    for (size_t l = 0; l < nl; l++)
        for (size_t r = 0; r < nr; r++)
            for (size_t c = 0; c < nc; c++) {
                double n = counts[(l * nr + r) * nc + c];
                if (n > 0)
                    sp_xtab_add(xt, l, r, c, n, n * 1.5);
            }
    sp_xtab_options_t opt = { min_cell, 0 };
    assert_int_equal(sp_xtab_compute(xt, &opt, NULL), SP_OK);
    return xt;
}

/* Rank of a dense m x n matrix (Gaussian elimination with pivoting). */
static size_t
rank_of(double *a, size_t m, size_t n)
{
    size_t rank = 0;
    for (size_t c = 0; c < n && rank < m; c++) {
        size_t p = rank;
        for (size_t i = rank + 1; i < m; i++)
            if (fabs(a[i * n + c]) > fabs(a[p * n + c]))
                p = i;
        if (fabs(a[p * n + c]) < 1e-9)
            continue;
        for (size_t j = 0; j < n; j++) {
            double t = a[p * n + j];
            a[p * n + j] = a[rank * n + j];
            a[rank * n + j] = t;
        }
        for (size_t i = rank + 1; i < m; i++) {
            double f = a[i * n + c] / a[rank * n + c];
            for (size_t j = 0; j < n; j++)
                a[i * n + j] -= f * a[rank * n + j];
        }
        rank++;
    }
    return rank;
}

/* No suppressed value is determined by the published ones: the additivity
 * equations of every row, column and layer-line (margins included) leave
 * each unknown free, i.e. e_k is not in the row space of the system. */
static void
assert_nothing_recoverable(apr_pool_t *pool, sp_xtab_t *xt)
{
    size_t nr = sp_xtab_nrows(xt), nc = sp_xtab_ncols(xt), nt = sp_xtab_ntables(xt);
    size_t A = (nr + 1) * (nc + 1), E = nt * A;
    long *unk = apr_palloc(pool, E * sizeof *unk);
    size_t nu = 0;
    for (size_t t = 0; t < nt; t++)
        for (size_t i = 0; i <= nr; i++)
            for (size_t j = 0; j <= nc; j++)
                unk[t * A + i * (nc + 1) + j] =
                    sp_xtab_supp_kind(xt, t, i == nr ? T : i, j == nc ? T : j) ? (long)nu++ : -1;
    if (nu == 0)
        return;
    size_t maxeq = nt * (nr + 1 + nc + 1) + A + 1;
    double *M = apr_pcalloc(pool, (maxeq + 1) * nu * sizeof *M);
    size_t m = 0;
    /* One equation per line: sum of its entries minus its total is 0. */
#define ADD_LINE(start, stride, len)                                           \
    do {                                                                       \
        for (size_t k_ = 0; k_ < (len); k_++) {                                \
            long u_ = unk[(start) + k_ * (stride)];                            \
            if (u_ >= 0)                                                       \
                M[m * nu + (size_t)u_] += k_ + 1 == (len) ? -1.0 : 1.0;        \
        }                                                                      \
        m++;                                                                   \
    } while (0)
    for (size_t t = 0; t < nt; t++) {
        for (size_t i = 0; i <= nr; i++)
            ADD_LINE(t * A + i * (nc + 1), 1, nc + 1);
        for (size_t j = 0; j <= nc; j++)
            ADD_LINE(t * A + j, nc + 1, nr + 1);
    }
    if (nt > 1)
        for (size_t e = 0; e < A; e++)
            ADD_LINE(e, A, nt);
#undef ADD_LINE
    double *work = apr_palloc(pool, (m + 1) * nu * sizeof *work);
    memcpy(work, M, m * nu * sizeof *M);
    size_t r0 = rank_of(work, m, nu);
    for (size_t k = 0; k < nu; k++) {
        memcpy(work, M, m * nu * sizeof *M);
        memset(work + m * nu, 0, nu * sizeof *work);
        work[m * nu + k] = 1;
        if (rank_of(work, m + 1, nu) == r0)
            fail_msg("suppressed value %zu is recoverable from the published ones", k);
    }
}

static void
assert_supp(sp_xtab_t *xt, size_t t, size_t r, size_t c, sp_xtab_supp_kind_t want)
{
    sp_xtab_supp_kind_t got = sp_xtab_supp_kind(xt, t, r, c);
    if (got != want)
        fail_msg("table %zu (%zd, %zd): kind %d, want %d", t, (ssize_t)r, (ssize_t)c, got, want);
}

/*      c0  c1  c2          (3) is primary.  Row 0 then takes 15, column 1
 * r0   20  (3) 15          takes 9, column 2 takes 10; row 1 then needs
 * r1   12  18  10          12 and row 2 needs 7: every line holds two.
 * r2    7   9  30 */
static void
a_small_cell_and_its_partners_are_suppressed(void **state)
{
    apr_pool_t *pool = *state;
    static const double c[] = { 20, 3, 15, 12, 18, 10, 7, 9, 30 };
    sp_xtab_t *xt = table_of(pool, 1, 3, 3, c, 5);
    const sp_xtab_supp_kind_t N = SP_XTAB_SUPP_NONE, P = SP_XTAB_SUPP_PRIMARY, S = SP_XTAB_SUPP_SECONDARY;
    const sp_xtab_supp_kind_t want[3][3] = { { N, P, S }, { S, N, S }, { S, S, N } };
    for (size_t r = 0; r < 3; r++)
        for (size_t k = 0; k < 3; k++)
            assert_supp(xt, 0, r, k, want[r][k]);
    for (size_t i = 0; i < 3; i++) {
        assert_supp(xt, 0, i, T, N);
        assert_supp(xt, 0, T, i, N);
    }
    size_t count;
    sp_xtab_suppressed(xt, &count);
    assert_int_equal(count, 6);
    assert_true(sp_xtab_publishable(xt, NULL));
    assert_int_equal(sp_xtab_cell(xt, 0, SP_XTAB_WEIGHTED, 0, 1, NULL, NULL), SP_XTAB_SUPPRESSED);
    assert_int_equal(sp_xtab_cell(xt, 0, SP_XTAB_ROW_PCT, 2, 1, NULL, NULL), SP_XTAB_SUPPRESSED);
    assert_int_equal(sp_xtab_cell(xt, 0, SP_XTAB_STD_RESID, 1, 0, NULL, NULL), SP_XTAB_SUPPRESSED);
    double v;
    assert_int_equal(sp_xtab_cell(xt, 0, SP_XTAB_EXPECTED, 0, 1, &v, NULL), SP_XTAB_SHOWN);
    assert_int_equal(sp_xtab_cell(xt, 0, SP_XTAB_WEIGHTED, 1, 1, &v, NULL), SP_XTAB_SHOWN);
    assert_true(v == 27);
    assert_nothing_recoverable(pool, xt);
}

/*      c0  c1  c2 | tot     (3) is alone in its row, whose total of 3
 * r0   20  30  15 |  65     records is primary too; then column 1 takes 9
 * r1    0  (3)  0 |  (3)    and the margin column takes 46, the next
 * r2   12   9  25 |  46     smallest row total. */
static void
a_lone_small_cell_takes_its_row_margin_with_it(void **state)
{
    apr_pool_t *pool = *state;
    static const double c[] = { 20, 30, 15, 0, 3, 0, 12, 9, 25 };
    sp_xtab_t *xt = table_of(pool, 1, 3, 3, c, 5);
    assert_supp(xt, 0, 1, 1, SP_XTAB_SUPP_PRIMARY);
    assert_supp(xt, 0, 2, 1, SP_XTAB_SUPP_SECONDARY);
    assert_supp(xt, 0, 1, T, SP_XTAB_SUPP_PRIMARY);
    assert_supp(xt, 0, 2, T, SP_XTAB_SUPP_SECONDARY);
    assert_supp(xt, 0, 1, 0, SP_XTAB_SUPP_NONE);  /* zero cells are not sensitive */
    size_t count;
    sp_xtab_suppressed(xt, &count);
    assert_int_equal(count, 4);
    /* Row 1's percentages have a denominator of 3 records. */
    assert_int_equal(sp_xtab_cell(xt, 0, SP_XTAB_ROW_PCT, 1, 0, NULL, NULL), SP_XTAB_SUPPRESSED);
    double v;
    assert_int_equal(sp_xtab_cell(xt, 0, SP_XTAB_COL_PCT, 1, 0, &v, NULL), SP_XTAB_SHOWN);
    assert_true(v == 0);
    assert_nothing_recoverable(pool, xt);
}

/*      c0  c1 | tot      column 1 holds 3 records in all: its total is a
 * r0   20  (2)|  22     small cell like any other (primary), and the
 * r1   30  (1)|  31     total row, the first column and so on protect it.
 * tot  50  (3)|  53 */
static void
a_small_margin_is_primary(void **state)
{
    apr_pool_t *pool = *state;
    static const double c[] = { 20, 2, 30, 1 };
    sp_xtab_t *xt = table_of(pool, 1, 2, 2, c, 5);

    assert_supp(xt, 0, 0, 1, SP_XTAB_SUPP_PRIMARY);
    assert_supp(xt, 0, 1, 1, SP_XTAB_SUPP_PRIMARY);
    assert_supp(xt, 0, T, 1, SP_XTAB_SUPP_PRIMARY);
    assert_true(sp_xtab_supp_kind(xt, 0, T, 0) != SP_XTAB_SUPP_NONE);
    assert_nothing_recoverable(pool, xt);
}

static void
suppression_holds_across_layers_and_their_sum(void **state)
{
    apr_pool_t *pool = *state;
    static const double c[] = {
        20, 2, 15, 12, 18, 10,   /* layer 0: one small cell */
        25, 30, 11, 14, 16, 22,  /* layer 1: none */
    };
    sp_xtab_t *xt = table_of(pool, 2, 2, 3, c, 5);
    assert_supp(xt, 0, 0, 1, SP_XTAB_SUPP_PRIMARY);
    /* the sum over layers publishes 32 at (0, 1): layer 1's cell goes too */
    assert_true(sp_xtab_supp_kind(xt, 1, 0, 1) != SP_XTAB_SUPP_NONE
                || sp_xtab_supp_kind(xt, 2, 0, 1) != SP_XTAB_SUPP_NONE);
    assert_true(sp_xtab_publishable(xt, NULL));
    assert_nothing_recoverable(pool, xt);
}

static void
no_suppress_shows_everything_and_flags_not_for_publication(void **state)
{
    apr_pool_t *pool = *state;
    static const double c[] = { 20, 3, 15, 12, 18, 10, 7, 9, 30 };
    sp_xtab_t *xt = sp_xtab_create(3, 3, 1, pool);
    for (size_t k = 0; k < 9; k++)
        sp_xtab_add(xt, 0, k / 3, k % 3, c[k], c[k]);
    sp_xtab_options_t opt = { 5, 1 };
    assert_int_equal(sp_xtab_compute(xt, &opt, NULL), SP_OK);
    size_t count;
    sp_xtab_suppressed(xt, &count);
    assert_int_equal(count, 0);
    assert_false(sp_xtab_publishable(xt, NULL));
    const char *txt, *js;
    assert_int_equal(sp_xtab_render_text(xt, NULL, &txt, pool, NULL), SP_OK);
    assert_non_null(strstr(txt, "NOT FOR PUBLICATION"));
    assert_int_equal(sp_xtab_render_json(xt, &js, pool, NULL), SP_OK);
    assert_non_null(strstr(js, "\"publishable\": false"));
}

/* ---- rendering ------------------------------------------------------------ */

static void
json_has_the_documented_keys_in_a_stable_order(void **state)
{
    apr_pool_t *pool = *state;
    static const double c[] = { 20, 3, 15, 12, 18, 10, 7, 9, 30 };
    sp_xtab_t *xt = table_of(pool, 1, 3, 3, c, 5);
    sp_xtab_set_vars(xt, "age", "quartier", NULL);
    sp_xtab_set_weight_var(xt, "w");
    const char *js;
    assert_int_equal(sp_xtab_render_json(xt, &js, pool, NULL), SP_OK);
    static const char *const keys[] = {
        "rows", "cols", "weight", "n", "weighted", "row_totals", "col_totals", "total",
        "row_pct", "col_pct", "total_pct", "expected", "std_residuals", "adj_residuals",
        "chi2", "fisher", "phi", "cramers_v", "contingency_coefficient", "suppressed",
        "missing", "publishable", NULL
    };
    const char *prev = js;
    for (int i = 0; keys[i]; i++) {
        const char *at = strstr(js, apr_psprintf(pool, "\"%s\":", keys[i]));
        if (!at)
            fail_msg("key %s missing", keys[i]);
        if (i < 20 && at < prev)
            fail_msg("key %s out of order", keys[i]);
        prev = at;
    }
    json_error_t e;
    json_t *o = json_loads(js, 0, &e);
    assert_non_null(o);
    assert_true(json_is_null(json_array_get(json_array_get(json_object_get(o, "weighted"), 0), 1)));
    assert_int_equal(json_array_size(json_object_get(o, "suppressed")), 6);
    assert_true(json_is_true(json_object_get(o, "publishable")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "rows"), "var")), "age");
    assert_true(json_is_null(json_object_get(json_object_get(o, "chi2"), "yates")));
    json_decref(o);
}

static void
json_with_layers_lists_each_layer(void **state)
{
    apr_pool_t *pool = *state;
    sp_xtab_t *xt = computed_fixture(pool, "ucb");
    const char *js;
    assert_int_equal(sp_xtab_render_json(xt, &js, pool, NULL), SP_OK);
    json_error_t e;
    json_t *o = json_loads(js, 0, &e);
    json_t *layers = json_object_get(o, "layers");
    assert_int_equal(json_array_size(layers), 6);
    json_t *a = json_array_get(layers, 0);
    assert_string_equal(json_string_value(json_object_get(a, "layer")), "A");
    /* 17 digits: the value read back is the computed double */
    double p = json_real_value(json_object_get(json_object_get(json_object_get(a, "chi2"), "pearson"), "p"));
    assert_true(p == sp_xtab_stat(xt, 0, SP_XTAB_ST_PEARSON)->p);
    assert_non_null(json_object_get(a, "fisher"));
    json_decref(o);
}

static void
csv_french_style_uses_semicolons_and_decimal_commas(void **state)
{
    apr_pool_t *pool = *state;
    sp_xtab_t *xt = sp_xtab_create(2, 2, 1, pool);
    sp_xtab_set_label(xt, SP_XTAB_ROWS, 0, "oui; vraiment");
    sp_xtab_add(xt, 0, 0, 0, 10, 12.5);
    sp_xtab_add(xt, 0, 0, 1, 6, 6);
    sp_xtab_add(xt, 0, 1, 0, 20, 20);
    sp_xtab_add(xt, 0, 1, 1, 30, 30);
    assert_int_equal(sp_xtab_compute(xt, NULL, NULL), SP_OK);
    sp_xtab_render_options_t ro;
    sp_xtab_render_options_init(&ro);
    ro.sep = ';';
    ro.decimal_comma = 1;
    const char *csv;
    assert_int_equal(sp_xtab_render_csv(xt, &ro, &csv, pool, NULL), SP_OK);
    assert_true(!strncmp(csv, "layer;row;col;measure;value;note\n", 33));
    assert_non_null(strstr(csv, ";\"oui; vraiment\";1;weighted;12,5;\n"));
    /* With min_cell 7 the cell of 6 records is hidden, marked "x". */
    sp_xtab_options_t opt = { 7, 0 };
    assert_int_equal(sp_xtab_compute(xt, &opt, NULL), SP_OK);
    assert_int_equal(sp_xtab_render_csv(xt, &ro, &csv, pool, NULL), SP_OK);
    assert_non_null(strstr(csv, ";\"oui; vraiment\";2;weighted;x;"));
    assert_null(strstr(csv, "12,5"));
}

static size_t
display_width(const char *s, size_t n)
{
    size_t w = 0, i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        assert_true(k > 0);
        w += (size_t)utf8proc_charwidth(cp);
        i += (size_t)k;
    }
    return w;
}

static void
text_aligns_labels_by_display_width_and_marks_suppressed_cells(void **state)
{
    apr_pool_t *pool = *state;
    static const double c[] = { 20, 3, 15, 12, 18, 10, 7, 9, 30 };
    sp_xtab_t *xt = sp_xtab_create(3, 3, 1, pool);
    sp_xtab_set_label(xt, SP_XTAB_ROWS, 0, "Électricité");
    sp_xtab_set_label(xt, SP_XTAB_ROWS, 1, "東京");
    sp_xtab_set_label(xt, SP_XTAB_ROWS, 2, "Zoo");
    for (size_t k = 0; k < 9; k++)
        sp_xtab_add(xt, 0, k / 3, k % 3, c[k], c[k]);
    assert_int_equal(sp_xtab_compute(xt, NULL, NULL), SP_OK);
    sp_xtab_render_options_t ro;
    sp_xtab_render_options_init(&ro);
    ro.cells = 1u << SP_XTAB_WEIGHTED;
    const char *txt;
    assert_int_equal(sp_xtab_render_text(xt, &ro, &txt, pool, NULL), SP_OK);
    /* The header line and the four grid lines have one display width. */
    const char *line = strchr(txt, '\n') + 1;
    size_t width = 0;
    for (int i = 0; i < 5; i++) {
        const char *end = strchr(line, '\n');
        size_t w = display_width(line, (size_t)(end - line));
        if (i == 0)
            width = w;
        else if (w != width)
            fail_msg("line %d is %zu columns wide, not %zu:\n%s", i, w, width, txt);
        line = end + 1;
    }
    assert_non_null(strstr(txt, "  x"));
    assert_non_null(strstr(txt, "primary"));
    assert_non_null(strstr(txt, "secondary"));
    assert_null(strstr(txt, "NOT FOR PUBLICATION"));
}

int
main(void)
{
    apr_initialize();
#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        TEST(ucb_admissions_by_department_matches_r_and_pspp),
        TEST(hair_eye_color_matches_r_and_pspp),
        TEST(hair_eye_color_with_sex_as_layer_matches_r_and_pspp),
        TEST(titanic_class_by_survival_matches_r_and_pspp),
        TEST(apistrat_weighted_by_pw_matches_xtabs_and_pspp_weight_by),
        TEST(apistrat_weighted_two_by_two_rounds_counts_for_fisher),
        TEST(an_empty_row_leaves_statistics_of_the_other_rows_unchanged),
        TEST(an_empty_column_still_gives_yates_and_fisher_on_the_two_others),
        TEST(a_single_cell_has_no_statistics_and_says_why),
        TEST(all_weights_zero_leaves_everything_weighted_undefined),
        TEST(one_column_only_gives_no_chi_square),
        TEST(invalid_additions_make_compute_fail),
        TEST(a_small_cell_and_its_partners_are_suppressed),
        TEST(a_lone_small_cell_takes_its_row_margin_with_it),
        TEST(a_small_margin_is_primary),
        TEST(suppression_holds_across_layers_and_their_sum),
        TEST(no_suppress_shows_everything_and_flags_not_for_publication),
        TEST(json_has_the_documented_keys_in_a_stable_order),
        TEST(json_with_layers_lists_each_layer),
        TEST(csv_french_style_uses_semicolons_and_decimal_commas),
        TEST(text_aligns_labels_by_display_width_and_marks_suppressed_cells),
    };
#undef TEST
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_terminate();
    return rc;
}
