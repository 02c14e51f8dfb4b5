/*
 * sp_cli.h -- what every subcommand of the spiral program shares.
 *
 * main.c parses the global options (--db, --key, --quiet), then hands the
 * rest of the command line to one command from the table in sp_commands.c.
 * Each command lives in core/cmd_<name>.c, parses its own options with
 * getopt_long (GNU conventions), prints errors through sp_cli_fail and
 * returns an exit status from sp_error.h.
 */
#ifndef SP_CLI_H
#define SP_CLI_H

#include <apr_pools.h>
#include "sp_error.h"
#include "sp_store.h"

typedef struct sp_cli_t {
    apr_pool_t *pool;       /* lives as long as the command */
    const char *progname;   /* "spiral" */
    const char *db_path;    /* --db, else $SPIRAL_DB, else ./spiral.db */
    const char *key_path;   /* --key, else $SPIRAL_KEY, else <db>.key */
    int quiet;              /* --quiet: no progress bar, no notes */
} sp_cli_t;

typedef int (*sp_command_fn)(sp_cli_t *cli, int argc, char **argv);

typedef struct sp_command_t {
    const char *name;
    sp_command_fn run;
    const char *summary;    /* one line for `spiral --help` */
    const char *help;       /* full text for `spiral help NAME` */
} sp_command_t;

extern const sp_command_t sp_commands[];   /* ends with a NULL name */
const sp_command_t *sp_command_find(const char *name);

/* Print err (file:line:column: message) and return its status. */
int sp_cli_fail(const sp_cli_t *cli, const sp_error_t *err);
/* Print "spiral NAME: message" plus a hint to `spiral help NAME`; returns 64. */
int sp_cli_usage(const sp_cli_t *cli, const char *command, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Open the workspace named by the global options. */
int sp_cli_open_store(sp_cli_t *cli, int flags, sp_store_t **store, sp_error_t **err);

#endif
