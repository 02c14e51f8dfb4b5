/*
 * sp_report_resource.c -- the report's resource use against limits
 * (sp_report.h): for the territory, one bar chart per resource with its
 * limit and trend, then every row of the dashboard, neighbourhoods
 * included, in one table.  The dashboard and its verdicts come from
 * sp_resource_dashboard() (sp_resource.c) as they are.
 */
#include <math.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_report_int.h"
#include "sp_resource.h"
#include "sp_svg.h"

static const char *
verdict(sp_report_t *r, const json_t *row)
{
    const char *s = jstr(row, "status");

    if (strcmp(s, "within") == 0)
        return M(r, RES_WITHIN);
    if (strcmp(s, "meets") == 0)
        return apr_psprintf(r->pool, M(r, RES_MEETS),
                            apr_psprintf(r->pool, "%.0f", jnum(row, "meets_in")));
    if (strcmp(s, "never") == 0)
        return M(r, RES_NEVER);
    if (strcmp(s, "no_trend") == 0)
        return M(r, RES_NO_TREND);
    return M(r, RES_NO_LIMIT);
}

int
sp_report_resources(sp_report_t *r, section_t *sec, sp_error_t **err)
{
    apr_pool_t *p = r->pool;
    sp_resource_params_t rp;
    json_t *dash, *rows, *row;
    size_t n, i, j, over = 0, terr = 0;
    sp_table_t *sum;
    int rc;

    sp_resource_params_default(&rp);
    if ((rc = sp_resource_dashboard(r->store, &rp, NULL, &dash, p, err)) != SP_OK) {
        if (rc == SP_EXIT_SOFTWARE)
            return rc;
        para(r, sec, M(r, RES_NONE));
        return SP_OK;
    }
    rows = json_object_get(dash, "rows");
    n = json_array_size(rows);
    if (n == 0) {
        para(r, sec, M(r, RES_NONE));
        return SP_OK;
    }
    para(r, sec, M(r, RES_INTRO));
    json_array_foreach(rows, i, row) {
        json_t *years = json_object_get(row, "years"), *y, *tr = json_object_get(row, "trend");
        size_t ny = json_array_size(years);
        sp_table_t *t;
        const char **labels;
        double *vals, *trend, limit = jnum(row, "limit");
        sp_svg_bars_t bars;
        sp_svg_buf_t *b = sp_svg_buf_create(p);
        const char *res_name = jstr(row, "resource");

        if (strcmp(jstr(row, "place"), "territory") != 0 || ny == 0)
            continue;
        terr++;
        over += isfinite(jnum(row, "ratio")) && jnum(row, "ratio") > 1;
        t = sp_table_create(apr_psprintf(p, M(r, RES_CHART), res_name, jstr(row, "unit")), ny,
                            4, p);
        tcol(t, 0, M(r, YEAR));
        tcol(t, 1, M(r, AMOUNT));
        tcol(t, 2, M(r, LIMIT));
        tcol(t, 3, M(r, RATIO));
        labels = apr_palloc(p, ny * sizeof *labels);
        vals = apr_palloc(p, ny * sizeof *vals);
        trend = apr_palloc(p, ny * sizeof *trend);
        json_array_foreach(years, j, y) {
            double yr = jnum(y, "year");

            tnum(t, j, 0, yr, 0);
            tnum(t, j, 1, jnum(y, "amount"), 1);
            tnum(t, j, 2, limit, 1);
            tnum(t, j, 3, jnum(y, "ratio"), 2);
            labels[j] = apr_psprintf(p, "%.0f", yr);
            vals[j] = rnd(jnum(y, "amount"), 1);
            trend[j] = json_is_object(tr) ? jnum(tr, "intercept") + jnum(tr, "slope") * yr : NAN;
        }
        memset(&bars, 0, sizeof bars);
        bars.head.id = chart_id(r);
        bars.head.title = t->title;
        bars.head.desc = apr_psprintf(p, M(r, RES_CHART_DESC), res_name, verdict(r, row));
        bars.head.width = 420;
        bars.head.height = 240;
        bars.n = ny;
        bars.labels = labels;
        bars.values = vals;
        bars.limit = isfinite(limit) ? rnd(limit, 1) : NAN;
        bars.limit_label = isfinite(limit) ? apr_psprintf(p, "%s %.0f", M(r, LIMIT), limit) : NULL;
        bars.trend = json_is_object(tr) ? trend : NULL;
        bars.trend_label = M(r, TREND);
        bars.unit = jstr(row, "unit");
        figure(r, sec, sp_svg_bars(b, &bars) == SP_OK ? sp_svg_text(b) : NULL,
               apr_psprintf(p, "%s: %s", t->title, verdict(r, row)), t,
               apr_psprintf(p, "resource-%s", res_name));
    }
    /* Every row, neighbourhoods included, in one table. */
    sum = sp_table_create(M(r, RES_SUMMARY), n, 8, p);
    tcol(sum, 0, M(r, RESOURCE));
    tcol(sum, 1, M(r, PLACE));
    tcol(sum, 2, M(r, LATEST_YEAR));
    tcol(sum, 3, M(r, LATEST));
    tcol(sum, 4, M(r, LIMIT));
    tcol(sum, 5, M(r, RATIO));
    tcol(sum, 6, M(r, MEETS_IN));
    tcol(sum, 7, M(r, TREND));
    json_array_foreach(rows, i, row) {
        const char *place = json_is_string(json_object_get(row, "neighbourhood"))
                                ? jstr(row, "neighbourhood") : r->territory_name;

        ttext(sum, i, 0, apr_psprintf(p, "%s (%s)", jstr(row, "resource"), jstr(row, "unit")));
        ttext(sum, i, 1, apr_pstrdup(p, place ? place : ""));
        tnum(sum, i, 2, jnum(row, "latest_year"), 0);
        tnum(sum, i, 3, jnum(row, "latest"), 1);
        tnum(sum, i, 4, jnum(row, "limit"), 1);
        tnum(sum, i, 5, jnum(row, "ratio"), 2);
        if (isfinite(jnum(row, "meets_in")))
            tnum(sum, i, 6, jnum(row, "meets_in"), 0);
        else
            tundef(sum, i, 6, "does not meet the limit at this pace");
        ttext(sum, i, 7, verdict(r, row));
    }
    table(r, sec, sum, "resources-summary");
    APR_ARRAY_PUSH(r->points, const char *) =
        apr_psprintf(p, M(r, HL_RES), apr_psprintf(p, "%lu", (unsigned long)over),
                     apr_psprintf(p, "%lu", (unsigned long)terr));
    return SP_OK;
}
