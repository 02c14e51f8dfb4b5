/*
 * cmd_meter.c -- `spiral meter`: the consumption meter for one household
 * (answers on the command line, or one household of the workspace) and
 * for a batch (every household of the workspace, or a CSV file), with the
 * batch's distributions by neighbourhood as text, CSV or JSON.  The
 * numbers come from sp_meter.c; this file parses options and prints.
 *
 * Which meter: --territory-dir DIR (its meter.lua, else the default
 * meter); else --territory CODE; else, for --household and --all, the
 * workspace's territory; else the default meter (docs/meter.md).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_cli.h"
#include "sp_csv.h"
#include "sp_meter.h"
#include "sp_territory.h"
#include "sp_text.h"

int sp_cmd_meter(sp_cli_t *cli, int argc, char **argv);

typedef struct meter_opts_t {
    const char *answers, *household, *lang, *format, *territory_dir, *territory;
    const char *size;
    int all;
    sp_meter_dist_opts_t dist;
} meter_opts_t;

static const char *
text_number(double v, int percent, apr_pool_t *pool)
{
    if (percent)
        return apr_psprintf(pool, "%.0f%%", v * 100.0);
    if (fabs(v) >= 100.0 || (v == floor(v) && fabs(v) < 1e15))
        return apr_psprintf(pool, "%.0f", v);
    if (fabs(v) >= 10.0)
        return apr_psprintf(pool, "%.1f", v);
    return apr_psprintf(pool, "%.2f", v);
}

/* The distribution table, columns aligned by display width. */
static void
print_text(const sp_table_t *t, apr_pool_t *pool)
{
    size_t r, c, nr = t->nrows + 1;
    const char **cells = apr_pcalloc(pool, nr * t->ncols * sizeof *cells);
    int *width = apr_pcalloc(pool, t->ncols * sizeof *width);

    for (c = 0; c < t->ncols; c++)
        cells[c] = t->columns[c];
    for (r = 0; r < t->nrows; r++)
        for (c = 0; c < t->ncols; c++) {
            const sp_table_cell_t *cell = sp_table_cell(t, r, c);
            const char *s = "";

            if (cell->kind == SPIRAL_CELL_NUMBER)
                s = text_number(cell->number, strcmp(t->columns[c], "above_limit") == 0, pool);
            else if (cell->text != NULL)
                s = cell->text;
            cells[(r + 1) * t->ncols + c] = s;
        }
    for (r = 0; r < nr; r++)
        for (c = 0; c < t->ncols; c++)
            if (sp_text_width(cells[r * t->ncols + c]) > width[c])
                width[c] = sp_text_width(cells[r * t->ncols + c]);
    if (t->not_for_publication)
        printf("%s\n", SP_TABLE_NOT_FOR_PUBLICATION);
    if (t->title)
        printf("%s\n", t->title);
    for (r = 0; r < nr; r++) {
        for (c = 0; c < t->ncols; c++)
            printf("%s%s", c ? "  " : "", sp_text_pad(pool, cells[r * t->ncols + c], width[c], c >= 3));
        printf("\n");
    }
    if (t->note)
        printf("%s\n", t->note);
}

static int
print_batch(sp_cli_t *cli, const meter_opts_t *o, sp_meter_t *m, const sp_meter_batch_t *b)
{
    sp_table_t *t;
    sp_error_t *err = NULL;
    const char *s;
    int rc;

    if ((rc = sp_meter_distribution(m, b, &o->dist, &t, cli->pool, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    if (strcmp(o->format, "text") == 0) {
        print_text(t, cli->pool);
        return SP_OK;
    }
    rc = strcmp(o->format, "csv") == 0 ? sp_table_render_csv(t, ',', &s, cli->pool, &err)
                                       : sp_table_render_json(t, &s, cli->pool, &err);
    if (rc != SP_OK)
        return sp_cli_fail(cli, err);
    fputs(s, stdout);
    return SP_OK;
}

static int
print_report(sp_cli_t *cli, const meter_opts_t *o, sp_meter_t *m, sp_meter_answers_t *a,
             const char *heading)
{
    const char *const *lines;
    size_t n, i;
    sp_error_t *err = NULL;
    int rc;

    if (o->size != NULL) {
        const char **names = apr_palloc(cli->pool, (a->n + 1) * sizeof *names);
        const char **values = apr_palloc(cli->pool, (a->n + 1) * sizeof *values);

        for (i = 0; i < a->n; i++)
            if (strcmp(a->names[i], "household_size") == 0)
                return sp_cli_usage(cli, "meter",
                                    "give the household size once (--household-size or"
                                    " household_size=)");
        memcpy(names, a->names, a->n * sizeof *names);
        memcpy(values, a->values, a->n * sizeof *values);
        names[a->n] = "household_size";
        values[a->n] = o->size;
        a->names = names;
        a->values = values;
        a->n++;
    }
    if ((rc = sp_meter_report(m, a, o->lang, &lines, &n, cli->pool, &err)) != SP_OK) {
        /* A refused answer: the command line's, or the workspace's data. */
        if (rc == SP_EXIT_USAGE && heading == NULL)
            return sp_cli_usage(cli, "meter", "%s", err->message);
        if (rc == SP_EXIT_USAGE)
            err->status = SP_EXIT_DATA;
        return sp_cli_fail(cli, err);
    }
    if (heading != NULL)
        printf("%s\n", heading);
    for (i = 0; i < n; i++)
        printf("%s\n", lines[i]);
    return SP_OK;
}

static int
open_meter(sp_cli_t *cli, const meter_opts_t *o, sp_store_t *store, sp_meter_t **m)
{
    sp_meter_config_t cfg;
    sp_error_t *err = NULL;
    int rc;

    memset(&cfg, 0, sizeof cfg);
    cfg.territory_dir = o->territory_dir;
    cfg.territory = o->territory;
    if (cfg.territory_dir == NULL && cfg.territory == NULL && store != NULL) {
        sp_territory_t *t;

        /* The workspace's only territory; none or several: the default meter. */
        if (sp_territory_find(store, NULL, &t, cli->pool, &err) == SP_OK)
            cfg.territory = t->code;
        err = NULL;
    }
    if ((rc = sp_meter_open(m, &cfg, cli->pool, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    return SP_OK;
}

int
sp_cmd_meter(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"answers", required_argument, NULL, 'a'},
        {"household-size", required_argument, NULL, 'n'},
        {"household", required_argument, NULL, 'H'},
        {"all", no_argument, NULL, 'A'},
        {"lang", required_argument, NULL, 'l'},
        {"format", required_argument, NULL, 'f'},
        {"min-cell", required_argument, NULL, 'k'},
        {"no-suppress", no_argument, NULL, 'S'},
        {"territory-dir", required_argument, NULL, 'd'},
        {"territory", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0}
    };
    meter_opts_t o;
    sp_meter_t *m;
    sp_meter_batch_t *b;
    sp_meter_answers_t a;
    sp_store_t *store = NULL;
    sp_error_t *err = NULL;
    int c, rc, modes, min_cell_given = 0;
    long long k;

    memset(&o, 0, sizeof o);
    o.lang = "en";
    o.format = "text";
    o.dist.min_cell = 5;
    /* main.c left optind at 0 so that getopt re-initialises */
    while ((c = getopt_long(argc, argv, "a:n:H:Al:f:k:Sd:t:", options, NULL)) != -1) {
        switch (c) {
        case 'a': o.answers = optarg; break;
        case 'n':
            if (!sp_parse_int(optarg, &k) || k < 1 || k > 100)
                return sp_cli_usage(cli, "meter", "--household-size: '%s' is not a whole number"
                                    " from 1 to 100", optarg);
            o.size = optarg;
            break;
        case 'H': o.household = optarg; break;
        case 'A': o.all = 1; break;
        case 'l':
            if (strcmp(optarg, "fr") != 0 && strcmp(optarg, "en") != 0)
                return sp_cli_usage(cli, "meter", "--lang: '%s' is not fr or en", optarg);
            o.lang = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "text") != 0 && strcmp(optarg, "csv") != 0
                && strcmp(optarg, "json") != 0)
                return sp_cli_usage(cli, "meter", "--format: '%s' is not text, csv or json",
                                    optarg);
            o.format = optarg;
            break;
        case 'k':
            if (!sp_parse_int(optarg, &k) || k < 1 || k > 1000000)
                return sp_cli_usage(cli, "meter", "--min-cell: '%s' is not a whole number >= 1",
                                    optarg);
            o.dist.min_cell = (unsigned)k;
            min_cell_given = 1;
            break;
        case 'S': o.dist.no_suppress = 1; break;
        case 'd': o.territory_dir = optarg; break;
        case 't': o.territory = optarg; break;
        default:
            return sp_cli_usage(cli, "meter", "unknown option");
        }
    }
    modes = (o.answers != NULL) + (o.household != NULL) + o.all + (optind < argc);
    if (modes != 1)
        return sp_cli_usage(cli, "meter", "give one of --answers, --household, --all or a CSV"
                            " file");
    if (argc - optind > 1)
        return sp_cli_usage(cli, "meter", "give one CSV file");
    if (min_cell_given && o.dist.no_suppress)
        return sp_cli_usage(cli, "meter", "--min-cell and --no-suppress exclude each other");
    if (o.size != NULL && o.answers == NULL)
        return sp_cli_usage(cli, "meter", "--household-size goes with --answers");

    if (o.household != NULL || o.all) {
        if ((rc = sp_cli_open_store(cli, SP_STORE_NOCREATE, &store, &err)) != SP_OK)
            return sp_cli_fail(cli, err);
    }
    if ((rc = open_meter(cli, &o, store, &m)) != SP_OK)
        return rc;

    if (o.answers != NULL) {
        if ((rc = sp_meter_parse_answers(m, o.answers, &a, cli->pool, &err)) != SP_OK)
            return sp_cli_usage(cli, "meter", "%s", err->message);
        return print_report(cli, &o, m, &a, NULL);
    }
    if (o.household != NULL) {
        const char *nb;

        if ((rc = sp_meter_household(store, cli->key_path, o.household, &a, &nb, cli->pool,
                                     &err)) != SP_OK)
            return sp_cli_fail(cli, err);
        return print_report(cli, &o, m, &a,
                            *nb ? apr_psprintf(cli->pool, "%s (%s)", o.household, nb) : o.household);
    }
    if (o.all)
        rc = sp_meter_batch_store(m, store, &b, cli->pool, &err);
    else
        rc = sp_meter_batch_csv(m, argv[optind], &b, cli->pool, &err);
    if (rc != SP_OK)
        return sp_cli_fail(cli, err);
    return print_batch(cli, &o, m, b);
}
