/*
 * sp_sdc.c -- small-cell suppression along lines of counts (sp_sdc.h).
 */
#include <stdint.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_sdc.h"

int
sp_sdc_small(double n, double min_cell)
{
    return n > 0 && n < min_cell;
}

const char *
sp_sdc_count_text(double n, double min_cell, int no_suppress, apr_pool_t *pool)
{
    if (!no_suppress && sp_sdc_small(n, min_cell))
        return apr_psprintf(pool, "<%g", min_cell);
    return apr_psprintf(pool, "%.0f", n);
}

int
sp_sdc_protect_line(unsigned char *supp, const double *count, size_t start, size_t stride,
                    size_t len, size_t grand)
{
    size_t nsupp = 0, best = SIZE_MAX, k;

    for (k = 0; k < len; k++)
        nsupp += supp[start + k * stride] != SP_SDC_SHOWN;
    if (nsupp != 1)
        return 0;
    for (k = 0; k + 1 < len; k++) {
        size_t e = start + k * stride;

        if (supp[e] == SP_SDC_SHOWN && count[e] > 0
            && (best == SIZE_MAX || count[e] < count[best]))
            best = e;
    }
    if (best == SIZE_MAX) {
        size_t e = start + (len - 1) * stride;

        if (e != grand && supp[e] == SP_SDC_SHOWN && count[e] > 0)
            best = e;
    }
    if (best == SIZE_MAX)
        return -1;
    supp[best] = SP_SDC_SECONDARY;
    return 1;
}

int
sp_sdc_protect_table(const double *count, size_t nr, size_t nc, double min_cell,
                     int margins_too, unsigned char *supp)
{
    size_t w = nc + 1, grand = nr * w + nc, i, j;
    int changed, stuck;

    memset(supp, SP_SDC_SHOWN, (nr + 1) * w);
    for (i = 0; i <= nr; i++)
        for (j = 0; j <= nc; j++)
            if ((margins_too || (i < nr && j < nc))
                && sp_sdc_small(count[i * w + j], min_cell))
                supp[i * w + j] = SP_SDC_PRIMARY;
    do {
        changed = 0;
        stuck = 0;
        for (i = 0; i <= nr; i++) {
            int rc = sp_sdc_protect_line(supp, count, i * w, 1, w, grand);

            changed |= rc > 0;
            stuck |= rc < 0;
        }
        for (j = 0; j <= nc; j++) {
            int rc = sp_sdc_protect_line(supp, count, j, w, nr + 1, grand);

            changed |= rc > 0;
            stuck |= rc < 0;
        }
    } while (changed);
    return !stuck;
}
