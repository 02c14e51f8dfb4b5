/*
 * sp_resource.c -- limits per person and per territory, and the dashboard
 * of actual use (see sp_resource.h; formulas in docs/pooling.md).
 *
 * The derivation is a division by a population: a world figure by the
 * world's, a country figure by the country's, a territory figure by the
 * territory's; a per-person figure times the territory's (or a
 * neighbourhood's) population gives back a place's limit.  Units are
 * converted only where the conversion is certain (a short table); any other
 * mismatch leaves the limit underived, with a note, rather than guessed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include "sp_resource.h"
#include "sp_grid.h"
#include "sp_territory.h"

static const struct {
    const char *code;
    double population;
    const char *source;
} countries[] = {
    {"FR", 68.4e6, "INSEE, population estimate on 1 January 2024: 68.4 million"},
};

/* Unit prefixes that convert exactly: from + rest -> to + rest. */
static const struct {
    const char *from, *to;
    double factor;
} units[] = {
    {"km3", "m3", 1e9}, {"hm3", "m3", 1e6}, {"km³", "m³", 1e9},
    {"Gt", "t", 1e9}, {"Mt", "t", 1e6}, {"kt", "t", 1e3}, {"t", "kg", 1e3},
    {"TWh", "kWh", 1e9}, {"GWh", "kWh", 1e6}, {"MWh", "kWh", 1e3},
    {"TWh", "MWh", 1e6}, {"GWh", "MWh", 1e3}, {"TWh", "GWh", 1e3},
    {"Gha", "ha", 1e9}, {"Mha", "ha", 1e6}, {"Ggha", "gha", 1e9}, {"Mgha", "gha", 1e6},
};

static const char *const status_names[] = {"within", "meets", "never", "no_trend", "no_limit"};

/* Limits without a row: the plan's zero for non-renewable resources. */
#define ZERO_SOURCE "SPIRAL action plan (Mulhouse 2013): zero use of non-renewable resources"

void
sp_resource_params_default(sp_resource_params_t *p)
{
    memset(p, 0, sizeof *p);
    p->world_population = SP_RESOURCE_WORLD_POPULATION;
    p->world_source = SP_RESOURCE_WORLD_SOURCE;
    p->country_population = NAN;
}

double
sp_resource_country_population(const char *country, const char **source)
{
    size_t i;

    for (i = 0; country && i < sizeof countries / sizeof countries[0]; i++)
        if (strcmp(countries[i].code, country) == 0) {
            if (source)
                *source = countries[i].source;
            return countries[i].population;
        }
    if (source)
        *source = NULL;
    return NAN;
}

double
sp_resource_unit_factor(const char *from, const char *to)
{
    size_t i, lf, lt;

    if (from == NULL || to == NULL || strcmp(from, to) == 0)
        return 1.0;
    for (i = 0; i < sizeof units / sizeof units[0]; i++) {
        lf = strlen(units[i].from);
        lt = strlen(units[i].to);
        if (strncmp(from, units[i].from, lf) == 0 && strncmp(to, units[i].to, lt) == 0
            && strcmp(from + lf, to + lt) == 0)
            return units[i].factor;
    }
    return NAN;
}

int
sp_resource_fit(const double *x, const double *y, int n, sp_resource_trend_t *t)
{
    double mx = 0, my = 0, sxx = 0, sxy = 0, syy = 0, ssr = 0, b, a;
    int i;

    if (n < 2)
        return -1;
    for (i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= n;
    my /= n;
    /* Centred sums: years are large numbers, their squares lose digits. */
    for (i = 0; i < n; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx == 0)
        return -1;
    b = sxy / sxx;
    a = my - b * mx;
    for (i = 0; i < n; i++) {
        double r = y[i] - (a + b * x[i]);

        ssr += r * r;
    }
    t->n = n;
    t->slope = b;
    t->intercept = a;
    t->r2 = syy > 0 ? 1.0 - ssr / syy : NAN;
    return 0;
}

sp_resource_status_t
sp_resource_status(double latest, double limit, const sp_resource_trend_t *t, double *year)
{
    if (isnan(limit))
        return SP_RESOURCE_NO_LIMIT;
    if (latest <= limit)
        return SP_RESOURCE_WITHIN;
    if (t == NULL)
        return SP_RESOURCE_NO_TREND;
    if (!(t->slope < 0))
        return SP_RESOURCE_NEVER;
    if (year)
        *year = (limit - t->intercept) / t->slope;
    return SP_RESOURCE_MEETS;
}

const char *
sp_resource_status_name(sp_resource_status_t status)
{
    return status_names[status];
}

/* --- limits ------------------------------------------------------------------------- */

typedef struct context_t {
    sp_territory_t *territory;
    double world, country;
    const char *world_source, *country_source;
} context_t;

static int
setup(sp_store_t *store, const sp_resource_params_t *p, context_t *c, apr_pool_t *pool,
      sp_error_t **err)
{
    int status = sp_territory_find(store, p->territory, &c->territory, pool, err);

    if (status != SP_OK)
        return status;
    c->world = p->world_population;
    c->world_source = p->world_source ? p->world_source : "";
    c->country = p->country_population;
    c->country_source = p->country_source ? p->country_source : "given on the command line";
    if (isnan(c->country))
        c->country = sp_resource_country_population(c->territory->country, &c->country_source);
    if (isnan(c->country))
        c->country_source = NULL;
    return SP_OK;
}

static json_t *
territory_json(const context_t *c)
{
    json_t *t = json_object();

    json_object_set_new(t, "code", json_string(c->territory->code));
    json_object_set_new(t, "name", json_string(c->territory->name));
    json_object_set_new(t, "country", json_string(c->territory->country));
    json_object_set_new(t, "population", sp_grid_real(c->territory->population));
    json_object_set_new(t, "population_source", json_string("territory.population"));
    return t;
}

/* Derive one limit row into o: per_person, territory_limit, factor, note. */
static void
derive(const context_t *c, const char *scope, double amount, const char *limit_unit,
       const char *unit, json_t *o)
{
    double f = sp_resource_unit_factor(limit_unit, unit), pp = NAN, terr = NAN;
    double pop = c->territory->population;
    const char *note = NULL;

    if (isnan(f)) {
        note = "the limit's unit cannot be converted to the resource's";
    } else if (strcmp(scope, "person") == 0) {
        pp = amount * f;
        terr = pp * pop;
    } else if (strcmp(scope, "territory") == 0) {
        terr = amount * f;
        pp = pop > 0 ? terr / pop : NAN;
    } else if (strcmp(scope, "world") == 0) {
        pp = amount * f / c->world;
        terr = pp * pop;
    } else if (!isnan(c->country) && c->country > 0) {
        pp = amount * f / c->country;
        terr = pp * pop;
    } else {
        note = "no population known for the country: give --country-population";
    }
    if (!note && isnan(pop))
        note = "the territory's population is unknown (spiral init --population N)";
    json_object_set_new(o, "factor", sp_grid_real(f));
    json_object_set_new(o, "per_person", sp_grid_real(pp));
    json_object_set_new(o, "territory_limit", sp_grid_real(terr));
    json_object_set_new(o, "note", note ? json_string(note) : json_null());
}

int
sp_resource_limits(sp_store_t *store, const sp_resource_params_t *p, json_t **out,
                   apr_pool_t *pool, sp_error_t **err)
{
    static const char sql[] =
        "SELECT r.id, r.code, r.label_fr, r.label_en, r.unit, r.renewable, l.id, l.scope, "
        "l.amount, l.unit, l.horizon_year, l.source FROM resource r LEFT JOIN resource_limit l "
        "ON l.resource_id = r.id AND (l.territory_id IS NULL OR l.territory_id = ?1) "
        "ORDER BY r.id, CASE l.scope WHEN 'territory' THEN 0 WHEN 'person' THEN 1 "
        "WHEN 'country' THEN 2 ELSE 3 END, l.id";
    sqlite3_stmt *s = NULL;
    json_t *root, *limits, *chosen, *w, *cn, *best = NULL;
    sqlite3_int64 resource = -1;
    context_t c;
    int rc, status;

    if ((status = setup(store, p, &c, pool, err)) != SP_OK
        || (status = sp_store_prepare(store, sql, &s, pool, err)) != SP_OK)
        return status;
    root = sp_grid_pool_own(json_object(), pool);
    *out = root;
    json_object_set_new(root, "territory", territory_json(&c));
    w = json_object();
    json_object_set_new(w, "value", sp_grid_real(c.world));
    json_object_set_new(w, "source", json_string(c.world_source));
    json_object_set_new(root, "world_population", w);
    cn = json_object();
    json_object_set_new(cn, "value", sp_grid_real(c.country));
    json_object_set_new(cn, "source", c.country_source ? json_string(c.country_source)
                                                       : json_null());
    json_object_set_new(root, "country_population", cn);
    limits = json_array();
    chosen = json_array();
    json_object_set_new(root, "limits", limits);
    json_object_set_new(root, "resources", chosen);
    sqlite3_bind_int64(s, 1, c.territory->id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *code = sp_store_text_or_empty(s, 1), *unit = sp_store_text_or_empty(s, 4);
        int renewable = sqlite3_column_int(s, 5);
        json_t *o;

        if (sqlite3_column_int64(s, 0) != resource) {
            resource = sqlite3_column_int64(s, 0);
            best = json_object();
            json_object_set_new(best, "resource", json_string(code));
            json_object_set_new(best, "label_fr", json_string(sp_store_text_or_empty(s, 2)));
            json_object_set_new(best, "label_en", json_string(sp_store_text_or_empty(s, 3)));
            json_object_set_new(best, "unit", json_string(unit));
            json_object_set_new(best, "renewable", json_boolean(renewable));
            json_object_set_new(best, "scope", json_null());
            json_object_set_new(best, "per_person", json_null());
            json_object_set_new(best, "territory_limit", json_null());
            json_object_set_new(best, "source", json_null());
            json_object_set_new(best, "horizon_year", json_null());
            if (!renewable && sqlite3_column_type(s, 6) == SQLITE_NULL) {
                json_object_set_new(best, "scope", json_string("person"));
                json_object_set_new(best, "per_person", json_real(0));
                json_object_set_new(best, "territory_limit", json_real(0));
                json_object_set_new(best, "source", json_string(ZERO_SOURCE));
            }
            json_array_append_new(chosen, best);
        }
        if (sqlite3_column_type(s, 6) == SQLITE_NULL)
            continue;
        o = json_object();
        json_object_set_new(o, "resource", json_string(code));
        json_object_set_new(o, "renewable", json_boolean(renewable));
        json_object_set_new(o, "scope", json_string(sp_store_text_or_empty(s, 7)));
        json_object_set_new(o, "amount", json_real(sqlite3_column_double(s, 8)));
        json_object_set_new(o, "limit_unit", json_string(sp_store_text_or_empty(s, 9)));
        json_object_set_new(o, "unit", json_string(unit));
        json_object_set_new(o, "horizon_year", sqlite3_column_type(s, 10) == SQLITE_NULL
                                                   ? json_null()
                                                   : json_integer(sqlite3_column_int64(s, 10)));
        json_object_set_new(o, "source", json_string(sp_store_text_or_empty(s, 11)));
        derive(&c, sp_store_text_or_empty(s, 7), sqlite3_column_double(s, 8),
               sp_store_text_or_empty(s, 9), unit, o);
        json_array_append_new(limits, o);
        /* Rows come most specific first: keep the first that derives. */
        if (json_is_null(json_object_get(best, "territory_limit"))
            && (json_is_null(json_object_get(best, "scope"))
                || json_is_number(json_object_get(o, "territory_limit")))) {
            json_object_set(best, "scope", json_object_get(o, "scope"));
            json_object_set(best, "per_person", json_object_get(o, "per_person"));
            json_object_set(best, "territory_limit", json_object_get(o, "territory_limit"));
            json_object_set(best, "source", json_object_get(o, "source"));
            json_object_set(best, "horizon_year", json_object_get(o, "horizon_year"));
        }
    }
    if (rc != SQLITE_DONE)
        status = sp_store_fail(store->db, "limits", pool, err);
    sqlite3_finalize(s);
    return status;
}

static void
print_num(FILE *out, double x)
{
    if (isnan(x))
        fputs("-", out);
    else
        fprintf(out, "%.6g", x + 0.0);
}

void
sp_resource_limits_text(const json_t *l, FILE *out)
{
    const json_t *t = json_object_get(l, "territory"), *o;
    size_t i;

    fprintf(out, "Reference limits for %s (population ", sp_grid_str(t, "name"));
    print_num(out, sp_grid_num(t, "population"));
    fputs(", territory.population)\nworld population ", out);
    print_num(out, sp_grid_num(json_object_get(l, "world_population"), "value"));
    fprintf(out, " (%s)\n", sp_grid_str(json_object_get(l, "world_population"), "source"));
    fputs("country population ", out);
    print_num(out, sp_grid_num(json_object_get(l, "country_population"), "value"));
    fprintf(out, " (%s)\n\n", json_is_string(json_object_get(json_object_get(l,
                "country_population"), "source"))
            ? sp_grid_str(json_object_get(l, "country_population"), "source") : "unknown");
    fprintf(out, "%-10s %-9s %12s %-10s %7s %12s %14s  %s\n", "resource", "scope", "amount",
            "unit", "horizon", "per person", "territory", "source");
    json_array_foreach(json_object_get(l, "limits"), i, o) {
        const json_t *h = json_object_get(o, "horizon_year");

        fprintf(out, "%-10s %-9s %12.6g %-10s ", sp_grid_str(o, "resource"),
                sp_grid_str(o, "scope"), sp_grid_num(o, "amount"), sp_grid_str(o, "limit_unit"));
        if (json_is_integer(h))
            fprintf(out, "%7lld ", (long long)json_integer_value(h));
        else
            fprintf(out, "%7s ", "-");
        fprintf(out, "%12.6g %14.6g  %s", sp_grid_num(o, "per_person"),
                sp_grid_num(o, "territory_limit"), sp_grid_str(o, "source"));
        if (json_is_string(json_object_get(o, "note")))
            fprintf(out, " [%s]", sp_grid_str(o, "note"));
        fputc('\n', out);
    }
    fputs("\nLimit used by the dashboard, per resource:\n", out);
    json_array_foreach(json_object_get(l, "resources"), i, o) {
        fprintf(out, "  %-10s %s, ", sp_grid_str(o, "resource"),
                json_is_true(json_object_get(o, "renewable")) ? "renewable" : "non-renewable");
        if (json_is_number(json_object_get(o, "per_person"))
            || json_is_number(json_object_get(o, "territory_limit"))) {
            print_num(out, sp_grid_num(o, "per_person"));
            fprintf(out, " %s per person, ", sp_grid_str(o, "unit"));
            print_num(out, sp_grid_num(o, "territory_limit"));
            fprintf(out, " %s for the territory (%s limit; %s)\n", sp_grid_str(o, "unit"),
                    sp_grid_str(o, "scope"), sp_grid_str(o, "source"));
        } else {
            fputs("no limit\n", out);
        }
    }
}

/* --- dashboard --------------------------------------------------------------------- */

typedef struct point_t {
    double year, amount;
} point_t;

/* One row of the dashboard from the points of one resource and place. */
static json_t *
dashboard_row(const json_t *ref, const char *neighbourhood, double population,
              const point_t *pts, int n)
{
    json_t *row = json_object(), *years = json_array();
    double pp = sp_grid_num(ref, "per_person"), limit, *x, *y, meets = NAN;
    sp_resource_trend_t t;
    sp_resource_status_t st;
    int i, has_trend;
    const char *verdict = "";
    char buf[96];

    limit = neighbourhood ? pp * population : sp_grid_num(ref, "territory_limit");
    if (isnan(limit) && !neighbourhood && !isnan(pp))
        limit = pp * population;
    json_object_set_new(row, "resource", json_string(sp_grid_str(ref, "resource")));
    json_object_set_new(row, "unit", json_string(sp_grid_str(ref, "unit")));
    json_object_set_new(row, "place", json_string(neighbourhood ? "neighbourhood" : "territory"));
    json_object_set_new(row, "neighbourhood", neighbourhood ? json_string(neighbourhood)
                                                            : json_null());
    json_object_set_new(row, "population", sp_grid_real(population));
    json_object_set_new(row, "limit", sp_grid_real(limit));
    json_object_set_new(row, "limit_per_person", sp_grid_real(pp));
    json_object_set_new(row, "limit_source", json_is_string(json_object_get(ref, "source"))
                                                 ? json_string(sp_grid_str(ref, "source"))
                                                 : json_null());
    x = malloc(sizeof(double) * (size_t)n * 2);
    y = x + n;
    for (i = 0; i < n; i++) {
        json_t *o = json_object();

        x[i] = pts[i].year;
        y[i] = pts[i].amount;
        json_object_set_new(o, "year", json_integer((json_int_t)pts[i].year));
        json_object_set_new(o, "amount", json_real(pts[i].amount));
        json_object_set_new(o, "per_person",
                            sp_grid_real(population > 0 ? pts[i].amount / population : NAN));
        json_object_set_new(o, "ratio", sp_grid_real(limit > 0 ? pts[i].amount / limit : NAN));
        json_array_append_new(years, o);
    }
    json_object_set_new(row, "years", years);
    has_trend = sp_resource_fit(x, y, n, &t) == 0;
    free(x);
    json_object_set_new(row, "latest_year", json_integer((json_int_t)pts[n - 1].year));
    json_object_set_new(row, "latest", json_real(pts[n - 1].amount));
    json_object_set_new(row, "ratio", sp_grid_real(limit > 0 ? pts[n - 1].amount / limit : NAN));
    if (has_trend) {
        json_t *o = json_object();

        json_object_set_new(o, "n", json_integer(t.n));
        json_object_set_new(o, "slope", sp_grid_real(t.slope));
        json_object_set_new(o, "intercept", sp_grid_real(t.intercept));
        json_object_set_new(o, "r2", sp_grid_real(t.r2));
        json_object_set_new(row, "trend", o);
    } else {
        json_object_set_new(row, "trend", json_null());
    }
    st = sp_resource_status(pts[n - 1].amount, limit, has_trend ? &t : NULL, &meets);
    json_object_set_new(row, "status", json_string(sp_resource_status_name(st)));
    json_object_set_new(row, "meets_year", sp_grid_real(st == SP_RESOURCE_MEETS ? meets : NAN));
    json_object_set_new(row, "meets_in", st == SP_RESOURCE_MEETS
                                             ? json_integer((json_int_t)ceil(meets - 1e-9))
                                             : json_null());
    switch (st) {
    case SP_RESOURCE_WITHIN: verdict = "already within"; break;
    case SP_RESOURCE_MEETS:
        snprintf(buf, sizeof buf, "meets the limit in %lld at this pace",
                 (long long)ceil(meets - 1e-9));
        verdict = buf;
        break;
    case SP_RESOURCE_NEVER: verdict = "never at this pace"; break;
    case SP_RESOURCE_NO_TREND: verdict = "over the limit; one year only, no trend"; break;
    case SP_RESOURCE_NO_LIMIT: verdict = "no limit"; break;
    }
    json_object_set_new(row, "verdict", json_string(verdict));
    /* Overshoot grows: over the limit, and more so than the year before. */
    json_object_set_new(row, "overshoot_growing",
                        json_boolean(!isnan(limit) && pts[n - 1].amount > limit && n >= 2
                                     && pts[n - 1].amount > pts[n - 2].amount));
    return row;
}

int
sp_resource_dashboard(sp_store_t *store, const sp_resource_params_t *p,
                      const char *neighbourhood, json_t **out, apr_pool_t *pool,
                      sp_error_t **err)
{
    static const char sql[] =
        "SELECT r.code, u.neighbourhood_id, n.name, n.population, u.year, u.amount "
        "FROM resource_usage u JOIN resource r ON r.id = u.resource_id "
        "LEFT JOIN neighbourhood n ON n.id = u.neighbourhood_id "
        "WHERE u.territory_id = ?1 AND (?2 IS NULL OR n.name = ?2) "
        "ORDER BY u.neighbourhood_id IS NOT NULL, n.name, r.id, u.year";
    sqlite3_stmt *s = NULL;
    json_t *limits, *root, *rows, *ref;
    apr_array_header_t *pts;
    const char *cur_res = NULL, *cur_nb = NULL;
    double cur_pop = NAN;
    int rc, status, started = 0;

    if ((status = sp_resource_limits(store, p, &limits, pool, err)) != SP_OK)
        return status;
    if ((status = sp_store_prepare(store, sql, &s, pool, err)) != SP_OK)
        return status;
    root = sp_grid_pool_own(json_object(), pool);
    *out = root;
    json_object_set(root, "territory", json_object_get(limits, "territory"));
    rows = json_array();
    json_object_set_new(root, "rows", rows);
    {
        sp_territory_t *t;

        if ((status = sp_territory_find(store, p->territory, &t, pool, err)) != SP_OK)
            goto done;
        sqlite3_bind_int64(s, 1, t->id);
        if (neighbourhood) {
            sqlite3_stmt *q = NULL;

            if ((status = sp_store_prepare(store, "SELECT 1 FROM neighbourhood WHERE "
                                           "territory_id = ?1 AND name = ?2", &q, pool,
                                           err)) != SP_OK)
                goto done;
            sqlite3_bind_int64(q, 1, t->id);
            sqlite3_bind_text(q, 2, neighbourhood, -1, SQLITE_STATIC);
            rc = sqlite3_step(q);
            sqlite3_finalize(q);
            if (rc != SQLITE_ROW) {
                status = sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "unknown "
                                      "neighbourhood '%s' in %s", neighbourhood, t->name);
                goto done;
            }
        }
    }
    sqlite3_bind_text(s, 2, neighbourhood, -1, SQLITE_STATIC);
    pts = apr_array_make(pool, 8, sizeof(point_t));
    for (;;) {
        const char *res = NULL, *nb = NULL;
        int flush;

        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            res = sp_store_text_or_empty(s, 0);
            nb = sqlite3_column_type(s, 1) == SQLITE_NULL ? NULL : sp_store_text_or_empty(s, 2);
        } else if (rc != SQLITE_DONE) {
            status = sp_store_fail(store->db, "dashboard", pool, err);
            goto done;
        }
        flush = started && (rc == SQLITE_DONE || strcmp(res, cur_res) != 0
                            || (nb == NULL) != (cur_nb == NULL)
                            || (nb && strcmp(nb, cur_nb) != 0));
        if (flush) {
            size_t i;
            json_t *o;

            ref = NULL;
            json_array_foreach(json_object_get(limits, "resources"), i, o)
                if (strcmp(sp_grid_str(o, "resource"), cur_res) == 0)
                    ref = o;
            json_array_append_new(rows, dashboard_row(ref, cur_nb, cur_pop,
                                                      (const point_t *)pts->elts, pts->nelts));
            apr_array_clear(pts);
        }
        if (rc == SQLITE_DONE)
            break;
        if (!started || flush) {
            cur_res = apr_pstrdup(pool, res);
            cur_nb = nb ? apr_pstrdup(pool, nb) : NULL;
            if (nb)
                cur_pop = sqlite3_column_type(s, 3) == SQLITE_NULL ? NAN
                                                                   : sqlite3_column_double(s, 3);
            else
                cur_pop = sp_grid_num(json_object_get(limits, "territory"), "population");
            started = 1;
        }
        {
            point_t *pt = apr_array_push(pts);

            pt->year = sqlite3_column_double(s, 4);
            pt->amount = sqlite3_column_double(s, 5);
        }
    }
done:
    sqlite3_finalize(s);
    return status;
}

void
sp_resource_dashboard_text(const json_t *d, FILE *out)
{
    const json_t *t = json_object_get(d, "territory"), *r, *y;
    size_t i, j;

    fprintf(out, "Dashboard of resource use, %s (population ", sp_grid_str(t, "name"));
    print_num(out, sp_grid_num(t, "population"));
    fputs(")\n", out);
    json_array_foreach(json_object_get(d, "rows"), i, r) {
        const json_t *tr = json_object_get(r, "trend");
        const char *unit = sp_grid_str(r, "unit");

        fprintf(out, "\n%s (%s), %s%s", sp_grid_str(r, "resource"), unit,
                json_is_string(json_object_get(r, "neighbourhood")) ? "neighbourhood "
                                                                   : "whole territory",
                json_is_string(json_object_get(r, "neighbourhood"))
                    ? sp_grid_str(r, "neighbourhood") : "");
        fputs(": limit ", out);
        print_num(out, sp_grid_num(r, "limit"));
        fprintf(out, " %s", unit);
        if (json_is_string(json_object_get(r, "limit_source")))
            fprintf(out, " (%s)", sp_grid_str(r, "limit_source"));
        fputc('\n', out);
        json_array_foreach(json_object_get(r, "years"), j, y) {
            fprintf(out, "  %lld  %14.6g  ratio ", (long long)json_integer_value(
                                                        json_object_get(y, "year")),
                    sp_grid_num(y, "amount"));
            if (json_is_number(json_object_get(y, "ratio")))
                fprintf(out, "%.3f", sp_grid_num(y, "ratio"));
            else
                fputs("-", out);
            fputc('\n', out);
        }
        if (json_is_object(tr)) {
            fprintf(out, "  trend: %+.6g %s per year", sp_grid_num(tr, "slope"), unit);
            if (json_is_number(json_object_get(tr, "r2")))
                fprintf(out, " (r2 %.3f)", sp_grid_num(tr, "r2"));
            fputc('\n', out);
        }
        fprintf(out, "  %s%s\n", sp_grid_str(r, "verdict"),
                json_is_true(json_object_get(r, "overshoot_growing")) ? "; OVERSHOOT GROWING"
                                                                      : "");
    }
    if (json_array_size(json_object_get(d, "rows")) == 0)
        fputs("no use recorded\n", out);
}
