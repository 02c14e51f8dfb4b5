/*
 * sp_project.c -- the territorial project of well-being: building a
 * quarter's version from the plans, showing it with its flags, and the
 * differences between two versions.  The rules are in sp_project.h; the
 * guidelines come in as JSON from the command, which reads them from Lua.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "sp_project.h"
#include "sp_territory.h"

static int
quarter_ok(const char *q)
{
    return strlen(q) == 7 && isdigit((unsigned char)q[0]) && isdigit((unsigned char)q[1])
           && isdigit((unsigned char)q[2]) && isdigit((unsigned char)q[3]) && q[4] == '-'
           && q[5] == 'Q' && q[6] >= '1' && q[6] <= '4';
}

static json_t *
guideline_of(const json_t *guidelines, const char *problematique)
{
    return json_object_get(guidelines, problematique);
}

int
sp_project_build(sp_store_t *store, const char *territory, const char *quarter,
                 const json_t *guidelines, json_t **result, apr_pool_t *pool, sp_error_t **err)
{
    static const char entries_sql[] =
        "INSERT OR IGNORE INTO project_entry"
        " (version_id, action_id, plan_id, neighbourhood_id, problematique, guideline)"
        " SELECT ?1, a.id, p.id, coalesce(p.neighbourhood_id,"
        "   (SELECT n.id FROM neighbourhood n WHERE n.territory_id = ?2 AND n.name = a.neighbourhood)),"
        "   coalesce(tg.value, ''), ''"
        " FROM plan p JOIN plan_action pa ON pa.plan_id = p.id JOIN action a ON a.id = pa.action_id"
        " LEFT JOIN action_tag tg ON tg.action_id = a.id AND tg.kind = 'problematique'"
        " WHERE coalesce(p.territory_id, ?2) = ?2 ORDER BY p.code, a.code";
    sp_territory_t *t;
    sqlite3_stmt *st = NULL;
    sqlite3_int64 vid;
    long version;
    int status;

    *result = NULL;
    if (!quarter_ok(quarter))
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                            "quarter '%s' is not of the form 2026-Q1", quarter);
    if ((status = sp_territory_find(store, territory, &t, pool, err)) != SP_OK)
        return status;
    if ((status = sp_store_begin(store, pool, err)) != SP_OK)
        return status;
    if ((status = sp_store_prepare(store, "SELECT version FROM project_version"
                                   " WHERE territory_id = ? AND quarter = ?", &st, pool, err)) != SP_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, t->id);
    sqlite3_bind_text(st, 2, quarter, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        status = sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                              "quarter %s already has version %d of the project", quarter,
                              sqlite3_column_int(st, 0));
        goto fail;
    }
    sqlite3_finalize(st);
    if ((status = sp_store_prepare(store, "INSERT INTO project_version (territory_id, version, quarter)"
                                   " SELECT ?1, coalesce(max(version) + 1, 0), ?2"
                                   " FROM project_version WHERE territory_id = ?1"
                                   " RETURNING id, version", &st, pool, err)) != SP_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, t->id);
    sqlite3_bind_text(st, 2, quarter, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        status = sp_store_fail(store->db, "new project version", pool, err);
        goto fail;
    }
    vid = sqlite3_column_int64(st, 0);
    version = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    if ((status = sp_store_prepare(store, entries_sql, &st, pool, err)) != SP_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, vid);
    sqlite3_bind_int64(st, 2, t->id);
    if (sqlite3_step(st) != SQLITE_DONE) {
        status = sp_store_fail(store->db, "project entries", pool, err);
        goto fail;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (guidelines != NULL) {
        const char *code;
        json_t *g;

        if ((status = sp_store_prepare(store, "UPDATE project_entry SET guideline = ?1"
                                       " WHERE version_id = ?2 AND problematique = ?3", &st, pool,
                                       err)) != SP_OK)
            goto fail;
        json_object_foreach((json_t *)guidelines, code, g) {
            json_t *fr = json_object_get(g, "fr");

            if (!json_is_string(fr))
                fr = json_is_string(g) ? g : NULL;
            if (fr == NULL)
                continue;
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, json_string_value(fr), -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 2, vid);
            sqlite3_bind_text(st, 3, code, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(st) != SQLITE_DONE) {
                status = sp_store_fail(store->db, "guidelines", pool, err);
                goto fail;
            }
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    if ((status = sp_store_commit(store, pool, err)) != SP_OK)
        return status;
    return sp_project_show(store, t->code, version, guidelines, result, pool, err);

fail:
    if (st != NULL)
        sqlite3_finalize(st);
    sp_store_rollback(store);
    return status;
}

/* The id, version and quarter of version v (< 0: latest; offset -1 with
 * before: the one before v). */
static int
find_version(sp_store_t *store, sqlite3_int64 tid, long v, sqlite3_int64 *id, long *version,
             const char **quarter, apr_pool_t *pool, sp_error_t **err)
{
    sqlite3_stmt *st;
    int status;

    if ((status = sp_store_prepare(store, v < 0
            ? "SELECT id, version, quarter FROM project_version WHERE territory_id = ?1"
              " ORDER BY version DESC LIMIT 1"
            : "SELECT id, version, quarter FROM project_version WHERE territory_id = ?1"
              " AND version = ?2", &st, pool, err)) != SP_OK)
        return status;
    sqlite3_bind_int64(st, 1, tid);
    sqlite3_bind_int64(st, 2, v);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return v < 0 ? sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                                    "no version of the territorial project yet (run `spiral "
                                    "project build --quarter YYYY-QN`)")
                     : sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                                    "no version %ld of the territorial project", v);
    }
    *id = sqlite3_column_int64(st, 0);
    *version = sqlite3_column_int(st, 1);
    *quarter = apr_pstrdup(pool, sp_store_text_or_empty(st, 2));
    sqlite3_finalize(st);
    return SP_OK;
}

static const char entry_sql[] =
    "SELECT a.code, a.title, coalesce(p.code, ''), coalesce(n.name, ''), e.problematique,"
    " e.guideline, a.id FROM project_entry e JOIN action a ON a.id = e.action_id"
    " LEFT JOIN plan p ON p.id = e.plan_id LEFT JOIN neighbourhood n ON n.id = e.neighbourhood_id"
    " WHERE e.version_id = ? ORDER BY n.name, e.problematique, a.code";

int
sp_project_show(sp_store_t *store, const char *territory, long v, const json_t *guidelines,
                json_t **result, apr_pool_t *pool, sp_error_t **err)
{
    static const char overlap_sql[] =
        "SELECT e1.problematique, coalesce(n.name, ''), a1.code, a2.code, group_concat(c1.value, '|')"
        " FROM project_entry e1 JOIN project_entry e2 ON e2.version_id = e1.version_id"
        "  AND e2.problematique = e1.problematique AND e2.neighbourhood_id IS e1.neighbourhood_id"
        "  AND e2.action_id > e1.action_id"
        " JOIN action_tag c1 ON c1.action_id = e1.action_id AND c1.kind = 'component'"
        " JOIN action_tag c2 ON c2.action_id = e2.action_id AND c2.kind = 'component'"
        "  AND c2.value = c1.value"
        " JOIN action a1 ON a1.id = e1.action_id JOIN action a2 ON a2.id = e2.action_id"
        " LEFT JOIN neighbourhood n ON n.id = e1.neighbourhood_id"
        " WHERE e1.version_id = ? AND e1.problematique <> ''"
        " GROUP BY e1.problematique, e1.action_id, e2.action_id ORDER BY 1, 2, 3, 4";
    static const char covered_sql[] =
        "SELECT DISTINCT t.value FROM project_entry e JOIN action_tag t ON t.action_id = e.action_id"
        " AND t.kind IN ('theme', 'problematique') WHERE e.version_id = ?";
    static const char needs_sql[] =
        "SELECT ln.kind, ln.theme, count(*) FROM life_need ln"
        " JOIN respondent r ON r.id = ln.respondent_id JOIN survey_wave w ON w.id = r.wave_id"
        " WHERE w.territory_id = ? GROUP BY ln.kind, ln.theme ORDER BY 3 DESC, 1, 2";
    sp_territory_t *t;
    sqlite3_stmt *st = NULL;
    sqlite3_int64 vid;
    long version;
    const char *quarter, *code;
    apr_hash_t *used = apr_hash_make(pool), *covered = apr_hash_make(pool);
    json_t *r, *entries, *overlaps, *gaps, *unmet, *g;
    int status, rc;

    *result = NULL;
    if ((status = sp_territory_find(store, territory, &t, pool, err)) != SP_OK
        || (status = find_version(store, t->id, v, &vid, &version, &quarter, pool, err)) != SP_OK)
        return status;
    r = json_pack("{s:s,s:s,s:i,s:s}", "kind", "project", "territory", t->code,
                  "version", (int)version, "quarter", quarter);
    entries = json_array();
    overlaps = json_array();
    gaps = json_array();
    unmet = json_array();
    json_object_set_new(r, "entries", entries);
    json_object_set_new(r, "flags", json_pack("{s:o,s:o,s:o}", "overlaps", overlaps, "gaps", gaps,
                                              "unmet_needs", unmet));

    if ((status = sp_store_prepare(store, entry_sql, &st, pool, err)) != SP_OK)
        goto done;
    sqlite3_bind_int64(st, 1, vid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *p = sp_store_text_or_empty(st, 4);
        json_t *gl = guideline_of(guidelines, p);

        json_array_append_new(entries, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:O?}",
                              "action", sp_store_text_or_empty(st, 0),
                              "title", sp_store_text_or_empty(st, 1),
                              "plan", sp_store_text_or_empty(st, 2),
                              "neighbourhood", sp_store_text_or_empty(st, 3),
                              "problematique", p, "guideline", sp_store_text_or_empty(st, 5),
                              "guideline_en", json_object_get(gl, "en")));
        apr_hash_set(used, apr_pstrdup(pool, p), APR_HASH_KEY_STRING, "");
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc != SQLITE_DONE) {
        status = sp_store_fail(store->db, "project entries", pool, err);
        goto done;
    }

    if ((status = sp_store_prepare(store, overlap_sql, &st, pool, err)) != SP_OK)
        goto done;
    sqlite3_bind_int64(st, 1, vid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(overlaps, json_pack("{s:s,s:s,s:[s,s],s:s}",
                              "problematique", sp_store_text_or_empty(st, 0),
                              "neighbourhood", sp_store_text_or_empty(st, 1),
                              "actions", sp_store_text_or_empty(st, 2),
                              sp_store_text_or_empty(st, 3),
                              "components", sp_store_text_or_empty(st, 4)));
    sqlite3_finalize(st);
    st = NULL;

    /* gaps: guidelines in key order */
    if (json_is_object(guidelines)) {
        const char **keys = apr_pcalloc(pool, (json_object_size(guidelines) + 1) * sizeof(char *));
        size_t n = 0, i, j;

        json_object_foreach((json_t *)guidelines, code, g)
            keys[n++] = code;
        for (i = 1; i < n; i++)
            for (j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
                const char *x = keys[j];

                keys[j] = keys[j - 1];
                keys[j - 1] = x;
            }
        for (i = 0; i < n; i++) {
            json_t *th, *x;
            size_t k;

            if (apr_hash_get(used, keys[i], APR_HASH_KEY_STRING) == NULL) {
                json_array_append_new(gaps, json_string(keys[i]));
                continue;
            }
            th = json_object_get(json_object_get(guidelines, keys[i]), "themes");
            json_array_foreach(th, k, x)
                if (json_is_string(x))
                    apr_hash_set(covered, json_string_value(x), APR_HASH_KEY_STRING, "");
        }
    }
    if ((status = sp_store_prepare(store, covered_sql, &st, pool, err)) != SP_OK)
        goto done;
    sqlite3_bind_int64(st, 1, vid);
    while (sqlite3_step(st) == SQLITE_ROW)
        apr_hash_set(covered, apr_pstrdup(pool, sp_store_text_or_empty(st, 0)),
                     APR_HASH_KEY_STRING, "");
    sqlite3_finalize(st);
    st = NULL;

    if ((status = sp_store_prepare(store, needs_sql, &st, pool, err)) != SP_OK)
        goto done;
    sqlite3_bind_int64(st, 1, t->id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *kind = sp_store_text_or_empty(st, 0);
        const char *theme = sp_store_text_or_empty(st, 1);
        const char *key = *theme ? theme : kind;

        if (apr_hash_get(covered, key, APR_HASH_KEY_STRING) == NULL)
            json_array_append_new(unmet, json_pack("{s:s,s:s,s:I}", "kind", kind, "theme", theme,
                                                   "count", (json_int_t)sqlite3_column_int64(st, 2)));
    }
    if (rc != SQLITE_DONE)
        status = sp_store_fail(store->db, "life needs", pool, err);

done:
    if (st != NULL)
        sqlite3_finalize(st);
    if (status != SP_OK) {
        json_decref(r);
        return status;
    }
    *result = r;
    return SP_OK;
}

static int
load_entries(sp_store_t *store, sqlite3_int64 vid, json_t *into, apr_pool_t *pool, sp_error_t **err)
{
    sqlite3_stmt *st;
    int rc, status;

    if ((status = sp_store_prepare(store, entry_sql, &st, pool, err)) != SP_OK)
        return status;
    sqlite3_bind_int64(st, 1, vid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_object_set_new(into, apr_pstrcat(pool, sp_store_text_or_empty(st, 0), "\037",
                                              sp_store_text_or_empty(st, 4), NULL),
                            json_pack("{s:s,s:s,s:s,s:s,s:s}",
                                      "action", sp_store_text_or_empty(st, 0),
                                      "problematique", sp_store_text_or_empty(st, 4),
                                      "plan", sp_store_text_or_empty(st, 2),
                                      "neighbourhood", sp_store_text_or_empty(st, 3),
                                      "guideline", sp_store_text_or_empty(st, 5)));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SP_OK : sp_store_fail(store->db, "project entries", pool, err);
}

int
sp_project_diff(sp_store_t *store, const char *territory, long from, long to, json_t **result,
                apr_pool_t *pool, sp_error_t **err)
{
    sp_territory_t *t;
    sqlite3_int64 fid, tid;
    long fv, tv;
    const char *fq, *tq, *key;
    json_t *fe, *te, *added, *removed, *moved, *x, *y, *r;
    int status;

    *result = NULL;
    if ((status = sp_territory_find(store, territory, &t, pool, err)) != SP_OK
        || (status = find_version(store, t->id, to, &tid, &tv, &tq, pool, err)) != SP_OK)
        return status;
    if (from < 0) {
        if (tv == 0)
            return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                                "version 0 has no version before it: give --from");
        from = tv - 1;
    }
    if ((status = find_version(store, t->id, from, &fid, &fv, &fq, pool, err)) != SP_OK)
        return status;
    fe = json_object();
    te = json_object();
    if ((status = load_entries(store, fid, fe, pool, err)) != SP_OK
        || (status = load_entries(store, tid, te, pool, err)) != SP_OK) {
        json_decref(fe);
        json_decref(te);
        return status;
    }
    added = json_array();
    removed = json_array();
    moved = json_array();
    json_object_foreach(te, key, x) {
        if ((y = json_object_get(fe, key)) == NULL)
            json_array_append(added, x);
        else if (!json_equal(x, y))
            json_array_append_new(moved, json_pack("{s:O,s:O,s:O,s:O}", "action",
                                  json_object_get(x, "action"), "problematique",
                                  json_object_get(x, "problematique"), "before", y, "after", x));
    }
    json_object_foreach(fe, key, x)
        if (json_object_get(te, key) == NULL)
            json_array_append(removed, x);
    r = json_pack("{s:s,s:s,s:{s:i,s:s},s:{s:i,s:s},s:o,s:o,s:o}", "kind", "project-diff",
                  "territory", t->code, "from", "version", (int)fv, "quarter", fq,
                  "to", "version", (int)tv, "quarter", tq,
                  "added", added, "removed", removed, "moved", moved);
    json_decref(fe);
    json_decref(te);
    *result = r;
    return SP_OK;
}

static void
print_entry(FILE *out, const char *mark, json_t *e)
{
    fprintf(out, "%s %-14s %-16s %-20s %-12s %s\n", mark,
            json_string_value(json_object_get(e, "action")),
            json_string_value(json_object_get(e, "problematique")),
            json_string_value(json_object_get(e, "neighbourhood")),
            json_string_value(json_object_get(e, "plan")),
            json_string_value(json_object_get(e, "guideline")));
}

int
sp_project_render_text(const json_t *r, FILE *out, apr_pool_t *pool, sp_error_t **err)
{
    const char *kind = json_string_value(json_object_get(r, "kind"));
    json_t *x, *fl = json_object_get(r, "flags");
    size_t i;

    if (kind && strcmp(kind, "project-diff") == 0) {
        json_t *f = json_object_get(r, "from"), *t = json_object_get(r, "to");

        fprintf(out, "Territorial project of %s: version %ld (%s) -> version %ld (%s)\n",
                json_string_value(json_object_get(r, "territory")),
                (long)json_integer_value(json_object_get(f, "version")),
                json_string_value(json_object_get(f, "quarter")),
                (long)json_integer_value(json_object_get(t, "version")),
                json_string_value(json_object_get(t, "quarter")));
        fprintf(out, "added %lu, removed %lu, moved %lu\n",
                (unsigned long)json_array_size(json_object_get(r, "added")),
                (unsigned long)json_array_size(json_object_get(r, "removed")),
                (unsigned long)json_array_size(json_object_get(r, "moved")));
        json_array_foreach(json_object_get(r, "added"), i, x)
            print_entry(out, "+", x);
        json_array_foreach(json_object_get(r, "removed"), i, x)
            print_entry(out, "-", x);
        json_array_foreach(json_object_get(r, "moved"), i, x) {
            print_entry(out, "<", json_object_get(x, "before"));
            print_entry(out, ">", json_object_get(x, "after"));
        }
    } else {
        fprintf(out, "Territorial project of %s, version %ld (%s): %lu entries\n",
                json_string_value(json_object_get(r, "territory")),
                (long)json_integer_value(json_object_get(r, "version")),
                json_string_value(json_object_get(r, "quarter")),
                (unsigned long)json_array_size(json_object_get(r, "entries")));
        json_array_foreach(json_object_get(r, "entries"), i, x)
            print_entry(out, " ", x);
        json_array_foreach(json_object_get(fl, "overlaps"), i, x)
            fprintf(out, "OVERLAP %s in %s: %s and %s share %s\n",
                    json_string_value(json_object_get(x, "problematique")),
                    *json_string_value(json_object_get(x, "neighbourhood"))
                        ? json_string_value(json_object_get(x, "neighbourhood")) : "the city",
                    json_string_value(json_array_get(json_object_get(x, "actions"), 0)),
                    json_string_value(json_array_get(json_object_get(x, "actions"), 1)),
                    json_string_value(json_object_get(x, "components")));
        json_array_foreach(json_object_get(fl, "gaps"), i, x)
            fprintf(out, "GAP %s: no action\n", json_string_value(x));
        json_array_foreach(json_object_get(fl, "unmet_needs"), i, x)
            fprintf(out, "UNMET NEED %s/%s: %ld\n", json_string_value(json_object_get(x, "kind")),
                    json_string_value(json_object_get(x, "theme")),
                    (long)json_integer_value(json_object_get(x, "count")));
    }
    if (fflush(out) != 0 || ferror(out))
        return sp_error_set(err, pool, SP_EXIT_IO, NULL, 0, 0, "cannot write");
    return SP_OK;
}
