/*
 * sp_rng.h -- the deterministic random numbers of the data generators
 * (bench/gen_survey.c, datasets/mulhouse/generate.c): splitmix64 seeds
 * xoshiro256**, and uniform draws use integer arithmetic only, so the same
 * seed writes byte-identical files on every machine and compiler.
 * Header-only: the generators are standalone programs, not libspiral.
 */
#ifndef SP_RNG_H
#define SP_RNG_H

#include <stdint.h>

typedef struct sp_rng_t {
    uint64_t s[4];
} sp_rng_t;

static inline uint64_t
sp_rng_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Fill the state from one 64-bit seed. */
static inline void
sp_rng_seed(sp_rng_t *r, uint64_t seed)
{
    int i;

    for (i = 0; i < 4; i++)
        r->s[i] = sp_rng_splitmix64(&seed);
}

static inline uint64_t
sp_rng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* The next 64 random bits (xoshiro256**). */
static inline uint64_t
sp_rng_next(sp_rng_t *r)
{
    uint64_t *s = r->s;
    const uint64_t result = sp_rng_rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = sp_rng_rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n) (Lemire's multiply-shift; the tiny bias is irrelevant here). */
static inline uint32_t
sp_rng_below(sp_rng_t *r, uint32_t n)
{
    return (uint32_t)(((sp_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

#endif
