/*
 * sp_svg.c -- inline SVG charts for the report (see sp_svg.h): a text
 * buffer with XML escaping and safe number printing, then one function per
 * kind of chart.  Each chart computes its geometry from the formulas of
 * the header, writes a frame (svg, title, desc), its axes and marks, and a
 * legend.  Nothing here knows about the workspace: the report hands plain
 * arrays in and gets text out.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "sp_svg.h"

#define SVG_PI 3.14159265358979323846

const char *const sp_svg_palette[8] = {
    "#0072B2", "#D55E00", "#009E73", "#CC79A7",
    "#E69F00", "#56B4E9", "#000000", "#F0E442"
};

struct sp_svg_buf_t {
    apr_pool_t *pool;
    char *text;
    size_t len, cap;
};

sp_svg_buf_t *
sp_svg_buf_create(apr_pool_t *pool)
{
    sp_svg_buf_t *b = apr_palloc(pool, sizeof *b);

    b->pool = pool;
    b->cap = 1024;
    b->len = 0;
    b->text = apr_palloc(pool, b->cap);
    b->text[0] = '\0';
    return b;
}

/* Make room for n more bytes and the NUL. */
static void
reserve(sp_svg_buf_t *b, size_t n)
{
    char *bigger;

    if (b->len + n + 1 <= b->cap)
        return;
    while (b->len + n + 1 > b->cap)
        b->cap *= 2;
    bigger = apr_palloc(b->pool, b->cap);
    memcpy(bigger, b->text, b->len + 1);
    b->text = bigger;
}

static void
append(sp_svg_buf_t *b, const char *s, size_t n)
{
    reserve(b, n);
    memcpy(b->text + b->len, s, n);
    b->len += n;
    b->text[b->len] = '\0';
}

void
sp_svg_printf(sp_svg_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->text + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void
sp_svg_puts(sp_svg_buf_t *b, const char *text)
{
    if (text)
        append(b, text, strlen(text));
}

void
sp_svg_escape(sp_svg_buf_t *b, const char *text)
{
    const unsigned char *p;
    const unsigned char *run;

    if (text == NULL)
        return;
    for (p = run = (const unsigned char *)text; *p; p++) {
        const char *ent = NULL;

        switch (*p) {
        case '&': ent = "&amp;"; break;
        case '<': ent = "&lt;"; break;
        case '>': ent = "&gt;"; break;
        case '"': ent = "&quot;"; break;
        case '\'': ent = "&#39;"; break;
        case '\t': case '\n': case '\r': continue;
        default:
            if (*p >= 0x20)
                continue;
            ent = "";   /* a control byte XML cannot hold */
        }
        append(b, (const char *)run, (size_t)(p - run));
        append(b, ent, strlen(ent));
        run = p + 1;
    }
    append(b, (const char *)run, (size_t)(p - run));
}

void
sp_svg_num(sp_svg_buf_t *b, double v)
{
    char tmp[64];
    size_t n;

    if (!isfinite(v))
        v = 0;
    else if (fabs(v) > 1e15)   /* keeps the text short; no chart is that big */
        v = v < 0 ? -1e15 : 1e15;
    snprintf(tmp, sizeof tmp, "%.2f", v);
    n = strlen(tmp);
    while (n > 0 && tmp[n - 1] == '0')
        tmp[--n] = '\0';
    if (n > 0 && tmp[n - 1] == '.')
        tmp[--n] = '\0';
    if (strcmp(tmp, "-0") == 0)
        strcpy(tmp, "0");
    append(b, tmp, strlen(tmp));
}

const char *
sp_svg_text(const sp_svg_buf_t *b)
{
    return b->text;
}

size_t
sp_svg_len(const sp_svg_buf_t *b)
{
    return b->len;
}

/* ---- shared pieces -------------------------------------------------------- */

/* A number as a short label ("1.5k" would be ambiguous across languages,
 * so plain digits: up to 3 significant decimals). */
static void
label_num(sp_svg_buf_t *b, double v)
{
    char tmp[64];

    if (!isfinite(v))
        v = 0;
    if (fabs(v) >= 1000 || v == floor(v))
        snprintf(tmp, sizeof tmp, "%.0f", v);
    else
        snprintf(tmp, sizeof tmp, "%.3g", v);
    if (strcmp(tmp, "-0") == 0)
        strcpy(tmp, "0");
    sp_svg_puts(b, tmp);
}

static int
valid_id(const char *id)
{
    if (id == NULL || *id == '\0')
        return 0;
    for (; *id; id++)
        if (!((*id >= 'a' && *id <= 'z') || (*id >= 'A' && *id <= 'Z')
              || (*id >= '0' && *id <= '9') || *id == '-' || *id == '_'))
            return 0;
    return 1;
}

static void
open_svg(sp_svg_buf_t *b, const sp_svg_head_t *h, const char *cls, double w, double ht)
{
    sp_svg_printf(b, "<svg class=\"chart %s\" role=\"img\" aria-labelledby=\"%s-title %s-desc\""
                     " viewBox=\"0 0 ", cls, h->id, h->id);
    sp_svg_num(b, w);
    sp_svg_puts(b, " ");
    sp_svg_num(b, ht);
    sp_svg_puts(b, "\" width=\"");
    sp_svg_num(b, w);
    sp_svg_puts(b, "\" height=\"");
    sp_svg_num(b, ht);
    sp_svg_printf(b, "\" font-family=\"sans-serif\" font-size=\"11\"><title id=\"%s-title\">",
                  h->id);
    sp_svg_escape(b, h->title);
    sp_svg_printf(b, "</title><desc id=\"%s-desc\">", h->id);
    sp_svg_escape(b, h->desc ? h->desc : h->title);
    sp_svg_puts(b, "</desc>");
}

/* <line> from (x1,y1) to (x2,y2) with extra attributes. */
static void
line(sp_svg_buf_t *b, double x1, double y1, double x2, double y2, const char *attrs)
{
    sp_svg_puts(b, "<line x1=\"");
    sp_svg_num(b, x1);
    sp_svg_puts(b, "\" y1=\"");
    sp_svg_num(b, y1);
    sp_svg_puts(b, "\" x2=\"");
    sp_svg_num(b, x2);
    sp_svg_puts(b, "\" y2=\"");
    sp_svg_num(b, y2);
    sp_svg_printf(b, "\" %s/>", attrs);
}

/* <text> at (x, y), escaped content. */
static void
text(sp_svg_buf_t *b, double x, double y, const char *attrs, const char *s)
{
    sp_svg_puts(b, "<text x=\"");
    sp_svg_num(b, x);
    sp_svg_puts(b, "\" y=\"");
    sp_svg_num(b, y);
    sp_svg_printf(b, "\" %s>", attrs);
    sp_svg_escape(b, s);
    sp_svg_puts(b, "</text>");
}

static void
rect(sp_svg_buf_t *b, double x, double y, double w, double h, const char *fill,
     const char *label)
{
    sp_svg_puts(b, "<rect x=\"");
    sp_svg_num(b, x);
    sp_svg_puts(b, "\" y=\"");
    sp_svg_num(b, y);
    sp_svg_puts(b, "\" width=\"");
    sp_svg_num(b, w);
    sp_svg_puts(b, "\" height=\"");
    sp_svg_num(b, h);
    sp_svg_printf(b, "\" fill=\"%s\"", fill);
    if (label) {
        sp_svg_puts(b, "><title>");
        sp_svg_escape(b, label);
        sp_svg_puts(b, "</title></rect>");
    } else {
        sp_svg_puts(b, "/>");
    }
}

static void
circle(sp_svg_buf_t *b, double x, double y, double r, const char *fill)
{
    sp_svg_puts(b, "<circle cx=\"");
    sp_svg_num(b, x);
    sp_svg_puts(b, "\" cy=\"");
    sp_svg_num(b, y);
    sp_svg_puts(b, "\" r=\"");
    sp_svg_num(b, r);
    sp_svg_printf(b, "\" fill=\"%s\"/>", fill);
}

/* A legend of n entries in one column starting at (x, y). */
static void
legend(sp_svg_buf_t *b, double x, double y, size_t n, const char *const *names,
       const int *dashed)
{
    size_t i;
    char attrs[160];

    sp_svg_puts(b, "<g class=\"legend\">");
    for (i = 0; i < n; i++) {
        double yy = y + 18.0 * (double)i;

        snprintf(attrs, sizeof attrs, "stroke=\"%s\" stroke-width=\"3\"%s",
                 sp_svg_palette[i % 8], dashed && dashed[i] ? " stroke-dasharray=\"6 3\"" : "");
        line(b, x, yy - 4, x + 18, yy - 4, attrs);
        text(b, x + 24, yy, "fill=\"#222\"", names[i]);
    }
    sp_svg_puts(b, "</g>");
}

/* A legend whose colours start at palette index first. */
static void
legend_from(sp_svg_buf_t *b, double x, double y, size_t n, const char *const *names,
            size_t first)
{
    size_t i;
    char attrs[96];

    sp_svg_puts(b, "<g class=\"legend\">");
    for (i = 0; i < n; i++) {
        double yy = y + 18.0 * (double)i;

        snprintf(attrs, sizeof attrs, "stroke=\"%s\" stroke-width=\"3\"",
                 sp_svg_palette[(first + i) % 8]);
        line(b, x, yy - 4, x + 18, yy - 4, attrs);
        text(b, x + 24, yy, "fill=\"#222\"", names[i]);
    }
    sp_svg_puts(b, "</g>");
}

/* Smallest and largest finite values of v[0..n-1] folded into *lo, *hi. */
static int
fold(const double *v, size_t n, double *lo, double *hi)
{
    size_t i;
    int any = 0;

    for (i = 0; v && i < n; i++)
        if (isfinite(v[i])) {
            any = 1;
            if (v[i] < *lo)
                *lo = v[i];
            if (v[i] > *hi)
                *hi = v[i];
        }
    return any;
}

/* Four or five round tick values covering [lo, hi]. */
static double
tick_step(double lo, double hi)
{
    double span = hi - lo, mag, step;

    if (!(span > 0))
        return 1;
    mag = pow(10, floor(log10(span / 4)));
    step = mag;
    if (span / step > 8)
        step = 2 * mag;
    if (span / step > 8)
        step = 5 * mag;
    if (span / step > 8)
        step = 10 * mag;
    return step;
}

/* ---- radar ---------------------------------------------------------------- */

int
sp_svg_radar(sp_svg_buf_t *b, const sp_svg_radar_t *r)
{
    double s, R, cx, cy, h;
    size_t i, k, a;
    unsigned rings, j;
    int any = 0;
    const char **names;

    if (b == NULL || r == NULL || !valid_id(r->head.id) || r->head.title == NULL
        || r->naxes < 3 || r->axes == NULL || !(r->max > r->min) || !isfinite(r->min)
        || !isfinite(r->max) || r->nseries < 1 || r->nseries > 8 || r->series == NULL)
        return SP_EXIT_USAGE;
    for (k = 0; k < r->nseries; k++)
        for (i = 0; i < r->naxes; i++)
            if (r->series[k].values && isfinite(r->series[k].values[i]))
                any = 1;
    if (!any)
        return SP_EXIT_DATA;
    s = r->head.width > 0 ? r->head.width : 360;
    R = s / 2 - SP_SVG_RADAR_MARGIN;
    if (R < 10)
        return SP_EXIT_USAGE;
    cx = cy = s / 2;
    h = s + 18.0 * (double)r->nseries + 4;
    rings = r->rings ? r->rings : 4;
    open_svg(b, &r->head, "radar", s, h);

    /* Rings with their scale labels, then the axes with their names. */
    sp_svg_puts(b, "<g class=\"grid\" fill=\"none\" stroke=\"#bbb\">");
    for (j = 1; j <= rings; j++) {
        double rr = R * j / rings;

        sp_svg_puts(b, "<polygon points=\"");
        for (a = 0; a < r->naxes; a++) {
            double ang = (-90.0 + 360.0 * (double)a / (double)r->naxes) * SVG_PI / 180.0;

            if (a)
                sp_svg_puts(b, " ");
            sp_svg_num(b, cx + rr * cos(ang));
            sp_svg_puts(b, ",");
            sp_svg_num(b, cy + rr * sin(ang));
        }
        sp_svg_puts(b, "\"/>");
    }
    for (a = 0; a < r->naxes; a++) {
        double ang = (-90.0 + 360.0 * (double)a / (double)r->naxes) * SVG_PI / 180.0;

        line(b, cx, cy, cx + R * cos(ang), cy + R * sin(ang), "");
    }
    sp_svg_puts(b, "</g><g class=\"scale\" fill=\"#555\" font-size=\"9\">");
    for (j = 0; j <= rings; j++) {
        char lab[64];
        double v = r->min + (r->max - r->min) * j / rings;

        snprintf(lab, sizeof lab, "%g", fabs(v) < 1e-12 ? 0.0 : v);
        text(b, cx + 3, cy - R * j / rings - 2, "", lab);
    }
    sp_svg_puts(b, "</g><g class=\"axes\" fill=\"#222\">");
    for (a = 0; a < r->naxes; a++) {
        double ang = (-90.0 + 360.0 * (double)a / (double)r->naxes) * SVG_PI / 180.0;
        double c = cos(ang), lx = cx + (R + 14) * c, ly = cy + (R + 14) * sin(ang) + 4;
        const char *anchor = c > 0.2 ? "text-anchor=\"start\""
                             : c < -0.2 ? "text-anchor=\"end\"" : "text-anchor=\"middle\"";

        text(b, lx, ly, anchor, r->axes[a]);
    }
    sp_svg_puts(b, "</g>");

    /* The series. */
    for (k = 0; k < r->nseries; k++) {
        const double *v = r->series[k].values;
        const char *col = sp_svg_palette[k];
        int complete = v != NULL;

        for (i = 0; v && i < r->naxes; i++)
            if (!isfinite(v[i]))
                complete = 0;
        sp_svg_printf(b, "<g class=\"series\" data-series=\"%lu\">", (unsigned long)k);
        if (complete) {
            sp_svg_printf(b, "<polygon fill=\"%s\" fill-opacity=\"0.12\" stroke=\"%s\""
                             " stroke-width=\"2\" points=\"", col, col);
            for (a = 0; a < r->naxes; a++) {
                double ang = (-90.0 + 360.0 * (double)a / (double)r->naxes) * SVG_PI / 180.0;
                double f = (v[a] - r->min) / (r->max - r->min);

                f = f < 0 ? 0 : f > 1 ? 1 : f;
                if (a)
                    sp_svg_puts(b, " ");
                sp_svg_num(b, cx + R * f * cos(ang));
                sp_svg_puts(b, ",");
                sp_svg_num(b, cy + R * f * sin(ang));
            }
            sp_svg_puts(b, "\"/>");
        }
        for (a = 0; v && a < r->naxes; a++) {
            double ang = (-90.0 + 360.0 * (double)a / (double)r->naxes) * SVG_PI / 180.0;
            double f;

            if (!isfinite(v[a]))
                continue;
            f = (v[a] - r->min) / (r->max - r->min);
            f = f < 0 ? 0 : f > 1 ? 1 : f;
            circle(b, cx + R * f * cos(ang), cy + R * f * sin(ang), 3, col);
        }
        sp_svg_puts(b, "</g>");
    }
    names = apr_palloc(b->pool, r->nseries * sizeof *names);
    for (k = 0; k < r->nseries; k++)
        names[k] = r->series[k].name ? r->series[k].name : "";
    legend(b, 12, s + 10, r->nseries, names, NULL);
    sp_svg_puts(b, "</svg>");
    return SP_OK;
}

/* ---- bars ----------------------------------------------------------------- */

/* Position of v on a scale from lo to hi mapped to [p0, p1] (p0 for lo). */
static double
scale(double v, double lo, double hi, double p0, double p1)
{
    return p0 + (v - lo) / (hi - lo) * (p1 - p0);
}

/* Value ticks along the value axis of a linear chart. */
static void
value_ticks(sp_svg_buf_t *b, double lo, double hi, int horizontal, double x0, double x1,
            double y0, double y1)
{
    double step = tick_step(lo, hi), t;
    int guard = 0;

    sp_svg_puts(b, "<g class=\"ticks\" fill=\"#555\" stroke=\"none\">");
    for (t = ceil(lo / step) * step; t <= hi + step * 1e-9 && guard < 50; t += step, guard++) {
        double p;

        if (horizontal) {
            p = scale(t, lo, hi, x0, x1);
            line(b, p, y0, p, y1, "stroke=\"#ddd\"");
            sp_svg_puts(b, "<text x=\"");
            sp_svg_num(b, p);
            sp_svg_puts(b, "\" y=\"");
            sp_svg_num(b, y1 + 14);
            sp_svg_puts(b, "\" text-anchor=\"middle\">");
        } else {
            p = scale(t, lo, hi, y1, y0);
            line(b, x0, p, x1, p, "stroke=\"#ddd\"");
            sp_svg_puts(b, "<text x=\"");
            sp_svg_num(b, x0 - 4);
            sp_svg_puts(b, "\" y=\"");
            sp_svg_num(b, p + 4);
            sp_svg_puts(b, "\" text-anchor=\"end\">");
        }
        label_num(b, fabs(t) < step * 1e-9 ? 0 : t);
        sp_svg_puts(b, "</text>");
    }
    sp_svg_puts(b, "</g>");
}

int
sp_svg_bars(sp_svg_buf_t *b, const sp_svg_bars_t *c)
{
    double w, h, x0, x1, y0, y1, lo = 0, hi = 0, band;
    size_t i;
    int hz;

    if (b == NULL || c == NULL || !valid_id(c->head.id) || c->head.title == NULL || c->n < 1
        || c->labels == NULL || c->values == NULL)
        return SP_EXIT_USAGE;
    if (!fold(c->values, c->n, &lo, &hi))
        return SP_EXIT_DATA;
    if (isfinite(c->limit))
        fold(&c->limit, 1, &lo, &hi);
    fold(c->trend, c->n, &lo, &hi);
    if (hi == lo)
        hi = lo + 1;
    hz = c->horizontal != 0;
    w = c->head.width > 0 ? c->head.width : 480;
    h = c->head.height > 0 ? c->head.height : 260;
    x0 = hz ? 2 * SP_SVG_LEFT : SP_SVG_LEFT;
    x1 = w - SP_SVG_RIGHT;
    y0 = SP_SVG_TOP;
    y1 = h - SP_SVG_BOTTOM;
    if (x1 - x0 < 10 || y1 - y0 < 10)
        return SP_EXIT_USAGE;
    band = ((hz ? y1 - y0 : x1 - x0)) / (double)c->n;
    open_svg(b, &c->head, hz ? "bars horizontal" : "bars", w, h);
    value_ticks(b, lo, hi, hz, x0, x1, y0, y1);
    sp_svg_puts(b, "<g class=\"bars\">");
    for (i = 0; i < c->n; i++) {
        double v = c->values[i], a, z, lo_p, hi_p;
        char lab[160];

        if (!isfinite(v))
            continue;
        a = band * ((double)i + 0.15);
        if (hz) {
            z = scale(0, lo, hi, x0, x1);
            lo_p = fmin(z, scale(v, lo, hi, x0, x1));
            hi_p = fmax(z, scale(v, lo, hi, x0, x1));
            snprintf(lab, sizeof lab, "%s: %.6g", c->labels[i] ? c->labels[i] : "", v);
            rect(b, lo_p, y0 + a, hi_p - lo_p, band * 0.7, sp_svg_palette[0], lab);
        } else {
            z = scale(0, lo, hi, y1, y0);
            lo_p = fmin(z, scale(v, lo, hi, y1, y0));
            hi_p = fmax(z, scale(v, lo, hi, y1, y0));
            snprintf(lab, sizeof lab, "%s: %.6g", c->labels[i] ? c->labels[i] : "", v);
            rect(b, x0 + a, lo_p, band * 0.7, hi_p - lo_p, sp_svg_palette[0], lab);
        }
    }
    sp_svg_puts(b, "</g><g class=\"labels\" fill=\"#222\">");
    for (i = 0; i < c->n; i++) {
        double mid = band * ((double)i + 0.5);

        if (hz)
            text(b, x0 - 4, y0 + mid + 4, "text-anchor=\"end\"", c->labels[i]);
        else
            text(b, x0 + mid, y1 + 14, "text-anchor=\"middle\"", c->labels[i]);
    }
    sp_svg_puts(b, "</g>");
    /* The base line at zero. */
    if (hz)
        line(b, scale(0, lo, hi, x0, x1), y0, scale(0, lo, hi, x0, x1), y1,
             "stroke=\"#333\"");
    else
        line(b, x0, scale(0, lo, hi, y1, y0), x1, scale(0, lo, hi, y1, y0),
             "stroke=\"#333\"");
    if (c->trend) {
        int started = 0;

        sp_svg_printf(b, "<polyline class=\"trend\" fill=\"none\" stroke=\"%s\""
                         " stroke-width=\"2\" points=\"", sp_svg_palette[4]);
        for (i = 0; i < c->n; i++) {
            double mid = band * ((double)i + 0.5);

            if (!isfinite(c->trend[i]))
                continue;
            if (started++)
                sp_svg_puts(b, " ");
            if (hz) {
                sp_svg_num(b, scale(c->trend[i], lo, hi, x0, x1));
                sp_svg_puts(b, ",");
                sp_svg_num(b, y0 + mid);
            } else {
                sp_svg_num(b, x0 + mid);
                sp_svg_puts(b, ",");
                sp_svg_num(b, scale(c->trend[i], lo, hi, y1, y0));
            }
        }
        sp_svg_puts(b, "\"/>");
    }
    if (isfinite(c->limit)) {
        char attrs[] = "class=\"limit\" stroke=\"#D55E00\" stroke-width=\"2\" stroke-dasharray=\"6 4\"";

        if (hz) {
            double p = scale(c->limit, lo, hi, x0, x1);

            line(b, p, y0 - 6, p, y1, attrs);
            if (c->limit_label)
                text(b, p, y0 - 9, "fill=\"#D55E00\" text-anchor=\"middle\"", c->limit_label);
        } else {
            double p = scale(c->limit, lo, hi, y1, y0);

            line(b, x0, p, x1, p, attrs);
            if (c->limit_label)
                text(b, x1, p - 4, "fill=\"#D55E00\" text-anchor=\"end\"", c->limit_label);
        }
    }
    {
        double ly = h - 12, lx = x0;

        if (c->unit)
            text(b, 4, 14, "fill=\"#555\"", c->unit);
        if (c->trend && c->trend_label) {
            line(b, lx, ly - 4, lx + 18, ly - 4, "stroke=\"#E69F00\" stroke-width=\"2\"");
            text(b, lx + 22, ly, "", c->trend_label);
        }
    }
    sp_svg_puts(b, "</svg>");
    return SP_OK;
}

/* ---- lines ---------------------------------------------------------------- */

int
sp_svg_lines(sp_svg_buf_t *b, const sp_svg_lines_t *c)
{
    double w, h, x0, x1, y0, y1, lo = INFINITY, hi = -INFINITY, llo = 0, lhi = 1;
    size_t i, k, every;
    int any = 0;
    const char **names;
    int *dashed;

    if (b == NULL || c == NULL || !valid_id(c->head.id) || c->head.title == NULL || c->n < 1
        || c->xlabels == NULL || c->nseries < 1 || c->nseries > 8 || c->series == NULL)
        return SP_EXIT_USAGE;
    for (k = 0; k < c->nseries; k++)
        for (i = 0; c->series[k].y && i < c->n; i++) {
            double v = c->series[k].y[i];

            if (!isfinite(v) || (c->log_scale && v <= 0))
                continue;
            any = 1;
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
    if (!any)
        return SP_EXIT_DATA;
    if (isfinite(c->reference) && (!c->log_scale || c->reference > 0)) {
        lo = fmin(lo, c->reference);
        hi = fmax(hi, c->reference);
    }
    if (c->log_scale) {
        llo = floor(log10(lo));
        lhi = ceil(log10(hi));
        if (lhi <= llo)
            lhi = llo + 1;
    } else {
        lo = fmin(lo, 0);
        if (hi <= lo)
            hi = lo + 1;
    }
    w = c->head.width > 0 ? c->head.width : 520;
    h = c->head.height > 0 ? c->head.height : 280;
    x0 = SP_SVG_LEFT;
    x1 = w - SP_SVG_RIGHT;
    y0 = SP_SVG_TOP;
    y1 = h - SP_SVG_BOTTOM;
    if (x1 - x0 < 10 || y1 - y0 < 10)
        return SP_EXIT_USAGE;
    open_svg(b, &c->head, c->log_scale ? "lines log" : "lines", w, h);
#define XPOS(i) (c->n == 1 ? (x0 + x1) / 2 : x0 + (double)(i) * (x1 - x0) / (double)(c->n - 1))
#define YPOS(v) (c->log_scale ? scale(log10(v), llo, lhi, y1, y0) : scale((v), lo, hi, y1, y0))
    if (c->log_scale) {
        double e;

        sp_svg_puts(b, "<g class=\"ticks\" fill=\"#555\">");
        for (e = llo; e <= lhi + 1e-9; e += 1) {
            double p = scale(e, llo, lhi, y1, y0);

            line(b, x0, p, x1, p, "stroke=\"#ddd\"");
            sp_svg_puts(b, "<text x=\"");
            sp_svg_num(b, x0 - 4);
            sp_svg_puts(b, "\" y=\"");
            sp_svg_num(b, p + 4);
            sp_svg_puts(b, "\" text-anchor=\"end\">");
            label_num(b, pow(10, e));
            sp_svg_puts(b, "</text>");
        }
        sp_svg_puts(b, "</g>");
    } else {
        value_ticks(b, lo, hi, 0, x0, x1, y0, y1);
    }
    line(b, x0, y1, x1, y1, "stroke=\"#333\"");
    every = c->n > 12 ? (c->n + 11) / 12 : 1;
    sp_svg_puts(b, "<g class=\"labels\" fill=\"#222\">");
    for (i = 0; i < c->n; i += every)
        text(b, XPOS(i), y1 + 14, "text-anchor=\"middle\"", c->xlabels[i]);
    sp_svg_puts(b, "</g>");
    if (isfinite(c->reference) && (!c->log_scale || c->reference > 0)) {
        double p = YPOS(c->reference);

        line(b, x0, p, x1, p, "class=\"reference\" stroke=\"#555\" stroke-dasharray=\"2 3\"");
        if (c->reference_label)
            text(b, x1, p - 4, "fill=\"#555\" text-anchor=\"end\"", c->reference_label);
    }
    for (k = 0; k < c->nseries; k++) {
        const char *col = sp_svg_palette[k];
        int pen = 0;

        sp_svg_printf(b, "<g class=\"series\" data-series=\"%lu\"><path fill=\"none\" stroke=\"%s\""
                         " stroke-width=\"2\"%s d=\"", (unsigned long)k, col,
                      c->series[k].dashed ? " stroke-dasharray=\"6 3\"" : "");
        for (i = 0; c->series[k].y && i < c->n; i++) {
            double v = c->series[k].y[i];

            if (!isfinite(v) || (c->log_scale && v <= 0)) {
                pen = 0;
                continue;
            }
            sp_svg_puts(b, pen ? " L" : (i ? " M" : "M"));
            sp_svg_num(b, XPOS(i));
            sp_svg_puts(b, " ");
            sp_svg_num(b, YPOS(v));
            pen = 1;
        }
        sp_svg_puts(b, "\"/>");
        for (i = 0; c->series[k].y && i < c->n; i++) {
            double v = c->series[k].y[i];

            if (!isfinite(v) || (c->log_scale && v <= 0))
                continue;
            circle(b, XPOS(i), YPOS(v), 2.5, col);
        }
        sp_svg_puts(b, "</g>");
    }
#undef XPOS
#undef YPOS
    names = apr_palloc(b->pool, c->nseries * sizeof *names);
    dashed = apr_palloc(b->pool, c->nseries * sizeof *dashed);
    for (k = 0; k < c->nseries; k++) {
        names[k] = c->series[k].name ? c->series[k].name : "";
        dashed[k] = c->series[k].dashed;
    }
    legend(b, x0 + 8, y0 + 12, c->nseries, names, dashed);
    if (c->unit)
        text(b, 4, 14, "fill=\"#555\"", c->unit);
    sp_svg_puts(b, "</svg>");
    return SP_OK;
}

/* ---- distribution --------------------------------------------------------- */

int
sp_svg_hist(sp_svg_buf_t *b, const sp_svg_hist_t *c)
{
    double w, h, x0, x1, y0, y1, hi = 0, band, slot, kmin;
    double *total, *share;
    size_t g, i, nshown = 0;
    const char **names;
    size_t *shown;

    if (b == NULL || c == NULL || !valid_id(c->head.id) || c->head.title == NULL || c->nbins < 1
        || c->bins == NULL || c->ngroups < 1 || c->ngroups > 8 || c->groups == NULL
        || c->counts == NULL)
        return SP_EXIT_USAGE;
    kmin = c->min_cell > 0 ? c->min_cell : 5;
    total = apr_pcalloc(b->pool, c->ngroups * sizeof *total);
    share = apr_palloc(b->pool, c->ngroups * c->nbins * sizeof *share);
    shown = apr_palloc(b->pool, c->ngroups * sizeof *shown);
    /* The shares' denominator: without the caller's totals, a suppressed
     * count would be left out of it and every other share overstated. */
    for (g = 0; g < c->ngroups; g++)
        for (i = 0; i < c->nbins; i++) {
            double v = c->counts[g * c->nbins + i];

            if (c->totals != NULL)
                total[g] = c->totals[g];
            else if (isfinite(v) && v > 0)
                total[g] += v;
        }
    for (g = 0; g < c->ngroups; g++) {
        if (!(total[g] >= kmin))
            continue;
        shown[nshown++] = g;
        for (i = 0; i < c->nbins; i++) {
            double v = c->counts[g * c->nbins + i];

            /* NAN: suppressed by the caller; small: suppressed here. */
            share[g * c->nbins + i] = !isfinite(v) || (v > 0 && v < kmin) ? NAN
                                      : v < 0 ? 0 : 100.0 * v / total[g];
            if (isfinite(share[g * c->nbins + i]) && share[g * c->nbins + i] > hi)
                hi = share[g * c->nbins + i];
        }
    }
    if (nshown == 0 || !(hi > 0))
        return SP_EXIT_DATA;
    w = c->head.width > 0 ? c->head.width : 560;
    h = c->head.height > 0 ? c->head.height : 280;
    x0 = SP_SVG_LEFT;
    x1 = w - SP_SVG_RIGHT;
    y0 = SP_SVG_TOP;
    y1 = h - SP_SVG_BOTTOM;
    if (x1 - x0 < 10 || y1 - y0 < 10)
        return SP_EXIT_USAGE;
    band = (x1 - x0) / (double)c->nbins;
    slot = band * 0.8 / (double)nshown;
    /* The legend goes below the plot, in two columns. */
    open_svg(b, &c->head, "hist", w, h + 18.0 * (double)((nshown + 1) / 2) + 4);
    value_ticks(b, 0, hi, 0, x0, x1, y0, y1);
    for (g = 0; g < nshown; g++) {
        size_t gg = shown[g];

        sp_svg_printf(b, "<g class=\"series\" data-series=\"%lu\">", (unsigned long)g);
        for (i = 0; i < c->nbins; i++) {
            double v = share[gg * c->nbins + i], x = x0 + band * ((double)i + 0.1)
                                                       + slot * (double)g;
            char lab[200];

            if (!isfinite(v)) {
                text(b, x + slot / 2, y1 - 3, "class=\"suppressed\" text-anchor=\"middle\""
                                               " fill=\"#555\"", "x");
                continue;
            }
            snprintf(lab, sizeof lab, "%s, %s: %.1f%%", c->groups[gg], c->bins[i], v);
            rect(b, x, scale(v, 0, hi, y1, y0), slot * 0.9, y1 - scale(v, 0, hi, y1, y0),
                 sp_svg_palette[g], lab);
        }
        sp_svg_puts(b, "</g>");
    }
    line(b, x0, y1, x1, y1, "stroke=\"#333\"");
    sp_svg_puts(b, "<g class=\"labels\" fill=\"#222\">");
    for (i = 0; i < c->nbins; i++)
        text(b, x0 + band * ((double)i + 0.5), y1 + 14, "text-anchor=\"middle\"", c->bins[i]);
    sp_svg_puts(b, "</g>");
    text(b, 4, 14, "fill=\"#555\"", "%");
    if (c->unit)
        text(b, x1, y1 + 32, "fill=\"#555\" text-anchor=\"end\"", c->unit);
    names = apr_palloc(b->pool, nshown * sizeof *names);
    for (g = 0; g < nshown; g++)
        names[g] = c->groups[shown[g]];
    {
        size_t half = (nshown + 1) / 2;

        legend(b, x0, h + 10, half, names, NULL);
        sp_svg_puts(b, "<g transform=\"translate(");
        sp_svg_num(b, (x1 - x0) / 2);
        sp_svg_puts(b, ",0)\">");
        legend_from(b, x0, h + 10, nshown - half, names + half, half);
        sp_svg_puts(b, "</g>");
    }
    sp_svg_puts(b, "</svg>");
    return SP_OK;
}
