/*
 * sp_export.h -- writing a workspace table back out as CSV or JSON.
 *
 * What can be exported is what an analyst imported (`spiral import table`)
 * and the published views of the survey (respondents without identifiers
 * or free text).  Free-text answers are never part of a default export.
 * Its two small writers, one CSV field and the shortest exact decimal of a
 * double, are the ones every other CSV and number printer of libspiral
 * uses (sp_grid.c, sp_eval.c, sp_forms.c, sp_agg_render.c,
 * sp_xtab_render.c, sp_table.c, sp_report.c), so that the same value
 * always reads the same.
 */
#ifndef SP_EXPORT_H
#define SP_EXPORT_H

#include <stdio.h>
#include "sp_store.h"

typedef enum { SP_EXPORT_CSV, SP_EXPORT_JSON } sp_export_format_t;

typedef struct sp_export_options_t {
    sp_export_format_t format;
    char sep;              /* CSV field separator, ',' by default */
    int decimal_comma;     /* CSV: write 3,5 instead of 3.5 (French style) */
} sp_export_options_t;

/* Write table name to out.  Unknown names give SP_EXIT_DATA listing what
 * can be exported.  JSON: an array of objects in file order, values typed,
 * numbers with 17 significant digits, text exactly as imported. */
int sp_export_table(sp_store_t *store, const char *name, const sp_export_options_t *options,
                    FILE *out, apr_pool_t *pool, sp_error_t **err);

/* Write one CSV field, quoted (with doubled quotes) only when it holds
 * sep, a quote or a line break. */
void sp_export_csv_field(FILE *out, const char *s, size_t len, char sep);

/* Format a double as the shortest of %.15g..%.17g that reads back equal. */
void sp_export_real(char *buf, size_t size, double v, int decimal_comma);

#endif
