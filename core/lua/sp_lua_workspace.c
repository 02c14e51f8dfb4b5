/*
 * sp_lua_workspace.c -- the results of the SPIRAL workflow and of pooling
 * as Lua functions over the workspace: spiral.criteria, spiral.actions,
 * spiral.profile, spiral.ledger, spiral.resources, spiral.pact,
 * spiral.partnership, spiral.plans and spiral.project.
 *
 * Each function is a thin layer over one C function of core/ that the
 * matching command (`spiral criteria stats`, `spiral ledger`, ...) also
 * calls: it checks its options strictly (an unknown option name, a value of
 * the wrong type or out of its set raises, as spiral.def.* does), calls the
 * C function in a scratch pool under the run's pool, and turns the jansson
 * result into Lua tables with sp_lua_json.h (so a Lua error while pushing
 * leaks nothing: the run's pool is cleared when the run ends).  An expected
 * failure (no such respondent, plan or version, an unknown taxonomy)
 * returns nil and a message; a database failure raises.  None of them
 * writes: they run on the run's connection (so they see what the script
 * defined earlier in its transaction) and, like every analysis, raise
 * SP_LUA_CHECK_REFUSED in check mode.  Disclosure control stays on by
 * default where the C function has it (profile groups).
 * docs/lua-api.md documents each function with an example.
 */
#include <limits.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include "sp_lua.h"
#include "sp_lua_json.h"
#include "sp_actions.h"
#include "sp_criteria.h"
#include "sp_eval.h"
#include "sp_grid.h"
#include "sp_ledger.h"
#include "sp_pact.h"
#include "sp_partnership.h"
#include "sp_profile.h"
#include "sp_project.h"
#include "sp_resource.h"

/* ---- options ---------------------------------------------------------------- */

/* Edit distance of two short names, for "did you mean". */
static size_t
distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j, row[64];

    if (la >= 63 || lb >= 63)
        return 64;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        size_t diag = row[0], next;

        row[0] = i;
        for (j = 1; j <= lb; j++) {
            next = row[j];
            row[j] = a[i - 1] == b[j - 1] ? diag
                : 1 + (diag < row[j] ? (diag < row[j - 1] ? diag : row[j - 1])
                       : (row[j] < row[j - 1] ? row[j] : row[j - 1]));
            diag = next;
        }
    }
    return row[lb];
}

/* The options table at idx must be absent (nil) or a table whose keys are
 * all among names (NULL-terminated); anything else raises, naming fn. */
static void
check_options(lua_State *L, int idx, const char *fn, const char *const *names)
{
    int t = lua_type(L, idx);

    if (t == LUA_TNONE || t == LUA_TNIL)
        return;
    if (t != LUA_TTABLE)
        luaL_error(L, "%s: options must be a table, not a %s", fn, luaL_typename(L, idx));
    lua_pushnil(L);                                         /* k */
    while (lua_next(L, idx)) {                              /* k, v */
        const char *key, *best = NULL;
        const char *const *n;
        size_t bestd = 3;

        lua_pop(L, 1);                                      /* k */
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "%s: option names are strings, not a %s", fn, luaL_typename(L, -1));
        key = lua_tostring(L, -1);
        for (n = names; *n != NULL; n++) {
            size_t d;

            if (strcmp(*n, key) == 0)
                break;
            if ((d = distance(*n, key)) < bestd) {
                bestd = d;
                best = *n;
            }
        }
        if (*n == NULL) {
            if (best != NULL)
                luaL_error(L, "%s: unknown option '%s' (did you mean '%s'?)", fn, key, best);
            luaL_error(L, "%s: unknown option '%s'", fn, key);
        }
    }
}

/* Push options[name] (nil when there is no options table).  [-0, +1] */
static int
get_option(lua_State *L, int idx, const char *name)
{
    if (lua_type(L, idx) != LUA_TTABLE) {
        lua_pushnil(L);
        return LUA_TNIL;
    }
    return lua_getfield(L, idx, name);
}

/* A string option, or NULL when absent.  The string stays valid while the
 * options table is on the stack. */
static const char *
opt_string(lua_State *L, int idx, const char *fn, const char *name)
{
    const char *s = NULL;
    int t = get_option(L, idx, name);                       /* v */

    if (t == LUA_TSTRING)
        s = lua_tostring(L, -1);
    else if (t != LUA_TNIL)
        luaL_error(L, "%s: option '%s' must be a string, not a %s", fn, name,
                   luaL_typename(L, -1));
    lua_pop(L, 1);                                          /* */
    return s;
}

/* An integer option in [lo, hi]; 0 when absent (*v untouched), 1 when
 * given. */
static int
opt_integer(lua_State *L, int idx, const char *fn, const char *name, lua_Integer lo,
            lua_Integer hi, lua_Integer *v)
{
    int t = get_option(L, idx, name), isint = 0;            /* v */
    lua_Integer x;

    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    x = lua_tointegerx(L, -1, &isint);
    if (t != LUA_TNUMBER || !isint || x < lo || x > hi)
        luaL_error(L, "%s: option '%s' must be a whole number from %I to %I", fn, name,
                   lo, hi);
    lua_pop(L, 1);                                          /* */
    *v = x;
    return 1;
}

/* A boolean option; 0 when absent. */
static int
opt_boolean(lua_State *L, int idx, const char *fn, const char *name)
{
    int t = get_option(L, idx, name), b;                    /* v */

    if (t != LUA_TNIL && t != LUA_TBOOLEAN)
        luaL_error(L, "%s: option '%s' must be a boolean, not a %s", fn, name,
                   luaL_typename(L, -1));
    b = lua_toboolean(L, -1);
    lua_pop(L, 1);                                          /* */
    return b;
}

/* An option that names one of choices; -1 when absent. */
static int
opt_choice(lua_State *L, int idx, const char *fn, const char *name,
           const char *const *choices, const char *listed)
{
    const char *s = opt_string(L, idx, fn, name);
    int i;

    if (s == NULL)
        return -1;
    for (i = 0; choices[i] != NULL; i++)
        if (strcmp(choices[i], s) == 0)
            return i;
    return luaL_error(L, "%s: option '%s' must be %s, not '%s'", fn, name, listed, s);
}

/* A date YYYY-MM-DD (the same shape check as the commands). */
static int
date_ok(const char *s)
{
    int i;

    for (i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9'))
            return 0;
    return s[10] == '\0' && strncmp(s + 5, "13", 2) < 0 && strncmp(s + 5, "00", 2) > 0
        && strncmp(s + 8, "32", 2) < 0 && strncmp(s + 8, "00", 2) > 0;
}

static const char *
opt_date(lua_State *L, int idx, const char *fn, const char *name)
{
    const char *s = opt_string(L, idx, fn, name);

    if (s != NULL && !date_ok(s))
        luaL_error(L, "%s: option '%s': '%s' is not a date YYYY-MM-DD", fn, name, s);
    return s;
}

/* ---- calling the C functions ------------------------------------------------ */

/* The workspace of the run, after refusing check mode. */
static sp_store_t *
workspace(lua_State *L, const char *fn)
{
    sp_store_t *store;

    sp_lua_refuse_in_check(L, fn);
    if ((store = sp_engine_store(sp_engine_from_lua(L))) == NULL)
        luaL_error(L, "%s: no workspace (give --db)", fn);
    return store;
}

/* A pool for one call, under the run's pool: if pushing the result raises,
 * the end of the run frees it. */
static apr_pool_t *
scratch(lua_State *L)
{
    sp_engine_t *eng = sp_engine_from_lua(L);
    apr_pool_t *parent = sp_engine_run_pool(eng), *p = NULL;

    apr_pool_create(&p, parent != NULL ? parent : sp_engine_pool(eng));
    return p;
}

/* Return the result of a call: the value (status SP_OK); nil and a message
 * for an expected failure (SP_EXIT_USAGE, SP_EXIT_DATA: bad data or a name
 * that does not exist); raise otherwise.  Destroys p. */
static int
finish(lua_State *L, const char *fn, apr_pool_t *p, int status, const json_t *res,
       const sp_error_t *err)
{
    if (status == SP_OK) {
        sp_lua_push_json(L, res);                           /* v */
        apr_pool_destroy(p);
        return 1;
    }
    lua_pushnil(L);                                         /* nil */
    lua_pushfstring(L, "%s: %s", fn, err && err->message ? err->message : "failed");
    apr_pool_destroy(p);                                    /* nil, msg */
    if (status == SP_EXIT_USAGE || status == SP_EXIT_DATA)
        return 2;
    return lua_error(L);
}

/* ---- spiral.criteria -------------------------------------------------------- */

/***
 * spiral.criteria.stats{level =, by =, taxonomy =, from =, to =,
 *                       cycle_from =, cycle_to =} -> result | nil, message
 *
 * The counts and shares of `spiral criteria stats` (sp_criteria_stats):
 * level "family" (default), "component" or "subobject"; by "question",
 * "group_kind", "age_band", "neighbourhood" or "cycle"; the first period is
 * from (a date) or cycle_from, the second to or cycle_to; one period alone
 * selects, two compare.
 */
static int
l_criteria_stats(lua_State *L)
{
    static const char fn[] = "spiral.criteria.stats";
    static const char *const names[] = {"level", "by", "taxonomy", "from", "to", "cycle_from",
                                        "cycle_to", NULL};
    static const char *const levels[] = {"family", "component", "subobject", NULL};
    static const char *const bys[] = {"question", "group_kind", "age_band", "neighbourhood",
                                      "cycle", NULL};
    sp_criteria_stats_opts_t opt;
    sp_criteria_period_t p[2];
    sp_store_t *store = workspace(L, fn);
    const char *from, *to;
    lua_Integer c1 = 0, c2 = 0;
    int has1, has2, n = 0, status, v;
    sp_error_t *err = NULL;
    json_t *res = NULL;
    apr_pool_t *pool;

    check_options(L, 1, fn, names);
    memset(&opt, 0, sizeof opt);
    memset(p, 0, sizeof p);
    opt.level = SP_CRITERIA_FAMILY;
    if ((v = opt_choice(L, 1, fn, "level", levels, "family, component or subobject")) >= 0)
        opt.level = sp_criteria_level_parse(levels[v]);
    if ((v = opt_choice(L, 1, fn, "by", bys, "question, group_kind, age_band, "
                        "neighbourhood or cycle")) >= 0)
        opt.by = (sp_criteria_by_t)sp_criteria_by_parse(bys[v]);
    opt.taxonomy = opt_string(L, 1, fn, "taxonomy");
    from = opt_date(L, 1, fn, "from");
    to = opt_date(L, 1, fn, "to");
    has1 = opt_integer(L, 1, fn, "cycle_from", 1, LONG_MAX, &c1);
    has2 = opt_integer(L, 1, fn, "cycle_to", 1, LONG_MAX, &c2);
    if ((from && has1) || (to && has2))
        return luaL_error(L, "%s: a period is a date or a cycle, not both (from or cycle_from, "
                          "to or cycle_to)", fn);
    /* As the command: the first period, then the second; a date alone as
     * the first period compares with nothing. */
    if (from || has1) {
        p[n].kind = from ? SP_PERIOD_UNTIL : SP_PERIOD_CYCLE;
        p[n].date = from;
        p[n++].cycle = (long)c1;
    }
    if (to || has2) {
        p[n].kind = to ? SP_PERIOD_UNTIL : SP_PERIOD_CYCLE;
        p[n].date = to;
        p[n++].cycle = (long)c2;
    }
    if (n == 1 && from)
        return luaL_error(L, "%s: from needs to (a date) or cycle_to to compare with", fn);
    opt.from = p[0];
    if (n == 2)
        opt.to = p[1];
    pool = scratch(L);
    status = sp_criteria_stats(store, &opt, &res, pool, &err);
    return finish(L, fn, pool, status, res, err);
}

/***
 * spiral.criteria.list{uncoded = false} -> {criteria = {...}}
 */
static int
l_criteria_list(lua_State *L)
{
    static const char fn[] = "spiral.criteria.list";
    static const char *const names[] = {"uncoded", NULL};
    sp_store_t *store = workspace(L, fn);
    sp_error_t *err = NULL;
    json_t *res = NULL;
    apr_pool_t *pool;
    int uncoded, status;

    check_options(L, 1, fn, names);
    uncoded = opt_boolean(L, 1, fn, "uncoded");
    pool = scratch(L);
    status = sp_criteria_list(store, uncoded, &res, pool, &err);
    return finish(L, fn, pool, status, res, err);
}

/* ---- spiral.actions ---------------------------------------------------------- */

/***
 * spiral.actions.search{text =, theme =, territory =, component =,
 *                       problematique =, limit =} -> result | nil, message
 */
static int
l_actions_search(lua_State *L)
{
    static const char fn[] = "spiral.actions.search";
    static const char *const names[] = {"text", "theme", "territory", "component",
                                        "problematique", "limit", NULL};
    sp_store_t *store = workspace(L, fn);
    sp_actions_query_t q;
    lua_Integer limit = 0;
    sp_error_t *err = NULL;
    json_t *res = NULL, *list;
    apr_pool_t *pool;
    int status;

    check_options(L, 1, fn, names);
    memset(&q, 0, sizeof q);
    q.text = opt_string(L, 1, fn, "text");
    q.theme = opt_string(L, 1, fn, "theme");
    q.territory = opt_string(L, 1, fn, "territory");
    q.component = opt_string(L, 1, fn, "component");
    q.problematique = opt_string(L, 1, fn, "problematique");
    opt_integer(L, 1, fn, "limit", 1, 1000000, &limit);
    if (q.component != NULL && sp_criteria_level_of(q.component) == 0)
        return luaL_error(L, "%s: option 'component': '%s' is not an object code (A, A01, "
                          "A01-11)", fn, q.component);
    pool = scratch(L);
    status = sp_actions_search(store, &q, &res, pool, &err);
    if (status == SP_OK && limit > 0 && (list = json_object_get(res, "actions")) != NULL)
        while (json_array_size(list) > (size_t)limit)
            json_array_remove(list, json_array_size(list) - 1);
    return finish(L, fn, pool, status, res, err);
}

/***
 * spiral.actions.networks{theme =} -> {themes = {...}, bridges = {...}}
 */
static int
l_actions_networks(lua_State *L)
{
    static const char fn[] = "spiral.actions.networks";
    static const char *const names[] = {"theme", NULL};
    sp_store_t *store = workspace(L, fn);
    sp_error_t *err = NULL;
    json_t *res = NULL;
    const char *theme;
    apr_pool_t *pool;
    int status;

    check_options(L, 1, fn, names);
    theme = opt_string(L, 1, fn, "theme");
    pool = scratch(L);
    status = sp_actions_networks(store, theme, &res, pool, &err);
    return finish(L, fn, pool, status, res, err);
}

/* ---- spiral.profile ------------------------------------------------------------ */

/***
 * spiral.profile.respondent(id) -> profile | nil, message
 */
static int
l_profile_respondent(lua_State *L)
{
    static const char fn[] = "spiral.profile.respondent";
    sp_store_t *store = workspace(L, fn);
    lua_Integer id = luaL_checkinteger(L, 1);
    sp_error_t *err = NULL;
    json_t *res = NULL;
    apr_pool_t *pool = scratch(L);
    int status = sp_profile_respondent(store, (long)id, &res, pool, &err);

    return finish(L, fn, pool, status, res, err);
}

/***
 * spiral.profile.groups{by = {...}, family = false, min_cell = 5,
 *                       no_suppress = false} -> result
 */
static int
l_profile_groups(lua_State *L)
{
    static const char fn[] = "spiral.profile.groups";
    static const char *const names[] = {"by", "family", "min_cell", "no_suppress", NULL};
    sp_store_t *store = workspace(L, fn);
    sp_profile_opts_t opt;
    lua_Integer min_cell = 0;
    sp_error_t *err = NULL;
    json_t *res = NULL;
    apr_pool_t *pool;
    int status, t;

    check_options(L, 1, fn, names);
    memset(&opt, 0, sizeof opt);
    t = get_option(L, 1, "by");                             /* by */
    if (t == LUA_TSTRING) {
        opt.dims[opt.ndims++] = lua_tostring(L, -1);
    } else if (t == LUA_TTABLE) {
        lua_Integer i, n = (lua_Integer)lua_rawlen(L, -1);

        if (n > SP_PROFILE_MAX_DIMS)
            return luaL_error(L, "%s: option 'by' has at most %d names", fn,
                              SP_PROFILE_MAX_DIMS);
        for (i = 1; i <= n; i++) {
            if (lua_rawgeti(L, -1, i) != LUA_TSTRING)       /* by, d */
                return luaL_error(L, "%s: option 'by' is an array of names", fn);
            /* The string stays referenced by the table at the bottom. */
            opt.dims[opt.ndims++] = lua_tostring(L, -1);
            lua_pop(L, 1);                                  /* by */
        }
    } else if (t != LUA_TNIL) {
        return luaL_error(L, "%s: option 'by' must be a name or an array of names", fn);
    }
    for (size_t i = 0; i < opt.ndims; i++) {
        if (!sp_profile_dim_ok(opt.dims[i]))
            return luaL_error(L, "%s: option 'by': '%s' is not neighbourhood, form or wave",
                              fn, opt.dims[i]);
        for (size_t j = 0; j < i; j++)
            if (strcmp(opt.dims[i], opt.dims[j]) == 0)
                return luaL_error(L, "%s: option 'by': '%s' is given twice", fn, opt.dims[i]);
    }
    opt.family = opt_boolean(L, 1, fn, "family");
    if (opt_integer(L, 1, fn, "min_cell", 1, 1000, &min_cell))
        opt.min_cell = (unsigned)min_cell;
    opt.no_suppress = opt_boolean(L, 1, fn, "no_suppress");
    pool = scratch(L);
    status = sp_profile_groups(store, &opt, &res, pool, &err);
    return finish(L, fn, pool, status, res, err);
}

/* ---- spiral.ledger ------------------------------------------------------------- */

static const char *
opt_ledger(lua_State *L, int idx, const char *fn)
{
    const char *s = opt_string(L, idx, fn, "ledger");

    if (s != NULL && !sp_ledger_valid(s))
        luaL_error(L, "%s: option 'ledger' must be time, fund or goods, not '%s'", fn, s);
    return s;
}

/***
 * spiral.ledger.balances{ledger =, date =} -> {date, accounts, totals}
 */
static int
l_ledger_balances(lua_State *L)
{
    static const char fn[] = "spiral.ledger.balances";
    static const char *const names[] = {"ledger", "date", NULL};
    sp_store_t *store = workspace(L, fn);
    const char *ledger, *date;
    sp_error_t *err = NULL;
    json_t *res = NULL;
    apr_pool_t *pool;
    int status;

    check_options(L, 1, fn, names);
    ledger = opt_ledger(L, 1, fn);
    date = opt_date(L, 1, fn, "date");
    pool = scratch(L);
    status = sp_ledger_balances(store, ledger, date, &res, pool, &err);
    return finish(L, fn, pool, status, res, err);
}

/***
 * spiral.ledger.statement{ledger =, quarter = "YYYY-Qn"} -> {statements}
 */
static int
l_ledger_statement(lua_State *L)
{
    static const char fn[] = "spiral.ledger.statement";
    static const char *const names[] = {"ledger", "quarter", NULL};
    sp_store_t *store = workspace(L, fn);
    const char *ledger, *quarter;
    char a[16], b[16];
    sp_error_t *err = NULL;
    json_t *res = NULL;
    apr_pool_t *pool;
    int status;

    check_options(L, 1, fn, names);
    ledger = opt_ledger(L, 1, fn);
    quarter = opt_string(L, 1, fn, "quarter");
    if (quarter != NULL && sp_ledger_quarter_range(quarter, a, b) != 0)
        return luaL_error(L, "%s: option 'quarter': '%s' is not a quarter YYYY-Qn", fn,
                          quarter);
    pool = scratch(L);
    status = sp_ledger_statement(store, ledger, quarter, &res, pool, &err);
    return finish(L, fn, pool, status, res, err);
}

/***
 * spiral.ledger.check() -> {ok, transfers, movements, accounts, problems}
 */
static int
l_ledger_check(lua_State *L)
{
    static const char fn[] = "spiral.ledger.check";
    sp_store_t *store = workspace(L, fn);
    sp_error_t *err = NULL;
    json_t *res = NULL;
    long nproblems = 0;
    apr_pool_t *pool = scratch(L);
    int status = sp_ledger_check(store, &res, &nproblems, pool, &err);

    return finish(L, fn, pool, status, res, err);
}

/* ---- spiral.resources ------------------------------------------------------------ */

/***
 * spiral.resources.limits{territory =} -> the reference table
 * spiral.resources.dashboard{territory =, neighbourhood =} -> {territory, rows}
 */
static int
resources(lua_State *L, int dashboard)
{
    static const char *const lnames[] = {"territory", NULL};
    static const char *const dnames[] = {"territory", "neighbourhood", NULL};
    const char *fn = dashboard ? "spiral.resources.dashboard" : "spiral.resources.limits";
    sp_store_t *store = workspace(L, fn);
    sp_resource_params_t p;
    const char *neighbourhood = NULL;
    sp_error_t *err = NULL;
    json_t *res = NULL;
    apr_pool_t *pool;
    int status;

    check_options(L, 1, fn, dashboard ? dnames : lnames);
    sp_resource_params_default(&p);
    p.territory = opt_string(L, 1, fn, "territory");
    if (dashboard)
        neighbourhood = opt_string(L, 1, fn, "neighbourhood");
    pool = scratch(L);
    status = dashboard ? sp_resource_dashboard(store, &p, neighbourhood, &res, pool, &err)
        : sp_resource_limits(store, &p, &res, pool, &err);
    return finish(L, fn, pool, status, res, err);
}

static int
l_resources_limits(lua_State *L)
{
    return resources(L, 0);
}

static int
l_resources_dashboard(lua_State *L)
{
    return resources(L, 1);
}

/* ---- spiral.pact, spiral.partnership ---------------------------------------------- */

/***
 * spiral.pact.report{territory =, as_of =, stall = 2} -> the report
 */
static int
l_pact_report(lua_State *L)
{
    static const char fn[] = "spiral.pact.report";
    static const char *const names[] = {"territory", "as_of", "stall", NULL};
    sp_store_t *store = workspace(L, fn);
    sp_pact_params_t p;
    lua_Integer stall;
    sp_error_t *err = NULL;
    json_t *res = NULL;
    apr_pool_t *pool;
    int status;

    check_options(L, 1, fn, names);
    sp_pact_params_default(&p);
    p.territory = opt_string(L, 1, fn, "territory");
    p.as_of = opt_date(L, 1, fn, "as_of");
    if (opt_integer(L, 1, fn, "stall", 1, 1000, &stall))
        p.stall_quarters = (int)stall;
    pool = scratch(L);
    status = sp_pact_report(store, &p, &res, pool, &err);
    return finish(L, fn, pool, status, res, err);
}

/***
 * spiral.partnership.report{code =, territory =} -> {partnerships}
 */
static int
l_partnership_report(lua_State *L)
{
    static const char fn[] = "spiral.partnership.report";
    static const char *const names[] = {"code", "territory", NULL};
    sp_store_t *store = workspace(L, fn);
    const char *code, *territory;
    sp_error_t *err = NULL;
    json_t *res = NULL;
    apr_pool_t *pool;
    int status;

    check_options(L, 1, fn, names);
    code = opt_string(L, 1, fn, "code");
    territory = opt_string(L, 1, fn, "territory");
    pool = scratch(L);
    status = sp_partnership_report(store, code, territory, &res, pool, &err);
    return finish(L, fn, pool, status, res, err);
}

/* ---- spiral.plans -------------------------------------------------------------- */

/***
 * spiral.plans.list() -> {codes...}
 */
static int
l_plans_list(lua_State *L)
{
    static const char fn[] = "spiral.plans.list";
    sp_store_t *store = workspace(L, fn);
    apr_array_header_t *codes = NULL;
    sp_error_t *err = NULL;
    apr_pool_t *pool = scratch(L);
    json_t *res;
    int status, i;

    status = sp_eval_plans(store, &codes, pool, &err);
    res = sp_grid_pool_own(json_array(), pool);
    for (i = 0; status == SP_OK && i < codes->nelts; i++)
        json_array_append_new(res, json_string(APR_ARRAY_IDX(codes, i, const char *)));
    return finish(L, fn, pool, status, res, err);
}

/***
 * spiral.plans.evaluate(code [, {phase =, grid =}]) -> result | nil, message
 *
 * sp_eval_plan's object: per action and phase the profiles, the agreement
 * of the groups, the deltas; across the plan the gaps, overlaps and
 * complements.  Ranking and synthesis need the grid's Lua functions and
 * stay with `spiral evaluate`.
 */
static int
l_plans_evaluate(lua_State *L)
{
    static const char fn[] = "spiral.plans.evaluate";
    static const char *const names[] = {"phase", "grid", NULL};
    static const char *const phases[] = {"ex-ante", "ex-post", "both", NULL};
    static const int bits[] = {SP_EVAL_EX_ANTE, SP_EVAL_EX_POST,
                               SP_EVAL_EX_ANTE | SP_EVAL_EX_POST};
    sp_store_t *store = workspace(L, fn);
    const char *code = luaL_checkstring(L, 1);
    sp_eval_options_t opt;
    sp_error_t *err = NULL;
    json_t *res = NULL;
    apr_pool_t *pool;
    int status, v;

    check_options(L, 2, fn, names);
    sp_eval_options_init(&opt);
    if ((v = opt_choice(L, 2, fn, "phase", phases, "ex-ante, ex-post or both")) >= 0)
        opt.phases = bits[v];
    if ((opt.grid = opt_string(L, 2, fn, "grid")) == NULL)
        opt.grid = "default";
    pool = scratch(L);
    status = sp_eval_plan(store, code, &opt, &res, pool, &err);
    if (status == SP_OK)
        sp_grid_pool_own(res, pool);            /* a new reference: the pool drops it */
    return finish(L, fn, pool, status, res, err);
}

/* ---- spiral.project ------------------------------------------------------------ */

/* A version number argument: nil (or absent) gives -1, "the latest". */
static long
version_arg(lua_State *L, int arg)
{
    lua_Integer v;

    if (lua_isnoneornil(L, arg))
        return -1;
    v = luaL_checkinteger(L, arg);
    luaL_argcheck(L, v >= 0 && v <= 1000000, arg, "a version is a whole number >= 0");
    return (long)v;
}

/***
 * spiral.project.show([version [, {territory =, guidelines =}]]) -> version | nil, message
 */
static int
l_project_show(lua_State *L)
{
    static const char fn[] = "spiral.project.show";
    static const char *const names[] = {"territory", "guidelines", NULL};
    sp_store_t *store = workspace(L, fn);
    long version = version_arg(L, 1);
    const char *territory;
    json_t *guidelines = NULL, *res = NULL;
    sp_error_t *err = NULL;
    apr_pool_t *pool;
    int status, t;

    check_options(L, 2, fn, names);
    territory = opt_string(L, 2, fn, "territory");
    t = get_option(L, 2, "guidelines");                     /* g */
    if (t != LUA_TNIL && t != LUA_TTABLE)
        return luaL_error(L, "%s: option 'guidelines' must be a table (lib.guidelines)", fn);
    pool = scratch(L);
    if (t == LUA_TTABLE)
        guidelines = sp_grid_pool_own(sp_lua_to_json(L, -1), pool);
    lua_pop(L, 1);                                          /* */
    status = sp_project_show(store, territory, version, guidelines, &res, pool, &err);
    if (status == SP_OK)
        sp_grid_pool_own(res, pool);
    return finish(L, fn, pool, status, res, err);
}

/***
 * spiral.project.diff([from [, to [, {territory =}]]]) -> {added, removed, moved, ...}
 */
static int
l_project_diff(lua_State *L)
{
    static const char fn[] = "spiral.project.diff";
    static const char *const names[] = {"territory", NULL};
    sp_store_t *store = workspace(L, fn);
    long from = version_arg(L, 1), to = version_arg(L, 2);
    const char *territory;
    json_t *res = NULL;
    sp_error_t *err = NULL;
    apr_pool_t *pool;
    int status;

    check_options(L, 3, fn, names);
    territory = opt_string(L, 3, fn, "territory");
    pool = scratch(L);
    status = sp_project_diff(store, territory, from, to, &res, pool, &err);
    if (status == SP_OK)
        sp_grid_pool_own(res, pool);
    return finish(L, fn, pool, status, res, err);
}

/* ---- registration ---------------------------------------------------------------- */

static const luaL_Reg root_fns[] = {{"null", sp_lua_json_null}, {NULL, NULL}};
static const luaL_Reg criteria_fns[] = {
    {"stats", l_criteria_stats}, {"list", l_criteria_list}, {NULL, NULL}};
static const luaL_Reg actions_fns[] = {
    {"search", l_actions_search}, {"networks", l_actions_networks}, {NULL, NULL}};
static const luaL_Reg profile_fns[] = {
    {"respondent", l_profile_respondent}, {"groups", l_profile_groups}, {NULL, NULL}};
static const luaL_Reg ledger_fns[] = {
    {"balances", l_ledger_balances}, {"statement", l_ledger_statement},
    {"check", l_ledger_check}, {NULL, NULL}};
static const luaL_Reg resources_fns[] = {
    {"limits", l_resources_limits}, {"dashboard", l_resources_dashboard}, {NULL, NULL}};
static const luaL_Reg pact_fns[] = {{"report", l_pact_report}, {NULL, NULL}};
static const luaL_Reg partnership_fns[] = {{"report", l_partnership_report}, {NULL, NULL}};
static const luaL_Reg plans_fns[] = {
    {"list", l_plans_list}, {"evaluate", l_plans_evaluate}, {NULL, NULL}};
static const luaL_Reg project_fns[] = {
    {"show", l_project_show}, {"diff", l_project_diff}, {NULL, NULL}};

int
sp_lua_open_workspace(sp_engine_t *eng, sp_error_t **err)
{
    static const struct {
        const char *name;
        const luaL_Reg *fns;
    } mods[] = {
        {NULL, root_fns}, {"criteria", criteria_fns}, {"actions", actions_fns},
        {"profile", profile_fns}, {"ledger", ledger_fns}, {"resources", resources_fns},
        {"pact", pact_fns}, {"partnership", partnership_fns}, {"plans", plans_fns},
        {"project", project_fns},
    };
    size_t i;
    int rc;

    for (i = 0; i < sizeof mods / sizeof mods[0]; i++)
        if ((rc = sp_engine_register(eng, mods[i].name, mods[i].fns, err)) != SP_OK)
            return rc;
    return SP_OK;
}
