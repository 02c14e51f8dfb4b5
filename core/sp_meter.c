/*
 * sp_meter.c -- the consumption meter run from C (see sp_meter.h): finds
 * the territory's meter module, runs it in one sandboxed engine through a
 * small driver chunk, feeds it households from a CSV file, the workspace
 * or one set of answers, keeps the numbers per household, and summarises
 * them by neighbourhood with small-group suppression.
 *
 * The driver talks to C through the internal submodule spiral.meter_host
 * (next, put, refuse, line, resource, question, info): one run per batch,
 * evaluate() called once per household inside it, so the meter module is
 * loaded once.  The run's instruction and time budgets grow with the
 * number of households (BUDGET_* below); the memory limit stays as it is,
 * since a batch keeps nothing on the Lua side.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include "config.h"
#include "sp_meter.h"
#include "sp_csv.h"
#include "sp_engine.h"
#include "sp_pseudo.h"
#include "sp_territory.h"

/* Extra budget per household on top of the engine's defaults: a household
 * takes 0.4 to 0.6 ms with the meter's savings (measured, docs/meter.md),
 * so 2 ms leaves a margin of three; 100,000 households run within the
 * instruction budget below. */
#define BUDGET_INSTRUCTIONS_PER_HOUSEHOLD 400000LL
#define BUDGET_HOUSEHOLDS_PER_SECOND 500LL

#define HOST_MODULE "meter_host"

struct sp_meter_t {
    apr_pool_t *pool;
    sp_engine_t *eng;
    const char *module, *pack, *code;
    apr_array_header_t *resources;  /* sp_meter_resource_t */
    apr_array_header_t *questions;  /* const char * */
    apr_hash_t *question_set;
};

/* ---- the host: what one run of the driver exchanges with C ------------- */

typedef struct host_t host_t;
/* Push the next household's answers table and return 1, or return 0 at the
 * end (or after setting h->src_err). */
typedef int next_fn(host_t *h, lua_State *L);

struct host_t {
    sp_meter_t *m;
    apr_pool_t *pool;          /* results */
    next_fn *next;
    void *src;
    sp_error_t *src_err;       /* a reading error: the run stops, C reports it */
    const char *refused;       /* the meter's message for a refused answer */
    apr_array_header_t *lines; /* const char *, mode "report" */
    /* batch results */
    apr_array_header_t *values;        /* double, 3 * nres per household */
    long puts;
};

static const char host_key = 'm';

static host_t *
host_of(lua_State *L)
{
    host_t *h;

    lua_rawgetp(L, LUA_REGISTRYINDEX, &host_key);          /* +1 */
    h = lua_touserdata(L, -1);
    lua_pop(L, 1);                                          /* 0 */
    if (h == NULL)
        luaL_error(L, "meter_host: not inside a meter run");
    return h;
}

static int
l_host_next(lua_State *L)
{
    host_t *h = host_of(L);

    if (h->next == NULL || !h->next(h, L))
        lua_pushnil(L);
    return 1;
}

/* put(person, household, total): three tables keyed by resource name. */
static int
l_host_put(lua_State *L)
{
    host_t *h = host_of(L);
    size_t nres = (size_t)h->m->resources->nelts, r;
    int t;

    for (t = 1; t <= 3; t++) {
        luaL_checktype(L, t, LUA_TTABLE);
        for (r = 0; r < nres; r++) {
            const sp_meter_resource_t *res =
                &APR_ARRAY_IDX(h->m->resources, r, sp_meter_resource_t);
            int isnum;
            double v;

            lua_getfield(L, t, res->name);                  /* +1 */
            v = lua_tonumberx(L, -1, &isnum);
            if (!isnum && lua_isnil(L, -1)) {
                v = 0.0;
                isnum = 1;
            }
            lua_pop(L, 1);                                  /* 0 */
            if (!isnum || !isfinite(v))
                return luaL_error(L, "meter: the report's %s.%s is not a finite number",
                                  t == 1 ? "person" : t == 2 ? "household" : "total",
                                  res->name);
            APR_ARRAY_PUSH(h->values, double) = v;
        }
    }
    h->puts++;
    return 0;
}

static int
l_host_refuse(lua_State *L)
{
    host_t *h = host_of(L);

    h->refused = apr_pstrdup(h->pool, luaL_checkstring(L, 1));
    return 0;
}

static int
l_host_line(lua_State *L)
{
    host_t *h = host_of(L);

    if (h->lines != NULL)
        APR_ARRAY_PUSH(h->lines, const char *) = apr_pstrdup(h->pool, luaL_checkstring(L, 1));
    return 0;
}

/* resource(name, unit, label_fr, label_en, limit or nil, collective) */
static int
l_host_resource(lua_State *L)
{
    host_t *h = host_of(L);
    sp_meter_resource_t *r = apr_array_push(h->m->resources);
    apr_pool_t *p = h->m->pool;

    r->name = apr_pstrdup(p, luaL_checkstring(L, 1));
    r->unit = apr_pstrdup(p, luaL_optstring(L, 2, ""));
    r->label_fr = apr_pstrdup(p, luaL_optstring(L, 3, r->name));
    r->label_en = apr_pstrdup(p, luaL_optstring(L, 4, r->name));
    r->limit = lua_isnoneornil(L, 5) ? NAN : luaL_checknumber(L, 5);
    r->collective = luaL_optnumber(L, 6, 0.0);
    return 0;
}

static int
l_host_question(lua_State *L)
{
    host_t *h = host_of(L);
    const char *q = apr_pstrdup(h->m->pool, luaL_checkstring(L, 1));

    APR_ARRAY_PUSH(h->m->questions, const char *) = q;
    apr_hash_set(h->m->question_set, q, APR_HASH_KEY_STRING, q);
    return 0;
}

static int
l_host_info(lua_State *L)
{
    host_t *h = host_of(L);

    h->m->code = apr_pstrdup(h->m->pool, luaL_checkstring(L, 1));
    return 0;
}

/* The driver: ... = mode ("describe", "batch", "report"), meter module,
 * pack module or "", language. */
static const char driver[] =
    "local mode, modname, packname, lang = ...\n"
    "local host = require('spiral')." HOST_MODULE "\n"
    "local M = require(modname)\n"
    "if type(M) ~= 'table' or type(M.evaluate) ~= 'function' then\n"
    "  error(modname .. ': not a meter (no evaluate function)', 0)\n"
    "end\n"
    "local opts = { savings = mode == 'report' }\n"
    "if packname ~= '' then\n"
    "  local pack = require(packname)\n"
    "  local f = type(pack) == 'table' and type(pack.meter) == 'table' and pack.meter.factors\n"
    "  if type(f) == 'table' and next(f) ~= nil then\n"
    "    if type(M.with_factors) ~= 'function' then\n"
    "      error(packname .. ': meter factors given but ' .. modname .. ' has no with_factors', 0)\n"
    "    end\n"
    "    opts.factors = M.with_factors(f)\n"
    "  end\n"
    "end\n"
    "local R = M.resources or {}\n"
    "if mode == 'describe' then\n"
    "  local rep, err = M.evaluate({}, opts)\n"
    "  if not rep then error(modname .. ': the meter refuses its own defaults: ' .. tostring(err), 0) end\n"
    "  for _, r in ipairs(R) do\n"
    "    local lab = M.labels and M.labels[r] or {}\n"
    "    local c = rep.compare and rep.compare[r]\n"
    "    host.resource(r, M.units and M.units[r] or '', lab.fr or r, lab.en or r,\n"
    "      c and c.limit, rep.collective and rep.collective[r] or 0)\n"
    "  end\n"
    "  for _, q in ipairs(M.questions or {}) do host.question(q.name) end\n"
    "  host.info(M.code or modname)\n"
    "  return\n"
    "end\n"
    "local ev, nxt, put, refuse = M.evaluate, host.next, host.put, host.refuse\n"
    "if mode == 'batch' then\n"
    "  while true do\n"
    "    local a = nxt()\n"
    "    if a == nil then return end\n"
    "    local rep, err = ev(a, opts)\n"
    "    if not rep then refuse(tostring(err)) return end\n"
    "    put(rep.person, rep.household, rep.total)\n"
    "  end\n"
    "end\n"
    /* report: the meter's own lines, then person and household apart */
    "local a = nxt()\n"
    "local rep, err = ev(a, opts)\n"
    "if not rep then refuse(tostring(err)) return end\n"
    "put(rep.person, rep.household, rep.total)\n"
    "local line = host.line\n"
    "if type(M.lines) == 'function' then\n"
    "  for _, l in ipairs(M.lines(rep, lang)) do line(l) end\n"
    "end\n"
    "local fr = lang == 'fr'\n"
    "local function fmt(x)\n"
    "  if M.fmt then return M.fmt(x, lang) end\n"
    "  return string.format(math.abs(x) >= 10 and '%.0f' or '%.1f', x)\n"
    "end\n"
    "local function pad(s, n, right)\n"
    "  local sp = string.rep(' ', math.max(0, n - (utf8.len(s) or #s)))\n"
    "  return right and sp .. s or s .. sp\n"
    "end\n"
    "local n = rep.household_size or 1\n"
    "local ns = string.format('%d', math.floor(n + 0.5))\n"
    "line('')\n"
    "line(fr and ('Par personne et pour tout le foyer (' .. ns .. (n >= 2 and ' personnes' or ' personne') .. ') :')\n"
    "        or ('Per person and for your whole household (' .. ns .. (n >= 2 and ' people' or ' person') .. '):'))\n"
    "local w = 0\n"
    "for _, r in ipairs(R) do\n"
    "  local lab = M.labels and M.labels[r] and M.labels[r][lang] or r\n"
    "  w = math.max(w, utf8.len(lab) or #lab)\n"
    "end\n"
    "local c1, c2 = fr and 'par personne' or 'per person', fr and 'foyer' or 'household'\n"
    "line('  ' .. pad('', w) .. '  ' .. pad(c1, 12, true) .. '  ' .. pad(c2, 12, true))\n"
    "for _, r in ipairs(R) do\n"
    "  local lab = M.labels and M.labels[r] and M.labels[r][lang] or r\n"
    "  line('  ' .. pad(lab, w) .. '  ' .. pad(fmt(rep.person[r] or 0), 12, true) .. '  '\n"
    "       .. pad(fmt(rep.household[r] or 0), 12, true) .. '  ' .. (M.units and M.units[r] or ''))\n"
    "end\n"
    "local hh, pp = {}, {}\n"
    "for _, it in ipairs(rep.items or {}) do\n"
    "  local lab = it['label_' .. lang] or it.item\n"
    "  if it.scope == 'household' then hh[#hh + 1] = lab else pp[#pp + 1] = lab end\n"
    "end\n"
    "if #hh > 0 then\n"
    "  line(fr and ('Comptés pour tout le foyer, divisés par ' .. ns .. ' pour une personne : ' .. table.concat(hh, ', ') .. '.')\n"
    "          or ('Counted for the whole household, divided by ' .. ns .. ' for one person: ' .. table.concat(hh, ', ') .. '.'))\n"
    "end\n"
    "if #pp > 0 then\n"
    "  line(fr and ('Comptés par personne, multipliés par ' .. ns .. ' pour le foyer (une estimation : les autres sont supposés vivre de même) : ' .. table.concat(pp, ', ') .. '.')\n"
    "          or ('Counted per person, multiplied by ' .. ns .. ' for the household (an estimate: it assumes the others live alike): ' .. table.concat(pp, ', ') .. '.'))\n"
    "end\n"
    "local col = rep.collective or {}\n"
    "if (col.co2e or 0) > 0 then\n"
    "  local u = M.units and M.units.co2e or ''\n"
    "  line(fr and ('Part collective, à part : ' .. fmt(col.co2e) .. ' ' .. u .. ' par personne pour les services publics, ni dans ces colonnes ni dans les économies : personne ne la contrôle seul.')\n"
    "          or ('Collective share, apart: ' .. fmt(col.co2e) .. ' ' .. u .. ' per person for public services, in neither column nor in the savings: no one controls it alone.'))\n"
    "end\n";

/* ---- finding the meter ---------------------------------------------------- */

static int
module_name_ok(const char *s)
{
    if (s == NULL || *s == '\0')
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

/* The first root holding rel, or NULL. */
static const char *
find_in_roots(const char *const *roots, const char *rel, apr_pool_t *pool)
{
    size_t i;

    for (i = 0; roots[i] != NULL; i++) {
        const char *path = apr_pstrcat(pool, roots[i], "/", rel, NULL);

        if (access(path, R_OK) == 0)
            return path;
    }
    return NULL;
}

/* Run the driver in mode with h as the host; the meter's messages and
 * reading errors come back through h. */
static int
run_driver(sp_meter_t *m, host_t *h, const char *mode, const char *lang, long households,
           sp_error_t **err)
{
    lua_State *L = sp_engine_lua(m->eng);
    const char *argv[4];
    sp_limits_t *lim = sp_engine_limits(m->eng), saved = *lim;
    int status;

    argv[0] = mode;
    argv[1] = m->module;
    argv[2] = m->pack ? m->pack : "";
    argv[3] = lang ? lang : "en";
    if (households > 0) {
        if (lim->value[SP_LIMIT_INSTRUCTIONS] > 0)
            lim->value[SP_LIMIT_INSTRUCTIONS] += households * BUDGET_INSTRUCTIONS_PER_HOUSEHOLD;
        if (lim->value[SP_LIMIT_SECONDS] > 0)
            lim->value[SP_LIMIT_SECONDS] += households / BUDGET_HOUSEHOLDS_PER_SECOND;
    }
    lua_pushlightuserdata(L, h);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &host_key);
    status = sp_engine_run_string(m->eng, driver, sizeof driver - 1, "=meter", 4, argv, err);
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &host_key);
    *lim = saved;
    return status;
}

int
sp_meter_open(sp_meter_t **out, const sp_meter_config_t *cfg, apr_pool_t *pool,
              sp_error_t **err)
{
    static const luaL_Reg fns[] = {
        {"next", l_host_next}, {"put", l_host_put}, {"refuse", l_host_refuse},
        {"line", l_host_line}, {"resource", l_host_resource},
        {"question", l_host_question}, {"info", l_host_info}, {NULL, NULL}
    };
    sp_meter_config_t none;
    sp_meter_t *m = apr_pcalloc(pool, sizeof *m);
    const char *const *base;
    apr_array_header_t *roots = apr_array_make(pool, 6, sizeof(const char *));
    sp_engine_config_t ec;
    host_t h;
    size_t i;
    int status;

    if (cfg == NULL) {
        memset(&none, 0, sizeof none);
        cfg = &none;
    }
    m->pool = pool;
    m->resources = apr_array_make(pool, 8, sizeof(sp_meter_resource_t));
    m->questions = apr_array_make(pool, 16, sizeof(const char *));
    m->question_set = apr_hash_make(pool);
    /* The territory's folder first, so that its files override the library. */
    if (cfg->territory_dir != NULL)
        APR_ARRAY_PUSH(roots, const char *) = cfg->territory_dir;
    base = cfg->script_roots ? cfg->script_roots : sp_engine_script_roots(pool, NULL);
    for (i = 0; base[i] != NULL; i++)
        APR_ARRAY_PUSH(roots, const char *) = base[i];
    APR_ARRAY_PUSH(roots, const char *) = NULL;

    if (cfg->territory_dir != NULL) {
        if (access(apr_pstrcat(pool, cfg->territory_dir, "/meter.lua", NULL), R_OK) == 0)
            m->module = "meter";
        if (access(apr_pstrcat(pool, cfg->territory_dir, "/pack.lua", NULL), R_OK) == 0)
            m->pack = "pack";
    } else if (module_name_ok(cfg->territory)) {
        const char *const *r = (const char *const *)roots->elts;

        if (find_in_roots(r, apr_psprintf(pool, "territories/%s/meter.lua", cfg->territory), pool))
            m->module = apr_psprintf(pool, "territories.%s.meter", cfg->territory);
        if (find_in_roots(r, apr_psprintf(pool, "territories/%s/pack.lua", cfg->territory), pool))
            m->pack = apr_psprintf(pool, "territories.%s.pack", cfg->territory);
    }
    if (m->module == NULL) {
        if (find_in_roots((const char *const *)roots->elts, "lib/meter.lua", pool) == NULL)
            return sp_error_set(err, pool, SP_EXIT_NOINPUT, NULL, 0, 0,
                                "no meter found: lib/meter.lua is in none of the script roots"
                                " (set SPIRAL_SCRIPTS to the scripts/ folder)");
        m->module = "lib.meter";
    }

    memset(&ec, 0, sizeof ec);
    ec.script_roots = (const char *const *)roots->elts;
    if ((status = sp_engine_create(&m->eng, &ec, pool, err)) != SP_OK
        || (status = sp_engine_register(m->eng, HOST_MODULE, fns, err)) != SP_OK)
        return status;
    memset(&h, 0, sizeof h);
    h.m = m;
    h.pool = pool;
    if ((status = run_driver(m, &h, "describe", "en", 0, err)) != SP_OK)
        return status;
    if (m->resources->nelts == 0)
        return sp_error_set(err, pool, SP_EXIT_SCRIPT, m->module, 0, 0,
                            "%s: the meter lists no resources", m->module);
    *out = m;
    return SP_OK;
}

const char *
sp_meter_module(const sp_meter_t *m)
{
    return m->module;
}

const char *
sp_meter_code(const sp_meter_t *m)
{
    return m->code ? m->code : m->module;
}

size_t
sp_meter_nresources(const sp_meter_t *m)
{
    return (size_t)m->resources->nelts;
}

const sp_meter_resource_t *
sp_meter_resource(const sp_meter_t *m, size_t i)
{
    if (i >= (size_t)m->resources->nelts)
        return NULL;
    return &APR_ARRAY_IDX(m->resources, i, sp_meter_resource_t);
}

int
sp_meter_has_question(const sp_meter_t *m, const char *name)
{
    return apr_hash_get(m->question_set, name, APR_HASH_KEY_STRING) != NULL;
}

const char *
sp_meter_question_list(const sp_meter_t *m, apr_pool_t *pool)
{
    return apr_array_pstrcat(pool, m->questions, ',');
}

static int
unknown_question(const sp_meter_t *m, int status, const char *file, long line, long col,
                 const char *name, apr_pool_t *pool, sp_error_t **err)
{
    return sp_error_set(err, pool, status, file, line, col,
                        "unknown question '%s'; the meter '%s' asks: %s", name, sp_meter_code(m),
                        sp_meter_question_list(m, pool));
}

/* ---- one household ------------------------------------------------------------ */

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
            return unknown_question(m, SP_EXIT_USAGE, NULL, 0, 0, name, pool, err);
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
    if ((status = run_driver(m, &h, "report", lang, 1, err)) != SP_OK)
        return status;
    if (h.refused != NULL)
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "%s", h.refused);
    *lines = (const char *const *)h.lines->elts;
    *n = (size_t)h.lines->nelts;
    return SP_OK;
}

/* ---- batches ------------------------------------------------------------------ */

/* Where refused answers are located, per source. */
typedef struct batch_ctx_t {
    host_t h;
    apr_array_header_t *neighbourhood;  /* const char * */
    apr_array_header_t *size;           /* double */
    apr_hash_t *names;                  /* interned neighbourhood names */
} batch_ctx_t;

static void
batch_init(batch_ctx_t *b, sp_meter_t *m, apr_pool_t *pool)
{
    memset(b, 0, sizeof *b);
    b->h.m = m;
    b->h.pool = pool;
    b->h.values = apr_array_make(pool, 1024, sizeof(double));
    b->neighbourhood = apr_array_make(pool, 256, sizeof(const char *));
    b->size = apr_array_make(pool, 256, sizeof(double));
    b->names = apr_hash_make(pool);
}

static void
batch_household(batch_ctx_t *b, const char *neighbourhood, size_t len, double size)
{
    const char *nm = apr_hash_get(b->names, neighbourhood, (apr_ssize_t)len);

    if (nm == NULL) {
        nm = apr_pstrmemdup(b->h.pool, neighbourhood, len);
        apr_hash_set(b->names, nm, (apr_ssize_t)len, nm);
    }
    APR_ARRAY_PUSH(b->neighbourhood, const char *) = nm;
    APR_ARRAY_PUSH(b->size, double) = size;
}

static sp_meter_batch_t *
batch_result(batch_ctx_t *b)
{
    sp_meter_batch_t *r = apr_pcalloc(b->h.pool, sizeof *r);
    size_t nres = (size_t)b->h.m->resources->nelts, n = (size_t)b->h.puts, i, k;
    const double *v = (const double *)b->h.values->elts;

    r->n = n;
    r->nres = nres;
    r->neighbourhood = (const char **)b->neighbourhood->elts;
    r->size = (double *)b->size->elts;
    /* put() wrote person, household, total for each household in turn;
     * split them into three n x nres matrices. */
    r->person = apr_palloc(b->h.pool, (n ? n : 1) * nres * sizeof(double));
    r->household = apr_palloc(b->h.pool, (n ? n : 1) * nres * sizeof(double));
    r->total = apr_palloc(b->h.pool, (n ? n : 1) * nres * sizeof(double));
    for (i = 0; i < n; i++)
        for (k = 0; k < nres; k++) {
            r->person[i * nres + k] = v[(i * 3 + 0) * nres + k];
            r->household[i * nres + k] = v[(i * 3 + 1) * nres + k];
            r->total[i * nres + k] = v[(i * 3 + 2) * nres + k];
        }
    return r;
}

/* The question a meter's message names ("car_km_year: 'x' is not a
 * number"), copied into pool, or NULL. */
static const char *
message_question(const char *msg, apr_pool_t *pool)
{
    const char *colon = strchr(msg, ':');

    if (colon == NULL || colon == msg)
        return NULL;
    return apr_pstrmemdup(pool, msg, (apr_size_t)(colon - msg));
}

/* CSV --------------------------------------------------------------------- */

enum { C_HOUSEHOLD, C_NEIGHBOURHOOD, C_SIZE, C_ANSWERED_ON, C_FIXED };
static const char *const fixed_names[C_FIXED][2] = {
    {"household", "menage"}, {"neighbourhood", "quartier"},
    {"household_size", "taille_menage"}, {"answered_on", "date_reponse"}
};

typedef struct csv_src_t {
    sp_csv_t *csv;
    const char *path;
    size_t nfields;
    const char **header;    /* question names (NULL for fixed columns) */
    int fixed[C_FIXED];     /* field of each fixed column, or -1 */
    apr_hash_t *ids;        /* household ids seen */
    long line;              /* line of the current record */
    apr_pool_t *pool;
} csv_src_t;

static int
csv_next(host_t *h, lua_State *L)
{
    batch_ctx_t *b = (batch_ctx_t *)h;
    csv_src_t *s = h->src;
    sp_csv_record_t rec;
    long long size;
    const char *id, *nb = "";
    size_t i, nblen = 0;
    int rc;

    rc = sp_csv_next(s->csv, &rec, &h->src_err);
    if (rc != 1)
        return 0;
    s->line = rec.line;
    if (rec.nfields > s->nfields) {
        sp_error_set(&h->src_err, h->pool, SP_EXIT_DATA, s->path, rec.line, 0,
                     "%ld fields, the header has %ld", (long)rec.nfields, (long)s->nfields);
        return 0;
    }
    id = (size_t)s->fixed[C_HOUSEHOLD] < rec.nfields ? rec.field[s->fixed[C_HOUSEHOLD]] : "";
    if (*id == '\0') {
        sp_error_set(&h->src_err, h->pool, SP_EXIT_DATA, s->path, rec.line,
                     s->fixed[C_HOUSEHOLD] + 1, "household: empty");
        return 0;
    }
    if (apr_hash_get(s->ids, id, APR_HASH_KEY_STRING) != NULL) {
        sp_error_set(&h->src_err, h->pool, SP_EXIT_DATA, s->path, rec.line,
                     s->fixed[C_HOUSEHOLD] + 1, "household: household '%s' appears twice", id);
        return 0;
    }
    id = apr_pstrdup(s->pool, id);
    apr_hash_set(s->ids, id, APR_HASH_KEY_STRING, id);
    if ((size_t)s->fixed[C_SIZE] >= rec.nfields
        || !sp_parse_int(rec.field[s->fixed[C_SIZE]], &size) || size < 1 || size > 100) {
        sp_error_set(&h->src_err, h->pool, SP_EXIT_DATA, s->path, rec.line,
                     s->fixed[C_SIZE] + 1,
                     "household_size: '%s' is not a whole number from 1 to 100",
                     (size_t)s->fixed[C_SIZE] < rec.nfields ? rec.field[s->fixed[C_SIZE]] : "");
        return 0;
    }
    if (s->fixed[C_NEIGHBOURHOOD] >= 0 && (size_t)s->fixed[C_NEIGHBOURHOOD] < rec.nfields) {
        nb = rec.field[s->fixed[C_NEIGHBOURHOOD]];
        nblen = rec.len[s->fixed[C_NEIGHBOURHOOD]];
    }
    lua_createtable(L, 0, (int)s->nfields);                 /* +1 */
    for (i = 0; i < rec.nfields; i++) {
        if (s->header[i] == NULL || rec.len[i] == 0)
            continue;
        lua_pushlstring(L, rec.field[i], rec.len[i]);        /* +2 */
        lua_setfield(L, -2, s->header[i]);                  /* +1 */
    }
    lua_pushinteger(L, (lua_Integer)size);                  /* +2 */
    lua_setfield(L, -2, "household_size");                  /* +1 */
    batch_household(b, nb, nblen, (double)size);
    return 1;
}

int
sp_meter_batch_csv(sp_meter_t *m, const char *path, sp_meter_batch_t **out,
                   apr_pool_t *pool, sp_error_t **err)
{
    batch_ctx_t b;
    csv_src_t s;
    sp_csv_record_t rec;
    size_t i, f;
    long estimate;
    int rc;

    memset(&s, 0, sizeof s);
    s.path = path;
    s.pool = pool;
    s.ids = apr_hash_make(pool);
    if ((rc = sp_csv_open(&s.csv, path, NULL, pool, err)) != SP_OK)
        return rc;
    rc = sp_csv_next(s.csv, &rec, err);
    if (rc != 1)
        return rc == 0 ? sp_error_set(err, pool, SP_EXIT_DATA, path, 1, 0, "no header") : rc;
    s.nfields = rec.nfields;
    s.header = apr_pcalloc(pool, rec.nfields * sizeof *s.header);
    for (f = 0; f < C_FIXED; f++)
        s.fixed[f] = -1;
    for (i = 0; i < rec.nfields; i++) {
        const char *name = rec.field[i];
        int fixed = -1;

        for (f = 0; f < C_FIXED; f++)
            if (strcasecmp(name, fixed_names[f][0]) == 0 || strcasecmp(name, fixed_names[f][1]) == 0)
                fixed = (int)f;
        if (fixed >= 0) {
            if (s.fixed[fixed] >= 0)
                return sp_error_set(err, pool, SP_EXIT_DATA, path, rec.line, (long)i + 1,
                                    "column '%s' appears twice", fixed_names[fixed][0]);
            s.fixed[fixed] = (int)i;
            continue;
        }
        if (!sp_meter_has_question(m, name))
            return unknown_question(m, SP_EXIT_DATA, path, rec.line, (long)i + 1, name, pool,
                                    err);
        for (f = 0; f < i; f++)
            if (s.header[f] != NULL && strcmp(s.header[f], name) == 0)
                return sp_error_set(err, pool, SP_EXIT_DATA, path, rec.line, (long)i + 1,
                                    "column '%s' appears twice", name);
        s.header[i] = apr_pstrdup(pool, name);
    }
    if (s.fixed[C_HOUSEHOLD] < 0 || s.fixed[C_SIZE] < 0)
        return sp_error_set(err, pool, SP_EXIT_DATA, path, rec.line, 0,
                            "missing column '%s': a meter file has household, household_size"
                            " and one column per question",
                            s.fixed[C_HOUSEHOLD] < 0 ? "household" : "household_size");

    batch_init(&b, m, pool);
    b.h.next = csv_next;
    b.h.src = &s;
    /* A row of the meter's CSV is some 40 bytes: budget for at least that many. */
    estimate = (long)(sp_csv_size(s.csv) / 20) + 1;
    if ((rc = run_driver(m, &b.h, "batch", "en", estimate, err)) != SP_OK)
        return rc;
    if (b.h.src_err != NULL) {
        *err = b.h.src_err;
        return b.h.src_err->status;
    }
    if (b.h.refused != NULL) {
        const char *q = message_question(b.h.refused, pool);
        long col = 0;

        for (i = 0; q != NULL && i < s.nfields; i++)
            if (s.header[i] != NULL && strcmp(s.header[i], q) == 0)
                col = (long)i + 1;
        if (q != NULL && strcmp(q, "household_size") == 0)
            col = s.fixed[C_SIZE] + 1;
        return sp_error_set(err, pool, SP_EXIT_DATA, path, s.line, col, "%s", b.h.refused);
    }
    *out = batch_result(&b);
    return SP_OK;
}

/* The workspace ------------------------------------------------------------ */

typedef struct store_src_t {
    sqlite3_stmt *st;
    int row;                  /* SQLITE_ROW when st holds an unread row */
    sqlite3_int64 current;    /* id of the household being read */
    const char *sql_error;
} store_src_t;

static int
store_next(host_t *h, lua_State *L)
{
    batch_ctx_t *b = (batch_ctx_t *)h;
    store_src_t *s = h->src;
    sqlite3_int64 id;

    if (s->row != SQLITE_ROW) {
        if (s->row != SQLITE_DONE)
            sp_error_set(&h->src_err, h->pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                         "reading the meter's households: %s",
                         sqlite3_errmsg(sqlite3_db_handle(s->st)));
        return 0;
    }
    id = sqlite3_column_int64(s->st, 0);
    s->current = id;
    lua_createtable(L, 0, 16);                              /* +1 */
    lua_pushinteger(L, sqlite3_column_int64(s->st, 1));     /* +2 */
    lua_setfield(L, -2, "household_size");                  /* +1 */
    batch_household(b, (const char *)sqlite3_column_text(s->st, 2),
                    (size_t)sqlite3_column_bytes(s->st, 2),
                    (double)sqlite3_column_int64(s->st, 1));
    do {
        if (sqlite3_column_type(s->st, 3) != SQLITE_NULL) {
            lua_pushlstring(L, (const char *)sqlite3_column_text(s->st, 4),
                            (size_t)sqlite3_column_bytes(s->st, 4));      /* +2 */
            lua_setfield(L, -2, (const char *)sqlite3_column_text(s->st, 3)); /* +1 */
        }
        s->row = sqlite3_step(s->st);
    } while (s->row == SQLITE_ROW && sqlite3_column_int64(s->st, 0) == id);
    return 1;
}

static apr_status_t
finalize_cleanup(void *st)
{
    sqlite3_finalize(st);
    return APR_SUCCESS;
}

int
sp_meter_batch_store(sp_meter_t *m, sp_store_t *store, sp_meter_batch_t **out,
                     apr_pool_t *pool, sp_error_t **err)
{
    batch_ctx_t b;
    store_src_t s;
    sqlite3_stmt *st;
    long count = 0;
    int rc;

    /* Refuse a question the meter does not ask before running anything. */
    if (sqlite3_prepare_v2(store->db, "SELECT DISTINCT question FROM meter_answer ORDER BY 1",
                           -1, &st, NULL) != SQLITE_OK)
        return sp_store_fail(store->db, "meter questions", pool, err);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *q = (const char *)sqlite3_column_text(st, 0);

        if (!sp_meter_has_question(m, q)) {
            rc = unknown_question(m, SP_EXIT_DATA, NULL, 0, 0, q, pool, err);
            sqlite3_finalize(st);
            (*err)->message = apr_pstrcat(pool, "the workspace's meter answers: ",
                                          (*err)->message, NULL);
            return rc;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sp_store_fail(store->db, "meter questions", pool, err);
    if (sqlite3_prepare_v2(store->db, "SELECT count(*) FROM meter_household", -1, &st, NULL)
        != SQLITE_OK)
        return sp_store_fail(store->db, "meter households", pool, err);
    if (sqlite3_step(st) == SQLITE_ROW)
        count = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);

    memset(&s, 0, sizeof s);
    if (sqlite3_prepare_v2(store->db,
                           "SELECT h.id, h.household_size, ifnull(n.name, ''), a.question, a.value"
                           " FROM meter_household h"
                           " LEFT JOIN neighbourhood n ON n.id = h.neighbourhood_id"
                           " LEFT JOIN meter_answer a ON a.household_id = h.id"
                           " ORDER BY h.id", -1, &s.st, NULL) != SQLITE_OK)
        return sp_store_fail(store->db, "meter households", pool, err);
    apr_pool_cleanup_register(pool, s.st, finalize_cleanup, apr_pool_cleanup_null);
    s.row = sqlite3_step(s.st);
    batch_init(&b, m, pool);
    b.h.next = store_next;
    b.h.src = &s;
    rc = run_driver(m, &b.h, "batch", "en", count, err);
    sqlite3_reset(s.st);
    if (rc != SP_OK)
        return rc;
    if (b.h.src_err != NULL) {
        *err = b.h.src_err;
        return b.h.src_err->status;
    }
    if (b.h.refused != NULL)
        return sp_error_set(err, pool, SP_EXIT_DATA, NULL, 0, 0,
                            "a household of the workspace (number %ld in import order): %s",
                            b.h.puts + 1, b.h.refused);
    *out = batch_result(&b);
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

int
sp_meter_workspace(sp_store_t *store, const char *territory, sp_meter_t **mout,
                   sp_meter_batch_t **out, apr_pool_t *pool, sp_error_t **err)
{
    sp_meter_config_t cfg;
    sp_territory_t *t;
    sp_meter_t *m;
    sp_error_t *ignored = NULL;
    int rc;

    memset(&cfg, 0, sizeof cfg);
    /* Without a territory (or with several) the default meter is used. */
    if (sp_territory_find(store, territory, &t, pool, &ignored) == SP_OK)
        cfg.territory = t->code;
    else if (territory != NULL)
        return sp_error_set(err, pool, ignored->status, NULL, 0, 0, "%s", ignored->message);
    if ((rc = sp_meter_open(&m, &cfg, pool, err)) != SP_OK
        || (rc = sp_meter_batch_store(m, store, out, pool, err)) != SP_OK)
        return rc;
    if (mout != NULL)
        *mout = m;
    return SP_OK;
}

/* ---- distributions ---------------------------------------------------------- */

double
sp_meter_quantile(const double *x, const double *w, size_t n, double p)
{
    double W = 0.0, tc, cc = 0.0, c_lo = 0.0, y_lo = 0.0, c_hi = 0.0, y_hi = 0.0, cum = 0.0, g;
    size_t i;

    for (i = 0; i < n; i++)
        W += w[i];
    if (!(W > 0.0) || !(p >= 0.0 && p <= 1.0))
        return NAN;
    tc = (W + 1.0) * p;
    /* sp_agg.c's haverage() over distinct values: equal values pool their
     * weights, values of zero weight are not present. */
    for (i = 0; i < n;) {
        double y = x[i], c = 0.0;

        while (i < n && x[i] == y)
            c += w[i++];
        if (!(c > 0.0))
            continue;
        cum += c;
        if (cum <= tc) {
            cc = cum;
            c_lo = c;
            y_lo = y;
        } else {
            c_hi = c;
            y_hi = y;
            break;
        }
    }
    if (c_hi == 0.0)
        return y_lo;
    if (c_lo == 0.0)
        return y_hi;
    g = tc - cc;
    if (g >= 1.0)
        return y_hi;
    if (c_hi >= 1.0)
        return g == 0.0 ? y_lo : (1.0 - g) * y_lo + g * y_hi;
    g /= c_hi;
    return (1.0 - g) * y_lo + g * y_hi;
}

typedef struct pair_t {
    double x, w;
} pair_t;

static int
cmp_pair(const void *a, const void *b)
{
    double x = ((const pair_t *)a)->x, y = ((const pair_t *)b)->x;

    return (x > y) - (x < y);
}

static int
cmp_name(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;

    /* households without a neighbourhood go last */
    if (*x == '\0' || *y == '\0')
        return (*x == '\0') - (*y == '\0');
    return strcmp(x, y);
}

static void
cell_text(sp_table_t *t, size_t r, size_t c, const char *s)
{
    sp_table_cell_t *cell = (sp_table_cell_t *)&t->cells[r * t->ncols + c];

    cell->kind = SPIRAL_CELL_TEXT;
    cell->text = s;
}

static void
cell_num(sp_table_t *t, size_t r, size_t c, double v, int withheld, const char *note)
{
    sp_table_cell_t *cell = (sp_table_cell_t *)&t->cells[r * t->ncols + c];

    if (withheld) {
        cell->kind = SPIRAL_CELL_SUPPRESSED;
        cell->text = SP_TABLE_MARK_SUPPRESSED;
        cell->note = note;
    } else if (isfinite(v)) {
        cell->kind = SPIRAL_CELL_NUMBER;
        cell->number = v;
    } else {
        cell->kind = SPIRAL_CELL_UNDEFINED;
        cell->text = SP_TABLE_MARK_UNDEFINED;
        cell->note = "undefined";
    }
}

enum {
    D_GROUP, D_RESOURCE, D_UNIT, D_HOUSEHOLDS, D_PERSONS, D_MEAN, D_Q1, D_MEDIAN, D_Q3,
    D_LIMIT, D_ABOVE, D_HMEAN, D_NCOLS
};
static const char *const dist_columns[D_NCOLS] = {
    "neighbourhood", "resource", "unit", "households", "persons", "mean", "q1", "median", "q3",
    "limit", "above_limit", "household_mean"
};

/* Why a group of sp_meter_distribution is withheld. */
enum { KEEP, PRIMARY, SECONDARY };

/* The withheld set of the distribution into why[]: count[g] households in
 * group g, the neighbourhoods first and everyone ("(all)") last, ng groups
 * in all.  Primary: a group of 1..k-1 households.  Secondary: a
 * neighbourhood withheld alone could be worked out from (all) and the
 * others (its households, persons, means and share above the limit
 * exactly, since they add up; its quartiles roughly), so a second one is
 * withheld with it: the smallest one shown (the first on a tie), which
 * hides the fewest households.  With none to take, (all) is withheld
 * instead; that cannot happen while (all) is shown, since it then holds at
 * least k households, but the rule does not lean on it.  Two or more
 * withheld neighbourhoods, or (all) withheld, leave only their sum to
 * work out. */
static void
decide_withheld(const size_t *count, size_t ng, unsigned k, int *why)
{
    size_t g, all = ng - 1, nprimary = 0, best = all;

    for (g = 0; g < ng; g++) {
        why[g] = count[g] > 0 && count[g] < k ? PRIMARY : KEEP;
        if (g < all && why[g] == PRIMARY)
            nprimary++;
    }
    if (nprimary != 1 || why[all] != KEEP)
        return;
    for (g = 0; g < all; g++)
        if (why[g] == KEEP && count[g] > 0 && (best == all || count[g] < count[best]))
            best = g;
    why[best] = SECONDARY;
}

int
sp_meter_distribution(const sp_meter_t *m, const sp_meter_batch_t *b,
                      const sp_meter_dist_opts_t *opts, sp_table_t **out, apr_pool_t *pool,
                      sp_error_t **err)
{
    sp_meter_dist_opts_t def = {5, 0};
    apr_hash_t *index = apr_hash_make(pool);
    apr_array_header_t *groups = apr_array_make(pool, 16, sizeof(const char *));
    size_t ng, g, i, k, r = 0, nres = b->nres, *count, *member;
    int *why;
    pair_t *pairs;
    const char *note[3], *listed[3] = {NULL, NULL, NULL};
    sp_table_t *t;

    if (opts == NULL)
        opts = &def;
    if (nres != sp_meter_nresources(m))
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0,
                            "meter distribution: the batch is not this meter's");
    for (i = 0; i < b->n; i++)
        if (apr_hash_get(index, b->neighbourhood[i], APR_HASH_KEY_STRING) == NULL) {
            apr_hash_set(index, b->neighbourhood[i], APR_HASH_KEY_STRING, "");
            APR_ARRAY_PUSH(groups, const char *) = b->neighbourhood[i];
        }
    qsort(groups->elts, (size_t)groups->nelts, sizeof(const char *), cmp_name);
    ng = (size_t)groups->nelts + 1;    /* + everyone */
    t = sp_table_create("consumption meter by neighbourhood", ng * nres, D_NCOLS, pool);
    if (t == NULL)
        return sp_error_set(err, pool, SP_EXIT_SOFTWARE, NULL, 0, 0, "meter distribution: too many cells");
    memcpy((void *)t->columns, dist_columns, sizeof dist_columns);
    /* Households per group first: the withheld set depends on all of them. */
    count = apr_pcalloc(pool, ng * sizeof *count);
    member = apr_palloc(pool, (b->n ? b->n : 1) * sizeof *member);
    for (g = 0; g + 1 < ng; g++) {
        size_t *gp = apr_palloc(pool, sizeof *gp);

        *gp = g;
        apr_hash_set(index, APR_ARRAY_IDX(groups, g, const char *), APR_HASH_KEY_STRING, gp);
    }
    for (i = 0; i < b->n; i++) {
        member[i] = *(const size_t *)apr_hash_get(index, b->neighbourhood[i], APR_HASH_KEY_STRING);
        count[member[i]]++;
    }
    count[ng - 1] = b->n;
    why = apr_pcalloc(pool, ng * sizeof *why);
    if (!opts->no_suppress)
        decide_withheld(count, ng, opts->min_cell, why);
    note[KEEP] = NULL;
    note[PRIMARY] = apr_psprintf(pool, "suppressed: fewer than %u households", opts->min_cell);
    note[SECONDARY] = why[ng - 1] == SECONDARY
                          ? "withheld so that a small group cannot be worked out from the others"
                          : "withheld so that a small group cannot be worked out from (all)";
    pairs = apr_palloc(pool, (b->n ? b->n : 1) * sizeof *pairs);
    for (g = 0; g < ng; g++) {
        const char *name = g + 1 < ng ? APR_ARRAY_IDX(groups, g, const char *) : NULL;
        const char *label = name == NULL ? "(all)" : *name ? name : "(none)";
        int withheld = why[g] != KEEP;
        const char *wnote = note[why[g]];

        if (withheld)
            listed[why[g]] = listed[why[g]] ? apr_pstrcat(pool, listed[why[g]], ", ", label, NULL)
                                            : label;
        for (k = 0; k < nres; k++, r++) {
            const sp_meter_resource_t *res = sp_meter_resource(m, k);
            double W = 0.0, S = 0.0, above = 0.0, hsum = 0.0;
            size_t n = 0;

            for (i = 0; i < b->n; i++) {
                double x, w;

                if (name != NULL && member[i] != g)
                    continue;
                x = b->total[i * nres + k];
                w = b->size[i];
                pairs[n].x = x;
                pairs[n].w = w;
                n++;
                W += w;
                S += w * x;
                hsum += b->household[i * nres + k];
                if (isfinite(res->limit) && x > res->limit)
                    above += w;
            }
            qsort(pairs, n, sizeof *pairs, cmp_pair);
            cell_text(t, r, D_GROUP, label);
            cell_text(t, r, D_RESOURCE, res->name);
            cell_text(t, r, D_UNIT, res->unit);
            cell_num(t, r, D_HOUSEHOLDS, (double)n, withheld, wnote);
            cell_num(t, r, D_PERSONS, W, withheld, wnote);
            cell_num(t, r, D_MEAN, W > 0 ? S / W : NAN, withheld, wnote);
            {
                double *xs = apr_palloc(pool, (n ? n : 1) * sizeof *xs);
                double *ws = apr_palloc(pool, (n ? n : 1) * sizeof *ws);

                for (i = 0; i < n; i++) {
                    xs[i] = pairs[i].x;
                    ws[i] = pairs[i].w;
                }
                cell_num(t, r, D_Q1, sp_meter_quantile(xs, ws, n, 0.25), withheld, wnote);
                cell_num(t, r, D_MEDIAN, sp_meter_quantile(xs, ws, n, 0.5), withheld, wnote);
                cell_num(t, r, D_Q3, sp_meter_quantile(xs, ws, n, 0.75), withheld, wnote);
            }
            /* the limit is the meter's, not the households' */
            cell_num(t, r, D_LIMIT, res->limit, 0, NULL);
            cell_num(t, r, D_ABOVE, W > 0 && isfinite(res->limit) ? above / W : NAN, withheld,
                     wnote);
            cell_num(t, r, D_HMEAN, n > 0 ? hsum / (double)n : NAN, withheld, wnote);
        }
    }
    t->not_for_publication = opts->no_suppress ? 1 : 0;
    t->note = apr_psprintf(pool, "meter %s; mean and quartiles: one person's yearly use with the"
                           " collective share, households weighted by their size",
                           sp_meter_code(m));
    /* The text and CSV forms show no cell notes: the table's says what is
     * withheld and why. */
    if (listed[PRIMARY] != NULL)
        t->note = apr_psprintf(pool, "%s; withheld, fewer than %u households: %s", t->note,
                               opts->min_cell, listed[PRIMARY]);
    if (listed[SECONDARY] != NULL)
        t->note = apr_psprintf(pool, "%s; %s: %s", t->note, note[SECONDARY], listed[SECONDARY]);
    *out = t;
    return SP_OK;
}
