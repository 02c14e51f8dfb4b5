/*
 * sp_error.h -- exit statuses and the error record every core function fills.
 *
 * A core function returns SP_OK or one of the SP_EXIT_* statuses below and,
 * on failure, fills *err with a record allocated in the caller's pool.  The
 * record names where the problem is (input file, line, column, or script
 * and line) so the program can print "file:line:column: message" and exit
 * with the status unchanged.
 */
#ifndef SP_ERROR_H
#define SP_ERROR_H

#include <stdio.h>
#include <apr_pools.h>

/* Exit statuses, documented in README.md and spiral.1 (sysexits where one fits). */
#define SP_OK            0
#define SP_EXIT_PARTIAL  1   /* a batch finished but some part of it failed */
#define SP_EXIT_SCRIPT   3   /* a Lua script raised an error or hit a limit */
#define SP_EXIT_USAGE   64   /* bad command line */
#define SP_EXIT_DATA    65   /* bad input data */
#define SP_EXIT_NOINPUT 66   /* input file missing or unreadable */
#define SP_EXIT_SOFTWARE 70  /* internal error: a bug or a broken database */
#define SP_EXIT_CANTCREAT 73 /* cannot create an output file */
#define SP_EXIT_IO      74   /* I/O error while reading or writing */

typedef struct sp_error_t {
    int status;          /* one of SP_EXIT_* */
    const char *file;    /* input file or script name, or NULL */
    long line;           /* 1-based, 0 when unknown */
    long column;         /* 1-based, 0 when unknown */
    const char *message; /* one line, no trailing newline */
} sp_error_t;

/* Fill *err (when err is not NULL) with a record allocated in pool and
 * return status, so callers write `return sp_error_set(err, ...)`. */
int sp_error_set(sp_error_t **err, apr_pool_t *pool, int status,
                 const char *file, long line, long column,
                 const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Print "file:line:column: message" (parts that are unknown are left out). */
void sp_error_print(const sp_error_t *err, const char *progname, FILE *out);

#endif
