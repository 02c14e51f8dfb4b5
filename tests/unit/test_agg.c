/*
 * test_agg.c -- unit tests of the grouped aggregation engine (sp_agg).
 *
 * The numbers are checked against PSPP 1.6.2 (AGGREGATE and EXAMINE
 * /PERCENTILES=HAVERAGE) on public data shipped with R, cross-checked with
 * R's survey package; tests/fixtures/agg/PROVENANCE.md says how the fixtures
 * were made.  The other tests pin the documented behaviour at the edges:
 * missing answers, empty groups, zero weights, a single level, suppression,
 * bad input, and what the renderers print instead of undefined numbers.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* open_memstream */
#endif
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <jansson.h>
#include <utf8proc.h>
#include "sp_agg.h"

#define REL_TOL 1e-9

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

/* ---- fixtures ---- */

static const char *
fixture_path(apr_pool_t *pool, const char *name)
{
    const char *dir = getenv("SRCDIR");
#ifdef SP_TEST_SRCDIR
    if (dir == NULL)
        dir = SP_TEST_SRCDIR;
#endif
    if (dir == NULL)
        dir = ".";
    return apr_pstrcat(pool, dir, "/tests/fixtures/agg/", name, NULL);
}

/* A CSV table without quotes: header names and rows of fields. */
typedef struct table_t {
    size_t ncols, nrows;
    char **names;
    char ***rows;
} table_t;

static size_t
split(char *line, char **out, size_t max)
{
    size_t n = 0;
    char *p = line;

    line[strcspn(line, "\r\n")] = '\0';
    for (;;) {
        char *c = strchr(p, ',');
        if (n < max)
            out[n] = p;
        n++;
        if (c == NULL)
            break;
        *c = '\0';
        p = c + 1;
    }
    return n;
}

static table_t *
read_table(apr_pool_t *pool, const char *name)
{
    const char *path = fixture_path(pool, name);
    FILE *f = fopen(path, "r");
    table_t *t = apr_pcalloc(pool, sizeof *t);
    char line[4096];
    size_t cap = 64;

    if (f == NULL)
        fail_msg("cannot open fixture %s (set SRCDIR to the source tree)", path);
    assert_non_null(fgets(line, sizeof line, f));
    t->names = apr_pcalloc(pool, 64 * sizeof(char *));
    t->ncols = split(apr_pstrdup(pool, line), t->names, 64);
    t->rows = apr_pcalloc(pool, cap * sizeof(char **));
    while (fgets(line, sizeof line, f)) {
        char **row = apr_pcalloc(pool, t->ncols * sizeof(char *));
        assert_int_equal(split(apr_pstrdup(pool, line), row, t->ncols), t->ncols);
        if (t->nrows == cap) {
            char ***bigger = apr_pcalloc(pool, 2 * cap * sizeof(char **));
            memcpy(bigger, t->rows, cap * sizeof(char **));
            t->rows = bigger;
            cap *= 2;
        }
        t->rows[t->nrows++] = row;
    }
    fclose(f);
    return t;
}

static size_t
col(const table_t *t, const char *name)
{
    size_t i;

    for (i = 0; i < t->ncols; i++)
        if (strcmp(t->names[i], name) == 0)
            return i;
    fail_msg("no column %s in fixture", name);
    return 0;
}

static void
assert_close(double got, double want, const char *what)
{
    if (isnan(want)) {
        if (!isnan(got))
            fail_msg("%s: got %.17g, want undefined", what, got);
        return;
    }
    if (!(fabs(got - want) <= REL_TOL * fabs(want)))
        fail_msg("%s: got %.17g, want %.17g", what, got, want);
}

/* The statistic of the expected file as computed by the engine. */
static double
engine_value(const sp_agg_t *a, size_t g, size_t v, const char *stat)
{
    const sp_agg_stats_t *s = sp_agg_stats(a, g, v);
    unsigned l;

    if (strcmp(stat, "n") == 0) return (double)s->n;
    if (strcmp(stat, "n_missing") == 0) return (double)s->n_missing;
    if (strcmp(stat, "weight") == 0) return s->weight;
    if (strcmp(stat, "weight_missing") == 0) return s->weight_missing;
    if (strcmp(stat, "sum") == 0) return s->sum;
    if (strcmp(stat, "mean") == 0) return s->mean;
    if (strcmp(stat, "sd") == 0) return s->sd;
    if (strcmp(stat, "share_le") == 0) return s->share_le;
    if (strcmp(stat, "q1") == 0) return s->q1;
    if (strcmp(stat, "median") == 0) return s->median;
    if (strcmp(stat, "q3") == 0) return s->q3;
    if (sscanf(stat, "dist_share_%u", &l) == 1)
        return s->weight > 0.0 ? sp_agg_level_weight(a, g, v, l) / s->weight : NAN;
    fail_msg("unknown statistic %s", stat);
    return NAN;
}

/* Load name_input.csv (columns group, <weight>, v1..vN) into an aggregator,
 * column by column with sp_agg_add_column, or record by record. */
static sp_agg_t *
load_fixture(apr_pool_t *pool, const char *input, const char *weight,
             size_t ngroups, size_t nvars, size_t nlevels, int bulk)
{
    table_t *t = read_table(pool, input);
    sp_agg_t *a = sp_agg_create(ngroups, nvars, nlevels, pool);
    uint32_t *groups = apr_palloc(pool, t->nrows * sizeof *groups);
    double *w = apr_palloc(pool, t->nrows * sizeof *w);
    uint8_t *codes = apr_palloc(pool, t->nrows);
    size_t cg = col(t, "group"), cw = col(t, weight), r, v;
    sp_error_t *err = NULL;

    assert_non_null(a);
    for (r = 0; r < t->nrows; r++) {
        groups[r] = (uint32_t)(atoi(t->rows[r][cg]) - 1);
        w[r] = strtod(t->rows[r][cw], NULL);
    }
    for (v = 0; v < nvars; v++) {
        char name[24];
        size_t cv;
        snprintf(name, sizeof name, "v%zu", v + 1);
        cv = col(t, name);
        assert_int_equal(sp_agg_set_var(a, v, name, NULL), SP_OK);
        for (r = 0; r < t->nrows; r++)
            codes[r] = (uint8_t)(t->rows[r][cv][0] ? atoi(t->rows[r][cv]) : 0);
        if (bulk) {
            assert_int_equal(sp_agg_add_column(a, v, codes, groups, w, t->nrows,
                                               pool, &err), SP_OK);
        } else {
            for (r = 0; r < t->nrows; r++)
                sp_agg_add(a, groups[r], v, codes[r], w[r]);
        }
    }
    assert_int_equal(sp_agg_rejected(a), 0);
    return a;
}

static void
check_against_pspp(apr_pool_t *pool, const char *expected, const sp_agg_t *a)
{
    table_t *t = read_table(pool, expected);
    size_t cg = col(t, "group"), cv = col(t, "variable"), cs = col(t, "statistic"),
           cx = col(t, "value"), r, checked = 0;

    for (r = 0; r < t->nrows; r++) {
        size_t g = (size_t)atoi(t->rows[r][cg]) - 1;
        size_t v = (size_t)atoi(t->rows[r][cv] + 1) - 1;
        const char *stat = t->rows[r][cs];
        double want = t->rows[r][cx][0] ? strtod(t->rows[r][cx], NULL) : NAN;
        char what[96];
        snprintf(what, sizeof what, "%s group %zu v%zu %s", expected, g + 1, v + 1, stat);
        assert_close(engine_value(a, g, v, stat), want, what);
        checked++;
    }
    assert_true(checked > 100);
}

static void
agrees_with_pspp_on_apistrat_with_sampling_weights(void **state)
{
    apr_pool_t *pool = *state;
    sp_agg_t *a = load_fixture(pool, "apistrat_input.csv", "w", 4, 5, 5, 1);

    sp_agg_compute(a, NULL);
    check_against_pspp(pool, "expected_apistrat_w.csv", a);
}

static void
agrees_with_pspp_on_apistrat_with_normalised_weights(void **state)
{
    apr_pool_t *pool = *state;
    sp_agg_t *a = load_fixture(pool, "apistrat_input.csv", "wn", 4, 5, 5, 1);

    sp_agg_compute(a, NULL);
    check_against_pspp(pool, "expected_apistrat_wn.csv", a);
}

static void
agrees_with_pspp_on_esoph_with_integer_and_zero_weights(void **state)
{
    apr_pool_t *pool = *state;
    sp_agg_t *a = load_fixture(pool, "esoph_input.csv", "w", 6, 2, 4, 0);

    sp_agg_compute(a, NULL);
    check_against_pspp(pool, "expected_esoph.csv", a);
}

static void
bulk_add_and_single_adds_give_the_same_histogram(void **state)
{
    apr_pool_t *pool = *state;
    sp_agg_t *x = load_fixture(pool, "apistrat_input.csv", "wn", 4, 5, 5, 1);
    sp_agg_t *y = load_fixture(pool, "apistrat_input.csv", "wn", 4, 5, 5, 0);
    size_t g, v;
    unsigned l;

    for (g = 0; g < 4; g++)
        for (v = 0; v < 5; v++)
            for (l = 0; l <= 5; l++) {
                assert_int_equal(sp_agg_level_count(x, g, v, l),
                                 sp_agg_level_count(y, g, v, l));
                assert_true(sp_agg_level_weight(x, g, v, l)
                            == sp_agg_level_weight(y, g, v, l));
            }
}

/* ---- edges ---- */

static char *render(apr_pool_t *pool, const sp_agg_t *a, int which,
                    const sp_agg_csv_opts_t *co);
static int has_nan_text(const char *s);

static void
missing_answers_are_counted_apart_with_their_weight(void **state)
{
    sp_agg_t *a = sp_agg_create(1, 1, 5, *state);
    const sp_agg_stats_t *s;

    sp_agg_add(a, 0, 0, 2, 1.5);
    sp_agg_add(a, 0, 0, 0, 2.25);
    sp_agg_add(a, 0, 0, 0, 0.5);
    sp_agg_add(a, 0, 0, 4, 0.5);
    sp_agg_compute(a, NULL);
    s = sp_agg_stats(a, 0, 0);
    assert_int_equal(s->n, 2);
    assert_int_equal(s->n_missing, 2);
    assert_true(s->weight == 2.0);
    assert_true(s->weight_missing == 2.75);
    assert_true(s->mean == (1.5 * 2 + 0.5 * 4) / 2.0);
}

static void
an_empty_group_has_undefined_statistics_and_nothing_to_suppress(void **state)
{
    sp_agg_t *a = sp_agg_create(2, 1, 5, *state);
    const sp_agg_stats_t *s;
    int i;

    for (i = 0; i < 6; i++)
        sp_agg_add(a, 0, 0, 3, 1.0);
    sp_agg_compute(a, NULL);
    s = sp_agg_stats(a, 1, 0);
    assert_int_equal(s->n, 0);
    assert_true(s->weight == 0.0);
    assert_true(isnan(s->mean) && isnan(s->sd) && isnan(s->median)
                && isnan(s->q1) && isnan(s->q3) && isnan(s->share_le));
    assert_false(s->suppressed);
    assert_false(s->small);
    assert_false(sp_agg_stats(a, 0, 0)->suppressed);
    assert_int_equal(sp_agg_nsuppressed(a), 0);
    assert_false(has_nan_text(render(*state, a, 0, NULL)));
    assert_non_null(strstr(render(*state, a, 1, NULL), "2,v1,median,,,undefined\n"));
}

static char *
render(apr_pool_t *pool, const sp_agg_t *a, int which, const sp_agg_csv_opts_t *co)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sp_error_t *err = NULL;
    int rc;
    char *copy;

    assert_non_null(f);
    rc = which == 0 ? sp_agg_render_json(a, f, pool, &err)
       : which == 1 ? sp_agg_render_csv(a, co, f, pool, &err)
       : sp_agg_render_text(a, f, pool, &err);
    fclose(f);
    assert_int_equal(rc, SP_OK);
    copy = apr_pstrdup(pool, buf);
    free(buf);
    return copy;
}

static int
has_nan_text(const char *s)
{
    return strstr(s, "nan") || strstr(s, "NaN") || strstr(s, "inf") || strstr(s, "NAN");
}

static void
zero_weights_give_undefined_statistics_never_printed_as_numbers(void **state)
{
    apr_pool_t *pool = *state;
    sp_agg_t *a = sp_agg_create(1, 1, 5, pool);
    sp_agg_opts_t o;
    const sp_agg_stats_t *s;
    json_t *root, *res;
    const char *csv;
    int i;

    for (i = 0; i < 35; i++)            /* 7 per level: nothing withheld */
        sp_agg_add(a, 0, 0, (unsigned)(i % 5) + 1, 0.0);
    sp_agg_opts_init(&o);
    sp_agg_compute(a, &o);
    s = sp_agg_stats(a, 0, 0);
    assert_int_equal(s->n, 35);         /* zero-weight answers are answers */
    assert_false(s->dist_withheld);
    assert_false(s->suppressed);
    assert_true(isnan(s->mean) && isnan(s->sd) && isnan(s->median));

    root = json_loads(render(pool, a, 0, NULL), 0, NULL);
    assert_non_null(root);
    res = json_array_get(json_object_get(root, "results"), 0);
    assert_true(json_is_null(json_object_get(res, "mean")));
    assert_true(json_is_null(json_object_get(res, "q3")));
    assert_true(json_is_null(json_array_get(json_object_get(res, "dist_share"), 0)));
    json_decref(root);

    csv = render(pool, a, 1, NULL);
    assert_false(has_nan_text(csv));
    assert_non_null(strstr(csv, "1,v1,mean,,,undefined\n"));
    assert_false(has_nan_text(render(pool, a, 2, NULL)));
}

static void
a_single_level_gives_zero_spread_and_that_level_everywhere(void **state)
{
    sp_agg_t *a = sp_agg_create(1, 1, 1, *state);
    const sp_agg_stats_t *s;
    int i;

    for (i = 0; i < 5; i++)
        sp_agg_add(a, 0, 0, 1, 0.7);
    sp_agg_compute(a, NULL);
    s = sp_agg_stats(a, 0, 0);
    assert_true(s->mean == 1.0);
    assert_true(s->sd == 0.0);
    assert_true(s->q1 == 1.0 && s->median == 1.0 && s->q3 == 1.0);
    assert_true(s->share_le == 1.0);  /* bad_level 2 clamped to 1 */
    assert_int_equal(sp_agg_options(a)->bad_level, 1);
}

static void
sd_is_undefined_when_the_weight_is_at_most_one(void **state)
{
    sp_agg_t *a = sp_agg_create(1, 1, 5, *state);

    sp_agg_add(a, 0, 0, 1, 0.5);
    sp_agg_add(a, 0, 0, 5, 0.5);
    sp_agg_compute(a, NULL);
    assert_true(isnan(sp_agg_stats(a, 0, 0)->sd));
    assert_true(sp_agg_stats(a, 0, 0)->mean == 3.0);
}

static void
sd_uses_frequency_weights(void **state)
{
    sp_agg_t *a = sp_agg_create(1, 1, 5, *state);
    /* levels 1, 3, 5 with weights 2, 1, 3: W = 6, S = 2 + 3 + 15 = 20,
     * sum w x^2 = 2 + 9 + 75 = 86, var = (86 - 400/6) / 5 */
    sp_agg_add(a, 0, 0, 1, 2.0);
    sp_agg_add(a, 0, 0, 3, 1.0);
    sp_agg_add(a, 0, 0, 5, 3.0);
    sp_agg_compute(a, NULL);
    assert_close(sp_agg_stats(a, 0, 0)->sd, sqrt((86.0 - 400.0 / 6.0) / 5.0), "sd");
}

static void
share_at_or_below_a_level_is_a_share_of_valid_weight(void **state)
{
    sp_agg_t *a = sp_agg_create(1, 1, 5, *state);
    sp_agg_opts_t o;

    sp_agg_add(a, 0, 0, 1, 1.0);
    sp_agg_add(a, 0, 0, 2, 2.0);
    sp_agg_add(a, 0, 0, 3, 3.0);
    sp_agg_add(a, 0, 0, 5, 4.0);
    sp_agg_add(a, 0, 0, 0, 100.0);      /* missing: not in the denominator */
    sp_agg_opts_init(&o);
    o.bad_level = 3;
    sp_agg_compute(a, &o);
    assert_close(sp_agg_stats(a, 0, 0)->share_le, 0.6, "share_le 3");
    assert_close(sp_agg_share_le(a, 0, 0, 1), 0.1, "share_le 1");
    assert_close(sp_agg_share_le(a, 0, 0, 9), 1.0, "share_le 9");
}

static void
a_quantile_below_the_lowest_level_is_that_level(void **state)
{
    sp_agg_t *a = sp_agg_create(1, 1, 5, *state);

    /* W = 0.7: tc = 1.7 * 0.25 = 0.425 is below the weight of level 2 (0.5);
     * PSPP would interpolate towards 0 (0.425 / 0.5 * 2 = 1.7). */
    sp_agg_add(a, 0, 0, 2, 0.5);
    sp_agg_add(a, 0, 0, 4, 0.2);
    assert_true(sp_agg_quantile(a, 0, 0, 0.25) == 2.0);
    assert_true(sp_agg_quantile(a, 0, 0, 1.0) == 4.0);
    assert_true(isnan(sp_agg_quantile(a, 0, 0, 1.5)));
}

static void
a_quantile_interpolates_by_weight_units_as_haverage(void **state)
{
    sp_agg_t *a = sp_agg_create(1, 1, 5, *state);

    /* W = 10; median: tc = 5.5; cumulative weight through level 2 is 5;
     * level 4 weighs 5 >= 1 so g = 0.5: 2 + 0.5 * (4 - 2) = 3. */
    sp_agg_add(a, 0, 0, 1, 2.0);
    sp_agg_add(a, 0, 0, 2, 3.0);
    sp_agg_add(a, 0, 0, 4, 5.0);
    assert_close(sp_agg_quantile(a, 0, 0, 0.5), 3.0, "median");
    /* q3: tc = 8.25, past 5 by 3.25 >= 1: the next level */
    assert_close(sp_agg_quantile(a, 0, 0, 0.75), 4.0, "q3");
}

static void
small_groups_are_suppressed_and_listed(void **state)
{
    apr_pool_t *pool = *state;
    sp_agg_t *a = sp_agg_create(2, 1, 5, pool);
    static const char *const dims[] = { "quartier" };
    static const char *const k0[] = { "Drouot-Barbanègre" };
    static const char *const k1[] = { "Wolf-Wagner" };
    json_t *root, *sup, *res;
    const char *csv, *txt;
    int i;

    assert_int_equal(sp_agg_set_dims(a, 1, dims), SP_OK);
    sp_agg_set_group_key(a, 0, k0);
    sp_agg_set_group_key(a, 1, k1);
    for (i = 0; i < 5; i++)
        sp_agg_add(a, 0, 0, 2, 1.25);
    for (i = 0; i < 4; i++)
        sp_agg_add(a, 1, 0, 1, 1.0);
    sp_agg_compute(a, NULL);

    root = json_loads(render(pool, a, 0, NULL), 0, NULL);
    assert_non_null(root);
    sup = json_object_get(root, "suppressed");
    assert_int_equal(json_array_size(sup), 1);
    assert_string_equal(json_string_value(json_object_get(
        json_object_get(json_array_get(sup, 0), "group"), "quartier")), "Wolf-Wagner");
    res = json_array_get(json_object_get(root, "results"), 1);
    assert_true(json_is_true(json_object_get(res, "suppressed")));
    assert_null(json_object_get(res, "mean"));
    assert_null(json_object_get(res, "n"));
    res = json_array_get(json_object_get(root, "results"), 0);
    assert_true(json_real_value(json_object_get(res, "mean")) == 2.0);
    assert_null(json_object_get(root, "publication"));
    json_decref(root);

    csv = render(pool, a, 1, NULL);
    assert_non_null(strstr(csv, "Wolf-Wagner,v1,mean,,,suppressed: n < 5\n"));
    assert_non_null(strstr(csv, "Wolf-Wagner,v1,n,,,suppressed: n < 5\n"));
    txt = render(pool, a, 2, NULL);
    assert_non_null(strstr(txt, "suppressed"));
    assert_null(strstr(txt, "NOT FOR PUBLICATION"));
}

/* Five groups, K = 5, answers per level 1..5 (bad: levels <= 2):
 *   A  0  3  7 10  0   a level of 3; 3 bad: distribution and share withheld
 *   B  5  0  8  7  0   levels 0 or >= 5; 5 bad, 15 not: all shown
 *   C 10  7  0  0  3   a level of 3; 17 bad, 3 not: both withheld
 *   D  0  0  5 15  0   no bad answer (0 is not disclosive): all shown
 *   E  1  1  0  0  0   2 answers: the entry is suppressed whole
 * What is withheld is what a reader could work out from n and the shares
 * shown. */
static const unsigned parts_counts[5][6] = {
    { 0, 0, 3, 7, 10, 0 }, { 0, 5, 0, 8, 7, 0 }, { 0, 10, 7, 0, 0, 3 },
    { 0, 0, 0, 5, 15, 0 }, { 0, 1, 1, 0, 0, 0 },
};

static sp_agg_t *
parts_aggregate(apr_pool_t *pool, int no_suppress)
{
    sp_agg_t *a = sp_agg_create(5, 1, 5, pool);
    static const char *const dims[] = { "g" };
    static const char *const keys[5][1] = { { "A" }, { "B" }, { "C" }, { "D" }, { "E" } };
    sp_agg_opts_t o;
    unsigned g, l, i;

    assert_int_equal(sp_agg_set_dims(a, 1, dims), SP_OK);
    for (g = 0; g < 5; g++) {
        sp_agg_set_group_key(a, g, keys[g]);
        for (l = 1; l <= 5; l++)
            for (i = 0; i < parts_counts[g][l]; i++)
                sp_agg_add(a, g, 0, l, 1.5);
    }
    sp_agg_opts_init(&o);
    o.no_suppress = no_suppress;
    sp_agg_compute(a, &o);
    return a;
}

static void
small_levels_and_small_bad_shares_are_withheld_in_entries_shown(void **state)
{
    apr_pool_t *pool = *state;
    sp_agg_t *a = parts_aggregate(pool, 0);
    static const int dist[5] = { 1, 0, 1, 0, 1 }, share[5] = { 1, 0, 1, 0, 1 };
    static const char *const parts[5][2] = {
        { "A", "distribution" }, { "A", "share_le" }, { "C", "distribution" },
        { "C", "share_le" }, { "E", "all" } };
    json_t *root, *sup, *res;
    const char *csv, *txt;
    size_t g, k;

    for (g = 0; g < 5; g++) {
        const sp_agg_stats_t *s = sp_agg_stats(a, g, 0);

        assert_int_equal(s->suppressed, g == 4);
        assert_int_equal(s->dist_withheld, dist[g]);
        assert_int_equal(s->share_le_withheld, share[g]);
    }
    assert_int_equal(sp_agg_nsuppressed(a), 1);
    assert_int_equal(sp_agg_nwithheld_parts(a), 2);
    /* other cut points: C at <= 4 leaves 3 above; at <= 1, 10 and 10 */
    assert_true(sp_agg_share_le_withheld(a, 2, 0, 4));
    assert_false(sp_agg_share_le_withheld(a, 2, 0, 1));
    assert_false(sp_agg_share_le_withheld(a, 0, 0, 4));

    root = json_loads(render(pool, a, 0, NULL), 0, NULL);
    assert_non_null(root);
    sup = json_object_get(root, "suppressed");
    assert_int_equal(json_array_size(sup), 5);
    for (k = 0; k < 5; k++) {
        json_t *e = json_array_get(sup, k);

        assert_string_equal(json_string_value(json_object_get(json_object_get(e, "group"), "g")),
                            parts[k][0]);
        assert_string_equal(json_string_value(json_object_get(e, "part")), parts[k][1]);
    }
    res = json_array_get(json_object_get(root, "results"), 0);
    assert_true(json_is_null(json_object_get(res, "dist_n")));
    assert_true(json_is_null(json_object_get(res, "cum_share")));
    assert_true(json_is_null(json_object_get(res, "share_le")));
    assert_true(json_is_true(json_object_get(res, "dist_withheld")));
    assert_true(json_real_value(json_object_get(res, "mean")) == 3.35);  /* 67 / 20 */
    res = json_array_get(json_object_get(root, "results"), 1);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(res, "dist_n"), 0)), 5);
    assert_true(json_real_value(json_object_get(res, "share_le")) == 0.25);
    res = json_array_get(json_object_get(root, "results"), 3);
    assert_true(json_real_value(json_object_get(res, "share_le")) == 0.0);
    json_decref(root);

    csv = render(pool, a, 1, NULL);
    assert_non_null(strstr(csv, "A,v1,dist_n,2,,suppressed: a level has 1 to 4 answers\n"));
    assert_non_null(strstr(csv, "A,v1,cum_share,5,,suppressed: a level has 1 to 4 answers\n"));
    assert_non_null(strstr(csv, "C,v1,share_le,2,,suppressed: 1 to 4 answers at levels <= 2 "
                                "or above\n"));
    assert_non_null(strstr(csv, "A,v1,mean,,3.35,\n"));
    assert_non_null(strstr(csv, "B,v1,dist_n,1,5,\n"));
    assert_non_null(strstr(csv, "B,v1,share_le,2,0.25,\n"));
    txt = render(pool, a, 2, NULL);
    assert_non_null(strstr(txt, "* withheld in 2 more entries"));
    assert_non_null(strstr(txt, "3.350"));                              /* A's mean */
}

/* Missing answers are people who did not answer: 3 of them are withheld
 * (count and weight), 6 are shown, none is nothing to withhold. */
static void
a_few_missing_answers_are_withheld(void **state)
{
    apr_pool_t *pool = *state;
    sp_agg_t *a = sp_agg_create(3, 1, 2, pool);
    static const unsigned missing[3] = { 3, 6, 0 };
    json_t *root, *res;
    const char *csv;
    unsigned g, i;

    for (g = 0; g < 3; g++) {
        for (i = 0; i < 10; i++)
            sp_agg_add(a, g, 0, 1 + i % 2, 1.0);
        for (i = 0; i < missing[g]; i++)
            sp_agg_add(a, g, 0, 0, 2.0);
    }
    sp_agg_compute(a, NULL);
    assert_true(sp_agg_stats(a, 0, 0)->missing_withheld);
    assert_false(sp_agg_stats(a, 1, 0)->missing_withheld);
    assert_false(sp_agg_stats(a, 2, 0)->missing_withheld);
    assert_int_equal(sp_agg_nwithheld_parts(a), 1);
    root = json_loads(render(pool, a, 0, NULL), 0, NULL);
    res = json_array_get(json_object_get(root, "results"), 0);
    assert_true(json_is_null(json_object_get(res, "n_missing")));
    assert_true(json_is_null(json_object_get(res, "weight_missing")));
    res = json_array_get(json_object_get(root, "results"), 1);
    assert_int_equal(json_integer_value(json_object_get(res, "n_missing")), 6);
    assert_string_equal(json_string_value(json_object_get(
        json_array_get(json_object_get(root, "suppressed"), 0), "part")), "missing");
    json_decref(root);
    csv = render(pool, a, 1, NULL);
    assert_non_null(strstr(csv, "1,v1,n_missing,,,suppressed: 1 to 4 missing answers\n"));
    assert_non_null(strstr(csv, "1,v1,mean,,1.5,\n"));
    assert_non_null(strstr(csv, "2,v1,weight_missing,,12,\n"));
}

static void
no_suppress_withholds_no_part(void **state)
{
    apr_pool_t *pool = *state;
    sp_agg_t *a = parts_aggregate(pool, 1);
    size_t g;

    for (g = 0; g < 5; g++) {
        assert_false(sp_agg_stats(a, g, 0)->dist_withheld);
        assert_false(sp_agg_stats(a, g, 0)->share_le_withheld);
        assert_false(sp_agg_share_le_withheld(a, g, 0, 4));
    }
    assert_int_equal(sp_agg_nwithheld_parts(a), 0);
    assert_null(strstr(render(pool, a, 1, NULL), "suppressed:"));
}

static void
no_suppress_shows_everything_marked_not_for_publication(void **state)
{
    apr_pool_t *pool = *state;
    sp_agg_t *a = sp_agg_create(1, 1, 5, pool);
    sp_agg_opts_t o;
    json_t *root, *res;
    const char *csv;

    sp_agg_add(a, 0, 0, 3, 1.0);
    sp_agg_add(a, 0, 0, 4, 1.0);
    sp_agg_opts_init(&o);
    o.no_suppress = 1;
    sp_agg_compute(a, &o);
    assert_int_equal(sp_agg_nsuppressed(a), 0);
    assert_true(sp_agg_stats(a, 0, 0)->small);

    root = json_loads(render(pool, a, 0, NULL), 0, NULL);
    assert_string_equal(json_string_value(json_object_get(root, "publication")),
                        "not for publication");
    res = json_array_get(json_object_get(root, "results"), 0);
    assert_true(json_real_value(json_object_get(res, "mean")) == 3.5);
    json_decref(root);
    csv = render(pool, a, 1, NULL);
    assert_non_null(strstr(csv, "1,v1,mean,,3.5,not for publication\n"));
    assert_non_null(strstr(render(pool, a, 2, NULL), "NOT FOR PUBLICATION"));
}

static void
csv_can_be_written_french_style(void **state)
{
    apr_pool_t *pool = *state;
    sp_agg_t *a = sp_agg_create(1, 1, 5, pool);
    sp_agg_csv_opts_t co = { ';', 1 };
    sp_agg_csv_opts_t bad = { ',', 1 };
    sp_error_t *err = NULL;
    const char *csv;
    FILE *f;
    int i;

    for (i = 0; i < 6; i++)
        sp_agg_add(a, 0, 0, (unsigned)i % 2 + 1, 0.5);
    sp_agg_set_var(a, 0, "q;01", "Santé; logement");
    sp_agg_compute(a, NULL);
    csv = render(pool, a, 1, &co);
    assert_non_null(strstr(csv, "group;variable;statistic;level;value;note\n"));
    assert_non_null(strstr(csv, "1;\"q;01\";mean;;1,5;\n"));
    assert_non_null(strstr(csv, "1;\"q;01\";weight;;3;\n"));

    f = fopen("/dev/null", "w");
    assert_int_equal(sp_agg_render_csv(a, &bad, f, pool, &err), SP_EXIT_USAGE);
    fclose(f);
    assert_non_null(err);
}

static void
json_numbers_read_back_exactly(void **state)
{
    apr_pool_t *pool = *state;
    sp_agg_t *a = load_fixture(pool, "apistrat_input.csv", "wn", 4, 5, 5, 1);
    json_t *root;
    size_t i;

    sp_agg_compute(a, NULL);
    root = json_loads(render(pool, a, 0, NULL), 0, NULL);
    assert_non_null(root);
    for (i = 0; i < 20; i++) {
        json_t *r = json_array_get(json_object_get(root, "results"), i);
        const sp_agg_stats_t *s = sp_agg_stats(a, i / 5, i % 5);
        if (s->suppressed)
            continue;
        assert_true(json_real_value(json_object_get(r, "mean")) == s->mean);
        assert_true(json_real_value(json_object_get(r, "sd")) == s->sd);
    }
    assert_string_equal(json_string_value(json_object_get(root, "kind")), "spiral.aggregate");
    json_decref(root);
}

static size_t
display_width(const char *s, size_t len)
{
    size_t w = 0, i = 0;

    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        assert_true(k > 0);
        w += (size_t)utf8proc_charwidth(cp);
        i += (size_t)k;
    }
    return w;
}

static void
text_columns_line_up_with_accented_names(void **state)
{
    apr_pool_t *pool = *state;
    sp_agg_t *a = sp_agg_create(3, 1, 5, pool);
    static const char *const dims[] = { "quartier", "vague" };
    static const char *const k[3][2] = {
        { "Drouot-Barbanègre", "2024" }, { "Briand", "2025" }, { "Haut-Poirier", "2026" } };
    const char *txt, *line;
    size_t g, width = 0, rows = 0;
    int i;

    sp_agg_set_dims(a, 2, dims);
    for (g = 0; g < 3; g++) {
        sp_agg_set_group_key(a, g, k[g]);
        for (i = 0; i < 8; i++)
            sp_agg_add(a, g, 0, (unsigned)(i + g) % 5 + 1, 1.0 + 0.1 * i);
    }
    sp_agg_compute(a, NULL);
    txt = render(pool, a, 2, NULL);
    for (line = txt; rows < 4; rows++) {
        const char *nl = strchr(line, '\n');
        size_t w = display_width(line, (size_t)(nl - line));
        if (rows == 0)
            width = w;
        assert_int_equal(w, width);   /* header and 3 rows: same width */
        line = nl + 1;
    }
    assert_non_null(strstr(txt, "Drouot-Barbanègre"));
}

static void
add_column_refuses_bad_rows_and_adds_nothing(void **state)
{
    apr_pool_t *pool = *state;
    sp_agg_t *a = sp_agg_create(2, 1, 5, pool);
    uint8_t codes[4] = { 1, 2, 6, 3 };
    uint32_t groups[4] = { 0, 1, 0, 1 };
    double w[4] = { 1, 1, 1, 1 };
    sp_error_t *err = NULL;

    assert_int_equal(sp_agg_add_column(a, 0, codes, groups, w, 4, pool, &err),
                     SP_EXIT_DATA);
    assert_non_null(err);
    assert_non_null(strstr(err->message, "row 2"));
    assert_int_equal(sp_agg_level_count(a, 0, 0, 1), 0);

    codes[2] = 3;
    groups[3] = 2;
    assert_int_equal(sp_agg_add_column(a, 0, codes, groups, w, 4, pool, &err),
                     SP_EXIT_DATA);
    assert_non_null(strstr(err->message, "row 3"));
    groups[3] = 1;
    w[1] = -1.0;
    assert_int_equal(sp_agg_add_column(a, 0, codes, groups, w, 4, pool, &err),
                     SP_EXIT_DATA);
    w[1] = NAN;
    assert_int_equal(sp_agg_add_column(a, 0, codes, groups, w, 4, pool, &err),
                     SP_EXIT_DATA);
    assert_int_equal(sp_agg_add_column(a, 1, codes, groups, NULL, 4, pool, &err),
                     SP_EXIT_SOFTWARE);
    assert_int_equal(sp_agg_add_column(a, 0, codes, groups, NULL, 4, pool, &err),
                     SP_OK);
    assert_int_equal(sp_agg_level_count(a, 1, 0, 3), 1);
    assert_true(sp_agg_level_weight(a, 1, 0, 2) == 1.0);
}

static void
single_adds_out_of_range_are_rejected_and_counted(void **state)
{
    sp_agg_t *a = sp_agg_create(2, 2, 5, *state);

    sp_agg_add(a, 2, 0, 1, 1.0);
    sp_agg_add(a, 0, 2, 1, 1.0);
    sp_agg_add(a, 0, 0, 6, 1.0);
    sp_agg_add(a, 0, 0, 1, -0.5);
    sp_agg_add(a, 0, 0, 1, INFINITY);
    sp_agg_add(a, 0, 0, 1, 1.0);
    assert_int_equal(sp_agg_rejected(a), 5);
    assert_int_equal(sp_agg_level_count(a, 0, 0, 1), 1);
}

static void
create_refuses_impossible_sizes(void **state)
{
    apr_pool_t *pool = *state;

    assert_null(sp_agg_create(0, 1, 5, pool));
    assert_null(sp_agg_create(1, 0, 5, pool));
    assert_null(sp_agg_create(1, 1, 0, pool));
    assert_null(sp_agg_create(1, 1, SP_AGG_MAX_LEVELS + 1, pool));
    assert_null(sp_agg_create(SIZE_MAX / 4, SIZE_MAX / 4, 5, pool));
    assert_non_null(sp_agg_create(84, 30, 5, pool));
}

static void
rendering_before_compute_is_an_error(void **state)
{
    apr_pool_t *pool = *state;
    sp_agg_t *a = sp_agg_create(1, 1, 5, pool);
    sp_error_t *err = NULL;
    FILE *f = fopen("/dev/null", "w");

    assert_null(sp_agg_stats(a, 0, 0));
    assert_int_equal(sp_agg_render_json(a, f, pool, &err), SP_EXIT_SOFTWARE);
    assert_int_equal(sp_agg_render_text(a, f, pool, &err), SP_EXIT_SOFTWARE);
    fclose(f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(agrees_with_pspp_on_apistrat_with_sampling_weights, setup, teardown),
        cmocka_unit_test_setup_teardown(agrees_with_pspp_on_apistrat_with_normalised_weights, setup, teardown),
        cmocka_unit_test_setup_teardown(agrees_with_pspp_on_esoph_with_integer_and_zero_weights, setup, teardown),
        cmocka_unit_test_setup_teardown(bulk_add_and_single_adds_give_the_same_histogram, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_answers_are_counted_apart_with_their_weight, setup, teardown),
        cmocka_unit_test_setup_teardown(an_empty_group_has_undefined_statistics_and_nothing_to_suppress, setup, teardown),
        cmocka_unit_test_setup_teardown(zero_weights_give_undefined_statistics_never_printed_as_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(a_single_level_gives_zero_spread_and_that_level_everywhere, setup, teardown),
        cmocka_unit_test_setup_teardown(sd_is_undefined_when_the_weight_is_at_most_one, setup, teardown),
        cmocka_unit_test_setup_teardown(sd_uses_frequency_weights, setup, teardown),
        cmocka_unit_test_setup_teardown(share_at_or_below_a_level_is_a_share_of_valid_weight, setup, teardown),
        cmocka_unit_test_setup_teardown(a_quantile_below_the_lowest_level_is_that_level, setup, teardown),
        cmocka_unit_test_setup_teardown(a_quantile_interpolates_by_weight_units_as_haverage, setup, teardown),
        cmocka_unit_test_setup_teardown(small_groups_are_suppressed_and_listed, setup, teardown),
        cmocka_unit_test_setup_teardown(small_levels_and_small_bad_shares_are_withheld_in_entries_shown,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(no_suppress_withholds_no_part, setup, teardown),
        cmocka_unit_test_setup_teardown(a_few_missing_answers_are_withheld, setup, teardown),
        cmocka_unit_test_setup_teardown(no_suppress_shows_everything_marked_not_for_publication, setup, teardown),
        cmocka_unit_test_setup_teardown(csv_can_be_written_french_style, setup, teardown),
        cmocka_unit_test_setup_teardown(json_numbers_read_back_exactly, setup, teardown),
        cmocka_unit_test_setup_teardown(text_columns_line_up_with_accented_names, setup, teardown),
        cmocka_unit_test_setup_teardown(add_column_refuses_bad_rows_and_adds_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(single_adds_out_of_range_are_rejected_and_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(create_refuses_impossible_sizes, setup, teardown),
        cmocka_unit_test_setup_teardown(rendering_before_compute_is_an_error, setup, teardown),
    };

    apr_initialize();
    atexit(apr_terminate);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
