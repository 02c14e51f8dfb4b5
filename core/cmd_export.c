/*
 * cmd_export.c -- `spiral export NAME [--format csv|json] [--output FILE]`.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_cli.h"
#include "sp_export.h"

int sp_cmd_export(sp_cli_t *cli, int argc, char **argv);

int
sp_cmd_export(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"sep", required_argument, NULL, 's'},
        {"decimal", required_argument, NULL, 'd'},
        {NULL, 0, NULL, 0}
    };
    sp_export_options_t opt = {SP_EXPORT_CSV, ',', 0};
    const char *output = NULL, *tmp = NULL;
    sp_store_t *store;
    sp_error_t *err = NULL;
    FILE *out = stdout;
    int c, status;

    while ((c = getopt_long(argc, argv, "f:o:", options, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "csv") == 0)
                opt.format = SP_EXPORT_CSV;
            else if (strcmp(optarg, "json") == 0)
                opt.format = SP_EXPORT_JSON;
            else
                return sp_cli_usage(cli, "export", "--format must be csv or json");
            break;
        case 'o': output = optarg; break;
        case 's':
            if (strcmp(optarg, "tab") == 0)
                opt.sep = '\t';
            else if (strlen(optarg) == 1 && strchr(",;\t|", optarg[0]))
                opt.sep = optarg[0];
            else
                return sp_cli_usage(cli, "export", "--sep must be ',', ';', '|' or tab");
            break;
        case 'd':
            if (strcmp(optarg, ",") != 0 && strcmp(optarg, ".") != 0)
                return sp_cli_usage(cli, "export", "--decimal must be ',' or '.'");
            opt.decimal_comma = optarg[0] == ',';
            break;
        default: return sp_cli_usage(cli, "export", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return sp_cli_usage(cli, "export", optind >= argc ? "missing NAME" : "too many arguments");
    if ((status = sp_cli_open_store(cli, SP_STORE_NOCREATE, &store, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    if (output != NULL) {
        /* Write beside, then rename: a failed export leaves no half file. */
        tmp = apr_pstrcat(cli->pool, output, ".tmp", NULL);
        if ((out = fopen(tmp, "w")) == NULL) {
            sp_error_set(&err, cli->pool, SP_EXIT_CANTCREAT, output, 0, 0, "cannot create: %s",
                         strerror(errno));
            return sp_cli_fail(cli, err);
        }
    }
    status = sp_export_table(store, argv[optind], &opt, out, cli->pool, &err);
    if (output != NULL) {
        if (fclose(out) != 0 && status == SP_OK)
            status = sp_error_set(&err, cli->pool, SP_EXIT_IO, output, 0, 0, "cannot write");
        if (status == SP_OK && rename(tmp, output) != 0)
            status = sp_error_set(&err, cli->pool, SP_EXIT_CANTCREAT, output, 0, 0,
                                  "cannot create: %s", strerror(errno));
        if (status != SP_OK)
            remove(tmp);
    }
    return status == SP_OK ? SP_OK : sp_cli_fail(cli, err);
}
