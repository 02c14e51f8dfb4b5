/*
 * sp_import_kinds.c -- the table of import kinds `spiral import` knows.
 */
#include <string.h>
#include "sp_import.h"

extern const sp_import_kind_t sp_import_kind_table;
extern const sp_import_kind_t sp_import_kind_indicators;
extern const sp_import_kind_t sp_import_kind_forms;
extern const sp_import_kind_t sp_import_kind_responses;
extern const sp_import_kind_t sp_import_kind_criteria;
extern const sp_import_kind_t sp_import_kind_actions;
extern const sp_import_kind_t sp_import_kind_evaluations;
extern const sp_import_kind_t sp_import_kind_resources;
extern const sp_import_kind_t sp_import_kind_limits;
extern const sp_import_kind_t sp_import_kind_usage;
extern const sp_import_kind_t sp_import_kind_meter;
extern const sp_import_kind_t sp_import_kind_pact;
extern const sp_import_kind_t sp_import_kind_invitations;
extern const sp_import_kind_t sp_import_kind_accounts;
extern const sp_import_kind_t sp_import_kind_ledger;
extern const sp_import_kind_t sp_import_kind_taxonomy;
extern const sp_import_kind_t sp_import_kind_taxonomy_map;
extern const sp_import_kind_t sp_import_kind_codes;
extern const sp_import_kind_t sp_import_kind_partnership;

const sp_import_kind_t *const sp_import_kinds[] = {
    &sp_import_kind_indicators,
    &sp_import_kind_forms,
    &sp_import_kind_responses,
    &sp_import_kind_criteria,
    &sp_import_kind_actions,
    &sp_import_kind_evaluations,
    &sp_import_kind_resources,
    &sp_import_kind_limits,
    &sp_import_kind_usage,
    &sp_import_kind_meter,
    &sp_import_kind_pact,
    &sp_import_kind_invitations,
    &sp_import_kind_accounts,
    &sp_import_kind_ledger,
    &sp_import_kind_partnership,
    &sp_import_kind_taxonomy,
    &sp_import_kind_taxonomy_map,
    &sp_import_kind_codes,
    &sp_import_kind_table,
    NULL
};

const sp_import_kind_t *
sp_import_kind_find(const char *name)
{
    int i;

    for (i = 0; sp_import_kinds[i] != NULL; i++)
        if (strcmp(sp_import_kinds[i]->name, name) == 0)
            return sp_import_kinds[i];
    return NULL;
}
