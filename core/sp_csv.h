/*
 * sp_csv.h -- a streaming CSV reader for the files real users send.
 *
 * Built on libcsv.  It detects the delimiter (comma, semicolon, tab), the
 * encoding (UTF-8 with or without BOM, Windows-1252, Latin-1) and converts
 * everything to UTF-8; it refuses invalid UTF-8 with its position instead of
 * storing mojibake; it accepts CRLF, quoted fields with embedded delimiters,
 * quotes and newlines, and a missing final newline.  Memory stays flat: one
 * record is held at a time.  Every record carries the physical line where it
 * starts so that callers can report "file:line:column".
 */
#ifndef SP_CSV_H
#define SP_CSV_H

#include <stddef.h>
#include <apr_pools.h>
#include "sp_error.h"

typedef enum {
    SP_ENC_DETECT = 0,
    SP_ENC_UTF8,
    SP_ENC_CP1252,
    SP_ENC_LATIN1
} sp_encoding_t;

typedef struct sp_csv_options_t {
    int delimiter;          /* ',', ';', '\t', or 0 to detect */
    sp_encoding_t encoding; /* SP_ENC_DETECT to detect */
} sp_csv_options_t;

typedef struct sp_csv_record_t {
    size_t nfields;
    const char *const *field; /* UTF-8, NUL-terminated; valid until next call */
    const size_t *len;        /* byte length of each field */
    long line;                /* physical line (1-based) where the record starts */
    long index;               /* record number, header is 0 */
} sp_csv_record_t;

typedef struct sp_csv_t sp_csv_t;

/* Open path for reading.  Detection reads the first 64 KiB.  A missing file
 * gives SP_EXIT_NOINPUT; an empty file SP_EXIT_DATA ("file is empty").
 * The reader is closed by a cleanup on pool. */
int sp_csv_open(sp_csv_t **csv, const char *path,
                const sp_csv_options_t *options, apr_pool_t *pool,
                sp_error_t **err);

/* The same on a descriptor that is already open (a pipe, standard input, a
 * memfd); name stands for the file in messages.  The reader does not close
 * fd: the caller does, after the pool is cleared. */
int sp_csv_open_fd(sp_csv_t **csv, int fd, const char *name,
                   const sp_csv_options_t *options, apr_pool_t *pool,
                   sp_error_t **err);

/* Read the next record into *rec.  Returns 1 when a record was read, 0 at
 * end of file, or an SP_EXIT_* status with *err filled (unterminated quote,
 * invalid UTF-8, I/O error).  Blank lines are skipped. */
int sp_csv_next(sp_csv_t *csv, sp_csv_record_t *rec, sp_error_t **err);

/* Lines that start a record and hold no quote are split without libcsv,
 * following its rules; enabled by default.  Tests and the fuzzer turn it
 * off to check that both paths give the same records. */
void sp_csv_set_fast_path(sp_csv_t *csv, int enabled);

/* What detection found (after sp_csv_open). */
int sp_csv_delimiter(const sp_csv_t *csv);
sp_encoding_t sp_csv_encoding(const sp_csv_t *csv);
const char *sp_csv_encoding_name(sp_encoding_t enc);
/* Bytes consumed so far and total file size, for progress bars. */
apr_off_t sp_csv_offset(const sp_csv_t *csv);
apr_off_t sp_csv_size(const sp_csv_t *csv);
/* The file name as given to sp_csv_open, for messages. */
const char *sp_csv_path(const sp_csv_t *csv);

/* Parse an encoding name ("utf-8", "windows-1252", "cp1252", "latin1",
 * "iso-8859-1", "auto"); returns -1 when unknown. */
int sp_csv_parse_encoding(const char *name);

/* Parse a number as written in a CSV field: optional sign, digits, one
 * decimal separator ('.' or, when decimal_comma, ','), optional exponent;
 * surrounding spaces allowed.  Returns 1 and sets *out on success, 0 otherwise. */
int sp_parse_real(const char *s, int decimal_comma, double *out);
/* Same for integers (no separator, no exponent) within long long. */
int sp_parse_int(const char *s, long long *out);

#endif
