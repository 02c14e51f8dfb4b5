/*
 * sp_text.c -- UTF-8 validation, display width, folding and padding (see
 * sp_text.h).
 *
 * sp_text_utf8_valid is on the hot path of the CSV reader (sp_csv.c), so it
 * skips ASCII sixteen bytes at a time and decodes multi-byte sequences with
 * the byte ranges of Unicode's table 3-7 (well-formed UTF-8).  The other
 * functions lean on utf8proc for the Unicode data.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <utf8proc.h>
#include "sp_text.h"

#define HIGH_BITS 0x8080808080808080ULL

static int
in_range(unsigned char c, unsigned char lo, unsigned char hi)
{
    return c >= lo && c <= hi;
}

/* Length of the well-formed sequence at p (end excluded), or 0. */
static size_t
sequence_length(const unsigned char *p, const unsigned char *end)
{
    size_t avail = (size_t)(end - p);
    unsigned char c = p[0];

    if (in_range(c, 0xC2, 0xDF))
        return avail >= 2 && in_range(p[1], 0x80, 0xBF) ? 2 : 0;
    if (in_range(c, 0xE0, 0xEF)) {
        unsigned char lo = 0x80, hi = 0xBF;
        if (c == 0xE0)
            lo = 0xA0;          /* overlong */
        else if (c == 0xED)
            hi = 0x9F;          /* surrogates */
        return avail >= 3 && in_range(p[1], lo, hi)
               && in_range(p[2], 0x80, 0xBF) ? 3 : 0;
    }
    if (in_range(c, 0xF0, 0xF4)) {
        unsigned char lo = 0x80, hi = 0xBF;
        if (c == 0xF0)
            lo = 0x90;          /* overlong */
        else if (c == 0xF4)
            hi = 0x8F;          /* above U+10FFFF */
        return avail >= 4 && in_range(p[1], lo, hi)
               && in_range(p[2], 0x80, 0xBF)
               && in_range(p[3], 0x80, 0xBF) ? 4 : 0;
    }
    return 0;
}

int
sp_text_utf8_valid(const char *s, size_t n, size_t *bad_offset)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + n;

    while (p < end) {
        if (*p < 0x80) {
            while (end - p >= 16) {
                uint64_t a, b;
                memcpy(&a, p, 8);
                memcpy(&b, p + 8, 8);
                if ((a | b) & HIGH_BITS)
                    break;
                p += 16;
            }
            while (p < end && *p < 0x80)
                p++;
        } else {
            size_t len = sequence_length(p, end);
            if (len == 0) {
                if (bad_offset != NULL)
                    *bad_offset = (size_t)(p - (const unsigned char *)s);
                return 0;
            }
            p += len;
        }
    }
    return 1;
}

int
sp_text_width(const char *utf8)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)utf8;
    int width = 0;

    if (utf8 == NULL)
        return 0;
    while (*p != '\0') {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0) {
            width++;
            p++;
            continue;
        }
        width += utf8proc_charwidth(cp);
        p += n;
    }
    return width;
}

char *
sp_text_fold(const char *s, apr_pool_t *pool)
{
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n;
    char *copy;

    if (s == NULL)
        return NULL;
    /* utf8proc refuses DECOMPOSE together with COMPOSE; COMPOSE decomposes
     * first anyway, and STRIPMARK drops the marks in between. */
    n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_CASEFOLD
                     | UTF8PROC_STRIPMARK | UTF8PROC_COMPOSE);
    if (n < 0)
        return NULL;
    copy = apr_pstrmemdup(pool, (const char *)folded, (apr_size_t)n);
    free(folded);
    return copy;
}

char *
sp_text_pad(apr_pool_t *pool, const char *s, int width, int right_align)
{
    size_t len, pad;
    int w;
    char *out;

    if (s == NULL)
        s = "";
    w = sp_text_width(s);
    len = strlen(s);
    if (w >= width)
        return apr_pstrmemdup(pool, s, len);
    pad = (size_t)(width - w);
    out = apr_palloc(pool, len + pad + 1);
    if (right_align) {
        memset(out, ' ', pad);
        memcpy(out + pad, s, len);
    } else {
        memcpy(out, s, len);
        memset(out + len, ' ', pad);
    }
    out[len + pad] = '\0';
    return out;
}
