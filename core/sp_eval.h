/*
 * sp_eval.h -- co-evaluation of action plans against a grid (no Lua here).
 *
 * Tool 4 of the plan (DOMAIN.md): several evaluator groups score each action
 * of a plan on the grid's components, ex-ante and ex-post.  This module reads
 * the workspace (evaluation, evaluation_score, action, action_tag, resource*)
 * and computes, per plan, a jansson object: per action and phase the impact
 * profile per component and per family, the agreement between groups, the
 * co-responsibility and resource viewpoints, the ex-ante/ex-post deltas; and
 * across the plan's actions the gaps, overlaps and complements.  Ranking and
 * synthesis are the grid's Lua functions: cmd_evaluate.c adds them to the
 * object.  sp_eval_render_text() prints the object for people.
 *
 * Definitions (docs/evaluate.md repeats them):
 *  - profile of an action, phase p, component c: every evaluator group g
 *    that scored c contributes its own mean m_g (one score per evaluation
 *    today, since the schema allows one score per component and evaluation;
 *    the mean keeps the definition right if a grid ever allows several).
 *    mean = sum(w_g m_g) / sum(w_g), w_g the weight of g's kind (1 unless
 *    opt->kind_weights says otherwise); median = the plain median of the
 *    m_g (mean of the two middle ones for an even count).
 *  - spread = max(m_g) - min(m_g); sd = population standard deviation of the
 *    m_g (divide by n); disagreement when spread > threshold (strictly),
 *    threshold = half the scale's range by default (2 on -2..+2).
 *  - family profile = plain mean of the component means of the family
 *    (first letter of the component code).
 *  - co-responsibility: actors and sectors (action_tag); a "new link" is a
 *    pair of the action's sectors that no earlier action of the workspace
 *    had together, earlier = (started_on, id) smaller, an undated action
 *    counting as later than every dated one.
 *  - resources: an action concerns a resource when one of its tags (theme,
 *    problematique, keyword) is mapped to the resource's code in
 *    opt->resource_map ("tag=code" entries, default below; a tag equal to
 *    a resource code always maps).  For each: the territory's limit (scope territory, else
 *    scope person x population), the latest yearly use of the territory
 *    (neighbourhood NULL) and their ratio.
 *  - gaps: grid components that no action of the plan reaches with a
 *    positive mean (per phase).
 *  - overlap: cosine similarity of the positive parts of two actions'
 *    profiles > opt->overlap (0.8); complement: both have positive
 *    components and the two sets are disjoint.
 *  - delta: ex-post mean - ex-ante mean, per component scored in both.
 *  - each component entry also gives the mean per evaluator kind ("kinds")
 *    and per group ("groups"), and the groups' comments.
 */
#ifndef SP_EVAL_H
#define SP_EVAL_H

#include <stdio.h>
#include <jansson.h>
#include <apr_pools.h>
#include <apr_tables.h>
#include "sp_error.h"
#include "sp_store.h"

#define SP_EVAL_EX_ANTE 0x1
#define SP_EVAL_EX_POST 0x2

/* What every plan of one workspace shares (the workspace's sector pairs);
 * see sp_eval_cache_create. */
typedef struct sp_eval_cache_t sp_eval_cache_t;

typedef struct sp_eval_options_t {
    const char *grid;            /* evaluation.grid to read; NULL: "default" */
    double scale_min, scale_max; /* the grid's scale; equal: taken as -2..+2 */
    double threshold;            /* disagreement; < 0: (max - min) / 2 */
    double overlap;              /* cosine above which two actions overlap; <= 0: 0.8 */
    int phases;                  /* SP_EVAL_EX_ANTE | SP_EVAL_EX_POST; 0: both */
    /* The grid's components (NULL-terminated codes, order kept); NULL: the
     * components scored in the plan, sorted. */
    const char *const *components;
    /* "kind=weight" pairs, NULL-terminated; missing kinds weigh 1. */
    const char *const *kind_weights;
    /* "tag=resource_code" pairs, NULL-terminated (a tag may map to several
     * resources); NULL: ressources-1 -> co2e, energy_fossil and
     * ressources-2 -> land, water (annex 2's resource groups). */
    const char *const *resource_map;
    /* NULL, or a cache of store made by sp_eval_cache_create (a batch makes
     * one per workspace so that plans do not re-read what they share). */
    sp_eval_cache_t *cache;
} sp_eval_options_t;

/* Read what the plans of store share, for opt->cache; lives in pool.  The
 * workspace must not change while the cache is used. */
int sp_eval_cache_create(sp_store_t *store, sp_eval_cache_t **cache, apr_pool_t *pool,
                         sp_error_t **err);

/* Fill opt with the defaults (grid "default", scale -2..+2, threshold and
 * overlap defaults, both phases, no lists). */
void sp_eval_options_init(sp_eval_options_t *opt);

/* The codes of the workspace's plans, sorted, as an array of const char *
 * allocated in pool. */
int sp_eval_plans(sp_store_t *store, apr_array_header_t **codes, apr_pool_t *pool,
                  sp_error_t **err);

/* Compute the result object of plan code (see the file comment).  *result
 * is a new reference the caller owns.  SP_EXIT_DATA when the plan does not
 * exist; SP_EXIT_SOFTWARE on SQLite failures.  Allocations other than the
 * JSON are in pool. */
int sp_eval_plan(sp_store_t *store, const char *code, const sp_eval_options_t *opt,
                 json_t **result, apr_pool_t *pool, sp_error_t **err);

/* The per-action profiles of a result, the argument of the grid's rank():
 * an array, one per action, from the ex-post profile when there is one
 * (and phases allow it), else ex-ante, of
 *   {action, title, phase, mean, disagreements = n,
 *    components = impact = {code = mean}, families = {letter = mean},
 *    vulnerable = {code = mean of the groups whose kind is in
 *                  vulnerable_kinds (NULL: "beneficiaries")},
 *    groups = number of evaluator groups,
 *    coresponsibility = 0..3 (lib/grid.lua's rubric, read from the tags:
 *      0 at most one actor, 1 several actors of at most one sector,
 *      2 several sectors, 3 several sectors with a new link),
 *    savings = {} (no amounts in the workspace yet)}.
 * New reference. */
json_t *sp_eval_profiles(const json_t *result, const char *const *vulnerable_kinds);

/* Print result as text, columns aligned by display width (sp_text.h).
 * SP_EXIT_IO when out fails. */
int sp_eval_render_text(const json_t *result, FILE *out, apr_pool_t *pool, sp_error_t **err);

/* Write the CSV template of the `evaluations` import kind: one row per
 * action (of plan, or of every plan when plan is NULL; actions in no plan
 * are written with an empty plan when plan is NULL) x component, phase
 * ex-ante, grid grid, score and groups empty.  components as in opt. */
int sp_eval_template(sp_store_t *store, const char *plan, const char *grid,
                     const char *const *components, FILE *out, apr_pool_t *pool,
                     sp_error_t **err);

#endif
