/*
 * sp_pact.c -- diffusion of the pact, its pace, stalled chains, and who
 * signed where (see sp_pact.h; formulas in docs/pooling.md).
 *
 * The plan's target is that each signatory brings one new one per quarter:
 * the count doubles every quarter, founders x 2^q.  The observed pace is
 * the least-squares slope of log2(cumulative signatories) against the
 * quarter number (sp_resource_fit), in doublings per quarter; extending
 * that line to log2(population) gives the projected quarter of covering
 * the whole population.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_pact.h"
#include "sp_grid.h"
#include "sp_resource.h"
#include "sp_territory.h"

void
sp_pact_params_default(sp_pact_params_t *p)
{
    memset(p, 0, sizeof *p);
    p->stall_quarters = 2;
}

long
sp_pact_quarter_index(const char *date)
{
    int i, y, m;

    if (date == NULL || strlen(date) < 7 || date[4] != '-')
        return -1;
    for (i = 0; i < 7; i++)
        if (i != 4 && (date[i] < '0' || date[i] > '9'))
            return -1;
    y = atoi(date);
    m = atoi(date + 5);
    if (m < 1 || m > 12)
        return -1;
    return (long)y * 4 + (m - 1) / 3;
}

const char *
sp_pact_quarter_label(long index, apr_pool_t *pool)
{
    return apr_psprintf(pool, "%04ld-Q%ld", index / 4, index % 4 + 1);
}

/* Quarterly diffusion, pace and projection into root. */
static int
diffusion(sp_store_t *store, json_t *root, const char *as_of, double population,
          apr_pool_t *pool, sp_error_t **err)
{
    static const char sql[] =
        "SELECT signed_on FROM pact_signatory WHERE document = 'pact' AND signed_on <= ?1 "
        "ORDER BY signed_on";
    sqlite3_stmt *s = NULL;
    json_t *quarters = json_array(), *proj = json_object();
    long first = -1, last_q = sp_pact_quarter_index(as_of), q, nq, *counts = NULL, total = 0, cum;
    double founders = 0, *x = NULL, *y;
    sp_resource_trend_t t;
    int rc, status, fitted = 0;

    json_object_set_new(root, "quarters", quarters);
    json_object_set_new(root, "projection", proj);
    if ((status = sp_store_prepare(store, sql, &s, pool, err)) != SP_OK)
        return status;
    sqlite3_bind_text(s, 1, as_of ? as_of : "9999", -1, SQLITE_STATIC);
    /* First pass: the first quarter; second: counts per quarter. */
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        long qi = sp_pact_quarter_index(sp_store_text(s, 0));

        if (qi >= 0 && (first < 0 || qi < first))
            first = qi;
    }
    if (rc != SQLITE_DONE) {
        status = sp_store_fail(store->db, "pact diffusion", pool, err);
        goto done;
    }
    json_object_set_new(proj, "population", sp_grid_real(population));
    if (first < 0) {
        json_object_set_new(root, "founders", json_integer(0));
        json_object_set_new(root, "pace", json_null());
        json_object_set_new(proj, "verdict", json_string("no signatory yet"));
        goto done;
    }
    nq = last_q - first + 1;
    counts = calloc((size_t)nq, sizeof *counts);
    x = malloc(sizeof(double) * (size_t)nq * 2);
    y = x + nq;
    sqlite3_reset(s);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        long qi = sp_pact_quarter_index(sp_store_text(s, 0));

        if (qi >= first && qi <= last_q) {
            counts[qi - first]++;
            total++;
        }
    }
    for (q = 0, cum = 0; q < nq; q++) {
        json_t *o = json_object();

        cum += counts[q];
        if (q == 0)
            founders = (double)cum;
        json_object_set_new(o, "quarter", json_string(sp_pact_quarter_label(first + q, pool)));
        json_object_set_new(o, "index", json_integer(q));
        json_object_set_new(o, "new", json_integer(counts[q]));
        json_object_set_new(o, "cumulative", json_integer(cum));
        json_object_set_new(o, "target", json_real(founders * ldexp(1.0, (int)q)));
        json_array_append_new(quarters, o);
        x[q] = (double)q;
        y[q] = log2((double)cum);
    }
    json_object_set_new(root, "founders", json_integer((json_int_t)founders));
    fitted = sp_resource_fit(x, y, (int)nq, &t) == 0;
    if (fitted) {
        json_t *pace = json_object();

        json_object_set_new(pace, "doublings_per_quarter", sp_grid_real(t.slope));
        json_object_set_new(pace, "intercept", sp_grid_real(t.intercept));
        json_object_set_new(pace, "r2", sp_grid_real(t.r2));
        json_object_set_new(pace, "doubling_time_quarters",
                            sp_grid_real(t.slope > 0 ? 1 / t.slope : NAN));
        json_object_set_new(root, "pace", pace);
    } else {
        json_object_set_new(root, "pace", json_null());
    }
    json_object_set_new(proj, "covered_in", json_null());
    json_object_set_new(proj, "quarters_from_start", json_null());
    json_object_set_new(proj, "target_covers_in", json_null());
    if (!(population > 0)) {
        json_object_set_new(proj, "verdict", json_string("the territory's population is unknown"));
    } else {
        double need = log2(population);

        if (founders > 0)
            json_object_set_new(proj, "target_covers_in",
                                json_string(sp_pact_quarter_label(
                                    first + (long)fmax(0, ceil(log2(population / founders) - 1e-9)),
                                    pool)));
        if ((double)total >= population) {
            json_object_set_new(proj, "verdict", json_string("the population is covered"));
        } else if (!fitted) {
            json_object_set_new(proj, "verdict", json_string("one quarter only: no pace yet"));
        } else if (!(t.slope > 0)) {
            json_object_set_new(proj, "verdict", json_string("never at this pace"));
        } else {
            double qs = (need - t.intercept) / t.slope;
            long qw = (long)ceil(qs - 1e-9);

            if (qw < nq)
                qw = nq; /* not covered yet: not before the next quarter */
            json_object_set_new(proj, "quarters_from_start", sp_grid_real(qs));
            json_object_set_new(proj, "covered_in",
                                json_string(sp_pact_quarter_label(first + qw, pool)));
            json_object_set_new(proj, "verdict",
                                json_string(apr_psprintf(pool, "covers the population in %s at "
                                                         "this pace",
                                                         sp_pact_quarter_label(first + qw, pool))));
        }
    }
done:
    sqlite3_finalize(s);
    free(counts);
    free(x);
    return status;
}

/* Invitations, depths, stalled and silent signatories into root. */
static int
chains(sp_store_t *store, json_t *root, long asof_q, int stall, apr_pool_t *pool,
       sp_error_t **err)
{
    static const char sql[] =
        "WITH RECURSIVE d(id, depth) AS ("
        "  SELECT id, 0 FROM pact_signatory WHERE invited_by IS NULL"
        "  UNION SELECT s.id, d.depth + 1 FROM pact_signatory s JOIN d ON s.invited_by = d.id"
        "  WHERE d.depth < 100000) "
        "SELECT s.id, s.display_name, lower(hex(substr(s.pseudonym, 1, 6))), s.signed_on, "
        "  ifnull((SELECT max(depth) FROM d WHERE d.id = s.id), -1), "
        "  (SELECT count(*) FROM pact_invitation i WHERE i.inviter_id = s.id), "
        "  (SELECT count(*) FROM pact_invitation i WHERE i.inviter_id = s.id "
        "     AND i.accepted_by IS NOT NULL), "
        "  (SELECT count(*) FROM pact_signatory b WHERE b.invited_by = s.id), "
        "  (SELECT min(invited_on) FROM pact_invitation i WHERE i.inviter_id = s.id) "
        "FROM pact_signatory s ORDER BY s.id";
    sqlite3_stmt *s = NULL;
    json_t *ch = json_object(), *inv = json_object(), *stalled = json_array(), *by = json_array();
    long made = 0, accepted = 0, silent = 0, maxd = -1;
    int rc, status;

    json_object_set_new(root, "invitations", inv);
    json_object_set_new(root, "chains", ch);
    json_object_set_new(ch, "by_depth", by);
    json_object_set_new(ch, "stalled", stalled);
    if ((status = sp_store_prepare(store, sql, &s, pool, err)) != SP_OK)
        return status;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *name = sp_store_text(s, 1), *first_inv = sp_store_text(s, 8);
        long depth = (long)sqlite3_column_int64(s, 4), n = (long)sqlite3_column_int64(s, 5),
             acc = (long)sqlite3_column_int64(s, 6), brought = (long)sqlite3_column_int64(s, 7);
        long since;

        made += n;
        accepted += acc;
        if (depth > maxd) {
            while ((long)json_array_size(by) <= depth)
                json_array_append_new(by, json_integer(0));
            maxd = depth;
        }
        if (depth >= 0)
            json_array_set_new(by, (size_t)depth,
                               json_integer(json_integer_value(json_array_get(by, (size_t)depth))
                                            + 1));
        if (acc > 0 || brought > 0)
            continue;
        if (n == 0) {
            since = asof_q - sp_pact_quarter_index(sp_store_text(s, 3));
            if (since >= stall)
                silent++;
            continue;
        }
        since = asof_q - sp_pact_quarter_index(first_inv);
        if (since >= stall) {
            json_t *o = json_object();

            json_object_set_new(o, "id", json_integer(sqlite3_column_int64(s, 0)));
            json_object_set_new(o, "signatory", json_string(name ? name : sp_store_text(s, 2)));
            json_object_set_new(o, "depth", depth >= 0 ? json_integer(depth) : json_null());
            json_object_set_new(o, "invitations", json_integer(n));
            json_object_set_new(o, "first_invited_on", json_string(first_inv));
            json_object_set_new(o, "quarters_waiting", json_integer(since));
            json_array_append_new(stalled, o);
        }
    }
    if (rc != SQLITE_DONE)
        status = sp_store_fail(store->db, "pact chains", pool, err);
    sqlite3_finalize(s);
    json_object_set_new(inv, "made", json_integer(made));
    json_object_set_new(inv, "accepted", json_integer(accepted));
    json_object_set_new(inv, "pending", json_integer(made - accepted));
    json_object_set_new(ch, "max_depth", maxd >= 0 ? json_integer(maxd) : json_null());
    json_object_set_new(ch, "silent", json_integer(silent));
    return status;
}

static int
neighbourhoods(sp_store_t *store, json_t *root, apr_pool_t *pool, sp_error_t **err)
{
    static const char sql[] =
        "SELECT n.name, count(*), n.population, (SELECT count(*) FROM pact_signatory "
        "WHERE document = 'pact') FROM pact_signatory s LEFT JOIN neighbourhood n "
        "ON n.id = s.neighbourhood_id WHERE s.document = 'pact' "
        "GROUP BY s.neighbourhood_id ORDER BY n.name IS NULL, n.name";
    sqlite3_stmt *s = NULL;
    json_t *list = json_array();
    int rc, status;

    json_object_set_new(root, "neighbourhoods", list);
    if ((status = sp_store_prepare(store, sql, &s, pool, err)) != SP_OK)
        return status;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = json_object();
        double n = sqlite3_column_double(s, 1), total = sqlite3_column_double(s, 3);
        double pop = sqlite3_column_type(s, 2) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 2);

        json_object_set_new(o, "name", sp_store_text(s, 0) ? json_string(sp_store_text(s, 0))
                                                           : json_null());
        json_object_set_new(o, "signatories", json_integer(sqlite3_column_int64(s, 1)));
        json_object_set_new(o, "share", sp_grid_real(n / total));
        json_object_set_new(o, "population", sp_grid_real(pop));
        json_object_set_new(o, "coverage", sp_grid_real(pop > 0 ? n / pop : NAN));
        json_array_append_new(list, o);
    }
    if (rc != SQLITE_DONE)
        status = sp_store_fail(store->db, "pact by neighbourhood", pool, err);
    sqlite3_finalize(s);
    return status;
}

static int
organisations(sp_store_t *store, json_t *root, apr_pool_t *pool, sp_error_t **err)
{
    static const char sql[] =
        "SELECT s.display_name, s.document, s.signed_on, n.name FROM pact_signatory s "
        "LEFT JOIN neighbourhood n ON n.id = s.neighbourhood_id WHERE s.kind = 'organisation' "
        "ORDER BY s.document = 'pact', s.signed_on, s.id";
    sqlite3_stmt *s = NULL;
    json_t *list = json_array();
    int rc, status;

    json_object_set_new(root, "organisations", list);
    if ((status = sp_store_prepare(store, sql, &s, pool, err)) != SP_OK)
        return status;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = json_object();

        json_object_set_new(o, "name", json_string(sp_store_text_or_empty(s, 0)));
        json_object_set_new(o, "document", json_string(sp_store_text(s, 1)));
        json_object_set_new(o, "signed_on", json_string(sp_store_text(s, 2)));
        json_object_set_new(o, "neighbourhood", sp_store_text(s, 3)
                                                    ? json_string(sp_store_text(s, 3))
                                                    : json_null());
        json_array_append_new(list, o);
    }
    if (rc != SQLITE_DONE)
        status = sp_store_fail(store->db, "pact organisations", pool, err);
    sqlite3_finalize(s);
    return status;
}

/* One integer from sql (or 0), and its text when want_text. */
static int
scalar(sp_store_t *store, const char *sql, long *n, const char **text, apr_pool_t *pool,
       sp_error_t **err)
{
    sqlite3_stmt *s = NULL;
    int status = sp_store_prepare(store, sql, &s, pool, err);

    if (status != SP_OK)
        return status;
    if (sqlite3_step(s) == SQLITE_ROW) {
        if (n)
            *n = (long)sqlite3_column_int64(s, 0);
        if (text)
            *text = sp_store_text(s, 0) ? apr_pstrdup(pool, sp_store_text(s, 0)) : NULL;
    } else {
        status = sp_store_fail(store->db, "pact", pool, err);
    }
    sqlite3_finalize(s);
    return status;
}

int
sp_pact_report(sp_store_t *store, const sp_pact_params_t *p, json_t **out, apr_pool_t *pool,
               sp_error_t **err)
{
    sp_territory_t *t;
    json_t *root, *terr;
    const char *as_of = p->as_of;
    long n_pact = 0, n_charter = 0, asof_q;
    int status;

    if (as_of && sp_pact_quarter_index(as_of) < 0)
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "'%s' is not a date "
                            "(YYYY-MM-DD)", as_of);
    if ((status = sp_territory_find(store, p->territory, &t, pool, err)) != SP_OK)
        return status;
    if (!as_of
        && (status = scalar(store, "SELECT max(d) FROM (SELECT max(signed_on) AS d FROM "
                            "pact_signatory UNION ALL SELECT max(invited_on) FROM "
                            "pact_invitation)", NULL, &as_of, pool, err)) != SP_OK)
        return status;
    if ((status = scalar(store, "SELECT count(*) FROM pact_signatory WHERE document = 'pact'",
                         &n_pact, NULL, pool, err)) != SP_OK
        || (status = scalar(store, "SELECT count(*) FROM pact_signatory WHERE document = "
                            "'charter'", &n_charter, NULL, pool, err)) != SP_OK)
        return status;
    asof_q = as_of ? sp_pact_quarter_index(as_of) : -1;
    root = sp_grid_pool_own(json_object(), pool);
    *out = root;
    terr = json_object();
    json_object_set_new(terr, "code", json_string(t->code));
    json_object_set_new(terr, "name", json_string(t->name));
    json_object_set_new(terr, "population", sp_grid_real(t->population));
    json_object_set_new(root, "territory", terr);
    json_object_set_new(root, "as_of", as_of ? json_string(as_of) : json_null());
    json_object_set_new(root, "signatories", json_integer(n_pact));
    json_object_set_new(root, "charter_signatories", json_integer(n_charter));
    if ((status = diffusion(store, root, as_of, t->population, pool, err)) != SP_OK
        || (status = chains(store, root, asof_q, p->stall_quarters > 0 ? p->stall_quarters : 2,
                            pool, err)) != SP_OK
        || (status = neighbourhoods(store, root, pool, err)) != SP_OK
        || (status = organisations(store, root, pool, err)) != SP_OK)
        return status;
    return SP_OK;
}

void
sp_pact_report_text(const json_t *r, FILE *out)
{
    const json_t *pace = json_object_get(r, "pace"), *proj = json_object_get(r, "projection");
    const json_t *ch = json_object_get(r, "chains"), *inv = json_object_get(r, "invitations"), *o;
    size_t i;
    int any;

    fprintf(out, "Territorial pact, %s (population %.0f), as of %s\n",
            sp_grid_str(json_object_get(r, "territory"), "name"),
            sp_grid_num(json_object_get(r, "territory"), "population"),
            json_is_string(json_object_get(r, "as_of")) ? sp_grid_str(r, "as_of") : "-");
    fprintf(out, "%lld signatories of the pact (%lld founders), %lld of the charter\n\n",
            (long long)json_integer_value(json_object_get(r, "signatories")),
            (long long)json_integer_value(json_object_get(r, "founders")),
            (long long)json_integer_value(json_object_get(r, "charter_signatories")));
    fprintf(out, "%-9s %6s %10s %12s\n", "quarter", "new", "cumulative", "target (x2)");
    json_array_foreach(json_object_get(r, "quarters"), i, o)
        fprintf(out, "%-9s %6lld %10lld %12.0f\n", sp_grid_str(o, "quarter"),
                (long long)json_integer_value(json_object_get(o, "new")),
                (long long)json_integer_value(json_object_get(o, "cumulative")),
                sp_grid_num(o, "target"));
    if (json_is_object(pace))
        fprintf(out, "\nobserved pace: %.3f doublings per quarter (target 1; r2 %.3f)\n",
                sp_grid_num(pace, "doublings_per_quarter"), sp_grid_num(pace, "r2"));
    fprintf(out, "projection: %s", sp_grid_str(proj, "verdict"));
    if (json_is_string(json_object_get(proj, "target_covers_in")))
        fprintf(out, "; the plan's target covers it in %s", sp_grid_str(proj, "target_covers_in"));
    fprintf(out, "\n\ninvitations: %lld made, %lld accepted, %lld pending\n",
            (long long)json_integer_value(json_object_get(inv, "made")),
            (long long)json_integer_value(json_object_get(inv, "accepted")),
            (long long)json_integer_value(json_object_get(inv, "pending")));
    fputs("chain depth:", out);
    json_array_foreach(json_object_get(ch, "by_depth"), i, o)
        fprintf(out, " %ld:%lld", (long)i, (long long)json_integer_value(o));
    fprintf(out, "\nstalled chains (invitations pending, none accepted):%s\n",
            json_array_size(json_object_get(ch, "stalled")) ? "" : " none");
    json_array_foreach(json_object_get(ch, "stalled"), i, o)
        fprintf(out, "  %-24s depth %lld, %lld invitation(s) since %s, %lld quarter(s)\n",
                sp_grid_str(o, "signatory"),
                (long long)json_integer_value(json_object_get(o, "depth")),
                (long long)json_integer_value(json_object_get(o, "invitations")),
                sp_grid_str(o, "first_invited_on"),
                (long long)json_integer_value(json_object_get(o, "quarters_waiting")));
    fprintf(out, "silent signatories (no invitation made): %lld\n\n",
            (long long)json_integer_value(json_object_get(ch, "silent")));
    fprintf(out, "%-24s %11s %7s %10s\n", "neighbourhood", "signatories", "share", "coverage");
    json_array_foreach(json_object_get(r, "neighbourhoods"), i, o) {
        double cov = sp_grid_num(o, "coverage");

        fprintf(out, "%-24s %11lld %6.1f%% ", json_is_string(json_object_get(o, "name"))
                                                  ? sp_grid_str(o, "name") : "(none)",
                (long long)json_integer_value(json_object_get(o, "signatories")),
                100 * sp_grid_num(o, "share"));
        if (isnan(cov))
            fprintf(out, "%10s\n", "-");
        else
            fprintf(out, "%9.2f%%\n", 100 * cov);
    }
    for (any = 0, i = 0; i < json_array_size(json_object_get(r, "organisations")); i++) {
        o = json_array_get(json_object_get(r, "organisations"), i);
        if (strcmp(sp_grid_str(o, "document"), "charter") != 0)
            continue;
        if (!any++)
            fputs("\nCharter of shared responsibilities, organisations:\n", out);
        fprintf(out, "  %s (%s)\n", sp_grid_str(o, "name"), sp_grid_str(o, "signed_on"));
    }
    for (any = 0, i = 0; i < json_array_size(json_object_get(r, "organisations")); i++) {
        o = json_array_get(json_object_get(r, "organisations"), i);
        if (strcmp(sp_grid_str(o, "document"), "pact") != 0)
            continue;
        if (!any++)
            fputs("\nOrganisations that signed the pact:\n", out);
        fprintf(out, "  %s (%s)\n", sp_grid_str(o, "name"), sp_grid_str(o, "signed_on"));
    }
}
