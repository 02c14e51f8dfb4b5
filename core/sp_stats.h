/*
 * sp_stats.h -- pure statistical functions: distributions and exact tests.
 *
 * Nothing here allocates, touches a pool or does I/O; every function is a
 * plain computation on doubles so that the cross-tabulation engine
 * (sp_xtab.c), the Lua bindings and the tests can share one implementation.
 * Accuracy targets are stated per function; the references the tests check
 * against are R 4.x (pchisq, fisher.test) and PSPP CROSSTABS.
 */
#ifndef SP_STATS_H
#define SP_STATS_H

/* Regularized lower incomplete gamma P(a, x) = gamma(a, x) / Gamma(a).
 * Requires a > 0 and x >= 0; returns NAN otherwise.  Series for x < a + 1,
 * Lentz continued fraction for Q otherwise; relative error about 1e-14 for
 * a up to a few thousand. */
double
sp_stats_gamma_p(double a, double x);

/* Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x), computed
 * directly (not as 1 - P) where it is small, so tiny p-values keep their
 * relative accuracy.  Same domain and accuracy as sp_stats_gamma_p. */
double
sp_stats_gamma_q(double a, double x);

/* Upper tail of the chi-square distribution, P(X >= x) with df degrees of
 * freedom: Q(df / 2, x / 2).  df > 0; x <= 0 gives 1. */
double
sp_stats_chi2_q(double x, double df);

/* Fisher's exact test on the 2x2 table [[a, b], [c, d]] of non-negative
 * integer counts (non-integers are an error: round them first, as PSPP
 * does).  The conditional distribution of a given the margins is the
 * hypergeometric one.
 *   two_sided: sum of P(table) over tables with P <= P(observed) * (1 + 1e-7),
 *              R's fisher.test rule.
 *   less:      P(A <= a)   (R: alternative = "less")
 *   greater:   P(A >= a)   (R: alternative = "greater")
 *   one_sided: the tail in the direction of the observed association:
 *              greater when a*d > b*c, less when a*d < b*c, the smaller of
 *              the two when a*d == b*c (PSPP's "Exact Sig. (1-sided)").
 * Returns 0 on success, -1 on bad input (negative or non-integer counts). */
typedef struct sp_stats_fisher_t {
    double two_sided;
    double less;
    double greater;
    double one_sided;
} sp_stats_fisher_t;

int
sp_stats_fisher_2x2(double a, double b, double c, double d,
                    sp_stats_fisher_t *out);

#endif
