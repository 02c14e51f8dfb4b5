/*
 * cmd_crosstab.c -- `spiral crosstab [FILE.csv] --rows V --cols V ...`: one
 * scan (sp_scan.c) of a CSV file or of the workspace, then the totals of
 * every cell handed once to sp_xtab_add() and the table rendered by
 * sp_xtab_render.c.  Levels that hold no counted record are left out;
 * missing values are excluded and counted, or shown as a level of their
 * own with --missing include, so that margins are the sums of the cells
 * shown.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include "cmd_scan.h"
#include "sp_xtab.h"

int sp_cmd_crosstab(sp_cli_t *cli, int argc, char **argv);

/* Tuple of key levels of result cell i. */
static void
tuple_of(const sp_scan_result_t *r, size_t i, size_t *t)
{
    size_t k;

    for (k = r->nkeys; k-- > 0;) {
        t[k] = i % (r->key[k].nlevels + 1);
        i /= r->key[k].nlevels + 1;
    }
}

/* Whether result cell i is shown -- it holds records and every key level of
 * it is shown -- and then its tuple in t and its layer combination in *li. */
static int
shown_cell(const sp_scan_result_t *r, size_t i, long *const *sidx, const size_t *nshown,
           size_t nlayer_vars, size_t *t, size_t *li)
{
    size_t k;

    if (r->n[i] == 0)
        return 0;
    tuple_of(r, i, t);
    for (k = 0; k < r->nkeys; k++)
        if (sidx[k][t[k]] < 0)
            return 0;
    for (*li = 0, k = 0; k < nlayer_vars; k++)
        *li = *li * nshown[k] + (size_t)sidx[k][t[k]];
    return 1;
}

static const char *
level_label(const cmd_scan_t *o, const sp_scan_levels_t *lv, size_t i, apr_pool_t *pool)
{
    const char *l;

    if (i == 0)
        return cmd_scan_missing_label(o);
    l = cmd_scan_label(o, lv->var, lv->value[i], pool);
    return l ? l : lv->value[i];
}

static int
build(sp_cli_t *cli, cmd_scan_t *o, const sp_scan_result_t *r, size_t nlayer_vars,
      const char *weight, sp_xtab_t **out, const char **notes, sp_error_t **err)
{
    apr_pool_t *pool = cli->pool;
    size_t K = r->nkeys, k, i, t[SP_SCAN_MAX_KEYS];
    long *sidx[SP_SCAN_MAX_KEYS];
    size_t nshown[SP_SCAN_MAX_KEYS], nlc = 1, nl, *lmap;
    long *lused;
    double miss_n = r->no_weight, miss_w = 0, *var_miss;
    sp_xtab_options_t xo;
    sp_xtab_t *xt = NULL;
    const char *note = "";
    int rc;

    var_miss = apr_pcalloc(pool, K * sizeof *var_miss);
    for (k = 0; k < K; k++) {
        sidx[k] = apr_palloc(pool, (r->key[k].nlevels + 1) * sizeof(long));
        for (i = 0; i <= r->key[k].nlevels; i++)
            sidx[k][i] = 0;
    }
    /* Which levels hold a counted record. */
    for (i = 0; i < r->ncells; i++) {
        int valid = 1;

        if (r->n[i] == 0)
            continue;
        tuple_of(r, i, t);
        for (k = 0; k < K; k++) {
            if (t[k] == 0 && !o->include_missing)
                valid = 0;
            if (t[k] == 0)
                var_miss[k] += r->n[i];
        }
        if (!valid)
            continue;
        for (k = 0; k < K; k++)
            sidx[k][t[k]] = 1;
    }
    for (k = 0; k < K; k++) {
        long at = 0;

        /* The missing level goes last. */
        for (i = 1; i <= r->key[k].nlevels; i++)
            sidx[k][i] = sidx[k][i] ? at++ : -1;
        sidx[k][0] = sidx[k][0] ? at++ : -1;
        nshown[k] = (size_t)at;
        if (at == 0)
            nshown[k] = 0;
    }
    for (k = 0; k < nlayer_vars; k++)
        nlc *= nshown[k] ? nshown[k] : 1;
    /* Layer combinations that hold records. */
    lused = apr_pcalloc(pool, nlc * sizeof *lused);
    for (i = 0; i < r->ncells; i++) {
        size_t li;

        if (shown_cell(r, i, sidx, nshown, nlayer_vars, t, &li))
            lused[li] = 1;
    }
    lmap = apr_palloc(pool, nlc * sizeof *lmap);
    for (nl = 0, i = 0; i < nlc; i++)
        lmap[i] = lused[i] ? nl++ : (size_t)-1;
    if (nl == 0 || nshown[K - 2] == 0 || nshown[K - 1] == 0)
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                            "no record has a value for every variable of the table");
    xt = sp_xtab_create(nshown[K - 2], nshown[K - 1], nl, pool);
    if (xt == NULL)
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "the table is too large");
    for (i = 0; i < r->ncells; i++) {
        size_t li;

        if (r->n[i] == 0)
            continue;
        if (!shown_cell(r, i, sidx, nshown, nlayer_vars, t, &li)) {
            miss_n += r->n[i];
            miss_w += r->w[i];
            continue;
        }
        sp_xtab_add(xt, lmap[li], (size_t)sidx[K - 2][t[K - 2]], (size_t)sidx[K - 1][t[K - 1]],
                    r->n[i], r->w[i]);
    }
    /* Names and labels. */
    {
        const char *lv = NULL;

        for (k = 0; k < nlayer_vars; k++)
            lv = lv ? apr_pstrcat(pool, lv, " / ", r->key[k].var, NULL) : r->key[k].var;
        sp_xtab_set_vars(xt, r->key[K - 2].var, r->key[K - 1].var, lv);
    }
    sp_xtab_set_weight_var(xt, weight);
    for (k = K - 2; k < K; k++)
        for (i = 0; i <= r->key[k].nlevels; i++)
            if (sidx[k][i] >= 0)
                sp_xtab_set_label(xt, k == K - 2 ? SP_XTAB_ROWS : SP_XTAB_COLS, (size_t)sidx[k][i],
                                  level_label(o, &r->key[k], i, pool));
    if (nlayer_vars > 0)
        for (i = 0; i < nlc; i++) {
            size_t rest = i, j, lt[SP_SCAN_MAX_KEYS];
            const char *lab = NULL;

            if (!lused[i])
                continue;
            for (k = nlayer_vars; k-- > 0;) {
                lt[k] = rest % nshown[k];
                rest /= nshown[k];
            }
            for (k = 0; k < nlayer_vars; k++)
                for (j = 0; j <= r->key[k].nlevels; j++)
                    if (sidx[k][j] == (long)lt[k]) {
                        const char *one = level_label(o, &r->key[k], j, pool);

                        lab = lab ? apr_pstrcat(pool, lab, " / ", one, NULL) : one;
                    }
            sp_xtab_set_label(xt, SP_XTAB_LAYERS, lmap[i], lab);
        }
    sp_xtab_set_missing(xt, miss_n, miss_w);
    sp_xtab_options_init(&xo);
    xo.min_cell = o->min_cell;
    xo.no_suppress = o->no_suppress;
    if ((rc = sp_xtab_compute(xt, &xo, err)) != SP_OK)
        return rc;
    for (k = 0; k < K; k++)
        if (var_miss[k] > 0)
            note = apr_psprintf(pool, "%s%s %s: %s\n", note,
                                o->fr ? "Valeurs manquantes de" : "Missing values of", r->key[k].var,
                                sp_xtab_count_text(xt, var_miss[k], pool));
    if (r->filtered > 0)
        note = apr_psprintf(pool, "%s%s: %s\n", note,
                            o->fr ? "Enregistrements exclus par --where" : "Records left out by --where",
                            sp_xtab_count_text(xt, r->filtered, pool));
    if (r->no_weight > 0)
        note = apr_psprintf(pool, "%s%s: %s\n", note,
                            o->fr ? "Enregistrements sans poids" : "Records without a weight",
                            sp_xtab_count_text(xt, r->no_weight, pool));
    *notes = note;
    *out = xt;
    return SP_OK;
}

int
sp_cmd_crosstab(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"rows", required_argument, NULL, 'r'},
        {"cols", required_argument, NULL, 'c'},
        {"layers", required_argument, NULL, 'l'},
        {"percent", required_argument, NULL, 'p'},
        {"stats", no_argument, NULL, 's'},
        CMD_SCAN_OPTIONS,
        {NULL, 0, NULL, 0}
    };
    cmd_scan_t o;
    const char *rows = NULL, *cols = NULL, *layers = NULL, *notes = "", *text = NULL;
    unsigned cells = 0;
    int stats = 0, c, rc;
    sp_scan_source_t *src;
    sp_scan_result_t *res;
    sp_scan_request_t req;
    apr_array_header_t *keys, *lay = NULL;
    sp_error_t *err = NULL;
    sp_xtab_t *xt = NULL;
    sp_xtab_render_options_t ro;
    FILE *out;

    cmd_scan_init(&o);
    while ((c = getopt_long(argc, argv, "r:c:l:p:s", options, NULL)) != -1) {
        switch (c) {
        case 'r': rows = optarg; break;
        case 'c': cols = optarg; break;
        case 'l': layers = optarg; break;
        case 's': stats = 1; break;
        case 'p': {
            char *copy = apr_pstrdup(cli->pool, optarg), *tok, *st = NULL;

            for (tok = apr_strtok(copy, ",", &st); tok; tok = apr_strtok(NULL, ",", &st)) {
                if (strcmp(tok, "row") == 0)
                    cells |= 1u << SP_XTAB_ROW_PCT;
                else if (strcmp(tok, "col") == 0)
                    cells |= 1u << SP_XTAB_COL_PCT;
                else if (strcmp(tok, "total") == 0)
                    cells |= 1u << SP_XTAB_TOTAL_PCT;
                else
                    return sp_cli_usage(cli, "crosstab", "--percent takes row, col, total");
            }
            break;
        }
        case '?': return sp_cli_usage(cli, "crosstab", "unknown option");
        default:
            if ((rc = cmd_scan_option(cli, "crosstab", &o, c, optarg)) != SP_OK)
                return rc;
        }
    }
    if ((rc = cmd_scan_operands(cli, "crosstab", &o, argc, argv,
                                !rows || !cols ? "--rows and --cols are required" : NULL))
        != SP_OK)
        return rc;

    if ((rc = cmd_scan_open(cli, &o, &src, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    keys = apr_array_make(cli->pool, 4, sizeof(const char *));
    if (layers) {
        if ((rc = cmd_scan_list(src, layers, &lay, cli->pool, &err)) != SP_OK)
            return sp_cli_fail(cli, err);
        if (lay->nelts > SP_SCAN_MAX_KEYS - 2)
            return sp_cli_usage(cli, "crosstab", "at most %d layer variables", SP_SCAN_MAX_KEYS - 2);
        apr_array_cat(keys, lay);
    }
    APR_ARRAY_PUSH(keys, const char *) = rows;
    APR_ARRAY_PUSH(keys, const char *) = cols;
    cmd_scan_request(&o, keys, &req);
    if ((rc = sp_scan_run(src, &req, &res, cli->pool, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    if ((rc = build(cli, &o, res, lay ? (size_t)lay->nelts : 0, o.weight, &xt, &notes, &err))
        != SP_OK)
        return sp_cli_fail(cli, err);

    sp_xtab_render_options_init(&ro);
    ro.sep = o.sep;
    ro.decimal_comma = o.decimal_comma;
    if (cells || stats || o.weight) {
        ro.cells = cells ? cells : (1u << SP_XTAB_ROW_PCT) | (1u << SP_XTAB_COL_PCT);
        ro.cells |= 1u << SP_XTAB_WEIGHTED;
        if (o.weight)
            ro.cells |= 1u << SP_XTAB_COUNT;
        if (stats)
            ro.cells |= (1u << SP_XTAB_EXPECTED) | (1u << SP_XTAB_ADJ_RESID);
    }
    if (o.format == 'j')
        rc = sp_xtab_render_json(xt, &text, cli->pool, &err);
    else if (o.format == 'c')
        rc = sp_xtab_render_csv(xt, &ro, &text, cli->pool, &err);
    else
        rc = sp_xtab_render_text(xt, &ro, &text, cli->pool, &err);
    if (rc != SP_OK || (rc = cmd_scan_out(&o, &out, cli->pool, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    fputs(text, out);
    if (o.format == 'j')
        fputc('\n', out);
    if (o.format == 't' && *notes)
        fprintf(out, "\n%s", notes);
    if ((rc = cmd_scan_close(&o, out, cli->pool, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    return SP_OK;
}
