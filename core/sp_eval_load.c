/*
 * sp_eval_load.c -- the plan's actions and their scores, read into the
 * per-phase profiles of sp_eval.h: per component the groups' mean, median,
 * spread and standard deviation with the disagreement flag, the means per
 * evaluator kind and the comments; per phase the family roll-up, the
 * overall mean and the disagreement list.  The scores come in one ordered
 * pass; sp_eval.c calls this before the viewpoints (sp_eval_view.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_eval_int.h"

/* ---- profiles ----------------------------------------------------------- */

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* The value of "key=value" entries for key, or NULL. */
static const char *
pair_lookup(const char *const *pairs, const char *key)
{
    size_t n = strlen(key);

    for (; pairs != NULL && *pairs != NULL; pairs++)
        if (strncmp(*pairs, key, n) == 0 && (*pairs)[n] == '=')
            return *pairs + n + 1;
    return NULL;
}

static double
kind_weight(const sp_eval_options_t *opt, const char *kind)
{
    const char *w = pair_lookup(opt->kind_weights, kind);

    return w ? strtod(w, NULL) : 1.0;
}

/* One group's mean for one component. */
typedef struct group_score_t {
    const char *group, *kind, *comment;
    double mean, weight;
} group_score_t;

/* The profile entry of one component from the groups' scores. */
static json_t *
component_entry(const char *code, group_score_t *g, int n, double threshold, apr_pool_t *pool)
{
    double sw = 0, swx = 0, sum = 0, ss = 0, mn = g[0].mean, mx = g[0].mean, med, sd, mean;
    double *v = apr_palloc(pool, sizeof(double) * (size_t)n);
    json_t *e = json_object(), *groups = json_object(), *comments = json_array();
    char fam[2] = {code[0], 0};
    int i;

    for (i = 0; i < n; i++) {
        sw += g[i].weight;
        swx += g[i].weight * g[i].mean;
        sum += g[i].mean;
        v[i] = g[i].mean;
        if (g[i].mean < mn)
            mn = g[i].mean;
        if (g[i].mean > mx)
            mx = g[i].mean;
        json_object_set_new(groups, g[i].group, json_real(g[i].mean));
        if (g[i].comment[0])
            json_array_append_new(comments, json_pack("{s:s,s:s}", "group", g[i].group,
                                                      "comment", g[i].comment));
    }
    mean = sw > 0 ? swx / sw : sum / n;
    for (i = 0; i < n; i++)
        ss += (v[i] - sum / n) * (v[i] - sum / n);
    sd = sqrt(ss / n);
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    json_object_set_new(e, "code", json_string(code));
    json_object_set_new(e, "family", json_string(fam));
    json_object_set_new(e, "mean", json_real(mean));
    json_object_set_new(e, "median", json_real(med));
    json_object_set_new(e, "min", json_real(mn));
    json_object_set_new(e, "max", json_real(mx));
    json_object_set_new(e, "spread", json_real(mx - mn));
    json_object_set_new(e, "sd", json_real(sd));
    json_object_set_new(e, "n_groups", json_integer(n));
    json_object_set_new(e, "disagreement", json_boolean(mx - mn > threshold));
    json_object_set_new(e, "groups", groups);
    {
        json_t *kinds = json_object(), *cnt = json_object(), *x;
        const char *k;

        for (i = 0; i < n; i++) {
            double prev = json_real_value(json_object_get(kinds, g[i].kind));
            json_int_t c = json_integer_value(json_object_get(cnt, g[i].kind));

            json_object_set_new(kinds, g[i].kind, json_real(prev + g[i].mean));
            json_object_set_new(cnt, g[i].kind, json_integer(c + 1));
        }
        json_object_foreach(kinds, k, x)
            json_real_set(x, json_real_value(x) / (double)json_integer_value(json_object_get(cnt, k)));
        json_decref(cnt);
        json_object_set_new(e, "kinds", kinds);
    }
    json_object_set_new(e, "comments", comments);
    return e;
}

/* Close a phase profile: family roll-up, overall mean, disagreement list. */
static void
finish_phase(json_t *ph)
{
    json_t *comps = json_object_get(ph, "components"), *dis = json_array();
    json_t *c, *fl = json_array();
    double tot = 0, fsum[26] = {0};
    int fn[26] = {0};
    size_t i;
    int k;

    json_array_foreach(comps, i, c) {
        const char *code = json_string_value(json_object_get(c, "code"));
        double m = json_real_value(json_object_get(c, "mean"));
        int f = (code[0] >= 'A' && code[0] <= 'Z') ? code[0] - 'A' : 25;

        tot += m;
        fsum[f] += m;
        fn[f]++;
        if (json_is_true(json_object_get(c, "disagreement")))
            json_array_append_new(dis, json_string(code));
    }
    for (k = 0; k < 26; k++)
        if (fn[k]) {
            char fam[2] = {(char)('A' + k), 0};

            json_array_append_new(fl, json_pack("{s:s,s:f,s:i}", "family", fam, "mean",
                                                fsum[k] / fn[k], "n_components", fn[k]));
        }
    json_object_set_new(ph, "families", fl);
    json_object_set_new(ph, "mean", json_array_size(comps)
                                        ? json_real(tot / (double)json_array_size(comps))
                                        : json_null());
    json_object_set_new(ph, "disagreements", dis);
}

/* ---- the plan's actions and scores -------------------------------------- */

int
sp_eval_load_actions(sp_store_t *store, sqlite3_int64 plan_id, apr_array_header_t **out,
                     json_t *arr, apr_pool_t *pool, sp_error_t **err)
{
    static const char sql[] =
        "SELECT a.id, a.code, a.title, a.neighbourhood, a.started_on, a.ended_on,"
        " a.coresponsibility, a.wellbeing_impact, a.resource_savings"
        " FROM plan_action pa JOIN action a ON a.id = pa.action_id"
        " WHERE pa.plan_id = ? ORDER BY a.code";
    sqlite3_stmt *st;
    int rc, status;

    if ((status = sp_store_prepare(store, sql, &st, pool, err)) != SP_OK)
        return status;
    sqlite3_bind_int64(st, 1, plan_id);
    *out = apr_array_make(pool, 32, sizeof(action_t));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        action_t *a = apr_array_push(*out);
        json_t *o = json_object();

        a->id = sqlite3_column_int64(st, 0);
        a->code = apr_pstrdup(pool, sp_store_text_or_empty(st, 1));
        a->started_on = sqlite3_column_type(st, 4) == SQLITE_NULL
                            ? NULL : apr_pstrdup(pool, sp_store_text_or_empty(st, 4));
        json_object_set_new(o, "code", json_string(a->code));
        json_object_set_new(o, "title", json_string(sp_store_text_or_empty(st, 2)));
        json_object_set_new(o, "neighbourhood", json_string(sp_store_text_or_empty(st, 3)));
        json_object_set_new(o, "started_on", a->started_on ? json_string(a->started_on) : json_null());
        json_object_set_new(o, "phases", json_object());
        json_object_set_new(o, "viewpoints", json_pack("{s:s,s:s,s:s}",
                            "coresponsibility", sp_store_text_or_empty(st, 6),
                            "wellbeing_impact", sp_store_text_or_empty(st, 7),
                            "resource_savings", sp_store_text_or_empty(st, 8)));
        json_array_append_new(arr, o);
        a->obj = o;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sp_store_fail(store->db, "reading the plan's actions", pool, err);
    return SP_OK;
}

static action_t *
find_action(apr_array_header_t *acts, sqlite3_int64 id)
{
    int i;

    for (i = 0; i < acts->nelts; i++)
        if (APR_ARRAY_IDX(acts, i, action_t).id == id)
            return &APR_ARRAY_IDX(acts, i, action_t);
    return NULL;
}

/* One ordered pass over the scores of the plan's actions in the grid. */
int
sp_eval_load_scores(sp_store_t *store, sqlite3_int64 plan_id, const sp_eval_options_t *opt,
                    apr_array_header_t *acts, double threshold, apr_pool_t *pool,
                    sp_error_t **err)
{
    static const char sql[] =
        "SELECT e.action_id, e.phase, s.component_code, g.code, g.kind, s.score, s.comment"
        " FROM plan_action pa JOIN evaluation e ON e.action_id = pa.action_id AND e.grid = ?"
        " JOIN evaluator_group g ON g.id = e.evaluator_group_id"
        " JOIN evaluation_score s ON s.evaluation_id = e.id"
        " WHERE pa.plan_id = ? ORDER BY e.action_id, e.phase, s.component_code, g.code";
    apr_pool_t *scratch;
    sqlite3_stmt *st;
    group_score_t *buf;
    int nbuf = 0, cap = 16, rc, status;
    sqlite3_int64 cur_action = -1;
    char cur_phase[16] = "", cur_comp[64] = "";
    json_t *ph = NULL;

    if ((status = sp_store_prepare(store, sql, &st, pool, err)) != SP_OK)
        return status;
    apr_pool_create(&scratch, pool);
    buf = apr_palloc(scratch, sizeof(group_score_t) * (size_t)cap);
    sqlite3_bind_text(st, 1, opt->grid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, plan_id);
    for (;;) {
        sqlite3_int64 aid = 0;
        const char *phase = "", *comp = "";
        int row = (rc = sqlite3_step(st)) == SQLITE_ROW;

        if (row) {
            aid = sqlite3_column_int64(st, 0);
            phase = sp_store_text_or_empty(st, 1);
            comp = sp_store_text_or_empty(st, 2);
        }
        /* A component ends: emit it. */
        if (nbuf > 0 && (!row || aid != cur_action || strcmp(phase, cur_phase) != 0
                         || strcmp(comp, cur_comp) != 0)) {
            json_array_append_new(json_object_get(ph, "components"),
                                  component_entry(cur_comp, buf, nbuf, threshold, scratch));
            nbuf = 0;
            apr_pool_clear(scratch);
            buf = apr_palloc(scratch, sizeof(group_score_t) * (size_t)cap);
        }
        /* A phase ends: close it. */
        if (ph != NULL && (!row || aid != cur_action || strcmp(phase, cur_phase) != 0)) {
            finish_phase(ph);
            ph = NULL;
        }
        if (!row)
            break;
        if (ph == NULL) {
            action_t *a = find_action(acts, aid);
            int want = strcmp(phase, "ex-post") == 0 ? SP_EVAL_EX_POST : SP_EVAL_EX_ANTE;

            cur_action = aid;
            snprintf(cur_phase, sizeof cur_phase, "%s", phase);
            if (a == NULL || !(opt->phases & want)) {
                /* skip the rows of a phase not asked for */
                cur_comp[0] = 0;
                ph = NULL;
                continue;
            }
            ph = json_object();
            json_object_set_new(ph, "components", json_array());
            json_object_set_new(json_object_get(a->obj, "phases"), phase, ph);
        }
        snprintf(cur_comp, sizeof cur_comp, "%s", comp);
        if (nbuf == cap) {
            group_score_t *nb = apr_palloc(scratch, sizeof(group_score_t) * (size_t)cap * 2);

            memcpy(nb, buf, sizeof(group_score_t) * (size_t)cap);
            buf = nb;
            cap *= 2;
        }
        buf[nbuf].group = apr_pstrdup(scratch, sp_store_text_or_empty(st, 3));
        buf[nbuf].kind = apr_pstrdup(scratch, sp_store_text_or_empty(st, 4));
        buf[nbuf].mean = sqlite3_column_double(st, 5);
        buf[nbuf].comment = apr_pstrdup(scratch, sp_store_text_or_empty(st, 6));
        buf[nbuf].weight = kind_weight(opt, buf[nbuf].kind);
        nbuf++;
    }
    sqlite3_finalize(st);
    apr_pool_destroy(scratch);
    if (rc != SQLITE_DONE)
        return sp_store_fail(store->db, "reading the scores", pool, err);
    return SP_OK;
}
