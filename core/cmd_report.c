/*
 * cmd_report.c -- `spiral report [--lang fr|en] [--output DIR] [--plan CODE]
 * [--min-cell K]`: build the facilitator's report (sp_report.c) from the
 * workspace and write DIR/report.html, report.json, report-*.csv and,
 * when the xlsx plugin can be loaded, report.xlsx; then print where the
 * report is.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_cli.h"
#include "sp_report.h"

int sp_cmd_report(sp_cli_t *cli, int argc, char **argv);

int
sp_cmd_report(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"lang", required_argument, NULL, 'l'},
        {"output", required_argument, NULL, 'o'},
        {"plan", required_argument, NULL, 'p'},
        {"min-cell", required_argument, NULL, 'k'},
        {"territory", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0}
    };
    sp_report_options_t ro;
    const char *dir = "report", *xlsx;
    sp_store_t *store;
    sp_error_t *err = NULL, *xerr = NULL;
    sp_report_t *rep;
    const char *const *notes;
    size_t nnotes, i;
    char *end;
    int c, rc;

    sp_report_options_init(&ro);
    while ((c = getopt_long(argc, argv, "l:o:p:k:t:", options, NULL)) != -1) {
        switch (c) {
        case 'l':
            if (strcmp(optarg, "fr") == 0)
                ro.lang = SP_REPORT_FR;
            else if (strcmp(optarg, "en") == 0)
                ro.lang = SP_REPORT_EN;
            else
                return sp_cli_usage(cli, "report", "--lang must be fr or en");
            break;
        case 'o': dir = optarg; break;
        case 'p': ro.plan = optarg; break;
        case 't': ro.territory = optarg; break;
        case 'k':
            ro.min_cell = strtod(optarg, &end);
            if (end == optarg || *end || !(ro.min_cell >= 1) || ro.min_cell > 1000)
                return sp_cli_usage(cli, "report", "--min-cell must be a number from 1 to 1000");
            break;
        default: return sp_cli_usage(cli, "report", "unknown option");
        }
    }
    if (optind < argc)
        return sp_cli_usage(cli, "report", "unexpected argument '%s'", argv[optind]);
    if ((rc = sp_cli_open_store(cli, SP_STORE_NOCREATE, &store, &err)) != SP_OK
        || (rc = sp_report_build(store, &ro, &rep, cli->pool, &err)) != SP_OK
        || (rc = sp_report_write(rep, dir, cli->pool, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    xlsx = apr_pstrcat(cli->pool, dir, "/report.xlsx", NULL);
    if (sp_report_write_xlsx(rep, xlsx, cli->pool, &xerr) != SP_OK) {
        xlsx = NULL;
        if (!cli->quiet)
            fprintf(stderr, "spiral report: no report.xlsx: %s\n",
                    xerr && xerr->message ? xerr->message : "the xlsx plugin failed");
    }
    notes = sp_report_fallbacks(rep, &nnotes);
    for (i = 0; i < nnotes && !cli->quiet; i++)
        fprintf(stderr, "spiral report: note: %s\n", notes[i]);
    printf("Report: %s/report.html\n", dir);
    printf("Same numbers: %s/report.json, %s/report-*.csv%s%s\n", dir, dir,
           xlsx ? ", " : "", xlsx ? xlsx : "");
    return SP_OK;
}
