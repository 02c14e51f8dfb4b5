/*
 * sp_text.h -- small UTF-8 utilities shared by the reader, the tables and
 * the terminal output.
 *
 * Validation is hand-written for speed (the CSV reader runs it over every
 * byte of every input file); everything that needs Unicode tables -- display
 * width, case folding, accent stripping -- goes through utf8proc so that the
 * tables follow the Unicode version of the system library.  Strings are
 * NUL-terminated UTF-8 unless a length is given.
 */
#ifndef SP_TEXT_H
#define SP_TEXT_H

#include <stddef.h>
#include <apr_pools.h>

/* Return 1 when the n bytes at s are well-formed UTF-8 (no overlong forms,
 * no surrogates, nothing above U+10FFFF, no sequence cut by the end).
 * Otherwise return 0 and, when bad_offset is not NULL, store the offset of
 * the first byte of the first ill-formed sequence.  ASCII runs are checked
 * eight bytes at a time. */
int sp_text_utf8_valid(const char *s, size_t n, size_t *bad_offset);

/* Display width of utf8 in terminal columns: combining marks and control
 * characters count 0, East Asian wide and fullwidth characters 2, others 1.
 * Bytes that are not valid UTF-8 count 1 each (a terminal shows one
 * replacement character for each).  NULL counts 0. */
int sp_text_width(const char *utf8);

/* Fold s for accent- and case-insensitive matching: NFD, case folding,
 * combining marks removed, NFC ("Énergie" and "energie" fold equal).  The
 * result is allocated in pool.  Returns NULL when s is NULL or not valid
 * UTF-8. */
char *sp_text_fold(const char *s, apr_pool_t *pool);

/* Return a copy of s (allocated in pool) padded with spaces to width display
 * columns, on the left when right_align is non-zero, else on the right.  A
 * string already at least that wide is copied unchanged (never truncated).
 * NB: the pool comes first here, as the callers were promised. */
char *sp_text_pad(apr_pool_t *pool, const char *s, int width, int right_align);

#endif
