/*
 * cmd_resource.c -- `spiral limits` (the reference table of limits) and
 * `spiral dashboard` (actual use against them), from sp_resource.c.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sp_cli.h"
#include "sp_resource.h"

int sp_cmd_limits(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_dashboard(sp_cli_t *cli, int argc, char **argv);

static int
population(sp_cli_t *cli, const char *cmd, const char *opt, const char *arg, double *out)
{
    char *end;

    errno = 0;
    *out = strtod(arg, &end);
    if (end == arg || *end != '\0' || errno != 0 || !(*out > 0) || !isfinite(*out))
        return sp_cli_usage(cli, cmd, "--%s: '%s' is not a positive number", opt, arg);
    return SP_OK;
}

static int
run(sp_cli_t *cli, const char *cmd, int argc, char **argv)
{
    static const struct option options[] = {
        {"territory", required_argument, NULL, 't'},
        {"neighbourhood", required_argument, NULL, 'n'},
        {"world-population", required_argument, NULL, 'W'},
        {"country-population", required_argument, NULL, 'C'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}
    };
    int dashboard = strcmp(cmd, "dashboard") == 0, c, json = 0, status;
    const char *neighbourhood = NULL;
    sp_resource_params_t p;
    sp_store_t *store;
    sp_error_t *err = NULL;
    json_t *result;

    sp_resource_params_default(&p);
    while ((c = getopt_long(argc, argv, "t:n:W:C:f:", options, NULL)) != -1) {
        switch (c) {
        case 't': p.territory = optarg; break;
        case 'n':
            if (!dashboard)
                return sp_cli_usage(cli, cmd, "--neighbourhood belongs to `spiral dashboard`");
            neighbourhood = optarg;
            break;
        case 'W':
            if ((status = population(cli, cmd, "world-population", optarg,
                                     &p.world_population)) != SP_OK)
                return status;
            p.world_source = "given on the command line";
            break;
        case 'C':
            if ((status = population(cli, cmd, "country-population", optarg,
                                     &p.country_population)) != SP_OK)
                return status;
            p.country_source = "given on the command line";
            break;
        case 'f':
            if (strcmp(optarg, "json") == 0)
                json = 1;
            else if (strcmp(optarg, "text") != 0)
                return sp_cli_usage(cli, cmd, "--format must be text or json");
            break;
        default: return sp_cli_usage(cli, cmd, "unknown option");
        }
    }
    if (optind < argc)
        return sp_cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
    if ((status = sp_cli_open_store(cli, SP_STORE_NOCREATE, &store, &err)) != SP_OK
        || (status = dashboard ? sp_resource_dashboard(store, &p, neighbourhood, &result,
                                                       cli->pool, &err)
                               : sp_resource_limits(store, &p, &result, cli->pool, &err))
               != SP_OK)
        return sp_cli_fail(cli, err);
    if (json) {
        json_dumpf(result, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
        fputc('\n', stdout);
    } else if (dashboard) {
        sp_resource_dashboard_text(result, stdout);
    } else {
        sp_resource_limits_text(result, stdout);
    }
    return SP_OK;
}

int
sp_cmd_limits(sp_cli_t *cli, int argc, char **argv)
{
    return run(cli, "limits", argc, argv);
}

int
sp_cmd_dashboard(sp_cli_t *cli, int argc, char **argv)
{
    return run(cli, "dashboard", argc, argv);
}
