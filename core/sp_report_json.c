/*
 * sp_report_json.c -- the report's tables as one JSON document
 * (sp_report_json(), sp_report.h), section by section, one table row a
 * line so that a line-based tool can compare rows.  Numbers are printed
 * by sp_export.c like the CSV, HTML and workbook; withheld and undefined
 * cells carry their mark and note.
 */
#include <apr_tables.h>
#include "sp_report_int.h"
#include "sp_export.h"
#include "sp_svg.h"

/* A JSON string. */
static void
jput(sp_svg_buf_t *b, const char *s)
{
    const unsigned char *p;

    sp_svg_puts(b, "\"");
    for (p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            sp_svg_printf(b, "\\%c", *p);
        else if (*p == '\n')
            sp_svg_puts(b, "\\n");
        else if (*p < 0x20)
            sp_svg_printf(b, "\\u%04x", *p);
        else
            sp_svg_printf(b, "%c", *p);
    }
    sp_svg_puts(b, "\"");
}

const char *
sp_report_json(const sp_report_t *r, apr_pool_t *pool)
{
    sp_svg_buf_t *b = sp_svg_buf_create(pool);
    size_t i, j, row, col;
    char num[64];

    sp_svg_puts(b, "{\"title\": ");
    jput(b, M(r, DOC_TITLE));
    sp_svg_printf(b, ", \"lang\": \"%s\", \"territory\": ", r->o.lang == SP_REPORT_FR ? "fr" : "en");
    if (r->territory_name)
        jput(b, r->territory_name);
    else
        sp_svg_puts(b, "null");
    sp_export_real(num, sizeof num, r->o.min_cell, 0);
    sp_svg_printf(b, ", \"min_cell\": %s,\n \"sections\": [", num);
    for (i = 0; i < (size_t)r->sections->nelts; i++) {
        section_t *s = APR_ARRAY_IDX(r->sections, i, section_t *);
        int first = 1;

        sp_svg_printf(b, "%s\n  {\"id\": \"%s\", \"title\": ", i ? "," : "", s->id);
        jput(b, sp_report_msg(s->title, r->o.lang));
        sp_svg_puts(b, ", \"tables\": [");
        for (j = 0; j < (size_t)s->blocks->nelts; j++) {
            block_t *bl = &APR_ARRAY_IDX(s->blocks, j, block_t);
            const sp_table_t *t = bl->table;

            if (t == NULL)
                continue;
            sp_svg_printf(b, "%s\n   {\"id\": ", first ? "" : ",");
            first = 0;
            jput(b, bl->tid);
            sp_svg_puts(b, ", \"title\": ");
            jput(b, t->title);
            sp_svg_printf(b, ", \"not_for_publication\": %s, \"note\": ",
                          t->not_for_publication ? "true" : "false");
            if (t->note)
                jput(b, t->note);
            else
                sp_svg_puts(b, "null");
            sp_svg_puts(b, ",\n    \"columns\": [");
            for (col = 0; col < t->ncols; col++) {
                if (col)
                    sp_svg_puts(b, ", ");
                jput(b, t->columns[col]);
            }
            sp_svg_puts(b, "],\n    \"rows\": [");
            /* One row a line, so that a line-based tool can compare rows. */
            for (row = 0; row < t->nrows; row++) {
                sp_svg_puts(b, row ? ",\n     [" : "\n     [");
                for (col = 0; col < t->ncols; col++) {
                    const sp_table_cell_t *c = &t->cells[row * t->ncols + col];

                    if (col)
                        sp_svg_puts(b, ", ");
                    if (c->kind == SPIRAL_CELL_NUMBER) {
                        sp_export_real(num, sizeof num, c->number, 0);
                        sp_svg_puts(b, num);
                    } else if (c->kind == SPIRAL_CELL_TEXT) {
                        jput(b, c->text);
                    } else if (c->kind == SPIRAL_CELL_SUPPRESSED
                               || c->kind == SPIRAL_CELL_UNDEFINED) {
                        sp_svg_puts(b, "{\"mark\": ");
                        jput(b, c->text);
                        sp_svg_printf(b, ", \"suppressed\": %s, \"note\": ",
                                      c->kind == SPIRAL_CELL_SUPPRESSED ? "true" : "false");
                        if (c->note)
                            jput(b, c->note);
                        else
                            sp_svg_puts(b, "null");
                        sp_svg_puts(b, "}");
                    } else {
                        sp_svg_puts(b, "null");
                    }
                }
                sp_svg_puts(b, "]");
            }
            sp_svg_puts(b, "]}");
        }
        sp_svg_puts(b, "]}");
    }
    sp_svg_puts(b, "\n ]}\n");
    return sp_svg_text(b);
}
