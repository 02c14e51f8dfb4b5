/*
 * sp_actions.c -- full-text search of actions and thematic networks (see
 * sp_actions.h).  The folded comparison of tags and towns is an SQL
 * function sp_fold(text) registered on the connection for the query, built
 * on sp_text_fold so that search and the rest of spiral fold alike.
 */
#include <string.h>
#include <apr_strings.h>
#include "sp_actions.h"
#include "sp_criteria.h"
#include "sp_grid.h"
#include "sp_text.h"

const char *
sp_actions_match_text(const char *text, apr_pool_t *pool)
{
    const char *p = text ? text : "", *q;
    char *out = apr_palloc(pool, 3 * strlen(p) + 1), *o = out;

    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (*p == '\0')
            break;
        if (o != out)
            *o++ = ' ';
        *o++ = '"';
        for (q = p; *q && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r'; q++) {
            if (*q == '"')
                *o++ = '"';
            *o++ = *q;
        }
        *o++ = '"';
        p = q;
    }
    *o = '\0';
    return out;
}

static void
fold_function(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const unsigned char *s = sqlite3_value_text(argv[0]);
    apr_pool_t *pool;
    char *folded;

    (void)argc;
    if (s == NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    if (apr_pool_create(&pool, NULL) != APR_SUCCESS) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    folded = sp_text_fold((const char *)s, pool);
    /* Not valid UTF-8: compare the bytes as they are. */
    sqlite3_result_text(ctx, folded ? folded : (const char *)s, -1, SQLITE_TRANSIENT);
    apr_pool_destroy(pool);
}

static int
register_fold(sp_store_t *store, apr_pool_t *pool, sp_error_t **err)
{
    if (sqlite3_create_function(store->db, "sp_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                NULL, fold_function, NULL, NULL) != SQLITE_OK)
        return sp_store_fail(store->db, "registering sp_fold", pool, err);
    return SP_OK;
}

static void
bind_opt(sqlite3_stmt *stmt, int i, const char *s)
{
    if (s != NULL && *s != '\0')
        sqlite3_bind_text(stmt, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, i);
}

#define FILTERS \
    " AND (?2 IS NULL OR EXISTS (SELECT 1 FROM action_tag t WHERE t.action_id = a.id" \
    "      AND t.kind = 'theme' AND sp_fold(t.value) = sp_fold(?2)))" \
    " AND (?3 IS NULL OR sp_fold(a.town) = sp_fold(?3) OR a.territory_id IN" \
    "      (SELECT id FROM territory WHERE code = ?3))" \
    " AND (?4 IS NULL OR EXISTS (SELECT 1 FROM action_tag t WHERE t.action_id = a.id" \
    "      AND t.kind = 'component' AND substr(t.value, 1, length(?4)) = ?4))" \
    " AND (?5 IS NULL OR EXISTS (SELECT 1 FROM action_tag t WHERE t.action_id = a.id" \
    "      AND t.kind = 'problematique' AND sp_fold(t.value) = sp_fold(?5)))"

/* The tags of one action, as arrays in o (themes, problematiques, components). */
static int
add_tags(sqlite3_stmt *tags, sqlite3_int64 id, json_t *o)
{
    json_t *themes = json_array(), *probs = json_array(), *comps = json_array();
    int rc;

    sqlite3_bind_int64(tags, 1, id);
    while ((rc = sqlite3_step(tags)) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(tags, 0);
        json_t *v = json_string((const char *)sqlite3_column_text(tags, 1));

        json_array_append_new(strcmp(kind, "theme") == 0 ? themes
                              : strcmp(kind, "problematique") == 0 ? probs : comps, v);
    }
    sqlite3_reset(tags);
    json_object_set_new(o, "themes", themes);
    json_object_set_new(o, "problematiques", probs);
    json_object_set_new(o, "components", comps);
    return rc == SQLITE_DONE;
}

int
sp_actions_search(sp_store_t *store, const sp_actions_query_t *q, json_t **result,
                  apr_pool_t *pool, sp_error_t **err)
{
    const char *match = sp_actions_match_text(q->text, pool), *sql;
    sqlite3_stmt *stmt = NULL, *tags = NULL;
    json_t *res, *list, *query;
    int rc, status = SP_OK;

    *result = NULL;
    if (q->component != NULL && *q->component != '\0' && sp_criteria_level_of(q->component) == 0)
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "--component: '%s' is not a "
                            "component code: expected a family letter A-Z, optionally a "
                            "two-digit component and '-' with a two-digit sub-object, "
                            "e.g. A, A01, A01-11", q->component);
    if ((status = register_fold(store, pool, err)) != SP_OK)
        return status;
    if (*match != '\0')
        sql = "SELECT a.id, a.code, a.title, a.town, a.country, bm25(action_fts) "
              "FROM action_fts JOIN action a ON a.id = action_fts.rowid "
              "WHERE action_fts MATCH ?1" FILTERS " ORDER BY bm25(action_fts), a.code";
    else
        sql = "SELECT a.id, a.code, a.title, a.town, a.country, NULL FROM action a "
              "WHERE ?1 IS NULL" FILTERS " ORDER BY a.code";
    res = sp_grid_pool_own(json_object(), pool);
    list = json_array();
    query = json_pack("{s:o, s:o, s:o, s:o, s:o}",
                      "text", q->text ? json_string(q->text) : json_null(),
                      "theme", q->theme ? json_string(q->theme) : json_null(),
                      "territory", q->territory ? json_string(q->territory) : json_null(),
                      "component", q->component ? json_string(q->component) : json_null(),
                      "problematique", q->problematique ? json_string(q->problematique)
                                                        : json_null());
    json_object_set_new(res, "query", query);
    json_object_set_new(res, "match", *match ? json_string(match) : json_null());
    json_object_set_new(res, "actions", list);
    if (sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(store->db, "SELECT kind, value FROM action_tag WHERE action_id = ?1 "
                              "AND kind IN ('theme', 'problematique', 'component') "
                              "ORDER BY kind, value", -1, &tags, NULL) != SQLITE_OK) {
        status = sp_store_fail(store->db, "action search", pool, err);
        goto done;
    }
    bind_opt(stmt, 1, *match ? match : NULL);
    bind_opt(stmt, 2, q->theme);
    bind_opt(stmt, 3, q->territory);
    bind_opt(stmt, 4, q->component);
    bind_opt(stmt, 5, q->problematique);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        json_t *o = json_object();

        json_object_set_new(o, "id", json_integer(sqlite3_column_int64(stmt, 0)));
        json_object_set_new(o, "code", json_string((const char *)sqlite3_column_text(stmt, 1)));
        json_object_set_new(o, "title", json_string((const char *)sqlite3_column_text(stmt, 2)));
        json_object_set_new(o, "town", json_string((const char *)sqlite3_column_text(stmt, 3)));
        json_object_set_new(o, "country", json_string((const char *)sqlite3_column_text(stmt, 4)));
        json_object_set_new(o, "bm25", sqlite3_column_type(stmt, 5) == SQLITE_NULL ? json_null()
                            : json_real(sqlite3_column_double(stmt, 5)));
        json_array_append_new(list, o);
        if (!add_tags(tags, sqlite3_column_int64(stmt, 0), o)) {
            rc = SQLITE_ERROR;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        status = sp_store_fail(store->db, "action search", pool, err);
done:
    sqlite3_finalize(stmt);
    sqlite3_finalize(tags);
    if (status == SP_OK)
        *result = res;
    return status;
}

static const char *
join(const json_t *list, const char *key, const char *count_key, apr_pool_t *pool)
{
    const json_t *v;
    const char *s = "";
    size_t i;

    json_array_foreach(list, i, v) {
        const char *item = key ? json_string_value(json_object_get(v, key)) : json_string_value(v);

        if (count_key)
            item = apr_psprintf(pool, "%s (%ld)", item ? item : "",
                                (long)json_integer_value(json_object_get(v, count_key)));
        s = apr_pstrcat(pool, s, i ? ", " : "", item ? item : "", NULL);
    }
    return s;
}

json_t *
sp_actions_search_grid(const json_t *res, apr_pool_t *pool)
{
    static const char *const names[] = {"code", "title", "town", "themes", "components", "bm25"};
    static const int right[] = {0, 0, 0, 0, 0, 1};
    json_t *grid = sp_grid_pool_own(sp_grid_new(NULL, names, right, 6), pool), *o;
    const char *cells[6];
    size_t r;

    json_array_foreach(json_object_get(res, "actions"), r, o) {
        cells[0] = json_string_value(json_object_get(o, "code"));
        cells[1] = json_string_value(json_object_get(o, "title"));
        cells[2] = json_string_value(json_object_get(o, "town"));
        cells[3] = join(json_object_get(o, "themes"), NULL, NULL, pool);
        cells[4] = join(json_object_get(o, "components"), NULL, NULL, pool);
        cells[5] = json_is_number(json_object_get(o, "bm25"))
            ? apr_psprintf(pool, "%.4g", json_number_value(json_object_get(o, "bm25"))) : "";
        sp_grid_add_row(grid, cells, 6);
    }
    sp_grid_add_note(grid, apr_psprintf(pool, "%ld action(s)%s", (long)json_array_size(
                                        json_object_get(res, "actions")),
                                        json_is_string(json_object_get(res, "match"))
                                        ? "; bm25: lower is a better match" : ""));
    return grid;
}

/* --- networks ------------------------------------------------------------------ */

/* Append {name_key: col 1, "actions": col 2} of each row of stmt (col 0 =
 * theme) to the "key" array of the theme's object in themes. */
static int
collect(sqlite3_stmt *stmt, json_t *themes, const char *key, const char *name_key)
{
    int rc;

    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        json_t *t = json_object_get(themes, (const char *)sqlite3_column_text(stmt, 0));

        if (t == NULL)
            continue;
        if (name_key == NULL)
            json_array_append_new(json_object_get(t, key),
                                  json_string((const char *)sqlite3_column_text(stmt, 1)));
        else
            json_array_append_new(json_object_get(t, key),
                                  json_pack("{s:s, s:I}", name_key,
                                            (const char *)sqlite3_column_text(stmt, 1),
                                            "actions", (json_int_t)sqlite3_column_int64(stmt, 2)));
    }
    return rc == SQLITE_DONE;
}

int
sp_actions_networks(sp_store_t *store, const char *theme, json_t **result, apr_pool_t *pool,
                    sp_error_t **err)
{
    static const char *const sql[] = {
        "SELECT DISTINCT value FROM action_tag WHERE kind = 'theme' "
        "AND (?1 IS NULL OR sp_fold(value) = sp_fold(?1)) ORDER BY value",
        "SELECT th.value, a.code FROM action_tag th JOIN action a ON a.id = th.action_id "
        "WHERE th.kind = 'theme' ORDER BY th.value, a.code",
        "SELECT th.value, ac.value, count(*) FROM action_tag th JOIN action_tag ac "
        "ON ac.action_id = th.action_id AND ac.kind = 'actor' WHERE th.kind = 'theme' "
        "GROUP BY th.value, ac.value ORDER BY th.value, count(*) DESC, ac.value",
        "SELECT th.value, a.town, count(*) FROM action_tag th JOIN action a ON a.id = th.action_id "
        "WHERE th.kind = 'theme' AND a.town <> '' GROUP BY th.value, a.town "
        "ORDER BY th.value, count(*) DESC, a.town",
        "SELECT ac.value, th.value FROM action_tag ac JOIN action_tag th "
        "ON th.action_id = ac.action_id AND th.kind = 'theme' WHERE ac.kind = 'actor' "
        "AND ac.value IN (SELECT ac2.value FROM action_tag ac2 JOIN action_tag th2 "
        "  ON th2.action_id = ac2.action_id AND th2.kind = 'theme' WHERE ac2.kind = 'actor' "
        "  GROUP BY ac2.value HAVING count(DISTINCT th2.value) >= 2 "
        "  AND count(DISTINCT ac2.action_id) >= 2) "
        "AND (?1 IS NULL OR ac.value IN (SELECT ac3.value FROM action_tag ac3 JOIN action_tag th3 "
        "  ON th3.action_id = ac3.action_id AND th3.kind = 'theme' WHERE ac3.kind = 'actor' "
        "  AND sp_fold(th3.value) = sp_fold(?1))) "
        "GROUP BY ac.value, th.value ORDER BY ac.value, th.value"
    };
    sqlite3_stmt *stmt[5] = {NULL, NULL, NULL, NULL, NULL};
    json_t *res, *by_theme, *list, *bridges, *last = NULL;
    const char *last_actor = "";
    int status = SP_OK, rc = SQLITE_DONE, i;

    *result = NULL;
    if ((status = register_fold(store, pool, err)) != SP_OK)
        return status;
    res = sp_grid_pool_own(json_object(), pool);
    by_theme = json_object();
    list = json_array();
    bridges = json_array();
    json_object_set_new(res, "themes", list);
    json_object_set_new(res, "bridges", bridges);
    for (i = 0; i < 5; i++)
        if (sqlite3_prepare_v2(store->db, sql[i], -1, &stmt[i], NULL) != SQLITE_OK) {
            status = sp_store_fail(store->db, "action networks", pool, err);
            goto done;
        }
    bind_opt(stmt[0], 1, theme);
    bind_opt(stmt[4], 1, theme);
    while ((rc = sqlite3_step(stmt[0])) == SQLITE_ROW) {
        json_t *t = json_pack("{s:s, s:[], s:[], s:[]}", "theme",
                              (const char *)sqlite3_column_text(stmt[0], 0),
                              "actions", "actors", "towns");

        json_array_append_new(list, t);
        json_object_set(by_theme, (const char *)sqlite3_column_text(stmt[0], 0), t);
    }
    if (rc != SQLITE_DONE || !collect(stmt[1], by_theme, "actions", NULL)
        || !collect(stmt[2], by_theme, "actors", "name")
        || !collect(stmt[3], by_theme, "towns", "town")) {
        status = sp_store_fail(store->db, "action networks", pool, err);
        goto done;
    }
    /* Bridges: actors of the chosen themes who carry two actions or more,
     * in two themes or more: the people who link the networks. */
    while ((rc = sqlite3_step(stmt[4])) == SQLITE_ROW) {
        const char *actor = (const char *)sqlite3_column_text(stmt[4], 0);

        if (last == NULL || strcmp(actor, last_actor) != 0) {
            last = json_pack("{s:s, s:[]}", "actor", actor, "themes");
            json_array_append_new(bridges, last);
            last_actor = json_string_value(json_object_get(last, "actor"));
        }
        json_array_append_new(json_object_get(last, "themes"),
                              json_string((const char *)sqlite3_column_text(stmt[4], 1)));
    }
    if (rc != SQLITE_DONE)
        status = sp_store_fail(store->db, "action networks", pool, err);
done:
    for (i = 0; i < 5; i++)
        sqlite3_finalize(stmt[i]);
    json_decref(by_theme);
    if (status == SP_OK)
        *result = res;
    return status;
}

json_t *
sp_actions_networks_grid(const json_t *res, apr_pool_t *pool)
{
    static const char *const names[] = {"theme", "actions", "actors (actions)", "towns (actions)"};
    json_t *grid = sp_grid_pool_own(sp_grid_new(NULL, names, NULL, 4), pool), *o;
    const char *cells[4];
    size_t r;

    json_array_foreach(json_object_get(res, "themes"), r, o) {
        cells[0] = json_string_value(json_object_get(o, "theme"));
        cells[1] = join(json_object_get(o, "actions"), NULL, NULL, pool);
        cells[2] = join(json_object_get(o, "actors"), "name", "actions", pool);
        cells[3] = join(json_object_get(o, "towns"), "town", "actions", pool);
        sp_grid_add_row(grid, cells, 4);
    }
    json_array_foreach(json_object_get(res, "bridges"), r, o)
        sp_grid_add_note(grid, apr_psprintf(pool, "bridge: %s carries actions in %s",
                                            json_string_value(json_object_get(o, "actor")),
                                            join(json_object_get(o, "themes"), NULL, NULL, pool)));
    return grid;
}
