/*
 * sp_report_html.c -- the report as one self-contained HTML page
 * (sp_report_html(), sp_report.h): inline CSS with print styles, the
 * charts' inline SVG, no script and no external reference.  It prints the
 * result tables the sections built (sp_report_int.h), numbers with a
 * decimal comma in French and sp_export.c's digits otherwise, so the page
 * shows the very cells of the JSON, CSV and workbook.
 */
#include <string.h>
#include <apr_strings.h>
#include "sp_report_int.h"
#include "sp_export.h"
#include "sp_svg.h"

static const char CSS[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:1.5em auto;"
    "max-width:72em;padding:0 1em;color:#222;line-height:1.4}"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;"
    "margin-top:2em}"
    ".synthetic{background:#fff4d6;border:1px solid #e6c65c;padding:.4em .8em}"
    ".pair{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start;margin:1em 0}"
    "figure{margin:0;display:table}figcaption{display:table-caption;caption-side:bottom;"
    "font-size:.9em;color:#444}"
    "table{border-collapse:collapse;font-size:.85em;margin:.6em 0}"
    "caption{text-align:left;font-weight:bold;padding:.3em 0}"
    "th,td{border:1px solid #ccc;padding:.2em .5em}thead th{background:#eef3f8}"
    "tbody th{text-align:left;font-weight:normal}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}"
    "td.x{text-align:center;color:#a00;font-weight:bold}td.na{text-align:center;color:#888}"
    "p.note{font-size:.85em;color:#555}p.nodata{font-style:italic;color:#555}"
    "ul.points li{margin:.2em 0}nav ol{columns:2}"
    "svg.chart{max-width:100%;height:auto}"
    "@media print{body{max-width:none;margin:0;font-size:10pt}nav{display:none}"
    "section{break-before:page}section#s-summary{break-before:avoid}"
    ".pair,figure,table{break-inside:avoid}a{color:inherit;text-decoration:none}}";

/* A number cell's text in the report's language (decimal comma in French). */
static const char *
num_text(const sp_report_t *r, double v, char *buf, size_t n)
{
    sp_export_real(buf, n, v, r->o.lang == SP_REPORT_FR);
    return buf;
}

static void
html_table(const sp_report_t *r, sp_svg_buf_t *h, const sp_table_t *t, const char *tid)
{
    size_t i, j;
    char num[64];

    if (t->not_for_publication) {
        sp_svg_puts(h, "<p class=\"note\"><strong>");
        sp_svg_escape(h, M(r, NOT_FOR_PUB));
        sp_svg_puts(h, "</strong></p>");
    }
    sp_svg_printf(h, "<table id=\"t-%s\"><caption>", tid);
    sp_svg_escape(h, t->title);
    sp_svg_puts(h, "</caption><thead><tr>");
    for (j = 0; j < t->ncols; j++) {
        sp_svg_puts(h, "<th scope=\"col\">");
        sp_svg_escape(h, t->columns[j]);
        sp_svg_puts(h, "</th>");
    }
    sp_svg_puts(h, "</tr></thead><tbody>\n");
    for (i = 0; i < t->nrows; i++) {
        sp_svg_puts(h, "<tr>");
        for (j = 0; j < t->ncols; j++) {
            const sp_table_cell_t *c = &t->cells[i * t->ncols + j];

            switch (c->kind) {
            case SPIRAL_CELL_NUMBER:
                sp_svg_printf(h, "<td class=\"num\">%s</td>", num_text(r, c->number, num, sizeof num));
                break;
            case SPIRAL_CELL_TEXT:
                sp_svg_puts(h, j == 0 ? "<th scope=\"row\">" : "<td>");
                sp_svg_escape(h, c->text);
                sp_svg_puts(h, j == 0 ? "</th>" : "</td>");
                break;
            case SPIRAL_CELL_SUPPRESSED:
            case SPIRAL_CELL_UNDEFINED:
                sp_svg_puts(h, c->kind == SPIRAL_CELL_SUPPRESSED ? "<td class=\"x\"" : "<td class=\"na\"");
                if (c->note) {
                    sp_svg_puts(h, " title=\"");
                    sp_svg_escape(h, c->note);
                    sp_svg_puts(h, "\"");
                }
                sp_svg_puts(h, ">");
                sp_svg_escape(h, c->text && *c->text ? c->text : (c->kind == SPIRAL_CELL_SUPPRESSED ? "x" : "."));
                sp_svg_puts(h, "</td>");
                break;
            default:
                sp_svg_puts(h, "<td></td>");
            }
        }
        sp_svg_puts(h, "</tr>\n");
    }
    sp_svg_puts(h, "</tbody></table>\n");
    if (t->note && *t->note) {
        sp_svg_puts(h, "<p class=\"note\">");
        sp_svg_escape(h, t->note);
        sp_svg_puts(h, "</p>");
    }
}

/* A paragraph; lines after the first of a multi-line text become a list. */
static void
html_para(sp_svg_buf_t *h, const char *text)
{
    const char *nl = strchr(text, '\n');

    if (nl == NULL) {
        sp_svg_puts(h, "<p>");
        sp_svg_escape(h, text);
        sp_svg_puts(h, "</p>\n");
        return;
    }
    sp_svg_puts(h, "<p>");
    for (; text < nl; text++) {
        char one[2] = {*text, 0};

        sp_svg_escape(h, one);
    }
    sp_svg_puts(h, "</p><ul class=\"points\">");
    while (nl) {
        const char *start = nl + 1, *end;

        nl = strchr(start, '\n');
        end = nl ? nl : start + strlen(start);
        sp_svg_puts(h, "<li>");
        for (; start < end; start++) {
            char one[2] = {*start, 0};

            sp_svg_escape(h, one);
        }
        sp_svg_puts(h, "</li>");
    }
    sp_svg_puts(h, "</ul>\n");
}

const char *
sp_report_html(const sp_report_t *r, apr_pool_t *pool)
{
    sp_svg_buf_t *h = sp_svg_buf_create(pool);
    size_t i, j;

    sp_svg_printf(h, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>", r->o.lang == SP_REPORT_FR ? "fr" : "en");
    sp_svg_escape(h, M(r, DOC_TITLE));
    if (r->territory_name) {
        sp_svg_puts(h, " \xe2\x80\x94 ");
        sp_svg_escape(h, r->territory_name);
    }
    sp_svg_printf(h, "</title>\n<style>%s</style>\n</head>\n<body>\n<header><h1>", CSS);
    sp_svg_escape(h, M(r, DOC_TITLE));
    if (r->territory_name) {
        sp_svg_puts(h, " \xe2\x80\x94 ");
        sp_svg_escape(h, r->territory_name);
    }
    sp_svg_puts(h, "</h1><p>");
    sp_svg_escape(h, M(r, DOC_INTRO));
    sp_svg_puts(h, "</p>");
    if (count_of(r, "SELECT count(*) FROM meta WHERE key = 'synthetic'"
                                   " AND value IN ('1', 'yes', 'true')", -1) > 0
        || (r->territory_name && count_of(r,
                                          "SELECT count(*) FROM import_ledger WHERE file_name LIKE"
                                          " '%datasets/mulhouse/%'", -1) > 0)) {
        sp_svg_puts(h, "<p class=\"synthetic\">");
        sp_svg_escape(h, M(r, SYNTHETIC));
        sp_svg_puts(h, "</p>");
    }
    sp_svg_puts(h, "</header>\n<nav aria-label=\"");
    sp_svg_escape(h, M(r, CONTENTS));
    sp_svg_puts(h, "\"><ol>");
    for (i = 0; i < (size_t)r->sections->nelts; i++) {
        section_t *s = APR_ARRAY_IDX(r->sections, i, section_t *);

        sp_svg_printf(h, "<li><a href=\"#s-%s\">", s->id);
        sp_svg_escape(h, sp_report_msg(s->title, r->o.lang));
        sp_svg_puts(h, "</a></li>");
    }
    sp_svg_puts(h, "</ol></nav>\n<main>\n");
    for (i = 0; i < (size_t)r->sections->nelts; i++) {
        section_t *s = APR_ARRAY_IDX(r->sections, i, section_t *);

        sp_svg_printf(h, "<section id=\"s-%s\">\n<h2>", s->id);
        sp_svg_escape(h, sp_report_msg(s->title, r->o.lang));
        sp_svg_puts(h, "</h2>\n");
        for (j = 0; j < (size_t)s->blocks->nelts; j++) {
            block_t *b = &APR_ARRAY_IDX(s->blocks, j, block_t);

            if (b->kind == B_PARA) {
                html_para(h, b->text);
            } else if (b->kind == B_TABLE) {
                html_table(r, h, b->table, b->tid);
            } else {
                sp_svg_puts(h, "<div class=\"pair\"><figure>");
                if (b->svg) {
                    sp_svg_puts(h, b->svg);
                } else {
                    sp_svg_puts(h, "<p class=\"nodata\">");
                    sp_svg_escape(h, M(r, NO_DATA_CHART));
                    sp_svg_puts(h, "</p>");
                }
                sp_svg_puts(h, "<figcaption>");
                sp_svg_escape(h, b->text);
                sp_svg_puts(h, "</figcaption></figure>");
                if (b->table) {
                    sp_svg_puts(h, "<div class=\"tbl\">");
                    html_table(r, h, b->table, b->tid);
                    sp_svg_puts(h, "</div>");
                }
                sp_svg_puts(h, "</div>\n");
            }
        }
        sp_svg_puts(h, "</section>\n");
    }
    sp_svg_puts(h, "</main>\n<footer><p class=\"note\">");
    sp_svg_escape(h, apr_psprintf(pool, M(r, MARK_NOTE), apr_psprintf(pool, "%.0f", r->o.min_cell)));
    sp_svg_puts(h, "</p></footer>\n</body>\n</html>\n");
    return sp_svg_text(h);
}
