/*
 * fuzz_csv.c -- libFuzzer target for the CSV reader (core/sp_csv.c).
 *
 * The first input byte picks the options (delimiter and encoding, forced or
 * detected); the rest is the file, given to the reader through a memfd.
 * Every input is read twice, with and without the quote-free fast path,
 * and the two runs must give the same records and the same error: that is
 * the check that the fast path follows libcsv's rules.  Every field must
 * be valid UTF-8, and the number and text helpers run over each field.
 * `make fuzz` links this file with -fsanitize=fuzzer; the unit test
 * tests/unit/test_csv.c links it normally and replays tests/fuzz/corpus.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memfd_create */
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <apr_general.h>
#include "sp_csv.h"
#include "sp_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "fuzz_csv: check failed: %s (line %d)\n",      \
                    #cond, __LINE__);                                      \
            abort();                                                       \
        }                                                                  \
    } while (0)

static void
touch_field(const char *s, size_t len, apr_pool_t *pool)
{
    double d;
    long long ll;

    CHECK(strlen(s) <= len); /* fields may hold NUL bytes, never more */
    CHECK(sp_text_utf8_valid(s, len, NULL));
    (void)sp_parse_real(s, 0, &d);
    (void)sp_parse_real(s, 1, &d);
    (void)sp_parse_int(s, &ll);
    (void)sp_text_width(s);
    (void)sp_text_fold(s, pool);
}

static int
same_error(const sp_error_t *a, const sp_error_t *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return a->status == b->status && a->line == b->line
           && a->column == b->column && strcmp(a->message, b->message) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int delims[4] = {0, ',', ';', '\t'};
    static int ready;
    sp_csv_options_t opt;
    apr_pool_t *pool;
    sp_csv_t *fast = NULL, *slow = NULL;
    sp_error_t *efast = NULL, *eslow = NULL;
    int sf, ss, fd;

    if (size == 0)
        return 0;
    if (!ready) {
        apr_initialize();
        ready = 1;
    }
    opt.delimiter = delims[data[0] & 3];
    opt.encoding = (sp_encoding_t)((data[0] >> 2) & 3);
    fd = memfd_create("fuzz.csv", MFD_CLOEXEC);
    CHECK(fd >= 0);
    CHECK(write(fd, data + 1, size - 1) == (ssize_t)(size - 1));
    apr_pool_create(&pool, NULL);

    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    sf = sp_csv_open_fd(&fast, fd, "fuzz.csv", &opt, pool, &efast);
    if (sf != SP_OK) {
        CHECK(efast != NULL && fast == NULL);
        goto done;
    }
    /* The second reader needs its own descriptor offset. */
    {
        int fd2 = memfd_create("fuzz2.csv", MFD_CLOEXEC);
        CHECK(fd2 >= 0);
        CHECK(write(fd2, data + 1, size - 1) == (ssize_t)(size - 1));
        CHECK(lseek(fd2, 0, SEEK_SET) == 0);
        ss = sp_csv_open_fd(&slow, fd2, "fuzz.csv", &opt, pool, &eslow);
        CHECK(ss == SP_OK);
        sp_csv_set_fast_path(slow, 0);
        for (;;) {
            sp_csv_record_t a, b;
            size_t i;

            sf = sp_csv_next(fast, &a, &efast);
            ss = sp_csv_next(slow, &b, &eslow);
            CHECK(sf == ss);
            if (sf != 1)
                break;
            CHECK(a.nfields == b.nfields && a.nfields > 0);
            CHECK(a.line == b.line && a.index == b.index);
            for (i = 0; i < a.nfields; i++) {
                CHECK(a.len[i] == b.len[i]);
                CHECK(memcmp(a.field[i], b.field[i], a.len[i] + 1) == 0);
                touch_field(a.field[i], a.len[i], pool);
            }
        }
        CHECK(sf == SP_OK || same_error(efast, eslow));
        apr_pool_clear(pool); /* the readers' cleanups run before close */
        close(fd2);
    }
done:
    apr_pool_destroy(pool);
    close(fd);
    return 0;
}
