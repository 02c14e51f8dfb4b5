/*
 * test_text.c -- unit tests of the UTF-8 utilities (core/sp_text.c).
 *
 * Expected widths follow Unicode's own data, checked with Python 3.11's
 * unicodedata: U+0301 COMBINING ACUTE ACCENT is category Mn (width 0),
 * U+65E5 and U+672C (日本) are East Asian Wide (width 2).  Expected folds
 * were checked with unicodedata.normalize("NFD", s).casefold() minus the Mn
 * characters, recomposed with NFC.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <apr_general.h>
#include "sp_text.h"

#define E_ACUTE "\xc3\x89"           /* É, U+00C9 */
#define e_COMBINING "e\xcc\x81"      /* e + U+0301 */
#define NIHON "\xe6\x97\xa5\xe6\x9c\xac" /* 日本 */

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

static void
valid_utf8_is_accepted(void **state)
{
    const char *ok[] = {"", "plain ascii", E_ACUTE "nergie", e_COMBINING,
                        NIHON, "\xf0\x9f\x98\x80" /* U+1F600 */,
                        "\xf4\x8f\xbf\xbf" /* U+10FFFF */};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_true(sp_text_utf8_valid(ok[i], strlen(ok[i]), NULL));
}

static void
ill_formed_utf8_is_refused_at_its_first_byte(void **state)
{
    static const struct {
        const char *s;
        size_t bad;
    } cases[] = {
        {"caf\xe9", 3},                 /* Latin-1 é */
        {"ab\xc3", 2},                  /* cut by the end */
        {"\xc0\xaf", 0},                /* overlong '/' */
        {"x\xe0\x80\xaf", 1},           /* overlong, 3 bytes */
        {"\xed\xa0\x80", 0},            /* surrogate D800 */
        {"\xf4\x90\x80\x80", 0},        /* above U+10FFFF */
        {"\xf5\x80\x80\x80", 0},
        {"\x80", 0},                    /* lone continuation */
        {"0123456789abcdef0123456789abcdef" "01234\xff", 37}, /* fast path */
        {"0123456789abcdef0123456789abcdef" "\xc3\xa9" "0123456789abcdef\x9c",
         50},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t bad = 999;
        assert_false(sp_text_utf8_valid(cases[i].s, strlen(cases[i].s), &bad));
        assert_int_equal(bad, cases[i].bad);
    }
}

static void
width_counts_terminal_columns(void **state)
{
    (void)state;
    assert_int_equal(sp_text_width(E_ACUTE "nergie"), 7);
    assert_int_equal(sp_text_width("E\xcc\x81nergie"), 7);
    assert_int_equal(sp_text_width(NIHON), 4);
    assert_int_equal(sp_text_width("a" NIHON "b"), 6);
    assert_int_equal(sp_text_width(""), 0);
    assert_int_equal(sp_text_width(NULL), 0);
    assert_int_equal(sp_text_width("ab\xff"), 3); /* invalid byte: 1 */
}

static void
fold_ignores_case_and_accents(void **state)
{
    apr_pool_t *pool = *state;
    assert_string_equal(sp_text_fold(E_ACUTE "nergie", pool), "energie");
    assert_string_equal(sp_text_fold("ENERGIE", pool), "energie");
    assert_string_equal(sp_text_fold(E_ACUTE "NERGIE", pool),
                        sp_text_fold("energie", pool));
    assert_string_equal(sp_text_fold("E\xcc\x81nergie", pool), "energie");
    assert_string_equal(sp_text_fold("Stra\xc3\x9f" "e", pool), "strasse");
    assert_string_equal(sp_text_fold("C\xc5\x93ur", pool), "c\xc5\x93ur");
    assert_string_equal(sp_text_fold("Sant\xc3\xa9 et bien-\xc3\xaatre", pool),
                        "sante et bien-etre");
    assert_string_equal(sp_text_fold(NIHON, pool), NIHON);
    assert_null(sp_text_fold("caf\xe9", pool));
    assert_null(sp_text_fold(NULL, pool));
}

static void
pad_fills_to_a_display_width(void **state)
{
    apr_pool_t *pool = *state;
    assert_string_equal(sp_text_pad(pool, "\xc3\xa9t\xc3\xa9", 5, 0),
                        "\xc3\xa9t\xc3\xa9  ");
    assert_string_equal(sp_text_pad(pool, "\xc3\xa9t\xc3\xa9", 5, 1),
                        "  \xc3\xa9t\xc3\xa9");
    assert_string_equal(sp_text_pad(pool, e_COMBINING, 3, 0),
                        e_COMBINING "  ");
    assert_string_equal(sp_text_pad(pool, NIHON, 6, 1), "  " NIHON);
    assert_string_equal(sp_text_pad(pool, NIHON, 3, 0), NIHON);
    assert_string_equal(sp_text_pad(pool, "abcdef", 3, 0), "abcdef");
    assert_string_equal(sp_text_pad(pool, NULL, 2, 0), "  ");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(valid_utf8_is_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(ill_formed_utf8_is_refused_at_its_first_byte, setup, teardown),
        cmocka_unit_test_setup_teardown(width_counts_terminal_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(fold_ignores_case_and_accents, setup, teardown),
        cmocka_unit_test_setup_teardown(pad_fills_to_a_display_width, setup, teardown),
    };
    int rc;

    apr_initialize();
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_terminate();
    return rc;
}
