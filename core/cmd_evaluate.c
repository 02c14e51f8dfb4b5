/*
 * cmd_evaluate.c -- `spiral evaluate`: batch co-evaluation of action plans,
 * and the Lua host that `spiral project` shares (cmd_evaluate.h).
 *
 * The numbers come from sp_eval.c; the ranking and the synthesis come from
 * the grid's Lua functions.  A grid is found, in one engine per batch, as
 * (1) spiral.def.get("grid", CODE) after the territory's init script ran
 * (DIR/init.lua of --territory-dir, else territories/<code>/init.lua), or
 * (2) the module lib.grid of the first script root that has one: its
 * get(CODE), its grids[CODE], its field CODE, or the module itself when it
 * has rank() (and no other code).  Without a grid the command stops with
 * exit 64: it never ranks by anything else.  A failure in one plan (a
 * script error, a missing plan) is reported on stderr and the batch goes
 * on; the exit status is then 1 (SP_EXIT_PARTIAL).
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <apr_file_info.h>
#include <apr_file_io.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "cmd_evaluate.h"
#include "sp_eval.h"
#include "sp_grid.h"
#include "lua/sp_lua.h"
#include "lua/sp_lua_json.h"
#include "sp_progress.h"

int sp_cmd_evaluate(sp_cli_t *cli, int argc, char **argv);

/* ---- the host ------------------------------------------------------------ */

struct cmd_host_t {
    sp_engine_t *eng;
    apr_pool_t *pool;
    const char *const *roots;
    json_t *input;     /* borrowed during a run */
    json_t *output;    /* owned */
};

static const char host_key = 'h';

static cmd_host_t *
host_of(lua_State *L)
{
    cmd_host_t *h;

    lua_rawgetp(L, LUA_REGISTRYINDEX, &host_key);          /* +1 */
    h = lua_touserdata(L, -1);
    lua_pop(L, 1);                                          /* 0 */
    return h;
}

static int
l_input(lua_State *L)
{
    cmd_host_t *h = host_of(L);

    if (h == NULL || h->input == NULL)
        lua_pushnil(L);
    else
        sp_lua_push_json(L, h->input);
    return 1;
}

static int
l_emit(lua_State *L)
{
    cmd_host_t *h = host_of(L);
    json_t *v;

    luaL_checkany(L, 1);
    if (h == NULL)
        return luaL_error(L, "spiral.evaluate.emit: no command is listening");
    v = sp_lua_to_json(L, 1);
    json_decref(h->output);
    h->output = v;
    return 0;
}

static apr_status_t
host_cleanup(void *data)
{
    cmd_host_t *h = data;

    json_decref(h->output);
    h->output = NULL;
    return APR_SUCCESS;
}

int
cmd_host_create(cmd_host_t **host, const char *territory_dir, apr_pool_t *pool, sp_error_t **err)
{
    static const luaL_Reg fns[] = {{"input", l_input}, {"emit", l_emit}, {NULL, NULL}};
    sp_engine_config_t cfg;
    cmd_host_t *h = apr_pcalloc(pool, sizeof *h);
    int status;

    h->pool = pool;
    h->roots = sp_engine_script_roots(pool, territory_dir);
    memset(&cfg, 0, sizeof cfg);
    cfg.script_roots = h->roots;
    if ((status = sp_engine_create(&h->eng, &cfg, pool, err)) != SP_OK)
        return status;
    if ((status = sp_lua_open_all(h->eng, err)) != SP_OK)
        return status;
    /* Check mode: a territory's init script defines everything it has
     * (taxonomy, limits, ...); here only its grid is wanted, so nothing is
     * written and its other definitions' mistakes do not stop the batch. */
    sp_lua_set_check(h->eng, 1);
    if ((status = sp_engine_register(h->eng, "evaluate", fns, err)) != SP_OK)
        return status;
    lua_pushlightuserdata(sp_engine_lua(h->eng), h);
    lua_rawsetp(sp_engine_lua(h->eng), LUA_REGISTRYINDEX, &host_key);
    apr_pool_cleanup_register(pool, h, host_cleanup, apr_pool_cleanup_null);
    *host = h;
    return SP_OK;
}

const char *
cmd_host_find_module(cmd_host_t *host, const char *name, apr_pool_t *pool)
{
    char *rel = apr_pstrcat(pool, name, ".lua", NULL), *p;
    int i;

    for (p = rel; p[4] != 0; p++)      /* up to ".lua" */
        if (*p == '.')
            *p = '/';
    for (i = 0; host->roots[i] != NULL; i++) {
        const char *path = apr_pstrcat(pool, host->roots[i], "/", rel, NULL);

        if (access(path, R_OK) == 0)
            return path;
    }
    return NULL;
}

int
cmd_host_run(cmd_host_t *host, const char *code, const char *name, json_t *input, int argc,
             const char **argv, json_t **output, sp_error_t **err)
{
    int status;

    host->input = input;
    json_decref(host->output);
    host->output = NULL;
    status = sp_engine_run_string(host->eng, code, (size_t)-1, name, argc, argv, err);
    sp_lua_check_reset(host->eng);
    host->input = NULL;
    *output = NULL;
    if (status == SP_OK) {
        *output = host->output;
        host->output = NULL;
    }
    return status;
}

sp_engine_t *
cmd_host_engine(cmd_host_t *host)
{
    return host->eng;
}

/* ---- the grid driver ------------------------------------------------------ */

/* ... = mode ("describe" or "rank"), grid code, init module or "", "1" when
 * lib.grid exists. */
static const char grid_driver[] =
    "local mode, code, init, has_lib = ...\n"
    "local spiral = require 'spiral'\n"
    "local ev = spiral.evaluate\n"
    "local terr\n"
    "if init ~= '' then terr = require(init) end\n"
    "local mod\n"
    "if has_lib == '1' then mod = require 'lib.grid' end\n"
    "local g\n"
    "local okd, def = pcall(function() return spiral.def end)\n"
    "if okd and type(def) == 'table' then\n"
    "  local okg, get = pcall(function() return def.get end)\n"
    "  if okg and type(get) == 'function' then\n"
    "    local ok, v = pcall(get, 'grid', code)\n"
    "    if ok and type(v) == 'table' then g = v end\n"
    "  end\n"
    "end\n"
    "if g == nil and type(terr) == 'table' then\n"
    "  if type(terr.grid) == 'table' and (terr.grid.code == nil or terr.grid.code == code) then g = terr.grid\n"
    "  elseif type(terr.grids) == 'table' then g = terr.grids[code] end\n"
    "end\n"
    "if g == nil and type(mod) == 'table' then\n"
    "  if type(mod.new) == 'function' then g = mod.new({code = code})\n"
    "  elseif type(mod.get) == 'function' then g = mod.get(code)\n"
    "  elseif type(mod.grids) == 'table' then g = mod.grids[code]\n"
    "  elseif type(mod[code]) == 'table' then g = mod[code]\n"
    "  elseif mod.rank ~= nil and (mod.code == nil or mod.code == code) then g = mod end\n"
    "end\n"
    "if type(g) ~= 'table' then ev.emit({missing = true}) return end\n"
    "if mode == 'describe' then\n"
    "  local comps = {}\n"
    "  local function add(c, fr, en)\n"
    "    if type(c) == 'string' then comps[#comps + 1] = {code = c, label_fr = fr, label_en = en} end\n"
    "  end\n"
    "  local src = g.components or {}\n"
    "  if #src > 0 then\n"
    "    for _, c in ipairs(src) do\n"
    "      if type(c) == 'table' then add(c.code or c[1], c.label_fr, c.label_en) else add(c) end\n"
    "    end\n"
    "  else\n"
    "    local keys = {}\n"
    "    for k in pairs(src) do keys[#keys + 1] = k end\n"
    "    table.sort(keys)\n"
    "    for _, k in ipairs(keys) do\n"
    "      local v = src[k]\n"
    "      if type(v) == 'table' then add(k, v.label_fr, v.label_en) else add(k, v) end\n"
    "    end\n"
    "  end\n"
    "  local sc = g.scale or {}\n"
    "  local vp = g.viewpoints or {}\n"
    "  ev.emit({code = g.code or code, label_fr = g.label_fr, label_en = g.label_en,\n"
    "    scale = {min = sc.min or sc[1], max = sc.max or sc[2], labels = sc.labels},\n"
    "    components = comps, weights = g.weights or vp.weights, resources = vp.resources,\n"
    "    threshold = g.threshold, vulnerable_kinds = g.vulnerable_kinds,\n"
    "    has_rank = type(g.rank) == 'function',\n"
    "    has_synthesis = type(g.synthesis) == 'function'})\n"
    "else\n"
    "  local r = ev.input()\n"
    "  local ranking = g.rank(r.profiles) or {}\n"
    "  local synthesis\n"
    "  if type(g.synthesis) == 'function' then\n"
    "    ranking.evaluation = r\n"
    "    synthesis = g.synthesis(ranking)\n"
    "    ranking.evaluation = nil\n"
    "  end\n"
    "  local list, extra = {}, {}\n"
    "  for i, e in ipairs(ranking) do\n"
    "    if type(e) == 'table' then e.profile = nil end\n"
    "    list[i] = e\n"
    "  end\n"
    "  for k, v in pairs(ranking) do if type(k) ~= 'number' then extra[k] = v end end\n"
    "  ev.emit({ranking = list, ranking_extra = extra, synthesis = synthesis})\n"
    "end\n";

/* ---- the batch ------------------------------------------------------------- */

typedef struct workspace_t {
    const char *path;          /* as given */
    const char *label;         /* basename without .db, for --plans-dir */
    sp_store_t *store;
    const char *territory;     /* code or NULL */
    apr_array_header_t *plans; /* const char * */
} workspace_t;

typedef struct batch_t {
    sp_cli_t *cli;
    cmd_host_t *host;
    const char *grid_opt;      /* --grid or NULL */
    const char *territory_dir;
    double threshold;          /* --threshold or -1 */
    int phases;
    int format;                /* 't' or 'j' */
    const char *output;        /* NULL: stdout */
    int output_file;           /* --output names a .txt/.json file */
    int multi;                 /* --plans-dir: a folder per workspace */
    apr_hash_t *grids;         /* "init\037code" -> json describe */
    json_t *all;               /* results for stdout or one file */
    json_t *failures;
    long failed;
    const char *const *vulnerable; /* the grid's vulnerable_kinds, or NULL */
} batch_t;

static void
report(batch_t *b, const workspace_t *w, const char *plan, const sp_error_t *err)
{
    const char *where = b->multi ? apr_psprintf(b->cli->pool, "%s: ", w->label) : "";
    const char *what = plan ? apr_psprintf(b->cli->pool, "plan %s: ", plan) : "";
    const char *loc = err->file ? (err->line ? apr_psprintf(b->cli->pool, "%s:%ld: ", err->file,
                                                            err->line)
                                             : apr_psprintf(b->cli->pool, "%s: ", err->file))
                                : "";
    const char *msg = err->message ? err->message : "failed";
    const char *nl = strchr(msg, '\n');

    /* the first line of a script error; the traceback stays in the JSON */
    fprintf(stderr, "%s evaluate: %s%s%s%.*s\n", b->cli->progname, where, what, loc,
            nl ? (int)(nl - msg) : (int)strlen(msg), msg);
    json_array_append_new(b->failures, json_pack("{s:s,s:s?,s:s?,s:I,s:s,s:i}",
                          "workspace", w->path, "plan", plan, "file", err->file,
                          "line", (json_int_t)err->line, "message", msg, "status", err->status));
    b->failed++;
}

static const char *
safe_name(const char *s, apr_pool_t *pool)
{
    char *o = apr_pstrdup(pool, s), *p;

    for (p = o; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
            *p = '_';
    return o;
}

static int
write_files(batch_t *b, const workspace_t *w, const char *plan, json_t *r, sp_error_t **err)
{
    apr_pool_t *pool = b->cli->pool;
    const char *dir = b->multi ? apr_pstrcat(pool, b->output, "/", w->label, NULL) : b->output;
    const char *base = apr_pstrcat(pool, dir, "/plan-", safe_name(plan, pool), NULL);
    const char *jp = apr_pstrcat(pool, base, ".json", NULL);
    const char *tp = apr_pstrcat(pool, base, ".txt", NULL);
    FILE *f;
    int status;

    if (apr_dir_make_recursive(dir, APR_FPROT_OS_DEFAULT, pool) != APR_SUCCESS)
        return sp_error_set(err, pool, SP_EXIT_CANTCREAT, dir, 0, 0, "cannot create the folder");
    if (json_dump_file(r, jp, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) != 0)
        return sp_error_set(err, pool, SP_EXIT_CANTCREAT, jp, 0, 0, "cannot write");
    if ((f = fopen(tp, "w")) == NULL)
        return sp_error_set(err, pool, SP_EXIT_CANTCREAT, tp, 0, 0, "cannot write: %s",
                            strerror(errno));
    status = sp_eval_render_text(r, f, pool, err);
    if (fclose(f) != 0 && status == SP_OK)
        status = sp_error_set(err, pool, SP_EXIT_IO, tp, 0, 0, "cannot write");
    return status;
}

/* The grid's description for workspace w (cached), or an error. */
static int
grid_for(batch_t *b, workspace_t *w, const char *grid_code, const char **init_out,
         json_t **desc, sp_error_t **err)
{
    apr_pool_t *pool = b->cli->pool;
    const char *init = "", *key, *argv[4];
    json_t *out = NULL;
    int status;

    if (b->territory_dir && access(apr_pstrcat(pool, b->territory_dir, "/init.lua", NULL), R_OK) == 0)
        init = "init";
    else if (w->territory) {
        const char *m = apr_pstrcat(pool, "territories.", w->territory, ".init", NULL);

        if (strspn(w->territory, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
                == strlen(w->territory) && cmd_host_find_module(b->host, m, pool))
            init = m;
    }
    *init_out = init;
    key = apr_pstrcat(pool, init, "\037", grid_code, NULL);
    if ((*desc = apr_hash_get(b->grids, key, APR_HASH_KEY_STRING)) != NULL)
        return SP_OK;
    argv[0] = "describe";
    argv[1] = grid_code;
    argv[2] = init;
    argv[3] = cmd_host_find_module(b->host, "lib.grid", pool) ? "1" : "0";
    if ((status = cmd_host_run(b->host, grid_driver, "=evaluate", NULL, 4, argv, &out, err)) != SP_OK)
        return status;
    if (out == NULL || json_is_true(json_object_get(out, "missing"))) {
        json_decref(out);
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                            "no grid script defines the grid '%s' (looked for spiral.def grids "
                            "after %s, and for lib/grid.lua in %s%s%s); give --territory-dir or "
                            "set SPIRAL_SCRIPTS", grid_code,
                            *init ? init : "no territory init script",
                            b->territory_dir ? b->territory_dir : "",
                            b->territory_dir ? " and " : "",
                            getenv("SPIRAL_SCRIPTS") ? getenv("SPIRAL_SCRIPTS")
                                                     : SP_PKGDATADIR "/scripts");
    }
    if (!json_is_true(json_object_get(out, "has_rank"))) {
        json_decref(out);
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                            "the grid '%s' defines no rank function: there is nothing to rank "
                            "the actions by", grid_code);
    }
    apr_hash_set(b->grids, key, APR_HASH_KEY_STRING, sp_grid_pool_own(out, pool));
    *desc = out;
    return SP_OK;
}

/* Strings of a JSON array/object field as a NULL-terminated list. */
static const char *const *
comp_list(json_t *desc, apr_pool_t *pool)
{
    json_t *cs = json_object_get(desc, "components"), *c;
    const char **out;
    size_t i, n = 0;

    if (json_array_size(cs) == 0)
        return NULL;
    out = apr_pcalloc(pool, (json_array_size(cs) + 1) * sizeof(char *));
    json_array_foreach(cs, i, c)
        if (json_is_string(json_object_get(c, "code")))
            out[n++] = json_string_value(json_object_get(c, "code"));
    return out;
}

static const char *const *
pairs_list(json_t *obj, apr_pool_t *pool)
{
    const char **out, *k;
    json_t *v;
    size_t n = 0;

    if (!json_is_object(obj) || json_object_size(obj) == 0)
        return NULL;
    out = apr_pcalloc(pool, (json_object_size(obj) + 1) * sizeof(char *));
    json_object_foreach(obj, k, v) {
        if (json_is_string(v))
            out[n++] = apr_pstrcat(pool, k, "=", json_string_value(v), NULL);
        else if (json_is_number(v))
            out[n++] = apr_psprintf(pool, "%s=%.17g", k, json_number_value(v));
    }
    return out;
}

/* Normalise what rank() returned: [{rank, action, score?, ...}]. */
static json_t *
normalise_ranking(json_t *rk)
{
    json_t *out = json_array(), *e;
    size_t i;

    if (json_is_object(rk) && json_object_size(rk) == 0)
        return out;
    json_array_foreach(rk, i, e) {
        json_t *o;

        if (json_is_string(e))
            o = json_pack("{s:I,s:O}", "rank", (json_int_t)i + 1, "action", e);
        else if (json_is_object(e)) {
            json_t *a = json_object_get(e, "action");

            if (a == NULL)
                a = json_object_get(e, "code");
            o = json_pack("{s:I,s:O}", "rank", (json_int_t)i + 1, "action", a ? a : json_null());
            json_object_update_missing(o, e);
        } else
            o = json_pack("{s:I,s:O}", "rank", (json_int_t)i + 1, "action", e);
        json_array_append_new(out, o);
    }
    return out;
}

static int
evaluate_plan(batch_t *b, workspace_t *w, const char *plan, const sp_eval_options_t *opt,
              apr_pool_t *pool, sp_error_t **err)
{
    json_t *r = NULL, *input, *lr = NULL;
    const char *argv[4];
    const char *init;
    json_t *desc;
    int status;

    if ((status = grid_for(b, w, opt->grid, &init, &desc, err)) != SP_OK)
        return status;
    if ((status = sp_eval_plan(w->store, plan, opt, &r, pool, err)) != SP_OK)
        return status;
    json_object_set(r, "grid_label", json_pack("{s:O?,s:O?}", "fr", json_object_get(desc, "label_fr"),
                                               "en", json_object_get(desc, "label_en")));
    json_decref(json_object_get(r, "grid_label"));
    /* rank() needs the profiles; synthesis() gets the plan's summary too,
     * not every action's detail (pushing that into Lua was a third of the
     * time of a batch under callgrind). */
    input = json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "plan", json_object_get(r, "plan"),
                      "title", json_object_get(r, "title"), "grid", json_object_get(r, "grid"),
                      "scale", json_object_get(r, "scale"),
                      "threshold", json_object_get(r, "threshold"),
                      "components", json_object_get(r, "components"),
                      "across", json_object_get(r, "across"));
    json_object_set_new(input, "profiles", sp_eval_profiles(r, b->vulnerable));
    argv[0] = "rank";
    argv[1] = opt->grid;
    argv[2] = init;
    argv[3] = cmd_host_find_module(b->host, "lib.grid", pool) ? "1" : "0";
    status = cmd_host_run(b->host, grid_driver, "=evaluate", input, 4, argv, &lr, err);
    json_decref(input);
    if (status != SP_OK) {
        json_decref(r);
        return status;
    }
    json_object_set_new(r, "ranking", normalise_ranking(json_object_get(lr, "ranking")));
    if (json_object_size(json_object_get(lr, "ranking_extra")) > 0)
        json_object_set(r, "ranking_notes", json_object_get(lr, "ranking_extra"));
    if (json_object_get(lr, "synthesis") != NULL)
        json_object_set(r, "synthesis", json_object_get(lr, "synthesis"));
    json_decref(lr);
    if (w->label)
        json_object_set_new(r, "workspace", json_string(w->label));
    if (b->output && !b->output_file)
        status = write_files(b, w, plan, r, err);
    else
        json_array_append(b->all, r);
    json_decref(r);
    return status;
}

static int
open_workspace(batch_t *b, workspace_t *w, int all, char **plans, int nplans, sp_error_t **err)
{
    apr_pool_t *pool = b->cli->pool;
    sqlite3_stmt *st;
    int status, i;

    if ((status = sp_store_open(&w->store, w->path, SP_STORE_NOCREATE, pool, err)) != SP_OK)
        return status;
    if ((status = sp_store_prepare(w->store, "SELECT code FROM territory"
                                   " WHERE (SELECT count(*) FROM territory) = 1", &st, pool,
                                   err)) != SP_OK)
        return status;
    if (sqlite3_step(st) == SQLITE_ROW)
        w->territory = apr_pstrdup(pool, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (all)
        return sp_eval_plans(w->store, &w->plans, pool, err);
    w->plans = apr_array_make(pool, nplans, sizeof(const char *));
    for (i = 0; i < nplans; i++)
        APR_ARRAY_PUSH(w->plans, const char *) = plans[i];
    return SP_OK;
}

/* The grid code of workspace w: --grid, else the only grid its evaluations
 * use, else "default". */
static const char *
grid_code(batch_t *b, workspace_t *w)
{
    sqlite3_stmt *st;
    const char *code = "default";

    if (b->grid_opt)
        return b->grid_opt;
    if (sqlite3_prepare_v2(w->store->db, "SELECT DISTINCT grid FROM evaluation LIMIT 2", -1, &st,
                           NULL) != SQLITE_OK)
        return code;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *g = apr_pstrdup(b->cli->pool, (const char *)sqlite3_column_text(st, 0));

        if (sqlite3_step(st) != SQLITE_ROW)
            code = g;
    }
    sqlite3_finalize(st);
    return code;
}

static int
set_options(batch_t *b, workspace_t *w, sp_eval_options_t *opt, sp_error_t **err)
{
    apr_pool_t *pool = b->cli->pool;
    const char *init;
    json_t *desc, *sc;
    int status;

    sp_eval_options_init(opt);
    opt->grid = grid_code(b, w);
    opt->phases = b->phases;
    if ((status = grid_for(b, w, opt->grid, &init, &desc, err)) != SP_OK)
        return status;
    sc = json_object_get(desc, "scale");
    if (json_is_number(json_object_get(sc, "min")) && json_is_number(json_object_get(sc, "max"))) {
        opt->scale_min = json_number_value(json_object_get(sc, "min"));
        opt->scale_max = json_number_value(json_object_get(sc, "max"));
    }
    if (b->threshold >= 0)
        opt->threshold = b->threshold;
    else if (json_is_number(json_object_get(desc, "threshold")))
        opt->threshold = json_number_value(json_object_get(desc, "threshold"));
    opt->components = comp_list(desc, pool);
    opt->kind_weights = pairs_list(json_object_get(desc, "weights"), pool);
    opt->resource_map = pairs_list(json_object_get(desc, "resources"), pool);
    if ((status = sp_eval_cache_create(w->store, &opt->cache, pool, err)) != SP_OK)
        return status;
    b->vulnerable = NULL;
    if (json_array_size(json_object_get(desc, "vulnerable_kinds")) > 0) {
        json_t *vk = json_object_get(desc, "vulnerable_kinds"), *x;
        const char **l = apr_pcalloc(pool, (json_array_size(vk) + 1) * sizeof(char *));
        size_t i, n = 0;

        json_array_foreach(vk, i, x)
            if (json_is_string(x))
                l[n++] = json_string_value(x);
        b->vulnerable = l;
    }
    return SP_OK;
}

static int
write_template(batch_t *b, workspace_t *w, const char *file, const char *plan)
{
    sp_eval_options_t opt;
    sp_error_t *err = NULL;
    FILE *f;
    int status;

    if ((status = set_options(b, w, &opt, &err)) != SP_OK)
        return sp_cli_fail(b->cli, err);
    if ((f = fopen(file, "w")) == NULL) {
        sp_error_set(&err, b->cli->pool, SP_EXIT_CANTCREAT, file, 0, 0, "cannot write: %s",
                     strerror(errno));
        return sp_cli_fail(b->cli, err);
    }
    status = sp_eval_template(w->store, plan, opt.grid, opt.components, f, b->cli->pool, &err);
    if (fclose(f) != 0 && status == SP_OK)
        status = sp_error_set(&err, b->cli->pool, SP_EXIT_IO, file, 0, 0, "cannot write");
    if (status != SP_OK)
        return sp_cli_fail(b->cli, err);
    if (!b->cli->quiet)
        fprintf(stderr, "%s: template for grid %s written\n", file, opt.grid);
    return SP_OK;
}

static int
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int
cmp_cstr(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int
sp_cmd_evaluate(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"all", no_argument, NULL, 'a'},
        {"plans-dir", required_argument, NULL, 'P'},
        {"grid", required_argument, NULL, 'g'},
        {"territory-dir", required_argument, NULL, 'T'},
        {"phase", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"template", required_argument, NULL, 't'},
        {"threshold", required_argument, NULL, 'd'},
        {NULL, 0, NULL, 0}
    };
    batch_t b;
    apr_array_header_t *ws = apr_array_make(cli->pool, 4, sizeof(workspace_t));
    const char *plans_dir = NULL, *template = NULL;
    sp_error_t *err = NULL;
    sp_progress_t *prog;
    long total = 0, done = 0;
    int c, all = 0, i, j, status;

    memset(&b, 0, sizeof b);
    b.cli = cli;
    b.threshold = -1;
    b.phases = SP_EVAL_EX_ANTE | SP_EVAL_EX_POST;
    b.format = 't';
    /* main.c left optind at 0 so that getopt re-initialises */
    while ((c = getopt_long(argc, argv, "aP:g:T:p:f:o:t:d:", options, NULL)) != -1) {
        switch (c) {
        case 'a': all = 1; break;
        case 'P': plans_dir = optarg; break;
        case 'g': b.grid_opt = optarg; break;
        case 'T': b.territory_dir = optarg; break;
        case 'p':
            if (strcmp(optarg, "ex-ante") == 0)
                b.phases = SP_EVAL_EX_ANTE;
            else if (strcmp(optarg, "ex-post") == 0)
                b.phases = SP_EVAL_EX_POST;
            else if (strcmp(optarg, "both") != 0)
                return sp_cli_usage(cli, "evaluate", "--phase is ex-ante, ex-post or both");
            break;
        case 'f':
            if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0)
                return sp_cli_usage(cli, "evaluate", "--format is text or json");
            b.format = optarg[0];
            break;
        case 'o': b.output = optarg; break;
        case 't': template = optarg; break;
        case 'd': {
            char *end;

            b.threshold = strtod(optarg, &end);
            if (*end || b.threshold < 0)
                return sp_cli_usage(cli, "evaluate", "--threshold must be a number >= 0");
            break;
        }
        default: return sp_cli_usage(cli, "evaluate", "unknown option");
        }
    }
    if (b.territory_dir && access(b.territory_dir, R_OK | X_OK) != 0)
        return sp_cli_usage(cli, "evaluate", "--territory-dir %s: %s", b.territory_dir,
                            strerror(errno));
    if (plans_dir && optind < argc)
        return sp_cli_usage(cli, "evaluate", "give plans or --plans-dir, not both");
    if (optind == argc)
        all = 1;       /* no plan named: every plan */
    b.grids = apr_hash_make(cli->pool);
    b.all = sp_grid_pool_own(json_array(), cli->pool);
    b.failures = sp_grid_pool_own(json_array(), cli->pool);
    if (b.output && (ends_with(b.output, ".txt") || ends_with(b.output, ".json"))) {
        b.output_file = 1;
        b.format = ends_with(b.output, ".json") ? 'j' : 't';
    }
    if ((status = cmd_host_create(&b.host, b.territory_dir, cli->pool, &err)) != SP_OK)
        return sp_cli_fail(cli, err);

    /* The workspaces: --db, or every *.db of --plans-dir. */
    if (plans_dir) {
        apr_dir_t *dir;
        apr_finfo_t fi;
        apr_array_header_t *names = apr_array_make(cli->pool, 8, sizeof(const char *));

        b.multi = 1;
        if (apr_dir_open(&dir, plans_dir, cli->pool) != APR_SUCCESS)
            return sp_cli_usage(cli, "evaluate", "--plans-dir %s: cannot open", plans_dir);
        while (apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE, dir) == APR_SUCCESS)
            if (fi.filetype == APR_REG && ends_with(fi.name, ".db"))
                APR_ARRAY_PUSH(names, const char *) = apr_pstrdup(cli->pool, fi.name);
        apr_dir_close(dir);
        qsort(names->elts, (size_t)names->nelts, sizeof(char *), cmp_cstr);
        if (names->nelts == 0)
            return sp_cli_usage(cli, "evaluate", "--plans-dir %s holds no workspace (*.db)",
                                plans_dir);
        for (i = 0; i < names->nelts; i++) {
            workspace_t *w = apr_array_push(ws);
            const char *n = APR_ARRAY_IDX(names, i, const char *);

            memset(w, 0, sizeof *w);
            w->path = apr_pstrcat(cli->pool, plans_dir, "/", n, NULL);
            w->label = apr_pstrndup(cli->pool, n, strlen(n) - 3);
        }
    } else {
        workspace_t *w = apr_array_push(ws);

        memset(w, 0, sizeof *w);
        w->path = cli->db_path;
    }
    for (i = 0; i < ws->nelts; i++) {
        workspace_t *w = &APR_ARRAY_IDX(ws, i, workspace_t);

        if ((status = open_workspace(&b, w, all, argv + optind, argc - optind, &err)) != SP_OK) {
            if (!b.multi)
                return sp_cli_fail(cli, err);
            report(&b, w, NULL, err);
            w->store = NULL;
            continue;
        }
        total += w->plans->nelts;
    }

    if (template) {
        workspace_t *w = &APR_ARRAY_IDX(ws, 0, workspace_t);

        if (b.multi || w->store == NULL)
            return sp_cli_usage(cli, "evaluate", "--template works on one workspace (--db)");
        return write_template(&b, w, template, all ? NULL : argv[optind]);
    }

    prog = sp_progress_start("evaluate", (double)total, !cli->quiet, cli->pool);
    for (i = 0; i < ws->nelts; i++) {
        workspace_t *w = &APR_ARRAY_IDX(ws, i, workspace_t);
        sp_eval_options_t opt;
        apr_pool_t *sub;

        if (w->store == NULL)
            continue;
        if ((status = set_options(&b, w, &opt, &err)) != SP_OK) {
            if (!b.multi) {
                sp_progress_end(prog);
                return sp_cli_fail(cli, err);
            }
            report(&b, w, NULL, err);
            done += w->plans->nelts;
            continue;
        }
        apr_pool_create(&sub, cli->pool);
        for (j = 0; j < w->plans->nelts; j++) {
            const char *plan = APR_ARRAY_IDX(w->plans, j, const char *);

            if (evaluate_plan(&b, w, plan, &opt, sub, &err) != SP_OK)
                report(&b, w, plan, err);
            apr_pool_clear(sub);
            done++;
            sp_progress_update(prog, (double)done, done);
        }
        apr_pool_destroy(sub);
    }
    sp_progress_end(prog);

    /* One stream or one file for everything. */
    if (b.output == NULL || b.output_file) {
        FILE *out = stdout;
        size_t k;
        json_t *r;

        if (b.output_file && (out = fopen(b.output, "w")) == NULL) {
            sp_error_set(&err, cli->pool, SP_EXIT_CANTCREAT, b.output, 0, 0, "cannot write: %s",
                         strerror(errno));
            return sp_cli_fail(cli, err);
        }
        if (b.format == 'j') {
            json_t *doc = json_pack("{s:O,s:O}", "plans", b.all, "failures", b.failures);

            json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
            fputc('\n', out);
            json_decref(doc);
        } else
            json_array_foreach(b.all, k, r) {
                if (k)
                    fputs("\n", out);
                sp_eval_render_text(r, out, cli->pool, &err);
            }
        if (out != stdout && fclose(out) != 0) {
            sp_error_set(&err, cli->pool, SP_EXIT_IO, b.output, 0, 0, "cannot write");
            return sp_cli_fail(cli, err);
        }
    }
    if (!cli->quiet && b.output && !b.output_file)
        fprintf(stderr, "%s evaluate: %ld plan(s) evaluated, %ld failed; results in %s\n",
                cli->progname, total - b.failed, b.failed, b.output);
    return b.failed ? SP_EXIT_PARTIAL : SP_OK;
}
