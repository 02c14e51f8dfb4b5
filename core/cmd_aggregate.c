/*
 * cmd_aggregate.c -- `spiral aggregate [FILE.csv] --vars LIST --by V,...`:
 * one scan (sp_scan.c) with the by-variables as keys and the indicators as
 * measures, then every (group, indicator, level) total handed to sp_agg,
 * which derives the statistics and renders them (sp_agg_render.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_time.h>
#include "cmd_scan.h"
#include "sp_agg.h"

int sp_cmd_aggregate(sp_cli_t *cli, int argc, char **argv);

typedef struct gcell_t {
    size_t cell;
    double rank;
} gcell_t;

static int
by_rank(const void *a, const void *b)
{
    const gcell_t *x = a, *y = b;

    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static const char *
label_of(const cmd_scan_t *o, const sp_scan_levels_t *lv, size_t i, apr_pool_t *pool)
{
    const char *l;

    if (i == 0)
        return cmd_scan_missing_label(o);
    l = cmd_scan_label(o, lv->var, lv->value[i], pool);
    return l ? l : lv->value[i];
}

static int
build(sp_cli_t *cli, cmd_scan_t *o, const sp_scan_result_t *r, int bad_at_most,
      sp_agg_t **out, const char **notes, sp_error_t **err)
{
    apr_pool_t *pool = cli->pool;
    size_t K = r->nkeys, M = r->nmeasures, i, k, m, li, ng = 0, nlevels = 1;
    unsigned **num = apr_palloc(pool, M * sizeof *num);
    gcell_t *g = apr_palloc(pool, (r->ncells + 1) * sizeof *g);
    double left_out = 0;
    const char **dims = apr_palloc(pool, K * sizeof *dims);
    sp_agg_opts_t ao;
    sp_agg_t *a;

    /* Levels of the indicators must be ordinal codes 1..254. */
    for (m = 0; m < M; m++) {
        num[m] = apr_pcalloc(pool, (r->measure[m].nlevels + 1) * sizeof(unsigned));
        for (li = 1; li <= r->measure[m].nlevels; li++) {
            char *end;
            long v = strtol(r->measure[m].value[li], &end, 10);

            if (*end || end == r->measure[m].value[li] || v < 1 || v > SP_AGG_MAX_LEVELS)
                return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                                    "%s has the value '%s', not a level 1..%d", r->measure[m].var,
                                    r->measure[m].value[li], SP_AGG_MAX_LEVELS);
            num[m][li] = (unsigned)v;
            if ((size_t)v > nlevels)
                nlevels = (size_t)v;
        }
    }
    /* Groups: key cells with records, missing values last. */
    for (i = 0; i < r->ncells; i++) {
        size_t rest = i, t[SP_SCAN_MAX_KEYS];
        double any = 0, rank = 0;
        int valid = 1;

        for (m = 0; m < M; m++)
            for (li = 0; li <= r->measure[m].nlevels; li++)
                any += r->n[(i * M + m) * r->mstride + li];
        if (any == 0)
            continue;
        for (k = K; k-- > 0;) {
            t[k] = rest % (r->key[k].nlevels + 1);
            rest /= r->key[k].nlevels + 1;
        }
        for (k = 0; k < K; k++) {
            size_t L = r->key[k].nlevels;

            if (t[k] == 0 && !o->include_missing)
                valid = 0;
            rank = rank * (double)(L + 2) + (double)(t[k] ? t[k] : L + 1);
        }
        if (!valid) {
            left_out += any / (double)M;
            continue;
        }
        g[ng].cell = i;
        g[ng].rank = rank;
        ng++;
    }
    if (ng == 0)
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "no record to aggregate");
    qsort(g, ng, sizeof *g, by_rank);
    if ((a = sp_agg_create(ng, M, nlevels, pool)) == NULL)
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "too many groups");
    for (k = 0; k < K; k++)
        dims[k] = r->key[k].var;
    sp_agg_set_dims(a, K, dims);
    for (i = 0; i < ng; i++) {
        size_t rest = g[i].cell, t[SP_SCAN_MAX_KEYS];
        const char **vals = apr_palloc(pool, K * sizeof *vals);

        for (k = K; k-- > 0;) {
            t[k] = rest % (r->key[k].nlevels + 1);
            rest /= r->key[k].nlevels + 1;
        }
        for (k = 0; k < K; k++)
            vals[k] = label_of(o, &r->key[k], t[k], pool);
        sp_agg_set_group_key(a, i, vals);
        for (m = 0; m < M; m++)
            for (li = 0; li <= r->measure[m].nlevels; li++) {
                size_t at = (g[i].cell * M + m) * r->mstride + li;
                double n = r->n[at];
                unsigned level = li ? num[m][li] : 0;

                if (n > 0)
                    sp_agg_add_n(a, i, m, level, (uint64_t)n, r->w[at]);
            }
    }
    for (m = 0; m < M; m++)
        sp_agg_set_var(a, m, r->measure[m].var, cmd_scan_var_label(o, r->measure[m].var, pool));
    for (li = 1; li <= nlevels; li++) {
        const char *l = cmd_scan_label(o, r->measure[0].var, apr_psprintf(pool, "%ld", (long)li), pool);

        if (l)
            sp_agg_set_level_label(a, (unsigned)li, l);
    }
    sp_agg_opts_init(&ao);
    ao.min_cell = (unsigned)o->min_cell;
    ao.no_suppress = o->no_suppress;
    if (bad_at_most < 0)
        bad_at_most = cmd_scan_bad_at_most(o, r->measure[0].var);
    if (bad_at_most >= 0)
        ao.bad_level = (unsigned)bad_at_most;
    sp_agg_compute(a, &ao);
    *notes = "";
    if (left_out > 0 || r->filtered > 0 || r->no_weight > 0)
        *notes = apr_psprintf(pool, "%s: %s; %s: %s; %s: %s\n",
                              o->fr ? "Enregistrements sans groupe" : "Records without a group",
                              sp_agg_count_text(a, left_out, pool),
                              o->fr ? "exclus par --where" : "left out by --where",
                              sp_agg_count_text(a, r->filtered, pool),
                              o->fr ? "sans poids" : "without a weight",
                              sp_agg_count_text(a, r->no_weight, pool));
    *out = a;
    return SP_OK;
}

int
sp_cmd_aggregate(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"vars", required_argument, NULL, 'v'},
        {"by", required_argument, NULL, 'b'},
        {"bad-at-most", required_argument, NULL, 'k'},
        CMD_SCAN_OPTIONS,
        {NULL, 0, NULL, 0}
    };
    cmd_scan_t o;
    const char *vars = NULL, *by = NULL, *notes = "";
    int bad = -1, c, rc;
    sp_scan_source_t *src;
    sp_scan_result_t *res;
    sp_scan_request_t req;
    apr_array_header_t *keys, *meas;
    sp_error_t *err = NULL;
    sp_agg_t *a = NULL;
    FILE *out;
    apr_time_t t0;

    cmd_scan_init(&o);
    while ((c = getopt_long(argc, argv, "v:b:k:", options, NULL)) != -1) {
        switch (c) {
        case 'v': vars = optarg; break;
        case 'b': by = optarg; break;
        case 'k': {
            char *end;

            bad = (int)strtol(optarg, &end, 10);
            if (*end || end == optarg || bad < 1 || bad > SP_AGG_MAX_LEVELS)
                return sp_cli_usage(cli, "aggregate", "--bad-at-most needs a level 1..%d",
                                    SP_AGG_MAX_LEVELS);
            break;
        }
        case '?': return sp_cli_usage(cli, "aggregate", "unknown option");
        default:
            if ((rc = cmd_scan_option(cli, "aggregate", &o, c, optarg)) != SP_OK)
                return rc;
        }
    }
    if ((rc = cmd_scan_operands(cli, "aggregate", &o, argc, argv,
                                !vars || !by ? "--vars and --by are required" : NULL)) != SP_OK)
        return rc;
    if ((rc = cmd_scan_open(cli, &o, &src, &err)) != SP_OK
        || (rc = cmd_scan_list(src, by, &keys, cli->pool, &err)) != SP_OK
        || (rc = cmd_scan_list(src, vars, &meas, cli->pool, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    if (keys->nelts > SP_SCAN_MAX_KEYS)
        return sp_cli_usage(cli, "aggregate", "at most %d --by variables", SP_SCAN_MAX_KEYS);
    cmd_scan_request(&o, keys, &req);
    req.measures = (const char *const *)meas->elts;
    req.nmeasures = (size_t)meas->nelts;
    if ((rc = sp_scan_run(src, &req, &res, cli->pool, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    t0 = apr_time_now();
    if ((rc = build(cli, &o, res, bad, &a, &notes, &err)) != SP_OK
        || (rc = cmd_scan_out(&o, &out, cli->pool, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    if (getenv("SPIRAL_SCAN_TIMING"))
        fprintf(stderr, "aggregate: totals handed to sp_agg and computed in %.1f ms\n",
                (double)(apr_time_now() - t0) / 1000.0);
    if (o.format == 'j') {
        rc = sp_agg_render_json(a, out, cli->pool, &err);
    } else if (o.format == 'c') {
        sp_agg_csv_opts_t co;

        co.sep = o.sep;
        co.decimal_comma = o.decimal_comma;
        rc = sp_agg_render_csv(a, &co, out, cli->pool, &err);
    } else {
        rc = sp_agg_render_text(a, out, cli->pool, &err);
        if (rc == SP_OK && *notes)
            fprintf(out, "\n%s", notes);
    }
    if (rc == SP_OK)
        rc = cmd_scan_close(&o, out, cli->pool, &err);
    return rc == SP_OK ? SP_OK : sp_cli_fail(cli, err);
}
