/*
 * sp_scan_dict.c -- building the dictionaries of sp_scan_dict.h.
 *
 * Everything here runs once per distinct value or once per scan, never
 * per row: creating and freeing a thread's dictionary, and adding a value
 * the inline lookup did not find (growing the arrays and rehashing when
 * they are full, testing the value against the --where terms).
 */
#include <stdlib.h>
#include <string.h>
#include "sp_scan.h"
#include "sp_scan_dict.h"

int
sp_scan_dict_init(dict_t *d, const sp_where_term_t **terms, size_t nterms)
{
    memset(d, 0, sizeof *d);
    d->cap = 64;
    d->mask = 127;
    d->slot = calloc(d->mask + 1, sizeof *d->slot);
    d->str = calloc(d->cap + 1, sizeof *d->str);
    d->len = calloc(d->cap + 1, sizeof *d->len);
    d->hash = calloc(d->cap + 1, sizeof *d->hash);
    d->terms = terms;
    d->nterms = nterms;
    d->owned = 1;
    if (nterms) {
        size_t t;

        d->pass = calloc(d->cap + 1, 1);
        d->pass[0] = 1;
        for (t = 0; t < nterms; t++)
            d->pass[0] &= (uint8_t)sp_where_term_test(terms[t], "", 0);
    }
    d->str[0] = (char *)"";
    return d->slot && d->str && d->len && d->hash && (!nterms || d->pass);
}

void
sp_scan_dict_free(dict_t *d)
{
    uint32_t i;

    if (d->owned)
        for (i = 1; i <= d->n; i++)
            free(d->str[i]);
    free(d->slot);
    free(d->str);
    free(d->len);
    free(d->hash);
    free(d->pass);
}

static int
dict_grow(dict_t *d)
{
    uint32_t cap = d->cap * 2, i;

    d->str = realloc(d->str, (cap + 1) * sizeof *d->str);
    d->len = realloc(d->len, (cap + 1) * sizeof *d->len);
    d->hash = realloc(d->hash, (cap + 1) * sizeof *d->hash);
    if (d->pass)
        d->pass = realloc(d->pass, cap + 1);
    if (!d->str || !d->len || !d->hash || (d->nterms && !d->pass))
        return 0;
    d->cap = cap;
    if ((d->mask + 1) / 2 < cap) {
        free(d->slot);
        d->mask = d->mask * 2 + 1;
        while ((d->mask + 1) / 2 < cap)
            d->mask = d->mask * 2 + 1;
        if ((d->slot = calloc(d->mask + 1, sizeof *d->slot)) == NULL)
            return 0;
        for (i = 1; i <= d->n; i++) {
            uint32_t h = d->hash[i] & d->mask;

            while (d->slot[h])
                h = (h + 1) & d->mask;
            d->slot[h] = i;
        }
    }
    return 1;
}

long
sp_scan_dict_add(dict_t *d, const char *s, size_t n, uint32_t h, uint32_t i)
{
    uint32_t c;

    if (d->n >= SP_SCAN_MAX_LEVELS)
        return -1;
    if (d->n + 1 > d->cap) {
        if (!dict_grow(d))
            return -1;
        for (i = h & d->mask; d->slot[i]; i = (i + 1) & d->mask)
            ;
    }
    c = ++d->n;
    d->slot[i] = c;
    if ((d->str[c] = malloc(n + 1)) == NULL)
        return -1;
    memcpy(d->str[c], s, n);
    d->str[c][n] = '\0';
    d->len[c] = (uint32_t)n;
    d->hash[c] = h;
    if (d->pass) {
        size_t t;

        d->pass[c] = 1;
        for (t = 0; t < d->nterms; t++)
            d->pass[c] &= (uint8_t)sp_where_term_test(d->terms[t], s, n);
    }
    if (n == 1)
        d->one[(uint8_t)s[0]] = (uint16_t)c;
    return c;
}
