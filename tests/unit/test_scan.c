/*
 * test_scan.c -- the --where parser, the order of levels, the columnar
 * chunks of the workspace (sp_colstore: every value read back as SQL sees
 * it, rebuilt after a change) and scans of CSV files (splitter and sp_csv,
 * one and two threads) against a naive count made by the test itself while
 * it writes the data; and the label lookups in a small workspace.
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
#include <unistd.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "sp_colstore.h"
#include "sp_scan.h"

typedef struct fixture_t {
    apr_pool_t *pool;
    char dir[64];
} fixture_t;

static int
setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);

    apr_pool_create(&f->pool, NULL);
    strcpy(f->dir, "/tmp/test_scan.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture_t *f = *state;
    char cmd[128];

    apr_pool_destroy(f->pool);
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

/* ---- --where ------------------------------------------------------------- */

static void
where_parses_equal_not_equal_and_in(void **state)
{
    fixture_t *f = *state;
    sp_where_t *w = NULL;
    sp_error_t *err = NULL;

    assert_int_equal(sp_where_parse(" wave=2025 , gender != F,age_band in 18-29|30-44 ", &w,
                                    f->pool, &err), SP_OK);
    assert_int_equal(w->nterms, 3);
    assert_string_equal(w->terms[0].var, "wave");
    assert_int_equal(w->terms[0].op, SP_WHERE_EQ);
    assert_string_equal(w->terms[0].values[0], "2025");
    assert_string_equal(w->terms[1].var, "gender");
    assert_int_equal(w->terms[1].op, SP_WHERE_NE);
    assert_string_equal(w->terms[1].values[0], "F");
    assert_string_equal(w->terms[2].var, "age_band");
    assert_int_equal(w->terms[2].op, SP_WHERE_IN);
    assert_int_equal(w->terms[2].nvalues, 2);
    assert_string_equal(w->terms[2].values[1], "30-44");
}

static void
where_rejects_terms_without_an_operator_or_a_name(void **state)
{
    fixture_t *f = *state;
    static const char *const bad[] = { "wave", "=2025", "wave 2025", "a in ", " , ", "a b=1", NULL };
    sp_where_t *w;
    sp_error_t *err;
    int i;

    for (i = 0; bad[i]; i++) {
        err = NULL;
        assert_int_equal(sp_where_parse(bad[i], &w, f->pool, &err), SP_EXIT_USAGE);
        assert_non_null(err);
    }
}

static void
where_tests_values_as_text_and_empty_as_missing(void **state)
{
    fixture_t *f = *state;
    sp_where_t *w = NULL;
    sp_error_t *err = NULL;

    assert_int_equal(sp_where_parse("a=1,b!=,c in x|y", &w, f->pool, &err), SP_OK);
    assert_true(sp_where_term_test(&w->terms[0], "1", 1));
    assert_false(sp_where_term_test(&w->terms[0], "10", 2));
    assert_false(sp_where_term_test(&w->terms[0], "1.0", 3));
    assert_false(sp_where_term_test(&w->terms[1], "", 0));
    assert_true(sp_where_term_test(&w->terms[1], "z", 1));
    assert_true(sp_where_term_test(&w->terms[2], "y", 1));
    assert_false(sp_where_term_test(&w->terms[2], "xy", 2));
}

/* ---- level order ----------------------------------------------------------- */

static void
levels_sort_numerically_when_all_are_numbers(void **state)
{
    const char *v[] = { "10", "9", "-1", "2.5", "02" };
    const char *t[] = { "b", "10", "B", "a", "9" };

    (void)state;
    sp_scan_sort_levels(v, 5, 0);
    assert_string_equal(v[0], "-1");
    assert_string_equal(v[1], "02");
    assert_string_equal(v[2], "2.5");
    assert_string_equal(v[3], "9");
    assert_string_equal(v[4], "10");
    sp_scan_sort_levels(t, 5, 0);     /* one is not a number: bytes */
    assert_string_equal(t[0], "10");
    assert_string_equal(t[1], "9");
    assert_string_equal(t[2], "B");
    assert_string_equal(t[3], "a");
    assert_string_equal(t[4], "b");
}

/* ---- the workspace's chunks ------------------------------------------------ */

#define NRESP 70001   /* more than one chunk */

static sp_store_t *
workspace(fixture_t *f)
{
    sp_store_t *st = NULL;
    sp_error_t *err = NULL;
    char *path = apr_psprintf(f->pool, "%s/ws.db", f->dir);
    const char *sql =
        "BEGIN;"
        "INSERT INTO territory (id, code, name) VALUES (1, 't', 'T');"
        "INSERT INTO survey_wave (id, territory_id, code) VALUES (1, 1, '2025'), (2, 1, '2024');"
        "INSERT INTO neighbourhood (id, territory_id, name) VALUES (1, 1, 'Drouot-Barbanègre'), (2, 1, 'Rebberg');"
        "INSERT INTO indicator (id, code, component_code, label_fr, label_en, nlevels) "
        "  VALUES (1, 'h', 'A', 'Logement', 'Housing', 5);"
        "INSERT INTO survey_form (id, code, label_fr, label_en) VALUES (1, 'adults', 'A', 'A'), (2, 'kids', 'K', 'K');"
        "INSERT INTO form_item (form_id, position, name, indicator_id) VALUES "
        "  (1, 1, 'q01', 1), (1, 2, 'q02', 1), (2, 1, 'q02', 1), (2, 2, 'k01', 1);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 70001) "
        "INSERT INTO respondent (wave_id, form_id, pseudonym, neighbourhood_id, age_band, gender, "
        "  social_category, weight, levels) "
        "SELECT 1 + i % 2, 1 + (i % 7 = 0), randomblob(32), CASE WHEN i % 11 = 0 THEN NULL ELSE 1 + i % 2 END, "
        "  CASE i % 3 WHEN 0 THEN '18-29' WHEN 1 THEN '75+' ELSE NULL END, 'F', "
        "  'cat' || (i % 300), (i % 1000) / 7.0, "
        "  CASE WHEN i % 13 = 0 THEN x'00' ELSE CAST(char(1 + i % 5, i % 6) AS BLOB) END "
        "FROM n;"
        "COMMIT;";

    assert_int_equal(sp_store_open(&st, path, 0, f->pool, &err), SP_OK);
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        fail_msg("%s", sqlite3_errmsg(st->db));
    return st;
}

/* What SQL says respondent `row` (0-based, id order) has in column name. */
static const char *
sql_value(sp_store_t *st, const char *name, size_t row, apr_pool_t *pool)
{
    sqlite3_stmt *s;
    const char *out = "";
    const char *sql = apr_psprintf(pool,
        "SELECT CASE ?1 WHEN 'wave' THEN (SELECT code FROM survey_wave w WHERE w.id = r.wave_id) "
        " WHEN 'form' THEN (SELECT code FROM survey_form f WHERE f.id = r.form_id) "
        " WHEN 'neighbourhood' THEN (SELECT name FROM neighbourhood n WHERE n.id = r.neighbourhood_id) "
        " WHEN 'age_band' THEN age_band WHEN 'gender' THEN gender WHEN 'social_category' THEN social_category "
        " WHEN 'weight' THEN weight "
        " ELSE (SELECT hex(substr(r.levels, fi.position, 1)) FROM form_item fi "
        "       WHERE fi.form_id = r.form_id AND fi.name = ?1 AND fi.position <= length(r.levels)) END "
        "FROM respondent r ORDER BY id LIMIT 1 OFFSET ?2");

    assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)row);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    if (strcmp(name, "weight") == 0) {
        out = apr_psprintf(pool, "%.17g", sqlite3_column_double(s, 0));
    } else if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
        out = apr_pstrdup(pool, (const char *)sqlite3_column_text(s, 0));
        if (name[0] == 'q' || name[0] == 'k') {   /* items: a hex byte, 00 = missing */
            long v = strtol(out, NULL, 16);

            out = v ? apr_psprintf(pool, "%ld", v) : "";
        }
    }
    sqlite3_finalize(s);
    return out;
}

static const char *
col_value(const sp_column_t *c, size_t row, apr_pool_t *pool)
{
    unsigned code;

    if (c->width == 8)
        return apr_psprintf(pool, "%.17g", ((const double *)c->data)[row]);
    code = c->width == 1 ? ((const uint8_t *)c->data)[row] : ((const uint16_t *)c->data)[row];
    return code == 0 ? "" : c->values[code];
}

static void
colstore_reads_back_every_value_as_sql_sees_it(void **state)
{
    fixture_t *f = *state;
    sp_store_t *st = workspace(f);
    sp_error_t *err = NULL;
    const char **names;
    size_t n, nrows, k, row;
    int rebuilt = 0;
    static const size_t rows[] = { 0, 1, 6, 10, 12, 65535, 65536, 65537, 70000 };

    assert_int_equal(sp_colstore_refresh(st, &rebuilt, f->pool, &err), SP_OK);
    assert_int_equal(rebuilt, 1);
    assert_int_equal(sp_colstore_columns(st, &names, &n, &nrows, f->pool, &err), SP_OK);
    assert_int_equal(nrows, NRESP);
    assert_int_equal(n, 10);   /* 6 text, weight, k01 q01 q02 */
    assert_string_equal(names[7], "k01");
    for (k = 0; k < n; k++) {
        sp_column_t *c = NULL;

        assert_int_equal(sp_colstore_load(st, names[k], &c, f->pool, &err), SP_OK);
        assert_int_equal(c->nrows, NRESP);
        if (strcmp(names[k], "social_category") == 0)
            assert_int_equal(c->width, 2);   /* 300 values */
        for (row = 0; row < sizeof rows / sizeof rows[0]; row++)
            assert_string_equal(col_value(c, rows[row], f->pool),
                                sql_value(st, names[k], rows[row], f->pool));
    }
}

static void
colstore_rebuilds_only_after_the_rows_change(void **state)
{
    fixture_t *f = *state;
    sp_store_t *st = workspace(f);
    sp_error_t *err = NULL;
    sp_column_t *c = NULL;
    int rebuilt = -1;

    assert_int_equal(sp_colstore_refresh(st, &rebuilt, f->pool, &err), SP_OK);
    assert_int_equal(rebuilt, 1);
    assert_int_equal(sp_colstore_refresh(st, &rebuilt, f->pool, &err), SP_OK);
    assert_int_equal(rebuilt, 0);
    assert_int_equal(sqlite3_exec(st->db, "UPDATE respondent SET gender = 'X' WHERE id = 3", NULL,
                                  NULL, NULL), SQLITE_OK);
    assert_int_equal(sp_colstore_refresh(st, &rebuilt, f->pool, &err), SP_OK);
    assert_int_equal(rebuilt, 1);
    assert_int_equal(sp_colstore_load(st, "gender", &c, f->pool, &err), SP_OK);
    assert_string_equal(col_value(c, 2, f->pool), "X");
    assert_string_equal(col_value(c, 3, f->pool), "F");
    assert_int_equal(sp_colstore_load(st, "nosuch", &c, f->pool, &err), SP_EXIT_USAGE);
    /* chunks written in an older layout (marker data "") are rebuilt too */
    assert_int_equal(sp_colstore_refresh(st, &rebuilt, f->pool, &err), SP_OK);
    assert_int_equal(rebuilt, 0);
    assert_int_equal(sqlite3_exec(st->db, "UPDATE column_chunk SET data = x'' "
                                  "WHERE column_name = '#rows'", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sp_colstore_refresh(st, &rebuilt, f->pool, &err), SP_OK);
    assert_int_equal(rebuilt, 1);
    assert_int_equal(sp_colstore_refresh(st, &rebuilt, f->pool, &err), SP_OK);
    assert_int_equal(rebuilt, 0);
}

/* Chunk 0 holds rows 1..65536, chunk 1 the rest: per case, weights for
 * each chunk and the form each must be stored in ("{" fixed point with
 * that prefix, "[" dictionary, "" raw doubles). */
static const struct {
    const char *w0, *w1, *form0, *form1;
} weight_cases[] = {
    /* k / 7 needs 2^-54 at most (Python: max of Fraction(k / 7).denominator) */
    { "(id % 1000) / 7.0", "(id % 1000) / 1024.0", "{\"scale\":54}", "{\"scale\":10}" },
    { "(id % 200) / 3.0", "CASE id % 2 WHEN 0 THEN 1e9 ELSE (id % 1000) * 1e-15 END", "[", "" },
    { "CASE id % 2 WHEN 0 THEN 1e9 ELSE (id % 1000) * 1e-15 END", "(id % 1000) / 7.0", "",
      "{\"scale\":54}" },
};

static const char *
weight_form(sp_store_t *st, int chunk, apr_pool_t *pool)
{
    sqlite3_stmt *s;
    const char *out;

    assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT coalesce(dictionary, '') FROM column_chunk "
                                        "WHERE column_name = 'weight' AND chunk = ?", -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_int(s, 1, chunk);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    out = apr_pstrdup(pool, (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return out;
}

/* form "" wants "" exactly, else a prefix. */
static void
assert_form(const char *got, const char *want)
{
    if (*want ? strncmp(got, want, strlen(want)) != 0 : *got != '\0')
        fail_msg("weights stored as '%.40s', expected '%s'", got, want);
}

/* The respondents' neighbourhood, wave, age band and weight as a CSV file
 * (weights with 17 digits: the same doubles). */
static const char *
export_csv(fixture_t *f, sp_store_t *st)
{
    const char *path = apr_psprintf(f->pool, "%s/export.csv", f->dir);
    FILE *out = fopen(path, "w");
    sqlite3_stmt *s;

    assert_non_null(out);
    assert_int_equal(sqlite3_prepare_v2(st->db,
        "SELECT coalesce((SELECT name FROM neighbourhood n WHERE n.id = r.neighbourhood_id), ''), "
        "(SELECT code FROM survey_wave w WHERE w.id = r.wave_id), coalesce(age_band, ''), weight "
        "FROM respondent r ORDER BY id", -1, &s, NULL), SQLITE_OK);
    fputs("neighbourhood,wave,age_band,weight\n", out);
    while (sqlite3_step(s) == SQLITE_ROW)
        fprintf(out, "%s,%s,%s,%.17g\n", sqlite3_column_text(s, 0), sqlite3_column_text(s, 1),
                sqlite3_column_text(s, 2), sqlite3_column_double(s, 3));
    sqlite3_finalize(s);
    fclose(out);
    return path;
}

static sp_scan_result_t *
scan_weighted(fixture_t *f, sp_scan_source_t *src, size_t nkeys)
{
    static const char *const keys[3] = { "neighbourhood", "wave", "age_band" };
    sp_scan_result_t *r = NULL;
    sp_error_t *err = NULL;
    sp_scan_request_t req;

    memset(&req, 0, sizeof req);
    req.keys = keys;
    req.nkeys = nkeys;
    req.weight = "weight";
    if (sp_scan_run(src, &req, &r, f->pool, &err) != SP_OK)
        fail_msg("%s", err->message);
    return r;
}

/* Whatever form a chunk's weights are stored in, a workspace scan gives
 * the same weighted totals, bit for bit, as a scan of the same rows as CSV
 * (which sums the doubles as written); one shape takes the J1 fast path,
 * the other the general one. */
static void
colstore_weights_in_every_stored_form_sum_like_the_same_csv(void **state)
{
    fixture_t *f = *state;
    sp_store_t *st = workspace(f);
    size_t c, nkeys, i;
    int threads;

    for (c = 0; c < sizeof weight_cases / sizeof weight_cases[0]; c++) {
        char *sql = apr_psprintf(f->pool, "UPDATE respondent SET weight = CASE WHEN id <= 65536 "
                                 "THEN %s ELSE %s END", weight_cases[c].w0, weight_cases[c].w1);
        sp_scan_source_t *ws = NULL, *csv = NULL;
        sp_error_t *err = NULL;
        sqlite3_stmt *s;
        double total = 0, sql_total;

        assert_int_equal(sqlite3_exec(st->db, sql, NULL, NULL, NULL), SQLITE_OK);
        assert_int_equal(sp_scan_open_store(&ws, st, f->pool, &err), SP_OK);
        assert_form(weight_form(st, 0, f->pool), weight_cases[c].form0);
        assert_form(weight_form(st, 1, f->pool), weight_cases[c].form1);
        assert_int_equal(sp_scan_open_csv(&csv, export_csv(f, st), NULL, 0, f->pool, &err), SP_OK);
        /* two threads take a chunk each; one thread reads both in turn */
        for (nkeys = 2; nkeys <= 3; nkeys++)
            for (threads = 1; threads <= 2; threads++) {
                sp_scan_result_t *a, *b = scan_weighted(f, csv, nkeys);

                sp_scan_set_threads(ws, threads);
                a = scan_weighted(f, ws, nkeys);
                assert_int_equal(a->ncells, b->ncells);
                assert_memory_equal(a->n, b->n, a->ncells * sizeof(double));
                assert_memory_equal(a->w, b->w, a->ncells * sizeof(double));
                if (nkeys == 2 && threads == 1)
                    for (i = 0; i < a->ncells; i++)
                        total += a->w[i];
            }
        /* and the totals are the weights' (SQLite sums in double) */
        assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT sum(weight) FROM respondent",
                                            -1, &s, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        sql_total = sqlite3_column_double(s, 0);
        sqlite3_finalize(s);
        assert_true(fabs(total - sql_total) <= 1e-12 * sql_total);
    }
}

/* ---- scans -------------------------------------------------------------------- */

#define NA 4
#define NB 3
static const char *const avals[NA] = { "Drouot-Barbanègre", "Rebberg", "Coteaux", "Briand" };
static const char *const bvals[NB] = { "1", "2", "10" };

/* Writes nrows random rows a,b,w,c and the naive totals by (a, b) with a
 * and b both present and c != "no"; quoted puts quotes around some a. */
static const char *
write_csv(fixture_t *f, const char *name, long nrows, int quoted, double *n, double *w)
{
    const char *path = apr_psprintf(f->pool, "%s/%s", f->dir, name);
    FILE *out = fopen(path, "w");
    unsigned seed = 7;
    long i;

    assert_non_null(out);
    fprintf(out, "a,b,w,c\n");
    memset(n, 0, sizeof(double) * (NA + 1) * (NB + 1));
    memset(w, 0, sizeof(double) * (NA + 1) * (NB + 1));
    for (i = 0; i < nrows; i++) {
        int a = (int)(rand_r(&seed) % (NA + 1)) - 1;   /* -1 = missing */
        int b = (int)(rand_r(&seed) % (NB + 1)) - 1;
        int keep = rand_r(&seed) % 5 != 0;
        double wt = (double)(rand_r(&seed) % 100000) / 1000.0;

        fprintf(out, quoted && i % 3 == 0 && a >= 0 ? "\"%s\",%s,%.3f,%s\n" : "%s,%s,%.3f,%s\n",
                a >= 0 ? avals[a] : "", b >= 0 ? bvals[b] : "", wt, keep ? "yes" : "no");
        if (a >= 0 && b >= 0 && keep) {
            n[a * (NB + 1) + b] += 1;
            w[a * (NB + 1) + b] += wt;
        }
    }
    fclose(out);
    return path;
}

static void
check_scan(fixture_t *f, const char *path, int threads, const double *n, const double *w,
           int expect_fast)
{
    sp_scan_source_t *src = NULL;
    sp_scan_result_t *r = NULL;
    sp_error_t *err = NULL;
    sp_where_t *where = NULL;
    sp_scan_request_t req;
    const char *keys[2] = { "a", "b" };
    size_t ia, ib;
    int a, b;

    assert_int_equal(sp_where_parse("c!=no", &where, f->pool, &err), SP_OK);
    assert_int_equal(sp_scan_open_csv(&src, path, NULL, 0, f->pool, &err), SP_OK);
    sp_scan_set_threads(src, threads);
    memset(&req, 0, sizeof req);
    req.keys = keys;
    req.nkeys = 2;
    req.weight = "w";
    req.where = where;
    assert_int_equal(sp_scan_run(src, &req, &r, f->pool, &err), SP_OK);
    assert_int_equal(r->fast_path, expect_fast);
    assert_int_equal(r->threads, expect_fast ? threads : 1);
    assert_int_equal(r->key[0].nlevels, NA);
    assert_int_equal(r->key[1].nlevels, NB);
    /* Levels: a by bytes, b numerically. */
    assert_string_equal(r->key[0].value[1], "Briand");
    assert_string_equal(r->key[1].value[3], "10");
    for (a = 0; a < NA; a++)
        for (b = 0; b < NB; b++) {
            for (ia = 1; strcmp(r->key[0].value[ia], avals[a]) != 0; ia++)
                ;
            for (ib = 1; strcmp(r->key[1].value[ib], bvals[b]) != 0; ib++)
                ;
            assert_true(r->n[ia * (NB + 1) + ib] == n[a * (NB + 1) + b]);
            assert_true(fabs(r->w[ia * (NB + 1) + ib] - w[a * (NB + 1) + b])
                        <= 1e-9 * w[a * (NB + 1) + b]);
        }
}

static void
scan_of_an_unquoted_csv_matches_a_naive_count(void **state)
{
    fixture_t *f = *state;
    double n[(NA + 1) * (NB + 1)], w[(NA + 1) * (NB + 1)];
    const char *path = write_csv(f, "plain.csv", 120000, 0, n, w);  /* > 1 MiB: two ranges */

    check_scan(f, path, 2, n, w, 1);
    check_scan(f, path, 1, n, w, 1);
}

static void
scan_of_a_quoted_csv_goes_through_sp_csv_with_the_same_totals(void **state)
{
    fixture_t *f = *state;
    double n[(NA + 1) * (NB + 1)], w[(NA + 1) * (NB + 1)];
    const char *path = write_csv(f, "quoted.csv", 120000, 1, n, w);

    check_scan(f, path, 2, n, w, 0);
}

static void
scan_reports_a_negative_weight_with_its_line_and_column(void **state)
{
    fixture_t *f = *state;
    const char *path = apr_psprintf(f->pool, "%s/neg.csv", f->dir);
    FILE *out = fopen(path, "w");
    sp_scan_source_t *src = NULL;
    sp_scan_result_t *r = NULL;
    sp_error_t *err = NULL;
    sp_scan_request_t req;
    const char *keys[1] = { "a" };

    fputs("a,w\nx,1\ny,2.5\nz,-1\n", out);
    fclose(out);
    assert_int_equal(sp_scan_open_csv(&src, path, NULL, 0, f->pool, &err), SP_OK);
    memset(&req, 0, sizeof req);
    req.keys = keys;
    req.nkeys = 1;
    req.weight = "w";
    assert_int_equal(sp_scan_run(src, &req, &r, f->pool, &err), SP_EXIT_DATA);
    assert_int_equal(err->line, 4);
    assert_int_equal(err->column, 2);
    req.weight = "nosuch";
    assert_int_equal(sp_scan_run(src, &req, &r, f->pool, &err), SP_EXIT_USAGE);
    assert_non_null(strstr(err->message, "known variables: a, w"));
}

/* ---- labels from the workspace --------------------------------------------- */

/* Two indicators; item q01 is on both forms (form 2 with the other
 * indicator, so the lowest form id must win); gender has value labels and
 * q01 value "9" has one that beats the (absent) level 9. */
static void
labels_come_from_value_label_then_the_item_indicator_of_the_first_form(void **state)
{
    fixture_t *f = *state;
    sp_store_t *st = NULL;
    sp_error_t *err = NULL;
    char *path = apr_psprintf(f->pool, "%s/labels.db", f->dir);
    const char *sql =
        "INSERT INTO indicator (id, code, component_code, label_fr, label_en, nlevels, bad_at_most) "
        "  VALUES (1, 'h', 'A', 'Logement', 'Housing', 3, 1), (2, 'w', 'B', 'Travail', 'Work', 3, 2);"
        "INSERT INTO indicator_level VALUES (1, 1, 'mauvais', 'bad'), (1, 3, 'bon', 'good'), "
        "  (2, 1, 'nul', 'none'), (2, 2, 'peu', 'little');"
        "INSERT INTO survey_form (id, code, label_fr, label_en) VALUES (1, 'a', 'A', 'A'), (2, 'b', 'B', 'B');"
        "INSERT INTO form_item (form_id, position, name, indicator_id) VALUES "
        "  (2, 1, 'q01', 2), (1, 1, 'q01', 1), (2, 2, 'q02', 2);"
        "INSERT INTO value_label VALUES ('gender', 'F', 'Femmes', 'Women'), ('q01', '9', 'NSP', 'DK');";

    assert_int_equal(sp_store_open(&st, path, 0, f->pool, &err), SP_OK);
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        fail_msg("%s", sqlite3_errmsg(st->db));
    assert_string_equal(sp_scan_value_label(st, 0, "gender", "F", f->pool), "Women");
    assert_string_equal(sp_scan_value_label(st, 1, "gender", "F", f->pool), "Femmes");
    assert_null(sp_scan_value_label(st, 0, "gender", "M", f->pool));
    assert_string_equal(sp_scan_value_label(st, 0, "q01", "1", f->pool), "bad");
    assert_string_equal(sp_scan_value_label(st, 1, "q01", "3", f->pool), "bon");
    assert_string_equal(sp_scan_value_label(st, 0, "q01", "9", f->pool), "DK");
    /* form 1's indicator has no level 2: the next form's item gives one */
    assert_string_equal(sp_scan_value_label(st, 0, "q01", "2", f->pool), "little");
    assert_null(sp_scan_value_label(st, 0, "q01", "4", f->pool));     /* no such level */
    assert_null(sp_scan_value_label(st, 0, "q01", "1.0", f->pool));   /* not an integer */
    assert_null(sp_scan_value_label(st, 0, "q01", "", f->pool));      /* missing */
    assert_string_equal(sp_scan_value_label(st, 0, "q02", "2", f->pool), "little");
    assert_null(sp_scan_value_label(NULL, 0, "gender", "F", f->pool));
    assert_string_equal(sp_scan_var_label(st, 1, "q01", f->pool), "Logement");
    assert_string_equal(sp_scan_var_label(st, 0, "q02", f->pool), "Work");
    assert_null(sp_scan_var_label(st, 0, "gender", f->pool));
    assert_null(sp_scan_var_label(NULL, 0, "q01", f->pool));
    assert_int_equal(sp_scan_bad_at_most(st, "q01"), 1);
    assert_int_equal(sp_scan_bad_at_most(st, "q02"), 2);
    assert_int_equal(sp_scan_bad_at_most(st, "gender"), -1);
    assert_int_equal(sp_scan_bad_at_most(NULL, "q01"), -1);
    assert_string_equal(sp_scan_missing_label(1), "(manquant)");
    assert_string_equal(sp_scan_missing_label(0), "(missing)");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(where_parses_equal_not_equal_and_in, setup, teardown),
        cmocka_unit_test_setup_teardown(where_rejects_terms_without_an_operator_or_a_name, setup, teardown),
        cmocka_unit_test_setup_teardown(where_tests_values_as_text_and_empty_as_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(levels_sort_numerically_when_all_are_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(colstore_reads_back_every_value_as_sql_sees_it, setup, teardown),
        cmocka_unit_test_setup_teardown(colstore_rebuilds_only_after_the_rows_change, setup, teardown),
        cmocka_unit_test_setup_teardown(colstore_weights_in_every_stored_form_sum_like_the_same_csv,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(scan_of_an_unquoted_csv_matches_a_naive_count, setup, teardown),
        cmocka_unit_test_setup_teardown(scan_of_a_quoted_csv_goes_through_sp_csv_with_the_same_totals, setup, teardown),
        cmocka_unit_test_setup_teardown(scan_reports_a_negative_weight_with_its_line_and_column, setup, teardown),
        cmocka_unit_test_setup_teardown(labels_come_from_value_label_then_the_item_indicator_of_the_first_form,
                                        setup, teardown),
    };
    int rc;

    apr_initialize();
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_terminate();
    return rc;
}
