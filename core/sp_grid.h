/*
 * sp_grid.h -- a plain table of text cells, printed aligned or as CSV.
 *
 * The workflow commands (sp_criteria.c, sp_actions.c, sp_profile.c) compute
 * their results as jansson objects, which `--format json` prints as they
 * are and which Lua and the report can reuse; for people they are turned
 * into a grid -- a title, column headers, rows of already formatted cells,
 * notes -- which this module prints as an aligned text table (display
 * widths of UTF-8 text respected through sp_text.h) or as RFC 4180 CSV.
 * A grid is a jansson object too:
 *   {"title": "...", "columns": ["code", ...], "right": [false, true, ...],
 *    "rows": [["A", "12", ...], ...], "notes": ["...", ...]}
 * where a null cell prints as empty.  Nothing is allocated outside pool
 * except the jansson values, whose reference the caller owns.
 */
#ifndef SP_GRID_H
#define SP_GRID_H

#include <stdio.h>
#include <jansson.h>
#include <apr_pools.h>
#include "sp_error.h"

typedef enum { SP_GRID_TEXT, SP_GRID_CSV, SP_GRID_JSON } sp_grid_format_t;

/* Parse "text", "csv" or "json"; -1 when none of them. */
int sp_grid_format_parse(const char *name);

/* A new grid with the given title (NULL: none) and ncols headers taken
 * from names; right[i] non-zero right-aligns column i in text (numbers).
 * The caller owns the returned reference (json_decref). */
json_t *sp_grid_new(const char *title, const char *const *names, const int *right, size_t ncols);

/* Append a row of ncols cells (NULL cells print empty); the cells are
 * copied. */
void sp_grid_add_row(json_t *grid, const char *const *cells, size_t ncols);

/* Append a note printed under the text table (and left out of CSV). */
void sp_grid_add_note(json_t *grid, const char *note);

/* Print grid as aligned text (title, header, a rule, rows, notes) or CSV
 * (header and rows).  SP_EXIT_IO when out fails. */
int sp_grid_print(const json_t *grid, sp_grid_format_t format, FILE *out, apr_pool_t *pool,
                  sp_error_t **err);

/* Print a result object as JSON (indented, keys in insertion order, reals
 * with 17 significant digits).  SP_EXIT_IO when out fails. */
int sp_grid_print_json(const json_t *result, FILE *out, apr_pool_t *pool, sp_error_t **err);

/* Keep a jansson reference alive as long as pool: json_decref becomes a
 * cleanup of pool.  Returns value (NULL is returned and not registered). */
json_t *sp_grid_pool_own(json_t *value, apr_pool_t *pool);

/* A result number: json_real(x), or JSON null when x is NaN or infinite
 * (which JSON cannot hold).  A new reference. */
json_t *sp_grid_real(double x);

/* Reading a result back: the member key of object o as a number (NAN when
 * it is absent or not a number) or as a string ("" when absent or not a
 * string; the string is o's). */
double sp_grid_num(const json_t *o, const char *key);
const char *sp_grid_str(const json_t *o, const char *key);

#endif
