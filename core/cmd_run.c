/*
 * cmd_run.c -- `spiral run SCRIPT.lua`, `spiral check SCRIPT.lua` and
 * `spiral lua` (the REPL): the commands that hand scripts to the engine
 * (core/sp_engine.h) with the `spiral` module of core/lua/ installed.
 *
 * Script roots for `require` are those of sp_engine_script_roots, with
 * --territory-dir first.  A run is one
 * transaction on the workspace (the engine does it); the columnar copy of
 * the survey is brought up to date before, outside that transaction.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include "config.h"
#include "sp_cli.h"
#include "sp_colstore.h"
#include "sp_engine.h"
#include "lua/sp_lua.h"

int sp_cmd_run(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_check(sp_cli_t *cli, int argc, char **argv);
int sp_cmd_lua(sp_cli_t *cli, int argc, char **argv);

typedef struct run_opts_t {
    sp_limits_t limits;
    const char *input, *output, *territory;
} run_opts_t;

/* Parse the common options; returns the index of the first operand, or -1
 * after printing a usage error. */
static int
parse(sp_cli_t *cli, const char *command, int argc, char **argv, run_opts_t *o)
{
    static const struct option options[] = {
        {"limit", required_argument, NULL, 'L'},
        {"input", required_argument, NULL, 'i'},
        {"output", required_argument, NULL, 'o'},
        {"territory-dir", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0}
    };
    sp_error_t *err = NULL;
    int c;

    sp_limits_init(&o->limits);
    o->input = o->output = ".";
    o->territory = NULL;
    /* '+': options stop at the script; what follows is the script's. */
    while ((c = getopt_long(argc, argv, "+L:i:o:t:", options, NULL)) != -1) {
        switch (c) {
        case 'L':
            if (sp_limits_parse(&o->limits, optarg, cli->pool, &err) != SP_OK) {
                sp_cli_usage(cli, command, "%s", err->message);
                return -1;
            }
            break;
        case 'i': o->input = optarg; break;
        case 'o': o->output = optarg; break;
        case 't': o->territory = optarg; break;
        default:
            sp_cli_usage(cli, command, "unknown option");
            return -1;
        }
    }
    return optind;
}

/* Open the workspace when it exists (scripts may run without one). */
static int
open_store(sp_cli_t *cli, int refresh, sp_store_t **store, sp_error_t **err)
{
    int rc;

    *store = NULL;
    if (access(cli->db_path, F_OK) != 0)
        return SP_OK;
    if ((rc = sp_cli_open_store(cli, SP_STORE_NOCREATE, store, err)) != SP_OK)
        return rc;
    /* Scans refresh the columnar copy themselves, but not inside the
     * run's transaction: do it now. */
    if (refresh && (rc = sp_colstore_refresh(*store, NULL, cli->pool, err)) != SP_OK)
        return rc;
    return SP_OK;
}

static int
make_engine(sp_cli_t *cli, const run_opts_t *o, sp_store_t *store, sp_engine_t **eng,
            sp_error_t **err)
{
    sp_engine_config_t cfg;
    int rc;

    memset(&cfg, 0, sizeof cfg);
    cfg.limits = &o->limits;
    cfg.script_roots = sp_engine_script_roots(cli->pool, o->territory);
    cfg.input_dir = o->input;
    cfg.output_dir = o->output;
    cfg.store = store;
    if ((rc = sp_engine_create(eng, &cfg, cli->pool, err)) != SP_OK)
        return rc;
    return sp_lua_open_all(*eng, err);
}

int
sp_cmd_run(sp_cli_t *cli, int argc, char **argv)
{
    run_opts_t o;
    sp_store_t *store;
    sp_engine_t *eng;
    sp_error_t *err = NULL;
    int first = parse(cli, "run", argc, argv, &o), rc;

    if (first < 0)
        return SP_EXIT_USAGE;
    if (first >= argc)
        return sp_cli_usage(cli, "run", "name a script");
    if ((rc = open_store(cli, 1, &store, &err)) != SP_OK
        || (rc = make_engine(cli, &o, store, &eng, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    rc = sp_engine_run_file(eng, argv[first], argc - first - 1,
                            (const char **)argv + first + 1, &err);
    fflush(stdout);
    return rc == SP_OK ? SP_OK : sp_cli_fail(cli, err);
}

int
sp_cmd_check(sp_cli_t *cli, int argc, char **argv)
{
    run_opts_t o;
    sp_store_t *store;
    sp_engine_t *eng;
    sp_error_t *err = NULL;
    const char *const *mistakes;
    size_t n, i;
    int first = parse(cli, "check", argc, argv, &o), rc;

    if (first < 0)
        return SP_EXIT_USAGE;
    if (first >= argc)
        return sp_cli_usage(cli, "check", "name a script");
    if ((rc = open_store(cli, 0, &store, &err)) != SP_OK
        || (rc = make_engine(cli, &o, store, &eng, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    sp_lua_set_check(eng, 1);
    rc = sp_engine_run_file(eng, argv[first], argc - first - 1,
                            (const char **)argv + first + 1, &err);
    fflush(stdout);
    mistakes = sp_lua_check_errors(eng, &n);
    for (i = 0; i < n; i++)
        fprintf(stderr, "%s\n", mistakes[i]);
    if (rc != SP_OK)
        return sp_cli_fail(cli, err);
    if (n > 0) {
        fprintf(stderr, "%s: %ld mistake%s\n", argv[first], (long)n, n > 1 ? "s" : "");
        return SP_EXIT_DATA;
    }
    if (!cli->quiet)
        printf("%s: ok\n", argv[first]);
    return SP_OK;
}

/* ---- the REPL ------------------------------------------------------------ */

static int repl_incomplete;
static const char K_REPL_ENV = 'E';

/* spiral.repl.eval(run_env, code): run code in the persistent environment
 * and print its results.  An unfinished chunk sets repl_incomplete. */
static int
l_repl_eval(lua_State *L)
{
    size_t len;
    const char *code;
    int base, n, i;

    luaL_checktype(L, 1, LUA_TTABLE);
    code = luaL_checklstring(L, 2, &len);
    lua_settop(L, 2);
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &K_REPL_ENV) != LUA_TTABLE) {   /* env */
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &K_REPL_ENV);
    }
    lua_createtable(L, 0, 1);                           /* env, mt */
    lua_pushvalue(L, 1);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);                            /* env */
    lua_pushfstring(L, "return %s", code);
    if (luaL_loadbufferx(L, lua_tostring(L, -1), lua_rawlen(L, -1), "=stdin", "t") != LUA_OK) {
        lua_pop(L, 2);                                  /* env */
        if (luaL_loadbufferx(L, code, len, "=stdin", "t") != LUA_OK) {
            const char *msg = lua_tostring(L, -1);
            size_t ml = msg ? strlen(msg) : 0;

            if (ml >= 5 && strcmp(msg + ml - 5, "<eof>") == 0) {
                repl_incomplete = 1;
                return 0;
            }
            return lua_error(L);
        }
    } else {
        lua_remove(L, -2);                              /* env, fn */
    }
    lua_pushvalue(L, 3);
    lua_setupvalue(L, -2, 1);                           /* _ENV = env */
    base = lua_gettop(L) - 1;
    lua_call(L, 0, LUA_MULTRET);
    n = lua_gettop(L) - base;
    for (i = 1; i <= n; i++) {
        lua_getfield(L, 1, "print");                    /* the run's print */
        sp_lua_out_format(L, base + i);
        lua_call(L, 1, 0);
    }
    return 0;
}

static const luaL_Reg repl_fns[] = {
    {"eval", l_repl_eval},
    {NULL, NULL}
};

int
sp_cmd_lua(sp_cli_t *cli, int argc, char **argv)
{
    static const char driver[] = "return require('spiral').repl.eval(_ENV, ...)";
    run_opts_t o;
    sp_store_t *store;
    sp_engine_t *eng;
    sp_error_t *err = NULL;
    char line[8192];
    char *chunk = NULL;
    size_t clen = 0;
    int first = parse(cli, "lua", argc, argv, &o), rc, tty = isatty(0), last = SP_OK;

    if (first < 0)
        return SP_EXIT_USAGE;
    if (first < argc)
        return sp_cli_usage(cli, "lua", "unexpected argument '%s'", argv[first]);
    if ((rc = open_store(cli, 1, &store, &err)) != SP_OK
        || (rc = make_engine(cli, &o, store, &eng, &err)) != SP_OK
        || (rc = sp_engine_register(eng, "repl", repl_fns, &err)) != SP_OK)
        return sp_cli_fail(cli, err);
    if (tty)
        printf("spiral %s -- Lua; locals do not survive a line, globals do\n",
               PACKAGE_VERSION);
    for (;;) {
        const char *args[1];
        size_t ll;

        if (tty) {
            fputs(clen ? ">> " : "> ", stdout);
            fflush(stdout);
        }
        if (fgets(line, sizeof line, stdin) == NULL)
            break;
        ll = strlen(line);
        chunk = realloc(chunk, clen + ll + 1);
        if (chunk == NULL)
            return SP_EXIT_SOFTWARE;
        memcpy(chunk + clen, line, ll + 1);
        clen += ll;
        if (strspn(chunk, " \t\r\n") == clen) {
            clen = 0;
            continue;
        }
        args[0] = apr_pstrdup(cli->pool, chunk);
        repl_incomplete = 0;
        rc = sp_engine_run_string(eng, driver, (size_t)-1, "=repl", 1, args, &err);
        fflush(stdout);
        if (rc == SP_OK && repl_incomplete)
            continue;
        clen = 0;
        if (rc != SP_OK)
            sp_cli_fail(cli, err);
        last = rc;
    }
    free(chunk);
    if (clen > 0)
        fprintf(stderr, "stdin: unfinished chunk at the end of the input\n");
    if (tty)
        putchar('\n');
    return last == SP_OK || tty ? SP_OK : last;
}
