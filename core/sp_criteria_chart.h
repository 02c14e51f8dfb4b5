/*
 * sp_criteria_chart.h -- the chart of criteria statistics: the shares per
 * code of a sp_criteria_stats result as one self-contained SVG document
 * (`spiral criteria stats --chart FILE.svg`).
 *
 * The chart is sp_svg_bars (sp_svg.h), horizontal, one bar per code and
 * column: without a breakdown the total only; with a breakdown one bar per
 * value of it (the total column is left out); in a comparison the two
 * periods side by side; with several bars per code, an empty band
 * separates one code's bars from the next.  A bar is the
 * share of the column's coded criteria, in %; a column without coded
 * criteria (share null) has no bar.  The title says what is counted; the
 * <desc> lists every bar as "CODE · COLUMN: 33.3 %" with the one decimal
 * of the table (sp_criteria_stats_grid), so a screen reader gets the
 * numbers of the table.
 */
#ifndef SP_CRITERIA_CHART_H
#define SP_CRITERIA_CHART_H

#include <stddef.h>
#include <jansson.h>
#include <apr_pools.h>
#include "sp_error.h"

/* Draw result (from sp_criteria_stats) with texts in lang ("fr" or "en").
 * *svg (NUL-terminated, in pool) is a standalone SVG file: an XML
 * declaration and one <svg> with the SVG namespace; *nbars (may be NULL)
 * receives the number of bars drawn.  Returns SP_OK, or SP_EXIT_DATA with
 * *err filled (in pool) when no share can be drawn (no coded criterion). */
int sp_criteria_chart_svg(const json_t *result, const char *lang, const char **svg,
                          size_t *nbars, apr_pool_t *pool, sp_error_t **err);

#endif
