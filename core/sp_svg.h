/*
 * sp_svg.h -- charts drawn as inline SVG into a growing text buffer: a
 * radar (profiles on a fixed order of axes), bars with a limit line and a
 * trend, lines (an observed curve against a target, linear or log scale)
 * and a grouped distribution with small-cell suppression.
 *
 * The report (sp_report.c) embeds the charts in one self-contained HTML
 * file, so every chart is plain SVG 1.1 elements with presentation
 * attributes, no script, no external reference and no xmlns (the HTML
 * parser puts <svg> in the SVG namespace).  Every chart opens with
 * role="img", aria-labelledby naming its <title> and <desc>, so a screen
 * reader reads a text alternative; every text is XML-escaped; no number
 * printed is ever NaN or infinite (absent values are simply not drawn).
 * A chart with nothing to draw writes nothing and returns SP_EXIT_DATA, so
 * that the caller writes a sentence instead of an empty chart.
 *
 * Geometry, which tests/unit/test_svg.c checks by hand: coordinates are
 * printed with at most two decimals; the plot area of bars and lines is
 * [SP_SVG_LEFT, width - SP_SVG_RIGHT] x [SP_SVG_TOP, height - SP_SVG_BOTTOM];
 * a radar of size s has its centre at (s/2, s/2); each function below
 * gives its exact formula.
 */
#ifndef SP_SVG_H
#define SP_SVG_H

#include <stddef.h>
#include <apr_pools.h>
#include "sp_error.h"

/* Margins of the plot area of bars, lines and distributions (pixels). */
#define SP_SVG_LEFT 56.0
#define SP_SVG_RIGHT 16.0
#define SP_SVG_TOP 24.0
#define SP_SVG_BOTTOM 48.0
/* Space around a radar's circle for its axis labels. */
#define SP_SVG_RADAR_MARGIN 48.0

/* ---- the text buffer ------------------------------------------------------ */

typedef struct sp_svg_buf_t sp_svg_buf_t;

/* An empty buffer whose text lives in pool (it grows by doubling). */
sp_svg_buf_t *
sp_svg_buf_create(apr_pool_t *pool);

/* Append formatted text (C printf rules, not APR's) as it is. */
void
sp_svg_printf(sp_svg_buf_t *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Append text as it is / XML-escaped (& < > " ' become entities; bytes
 * below 0x20 other than tab, newline and return are dropped, as XML 1.0
 * cannot hold them).  NULL appends nothing. */
void
sp_svg_puts(sp_svg_buf_t *b, const char *text);
void
sp_svg_escape(sp_svg_buf_t *b, const char *text);

/* Append a coordinate or value: %.2f with trailing zeros (and a trailing
 * point) removed, "-0" printed "0"; a NaN or infinity prints "0"; beyond
 * +-1e15 the value is clamped (no chart is that large). */
void
sp_svg_num(sp_svg_buf_t *b, double v);

/* The text so far (NUL-terminated, owned by the buffer's pool) and its
 * length. */
const char *
sp_svg_text(const sp_svg_buf_t *b);
size_t
sp_svg_len(const sp_svg_buf_t *b);

/* ---- what every chart has ------------------------------------------------- */

typedef struct sp_svg_head_t {
    const char *id;     /* unique in the page: [A-Za-z0-9_-]+ (ids of title
                           and desc are id-title, id-desc) */
    const char *title;  /* short name of the chart (required) */
    const char *desc;   /* text alternative: what the chart shows (may be NULL) */
    double width;       /* <= 0: the chart's default */
    double height;
} sp_svg_head_t;

/* ---- radar ---------------------------------------------------------------- */

/* One series: naxes values in axis order; NAN marks an absent value
 * (suppressed or no data), which is not drawn. */
typedef struct sp_svg_series_t {
    const char *name;
    const double *values;
} sp_svg_series_t;

typedef struct sp_svg_radar_t {
    sp_svg_head_t head;                /* width = height = size, default 360 */
    size_t naxes;                      /* >= 3, in the caller's fixed order */
    const char *const *axes;           /* axis labels */
    double min, max;                   /* scale, max > min */
    unsigned rings;                    /* scale rings with labels (0: 4) */
    size_t nseries;                    /* 1..8 (colours of SP_SVG_PALETTE) */
    const sp_svg_series_t *series;
} sp_svg_radar_t;

/* Draw a radar.  Size s = width; radius R = s/2 - SP_SVG_RADAR_MARGIN;
 * centre (s/2, s/2); axis i points at angle -90 + 360 i / naxes degrees
 * (the first axis straight up, then clockwise); a value v sits at
 * R * (v - min) / (max - min) from the centre, clamped to [0, R].  A
 * series whose values are all present is a closed polygon; one with
 * absent values is drawn as its points only (a polygon through the gap
 * would show a value that does not exist).  The legend lists the series
 * below the circle, so the height is s + 18 per series.  Returns SP_OK;
 * SP_EXIT_DATA (nothing written) when no series has a finite value;
 * SP_EXIT_USAGE for invalid arguments. */
int
sp_svg_radar(sp_svg_buf_t *b, const sp_svg_radar_t *r);

/* ---- bars ----------------------------------------------------------------- */

typedef struct sp_svg_bars_t {
    sp_svg_head_t head;                /* default 480 x 260 */
    int horizontal;                    /* 1: bars go right, labels at the left */
    size_t n;                          /* >= 1 */
    const char *const *labels;         /* n category labels */
    const double *values;              /* n values; NAN: no bar */
    double limit;                      /* NAN: no limit line */
    const char *limit_label;           /* e.g. "limit 220000" (may be NULL) */
    const double *trend;               /* n trend values (NAN skipped) or NULL */
    const char *trend_label;           /* may be NULL */
    const char *unit;                  /* axis unit (may be NULL) */
} sp_svg_bars_t;

/* Draw bars.  The value scale runs from lo = min(0, every finite value,
 * limit, trend) to hi = max(0, the same); when hi == lo, hi = lo + 1.
 * Vertical: plot area x0 = SP_SVG_LEFT, x1 = width - SP_SVG_RIGHT, y0 =
 * SP_SVG_TOP, y1 = height - SP_SVG_BOTTOM; band = (x1 - x0) / n; bar i
 * spans x0 + band (i + 0.15) to x0 + band (i + 0.85) and from y(0) to
 * y(v), y(v) = y1 - (v - lo) / (hi - lo) (y1 - y0).  Horizontal: the same
 * with x and y swapped (bands from the top, values from left to right,
 * x0 = SP_SVG_LEFT * 2 to leave room for labels).  The limit is a dashed
 * line across the plot; the trend a polyline through the band centres.
 * Returns SP_OK, SP_EXIT_DATA when no value is finite (nothing written),
 * SP_EXIT_USAGE for invalid arguments. */
int
sp_svg_bars(sp_svg_buf_t *b, const sp_svg_bars_t *c);

/* ---- lines ---------------------------------------------------------------- */

typedef struct sp_svg_line_t {
    const char *name;
    const double *y;                   /* n values; NAN (or <= 0 on a log
                                          scale) leaves a gap */
    int dashed;                        /* 1: a target or a projection */
} sp_svg_line_t;

typedef struct sp_svg_lines_t {
    sp_svg_head_t head;                /* default 520 x 280 */
    size_t n;                          /* points per series, >= 1 */
    const char *const *xlabels;        /* n labels of the x axis */
    size_t nseries;                    /* 1..8 */
    const sp_svg_line_t *series;
    int log_scale;                     /* 1: log10 axis (doublings are straight) */
    double reference;                  /* NAN: none; else a dotted horizontal line */
    const char *reference_label;
    const char *unit;
} sp_svg_lines_t;

/* Draw lines.  x(i) = x0 + i (x1 - x0) / (n - 1) (the middle when n = 1).
 * Linear scale: lo = min(0, values, reference), hi = max(values,
 * reference), y as for bars.  Log scale: lo = 10^floor(log10(smallest
 * positive)), hi = 10^ceil(log10(largest)), y(v) = y1 - (log10 v -
 * log10 lo) / (log10 hi - log10 lo) (y1 - y0), a tick per power of ten.
 * Points are marked with small circles; the legend names the series.
 * Returns as sp_svg_bars. */
int
sp_svg_lines(sp_svg_buf_t *b, const sp_svg_lines_t *c);

/* ---- distribution --------------------------------------------------------- */

typedef struct sp_svg_hist_t {
    sp_svg_head_t head;                /* default 560 x 280 */
    size_t nbins;                      /* >= 1, in order (e.g. bands of CO2e) */
    const char *const *bins;
    size_t ngroups;                    /* 1..8 (e.g. neighbourhoods) */
    const char *const *groups;
    const double *counts;              /* ngroups x nbins, group after group;
                                          NAN: suppressed by the caller */
    double min_cell;                   /* counts in (0, min_cell) are
                                          suppressed here too; <= 0: 5 */
    const double *totals;              /* ngroups: each group's total, the
                                          suppressed counts included (NAN:
                                          withheld, the group is left out);
                                          NULL: the sum of the counts */
    const char *unit;                  /* of the bins (may be NULL) */
} sp_svg_hist_t;

/* Draw, per bin, one bar per group: the share (%) of the group's
 * households (or persons) in that bin, so groups of different sizes
 * compare.  A group whose total is below min_cell is left out (not
 * drawn, not named); a suppressed count is drawn as an "x" on the base
 * line, never as a bar.  The legend sits below the plot in two columns,
 * which adds 18 pixels per two groups to the height.  Scale and bands as sp_svg_bars with lo = 0 and
 * hi = the largest share drawn.  Returns SP_OK, SP_EXIT_DATA when nothing
 * can be drawn, SP_EXIT_USAGE for invalid arguments. */
int
sp_svg_hist(sp_svg_buf_t *b, const sp_svg_hist_t *c);

/* The colours of series, in order (Okabe-Ito, safe for colour blindness). */
extern const char *const sp_svg_palette[8];

#endif
