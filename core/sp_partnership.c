/*
 * sp_partnership.c -- the seasonal report of producer-consumer
 * partnerships (see sp_partnership.h).
 *
 * Every season with an observation gets one line per indicator that has a
 * target or an observation, so an indicator one side forgot to report
 * shows as a gap rather than disappearing.  Resource limits come from
 * sp_resource_limits; when the workspace has no territory they are left
 * out rather than failing the report.
 */
#include <math.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_partnership.h"
#include "sp_grid.h"
#include "sp_resource.h"

#define INDICATOR_ORDER(c) \
    "CASE " c " WHEN 'local_share' THEN 0 WHEN 'resource_per_unit' THEN 1 " \
    "WHEN 'price' THEN 2 WHEN 'producer_wellbeing' THEN 3 ELSE 4 END"

static double
col_num(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? NAN : sqlite3_column_double(s, i);
}

static json_t *
meets(double value, double target, const char *direction)
{
    if (isnan(value) || isnan(target))
        return json_null();
    return json_boolean(strcmp(direction, "at_most") == 0 ? value <= target : value >= target);
}

/* The per-person limit of resource code, or NAN. */
static double
person_limit(const json_t *limits, const char *code)
{
    const json_t *o;
    size_t i;

    json_array_foreach(json_object_get(limits, "resources"), i, o)
        if (strcmp(json_string_value(json_object_get(o, "resource")), code) == 0) {
            const json_t *pp = json_object_get(o, "per_person");

            return json_is_number(pp) ? json_number_value(pp) : NAN;
        }
    return NAN;
}

static int
one(sp_store_t *store, sqlite3_int64 id, json_t *p, const json_t *limits, apr_pool_t *pool,
    sp_error_t **err)
{
    static const char *const sql[] = {
        "SELECT side, name FROM partnership_member WHERE partnership_id = ?1 "
        "ORDER BY side DESC, name",
        "SELECT indicator, resource_code, target, direction, unit FROM partnership_target "
        "WHERE partnership_id = ?1 ORDER BY " INDICATOR_ORDER("indicator") ", resource_code",
        "SELECT o.season, k.indicator, k.resource_code, t.target, t.direction, "
        "  (SELECT value FROM partnership_observation v WHERE v.partnership_id = ?1 AND "
        "   v.season = o.season AND v.side = 'producer' AND v.indicator = k.indicator AND "
        "   v.resource_code = k.resource_code), "
        "  (SELECT value FROM partnership_observation v WHERE v.partnership_id = ?1 AND "
        "   v.season = o.season AND v.side = 'consumer' AND v.indicator = k.indicator AND "
        "   v.resource_code = k.resource_code) "
        "FROM (SELECT DISTINCT season FROM partnership_observation WHERE partnership_id = ?1) o "
        "CROSS JOIN (SELECT indicator, resource_code FROM partnership_target WHERE "
        "  partnership_id = ?1 UNION SELECT indicator, resource_code FROM "
        "  partnership_observation WHERE partnership_id = ?1) k "
        "LEFT JOIN partnership_target t ON t.partnership_id = ?1 AND t.indicator = k.indicator "
        "  AND t.resource_code = k.resource_code "
        "ORDER BY o.season, " INDICATOR_ORDER("k.indicator") ", k.resource_code"
    };
    sqlite3_stmt *s[3] = {NULL, NULL, NULL};
    json_t *prod = json_array(), *cons = json_array(), *targets = json_array(),
           *seasons = json_array(), *season = NULL;
    int i, rc, status = SP_OK;

    json_object_set_new(p, "producers", prod);
    json_object_set_new(p, "consumers", cons);
    json_object_set_new(p, "targets", targets);
    json_object_set_new(p, "seasons", seasons);
    for (i = 0; i < 3; i++) {
        if ((status = sp_store_prepare(store, sql[i], &s[i], pool, err)) != SP_OK)
            goto done;
        sqlite3_bind_int64(s[i], 1, id);
    }
    while ((rc = sqlite3_step(s[0])) == SQLITE_ROW)
        json_array_append_new(strcmp(sp_store_text_or_empty(s[0], 0), "producer") == 0
                                  ? prod : cons,
                              json_string(sp_store_text_or_empty(s[0], 1)));
    if (rc != SQLITE_DONE)
        goto fail;
    while ((rc = sqlite3_step(s[1])) == SQLITE_ROW) {
        json_t *o = json_object();

        json_object_set_new(o, "indicator", json_string(sp_store_text_or_empty(s[1], 0)));
        json_object_set_new(o, "resource", *sp_store_text_or_empty(s[1], 1)
                                               ? json_string(sp_store_text_or_empty(s[1], 1))
                                               : json_null());
        json_object_set_new(o, "target", json_real(sqlite3_column_double(s[1], 2)));
        json_object_set_new(o, "direction", json_string(sp_store_text_or_empty(s[1], 3)));
        json_object_set_new(o, "unit", json_string(sp_store_text_or_empty(s[1], 4)));
        json_array_append_new(targets, o);
    }
    if (rc != SQLITE_DONE)
        goto fail;
    while ((rc = sqlite3_step(s[2])) == SQLITE_ROW) {
        const char *name = sp_store_text_or_empty(s[2], 0);
        const char *res = sp_store_text_or_empty(s[2], 2);
        const char *dir = sp_store_text_or_empty(s[2], 4);
        double target = col_num(s[2], 3), pv = col_num(s[2], 5), cv = col_num(s[2], 6);
        double lim = *res ? person_limit(limits, res) : NAN;
        json_t *o = json_object();

        if (season == NULL || strcmp(json_string_value(json_object_get(season, "season")),
                                     name) != 0) {
            season = json_object();
            json_object_set_new(season, "season", json_string(name));
            json_object_set_new(season, "indicators", json_array());
            json_array_append_new(seasons, season);
        }
        json_object_set_new(o, "indicator", json_string(sp_store_text_or_empty(s[2], 1)));
        json_object_set_new(o, "resource", *res ? json_string(res) : json_null());
        json_object_set_new(o, "target", sp_grid_real(target));
        json_object_set_new(o, "direction", *dir ? json_string(dir) : json_null());
        json_object_set_new(o, "producer", sp_grid_real(pv));
        json_object_set_new(o, "consumer", sp_grid_real(cv));
        json_object_set_new(o, "producer_meets", meets(pv, target, dir));
        json_object_set_new(o, "consumer_meets", meets(cv, target, dir));
        json_object_set_new(o, "difference", sp_grid_real(pv - cv));
        json_object_set_new(o, "person_limit", sp_grid_real(lim));
        json_object_set_new(o, "producer_share_of_person_limit",
                            sp_grid_real(lim > 0 ? pv / lim : NAN));
        json_object_set_new(o, "consumer_share_of_person_limit",
                            sp_grid_real(lim > 0 ? cv / lim : NAN));
        json_array_append_new(json_object_get(season, "indicators"), o);
    }
    if (rc != SQLITE_DONE)
        goto fail;
    goto done;
fail:
    status = sp_store_fail(store->db, "partnership report", pool, err);
done:
    for (i = 0; i < 3; i++)
        sqlite3_finalize(s[i]);
    return status;
}

int
sp_partnership_report(sp_store_t *store, const char *code, const char *territory, json_t **out,
                      apr_pool_t *pool, sp_error_t **err)
{
    sqlite3_stmt *s = NULL;
    sp_resource_params_t params;
    sp_error_t *ignored = NULL;
    json_t *root, *list, *limits = NULL;
    int rc, status, n = 0;

    sp_resource_params_default(&params);
    params.territory = territory;
    /* Limits are a comparison, not a requirement: without a territory the
     * report goes on without them. */
    if (sp_resource_limits(store, &params, &limits, pool, &ignored) != SP_OK)
        limits = NULL;
    if ((status = sp_store_prepare(store, "SELECT id, code, name FROM partnership WHERE "
                                   "?1 IS NULL OR code = ?1 ORDER BY code", &s, pool,
                                   err)) != SP_OK)
        return status;
    root = sp_grid_pool_own(json_object(), pool);
    *out = root;
    list = json_array();
    json_object_set_new(root, "partnerships", list);
    sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
    while (status == SP_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *p = json_object();

        json_object_set_new(p, "code", json_string(sp_store_text_or_empty(s, 1)));
        json_object_set_new(p, "name", json_string(sp_store_text_or_empty(s, 2)));
        json_array_append_new(list, p);
        status = one(store, sqlite3_column_int64(s, 0), p, limits, pool, err);
        n++;
    }
    if (status == SP_OK && rc != SQLITE_DONE)
        status = sp_store_fail(store->db, "partnerships", pool, err);
    sqlite3_finalize(s);
    if (status == SP_OK && code && n == 0)
        status = sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "unknown partnership '%s'",
                              code);
    return status;
}

static void
print_value(FILE *out, const json_t *v, const json_t *ok)
{
    char buf[64];

    if (!json_is_number(v)) {
        fprintf(out, " %14s", "-");
        return;
    }
    snprintf(buf, sizeof buf, "%.6g%s", json_number_value(v),
             json_is_true(ok) ? " ok" : json_is_false(ok) ? " MISSED" : "");
    fprintf(out, " %14s", buf);
}

static void
print_names(FILE *out, const char *what, const json_t *list)
{
    const json_t *o;
    size_t i;

    fprintf(out, "  %s:", what);
    json_array_foreach(list, i, o)
        fprintf(out, "%s %s", i ? "," : "", json_string_value(o));
    fputs(i ? "\n" : " none\n", out);
}

void
sp_partnership_report_text(const json_t *r, FILE *out)
{
    const json_t *p, *s, *o;
    size_t i, j, k;

    json_array_foreach(json_object_get(r, "partnerships"), i, p) {
        fprintf(out, "%sPartnership %s (%s)\n", i ? "\n" : "",
                json_string_value(json_object_get(p, "name")),
                json_string_value(json_object_get(p, "code")));
        print_names(out, "producers", json_object_get(p, "producers"));
        print_names(out, "consumers", json_object_get(p, "consumers"));
        json_array_foreach(json_object_get(p, "seasons"), j, s) {
            fprintf(out, "  season %s\n    %-28s %8s %9s %14s %14s\n",
                    json_string_value(json_object_get(s, "season")), "indicator", "target",
                    "direction", "producers", "consumers");
            json_array_foreach(json_object_get(s, "indicators"), k, o) {
                const json_t *res = json_object_get(o, "resource"), *t = json_object_get(o, "target");
                char name[64];

                snprintf(name, sizeof name, "%s%s%s",
                         json_string_value(json_object_get(o, "indicator")),
                         json_is_string(res) ? " " : "",
                         json_is_string(res) ? json_string_value(res) : "");
                fprintf(out, "    %-28s ", name);
                if (json_is_number(t))
                    fprintf(out, "%8.6g %9s", json_number_value(t),
                            json_string_value(json_object_get(o, "direction")));
                else
                    fprintf(out, "%8s %9s", "-", "");
                print_value(out, json_object_get(o, "producer"), json_object_get(o, "producer_meets"));
                print_value(out, json_object_get(o, "consumer"), json_object_get(o, "consumer_meets"));
                fputc('\n', out);
                if (json_is_number(json_object_get(o, "person_limit"))) {
                    const json_t *ps = json_object_get(o, "producer_share_of_person_limit");
                    const json_t *cs = json_object_get(o, "consumer_share_of_person_limit");

                    fprintf(out, "    %-28s per unit, share of one person's yearly limit (%.6g):",
                            "", json_number_value(json_object_get(o, "person_limit")));
                    if (json_is_number(ps))
                        fprintf(out, " producers %.4g%%", 100 * json_number_value(ps));
                    if (json_is_number(cs))
                        fprintf(out, " consumers %.4g%%", 100 * json_number_value(cs));
                    fputc('\n', out);
                }
            }
        }
        if (json_array_size(json_object_get(p, "seasons")) == 0)
            fputs("  no season reported yet\n", out);
    }
    if (json_array_size(json_object_get(r, "partnerships")) == 0)
        fputs("no partnership\n", out);
}
