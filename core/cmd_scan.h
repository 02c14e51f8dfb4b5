/*
 * cmd_scan.h -- what `spiral crosstab` and `spiral aggregate` share: the
 * options that choose and read the data (FILE.csv or the workspace,
 * --where, --weight, --lang, --sep, --decimal, --output), value labels from
 * the workspace, and expanding variable lists (q*, q01-q30).
 */
#ifndef CMD_SCAN_H
#define CMD_SCAN_H

#include <stdio.h>
#include <apr_tables.h>
#include "sp_cli.h"
#include "sp_scan.h"

/* Options common to both commands; cmd_scan_option() fills them. */
typedef struct cmd_scan_t {
    const char *file;           /* CSV, or NULL for the workspace */
    const char *weight;
    sp_where_t *where;
    int include_missing;        /* --missing include */
    double min_cell;            /* --min-cell */
    int no_suppress;
    int format;                 /* 't' text, 'c' csv, 'j' json */
    char sep;                   /* output CSV separator */
    int decimal_comma;          /* output decimal comma */
    int fr;                     /* --lang fr */
    int labels;                 /* 0: --no-labels */
    const char *output;
    int threads;                /* --threads (1 or 2) */
    sp_csv_options_t copt;      /* input --delimiter, --encoding */
    sp_store_t *store;          /* workspace (labels), or NULL */
} cmd_scan_t;

/* getopt_long entries of the common options (value >= 1000). */
#define CMD_SCAN_OPTIONS                                          \
    {"weight", required_argument, NULL, 1000},                    \
    {"where", required_argument, NULL, 1001},                     \
    {"missing", required_argument, NULL, 1002},                   \
    {"min-cell", required_argument, NULL, 1003},                  \
    {"no-suppress", no_argument, NULL, 1004},                     \
    {"format", required_argument, NULL, 1005},                    \
    {"sep", required_argument, NULL, 1006},                       \
    {"decimal", required_argument, NULL, 1007},                   \
    {"lang", required_argument, NULL, 1008},                      \
    {"output", required_argument, NULL, 1009},                    \
    {"threads", required_argument, NULL, 1010},                   \
    {"delimiter", required_argument, NULL, 1011},                 \
    {"encoding", required_argument, NULL, 1012},                  \
    {"no-labels", no_argument, NULL, 1013}

void cmd_scan_init(cmd_scan_t *o);

/* Handle one common option; returns SP_OK or SP_EXIT_USAGE (message
 * printed). */
int cmd_scan_option(sp_cli_t *cli, const char *command, cmd_scan_t *o, int c,
                    const char *arg);

/* After getopt_long: take the optional FILE.csv operand into o->file and
 * refuse any further operand; then refuse missing, the message of the
 * command's own required options when one was not given (NULL when all
 * were), and a decimal comma with comma-separated CSV, in that order.
 * SP_OK or SP_EXIT_USAGE (message printed). */
int cmd_scan_operands(sp_cli_t *cli, const char *command, cmd_scan_t *o, int argc, char **argv,
                      const char *missing);

/* Open the source (o->file or the workspace) and, when the workspace file
 * exists, o->store for labels. */
int cmd_scan_open(sp_cli_t *cli, cmd_scan_t *o, sp_scan_source_t **src, sp_error_t **err);

/* The labels of sp_scan.h (sp_scan_value_label, sp_scan_var_label,
 * sp_scan_bad_at_most, sp_scan_missing_label) with o->store and --lang.
 * Label of value of var in the workspace (value_label, or the item's
 * indicator level), or NULL. */
const char *cmd_scan_label(const cmd_scan_t *o, const char *var, const char *value,
                           apr_pool_t *pool);
/* Label of a variable (the item's indicator), or NULL. */
const char *cmd_scan_var_label(const cmd_scan_t *o, const char *var, apr_pool_t *pool);
/* bad_at_most of an item's indicator, or -1. */
int cmd_scan_bad_at_most(const cmd_scan_t *o, const char *var);

/* Expand "a,b,q*,q01-q30" against the source's variables.  SP_EXIT_USAGE
 * with the known names when one matches nothing. */
int cmd_scan_list(const sp_scan_source_t *src, const char *spec, apr_array_header_t **out,
                  apr_pool_t *pool, sp_error_t **err);

/* Fill req (cleared first) with the nkeys keys and o's --weight and --where;
 * the command adds measures if it has any. */
void cmd_scan_request(const cmd_scan_t *o, const apr_array_header_t *keys,
                      sp_scan_request_t *req);

/* Open --output (or stdout). */
int cmd_scan_out(cmd_scan_t *o, FILE **out, apr_pool_t *pool, sp_error_t **err);

/* Close out (flush it when it is stdout).  SP_EXIT_IO "write error",
 * naming --output, when that fails. */
int cmd_scan_close(const cmd_scan_t *o, FILE *out, apr_pool_t *pool, sp_error_t **err);

/* "(missing)" or "(manquant)". */
const char *cmd_scan_missing_label(const cmd_scan_t *o);

#endif
