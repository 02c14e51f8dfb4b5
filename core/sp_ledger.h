/*
 * sp_ledger.h -- the double-entry ledgers of pooled resources: the time
 * bank (hours), the co-responsibility fund (euros) and the goods ledger
 * (units of goods).
 *
 * Every transfer is two movements that sum to zero (-amount on the giving
 * account, +amount on the receiving one); a balance is the sum of an
 * account's movements up to a date, and must stay within the account's
 * floor (min_balance) and ceiling (max_balance) at every point in time,
 * the transfers being replayed in date order (ties by transfer id).
 * sp_ledger_post writes one transfer in one SQLite savepoint after the same
 * checks; sp_ledger_check proves, or disproves, that a whole workspace
 * obeys these rules; sp_ledger_balances and sp_ledger_statement are what
 * `spiral ledger` and the report show.  Results are jansson objects (owned
 * by the pool: a cleanup decrefs them) with a text rendering beside them.
 * docs/pooling.md states the rules with an example.
 */
#ifndef SP_LEDGER_H
#define SP_LEDGER_H

#include <stdio.h>
#include <jansson.h>
#include "sp_store.h"

/* Amounts of a transfer must sum to zero within this (absolute). */
#define SP_LEDGER_EPSILON 1e-9

/* The unit of a ledger ("h", "EUR", "unit(s)"); NULL for an unknown name. */
const char *
sp_ledger_unit(const char *ledger);

/* 1 when ledger is "time", "fund" or "goods". */
int
sp_ledger_valid(const char *ledger);

/* Quarter label "YYYY-Qn" of a date "YYYY-MM-DD" written to buf (>= 8
 * bytes); -1 when date is not a valid date. */
int
sp_ledger_quarter_of(const char *date, char *buf, size_t size);

/* Parse "YYYY-Qn" into the first day of the quarter and the first day of
 * the next one (buffers of >= 11 bytes); -1 when label is malformed. */
int
sp_ledger_quarter_range(const char *label, char *first, char *next);

typedef struct sp_ledger_transfer_t {
    const char *ledger;       /* time, fund, goods */
    const char *date;         /* YYYY-MM-DD */
    const char *from;         /* account code in that ledger */
    const char *to;           /* account code in that ledger, not from */
    double amount;            /* > 0 */
    const char *category;     /* may be NULL */
    const char *memo;         /* may be NULL */
    sqlite3_int64 import_id;  /* 0: none */
} sp_ledger_transfer_t;

/* Check that adding delta to account account_id on date (after every
 * transfer already dated on or before it) keeps the account's balance
 * within its floor and ceiling at that date and at every later transfer.
 * SP_OK, or SP_EXIT_DATA with *err naming the account (code), the balance
 * it would reach, the unit and the limit, e.g. "overdraft: account m-anne
 * would reach -3 h, its limit is 0" (" on DATE" is added when the crossing
 * is at a later transfer).  Shared with the ledger importer. */
int
sp_ledger_check_posting(sp_store_t *store, sqlite3_int64 account_id, const char *date,
                        double delta, apr_pool_t *pool, sp_error_t **err);

/* Post t: validate (known ledger, valid date, amount > 0 and finite, from
 * != to, both accounts exist in the ledger, limits kept at every point in
 * time) and write one ledger_transfer and its two movements inside one
 * savepoint, so a failure or a crash leaves nothing half-written; works
 * inside or outside a caller's transaction.  *id (may be NULL) gets the
 * transfer id.  Refusals are SP_EXIT_DATA with a message naming the
 * problem ("amount must be positive", "unknown account 'x' in the time
 * ledger", "overdraft: ..."); the database is then unchanged. */
int
sp_ledger_post(sp_store_t *store, const sp_ledger_transfer_t *t, sqlite3_int64 *id,
               apr_pool_t *pool, sp_error_t **err);

/* Balances of every account of ledger (NULL: all three) counting the
 * transfers dated on or before date (NULL: all).  *out is
 *   {"date": D|null, "accounts": [{"ledger", "code", "kind", "label",
 *     "balance", "min_balance", "max_balance"|null, "unit"}...],
 *    "totals": {"time": sum, ...}}   (each ledger's total is 0 when sound)
 * owned by pool. */
int
sp_ledger_balances(sp_store_t *store, const char *ledger, const char *date, json_t **out,
                   apr_pool_t *pool, sp_error_t **err);

/* Quarterly statements of ledger (NULL: all) for quarter "YYYY-Qn" (NULL:
 * every quarter with a transfer).  *out is {"statements": [{"ledger",
 * "quarter", "unit", "transfers", "volume", "by_category": [{"category",
 * "transfers", "volume"}], "accounts": [{"code", "kind", "label",
 * "opening", "received", "given", "closing"}]}]}, volume being the sum of
 * the positive movements; accounts without movement in the quarter and
 * with a zero opening balance are left out.  A malformed quarter is
 * SP_EXIT_USAGE. */
int
sp_ledger_statement(sp_store_t *store, const char *ledger, const char *quarter,
                    json_t **out, apr_pool_t *pool, sp_error_t **err);

/* Check the books: every transfer has at least two movements summing to 0
 * within SP_LEDGER_EPSILON, moves only accounts that exist and belong to
 * its ledger, carries the quarter of its date; every movement belongs to a
 * transfer; replaying the transfers in date order (ties by id), no balance
 * leaves its limits (an account that leaves them is reported once, at the
 * transfer that took it out).  *out is {"ok": bool, "transfers": n,
 * "movements": n, "accounts": n, "problems": [{"transfer": id|null,
 * "account": code|null, "message": text}]}; *nproblems its count.  Returns
 * SP_OK whether or not the books balance (a SQLite failure is an error). */
int
sp_ledger_check(sp_store_t *store, json_t **out, long *nproblems, apr_pool_t *pool,
                sp_error_t **err);

/* Text renderings of the three objects above. */
void
sp_ledger_balances_text(const json_t *balances, FILE *out);
void
sp_ledger_statement_text(const json_t *statement, FILE *out);
void
sp_ledger_check_text(const json_t *check, FILE *out);

#endif
