/*
 * sp_import_ledger.c -- accounts and transfers of the pooled resources:
 * the time bank (hours), the co-responsibility fund (euros) and the goods
 * ledger (units).
 *
 * Bookkeeping is double-entry, as in TimeOverflow: each transfer row
 * becomes one ledger_transfer and two ledger_movement rows, -amount on the
 * giving account and +amount on the receiving one, so every transfer sums
 * to zero and a balance is the sum of an account's movements.  An account
 * has a floor (min_balance, 0 by default: no overdraft) and an optional
 * ceiling; a transfer that would cross either is refused, counting the
 * earlier rows of the same file because they are already in the
 * transaction.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_import_kit.h"
#include "sp_ledger.h"

/* Canonical spellings first; index % 3 gives the canonical one. */
static const char *const ledgers[] = {"time", "fund", "goods", "temps", "fonds", "biens", NULL};
#define LEDGER(v) (ledgers[(v).i % 3])

/* --- accounts ------------------------------------------------------------- */

enum { A_LEDGER, A_CODE, A_KIND, A_LABEL, A_MIN, A_MAX };

static const char *const account_kinds[] = {"member", "organisation", "project", "place",
                                            "territory", "membre", "organization", "projet",
                                            "lieu", "territoire", NULL};

static const sp_import_column_t account_columns[] = {
    {"ledger", "registre", SP_VAL_CHOICE, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, ledgers},
    {"code", NULL, SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"kind", "type", SP_VAL_CHOICE, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, account_kinds},
    {"label", "libelle", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"min_balance", "solde_min", SP_VAL_REAL, 0, 0, -1, NULL},
    {"max_balance", "solde_max", SP_VAL_REAL, 0, 0, -1, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

enum { SA_FIND, SA_INSERT, SA_COUNT };
static const char *const account_sql[SA_COUNT] = {
    "SELECT id FROM ledger_account WHERE ledger = ?1 AND code = ?2",
    "INSERT INTO ledger_account (ledger, code, kind, label, min_balance, max_balance) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
};

static int
accounts_begin(sp_import_ctx_t *ctx)
{
    return sp_import_begin_stmts(ctx, account_sql, SA_COUNT, "preparing the accounts import");
}

static int
accounts_row(sp_import_ctx_t *ctx, const sp_import_value_t *v)
{
    sqlite3_stmt **s = ctx->kind_data, *ins = s[SA_INSERT];
    const char *ledger = LEDGER(v[A_LEDGER]);
    double min = v[A_MIN].present ? v[A_MIN].r : 0;
    sqlite3_int64 id;
    int status, found;

    /* An account opens at 0, which must lie within its limits. */
    if (min > 0)
        return sp_import_reject(ctx, A_MIN, -1, "min_balance: '%s' is not valid: expected a "
                                "number <= 0 (an account opens at 0)", v[A_MIN].text);
    if (v[A_MAX].present && v[A_MAX].r < 0)
        return sp_import_reject(ctx, A_MAX, -1, "max_balance: '%s' is not valid: expected a "
                                "number >= 0 (an account opens at 0)", v[A_MAX].text);
    sqlite3_bind_text(s[SA_FIND], 1, ledger, -1, SQLITE_STATIC);
    sqlite3_bind_text(s[SA_FIND], 2, v[A_CODE].text, -1, SQLITE_STATIC);
    if ((status = sp_import_lookup(ctx, s[SA_FIND], &id, &found)) != SP_OK)
        return status;
    if (found)
        return sp_import_reject(ctx, A_CODE, -1, "code: the %s ledger already has an account "
                                "'%s'", ledger, v[A_CODE].text);
    sqlite3_bind_text(ins, 1, ledger, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, v[A_CODE].text, -1, SQLITE_STATIC);
    /* The five English kinds come first; the others map back to them. */
    {
        static const int canonical[] = {0, 1, 2, 3, 4, 0, 1, 2, 3, 4};

        sqlite3_bind_text(ins, 3, account_kinds[canonical[v[A_KIND].i]], -1, SQLITE_STATIC);
    }
    sqlite3_bind_text(ins, 4, v[A_LABEL].text, -1, SQLITE_STATIC);
    sqlite3_bind_double(ins, 5, min);
    if (v[A_MAX].present)
        sqlite3_bind_double(ins, 6, v[A_MAX].r);
    else
        sqlite3_bind_null(ins, 6);
    return sp_import_exec(ctx, ins, "account insert");
}

const sp_import_kind_t sp_import_kind_accounts = {
    .name = "accounts",
    .summary = "accounts of the time bank, the fund and the goods ledger",
    .columns = account_columns,
    .begin = accounts_begin,
    .row = accounts_row,
};

/* --- transfers --------------------------------------------------------------- */

enum { T_LEDGER, T_DATE, T_FROM, T_TO, T_AMOUNT, T_CATEGORY, T_MEMO };

static const sp_import_column_t transfer_columns[] = {
    {"ledger", "registre", SP_VAL_CHOICE, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, ledgers},
    {"date", "occurred_on", SP_VAL_DATE, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"from", "de", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"to", "vers", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"amount", "montant", SP_VAL_REAL, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"category", "categorie", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"memo", "libelle", SP_VAL_TEXT, 0, 0, -1, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

enum { ST_ACCOUNT, ST_TRANSFER, ST_MOVEMENT, ST_COUNT };
static const char *const transfer_sql[ST_COUNT] = {
    "SELECT id FROM ledger_account WHERE ledger = ?1 AND code = ?2",
    "INSERT INTO ledger_transfer (ledger, occurred_on, quarter, category, memo, import_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "INSERT INTO ledger_movement (transfer_id, account_id, amount) VALUES (?1, ?2, ?3)"
};

typedef struct account_t {
    sqlite3_int64 id;
} account_t;

static int
transfers_begin(sp_import_ctx_t *ctx)
{
    return sp_import_begin_stmts(ctx, transfer_sql, ST_COUNT, "preparing the ledger import");
}

/* The account named in column col. */
static int
find_account(sp_import_ctx_t *ctx, sqlite3_stmt **s, const sp_import_value_t *v, int col,
             account_t *a)
{
    sqlite3_stmt *find = s[ST_ACCOUNT];
    int rc;

    sqlite3_bind_text(find, 1, LEDGER(v[T_LEDGER]), -1, SQLITE_STATIC);
    sqlite3_bind_text(find, 2, v[col].text, -1, SQLITE_STATIC);
    rc = sqlite3_step(find);
    if (rc == SQLITE_ROW)
        a->id = sqlite3_column_int64(find, 0);
    sqlite3_reset(find);
    if (rc == SQLITE_DONE)
        return sp_import_reject(ctx, col, -1, "%s: unknown account '%s' in the %s ledger",
                                transfer_columns[col].name, v[col].text, LEDGER(v[T_LEDGER]));
    if (rc != SQLITE_ROW)
        return sp_store_fail(ctx->store->db, "account lookup", ctx->pool, ctx->err);
    return SP_OK;
}

static int
check_posting(sp_import_ctx_t *ctx, const sp_import_value_t *v, int col,
              sqlite3_int64 account_id, double delta)
{
    sp_error_t *why = NULL;

    if (sp_ledger_check_posting(ctx->store, account_id, v[T_DATE].text, delta, ctx->row_pool,
                                &why) == SP_OK)
        return SP_OK;
    if (why == NULL || why->status != SP_EXIT_DATA)
        return sp_error_set(ctx->err, ctx->pool, why ? why->status : SP_EXIT_SOFTWARE, NULL, 0,
                            0, "%s", why ? why->message : "ledger check failed");
    return sp_import_reject(ctx, col, -1, "%s: %s", transfer_columns[col].name, why->message);
}

static int
transfers_row(sp_import_ctx_t *ctx, const sp_import_value_t *v)
{
    sqlite3_stmt **s = ctx->kind_data, *tr = s[ST_TRANSFER], *mv = s[ST_MOVEMENT];
    double amount = v[T_AMOUNT].r;
    account_t from, to;
    sqlite3_int64 id;
    char quarter[16];
    int status, month;

    if (!(amount > 0))
        return sp_import_reject(ctx, T_AMOUNT, -1, "amount: '%s' is not valid: amount must be "
                                "positive",
                                v[T_AMOUNT].text);
    if (strcmp(v[T_FROM].text, v[T_TO].text) == 0)
        return sp_import_reject(ctx, T_TO, -1, "to: a transfer from account '%s' to itself",
                                v[T_TO].text);
    if ((status = find_account(ctx, s, v, T_FROM, &from)) != SP_OK
        || (status = find_account(ctx, s, v, T_TO, &to)) != SP_OK)
        return status;
    /* Limits hold on the transfer's date and at every later transfer, so a
     * back-dated row cannot overdraw an account in the past. */
    if ((status = check_posting(ctx, v, T_FROM, from.id, -amount)) != SP_OK
        || (status = check_posting(ctx, v, T_TO, to.id, amount)) != SP_OK)
        return status;

    month = (v[T_DATE].text[5] - '0') * 10 + (v[T_DATE].text[6] - '0');
    snprintf(quarter, sizeof quarter, "%.4s-Q%d", v[T_DATE].text, (month - 1) / 3 + 1);
    sqlite3_bind_text(tr, 1, LEDGER(v[T_LEDGER]), -1, SQLITE_STATIC);
    sqlite3_bind_text(tr, 2, v[T_DATE].text, -1, SQLITE_STATIC);
    sqlite3_bind_text(tr, 3, quarter, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(tr, 4, v[T_CATEGORY].text, -1, SQLITE_STATIC);
    sqlite3_bind_text(tr, 5, v[T_MEMO].text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(tr, 6, ctx->import_id);
    if ((status = sp_import_exec(ctx, tr, "transfer insert")) != SP_OK)
        return status;
    id = sqlite3_last_insert_rowid(ctx->store->db);
    sqlite3_bind_int64(mv, 1, id);
    sqlite3_bind_int64(mv, 2, from.id);
    sqlite3_bind_double(mv, 3, -amount);
    if ((status = sp_import_exec(ctx, mv, "movement insert")) != SP_OK)
        return status;
    sqlite3_bind_int64(mv, 1, id);
    sqlite3_bind_int64(mv, 2, to.id);
    sqlite3_bind_double(mv, 3, amount);
    return sp_import_exec(ctx, mv, "movement insert");
}

const sp_import_kind_t sp_import_kind_ledger = {
    .name = "ledger",
    .summary = "transfers of hours, money or goods between accounts (double-entry)",
    .columns = transfer_columns,
    .begin = transfers_begin,
    .row = transfers_row,
};
