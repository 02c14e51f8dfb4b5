/*
 * sp_scan_dict.h -- the dictionaries of a scan: value text <-> code.
 *
 * A CSV scan codes every field it projects in a dictionary of its own
 * thread (codes 1.. in the order first seen, 0 = missing), so the threads
 * never share a hash table; sp_scan.c merges the dictionaries into sorted
 * levels at the end.  The workspace scan fills the same structure from the
 * dictionaries of sp_colstore.h (owned = 0, no hash).  With --where, each
 * code carries pass[code], the term tested once when the value first
 * appears.  The lookup is inline because it runs once per field of every
 * row; growing and inserting (once per distinct value) are in
 * sp_scan_dict.c.  Internal to libspiral.
 */
#ifndef SP_SCAN_DICT_H
#define SP_SCAN_DICT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "sp_where.h"

typedef struct dict_t {
    uint32_t n;          /* codes 1..n */
    uint32_t cap;        /* of str, len, hash, pass */
    uint32_t *slot;      /* open addressing: code or 0 */
    uint32_t mask;
    char **str;          /* str[code]; str[0] = "" */
    uint32_t *len;
    uint32_t *hash;
    uint16_t one[256];   /* code of each one-byte value, 0 = not yet seen */
    uint8_t *pass;       /* pass[code] of --where; NULL when unfiltered */
    const sp_where_term_t **terms;
    size_t nterms;
    int owned;           /* strings malloc'd by this dictionary */
} dict_t;

/* An empty dictionary filtered by terms[0..nterms); 0 when memory runs
 * out (sp_scan_dict_free releases what was allocated). */
int sp_scan_dict_init(dict_t *d, const sp_where_term_t **terms, size_t nterms);

void sp_scan_dict_free(dict_t *d);

/* Insert s[0..n), which dict_code did not find: h is its hash, i the free
 * slot where the probe stopped.  Its code, or -1 when the dictionary is
 * full or memory runs out. */
long sp_scan_dict_add(dict_t *d, const char *s, size_t n, uint32_t h, uint32_t i);

static inline uint32_t
fnv(const char *s, size_t n)
{
    uint32_t h = 2166136261u;

    while (n--)
        h = (h ^ (uint8_t)*s++) * 16777619u;
    return h;
}

/* Code of s[0..n), inserting it.  0 for the empty value; -1 when the
 * dictionary is full or memory runs out. */
static inline long
dict_code(dict_t *d, const char *s, size_t n)
{
    uint32_t h, i, c;

    if (n == 0)
        return 0;
    if (n == 1 && d->one[(uint8_t)s[0]])
        return d->one[(uint8_t)s[0]];
    h = fnv(s, n);
    for (i = h & d->mask; (c = d->slot[i]) != 0; i = (i + 1) & d->mask)
        if (d->hash[c] == h && d->len[c] == n && memcmp(d->str[c], s, n) == 0)
            return c;
    return sp_scan_dict_add(d, s, n, h, i);
}

#endif
