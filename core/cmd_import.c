/*
 * cmd_import.c -- `spiral import KIND FILE` and `spiral import table NAME FILE`.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <apr_strings.h>
#include "sp_cli.h"
#include "sp_import.h"

int sp_cmd_import(sp_cli_t *cli, int argc, char **argv);

int
sp_cmd_import(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"territory", required_argument, NULL, 't'},
        {"form", required_argument, NULL, 'f'},
        {"delimiter", required_argument, NULL, 'D'},
        {"encoding", required_argument, NULL, 'e'},
        {"type", required_argument, NULL, 'T'},
        {"skip-bad", no_argument, NULL, 's'},
        {"force", no_argument, NULL, 'F'},
        {NULL, 0, NULL, 0}
    };
    const sp_import_kind_t *kind;
    sp_import_options_t opt;
    sp_import_result_t result;
    sp_store_t *store;
    sp_pseudo_t *pseudo;
    sp_error_t *err = NULL;
    const char **types;
    const char *path;
    int c, ntypes = 0, status;

    memset(&opt, 0, sizeof opt);
    types = apr_pcalloc(cli->pool, sizeof(char *) * (size_t)(argc + 1));
    while ((c = getopt_long(argc, argv, "t:f:D:e:T:sF", options, NULL)) != -1) {
        switch (c) {
        case 't': opt.territory = optarg; break;
        case 'f': opt.target = optarg; break;
        case 'D':
            if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0)
                opt.csv.delimiter = '\t';
            else if (strlen(optarg) == 1 && strchr(",;\t|", optarg[0]))
                opt.csv.delimiter = optarg[0];
            else
                return sp_cli_usage(cli, "import", "--delimiter must be ',', ';', '|' or tab");
            break;
        case 'e': {
            int enc = sp_csv_parse_encoding(optarg);

            if (enc < 0)
                return sp_cli_usage(cli, "import", "unknown encoding '%s' (utf-8, windows-1252, "
                                    "latin1 or auto)", optarg);
            opt.csv.encoding = (sp_encoding_t)enc;
            break;
        }
        case 'T': types[ntypes++] = optarg; break;
        case 's': opt.skip_bad = 1; break;
        case 'F': opt.force = 1; break;
        default: return sp_cli_usage(cli, "import", "unknown option");
        }
    }
    opt.types = types;
    opt.progress = !cli->quiet;
    if (optind >= argc)
        return sp_cli_usage(cli, "import", "missing KIND");
    if ((kind = sp_import_kind_find(argv[optind])) == NULL) {
        int i;

        fprintf(stderr, "spiral import: unknown kind '%s'; kinds are:\n", argv[optind]);
        for (i = 0; sp_import_kinds[i] != NULL; i++)
            fprintf(stderr, "  %-12s %s\n", sp_import_kinds[i]->name, sp_import_kinds[i]->summary);
        return SP_EXIT_USAGE;
    }
    optind++;
    if (strcmp(kind->name, "table") == 0) {
        if (optind >= argc)
            return sp_cli_usage(cli, "import", "missing table NAME");
        opt.target = argv[optind++];
    }
    if (optind >= argc)
        return sp_cli_usage(cli, "import", "missing FILE");
    path = argv[optind++];
    if (optind < argc)
        return sp_cli_usage(cli, "import", "unexpected argument '%s'", argv[optind]);
    if (access(path, R_OK) != 0) {
        sp_error_set(&err, cli->pool, SP_EXIT_NOINPUT, path, 0, 0, "cannot open: %s",
                     strerror(errno));
        return sp_cli_fail(cli, err);
    }

    if ((status = sp_cli_open_store(cli, 0, &store, &err)) != SP_OK
        || (status = sp_pseudo_open(&pseudo, cli->key_path, cli->pool, &err)) != SP_OK
        || (status = sp_import_file(store, pseudo, kind, path, &opt, &result, cli->pool,
                                    &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    if (!cli->quiet) {
        fprintf(stderr, "%s: imported %ld row(s) as %s", path, result.rows_imported, kind->name);
        if (result.rows_rejected)
            fprintf(stderr, "; %ld rejected, written to %s", result.rows_rejected,
                    result.rejects_path);
        if (result.note)
            fprintf(stderr, "; %s", result.note);
        fputc('\n', stderr);
    }
    return SP_OK;
}
