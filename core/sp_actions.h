/*
 * sp_actions.h -- finding co-responsibility actions and the networks of
 * people behind their themes.
 *
 * The plan asks for a database of pilot actions from all territories,
 * searchable by theme, keyword, territory and well-being component
 * (DOMAIN.md, "The tools the plan asks for", 3).  Search goes through the
 * contentless FTS5 index action_fts (filled by the `actions` import, with
 * unicode61 remove_diacritics 2, so "energie" finds "énergie"), ranked by
 * bm25; the filters compare tags and towns accent- and case-insensitively
 * (sp_text_fold).  Networks list, per theme, the actions, the actors who
 * carry them and the towns, and the actors that bridge them (two actions
 * or more, in two themes or more).
 *
 * Results are jansson objects that live as long as the pool given (do not
 * json_decref them); the _grid functions make sp_grid tables of them.
 */
#ifndef SP_ACTIONS_H
#define SP_ACTIONS_H

#include <jansson.h>
#include <apr_pools.h>
#include "sp_error.h"
#include "sp_store.h"

typedef struct sp_actions_query_t {
    const char *text;          /* words, all required (NULL or blank: no text search) */
    const char *theme;         /* tag of kind theme, folded comparison */
    const char *territory;     /* the action's town, or a territory code */
    const char *component;     /* object code: actions tagged with it or a finer code */
    const char *problematique; /* tag of kind problematique, folded comparison */
} sp_actions_query_t;

/* The text made safe for FTS5 MATCH: every whitespace-separated word
 * becomes a double-quoted string (inner quotes doubled), so operators and
 * punctuation typed by a user are searched as text, never parsed.  ""
 * when text has no word.  Allocated in pool. */
const char *sp_actions_match_text(const char *text, apr_pool_t *pool);

/* Search.  *result: {"query": {...}, "match": "..."|null, "actions":
 * [{"id", "code", "title", "town", "country", "bm25"|null, "themes": [..],
 * "problematiques": [..], "components": [..]}...]}, best first (bm25,
 * lower is better; then code), or by code without text.  SP_EXIT_USAGE
 * when component is not an object code. */
int sp_actions_search(sp_store_t *store, const sp_actions_query_t *query, json_t **result,
                      apr_pool_t *pool, sp_error_t **err);
json_t *sp_actions_search_grid(const json_t *result, apr_pool_t *pool);

/* Thematic networks (theme NULL: every theme).  *result: {"themes":
 * [{"theme", "actions": [codes], "actors": [{"name", "actions"}...],
 * "towns": [{"town", "actions"}...]}...], "bridges": [{"actor", "themes":
 * [..]}...]}; actors and towns by number of actions, then name. */
int sp_actions_networks(sp_store_t *store, const char *theme, json_t **result,
                        apr_pool_t *pool, sp_error_t **err);
json_t *sp_actions_networks_grid(const json_t *result, apr_pool_t *pool);

#endif
