/*
 * sp_ledger.c -- posting, balances, quarterly statements and the check of
 * the double-entry ledgers (time bank, fund, goods).
 *
 * The tables are ledger_account, ledger_transfer and ledger_movement
 * (sp_schema.c).  A posting is guarded in SQL by a savepoint, so it is all
 * or nothing whether or not the caller holds a transaction; limits are
 * checked against the balance replayed in date order, so a transfer dated
 * in the past cannot make an earlier balance cross a floor.  The check
 * replays every account the same way and lists each problem with the
 * transfer it belongs to.  The importer (sp_import_ledger.c) may call
 * sp_ledger_check_posting for the same date-order guarantee.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_ledger.h"
#include "sp_grid.h"

static const char *const ledger_names[] = {"time", "fund", "goods"};
static const char *const ledger_units[] = {"h", "EUR", "unit(s)"};

/* The quarter of a date column, in SQL. */
#define QUARTER_SQL(c) "substr(" c ",1,4) || '-Q' || ((CAST(substr(" c ",6,2) AS INTEGER) + 2) / 3)"

const char *
sp_ledger_unit(const char *ledger)
{
    int i;

    for (i = 0; ledger && i < 3; i++)
        if (strcmp(ledger, ledger_names[i]) == 0)
            return ledger_units[i];
    return NULL;
}

int
sp_ledger_valid(const char *ledger)
{
    return sp_ledger_unit(ledger) != NULL;
}

/* 1 when s is a real calendar date YYYY-MM-DD. */
static int
valid_date(const char *s, int *year, int *month)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d, i;

    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    y = atoi(s);
    m = atoi(s + 5);
    d = atoi(s + 8);
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    if (year)
        *year = y;
    if (month)
        *month = m;
    return 1;
}

int
sp_ledger_quarter_of(const char *date, char *buf, size_t size)
{
    char tmp[32];
    int y, m;

    if (!valid_date(date, &y, &m))
        return -1;

    snprintf(tmp, sizeof tmp, "%04d-Q%d", y, (m - 1) / 3 + 1);
    snprintf(buf, size, "%s", tmp);
    return 0;
}

int
sp_ledger_quarter_range(const char *label, char *first, char *next)
{
    char tmp[32];
    int y, q, i;

    if (label == NULL || strlen(label) != 7 || label[4] != '-' || label[5] != 'Q')
        return -1;
    for (i = 0; i < 4; i++)
        if (label[i] < '0' || label[i] > '9')
            return -1;
    y = atoi(label) % 10000;
    q = label[6] - '0';
    if (q < 1 || q > 4 || y > 9998)
        return -1;
    snprintf(tmp, sizeof tmp, "%04d-%02d-01", y, 3 * (q - 1) + 1);
    memcpy(first, tmp, 11);
    if (q == 4)
        snprintf(tmp, sizeof tmp, "%04d-01-01", y + 1);
    else
        snprintf(tmp, sizeof tmp, "%04d-%02d-01", y, 3 * q + 1);
    memcpy(next, tmp, 11);
    return 0;
}

/* --- small tools ------------------------------------------------------------ */

/* Sums of decimal amounts are not exact in binary: allow for rounding. */
static int
below(double x, double limit)
{
    return x < limit - 1e-9 * fmax(1.0, fabs(limit));
}

/* x as "%.15g" in pool: APR's formatter writes 0.5 as ".5". */
static const char *
g(apr_pool_t *pool, double x)
{
    char buf[64];

    snprintf(buf, sizeof buf, "%.15g", x == 0 ? 0.0 : x);
    return apr_pstrdup(pool, buf);
}

/* Print x without a trailing ".0" noise: 17 significant digits at most. */
static void
fmt_num(FILE *out, double x)
{
    if (x == 0)
        x = 0; /* no "-0" */
    fprintf(out, "%.15g", x);
}

/* --- posting ------------------------------------------------------------------ */

int
sp_ledger_check_posting(sp_store_t *store, sqlite3_int64 account_id, const char *date,
                        double delta, apr_pool_t *pool, sp_error_t **err)
{
    sqlite3_stmt *acc = NULL, *at = NULL, *later = NULL;
    const char *code = "", *unit = "", *when = NULL;
    double min = 0, max = 0, balance = 0, worst;
    int has_max = 0, rc, status = SP_OK;

    if ((status = sp_store_prepare(store, "SELECT code, ledger, min_balance, max_balance "
                                   "FROM ledger_account WHERE id = ?1", &acc, pool, err)) != SP_OK
        || (status = sp_store_prepare(store, "SELECT ifnull(sum(m.amount), 0) FROM "
                                      "ledger_movement m JOIN ledger_transfer t ON t.id = "
                                      "m.transfer_id WHERE m.account_id = ?1 AND "
                                      "t.occurred_on <= ?2", &at, pool, err)) != SP_OK
        || (status = sp_store_prepare(store, "SELECT t.occurred_on, m.amount FROM "
                                      "ledger_movement m JOIN ledger_transfer t ON t.id = "
                                      "m.transfer_id WHERE m.account_id = ?1 AND "
                                      "t.occurred_on > ?2 ORDER BY t.occurred_on, t.id",
                                      &later, pool, err)) != SP_OK)
        goto done;
    sqlite3_bind_int64(acc, 1, account_id);
    if ((rc = sqlite3_step(acc)) != SQLITE_ROW) {
        status = rc == SQLITE_DONE
                     ? sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                                    "unknown account id %ld", (long)account_id)
                     : sp_store_fail(store->db, "account lookup", pool, err);
        goto done;
    }
    code = apr_pstrdup(pool, (const char *)sqlite3_column_text(acc, 0));
    unit = sp_ledger_unit((const char *)sqlite3_column_text(acc, 1));
    unit = unit ? unit : "";
    min = sqlite3_column_double(acc, 2);
    has_max = sqlite3_column_type(acc, 3) != SQLITE_NULL;
    max = sqlite3_column_double(acc, 3);

    sqlite3_bind_int64(at, 1, account_id);
    sqlite3_bind_text(at, 2, date, -1, SQLITE_STATIC);
    if (sqlite3_step(at) != SQLITE_ROW) {
        status = sp_store_fail(store->db, "balance", pool, err);
        goto done;
    }
    balance = sqlite3_column_double(at, 0) + delta;
    /* Only the side delta pushes towards can be crossed by this posting. */
    worst = balance;
    sqlite3_bind_int64(later, 1, account_id);
    sqlite3_bind_text(later, 2, date, -1, SQLITE_STATIC);
    if ((delta < 0 && !below(worst, min)) || (delta > 0 && !(has_max && below(max, worst)))) {
        while ((rc = sqlite3_step(later)) == SQLITE_ROW) {
            balance += sqlite3_column_double(later, 1);
            if ((delta < 0 && below(balance, min)) || (delta > 0 && has_max && below(max, balance))) {
                worst = balance;
                when = apr_pstrdup(pool, (const char *)sqlite3_column_text(later, 0));
                break;
            }
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            status = sp_store_fail(store->db, "balance replay", pool, err);
            goto done;
        }
    }
    if (delta < 0 && below(worst, min))
        status = sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                              "overdraft: account %s would reach %s %s%s%s, its limit is %s",
                              code, g(pool, worst), unit, when ? " on " : "", when ? when : "",
                              g(pool, min));
    else if (delta > 0 && has_max && below(max, worst))
        status = sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                              "account %s would reach %s %s%s%s, above its maximum of %s",
                              code, g(pool, worst), unit, when ? " on " : "", when ? when : "",
                              g(pool, max));
done:
    sqlite3_finalize(acc);
    sqlite3_finalize(at);
    sqlite3_finalize(later);
    return status;
}

/* The id of account code in ledger; SP_EXIT_DATA naming side when unknown. */
static int
find_account(sp_store_t *store, const char *ledger, const char *code, const char *side,
             sqlite3_int64 *id, apr_pool_t *pool, sp_error_t **err)
{
    sqlite3_stmt *s = NULL;
    int rc, status;

    if ((status = sp_store_prepare(store, "SELECT id FROM ledger_account WHERE ledger = ?1 "
                                   "AND code = ?2", &s, pool, err)) != SP_OK)
        return status;
    sqlite3_bind_text(s, 1, ledger, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, code, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0);
    else if (rc == SQLITE_DONE)
        status = sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                              "%s: unknown account '%s' in the %s ledger", side, code, ledger);
    else
        status = sp_store_fail(store->db, "account lookup", pool, err);
    sqlite3_finalize(s);
    return status;
}

static int
insert_transfer(sp_store_t *store, const sp_ledger_transfer_t *t, sqlite3_int64 from,
                sqlite3_int64 to, sqlite3_int64 *id, apr_pool_t *pool, sp_error_t **err)
{
    sqlite3_stmt *tr = NULL, *mv = NULL;
    char quarter[16];
    int status;

    sp_ledger_quarter_of(t->date, quarter, sizeof quarter);
    if ((status = sp_store_prepare(store, "INSERT INTO ledger_transfer (ledger, occurred_on, "
                                   "quarter, category, memo, import_id) VALUES (?1, ?2, ?3, "
                                   "?4, ?5, ?6)", &tr, pool, err)) != SP_OK
        || (status = sp_store_prepare(store, "INSERT INTO ledger_movement (transfer_id, "
                                      "account_id, amount) VALUES (?1, ?2, ?3)", &mv, pool,
                                      err)) != SP_OK)
        goto done;
    sqlite3_bind_text(tr, 1, t->ledger, -1, SQLITE_STATIC);
    sqlite3_bind_text(tr, 2, t->date, -1, SQLITE_STATIC);
    sqlite3_bind_text(tr, 3, quarter, -1, SQLITE_STATIC);
    sqlite3_bind_text(tr, 4, t->category ? t->category : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(tr, 5, t->memo ? t->memo : "", -1, SQLITE_STATIC);
    if (t->import_id)
        sqlite3_bind_int64(tr, 6, t->import_id);
    else
        sqlite3_bind_null(tr, 6);
    if (sqlite3_step(tr) != SQLITE_DONE) {
        status = sp_store_fail(store->db, "transfer insert", pool, err);
        goto done;
    }
    *id = sqlite3_last_insert_rowid(store->db);
    sqlite3_bind_int64(mv, 1, *id);
    sqlite3_bind_int64(mv, 2, from);
    sqlite3_bind_double(mv, 3, -t->amount);
    if (sqlite3_step(mv) != SQLITE_DONE) {
        status = sp_store_fail(store->db, "movement insert", pool, err);
        goto done;
    }
    sqlite3_reset(mv);
    sqlite3_bind_int64(mv, 2, to);
    sqlite3_bind_double(mv, 3, t->amount);
    if (sqlite3_step(mv) != SQLITE_DONE)
        status = sp_store_fail(store->db, "movement insert", pool, err);
done:
    sqlite3_finalize(tr);
    sqlite3_finalize(mv);
    return status;
}

int
sp_ledger_post(sp_store_t *store, const sp_ledger_transfer_t *t, sqlite3_int64 *id,
               apr_pool_t *pool, sp_error_t **err)
{
    sqlite3_int64 from = 0, to = 0, tid = 0;
    int status;

    if (!sp_ledger_valid(t->ledger))
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "ledger: unknown ledger '%s' "
                            "(time, fund or goods)", t->ledger ? t->ledger : "");
    if (!valid_date(t->date, NULL, NULL))
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "date: '%s' is not a valid "
                            "date (YYYY-MM-DD)", t->date ? t->date : "");
    if (!(t->amount > 0) || !isfinite(t->amount))
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "amount: '%s' is not "
                            "valid: amount must be positive", g(pool, t->amount));
    if (t->from == NULL || t->to == NULL || strcmp(t->from, t->to) == 0)
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "to: a transfer from account "
                            "'%s' to itself", t->to ? t->to : "");
    if ((status = sp_store_exec(store, "SAVEPOINT sp_ledger_post", pool, err)) != SP_OK)
        return status;
    if ((status = find_account(store, t->ledger, t->from, "from", &from, pool, err)) != SP_OK
        || (status = find_account(store, t->ledger, t->to, "to", &to, pool, err)) != SP_OK
        || (status = sp_ledger_check_posting(store, from, t->date, -t->amount, pool, err)) != SP_OK
        || (status = sp_ledger_check_posting(store, to, t->date, t->amount, pool, err)) != SP_OK
        || (status = insert_transfer(store, t, from, to, &tid, pool, err)) != SP_OK) {
        sqlite3_exec(store->db, "ROLLBACK TO sp_ledger_post; RELEASE sp_ledger_post", NULL, NULL,
                     NULL);
        return status;
    }
    if ((status = sp_store_exec(store, "RELEASE sp_ledger_post", pool, err)) != SP_OK) {
        sqlite3_exec(store->db, "ROLLBACK TO sp_ledger_post; RELEASE sp_ledger_post", NULL, NULL,
                     NULL);
        return status;
    }
    if (id)
        *id = tid;
    return SP_OK;
}

/* --- balances ------------------------------------------------------------------ */

int
sp_ledger_balances(sp_store_t *store, const char *ledger, const char *date, json_t **out,
                   apr_pool_t *pool, sp_error_t **err)
{
    static const char sql[] =
        "SELECT a.ledger, a.code, a.kind, a.label, a.min_balance, a.max_balance, "
        "ifnull((SELECT sum(m.amount) FROM ledger_movement m JOIN ledger_transfer t "
        "ON t.id = m.transfer_id WHERE m.account_id = a.id AND (?2 IS NULL OR "
        "t.occurred_on <= ?2)), 0) FROM ledger_account a WHERE ?1 IS NULL OR a.ledger = ?1 "
        "ORDER BY CASE a.ledger WHEN 'time' THEN 0 WHEN 'fund' THEN 1 ELSE 2 END, a.id";
    sqlite3_stmt *s = NULL;
    json_t *root, *accounts, *totals;
    int rc, status;

    if (ledger && !sp_ledger_valid(ledger))
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "unknown ledger '%s' (time, "
                            "fund or goods)", ledger);
    if (date && !valid_date(date, NULL, NULL))
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "'%s' is not a valid date "
                            "(YYYY-MM-DD)", date);
    if ((status = sp_store_prepare(store, sql, &s, pool, err)) != SP_OK)
        return status;
    root = sp_grid_pool_own(json_object(), pool);
    accounts = json_array();
    totals = json_object();
    json_object_set_new(root, "date", date ? json_string(date) : json_null());
    json_object_set_new(root, "accounts", accounts);
    json_object_set_new(root, "totals", totals);
    if (ledger)
        json_object_set_new(totals, ledger, json_real(0));
    sqlite3_bind_text(s, 1, ledger, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, date, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *lg = (const char *)sqlite3_column_text(s, 0);
        double bal = sqlite3_column_double(s, 6);
        json_t *a = json_object(), *t = json_object_get(totals, lg);

        json_object_set_new(a, "ledger", json_string(lg));
        json_object_set_new(a, "code", json_string((const char *)sqlite3_column_text(s, 1)));
        json_object_set_new(a, "kind", json_string((const char *)sqlite3_column_text(s, 2)));
        json_object_set_new(a, "label", json_string((const char *)sqlite3_column_text(s, 3)));
        json_object_set_new(a, "balance", json_real(bal + 0.0));
        json_object_set_new(a, "min_balance", json_real(sqlite3_column_double(s, 4)));
        json_object_set_new(a, "max_balance", sqlite3_column_type(s, 5) == SQLITE_NULL
                                                  ? json_null()
                                                  : json_real(sqlite3_column_double(s, 5)));
        json_object_set_new(a, "unit", json_string(sp_ledger_unit(lg)));
        json_array_append_new(accounts, a);
        json_object_set_new(totals, lg, json_real((t ? json_real_value(t) : 0) + bal));
    }
    if (rc != SQLITE_DONE)
        status = sp_store_fail(store->db, "balances", pool, err);
    sqlite3_finalize(s);
    *out = root;
    return status;
}

void
sp_ledger_balances_text(const json_t *b, FILE *out)
{
    const json_t *accounts = json_object_get(b, "accounts"), *a;
    const char *last = "";
    size_t i;

    json_array_foreach(accounts, i, a) {
        const char *lg = json_string_value(json_object_get(a, "ledger"));
        const json_t *max = json_object_get(a, "max_balance");

        if (strcmp(lg, last) != 0) {
            const json_t *date = json_object_get(b, "date");

            fprintf(out, "%s%s ledger (%s), balances%s%s:\n", i ? "\n" : "", lg,
                    json_string_value(json_object_get(a, "unit")),
                    json_is_string(date) ? " on " : "",
                    json_is_string(date) ? json_string_value(date) : "");
            last = lg;
        }
        fprintf(out, "  %-20s %-13s ", json_string_value(json_object_get(a, "code")),
                json_string_value(json_object_get(a, "kind")));
        fprintf(out, "%12.2f", json_real_value(json_object_get(a, "balance")) + 0.0);
        fprintf(out, "   limits [");
        fmt_num(out, json_real_value(json_object_get(a, "min_balance")));
        fputs(", ", out);
        if (json_is_real(max))
            fmt_num(out, json_real_value(max));
        else
            fputs("none", out);
        fputs("]\n", out);
    }
    if (i == 0)
        fputs("no accounts\n", out);
}

/* --- statements ------------------------------------------------------------------ */

static int
one_statement(sp_store_t *store, const char *ledger, const char *quarter, json_t *list,
              apr_pool_t *pool, sp_error_t **err)
{
    static const char totals_sql[] =
        "SELECT (SELECT count(*) FROM ledger_transfer WHERE ledger = ?1 AND occurred_on >= ?2 "
        "AND occurred_on < ?3), ifnull(sum(m.amount), 0) FROM ledger_transfer t JOIN "
        "ledger_movement m ON m.transfer_id = t.id WHERE t.ledger = ?1 AND t.occurred_on >= ?2 "
        "AND t.occurred_on < ?3 AND m.amount > 0";
    static const char category_sql[] =
        "SELECT t.category, count(DISTINCT t.id), ifnull(sum(CASE WHEN m.amount > 0 THEN "
        "m.amount END), 0) FROM ledger_transfer t LEFT JOIN ledger_movement m ON "
        "m.transfer_id = t.id WHERE t.ledger = ?1 AND t.occurred_on >= ?2 AND t.occurred_on < ?3 "
        "GROUP BY t.category ORDER BY t.category";
    static const char account_sql[] =
        "SELECT a.code, a.kind, a.label, "
        "ifnull(sum(CASE WHEN t.occurred_on < ?2 THEN m.amount END), 0), "
        "ifnull(sum(CASE WHEN t.occurred_on >= ?2 AND m.amount > 0 THEN m.amount END), 0), "
        "ifnull(sum(CASE WHEN t.occurred_on >= ?2 AND m.amount < 0 THEN -m.amount END), 0), "
        "count(CASE WHEN t.occurred_on >= ?2 THEN 1 END) "
        "FROM ledger_account a LEFT JOIN ledger_movement m ON m.account_id = a.id "
        "LEFT JOIN ledger_transfer t ON t.id = m.transfer_id AND t.occurred_on < ?3 "
        "WHERE a.ledger = ?1 GROUP BY a.id ORDER BY a.id";
    sqlite3_stmt *s[3] = {NULL, NULL, NULL};
    const char *sql[3] = {totals_sql, category_sql, account_sql};
    char first[11], next[11];
    json_t *st, *cats, *accs;
    int i, rc, status = SP_OK;

    sp_ledger_quarter_range(quarter, first, next);
    for (i = 0; i < 3; i++) {
        if ((status = sp_store_prepare(store, sql[i], &s[i], pool, err)) != SP_OK)
            goto done;
        sqlite3_bind_text(s[i], 1, ledger, -1, SQLITE_STATIC);
        sqlite3_bind_text(s[i], 2, first, -1, SQLITE_STATIC);
        sqlite3_bind_text(s[i], 3, next, -1, SQLITE_STATIC);
    }
    st = json_object();
    json_array_append_new(list, st);
    json_object_set_new(st, "ledger", json_string(ledger));
    json_object_set_new(st, "quarter", json_string(quarter));
    json_object_set_new(st, "unit", json_string(sp_ledger_unit(ledger)));
    if (sqlite3_step(s[0]) != SQLITE_ROW) {
        status = sp_store_fail(store->db, "statement", pool, err);
        goto done;
    }
    json_object_set_new(st, "transfers", json_integer(sqlite3_column_int64(s[0], 0)));
    json_object_set_new(st, "volume", json_real(sqlite3_column_double(s[0], 1)));
    cats = json_array();
    json_object_set_new(st, "by_category", cats);
    while ((rc = sqlite3_step(s[1])) == SQLITE_ROW) {
        json_t *c = json_object();

        json_object_set_new(c, "category", json_string((const char *)sqlite3_column_text(s[1], 0)));
        json_object_set_new(c, "transfers", json_integer(sqlite3_column_int64(s[1], 1)));
        json_object_set_new(c, "volume", json_real(sqlite3_column_double(s[1], 2)));
        json_array_append_new(cats, c);
    }
    if (rc != SQLITE_DONE) {
        status = sp_store_fail(store->db, "statement by category", pool, err);
        goto done;
    }
    accs = json_array();
    json_object_set_new(st, "accounts", accs);
    while ((rc = sqlite3_step(s[2])) == SQLITE_ROW) {
        double open = sqlite3_column_double(s[2], 3), in = sqlite3_column_double(s[2], 4),
               given = sqlite3_column_double(s[2], 5);
        json_t *a;

        if (open == 0 && sqlite3_column_int64(s[2], 6) == 0)
            continue;
        a = json_object();
        json_object_set_new(a, "code", json_string((const char *)sqlite3_column_text(s[2], 0)));
        json_object_set_new(a, "kind", json_string((const char *)sqlite3_column_text(s[2], 1)));
        json_object_set_new(a, "label", json_string((const char *)sqlite3_column_text(s[2], 2)));
        json_object_set_new(a, "opening", json_real(open + 0.0));
        json_object_set_new(a, "received", json_real(in));
        json_object_set_new(a, "given", json_real(given));
        json_object_set_new(a, "closing", json_real(open + in - given + 0.0));
        json_array_append_new(accs, a);
    }
    if (rc != SQLITE_DONE)
        status = sp_store_fail(store->db, "statement by account", pool, err);
done:
    for (i = 0; i < 3; i++)
        sqlite3_finalize(s[i]);
    return status;
}

int
sp_ledger_statement(sp_store_t *store, const char *ledger, const char *quarter,
                    json_t **out, apr_pool_t *pool, sp_error_t **err)
{
    static const char list_sql[] =
        "SELECT DISTINCT ledger, " QUARTER_SQL("occurred_on") " AS q FROM ledger_transfer "
        "WHERE ?1 IS NULL OR ledger = ?1 "
        "ORDER BY CASE ledger WHEN 'time' THEN 0 WHEN 'fund' THEN 1 ELSE 2 END, q";
    char first[11], next[11];
    json_t *root, *list;
    sqlite3_stmt *s = NULL;
    int rc, i, status = SP_OK;

    if (ledger && !sp_ledger_valid(ledger))
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "unknown ledger '%s' (time, "
                            "fund or goods)", ledger);
    if (quarter && sp_ledger_quarter_range(quarter, first, next) != 0)
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "'%s' is not a quarter "
                            "(YYYY-Qn, e.g. 2026-Q1)", quarter);
    root = sp_grid_pool_own(json_object(), pool);
    list = json_array();
    json_object_set_new(root, "statements", list);
    *out = root;
    if (quarter) {
        for (i = 0; i < 3 && status == SP_OK; i++)
            if (ledger == NULL || strcmp(ledger, ledger_names[i]) == 0)
                status = one_statement(store, ledger_names[i], quarter, list, pool, err);
        return status;
    }
    if ((status = sp_store_prepare(store, list_sql, &s, pool, err)) != SP_OK)
        return status;
    sqlite3_bind_text(s, 1, ledger, -1, SQLITE_STATIC);
    while (status == SP_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *q = (const char *)sqlite3_column_text(s, 1);

        if (sp_ledger_quarter_range(q, first, next) != 0)
            continue; /* a malformed date: `spiral ledger check` reports it */
        status = one_statement(store, (const char *)sqlite3_column_text(s, 0), q, list, pool,
                               err);
    }
    if (status == SP_OK && rc != SQLITE_DONE)
        status = sp_store_fail(store->db, "statement quarters", pool, err);
    sqlite3_finalize(s);
    return status;
}

void
sp_ledger_statement_text(const json_t *statement, FILE *out)
{
    const json_t *list = json_object_get(statement, "statements"), *st;
    size_t i, j;

    json_array_foreach(list, i, st) {
        const json_t *c, *a;

        fprintf(out, "%s%s ledger, %s (%s): %ld transfer(s), volume ", i ? "\n" : "",
                json_string_value(json_object_get(st, "ledger")),
                json_string_value(json_object_get(st, "quarter")),
                json_string_value(json_object_get(st, "unit")),
                (long)json_integer_value(json_object_get(st, "transfers")));
        fmt_num(out, json_real_value(json_object_get(st, "volume")));
        fputc('\n', out);
        json_array_foreach(json_object_get(st, "by_category"), j, c) {
            const char *cat = json_string_value(json_object_get(c, "category"));

            fprintf(out, "  category %-20s %3ld transfer(s)  ", *cat ? cat : "(none)",
                    (long)json_integer_value(json_object_get(c, "transfers")));
            fmt_num(out, json_real_value(json_object_get(c, "volume")));
            fputc('\n', out);
        }
        fprintf(out, "  %-20s %10s %10s %10s %10s\n", "account", "opening", "received", "given",
                "closing");
        json_array_foreach(json_object_get(st, "accounts"), j, a)
            fprintf(out, "  %-20s %10.2f %10.2f %10.2f %10.2f\n",
                    json_string_value(json_object_get(a, "code")),
                    json_real_value(json_object_get(a, "opening")),
                    json_real_value(json_object_get(a, "received")),
                    json_real_value(json_object_get(a, "given")),
                    json_real_value(json_object_get(a, "closing")));
    }
    if (json_array_size(list) == 0)
        fputs("no transfers\n", out);
}

/* --- check ------------------------------------------------------------------------ */

static void
problem(json_t *list, sqlite3_int64 transfer, const char *account, const char *message)
{
    json_t *p = json_object();

    json_object_set_new(p, "transfer", transfer ? json_integer(transfer) : json_null());
    json_object_set_new(p, "account", account ? json_string(account) : json_null());
    json_object_set_new(p, "message", json_string(message));
    json_array_append_new(list, p);
}

static int
count_rows(sp_store_t *store, const char *table, json_t *root, const char *key,
           apr_pool_t *pool, sp_error_t **err)
{
    sqlite3_stmt *s = NULL;
    int status = sp_store_prepare(store, apr_psprintf(pool, "SELECT count(*) FROM %s", table),
                                  &s, pool, err);

    if (status != SP_OK)
        return status;
    if (sqlite3_step(s) == SQLITE_ROW)
        json_object_set_new(root, key, json_integer(sqlite3_column_int64(s, 0)));
    else
        status = sp_store_fail(store->db, "count", pool, err);
    sqlite3_finalize(s);
    return status;
}

int
sp_ledger_check(sp_store_t *store, json_t **out, long *nproblems, apr_pool_t *pool,
                sp_error_t **err)
{
    static const char *const sql[] = {
        /* 0: each transfer with its movements' count and sum */
        "SELECT t.id, t.ledger, t.occurred_on, t.quarter, count(m.account_id), "
        "ifnull(sum(m.amount), 0) FROM ledger_transfer t LEFT JOIN ledger_movement m "
        "ON m.transfer_id = t.id GROUP BY t.id ORDER BY t.id",
        /* 1: movements on unknown accounts or on another ledger's account */
        "SELECT m.transfer_id, m.account_id, a.code, a.ledger, t.ledger FROM ledger_movement m "
        "JOIN ledger_transfer t ON t.id = m.transfer_id LEFT JOIN ledger_account a "
        "ON a.id = m.account_id WHERE a.id IS NULL OR a.ledger <> t.ledger "
        "ORDER BY m.transfer_id, m.account_id",
        /* 2: movements of transfers that do not exist */
        "SELECT m.transfer_id, m.account_id, a.code FROM ledger_movement m LEFT JOIN "
        "ledger_transfer t ON t.id = m.transfer_id LEFT JOIN ledger_account a ON "
        "a.id = m.account_id WHERE t.id IS NULL ORDER BY m.transfer_id, m.account_id",
        /* 3: replay, per account, in date order */
        "SELECT a.id, a.code, a.ledger, a.min_balance, a.max_balance, t.id, t.occurred_on, "
        "m.amount FROM ledger_movement m JOIN ledger_transfer t ON t.id = m.transfer_id "
        "JOIN ledger_account a ON a.id = m.account_id "
        "ORDER BY a.id, t.occurred_on, t.id"
    };
    sqlite3_stmt *s[4] = {NULL, NULL, NULL, NULL};
    json_t *root, *list;
    int i, rc = SQLITE_DONE, status = SP_OK;

    root = sp_grid_pool_own(json_object(), pool);
    list = json_array();
    *out = root;
    if ((status = count_rows(store, "ledger_transfer", root, "transfers", pool, err)) != SP_OK
        || (status = count_rows(store, "ledger_movement", root, "movements", pool, err)) != SP_OK
        || (status = count_rows(store, "ledger_account", root, "accounts", pool, err)) != SP_OK)
        return status;
    for (i = 0; i < 4; i++)
        if ((status = sp_store_prepare(store, sql[i], &s[i], pool, err)) != SP_OK)
            goto done;

    while ((rc = sqlite3_step(s[0])) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(s[0], 0);
        const char *date = (const char *)sqlite3_column_text(s[0], 2);
        const char *q = (const char *)sqlite3_column_text(s[0], 3);
        long n = (long)sqlite3_column_int64(s[0], 4);
        double sum = sqlite3_column_double(s[0], 5);
        char qq[16];

        if (n < 2)
            problem(list, id, NULL, apr_psprintf(pool, "transfer %ld: %ld movement(s); a "
                                                 "transfer needs at least two", (long)id, n));
        if (fabs(sum) > SP_LEDGER_EPSILON)
            problem(list, id, NULL, apr_psprintf(pool, "transfer %ld: movements sum to %s, "
                                                 "not 0", (long)id, g(pool, sum)));
        if (sp_ledger_quarter_of(date, qq, sizeof qq) != 0)
            problem(list, id, NULL, apr_psprintf(pool, "transfer %ld: date '%s' is not a valid "
                                                 "date", (long)id, date));
        else if (strcmp(qq, q) != 0)
            problem(list, id, NULL, apr_psprintf(pool, "transfer %ld: quarter '%s' does not "
                                                 "match its date %s (%s)", (long)id, q,
                                                 date, qq));
    }
    if (rc != SQLITE_DONE)
        goto fail;
    while ((rc = sqlite3_step(s[1])) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(s[1], 0);
        const char *code = (const char *)sqlite3_column_text(s[1], 2);

        if (code == NULL)
            problem(list, id, NULL, apr_psprintf(pool, "transfer %ld: movement on account id "
                                                 "%ld, which does not exist", (long)id,
                                                 (long)sqlite3_column_int64(s[1], 1)));
        else
            problem(list, id, code, apr_psprintf(pool, "transfer %ld (%s ledger): movement on "
                                                 "account '%s' of the %s ledger", (long)id,
                                                 sqlite3_column_text(s[1], 4), code,
                                                 sqlite3_column_text(s[1], 3)));
    }
    if (rc != SQLITE_DONE)
        goto fail;
    while ((rc = sqlite3_step(s[2])) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(s[2], 0);
        const char *code = (const char *)sqlite3_column_text(s[2], 2);

        problem(list, id, code, apr_psprintf(pool, "movement on account %s%s%s refers to "
                                             "transfer %ld, which does not exist",
                                             code ? "'" : "id ",
                                             code ? code : apr_psprintf(pool, "%ld",
                                                 (long)sqlite3_column_int64(s[2], 1)),
                                             code ? "'" : "", (long)id));
    }
    if (rc != SQLITE_DONE)
        goto fail;
    {
        sqlite3_int64 account = -1;
        double balance = 0, min = 0, max = 0;
        int has_max = 0, low = 0, high = 0;

        while ((rc = sqlite3_step(s[3])) == SQLITE_ROW) {
            const char *code = (const char *)sqlite3_column_text(s[3], 1);
            const char *unit = sp_ledger_unit((const char *)sqlite3_column_text(s[3], 2));
            sqlite3_int64 tid = sqlite3_column_int64(s[3], 5);
            const char *date = (const char *)sqlite3_column_text(s[3], 6);

            if (sqlite3_column_int64(s[3], 0) != account) {
                account = sqlite3_column_int64(s[3], 0);
                balance = 0;
                low = high = 0;
                min = sqlite3_column_double(s[3], 3);
                has_max = sqlite3_column_type(s[3], 4) != SQLITE_NULL;
                max = sqlite3_column_double(s[3], 4);
            }
            balance += sqlite3_column_double(s[3], 7);
            unit = unit ? unit : "";
            if (below(balance, min)) {
                if (!low)
                    problem(list, tid, code, apr_psprintf(pool, "transfer %ld (%s): account "
                                                          "'%s' reaches %s %s, below its floor "
                                                          "of %s", (long)tid, date, code,
                                                          g(pool, balance), unit, g(pool, min)));
                low = 1;
            } else {
                low = 0;
            }
            if (has_max && below(max, balance)) {
                if (!high)
                    problem(list, tid, code, apr_psprintf(pool, "transfer %ld (%s): account "
                                                          "'%s' reaches %s %s, above its "
                                                          "ceiling of %s", (long)tid,
                                                          date, code, g(pool, balance), unit,
                                                          g(pool, max)));
                high = 1;
            } else {
                high = 0;
            }
        }
        if (rc != SQLITE_DONE)
            goto fail;
    }
    goto done;
fail:
    status = sp_store_fail(store->db, "ledger check", pool, err);
done:
    for (i = 0; i < 4; i++)
        sqlite3_finalize(s[i]);
    json_object_set_new(root, "ok", json_boolean(status == SP_OK && json_array_size(list) == 0));
    json_object_set_new(root, "problems", list);
    if (nproblems)
        *nproblems = (long)json_array_size(list);
    return status;
}

void
sp_ledger_check_text(const json_t *check, FILE *out)
{
    const json_t *list = json_object_get(check, "problems"), *p;
    size_t i;

    fprintf(out, "ledger check: %ld transfer(s), %ld movement(s), %ld account(s): ",
            (long)json_integer_value(json_object_get(check, "transfers")),
            (long)json_integer_value(json_object_get(check, "movements")),
            (long)json_integer_value(json_object_get(check, "accounts")));
    if (json_array_size(list) == 0) {
        fputs("the books balance\n", out);
        return;
    }
    fprintf(out, "%ld problem(s)\n", (long)json_array_size(list));
    json_array_foreach(list, i, p)
        fprintf(out, "  %s\n", json_string_value(json_object_get(p, "message")));
}
