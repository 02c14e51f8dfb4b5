/*
 * test_engine.c -- the Lua engine and its sandbox (core/sp_engine*.c).
 *
 * Every hostile script in tests/lua/hostile/ is run through
 * sp_engine_run_file and must end with SP_EXIT_SCRIPT, a message naming
 * what stopped it and the line it names in its own header comment; after
 * each, tests/lua/ok/check_pristine.lua must find the sandbox untouched.
 * The well-behaved scripts of tests/lua/ok/ must succeed.  Scripts are
 * found under $SRCDIR (set by `make check`), else relative to this file.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "sp_engine.h"

#define TEST_MEMORY (32LL << 20)
#define TEST_INSTRUCTIONS 2000000LL

typedef struct fixture {
    apr_pool_t *pool;
    sp_engine_t *eng;
    const char *srcdir;
    char tmp[64];               /* a scratch folder, removed at teardown */
    char out[16384];            /* what print wrote */
    size_t outlen;
} fixture;

static void
capture(void *baton, const char *data, size_t len)
{
    fixture *f = baton;

    if (len > sizeof f->out - 1 - f->outlen)
        len = sizeof f->out - 1 - f->outlen;
    memcpy(f->out + f->outlen, data, len);
    f->outlen += len;
    f->out[f->outlen] = '\0';
}

static const char *
find_srcdir(apr_pool_t *pool)
{
    const char *env = getenv("SRCDIR");
    const char *file = __FILE__;
    const char *end = strstr(file, "tests/unit/test_engine.c");

    if (env != NULL && *env != '\0')
        return env;
    if (end == NULL || end == file)
        return ".";
    return apr_pstrndup(pool, file, (apr_size_t)(end - file - 1));
}

static const char *
script(fixture *f, const char *kind, const char *name)
{
    return apr_psprintf(f->pool, "%s/tests/lua/%s/%s", f->srcdir, kind, name);
}

static sp_engine_t *
make_engine(fixture *f, const char *const *roots, const char *in,
            const char *out, sp_store_t *store)
{
    sp_engine_config_t cfg = {0};
    sp_limits_t limits;
    sp_engine_t *eng = NULL;
    sp_error_t *err = NULL;

    sp_limits_init(&limits);
    limits.value[SP_LIMIT_MEMORY] = TEST_MEMORY;
    limits.value[SP_LIMIT_INSTRUCTIONS] = TEST_INSTRUCTIONS;
    limits.value[SP_LIMIT_SECONDS] = 60;
    cfg.limits = &limits;
    cfg.script_roots = roots;
    cfg.input_dir = in;
    cfg.output_dir = out;
    cfg.store = store;
    cfg.output = capture;
    cfg.output_baton = f;
    assert_int_equal(sp_engine_create(&eng, &cfg, f->pool, &err), SP_OK);
    return eng;
}

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    const char **roots;

    apr_pool_create(&f->pool, NULL);
    f->srcdir = find_srcdir(f->pool);
    strcpy(f->tmp, "/tmp/test_engine.XXXXXX");
    assert_non_null(mkdtemp(f->tmp));
    roots = apr_pcalloc(f->pool, 2 * sizeof *roots);
    roots[0] = apr_pstrcat(f->pool, f->srcdir, "/tests/lua/ok", NULL);
    f->eng = make_engine(f, roots, NULL, NULL, NULL);
    *state = f;
    return 0;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

static int
teardown(void **state)
{
    fixture *f = *state;

    apr_pool_destroy(f->pool);
    nftw(f->tmp, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* Run a hostile script and check status, message and line; then check
 * that the next run finds the sandbox untouched. */
static void
expect_stop(fixture *f, const char *name, const char *text, long line)
{
    sp_error_t *err = NULL;
    const char *path = script(f, "hostile", name);
    char buf[32];
    const char *memory = buf;
    int status;

    snprintf(buf, sizeof buf, "%lld",
             sp_engine_limits(f->eng)->value[SP_LIMIT_MEMORY]);
    status = sp_engine_run_file(f->eng, path, 0, NULL, &err);

    if (status != SP_EXIT_SCRIPT || err == NULL
        || strstr(err->message, text) == NULL || err->line != line)
        print_error("%s: status %d, line %ld, message: %s\n", name, status,
                    err ? err->line : -1, err ? err->message : "(none)");
    assert_int_equal(status, SP_EXIT_SCRIPT);
    assert_non_null(err);
    assert_non_null(strstr(err->message, text));
    assert_non_null(strstr(err->message, "stack traceback:"));
    assert_int_equal(err->line, line);
    assert_string_equal(err->file, path);
    assert_null(strstr(f->out, "escaped"));

    f->outlen = 0;
    f->out[0] = '\0';
    err = NULL;
    status = sp_engine_run_file(f->eng, script(f, "ok", "check_pristine.lua"),
                                1, &memory, &err);
    if (status != SP_OK)
        print_error("after %s: %s\n", name, err ? err->message : "?");
    assert_int_equal(status, SP_OK);
    assert_string_equal(f->out, "pristine\n");
}

static int
run_ok(fixture *f, const char *name, int argc, const char **argv)
{
    sp_error_t *err = NULL;
    int status;

    f->outlen = 0;
    f->out[0] = '\0';
    status = sp_engine_run_file(f->eng, script(f, "ok", name), argc, argv,
                                &err);
    if (status != SP_OK)
        print_error("%s: %s\n", name, err ? err->message : "?");
    return status;
}

/* ---------------------------------------------------------------------- */
/* Instruction budget and time limit */

static void
an_infinite_loop_is_stopped_by_the_instruction_budget(void **state)
{
    expect_stop(*state, "infinite_loop.lua", "instruction budget exceeded", 3);
}

static void
a_loop_inside_pcall_cannot_swallow_the_stop(void **state)
{
    expect_stop(*state, "loop_in_pcall.lua", "instruction budget exceeded", 3);
}

static void
catching_the_stop_and_looping_again_does_not_help(void **state)
{
    fixture *f = *state;

    expect_stop(f, "pcall_catch_continue.lua", "instruction budget exceeded",
                4);
}

static void
an_xpcall_handler_cannot_swallow_the_stop(void **state)
{
    expect_stop(*state, "xpcall_swallow.lua", "instruction budget exceeded", 3);
}

static void
a_coroutine_cannot_hide_a_loop_from_the_hook(void **state)
{
    expect_stop(*state, "coroutine_loop.lua", "instruction budget exceeded", 3);
}

static void
the_time_limit_stops_a_loop_when_the_budget_is_unlimited(void **state)
{
    fixture *f = *state;

    sp_engine_limits(f->eng)->value[SP_LIMIT_INSTRUCTIONS] = 0;
    sp_engine_limits(f->eng)->value[SP_LIMIT_SECONDS] = 1;
    expect_stop(f, "infinite_loop.lua", "time limit exceeded (1 s)", 3);
}

static void
the_time_limit_can_be_changed_between_runs(void **state)
{
    fixture *f = *state;
    const char *secs[] = {"1.3"};
    sp_error_t *err = NULL;

    sp_engine_limits(f->eng)->value[SP_LIMIT_INSTRUCTIONS] = 0;
    sp_engine_limits(f->eng)->value[SP_LIMIT_SECONDS] = 1;
    assert_int_equal(sp_engine_run_file(f->eng,
                                        script(f, "ok", "busy_wait.lua"), 1,
                                        secs, &err), SP_EXIT_SCRIPT);
    assert_non_null(strstr(err->message, "time limit exceeded (1 s)"));
    sp_engine_limits(f->eng)->value[SP_LIMIT_SECONDS] = 30;
    assert_int_equal(run_ok(f, "busy_wait.lua", 1, secs), SP_OK);
    assert_string_equal(f->out, "done\n");
}

/* ---------------------------------------------------------------------- */
/* Memory */

static void
a_doubling_string_is_stopped_by_the_memory_cap(void **state)
{
    fixture *f = *state;

    expect_stop(f, "memory_string.lua", "memory limit exceeded (33554432 bytes)",
                3);
    /* Everything the bomb held is released. */
    assert_true(sp_engine_memory(f->eng) < (1u << 20));
}

static void
a_growing_table_is_stopped_by_the_memory_cap(void **state)
{
    fixture *f = *state;

    sp_engine_limits(f->eng)->value[SP_LIMIT_INSTRUCTIONS] = 0;
    expect_stop(f, "memory_table.lua", "memory limit exceeded", 4);
    assert_true(sp_engine_memory(f->eng) < (1u << 20));
}

static void
catching_out_of_memory_does_not_hide_the_cap(void **state)
{
    fixture *f = *state;

    /* Without the sticky stop the script would print "escaped". */
    sp_engine_limits(f->eng)->value[SP_LIMIT_INSTRUCTIONS] = 0;
    sp_engine_limits(f->eng)->value[SP_LIMIT_SECONDS] = 5;
    expect_stop(f, "memory_pcall.lua", "memory limit exceeded", 5);
}

static void
a_script_under_the_cap_is_not_stopped(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;
    /* At each turn the old string, string.rep's buffer and the new string
     * (4.5 MB) are live, and the garbage of earlier turns the collector has
     * not reached yet does not fit beside them under 6 MiB: the allocator
     * refuses, Lua collects in an emergency and retries, and that retry
     * must not count as hitting the limit. */
    const char *code =
        "local keep\n"
        "for i = 1, 40 do keep = string.rep('x', 1500000 + i) end\n"
        "print(#keep)\n";

    sp_engine_limits(f->eng)->value[SP_LIMIT_MEMORY] = 6 << 20;
    assert_int_equal(sp_engine_run_string(f->eng, code, (size_t)-1, "=churn",
                                          0, NULL, &err), SP_OK);
    assert_string_equal(f->out, "1500040\n");
}

/* ---------------------------------------------------------------------- */
/* Stacks */

static void
deep_lua_recursion_is_a_stack_overflow(void **state)
{
    fixture *f = *state;

    sp_engine_limits(f->eng)->value[SP_LIMIT_MEMORY] = 256LL << 20;
    sp_engine_limits(f->eng)->value[SP_LIMIT_INSTRUCTIONS] = 0;
    expect_stop(f, "deep_recursion.lua", "stack overflow", 3);
}

static void
a_deeply_recursive_pattern_is_refused(void **state)
{
    expect_stop(*state, "c_stack_pattern.lua", "pattern too complex", 3);
}

static void
metamethod_recursion_hits_the_c_stack_guard(void **state)
{
    expect_stop(*state, "c_stack_metamethod.lua", "stack overflow", 3);
}

/* ---------------------------------------------------------------------- */
/* What is not there */

static void
os_execute_is_not_available(void **state)
{
    expect_stop(*state, "os_execute.lua",
                "attempt to call a nil value (field 'execute')", 2);
    assert_int_equal(access("/tmp/spiral-pwned", F_OK), -1);
}

static void
io_is_not_available(void **state)
{
    expect_stop(*state, "io_open.lua",
                "attempt to index a nil value (global 'io')", 2);
}

static void
debug_is_not_available(void **state)
{
    expect_stop(*state, "debug_sethook.lua",
                "attempt to index a nil value (global 'debug')", 2);
}

static void
load_refuses_a_binary_chunk(void **state)
{
    expect_stop(*state, "load_bytecode.lua", "binary (precompiled) chunks are "
                "not allowed", 3);
}

static void
load_refuses_a_binary_chunk_from_a_reader(void **state)
{
    expect_stop(*state, "load_bytecode_reader.lua",
                "attempt to load a binary chunk (mode is 't')", 6);
}

static void
string_dump_is_not_available_even_through_strings(void **state)
{
    expect_stop(*state, "string_dump.lua",
                "attempt to call a nil value (field 'dump')", 4);
}

static void
collectgarbage_stop_is_refused(void **state)
{
    expect_stop(*state, "collectgarbage_stop.lua",
                "option 'stop' is not allowed", 2);
}

static void
collector_tuning_options_are_refused(void **state)
{
    fixture *f = *state;
    static const char *const opts[] = {"incremental", "generational",
                                       "setpause", "setstepmul", "restart"};
    size_t i;

    for (i = 0; i < sizeof opts / sizeof *opts; i++) {
        sp_error_t *err = NULL;
        const char *code = apr_psprintf(f->pool, "\ncollectgarbage('%s', 1)",
                                        opts[i]);

        assert_int_equal(sp_engine_run_string(f->eng, code, (size_t)-1,
                                              "=gc", 0, NULL, &err),
                         SP_EXIT_SCRIPT);
        assert_non_null(strstr(err->message, "is not allowed"));
        assert_string_equal(err->file, "gc");
        assert_int_equal(err->line, 2);
    }
}

static void
finalizers_are_refused(void **state)
{
    expect_stop(*state, "gc_finalizer.lua",
                "__gc metamethods are not allowed", 3);
}

static void
the_globals_are_exactly_the_allow_list(void **state)
{
    fixture *f = *state;

    assert_int_equal(run_ok(f, "sandbox_surface.lua", 0, NULL), SP_OK);
    assert_string_equal(f->out, "allow-list holds\n");
}

static void
everyday_lua_still_works_in_the_sandbox(void **state)
{
    fixture *f = *state;

    assert_int_equal(run_ok(f, "everyday.lua", 0, NULL), SP_OK);
    assert_string_equal(f->out, "everyday ok\n");
}

/* ---------------------------------------------------------------------- */
/* Tampering */

static void
the_spiral_module_is_read_only(void **state)
{
    expect_stop(*state, "tamper_module_field.lua",
                "spiral module is read-only", 3);
}

static void
spiral_limits_is_read_only(void **state)
{
    expect_stop(*state, "tamper_limits.lua", "spiral module is read-only", 2);
}

static void
rawset_on_a_module_proxy_is_refused(void **state)
{
    expect_stop(*state, "tamper_rawset.lua", "rawset: the table is read-only",
                2);
}

static void
setmetatable_on_a_module_proxy_is_refused(void **state)
{
    expect_stop(*state, "tamper_setmetatable.lua",
                "cannot change a protected metatable", 2);
}

static void
getmetatable_does_not_reveal_a_module_metatable(void **state)
{
    expect_stop(*state, "tamper_getmetatable.lua",
                "attempt to index a nil value (field '__index')", 2);
}

static void
pairs_on_a_proxy_does_not_reveal_the_real_table(void **state)
{
    expect_stop(*state, "tamper_pairs.lua", "spiral module is read-only", 4);
}

static void
iterating_a_proxy_reads_but_cannot_write(void **state)
{
    expect_stop(*state, "tamper_next.lua", "rawset: the table is read-only",
                10);
}

static void
the_string_metatable_is_read_only(void **state)
{
    expect_stop(*state, "tamper_string_metatable.lua",
                "the string metatable is read-only", 2);
}

static void
rawset_on_the_string_metatable_is_refused(void **state)
{
    expect_stop(*state, "tamper_string_rawset.lua",
                "rawset: the table is read-only", 2);
}

static void
strings_cannot_be_given_fields(void **state)
{
    expect_stop(*state, "tamper_string_index.lua",
                "attempt to index a string value", 2);
}

static void
changes_to_library_tables_do_not_reach_the_next_run(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;
    char buf[32];
    const char *memory = buf;

    snprintf(buf, sizeof buf, "%lld", TEST_MEMORY);

    assert_int_equal(sp_engine_run_file(f->eng,
                                        script(f, "hostile", "leak_globals.lua"),
                                        0, NULL, &err), SP_OK);
    assert_int_equal(run_ok(f, "check_pristine.lua", 1, &memory), SP_OK);
    assert_string_equal(f->out, "pristine\n");
}

/* ---------------------------------------------------------------------- */
/* require */

static void
require_refuses_a_path(void **state)
{
    expect_stop(*state, "require_traversal.lua", "invalid module name", 2);
}

static void
require_does_not_look_outside_the_roots(void **state)
{
    expect_stop(*state, "require_outside.lua",
                "module 'outside_module' not found in the script roots", 2);
}

static void
require_refuses_a_symbolic_link_leading_outside_the_roots(void **state)
{
    fixture *f = *state;
    const char *roots[] = {f->tmp, NULL};
    const char *link = apr_pstrcat(f->pool, f->tmp, "/escape.lua", NULL);
    sp_engine_t *eng;
    sp_error_t *err = NULL;

    assert_int_equal(symlink(script(f, "hostile", "outside_module.lua"), link),
                     0);
    eng = make_engine(f, roots, NULL, NULL, NULL);
    assert_int_equal(sp_engine_run_string(eng, "return require 'escape'",
                                          (size_t)-1, "=t", 0, NULL, &err),
                     SP_EXIT_SCRIPT);
    assert_non_null(strstr(err->message, "leads outside them"));
    assert_null(strstr(err->message, "was loaded"));
}

static void
require_loads_a_module_from_a_root(void **state)
{
    fixture *f = *state;

    assert_int_equal(run_ok(f, "require_module.lua", 0, NULL), SP_OK);
    assert_string_equal(f->out, "hello, Mulhouse\n");
}

static void
require_maps_dots_to_folders(void **state)
{
    fixture *f = *state;
    const char *roots[] = {"/nonexistent/root",
                           apr_pstrcat(f->pool, f->srcdir, "/tests/lua", NULL),
                           NULL};
    sp_engine_t *eng = make_engine(f, roots, NULL, NULL, NULL);
    sp_error_t *err = NULL;

    f->outlen = 0;
    assert_int_equal(sp_engine_run_string(eng,
                                          "print(require('ok.greet_lib').hello('Gdansk'))",
                                          (size_t)-1, "=t", 0, NULL, &err),
                     SP_OK);
    assert_string_equal(f->out, "hello, Gdansk\n");
}

/* ---------------------------------------------------------------------- */
/* Running */

static void
arguments_reach_the_script(void **state)
{
    fixture *f = *state;
    const char *argv[] = {"first", "second"};

    assert_int_equal(run_ok(f, "args.lua", 2, argv), SP_OK);
    assert_string_equal(f->out, "first\tsecond\n");
}

static void
scripts_read_their_limits(void **state)
{
    fixture *f = *state;

    sp_engine_limits(f->eng)->value[SP_LIMIT_ROWS] = 1234;
    assert_int_equal(run_ok(f, "limits.lua", 0, NULL), SP_OK);
    assert_string_equal(f->out, "33554432\t2000000\t60\t1234\t1000000\n");
}

static void
a_syntax_error_names_its_line(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;
    const char *path = script(f, "hostile", "syntax_error.lua");

    assert_int_equal(sp_engine_run_file(f->eng, path, 0, NULL, &err),
                     SP_EXIT_SCRIPT);
    assert_int_equal(err->line, 3);
    assert_string_equal(err->file, path);
    assert_non_null(strstr(err->message, "unexpected symbol near '='"));
}

static void
an_error_object_that_is_not_a_string_is_described(void **state)
{
    expect_stop(*state, "error_table.lua", "(error object is a table value)", 2);
}

static void
a_missing_script_is_no_input(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;

    assert_int_equal(sp_engine_run_file(f->eng, "/nonexistent/x.lua", 0, NULL,
                                        &err), SP_EXIT_NOINPUT);
    assert_non_null(strstr(err->message, "cannot open"));
}

static void
the_message_starts_with_the_bare_error_and_holds_a_traceback(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;
    const char *code = "local function inner()\n  error('boom')\nend\n"
                       "local function outer() inner() end\nouter()\n";

    assert_int_equal(sp_engine_run_string(f->eng, code, (size_t)-1, "=demo", 0,
                                          NULL, &err), SP_EXIT_SCRIPT);
    assert_string_equal(err->file, "demo");
    assert_int_equal(err->line, 2);
    assert_memory_equal(err->message, "boom\nstack traceback:", 21);
    assert_non_null(strstr(err->message, "in upvalue 'inner'"));
}

static int
l_twice(lua_State *L)
{
    lua_pushinteger(L, 2 * luaL_checkinteger(L, 1));
    return 1;
}

static void
registered_functions_are_reachable_and_read_only(void **state)
{
    fixture *f = *state;
    static const luaL_Reg fns[] = {{"twice", l_twice}, {NULL, NULL}};
    sp_error_t *err = NULL;

    assert_int_equal(sp_engine_register(f->eng, "demo", fns, &err), SP_OK);
    assert_int_equal(sp_engine_register(f->eng, "bad.name", fns, &err),
                     SP_EXIT_USAGE);
    assert_int_equal(sp_engine_run_string(f->eng,
        "local s = require 'spiral'\n"
        "assert(s.demo.twice(21) == 42)\n"
        "assert(require('spiral.demo') == s.demo)\n"
        "print('registered')\n", (size_t)-1, "=reg", 0, NULL, &err), SP_OK);
    assert_string_equal(f->out, "registered\n");
    assert_int_equal(sp_engine_run_string(f->eng,
        "local s = require 'spiral'\ns.demo.twice = print\n", (size_t)-1,
        "=reg", 0, NULL, &err), SP_EXIT_SCRIPT);
    assert_non_null(strstr(err->message, "spiral module is read-only"));
    assert_int_equal(err->line, 2);
}

static int
l_insert(lua_State *L)
{
    sp_engine_t *eng = sp_engine_from_lua(L);
    sp_error_t *err = NULL;
    const char *sql = lua_pushfstring(L, "INSERT INTO t VALUES (%d)",
                                      (int)luaL_checkinteger(L, 1));

    if (sp_store_exec(sp_engine_store(eng), sql, sp_engine_run_pool(eng), &err)
        != SP_OK)
        return luaL_error(L, "%s", err->message);
    return 0;
}

static int
count_rows(sp_store_t *store)
{
    sqlite3_stmt *stmt;
    int n = -1;

    assert_int_equal(sqlite3_prepare_v2(store->db, "SELECT count(*) FROM t",
                                        -1, &stmt, NULL), SQLITE_OK);
    if (sqlite3_step(stmt) == SQLITE_ROW)
        n = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return n;
}

static void
a_run_is_one_transaction(void **state)
{
    fixture *f = *state;
    static const luaL_Reg fns[] = {{"insert", l_insert}, {NULL, NULL}};
    sp_store_t *store = NULL;
    sp_engine_t *eng;
    sp_error_t *err = NULL;

    assert_int_equal(sp_store_open(&store,
                                   apr_pstrcat(f->pool, f->tmp, "/ws.db", NULL),
                                   0, f->pool, &err), SP_OK);
    assert_int_equal(sp_store_exec(store, "CREATE TABLE t (x INTEGER)",
                                   f->pool, &err), SP_OK);
    eng = make_engine(f, NULL, NULL, NULL, store);
    assert_int_equal(sp_engine_register(eng, "db", fns, &err), SP_OK);

    assert_int_equal(sp_engine_run_string(eng,
        "local db = require('spiral').db\ndb.insert(1)\ndb.insert(2)\n",
        (size_t)-1, "=ok", 0, NULL, &err), SP_OK);
    assert_int_equal(count_rows(store), 2);
    /* An error after the inserts: the database is left as it was. */
    assert_int_equal(sp_engine_run_string(eng,
        "local db = require('spiral').db\ndb.insert(3)\nerror('late')\n",
        (size_t)-1, "=late", 0, NULL, &err), SP_EXIT_SCRIPT);
    assert_int_equal(count_rows(store), 2);
    /* So is a limit caught by the script. */
    assert_int_equal(sp_engine_run_string(eng,
        "local db = require('spiral').db\ndb.insert(4)\n"
        "pcall(function() while true do end end)\n",
        (size_t)-1, "=loop", 0, NULL, &err), SP_EXIT_SCRIPT);
    assert_int_equal(count_rows(store), 2);
    assert_int_equal(sqlite3_get_autocommit(store->db), 1);
}

/* ---------------------------------------------------------------------- */
/* Paths */

static void
make_file(const char *path)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs("x\n", fp);
    fclose(fp);
}

static void
resolve_path_keeps_names_inside_the_workspace(void **state)
{
    fixture *f = *state;
    const char *in = apr_pstrcat(f->pool, f->tmp, "/in", NULL);
    const char *out = apr_pstrcat(f->pool, f->tmp, "/out", NULL);
    const char *outside = apr_pstrcat(f->pool, f->tmp, "/secret.txt", NULL);
    sp_engine_t *eng;
    sp_error_t *err = NULL;
    const char *p = NULL;

    assert_int_equal(mkdir(in, 0700), 0);
    assert_int_equal(mkdir(out, 0700), 0);
    assert_int_equal(mkdir(apr_pstrcat(f->pool, in, "/sub", NULL), 0700), 0);
    make_file(apr_pstrcat(f->pool, in, "/data.csv", NULL));
    make_file(apr_pstrcat(f->pool, in, "/sub/more.csv", NULL));
    make_file(outside);
    assert_int_equal(symlink(outside, apr_pstrcat(f->pool, in, "/escape.csv",
                                                  NULL)), 0);
    assert_int_equal(symlink(outside, apr_pstrcat(f->pool, out, "/escape.csv",
                                                  NULL)), 0);
    assert_int_equal(symlink(apr_pstrcat(f->pool, f->tmp, "/nowhere", NULL),
                             apr_pstrcat(f->pool, out, "/dangling.csv", NULL)),
                     0);
    assert_int_equal(symlink(f->tmp, apr_pstrcat(f->pool, in, "/up", NULL)), 0);
    eng = make_engine(f, NULL, in, out, NULL);

    assert_int_equal(sp_engine_resolve_path(eng, "data.csv", 0, f->pool, &p,
                                            &err), SP_OK);
    assert_string_equal(p, apr_pstrcat(f->pool, in, "/data.csv", NULL));
    assert_int_equal(sp_engine_resolve_path(eng, "sub/more.csv", 0, f->pool,
                                            &p, &err), SP_OK);
    assert_int_equal(sp_engine_resolve_path(eng, "report.xlsx", 1, f->pool, &p,
                                            &err), SP_OK);
    assert_string_equal(p, apr_pstrcat(f->pool, out, "/report.xlsx", NULL));

    assert_int_equal(sp_engine_resolve_path(eng, "/etc/passwd", 0, f->pool,
                                            &p, &err), SP_EXIT_NOINPUT);
    assert_non_null(strstr(err->message, "absolute"));
    assert_int_equal(sp_engine_resolve_path(eng, "../secret.txt", 0, f->pool,
                                            &p, &err), SP_EXIT_NOINPUT);
    assert_non_null(strstr(err->message, "'..'"));
    assert_int_equal(sp_engine_resolve_path(eng, "sub/../../secret.txt", 0,
                                            f->pool, &p, &err),
                     SP_EXIT_NOINPUT);
    assert_int_equal(sp_engine_resolve_path(eng, "escape.csv", 0, f->pool, &p,
                                            &err), SP_EXIT_NOINPUT);
    assert_non_null(strstr(err->message, "outside"));
    assert_int_equal(sp_engine_resolve_path(eng, "up/secret.txt", 0, f->pool,
                                            &p, &err), SP_EXIT_NOINPUT);
    assert_int_equal(sp_engine_resolve_path(eng, "missing.csv", 0, f->pool, &p,
                                            &err), SP_EXIT_NOINPUT);
    assert_int_equal(sp_engine_resolve_path(eng, "", 0, f->pool, &p, &err),
                     SP_EXIT_NOINPUT);

    assert_int_equal(sp_engine_resolve_path(eng, "escape.csv", 1, f->pool, &p,
                                            &err), SP_EXIT_CANTCREAT);
    assert_int_equal(sp_engine_resolve_path(eng, "dangling.csv", 1, f->pool,
                                            &p, &err), SP_EXIT_CANTCREAT);
    assert_int_equal(sp_engine_resolve_path(eng, "nofolder/x.csv", 1, f->pool,
                                            &p, &err), SP_EXIT_CANTCREAT);
    assert_int_equal(sp_engine_resolve_path(eng, "/tmp/x.csv", 1, f->pool, &p,
                                            &err), SP_EXIT_CANTCREAT);
    /* Without a workspace folder nothing resolves. */
    assert_int_equal(sp_engine_resolve_path(f->eng, "data.csv", 0, f->pool,
                                            &p, &err), SP_EXIT_NOINPUT);
}

/* ---------------------------------------------------------------------- */
/* The limits table */

static void
limits_parse_names_values_and_suffixes(void **state)
{
    fixture *f = *state;
    sp_limits_t limits;
    sp_error_t *err = NULL;

    sp_limits_init(&limits);
    assert_int_equal(limits.value[SP_LIMIT_SECONDS], sp_limit_default(SP_LIMIT_SECONDS));
    assert_int_equal(sp_limit_find("cells"), SP_LIMIT_CELLS);
    assert_int_equal(sp_limit_find("nope"), -1);
    assert_string_equal(sp_limit_name(SP_LIMIT_MEMORY), "memory");
    assert_non_null(sp_limit_doc(SP_LIMIT_ROWS));
    assert_int_equal(sp_limits_parse(&limits, "memory=64M", f->pool, &err), SP_OK);
    assert_int_equal(limits.value[SP_LIMIT_MEMORY], 64LL << 20);
    assert_int_equal(sp_limits_parse(&limits, "seconds=0", f->pool, &err), SP_OK);
    assert_int_equal(limits.value[SP_LIMIT_SECONDS], 0);
    assert_int_equal(sp_limits_parse(&limits, "seconds=-1", f->pool, &err),
                     SP_EXIT_USAGE);
    assert_int_equal(sp_limits_parse(&limits, "seconds=5x", f->pool, &err),
                     SP_EXIT_USAGE);
    assert_int_equal(sp_limits_parse(&limits, "speed=5", f->pool, &err),
                     SP_EXIT_USAGE);
    assert_int_equal(sp_limits_parse(&limits, "memory", f->pool, &err),
                     SP_EXIT_USAGE);
    assert_int_equal(sp_limits_parse(&limits, "memory=99999999999G", f->pool,
                                     &err), SP_EXIT_USAGE);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(an_infinite_loop_is_stopped_by_the_instruction_budget),
        T(a_loop_inside_pcall_cannot_swallow_the_stop),
        T(catching_the_stop_and_looping_again_does_not_help),
        T(an_xpcall_handler_cannot_swallow_the_stop),
        T(a_coroutine_cannot_hide_a_loop_from_the_hook),
        T(the_time_limit_stops_a_loop_when_the_budget_is_unlimited),
        T(the_time_limit_can_be_changed_between_runs),
        T(a_doubling_string_is_stopped_by_the_memory_cap),
        T(a_growing_table_is_stopped_by_the_memory_cap),
        T(catching_out_of_memory_does_not_hide_the_cap),
        T(a_script_under_the_cap_is_not_stopped),
        T(deep_lua_recursion_is_a_stack_overflow),
        T(a_deeply_recursive_pattern_is_refused),
        T(metamethod_recursion_hits_the_c_stack_guard),
        T(os_execute_is_not_available),
        T(io_is_not_available),
        T(debug_is_not_available),
        T(load_refuses_a_binary_chunk),
        T(load_refuses_a_binary_chunk_from_a_reader),
        T(string_dump_is_not_available_even_through_strings),
        T(collectgarbage_stop_is_refused),
        T(collector_tuning_options_are_refused),
        T(finalizers_are_refused),
        T(the_globals_are_exactly_the_allow_list),
        T(everyday_lua_still_works_in_the_sandbox),
        T(the_spiral_module_is_read_only),
        T(spiral_limits_is_read_only),
        T(rawset_on_a_module_proxy_is_refused),
        T(setmetatable_on_a_module_proxy_is_refused),
        T(getmetatable_does_not_reveal_a_module_metatable),
        T(pairs_on_a_proxy_does_not_reveal_the_real_table),
        T(iterating_a_proxy_reads_but_cannot_write),
        T(the_string_metatable_is_read_only),
        T(rawset_on_the_string_metatable_is_refused),
        T(strings_cannot_be_given_fields),
        T(changes_to_library_tables_do_not_reach_the_next_run),
        T(require_refuses_a_path),
        T(require_does_not_look_outside_the_roots),
        T(require_refuses_a_symbolic_link_leading_outside_the_roots),
        T(require_loads_a_module_from_a_root),
        T(require_maps_dots_to_folders),
        T(arguments_reach_the_script),
        T(scripts_read_their_limits),
        T(a_syntax_error_names_its_line),
        T(an_error_object_that_is_not_a_string_is_described),
        T(a_missing_script_is_no_input),
        T(the_message_starts_with_the_bare_error_and_holds_a_traceback),
        T(registered_functions_are_reachable_and_read_only),
        T(a_run_is_one_transaction),
        T(resolve_path_keeps_names_inside_the_workspace),
        T(limits_parse_names_values_and_suffixes),
#undef T
    };

    apr_initialize();
    atexit(apr_terminate);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
