/*
 * sp_report_quarterly.c -- the report's quarterly synthesis (sp_report.h):
 * per quarter, the transfers and volumes of the time, fund and goods
 * ledgers (sp_ledger_statement(), sp_ledger.c) beside the pact's new
 * signatories (sp_report_pact.c), as one table and a chart of the hours
 * exchanged.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include "sp_report_int.h"
#include "sp_ledger.h"
#include "sp_svg.h"

int
sp_report_quarterly(sp_report_t *r, section_t *sec, const json_t *pact_quarters,
                    sp_error_t **err)
{
    apr_pool_t *p = r->pool;
    static const char *const ledgers[3] = {"time", "fund", "goods"};
    json_t *stm, *list, *s, *q;
    apr_array_header_t *all = apr_array_make(p, 32, sizeof(const char *));
    const char **qs;
    size_t i, j, k, nq = 0, n;
    double *vol, *ntr, *sig, *hours;
    sp_table_t *t;
    sp_svg_bars_t bars;
    sp_svg_buf_t *b = sp_svg_buf_create(p);
    int rc;

    if ((rc = sp_ledger_statement(r->store, NULL, NULL, &stm, p, err)) != SP_OK)
        return rc;
    list = json_object_get(stm, "statements");
    /* Quarters of the ledgers and of the pact ("YYYY-Qn" sorts as text). */
    json_array_foreach(list, i, s)
        APR_ARRAY_PUSH(all, const char *) = jstr(s, "quarter");
    json_array_foreach(pact_quarters, i, q)
        APR_ARRAY_PUSH(all, const char *) = jstr(q, "quarter");
    n = (size_t)all->nelts;
    if (n == 0) {
        para(r, sec, M(r, Q_NONE));
        return SP_OK;
    }
    qsort(all->elts, n, sizeof(const char *), cmp_cstr_ptr);
    qs = apr_palloc(p, n * sizeof *qs);
    for (i = 0; i < n; i++) {
        const char *x = APR_ARRAY_IDX(all, i, const char *);

        if (*x && (nq == 0 || strcmp(qs[nq - 1], x) != 0))
            qs[nq++] = x;
    }
    vol = apr_pcalloc(p, nq * 3 * sizeof *vol);
    ntr = apr_pcalloc(p, nq * sizeof *ntr);
    sig = apr_pcalloc(p, nq * sizeof *sig);
    hours = apr_palloc(p, nq * sizeof *hours);
    json_array_foreach(list, i, s) {
        const char *ql = jstr(s, "quarter"), *lg = jstr(s, "ledger");

        for (j = 0; j < nq && strcmp(qs[j], ql) != 0; j++)
            ;
        for (k = 0; k < 3 && strcmp(ledgers[k], lg) != 0; k++)
            ;
        if (j == nq || k == 3)
            continue;
        vol[j * 3 + k] += jnum(s, "volume");
        ntr[j] += jnum(s, "transfers");
    }
    json_array_foreach(pact_quarters, i, q) {
        for (j = 0; j < nq && strcmp(qs[j], jstr(q, "quarter")) != 0; j++)
            ;
        if (j < nq)
            sig[j] += jnum(q, "new");
    }
    para(r, sec, M(r, Q_INTRO));
    t = sp_table_create(M(r, Q_TABLE), nq, 6, p);
    tcol(t, 0, M(r, QUARTER));
    tcol(t, 1, M(r, TRANSFERS));
    tcol(t, 2, M(r, HOURS));
    tcol(t, 3, M(r, EUROS));
    tcol(t, 4, M(r, GOODS));
    tcol(t, 5, M(r, NEW_SIGNATORIES));
    for (j = 0; j < nq; j++) {
        ttext(t, j, 0, qs[j]);
        tnum(t, j, 1, ntr[j], 0);
        for (k = 0; k < 3; k++)
            tnum(t, j, 2 + k, vol[j * 3 + k], 2);
        tnum(t, j, 5, sig[j], 0);
        hours[j] = rnd(vol[j * 3], 2);
    }
    memset(&bars, 0, sizeof bars);
    bars.head.id = chart_id(r);
    bars.head.title = M(r, Q_CHART);
    bars.head.desc = M(r, Q_CHART_DESC);
    bars.head.width = 560;
    bars.head.height = 260;
    bars.n = nq;
    bars.labels = qs;
    bars.values = hours;
    bars.limit = NAN;
    bars.unit = "h";
    figure(r, sec, sp_svg_bars(b, &bars) == SP_OK ? sp_svg_text(b) : NULL, bars.head.title, t,
           "quarterly");
    return SP_OK;
}
