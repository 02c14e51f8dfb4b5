/*
 * sp_table.h -- result tables: the one shape every output format prints.
 *
 * A result table is a title, column headers and rows of cells, each cell a
 * number, a text, or a value withheld with a mark (suppressed: "x";
 * undefined: "") and a note saying why.  Cross-tabulations (sp_xtab.h) and
 * aggregations (sp_agg.h) are turned into result tables here, after
 * disclosure control, so that the CSV and JSON written from a table and
 * the spreadsheet a plugin writes from it (plugins/xlsx) show the same
 * numbers and the same marks in the same cells.  The type is the plugin
 * ABI's spiral_table_t (plugins/spiral_plugin.h), so a table goes to a
 * plugin as it is.  The module also converts tables to and from their Lua
 * form, which is what scripts hand to plugin functions.  Everything is
 * allocated in the pool given; nothing is freed separately.
 */
#ifndef SP_TABLE_H
#define SP_TABLE_H

#include <stddef.h>
#include <apr_pools.h>
#include <lua.h>
#include "sp_error.h"
#include "sp_xtab.h"
#include "sp_agg.h"
#include "spiral_plugin.h"

typedef spiral_table_t sp_table_t;
typedef spiral_cell_t sp_table_cell_t;

/* The marks printed for withheld values. */
#define SP_TABLE_MARK_SUPPRESSED "x"
#define SP_TABLE_MARK_UNDEFINED ""
/* The banner every format prints when not_for_publication is set. */
#define SP_TABLE_NOT_FOR_PUBLICATION \
    "NOT FOR PUBLICATION: small-cell suppression is off"

/* The name Lua's metatable field that turns an object into result tables
 * (a function taking the object, returning a table's Lua form or a list). */
#define SP_TABLE_LUA_META "__sp_table"

/* A table of nrows x ncols EMPTY cells with empty headers (nrows may be 0,
 * ncols >= 1), for callers that fill it themselves through the cast
 * (sp_table_cell_t *)t->cells and (const char **)t->columns.  Returns NULL
 * when ncols is 0 or the size overflows. */
sp_table_t *
sp_table_create(const char *title, size_t nrows, size_t ncols,
                apr_pool_t *pool);

/* Cell (r, c) of t, or NULL when out of range. */
const sp_table_cell_t *
sp_table_cell(const sp_table_t *t, size_t r, size_t c);

/* One cell kind of table t (0 .. sp_xtab_ntables()-1) of a computed
 * crosstab: the first column holds the row labels (header: the row
 * variable), then one column per column label, then "Total"; one row per
 * row label, then "Total".  Kinds without margins (expected counts and
 * residuals) have no Total row or column.  Values are those of
 * sp_xtab_cell(), so suppressed and undefined ones carry its reason as
 * note.  The title is "<kind label>[, <layer label> | all] (<row var> x
 * <col var>)", e.g. "Row %, Female (hair x eye)".
 * not_for_publication follows the no_suppress option; when disclosure
 * control could not protect every value, note says so.  Returns SP_OK, or
 * SP_EXIT_SOFTWARE (table not computed, t or kind out of range) with *err
 * filled in pool. */
int
sp_table_from_xtab(const sp_xtab_t *xt, size_t t, sp_xtab_cell_kind_t kind,
                   sp_table_t **out, apr_pool_t *pool, sp_error_t **err);

/* Every table of xt for every kind in kinds (bit 1u << kind; 0 means the
 * weighted count, row % and column %), table-major: for each layer table,
 * each kind in enum order.  *out gets an array of *count tables. */
int
sp_table_from_xtab_all(const sp_xtab_t *xt, unsigned kinds,
                       sp_table_t ***out, size_t *count, apr_pool_t *pool,
                       sp_error_t **err);

/* A computed aggregation as one table: one row per (group, variable), the
 * columns being the grouping dimensions, "variable", then the statistics
 * n, n_missing, weight, mean, sd, q1, median, q3 and share_le (the names of
 * sp_agg_render_csv).  A suppressed entry shows the mark in every
 * statistic; an undefined statistic is UNDEFINED.  Returns SP_OK or
 * SP_EXIT_SOFTWARE when not computed. */
int
sp_table_from_agg(const sp_agg_t *a, sp_table_t **out, apr_pool_t *pool,
                  sp_error_t **err);

/* Wide CSV of t: the banner line when not_for_publication, the header,
 * the rows (numbers as the shortest of %.15g..%.17g that reads back
 * exactly, marks as they are), then the note.  sep is ',' ';' or '\t'.
 * *out is NUL-terminated, in pool. */
int
sp_table_render_csv(const sp_table_t *t, char sep, const char **out,
                    apr_pool_t *pool, sp_error_t **err);

/* JSON of t: {"title", "not_for_publication", "columns", "rows", "note"};
 * a number cell is a JSON number (17 significant digits), a text a
 * string, a withheld value {"mark", "suppressed": bool, "note"}, an empty
 * cell null.  *out is NUL-terminated, in pool. */
int
sp_table_render_json(const sp_table_t *t, const char **out, apr_pool_t *pool,
                     sp_error_t **err);

/* Push the Lua form of t: { title =, columns = {...}, rows = {{...}...},
 * not_for_publication =, note = }, where a number cell is a number, a text
 * a string, an empty cell false, and a withheld value a table
 * { kind = "suppressed" | "undefined", mark =, note = }.  Raises a Lua
 * error only when memory is exhausted. */
void
sp_table_push_lua(lua_State *L, const sp_table_t *t);

/* Read the value at idx as result tables: one table in Lua form (as
 * pushed above; a NaN or infinite number becomes UNDEFINED), a sequence
 * of them, or an object whose metatable has SP_TABLE_LUA_META.  Stores an
 * array of *count (>= 1) tables in *out and returns SP_OK, or returns
 * SP_EXIT_USAGE with *err saying what is wrong ("rows[2][3]: ...").  May
 * raise a Lua error (memory, or an error in the metamethod), so call it
 * only from inside a Lua C function. */
int
sp_table_from_lua(lua_State *L, int idx, const sp_table_t *const **out,
                  size_t *count, apr_pool_t *pool, sp_error_t **err);

#endif
