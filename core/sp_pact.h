/*
 * sp_pact.h -- the spread of the territorial pact and the charter (tool 1
 * of the plan): diffusion per quarter against the plan's doubling target,
 * the observed doubling pace and the date it would cover the population,
 * the chains of invitations that stall, the share of signatories by
 * neighbourhood, and the organisations that signed.
 *
 * Signatories (pact_signatory) are pseudonymous persons and named
 * organisations; invitations (pact_invitation) are kept whether accepted or
 * not.  Quarters are calendar quarters ("2013-Q1"); quarter 0 is the
 * quarter of the first signature of the pact.  Formulas are in
 * docs/pooling.md.  The result is a jansson object owned by the pool with a
 * text rendering.
 */
#ifndef SP_PACT_H
#define SP_PACT_H

#include <stdio.h>
#include <jansson.h>
#include "sp_store.h"

typedef struct sp_pact_params_t {
    const char *territory;   /* territory code; NULL: the only one */
    const char *as_of;       /* YYYY-MM-DD; NULL: the latest signature or invitation */
    int stall_quarters;      /* pending this many quarters or more is a stall (default 2) */
} sp_pact_params_t;

void
sp_pact_params_default(sp_pact_params_t *p);

/* The quarter index (year * 4 + quarter - 1) of a date YYYY-MM-DD, or -1. */
long
sp_pact_quarter_index(const char *date);

/* The quarter label "YYYY-Qn" of an index, in pool. */
const char *
sp_pact_quarter_label(long index, apr_pool_t *pool);

/* The report.  *out is
 *   {"territory": {code, name, population}, "as_of", "founders",
 *    "signatories": n (pact), "charter_signatories": n,
 *    "quarters": [{"quarter", "index", "new", "cumulative", "target"}],
 *    "pace": {"doublings_per_quarter", "intercept", "r2",
 *             "doubling_time_quarters"} | null,
 *    "projection": {"population", "covered_in" (label)|null,
 *                   "quarters_from_start" (fractional)|null, "verdict",
 *                   "target_covers_in" (label)|null},
 *    "invitations": {"made", "accepted", "pending"},
 *    "chains": {"max_depth", "by_depth": [counts], "stalled": [{"id",
 *               "signatory" (org name or pseudonym prefix), "depth",
 *               "invitations", "first_invited_on", "quarters_waiting"}],
 *               "silent": n},
 *    "neighbourhoods": [{"name"|null, "signatories", "share",
 *                        "population", "coverage"}],
 *    "organisations": [{"name", "document", "signed_on", "neighbourhood"}]}
 * SP_EXIT_DATA when the territory cannot be found; an empty pact gives
 * empty lists. */
int
sp_pact_report(sp_store_t *store, const sp_pact_params_t *p, json_t **out, apr_pool_t *pool,
               sp_error_t **err);

void
sp_pact_report_text(const json_t *report, FILE *out);

#endif
