/*
 * cmd_project.c -- `spiral project build|diff|show`: the territorial project
 * of well-being, one version per quarter (sp_project.h).  The guidelines
 * per problématique are the Lua table of lib/guidelines.lua (the
 * territory's own, from --territory-dir, before the default one).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include "cmd_evaluate.h"
#include "sp_project.h"

int sp_cmd_project(sp_cli_t *cli, int argc, char **argv);

static const char guidelines_chunk[] =
    "require('spiral').evaluate.emit(require 'lib.guidelines')\n";

static int
load_guidelines(sp_cli_t *cli, const char *territory_dir, json_t **out, sp_error_t **err)
{
    cmd_host_t *host;
    int status;

    *out = NULL;
    if ((status = cmd_host_create(&host, territory_dir, cli->pool, err)) != SP_OK)
        return status;
    if (cmd_host_find_module(host, "lib.guidelines", cli->pool) == NULL) {
        if (!cli->quiet)
            fprintf(stderr, "%s project: no lib/guidelines.lua found: entries get no guideline "
                    "and no gap is flagged\n", cli->progname);
        return SP_OK;
    }
    return cmd_host_run(host, guidelines_chunk, "=guidelines", NULL, 0, NULL, out, err);
}

int
sp_cmd_project(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"quarter", required_argument, NULL, 'q'},
        {"territory", required_argument, NULL, 't'},
        {"territory-dir", required_argument, NULL, 'T'},
        {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'U'},
        {"version", required_argument, NULL, 'v'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}
    };
    const char *quarter = NULL, *territory = NULL, *tdir = NULL, *sub;
    long from = -1, to = -1, version = -1;
    int c, json = 0, status;
    sp_store_t *store;
    sp_error_t *err = NULL;
    json_t *guidelines = NULL, *r = NULL;

    if (argc < 2)
        return sp_cli_usage(cli, "project", "missing build, diff or show");
    sub = argv[1];
    argc--;             /* the subcommand plays argv[0]; optind is 0 (main.c) */
    argv++;
    while ((c = getopt_long(argc, argv, "q:t:T:F:U:v:f:", options, NULL)) != -1) {
        switch (c) {
        case 'q': quarter = optarg; break;
        case 't': territory = optarg; break;
        case 'T': tdir = optarg; break;
        case 'F': from = strtol(optarg, NULL, 10); break;
        case 'U': to = strtol(optarg, NULL, 10); break;
        case 'v': version = strtol(optarg, NULL, 10); break;
        case 'f':
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)
                return sp_cli_usage(cli, "project", "--format is text or json");
            json = strcmp(optarg, "json") == 0;
            break;
        default: return sp_cli_usage(cli, "project", "unknown option");
        }
    }
    if (optind < argc)
        return sp_cli_usage(cli, "project", "unexpected argument '%s'", argv[optind]);
    if (strcmp(sub, "build") != 0 && strcmp(sub, "diff") != 0 && strcmp(sub, "show") != 0)
        return sp_cli_usage(cli, "project", "unknown subcommand '%s' (build, diff, show)", sub);
    if (strcmp(sub, "build") == 0 && quarter == NULL)
        return sp_cli_usage(cli, "project", "build needs --quarter YYYY-QN");
    if ((status = sp_cli_open_store(cli, SP_STORE_NOCREATE, &store, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    if (strcmp(sub, "diff") != 0
        && (status = load_guidelines(cli, tdir, &guidelines, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    if (strcmp(sub, "build") == 0)
        status = sp_project_build(store, territory, quarter, guidelines, &r, cli->pool, &err);
    else if (strcmp(sub, "show") == 0)
        status = sp_project_show(store, territory, version, guidelines, &r, cli->pool, &err);
    else
        status = sp_project_diff(store, territory, from, to, &r, cli->pool, &err);
    json_decref(guidelines);
    if (status != SP_OK)
        return sp_cli_fail(cli, err);
    if (json) {
        json_dumpf(r, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
        fputc('\n', stdout);
    } else
        status = sp_project_render_text(r, stdout, cli->pool, &err);
    json_decref(r);
    if (status != SP_OK)
        return sp_cli_fail(cli, err);
    if (!cli->quiet && strcmp(sub, "build") == 0)
        fprintf(stderr, "%s project: version built for %s\n", cli->progname, quarter);
    return SP_OK;
}
