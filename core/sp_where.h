/*
 * sp_where.h -- the filter of --where and the order of levels.
 *
 * Two rules on the values of a variable, not on rows: a scan (sp_scan.h,
 * which includes this header) tests a --where term once per distinct value
 * as its dictionaries grow, and sorts the levels of a result once, after
 * the threads' dictionaries are merged.  Neither knows about sources or
 * threads; sp_where.c holds both.
 */
#ifndef SP_WHERE_H
#define SP_WHERE_H

#include <stddef.h>
#include <apr_pools.h>
#include "sp_error.h"

/* ---- --where -------------------------------------------------------------
 * Grammar (spaces around tokens are ignored):
 *   filter := term { "," term }          terms are ANDed
 *   term   := VAR "=" VALUE | VAR "!=" VALUE | VAR " in " VALUE { "|" VALUE }
 * Values are compared as text with the field as read (an empty VALUE means
 * missing: `gender=` keeps the rows without gender, `gender!=` drops them).
 * The predicate is evaluated once per distinct value, not per row. */
typedef enum sp_where_op_t { SP_WHERE_EQ, SP_WHERE_NE, SP_WHERE_IN } sp_where_op_t;

typedef struct sp_where_term_t {
    const char *var;
    sp_where_op_t op;
    size_t nvalues;
    const char *const *values;
} sp_where_term_t;

typedef struct sp_where_t {
    size_t nterms;
    const sp_where_term_t *terms;
} sp_where_t;

/* Parse text into *out (allocated in pool).  SP_EXIT_USAGE with the
 * offending term in the message when the text does not follow the grammar. */
int sp_where_parse(const char *text, sp_where_t **out, apr_pool_t *pool,
                   sp_error_t **err);

/* 1 when a value of term's variable passes the term ("" = missing). */
int sp_where_term_test(const sp_where_term_t *term, const char *value, size_t len);

/* ---- level order ---------------------------------------------------------- */

/* Sort strings in place the way levels are sorted: numerically when all of
 * them are numbers (ties by bytes), else by bytes.  decimal_comma: 1,5
 * counts as a number too. */
void sp_scan_sort_levels(const char **values, size_t n, int decimal_comma);

#endif
