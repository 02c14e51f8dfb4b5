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
int sp_cmd_crosstab(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_aggregate(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_ledger(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_limits(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_dashboard(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_pact(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_partnership(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_criteria(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_actions(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_forms(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_profile(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_evaluate(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_project(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_run(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_check(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_lua(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_report(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_meter(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_groups(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_synthesis(sp_cli_t *cli, int argc, char **argv);
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
     "Kinds: indicators, forms, responses, table, taxonomy, taxonomy-map, codes,\n"
     "criteria, actions, evaluations, resources, limits, usage, meter, pact,\n"
     "invitations, accounts, ledger, partnership (run `spiral import` with an\n"
     "unknown kind to list them with their summaries; docs/import-formats.md\n"
     "describes every column).\n\n"
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
    {"crosstab", sp_cmd_crosstab, "weighted cross-tabulation of a CSV file or the workspace",
     "Usage: spiral crosstab [FILE.csv] --rows V --cols V [--layers V[,V...]] [OPTION]...\n"
     "Cross-tabulate FILE.csv (no import needed) or, without FILE, the workspace's\n"
     "respondents (--db; variables wave, form, neighbourhood, age_band, gender,\n"
     "social_category, weight and every form item by name).\n\n"
     "  -r, --rows=V            row variable\n"
     "  -c, --cols=V            column variable\n"
     "  -l, --layers=V[,V...]   layer variables (one table per combination)\n"
     "      --weight=W          frequency weight variable (>= 0; empty = left out)\n"
     "      --where=FILTER      keep some records: VAR=VALUE, VAR!=VALUE,\n"
     "                          VAR in A|B|C, joined by ',' (AND); an empty VALUE\n"
     "                          means missing (VAR!= drops the missing ones)\n"
     "  -p, --percent=row,col,total  percentages shown in text\n"
     "  -s, --stats             text: also expected counts and adjusted residuals\n"
     "      --missing=exclude|include  missing values left out and counted\n"
     "                          (default), or shown as a level \"(missing)\"\n"
     "      --min-cell=K        hide cells of 1..K-1 records (default 5)\n"
     "      --no-suppress       hide nothing; the output says \"not for publication\"\n"
     "      --format=text|csv|json   (JSON: 17 significant digits, see README)\n"
     "      --sep=C --decimal=C CSV separator and decimal mark (French: ';' ',')\n"
     "      --lang=fr|en        labels from the workspace (value_label, item levels)\n"
     "      --no-labels         show codes, not labels\n"
     "      --output=FILE       write there instead of standard output\n"
     "      --delimiter=C --encoding=ENC   input CSV (default: detected)\n"
     "      --threads=1|2       threads of the scan (default 2)\n"
     "Missing: an empty field (CSV) or no answer (workspace).  Levels are sorted\n"
     "numerically when all are numbers, else alphabetically (bytes).\n"},
    {"aggregate", sp_cmd_aggregate, "weighted statistics of many indicators by groups",
     "Usage: spiral aggregate [FILE.csv] --vars LIST --by V[,V...] [OPTION]...\n"
     "Count, weighted mean, standard deviation, quartiles and share \"bad or\n"
     "worse\" of ordinal indicators (levels 1..254) for every group of the --by\n"
     "variables, from FILE.csv or the workspace (as `spiral crosstab`).\n\n"
     "      --vars=LIST         q01,q02 or 'q*' or a range q01-q30 (file order)\n"
     "      --by=V[,V...]       grouping variables\n"
     "      --bad-at-most=K     share of levels <= K (default: the indicator's, or 2)\n"
     "      --weight, --where, --missing, --min-cell, --no-suppress, --format,\n"
     "      --sep, --decimal, --lang, --no-labels, --output, --delimiter,\n"
     "      --encoding, --threads   as for `spiral crosstab`\n"
     "With --missing include, a missing grouping value is a group \"(missing)\".\n"},
    {"ledger", sp_cmd_ledger, "the books of the time bank, the fund and the goods",
     "Usage: spiral ledger check|balances|statement [--ledger time|fund|goods]\n"
     "                    [--quarter 2026-Q1] [--date YYYY-MM-DD] [--format text|json]\n"
     "       spiral ledger transfer --ledger L --date D --from A --to B --amount N\n"
     "                    [--category C] [--memo M]\n"
     "check: every transfer sums to zero, moves existing accounts of its ledger,\n"
     "and no balance leaves its limits at any date (exit 65 with the problems\n"
     "listed when the books do not balance).  balances: per account, at --date.\n"
     "statement: per ledger and quarter, opening, received, given, closing, and\n"
     "volume per category.  transfer: post one transfer (refused, and nothing\n"
     "written, for an unknown account, an amount <= 0 or a limit crossed).\n"
     "See docs/pooling.md.\n"},
    {"limits", sp_cmd_limits, "the reference table of resource limits",
     "Usage: spiral limits [--territory CODE] [--world-population N]\n"
     "                     [--country-population N] [--format text|json]\n"
     "Every limit turned into a per-person and a territory limit by population\n"
     "(territory.population; world 8.0e9 and France 68.4e6 by default, with\n"
     "sources), and the limit the dashboard uses per resource.\n"},
    {"dashboard", sp_cmd_dashboard, "actual use of resources against their limits",
     "Usage: spiral dashboard [--neighbourhood NAME] [--territory CODE]\n"
     "                        [--world-population N] [--country-population N]\n"
     "                        [--format text|json]\n"
     "Per resource (and per neighbourhood with data): use per year, ratio to the\n"
     "limit, least-squares trend, the year the trend meets the limit or \"never at\n"
     "this pace\" or \"already within\", and a flag where the overshoot grows.\n"},
    {"pact", sp_cmd_pact, "diffusion of the territorial pact and the charter",
     "Usage: spiral pact [--as-of YYYY-MM-DD] [--stall QUARTERS] [--territory CODE]\n"
     "                   [--format text|json]\n"
     "Signatories per quarter against the plan's doubling target, the observed\n"
     "pace and the quarter it covers the population, stalled chains (invitations\n"
     "pending --stall quarters, default 2, none accepted), the share by\n"
     "neighbourhood and the organisations that signed the charter.\n"},
    {"partnership", sp_cmd_partnership, "producer-consumer partnerships season by season",
     "Usage: spiral partnership [CODE] [--territory CODE] [--format text|json]\n"
     "Each season's indicators as producers and consumers report them, against\n"
     "the agreed targets and, for resources, the per-person limit.\n"},
    {"criteria", sp_cmd_criteria, "statistics of criteria per taxonomy code; bulk coding",
     "Usage: spiral criteria stats [--level family|component|subobject]\n"
     "                             [--by question|group_kind|age_band|neighbourhood|cycle]\n"
     "                             [--taxonomy NAME:VERSION] [--from DATE|--cycle N]\n"
     "                             [--to DATE|--cycle M] [--format text|csv|json] [--lang fr|en]\n"
     "                             [--chart FILE.svg]\n"
     "       spiral criteria list [--uncoded] [--format text|csv|json]\n"
     "       spiral criteria suggest [--territory-dir DIR] [--output FILE.csv]\n"
     "       spiral criteria accept FILE.csv [--force]\n"
     "stats: counts and shares of criteria per code, rolled up by prefix (A01-11\n"
     "counts for A01 and A); every node of the taxonomy down to --level is listed,\n"
     "with 0 when no group mentioned it; uncoded criteria are counted apart.  With\n"
     "--by, one column per value (synchronic).  With two periods (--from DATE or\n"
     "--cycle N, then --to DATE or --cycle M) the counts, shares and change in\n"
     "percentage points between them (diachronic); a DATE period holds the groups\n"
     "met on or before it.  One --cycle, or --to alone, selects.  --taxonomy shows\n"
     "criteria coded in another version through taxonomy_map; unmapped codes are\n"
     "listed.\n"
     "list: the criteria (--uncoded: those without a code, with the best pending\n"
     "suggestion).\n"
     "accept: FILE.csv has columns criterion_id,code; sets each code, all or\n"
     "nothing, coded_by 'analyst' or 'accepted-suggestion' when it is the object\n"
     "code a rule suggested.\n"
     "suggest: codes for every uncoded criterion from the keyword rules of\n"
     "lib/coding.lua (and the territory's coding.lua), the more general code when\n"
     "in doubt; replaces the stored suggestions and writes a CSV (criterion_id,\n"
     "group, question, text, code, rule, score) to correct and give to accept.\n"
     "Never codes a criterion itself.\n"},
    {"actions", sp_cmd_actions, "search actions; thematic networks",
     "Usage: spiral actions search [TEXT...] [--theme T] [--territory TOWN]\n"
     "                             [--component CODE] [--problematique P]\n"
     "                             [--format text|csv|json]\n"
     "       spiral actions networks [--theme T] [--format text|csv|json]\n"
     "search: full-text search (every word required, accents and case ignored:\n"
     "\"energie\" finds \"énergie\"), best match first (bm25); filters combine:\n"
     "--component matches the code and its finer codes (A01 finds A01-11).\n"
     "networks: per theme, the actions, the actors who carry them and the towns;\n"
     "actors carrying actions in several themes are listed as bridges.\n"},
    {"forms", sp_cmd_forms, "a self-survey form as printable HTML or a CSV template",
     "Usage: spiral forms export FORM [--html FILE] [--csv FILE] [--lang fr|en]\n"
     "--html: one self-contained page to print: each item's wording and its ladder\n"
     "of levels as tick boxes, then the life project (needs, offers, themes).\n"
     "--csv: the header `spiral import responses --form FORM` expects, for data\n"
     "entry: id,wave,neighbourhood,age_band,gender,social_category,weight, the\n"
     "items, needs,offers,comment.\n"},
    {"profile", sp_cmd_profile, "well-being profiles of respondents and groups",
     "Usage: spiral profile --respondent N [--format text|csv|json] [--lang fr|en]\n"
     "       spiral profile [--group-by neighbourhood,form,wave] [--family]\n"
     "                      [--min-cell K] [--no-suppress] [--format text|csv|json]\n"
     "--respondent: one respondent's level per indicator and per family (the\n"
     "lower median of the family's answered indicators).\n"
     "Groups: per indicator (or family with --family) the weighted distribution\n"
     "of levels, the median and the share at \"bad or worse\" (at or below the\n"
     "indicator's bad_at_most).  Groups of fewer than K respondents (default 5),\n"
     "and entries of fewer than K answers, are withheld unless --no-suppress.\n"},
    {"evaluate", sp_cmd_evaluate, "co-evaluate action plans against a grid, in one batch",
     "Usage: spiral evaluate [PLAN...] [--all] [--plans-dir DIR] [OPTION]...\n"
     "       spiral evaluate --template FILE.csv [PLAN] [--grid CODE]\n"
     "Per action of each plan: the impact profile per component and family (mean\n"
     "and median across evaluator groups), their spread with disagreements\n"
     "flagged, the co-responsibility viewpoint (actors, sectors, new links) and\n"
     "the resource viewpoint; across actions: gaps, overlaps, complements, the\n"
     "ex-ante/ex-post deltas, and the ranking and synthesis of the grid's Lua.\n"
     "No PLAN: every plan of the workspace (as --all).  A failing plan is\n"
     "reported and the others still run; exit 1 when any failed, 64 when no grid\n"
     "script defines the grid.  docs/evaluate.md has the definitions.\n\n"
     "  -a, --all                every plan of the workspace (--db)\n"
     "  -P, --plans-dir=DIR      every plan of every workspace DIR/*.db\n"
     "  -g, --grid=CODE          the grid (default: the only one the evaluations use,\n"
     "                           else 'default')\n"
     "  -T, --territory-dir=DIR  the territory's scripts (init.lua, lib/grid.lua)\n"
     "  -p, --phase=ex-ante|ex-post|both   (default both)\n"
     "  -d, --threshold=X        disagreement when groups differ by more than X\n"
     "                           (default: the grid's, else half the scale's range)\n"
     "  -f, --format=text|json   standard output (default text)\n"
     "  -o, --output=DIR         plan-CODE.json and plan-CODE.txt per plan (per\n"
     "                           workspace subfolder with --plans-dir); a name ending\n"
     "                           in .txt or .json gets all plans in one file\n"
     "  -t, --template=FILE.csv  write the evaluations template of the grid: one\n"
     "                           row per action x component, scores empty\n"
     "Scripts are searched in --territory-dir, then $SPIRAL_SCRIPTS or the\n"
     "installed scripts folder.\n"},
    {"project", sp_cmd_project, "the territorial project of well-being, quarter by quarter",
     "Usage: spiral project build --quarter YYYY-QN [--territory CODE] [--territory-dir DIR]\n"
     "                            [--format text|json]\n"
     "       spiral project diff [--from V] [--to V] [--territory CODE] [--format text|json]\n"
     "       spiral project show [--version V] [--territory CODE] [--format text|json]\n"
     "build: a new version (0, 1, ...) from the plans: one entry per action and\n"
     "problematique, with its neighbourhood, plan and the guideline of\n"
     "lib/guidelines.lua; flags overlaps (same problematique and neighbourhood,\n"
     "shared components), gaps (problematiques without action) and unmet needs\n"
     "(self-survey needs whose theme no action covers).  diff: entries added,\n"
     "removed and moved between two versions (default: the last two).\n"},
    {"groups", sp_cmd_groups, "coordination groups: route life projects, list, match, propose",
     "Usage: spiral groups route [--territory-dir DIR]\n"
     "       spiral groups [--group CODE] [--format text|json] [--lang fr|en]\n"
     "       spiral groups match [--group CODE] [--territory-dir DIR] [--format text|json]\n"
     "       spiral groups propose PLAN (--group CODE | --none)\n"
     "route: create the coordination groups (19 of annex 2, one per neighbourhood,\n"
     "the city group) when missing and route every need and offer of the\n"
     "self-surveys with lib/routing.lua (and the territory's routing.lua), replacing\n"
     "the earlier routing, in one transaction.  Without a subcommand: each group's\n"
     "needs and offers as counts (1 to 4 shown as <5); --group CODE adds that\n"
     "group's kinds, themes and amounts.  match: offers paired with needs inside\n"
     "each group (greedy by theme; docs/workflow.md).  propose: the group that\n"
     "proposes the plan PLAN to the city group (shown by `spiral synthesis`), or none.\n"},
    {"synthesis", sp_cmd_synthesis, "the city group's quarterly synthesis and allocation proposal",
     "Usage: spiral synthesis --quarter YYYY-Qn [--territory-dir DIR] [--format text|json]\n"
     "Hours and money available at the quarter's end (territory accounts of the\n"
     "time bank and the fund), each coordination group's needs, offers, matches,\n"
     "unmet needs and plans, and a first proposal of allocation by\n"
     "lib/allocation.lua (a territory changes its parameters in allocation.lua).\n"
     "Writes nothing.\n"},
    {"run", sp_cmd_run, "run a Lua script (one transaction)",
     "Usage: spiral run [--limit NAME=VALUE]... [--input DIR] [--output DIR]\n"
     "                  [--territory-dir DIR] SCRIPT.lua [ARG]...\n"
     "Run SCRIPT.lua in the sandbox (docs/sandbox.md) with the spiral module\n"
     "(docs/lua-api.md).  The run is one transaction: on any error nothing is\n"
     "written.  Files a script reads come from --input, files it writes go to\n"
     "--output (both default to the current folder); `require` searches\n"
     "$SPIRAL_SCRIPTS, the installed scripts and --territory-dir.\n"
     "  --limit NAME=VALUE   memory, instructions, seconds, rows, cells (k, M, G)\n"
     "Exit status 3 on a script error, printed as file:line: message and a\n"
     "stack traceback.\n"},
    {"check", sp_cmd_check, "validate the definitions of a Lua script, write nothing",
     "Usage: spiral check [OPTION]... SCRIPT.lua [ARG]...\n"
     "Run SCRIPT.lua in check mode: every spiral.def.* definition is validated\n"
     "and every mistake is printed as file:line: message; nothing is written and\n"
     "analyses are refused.  Exit status 65 when a definition has a mistake, 3\n"
     "when the script itself fails.  Options as for `spiral run`.\n"},
    {"lua", sp_cmd_lua, "interactive Lua with the spiral module",
     "Usage: spiral lua [OPTION]...\n"
     "Read Lua chunks from standard input, run each (one transaction each) and\n"
     "print its values.  Globals persist from one line to the next, locals do\n"
     "not.  Options as for `spiral run`.\n"},
    {"report", sp_cmd_report, "the facilitator's report: HTML with charts, and its numbers",
     "Usage: spiral report [--lang fr|en] [--output DIR] [--plan CODE] [--min-cell K]\n"
     "Write DIR/report.html (default DIR: ./report): one self-contained page with\n"
     "inline charts, no script and no external reference, printable; sections:\n"
     "summary, self-surveys by neighbourhood and form, cross-tabulations, the\n"
     "plan's co-evaluation, resources against limits, the consumption meter, the\n"
     "pact's diffusion and the quarterly synthesis.  The same numbers go to\n"
     "DIR/report.json, DIR/report-*.csv and, when the xlsx plugin loads,\n"
     "DIR/report.xlsx.  Counts of 1..K-1 records are withheld (x; default 5).\n\n"
     "  -l, --lang=fr|en       language of every label (default en)\n"
     "  -o, --output=DIR       folder to write (created when missing)\n"
     "  -p, --plan=CODE        plan to co-evaluate (default: the most evaluated)\n"
     "  -k, --min-cell=K       smallest count shown (default 5)\n"
     "  -t, --territory=CODE   territory (default: the first one)\n"},
    {"meter", sp_cmd_meter, "the consumption meter: one household, or a batch by neighbourhood",
     "Usage: spiral meter --answers 'Q=V,Q=V...' [--household-size N] [--lang fr|en]\n"
     "       spiral meter --household ID [--lang fr|en]\n"
     "       spiral meter --all [--format text|csv|json] [--min-cell K | --no-suppress]\n"
     "       spiral meter FILE.csv [--format text|csv|json] [--min-cell K | --no-suppress]\n"
     "Run the territory's consumption meter (scripts/lib/meter.lua, or the\n"
     "territory's own meter.lua).  One household: its yearly use per person and\n"
     "per household, the largest items first, the collective share apart, the\n"
     "comparison with one person's share of each limit and what changing one\n"
     "answer would save.  A batch (every household of the workspace, or a CSV\n"
     "file with the columns of `spiral import meter`): per neighbourhood and\n"
     "resource, households, persons, mean and quartiles per person (households\n"
     "weighted by their size) and the share above the limit; neighbourhoods of\n"
     "fewer than K households are withheld (x; default 5).  docs/meter.md.\n\n"
     "  -a, --answers=LIST      question=value pairs, comma-separated\n"
     "  -n, --household-size=N  people in the household (with --answers)\n"
     "  -H, --household=ID      one household of the workspace (id as imported)\n"
     "  -A, --all               every household of the workspace\n"
     "  -l, --lang=fr|en        language of the one-household text (default en)\n"
     "  -f, --format=FMT        batch output: text (default), csv or json\n"
     "  -k, --min-cell=K        smallest neighbourhood shown (default 5)\n"
     "  -S, --no-suppress       withhold nothing; marked \"not for publication\"\n"
     "  -d, --territory-dir=DIR a territory pack folder (its meter.lua)\n"
     "  -t, --territory=CODE    scripts/territories/CODE/meter.lua (default: the\n"
     "                          workspace's territory for --household and --all)\n"},
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
