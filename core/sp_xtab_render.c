/*
 * sp_xtab_render.c -- a computed cross-tabulation as JSON, long CSV or text.
 *
 * Reads a table only through the accessors of sp_xtab.h (sp_xtab_cell()
 * applies disclosure control), so a renderer cannot print a suppressed
 * value.  JSON is built with jansson in a fixed key order and printed with
 * 17 significant digits; CSV is long (one line per value) for spreadsheets
 * and R; text pads labels by display width (utf8proc) for terminals.  An
 * absent value is never printed as a number: null in JSON, an empty field
 * in CSV, "." in text, each with its reason.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>
#include <jansson.h>
#include <utf8proc.h>

#include "sp_sdc.h"
#include "sp_xtab.h"
#include "sp_export.h"

#define T SP_XTAB_TOTAL

void
sp_xtab_render_options_init(sp_xtab_render_options_t *opt)
{
    opt->sep = ',';
    opt->decimal_comma = 0;
    opt->cells = 0;
}

static int
not_computed(const sp_xtab_t *xt, apr_pool_t *pool, sp_error_t **err)
{
    if (sp_xtab_is_computed(xt))
        return SP_OK;
    return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                        "cross-tabulation rendered before sp_xtab_compute()");
}

/* The options to render with: *opt, or the defaults when opt is NULL. */
static sp_xtab_render_options_t
options_of(const sp_xtab_render_options_t *opt)
{
    sp_xtab_render_options_t o;

    sp_xtab_render_options_init(&o);
    if (opt)
        o = *opt;
    return o;
}

/* ---- a growing string (malloc'd; copied into the pool at the end) ------- */

typedef struct buf_t {
    char *s;
    size_t len, cap;
} buf_t;

static void
buf_add(buf_t *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p)
            abort();  /* out of memory aborts, as the pools do */
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void
buf_puts(buf_t *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void
buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
buf_printf(buf_t *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof tmp) {
        buf_add(b, tmp, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big)
        abort();
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf_add(b, big, (size_t)n);
    free(big);
}

static const char *
buf_finish(buf_t *b, apr_pool_t *pool)
{
    const char *s = apr_pstrdup(pool, b->s ? b->s : "");
    free(b->s);
    b->s = NULL;
    return s;
}

/* ---- JSON --------------------------------------------------------------- */

/* The records left out for a missing value are people too: 1..K-1 of
 * them are withheld like a small cell (unless no_suppress). */
static int
missing_withheld(const sp_xtab_t *xt)
{
    const sp_xtab_options_t *o = sp_xtab_options(xt);
    double mr, mw;

    sp_xtab_missing(xt, &mr, &mw);
    return !o->no_suppress && sp_sdc_small(mr, o->min_cell);
}

static json_t *
jnum(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *
jdim(const sp_xtab_t *xt, sp_xtab_dim_t dim, size_t n)
{
    json_t *o = json_object(), *levels = json_array();
    const char *var = sp_xtab_var(xt, dim);
    json_object_set_new(o, "var", var ? json_string(var) : json_null());
    for (size_t i = 0; i < n; i++)
        json_array_append_new(levels, json_string(sp_xtab_label(xt, dim, i)));
    json_object_set_new(o, "levels", levels);
    return o;
}

/* Value of one cell or margin: a number, or null (reason into notes). */
static json_t *
jcell(const sp_xtab_t *xt, size_t t, sp_xtab_cell_kind_t k, size_t r, size_t c)
{
    double v;
    if (sp_xtab_cell(xt, t, k, r, c, &v, NULL) == SP_XTAB_SHOWN)
        return jnum(v);
    return json_null();
}

static json_t *
jmatrix(const sp_xtab_t *xt, size_t t, sp_xtab_cell_kind_t k)
{
    json_t *m = json_array();
    for (size_t r = 0; r < sp_xtab_nrows(xt); r++) {
        json_t *row = json_array();
        for (size_t c = 0; c < sp_xtab_ncols(xt); c++)
            json_array_append_new(row, jcell(xt, t, k, r, c));
        json_array_append_new(m, row);
    }
    return m;
}

static json_t *
jmargin(const sp_xtab_t *xt, size_t t, sp_xtab_cell_kind_t k, int rows)
{
    json_t *a = json_array();
    size_t n = rows ? sp_xtab_nrows(xt) : sp_xtab_ncols(xt);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, rows ? jcell(xt, t, k, i, T) : jcell(xt, t, k, T, i));
    return a;
}

static json_t *
jchi2(const sp_xtab_stat_t *s)
{
    if (!s->defined)
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "value", jnum(s->value));
    json_object_set_new(o, "df", json_integer((json_int_t)s->df));
    json_object_set_new(o, "p", jnum(s->p));
    return o;
}

static const char *
supp_name(sp_xtab_supp_kind_t k)
{
    return k == SP_XTAB_SUPP_PRIMARY ? "primary" : "secondary";
}

static json_t *
jtable(const sp_xtab_t *xt, size_t t)
{
    json_t *o = json_object();

    json_object_set_new(o, "n", jmatrix(xt, t, SP_XTAB_COUNT));
    json_object_set_new(o, "weighted", jmatrix(xt, t, SP_XTAB_WEIGHTED));
    json_object_set_new(o, "row_totals", jmargin(xt, t, SP_XTAB_WEIGHTED, 1));
    json_object_set_new(o, "col_totals", jmargin(xt, t, SP_XTAB_WEIGHTED, 0));
    json_object_set_new(o, "total", jcell(xt, t, SP_XTAB_WEIGHTED, T, T));
    json_object_set_new(o, "row_totals_n", jmargin(xt, t, SP_XTAB_COUNT, 1));
    json_object_set_new(o, "col_totals_n", jmargin(xt, t, SP_XTAB_COUNT, 0));
    json_object_set_new(o, "total_n", jcell(xt, t, SP_XTAB_COUNT, T, T));
    for (int k = SP_XTAB_ROW_PCT; k < SP_XTAB_N_CELL_KINDS; k++)
        json_object_set_new(o, sp_xtab_cell_keys[k], jmatrix(xt, t, k));

    json_t *chi2 = json_object();
    json_object_set_new(chi2, "pearson", jchi2(sp_xtab_stat(xt, t, SP_XTAB_ST_PEARSON)));
    json_object_set_new(chi2, "lr", jchi2(sp_xtab_stat(xt, t, SP_XTAB_ST_LR)));
    json_object_set_new(chi2, "yates", jchi2(sp_xtab_stat(xt, t, SP_XTAB_ST_YATES)));
    json_object_set_new(o, "chi2", chi2);

    const sp_xtab_stat_t *f = sp_xtab_stat(xt, t, SP_XTAB_ST_FISHER);
    if (f->defined) {
        json_t *fo = json_object();
        json_object_set_new(fo, "two_sided", jnum(f->p));
        json_object_set_new(fo, "less", jnum(f->p_less));
        json_object_set_new(fo, "greater", jnum(f->p_greater));
        json_object_set_new(fo, "one_sided", jnum(f->p_one));
        json_object_set_new(fo, "rounded_counts", json_boolean(sp_xtab_fisher_rounded(xt, t)));
        json_object_set_new(o, "fisher", fo);
    } else {
        json_object_set_new(o, "fisher", json_null());
    }
    static const sp_xtab_stat_kind_t measures[] = { SP_XTAB_ST_PHI, SP_XTAB_ST_CRAMERS_V, SP_XTAB_ST_CC };
    for (size_t i = 0; i < 3; i++) {
        const sp_xtab_stat_t *s = sp_xtab_stat(xt, t, measures[i]);
        json_object_set_new(o, sp_xtab_stat_keys[measures[i]], s->defined ? jnum(s->value) : json_null());
    }

    /* Why each absent statistic is absent. */
    json_t *notes = json_object();
    for (int k = 0; k < SP_XTAB_N_STATS; k++) {
        const sp_xtab_stat_t *s = sp_xtab_stat(xt, t, k);
        if (!s->defined)
            json_object_set_new(notes, sp_xtab_stat_keys[k], json_string(s->why));
    }
    if (sp_xtab_fisher_rounded(xt, t))
        json_object_set_new(notes, "fisher_counts",
                            json_string("weighted counts are not integers: Fisher's test uses them rounded (as PSPP)"));
    json_object_set_new(o, "notes", notes);

    /* Disclosure control. */
    json_t *sup = json_array(), *cells = json_array(), *rows = json_array(), *cols = json_array();
    size_t count;
    const sp_xtab_suppressed_t *list = sp_xtab_suppressed(xt, &count);
    for (size_t i = 0; i < count; i++) {
        const sp_xtab_suppressed_t *s = &list[i];
        if (s->table != t)
            continue;
        if (s->row == T) {
            json_array_append_new(cols, json_integer((json_int_t)s->col));
        } else if (s->col == T) {
            json_array_append_new(rows, json_integer((json_int_t)s->row));
        } else {
            json_array_append_new(sup, json_pack("[II]", (json_int_t)s->row, (json_int_t)s->col));
            json_array_append_new(cells, json_pack("{sIsIss}", "row", (json_int_t)s->row,
                                                   "col", (json_int_t)s->col, "kind", supp_name(s->kind)));
        }
    }
    json_object_set_new(o, "suppressed", sup);
    json_t *so = json_object();
    json_object_set_new(so, "cells", cells);
    json_object_set_new(so, "row_totals", rows);
    json_object_set_new(so, "col_totals", cols);
    json_object_set_new(o, "suppression", so);
    return o;
}

/* The whole result as a jansson object (a new reference). */
struct json_t *
sp_xtab_to_json(const sp_xtab_t *xt)
{
    if (!sp_xtab_is_computed(xt))
        return NULL;
    size_t nl = sp_xtab_nlayers(xt), nt = sp_xtab_ntables(xt);
    const sp_xtab_options_t *opt = sp_xtab_options(xt);
    json_t *o = json_object();

    json_object_set_new(o, "rows", jdim(xt, SP_XTAB_ROWS, sp_xtab_nrows(xt)));
    json_object_set_new(o, "cols", jdim(xt, SP_XTAB_COLS, sp_xtab_ncols(xt)));
    if (nl > 1)
        json_object_set_new(o, "layer", jdim(xt, SP_XTAB_LAYERS, nl));
    const char *w = sp_xtab_weight_var(xt);
    json_object_set_new(o, "weight", w ? json_string(w) : json_null());

    /* Without layers the one table; with layers the sum over them. */
    json_t *top = jtable(xt, nt - 1);
    json_object_update(o, top);
    json_decref(top);

    if (nl > 1) {
        json_t *layers = json_array();
        for (size_t l = 0; l < nl; l++) {
            json_t *lo = json_object(), *tab = jtable(xt, l);
            json_object_set_new(lo, "layer", json_string(sp_xtab_label(xt, SP_XTAB_LAYERS, l)));
            json_object_update(lo, tab);
            json_decref(tab);
            json_array_append_new(layers, lo);
        }
        json_object_set_new(o, "layers", layers);
    }

    double mr, mw;
    sp_xtab_missing(xt, &mr, &mw);
    json_t *miss = json_object();
    int hide = missing_withheld(xt);
    json_object_set_new(miss, "records", hide ? json_null() : jnum(mr));
    json_object_set_new(miss, "weight", hide ? json_null() : jnum(mw));
    json_object_set_new(o, "missing", miss);
    json_object_set_new(o, "min_cell", jnum(opt->min_cell));
    const char *why = NULL;
    int pub = sp_xtab_publishable(xt, &why);
    json_object_set_new(o, "publishable", json_boolean(pub));
    if (!pub)
        json_object_set_new(o, "publishable_note", json_string(why));
    return o;
}

int
sp_xtab_render_json(const sp_xtab_t *xt, const char **out, apr_pool_t *pool,
                    sp_error_t **err)
{
    int rc = not_computed(xt, pool, err);
    if (rc)
        return rc;
    json_t *o = sp_xtab_to_json(xt);
    char *s = json_dumps(o, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(o);
    if (!s)
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0, "cannot serialize the table to JSON");
    *out = apr_pstrdup(pool, s);
    free(s);
    return SP_OK;
}

/* ---- numbers ------------------------------------------------------------ */

static void
fmt_fixed(char *dst, size_t n, double v, int decimals, int comma)
{
    if (v == 0)
        v = 0;  /* no "-0.0" */
    snprintf(dst, n, "%.*f", decimals, v);
    if (!strcmp(dst, "-0") || !strncmp(dst, "-0.", 3)) {
        int zero = 1;
        for (const char *p = dst + 1; *p; p++)
            if (*p != '0' && *p != '.')
                zero = 0;
        if (zero)
            memmove(dst, dst + 1, strlen(dst));
    }
    if (comma)
        for (char *p = dst; *p; p++)
            if (*p == '.')
                *p = ',';
}

/* ---- CSV ---------------------------------------------------------------- */

static void
csv_field(buf_t *b, const char *s, char sep)
{
    if (strchr(s, sep) || strchr(s, '"') || strchr(s, '\n') || strchr(s, '\r')) {
        buf_puts(b, "\"");
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                buf_puts(b, "\"");
            buf_add(b, p, 1);
        }
        buf_puts(b, "\"");
    } else {
        buf_puts(b, s);
    }
}

static void
csv_line(buf_t *b, char sep, const char *f[6])
{
    for (int i = 0; i < 6; i++) {
        if (i)
            buf_add(b, &sep, 1);
        csv_field(b, f[i] ? f[i] : "", sep);
    }
    buf_puts(b, "\n");
}

static const char *
layer_name(const sp_xtab_t *xt, size_t t)
{
    size_t nl = sp_xtab_nlayers(xt);
    if (nl == 1)
        return "";
    return t == nl ? "(all)" : sp_xtab_label(xt, SP_XTAB_LAYERS, t);
}

int
sp_xtab_render_csv(const sp_xtab_t *xt, const sp_xtab_render_options_t *opt,
                   const char **out, apr_pool_t *pool, sp_error_t **err)
{
    int rc = not_computed(xt, pool, err);
    if (rc)
        return rc;
    sp_xtab_render_options_t o = options_of(opt);
    if (!o.sep)
        o.sep = ',';
    size_t nr = sp_xtab_nrows(xt), nc = sp_xtab_ncols(xt);
    buf_t b = { 0 };
    char num[64];

    const char *head[6] = { "layer", "row", "col", "measure", "value", "note" };
    csv_line(&b, o.sep, head);
    for (size_t t = 0; t < sp_xtab_ntables(xt); t++) {
        const char *layer = layer_name(xt, t);
        for (size_t r = 0; r <= nr; r++)
            for (size_t c = 0; c <= nc; c++) {
                size_t ri = r == nr ? T : r, ci = c == nc ? T : c;
                for (int k = 0; k < SP_XTAB_N_CELL_KINDS; k++) {
                    double v;
                    const char *why = NULL, *val = num, *note = NULL;
                    sp_xtab_status_t s = sp_xtab_cell(xt, t, k, ri, ci, &v, &why);
                    if (s == SP_XTAB_UNDEFINED && (ri == T || ci == T) && k >= SP_XTAB_EXPECTED)
                        continue;  /* margins have no expected or residuals */
                    if (s == SP_XTAB_SHOWN)
                        sp_export_real(num, sizeof num, v, o.decimal_comma);
                    else if (s == SP_XTAB_SUPPRESSED)
                        val = "x", note = why;
                    else
                        val = "", note = why;
                    const char *f[6] = {
                        layer, ri == T ? "(total)" : sp_xtab_label(xt, SP_XTAB_ROWS, ri),
                        ci == T ? "(total)" : sp_xtab_label(xt, SP_XTAB_COLS, ci),
                        sp_xtab_cell_keys[k], val, note
                    };
                    csv_line(&b, o.sep, f);
                }
            }
        for (int k = 0; k < SP_XTAB_N_STATS; k++) {
            const sp_xtab_stat_t *s = sp_xtab_stat(xt, t, k);
            static const char *const fields[] = { "value", "df", "p", "p_less", "p_greater", "p_one" };
            double vals[] = { s->value, s->df, s->p, s->p_less, s->p_greater, s->p_one };
            for (int i = 0; i < 6; i++) {
                if (s->defined && !isfinite(vals[i]))
                    continue;
                if (!s->defined && i > 0)
                    break;
                char name[64];
                snprintf(name, sizeof name, "%s.%s", sp_xtab_stat_keys[k], fields[i]);
                const char *note = NULL;
                if (s->defined)
                    sp_export_real(num, sizeof num, vals[i], o.decimal_comma);
                else
                    num[0] = '\0', note = s->why;
                if (k == SP_XTAB_ST_FISHER && sp_xtab_fisher_rounded(xt, t))
                    note = "rounded weighted counts";
                const char *f[6] = { layer, "", "", name, num, note };
                csv_line(&b, o.sep, f);
            }
        }
    }
    const char *why = NULL;
    if (!sp_xtab_publishable(xt, &why)) {
        const char *f[6] = { "", "", "", "publishable", "0", why };
        csv_line(&b, o.sep, f);
    }
    *out = buf_finish(&b, pool);
    return SP_OK;
}

/* ---- text --------------------------------------------------------------- */

/* Display width of a UTF-8 string (invalid bytes count one column). */
static size_t
text_width(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t w = 0;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0) {
            w++;
            p++;
            continue;
        }
        int cw = utf8proc_charwidth(cp);
        w += cw > 0 ? (size_t)cw : 0;
        p += n;
    }
    return w;
}

static void
pad(buf_t *b, const char *s, size_t width, int right)
{
    size_t w = text_width(s);
    if (right)
        for (size_t i = w; i < width; i++)
            buf_puts(b, " ");
    buf_puts(b, s);
    if (!right)
        for (size_t i = w; i < width; i++)
            buf_puts(b, " ");
}

static int
decimals_for(sp_xtab_cell_kind_t k, int integral)
{
    switch (k) {
    case SP_XTAB_COUNT:
        return 0;
    case SP_XTAB_WEIGHTED:
        return integral ? 0 : 2;
    case SP_XTAB_ROW_PCT:
    case SP_XTAB_COL_PCT:
    case SP_XTAB_TOTAL_PCT:
        return 1;
    default:
        return 2;
    }
}

static void
text_p(char *dst, size_t n, double p, int comma)
{
    if (p < 0.0001) {
        snprintf(dst, n, comma ? "<0,0001" : "<0.0001");
        return;
    }
    fmt_fixed(dst, n, p, 4, comma);
}

static void
text_table(buf_t *b, const sp_xtab_t *xt, size_t t, const sp_xtab_render_options_t *o)
{
    size_t nr = sp_xtab_nrows(xt), nc = sp_xtab_ncols(xt), nl = sp_xtab_nlayers(xt);
    const char *rv = sp_xtab_var(xt, SP_XTAB_ROWS), *cv = sp_xtab_var(xt, SP_XTAB_COLS);
    const char *lv = sp_xtab_var(xt, SP_XTAB_LAYERS);
    unsigned cells = o->cells ? o->cells
                              : (1u << SP_XTAB_WEIGHTED) | (1u << SP_XTAB_ROW_PCT) | (1u << SP_XTAB_COL_PCT);
    int kinds[SP_XTAB_N_CELL_KINDS], nk = 0;
    for (int k = 0; k < SP_XTAB_N_CELL_KINDS; k++)
        if (cells & (1u << k))
            kinds[nk++] = k;

    /* Are the weighted counts whole numbers? */
    int integral = 1;
    for (size_t r = 0; r <= nr; r++)
        for (size_t c = 0; c <= nc; c++) {
            double v;
            if (sp_xtab_cell(xt, t, SP_XTAB_WEIGHTED, r == nr ? T : r, c == nc ? T : c, &v, NULL) == SP_XTAB_SHOWN
                && v != floor(v))
                integral = 0;
        }

    /* Every string of the grid first, to size the columns. */
    size_t ncol = nc + 3, nrow = (nr + 1) * (size_t)nk + 1;
    const char **grid = calloc(ncol * nrow, sizeof *grid);
    char **owned = calloc(ncol * nrow, sizeof *owned);
    if (!grid || !owned)
        abort();
#define G(i, j) grid[(i) * ncol + (j)]
    G(0, 0) = rv ? rv : "";
    G(0, 1) = "";
    for (size_t c = 0; c < nc; c++)
        G(0, c + 2) = sp_xtab_label(xt, SP_XTAB_COLS, c);
    G(0, nc + 2) = "Total";
    int any_supp = 0, any_undef = 0;
    for (size_t r = 0; r <= nr; r++)
        for (int k = 0; k < nk; k++) {
            size_t i = 1 + r * (size_t)nk + (size_t)k;
            G(i, 0) = k ? "" : r == nr ? "Total" : sp_xtab_label(xt, SP_XTAB_ROWS, r);
            G(i, 1) = sp_xtab_cell_labels[kinds[k]];
            for (size_t c = 0; c <= nc; c++) {
                double v;
                char num[64];
                sp_xtab_status_t s = sp_xtab_cell(xt, t, kinds[k], r == nr ? T : r, c == nc ? T : c, &v, NULL);
                if (s == SP_XTAB_SHOWN) {
                    fmt_fixed(num, sizeof num, v, decimals_for(kinds[k], integral), o->decimal_comma);
                    owned[i * ncol + c + 2] = strdup(num);
                    G(i, c + 2) = owned[i * ncol + c + 2];
                } else if (s == SP_XTAB_SUPPRESSED) {
                    G(i, c + 2) = "x";
                    any_supp = 1;
                } else {
                    int margin_only = (r == nr || c == nc) && kinds[k] >= SP_XTAB_EXPECTED;
                    G(i, c + 2) = margin_only ? "" : ".";
                    any_undef |= !margin_only;
                }
            }
        }
    size_t width[64 + 3];
    size_t *wd = ncol <= 67 ? width : malloc(ncol * sizeof *wd);
    for (size_t j = 0; j < ncol; j++) {
        wd[j] = 0;
        for (size_t i = 0; i < nrow; i++)
            if (G(i, j) && text_width(G(i, j)) > wd[j])
                wd[j] = text_width(G(i, j));
    }

    buf_printf(b, "%s x %s", rv ? rv : "rows", cv ? cv : "cols");
    if (nl > 1)
        buf_printf(b, ", %s = %s", lv ? lv : "layer",
                   t == nl ? "all" : sp_xtab_label(xt, SP_XTAB_LAYERS, t));
    buf_puts(b, "\n");
    if (sp_xtab_weight_var(xt))
        buf_printf(b, "Weighted by %s\n", sp_xtab_weight_var(xt));
    for (size_t i = 0; i < nrow; i++) {
        for (size_t j = 0; j < ncol; j++) {
            if (j == 1 && nk == 1)
                continue;
            if (j)
                buf_puts(b, "  ");
            pad(b, G(i, j) ? G(i, j) : "", wd[j], j >= 2);
        }
        buf_puts(b, "\n");
    }

    /* Statistics. */
    buf_puts(b, "\n");
    char v1[64], v2[64], v3[64];
    for (int k = 0; k < SP_XTAB_N_STATS; k++) {
        const sp_xtab_stat_t *s = sp_xtab_stat(xt, t, k);
        if (!s->defined) {
            buf_printf(b, "  %-32s .    (%s)\n", sp_xtab_stat_labels[k], s->why);
            continue;
        }
        if (k == SP_XTAB_ST_FISHER) {
            text_p(v1, sizeof v1, s->p, o->decimal_comma);
            text_p(v2, sizeof v2, s->p_one, o->decimal_comma);
            buf_printf(b, "  %-32s p (2-sided) %s  p (1-sided) %s%s\n", sp_xtab_stat_labels[k], v1, v2,
                       sp_xtab_fisher_rounded(xt, t) ? "  [on rounded weighted counts]" : "");
        } else if (isfinite(s->df)) {
            fmt_fixed(v1, sizeof v1, s->value, 3, o->decimal_comma);
            fmt_fixed(v2, sizeof v2, s->df, 0, 0);
            text_p(v3, sizeof v3, s->p, o->decimal_comma);
            buf_printf(b, "  %-32s %s  df %s  p %s\n", sp_xtab_stat_labels[k], v1, v2, v3);
        } else {
            fmt_fixed(v1, sizeof v1, s->value, 4, o->decimal_comma);
            buf_printf(b, "  %-32s %s\n", sp_xtab_stat_labels[k], v1);
        }
    }

    if (any_undef)
        buf_puts(b, "  . = not defined (zero denominator or expected count)\n");
    if (any_supp) {
        buf_printf(b, "  x = suppressed (disclosure control, fewer than %g records):\n",
                   sp_xtab_options(xt)->min_cell);
        size_t count;
        const sp_xtab_suppressed_t *list = sp_xtab_suppressed(xt, &count);
        for (size_t i = 0; i < count; i++) {
            const sp_xtab_suppressed_t *s = &list[i];
            if (s->table != t)
                continue;
            buf_printf(b, "    %s / %s: %s\n",
                       s->row == T ? "Total" : sp_xtab_label(xt, SP_XTAB_ROWS, s->row),
                       s->col == T ? "Total" : sp_xtab_label(xt, SP_XTAB_COLS, s->col),
                       supp_name(s->kind));
        }
        buf_puts(b, "    (percentages, expected counts and residuals that would reveal them are hidden too)\n");
    }
    buf_puts(b, "\n");
    for (size_t i = 0; i < ncol * nrow; i++)
        free(owned[i]);
    free(owned);
    free(grid);
    if (wd != width)
        free(wd);
#undef G
}

int
sp_xtab_render_text(const sp_xtab_t *xt, const sp_xtab_render_options_t *opt,
                    const char **out, apr_pool_t *pool, sp_error_t **err)
{
    int rc = not_computed(xt, pool, err);
    if (rc)
        return rc;
    sp_xtab_render_options_t o = options_of(opt);
    buf_t b = { 0 };
    const char *why = NULL;
    if (!sp_xtab_publishable(xt, &why)) {
        buf_puts(&b, "NOT FOR PUBLICATION");
        if (!sp_xtab_options(xt)->no_suppress)
            buf_printf(&b, " (%s)", why);
        buf_puts(&b, "\n\n");
    }
    for (size_t t = 0; t < sp_xtab_ntables(xt); t++)
        text_table(&b, xt, t, &o);
    double mr, mw;
    sp_xtab_missing(xt, &mr, &mw);
    if (missing_withheld(xt)) {
        buf_printf(&b, "Missing: fewer than %g records left out (withheld)\n",
                   sp_xtab_options(xt)->min_cell);
    } else if (mr > 0 || mw > 0) {
        char n1[64], n2[64];
        sp_export_real(n1, sizeof n1, mr, o.decimal_comma);
        sp_export_real(n2, sizeof n2, mw, o.decimal_comma);
        buf_printf(&b, "Missing: %s records (weight %s) left out\n", n1, n2);
    }
    *out = buf_finish(&b, pool);
    return SP_OK;
}
