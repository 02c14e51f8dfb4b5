/*
 * main.c -- the spiral program's command line: global options, then one
 * subcommand from sp_commands.c.  Nothing else lives here.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <apr_version.h>
#include <apu_version.h>
#include <lua.h>
#include <sqlite3.h>
#include "config.h"
#include "sp_cli.h"

static void
print_help(FILE *out)
{
    const sp_command_t *c;

    fprintf(out,
            "Usage: spiral [OPTION]... COMMAND [ARG]...\n"
            "Analytics for SPIRAL territories of co-responsibility: criteria, progress\n"
            "indicators, self-surveys, co-evaluation of actions, resource limits.\n\n"
            "Options:\n"
            "  -d, --db=PATH     workspace file (default $SPIRAL_DB or ./spiral.db)\n"
            "  -k, --key=PATH    pseudonymisation key (default $SPIRAL_KEY or DB.key)\n"
            "  -q, --quiet       no progress bar, no notes\n"
            "  -h, --help        show this help and exit\n"
            "  -V, --version     show versions and exit\n\n"
            "Commands:\n");
    for (c = sp_commands; c->name != NULL; c++)
        fprintf(out, "  %-12s %s\n", c->name, c->summary);
    fprintf(out,
            "\n`spiral help COMMAND` explains one command.\n"
            "Exit status: 0 success, 1 part of a batch failed, 3 script error,\n"
            "64 usage error, 65 bad input data, 66 missing input file,\n"
            "70 internal error, 73 cannot create output, 74 I/O error.\n");
}

static void
print_version(void)
{
    printf("spiral %s\n", PACKAGE_VERSION);
    printf("%s, SQLite %s, APR %s, APR-util %s\n", LUA_RELEASE, sqlite3_libversion(),
           apr_version_string(), apu_version_string());
}

int
main(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"key", required_argument, NULL, 'k'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}
    };
    sp_cli_t cli;
    const sp_command_t *cmd;
    int opt, status;

    if (apr_initialize() != APR_SUCCESS) {
        fputs("spiral: cannot initialise APR\n", stderr);
        return SP_EXIT_SOFTWARE;
    }
    atexit(apr_terminate);
    memset(&cli, 0, sizeof cli);
    apr_pool_create(&cli.pool, NULL);
    cli.progname = "spiral";
    cli.db_path = getenv("SPIRAL_DB");
    cli.key_path = getenv("SPIRAL_KEY");

    /* '+': stop at the command name; its options are its own. */
    while ((opt = getopt_long(argc, argv, "+d:k:qhV", options, NULL)) != -1) {
        switch (opt) {
        case 'd': cli.db_path = optarg; break;
        case 'k': cli.key_path = optarg; break;
        case 'q': cli.quiet = 1; break;
        case 'h': print_help(stdout); return SP_OK;
        case 'V': print_version(); return SP_OK;
        default:
            fputs("Try `spiral --help'.\n", stderr);
            return SP_EXIT_USAGE;
        }
    }
    if (cli.db_path == NULL || *cli.db_path == '\0')
        cli.db_path = "spiral.db";
    if (cli.key_path == NULL || *cli.key_path == '\0')
        cli.key_path = apr_pstrcat(cli.pool, cli.db_path, ".key", NULL);
    if (optind >= argc) {
        print_help(stderr);
        return SP_EXIT_USAGE;
    }
    cmd = sp_command_find(argv[optind]);
    if (cmd == NULL) {
        fprintf(stderr, "spiral: unknown command '%s'\nTry `spiral --help'.\n", argv[optind]);
        return SP_EXIT_USAGE;
    }
    argc -= optind;
    argv += optind;
    optind = 0;     /* glibc: 0 re-initialises getopt for the command */
    status = cmd->run(&cli, argc, argv);
    apr_pool_destroy(cli.pool);
    return status;
}
