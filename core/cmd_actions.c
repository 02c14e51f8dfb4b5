/*
 * cmd_actions.c -- `spiral actions search|networks`: the command line of
 * sp_actions.h.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_actions.h"
#include "sp_cli.h"
#include "sp_grid.h"

int sp_cmd_actions(sp_cli_t *cli, int argc, char **argv);

static int
run(sp_cli_t *cli, int argc, char **argv, int networks)
{
    static const struct option options[] = {
        {"theme", required_argument, NULL, 'T'},
        {"territory", required_argument, NULL, 't'},
        {"component", required_argument, NULL, 'c'},
        {"problematique", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}
    };
    sp_actions_query_t q;
    int format = SP_GRID_TEXT, c, status;
    sp_store_t *store;
    sp_error_t *err = NULL;
    json_t *res;
    const char *text = NULL;

    memset(&q, 0, sizeof q);
    while ((c = getopt_long(argc, argv, "f:", options, NULL)) != -1) {
        switch (c) {
        case 'T': q.theme = optarg; break;
        case 't': q.territory = optarg; break;
        case 'c': q.component = optarg; break;
        case 'p': q.problematique = optarg; break;
        case 'f':
            if ((format = sp_grid_format_parse(optarg)) < 0)
                return sp_cli_usage(cli, "actions", "--format must be text, csv or json");
            break;
        default: return sp_cli_usage(cli, "actions", "unknown option");
        }
    }
    /* Several words may come as several arguments: they are all required. */
    for (; optind < argc; optind++)
        text = text ? apr_pstrcat(cli->pool, text, " ", argv[optind], NULL) : argv[optind];
    if (networks && (text || q.territory || q.component || q.problematique))
        return sp_cli_usage(cli, "actions", "networks takes --theme and --format only");
    q.text = text;
    if ((status = sp_cli_open_store(cli, SP_STORE_NOCREATE, &store, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    if (networks)
        status = sp_actions_networks(store, q.theme, &res, cli->pool, &err);
    else
        status = sp_actions_search(store, &q, &res, cli->pool, &err);
    if (status != SP_OK)
        return sp_cli_fail(cli, err);
    if (format == SP_GRID_JSON)
        status = sp_grid_print_json(res, stdout, cli->pool, &err);
    else
        status = sp_grid_print(networks ? sp_actions_networks_grid(res, cli->pool)
                               : sp_actions_search_grid(res, cli->pool),
                               (sp_grid_format_t)format, stdout, cli->pool, &err);
    return status == SP_OK ? SP_OK : sp_cli_fail(cli, err);
}

int
sp_cmd_actions(sp_cli_t *cli, int argc, char **argv)
{
    if (argc < 2)
        return sp_cli_usage(cli, "actions", "missing search or networks");
    if (strcmp(argv[1], "search") == 0)
        return run(cli, argc - 1, argv + 1, 0);
    if (strcmp(argv[1], "networks") == 0)
        return run(cli, argc - 1, argv + 1, 1);
    return sp_cli_usage(cli, "actions", "unknown subcommand '%s' (search or networks)", argv[1]);
}
