/*
 * sp_grid.c -- printing the text grids of the workflow commands (see
 * sp_grid.h): aligned text through sp_text_width/sp_text_pad, CSV with
 * RFC 4180 quoting (sp_export_csv_field), and results as JSON.
 */
#include <math.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_grid.h"
#include "sp_export.h"
#include "sp_text.h"

int
sp_grid_format_parse(const char *name)
{
    if (strcmp(name, "text") == 0)
        return SP_GRID_TEXT;
    if (strcmp(name, "csv") == 0)
        return SP_GRID_CSV;
    if (strcmp(name, "json") == 0)
        return SP_GRID_JSON;
    return -1;
}

json_t *
sp_grid_new(const char *title, const char *const *names, const int *right, size_t ncols)
{
    json_t *grid = json_object(), *cols = json_array(), *align = json_array();
    size_t i;

    for (i = 0; i < ncols; i++) {
        json_array_append_new(cols, json_string(names[i]));
        json_array_append_new(align, json_boolean(right != NULL && right[i]));
    }
    json_object_set_new(grid, "title", title ? json_string(title) : json_null());
    json_object_set_new(grid, "columns", cols);
    json_object_set_new(grid, "right", align);
    json_object_set_new(grid, "rows", json_array());
    json_object_set_new(grid, "notes", json_array());
    return grid;
}

void
sp_grid_add_row(json_t *grid, const char *const *cells, size_t ncols)
{
    json_t *row = json_array();
    size_t i;

    for (i = 0; i < ncols; i++)
        json_array_append_new(row, cells[i] ? json_string(cells[i]) : json_null());
    json_array_append_new(json_object_get(grid, "rows"), row);
}

void
sp_grid_add_note(json_t *grid, const char *note)
{
    json_array_append_new(json_object_get(grid, "notes"), json_string(note));
}

static const char *
cell(const json_t *row, size_t i)
{
    const char *s = json_string_value(json_array_get(row, i));

    return s ? s : "";
}

/* One CSV line of the first n cells of row (RFC 4180 quoting). */
static void
csv_line(const json_t *row, size_t n, FILE *out)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const char *s = cell(row, i);

        if (i)
            fputc(',', out);
        sp_export_csv_field(out, s, strlen(s), ',');
    }
    fputc('\n', out);
}

static void
print_csv(const json_t *grid, FILE *out)
{
    const json_t *cols = json_object_get(grid, "columns"), *row;
    size_t r, n = json_array_size(cols);

    csv_line(cols, n, out);
    json_array_foreach(json_object_get(grid, "rows"), r, row)
        csv_line(row, n, out);
}

static void
print_text(const json_t *grid, FILE *out, apr_pool_t *pool)
{
    const json_t *cols = json_object_get(grid, "columns"), *rows = json_object_get(grid, "rows");
    const json_t *right = json_object_get(grid, "right"), *row, *note;
    const char *title = json_string_value(json_object_get(grid, "title"));
    size_t i, r, n = json_array_size(cols);
    int *width = apr_pcalloc(pool, sizeof(int) * (n + 1)), total = 0;

    for (i = 0; i < n; i++) {
        width[i] = sp_text_width(cell(cols, i));
        json_array_foreach(rows, r, row) {
            int w = sp_text_width(cell(row, i));

            if (w > width[i])
                width[i] = w;
        }
        total += width[i] + (i ? 2 : 0);
    }
    if (title)
        fprintf(out, "%s\n\n", title);
    for (i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? "  " : "",
                sp_text_pad(pool, cell(cols, i), i + 1 < n || json_is_true(json_array_get(right, i))
                            ? width[i] : 0, json_is_true(json_array_get(right, i))));
    fputc('\n', out);
    for (i = 0; i < (size_t)total; i++)
        fputc('-', out);
    fputc('\n', out);
    json_array_foreach(rows, r, row) {
        for (i = 0; i < n; i++) {
            int align = json_is_true(json_array_get(right, i));

            /* The last column is not padded on the right: no trailing blanks. */
            fprintf(out, "%s%s", i ? "  " : "",
                    sp_text_pad(pool, cell(row, i), i + 1 < n || align ? width[i] : 0, align));
        }
        fputc('\n', out);
    }
    if (json_array_size(json_object_get(grid, "notes")) > 0)
        fputc('\n', out);
    json_array_foreach(json_object_get(grid, "notes"), r, note)
        fprintf(out, "%s\n", json_string_value(note));
}

int
sp_grid_print(const json_t *grid, sp_grid_format_t format, FILE *out, apr_pool_t *pool,
              sp_error_t **err)
{
    if (format == SP_GRID_CSV)
        print_csv(grid, out);
    else
        print_text(grid, out, pool);
    if (fflush(out) != 0 || ferror(out))
        return sp_error_set(err, pool, SP_EXIT_IO, NULL, 0, 0, "cannot write the output");
    return SP_OK;
}

int
sp_grid_print_json(const json_t *result, FILE *out, apr_pool_t *pool, sp_error_t **err)
{
    if (json_dumpf(result, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER
                   | JSON_REAL_PRECISION(17)) != 0
        || fputc('\n', out) == EOF || fflush(out) != 0)
        return sp_error_set(err, pool, SP_EXIT_IO, NULL, 0, 0, "cannot write the output");
    return SP_OK;
}

static apr_status_t
decref(void *data)
{
    json_decref(data);
    return APR_SUCCESS;
}

json_t *
sp_grid_pool_own(json_t *value, apr_pool_t *pool)
{
    if (value != NULL)
        apr_pool_cleanup_register(pool, value, decref, apr_pool_cleanup_null);
    return value;
}

json_t *
sp_grid_real(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

double
sp_grid_num(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);

    return json_is_number(v) ? json_number_value(v) : NAN;
}

const char *
sp_grid_str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));

    return s ? s : "";
}
