/*
 * sp_error.c -- building and printing error records (see sp_error.h).
 */
#include <stdarg.h>
#include <apr_strings.h>
#include "config.h"
#include "spiral.h"

int
sp_error_set(sp_error_t **err, apr_pool_t *pool, int status, const char *file,
             long line, long column, const char *fmt, ...)
{
    va_list ap;
    sp_error_t *e;

    if (err == NULL)
        return status;
    e = apr_pcalloc(pool, sizeof *e);
    e->status = status;
    e->file = file ? apr_pstrdup(pool, file) : NULL;
    e->line = line;
    e->column = column;
    va_start(ap, fmt);
    e->message = apr_pvsprintf(pool, fmt, ap);
    va_end(ap);
    *err = e;
    return status;
}

void
sp_error_print(const sp_error_t *err, const char *progname, FILE *out)
{
    if (err == NULL)
        return;
    if (err->file != NULL) {
        fputs(err->file, out);
        if (err->line > 0) {
            fprintf(out, ":%ld", err->line);
            if (err->column > 0)
                fprintf(out, ":%ld", err->column);
        }
        fputs(": ", out);
    } else if (progname != NULL) {
        fprintf(out, "%s: ", progname);
    }
    fprintf(out, "%s\n", err->message);
}

const char *
sp_version(void)
{
    return PACKAGE_VERSION;
}
