/*
 * xlsx.c -- the xlsx plugin: result tables as an Excel workbook, one sheet
 * per table, written with libxlsxwriter.
 *
 * Facilitators work in spreadsheets, so the workbook must show exactly what
 * the CSV and JSON outputs show: numbers are written as numbers (never as
 * text; libxlsxwriter 1.1 stores them with 16 significant digits, "%.16G"),
 * a suppressed value as the text "x" (the table's mark) with a cell comment
 * giving the reason, an undefined one as a blank cell with its reason as a
 * comment.  Each sheet has, from the top: the title (bold) when the table
 * has one, a red "NOT FOR PUBLICATION" banner row when disclosure control
 * was off, the header row (bold, frozen), the rows, and the table's note
 * after a blank row.  Column widths follow the display width of the texts.
 *
 * Lua: spiral.xlsx.write(name, table_or_tables) writes into the workspace
 * output folder (host->output_path keeps it in the sandbox).  C: the ABI's
 * write entry, for hosts that export without a script.  The plugin only
 * uses what spiral_plugin.h offers; it does not link libspiral.
 */
#include <stdio.h>
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include <xlsxwriter.h>
#include "spiral_plugin.h"

#define BANNER "NOT FOR PUBLICATION: small-cell suppression is off"
#define MIN_WIDTH 6
#define MAX_WIDTH 60

static const spiral_host_t *host;

/* Display width without the host (the C entry may run before open). */
static int
width_of(const char *s)
{
    int w = 0;

    if (host != NULL)
        return host->text_width(s);
    for (; s != NULL && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

/* Copy at most max characters (not bytes) of UTF-8 s into out. */
static void
cut_chars(const char *s, size_t max, char *out, size_t outlen)
{
    size_t i, n = 0, chars = 0;

    for (i = 0; s[i] != '\0' && n + 1 < outlen; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max)
            break;
        out[n++] = s[i];
    }
    out[n] = '\0';
}

/* A valid, unused sheet name from the title: forbidden characters become
 * '_', at most 31 characters; duplicates get " (2)", " (3)"... */
static void
sheet_name(lxw_workbook *wb, const char *title, size_t index, char *out,
           size_t outlen)
{
    char base[LXW_MAX_SHEETNAME_LENGTH], cut[LXW_MAX_SHEETNAME_LENGTH];
    size_t n;
    char *p;
    int k;

    if (title == NULL || *title == '\0')
        title = "Table";
    cut_chars(title, LXW_SHEETNAME_MAX, base, sizeof base);
    for (p = base; *p; p++)
        if (strchr("[]:*?/\\", *p) != NULL)
            *p = '_';
    n = strlen(base);
    while (n > 0 && base[n - 1] == '\'')
        base[--n] = '\0';
    if (base[0] == '\'')
        base[0] = '_';
    if (n == 0)
        snprintf(base, sizeof base, "Table");
    snprintf(out, outlen, "%s", base);
    cut_chars(base, LXW_SHEETNAME_MAX - 6, cut, sizeof cut);
    for (k = 2; workbook_validate_sheet_name(wb, out) != LXW_NO_ERROR; k++) {
        if (k < 1000)
            snprintf(out, outlen, "%s (%d)", cut, k);
        else {
            snprintf(out, outlen, "Table %lu", (unsigned long)index + 1);
            break;
        }
    }
}

struct formats {
    lxw_format *bold;
    lxw_format *banner;
};

static int
fail(char *errbuf, size_t errlen, const char *what, lxw_error e)
{
    snprintf(errbuf, errlen, "%s: %s", what, lxw_strerror(e));
    return -1;
}

static int
write_sheet(lxw_workbook *wb, const struct formats *f,
            const spiral_table_t *t, size_t index, char *errbuf,
            size_t errlen)
{
    char name[LXW_MAX_SHEETNAME_LENGTH + 16];
    lxw_worksheet *ws;
    lxw_row_t row = 0, head;
    size_t r, c;
    lxw_error e;

    if (t->ncols == 0 || t->ncols > LXW_COL_MAX
        || t->nrows > (size_t)LXW_ROW_MAX - 6) {
        snprintf(errbuf, errlen, "table %lu is too large for a worksheet "
                 "(%lu rows, %lu columns)", (unsigned long)index + 1,
                 (unsigned long)t->nrows, (unsigned long)t->ncols);
        return -1;
    }
    sheet_name(wb, t->title, index, name, sizeof name);
    ws = workbook_add_worksheet(wb, name);
    if (ws == NULL) {
        snprintf(errbuf, errlen, "cannot add a worksheet for table %lu",
                 (unsigned long)index + 1);
        return -1;
    }
    if (t->title != NULL)
        worksheet_write_string(ws, row++, 0, t->title, f->bold);
    if (t->not_for_publication)
        worksheet_write_string(ws, row++, 0, BANNER, f->banner);
    head = row;
    for (c = 0; c < t->ncols; c++) {
        e = worksheet_write_string(ws, row, (lxw_col_t)c, t->columns[c],
                                   f->bold);
        if (e != LXW_NO_ERROR)
            return fail(errbuf, errlen, "header", e);
    }
    row++;
    for (r = 0; r < t->nrows; r++, row++)
        for (c = 0; c < t->ncols; c++) {
            const spiral_cell_t *cell = &t->cells[r * t->ncols + c];
            lxw_col_t col = (lxw_col_t)c;

            e = LXW_NO_ERROR;
            switch (cell->kind) {
            case SPIRAL_CELL_NUMBER:
                e = worksheet_write_number(ws, row, col, cell->number, NULL);
                break;
            case SPIRAL_CELL_TEXT:
                if (cell->text != NULL && *cell->text)
                    e = worksheet_write_string(ws, row, col, cell->text,
                                               NULL);
                break;
            case SPIRAL_CELL_SUPPRESSED:
            case SPIRAL_CELL_UNDEFINED: {
                int sup = cell->kind == SPIRAL_CELL_SUPPRESSED;
                char note[512];

                if (cell->text != NULL && *cell->text)
                    e = worksheet_write_string(ws, row, col, cell->text,
                                               NULL);
                if (e == LXW_NO_ERROR && (sup || cell->note != NULL)) {
                    /* A suppressed cell's comment always starts with
                     * "suppressed", without saying it twice. */
                    int prefix = sup && (cell->note == NULL
                                         || strncmp(cell->note, "suppressed",
                                                    10) != 0);

                    snprintf(note, sizeof note, "%s%s%s",
                             prefix ? "suppressed" : "",
                             prefix && cell->note ? ": " : "",
                             cell->note ? cell->note : "");
                    e = worksheet_write_comment(ws, row, col, note);
                }
                break;
            }
            default:
                break;
            }
            if (e != LXW_NO_ERROR)
                return fail(errbuf, errlen, "cell", e);
        }
    if (t->note != NULL)
        worksheet_write_string(ws, row + 1, 0, t->note, NULL);

    for (c = 0; c < t->ncols; c++) {
        int w = width_of(t->columns[c]);

        for (r = 0; r < t->nrows; r++) {
            const spiral_cell_t *cell = &t->cells[r * t->ncols + c];
            char num[32];
            int cw = 0;

            if (cell->kind == SPIRAL_CELL_NUMBER)
                cw = snprintf(num, sizeof num, "%.10g", cell->number);
            else if (cell->text != NULL)
                cw = width_of(cell->text);
            if (cw > w)
                w = cw;
        }
        w += 2;
        w = w < MIN_WIDTH ? MIN_WIDTH : w > MAX_WIDTH ? MAX_WIDTH : w;
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
    }
    worksheet_freeze_panes(ws, head + 1, 0);
    return 0;
}

/* The ABI's C entry: write ntables tables to path. */
static int
write_tables(const char *path, const spiral_table_t *const *tables,
             size_t ntables, char *errbuf, size_t errlen)
{
    lxw_workbook *wb;
    struct formats f;
    size_t i;
    lxw_error e;

    if (ntables == 0) {
        snprintf(errbuf, errlen, "no table to write");
        return -1;
    }
    wb = workbook_new(path);
    if (wb == NULL) {
        snprintf(errbuf, errlen, "cannot create workbook %s", path);
        return -1;
    }
    f.bold = workbook_add_format(wb);
    format_set_bold(f.bold);
    f.banner = workbook_add_format(wb);
    format_set_bold(f.banner);
    format_set_font_color(f.banner, LXW_COLOR_RED);
    for (i = 0; i < ntables; i++)
        if (write_sheet(wb, &f, tables[i], i, errbuf, errlen) != 0) {
            /* workbook_close would write a partial file: free it instead. */
            lxw_workbook_free(wb);
            return -1;
        }
    e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        snprintf(errbuf, errlen, "%s: %s", path, lxw_strerror(e));
        return -1;
    }
    return 0;
}

/***
 * spiral.xlsx.write(name, table_or_tables) -> true | nil, message
 *
 * Write one result table, or a list of them (one sheet each), to the
 * workbook `name` in the workspace output folder.  A value that is not a
 * result table raises an error; a name outside the output folder or a
 * write failure returns nil and a message.
 */
static int
l_xlsx_write(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    const spiral_table_t *const *tables = NULL;
    const char *path, *msg = NULL;
    size_t n = 0;
    char errbuf[512];

    luaL_checkany(L, 2);
    if (!host->check_tables(L, 2, &tables, &n, &msg))
        return luaL_argerror(L, 2, msg);
    path = host->output_path(L, name, &msg);
    if (path == NULL) {
        lua_pushnil(L);
        lua_pushstring(L, msg);
        return 2;
    }
    if (write_tables(path, tables, n, errbuf, sizeof errbuf) != 0) {
        lua_pushnil(L);
        lua_pushstring(L, errbuf);
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int
open_xlsx(lua_State *L, const spiral_host_t *h)
{
    static const luaL_Reg fns[] = {
        { "write", l_xlsx_write },
        { NULL, NULL }
    };

    host = h;
    luaL_newlib(L, fns);
    return 1;
}

SPIRAL_PLUGIN_EXPORT const spiral_plugin_t spiral_plugin_entry = {
    SPIRAL_PLUGIN_ABI, LUA_VERSION_NUM, "xlsx", "1.0", open_xlsx,
    "xlsx", write_tables
};
