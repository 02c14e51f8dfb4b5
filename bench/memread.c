/*
 * memread.c -- the "memory read" baseline of bench/run_scan.sh: the time
 * it takes to read, from memory, the bytes of the columns a workspace J1
 * scan needs (one byte of q01, one of neighbourhood and an 8-byte weight
 * per row), with two threads as the scan uses.  The arrays are filled
 * first (not timed); the timed part sums them, so that the compiler cannot
 * skip the reads.  Prints the best of 5 runs in milliseconds.
 *
 * usage: memread [-n ROWS]      (default 10000000)
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct part_t {
    const uint8_t *a, *b;
    const double *w;
    size_t n;
    double sum;
} part_t;

static double
now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *
sum_part(void *data)
{
    part_t *p = data;
    uint64_t s = 0;
    double sw = 0;
    size_t i;

    for (i = 0; i < p->n; i++) {
        s += p->a[i] + p->b[i];
        sw += p->w[i];
    }
    p->sum = sw + (double)s;
    return NULL;
}

int
main(int argc, char **argv)
{
    size_t n = 10000000, i;
    uint8_t *a, *b;
    double *w, best = 1e9, total = 0;
    int run;

    if (argc == 3 && strcmp(argv[1], "-n") == 0)
        n = (size_t)strtoull(argv[2], NULL, 10);
    a = malloc(n);
    b = malloc(n);
    w = malloc(n * sizeof *w);
    if (!a || !b || !w)
        return 1;
    for (i = 0; i < n; i++) {
        a[i] = (uint8_t)(i % 6);
        b[i] = (uint8_t)(i % 13);
        w[i] = 1.0 + (double)(i % 1000) / 1000.0;
    }
    for (run = 0; run < 5; run++) {
        part_t p[2] = { { a, b, w, n / 2, 0 }, { a + n / 2, b + n / 2, w + n / 2, n - n / 2, 0 } };
        pthread_t t;
        double t0 = now(), dt;

        pthread_create(&t, NULL, sum_part, &p[1]);
        sum_part(&p[0]);
        pthread_join(t, NULL);
        dt = now() - t0;
        total += p[0].sum + p[1].sum;
        if (dt < best)
            best = dt;
    }
    printf("memread: %zu rows, %.1f MB, best of 5: %.2f ms (checksum %.6g)\n", n,
           (double)n * 10 / 1e6, best * 1e3, total);
    free(a);
    free(b);
    free(w);
    return 0;
}
