/*
 * cmd_synthesis.c -- `spiral synthesis --quarter 2026-Q1`: what the city
 * coordination group looks at every quarter (annex 2 of the plan) before
 * it decides the use of the fund and of donated time.
 *
 *  - available: the balances, at the quarter's last day, of the accounts of
 *    kind territory and project in the time and fund ledgers (sp_ledger.h);
 *    the hours and money available are the positive balances of the
 *    territory accounts (an account with a negative balance is a source,
 *    such as external donations, and a project account holds what was
 *    already allocated; both are listed, neither is counted);
 *  - per coordination group: the needs and offers routed to it, how many
 *    the matching of lib/routing.lua serves inside the group, the unmet
 *    needs (counts of 1 to 4 shown as "<5"), and its proposals (plans whose
 *    coordination_group_id is the group);
 *  - a first proposal of allocation by lib/allocation.lua, with its
 *    parameters (a territory changes them with its allocation.lua): a
 *    proposal the group discusses, never a decision.
 *
 * Nothing is written.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <apr_strings.h>
#include "cmd_workflow.h"
#include "sp_ledger.h"

int sp_cmd_synthesis(sp_cli_t *cli, int argc, char **argv);

/* ... = the territory's routing module or "", its allocation module or "". */
static const char synthesis_driver[] =
    "local routing_mod, alloc_mod = ...\n"
    "local routing = require 'lib.routing'\n"
    "local allocation = require 'lib.allocation'\n"
    "local ev = require('spiral').evaluate\n"
    "local input = ev.input()\n"
    "local o = routing_mod ~= '' and require(routing_mod) or {}\n"
    "local params = allocation.with(alloc_mod ~= '' and require(alloc_mod) or nil)\n"
    "local matches, groups = {}, {}\n"
    "for i, g in ipairs(input.groups) do\n"
    "  local p, unmet, unused = routing.match(g.needs, g.offers, o.match_kinds)\n"
    "  matches[i] = { matched = #p, unmet = unmet, unused = unused }\n"
    "  groups[i] = { code = g.code, kind = g.kind, needs = #g.needs, offers = #g.offers,\n"
    "    unmet = unmet }\n"
    "end\n"
    "local a = allocation.allocate(groups, input.available, params)\n"
    "ev.emit({ matches = matches, allocation = a })\n";

/* The last day of quarter "YYYY-Qn" in buf (>= 11 bytes); -1 when malformed. */
static int
quarter_end(const char *q, char *buf)
{
    static const char *const ends[4] = {"03-31", "06-30", "09-30", "12-31"};
    char first[16], next[16];

    if (sp_ledger_quarter_range(q, first, next) != 0)
        return -1;
    snprintf(buf, 11, "%.4s-%s", q, ends[q[6] - '1']);
    return 0;
}

/* The accounts that matter and the amounts available. */
static int
available(cmd_wf_t *wf, const char *date, json_t **out, sp_error_t **err)
{
    json_t *bal, *a, *accounts = json_array();
    double hours = 0, money = 0;
    size_t i;
    int status;

    if ((status = sp_ledger_balances(wf->store, NULL, date, &bal, wf->cli->pool, err)) != SP_OK) {
        json_decref(accounts);
        return status;
    }
    json_array_foreach(json_object_get(bal, "accounts"), i, a) {
        const char *ledger = json_string_value(json_object_get(a, "ledger"));
        const char *kind = json_string_value(json_object_get(a, "kind"));
        double b = json_number_value(json_object_get(a, "balance"));

        if (strcmp(ledger, "goods") == 0
            || (strcmp(kind, "territory") != 0 && strcmp(kind, "project") != 0))
            continue;
        json_array_append_new(accounts, json_pack("{s:O,s:O,s:O,s:O,s:O,s:b}",
            "ledger", json_object_get(a, "ledger"), "code", json_object_get(a, "code"),
            "kind", json_object_get(a, "kind"), "label", json_object_get(a, "label"),
            "balance", json_object_get(a, "balance"),
            "counted", strcmp(kind, "territory") == 0 && b > 0));
        if (strcmp(kind, "territory") == 0 && b > 0)
            *(strcmp(ledger, "time") == 0 ? &hours : &money) += b;
    }
    *out = json_pack("{s:f,s:f,s:o}", "hours", hours, "money", money, "accounts", accounts);
    return SP_OK;
}

/* Each group's plans: {"plans": [{code, title, actions}]} added to the group. */
static int
plans(cmd_wf_t *wf, json_t *groups, json_t *out_groups, sp_error_t **err)
{
    sqlite3_stmt *s = NULL;
    size_t i;
    json_t *g;
    int status, rc;

    if ((status = sp_store_prepare(wf->store, "SELECT p.code, p.title, (SELECT count(*) FROM "
                                   "plan_action pa WHERE pa.plan_id = p.id) FROM plan p "
                                   "JOIN coordination_group g ON g.id = p.coordination_group_id "
                                   "WHERE g.territory_id = ?1 AND g.code = ?2 ORDER BY p.code",
                                   &s, wf->cli->pool, err)) != SP_OK)
        return status;
    json_array_foreach(groups, i, g) {
        json_t *list = json_array();

        json_object_set_new(json_array_get(out_groups, i), "plans", list);
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, wf->territory->id);
        sqlite3_bind_text(s, 2, json_string_value(json_object_get(g, "code")), -1,
                          SQLITE_STATIC);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW)
            json_array_append_new(list, json_pack("{s:s,s:s,s:I}",
                "code", (const char *)sqlite3_column_text(s, 0),
                "title", (const char *)sqlite3_column_text(s, 1),
                "actions", (json_int_t)sqlite3_column_int64(s, 2)));
        if (rc != SQLITE_DONE) {
            sqlite3_finalize(s);
            return sp_store_fail(wf->store->db, "reading the plans", wf->cli->pool, err);
        }
    }
    sqlite3_finalize(s);
    return SP_OK;
}

static double
share_of(json_t *alloc, const char *resource, const char *code)
{
    json_t *r = json_object_get(json_object_get(alloc, "resources"), resource);

    return json_number_value(json_object_get(json_object_get(r, "shares"), code));
}

/* Lua tables have no order: rewrite each resource's shares in the order
 * of the groups, so that the JSON is the same from run to run. */
static void
sort_shares(json_t *alloc, json_t *groups)
{
    static const char *const res[2] = {"hours", "money"};
    int r;

    for (r = 0; r < 2; r++) {
        json_t *rv = json_object_get(json_object_get(alloc, "resources"), res[r]);
        json_t *old = json_object_get(rv, "shares"), *sorted = json_object(), *g;
        size_t i;

        if (rv == NULL)
            continue;
        json_array_foreach(groups, i, g) {
            const char *code = json_string_value(json_object_get(g, "code"));
            json_t *v = json_is_object(old) ? json_object_get(old, code) : NULL;

            if (v != NULL)
                json_object_set(sorted, code, v);
        }
        json_object_set_new(rv, "shares", sorted);
    }
}

static void
print_text(sp_cli_t *cli, cmd_wf_t *wf, json_t *out)
{
    json_t *av = json_object_get(out, "available"), *a, *g, *p;
    json_t *alloc = json_object_get(out, "allocation");
    json_t *par = json_object_get(alloc, "params");
    size_t i, j;
    int any = 0;

    printf("Quarterly synthesis %s for the city coordination group of %s (balances at %s)\n\n",
           json_string_value(json_object_get(out, "quarter")), wf->territory->name,
           json_string_value(json_object_get(out, "date")));
    printf("Available to allocate: %g h (time bank), %g EUR (fund)\n",
           json_number_value(json_object_get(av, "hours")),
           json_number_value(json_object_get(av, "money")));
    json_array_foreach(json_object_get(av, "accounts"), i, a) {
        printf("  %-5s %-20s %-10s %12g %-4s %s%s\n",
               json_string_value(json_object_get(a, "ledger")),
               json_string_value(json_object_get(a, "code")),
               json_string_value(json_object_get(a, "kind")),
               json_number_value(json_object_get(a, "balance")),
               strcmp(json_string_value(json_object_get(a, "ledger")), "time") == 0 ? "h" : "EUR",
               json_string_value(json_object_get(a, "label")),
               json_is_true(json_object_get(a, "counted")) ? "" : " (not counted)");
    }
    printf("\nCoordination groups (needs and offers routed to each; 1 to 4 shown as <5)\n");
    printf("%-22s %6s %6s %8s %6s %6s %9s %9s\n", "group", "needs", "offers", "matched",
           "unmet", "plans", "hours", "EUR");
    json_array_foreach(json_object_get(out, "groups"), i, g) {
        const char *code = json_string_value(json_object_get(g, "code"));
        json_t *n[4];
        int k;

        n[0] = json_object_get(g, "needs");
        n[1] = json_object_get(g, "offers");
        n[2] = json_object_get(g, "matched");
        n[3] = json_object_get(g, "unmet");
        printf("%-22s", code);
        for (k = 0; k < 4; k++)
            printf(" %*s", k == 2 ? 8 : 6, json_is_string(n[k]) ? json_string_value(n[k])
                   : apr_ltoa(cli->pool, (long)json_integer_value(n[k])));
        printf(" %6ld %9g %9g\n", (long)json_array_size(json_object_get(g, "plans")),
               share_of(alloc, "hours", code), share_of(alloc, "money", code));
    }
    printf("%-22s %6s %6s %8s %6s %6s %9g %9g\n", "(reserve)", "", "", "", "", "",
           json_number_value(json_object_get(json_object_get(json_object_get(alloc,
               "resources"), "hours"), "reserve")),
           json_number_value(json_object_get(json_object_get(json_object_get(alloc,
               "resources"), "money"), "reserve")));
    json_array_foreach(json_object_get(out, "groups"), i, g) {
        json_array_foreach(json_object_get(g, "plans"), j, p) {
            if (!any++)
                printf("\nProposals of the groups (plans)\n");
            printf("  %-20s %-16s %s (%ld action%s)\n",
                   json_string_value(json_object_get(g, "code")),
                   json_string_value(json_object_get(p, "code")),
                   json_string_value(json_object_get(p, "title")),
                   (long)json_integer_value(json_object_get(p, "actions")),
                   json_integer_value(json_object_get(p, "actions")) == 1 ? "" : "s");
        }
    }
    printf("\nFirst proposal of allocation (lib/allocation.lua): floor %g h and %g EUR per "
           "group with unmet needs, the rest in proportion to unmet needs, at most %g of "
           "each amount per group, in steps of %g h and %g EUR.  The city group decides; "
           "a territory changes these parameters in its allocation.lua.\n",
           json_number_value(json_object_get(json_object_get(par, "floor"), "hours")),
           json_number_value(json_object_get(json_object_get(par, "floor"), "money")),
           json_number_value(json_object_get(par, "cap")),
           json_number_value(json_object_get(json_object_get(par, "step"), "hours")),
           json_number_value(json_object_get(json_object_get(par, "step"), "money")));
}

int
sp_cmd_synthesis(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"quarter", required_argument, NULL, 'q'},
        {"territory-dir", required_argument, NULL, 'T'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}
    };
    const char *quarter = NULL, *tdir = NULL, *args[3];
    char date[16];
    cmd_wf_t wf;
    sp_error_t *err = NULL;
    json_t *groups, *input = NULL, *res = NULL, *out, *out_groups, *av = NULL, *g;
    size_t i;
    int c, json = 0, status;

    while ((c = getopt_long(argc, argv, "q:T:f:", options, NULL)) != -1) {
        switch (c) {
        case 'q': quarter = optarg; break;
        case 'T': tdir = optarg; break;
        case 'f':
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)
                return sp_cli_usage(cli, "synthesis", "--format must be text or json");
            json = strcmp(optarg, "json") == 0;
            break;
        default: return sp_cli_usage(cli, "synthesis", "unknown option");
        }
    }
    if (optind < argc)
        return sp_cli_usage(cli, "synthesis", "unexpected argument '%s'", argv[optind]);
    if (quarter == NULL)
        return sp_cli_usage(cli, "synthesis", "--quarter YYYY-Qn is required");
    if (quarter_end(quarter, date) != 0)
        return sp_cli_usage(cli, "synthesis", "--quarter: '%s' is not a quarter YYYY-Qn "
                            "(e.g. 2026-Q1)", quarter);
    if ((status = cmd_wf_open(cli, tdir, &wf, &err)) != SP_OK
        || (status = cmd_wf_groups(&wf, &groups, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    if (json_array_size(groups) == 0) {
        sp_error_set(&err, cli->pool, SP_EXIT_DATA, NULL, 0, 0, "no coordination groups yet: "
                     "run `spiral groups route` first");
        return sp_cli_fail(cli, err);
    }
    if ((status = available(&wf, date, &av, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    input = json_pack("{s:O,s:{s:O,s:O}}", "groups", groups, "available",
                      "hours", json_object_get(av, "hours"), "money",
                      json_object_get(av, "money"));
    args[0] = cmd_wf_module(&wf, "routing");
    args[1] = cmd_wf_module(&wf, "allocation");
    args[2] = NULL;
    status = cmd_wf_lua(&wf, synthesis_driver, "=synthesis", input, args, &res, &err);
    json_decref(input);
    if (status == SP_OK && res == NULL)
        status = sp_error_set(&err, cli->pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                              "the synthesis driver returned nothing");
    if (status != SP_OK) {
        json_decref(av);
        return sp_cli_fail(cli, err);
    }
    sort_shares(json_object_get(res, "allocation"), groups);
    out_groups = json_array();
    json_array_foreach(groups, i, g) {
        json_t *m = json_array_get(json_object_get(res, "matches"), i);

        json_array_append_new(out_groups, json_pack("{s:O,s:O,s:O,s:O,s:o,s:o,s:o,s:o}",
            "code", json_object_get(g, "code"), "kind", json_object_get(g, "kind"),
            "label_fr", json_object_get(g, "label_fr"), "label_en",
            json_object_get(g, "label_en"),
            "needs", cmd_wf_count((long)json_array_size(json_object_get(g, "needs"))),
            "offers", cmd_wf_count((long)json_array_size(json_object_get(g, "offers"))),
            "matched", cmd_wf_count((long)json_integer_value(json_object_get(m, "matched"))),
            "unmet", cmd_wf_count((long)json_integer_value(json_object_get(m, "unmet")))));
    }
    out = json_pack("{s:s,s:s,s:s,s:o,s:o,s:O,s:s}", "quarter", quarter, "date", date,
                    "territory", wf.territory->code, "available", av, "groups", out_groups,
                    "allocation", json_object_get(res, "allocation"), "note",
                    "counts of 1 to 4 are shown as <5; the allocation is a first proposal "
                    "that the city group changes");
    if ((status = plans(&wf, groups, out_groups, &err)) != SP_OK) {
        json_decref(out);
        return sp_cli_fail(cli, err);
    }
    if (json) {
        json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
        putchar('\n');
    } else {
        print_text(cli, &wf, out);
    }
    json_decref(out);
    return SP_OK;
}
