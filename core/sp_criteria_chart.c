/*
 * sp_criteria_chart.c -- the shares of criteria statistics as an SVG bar
 * chart (sp_criteria_chart.h): picks the columns to draw from a
 * sp_criteria_stats result, lays the bars out code after code, writes the
 * title and the text alternative in French or English, and hands the
 * arrays to sp_svg_bars.  The SVG of sp_svg.h is meant to sit inline in
 * HTML (no namespace); as a file of its own it gets an XML declaration and
 * the SVG namespace here.
 */
#include <math.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_criteria_chart.h"
#include "sp_svg.h"

/* Bar label keys longer than this (in characters) are cut with an
 * ellipsis: the labels sit in a fixed margin of the horizontal chart.  The
 * bar's own tooltip and the <desc> keep the whole key. */
#define KEY_CHARS 14

/* Pixels per bar and around the plot. */
#define BAR_PX 18.0
#define WIDTH_PX 640.0

/* key, cut to KEY_CHARS UTF-8 characters with "…". */
static const char *
short_key(const char *key, apr_pool_t *pool)
{
    size_t i, chars = 0;

    for (i = 0; key[i] != '\0'; i++)
        if (((unsigned char)key[i] & 0xC0) != 0x80 && ++chars > KEY_CHARS)
            return apr_pstrcat(pool, apr_pstrndup(pool, key, i), "\xe2\x80\xa6", NULL);
    return key;
}

int
sp_criteria_chart_svg(const json_t *result, const char *lang, const char **svg,
                      size_t *nbars, apr_pool_t *pool, sp_error_t **err)
{
    const json_t *cols = json_object_get(result, "columns");
    const json_t *rows = json_object_get(result, "rows"), *row;
    const char *by = json_string_value(json_object_get(result, "by"));
    const char *level = json_string_value(json_object_get(result, "level"));
    const json_t *cmp = json_object_get(result, "comparison");
    int en = lang != NULL && strcmp(lang, "en") == 0;
    size_t ncols = json_array_size(cols), ngroups, n, i, r, k = 0;
    const char **labels, **keys;
    double *values;
    sp_svg_bars_t c;
    sp_svg_buf_t *b;
    char *desc;
    int status, plain;

    /* Which columns: the breakdown's values without the total; else all
     * (the total alone, or the two periods). */
    ngroups = by != NULL && ncols > 1 ? ncols - 1 : ncols;
    /* With several bars per code, an empty band between two codes groups
     * them. */
    n = ngroups * json_array_size(rows) + (ngroups > 1 && json_array_size(rows) > 1
                                           ? json_array_size(rows) - 1 : 0);
    plain = ngroups == 1 && by == NULL && !json_is_object(cmp);    /* labels are codes */
    if (n == 0)
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "no criteria to chart");
    keys = apr_pcalloc(pool, ngroups * sizeof *keys);
    for (i = 0; i < ngroups; i++) {
        const char *key = json_string_value(json_object_get(json_array_get(cols, i),
                                                            "key"));

        key = key ? key : "";
        if (by != NULL && strcmp(by, "cycle") == 0)
            key = apr_pstrcat(pool, "cycle ", key, NULL);
        keys[i] = key;
    }
    labels = apr_pcalloc(pool, n * sizeof *labels);
    values = apr_pcalloc(pool, n * sizeof *values);
    desc = apr_pstrdup(pool, en ? "Share of the coded criteria of each column, in %, "
                       "per code: " : "Part des critères codés de chaque colonne, en %, "
                       "par code : ");
    json_array_foreach(rows, r, row) {
        const char *code = json_string_value(json_object_get(row, "code"));
        const json_t *shares = json_object_get(row, "shares");

        code = code ? code : "?";
        if (ngroups > 1 && r > 0) {
            labels[k] = "";
            values[k++] = NAN;
        }
        for (i = 0; i < ngroups; i++, k++) {
            const json_t *s = json_array_get(shares, i);

            labels[k] = plain ? code
                : apr_pstrcat(pool, code, " \xc2\xb7 ", short_key(keys[i], pool), NULL);
            values[k] = json_is_number(s) ? json_number_value(s) * 100 : NAN;
            desc = apr_pstrcat(pool, desc, k > 0 ? "; " : "", code,
                               plain ? ""
                               : apr_pstrcat(pool, " \xc2\xb7 ", keys[i], NULL),
                               en ? ": " : " : ",
                               isfinite(values[k]) ? apr_psprintf(pool, "%.1f %%", values[k])
                               : en ? "no coded criterion" : "aucun critère codé", NULL);
        }
    }
    desc = apr_pstrcat(pool, desc, ".", NULL);

    memset(&c, 0, sizeof c);
    c.head.id = "criteria-stats";
    if (json_is_object(cmp))
        c.head.title = apr_psprintf(pool, en ? "Criteria per %s: %s and %s"
                                    : "Critères par %s : %s et %s",
                                    en ? level : strcmp(level, "family") == 0 ? "famille"
                                    : strcmp(level, "component") == 0 ? "composante"
                                    : "sous-objet",
                                    json_string_value(json_object_get(cmp, "from")),
                                    json_string_value(json_object_get(cmp, "to")));
    else
        c.head.title = apr_psprintf(pool, en ? "Criteria per %s%s%s" : "Critères par %s%s%s",
                                    en ? level : strcmp(level, "family") == 0 ? "famille"
                                    : strcmp(level, "component") == 0 ? "composante"
                                    : "sous-objet",
                                    by ? (en ? " by " : " selon ") : "", by ? by : "");
    c.head.desc = desc;
    c.head.width = WIDTH_PX;
    c.head.height = SP_SVG_TOP + SP_SVG_BOTTOM + BAR_PX * (double)n;
    c.horizontal = 1;
    c.n = n;
    c.labels = labels;
    c.values = values;
    c.limit = NAN;
    c.unit = en ? "% of coded criteria" : "% des critères codés";
    b = sp_svg_buf_create(pool);
    if ((status = sp_svg_bars(b, &c)) == SP_EXIT_DATA)
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "no coded criterion to chart");
    if (status != SP_OK || strncmp(sp_svg_text(b), "<svg ", 5) != 0)
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0, "cannot draw the chart");
    /* "<svg class=..." becomes "<svg xmlns=... class=..." */
    *svg = apr_pstrcat(pool, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<svg xmlns=\"http://www.w3.org/2000/svg\"", sp_svg_text(b) + 4, "\n",
                       NULL);
    if (nbars != NULL) {
        *nbars = 0;
        for (i = 0; i < n; i++)
            *nbars += isfinite(values[i]) != 0;
    }
    return SP_OK;
}
