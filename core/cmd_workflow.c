/*
 * cmd_workflow.c -- the pieces `spiral criteria suggest`, `spiral groups`
 * and `spiral synthesis` share (cmd_workflow.h): the workspace and its
 * territory, the territory's rule files, running a Lua driver through the
 * host of cmd_evaluate.h, and reading the coordination groups with what was
 * routed to them.
 */
#include <ctype.h>
#include <string.h>
#include <unistd.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "cmd_workflow.h"

int
cmd_wf_open(sp_cli_t *cli, const char *territory_dir, cmd_wf_t *wf, sp_error_t **err)
{
    int status;

    memset(wf, 0, sizeof *wf);
    wf->cli = cli;
    wf->territory_dir = territory_dir;
    if ((status = sp_cli_open_store(cli, SP_STORE_NOCREATE, &wf->store, err)) != SP_OK
        || (status = sp_territory_find(wf->store, NULL, &wf->territory, cli->pool, err)) != SP_OK)
        return status;
    if (territory_dir != NULL && access(territory_dir, X_OK) != 0)
        return sp_error_set(err, cli->pool, SP_EXIT_NOINPUT, territory_dir, 0, 0,
                            "--territory-dir: not a folder that can be read");
    return cmd_host_create(&wf->host, territory_dir, cli->pool, err);
}

/* 1 when s can be a part of a module name (letters, digits, '_'). */
static int
module_word(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

const char *
cmd_wf_module(cmd_wf_t *wf, const char *name)
{
    apr_pool_t *pool = wf->cli->pool;
    const char *mod;

    if (wf->territory_dir != NULL) {
        /* The folder is the first script root: require(name) finds it. */
        const char *path = apr_pstrcat(pool, wf->territory_dir, "/", name, ".lua", NULL);

        return access(path, R_OK) == 0 ? name : "";
    }
    if (!module_word(wf->territory->code))
        return "";
    mod = apr_pstrcat(pool, "territories.", wf->territory->code, ".", name, NULL);
    return cmd_host_find_module(wf->host, mod, pool) ? mod : "";
}

static apr_status_t
json_cleanup(void *data)
{
    json_decref(data);
    return APR_SUCCESS;
}

int
cmd_wf_lua(cmd_wf_t *wf, const char *code, const char *name, json_t *input,
           const char *const *args, json_t **out, sp_error_t **err)
{
    int argc = 0, status;

    while (args != NULL && args[argc] != NULL)
        argc++;
    status = cmd_host_run(wf->host, code, name, input, argc, (const char **)args, out, err);
    if (status == SP_OK && *out != NULL)
        apr_pool_cleanup_register(wf->cli->pool, *out, json_cleanup, apr_pool_cleanup_null);
    return status;
}

int
cmd_wf_groups(cmd_wf_t *wf, json_t **groups, sp_error_t **err)
{
    apr_pool_t *pool = wf->cli->pool;
    apr_hash_t *by_id = apr_hash_make(pool);
    sqlite3_stmt *s = NULL;
    json_t *list = json_array();
    int status, rc, pass;

    apr_pool_cleanup_register(pool, list, json_cleanup, apr_pool_cleanup_null);
    *groups = list;
    if ((status = sp_store_prepare(wf->store, "SELECT id, code, kind, label_fr, label_en FROM "
                                   "coordination_group WHERE territory_id = ?1 ORDER BY id",
                                   &s, pool, err)) != SP_OK)
        return status;
    sqlite3_bind_int64(s, 1, wf->territory->id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        sqlite3_int64 *id = apr_palloc(pool, sizeof *id);
        json_t *g = json_object();

        *id = sqlite3_column_int64(s, 0);
        json_object_set_new(g, "code", json_string(sp_store_text_or_empty(s, 1)));
        json_object_set_new(g, "kind", json_string(sp_store_text_or_empty(s, 2)));
        json_object_set_new(g, "label_fr", json_string(sp_store_text_or_empty(s, 3)));
        json_object_set_new(g, "label_en", json_string(sp_store_text_or_empty(s, 4)));
        json_object_set_new(g, "needs", json_array());
        json_object_set_new(g, "offers", json_array());
        json_array_append_new(list, g);
        apr_hash_set(by_id, id, sizeof *id, g);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return sp_store_fail(wf->store->db, "reading the coordination groups", pool, err);
    for (pass = 0; pass < 2; pass++) {
        status = sp_store_prepare(wf->store, pass == 0
            ? "SELECT r.group_id, n.kind, n.theme, NULL FROM routing r "
              "JOIN life_need n ON n.id = r.need_id ORDER BY r.group_id, n.id"
            : "SELECT r.group_id, o.kind, o.theme, o.amount FROM routing r "
              "JOIN life_offer o ON o.id = r.offer_id ORDER BY r.group_id, o.id", &s, pool, err);
        if (status != SP_OK)
            return status;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            sqlite3_int64 id = sqlite3_column_int64(s, 0);
            json_t *g = apr_hash_get(by_id, &id, sizeof id), *item;

            if (g == NULL)      /* a group of another territory */
                continue;
            item = json_pack("{s:o,s:o}", "kind", json_string(sp_store_text_or_empty(s, 1)),
                             "theme", json_string(sp_store_text_or_empty(s, 2)));
            if (pass == 1)
                json_object_set_new(item, "amount", sqlite3_column_type(s, 3) == SQLITE_NULL
                                    ? json_null() : json_real(sqlite3_column_double(s, 3)));
            json_array_append_new(json_object_get(g, pass == 0 ? "needs" : "offers"), item);
        }
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return sp_store_fail(wf->store->db, "reading the routing", pool, err);
    }
    return SP_OK;
}

int
cmd_wf_find_group(cmd_wf_t *wf, json_t *groups, const char *code, json_t **group,
                  sp_error_t **err)
{
    size_t i;
    json_t *g;

    json_array_foreach(groups, i, g) {
        if (strcmp(json_string_value(json_object_get(g, "code")), code) == 0) {
            *group = g;
            return SP_OK;
        }
    }
    *group = NULL;
    return sp_error_set(err, wf->cli->pool, SP_EXIT_DATA, NULL, 0, 0, "unknown coordination "
                        "group '%s' (`spiral groups` lists them)", code);
}

json_t *
cmd_wf_count(long n)
{
    return n > 0 && n < CMD_WF_MIN_CELL ? json_string("<5") : json_integer(n);
}

const char *
cmd_wf_count_text(long n, apr_pool_t *pool)
{
    return n > 0 && n < CMD_WF_MIN_CELL ? "<5" : apr_ltoa(pool, n);
}
