/*
 * test_svg.c -- the SVG charts of core/sp_svg.c: well-formed XML (checked
 * by the small parser below: balanced tags, quoted attributes, only the
 * five XML entities and numeric references), accessible frames (role,
 * title, desc), coordinates of simple inputs computed by hand from the
 * formulas in sp_svg.h, escaping, and never a NaN or infinity printed.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <apr_general.h>
#include "sp_svg.h"

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

/* A name: letters, digits, '-', '_', ':'. */
static const char *
name_end(const char *p)
{
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
           || *p == '-' || *p == '_' || *p == ':')
        p++;
    return p;
}

/* 1 when s at '&' starts a valid entity or character reference. */
static int
entity_ok(const char *s)
{
    static const char *const ents[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    size_t i;

    for (i = 0; i < 5; i++)
        if (strncmp(s, ents[i], strlen(ents[i])) == 0)
            return 1;
    if (s[1] == '#') {
        s += 2;
        if (*s < '0' || *s > '9')
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
        return *s == ';';
    }
    return 0;
}

/* Well-formed: every tag closed in order, attributes name="value", text
 * without a bare '<' or '&'.  Returns the number of elements, or -1. */
static int
well_formed(const char *s)
{
    const char *stack[64];
    size_t lens[64];
    int depth = 0, elements = 0;
    const char *p = s;

    while (*p) {
        if (*p == '&') {
            if (!entity_ok(p))
                return -1;
            p++;
        } else if (*p == '>') {
            return -1;
        } else if (*p != '<') {
            p++;
        } else if (p[1] == '/') {
            const char *n = p + 2, *e = name_end(n);

            if (depth == 0 || (size_t)(e - n) != lens[depth - 1]
                || strncmp(n, stack[depth - 1], lens[depth - 1]) != 0 || *e != '>')
                return -1;
            depth--;
            p = e + 1;
        } else {
            const char *n = p + 1, *e = name_end(n);

            if (e == n)
                return -1;
            p = e;
            for (;;) {
                while (*p == ' ')
                    p++;
                if (*p == '/' && p[1] == '>') {
                    p += 2;
                    break;
                }
                if (*p == '>') {
                    if (depth == 64)
                        return -1;
                    stack[depth] = n;
                    lens[depth++] = (size_t)(e - n);
                    p++;
                    break;
                }
                {
                    const char *an = p, *ae = name_end(an);

                    if (ae == an || ae[0] != '=' || ae[1] != '"')
                        return -1;
                    p = ae + 2;
                    while (*p && *p != '"') {
                        if (*p == '<' || (*p == '&' && !entity_ok(p)))
                            return -1;
                        p++;
                    }
                    if (*p != '"')
                        return -1;
                    p++;
                }
            }
            elements++;
        }
    }
    return depth == 0 ? elements : -1;
}

static int
count(const char *hay, const char *needle)
{
    int n = 0;

    for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
        n++;
    return n;
}

/* No NaN or infinity in any spelling C's printf uses. */
static void
assert_finite_text(const char *s)
{
    assert_null(strstr(s, "nan"));
    assert_null(strstr(s, "NAN"));
    assert_null(strstr(s, "inf"));
    assert_null(strstr(s, "INF"));
}

static void
numbers_are_short_and_never_nan(void **state)
{
    sp_svg_buf_t *b = sp_svg_buf_create(*state);

    sp_svg_num(b, 1.0);
    sp_svg_puts(b, "|");
    sp_svg_num(b, 12.3456);
    sp_svg_puts(b, "|");
    sp_svg_num(b, -0.001);
    sp_svg_puts(b, "|");
    sp_svg_num(b, NAN);
    sp_svg_puts(b, "|");
    sp_svg_num(b, INFINITY);
    sp_svg_puts(b, "|");
    sp_svg_num(b, 2.5);
    assert_string_equal(sp_svg_text(b), "1|12.35|0|0|0|2.5");
}

static void
text_is_escaped(void **state)
{
    sp_svg_buf_t *b = sp_svg_buf_create(*state);

    sp_svg_escape(b, "a<b>&\"c'\001d\xc3\xa9");
    assert_string_equal(sp_svg_text(b), "a&lt;b&gt;&amp;&quot;c&#39;d\xc3\xa9");
}

static void
buffer_grows_past_its_first_block(void **state)
{
    sp_svg_buf_t *b = sp_svg_buf_create(*state);
    int i;

    for (i = 0; i < 1000; i++)
        sp_svg_puts(b, "0123456789");
    assert_int_equal(sp_svg_len(b), 10000);
    assert_int_equal(strlen(sp_svg_text(b)), 10000);
}

static const char *const axes4[] = {"A", "B", "C", "D"};

static void
radar_puts_values_where_the_formula_says(void **state)
{
    sp_svg_buf_t *b = sp_svg_buf_create(*state);
    double v[] = {4, 2, 0, 1};
    sp_svg_series_t s = {"one", v};
    sp_svg_radar_t r;

    memset(&r, 0, sizeof r);
    r.head.id = "r1";
    r.head.title = "Profile <test>";
    r.head.desc = "A & B";
    r.head.width = 200;
    r.naxes = 4;
    r.axes = axes4;
    r.min = 0;
    r.max = 4;
    r.nseries = 1;
    r.series = &s;
    assert_int_equal(sp_svg_radar(b, &r), 0);
    /* s = 200: centre (100, 100), R = 100 - 48 = 52.  A (up) at 4/4 ->
     * (100, 48); B (right) at 2/4 -> (126, 100); C (down) at 0 -> the
     * centre; D (left) at 1/4 -> (87, 100). */
    assert_non_null(strstr(sp_svg_text(b), "points=\"100,48 126,100 100,100 87,100\""));
    assert_true(well_formed(sp_svg_text(b)) > 10);
    assert_non_null(strstr(sp_svg_text(b), "role=\"img\" aria-labelledby=\"r1-title r1-desc\""));
    assert_non_null(strstr(sp_svg_text(b), "<title id=\"r1-title\">Profile &lt;test&gt;</title>"));
    assert_non_null(strstr(sp_svg_text(b), "<desc id=\"r1-desc\">A &amp; B</desc>"));
    assert_finite_text(sp_svg_text(b));
}

static void
radar_with_a_gap_draws_points_not_a_polygon(void **state)
{
    sp_svg_buf_t *b = sp_svg_buf_create(*state);
    double v[] = {4, NAN, 0, INFINITY};
    sp_svg_series_t s = {"gap", v};
    sp_svg_radar_t r;
    const char *t;

    memset(&r, 0, sizeof r);
    r.head.id = "r2";
    r.head.title = "t";
    r.head.width = 200;
    r.naxes = 4;
    r.axes = axes4;
    r.max = 4;
    r.nseries = 1;
    r.series = &s;
    assert_int_equal(sp_svg_radar(b, &r), 0);
    t = strstr(sp_svg_text(b), "<g class=\"series\"");
    assert_non_null(t);
    assert_null(strstr(t, "<polygon"));
    assert_int_equal(count(t, "<circle"), 2);
    assert_true(well_formed(sp_svg_text(b)) > 0);
    assert_finite_text(sp_svg_text(b));
}

static void
radar_without_data_writes_nothing(void **state)
{
    sp_svg_buf_t *b = sp_svg_buf_create(*state);
    double v[] = {NAN, NAN, NAN, NAN};
    sp_svg_series_t s = {"none", v};
    sp_svg_radar_t r;

    memset(&r, 0, sizeof r);
    r.head.id = "r3";
    r.head.title = "t";
    r.naxes = 4;
    r.axes = axes4;
    r.max = 4;
    r.nseries = 1;
    r.series = &s;
    assert_int_equal(sp_svg_radar(b, &r), SP_EXIT_DATA);
    assert_int_equal(sp_svg_len(b), 0);
    r.max = 0;   /* an empty scale is the caller's mistake */
    assert_int_equal(sp_svg_radar(b, &r), SP_EXIT_USAGE);
    r.max = 4;
    r.head.id = "bad id";
    assert_int_equal(sp_svg_radar(b, &r), SP_EXIT_USAGE);
}

static void
vertical_bars_and_limit_sit_where_the_formula_says(void **state)
{
    sp_svg_buf_t *b = sp_svg_buf_create(*state);
    const char *labels[] = {"2012", "2013"};
    double v[] = {10, 5}, trend[] = {9, 6};
    sp_svg_bars_t c;

    memset(&c, 0, sizeof c);
    c.head.id = "b1";
    c.head.title = "Use";
    c.head.width = 200;
    c.head.height = 200;
    c.n = 2;
    c.labels = labels;
    c.values = v;
    c.limit = 20;
    c.limit_label = "limit";
    c.trend = trend;
    c.trend_label = "trend";
    assert_int_equal(sp_svg_bars(b, &c), 0);
    /* Plot x 56..184, y 24..152; scale 0..20; band 64.  Bar 0 from x =
     * 56 + 64 * 0.15 = 65.6, width 44.8, top y(10) = 152 - 64 = 88;
     * bar 1 from 56 + 64 * 1.15 = 129.6, top y(5) = 120; limit at y = 24;
     * trend through (88, 152 - 57.6) and (152, 152 - 38.4). */
    assert_non_null(strstr(sp_svg_text(b), "<rect x=\"65.6\" y=\"88\" width=\"44.8\" height=\"64\""));
    assert_non_null(strstr(sp_svg_text(b), "<rect x=\"129.6\" y=\"120\" width=\"44.8\" height=\"32\""));
    assert_non_null(strstr(sp_svg_text(b), "<line x1=\"56\" y1=\"24\" x2=\"184\" y2=\"24\" class=\"limit\""));
    assert_non_null(strstr(sp_svg_text(b), "points=\"88,94.4 152,113.6\""));
    assert_true(well_formed(sp_svg_text(b)) > 0);
    assert_finite_text(sp_svg_text(b));
}

static void
horizontal_bars_go_right_from_zero(void **state)
{
    sp_svg_buf_t *b = sp_svg_buf_create(*state);
    const char *labels[] = {"x", "y"};
    double v[] = {-1, 1};
    sp_svg_bars_t c;

    memset(&c, 0, sizeof c);
    c.head.id = "b2";
    c.head.title = "Rank";
    c.head.width = 312;
    c.head.height = 200;
    c.horizontal = 1;
    c.n = 2;
    c.labels = labels;
    c.values = v;
    c.limit = NAN;
    assert_int_equal(sp_svg_bars(b, &c), 0);
    /* x 112..296, scale -1..1: zero at 204; bands of 64 from y = 24.
     * Bar 0 (-1) spans 112..204 at y 24 + 9.6; bar 1 (1) 204..296. */
    assert_non_null(strstr(sp_svg_text(b), "<rect x=\"112\" y=\"33.6\" width=\"92\" height=\"44.8\""));
    assert_non_null(strstr(sp_svg_text(b), "<rect x=\"204\" y=\"97.6\" width=\"92\" height=\"44.8\""));
    assert_null(strstr(sp_svg_text(b), "class=\"limit\""));
    assert_true(well_formed(sp_svg_text(b)) > 0);
}

static void
bars_without_a_finite_value_write_nothing(void **state)
{
    sp_svg_buf_t *b = sp_svg_buf_create(*state);
    const char *labels[] = {"a"};
    double v[] = {NAN};
    sp_svg_bars_t c;

    memset(&c, 0, sizeof c);
    c.head.id = "b3";
    c.head.title = "t";
    c.n = 1;
    c.labels = labels;
    c.values = v;
    c.limit = 3;
    assert_int_equal(sp_svg_bars(b, &c), SP_EXIT_DATA);
    assert_int_equal(sp_svg_len(b), 0);
}

static void
log_lines_make_doublings_straight(void **state)
{
    sp_svg_buf_t *b = sp_svg_buf_create(*state);
    const char *x[] = {"Q1", "Q2", "Q3"};
    double obs[] = {1, 10, 100}, target[] = {1, NAN, 0};
    sp_svg_line_t s[] = {{"observed", obs, 0}, {"target", target, 1}};
    sp_svg_lines_t c;

    memset(&c, 0, sizeof c);
    c.head.id = "l1";
    c.head.title = "Pact";
    c.head.width = 200;
    c.head.height = 200;
    c.n = 3;
    c.xlabels = x;
    c.nseries = 2;
    c.series = s;
    c.log_scale = 1;
    c.reference = NAN;
    assert_int_equal(sp_svg_lines(b, &c), 0);
    /* Decades 10^0..10^2 over y 152..24: 1 -> 152, 10 -> 88, 100 -> 24;
     * x 56, 120, 184.  The target has no drawable point after the first. */
    assert_non_null(strstr(sp_svg_text(b), "d=\"M56 152 L120 88 L184 24\""));
    assert_non_null(strstr(sp_svg_text(b), "stroke-dasharray=\"6 3\" d=\"M56 152\""));
    assert_true(well_formed(sp_svg_text(b)) > 0);
    assert_finite_text(sp_svg_text(b));
}

static void
linear_lines_include_zero_and_the_reference(void **state)
{
    sp_svg_buf_t *b = sp_svg_buf_create(*state);
    const char *x[] = {"a", "b"};
    double y[] = {5, 10};
    sp_svg_line_t s[] = {{"y", y, 0}};
    sp_svg_lines_t c;

    memset(&c, 0, sizeof c);
    c.head.id = "l2";
    c.head.title = "t";
    c.head.width = 200;
    c.head.height = 200;
    c.n = 2;
    c.xlabels = x;
    c.nseries = 1;
    c.series = s;
    c.reference = 20;
    c.reference_label = "population";
    assert_int_equal(sp_svg_lines(b, &c), 0);
    /* Scale 0..20: 5 -> 152 - 32 = 120, 10 -> 88; the reference at 24. */
    assert_non_null(strstr(sp_svg_text(b), "d=\"M56 120 L184 88\""));
    assert_non_null(strstr(sp_svg_text(b), "<line x1=\"56\" y1=\"24\" x2=\"184\" y2=\"24\" class=\"reference\""));
    assert_true(well_formed(sp_svg_text(b)) > 0);
}

static void
distribution_shows_shares_and_hides_small_cells(void **state)
{
    sp_svg_buf_t *b = sp_svg_buf_create(*state);
    const char *bins[] = {"low", "high"};
    const char *groups[] = {"North", "South", "Tiny"};
    /* North 30 + 10 (shares 75 %, 25 %); South 40 + 2 (2 is small: "x");
     * Tiny 3 in all: left out. */
    double counts[] = {30, 10, 40, 2, 2, 1};
    sp_svg_hist_t c;
    const char *t;

    memset(&c, 0, sizeof c);
    c.head.id = "h1";
    c.head.title = "Distribution";
    c.head.width = 216;
    c.head.height = 200;
    c.nbins = 2;
    c.bins = bins;
    c.ngroups = 3;
    c.groups = groups;
    c.counts = counts;
    c.min_cell = 5;
    assert_int_equal(sp_svg_hist(b, &c), 0);
    t = sp_svg_text(b);
    /* Highest share drawn: South low, 40 / 42 = 95.238 %.  North low: 75 %
     * -> height 128 * 75 / 95.238 = 100.8.  Bands of 72 from x = 56; two
     * groups shown, slots of 72 * 0.8 / 2 = 28.8. */
    assert_non_null(strstr(t, "<rect x=\"63.2\" y=\"51.2\" width=\"25.92\" height=\"100.8\""));
    assert_int_equal(count(t, "class=\"suppressed\""), 1);
    assert_null(strstr(t, "Tiny"));
    assert_true(well_formed(t) > 0);
    assert_finite_text(t);
}

/* A count the caller withholds (NAN) stays in its group's total when the
 * caller gives the totals: North's low band is 30 of 40 households, not
 * 30 of 30; a group whose total is withheld is left out (its shares would
 * give the total back). */
static void
distribution_shares_use_the_callers_totals(void **state)
{
    sp_svg_buf_t *b = sp_svg_buf_create(*state);
    const char *bins[] = {"low", "high"};
    const char *groups[] = {"North", "South"};
    double counts[] = {30, NAN, 20, NAN}, totals[] = {40, NAN};
    sp_svg_hist_t c;
    const char *t;

    memset(&c, 0, sizeof c);
    c.head.id = "h3";
    c.head.title = "Distribution";
    c.nbins = 2;
    c.bins = bins;
    c.ngroups = 2;
    c.groups = groups;
    c.counts = counts;
    c.totals = totals;
    c.min_cell = 5;
    assert_int_equal(sp_svg_hist(b, &c), 0);
    t = sp_svg_text(b);
    assert_non_null(strstr(t, "<title>North, low: 75.0%</title>"));
    assert_null(strstr(t, "South"));
    assert_true(well_formed(t) > 0);
    c.totals = NULL;                   /* without them: 30 of 30 */
    b = sp_svg_buf_create(*state);
    assert_int_equal(sp_svg_hist(b, &c), 0);
    assert_non_null(strstr(sp_svg_text(b), "<title>North, low: 100.0%</title>"));
}

static void
distribution_of_only_small_groups_writes_nothing(void **state)
{
    sp_svg_buf_t *b = sp_svg_buf_create(*state);
    const char *bins[] = {"a"};
    const char *groups[] = {"g"};
    double counts[] = {4};
    sp_svg_hist_t c;

    memset(&c, 0, sizeof c);
    c.head.id = "h2";
    c.head.title = "t";
    c.nbins = 1;
    c.bins = bins;
    c.ngroups = 1;
    c.groups = groups;
    c.counts = counts;
    assert_int_equal(sp_svg_hist(b, &c), SP_EXIT_DATA);
    assert_int_equal(sp_svg_len(b), 0);
}

static void
the_checker_itself_rejects_broken_xml(void **state)
{
    (void)state;
    assert_int_equal(well_formed("<a><b/></a>"), 2);
    assert_int_equal(well_formed("<a><b></a>"), -1);
    assert_int_equal(well_formed("<a x=1/>"), -1);
    assert_int_equal(well_formed("<a>&</a>"), -1);
    assert_int_equal(well_formed("<a>&amp;</a>"), 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_checker_itself_rejects_broken_xml),
        cmocka_unit_test_setup_teardown(numbers_are_short_and_never_nan, setup, teardown),
        cmocka_unit_test_setup_teardown(text_is_escaped, setup, teardown),
        cmocka_unit_test_setup_teardown(buffer_grows_past_its_first_block, setup, teardown),
        cmocka_unit_test_setup_teardown(radar_puts_values_where_the_formula_says, setup, teardown),
        cmocka_unit_test_setup_teardown(radar_with_a_gap_draws_points_not_a_polygon, setup, teardown),
        cmocka_unit_test_setup_teardown(radar_without_data_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(vertical_bars_and_limit_sit_where_the_formula_says, setup, teardown),
        cmocka_unit_test_setup_teardown(horizontal_bars_go_right_from_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(bars_without_a_finite_value_write_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(distribution_shares_use_the_callers_totals, setup, teardown),
        cmocka_unit_test_setup_teardown(log_lines_make_doublings_straight, setup, teardown),
        cmocka_unit_test_setup_teardown(linear_lines_include_zero_and_the_reference, setup, teardown),
        cmocka_unit_test_setup_teardown(distribution_shows_shares_and_hides_small_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(distribution_of_only_small_groups_writes_nothing, setup, teardown),
    };

    apr_initialize();
    atexit(apr_terminate);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
