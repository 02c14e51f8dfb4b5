/*
 * sp_report_meter.c -- the report's consumption meter (sp_report.h):
 * households by band of one person's yearly CO2e, per neighbourhood and
 * for everyone, as a table with primary and secondary suppression
 * (sp_sdc.c) and a histogram that withholds what the table withholds.
 * The per-household results come from sp_meter.c as they are; a meter
 * that cannot be read leaves the section to a sentence and a note in
 * sp_report_fallbacks().
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include "sp_report_int.h"
#include "sp_meter.h"
#include "sp_sdc.h"
#include "sp_svg.h"

/* Households by band of one person's yearly CO2e (own use and collective
 * share), per neighbourhood, from the territory's meter (sp_meter.h). */
int
sp_report_meter(sp_report_t *r, section_t *sec, sp_error_t **err)
{
    apr_pool_t *p = r->pool;
    static const double edges[4] = {2, 4, 6, 8};   /* t CO2e; 2 t: one person's share */
    const char *bins[5];
    apr_array_header_t *names = apr_array_make(p, 16, sizeof(const char *));
    apr_array_header_t *counts = apr_array_make(p, 16 * 5, sizeof(double));
    size_t nb, k, g, i, co2e = 0;
    double K = r->o.min_cell, *all, *ext, to_t = 1.0;
    sp_table_t *t;
    unsigned char *supp;
    sp_meter_t *m;
    sp_meter_batch_t *mb;
    sp_error_t *merr = NULL;
    const char **order;

    (void)err;
    for (k = 0; k < 5; k++)
        bins[k] = sp_report_msg((sp_report_msg_t)(SP_MSG_METER_BIN_0 + k), r->o.lang);
    if (sp_meter_workspace(r->store, r->o.territory, &m, &mb, p, &merr) != SP_OK) {
        APR_ARRAY_PUSH(r->fallbacks, const char *) =
            apr_psprintf(p, "meter section left empty: %s", merr->message);
        mb = NULL;
    } else {
        for (co2e = 0; co2e < mb->nres; co2e++)
            if (strcmp(sp_meter_resource(m, co2e)->name, "co2e") == 0)
                break;
        if (co2e < mb->nres && strcmp(sp_meter_resource(m, co2e)->unit, "kg CO2e") == 0)
            to_t = 0.001;
        if (co2e == mb->nres) {
            APR_ARRAY_PUSH(r->fallbacks, const char *) = "meter section left empty: the meter has no co2e";
            mb = NULL;
        }
    }
    /* Neighbourhoods in name order ("" first, shown as NONE_LABEL). */
    order = apr_palloc(p, (mb && mb->n ? mb->n : 1) * sizeof *order);
    for (i = 0; mb != NULL && i < mb->n; i++)
        order[i] = mb->neighbourhood[i];
    if (mb != NULL)
        qsort(order, mb->n, sizeof *order, cmp_cstr_ptr);
    for (i = 0; mb != NULL && i < mb->n; i++)
        if (i == 0 || strcmp(order[i], order[i - 1]) != 0) {
            APR_ARRAY_PUSH(names, const char *) = order[i];
            for (k = 0; k < 5; k++)
                APR_ARRAY_PUSH(counts, double) = 0;
        }
    for (i = 0; mb != NULL && i < mb->n; i++) {
        double v = mb->total[i * mb->nres + co2e] * to_t;
        size_t lo = 0, hi = (size_t)names->nelts;

        while (hi - lo > 1) {                 /* names are sorted */
            size_t mid = (lo + hi) / 2;

            if (strcmp(APR_ARRAY_IDX(names, mid, const char *), mb->neighbourhood[i]) <= 0)
                lo = mid;
            else
                hi = mid;
        }
        for (k = 0; k < 4 && v >= edges[k]; k++)
            ;
        ((double *)counts->elts)[lo * 5 + k] += 1;
    }
    for (g = 0; g < (size_t)names->nelts; g++)
        if (*APR_ARRAY_IDX(names, g, const char *) == '\0')
            APR_ARRAY_IDX(names, g, const char *) = M(r, NONE_LABEL);
    nb = (size_t)names->nelts;
    if (nb == 0) {
        para(r, sec, M(r, METER_NONE));
        return SP_OK;
    }
    para(r, sec, M(r, METER_INTRO));
    /* Table: every neighbourhood, then everyone, each with its total:
     * primary and secondary suppression along rows and columns (sp_sdc.h),
     * since both the rows' totals and the row of everyone are shown. */
    t = sp_table_create(M(r, METER_TABLE), nb + 1, 7, p);
    all = apr_pcalloc(p, 5 * sizeof *all);
    ext = apr_pcalloc(p, (nb + 1) * 6 * sizeof *ext);
    supp = apr_palloc(p, (nb + 1) * 6);
    tcol(t, 0, M(r, NEIGHBOURHOOD));
    for (k = 0; k < 5; k++)
        tcol(t, 1 + k, bins[k]);
    tcol(t, 6, M(r, TOTAL));
    for (g = 0; g < nb; g++)
        for (k = 0; k < 5; k++) {
            double c = ((double *)counts->elts)[g * 5 + k];

            all[k] += c;
            ext[g * 6 + k] = c;
            ext[g * 6 + 5] += c;
            ext[nb * 6 + k] += c;
            ext[nb * 6 + 5] += c;
        }
    if (!sp_sdc_protect_table(ext, nb, 5, K, 1, supp))
        APR_ARRAY_PUSH(r->fallbacks, const char *) =
            "meter table: a line with one withheld value had no other to withhold";
    for (g = 0; g <= nb; g++) {
        ttext(t, g, 0, g < nb ? APR_ARRAY_IDX(names, g, const char *) : M(r, ALL_PLACES));
        for (k = 0; k < 6; k++)
            if (supp[g * 6 + k] != SP_SDC_SHOWN)
                tsupp(t, g, 1 + k, supp[g * 6 + k] == SP_SDC_PRIMARY ? M(r, PRIMARY_NOTE)
                                                                   : M(r, SUPPRESSED_NOTE));
            else
                tnum(t, g, 1 + k, ext[g * 6 + k], 0);
    }
    /* Chart: everyone and the (up to) five largest neighbourhoods. */
    {
        const char *groups[6];
        double *hc = apr_palloc(p, 6 * 5 * sizeof *hc), htot[6];
        size_t ng = 0, pick, used[6];
        sp_svg_hist_t h;
        sp_svg_buf_t *b = sp_svg_buf_create(p);

        groups[ng] = M(r, ALL_PLACES);
        for (k = 0; k < 5; k++)
            hc[k] = all[k];
        htot[ng] = supp[nb * 6 + 5] ? NAN : ext[nb * 6 + 5];
        used[ng++] = nb;
        while (ng < 6) {
            double bestt = 0;

            pick = nb;
            for (g = 0; g < nb; g++) {
                double tot = 0;
                size_t u;
                int taken = 0;

                for (u = 0; u < ng; u++)
                    taken |= used[u] == g;
                for (k = 0; k < 5; k++)
                    tot += ((double *)counts->elts)[g * 5 + k];
                if (!taken && tot > bestt) {
                    bestt = tot;
                    pick = g;
                }
            }
            if (pick == nb)
                break;
            groups[ng] = APR_ARRAY_IDX(names, pick, const char *);
            for (k = 0; k < 5; k++)
                hc[ng * 5 + k] = supp[pick * 6 + k] ? NAN : ((double *)counts->elts)[pick * 5 + k];
            htot[ng] = supp[pick * 6 + 5] ? NAN : ext[pick * 6 + 5];
            used[ng++] = pick;
        }
        for (k = 0; k < 5; k++)       /* as withheld in the table (rows of 6) */
            if (supp[nb * 6 + k])
                hc[k] = NAN;
        memset(&h, 0, sizeof h);
        h.head.id = chart_id(r);
        h.head.title = M(r, METER_CHART);
        h.head.desc = M(r, METER_CHART_DESC);
        h.head.width = 620;
        h.head.height = 300;
        h.nbins = 5;
        h.bins = bins;
        h.ngroups = ng;
        h.groups = groups;
        h.counts = hc;
        h.totals = htot;
        h.min_cell = K;
        h.unit = M(r, METER_UNIT);
        figure(r, sec, sp_svg_hist(b, &h) == SP_OK ? sp_svg_text(b) : NULL, h.head.title, NULL,
               NULL);
    }
    table(r, sec, t, "meter");
    para(r, sec, M(r, METER_SWAP));
    return SP_OK;
}
