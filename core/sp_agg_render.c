/*
 * sp_agg_render.c -- writing a computed sp_agg_t as JSON, CSV or text.
 *
 * The numbers come from sp_agg.c through its public accessors; this file
 * only decides how they look and what is withheld.  Entries with 1 to
 * min_cell - 1 valid answers are suppressed: their statistics are not
 * written (null in JSON, empty in CSV, "*" in text) and they are listed;
 * so are the distributions and shares at or below the bad level that
 * sp_agg_compute marks as withheld in the entries shown (sp_agg.h).
 * With no_suppress everything is written and the output is marked "not for
 * publication" (a JSON member, a note on every CSV row, a banner in text).
 * Undefined statistics (NAN) are never written as numbers: null, an empty
 * field, ".".
 */
#include "config.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <jansson.h>
#include <utf8proc.h>
#include "sp_agg.h"
#include "sp_export.h"
#include "sp_grid.h"

#define QUANTILE_RULE \
    "HAVERAGE (PSPP/SPSS EXAMINE default): tc = (W+1)p, weighted; " \
    "below the lowest level present: that level"
#define VARIANCE_RULE \
    "frequency weights: (sum w x^2 - (sum w x)^2 / W) / (W - 1)"
#define NOT_FOR_PUBLICATION "not for publication"

static int
not_computed(const sp_agg_t *a, apr_pool_t *pool, sp_error_t **err)
{
    if (sp_agg_options(a) != NULL)
        return SP_OK;
    return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                        "aggregate: render called before compute");
}

static int
write_failed(FILE *out, apr_pool_t *pool, sp_error_t **err)
{
    if (fflush(out) == 0 && !ferror(out))
        return SP_OK;
    return sp_error_set(err, pool, SP_EXIT_IO, NULL, 0, 0,
                        "aggregate: write error: %s", strerror(errno));
}

/* ------------------------------------------------------------------ JSON */

static json_t *
group_object(const sp_agg_t *a, size_t g)
{
    json_t *o = json_object();
    size_t d;

    for (d = 0; d < sp_agg_ndims(a); d++)
        json_object_set_new(o, sp_agg_dim_name(a, d),
                            json_string(sp_agg_group_key(a, g, d)));
    return o;
}

static json_t *
result_object(const sp_agg_t *a, size_t g, size_t v)
{
    const sp_agg_stats_t *s = sp_agg_stats(a, g, v);
    json_t *o = json_object(), *dn, *dw, *ds, *dc;
    size_t L = sp_agg_nlevels(a);
    double cum = 0.0;
    unsigned l;

    json_object_set_new(o, "group", group_object(a, g));
    json_object_set_new(o, "variable", json_string(sp_agg_var_name(a, v)));
    json_object_set_new(o, "suppressed", json_boolean(s->suppressed));
    if (s->suppressed)
        return o;
    json_object_set_new(o, "n", json_integer((json_int_t)s->n));
    json_object_set_new(o, "n_missing", s->missing_withheld ? json_null()
                        : json_integer((json_int_t)s->n_missing));
    json_object_set_new(o, "weight", sp_grid_real(s->weight));
    json_object_set_new(o, "weight_missing", s->missing_withheld ? json_null()
                        : sp_grid_real(s->weight_missing));
    json_object_set_new(o, "sum", sp_grid_real(s->sum));
    json_object_set_new(o, "mean", sp_grid_real(s->mean));
    json_object_set_new(o, "sd", sp_grid_real(s->sd));
    json_object_set_new(o, "q1", sp_grid_real(s->q1));
    json_object_set_new(o, "median", sp_grid_real(s->median));
    json_object_set_new(o, "q3", sp_grid_real(s->q3));
    json_object_set_new(o, "share_le",
                        s->share_le_withheld ? json_null() : sp_grid_real(s->share_le));
    json_object_set_new(o, "share_le_withheld", json_boolean(s->share_le_withheld));
    json_object_set_new(o, "dist_withheld", json_boolean(s->dist_withheld));
    if (s->dist_withheld) {
        json_object_set_new(o, "dist_n", json_null());
        json_object_set_new(o, "dist_weight", json_null());
        json_object_set_new(o, "dist_share", json_null());
        json_object_set_new(o, "cum_share", json_null());
        return o;
    }
    dn = json_array();
    dw = json_array();
    ds = json_array();
    dc = json_array();
    for (l = 1; l <= L; l++) {
        double w = sp_agg_level_weight(a, g, v, l);
        cum += w;
        json_array_append_new(dn, json_integer((json_int_t)sp_agg_level_count(a, g, v, l)));
        json_array_append_new(dw, sp_grid_real(w));
        json_array_append_new(ds, s->weight > 0.0 ? sp_grid_real(w / s->weight) : json_null());
        json_array_append_new(dc, s->weight > 0.0 ? sp_grid_real(cum / s->weight) : json_null());
    }
    json_object_set_new(o, "dist_n", dn);
    json_object_set_new(o, "dist_weight", dw);
    json_object_set_new(o, "dist_share", ds);
    json_object_set_new(o, "cum_share", dc);
    return o;
}

/* An entry of the list of what is withheld: part "all" (the entry),
 * "distribution" or "share_le". */
static void
append_withheld(json_t *arr, const sp_agg_t *a, size_t g, size_t v, const char *part,
                const char *reason)
{
    json_t *e = json_object();

    json_object_set_new(e, "group", group_object(a, g));
    json_object_set_new(e, "variable", json_string(sp_agg_var_name(a, v)));
    json_object_set_new(e, "part", json_string(part));
    json_object_set_new(e, "reason", json_string(reason));
    json_array_append_new(arr, e);
}

int
sp_agg_render_json(const sp_agg_t *a, FILE *out, apr_pool_t *pool,
                   sp_error_t **err)
{
    const sp_agg_opts_t *o = sp_agg_options(a);
    json_t *root, *arr;
    size_t g, v, d;
    unsigned l;
    int rc;

    if ((rc = not_computed(a, pool, err)) != SP_OK)
        return rc;
    root = json_object();
    json_object_set_new(root, "kind", json_string("spiral.aggregate"));
    if (sp_agg_title(a))
        json_object_set_new(root, "title", json_string(sp_agg_title(a)));
    if (o->no_suppress)
        json_object_set_new(root, "publication", json_string(NOT_FOR_PUBLICATION));
    json_object_set_new(root, "min_cell", json_integer(o->min_cell));
    json_object_set_new(root, "suppression", json_boolean(!o->no_suppress));
    json_object_set_new(root, "bad_level", json_integer(o->bad_level));
    json_object_set_new(root, "quantile_rule", json_string(QUANTILE_RULE));
    json_object_set_new(root, "variance_rule", json_string(VARIANCE_RULE));
    json_object_set_new(root, "rejected_records",
                        json_integer((json_int_t)sp_agg_rejected(a)));

    arr = json_array();
    for (d = 0; d < sp_agg_ndims(a); d++)
        json_array_append_new(arr, json_string(sp_agg_dim_name(a, d)));
    json_object_set_new(root, "dims", arr);

    arr = json_array();
    for (l = 1; l <= sp_agg_nlevels(a); l++) {
        json_t *lv = json_object();
        const char *lab = sp_agg_level_label(a, l);
        json_object_set_new(lv, "level", json_integer(l));
        json_object_set_new(lv, "label", lab ? json_string(lab) : json_null());
        json_array_append_new(arr, lv);
    }
    json_object_set_new(root, "levels", arr);

    arr = json_array();
    for (v = 0; v < sp_agg_nvars(a); v++) {
        json_t *jv = json_object();
        const char *lab = sp_agg_var_label(a, v);
        json_object_set_new(jv, "name", json_string(sp_agg_var_name(a, v)));
        json_object_set_new(jv, "label", lab ? json_string(lab) : json_null());
        json_array_append_new(arr, jv);
    }
    json_object_set_new(root, "variables", arr);

    arr = json_array();
    for (g = 0; g < sp_agg_ngroups(a); g++)
        for (v = 0; v < sp_agg_nvars(a); v++) {
            const sp_agg_stats_t *s = sp_agg_stats(a, g, v);

            if (s->suppressed)
                append_withheld(arr, a, g, v, "all",
                                apr_psprintf(pool, "n < %u", o->min_cell));
            if (!s->suppressed && s->dist_withheld)
                append_withheld(arr, a, g, v, "distribution",
                                apr_psprintf(pool, "a level has 1 to %u answers",
                                             o->min_cell - 1));
            if (!s->suppressed && s->share_le_withheld)
                append_withheld(arr, a, g, v, "share_le",
                                apr_psprintf(pool, "1 to %u answers at levels <= %u or above",
                                             o->min_cell - 1, o->bad_level));
            if (!s->suppressed && s->missing_withheld)
                append_withheld(arr, a, g, v, "missing",
                                apr_psprintf(pool, "1 to %u missing answers", o->min_cell - 1));
        }
    json_object_set_new(root, "suppressed", arr);

    arr = json_array();
    for (g = 0; g < sp_agg_ngroups(a); g++)
        for (v = 0; v < sp_agg_nvars(a); v++)
            json_array_append_new(arr, result_object(a, g, v));
    json_object_set_new(root, "results", arr);

    rc = json_dumpf(root, out, JSON_PRESERVE_ORDER | JSON_INDENT(1)
                               | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (rc != 0 || fputc('\n', out) == EOF)
        return sp_error_set(err, pool, SP_EXIT_IO, NULL, 0, 0,
                            "aggregate: write error: %s", strerror(errno));
    return write_failed(out, pool, err);
}

/* ------------------------------------------------------------------- CSV */

typedef struct csv_ctx_t {
    const sp_agg_t *a;
    FILE *out;
    int sep, dcomma;
    const char *note;      /* the note of the entry being written */
    char buf[64];
} csv_ctx_t;

static void
csv_field(csv_ctx_t *c, const char *s)
{
    sp_export_csv_field(c->out, s, strlen(s), (char)c->sep);
}

static const char *
fmt_real(csv_ctx_t *c, double x)
{
    sp_export_real(c->buf, sizeof c->buf, x, c->dcomma);
    return c->buf;
}

static void
csv_row(csv_ctx_t *c, size_t g, size_t v, const char *stat, unsigned level,
        const char *value, int undefined)
{
    const sp_agg_t *a = c->a;
    size_t d;

    for (d = 0; d < sp_agg_ndims(a); d++) {
        csv_field(c, sp_agg_group_key(a, g, d));
        fputc(c->sep, c->out);
    }
    csv_field(c, sp_agg_var_name(a, v));
    fputc(c->sep, c->out);
    fputs(stat, c->out);
    fputc(c->sep, c->out);
    if (level > 0)
        fprintf(c->out, "%u", level);
    fputc(c->sep, c->out);
    fputs(value, c->out);
    fputc(c->sep, c->out);
    if (c->note[0])
        csv_field(c, c->note);
    else if (undefined)
        fputs("undefined", c->out);
    fputc('\n', c->out);
}

static void
csv_real(csv_ctx_t *c, size_t g, size_t v, const char *stat, unsigned level,
         double x, int suppressed)
{
    if (suppressed || !isfinite(x))
        csv_row(c, g, v, stat, level, "", !suppressed);
    else
        csv_row(c, g, v, stat, level, fmt_real(c, x), 0);
}

static void
csv_count(csv_ctx_t *c, size_t g, size_t v, const char *stat, unsigned level,
          uint64_t n, int suppressed)
{
    char b[32];

    snprintf(b, sizeof b, "%llu", (unsigned long long)n);
    csv_row(c, g, v, stat, level, suppressed ? "" : b, 0);
}

int
sp_agg_render_csv(const sp_agg_t *a, const sp_agg_csv_opts_t *opts, FILE *out,
                  apr_pool_t *pool, sp_error_t **err)
{
    const sp_agg_opts_t *o = sp_agg_options(a);
    csv_ctx_t c;
    const char *suppressed_note, *dist_note, *share_note, *missing_note, *plain_note;
    size_t g, v, d, L = sp_agg_nlevels(a);
    unsigned l;
    int rc;

    if ((rc = not_computed(a, pool, err)) != SP_OK)
        return rc;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.out = out;
    c.sep = (opts && opts->sep) ? opts->sep : ',';
    c.dcomma = opts ? opts->decimal_comma : 0;
    if (c.sep != ',' && c.sep != ';' && c.sep != '\t')
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                            "aggregate: CSV separator must be ',', ';' or tab");
    if (c.dcomma && c.sep == ',')
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                            "aggregate: a decimal comma needs another separator (';' or tab)");
    suppressed_note = apr_psprintf(pool, "suppressed: n < %u", o->min_cell);
    dist_note = apr_psprintf(pool, "suppressed: a level has 1 to %u answers", o->min_cell - 1);
    share_note = apr_psprintf(pool, "suppressed: 1 to %u answers at levels <= %u or above",
                              o->min_cell - 1, o->bad_level);
    missing_note = apr_psprintf(pool, "suppressed: 1 to %u missing answers", o->min_cell - 1);
    plain_note = o->no_suppress ? NOT_FOR_PUBLICATION : "";

    for (d = 0; d < sp_agg_ndims(a); d++) {
        csv_field(&c, sp_agg_dim_name(a, d));
        fputc(c.sep, out);
    }
    fprintf(out, "variable%cstatistic%clevel%cvalue%cnote\n",
            c.sep, c.sep, c.sep, c.sep);

    for (g = 0; g < sp_agg_ngroups(a); g++) {
        for (v = 0; v < sp_agg_nvars(a); v++) {
            const sp_agg_stats_t *s = sp_agg_stats(a, g, v);
            int sup = s->suppressed;
            double cum = 0.0;

            c.note = sup ? suppressed_note : plain_note;
            csv_count(&c, g, v, "n", 0, s->n, sup);
            if (!sup && s->missing_withheld)
                c.note = missing_note;
            csv_count(&c, g, v, "n_missing", 0, s->n_missing, s->missing_withheld);
            csv_real(&c, g, v, "weight", 0, s->weight, sup);
            csv_real(&c, g, v, "weight_missing", 0, s->weight_missing, s->missing_withheld);
            c.note = sup ? suppressed_note : plain_note;
            csv_real(&c, g, v, "sum", 0, s->sum, sup);
            csv_real(&c, g, v, "mean", 0, s->mean, sup);
            csv_real(&c, g, v, "sd", 0, s->sd, sup);
            csv_real(&c, g, v, "q1", 0, s->q1, sup);
            csv_real(&c, g, v, "median", 0, s->median, sup);
            csv_real(&c, g, v, "q3", 0, s->q3, sup);
            if (!sup && s->share_le_withheld)
                c.note = share_note;
            csv_real(&c, g, v, "share_le", o->bad_level, s->share_le, s->share_le_withheld);
            c.note = sup ? suppressed_note : s->dist_withheld ? dist_note : plain_note;
            for (l = 1; l <= L; l++) {
                double w = sp_agg_level_weight(a, g, v, l);
                double W = s->weight;
                int dsup = s->dist_withheld;

                cum += w;
                csv_count(&c, g, v, "dist_n", l, sp_agg_level_count(a, g, v, l), dsup);
                csv_real(&c, g, v, "dist_weight", l, w, dsup);
                csv_real(&c, g, v, "dist_share", l, W > 0.0 ? w / W : NAN, dsup);
                csv_real(&c, g, v, "cum_share", l, W > 0.0 ? cum / W : NAN, dsup);
            }
        }
    }
    return write_failed(out, pool, err);
}

/* ------------------------------------------------------------------ text */

/* Display width of a UTF-8 string (invalid bytes count as one column). */
static size_t
dwidth(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t w = 0;

    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
        if (k <= 0) {
            w++;
            p++;
            continue;
        }
        if (utf8proc_charwidth(cp) > 0)
            w += (size_t)utf8proc_charwidth(cp);
        p += k;
    }
    return w;
}

static void
pad(FILE *out, const char *s, size_t width, int right)
{
    size_t w = dwidth(s);

    if (right)
        for (; w < width; w++)
            fputc(' ', out);
    fputs(s, out);
    if (!right)
        for (; w < width; w++)
            fputc(' ', out);
}

static const char *
tnum(apr_pool_t *pool, double x, int decimals)
{
    return isfinite(x) ? apr_psprintf(pool, "%.*f", decimals, x) : ".";
}

int
sp_agg_render_text(const sp_agg_t *a, FILE *out, apr_pool_t *pool,
                   sp_error_t **err)
{
    const sp_agg_opts_t *o = sp_agg_options(a);
    size_t nd, L, ncols, nrows, g, v, r, i;
    int show_dist;
    const char ***cells;
    size_t *width;
    apr_pool_t *scratch;
    int rc;

    if ((rc = not_computed(a, pool, err)) != SP_OK)
        return rc;
    apr_pool_create(&scratch, pool);
    nd = sp_agg_ndims(a);
    L = sp_agg_nlevels(a);
    show_dist = L <= 10;
    ncols = nd + 10 + (show_dist ? L : 0);
    nrows = 1 + sp_agg_ngroups(a) * sp_agg_nvars(a);
    cells = apr_pcalloc(scratch, nrows * sizeof *cells);
    width = apr_pcalloc(scratch, ncols * sizeof *width);

    cells[0] = apr_pcalloc(scratch, ncols * sizeof **cells);
    for (i = 0; i < nd; i++)
        cells[0][i] = sp_agg_dim_name(a, i);
    {
        static const char *const head[] = { "variable", "n", "missing", "weight",
            "mean", "sd", "q1", "median", "q3" };
        for (i = 0; i < 9; i++)
            cells[0][nd + i] = head[i];
        cells[0][nd + 9] = apr_psprintf(scratch, "%%<=%u", o->bad_level);
        for (i = 0; show_dist && i < L; i++)
            cells[0][nd + 10 + i] = apr_psprintf(scratch, "%%%" APR_SIZE_T_FMT, i + 1);
    }
    r = 1;
    for (g = 0; g < sp_agg_ngroups(a); g++) {
        for (v = 0; v < sp_agg_nvars(a); v++, r++) {
            const sp_agg_stats_t *s = sp_agg_stats(a, g, v);
            const char **row = apr_pcalloc(scratch, ncols * sizeof *row);
            cells[r] = row;
            for (i = 0; i < nd; i++)
                row[i] = sp_agg_group_key(a, g, i);
            row[nd] = sp_agg_var_name(a, v);
            if (s->suppressed) {
                row[nd + 1] = apr_psprintf(scratch, "<%u", o->min_cell);
                for (i = nd + 2; i < ncols; i++)
                    row[i] = "*";
                continue;
            }
            row[nd + 1] = apr_psprintf(scratch, "%" APR_UINT64_T_FMT, (apr_uint64_t)s->n);
            row[nd + 2] = s->missing_withheld
                ? apr_psprintf(scratch, "<%u", o->min_cell)
                : apr_psprintf(scratch, "%" APR_UINT64_T_FMT, (apr_uint64_t)s->n_missing);
            row[nd + 3] = tnum(scratch, s->weight, 2);
            row[nd + 4] = tnum(scratch, s->mean, 3);
            row[nd + 5] = tnum(scratch, s->sd, 3);
            row[nd + 6] = tnum(scratch, s->q1, 2);
            row[nd + 7] = tnum(scratch, s->median, 2);
            row[nd + 8] = tnum(scratch, s->q3, 2);
            row[nd + 9] = s->share_le_withheld ? "*" : tnum(scratch, 100.0 * s->share_le, 1);
            for (i = 0; show_dist && i < L; i++)
                row[nd + 10 + i] = s->dist_withheld ? "*" : s->weight > 0.0
                    ? tnum(scratch, 100.0 * sp_agg_level_weight(a, g, v, (unsigned)i + 1)
                                    / s->weight, 1)
                    : ".";
        }
    }
    for (r = 0; r < nrows; r++)
        for (i = 0; i < ncols; i++)
            if (dwidth(cells[r][i]) > width[i])
                width[i] = dwidth(cells[r][i]);

    if (o->no_suppress)
        fputs("NOT FOR PUBLICATION: small-cell suppression is off\n", out);
    if (sp_agg_title(a))
        fprintf(out, "%s\n", sp_agg_title(a));
    for (r = 0; r < nrows; r++) {
        for (i = 0; i < ncols; i++) {
            if (i > 0)
                fputs("  ", out);
            pad(out, cells[r][i], width[i], i > nd);
        }
        fputc('\n', out);
    }
    fprintf(out, "quantiles: %s\n", QUANTILE_RULE);
    if (sp_agg_nsuppressed(a) > 0)
        fprintf(out, "* suppressed: fewer than %u valid answers (%zu entries)\n",
                o->min_cell, sp_agg_nsuppressed(a));
    if (sp_agg_nwithheld_parts(a) > 0)
        fprintf(out, "* withheld in %zu more entries: %%1..%%%zu when a level has 1 to %u"
                " answers; %%<=%u when 1 to %u answers are at or below %u, or above;"
                " missing when 1 to %u\n",
                sp_agg_nwithheld_parts(a), L, o->min_cell - 1, o->bad_level,
                o->min_cell - 1, o->bad_level, o->min_cell - 1);
    if (o->no_suppress)
        fputs("NOT FOR PUBLICATION\n", out);
    apr_pool_destroy(scratch);
    return write_failed(out, pool, err);
}
