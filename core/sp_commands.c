/*
 * sp_commands.c -- the table of subcommands, with each one's help text.
 *
 * A command is added here and implemented in core/cmd_<name>.c.
 */
#include <stdio.h>
#include <string.h>
#include "sp_cli.h"

int sp_cmd_init(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_import(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_export(sp_cli_t *cli, int argc, char **argv);
static int cmd_help(sp_cli_t *cli, int argc, char **argv);

const sp_command_t sp_commands[] = {
    {"init", sp_cmd_init, "create or upgrade a workspace, add a territory",
     "Usage: spiral init [--territory CODE [--name NAME] [--country CC] [--population N]]\n"
     "Create the workspace (--db) when it does not exist, apply pending schema\n"
     "migrations, create the pseudonymisation key (--key, mode 0600) and add or\n"
     "update a territory.\n"},
    {"import", sp_cmd_import, "import a CSV file (all or nothing)",
     "Usage: spiral import KIND FILE [OPTION]...\n"
     "       spiral import table NAME FILE [--type COL=TYPE]...\n"
     "Import FILE in one transaction: on any error nothing is imported.\n"
     "Kinds: indicators, forms, responses, table, criteria, actions, evaluations,\n"
     "resources, limits, usage, meter, pact, invitations, accounts, ledger (run\n"
     "`spiral import` with an unknown kind to list them with their summaries;\n"
     "docs/import-formats.md describes every column).\n\n"
     "  -t, --territory=CODE   territory the rows belong to (default: the only one)\n"
     "  -f, --form=CODE        survey form of a responses file without a 'form' column\n"
     "  -D, --delimiter=C      ',', ';', '|' or tab (default: detected)\n"
     "  -e, --encoding=ENC     utf-8, windows-1252, latin1 (default: detected)\n"
     "  -T, --type=COL=TYPE    table kind: force a column to integer, real or text\n"
     "  -s, --skip-bad         import the good rows; write the others with their\n"
     "                         reasons to FILE.rejects.csv\n"
     "  -F, --force            import a content that was imported before\n\n"
     "Files may be comma, semicolon or tab delimited, UTF-8 (with or without BOM),\n"
     "Windows-1252 or Latin-1; numbers may use a decimal comma in files delimited\n"
     "by ';' or tab.  Identifiers are pseudonymised with the workspace key.\n"},
    {"export", sp_cmd_export, "write a table as CSV or JSON",
     "Usage: spiral export NAME [--format csv|json] [--output FILE]\n"
     "                          [--sep ';'] [--decimal ',']\n"
     "Write a table imported with `spiral import table` to standard output or\n"
     "FILE.  JSON is an array of objects in file order with typed values.\n"},
    {"help", cmd_help, "explain a command",
     "Usage: spiral help COMMAND\n"},
    {NULL, NULL, NULL, NULL}
};

static int
cmd_help(sp_cli_t *cli, int argc, char **argv)
{
    const sp_command_t *cmd;

    if (argc != 2)
        return sp_cli_usage(cli, "help", "name one command");
    if ((cmd = sp_command_find(argv[1])) == NULL) {
        fprintf(stderr, "spiral help: unknown command '%s'\n", argv[1]);
        return SP_EXIT_USAGE;
    }
    fputs(cmd->help, stdout);
    return SP_OK;
}
