/*
 * sp_profile.h -- well-being profiles from the self-surveys: one
 * respondent's levels, or the distribution of levels in groups of
 * respondents, per progress indicator or per family of components.
 *
 * Levels are ordinal (1 = worst .. nlevels = best, DOMAIN.md), so a profile
 * gives distributions, medians and the share at "bad or worse" (at or
 * below indicator.bad_at_most), never a composite score.  Forms are
 * comparable through their indicators: a respondent contributes to an
 * indicator through whichever item of their form measures it.
 *
 * The level of a FAMILY for one respondent is the LOWER MEDIAN of the
 * levels they gave to the family's indicators (the ceil(n/2)-th smallest
 * of the n answered; no answer: missing).  It is always a level someone
 * gave -- an ordinal median has no midpoint -- and it leans toward the
 * worse of two middle levels.  A family's ladder has the most levels of its
 * indicators and counts as "bad or worse" at or below the smallest of
 * their bad_at_most.
 *
 * Group statistics go through sp_agg (sp_agg.h): weighted distributions
 * (frequency weights, respondent.weight), HAVERAGE medians, shares at or
 * below the bad level.  Disclosure control: a group of fewer than min_cell
 * respondents, and any (group, variable) with fewer than min_cell valid
 * answers, is listed but its numbers are withheld, unless no_suppress,
 * which marks the result "not for publication".
 *
 * Results are jansson objects that live as long as the pool given.
 */
#ifndef SP_PROFILE_H
#define SP_PROFILE_H

#include <jansson.h>
#include <apr_pools.h>
#include "sp_error.h"
#include "sp_store.h"

/* The lower median of n levels (each >= 1; the array is reordered); 0 when
 * n is 0. */
unsigned sp_profile_lower_median(unsigned *levels, size_t n);

/* One respondent (respondent.id).  *result: {"respondent", "form", "wave",
 * "neighbourhood"|null, "weight", "indicators": [{"item", "indicator",
 * "component", "family", "label_fr", "label_en", "nlevels", "bad_at_most",
 * "level"|null, "level_fr"|null, "level_en"|null, "bad"|null}...] (by item
 * position), "families": [{"family", "answered", "median"|null,
 * "bad"|null}...]}.  SP_EXIT_USAGE when there is no such respondent. */
int sp_profile_respondent(sp_store_t *store, long id, json_t **result, apr_pool_t *pool,
                          sp_error_t **err);

#define SP_PROFILE_MAX_DIMS 3

typedef struct sp_profile_opts_t {
    size_t ndims;
    const char *dims[SP_PROFILE_MAX_DIMS];  /* neighbourhood, form, wave (each once) */
    int family;                /* families instead of indicators */
    unsigned min_cell;         /* 0: SP_AGG_DEFAULT_MIN_CELL (5) */
    int no_suppress;
} sp_profile_opts_t;

/* 1 when name is a dimension profiles can group by. */
int sp_profile_dim_ok(const char *name);

/* Group profiles.  *result: {"group_by": [..], "unit": "indicator"|
 * "family", "min_cell", "not_for_publication", "variables": [{"code",
 * "label_fr", "label_en", "nlevels", "bad_at_most"}...], "groups":
 * [{"key": {dim: value}, "respondents", "weight", "suppressed",
 * "results": [{"variable", "n", "missing", "weight", "distribution":
 * [share of level 1..nlevels]|null, "median"|null, "bad_or_worse"|null,
 * "distribution_withheld", "bad_or_worse_withheld", "suppressed"}...]}...]}.
 * Groups in order of their key values; without dimensions, one group of
 * everyone.  A missing neighbourhood is "(none)".  Withheld (sp_agg.h):
 * a group of 1..K-1 respondents, its size and counts included (null); in
 * the others, a distribution with a level of 1..K-1 answers, a
 * bad_or_worse whose bad answers, or the others, are 1..K-1. */
int sp_profile_groups(sp_store_t *store, const sp_profile_opts_t *opts, json_t **result,
                      apr_pool_t *pool, sp_error_t **err);

/* Tables for text and CSV (sp_grid.h); lang "fr" or "en" for labels. */
json_t *sp_profile_respondent_grid(const json_t *result, const char *lang, apr_pool_t *pool);
json_t *sp_profile_groups_grid(const json_t *result, apr_pool_t *pool);

#endif
