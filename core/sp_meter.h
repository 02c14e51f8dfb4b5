/*
 * sp_meter.h -- the consumption meter ("consomètre") run from C, for one
 * household or a batch of them.
 *
 * The rules are Lua (scripts/lib/meter.lua, or a territory's own
 * meter.lua); this module finds the territory's meter, runs it in one
 * sandboxed engine (sp_engine.h) and brings the numbers back.  A batch is
 * one run of a small driver chunk that calls the meter's evaluate() once
 * per household, the households coming from C (a CSV file read as it goes,
 * the workspace's meter_household and meter_answer tables, or one set of
 * answers) and the results going back to C as numbers per resource: one
 * person's own use, the household's, and one person's total with the
 * collective share (what the meter compares with the per-person limit).
 * sp_meter_distribution() then summarises a batch by neighbourhood with
 * small-group suppression (sp_agg.h's threshold, plus a secondary group).
 *
 * Which meter: with cfg->territory_dir, DIR/meter.lua when it exists; else,
 * with cfg->territory, territories/<code>/meter.lua in the first script
 * root that has it; else lib.meter.  A territory pack (DIR/pack.lua or
 * territories/<code>/pack.lua) whose `meter.factors` is not empty replaces
 * the meter's factors through its with_factors().
 *
 * The meter module's contract (docs/meter.md): `resources` (names),
 * `units`, `labels` ({fr, en} per resource), `questions` ({name, ...}),
 * evaluate(answers, opts) -> report or nil, message (a message that names
 * a question starts with "<question>:"), and lines(report, lang).
 */
#ifndef SP_METER_H
#define SP_METER_H

#include <stddef.h>
#include <apr_pools.h>
#include "sp_error.h"
#include "sp_store.h"
#include "sp_table.h"

typedef struct sp_meter_t sp_meter_t;

typedef struct sp_meter_config_t {
    /* A territory folder (--territory-dir): searched first by require. */
    const char *territory_dir;
    /* A territory code: territories/<code>/meter.lua when there is one. */
    const char *territory;
    /* NULL-terminated script roots; NULL: sp_engine_script_roots(). */
    const char *const *script_roots;
} sp_meter_config_t;

/* One resource of the meter, as its module describes it. */
typedef struct sp_meter_resource_t {
    const char *name;      /* "co2e" */
    const char *unit;      /* "kg CO2e" */
    const char *label_fr, *label_en;
    double limit;          /* one person's yearly share, in unit; NAN: none */
    double collective;     /* the collective share per person, in unit */
} sp_meter_resource_t;

/* One household's answers: names[i] = values[i] (text, as in the CSV). */
typedef struct sp_meter_answers_t {
    size_t n;
    const char *const *names;
    const char *const *values;
} sp_meter_answers_t;

/* A batch's results, one entry per household in input order.  Row h of
 * person/household/total holds nres numbers in sp_meter_resource order. */
typedef struct sp_meter_batch_t {
    size_t n, nres;
    const char **neighbourhood;   /* "" when none */
    double *size;                 /* household size */
    double *person;               /* own use of one person */
    double *household;            /* the household's own use */
    double *total;                /* one person's own use + collective share */
} sp_meter_batch_t;

/* Disclosure control of sp_meter_distribution (as sp_agg_opts_t). */
typedef struct sp_meter_dist_opts_t {
    unsigned min_cell;     /* K: a group of 1..K-1 households is withheld (and one more
                              when it is the only neighbourhood withheld) */
    int no_suppress;       /* withhold nothing; the table is "not for publication" */
} sp_meter_dist_opts_t;

/* Find the meter (see the file comment), create its engine and read its
 * description (resources, units, limits, questions).  The meter lives as
 * long as pool.  SP_EXIT_NOINPUT when no meter module is found,
 * SP_EXIT_SCRIPT (file and line) when it fails to load or describe. */
int
sp_meter_open(sp_meter_t **m, const sp_meter_config_t *cfg, apr_pool_t *pool,
              sp_error_t **err);

/* The module run ("lib.meter", "territories.mulhouse.meter", "meter") and
 * the meter's code (its `code` field, or the module name). */
const char *
sp_meter_module(const sp_meter_t *m);
const char *
sp_meter_code(const sp_meter_t *m);

size_t
sp_meter_nresources(const sp_meter_t *m);
/* Resource i (0 .. nresources-1), or NULL. */
const sp_meter_resource_t *
sp_meter_resource(const sp_meter_t *m, size_t i);

/* 1 when name is one of the meter's questions. */
int
sp_meter_has_question(const sp_meter_t *m, const char *name);
/* The question names, comma-separated (for messages), in pool. */
const char *
sp_meter_question_list(const sp_meter_t *m, apr_pool_t *pool);

/* Parse "name=value,name=value" (spaces around items ignored) into *a, in
 * pool.  SP_EXIT_USAGE for an item without '=', an empty name, a name
 * given twice or a name that is not a question of m ("unknown question
 * 'x'; the meter 'default' asks: ..."). */
int
sp_meter_parse_answers(const sp_meter_t *m, const char *text, sp_meter_answers_t *a,
                       apr_pool_t *pool, sp_error_t **err);

/* The report of one household for a citizen, in lang ("fr" or "en"): the
 * meter's own lines(), then what is counted per person and per household
 * and the collective share apart.  *lines (NUL-terminated strings) and
 * *n are in pool.  A refused answer is SP_EXIT_USAGE with the meter's
 * message; a script failure SP_EXIT_SCRIPT. */
int
sp_meter_report(sp_meter_t *m, const sp_meter_answers_t *a, const char *lang,
                const char *const **lines, size_t *n, apr_pool_t *pool,
                sp_error_t **err);

/* The answers of one household of the workspace, found by its id as given
 * at import (pseudonymised with the key at key_path in the "household"
 * domain); *neighbourhood is "" when none.  SP_EXIT_DATA when no household
 * has that id. */
int
sp_meter_household(sp_store_t *store, const char *key_path, const char *id,
                   sp_meter_answers_t *a, const char **neighbourhood,
                   apr_pool_t *pool, sp_error_t **err);

/* Run the meter over every household of the CSV file at path (the columns
 * of the `meter` import kind, docs/import-formats.md; no import needed).
 * A question column the meter does not ask is SP_EXIT_DATA at path:1:col;
 * a bad household_size or an answer the meter refuses is SP_EXIT_DATA at
 * path:line:column.  *out lives in pool. */
int
sp_meter_batch_csv(sp_meter_t *m, const char *path, sp_meter_batch_t **out,
                   apr_pool_t *pool, sp_error_t **err);

/* The same over every household of the workspace (in id order).  A stored
 * question the meter does not ask, or an answer it refuses, is
 * SP_EXIT_DATA naming the question. */
int
sp_meter_batch_store(sp_meter_t *m, sp_store_t *store, sp_meter_batch_t **out,
                     apr_pool_t *pool, sp_error_t **err);

/* For the report: open the meter of the workspace's territory (code
 * territory, or the only one; default roots) and run it over every
 * household.  *mout may be NULL. */
int
sp_meter_workspace(sp_store_t *store, const char *territory, sp_meter_t **mout,
                   sp_meter_batch_t **out, apr_pool_t *pool, sp_error_t **err);

/* Weighted HAVERAGE quantile (sp_agg.h's definition, frequency weights):
 * x sorted ascending, w[i] >= 0 their weights, 0 <= p <= 1.  NAN when the
 * weights total 0 or p is out of range. */
double
sp_meter_quantile(const double *x, const double *w, size_t n, double p);

/* The batch by neighbourhood (names sorted, households without one last as
 * "(none)", then everyone as "(all)"), one row per resource, columns:
 * neighbourhood, resource, unit, households, persons, mean, q1, median,
 * q3, limit, above_limit, household_mean.  mean and the quartiles are of
 * one person's total (own use + collective share), each household weighted
 * by its size, so they are per inhabitant; above_limit is the share of
 * inhabitants whose total is above the per-person limit; household_mean
 * is the plain mean of the households' own use.  Disclosure control, by
 * group (a group's household count is the same for every resource):
 * primary, a group of 1..K-1 households, "(all)" included, is withheld;
 * secondary, when exactly one neighbourhood ("(none)" counts as one) is
 * withheld and "(all)" is shown, the shown non-empty neighbourhood with
 * the fewest households (the first on a tie) is withheld too, or "(all)"
 * when there is none, so that no withheld number can be worked out from
 * the margins.  A withheld group shows the suppression mark in every
 * number but the limit, each mark noted "suppressed: fewer than K
 * households" or "withheld so that a small group cannot be worked out
 * from (all)" ("... from the others" on "(all)"); the table's note lists
 * the withheld groups under each reason.  opts->no_suppress withholds nothing and sets
 * not_for_publication.  opts NULL: K = 5. */
int
sp_meter_distribution(const sp_meter_t *m, const sp_meter_batch_t *b,
                      const sp_meter_dist_opts_t *opts, sp_table_t **out,
                      apr_pool_t *pool, sp_error_t **err);

#endif
