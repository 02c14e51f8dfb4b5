/*
 * sp_report_pact.c -- the report's pact section (sp_report.h): signatories
 * per quarter, cumulative against the target on a log scale with the
 * population as reference, and whether the projection covers it.  The
 * numbers come from sp_pact_report() (sp_pact.c) as they are; its
 * quarters are handed on to the quarterly synthesis
 * (sp_report_quarterly.c).
 */
#include <math.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_report_int.h"
#include "sp_pact.h"
#include "sp_svg.h"

int
sp_report_pact(sp_report_t *r, section_t *sec, json_t **quarters, sp_error_t **err)
{
    apr_pool_t *p = r->pool;
    sp_pact_params_t pp;
    json_t *rep, *qs, *q, *proj;
    size_t n, i;
    sp_table_t *t;
    const char **labels;
    double *obs, *tgt;
    sp_svg_line_t series[2];
    sp_svg_lines_t lc;
    sp_svg_buf_t *b = sp_svg_buf_create(p);
    int rc;

    *quarters = NULL;
    sp_pact_params_default(&pp);
    if ((rc = sp_pact_report(r->store, &pp, &rep, p, err)) != SP_OK) {
        if (rc == SP_EXIT_SOFTWARE)
            return rc;
        para(r, sec, M(r, PACT_NONE));
        return SP_OK;
    }
    qs = json_object_get(rep, "quarters");
    n = json_array_size(qs);
    if (n == 0) {
        para(r, sec, M(r, PACT_NONE));
        return SP_OK;
    }
    *quarters = qs;
    para(r, sec, apr_psprintf(p, M(r, PACT_INTRO), apr_psprintf(p, "%.0f", jnum(rep, "founders")),
                              apr_psprintf(p, "%.0f", jnum(rep, "signatories"))));
    t = sp_table_create(M(r, PACT_CHART), n, 4, p);
    tcol(t, 0, M(r, QUARTER));
    tcol(t, 1, M(r, NEW));
    tcol(t, 2, M(r, CUMULATIVE));
    tcol(t, 3, M(r, TARGET));
    labels = apr_palloc(p, n * sizeof *labels);
    obs = apr_palloc(p, n * sizeof *obs);
    tgt = apr_palloc(p, n * sizeof *tgt);
    json_array_foreach(qs, i, q) {
        labels[i] = apr_pstrdup(p, jstr(q, "quarter"));
        ttext(t, i, 0, labels[i]);
        tnum(t, i, 1, jnum(q, "new"), 0);
        tnum(t, i, 2, jnum(q, "cumulative"), 0);
        tnum(t, i, 3, jnum(q, "target"), 0);
        obs[i] = jnum(q, "cumulative");
        tgt[i] = rnd(jnum(q, "target"), 0);
    }
    series[0].name = M(r, CUMULATIVE);
    series[0].y = obs;
    series[0].dashed = 0;
    series[1].name = M(r, TARGET);
    series[1].y = tgt;
    series[1].dashed = 1;
    memset(&lc, 0, sizeof lc);
    lc.head.id = chart_id(r);
    lc.head.title = t->title;
    lc.head.desc = M(r, PACT_CHART_DESC);
    lc.head.width = 560;
    lc.head.height = 300;
    lc.n = n;
    lc.xlabels = labels;
    lc.nseries = 2;
    lc.series = series;
    lc.log_scale = 1;
    lc.reference = r->population;
    lc.reference_label = isfinite(r->population)
                             ? apr_psprintf(p, "%s %.0f", M(r, POPULATION), r->population) : NULL;
    proj = json_object_get(rep, "projection");
    figure(r, sec, sp_svg_lines(b, &lc) == SP_OK ? sp_svg_text(b) : NULL, t->title, t, "pact");
    if (json_is_string(json_object_get(proj, "covered_in")))
        para(r, sec, apr_psprintf(p, M(r, PACT_COVERED), jstr(proj, "covered_in")));
    else
        para(r, sec, M(r, PACT_NOT_COVERED));
    q = json_array_get(qs, n - 1);
    APR_ARRAY_PUSH(r->points, const char *) =
        apr_psprintf(p, M(r, HL_PACT), jstr(q, "quarter"),
                     apr_psprintf(p, "%.0f", jnum(q, "cumulative")),
                     apr_psprintf(p, "%.0f", jnum(q, "target")));
    return SP_OK;
}
