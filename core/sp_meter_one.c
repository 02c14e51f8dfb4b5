/*
 * sp_meter_one.c -- one household (sp_meter_int.h): its answers parsed
 * from "question=value,..." or read from the workspace by its pseudonymised
 * id, and its report for a citizen, one run of the driver in mode
 * "report" fed by a source that yields those answers once.
 */
#include <ctype.h>
#include <string.h>
#include <apr_strings.h>
#include "config.h"
#include "sp_meter_int.h"
#include "sp_pseudo.h"

static char *
trim(char *s)
{
    char *e;

    while (isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

int
sp_meter_parse_answers(const sp_meter_t *m, const char *text, sp_meter_answers_t *a,
                       apr_pool_t *pool, sp_error_t **err)
{
    apr_array_header_t *names = apr_array_make(pool, 16, sizeof(const char *));
    apr_array_header_t *values = apr_array_make(pool, 16, sizeof(const char *));
    apr_hash_t *seen = apr_hash_make(pool);
    char *copy = apr_pstrdup(pool, text ? text : ""), *item, *last = NULL;

    for (item = apr_strtok(copy, ",", &last); item != NULL; item = apr_strtok(NULL, ",", &last)) {
        char *eq, *name, *value;

        item = trim(item);
        if (*item == '\0')
            continue;
        if ((eq = strchr(item, '=')) == NULL)
            return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                                "answer '%s' has no '=' (write question=value)", item);
        *eq = '\0';
        name = trim(item);
        value = trim(eq + 1);
        if (*name == '\0')
            return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                                "an answer has no question name (write question=value)");
        if (!sp_meter_has_question(m, name))
            return sp_meter_unknown_question(m, SP_EXIT_USAGE, NULL, 0, 0, name, pool, err);
        if (apr_hash_get(seen, name, APR_HASH_KEY_STRING) != NULL)
            return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                                "question '%s' is answered twice", name);
        apr_hash_set(seen, name, APR_HASH_KEY_STRING, name);
        APR_ARRAY_PUSH(names, const char *) = name;
        APR_ARRAY_PUSH(values, const char *) = value;
    }
    a->n = (size_t)names->nelts;
    a->names = (const char *const *)names->elts;
    a->values = (const char *const *)values->elts;
    return SP_OK;
}

/* Push {name = value, ...}; household_size > 0 is set as a number. */
static void
push_answers(lua_State *L, const sp_meter_answers_t *a, double household_size)
{
    size_t i;

    lua_createtable(L, 0, (int)a->n + 1);                   /* +1 */
    for (i = 0; i < a->n; i++) {
        if (a->values[i] == NULL || a->values[i][0] == '\0')
            continue;
        lua_pushstring(L, a->values[i]);                    /* +2 */
        lua_setfield(L, -2, a->names[i]);                   /* +1 */
    }
    if (household_size > 0) {
        lua_pushnumber(L, household_size);                  /* +2 */
        lua_setfield(L, -2, "household_size");              /* +1 */
    }
}

typedef struct one_src_t {
    const sp_meter_answers_t *a;
    int done;
} one_src_t;

static int
one_next(host_t *h, lua_State *L)
{
    one_src_t *s = h->src;

    if (s->done)
        return 0;
    s->done = 1;
    push_answers(L, s->a, 0);
    return 1;
}

int
sp_meter_report(sp_meter_t *m, const sp_meter_answers_t *a, const char *lang,
                const char *const **lines, size_t *n, apr_pool_t *pool, sp_error_t **err)
{
    host_t h;
    one_src_t src = {a, 0};
    int status;

    memset(&h, 0, sizeof h);
    h.m = m;
    h.pool = pool;
    h.next = one_next;
    h.src = &src;
    h.lines = apr_array_make(pool, 32, sizeof(const char *));
    h.values = apr_array_make(pool, 3 * m->resources->nelts, sizeof(double));
    if ((status = sp_meter_run(m, &h, "report", lang, 1, err)) != SP_OK)
        return status;
    if (h.refused != NULL)
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "%s", h.refused);
    *lines = (const char *const *)h.lines->elts;
    *n = (size_t)h.lines->nelts;
    return SP_OK;
}

int
sp_meter_household(sp_store_t *store, const char *key_path, const char *id,
                   sp_meter_answers_t *a, const char **neighbourhood, apr_pool_t *pool,
                   sp_error_t **err)
{
    sp_pseudo_t *ps;
    unsigned char pseudonym[SP_PSEUDO_LEN];
    apr_array_header_t *names = apr_array_make(pool, 16, sizeof(const char *));
    apr_array_header_t *values = apr_array_make(pool, 16, sizeof(const char *));
    sqlite3_stmt *st;
    int rc, found = 0;

    if ((rc = sp_pseudo_open(&ps, key_path, pool, err)) != SP_OK)
        return rc;
    sp_pseudo_id(ps, "household", id, strlen(id), pseudonym);
    if (sqlite3_prepare_v2(store->db,
                           "SELECT h.household_size, ifnull(n.name, ''), a.question, a.value"
                           " FROM meter_household h"
                           " LEFT JOIN neighbourhood n ON n.id = h.neighbourhood_id"
                           " LEFT JOIN meter_answer a ON a.household_id = h.id"
                           " WHERE h.pseudonym = ?1 ORDER BY a.question", -1, &st, NULL)
        != SQLITE_OK)
        return sp_store_fail(store->db, "meter household", pool, err);
    sqlite3_bind_blob(st, 1, pseudonym, SP_PSEUDO_LEN, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!found) {
            APR_ARRAY_PUSH(names, const char *) = "household_size";
            APR_ARRAY_PUSH(values, const char *) =
                apr_psprintf(pool, "%ld", (long)sqlite3_column_int64(st, 0));
            *neighbourhood = apr_pstrdup(pool, (const char *)sqlite3_column_text(st, 1));
            found = 1;
        }
        if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
            APR_ARRAY_PUSH(names, const char *) =
                apr_pstrdup(pool, (const char *)sqlite3_column_text(st, 2));
            APR_ARRAY_PUSH(values, const char *) =
                apr_pstrdup(pool, (const char *)sqlite3_column_text(st, 3));
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sp_store_fail(store->db, "meter household", pool, err);
    if (!found)
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                            "no household '%s' in the workspace's meter answers (ids are"
                            " matched through the workspace key)", id);
    a->n = (size_t)names->nelts;
    a->names = (const char *const *)names->elts;
    a->values = (const char *const *)values->elts;
    return SP_OK;
}
