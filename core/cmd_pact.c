/*
 * cmd_pact.c -- `spiral pact` (diffusion of the pact, sp_pact.c) and
 * `spiral partnership [CODE]` (producer-consumer partnerships,
 * sp_partnership.c): two reports on how the territory mobilises.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sp_cli.h"
#include "sp_pact.h"
#include "sp_partnership.h"

int sp_cmd_pact(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_partnership(sp_cli_t *cli, int argc, char **argv);

static void
dump(const json_t *j)
{
    json_dumpf(j, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    fputc('\n', stdout);
}

int
sp_cmd_pact(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"territory", required_argument, NULL, 't'},
        {"as-of", required_argument, NULL, 'a'},
        {"stall", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}
    };
    sp_pact_params_t p;
    sp_store_t *store;
    sp_error_t *err = NULL;
    json_t *result;
    int c, json = 0, status;
    char *end;

    sp_pact_params_default(&p);
    while ((c = getopt_long(argc, argv, "t:a:s:f:", options, NULL)) != -1) {
        switch (c) {
        case 't': p.territory = optarg; break;
        case 'a': p.as_of = optarg; break;
        case 's':
            p.stall_quarters = (int)strtol(optarg, &end, 10);
            if (end == optarg || *end || p.stall_quarters < 1 || p.stall_quarters > 100)
                return sp_cli_usage(cli, "pact", "--stall must be a number of quarters, 1-100");
            break;
        case 'f':
            if (strcmp(optarg, "json") == 0)
                json = 1;
            else if (strcmp(optarg, "text") != 0)
                return sp_cli_usage(cli, "pact", "--format must be text or json");
            break;
        default: return sp_cli_usage(cli, "pact", "unknown option");
        }
    }
    if (optind < argc)
        return sp_cli_usage(cli, "pact", "unexpected argument '%s'", argv[optind]);
    if ((status = sp_cli_open_store(cli, SP_STORE_NOCREATE, &store, &err)) != SP_OK
        || (status = sp_pact_report(store, &p, &result, cli->pool, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    if (json)
        dump(result);
    else
        sp_pact_report_text(result, stdout);
    return SP_OK;
}

int
sp_cmd_partnership(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"territory", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}
    };
    const char *territory = NULL, *code = NULL;
    sp_store_t *store;
    sp_error_t *err = NULL;
    json_t *result;
    int c, json = 0, status;

    while ((c = getopt_long(argc, argv, "t:f:", options, NULL)) != -1) {
        switch (c) {
        case 't': territory = optarg; break;
        case 'f':
            if (strcmp(optarg, "json") == 0)
                json = 1;
            else if (strcmp(optarg, "text") != 0)
                return sp_cli_usage(cli, "partnership", "--format must be text or json");
            break;
        default: return sp_cli_usage(cli, "partnership", "unknown option");
        }
    }
    if (optind < argc)
        code = argv[optind++];
    if (optind < argc)
        return sp_cli_usage(cli, "partnership", "unexpected argument '%s'", argv[optind]);
    if ((status = sp_cli_open_store(cli, SP_STORE_NOCREATE, &store, &err)) != SP_OK
        || (status = sp_partnership_report(store, code, territory, &result, cli->pool, &err))
               != SP_OK)
        return sp_cli_fail(cli, err);
    if (json)
        dump(result);
    else
        sp_partnership_report_text(result, stdout);
    return SP_OK;
}
