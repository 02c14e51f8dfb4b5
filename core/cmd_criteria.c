/*
 * cmd_criteria.c -- `spiral criteria stats|list|accept`: the command line
 * of sp_criteria.h, and the analyst's bulk coding through the `codes`
 * import kind (sp_import_taxonomy.c); `suggest` is in cmd_coding.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <apr_strings.h>
#include "sp_cli.h"
#include "sp_criteria.h"
#include "sp_criteria_chart.h"
#include "sp_grid.h"
#include "sp_import.h"
#include "cmd_workflow.h"

int sp_cmd_criteria(sp_cli_t *cli, int argc, char **argv);

static int
date_ok(const char *s)
{
    int i;

    for (i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9'))
            return 0;
    return s[10] == '\0' && strncmp(s + 5, "13", 2) < 0 && strncmp(s + 5, "00", 2) > 0
        && strncmp(s + 8, "32", 2) < 0 && strncmp(s + 8, "00", 2) > 0;
}

static int
parse_cycle(const char *s, long *cycle)
{
    char *end;

    errno = 0;
    *cycle = strtol(s, &end, 10);
    return errno == 0 && *end == '\0' && end != s && *cycle >= 1;
}

static int
print_result(sp_cli_t *cli, const json_t *res, const json_t *grid, int format)
{
    sp_error_t *err = NULL;
    int status;

    if (format == SP_GRID_JSON)
        status = sp_grid_print_json(res, stdout, cli->pool, &err);
    else
        status = sp_grid_print(grid, (sp_grid_format_t)format, stdout, cli->pool, &err);
    return status == SP_OK ? SP_OK : sp_cli_fail(cli, err);
}

/* --chart FILE.svg: the shares as a bar chart (sp_criteria_chart.h). */
static int
write_chart(sp_cli_t *cli, const json_t *res, const char *lang, const char *path,
            sp_error_t **err)
{
    const char *svg;
    size_t nbars;
    FILE *f;
    int written = 0, status = sp_criteria_chart_svg(res, lang, &svg, &nbars, cli->pool, err);

    if (status != SP_OK)
        return status;
    if ((f = fopen(path, "w")) != NULL) {
        written = fputs(svg, f) != EOF;
        written = fclose(f) == 0 && written;
    }
    if (!written)
        return sp_error_set(err, cli->pool, SP_EXIT_CANTCREAT, path, 0, 0, "cannot write the "
                            "chart: %s", strerror(errno));
    if (!cli->quiet)
        fprintf(stderr, "%s: chart of %ld bar(s)\n", path, (long)nbars);
    return SP_OK;
}

static int
stats(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"by", required_argument, NULL, 'b'},
        {"level", required_argument, NULL, 'l'},
        {"taxonomy", required_argument, NULL, 't'},
        {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},
        {"cycle", required_argument, NULL, 'c'},
        {"format", required_argument, NULL, 'f'},
        {"lang", required_argument, NULL, 'L'},
        {"chart", required_argument, NULL, 'C'},
        {NULL, 0, NULL, 0}
    };
    sp_criteria_stats_opts_t opt;
    const char *from = NULL, *to = NULL, *lang = "fr", *chart = NULL;
    long cycles[2];
    int ncycles = 0, format = SP_GRID_TEXT, c, status;
    sp_store_t *store;
    sp_error_t *err = NULL;
    json_t *res;

    memset(&opt, 0, sizeof opt);
    opt.level = SP_CRITERIA_FAMILY;
    while ((c = getopt_long(argc, argv, "b:l:t:f:", options, NULL)) != -1) {
        switch (c) {
        case 'b':
            if ((status = sp_criteria_by_parse(optarg)) < 0)
                return sp_cli_usage(cli, "criteria", "--by must be question, group_kind, "
                                    "age_band, neighbourhood or cycle");
            opt.by = (sp_criteria_by_t)status;
            break;
        case 'l':
            if ((opt.level = sp_criteria_level_parse(optarg)) == 0)
                return sp_cli_usage(cli, "criteria", "--level must be family, component or "
                                    "subobject");
            break;
        case 't': opt.taxonomy = optarg; break;
        case 'F':
        case 'T':
            if (!date_ok(optarg))
                return sp_cli_usage(cli, "criteria", "--%s: '%s' is not a date YYYY-MM-DD",
                                    c == 'F' ? "from" : "to", optarg);
            *(c == 'F' ? &from : &to) = optarg;
            break;
        case 'c':
            if (ncycles == 2)
                return sp_cli_usage(cli, "criteria", "--cycle is given at most twice");
            if (!parse_cycle(optarg, &cycles[ncycles++]))
                return sp_cli_usage(cli, "criteria", "--cycle: '%s' is not a cycle number",
                                    optarg);
            break;
        case 'f':
            if ((format = sp_grid_format_parse(optarg)) < 0)
                return sp_cli_usage(cli, "criteria", "--format must be text, csv or json");
            break;
        case 'L':
            if (strcmp(optarg, "fr") != 0 && strcmp(optarg, "en") != 0)
                return sp_cli_usage(cli, "criteria", "--lang must be fr or en");
            lang = optarg;
            break;
        case 'C': chart = optarg; break;
        default: return sp_cli_usage(cli, "criteria", "unknown option");
        }
    }
    if (optind < argc)
        return sp_cli_usage(cli, "criteria", "unexpected argument '%s'", argv[optind]);
    /* The first period is --from or the first --cycle; the second is --to or
     * the next --cycle.  One period alone is a selection, not a comparison. */
    {
        sp_criteria_period_t p[2];
        int n = 0, k = 0;

        memset(p, 0, sizeof p);
        if (from) {
            p[n].kind = SP_PERIOD_UNTIL;
            p[n++].date = from;
        } else if (k < ncycles) {
            p[n].kind = SP_PERIOD_CYCLE;
            p[n++].cycle = cycles[k++];
        }
        if (to) {
            p[n].kind = SP_PERIOD_UNTIL;
            p[n++].date = to;
        } else if (k < ncycles) {
            p[n].kind = SP_PERIOD_CYCLE;
            p[n++].cycle = cycles[k++];
        }
        if (k < ncycles)
            return sp_cli_usage(cli, "criteria", "two periods at most: --from DATE or --cycle "
                                "N, then --to DATE or --cycle M");
        if (n == 1 && from)
            return sp_cli_usage(cli, "criteria", "--from needs --to DATE or --cycle M to "
                                "compare with");
        opt.from = p[0];
        if (n == 2)
            opt.to = p[1];
    }
    if ((status = sp_cli_open_store(cli, SP_STORE_NOCREATE, &store, &err)) != SP_OK
        || (status = sp_criteria_stats(store, &opt, &res, cli->pool, &err)) != SP_OK
        || (chart && (status = write_chart(cli, res, lang, chart, &err)) != SP_OK))
        return sp_cli_fail(cli, err);
    return print_result(cli, res, format == SP_GRID_JSON ? NULL
                        : sp_criteria_stats_grid(res, lang, cli->pool), format);
}

static int
list(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"uncoded", no_argument, NULL, 'u'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}
    };
    int uncoded = 0, format = SP_GRID_TEXT, c, status;
    sp_store_t *store;
    sp_error_t *err = NULL;
    json_t *res;

    while ((c = getopt_long(argc, argv, "uf:", options, NULL)) != -1) {
        switch (c) {
        case 'u': uncoded = 1; break;
        case 'f':
            if ((format = sp_grid_format_parse(optarg)) < 0)
                return sp_cli_usage(cli, "criteria", "--format must be text, csv or json");
            break;
        default: return sp_cli_usage(cli, "criteria", "unknown option");
        }
    }
    if (optind < argc)
        return sp_cli_usage(cli, "criteria", "unexpected argument '%s'", argv[optind]);
    if ((status = sp_cli_open_store(cli, SP_STORE_NOCREATE, &store, &err)) != SP_OK
        || (status = sp_criteria_list(store, uncoded, &res, cli->pool, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    return print_result(cli, res, format == SP_GRID_JSON ? NULL
                        : sp_criteria_list_grid(res, cli->pool), format);
}

static int
accept_codes(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"force", no_argument, NULL, 'F'},
        {NULL, 0, NULL, 0}
    };
    sp_import_options_t opt;
    sp_import_result_t result;
    sp_store_t *store;
    sp_pseudo_t *pseudo;
    sp_error_t *err = NULL;
    int c, status;

    memset(&opt, 0, sizeof opt);
    while ((c = getopt_long(argc, argv, "F", options, NULL)) != -1) {
        if (c != 'F')
            return sp_cli_usage(cli, "criteria", "unknown option");
        opt.force = 1;
    }
    if (optind + 1 != argc)
        return sp_cli_usage(cli, "criteria", optind >= argc ? "accept: missing FILE.csv"
                            : "accept: one FILE.csv");
    if (access(argv[optind], R_OK) != 0) {
        sp_error_set(&err, cli->pool, SP_EXIT_NOINPUT, argv[optind], 0, 0, "cannot open: %s",
                     strerror(errno));
        return sp_cli_fail(cli, err);
    }
    opt.progress = !cli->quiet;
    if ((status = sp_cli_open_store(cli, SP_STORE_NOCREATE, &store, &err)) != SP_OK
        || (status = sp_pseudo_open(&pseudo, cli->key_path, cli->pool, &err)) != SP_OK
        || (status = sp_import_file(store, pseudo, cmd_coding_accept_kind(argv[optind]),
                                    argv[optind], &opt, &result, cli->pool, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    if (!cli->quiet)
        fprintf(stderr, "%s: coded %ld criteria%s%s\n", argv[optind], result.rows_imported,
                result.note ? "; " : "", result.note ? result.note : "");
    return SP_OK;
}

int
sp_cmd_criteria(sp_cli_t *cli, int argc, char **argv)
{
    if (argc < 2)
        return sp_cli_usage(cli, "criteria", "missing stats, list, suggest or accept");
    if (strcmp(argv[1], "stats") == 0)
        return stats(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0)
        return list(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "accept") == 0)
        return accept_codes(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "suggest") == 0)
        return cmd_criteria_suggest(cli, argc - 1, argv + 1);
    return sp_cli_usage(cli, "criteria", "unknown subcommand '%s' (stats, list, suggest or "
                        "accept)", argv[1]);
}
