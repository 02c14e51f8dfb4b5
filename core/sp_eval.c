/*
 * sp_eval.c -- co-evaluation of one action plan: the options, the list of
 * plans, sp_eval_plan and the profiles for the grid's rank().
 *
 * sp_eval_plan reads the plan and its territory, then has the other files
 * build the jansson object described in sp_eval.h (the definitions are
 * there): the actions and their score profiles (sp_eval_load.c), their
 * viewpoints and what the actions show together (sp_eval_view.c).  No Lua:
 * the grid's rank() and synthesis() are called by cmd_evaluate.c on this
 * object; sp_eval_text.c prints it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "sp_eval_int.h"

static const char *const phase_names[2] = {"ex-ante", "ex-post"};

void
sp_eval_options_init(sp_eval_options_t *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->grid = "default";
    opt->scale_min = -2;
    opt->scale_max = 2;
    opt->threshold = -1;
    opt->overlap = 0.8;
    opt->phases = SP_EVAL_EX_ANTE | SP_EVAL_EX_POST;
}

int
sp_eval_plans(sp_store_t *store, apr_array_header_t **codes, apr_pool_t *pool, sp_error_t **err)
{
    sqlite3_stmt *st;
    int rc, status;

    if ((status = sp_store_prepare(store, "SELECT code FROM plan ORDER BY code", &st, pool,
                                   err)) != SP_OK)
        return status;
    *codes = apr_array_make(pool, 16, sizeof(const char *));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        APR_ARRAY_PUSH(*codes, const char *) =
            apr_pstrdup(pool, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sp_store_fail(store->db, "listing plans", pool, err);
    return SP_OK;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- the plan -------------------------------------------------------------- */

int
sp_eval_plan(sp_store_t *store, const char *code, const sp_eval_options_t *optp,
             json_t **result, apr_pool_t *pool, sp_error_t **err)
{
    sp_eval_options_t opt = *optp;
    sqlite3_stmt *st = NULL;
    sqlite3_int64 plan_id, territory_id = 0;
    double population = NAN, threshold;
    apr_array_header_t *acts, *res, *comps;
    apr_hash_t *pairs;
    json_t *r = NULL, *actions, *across, *a;
    const char *title;
    int status = SP_OK, i;
    size_t k;

    *result = NULL;
    if (opt.grid == NULL)
        opt.grid = "default";
    if (opt.scale_max <= opt.scale_min) {
        opt.scale_min = -2;
        opt.scale_max = 2;
    }
    if (opt.phases == 0)
        opt.phases = SP_EVAL_EX_ANTE | SP_EVAL_EX_POST;
    if (opt.overlap <= 0)
        opt.overlap = 0.8;
    threshold = opt.threshold >= 0 ? opt.threshold : (opt.scale_max - opt.scale_min) / 2;

    if ((status = sp_store_prepare(store,
             "SELECT p.id, p.title, coalesce(p.territory_id,"
             " (SELECT id FROM territory WHERE (SELECT count(*) FROM territory) = 1)),"
             " t.population FROM plan p"
             " LEFT JOIN territory t ON t.id = coalesce(p.territory_id,"
             " (SELECT id FROM territory WHERE (SELECT count(*) FROM territory) = 1))"
             " WHERE p.code = ?", &st, pool, err)) != SP_OK)
        return status;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "no plan '%s' in the workspace",
                            code);
    }
    plan_id = sqlite3_column_int64(st, 0);
    title = apr_pstrdup(pool, sp_store_text_or_empty(st, 1));
    territory_id = sqlite3_column_int64(st, 2);
    if (sqlite3_column_type(st, 3) != SQLITE_NULL)
        population = sqlite3_column_double(st, 3);
    sqlite3_finalize(st);
    st = NULL;

    r = json_object();
    actions = json_array();
    json_object_set_new(r, "plan", json_string(code));
    json_object_set_new(r, "title", json_string(title));
    json_object_set_new(r, "grid", json_string(opt.grid));
    json_object_set_new(r, "scale", json_pack("{s:f,s:f}", "min", opt.scale_min, "max", opt.scale_max));
    json_object_set_new(r, "threshold", json_real(threshold));
    json_object_set_new(r, "actions", actions);

    if ((status = sp_eval_load_actions(store, plan_id, &acts, actions, pool, err)) != SP_OK
        || (status = sp_eval_load_scores(store, plan_id, &opt, acts, threshold, pool,
                                         err)) != SP_OK
        || (opt.cache == NULL
            && (status = sp_eval_load_sector_pairs(store, &pairs, pool, err)) != SP_OK)
        || (status = sp_eval_load_resources(store, territory_id, population, &res, pool,
                                            err)) != SP_OK
        || (status = sp_store_prepare(store, "SELECT kind, value FROM action_tag"
                                      " WHERE action_id = ? ORDER BY kind, value", &st, pool,
                                      err)) != SP_OK)
        goto done;
    if (opt.cache != NULL)
        pairs = opt.cache->pairs;
    for (i = 0; i < acts->nelts; i++) {
        action_t *ac = &APR_ARRAY_IDX(acts, i, action_t);

        if ((status = sp_eval_action_viewpoints(store, st, ac, pairs, res, &opt, pool,
                                                err)) != SP_OK)
            goto done;
        json_object_set_new(ac->obj, "delta", sp_eval_deltas(json_object_get(ac->obj, "phases")));
    }

    /* The grid's components, or those scored. */
    comps = apr_array_make(pool, 32, sizeof(const char *));
    if (opt.components != NULL) {
        for (k = 0; opt.components[k] != NULL; k++)
            APR_ARRAY_PUSH(comps, const char *) = opt.components[k];
    } else {
        apr_hash_t *seen = apr_hash_make(pool);
        size_t ai, ci;
        const char *p;
        json_t *ph, *c;

        json_array_foreach(actions, ai, a) {
            json_object_foreach(json_object_get(a, "phases"), p, ph)
                json_array_foreach(json_object_get(ph, "components"), ci, c) {
                    const char *cc = json_string_value(json_object_get(c, "code"));

                    if (apr_hash_get(seen, cc, APR_HASH_KEY_STRING) == NULL) {
                        cc = apr_pstrdup(pool, cc);
                        apr_hash_set(seen, cc, APR_HASH_KEY_STRING, cc);
                        APR_ARRAY_PUSH(comps, const char *) = cc;
                    }
                }
        }
        qsort(comps->elts, (size_t)comps->nelts, sizeof(const char *), cmp_str);
    }
    {
        json_t *cl = json_array();

        for (i = 0; i < comps->nelts; i++)
            json_array_append_new(cl, json_string(APR_ARRAY_IDX(comps, i, const char *)));
        json_object_set_new(r, "components", cl);
    }
    across = json_object();
    for (i = 0; i < 2; i++)
        if (opt.phases & (1 << i))
            json_object_set_new(across, phase_names[i],
                                sp_eval_across_phase(actions, phase_names[i],
                                                     (const char *const *)comps->elts,
                                                     (size_t)comps->nelts, opt.overlap));
    json_object_set_new(r, "across", across);

done:
    if (st != NULL)
        sqlite3_finalize(st);
    if (status != SP_OK) {
        json_decref(r);
        return status;
    }
    *result = r;
    return SP_OK;
}

json_t *
sp_eval_profiles(const json_t *result, const char *const *vulnerable_kinds)
{
    static const char *const default_kinds[] = {"beneficiaries", NULL};
    json_t *out = json_array(), *a;
    size_t i;

    if (vulnerable_kinds == NULL)
        vulnerable_kinds = default_kinds;
    json_array_foreach(json_object_get(result, "actions"), i, a) {
        json_t *phs = json_object_get(a, "phases"), *ph = json_object_get(phs, "ex-post");
        json_t *cr = json_object_get(a, "coresponsibility");
        const char *phase = "ex-post";
        json_t *p, *comps = json_object(), *fams = json_object(), *vul = json_object();
        json_t *groups = json_object(), *c;
        size_t j, nsec = json_array_size(json_object_get(cr, "sectors"));
        int level;

        if (ph == NULL) {
            ph = json_object_get(phs, "ex-ante");
            phase = "ex-ante";
        }
        p = json_pack("{s:O,s:O}", "action", json_object_get(a, "code"),
                      "title", json_object_get(a, "title"));
        if (ph == NULL) {
            json_object_set_new(p, "phase", json_null());
            json_object_set_new(p, "mean", json_null());
            json_object_set_new(p, "disagreements", json_integer(0));
        } else {
            json_object_set_new(p, "phase", json_string(phase));
            json_object_set(p, "mean", json_object_get(ph, "mean"));
            json_object_set_new(p, "disagreements",
                                json_integer((json_int_t)json_array_size(json_object_get(ph, "disagreements"))));
            json_array_foreach(json_object_get(ph, "components"), j, c) {
                const char *code = json_string_value(json_object_get(c, "code"));
                json_t *kinds = json_object_get(c, "kinds"), *x;
                double vs = 0;
                int vn = 0, k;
                const char *gname;

                json_object_set(comps, code, json_object_get(c, "mean"));
                for (k = 0; vulnerable_kinds[k] != NULL; k++)
                    if ((x = json_object_get(kinds, vulnerable_kinds[k])) != NULL) {
                        vs += json_real_value(x);
                        vn++;
                    }
                if (vn)
                    json_object_set_new(vul, code, json_real(vs / vn));
                json_object_foreach(json_object_get(c, "groups"), gname, x)
                    json_object_set_new(groups, gname, json_true());
            }
            json_array_foreach(json_object_get(ph, "families"), j, c)
                json_object_set(fams, json_string_value(json_object_get(c, "family")),
                                json_object_get(c, "mean"));
        }
        level = json_array_size(json_object_get(cr, "actors")) <= 1 ? 0
                : nsec <= 1 ? 1
                : json_array_size(json_object_get(cr, "new_links")) == 0 ? 2 : 3;
        json_object_set_new(p, "components", comps);
        json_object_set(p, "impact", comps);
        json_object_set_new(p, "vulnerable", vul);
        json_object_set_new(p, "families", fams);
        json_object_set_new(p, "groups", json_integer((json_int_t)json_object_size(groups)));
        json_object_set_new(p, "coresponsibility", json_integer(level));
        json_object_set_new(p, "savings", json_object());
        json_decref(groups);
        json_array_append_new(out, p);
    }
    return out;
}
