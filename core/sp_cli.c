/*
 * sp_cli.c -- helpers shared by the subcommands (see sp_cli.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sp_cli.h"

const sp_command_t *
sp_command_find(const char *name)
{
    const sp_command_t *c;

    for (c = sp_commands; c->name != NULL; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

int
sp_cli_fail(const sp_cli_t *cli, const sp_error_t *err)
{
    sp_error_print(err, cli->progname, stderr);
    return err ? err->status : SP_EXIT_SOFTWARE;
}

int
sp_cli_usage(const sp_cli_t *cli, const char *command, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s %s: ", cli->progname, command);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry `%s help %s'.\n", cli->progname, command);
    return SP_EXIT_USAGE;
}

int
sp_cli_open_store(sp_cli_t *cli, int flags, sp_store_t **store, sp_error_t **err)
{
    return sp_store_open(store, cli->db_path, flags, cli->pool, err);
}
