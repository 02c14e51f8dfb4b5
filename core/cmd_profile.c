/*
 * cmd_profile.c -- `spiral profile`: the command line of sp_profile.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_cli.h"
#include "sp_grid.h"
#include "sp_profile.h"

int sp_cmd_profile(sp_cli_t *cli, int argc, char **argv);

int
sp_cmd_profile(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"respondent", required_argument, NULL, 'r'},
        {"group-by", required_argument, NULL, 'g'},
        {"family", no_argument, NULL, 'F'},
        {"min-cell", required_argument, NULL, 'm'},
        {"no-suppress", no_argument, NULL, 'N'},
        {"format", required_argument, NULL, 'f'},
        {"lang", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0}
    };
    sp_profile_opts_t opt;
    const char *lang = "fr";
    long respondent = 0;
    int format = SP_GRID_TEXT, c, status;
    char *end, *dims = NULL, *tok, *save;
    sp_store_t *store;
    sp_error_t *err = NULL;
    json_t *res;

    memset(&opt, 0, sizeof opt);
    while ((c = getopt_long(argc, argv, "r:g:f:", options, NULL)) != -1) {
        switch (c) {
        case 'r':
            errno = 0;
            respondent = strtol(optarg, &end, 10);
            if (errno || *end || end == optarg || respondent < 1)
                return sp_cli_usage(cli, "profile", "--respondent: '%s' is not a respondent id",
                                    optarg);
            break;
        case 'g': dims = apr_pstrdup(cli->pool, optarg); break;
        case 'F': opt.family = 1; break;
        case 'm':
            errno = 0;
            opt.min_cell = (unsigned)strtoul(optarg, &end, 10);
            if (errno || *end || end == optarg || opt.min_cell < 1 || opt.min_cell > 1000)
                return sp_cli_usage(cli, "profile", "--min-cell must be from 1 to 1000");
            break;
        case 'N': opt.no_suppress = 1; break;
        case 'f':
            if ((format = sp_grid_format_parse(optarg)) < 0)
                return sp_cli_usage(cli, "profile", "--format must be text, csv or json");
            break;
        case 'l':
            if (strcmp(optarg, "fr") != 0 && strcmp(optarg, "en") != 0)
                return sp_cli_usage(cli, "profile", "--lang must be fr or en");
            lang = optarg;
            break;
        default: return sp_cli_usage(cli, "profile", "unknown option");
        }
    }
    if (optind < argc)
        return sp_cli_usage(cli, "profile", "unexpected argument '%s'", argv[optind]);
    if (respondent && (dims || opt.family || opt.no_suppress || opt.min_cell))
        return sp_cli_usage(cli, "profile", "--respondent shows one person: it takes no "
                            "--group-by, --family, --min-cell or --no-suppress");
    for (tok = dims ? apr_strtok(dims, ",", &save) : NULL; tok; tok = apr_strtok(NULL, ",", &save)) {
        if (!sp_profile_dim_ok(tok))
            return sp_cli_usage(cli, "profile", "--group-by: '%s' is not neighbourhood, form "
                                "or wave", tok);
        if (opt.ndims == SP_PROFILE_MAX_DIMS)
            return sp_cli_usage(cli, "profile", "--group-by: three variables at most");
        opt.dims[opt.ndims++] = tok;
    }
    if ((status = sp_cli_open_store(cli, SP_STORE_NOCREATE, &store, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    if (respondent)
        status = sp_profile_respondent(store, respondent, &res, cli->pool, &err);
    else
        status = sp_profile_groups(store, &opt, &res, cli->pool, &err);
    if (status != SP_OK)
        return sp_cli_fail(cli, err);
    if (format == SP_GRID_JSON)
        status = sp_grid_print_json(res, stdout, cli->pool, &err);
    else
        status = sp_grid_print(respondent ? sp_profile_respondent_grid(res, lang, cli->pool)
                               : sp_profile_groups_grid(res, cli->pool),
                               (sp_grid_format_t)format, stdout, cli->pool, &err);
    return status == SP_OK ? SP_OK : sp_cli_fail(cli, err);
}
