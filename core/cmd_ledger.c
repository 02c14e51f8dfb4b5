/*
 * cmd_ledger.c -- `spiral ledger check|balances|statement|transfer`: the
 * double-entry books of the time bank, the fund and the goods (sp_ledger.c).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sp_cli.h"
#include "sp_ledger.h"

int sp_cmd_ledger(sp_cli_t *cli, int argc, char **argv);

static void
dump(const json_t *j)
{
    json_dumpf(j, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    fputc('\n', stdout);
}

int
sp_cmd_ledger(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"ledger", required_argument, NULL, 'l'},
        {"quarter", required_argument, NULL, 'q'},
        {"date", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},
        {"amount", required_argument, NULL, 'a'},
        {"category", required_argument, NULL, 'c'},
        {"memo", required_argument, NULL, 'm'},
        {NULL, 0, NULL, 0}
    };
    sp_ledger_transfer_t t;
    const char *ledger = NULL, *quarter = NULL, *date = NULL, *action, *amount = NULL;
    sp_store_t *store;
    sp_error_t *err = NULL;
    json_t *result = NULL;
    long nproblems = 0;
    int c, json = 0, status;

    memset(&t, 0, sizeof t);
    while ((c = getopt_long(argc, argv, "l:q:d:f:F:T:a:c:m:", options, NULL)) != -1) {
        switch (c) {
        case 'l': ledger = optarg; break;
        case 'q': quarter = optarg; break;
        case 'd': date = optarg; break;
        case 'f':
            if (strcmp(optarg, "json") == 0)
                json = 1;
            else if (strcmp(optarg, "text") != 0)
                return sp_cli_usage(cli, "ledger", "--format must be text or json");
            break;
        case 'F': t.from = optarg; break;
        case 'T': t.to = optarg; break;
        case 'a': amount = optarg; break;
        case 'c': t.category = optarg; break;
        case 'm': t.memo = optarg; break;
        default: return sp_cli_usage(cli, "ledger", "unknown option");
        }
    }
    if (optind >= argc)
        return sp_cli_usage(cli, "ledger", "missing ACTION (check, balances, statement or "
                            "transfer)");
    action = argv[optind++];
    if (optind < argc)
        return sp_cli_usage(cli, "ledger", "unexpected argument '%s'", argv[optind]);
    if (ledger && !sp_ledger_valid(ledger))
        return sp_cli_usage(cli, "ledger", "--ledger must be time, fund or goods");
    if (strcmp(action, "transfer") == 0) {
        char *end;

        if (!ledger || !date || !t.from || !t.to || !amount)
            return sp_cli_usage(cli, "ledger", "transfer needs --ledger, --date, --from, --to "
                                "and --amount");
        errno = 0;
        t.amount = strtod(amount, &end);
        if (end == amount || *end != '\0' || errno != 0)
            return sp_cli_usage(cli, "ledger", "--amount: '%s' is not a number", amount);
        t.ledger = ledger;
        t.date = date;
    } else if (strcmp(action, "check") != 0 && strcmp(action, "balances") != 0
               && strcmp(action, "statement") != 0) {
        return sp_cli_usage(cli, "ledger", "unknown action '%s' (check, balances, statement or "
                            "transfer)", action);
    }

    if ((status = sp_cli_open_store(cli, SP_STORE_NOCREATE, &store, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    if (strcmp(action, "transfer") == 0) {
        sqlite3_int64 id;

        if ((status = sp_ledger_post(store, &t, &id, cli->pool, &err)) != SP_OK)
            return sp_cli_fail(cli, err);
        if (!cli->quiet)
            fprintf(stderr, "transfer %lld: %.15g %s from %s to %s on %s\n", (long long)id,
                    t.amount, sp_ledger_unit(ledger), t.from, t.to, t.date);
        return SP_OK;
    }
    if (strcmp(action, "check") == 0)
        status = sp_ledger_check(store, &result, &nproblems, cli->pool, &err);
    else if (strcmp(action, "balances") == 0)
        status = sp_ledger_balances(store, ledger, date, &result, cli->pool, &err);
    else
        status = sp_ledger_statement(store, ledger, quarter, &result, cli->pool, &err);
    if (status != SP_OK)
        return sp_cli_fail(cli, err);
    if (json)
        dump(result);
    else if (strcmp(action, "check") == 0)
        sp_ledger_check_text(result, stdout);
    else if (strcmp(action, "balances") == 0)
        sp_ledger_balances_text(result, stdout);
    else
        sp_ledger_statement_text(result, stdout);
    if (nproblems) {
        fprintf(stderr, "%s ledger check: the books do not balance: %ld problem(s)\n",
                cli->progname, nproblems);
        return SP_EXIT_DATA;
    }
    return SP_OK;
}
