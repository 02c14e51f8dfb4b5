/*
 * cmd_forms.c -- `spiral forms export FORM --html FILE | --csv FILE`: the
 * command line of sp_forms.h.  Each file is written beside its name and
 * renamed, so a failed export leaves no half file.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_cli.h"
#include "sp_forms.h"

int sp_cmd_forms(sp_cli_t *cli, int argc, char **argv);

static int
write_file(sp_cli_t *cli, const char *path, const json_t *form, int html, sp_error_t **err)
{
    const char *tmp = apr_pstrcat(cli->pool, path, ".tmp", NULL);
    FILE *out = fopen(tmp, "w");
    int status;

    if (out == NULL)
        return sp_error_set(err, cli->pool, SP_EXIT_CANTCREAT, path, 0, 0, "cannot create: %s",
                            strerror(errno));
    status = html ? sp_forms_write_html(form, out, cli->pool, err)
                  : sp_forms_write_csv(form, out, cli->pool, err);
    if (fclose(out) != 0 && status == SP_OK)
        status = sp_error_set(err, cli->pool, SP_EXIT_IO, path, 0, 0, "cannot write");
    if (status == SP_OK && rename(tmp, path) != 0)
        status = sp_error_set(err, cli->pool, SP_EXIT_CANTCREAT, path, 0, 0, "cannot create: %s",
                              strerror(errno));
    if (status != SP_OK)
        remove(tmp);
    return status;
}

int
sp_cmd_forms(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"html", required_argument, NULL, 'h'},
        {"csv", required_argument, NULL, 'c'},
        {"lang", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0}
    };
    const char *html = NULL, *csv = NULL, *lang = "fr";
    sp_store_t *store;
    sp_error_t *err = NULL;
    json_t *form;
    int c, status;

    if (argc < 2 || strcmp(argv[1], "export") != 0)
        return sp_cli_usage(cli, "forms", argc < 2 ? "missing export"
                            : "unknown subcommand '%s' (export)", argv[1]);
    argc--;
    argv++;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'h': html = optarg; break;
        case 'c': csv = optarg; break;
        case 'l':
            if (strcmp(optarg, "fr") != 0 && strcmp(optarg, "en") != 0)
                return sp_cli_usage(cli, "forms", "--lang must be fr or en");
            lang = optarg;
            break;
        default: return sp_cli_usage(cli, "forms", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return sp_cli_usage(cli, "forms", optind >= argc ? "missing FORM" : "one FORM at a time");
    if (html == NULL && csv == NULL)
        return sp_cli_usage(cli, "forms", "say what to write: --html FILE and/or --csv FILE");
    if ((status = sp_cli_open_store(cli, SP_STORE_NOCREATE, &store, &err)) != SP_OK
        || (status = sp_forms_load(store, argv[optind], lang, &form, cli->pool, &err)) != SP_OK
        || (html && (status = write_file(cli, html, form, 1, &err)) != SP_OK)
        || (csv && (status = write_file(cli, csv, form, 0, &err)) != SP_OK))
        return sp_cli_fail(cli, err);
    return SP_OK;
}
