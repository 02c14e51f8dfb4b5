/*
 * cmd_workflow.h -- what `spiral criteria suggest`, `spiral groups` and
 * `spiral synthesis` share: a workspace with its territory, the Lua host of
 * cmd_evaluate.h to run the rules of scripts/lib (coding.lua, routing.lua,
 * allocation.lua) with a territory's own files, and the coordination groups
 * with what was routed to them.
 *
 * A territory's rule file NAME.lua is found as DIR/NAME.lua when the
 * command got --territory-dir DIR, else as the module
 * territories.<code>.NAME of the script roots, <code> being the
 * workspace's territory code.  The Lua runs before anything is written, so
 * an error in a rule file (exit 3, file:line) leaves the workspace as it
 * was.
 *
 * Counts shown to everyone go through cmd_wf_count: 1 to 4 people are
 * shown as "<5" (small cells are not published; DOMAIN.md).
 */
#ifndef CMD_WORKFLOW_H
#define CMD_WORKFLOW_H

#include <jansson.h>
#include "cmd_evaluate.h"
#include "sp_cli.h"
#include "sp_import.h"
#include "sp_territory.h"

/* Counts from 1 to this minus 1 are shown as "<5". */
#define CMD_WF_MIN_CELL 5

typedef struct cmd_wf_t {
    sp_cli_t *cli;
    sp_store_t *store;
    sp_territory_t *territory;
    const char *territory_dir;  /* --territory-dir or NULL */
    cmd_host_t *host;
} cmd_wf_t;

/* Open the workspace (read-write), find its only territory and create the
 * Lua host.  Errors as sp_cli_open_store, sp_territory_find and
 * cmd_host_create; *err in cli->pool. */
int cmd_wf_open(sp_cli_t *cli, const char *territory_dir, cmd_wf_t *wf, sp_error_t **err);

/* The module name of the territory's file name ("coding", "routing",
 * "allocation", "pack") for require, or "" when the territory has none. */
const char *cmd_wf_module(cmd_wf_t *wf, const char *name);

/* Run the Lua chunk code (chunk name name) with input and the NULL-
 * terminated string arguments args as `...`; *out is what it emitted,
 * kept alive as long as cli->pool (NULL when it emitted nothing).  Script
 * errors are SP_EXIT_SCRIPT with file and line. */
int cmd_wf_lua(cmd_wf_t *wf, const char *code, const char *name, json_t *input,
               const char *const *args, json_t **out, sp_error_t **err);

/* The coordination groups of the territory, by id, each
 *   {"code", "kind", "label_fr", "label_en",
 *    "needs": [{"kind", "theme"}...], "offers": [{"kind", "theme", "amount"|null}...]}
 * with needs and offers by id; owned by cli->pool.  No identifiers, no
 * free text. */
int cmd_wf_groups(cmd_wf_t *wf, json_t **groups, sp_error_t **err);

/* Find the group code in groups (from cmd_wf_groups); SP_EXIT_DATA naming
 * the code when there is none. */
int cmd_wf_find_group(cmd_wf_t *wf, json_t *groups, const char *code, json_t **group,
                      sp_error_t **err);

/* A count for everyone: an integer, or the string "<5" for 1..4. */
json_t *cmd_wf_count(long n);
/* The same as text ("12", "<5", "0"), in pool. */
const char *cmd_wf_count_text(long n, apr_pool_t *pool);

/* The import kind `spiral criteria accept` uses for path: `codes`, or,
 * when the header has a "rule" column (a file written by `spiral criteria
 * suggest`), a kind that also takes the columns group, question, text,
 * rule and score and leaves criteria whose code is empty uncoded. */
const sp_import_kind_t *cmd_coding_accept_kind(const char *path);

/* `spiral criteria suggest`, argv[0] being "suggest". */
int cmd_criteria_suggest(sp_cli_t *cli, int argc, char **argv);

#endif
