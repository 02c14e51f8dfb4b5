/*
 * sp_eval_int.h -- what the files of the co-evaluation share; internal to
 * libspiral, not installed.
 *
 * The co-evaluation (sp_eval.h) is split by job: sp_eval.c evaluates one
 * plan from the pieces the others build and derives the profiles the
 * grid's rank() reads; sp_eval_load.c reads the plan's actions and their
 * scores into per-phase profiles; sp_eval_view.c adds each action's tags,
 * co-responsibility and resource viewpoints and compares the actions
 * (deltas, gaps, overlaps, complements); sp_eval_text.c prints a result
 * and writes the evaluations template.  All of them fill or read the one
 * jansson object described in sp_eval.h.
 */
#ifndef SP_EVAL_INT_H
#define SP_EVAL_INT_H

#include <apr_hash.h>
#include <apr_tables.h>
#include <jansson.h>
#include "sp_eval.h"

/* One action of the plan, in plan order (by code). */
typedef struct action_t {
    sqlite3_int64 id;
    const char *code;
    const char *started_on;   /* NULL when undated */
    json_t *obj;              /* borrowed from the actions array */
} action_t;

struct sp_eval_cache_t {
    apr_hash_t *pairs;        /* as sp_eval_load_sector_pairs fills it */
};

/* ---- sp_eval_load.c ------------------------------------------------------ */

/* Append one object per action of plan plan_id to arr (code, title,
 * neighbourhood, started_on, empty phases, the stated viewpoints) and list
 * them in *out as action_t, allocated in pool. */
int sp_eval_load_actions(sp_store_t *store, sqlite3_int64 plan_id, apr_array_header_t **out,
                         json_t *arr, apr_pool_t *pool, sp_error_t **err);

/* Fill the phases of acts (from sp_eval_load_actions) with the profiles of
 * their scores in opt->grid, for the phases opt asks for; threshold is the
 * disagreement threshold already resolved. */
int sp_eval_load_scores(sp_store_t *store, sqlite3_int64 plan_id, const sp_eval_options_t *opt,
                        apr_array_header_t *acts, double threshold, apr_pool_t *pool,
                        sp_error_t **err);

/* ---- sp_eval_view.c ------------------------------------------------------ */

/* The workspace's sector pairs, for new links: "s1\037s2" (s1 < s2) -> the
 * order key of the earliest action that has both; a hash in pool. */
int sp_eval_load_sector_pairs(sp_store_t *store, apr_hash_t **pairs, apr_pool_t *pool,
                              sp_error_t **err);

/* The resources with their limit and latest use in territory_id (population
 * for per-person limits, NAN when unknown), an opaque array in pool for
 * sp_eval_action_viewpoints. */
int sp_eval_load_resources(sp_store_t *store, sqlite3_int64 territory_id, double population,
                           apr_array_header_t **out, apr_pool_t *pool, sp_error_t **err);

/* Set a's tags, coresponsibility and resources; tags is the prepared
 * "SELECT kind, value FROM action_tag WHERE action_id = ? ORDER BY kind,
 * value", reset here. */
int sp_eval_action_viewpoints(sp_store_t *store, sqlite3_stmt *tags, action_t *a,
                              apr_hash_t *pairs, apr_array_header_t *res,
                              const sp_eval_options_t *opt, apr_pool_t *pool, sp_error_t **err);

/* The ex-ante/ex-post deltas of an action's phases object; new reference. */
json_t *sp_eval_deltas(json_t *phases);

/* Gaps, overlaps and complements of actions in phase over the ncomp
 * components comps; new reference. */
json_t *sp_eval_across_phase(json_t *actions, const char *phase, const char *const *comps,
                             size_t ncomp, double overlap);

#endif
