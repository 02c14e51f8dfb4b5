/*
 * sp_report_survey.c -- the report's survey section (sp_report.h): for
 * the latest wave, the share of answers "bad or worse" per family A-H, by
 * form, for everyone and for each neighbourhood, as a radar with its
 * table beside; counts of 1..K-1 are withheld, with a secondary cell per
 * form so that the whole minus the others gives none back.
 *
 * The profiles by family are computed here, from the respondents' levels
 * (the lower median of a family's answers against the lowest bad level of
 * its indicators in the form), as sp_profile_groups() does with
 * --family; the report's own pass also gives the counts per place and
 * form that its secondary suppression needs.
 */
#include <math.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_report_int.h"
#include "sp_svg.h"

typedef struct facc_t {
    double n, w, wbad, nbad;    /* answers, weight, weight and answers "bad" */
} facc_t;

/* The lower median of n levels (sorted here). */
static unsigned
lower_median(unsigned *v, size_t n)
{
    size_t i, j;

    for (i = 1; i < n; i++)
        for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
            unsigned t = v[j];

            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return n ? v[(n + 1) / 2 - 1] : 0;
}

/* Share "bad or worse" per family for every (place, form) of the latest
 * wave, following sp_profile.h's definitions (a family's level is the
 * lower median of the respondent's levels on its indicators; bad at or
 * below the smallest bad_at_most of those indicators).  FALLBACK until
 * sp_profile_groups() can be called here. */
int
sp_report_survey(sp_report_t *r, section_t *sec, sp_error_t **err)
{
    apr_pool_t *p = r->pool;
    sqlite3 *db = r->store->db;
    sqlite3_stmt *st;
    long wave_id = -1;
    const char *wave = NULL;
    size_t nforms = 0, nplaces = 1, f, pl, k, i;
    long form_ids[8];
    const char *form_names[8];
    int *fam_of[8];             /* per form, per position: family or -1 */
    unsigned thr[8][NFAM];      /* per form and family: bad at or below */
    size_t npos[8];
    long *place_ids;
    const char **place_names;
    facc_t *acc;                /* [place][form][family] */
    double *nresp;              /* [place][form] */
    int *supp;                  /* [place][form]: respondents count withheld */
    double K = r->o.min_cell;
    double total = 0;

    if (sqlite3_prepare_v2(db, "SELECT id, code FROM survey_wave WHERE territory_id = ?"
                               " ORDER BY started_on DESC, code DESC LIMIT 1", -1, &st, NULL)
        != SQLITE_OK)
        return sp_store_fail(db, "survey", p, err);
    sqlite3_bind_int64(st, 1, r->territory_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        wave_id = sqlite3_column_int64(st, 0);
        wave = apr_pstrdup(p, (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    if (wave_id < 0) {
        para(r, sec, M(r, SURVEY_NONE));
        return SP_OK;
    }
    /* Forms answered in the wave (at most 8: one colour each). */
    if (sqlite3_prepare_v2(db, "SELECT f.id, f.label_fr, f.label_en FROM survey_form f"
                               " WHERE EXISTS (SELECT 1 FROM respondent WHERE form_id = f.id"
                               " AND wave_id = ?) ORDER BY f.id LIMIT 8", -1, &st, NULL)
        != SQLITE_OK)
        return sp_store_fail(db, "survey", p, err);
    sqlite3_bind_int64(st, 1, wave_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        form_ids[nforms] = sqlite3_column_int64(st, 0);
        form_names[nforms++] = apr_pstrdup(p, (const char *)sqlite3_column_text(
                                                  st, r->o.lang == SP_REPORT_FR ? 1 : 2));
    }
    sqlite3_finalize(st);
    if (nforms == 0) {
        para(r, sec, M(r, SURVEY_NONE));
        return SP_OK;
    }
    /* Items: family and bad threshold per position. */
    for (f = 0; f < nforms; f++) {
        npos[f] = (size_t)count_of(r, "SELECT ifnull(max(position), 0) FROM form_item"
                                      " WHERE form_id = ?", form_ids[f]);
        fam_of[f] = apr_palloc(p, (npos[f] + 1) * sizeof(int));
        for (i = 0; i <= npos[f]; i++)
            fam_of[f][i] = -1;
        for (k = 0; k < NFAM; k++)
            thr[f][k] = 255;
        if (sqlite3_prepare_v2(db, "SELECT fi.position, upper(substr(i.component_code, 1, 1)),"
                                   " i.bad_at_most FROM form_item fi JOIN indicator i"
                                   " ON i.id = fi.indicator_id WHERE fi.form_id = ?",
                               -1, &st, NULL) != SQLITE_OK)
            return sp_store_fail(db, "survey", p, err);
        sqlite3_bind_int64(st, 1, form_ids[f]);
        while (sqlite3_step(st) == SQLITE_ROW) {
            long pos = sqlite3_column_int64(st, 0);
            const char *fl = (const char *)sqlite3_column_text(st, 1);
            const char *hit = fl && *fl ? strchr(FAMILIES, fl[0]) : NULL;
            unsigned bad = (unsigned)sqlite3_column_int(st, 2);

            if (pos < 1 || (size_t)pos > npos[f] || hit == NULL)
                continue;
            fam_of[f][pos] = (int)(hit - FAMILIES);
            if (bad < thr[f][hit - FAMILIES])
                thr[f][hit - FAMILIES] = bad;
        }
        sqlite3_finalize(st);
    }
    /* Places: everyone, then each neighbourhood. */
    nplaces += (size_t)count_of(r, "SELECT count(*) FROM neighbourhood WHERE territory_id = ?",
                                r->territory_id);
    place_ids = apr_pcalloc(p, nplaces * sizeof *place_ids);
    place_names = apr_pcalloc(p, nplaces * sizeof *place_names);
    place_names[0] = M(r, ALL_PLACES);
    place_ids[0] = -1;
    if (sqlite3_prepare_v2(db, "SELECT id, name FROM neighbourhood WHERE territory_id = ?"
                               " ORDER BY name", -1, &st, NULL) != SQLITE_OK)
        return sp_store_fail(db, "survey", p, err);
    sqlite3_bind_int64(st, 1, r->territory_id);
    for (pl = 1; pl < nplaces && sqlite3_step(st) == SQLITE_ROW; pl++) {
        place_ids[pl] = sqlite3_column_int64(st, 0);
        place_names[pl] = apr_pstrdup(p, (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    nplaces = pl;
    acc = apr_pcalloc(p, nplaces * nforms * NFAM * sizeof *acc);
    nresp = apr_pcalloc(p, nplaces * nforms * sizeof *nresp);
    supp = apr_pcalloc(p, nplaces * nforms * sizeof *supp);

    if (sqlite3_prepare_v2(db, "SELECT form_id, neighbourhood_id, weight, levels FROM respondent"
                               " WHERE wave_id = ?", -1, &st, NULL) != SQLITE_OK)
        return sp_store_fail(db, "survey", p, err);
    sqlite3_bind_int64(st, 1, wave_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        long fid = sqlite3_column_int64(st, 0), nid = sqlite3_column_int64(st, 1);
        int has_nb = sqlite3_column_type(st, 1) != SQLITE_NULL;
        double w = sqlite3_column_double(st, 2);
        const unsigned char *lv = sqlite3_column_blob(st, 3);
        size_t nlv = (size_t)sqlite3_column_bytes(st, 3), at[2], nat = 1;
        unsigned levels[NFAM][64];
        size_t nl[NFAM] = {0};

        for (f = 0; f < nforms && form_ids[f] != fid; f++)
            ;
        if (f == nforms)
            continue;
        at[0] = 0;
        for (pl = 1; has_nb && pl < nplaces; pl++)
            if (place_ids[pl] == nid)
                at[nat++] = pl;
        for (i = 1; i <= npos[f] && i <= nlv; i++) {
            int fam = fam_of[f][i];

            if (fam >= 0 && lv[i - 1] > 0 && nl[fam] < 64)
                levels[fam][nl[fam]++] = lv[i - 1];
        }
        total += 1;
        for (k = 0; k < nat; k++) {
            nresp[at[k] * nforms + f] += 1;
            for (i = 0; i < NFAM; i++) {
                facc_t *a = &acc[(at[k] * nforms + f) * NFAM + i];
                unsigned med;

                if (nl[i] == 0)
                    continue;
                med = lower_median(levels[i], nl[i]);
                a->n += 1;
                a->w += w;
                if (med <= thr[f][i]) {
                    a->wbad += w;
                    a->nbad += 1;
                }
            }
        }
    }
    sqlite3_finalize(st);

    /* Counts of respondents: primary, then one secondary per form across
     * neighbourhoods, so that the whole minus the others does not give a
     * withheld count back. */
    for (f = 0; f < nforms; f++) {
        size_t nsupp = 0, best = 0;
        double bestv = INFINITY;

        for (pl = 0; pl < nplaces; pl++) {
            double n = nresp[pl * nforms + f];

            if (n > 0 && n < K) {
                supp[pl * nforms + f] = 1;
                nsupp += pl > 0;
            }
        }
        for (pl = 1; pl < nplaces; pl++) {
            double n = nresp[pl * nforms + f];

            if (!supp[pl * nforms + f] && n > 0 && n < bestv) {
                bestv = n;
                best = pl;
            }
        }
        if (nsupp == 1 && best > 0)
            supp[best * nforms + f] = 2;
    }

    para(r, sec, apr_psprintf(p, M(r, SURVEY_INTRO), wave,
                              apr_psprintf(p, "%.0f", total), apr_psprintf(p, "%.0f", K)));
    {
        const char *key = M(r, FAMILY_KEY);

        for (i = 0; i < NFAM; i++)
            key = apr_psprintf(p, "%s %c: %s%s", key, FAMILIES[i],
                               sp_report_msg((sp_report_msg_t)(SP_MSG_FAM_A + i), r->o.lang),
                               i + 1 < NFAM ? ";" : ".");
        para(r, sec, key);
    }
    for (pl = 0; pl < nplaces; pl++) {
        sp_table_t *t;
        double *vals = apr_palloc(p, nforms * NFAM * sizeof *vals);
        sp_svg_series_t series[8];
        sp_svg_radar_t rad;
        sp_svg_buf_t *b = sp_svg_buf_create(p);
        const char *axes[NFAM], *tid;
        size_t any = 0;

        for (f = 0; f < nforms; f++)
            any += nresp[pl * nforms + f] > 0;
        if (!any)
            continue;
        tid = apr_psprintf(p, "survey-%02lu", (unsigned long)pl);
        t = sp_table_create(apr_psprintf(p, M(r, SURVEY_TABLE), place_names[pl], wave), nforms,
                            2 + NFAM, p);
        tcol(t, 0, M(r, FORM));
        tcol(t, 1, M(r, RESPONDENTS));
        for (i = 0; i < NFAM; i++) {
            tcol(t, 2 + i, apr_psprintf(p, "%c", FAMILIES[i]));
            axes[i] = t->columns[2 + i];
        }
        for (f = 0; f < nforms; f++) {
            double n = nresp[pl * nforms + f];

            ttext(t, f, 0, form_names[f]);
            if (supp[pl * nforms + f])
                tsupp(t, f, 1, supp[pl * nforms + f] == 1 ? M(r, PRIMARY_NOTE)
                                                           : M(r, SUPPRESSED_NOTE));
            else
                tnum(t, f, 1, n, 0);
            for (i = 0; i < NFAM; i++) {
                facc_t *a = &acc[(pl * nforms + f) * NFAM + i];

                vals[f * NFAM + i] = NAN;
                /* The share is withheld when its answers, the bad ones or
                 * the others (n minus the bad) number 1..K-1. */
                if (a->n == 0)
                    tundef(t, f, 2 + i, "no answer");
                else if (a->n < K || supp[pl * nforms + f] || (a->nbad > 0 && a->nbad < K)
                         || (a->n - a->nbad > 0 && a->n - a->nbad < K))
                    tsupp(t, f, 2 + i, M(r, PRIMARY_NOTE));
                else if (!(a->w > 0))
                    tundef(t, f, 2 + i, "zero weight");
                else {
                    tnum(t, f, 2 + i, 100.0 * a->wbad / a->w, 1);
                    vals[f * NFAM + i] = rnd(100.0 * a->wbad / a->w, 1);
                }
            }
            series[f].name = form_names[f];
            series[f].values = vals + f * NFAM;
        }
        memset(&rad, 0, sizeof rad);
        rad.head.id = chart_id(r);
        rad.head.title = apr_psprintf(p, M(r, RADAR_TITLE), place_names[pl], wave);
        rad.head.desc = M(r, RADAR_DESC);
        rad.head.width = 340;
        rad.naxes = NFAM;
        rad.axes = axes;
        rad.min = 0;
        rad.max = 100;
        rad.nseries = nforms;
        rad.series = series;
        figure(r, sec, sp_svg_radar(b, &rad) == SP_OK ? sp_svg_text(b) : NULL,
               rad.head.title, t, tid);
        if (pl == 0)
            APR_ARRAY_PUSH(r->points, const char *) =
                apr_psprintf(p, M(r, HL_SURVEY), wave, apr_psprintf(p, "%.0f", total));
    }
    return SP_OK;
}
