/*
 * sp_territory.h -- finding the workspace's territory for the reports.
 *
 * Reports on resources (sp_resource.c) and on the pact (sp_pact.c) are
 * about one territory: the one named by its code, or the only one the
 * workspace holds, as the importers choose it (sp_import.c).
 */
#ifndef SP_TERRITORY_H
#define SP_TERRITORY_H

#include "sp_store.h"

typedef struct sp_territory_t {
    sqlite3_int64 id;
    const char *code;
    const char *name;
    const char *country;      /* "" when not given */
    double population;        /* NAN when unknown */
} sp_territory_t;

/* Fill *t (allocated in pool) with the territory whose code is code, or
 * with the only territory when code is NULL.  SP_EXIT_DATA when there is
 * none, when the code is unknown, or when several exist and code is NULL. */
int
sp_territory_find(sp_store_t *store, const char *code, sp_territory_t **t, apr_pool_t *pool,
                  sp_error_t **err);

#endif
