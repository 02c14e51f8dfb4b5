/*
 * test_ledger.c -- the double-entry ledgers (core/sp_ledger.c): balances,
 * quarterly statements, posting with its refusals, and the check of the
 * books on sound and on corrupted workspaces.
 *
 * The fixture below is small enough to work out on paper; the expected
 * numbers beside each test were computed by hand from it:
 *   time:  T1 2026-01-10 bob -> anne 2 (jardinage); T2 2026-02-01 anne ->
 *          zoo 1.5 (animation); T3 2026-04-02 anne -> proj 0.5 (projet)
 *          => anne 2 - 1.5 - 0.5 = 0, bob -2, zoo 1.5, proj 0.5, bank 0.
 *   fund:  T4 2026-03-31 fonds -> jardin 200 => fonds -200, jardin 200.
 *   goods: T5 2026-07-01 dons -> recyc 12 (meubles); T6 2026-08-15 recyc ->
 *          anne-g 5 (meubles) => dons -12, recyc 7, anne-g 5.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "sp_test.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "sp_ledger.h"

static const char fixture_sql[] =
    "INSERT INTO ledger_account (id, ledger, code, kind, min_balance, max_balance) VALUES "
    " (1, 'time', 'anne', 'member', 0, NULL), (2, 'time', 'bob', 'member', -2, NULL),"
    " (3, 'time', 'zoo', 'organisation', 0, 5), (4, 'time', 'proj', 'territory', 0, NULL),"
    " (5, 'time', 'bank', 'territory', -100, NULL),"
    " (6, 'fund', 'fonds', 'territory', -1000, NULL), (7, 'fund', 'jardin', 'project', 0, NULL),"
    " (8, 'goods', 'dons', 'territory', -50, NULL), (9, 'goods', 'recyc', 'place', 0, NULL),"
    " (10, 'goods', 'anne-g', 'member', 0, NULL);"
    "INSERT INTO ledger_transfer (id, ledger, occurred_on, quarter, category) VALUES"
    " (1, 'time', '2026-01-10', '2026-Q1', 'jardinage'),"
    " (2, 'time', '2026-02-01', '2026-Q1', 'animation'),"
    " (3, 'time', '2026-04-02', '2026-Q2', 'projet'),"
    " (4, 'fund', '2026-03-31', '2026-Q1', ''),"
    " (5, 'goods', '2026-07-01', '2026-Q3', 'meubles'),"
    " (6, 'goods', '2026-08-15', '2026-Q3', 'meubles');"
    "INSERT INTO ledger_movement (transfer_id, account_id, amount) VALUES"
    " (1, 2, -2), (1, 1, 2), (2, 1, -1.5), (2, 3, 1.5), (3, 1, -0.5), (3, 4, 0.5),"
    " (4, 6, -200), (4, 7, 200), (5, 8, -12), (5, 9, 12), (6, 9, -5), (6, 10, 5);";

/* cmocka's float comparison converts to float: compare doubles here. */

typedef struct fixture_t {
    apr_pool_t *pool;
    sp_store_t *store;
} fixture_t;

static int
setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    sp_error_t *err = NULL;

    apr_pool_create(&f->pool, NULL);
    assert_int_equal(sp_store_open(&f->store, ":memory:", 0, f->pool, &err), SP_OK);
    assert_int_equal(sp_store_exec(f->store, fixture_sql, f->pool, &err), SP_OK);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture_t *f = *state;

    apr_pool_destroy(f->pool);
    free(f);
    return 0;
}

/* Every row of the three ledger tables, to prove a refusal changed nothing. */
static char *
snapshot(fixture_t *f)
{
    static const char *const sql[] = {
        "SELECT group_concat(id || ledger || code || min_balance || ifnull(max_balance, '-'), ';') "
        "FROM ledger_account",
        "SELECT group_concat(id || ledger || occurred_on || quarter || category || memo, ';') "
        "FROM ledger_transfer",
        "SELECT group_concat(transfer_id || ':' || account_id || '=' || amount, ';') "
        "FROM ledger_movement"
    };
    char *out = "";
    int i;

    for (i = 0; i < 3; i++) {
        sqlite3_stmt *s;

        assert_int_equal(sqlite3_prepare_v2(f->store->db, sql[i], -1, &s, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        out = apr_pstrcat(f->pool, out, "|", sqlite3_column_text(s, 0), NULL);
        sqlite3_finalize(s);
    }
    return out;
}

static const json_t *
account(const json_t *balances, const char *ledger, const char *code)
{
    const json_t *a;
    size_t i;

    json_array_foreach(json_object_get(balances, "accounts"), i, a)
        if (strcmp(json_string_value(json_object_get(a, "ledger")), ledger) == 0
            && strcmp(json_string_value(json_object_get(a, "code")), code) == 0)
            return a;
    fail_msg("no account %s:%s", ledger, code);
    return NULL;
}

static double
balance(const json_t *balances, const char *ledger, const char *code)
{
    return json_real_value(json_object_get(account(balances, ledger, code), "balance"));
}

static void
quarters_are_read_and_written_as_calendar_quarters(void **state)
{
    char q[16], first[11], next[11];

    (void)state;
    assert_int_equal(sp_ledger_quarter_of("2026-05-31", q, sizeof q), 0);
    assert_string_equal(q, "2026-Q2");
    assert_int_equal(sp_ledger_quarter_of("2026-12-01", q, sizeof q), 0);
    assert_string_equal(q, "2026-Q4");
    assert_int_equal(sp_ledger_quarter_of("2026-02-30", q, sizeof q), -1);
    assert_int_equal(sp_ledger_quarter_range("2026-Q4", first, next), 0);
    assert_string_equal(first, "2026-10-01");
    assert_string_equal(next, "2027-01-01");
    assert_int_equal(sp_ledger_quarter_range("2026-Q2", first, next), 0);
    assert_string_equal(first, "2026-04-01");
    assert_string_equal(next, "2026-07-01");
    assert_int_equal(sp_ledger_quarter_range("2026-Q5", first, next), -1);
    assert_int_equal(sp_ledger_quarter_range("26-Q1", first, next), -1);
}

static void
balances_are_the_hand_computed_sums_and_each_ledger_totals_zero(void **state)
{
    fixture_t *f = *state;
    sp_error_t *err = NULL;
    json_t *b;

    assert_int_equal(sp_ledger_balances(f->store, NULL, NULL, &b, f->pool, &err), SP_OK);
    assert_int_equal(json_array_size(json_object_get(b, "accounts")), 10);
    assert_near(balance(b, "time", "anne"), 0, 1e-12);
    assert_near(balance(b, "time", "bob"), -2, 1e-12);
    assert_near(balance(b, "time", "zoo"), 1.5, 1e-12);
    assert_near(balance(b, "time", "proj"), 0.5, 1e-12);
    assert_near(balance(b, "fund", "fonds"), -200, 1e-12);
    assert_near(balance(b, "fund", "jardin"), 200, 1e-12);
    assert_near(balance(b, "goods", "recyc"), 7, 1e-12);
    assert_near(balance(b, "goods", "anne-g"), 5, 1e-12);
    assert_near(json_real_value(json_object_get(json_object_get(b, "totals"), "time")),
                        0, 1e-12);
    assert_near(json_real_value(json_object_get(json_object_get(b, "totals"), "goods")),
                        0, 1e-12);
    assert_string_equal(json_string_value(json_object_get(account(b, "fund", "fonds"), "unit")),
                        "EUR");
}

static void
balances_at_a_date_count_only_transfers_on_or_before_it(void **state)
{
    fixture_t *f = *state;
    sp_error_t *err = NULL;
    json_t *b;

    /* On 2026-02-01: T1 and T2 only: anne 2 - 1.5 = 0.5, proj 0. */
    assert_int_equal(sp_ledger_balances(f->store, "time", "2026-02-01", &b, f->pool, &err), SP_OK);
    assert_int_equal(json_array_size(json_object_get(b, "accounts")), 5);
    assert_near(balance(b, "time", "anne"), 0.5, 1e-12);
    assert_near(balance(b, "time", "zoo"), 1.5, 1e-12);
    assert_near(balance(b, "time", "proj"), 0, 1e-12);
    assert_int_equal(sp_ledger_balances(f->store, "money", NULL, &b, f->pool, &err),
                     SP_EXIT_USAGE);
    assert_int_equal(sp_ledger_balances(f->store, NULL, "2026-13-01", &b, f->pool, &err),
                     SP_EXIT_USAGE);
}

static const json_t *
statement_account(const json_t *st, const char *code)
{
    const json_t *a;
    size_t i;

    json_array_foreach(json_object_get(st, "accounts"), i, a)
        if (strcmp(json_string_value(json_object_get(a, "code")), code) == 0)
            return a;
    return NULL;
}

static void
assert_line(const json_t *a, double opening, double received, double given, double closing)
{
    assert_non_null(a);
    assert_near(json_real_value(json_object_get(a, "opening")), opening, 1e-12);
    assert_near(json_real_value(json_object_get(a, "received")), received, 1e-12);
    assert_near(json_real_value(json_object_get(a, "given")), given, 1e-12);
    assert_near(json_real_value(json_object_get(a, "closing")), closing, 1e-12);
}

static void
a_quarterly_statement_opens_with_the_previous_closing(void **state)
{
    fixture_t *f = *state;
    sp_error_t *err = NULL;
    const json_t *st;
    json_t *s;

    /* 2026-Q1, time: T1 and T2, volume 2 + 1.5 = 3.5. */
    assert_int_equal(sp_ledger_statement(f->store, "time", "2026-Q1", &s, f->pool, &err), SP_OK);
    assert_int_equal(json_array_size(json_object_get(s, "statements")), 1);
    st = json_array_get(json_object_get(s, "statements"), 0);
    assert_int_equal(json_integer_value(json_object_get(st, "transfers")), 2);
    assert_near(json_real_value(json_object_get(st, "volume")), 3.5, 1e-12);
    assert_line(statement_account(st, "anne"), 0, 2, 1.5, 0.5);
    assert_line(statement_account(st, "bob"), 0, 0, 2, -2);
    assert_line(statement_account(st, "zoo"), 0, 1.5, 0, 1.5);
    assert_null(statement_account(st, "proj"));   /* nothing yet */
    assert_int_equal(json_array_size(json_object_get(st, "by_category")), 2);

    /* 2026-Q2: T3; bob shows with his opening -2 though he did nothing. */
    assert_int_equal(sp_ledger_statement(f->store, "time", "2026-Q2", &s, f->pool, &err), SP_OK);
    st = json_array_get(json_object_get(s, "statements"), 0);
    assert_int_equal(json_integer_value(json_object_get(st, "transfers")), 1);
    assert_line(statement_account(st, "anne"), 0.5, 0, 0.5, 0);
    assert_line(statement_account(st, "bob"), -2, 0, 0, -2);
    assert_line(statement_account(st, "proj"), 0, 0.5, 0, 0.5);
}

static void
statements_without_a_quarter_cover_every_quarter_with_transfers(void **state)
{
    fixture_t *f = *state;
    sp_error_t *err = NULL;
    const json_t *st, *cat;
    json_t *s;

    /* time Q1, time Q2, fund Q1, goods Q3. */
    assert_int_equal(sp_ledger_statement(f->store, NULL, NULL, &s, f->pool, &err), SP_OK);
    assert_int_equal(json_array_size(json_object_get(s, "statements")), 4);
    st = json_array_get(json_object_get(s, "statements"), 3);
    assert_string_equal(json_string_value(json_object_get(st, "ledger")), "goods");
    assert_string_equal(json_string_value(json_object_get(st, "quarter")), "2026-Q3");
    assert_near(json_real_value(json_object_get(st, "volume")), 17, 1e-12);
    cat = json_array_get(json_object_get(st, "by_category"), 0);
    assert_string_equal(json_string_value(json_object_get(cat, "category")), "meubles");
    assert_int_equal(json_integer_value(json_object_get(cat, "transfers")), 2);
    assert_line(statement_account(st, "recyc"), 0, 12, 5, 7);
    assert_int_equal(sp_ledger_statement(f->store, NULL, "2026Q1", &s, f->pool, &err),
                     SP_EXIT_USAGE);
}

static void
a_posted_transfer_is_two_movements_that_sum_to_zero(void **state)
{
    fixture_t *f = *state;
    sp_ledger_transfer_t t = {"time", "2026-05-02", "zoo", "anne", 1.25, "animation", "retour", 0};
    sp_error_t *err = NULL;
    sqlite3_int64 id = 0;
    json_t *b;

    assert_int_equal(sp_ledger_post(f->store, &t, &id, f->pool, &err), SP_OK);
    assert_int_equal(id, 7);
    assert_int_equal(sp_ledger_balances(f->store, "time", NULL, &b, f->pool, &err), SP_OK);
    assert_near(balance(b, "time", "zoo"), 0.25, 1e-12);
    assert_near(balance(b, "time", "anne"), 1.25, 1e-12);
    assert_int_equal(sp_ledger_statement(f->store, "time", "2026-Q2", &b, f->pool, &err), SP_OK);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(b,
                         "statements"), 0), "transfers")), 2);
}

/* Post t, expect a refusal with message, and an unchanged workspace. */
static void
refused(fixture_t *f, sp_ledger_transfer_t t, const char *message)
{
    sp_error_t *err = NULL;
    char *before = snapshot(f);

    assert_int_equal(sp_ledger_post(f->store, &t, NULL, f->pool, &err), SP_EXIT_DATA);
    assert_non_null(err);
    assert_string_equal(err->message, message);
    assert_string_equal(snapshot(f), before);
}

static void
a_transfer_naming_an_unknown_account_is_refused(void **state)
{
    sp_ledger_transfer_t t = {"time", "2026-05-02", "zed", "anne", 1, NULL, NULL, 0};

    refused(*state, t, "from: unknown account 'zed' in the time ledger");
    t.from = "anne";
    t.to = "fonds";  /* exists, but in the fund ledger */
    refused(*state, t, "to: unknown account 'fonds' in the time ledger");
}

static void
a_zero_or_negative_amount_is_refused(void **state)
{
    sp_ledger_transfer_t t = {"time", "2026-05-02", "zoo", "anne", 0, NULL, NULL, 0};

    refused(*state, t, "amount: '0' is not valid: amount must be positive");
    t.amount = -3;
    refused(*state, t, "amount: '-3' is not valid: amount must be positive");
    t.amount = NAN;
    refused(*state, t, "amount: 'nan' is not valid: amount must be positive");
}

static void
a_transfer_to_itself_a_bad_date_or_ledger_is_refused(void **state)
{
    sp_ledger_transfer_t t = {"time", "2026-05-02", "zoo", "zoo", 1, NULL, NULL, 0};

    refused(*state, t, "to: a transfer from account 'zoo' to itself");
    t.to = "anne";
    t.date = "2026-02-29";
    refused(*state, t, "date: '2026-02-29' is not a valid date (YYYY-MM-DD)");
    t.date = "2026-05-02";
    t.ledger = "money";
    refused(*state, t, "ledger: unknown ledger 'money' (time, fund or goods)");
}

static void
an_overdraft_past_the_floor_is_refused(void **state)
{
    /* bob is at -2, his floor. */
    sp_ledger_transfer_t t = {"time", "2026-05-02", "bob", "anne", 1, NULL, NULL, 0};

    refused(*state, t, "overdraft: account bob would reach -3 h, its limit is -2");
    /* fund: jardin holds 200 */
    t.ledger = "fund";
    t.from = "jardin";
    t.to = "fonds";
    t.amount = 200.5;
    refused(*state, t, "overdraft: account jardin would reach -0.5 EUR, its limit is 0");
}

static void
a_balance_past_the_ceiling_is_refused(void **state)
{
    /* zoo holds 1.5 with a ceiling of 5. */
    sp_ledger_transfer_t t = {"time", "2026-05-02", "bank", "zoo", 4, NULL, NULL, 0};

    refused(*state, t, "account zoo would reach 5.5 h, above its maximum of 5");
}

static void
a_backdated_transfer_that_overdraws_a_later_date_is_refused(void **state)
{
    /* On 2026-01-20 anne holds 2: giving 1 leaves 1, but T2 takes 1.5 on
     * 2026-02-01: -0.5 then. */
    sp_ledger_transfer_t t = {"time", "2026-01-20", "anne", "bob", 1, NULL, NULL, 0};

    refused(*state, t, "overdraft: account anne would reach -0.5 h on 2026-02-01, its limit is 0");
    /* Before T1 anne holds nothing at all. */
    t.date = "2026-01-05";
    t.amount = 0.5;
    refused(*state, t, "overdraft: account anne would reach -0.5 h, its limit is 0");
}

static void
a_refusal_inside_a_transaction_leaves_the_rest_of_it_alone(void **state)
{
    fixture_t *f = *state;
    sp_ledger_transfer_t good = {"goods", "2026-09-01", "dons", "recyc", 3, "livres", NULL, 0};
    sp_ledger_transfer_t bad = {"goods", "2026-09-02", "recyc", "anne-g", 11, "livres", NULL, 0};
    sp_error_t *err = NULL;
    json_t *b;

    assert_int_equal(sp_store_begin(f->store, f->pool, &err), SP_OK);
    assert_int_equal(sp_ledger_post(f->store, &good, NULL, f->pool, &err), SP_OK);
    /* recyc holds 7 + 3 = 10: 11 is one too many. */
    assert_int_equal(sp_ledger_post(f->store, &bad, NULL, f->pool, &err), SP_EXIT_DATA);
    assert_string_equal(err->message,
                        "overdraft: account recyc would reach -1 unit(s), its limit is 0");
    assert_int_equal(sp_store_commit(f->store, f->pool, &err), SP_OK);
    assert_int_equal(sp_ledger_balances(f->store, "goods", NULL, &b, f->pool, &err), SP_OK);
    assert_near(balance(b, "goods", "recyc"), 10, 1e-12);
    assert_near(balance(b, "goods", "anne-g"), 5, 1e-12);
}

static void
sound_books_pass_the_check(void **state)
{
    fixture_t *f = *state;
    sp_error_t *err = NULL;
    long n = -1;
    json_t *c;

    assert_int_equal(sp_ledger_check(f->store, &c, &n, f->pool, &err), SP_OK);
    assert_int_equal(n, 0);
    assert_true(json_is_true(json_object_get(c, "ok")));
    assert_int_equal(json_integer_value(json_object_get(c, "transfers")), 6);
    assert_int_equal(json_integer_value(json_object_get(c, "movements")), 12);
    assert_int_equal(json_integer_value(json_object_get(c, "accounts")), 10);
}

/* Run the check and expect exactly the messages given, in order. */
static void
check_finds(fixture_t *f, const char *corruption, const char *const *messages, size_t n)
{
    sp_error_t *err = NULL;
    long count = -1;
    json_t *c;
    size_t i;

    assert_int_equal(sp_store_exec(f->store, corruption, f->pool, &err), SP_OK);
    assert_int_equal(sp_ledger_check(f->store, &c, &count, f->pool, &err), SP_OK);
    assert_int_equal(count, (long)n);
    assert_false(json_is_true(json_object_get(c, "ok")));
    for (i = 0; i < n; i++)
        assert_string_equal(json_string_value(json_object_get(
                                json_array_get(json_object_get(c, "problems"), i), "message")),
                            messages[i]);
}

static void
the_check_finds_a_transfer_that_does_not_sum_to_zero(void **state)
{
    /* T2 gives 1.5 but zoo receives 2: the sum is 0.5, zoo ends at 2. */
    static const char *const m[] = {"transfer 2: movements sum to 0.5, not 0"};

    check_finds(*state, "UPDATE ledger_movement SET amount = 2 WHERE transfer_id = 2 "
                "AND account_id = 3", m, 1);
}

static void
the_check_finds_a_lone_movement_and_a_wrong_quarter(void **state)
{
    static const char *const m[] = {
        "transfer 4: 1 movement(s); a transfer needs at least two",
        "transfer 4: movements sum to -200, not 0",
        "transfer 5: quarter '2026-Q2' does not match its date 2026-07-01 (2026-Q3)"};

    check_finds(*state, "DELETE FROM ledger_movement WHERE transfer_id = 4 AND account_id = 7;"
                "UPDATE ledger_transfer SET quarter = '2026-Q2' WHERE id = 5", m, 3);
}

static void
the_check_finds_accounts_of_another_ledger_or_missing(void **state)
{
    /* With foreign keys off, T6's receiving movement moves to jardin (fund),
     * T5's to an account that does not exist, and transfer 42 has movements
     * but no row.  Replaying what remains, recyc only gives 5 (T6): -5. */
    static const char *const m[] = {
        "transfer 5: movement on account id 99, which does not exist",
        "transfer 6 (goods ledger): movement on account 'jardin' of the fund ledger",
        "movement on account 'zoo' refers to transfer 42, which does not exist",
        "movement on account 'bank' refers to transfer 42, which does not exist",
        "transfer 6 (2026-08-15): account 'recyc' reaches -5 unit(s), below its floor of 0"};

    check_finds(*state, "PRAGMA foreign_keys = OFF;"
                "UPDATE ledger_movement SET account_id = 7 WHERE transfer_id = 6 AND amount = 5;"
                "UPDATE ledger_movement SET account_id = 99 WHERE transfer_id = 5 AND amount = 12;"
                "INSERT INTO ledger_movement VALUES (42, 3, 1), (42, 5, -1);", m, 5);
}

static void
the_check_replays_balances_in_date_order(void **state)
{
    /* A transfer slipped in with SQL, dated before anne had anything: anne
     * goes -1 (T7, 01-05), 1 (T1), -0.5 (T2), -1 (T3): out at T7, back in,
     * out again at T2 and still out at T3, which is not reported again.
     * bank -> zoo 4 on 2026-03-01 takes zoo to 5.5, over its ceiling of 5. */
    static const char *const m[] = {
        "transfer 7 (2026-01-05): account 'anne' reaches -1 h, below its floor of 0",
        "transfer 2 (2026-02-01): account 'anne' reaches -0.5 h, below its floor of 0",
        "transfer 8 (2026-03-01): account 'zoo' reaches 5.5 h, above its ceiling of 5"};

    check_finds(*state,
                "INSERT INTO ledger_transfer (id, ledger, occurred_on, quarter) VALUES "
                " (7, 'time', '2026-01-05', '2026-Q1'), (8, 'time', '2026-03-01', '2026-Q1');"
                "INSERT INTO ledger_movement VALUES (7, 1, -1), (7, 2, 1), (8, 5, -4), (8, 3, 4)",
                m, 3);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quarters_are_read_and_written_as_calendar_quarters),
        cmocka_unit_test_setup_teardown(balances_are_the_hand_computed_sums_and_each_ledger_totals_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(balances_at_a_date_count_only_transfers_on_or_before_it, setup, teardown),
        cmocka_unit_test_setup_teardown(a_quarterly_statement_opens_with_the_previous_closing, setup, teardown),
        cmocka_unit_test_setup_teardown(statements_without_a_quarter_cover_every_quarter_with_transfers, setup, teardown),
        cmocka_unit_test_setup_teardown(a_posted_transfer_is_two_movements_that_sum_to_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(a_transfer_naming_an_unknown_account_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(a_zero_or_negative_amount_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(a_transfer_to_itself_a_bad_date_or_ledger_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(an_overdraft_past_the_floor_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(a_balance_past_the_ceiling_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(a_backdated_transfer_that_overdraws_a_later_date_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(a_refusal_inside_a_transaction_leaves_the_rest_of_it_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(sound_books_pass_the_check, setup, teardown),
        cmocka_unit_test_setup_teardown(the_check_finds_a_transfer_that_does_not_sum_to_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(the_check_finds_a_lone_movement_and_a_wrong_quarter, setup, teardown),
        cmocka_unit_test_setup_teardown(the_check_finds_accounts_of_another_ledger_or_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(the_check_replays_balances_in_date_order, setup, teardown),
    };

    apr_initialize();
    atexit(apr_terminate);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
