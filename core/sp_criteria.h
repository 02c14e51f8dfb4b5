/*
 * sp_criteria.h -- statistics of the criteria of citizen groups.
 *
 * Criteria come from chosen groups, not from samples, so their statistics
 * are counts and shares (DOMAIN.md, "Statistics that fit the data"):
 * per code of the taxonomy at a chosen depth, rolled up by prefix (a
 * criterion coded A01-11 counts for A01-11, for A01 and for A), broken
 * down by question, kind of group, age band, neighbourhood or cycle
 * (synchronic), or compared between two dates or cycles (diachronic).
 * Every node of the taxonomy down to the chosen level is listed, with 0
 * when no group mentioned it; uncoded criteria are counted apart.  A
 * criterion coded in another version of the taxonomy is shown in the
 * chosen one through taxonomy_map (exact codes only: an unmapped code is
 * counted apart and listed, never guessed).
 *
 * Results are jansson objects that live as long as the pool given (do not
 * json_decref them); sp_criteria_stats_grid and sp_criteria_list_grid turn
 * them into sp_grid tables for text and CSV.
 */
#ifndef SP_CRITERIA_H
#define SP_CRITERIA_H

#include <jansson.h>
#include <apr_hash.h>
#include <apr_pools.h>
#include "sp_error.h"
#include "sp_store.h"

/* --- codes ------------------------------------------------------------------ */

/* A criterion code OBJECT[/SENSE[/BENEFICIARY]], e.g. A01-11/P15/k. */
typedef struct sp_criteria_code_t {
    const char *object;        /* A, A01 or A01-11 */
    const char *sense;         /* P15, or NULL */
    const char *beneficiary;   /* k, or NULL */
} sp_criteria_code_t;

#define SP_CRITERIA_CODE_GRAMMAR "OBJECT[/SENSE[/BENEFICIARY]], e.g. A01-11/P15/k, where " \
    "OBJECT is a family letter A-Z, optionally a two-digit component and '-' with a " \
    "two-digit sub-object, SENSE an uppercase letter and 1 or 2 digits (P15), " \
    "BENEFICIARY 1 to 3 lowercase letters (k)"

/* Split and check text; the parts live in pool.  1 when text follows the
 * grammar, else 0 (and *code is unspecified). */
int sp_criteria_code_parse(const char *text, sp_criteria_code_t *code, apr_pool_t *pool);

/* Split "name:version" at its last ':' into pool copies; 0 when either
 * part would be empty. */
int sp_criteria_taxonomy_split(const char *text, const char **name, const char **version,
                               apr_pool_t *pool);

/* Depth of an object code: 1 family (A), 2 component (A01), 3 sub-object
 * (A01-11); 0 when text is not an object code. */
typedef enum {
    SP_CRITERIA_FAMILY = 1,
    SP_CRITERIA_COMPONENT = 2,
    SP_CRITERIA_SUBOBJECT = 3
} sp_criteria_level_t;

int sp_criteria_level_of(const char *object);
/* "family", "component", "subobject" -> level; 0 for anything else. */
int sp_criteria_level_parse(const char *name);
const char *sp_criteria_level_name(int level);

/* --- the roll-up tally (pure; used by sp_criteria_stats, tested alone) ------- */

typedef struct sp_criteria_tally_t sp_criteria_tally_t;

/* An empty tally that keeps codes down to depth max_level. */
sp_criteria_tally_t *sp_criteria_tally_create(int max_level, apr_pool_t *pool);

/* Count one criterion coded object in column col (>= 0): it adds 1 to the
 * object's family, component and sub-object as far as they exist and
 * max_level allows.  0 (and nothing counted) when object is not a code. */
int sp_criteria_tally_add(sp_criteria_tally_t *t, const char *object, int col);

/* The count of code in column col (0 when never counted). */
long sp_criteria_tally_count(const sp_criteria_tally_t *t, const char *code, int col);

/* Every code counted, in no particular order (keys of a hash: const char *). */
apr_hash_t *sp_criteria_tally_codes(const sp_criteria_tally_t *t);

/* --- statistics ----------------------------------------------------------------- */

typedef enum {
    SP_CRITERIA_BY_NONE, SP_CRITERIA_BY_QUESTION, SP_CRITERIA_BY_GROUP_KIND,
    SP_CRITERIA_BY_AGE_BAND, SP_CRITERIA_BY_NEIGHBOURHOOD, SP_CRITERIA_BY_CYCLE
} sp_criteria_by_t;

/* "question", "group_kind", ... -> sp_criteria_by_t; -1 for anything else. */
int sp_criteria_by_parse(const char *name);

/* A period: all criteria, one cycle, or the criteria of groups met on or
 * before a date (the database as it stood that day; undated groups are
 * left out). */
typedef struct sp_criteria_period_t {
    enum { SP_PERIOD_ALL, SP_PERIOD_CYCLE, SP_PERIOD_UNTIL } kind;
    long cycle;
    const char *date;          /* YYYY-MM-DD */
} sp_criteria_period_t;

typedef struct sp_criteria_stats_opts_t {
    int level;                 /* SP_CRITERIA_FAMILY .. SUBOBJECT */
    sp_criteria_by_t by;
    const char *taxonomy;      /* "name:version"; NULL: the territory's, else the only one */
    sp_criteria_period_t from; /* synchronic: the selection; diachronic: the first period */
    sp_criteria_period_t to;   /* SP_PERIOD_ALL: synchronic; else the second period */
} sp_criteria_stats_opts_t;

/* Count the workspace's criteria as opts say.  *result (lives in pool):
 *   {"taxonomy": "name:version"|null, "level", "by"|null,
 *    "comparison": null | {"from": label, "to": label},
 *    "columns": [{"key", "criteria", "coded", "uncoded", "unmapped"}...],
 *    "rows": [{"code", "level", "label_fr", "label_en", "provisional",
 *              "in_taxonomy", "counts": [..], "shares": [..],
 *              ["change": {"count", "points"}]}...],
 *    "unmapped": [{"taxonomy", "code", "count"}...]}
 * Columns: one per value of the breakdown, then "total"; in a comparison,
 * the two periods.  share = count / coded criteria of the column (null
 * when none); change = second - first, in criteria and percentage points.
 * SP_EXIT_USAGE for an unknown taxonomy, an ambiguous default or bad
 * options; SP_EXIT_SOFTWARE for database failures. */
int sp_criteria_stats(sp_store_t *store, const sp_criteria_stats_opts_t *opts,
                      json_t **result, apr_pool_t *pool, sp_error_t **err);

/* The stats result as a table; lang "fr" or "en" picks the labels.  The
 * grid lives in pool. */
json_t *sp_criteria_stats_grid(const json_t *result, const char *lang, apr_pool_t *pool);

/* Every criterion (uncoded_only: those without an object code, with their
 * best pending suggestion) as {"criteria": [{"id", "group", "cycle",
 * "question", "code"|null, "coded_by"|null, "taxonomy"|null,
 * "suggestion"|null, "text"}...]}, by id.  *result lives in pool. */
int sp_criteria_list(sp_store_t *store, int uncoded_only, json_t **result, apr_pool_t *pool,
                     sp_error_t **err);
json_t *sp_criteria_list_grid(const json_t *result, apr_pool_t *pool);

#endif
