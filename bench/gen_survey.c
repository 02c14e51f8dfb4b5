/*
 * gen_survey.c -- a deterministic generator of synthetic self-survey data for
 * the benchmarks.
 *
 * It writes N respondents as CSV: id,wave,neighbourhood,age_band,gender,
 * social_category,weight,q01..q30.  The neighbourhood names are real
 * neighbourhoods of Mulhouse but every answer is synthetic: no person is
 * behind any row.  Answers are ordinal codes 1..5 with about 3% missing
 * (empty field); they depend a little on the neighbourhood, the age band and
 * the wave, so that a chi-square is not trivial.  Weights are stratum weights
 * (neighbourhood x age band) times a small individual adjustment, printed
 * with 10 decimals.  The random numbers come from xoshiro256** seeded by
 * splitmix64 and the answer model uses integer arithmetic only, so the output
 * is byte-identical on every machine for a given -n and --seed.
 *
 * usage: gen_survey [-n N] [--seed S] [-o FILE]
 */
#include "config.h"
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sp_rng.h"

#define NQ 30
#define NNB 12
#define NAGE 7

static const char *const neighbourhoods[NNB] = {
    "Drouot-Barbanègre", "Wolf-Wagner", "Briand", "Coteaux", "Dornach",
    "Bourtzwiller", "Fonderie", "Rebberg", "Vauban-Neppert", "Daguerre",
    "Franklin-Fridolin", "Haut-Poirier"
};
/* Relative sizes (per mille) and the neighbourhood effect on answers
 * (thousandths of a level): some neighbourhoods fare worse than others. */
static const unsigned nb_size[NNB] = { 110, 95, 80, 120, 85, 90, 70, 60, 75, 65, 80, 70 };
static const int nb_effect[NNB] = { -450, -300, -250, -350, 200, -200, 50, 450, -100, 100, -150, 300 };

static const char *const age_bands[NAGE] = {
    "0-11", "12-17", "18-29", "30-44", "45-59", "60-74", "75+"
};
static const unsigned age_size[NAGE] = { 90, 80, 170, 200, 190, 170, 100 };
static const int age_effect[NAGE] = { 250, 0, -150, -100, -50, 100, 50 };

static const char *const genders[3] = { "F", "M", "X" };
static const unsigned gender_size[3] = { 510, 470, 20 };

static const char *const socials[6] = {
    "actif", "chômeur", "retraité", "étudiant", "au foyer", "autre"
};
static const unsigned social_size[6] = { 420, 110, 220, 130, 60, 60 };
static const int social_effect[6] = { 100, -300, 50, 50, -50, -100 };

/* Index drawn with probabilities proportional to size[] (sum 1000). */
static unsigned
pick(sp_rng_t *r, const unsigned *size, unsigned n)
{
    uint32_t u = sp_rng_below(r, 1000);
    unsigned i;

    for (i = 0; i + 1 < n; i++) {
        if (u < size[i])
            return i;
        u -= size[i];
    }
    return n - 1;
}

/* About normal, mean 0, sd ~ sd1000/1000 levels, in thousandths: the sum of
 * four uniforms (Irwin-Hall), integer only. */
static int
noise(sp_rng_t *r, int sd1000)
{
    int64_t s = 0;
    int i;

    for (i = 0; i < 4; i++)
        s += sp_rng_below(r, 1000);
    /* sum of 4 U(0,1000) has mean 2000 and sd 1000 * sqrt(4/12) = 577.35 */
    return (int)((s - 2000) * sd1000 / 577);
}

/* ---- output buffer ---- */

typedef struct out_t {
    FILE *f;
    char buf[1 << 16];
    size_t len;
    int failed;
} out_t;

static void
flush(out_t *o)
{
    if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len)
        o->failed = 1;
    o->len = 0;
}

static void
put(out_t *o, const char *s, size_t n)
{
    if (o->len + n > sizeof o->buf)
        flush(o);
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void
puts_(out_t *o, const char *s)
{
    put(o, s, strlen(s));
}

static void
putu(out_t *o, uint64_t v, int width)
{
    char tmp[24];
    int i = (int)sizeof tmp;

    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
        width--;
    } while (v > 0 || width > 0);
    put(o, tmp + i, sizeof tmp - (size_t)i);
}

static void
usage(FILE *f)
{
    fputs("usage: gen_survey [-n N] [--seed S] [-o FILE]\n"
          "Writes N synthetic survey respondents as CSV (default N=1000, S=1, stdout).\n"
          "Neighbourhood names are real (Mulhouse); the data is synthetic.\n", f);
}

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "seed", required_argument, NULL, 's' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    /* stratum weights (neighbourhood x age band), in 1e-10 */
    uint64_t stratum[NNB][NAGE];
    unsigned long long n = 1000, seed = 1, i;
    const char *path = NULL;
    static out_t o;
    sp_rng_t rng;
    char *end;
    int c, q;

    while ((c = getopt_long(argc, argv, "n:s:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'n':
            errno = 0;
            n = strtoull(optarg, &end, 10);
            if (errno || *end || optarg[0] == '-' || n > 99999999ULL) {
                fprintf(stderr, "gen_survey: -n wants a count up to 99999999\n");
                return 64;
            }
            break;
        case 's':
            errno = 0;
            seed = strtoull(optarg, &end, 10);
            if (errno || *end || optarg[0] == '-') {
                fprintf(stderr, "gen_survey: --seed wants a non-negative integer\n");
                return 64;
            }
            break;
        case 'o':
            path = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 64;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 64;
    }
    o.f = path ? fopen(path, "wb") : stdout;
    if (o.f == NULL) {
        fprintf(stderr, "gen_survey: %s: %s\n", path, strerror(errno));
        return 73;
    }

    sp_rng_seed(&rng, seed);
    for (c = 0; c < NNB; c++)
        for (q = 0; q < NAGE; q++)
            stratum[c][q] = 8734567000ULL + sp_rng_below(&rng, 3400000000U - 873456700U) * 10ULL;

    puts_(&o, "id,wave,neighbourhood,age_band,gender,social_category,weight");
    for (q = 1; q <= NQ; q++) {
        puts_(&o, ",q");
        putu(&o, (uint64_t)q, 2);
    }
    put(&o, "\n", 1);

    for (i = 1; i <= n; i++) {
        unsigned nb = pick(&rng, nb_size, NNB);
        unsigned age = pick(&rng, age_size, NAGE);
        unsigned gender = pick(&rng, gender_size, 3);
        unsigned soc = pick(&rng, social_size, 6);
        unsigned wave = sp_rng_below(&rng, 3);
        uint64_t w;
        int person;

        if (age == 0 && soc != 3 && soc != 5)
            soc = 3;                 /* children are pupils */
        /* individual adjustment 0.9 .. 1.1 of the stratum weight */
        w = stratum[nb][age] * (9000 + sp_rng_below(&rng, 2001)) / 10000;
        person = nb_effect[nb] + age_effect[age] + social_effect[soc]
                 + (int)wave * 120 + noise(&rng, 700);
        put(&o, "R", 1);
        putu(&o, i, 7);
        put(&o, ",", 1);
        putu(&o, 2024 + wave, 4);
        put(&o, ",", 1);
        puts_(&o, neighbourhoods[nb]);
        put(&o, ",", 1);
        puts_(&o, age_bands[age]);
        put(&o, ",", 1);
        puts_(&o, genders[gender]);
        put(&o, ",", 1);
        puts_(&o, socials[soc]);
        put(&o, ",", 1);
        putu(&o, w / 10000000000ULL, 1);
        put(&o, ".", 1);
        putu(&o, w % 10000000000ULL, 10);
        for (q = 0; q < NQ; q++) {
            /* item q shifts the level by -0.4 .. +0.5 and cares more or less
             * about the neighbourhood */
            int item = (q * 37 % 10) * 100 - 400;
            int latent = 3000 + item + person * (60 + q % 5 * 10) / 100
                         + noise(&rng, 850);
            int level = latent < 1500 ? 1 : latent < 2500 ? 2 : latent < 3500 ? 3
                      : latent < 4500 ? 4 : 5;
            put(&o, ",", 1);
            if (sp_rng_below(&rng, 1000) >= 30) {
                char d = (char)('0' + level);
                put(&o, &d, 1);
            }
        }
        put(&o, "\n", 1);
    }
    flush(&o);
    if (o.failed || (path ? fclose(o.f) : fflush(o.f)) != 0) {
        fprintf(stderr, "gen_survey: write error: %s\n", strerror(errno));
        return 74;
    }
    return 0;
}
