/*
 * sp_import_kinds.c -- the table of import kinds `spiral import` knows.
 */
#include <string.h>
#include "sp_import.h"

extern const sp_import_kind_t sp_import_kind_table;
extern const sp_import_kind_t sp_import_kind_indicators;
extern const sp_import_kind_t sp_import_kind_forms;
extern const sp_import_kind_t sp_import_kind_responses;

const sp_import_kind_t *const sp_import_kinds[] = {
    &sp_import_kind_indicators,
    &sp_import_kind_forms,
    &sp_import_kind_responses,
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
