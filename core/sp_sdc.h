/*
 * sp_sdc.h -- small-cell suppression along the lines of a table of counts
 * extended with its margins: the rule of the crosstab (sp_xtab.h), shared
 * with the tables the program builds itself (the report's).
 *
 * A line (a row or a column with its total) that holds exactly one
 * suppressed value would give it back as the total minus the others, so
 * it gets a second one: its smallest non-zero cell still shown (secondary),
 * or, when it has none, its margin.  Zero cells are never sensitive.
 */
#ifndef SP_SDC_H
#define SP_SDC_H

#include <stddef.h>
#include <apr_pools.h>

enum {
    SP_SDC_SHOWN = 0,
    SP_SDC_PRIMARY = 1,    /* 1 .. min_cell-1 records */
    SP_SDC_SECONDARY = 2   /* hidden so that a primary one can't be recovered */
};

/* A count of 1..min_cell-1 records: small (0 discloses nothing). */
int sp_sdc_small(double n, double min_cell);

/* A count for a note or a table: "12", or "<K" when it is small and
 * suppression is on (no_suppress 0).  In pool. */
const char *sp_sdc_count_text(double n, double min_cell, int no_suppress, apr_pool_t *pool);

/* One line: len entries of supp/count from start by stride, the last one
 * its margin; grand (the grand total) is never taken as a partner.
 * Returns 1 when it suppressed something, 0 when the line needs nothing,
 * -1 when it needs a partner and has none. */
int sp_sdc_protect_line(unsigned char *supp, const double *count, size_t start,
                        size_t stride, size_t len, size_t grand);

/* A two-way table: count holds (nr + 1) x (nc + 1) values row by row, row
 * nr and column nc the margins.  Fills supp (same shape): primary for
 * interior cells of 1..min_cell-1 (and margins too when margins_too: a
 * margin is a count of records like any cell), then secondary along every
 * row and column until stable.  Returns 1 when every line is protected, 0
 * when some line had no partner left. */
int sp_sdc_protect_table(const double *count, size_t nr, size_t nc, double min_cell,
                         int margins_too, unsigned char *supp);

#endif
