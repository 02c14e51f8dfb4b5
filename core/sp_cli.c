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

const char *const *
sp_cli_script_roots(apr_pool_t *pool, const char *territory_dir)
{
    const char **roots = apr_pcalloc(pool, 5 * sizeof *roots);
    const char *env = getenv("SPIRAL_SCRIPTS");
    char exe[4096];
    ssize_t len;
    int n = 0;

    if (territory_dir != NULL)
        roots[n++] = territory_dir;
    if (env != NULL && *env != '\0')
        roots[n++] = env;
    /* A program run from its build tree uses its source tree's scripts,
     * whatever an earlier `make install` left in the data folder. */
    len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        if (strncmp(exe, SP_BUILDDIR "/", strlen(SP_BUILDDIR) + 1) == 0)
            roots[n++] = SP_SRCDIR "/scripts";
    }
    roots[n++] = SP_PKGDATADIR "/scripts";
    roots[n] = NULL;
    return roots;
}
