/*
 * test_csv.c -- unit tests of the CSV reader and number parsing
 * (core/sp_csv.c).
 *
 * Fixtures live in tests/fixtures/csv (see the README there for how each
 * was made and how the expected bytes were checked with iconv(1)); bigger
 * inputs are generated into the temporary directory.  The last test
 * replays every file of tests/fuzz/corpus through the fuzz target, which
 * reads each input with and without the fast path and compares them.
 */
#include <dirent.h>
#include <locale.h>
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "sp_csv.h"

#ifndef SP_TEST_SRCDIR
#define SP_TEST_SRCDIR "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *
srcdir(void)
{
    const char *d = getenv("SRCDIR");
    return d != NULL && *d != '\0' ? d : SP_TEST_SRCDIR;
}

static const char *
fixture(apr_pool_t *pool, const char *name)
{
    return apr_pstrcat(pool, srcdir(), "/tests/fixtures/csv/", name, NULL);
}

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

static sp_csv_t *
open_fixture(apr_pool_t *pool, const char *name, int delim, sp_encoding_t enc)
{
    sp_csv_options_t opt = {delim, enc};
    sp_csv_t *csv = NULL;
    sp_error_t *err = NULL;
    int st = sp_csv_open(&csv, fixture(pool, name), &opt, pool, &err);
    if (st != SP_OK)
        fail_msg("%s: %s", name, err ? err->message : "?");
    return csv;
}

static void
expect_record(sp_csv_t *csv, long line, size_t nfields, ...)
{
    sp_csv_record_t rec;
    sp_error_t *err = NULL;
    va_list ap;
    size_t i;
    int st = sp_csv_next(csv, &rec, &err);

    if (st != 1)
        fail_msg("expected a record, got %d (%s)", st,
                 err ? err->message : "end of file");
    assert_int_equal(rec.line, line);
    assert_int_equal(rec.nfields, nfields);
    va_start(ap, nfields);
    for (i = 0; i < nfields; i++) {
        const char *want = va_arg(ap, const char *);
        assert_string_equal(rec.field[i], want);
        assert_int_equal(rec.len[i], strlen(want));
    }
    va_end(ap);
}

static void
expect_end(sp_csv_t *csv)
{
    sp_csv_record_t rec;
    sp_error_t *err = NULL;
    assert_int_equal(sp_csv_next(csv, &rec, &err), 0);
}

static sp_error_t *
expect_failure(sp_csv_t *csv, int status)
{
    sp_csv_record_t rec;
    sp_error_t *err = NULL;
    int st;

    while ((st = sp_csv_next(csv, &rec, &err)) == 1)
        ;
    assert_int_equal(st, status);
    assert_non_null(err);
    return err;
}

/* ---- detection ---------------------------------------------------------- */

static void
comma_is_detected(void **state)
{
    sp_csv_t *csv = open_fixture(*state, "comma.csv", 0, SP_ENC_DETECT);
    assert_int_equal(sp_csv_delimiter(csv), ',');
    assert_int_equal(sp_csv_encoding(csv), SP_ENC_UTF8);
    expect_record(csv, 1, 3, "id", "name", "score");
    expect_record(csv, 2, 3, "1", "Ana", "3.5");
    expect_record(csv, 3, 3, "2", "Bob", "4");
    expect_end(csv);
}

static void
semicolon_is_detected_from_the_header_line(void **state)
{
    sp_csv_t *csv = open_fixture(*state, "semicolon.csv", 0, SP_ENC_DETECT);
    assert_int_equal(sp_csv_delimiter(csv), ';');
    expect_record(csv, 1, 3, "id", "nom", "note");
    expect_record(csv, 2, 3, "1", "Zo\xc3\xa9", "3,5");
    expect_end(csv);
}

static void
tab_is_detected_and_commas_stay_in_fields(void **state)
{
    sp_csv_t *csv = open_fixture(*state, "tab.csv", 0, SP_ENC_DETECT);
    assert_int_equal(sp_csv_delimiter(csv), '\t');
    expect_record(csv, 1, 3, "id", "name", "city, country");
    expect_record(csv, 2, 3, "1", "Ana", "Lyon, France");
    expect_end(csv);
}

static void
a_forced_delimiter_wins_over_detection(void **state)
{
    sp_csv_t *csv = open_fixture(*state, "tab.csv", ',', SP_ENC_DETECT);
    assert_int_equal(sp_csv_delimiter(csv), ',');
    expect_record(csv, 1, 2, "id\tname\tcity", "country");
}

static void
utf8_bom_is_skipped(void **state)
{
    sp_csv_t *csv = open_fixture(*state, "bom.csv", 0, SP_ENC_DETECT);
    assert_int_equal(sp_csv_encoding(csv), SP_ENC_UTF8);
    expect_record(csv, 1, 2, "id", "name");
    expect_record(csv, 2, 2, "1", "Zo\xc3\xa9");
    expect_end(csv);
}

static void
windows_1252_is_detected_and_converted(void **state)
{
    sp_csv_t *csv = open_fixture(*state, "cp1252.csv", 0, SP_ENC_DETECT);
    assert_int_equal(sp_csv_encoding(csv), SP_ENC_CP1252);
    expect_record(csv, 1, 2, "prix", "nom");
    /* 0x80 -> U+20AC, 0x9C -> U+0153, 0xE9 -> U+00E9 (iconv(1), README) */
    expect_record(csv, 2, 2, "\xe2\x82\xac 5", "c\xc5\x93ur");
    expect_record(csv, 3, 2, "10", "caf\xc3\xa9");
    expect_end(csv);
}

static void
latin1_is_detected_and_converted(void **state)
{
    sp_csv_t *csv = open_fixture(*state, "latin1.csv", 0, SP_ENC_DETECT);
    assert_int_equal(sp_csv_encoding(csv), SP_ENC_LATIN1);
    expect_record(csv, 1, 2, "nom", "ville");
    expect_record(csv, 2, 2, "Andr\xc3\xa9", "Cr\xc3\xa9teil");
    expect_end(csv);
}

static void
encoding_names_parse_both_ways(void **state)
{
    (void)state;
    assert_int_equal(sp_csv_parse_encoding("UTF-8"), SP_ENC_UTF8);
    assert_int_equal(sp_csv_parse_encoding("cp1252"), SP_ENC_CP1252);
    assert_int_equal(sp_csv_parse_encoding("Windows-1252"), SP_ENC_CP1252);
    assert_int_equal(sp_csv_parse_encoding("iso-8859-1"), SP_ENC_LATIN1);
    assert_int_equal(sp_csv_parse_encoding("latin1"), SP_ENC_LATIN1);
    assert_int_equal(sp_csv_parse_encoding("auto"), SP_ENC_DETECT);
    assert_int_equal(sp_csv_parse_encoding("ebcdic"), -1);
    assert_string_equal(sp_csv_encoding_name(SP_ENC_CP1252), "Windows-1252");
}

/* ---- invalid UTF-8 ------------------------------------------------------ */

static void
invalid_utf8_is_refused_with_line_column_and_field(void **state)
{
    sp_csv_t *csv = open_fixture(*state, "bad_utf8.csv", 0, SP_ENC_UTF8);
    sp_error_t *err;

    expect_record(csv, 1, 3, "a", "b", "c");
    err = expect_failure(csv, SP_EXIT_DATA);
    assert_int_equal(err->line, 2);
    assert_int_equal(err->column, 3);   /* columns count fields, as in every message */
    assert_non_null(strstr(err->message, "invalid UTF-8 (byte 0xE9) in field 3"));
    assert_non_null(strstr(err->message, "byte 2 of the field"));
    assert_non_null(strstr(err->file, "bad_utf8.csv"));
}

/* The first 64 KiB are valid UTF-8, so detection says UTF-8; the bad byte
 * comes later and must be refused, not stored. */
static void
invalid_utf8_after_the_detection_window_is_refused(void **state)
{
    apr_pool_t *pool = *state;
    char path[] = "/tmp/sp_csv_late_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    sp_csv_t *csv;
    sp_error_t *err = NULL;
    sp_csv_record_t rec;
    long i, n = 0;
    int st;

    assert_non_null(f);
    fputs("name,city\n", f);
    for (i = 2; i <= 5000; i++)
        fprintf(f, "\"Zo\xc3\xa9 %ld\",Cr\xc3\xa9teil\n", i);
    fputs("x,Orl\xe9\x61ns\n", f); /* line 5001 */
    fclose(f);

    assert_int_equal(sp_csv_open(&csv, path, NULL, pool, &err), SP_OK);
    assert_int_equal(sp_csv_encoding(csv), SP_ENC_UTF8);
    while ((st = sp_csv_next(csv, &rec, &err)) == 1)
        n++;
    unlink(path);
    assert_int_equal(n, 5000);
    assert_int_equal(st, SP_EXIT_DATA);
    assert_int_equal(err->line, 5001);
    assert_int_equal(err->column, 2);
    assert_non_null(strstr(err->message, "(byte 0xE9) in field 2"));
    assert_non_null(strstr(err->message, "byte 4 of the field"));
}

/* The 64 KiB detection window ends between the two bytes of an é: still
 * UTF-8, not Latin-1. */
static void
a_sequence_cut_by_the_detection_window_is_still_utf8(void **state)
{
    apr_pool_t *pool = *state;
    char path[] = "/tmp/sp_csv_cut_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    sp_csv_t *csv;
    sp_error_t *err = NULL;
    sp_csv_record_t rec;
    long i;

    assert_non_null(f);
    fputs("h\n", f);
    for (i = 0; i < 65533; i++)
        fputc('a', f);
    fputs("\xc3\xa9\n", f); /* 0xC3 is byte 65535, the last of the window */
    fclose(f);
    assert_int_equal(sp_csv_open(&csv, path, NULL, pool, &err), SP_OK);
    unlink(path);
    assert_int_equal(sp_csv_encoding(csv), SP_ENC_UTF8);
    assert_int_equal(sp_csv_next(csv, &rec, &err), 1);
    assert_int_equal(sp_csv_next(csv, &rec, &err), 1);
    assert_int_equal(rec.len[0], 65535);
    assert_string_equal(rec.field[0] + 65533, "\xc3\xa9");
}

/* ---- structure ---------------------------------------------------------- */

static void
crlf_line_ends_are_not_part_of_fields(void **state)
{
    sp_csv_t *csv = open_fixture(*state, "crlf.csv", 0, SP_ENC_DETECT);
    expect_record(csv, 1, 2, "a", "b");
    expect_record(csv, 2, 2, "1", "2");
    expect_record(csv, 3, 2, "3", "4");
    expect_end(csv);
}

static void
quoted_fields_keep_delimiters_quotes_and_newlines(void **state)
{
    sp_csv_t *csv = open_fixture(*state, "quoted.csv", 0, SP_ENC_DETECT);
    expect_record(csv, 1, 3, "id", "text", "n");
    expect_record(csv, 2, 3, "1", "a, b", "2");
    expect_record(csv, 3, 3, "2", "say \"hi\"", "3");
    expect_record(csv, 4, 3, "3", "line one\nline two", "4");
    expect_record(csv, 6, 3, "4", "last", "5"); /* after the 2-line record */
    expect_end(csv);
}

static void
the_slow_path_gives_the_same_records(void **state)
{
    sp_csv_t *csv = open_fixture(*state, "quoted.csv", 0, SP_ENC_DETECT);
    sp_csv_set_fast_path(csv, 0);
    expect_record(csv, 1, 3, "id", "text", "n");
    expect_record(csv, 2, 3, "1", "a, b", "2");
    expect_record(csv, 3, 3, "2", "say \"hi\"", "3");
    expect_record(csv, 4, 3, "3", "line one\nline two", "4");
    expect_record(csv, 6, 3, "4", "last", "5");
    expect_end(csv);
}

static void
a_missing_final_newline_still_gives_the_last_record(void **state)
{
    sp_csv_t *csv = open_fixture(*state, "no_final_newline.csv", 0,
                                 SP_ENC_DETECT);
    expect_record(csv, 1, 2, "a", "b");
    expect_record(csv, 2, 2, "1", "2");
    expect_end(csv);
}

static void
blank_lines_are_skipped_but_counted(void **state)
{
    sp_csv_t *csv = open_fixture(*state, "blank_lines.csv", 0, SP_ENC_DETECT);
    expect_record(csv, 1, 2, "a", "b");
    expect_record(csv, 3, 2, "1", "2");
    expect_record(csv, 6, 2, "3", "4");
    expect_end(csv);
}

/* ---- errors ------------------------------------------------------------- */

static void
an_empty_file_is_refused(void **state)
{
    apr_pool_t *pool = *state;
    sp_csv_t *csv = NULL;
    sp_error_t *err = NULL;
    int st = sp_csv_open(&csv, fixture(pool, "empty.csv"), NULL, pool, &err);
    assert_int_equal(st, SP_EXIT_DATA);
    assert_null(csv);
    assert_string_equal(err->message, "file is empty");
}

static void
a_missing_file_is_noinput(void **state)
{
    apr_pool_t *pool = *state;
    sp_csv_t *csv = NULL;
    sp_error_t *err = NULL;
    int st = sp_csv_open(&csv, "/nonexistent/x.csv", NULL, pool, &err);
    assert_int_equal(st, SP_EXIT_NOINPUT);
    assert_string_equal(err->message, "cannot open: No such file or directory");
    assert_string_equal(err->file, "/nonexistent/x.csv");
}

static void
an_unterminated_quote_names_the_line_it_opened_on(void **state)
{
    sp_csv_t *csv = open_fixture(*state, "unterminated.csv", 0,
                                 SP_ENC_DETECT);
    sp_error_t *err;
    expect_record(csv, 1, 2, "a", "b");
    err = expect_failure(csv, SP_EXIT_DATA);
    assert_int_equal(err->line, 2);
    assert_non_null(strstr(err->message, "unterminated"));
    assert_non_null(strstr(err->message, "line 2"));
}

static void
a_stray_quote_is_refused_with_its_column(void **state)
{
    sp_csv_t *csv = open_fixture(*state, "stray_quote.csv", 0, SP_ENC_DETECT);
    sp_error_t *err = expect_failure(csv, SP_EXIT_DATA);
    assert_int_equal(err->line, 2);
    assert_int_equal(err->column, 2);
    assert_non_null(strstr(err->message, "in field 2"));
}

/* ---- size --------------------------------------------------------------- */

#ifdef __GLIBC__
static size_t
heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}
#endif

static void
a_big_file_is_read_in_constant_memory(void **state)
{
    apr_pool_t *pool = *state;
    char path[] = "/tmp/sp_csv_big_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    sp_csv_t *csv;
    sp_error_t *err = NULL;
    sp_csv_record_t rec;
    long i, n = 0, sum = 0;
    size_t low = 0, high = 0;
    int st;

    assert_non_null(f);
    fputs("id,name,comment,score\n", f);
    for (i = 1; i <= 200000; i++)
        fprintf(f, "%ld,\"Nom %ld\",%s,%ld\n", i, i,
                i % 3 ? "plain" : "\"with, comma\"", i % 7);
    fclose(f);

    assert_int_equal(sp_csv_open(&csv, path, NULL, pool, &err), SP_OK);
    while ((st = sp_csv_next(csv, &rec, &err)) == 1) {
        n++;
        if (rec.index > 0) {
            assert_int_equal(rec.nfields, 4);
            assert_int_equal(rec.line, rec.index + 1);
            sum += atol(rec.field[3]);
        }
#ifdef __GLIBC__
        if (n == 1000)
            low = high = heap_in_use();
        else if (n > 1000 && n % 1000 == 0 && heap_in_use() > high)
            high = heap_in_use();
#endif
    }
    unlink(path);
    assert_int_equal(st, 0);
    assert_int_equal(n, 200001);
    {
        long want = 0;
        for (i = 1; i <= 200000; i++)
            want += i % 7;
        assert_int_equal(sum, want);
    }
    /* flat: the reader does not grow with the file (12 MB here) */
    assert_true(high - low < 64 * 1024);
    assert_true(sp_csv_offset(csv) == sp_csv_size(csv));
}

/* ---- numbers ------------------------------------------------------------ */

static void
reals_are_parsed_strictly(void **state)
{
    double d;
    (void)state;
    assert_true(sp_parse_real("3.5", 0, &d));
    assert_true(d == 3.5);
    assert_true(sp_parse_real("  -2e3 ", 0, &d));
    assert_true(d == -2000.0);
    assert_true(sp_parse_real("+.25", 0, &d));
    assert_true(d == 0.25);
    assert_true(sp_parse_real("7.", 0, &d));
    assert_true(d == 7.0);
    assert_false(sp_parse_real("", 0, &d));
    assert_false(sp_parse_real("   ", 0, &d));
    assert_false(sp_parse_real("1.5x", 0, &d));
    assert_false(sp_parse_real("inf", 0, &d));
    assert_false(sp_parse_real("nan", 0, &d));
    assert_false(sp_parse_real("0x10", 0, &d));
    assert_false(sp_parse_real("1e", 0, &d));
    assert_false(sp_parse_real("1e999", 0, &d));
    assert_false(sp_parse_real("1,5", 0, &d));
    assert_false(sp_parse_real("1.2.3", 0, &d));
    assert_false(sp_parse_real(".", 0, &d));
}

static void
decimal_comma_is_accepted_only_when_asked(void **state)
{
    double d;
    (void)state;
    assert_true(sp_parse_real("1,5", 1, &d));
    assert_true(d == 1.5);
    assert_true(sp_parse_real(" -0,125 ", 1, &d));
    assert_true(d == -0.125);
    assert_false(sp_parse_real("1.5", 1, &d));
}

static void
reals_ignore_the_process_locale(void **state)
{
    double d;
    const char *old = setlocale(LC_NUMERIC, NULL);
    char *saved = old ? strdup(old) : NULL;
    (void)state;
    if (setlocale(LC_NUMERIC, "fr_FR.UTF-8") == NULL
        && setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL) {
        free(saved);
        skip();
    }
    assert_true(sp_parse_real("2.75", 0, &d));
    assert_true(d == 2.75);
    assert_true(sp_parse_real("2,75", 1, &d));
    assert_true(d == 2.75);
    setlocale(LC_NUMERIC, saved ? saved : "C");
    free(saved);
}

static void
integers_are_parsed_strictly_within_range(void **state)
{
    long long v;
    (void)state;
    assert_true(sp_parse_int(" 42 ", &v));
    assert_int_equal(v, 42);
    assert_true(sp_parse_int("-7", &v));
    assert_int_equal(v, -7);
    assert_true(sp_parse_int("9223372036854775807", &v));
    assert_true(v == 9223372036854775807LL);
    assert_true(sp_parse_int("-9223372036854775808", &v));
    assert_true(v == -9223372036854775807LL - 1);
    assert_false(sp_parse_int("9223372036854775808", &v));
    assert_false(sp_parse_int("1.0", &v));
    assert_false(sp_parse_int("", &v));
    assert_false(sp_parse_int("-", &v));
    assert_false(sp_parse_int("12a", &v));
}

/* ---- fuzz corpus -------------------------------------------------------- */

static void
every_fuzz_corpus_file_replays_cleanly(void **state)
{
    apr_pool_t *pool = *state;
    const char *dir = apr_pstrcat(pool, srcdir(), "/tests/fuzz/corpus", NULL);
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;

    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        const char *path;
        FILE *f;
        char *buf;
        long size;

        if (de->d_name[0] == '.')
            continue;
        path = apr_pstrcat(pool, dir, "/", de->d_name, NULL);
        f = fopen(path, "rb");
        assert_non_null(f);
        fseek(f, 0, SEEK_END);
        size = ftell(f);
        rewind(f);
        buf = malloc((size_t)size + 1);
        assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
        fclose(f);
        LLVMFuzzerTestOneInput((const uint8_t *)buf, (size_t)size);
        free(buf);
        n++;
    }
    closedir(d);
    assert_true(n > 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(comma_is_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(semicolon_is_detected_from_the_header_line, setup, teardown),
        cmocka_unit_test_setup_teardown(tab_is_detected_and_commas_stay_in_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(a_forced_delimiter_wins_over_detection, setup, teardown),
        cmocka_unit_test_setup_teardown(utf8_bom_is_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(windows_1252_is_detected_and_converted, setup, teardown),
        cmocka_unit_test_setup_teardown(latin1_is_detected_and_converted, setup, teardown),
        cmocka_unit_test_setup_teardown(encoding_names_parse_both_ways, setup, teardown),
        cmocka_unit_test_setup_teardown(invalid_utf8_is_refused_with_line_column_and_field, setup, teardown),
        cmocka_unit_test_setup_teardown(invalid_utf8_after_the_detection_window_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(a_sequence_cut_by_the_detection_window_is_still_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(crlf_line_ends_are_not_part_of_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(quoted_fields_keep_delimiters_quotes_and_newlines, setup, teardown),
        cmocka_unit_test_setup_teardown(the_slow_path_gives_the_same_records, setup, teardown),
        cmocka_unit_test_setup_teardown(a_missing_final_newline_still_gives_the_last_record, setup, teardown),
        cmocka_unit_test_setup_teardown(blank_lines_are_skipped_but_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(an_empty_file_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(a_missing_file_is_noinput, setup, teardown),
        cmocka_unit_test_setup_teardown(an_unterminated_quote_names_the_line_it_opened_on, setup, teardown),
        cmocka_unit_test_setup_teardown(a_stray_quote_is_refused_with_its_column, setup, teardown),
        cmocka_unit_test_setup_teardown(a_big_file_is_read_in_constant_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(reals_are_parsed_strictly, setup, teardown),
        cmocka_unit_test_setup_teardown(decimal_comma_is_accepted_only_when_asked, setup, teardown),
        cmocka_unit_test_setup_teardown(reals_ignore_the_process_locale, setup, teardown),
        cmocka_unit_test_setup_teardown(integers_are_parsed_strictly_within_range, setup, teardown),
        cmocka_unit_test_setup_teardown(every_fuzz_corpus_file_replays_cleanly, setup, teardown),
    };
    int rc;

    apr_initialize();
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_terminate();
    return rc;
}
