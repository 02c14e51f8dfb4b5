/*
 * sp_partnership.h -- producer-consumer partnerships followed season by
 * season (tool 5 of the plan; community-supported agriculture is the
 * example).
 *
 * A partnership (tables partnership, partnership_member, partnership_target,
 * partnership_observation; import kind `partnership`) has producers and
 * consumers who agreed on targets for shared indicators: local share,
 * resource used per unit of produce, price, the producers' and the
 * consumers' well-being.  Each season each side reports its values; the
 * report sets both beside the target and, for resources, beside the
 * per-person limit of sp_resource (the share of a person's yearly limit one
 * unit of produce uses).
 */
#ifndef SP_PARTNERSHIP_H
#define SP_PARTNERSHIP_H

#include <stdio.h>
#include <jansson.h>
#include "sp_store.h"

/* The report of partnership code (NULL: every partnership).  *out is
 *   {"partnerships": [{"code", "name", "producers": [names],
 *     "consumers": [names], "targets": [{"indicator", "resource",
 *     "target", "direction", "unit"}], "seasons": [{"season",
 *     "indicators": [{"indicator", "resource", "target"|null, "direction",
 *     "producer"|null, "consumer"|null, "producer_meets"|null,
 *     "consumer_meets"|null, "difference" (producer - consumer)|null,
 *     "person_limit"|null, "producer_share_of_person_limit"|null,
 *     "consumer_share_of_person_limit"|null}]}]}]}
 * owned by pool.  A value meets an at_least target when value >= target,
 * an at_most one when value <= target.  territory (may be NULL) chooses the
 * territory whose limits are used; without one the limits are null.
 * SP_EXIT_DATA when code names no partnership. */
int
sp_partnership_report(sp_store_t *store, const char *code, const char *territory, json_t **out,
                      apr_pool_t *pool, sp_error_t **err);

void
sp_partnership_report_text(const json_t *report, FILE *out);

#endif
