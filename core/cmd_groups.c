/*
 * cmd_groups.c -- `spiral groups route|match` and `spiral groups`: the
 * coordination groups of annex 2 (lib/structure.lua: 10 life slices, 4
 * relations, 5 resources, one group per neighbourhood, the city group) and
 * the life-project needs and offers routed to them by lib/routing.lua.
 *
 * route creates the missing groups and replaces the whole routing in one
 * transaction, after the Lua has run (so a territory file with an error
 * changes nothing).  The listing shows counts to everyone, 1 to 4 shown as
 * "<5"; the kinds, themes and amounts only for the group named by --group;
 * never an identifier or free text.  match pairs offers with needs inside
 * each group with lib/routing.lua's match() (greedy by theme, documented
 * there and in docs/workflow.md).  propose records which group proposes a
 * plan of actions to the city group (plan.coordination_group_id).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "cmd_workflow.h"

int sp_cmd_groups(sp_cli_t *cli, int argc, char **argv);

/* ... = the territory's routing module or "", its pack module or "". */
static const char route_driver[] =
    "local routing_mod, pack_mod = ...\n"
    "local routing = require 'lib.routing'\n"
    "local structure = require 'lib.structure'\n"
    "local ev = require('spiral').evaluate\n"
    "local input = ev.input()\n"
    "local o = routing_mod ~= '' and require(routing_mod) or {}\n"
    "local extra = o.extra\n"
    "if extra == nil and routing_mod == '' and pack_mod ~= '' then\n"
    "  local p = require(pack_mod)\n"
    "  if type(p) == 'table' then extra = p.routing end\n"
    "end\n"
    "local rules = o.rules or routing.rules({ extra = extra })\n"
    "local groups = {}\n"
    "local function add(g, nb)\n"
    "  groups[#groups + 1] = { code = g.code, kind = g.kind, label_fr = g.label_fr,\n"
    "    label_en = g.label_en, neighbourhood = nb }\n"
    "end\n"
    "for _, g in ipairs(structure.groups) do add(g) end\n"
    "for _, g in ipairs(o.groups or {}) do add(g) end\n"
    "for _, name in ipairs(input.neighbourhoods) do add(structure.neighbourhood_group(name), name) end\n"
    "add(structure.city_group)\n"
    "local function describe(r)\n"
    "  if r.name then return r.name end\n"
    "  local keys = {}\n"
    "  for k, v in pairs(r.when or {}) do keys[#keys + 1] = k .. '=' .. tostring(v) end\n"
    "  table.sort(keys)\n"
    "  if #keys == 0 then return '*' end\n"
    "  return table.concat(keys, ',')\n"
    "end\n"
    "local routes = {}\n"
    "for _, what in ipairs({ 'needs', 'offers' }) do\n"
    "  for _, it in ipairs(input[what]) do\n"
    "    local to = routing.route({ kind = it.kind, theme = it.theme },\n"
    "      { neighbourhood = it.neighbourhood }, rules)\n"
    "    for _, r in ipairs(to) do\n"
    "      routes[#routes + 1] = { what = what, id = it.id, group = r.group,\n"
    "        rule = describe(rules[r.rule]) }\n"
    "    end\n"
    "  end\n"
    "end\n"
    "ev.emit({ groups = groups, routes = routes })\n";

/* ... = the territory's routing module or "". */
static const char match_driver[] =
    "local routing_mod = ...\n"
    "local routing = require 'lib.routing'\n"
    "local ev = require('spiral').evaluate\n"
    "local o = routing_mod ~= '' and require(routing_mod) or {}\n"
    "local out = {}\n"
    "for i, g in ipairs(ev.input().groups) do\n"
    "  local p, unmet, unused = routing.match(g.needs, g.offers, o.match_kinds)\n"
    "  out[i] = { pairs = p, unmet = unmet, unused = unused }\n"
    "end\n"
    "ev.emit({ matches = out })\n";

/* --- route ----------------------------------------------------------------------- */

static int
load_items(cmd_wf_t *wf, json_t *input, sp_error_t **err)
{
    static const char *const sql[2] = {
        "SELECT n.id, n.kind, n.theme, nb.name FROM life_need n "
        "JOIN respondent r ON r.id = n.respondent_id JOIN survey_wave w ON w.id = r.wave_id "
        "LEFT JOIN neighbourhood nb ON nb.id = r.neighbourhood_id "
        "WHERE w.territory_id = ?1 ORDER BY n.id",
        "SELECT o.id, o.kind, o.theme, nb.name FROM life_offer o "
        "JOIN respondent r ON r.id = o.respondent_id JOIN survey_wave w ON w.id = r.wave_id "
        "LEFT JOIN neighbourhood nb ON nb.id = r.neighbourhood_id "
        "WHERE w.territory_id = ?1 ORDER BY o.id",
    };
    static const char *const key[2] = {"needs", "offers"};
    sqlite3_stmt *s = NULL;
    json_t *names = json_array();
    int i, rc, status;

    json_object_set_new(input, "neighbourhoods", names);
    if ((status = sp_store_prepare(wf->store, "SELECT name FROM neighbourhood WHERE "
                                   "territory_id = ?1 ORDER BY id", &s, wf->cli->pool,
                                   err)) != SP_OK)
        return status;
    sqlite3_bind_int64(s, 1, wf->territory->id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(names, json_string((const char *)sqlite3_column_text(s, 0)));
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return sp_store_fail(wf->store->db, "reading the neighbourhoods", wf->cli->pool, err);
    for (i = 0; i < 2; i++) {
        json_t *list = json_array();

        json_object_set_new(input, key[i], list);
        if ((status = sp_store_prepare(wf->store, sql[i], &s, wf->cli->pool, err)) != SP_OK)
            return status;
        sqlite3_bind_int64(s, 1, wf->territory->id);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            json_t *it = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)sqlite3_column_int64(s, 0),
                                   "kind", (const char *)sqlite3_column_text(s, 1),
                                   "theme", (const char *)sqlite3_column_text(s, 2));

            if (sqlite3_column_type(s, 3) != SQLITE_NULL)
                json_object_set_new(it, "neighbourhood",
                                    json_string((const char *)sqlite3_column_text(s, 3)));
            json_array_append_new(list, it);
        }
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return sp_store_fail(wf->store->db, "reading the life projects", wf->cli->pool, err);
    }
    return SP_OK;
}

static int
kind_ok(const char *k)
{
    static const char *const kinds[] = {"life_slice", "relation", "resource", "neighbourhood",
                                        "city", NULL};
    int i;

    for (i = 0; k != NULL && kinds[i] != NULL; i++)
        if (strcmp(k, kinds[i]) == 0)
            return 1;
    return 0;
}

/* Write the groups and the routes of res in one transaction. */
static int
write_routing(cmd_wf_t *wf, json_t *res, long *created, long *nroutes, long *ngroups_used,
              sp_error_t **err)
{
    apr_pool_t *pool = wf->cli->pool;
    apr_hash_t *ids = apr_hash_make(pool), *used = apr_hash_make(pool);
    sqlite3_stmt *ins = NULL, *sel = NULL, *route = NULL;
    json_t *g, *r;
    size_t i;
    int status, rc;

    *created = *nroutes = *ngroups_used = 0;
    if ((status = sp_store_begin(wf->store, pool, err)) != SP_OK)
        return status;
    if ((status = sp_store_prepare(wf->store, "INSERT INTO coordination_group (territory_id, "
                                   "code, kind, label_fr, label_en, neighbourhood_id) VALUES "
                                   "(?1, ?2, ?3, ?4, ?5, (SELECT id FROM neighbourhood WHERE "
                                   "territory_id = ?1 AND name = ?6)) "
                                   "ON CONFLICT (territory_id, code) DO NOTHING",
                                   &ins, pool, err)) != SP_OK)
        goto done;
    json_array_foreach(json_object_get(res, "groups"), i, g) {
        const char *code = json_string_value(json_object_get(g, "code"));
        const char *kind = json_string_value(json_object_get(g, "kind"));
        const char *fr = json_string_value(json_object_get(g, "label_fr"));
        const char *en = json_string_value(json_object_get(g, "label_en"));

        if (code == NULL || *code == '\0' || !kind_ok(kind)) {
            status = sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "coordination group %ld "
                                  "of the routing rules: a group needs a code and a kind "
                                  "(life_slice, relation, resource, neighbourhood or city)",
                                  (long)i + 1);
            goto done;
        }
        sqlite3_reset(ins);
        sqlite3_bind_int64(ins, 1, wf->territory->id);
        sqlite3_bind_text(ins, 2, code, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 4, fr ? fr : code, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 5, en ? en : (fr ? fr : code), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 6, json_string_value(json_object_get(g, "neighbourhood")), -1,
                          SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE) {
            status = sp_store_fail(wf->store->db, "creating a coordination group", pool, err);
            goto done;
        }
        *created += sqlite3_changes(wf->store->db);
    }
    if ((status = sp_store_prepare(wf->store, "SELECT id, code FROM coordination_group WHERE "
                                   "territory_id = ?1", &sel, pool, err)) != SP_OK)
        goto done;
    sqlite3_bind_int64(sel, 1, wf->territory->id);
    while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
        sqlite3_int64 *id = apr_palloc(pool, sizeof *id);

        *id = sqlite3_column_int64(sel, 0);
        apr_hash_set(ids, apr_pstrdup(pool, (const char *)sqlite3_column_text(sel, 1)),
                     APR_HASH_KEY_STRING, id);
    }
    if (rc != SQLITE_DONE) {
        status = sp_store_fail(wf->store->db, "reading the coordination groups", pool, err);
        goto done;
    }
    {
        char *sql = apr_psprintf(pool, "DELETE FROM routing WHERE group_id IN (SELECT id FROM "
                                 "coordination_group WHERE territory_id = %ld)",
                                 (long)wf->territory->id);

        if ((status = sp_store_exec(wf->store, sql, pool, err)) != SP_OK)
            goto done;
    }
    if ((status = sp_store_prepare(wf->store, "INSERT INTO routing (group_id, need_id, "
                                   "offer_id, rule) VALUES (?1, ?2, ?3, ?4)", &route, pool,
                                   err)) != SP_OK)
        goto done;
    json_array_foreach(json_object_get(res, "routes"), i, r) {
        const char *code = json_string_value(json_object_get(r, "group"));
        const char *what = json_string_value(json_object_get(r, "what"));
        const char *rule = json_string_value(json_object_get(r, "rule"));
        sqlite3_int64 *gid = code ? apr_hash_get(ids, code, APR_HASH_KEY_STRING) : NULL;
        int need = what != NULL && strcmp(what, "needs") == 0;

        if (gid == NULL) {
            status = sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0, "the routing rules send "
                                  "a %s to '%s', which is not a coordination group (a "
                                  "territory's routing.lua adds groups with groups = {...})",
                                  need ? "need" : "offer", code ? code : "?");
            goto done;
        }
        sqlite3_reset(route);
        sqlite3_clear_bindings(route);
        sqlite3_bind_int64(route, 1, *gid);
        sqlite3_bind_int64(route, need ? 2 : 3,
                           (sqlite3_int64)json_integer_value(json_object_get(r, "id")));
        sqlite3_bind_text(route, 4, rule ? rule : "", -1, SQLITE_STATIC);
        if (sqlite3_step(route) != SQLITE_DONE) {
            status = sp_store_fail(wf->store->db, "writing the routing", pool, err);
            goto done;
        }
        ++*nroutes;
        apr_hash_set(used, code, APR_HASH_KEY_STRING, code);
    }
    *ngroups_used = (long)apr_hash_count(used);
    sqlite3_finalize(ins);
    sqlite3_finalize(sel);
    sqlite3_finalize(route);
    ins = sel = route = NULL;
    status = sp_store_commit(wf->store, pool, err);
done:
    sqlite3_finalize(ins);
    sqlite3_finalize(sel);
    sqlite3_finalize(route);
    if (status != SP_OK)
        sp_store_rollback(wf->store);
    return status;
}

static int
route(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"territory-dir", required_argument, NULL, 'T'},
        {NULL, 0, NULL, 0}
    };
    const char *tdir = NULL, *args[3];
    cmd_wf_t wf;
    sp_error_t *err = NULL;
    json_t *input, *res = NULL;
    long created, nroutes, nused;
    int c, status;

    while ((c = getopt_long(argc, argv, "T:", options, NULL)) != -1) {
        if (c != 'T')
            return sp_cli_usage(cli, "groups", "unknown option");
        tdir = optarg;
    }
    if (optind < argc)
        return sp_cli_usage(cli, "groups", "unexpected argument '%s'", argv[optind]);
    if ((status = cmd_wf_open(cli, tdir, &wf, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    input = json_object();
    if ((status = load_items(&wf, input, &err)) == SP_OK) {
        args[0] = cmd_wf_module(&wf, "routing");
        args[1] = cmd_wf_module(&wf, "pack");
        args[2] = NULL;
        status = cmd_wf_lua(&wf, route_driver, "=groups route", input, args, &res, &err);
    }
    if (status == SP_OK && res == NULL)
        status = sp_error_set(&err, cli->pool, SP_EXIT_SOFTWARE, NULL, 0, 0, "the routing "
                              "driver returned nothing");
    if (status == SP_OK)
        status = write_routing(&wf, res, &created, &nroutes, &nused, &err);
    if (status != SP_OK) {
        json_decref(input);
        return sp_cli_fail(cli, err);
    }
    if (!cli->quiet)
        fprintf(stderr, "groups route: %ld coordination group(s), %ld created; %ld need(s) and "
                "%ld offer(s) routed: %ld routing(s) to %ld group(s)\n",
                (long)json_array_size(json_object_get(res, "groups")), created,
                (long)json_array_size(json_object_get(input, "needs")),
                (long)json_array_size(json_object_get(input, "offers")), nroutes, nused);
    json_decref(input);
    return SP_OK;
}

/* --- listing ---------------------------------------------------------------------- */

static const char *
label(json_t *g, const char *lang)
{
    const char *l = json_string_value(json_object_get(g, strcmp(lang, "en") == 0 ? "label_en"
                                                                                 : "label_fr"));
    return l ? l : "";
}

/* [{kind, theme, count[, amount]}] of items, in order of first sight. */
static json_t *
detail(json_t *items, int offers)
{
    json_t *out = json_array(), *it, *d;
    size_t i, j;

    json_array_foreach(items, i, it) {
        const char *k = json_string_value(json_object_get(it, "kind"));
        const char *t = json_string_value(json_object_get(it, "theme"));
        json_t *amount = json_object_get(it, "amount");
        json_t *found = NULL;

        json_array_foreach(out, j, d) {
            if (strcmp(json_string_value(json_object_get(d, "kind")), k) == 0
                && strcmp(json_string_value(json_object_get(d, "theme")), t) == 0) {
                found = d;
                break;
            }
        }
        if (found == NULL) {
            found = json_pack("{s:s,s:s,s:i}", "kind", k, "theme", t, "count", 0);
            if (offers)
                json_object_set_new(found, "amount", json_real(0));
            json_array_append_new(out, found);
        }
        json_object_set_new(found, "count", json_integer(json_integer_value(
            json_object_get(found, "count")) + 1));
        if (offers && json_is_number(amount))
            json_object_set_new(found, "amount", json_real(json_number_value(
                json_object_get(found, "amount")) + json_number_value(amount)));
    }
    return out;
}

static const char *
item_text(json_t *it, apr_pool_t *pool)
{
    const char *k = json_string_value(json_object_get(it, "kind"));
    const char *t = json_string_value(json_object_get(it, "theme"));
    json_t *a = json_object_get(it, "amount");

    return apr_psprintf(pool, "%s%s%s%s%s", k, json_is_number(a) ? "=" : "",
                        json_is_number(a) ? apr_psprintf(pool, "%g", json_number_value(a)) : "",
                        t && *t ? ":" : "", t ? t : "");
}

static int
parse_common(sp_cli_t *cli, int argc, char **argv, const char **group, const char **tdir,
             int *json, const char **lang)
{
    static const struct option options[] = {
        {"group", required_argument, NULL, 'g'},
        {"territory-dir", required_argument, NULL, 'T'},
        {"format", required_argument, NULL, 'f'},
        {"lang", required_argument, NULL, 'L'},
        {NULL, 0, NULL, 0}
    };
    int c;

    *group = *tdir = NULL;
    *json = 0;
    *lang = "fr";
    while ((c = getopt_long(argc, argv, "g:T:f:L:", options, NULL)) != -1) {
        switch (c) {
        case 'g': *group = optarg; break;
        case 'T': *tdir = optarg; break;
        case 'f':
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)
                return sp_cli_usage(cli, "groups", "--format must be text or json");
            *json = strcmp(optarg, "json") == 0;
            break;
        case 'L':
            if (strcmp(optarg, "fr") != 0 && strcmp(optarg, "en") != 0)
                return sp_cli_usage(cli, "groups", "--lang must be fr or en");
            *lang = optarg;
            break;
        default: return sp_cli_usage(cli, "groups", "unknown option");
        }
    }
    if (optind < argc)
        return sp_cli_usage(cli, "groups", "unexpected argument '%s'", argv[optind]);
    return SP_OK;
}

/* Open, read the groups, refuse an empty routing or an unknown --group. */
static int
open_groups(sp_cli_t *cli, const char *tdir, const char *code, cmd_wf_t *wf, json_t **groups,
            json_t **one, sp_error_t **err)
{
    int status;

    *one = NULL;
    if ((status = cmd_wf_open(cli, tdir, wf, err)) != SP_OK
        || (status = cmd_wf_groups(wf, groups, err)) != SP_OK)
        return status;
    if (json_array_size(*groups) == 0)
        return sp_error_set(err, cli->pool, SP_EXIT_DATA, NULL, 0, 0, "no coordination groups "
                            "yet: run `spiral groups route` first");
    if (code != NULL)
        return cmd_wf_find_group(wf, *groups, code, one, err);
    return SP_OK;
}

static void
print_json(json_t *v)
{
    json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    putchar('\n');
}

static int
list(sp_cli_t *cli, int argc, char **argv)
{
    const char *code, *tdir, *lang;
    cmd_wf_t wf;
    sp_error_t *err = NULL;
    json_t *groups, *one, *g, *out, *arr;
    size_t i;
    int json, status;

    if ((status = parse_common(cli, argc, argv, &code, &tdir, &json, &lang)) != SP_OK)
        return status;
    if ((status = open_groups(cli, tdir, code, &wf, &groups, &one, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    out = json_object();
    arr = json_array();
    json_object_set_new(out, "note", json_string("counts of 1 to 4 are shown as <5"));
    json_object_set_new(out, "groups", arr);
    if (!json)
        printf("%-22s %-13s %6s %6s  %s\n", "group", "kind", "needs", "offers", "label");
    json_array_foreach(groups, i, g) {
        long nn = (long)json_array_size(json_object_get(g, "needs"));
        long no = (long)json_array_size(json_object_get(g, "offers"));
        json_t *e;

        if (one != NULL && g != one)
            continue;
        e = json_pack("{s:O,s:O,s:O,s:O,s:o,s:o}", "code", json_object_get(g, "code"),
                      "kind", json_object_get(g, "kind"), "label_fr",
                      json_object_get(g, "label_fr"), "label_en", json_object_get(g, "label_en"),
                      "needs", cmd_wf_count(nn), "offers", cmd_wf_count(no));
        if (one != NULL) {
            json_object_set_new(e, "needs", json_integer(nn));
            json_object_set_new(e, "offers", json_integer(no));
            json_object_set_new(e, "needs_detail", detail(json_object_get(g, "needs"), 0));
            json_object_set_new(e, "offers_detail", detail(json_object_get(g, "offers"), 1));
        }
        json_array_append_new(arr, e);
        if (json)
            continue;
        printf("%-22s %-13s %6s %6s  %s\n", json_string_value(json_object_get(g, "code")),
               json_string_value(json_object_get(g, "kind")),
               one ? apr_ltoa(cli->pool, nn) : cmd_wf_count_text(nn, cli->pool),
               one ? apr_ltoa(cli->pool, no) : cmd_wf_count_text(no, cli->pool), label(g, lang));
        if (one != NULL) {
            static const char *const what[2] = {"needs_detail", "offers_detail"};
            int w;

            for (w = 0; w < 2; w++) {
                json_t *d;
                size_t j;

                printf("  %s:\n", w == 0 ? "needs (kind:theme, count)"
                                         : "offers (kind:theme, count, amount)");
                json_array_foreach(json_object_get(e, what[w]), j, d) {
                    const char *t = json_string_value(json_object_get(d, "theme"));

                    printf("    %-30s %5ld", apr_pstrcat(cli->pool,
                           json_string_value(json_object_get(d, "kind")), *t ? ":" : "", t,
                           NULL), (long)json_integer_value(json_object_get(d, "count")));
                    if (w == 1)
                        printf("  %g", json_number_value(json_object_get(d, "amount")));
                    putchar('\n');
                }
            }
        }
    }
    if (json)
        print_json(out);
    else if (one == NULL)
        printf("(counts of 1 to 4 are shown as <5; --group CODE shows one group's details)\n");
    json_decref(out);
    return SP_OK;
}

/* --- match ------------------------------------------------------------------------ */

static int
match(sp_cli_t *cli, int argc, char **argv)
{
    const char *code, *tdir, *lang, *args[2];
    cmd_wf_t wf;
    sp_error_t *err = NULL;
    json_t *groups, *one, *g, *res = NULL, *out, *arr, *input;
    size_t i;
    int json, status;

    if ((status = parse_common(cli, argc, argv, &code, &tdir, &json, &lang)) != SP_OK)
        return status;
    if ((status = open_groups(cli, tdir, code, &wf, &groups, &one, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    args[0] = cmd_wf_module(&wf, "routing");
    args[1] = NULL;
    input = json_pack("{s:O}", "groups", groups);
    status = cmd_wf_lua(&wf, match_driver, "=groups match", input, args, &res, &err);
    json_decref(input);
    if (status != SP_OK)
        return sp_cli_fail(cli, err);
    out = json_object();
    arr = json_array();
    json_object_set_new(out, "note", json_string("counts of 1 to 4 are shown as <5"));
    json_object_set_new(out, "groups", arr);
    if (!json)
        printf("%-22s %6s %6s %8s %6s %7s\n", "group", "needs", "offers", "matched", "unmet",
               "unused");
    json_array_foreach(groups, i, g) {
        json_t *m = json_array_get(json_object_get(res, "matches"), i);
        json_t *needs = json_object_get(g, "needs"), *offers = json_object_get(g, "offers");
        json_t *pairs = json_object_get(m, "pairs"), *e, *p;
        long v[5];
        size_t j;
        int k;

        if (one != NULL && g != one)
            continue;
        v[0] = (long)json_array_size(needs);
        v[1] = (long)json_array_size(offers);
        v[2] = (long)json_array_size(pairs);
        v[3] = (long)json_integer_value(json_object_get(m, "unmet"));
        v[4] = (long)json_integer_value(json_object_get(m, "unused"));
        e = json_pack("{s:O}", "code", json_object_get(g, "code"));
        {
            static const char *const names[5] = {"needs", "offers", "matched", "unmet", "unused"};

            for (k = 0; k < 5; k++)
                json_object_set_new(e, names[k], one ? json_integer(v[k]) : cmd_wf_count(v[k]));
        }
        if (!json)
            printf("%-22s", json_string_value(json_object_get(g, "code")));
        for (k = 0; k < 5 && !json; k++)
            printf(" %*s", k == 2 ? 8 : k == 4 ? 7 : 6,
                   one ? apr_ltoa(cli->pool, v[k]) : cmd_wf_count_text(v[k], cli->pool));
        if (!json)
            putchar('\n');
        if (one != NULL) {
            json_t *list = json_array();

            json_object_set_new(e, "pairs", list);
            json_array_foreach(pairs, j, p) {
                json_t *n = json_array_get(needs, (size_t)json_integer_value(
                                               json_object_get(p, "need")) - 1);
                json_t *o = json_array_get(offers, (size_t)json_integer_value(
                                               json_object_get(p, "offer")) - 1);

                json_array_append_new(list, json_pack("{s:s,s:s}", "need",
                    item_text(n, cli->pool), "offer", item_text(o, cli->pool)));
                if (!json)
                    printf("  need %-28s <- offer %s\n", item_text(n, cli->pool),
                           item_text(o, cli->pool));
            }
        }
        json_array_append_new(arr, e);
    }
    if (json)
        print_json(out);
    json_decref(out);
    return SP_OK;
}

/* --- proposals ------------------------------------------------------------------- */

/* A plan's id and its group's code (NULL: none); SP_EXIT_USAGE when the
 * workspace has no plan of that code. */
static int
find_plan(cmd_wf_t *wf, const char *code, sqlite3_int64 *id, const char **group,
          sp_error_t **err)
{
    apr_pool_t *pool = wf->cli->pool;
    sqlite3_stmt *s = NULL;
    int status, rc;

    if ((status = sp_store_prepare(wf->store, "SELECT p.id, g.code FROM plan p LEFT JOIN "
                                   "coordination_group g ON g.id = p.coordination_group_id "
                                   "WHERE p.code = ?1", &s, pool, err)) != SP_OK)
        return status;
    sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        *group = sqlite3_column_type(s, 1) == SQLITE_NULL ? NULL
                 : apr_pstrdup(pool, (const char *)sqlite3_column_text(s, 1));
    }
    sqlite3_finalize(s);
    if (rc == SQLITE_ROW)
        return SP_OK;
    if (rc != SQLITE_DONE)
        return sp_store_fail(wf->store->db, "reading the plans", pool, err);
    return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "no plan '%s' in the workspace "
                        "(plans come with `spiral import actions`, column plan)", code);
}

/* `groups propose PLAN --group CODE | --none`: the group that proposes the
 * plan to the city group (the synthesis lists it under that group). */
static int
propose(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"group", required_argument, NULL, 'g'},
        {"none", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0}
    };
    const char *code = NULL, *plan, *before = NULL;
    int c, none = 0, status;
    cmd_wf_t wf;
    json_t *groups, *g = NULL;
    sp_error_t *err = NULL;
    sqlite3_stmt *s = NULL;
    sqlite3_int64 plan_id = 0;

    while ((c = getopt_long(argc, argv, "g:n", options, NULL)) != -1) {
        switch (c) {
        case 'g': code = optarg; break;
        case 'n': none = 1; break;
        default: return sp_cli_usage(cli, "groups", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return sp_cli_usage(cli, "groups", "propose: name one plan");
    if ((code == NULL) == !none)
        return sp_cli_usage(cli, "groups", "propose: give --group CODE or --none");
    plan = argv[optind];
    if ((status = open_groups(cli, NULL, code, &wf, &groups, &g, &err)) != SP_OK
        || (status = find_plan(&wf, plan, &plan_id, &before, &err)) != SP_OK
        || (status = sp_store_begin(wf.store, cli->pool, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    status = sp_store_prepare(wf.store, "UPDATE plan SET coordination_group_id = (SELECT id FROM "
                              "coordination_group WHERE territory_id = ?1 AND code = ?2) "
                              "WHERE id = ?3", &s, cli->pool, &err);
    if (status == SP_OK) {
        sqlite3_bind_int64(s, 1, wf.territory->id);
        if (code)
            sqlite3_bind_text(s, 2, code, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 3, plan_id);
        if (sqlite3_step(s) != SQLITE_DONE)
            status = sp_store_fail(wf.store->db, "updating the plan", cli->pool, &err);
        sqlite3_finalize(s);
    }
    if (status == SP_OK)
        status = sp_store_commit(wf.store, cli->pool, &err);
    if (status != SP_OK) {
        sp_store_rollback(wf.store);
        return sp_cli_fail(cli, err);
    }
    if (code)
        printf("plan %s: proposed by %s (%s)%s%s\n", plan, code,
               json_string_value(json_object_get(g, "label_fr")),
               before && strcmp(before, code) != 0 ? ", was " : "",
               before && strcmp(before, code) != 0 ? before : "");
    else
        printf("plan %s: proposed by no group%s%s\n", plan, before ? ", was " : "",
               before ? before : "");
    return SP_OK;
}

int
sp_cmd_groups(sp_cli_t *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "route") == 0)
        return route(cli, argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "match") == 0)
        return match(cli, argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "propose") == 0)
        return propose(cli, argc - 1, argv + 1);
    if (argc >= 2 && argv[1][0] != '-')
        return sp_cli_usage(cli, "groups", "unknown subcommand '%s' (route, match, propose, "
                            "or options only)", argv[1]);
    return list(cli, argc, argv);
}
