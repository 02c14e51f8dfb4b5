/*
 * sp_eval.c -- co-evaluation of one action plan: profiles, agreement,
 * viewpoints, gaps, overlaps, complements, ex-ante/ex-post deltas.
 *
 * Reads the workspace with a handful of queries per plan (the plan's
 * actions, their scores in one ordered pass, their tags, the workspace's
 * sector pairs, the resources) and builds the jansson object described in
 * sp_eval.h; the definitions are there.  No Lua: the grid's rank() and
 * synthesis() are called by cmd_evaluate.c on this object.  Text rendering
 * (sp_eval_render_text) and the CSV template of the evaluations import are
 * here too, because they follow the same object and grid.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "sp_eval.h"
#include "sp_export.h"
#include "sp_text.h"

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

/* ---- small helpers ------------------------------------------------------ */

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
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

/* Whether "key=value" is among pairs. */
static int
maps_to(const char *const *pairs, const char *key, const char *value)
{
    size_t n = strlen(key);

    for (; pairs != NULL && *pairs != NULL; pairs++)
        if (strncmp(*pairs, key, n) == 0 && (*pairs)[n] == '=' && strcmp(*pairs + n + 1, value) == 0)
            return 1;
    return 0;
}

/* When the grid maps no tag to resources: the resource coordination
 * groups of annex 2 (energy transition; space, natural resources and
 * buildings) to the resources they answer for. */
static const char *const default_resource_map[] = {
    "ressources-1=co2e", "ressources-1=energy_fossil",
    "ressources-2=land", "ressources-2=water", NULL
};

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
    json_t *comps = json_object_get(ph, "components"), *fams = json_object(), *dis = json_array();
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
    json_decref(fams);
    json_object_set_new(ph, "families", fl);
    json_object_set_new(ph, "mean", json_array_size(comps) ? json_real(tot / (double)json_array_size(comps))
                                                            : json_null());
    json_object_set_new(ph, "disagreements", dis);
}

/* ---- the plan's actions and scores -------------------------------------- */

typedef struct action_t {
    sqlite3_int64 id;
    const char *code;
    const char *started_on;   /* NULL when undated */
    json_t *obj;              /* borrowed from the actions array */
} action_t;

static int
load_actions(sp_store_t *store, sqlite3_int64 plan_id, apr_array_header_t **out, json_t *arr,
             apr_pool_t *pool, sp_error_t **err)
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
static int
load_scores(sp_store_t *store, sqlite3_int64 plan_id, const sp_eval_options_t *opt,
            apr_array_header_t *acts, double threshold, apr_pool_t *pool, sp_error_t **err)
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

/* ---- viewpoints ---------------------------------------------------------- */

/* The sector pairs of the workspace: "s1\037s2" (s1 < s2) -> earliest
 * order key "0<started_on>\037<id>" or "1\037<id>", zero-padded ids. */
static char *
order_key(const char *started_on, sqlite3_int64 id, apr_pool_t *pool)
{
    return started_on ? apr_psprintf(pool, "0%s\037%020lld", started_on, (long long)id)
                      : apr_psprintf(pool, "1\037%020lld", (long long)id);
}

static int
load_sector_pairs(sp_store_t *store, apr_hash_t **pairs, apr_pool_t *pool, sp_error_t **err)
{
    static const char sql[] =
        "SELECT t.action_id, a.started_on, t.value FROM action_tag t"
        " JOIN action a ON a.id = t.action_id WHERE t.kind = 'sector'"
        " ORDER BY t.action_id, t.value";
    sqlite3_stmt *st;
    apr_array_header_t *cur = apr_array_make(pool, 8, sizeof(const char *));
    sqlite3_int64 cur_id = -1;
    const char *cur_key = NULL;
    int rc, status;

    if ((status = sp_store_prepare(store, sql, &st, pool, err)) != SP_OK)
        return status;
    *pairs = apr_hash_make(pool);
    for (;;) {
        int row = (rc = sqlite3_step(st)) == SQLITE_ROW;
        sqlite3_int64 id = row ? sqlite3_column_int64(st, 0) : -2;

        if (id != cur_id) {
            int i, j;

            for (i = 0; i < cur->nelts; i++)
                for (j = i + 1; j < cur->nelts; j++) {
                    const char *k = apr_pstrcat(pool, APR_ARRAY_IDX(cur, i, const char *), "\037",
                                                APR_ARRAY_IDX(cur, j, const char *), NULL);
                    const char *old = apr_hash_get(*pairs, k, APR_HASH_KEY_STRING);

                    if (old == NULL || strcmp(cur_key, old) < 0)
                        apr_hash_set(*pairs, k, APR_HASH_KEY_STRING, cur_key);
                }
            apr_array_clear(cur);
            if (!row)
                break;
            cur_id = id;
            cur_key = order_key(sqlite3_column_type(st, 1) == SQLITE_NULL ? NULL
                                : sp_store_text_or_empty(st, 1), id, pool);
        }
        APR_ARRAY_PUSH(cur, const char *) = apr_pstrdup(pool, sp_store_text_or_empty(st, 2));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sp_store_fail(store->db, "reading sectors", pool, err);
    return SP_OK;
}

struct sp_eval_cache_t {
    apr_hash_t *pairs;
};

int
sp_eval_cache_create(sp_store_t *store, sp_eval_cache_t **cache, apr_pool_t *pool,
                     sp_error_t **err)
{
    sp_eval_cache_t *c = apr_pcalloc(pool, sizeof *c);
    int status;

    if ((status = load_sector_pairs(store, &c->pairs, pool, err)) != SP_OK)
        return status;
    *cache = c;
    return SP_OK;
}

typedef struct resource_t {
    const char *code, *unit;
    double limit, usage;      /* NAN when unknown */
    long year;
} resource_t;

static int
load_resources(sp_store_t *store, sqlite3_int64 territory_id, double population,
               apr_array_header_t **out, apr_pool_t *pool, sp_error_t **err)
{
    static const char sql[] =
        "SELECT r.code, r.unit,"
        " (SELECT amount FROM resource_limit l WHERE l.resource_id = r.id AND l.scope = 'territory'"
        "   AND (l.territory_id IS NULL OR l.territory_id = ?1) ORDER BY l.territory_id IS NULL LIMIT 1),"
        " (SELECT amount FROM resource_limit l WHERE l.resource_id = r.id AND l.scope = 'person'"
        "   ORDER BY l.id LIMIT 1),"
        " (SELECT amount FROM resource_usage u WHERE u.resource_id = r.id AND u.territory_id = ?1"
        "   AND u.neighbourhood_id IS NULL ORDER BY u.year DESC LIMIT 1),"
        " (SELECT year FROM resource_usage u WHERE u.resource_id = r.id AND u.territory_id = ?1"
        "   AND u.neighbourhood_id IS NULL ORDER BY u.year DESC LIMIT 1)"
        " FROM resource r ORDER BY r.code";
    sqlite3_stmt *st;
    int rc, status;

    if ((status = sp_store_prepare(store, sql, &st, pool, err)) != SP_OK)
        return status;
    sqlite3_bind_int64(st, 1, territory_id);
    *out = apr_array_make(pool, 8, sizeof(resource_t));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        resource_t *r = apr_array_push(*out);

        r->code = apr_pstrdup(pool, sp_store_text_or_empty(st, 0));
        r->unit = apr_pstrdup(pool, sp_store_text_or_empty(st, 1));
        if (sqlite3_column_type(st, 2) != SQLITE_NULL)
            r->limit = sqlite3_column_double(st, 2);
        else if (sqlite3_column_type(st, 3) != SQLITE_NULL && !isnan(population))
            r->limit = sqlite3_column_double(st, 3) * population;
        else
            r->limit = NAN;
        r->usage = sqlite3_column_type(st, 4) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 4);
        r->year = sqlite3_column_int(st, 5);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sp_store_fail(store->db, "reading resources", pool, err);
    return SP_OK;
}

static json_t *
num_or_null(double x)
{
    return isnan(x) || isinf(x) ? json_null() : json_real(x);
}

/* Tags, co-responsibility and resource viewpoints of one action. */
static int
action_viewpoints(sp_store_t *store, sqlite3_stmt *tags, action_t *a, apr_hash_t *pairs,
                  apr_array_header_t *res, const sp_eval_options_t *opt, apr_pool_t *pool,
                  sp_error_t **err)
{
    json_t *actors = json_array(), *sectors = json_array(), *links = json_array();
    json_t *rv = json_array(), *tagobj = json_object();
    apr_array_header_t *sec = apr_array_make(pool, 8, sizeof(const char *));
    apr_hash_t *seen = apr_hash_make(pool);
    const char *key = order_key(a->started_on, a->id, pool);
    int rc, i, j;

    sqlite3_reset(tags);
    sqlite3_bind_int64(tags, 1, a->id);
    while ((rc = sqlite3_step(tags)) == SQLITE_ROW) {
        const char *kind = sp_store_text_or_empty(tags, 0);
        const char *value = sp_store_text_or_empty(tags, 1);
        json_t *list = json_object_get(tagobj, kind);

        if (list == NULL)
            json_object_set_new(tagobj, kind, list = json_array());
        json_array_append_new(list, json_string(value));
        if (strcmp(kind, "actor") == 0)
            json_array_append_new(actors, json_string(value));
        else if (strcmp(kind, "sector") == 0) {
            json_array_append_new(sectors, json_string(value));
            APR_ARRAY_PUSH(sec, const char *) = apr_pstrdup(pool, value);
        } else if (strcmp(kind, "theme") == 0 || strcmp(kind, "problematique") == 0
                   || strcmp(kind, "keyword") == 0) {
            const char *const *map = opt->resource_map ? opt->resource_map : default_resource_map;

            for (j = 0; j < res->nelts; j++) {
                resource_t *r = &APR_ARRAY_IDX(res, j, resource_t);

                if ((maps_to(map, value, r->code) || strcmp(value, r->code) == 0)
                    && apr_hash_get(seen, r->code, APR_HASH_KEY_STRING) == NULL) {
                    double ratio = r->limit > 0 ? r->usage / r->limit : NAN;

                    apr_hash_set(seen, r->code, APR_HASH_KEY_STRING, r);
                    json_array_append_new(rv, json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:b}",
                        "resource", r->code, "unit", r->unit, "via", value,
                        "limit", num_or_null(r->limit), "usage", num_or_null(r->usage),
                        "year", r->year ? json_integer(r->year) : json_null(),
                        "ratio", num_or_null(ratio),
                        "over_limit", !isnan(r->usage) && !isnan(r->limit) && r->usage > r->limit));
                }
            }
        }
    }
    if (rc != SQLITE_DONE) {
        json_decref(actors); json_decref(sectors); json_decref(links);
        json_decref(rv); json_decref(tagobj);
        return sp_store_fail(store->db, "reading tags", pool, err);
    }
    /* sectors come sorted (primary key order), so pairs are (s_i, s_j), i < j */
    for (i = 0; i < sec->nelts; i++)
        for (j = i + 1; j < sec->nelts; j++) {
            const char *s1 = APR_ARRAY_IDX(sec, i, const char *);
            const char *s2 = APR_ARRAY_IDX(sec, j, const char *);
            const char *k = apr_pstrcat(pool, s1, "\037", s2, NULL);
            const char *first = apr_hash_get(pairs, k, APR_HASH_KEY_STRING);

            if (first == NULL || strcmp(first, key) >= 0)
                json_array_append_new(links, json_pack("[s,s]", s1, s2));
        }
    json_object_set_new(a->obj, "tags", tagobj);
    json_object_set_new(a->obj, "coresponsibility", json_pack("{s:o,s:o,s:o}", "actors", actors,
                                                              "sectors", sectors, "new_links", links));
    json_object_set_new(a->obj, "resources", rv);
    return SP_OK;
}

/* ---- across actions ------------------------------------------------------- */

static json_t *
deltas(json_t *phases)
{
    json_t *ante = json_object_get(phases, "ex-ante"), *post = json_object_get(phases, "ex-post");
    json_t *out = json_array(), *c, *d;
    size_t i, j;

    if (ante == NULL || post == NULL)
        return out;
    json_array_foreach(json_object_get(post, "components"), i, c) {
        const char *code = json_string_value(json_object_get(c, "code"));

        json_array_foreach(json_object_get(ante, "components"), j, d)
            if (strcmp(code, json_string_value(json_object_get(d, "code"))) == 0) {
                double a = json_real_value(json_object_get(d, "mean"));
                double p = json_real_value(json_object_get(c, "mean"));

                json_array_append_new(out, json_pack("{s:s,s:f,s:f,s:f}", "code", code,
                                                     "ex_ante", a, "ex_post", p, "delta", p - a));
            }
    }
    return out;
}

/* Mean of component code in a phase profile, or NAN. */
static double
comp_mean(json_t *ph, const char *code)
{
    json_t *c;
    size_t i;

    json_array_foreach(json_object_get(ph, "components"), i, c)
        if (strcmp(code, json_string_value(json_object_get(c, "code"))) == 0)
            return json_real_value(json_object_get(c, "mean"));
    return NAN;
}

static json_t *
across_phase(json_t *actions, const char *phase, const char *const *comps, size_t ncomp,
             double overlap)
{
    size_t na = json_array_size(actions), i, j, k;
    double *v = calloc(na * (ncomp ? ncomp : 1), sizeof(double));
    json_t *gaps = json_array(), *ov = json_array(), *cp = json_array(), *out;
    int *has = calloc(na ? na : 1, sizeof(int));

    if (v == NULL || has == NULL)
        abort();
    for (i = 0; i < na; i++) {
        json_t *ph = json_object_get(json_object_get(json_array_get(actions, i), "phases"), phase);

        has[i] = ph != NULL;
        for (k = 0; ph && k < ncomp; k++) {
            double m = comp_mean(ph, comps[k]);

            v[i * ncomp + k] = m > 0 ? m : 0;
        }
    }
    for (k = 0; k < ncomp; k++) {
        int reached = 0;

        for (i = 0; i < na && !reached; i++)
            reached = v[i * ncomp + k] > 0;
        if (!reached)
            json_array_append_new(gaps, json_string(comps[k]));
    }
    for (i = 0; i < na; i++)
        for (j = i + 1; j < na; j++) {
            double dot = 0, ni = 0, nj = 0;
            int shared = 0, ci = 0, cj = 0, uni = 0;

            if (!has[i] || !has[j])
                continue;
            for (k = 0; k < ncomp; k++) {
                double x = v[i * ncomp + k], y = v[j * ncomp + k];

                dot += x * y;
                ni += x * x;
                nj += y * y;
                shared += x > 0 && y > 0;
                ci += x > 0;
                cj += y > 0;
                uni += x > 0 || y > 0;
            }
            const char *a = json_string_value(json_object_get(json_array_get(actions, i), "code"));
            const char *b = json_string_value(json_object_get(json_array_get(actions, j), "code"));

            if (ni > 0 && nj > 0 && dot / sqrt(ni * nj) > overlap)
                json_array_append_new(ov, json_pack("{s:s,s:s,s:f}", "a", a, "b", b,
                                                    "cosine", dot / sqrt(ni * nj)));
            if (ci > 0 && cj > 0 && shared == 0)
                json_array_append_new(cp, json_pack("{s:s,s:s,s:i}", "a", a, "b", b,
                                                    "covered", uni));
        }
    free(v);
    free(has);
    out = json_pack("{s:o,s:o,s:o}", "gaps", gaps, "overlaps", ov, "complements", cp);
    return out;
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

    if ((status = load_actions(store, plan_id, &acts, actions, pool, err)) != SP_OK
        || (status = load_scores(store, plan_id, &opt, acts, threshold, pool, err)) != SP_OK
        || (opt.cache == NULL && (status = load_sector_pairs(store, &pairs, pool, err)) != SP_OK)
        || (status = load_resources(store, territory_id, population, &res, pool, err)) != SP_OK
        || (status = sp_store_prepare(store, "SELECT kind, value FROM action_tag"
                                      " WHERE action_id = ? ORDER BY kind, value", &st, pool,
                                      err)) != SP_OK)
        goto done;
    if (opt.cache != NULL)
        pairs = opt.cache->pairs;
    for (i = 0; i < acts->nelts; i++) {
        action_t *ac = &APR_ARRAY_IDX(acts, i, action_t);

        if ((status = action_viewpoints(store, st, ac, pairs, res, &opt, pool, err)) != SP_OK)
            goto done;
        json_object_set_new(ac->obj, "delta", deltas(json_object_get(ac->obj, "phases")));
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
                                across_phase(actions, phase_names[i],
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

/* ---- text ------------------------------------------------------------------ */

static const char *
fmt(apr_pool_t *pool, json_t *v)
{
    if (json_is_number(v))
        return apr_psprintf(pool, "%.2f", json_number_value(v));
    if (json_is_string(v))
        return json_string_value(v);
    return "-";
}

static void
print_row(FILE *out, apr_pool_t *pool, const char *const *cells, const int *w, int n)
{
    int i;

    fputs("  ", out);
    for (i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? "  " : "", sp_text_pad(pool, cells[i], w[i], i > 0));
    fputc('\n', out);
}

/* Write a JSON value compactly (ranking, synthesis of any shape). */
static void
print_value(FILE *out, json_t *v, const char *indent)
{
    char *s;

    size_t i;
    json_t *x;

    if (json_is_string(v)) {
        fprintf(out, "%s%s\n", indent, json_string_value(v));
        return;
    }
    if (json_is_array(v)) {
        int strings = 1;

        json_array_foreach(v, i, x)
            strings = strings && json_is_string(x);
        if (strings) {
            json_array_foreach(v, i, x)
                fprintf(out, "%s%s\n", indent, json_string_value(x));
            return;
        }
    }
    s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    fprintf(out, "%s%s\n", indent, s ? s : "?");
    free(s);
}

int
sp_eval_render_text(const json_t *result, FILE *out, apr_pool_t *pool, sp_error_t **err)
{
    static const char *const head[] = {"component", "mean", "median", "min", "max", "spread",
                                       "sd", "groups", "flag"};
    static const int w[] = {10, 6, 6, 6, 6, 6, 6, 6, 12};
    json_t *a, *ph, *c, *x, *across = json_object_get(result, "across");
    const char *pn;
    size_t i, j;

    fprintf(out, "Plan %s -- %s\n", json_string_value(json_object_get(result, "plan")),
            json_string_value(json_object_get(result, "title")));
    fprintf(out, "Grid %s, scale %s..%s, disagreement when groups differ by more than %s\n",
            json_string_value(json_object_get(result, "grid")),
            fmt(pool, json_object_get(json_object_get(result, "scale"), "min")),
            fmt(pool, json_object_get(json_object_get(result, "scale"), "max")),
            fmt(pool, json_object_get(result, "threshold")));
    json_array_foreach(json_object_get(result, "actions"), i, a) {
        json_t *cr = json_object_get(a, "coresponsibility");

        fprintf(out, "\n%s -- %s\n", json_string_value(json_object_get(a, "code")),
                json_string_value(json_object_get(a, "title")));
        json_object_foreach(json_object_get(a, "phases"), pn, ph) {
            fprintf(out, " %s (mean %s)\n", pn, fmt(pool, json_object_get(ph, "mean")));
            print_row(out, pool, head, w, 9);
            json_array_foreach(json_object_get(ph, "components"), j, c) {
                const char *cells[9];

                cells[0] = json_string_value(json_object_get(c, "code"));
                cells[1] = fmt(pool, json_object_get(c, "mean"));
                cells[2] = fmt(pool, json_object_get(c, "median"));
                cells[3] = fmt(pool, json_object_get(c, "min"));
                cells[4] = fmt(pool, json_object_get(c, "max"));
                cells[5] = fmt(pool, json_object_get(c, "spread"));
                cells[6] = fmt(pool, json_object_get(c, "sd"));
                cells[7] = apr_psprintf(pool, "%ld", (long)json_integer_value(json_object_get(c, "n_groups")));
                cells[8] = json_is_true(json_object_get(c, "disagreement")) ? "DISAGREEMENT" : "";
                print_row(out, pool, cells, w, 9);
            }
            fputs("  families:", out);
            json_array_foreach(json_object_get(ph, "families"), j, c)
                fprintf(out, " %s %s", json_string_value(json_object_get(c, "family")),
                        fmt(pool, json_object_get(c, "mean")));
            fputc('\n', out);
        }
        if (json_object_size(json_object_get(a, "phases")) == 0)
            fputs(" not evaluated\n", out);
        json_array_foreach(json_object_get(a, "delta"), j, c)
            fprintf(out, " %s ex-ante %s -> ex-post %s (%+.2f)\n",
                    json_string_value(json_object_get(c, "code")),
                    fmt(pool, json_object_get(c, "ex_ante")), fmt(pool, json_object_get(c, "ex_post")),
                    json_real_value(json_object_get(c, "delta")));
        fprintf(out, " actors: %lu, sectors: %lu, new links:", (unsigned long)json_array_size(json_object_get(cr, "actors")),
                (unsigned long)json_array_size(json_object_get(cr, "sectors")));
        json_array_foreach(json_object_get(cr, "new_links"), j, c)
            fprintf(out, " %s+%s", json_string_value(json_array_get(c, 0)),
                    json_string_value(json_array_get(c, 1)));
        fputc('\n', out);
        json_array_foreach(json_object_get(a, "resources"), j, c)
            fprintf(out, " resource %s (via %s): use %s / limit %s %s, ratio %s%s\n",
                    json_string_value(json_object_get(c, "resource")),
                    json_string_value(json_object_get(c, "via")),
                    fmt(pool, json_object_get(c, "usage")), fmt(pool, json_object_get(c, "limit")),
                    json_string_value(json_object_get(c, "unit")),
                    fmt(pool, json_object_get(c, "ratio")),
                    json_is_true(json_object_get(c, "over_limit")) ? " OVER LIMIT" : "");
    }
    json_object_foreach(across, pn, x) {
        fprintf(out, "\nAcross actions, %s\n gaps:", pn);
        json_array_foreach(json_object_get(x, "gaps"), j, c)
            fprintf(out, " %s", json_string_value(c));
        fputc('\n', out);
        json_array_foreach(json_object_get(x, "overlaps"), j, c)
            fprintf(out, " overlap %s ~ %s (cosine %.3f)\n", json_string_value(json_object_get(c, "a")),
                    json_string_value(json_object_get(c, "b")), json_real_value(json_object_get(c, "cosine")));
        json_array_foreach(json_object_get(x, "complements"), j, c)
            fprintf(out, " complement %s + %s (%ld components)\n", json_string_value(json_object_get(c, "a")),
                    json_string_value(json_object_get(c, "b")),
                    (long)json_integer_value(json_object_get(c, "covered")));
    }
    if ((x = json_object_get(result, "ranking")) != NULL) {
        fputs("\nRanking (the grid's rank)\n", out);
        json_array_foreach(x, j, c)
            fprintf(out, " %2lu. %s%s%s\n", (unsigned long)(j + 1),
                    json_string_value(json_object_get(c, "action")),
                    json_object_get(c, "score") ? "  " : "",
                    json_object_get(c, "score") ? fmt(pool, json_object_get(c, "score")) : "");
    }
    if ((x = json_object_get(result, "synthesis")) != NULL) {
        fputs("\nSynthesis (the grid's co-evaluation guide)\n", out);
        if (json_is_array(x))
            json_array_foreach(x, j, c)
                print_value(out, c, " ");
        else if (json_is_object(x)) {
            json_object_foreach(x, pn, c) {
                fprintf(out, " %s:\n", pn);
                print_value(out, c, "   ");
            }
        } else
            print_value(out, x, " ");
    }
    if (fflush(out) != 0 || ferror(out))
        return sp_error_set(err, pool, SP_EXIT_IO, NULL, 0, 0, "cannot write the result");
    return SP_OK;
}

/* ---- the template ---------------------------------------------------------- */

static void
csv_field(FILE *out, const char *s)
{
    sp_export_csv_field(out, s, strlen(s), ',');
}

int
sp_eval_template(sp_store_t *store, const char *plan, const char *grid,
                 const char *const *components, FILE *out, apr_pool_t *pool, sp_error_t **err)
{
    static const char sql[] =
        "SELECT coalesce(p.code, ''), a.code, a.id FROM action a"
        " LEFT JOIN plan_action pa ON pa.action_id = a.id LEFT JOIN plan p ON p.id = pa.plan_id"
        " WHERE ?1 IS NULL OR p.code = ?1 ORDER BY p.code, a.code";
    sqlite3_stmt *st, *tags;
    int rc, status;

    if ((status = sp_store_prepare(store, sql, &st, pool, err)) != SP_OK)
        return status;
    if ((status = sp_store_prepare(store, "SELECT value FROM action_tag WHERE action_id = ?"
                                   " AND kind = 'component' ORDER BY value", &tags, pool,
                                   err)) != SP_OK) {
        sqlite3_finalize(st);
        return status;
    }
    if (plan)
        sqlite3_bind_text(st, 1, plan, -1, SQLITE_STATIC);
    fputs("plan,action,evaluator_group,evaluator_kind,phase,grid,component,score,comment,"
          "evaluated_on\n", out);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *p = sp_store_text_or_empty(st, 0), *a = sp_store_text_or_empty(st, 1);
        size_t k;

        if (components != NULL) {
            for (k = 0; components[k] != NULL; k++) {
                csv_field(out, p); fputc(',', out); csv_field(out, a);
                fputs(",,,ex-ante,", out); csv_field(out, grid); fputc(',', out);
                csv_field(out, components[k]); fputs(",,,\n", out);
            }
        } else {
            sqlite3_reset(tags);
            sqlite3_bind_int64(tags, 1, sqlite3_column_int64(st, 2));
            while (sqlite3_step(tags) == SQLITE_ROW) {
                csv_field(out, p); fputc(',', out); csv_field(out, a);
                fputs(",,,ex-ante,", out); csv_field(out, grid); fputc(',', out);
                csv_field(out, sp_store_text_or_empty(tags, 0)); fputs(",,,\n", out);
            }
        }
    }
    sqlite3_finalize(tags);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sp_store_fail(store->db, "reading actions", pool, err);
    if (fflush(out) != 0 || ferror(out))
        return sp_error_set(err, pool, SP_EXIT_IO, NULL, 0, 0, "cannot write the template");
    return SP_OK;
}
