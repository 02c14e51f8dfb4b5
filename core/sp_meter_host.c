/*
 * sp_meter_host.c -- what one run of the meter's Lua driver exchanges with
 * C (sp_meter_int.h): the internal submodule spiral.meter_host (next, put,
 * refuse, line, resource, question, info), the driver chunk itself and
 * the run that installs a host_t for it.
 *
 * One run per batch, evaluate() called once per household inside it, so
 * the meter module is loaded once.  The run's instruction and time budgets
 * grow with the number of households (BUDGET_* below); the memory limit
 * stays as it is, since a batch keeps nothing on the Lua side.  The
 * sources of households (next_fn) are sp_meter_one.c's and
 * sp_meter_batch.c's; this file only calls them.
 */
#include <math.h>
#include <apr_strings.h>
#include "config.h"
#include "sp_meter_int.h"

/* Extra budget per household on top of the engine's defaults: a household
 * takes 0.4 to 0.6 ms with the meter's savings (measured, docs/meter.md),
 * so 2 ms leaves a margin of three; 100,000 households run within the
 * instruction budget below. */
#define BUDGET_INSTRUCTIONS_PER_HOUSEHOLD 400000LL
#define BUDGET_HOUSEHOLDS_PER_SECOND 500LL

#define HOST_MODULE "meter_host"

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

int
sp_meter_run(sp_meter_t *m, host_t *h, const char *mode, const char *lang, long households,
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
sp_meter_host_register(sp_meter_t *m, sp_error_t **err)
{
    static const luaL_Reg fns[] = {
        {"next", l_host_next}, {"put", l_host_put}, {"refuse", l_host_refuse},
        {"line", l_host_line}, {"resource", l_host_resource},
        {"question", l_host_question}, {"info", l_host_info}, {NULL, NULL}
    };

    return sp_engine_register(m->eng, HOST_MODULE, fns, err);
}
