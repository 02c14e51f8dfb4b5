/*
 * sp_project.h -- the territorial project of well-being, one version per
 * quarter (tool 7 of the plan, DOMAIN.md).
 *
 * A version (project_version, schema migration 2) is assembled from the
 * plans of the territory: one project_entry per action and problématique
 * (action_tag kind problematique; '' for an action without one), with the
 * plan, the neighbourhood (the plan's, else the neighbourhood the action
 * names) and the guideline of the problématique.  Guidelines are Lua data
 * (scripts/lib/guidelines.lua), read by the command and handed here as a
 * JSON object {code = {fr, en, themes = [...]}}.  Flags are computed when a
 * version is shown, never stored:
 *  - overlap: two actions of the same problématique and neighbourhood (or
 *    both city-wide) sharing a component tag;
 *  - gap: a problématique of the guidelines without any entry;
 *  - unmet need: self-survey needs (life_need of the territory's
 *    respondents, counted by kind and theme) whose theme (or kind, when the
 *    theme is empty) is neither a theme or problématique tag of an action
 *    of the version nor a theme the guidelines attach to a problématique
 *    that has an entry.
 */
#ifndef SP_PROJECT_H
#define SP_PROJECT_H

#include <stdio.h>
#include <jansson.h>
#include <apr_pools.h>
#include "sp_error.h"
#include "sp_store.h"

/* Build the next version (0 for the first) for quarter ("2026-Q1") of the
 * territory (code, or NULL for the only one), in one transaction, and
 * return it as sp_project_show does.  SP_EXIT_USAGE for a malformed
 * quarter; SP_EXIT_DATA when the quarter already has a version or the
 * territory is unknown.  guidelines may be NULL. */
int sp_project_build(sp_store_t *store, const char *territory, const char *quarter,
                     const json_t *guidelines, json_t **result, apr_pool_t *pool,
                     sp_error_t **err);

/* Version version (< 0: the latest) with its entries and flags:
 * {"kind":"project", territory, version, quarter, entries:[...],
 *  flags:{overlaps:[...], gaps:[...], unmet_needs:[...]}}.  New reference.
 * SP_EXIT_DATA when there is no such version. */
int sp_project_show(sp_store_t *store, const char *territory, long version,
                    const json_t *guidelines, json_t **result, apr_pool_t *pool,
                    sp_error_t **err);

/* Differences from version from to version to (to < 0: the latest; from <
 * 0: the one before to): {"kind":"project-diff", from, to, added, removed,
 * moved (entries whose plan, neighbourhood or guideline changed, before and
 * after)}.  Entries are keyed by (action, problématique). */
int sp_project_diff(sp_store_t *store, const char *territory, long from, long to,
                    json_t **result, apr_pool_t *pool, sp_error_t **err);

/* Print a result of the three functions above as text. */
int sp_project_render_text(const json_t *result, FILE *out, apr_pool_t *pool, sp_error_t **err);

#endif
