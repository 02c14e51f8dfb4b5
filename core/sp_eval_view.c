/*
 * sp_eval_view.c -- what sp_eval.c adds to an action beyond its scores
 * (sp_eval_load.c), and what it finds across the plan's actions: the tags,
 * the co-responsibility viewpoint (actors, sectors, the new links against
 * the workspace's sector pairs, which a batch reads once through
 * sp_eval_cache_create), the resource viewpoint, the ex-ante/ex-post
 * deltas, and the gaps, overlaps and complements of each phase.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "sp_eval_int.h"

/* ---- viewpoints ---------------------------------------------------------- */

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

/* The sector pairs of the workspace: "s1\037s2" (s1 < s2) -> earliest
 * order key "0<started_on>\037<id>" or "1\037<id>", zero-padded ids. */
static char *
order_key(const char *started_on, sqlite3_int64 id, apr_pool_t *pool)
{
    return started_on ? apr_psprintf(pool, "0%s\037%020lld", started_on, (long long)id)
                      : apr_psprintf(pool, "1\037%020lld", (long long)id);
}

int
sp_eval_load_sector_pairs(sp_store_t *store, apr_hash_t **pairs, apr_pool_t *pool,
                          sp_error_t **err)
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


int
sp_eval_cache_create(sp_store_t *store, sp_eval_cache_t **cache, apr_pool_t *pool,
                     sp_error_t **err)
{
    sp_eval_cache_t *c = apr_pcalloc(pool, sizeof *c);
    int status;

    if ((status = sp_eval_load_sector_pairs(store, &c->pairs, pool, err)) != SP_OK)
        return status;
    *cache = c;
    return SP_OK;
}

typedef struct resource_t {
    const char *code, *unit;
    double limit, usage;      /* NAN when unknown */
    long year;
} resource_t;

int
sp_eval_load_resources(sp_store_t *store, sqlite3_int64 territory_id, double population,
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
int
sp_eval_action_viewpoints(sp_store_t *store, sqlite3_stmt *tags, action_t *a,
                          apr_hash_t *pairs, apr_array_header_t *res,
                          const sp_eval_options_t *opt, apr_pool_t *pool, sp_error_t **err)
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

json_t *
sp_eval_deltas(json_t *phases)
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

json_t *
sp_eval_across_phase(json_t *actions, const char *phase, const char *const *comps, size_t ncomp,
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
