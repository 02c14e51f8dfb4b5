/*
 * sp_report_eval.c -- the report's co-evaluation of a plan (sp_report.h):
 * the profile of each phase by family, the ranking of the actions, the
 * grid's components no action reaches, the change from ex-ante to
 * ex-post and the components on which the groups disagree.  Every number
 * comes from sp_eval_plan() and sp_eval_profiles() (sp_eval.c); this file
 * chooses the plan and the grid, and lays the result out.
 */
#include <math.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_report_int.h"
#include "sp_eval.h"
#include "sp_grid.h"
#include "sp_svg.h"

static const char *
phase_label(sp_report_t *r, const char *phase)
{
    return strcmp(phase, "ex-post") == 0 ? M(r, EX_POST) : M(r, EX_ANTE);
}

int
sp_report_evaluation(sp_report_t *r, section_t *sec, sp_error_t **err)
{
    apr_pool_t *p = r->pool;
    sqlite3_stmt *st;
    const char *plan = r->o.plan, *grid = NULL;
    sp_eval_options_t eo;
    json_t *res, *actions, *a;
    size_t na, i, k, ph;
    static const char *const phases[2] = {"ex-ante", "ex-post"};
    int rc;

    if (plan == NULL) {
        if (sqlite3_prepare_v2(r->store->db,
                               "SELECT p.code FROM plan p JOIN plan_action pa ON pa.plan_id = p.id"
                               " JOIN evaluation e ON e.action_id = pa.action_id"
                               " GROUP BY p.id ORDER BY count(*) DESC, p.code LIMIT 1",
                               -1, &st, NULL) != SQLITE_OK)
            return sp_store_fail(r->store->db, "evaluation", p, err);
        if (sqlite3_step(st) == SQLITE_ROW)
            plan = apr_pstrdup(p, (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    } else {
        int found;

        if (sqlite3_prepare_v2(r->store->db, "SELECT 1 FROM plan WHERE code = ?", -1, &st, NULL)
            != SQLITE_OK)
            return sp_store_fail(r->store->db, "evaluation", p, err);
        sqlite3_bind_text(st, 1, plan, -1, SQLITE_TRANSIENT);
        found = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
        if (!found)
            return sp_error_set(err, p, SP_EXIT_USAGE, NULL, 0, 0, "no plan '%s'", plan);
    }
    if (plan == NULL) {
        para(r, sec, M(r, EVAL_NONE));
        return SP_OK;
    }
    /* The grid the plan was scored on most. */
    if (sqlite3_prepare_v2(r->store->db,
                           "SELECT e.grid FROM plan p JOIN plan_action pa ON pa.plan_id = p.id"
                           " JOIN evaluation e ON e.action_id = pa.action_id WHERE p.code = ?"
                           " GROUP BY e.grid ORDER BY count(*) DESC, e.grid LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return sp_store_fail(r->store->db, "evaluation", p, err);
    sqlite3_bind_text(st, 1, plan, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        grid = apr_pstrdup(p, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (grid == NULL) {
        para(r, sec, M(r, EVAL_NONE));
        return SP_OK;
    }
    sp_eval_options_init(&eo);
    eo.grid = grid;
    if ((rc = sp_eval_plan(r->store, plan, &eo, &res, p, err)) != SP_OK)
        return rc;
    sp_grid_pool_own(res, p);
    actions = json_object_get(res, "actions");
    na = json_array_size(actions);
    para(r, sec, apr_psprintf(p, M(r, EVAL_INTRO), plan, jstr(res, "title"), grid,
                              apr_psprintf(p, "%lu", (unsigned long)na)));
    if (na == 0) {
        para(r, sec, M(r, EVAL_NONE));
        return SP_OK;
    }

    /* Profiles: per phase, the mean over actions of each family's mean. */
    {
        double sum[2][NFAM] = {{0}}, cnt[2][NFAM] = {{0}}, *vals;
        sp_table_t *t = sp_table_create(apr_psprintf(p, M(r, EVAL_PROFILE), plan), 2, 1 + NFAM, p);
        sp_svg_series_t series[2];
        sp_svg_radar_t rad;
        sp_svg_buf_t *b = sp_svg_buf_create(p);
        const char *axes[NFAM];

        vals = apr_palloc(p, 2 * NFAM * sizeof *vals);
        json_array_foreach(actions, i, a) {
            for (ph = 0; ph < 2; ph++) {
                json_t *fams = json_object_get(json_object_get(json_object_get(a, "phases"),
                                                               phases[ph]), "families"), *fm;
                size_t j;

                json_array_foreach(fams, j, fm) {
                    const char *fl = jstr(fm, "family");
                    const char *hit = *fl ? strchr(FAMILIES, fl[0]) : NULL;
                    double m = jnum(fm, "mean");

                    if (hit && isfinite(m)) {
                        sum[ph][hit - FAMILIES] += m;
                        cnt[ph][hit - FAMILIES] += 1;
                    }
                }
            }
        }
        tcol(t, 0, M(r, PHASE));
        for (k = 0; k < NFAM; k++) {
            tcol(t, 1 + k, apr_psprintf(p, "%c", FAMILIES[k]));
            axes[k] = t->columns[1 + k];
        }
        for (ph = 0; ph < 2; ph++) {
            ttext(t, ph, 0, phase_label(r, phases[ph]));
            for (k = 0; k < NFAM; k++) {
                double m = cnt[ph][k] > 0 ? sum[ph][k] / cnt[ph][k] : NAN;

                if (isfinite(m))
                    tnum(t, ph, 1 + k, m, 2);
                else
                    tundef(t, ph, 1 + k, "not scored");
                vals[ph * NFAM + k] = isfinite(m) ? rnd(m, 2) : NAN;
            }
            series[ph].name = phase_label(r, phases[ph]);
            series[ph].values = vals + ph * NFAM;
        }
        memset(&rad, 0, sizeof rad);
        rad.head.id = chart_id(r);
        rad.head.title = t->title;
        rad.head.desc = M(r, EVAL_PROFILE_DESC);
        rad.head.width = 340;
        rad.naxes = NFAM;
        rad.axes = axes;
        rad.min = -2;
        rad.max = 2;
        rad.nseries = 2;
        rad.series = series;
        figure(r, sec, sp_svg_radar(b, &rad) == SP_OK ? sp_svg_text(b) : NULL, t->title, t,
               "eval-profile");
    }

    /* Ranking: by the mean of the latest phase scored (ex-post when there
     * is one), as sp_eval_profiles() chooses. */
    {
        json_t *prof = sp_eval_profiles(res, NULL), *pr;
        size_t np = json_array_size(prof), *order = apr_palloc(p, (np + 1) * sizeof(size_t));
        sp_table_t *t = sp_table_create(apr_psprintf(p, M(r, EVAL_RANKING), plan), np, 5, p);
        const char **labels = apr_palloc(p, (np + 1) * sizeof *labels);
        double *vals = apr_palloc(p, (np + 1) * sizeof *vals);
        sp_svg_bars_t bars;
        sp_svg_buf_t *b = sp_svg_buf_create(p);

        sp_grid_pool_own(prof, p);
        for (i = 0; i < np; i++)
            order[i] = i;
        for (i = 1; i < np; i++)   /* insertion sort: descending mean, then code */
            for (k = i; k > 0; k--) {
                json_t *x = json_array_get(prof, order[k - 1]), *y = json_array_get(prof, order[k]);
                double mx = jnum(x, "mean"), my = jnum(y, "mean");

                if (!isfinite(mx))
                    mx = -INFINITY;
                if (!isfinite(my))
                    my = -INFINITY;
                if (mx > my || (mx == my && strcmp(jstr(x, "action"), jstr(y, "action")) <= 0))
                    break;
                order[k - 1] = order[k] ^ order[k - 1];
                order[k] = order[k] ^ order[k - 1];
                order[k - 1] = order[k] ^ order[k - 1];
            }
        tcol(t, 0, M(r, RANK));
        tcol(t, 1, M(r, ACTION));
        tcol(t, 2, M(r, TITLE));
        tcol(t, 3, M(r, PHASE));
        tcol(t, 4, M(r, MEAN));
        for (i = 0; i < np; i++) {
            pr = json_array_get(prof, order[i]);
            tnum(t, i, 0, (double)(i + 1), 0);
            ttext(t, i, 1, apr_pstrdup(p, jstr(pr, "action")));
            ttext(t, i, 2, apr_pstrdup(p, jstr(pr, "title")));
            ttext(t, i, 3, phase_label(r, jstr(pr, "phase")));
            tnum(t, i, 4, jnum(pr, "mean"), 2);
            labels[i] = t->cells[i * 5 + 1].text;
            vals[i] = isfinite(jnum(pr, "mean")) ? rnd(jnum(pr, "mean"), 2) : NAN;
        }
        memset(&bars, 0, sizeof bars);
        bars.head.id = chart_id(r);
        bars.head.title = t->title;
        bars.head.desc = M(r, EVAL_RANKING_DESC);
        bars.head.width = 460;
        bars.head.height = 60 + 22.0 * (double)np + SP_SVG_BOTTOM;
        bars.horizontal = 1;
        bars.n = np;
        bars.labels = labels;
        bars.values = vals;
        bars.limit = NAN;
        figure(r, sec, np && sp_svg_bars(b, &bars) == SP_OK ? sp_svg_text(b) : NULL, t->title,
               t, "eval-ranking");
        if (np > 0)
            APR_ARRAY_PUSH(r->points, const char *) =
                apr_psprintf(p, M(r, HL_EVAL), plan, labels[0]);
    }

    /* Gaps: grid components no action reaches with a positive mean. */
    for (ph = 0; ph < 2; ph++) {
        json_t *gaps = json_object_get(json_object_get(json_object_get(res, "across"),
                                                       phases[ph]), "gaps"), *g;
        const char *list = NULL;

        if (gaps == NULL)
            continue;
        json_array_foreach(gaps, i, g)
            list = list ? apr_pstrcat(p, list, ", ", json_string_value(g), NULL)
                        : json_string_value(g);
        para(r, sec, list ? apr_psprintf(p, M(r, EVAL_GAPS), phase_label(r, phases[ph]), list)
                          : apr_psprintf(p, M(r, EVAL_GAPS_NONE), phase_label(r, phases[ph])));
    }
    /* Ex-ante to ex-post: the change of each action's mean. */
    {
        size_t n = 0, row = 0;
        sp_table_t *t;

        json_array_foreach(actions, i, a) {
            json_t *phs = json_object_get(a, "phases");

            n += json_object_get(phs, "ex-ante") && json_object_get(phs, "ex-post");
        }
        if (n > 0) {
            t = sp_table_create(apr_psprintf(p, M(r, EVAL_DELTA), plan), n, 4, p);
            tcol(t, 0, M(r, ACTION));
            tcol(t, 1, M(r, EX_ANTE));
            tcol(t, 2, M(r, EX_POST));
            tcol(t, 3, M(r, DIFFERENCE));
            json_array_foreach(actions, i, a) {
                json_t *phs = json_object_get(a, "phases");
                double m0, m1;

                if (!(json_object_get(phs, "ex-ante") && json_object_get(phs, "ex-post")))
                    continue;
                m0 = rnd(jnum(json_object_get(phs, "ex-ante"), "mean"), 2);
                m1 = rnd(jnum(json_object_get(phs, "ex-post"), "mean"), 2);
                ttext(t, row, 0, apr_pstrdup(p, jstr(a, "code")));
                tnum(t, row, 1, m0, 2);
                tnum(t, row, 2, m1, 2);
                tnum(t, row, 3, m1 - m0, 2);
                row++;
            }
            table(r, sec, t, "eval-delta");
        }
    }
    /* Agreement: components on which the groups disagree. */
    {
        size_t n = 0, row = 0;
        sp_table_t *t;

        para(r, sec, apr_psprintf(p, M(r, EVAL_AGREE_INTRO),
                                  apr_psprintf(p, "%g", jnum(res, "threshold"))));
        json_array_foreach(actions, i, a)
            for (ph = 0; ph < 2; ph++)
                n += json_array_size(json_object_get(
                    json_object_get(json_object_get(a, "phases"), phases[ph]), "disagreements"));
        if (n == 0) {
            para(r, sec, M(r, EVAL_AGREE_NONE));
            return SP_OK;
        }
        t = sp_table_create(apr_psprintf(p, M(r, EVAL_AGREEMENT), plan), n, 6, p);
        tcol(t, 0, M(r, ACTION));
        tcol(t, 1, M(r, PHASE));
        tcol(t, 2, M(r, COMPONENT));
        tcol(t, 3, M(r, MIN));
        tcol(t, 4, M(r, MAX));
        tcol(t, 5, M(r, SPREAD));
        json_array_foreach(actions, i, a)
            for (ph = 0; ph < 2; ph++) {
                json_t *pj = json_object_get(json_object_get(a, "phases"), phases[ph]);
                json_t *dis = json_object_get(pj, "disagreements"), *d, *c;
                size_t j, m;

                json_array_foreach(dis, j, d) {
                    const char *code = json_string_value(d);

                    ttext(t, row, 0, apr_pstrdup(p, jstr(a, "code")));
                    ttext(t, row, 1, phase_label(r, phases[ph]));
                    ttext(t, row, 2, apr_pstrdup(p, code ? code : ""));
                    tundef(t, row, 3, "not found");
                    tundef(t, row, 4, "not found");
                    tundef(t, row, 5, "not found");
                    json_array_foreach(json_object_get(pj, "components"), m, c)
                        if (code && strcmp(jstr(c, "code"), code) == 0) {
                            tnum(t, row, 3, jnum(c, "min"), 2);
                            tnum(t, row, 4, jnum(c, "max"), 2);
                            tnum(t, row, 5, jnum(c, "spread"), 2);
                        }
                    row++;
                }
            }
        table(r, sec, t, "eval-agreement");
    }
    return SP_OK;
}
