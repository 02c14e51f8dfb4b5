/*
 * sp_resource.h -- the reference table of resource limits and the
 * dashboard of actual use against them (tool 4 of the plan).
 *
 * Limits come from resource_limit at four scopes (world, country,
 * territory, person); each is turned into a per-person and a territory
 * limit using the territory's population (territory.population) and, for
 * world and country figures, a world and a country population given as
 * parameters (defaults with their sources below).  A non-renewable
 * resource without a limit row has the plan's limit of zero.  The
 * dashboard sets each year's use (resource_usage) against the territory
 * limit -- and, for neighbourhoods with data, against the per-person limit
 * times the neighbourhood's population -- with a least-squares linear
 * trend, the year that trend meets the limit (or "never at this pace", or
 * "already within") and a flag where the overshoot grows.  Results are
 * jansson objects owned by the pool, with text renderings; the formulas are
 * in docs/pooling.md.  (sp_limits.h is the Lua engine's run-time limits, a
 * different thing.)
 */
#ifndef SP_RESOURCE_H
#define SP_RESOURCE_H

#include <stdio.h>
#include <jansson.h>
#include "sp_store.h"

/* Default world population and its source. */
#define SP_RESOURCE_WORLD_POPULATION 8.0e9
#define SP_RESOURCE_WORLD_SOURCE \
    "United Nations, World Population Prospects 2022: 8 billion on 15 November 2022"

typedef struct sp_resource_params_t {
    const char *territory;        /* territory code; NULL: the only one */
    double world_population;      /* > 0 */
    const char *world_source;
    double country_population;    /* NAN: the default for the territory's country, if any */
    const char *country_source;   /* NULL with the default */
} sp_resource_params_t;

/* Fill p with the defaults (world 8.0e9, country from the table of known
 * countries: FR 68.4e6, INSEE 1 January 2024). */
void
sp_resource_params_default(sp_resource_params_t *p);

/* The default population of country (ISO 3166 alpha-2) and its source;
 * NAN and NULL when the country is not in the table. */
double
sp_resource_country_population(const char *country, const char **source);

/* Least-squares line y = intercept + slope * x over n points. */
typedef struct sp_resource_trend_t {
    int n;
    double slope;
    double intercept;
    double r2;                    /* NAN when every y is the same */
} sp_resource_trend_t;

/* Fit the line; -1 (and *t untouched) when n < 2 or every x is the same. */
int
sp_resource_fit(const double *x, const double *y, int n, sp_resource_trend_t *t);

/* Where the dashboard says a use stands against its limit. */
typedef enum {
    SP_RESOURCE_WITHIN,    /* the latest use is at or below the limit: "already within" */
    SP_RESOURCE_MEETS,     /* above; the trend falls and meets the limit in *year */
    SP_RESOURCE_NEVER,     /* above; the trend does not fall: "never at this pace" */
    SP_RESOURCE_NO_TREND,  /* above; a single year, no trend */
    SP_RESOURCE_NO_LIMIT   /* no limit known (or no population to derive it) */
} sp_resource_status_t;

/* The status of a series whose latest use is latest against limit (NAN:
 * unknown) with trend t (NULL: none); for SP_RESOURCE_MEETS *year is
 * (limit - intercept) / slope, the fractional year the line meets it. */
sp_resource_status_t
sp_resource_status(double latest, double limit, const sp_resource_trend_t *t, double *year);

/* The status's name in JSON: within, meets, never, no_trend, no_limit. */
const char *
sp_resource_status_name(sp_resource_status_t status);

/* The factor that converts amounts in unit from into unit to (1 when they
 * are the same; km3 -> m3, Gt/Mt/kt X -> t X, TWh/GWh/MWh -> kWh or MWh),
 * or NAN when no conversion is known. */
double
sp_resource_unit_factor(const char *from, const char *to);

/* The reference table: *out is {"territory": {code, name, population},
 * "world_population": {value, source}, "country_population": {value,
 * source}, "limits": [every resource_limit row with "per_person" and
 * "territory_limit" derived, "factor" and a "note" when it cannot be
 * derived], "resources": [per resource the limit the dashboard uses:
 * {resource, unit, renewable, scope, per_person, territory_limit, source,
 * horizon_year}]}, owned by pool.  Preference among a resource's limits:
 * territory, person, country, world (first by id within a scope), the
 * first one that can be derived. */
int
sp_resource_limits(sp_store_t *store, const sp_resource_params_t *p, json_t **out,
                   apr_pool_t *pool, sp_error_t **err);

/* The dashboard: *out is {"territory", "rows": [{resource, unit, place
 * ("territory" or "neighbourhood"), neighbourhood, population, limit,
 * limit_source, years: [{year, amount, per_person, ratio}], latest_year,
 * latest, ratio, trend: {n, slope, intercept, r2}|null, status,
 * meets_year (fractional)|null, meets_in (whole year: ceil)|null, verdict
 * (text), overshoot_growing}]}, owned by pool.  neighbourhood NULL: the
 * territory's rows then every neighbourhood with data; else only that
 * neighbourhood (SP_EXIT_DATA when it does not exist). */
int
sp_resource_dashboard(sp_store_t *store, const sp_resource_params_t *p,
                      const char *neighbourhood, json_t **out, apr_pool_t *pool,
                      sp_error_t **err);

void
sp_resource_limits_text(const json_t *limits, FILE *out);
void
sp_resource_dashboard_text(const json_t *dashboard, FILE *out);

#endif
