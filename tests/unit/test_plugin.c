/*
 * test_plugin.c -- the plugin loader (core/sp_plugin.c), its Lua binding
 * (core/lua/sp_lua_plugin.c) and the host services plugins receive.
 *
 * The plugins are the modules of tests/plugins/, built by `make check` as
 * libtool modules into SP_TEST_PLUGINDIR (the .libs folder; the build
 * passes it): good (ABI 1), old_abi (ABI 0), new_abi (ABI 2), nosym (no
 * entry symbol) and bad_open (open() raises).  The refusals are checked
 * against the exact messages promised in sp_plugin.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "spiral.h"
#include "sp_engine.h"
#include "sp_plugin.h"

#ifndef SP_TEST_PLUGINDIR
#define SP_TEST_PLUGINDIR "tests/plugins/.libs"
#endif

typedef struct fixture {
    apr_pool_t *pool;
    sp_engine_t *eng;
    char tmp[64];            /* the engine's output folder */
} fixture;

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    sp_engine_config_t cfg = {0};
    sp_error_t *err = NULL;

    assert_non_null(f);
    setenv(SP_PLUGIN_PATH_ENV, SP_TEST_PLUGINDIR, 1);
    apr_pool_create(&f->pool, NULL);
    snprintf(f->tmp, sizeof f->tmp, "/tmp/sp-test-plugin.XXXXXX");
    assert_non_null(mkdtemp(f->tmp));
    cfg.output_dir = f->tmp;
    assert_int_equal(sp_engine_create(&f->eng, &cfg, f->pool, &err), SP_OK);
    assert_int_equal(sp_lua_plugin_open(f->eng, &err), SP_OK);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;

    apr_pool_destroy(f->pool);
    rmdir(f->tmp);
    free(f);
    return 0;
}

/* Run code (with `spiral` in a local) in the engine; SP_OK or the status, with the message shown. */
static int
run(fixture *f, const char *code)
{
    sp_error_t *err = NULL;
    const char *full = apr_pstrcat(f->pool, "local spiral = require('spiral')\n",
                                   code, NULL);
    int rc = sp_engine_run_string(f->eng, full, (size_t)-1, "=test", 0, NULL,
                                  &err);

    if (rc != SP_OK && err != NULL)
        print_message("script: %s\n", err->message);
    return rc;
}

static void
a_good_plugin_is_installed_as_spiral_name_and_its_functions_run(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;

    assert_int_equal(sp_plugin_load(f->eng, "good", f->pool, &err), SP_OK);
    assert_int_equal(run(f, "assert(spiral.good.add(2, 3) == 5)"), SP_OK);
    assert_int_equal(run(f, "assert(spiral.good.add(2, 3) == 6)"),
                     SP_EXIT_SCRIPT);
}

static void
the_plugin_sees_the_host_abi_version_and_text_width(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;
    char code[256];

    assert_int_equal(sp_plugin_load(f->eng, "good", f->pool, &err), SP_OK);
    snprintf(code, sizeof code,
             "local abi, v = spiral.good.abi()\n"
             "assert(abi == %d and v == '%s', abi .. ' ' .. v)\n"
             /* two wide CJK characters and a combining accent: 2+2+1 */
             "assert(spiral.good.width('\\u{65E5}\\u{672C}e\\u{301}') == 5)",
             SPIRAL_PLUGIN_ABI, sp_version());
    assert_int_equal(run(f, code), SP_OK);
}

static void
loading_twice_runs_open_once_and_is_harmless(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;

    assert_int_equal(sp_plugin_load(f->eng, "good", f->pool, &err), SP_OK);
    assert_int_equal(sp_plugin_load(f->eng, "good", f->pool, &err), SP_OK);
    assert_int_equal(run(f, "local g = assert(spiral.plugin.load('good'))\n"
                            "assert(g.add == spiral.good.add)"), SP_OK);
}

static void
a_plugin_can_be_loaded_by_path_from_c(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;
    sp_plugin_t *p = NULL;

    assert_int_equal(sp_plugin_open(&p, SP_TEST_PLUGINDIR "/good.so",
                                    f->pool, &err), SP_OK);
    assert_string_equal(sp_plugin_info(p)->name, "good");
    assert_string_equal(sp_plugin_file(p), SP_TEST_PLUGINDIR "/good.so");
    assert_int_equal(sp_plugin_load(f->eng, SP_TEST_PLUGINDIR "/good.so",
                                    f->pool, &err), SP_OK);
    assert_int_equal(run(f, "assert(spiral.good.add(1, 1) == 2)"), SP_OK);
}

static void
a_plugin_built_for_abi_2_is_refused_with_a_clear_message(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;
    sp_plugin_t *p = NULL;

    assert_int_equal(sp_plugin_open(&p, "new_abi", f->pool, &err),
                     SP_EXIT_SOFTWARE);
    assert_string_equal(err->message, "plugin 'new_abi' was built for ABI 2, "
                        "this spiral speaks ABI 1; rebuild it");
    err = NULL;
    assert_int_equal(sp_plugin_load(f->eng, "new_abi", f->pool, &err),
                     SP_EXIT_SOFTWARE);
    assert_string_equal(err->message, "plugin 'new_abi' was built for ABI 2, "
                        "this spiral speaks ABI 1; rebuild it");
}

static void
a_plugin_built_for_abi_0_is_refused_with_a_clear_message(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;

    assert_int_equal(sp_plugin_load(f->eng, "old_abi", f->pool, &err),
                     SP_EXIT_SOFTWARE);
    assert_string_equal(err->message, "plugin 'old_abi' was built for ABI 0, "
                        "this spiral speaks ABI 1; rebuild it");
}

static void
a_missing_plugin_names_the_folders_searched(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;
    const char *dirs = sp_plugin_path(f->pool);

    assert_non_null(strstr(dirs, SP_TEST_PLUGINDIR));
    assert_int_equal(sp_plugin_load(f->eng, "nosuch", f->pool, &err),
                     SP_EXIT_NOINPUT);
    assert_string_equal(err->message,
                        apr_psprintf(f->pool, "no plugin 'nosuch' in %s",
                                     dirs));
    err = NULL;
    assert_int_equal(sp_plugin_load(f->eng, "/nowhere/nosuch.so", f->pool,
                                    &err), SP_EXIT_NOINPUT);
    assert_string_equal(err->message, "no plugin file '/nowhere/nosuch.so'");
}

static void
the_search_path_is_env_then_configured_then_installed(void **state)
{
    fixture *f = *state;
    const char *dirs;

    sp_plugin_set_path("/opt/a:/opt/b");
    dirs = sp_plugin_path(f->pool);
    sp_plugin_set_path(NULL);
    assert_true(strncmp(dirs, SP_TEST_PLUGINDIR ":/opt/a:/opt/b:",
                        strlen(SP_TEST_PLUGINDIR ":/opt/a:/opt/b:")) == 0);
    assert_string_equal(sp_plugin_path(f->pool) + strlen(SP_TEST_PLUGINDIR)
                        + 1, dirs + strlen(SP_TEST_PLUGINDIR ":/opt/a:/opt/b:"));
}

static void
an_object_without_the_entry_symbol_is_not_a_plugin(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;

    assert_int_equal(sp_plugin_load(f->eng, "nosym", f->pool, &err),
                     SP_EXIT_SOFTWARE);
    assert_non_null(strstr(err->message, "plugin 'nosym' ("));
    assert_non_null(strstr(err->message, ") does not export "
                           "spiral_plugin_entry: it is not a spiral plugin"));
}

static void
an_invalid_name_is_refused_before_any_search(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;

    assert_int_equal(sp_plugin_load(f->eng, "a-b", f->pool, &err),
                     SP_EXIT_USAGE);
    assert_non_null(strstr(err->message, "invalid plugin name 'a-b'"));
    err = NULL;
    assert_int_equal(sp_plugin_load(f->eng, "", f->pool, &err), SP_EXIT_USAGE);
}

static void
an_open_function_that_fails_is_an_error_not_a_crash(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;

    assert_int_equal(sp_plugin_load(f->eng, "bad_open", f->pool, &err),
                     SP_EXIT_SOFTWARE);
    assert_non_null(strstr(err->message, "cannot open plugin 'bad_open': "));
    assert_non_null(strstr(err->message, "bad_open refuses to open"));
    /* The engine still works. */
    assert_int_equal(run(f, "assert(1 + 1 == 2)"), SP_OK);
}

static void
scripts_load_plugins_by_name_and_get_nil_and_a_message_when_missing(
    void **state)
{
    fixture *f = *state;

    assert_int_equal(run(f,
        "local g = assert(spiral.plugin.load('good'))\n"
        "assert(g.add(20, 22) == 42)\n"
        "local m, msg = spiral.plugin.load('nosuch')\n"
        "assert(m == nil and msg:find(\"no plugin 'nosuch' in \", 1, true))\n"
        "m, msg = spiral.plugin.load('new_abi')\n"
        "assert(m == nil and msg:find('built for ABI 2', 1, true), msg)\n"),
        SP_OK);
}

static void
scripts_cannot_load_a_plugin_by_path(void **state)
{
    fixture *f = *state;

    assert_int_equal(run(f,
        "local ok, e = pcall(spiral.plugin.load, '" SP_TEST_PLUGINDIR
        "/good.so')\n"
        "assert(not ok and e:find('not a path', 1, true), e)"), SP_OK);
}

static void
a_script_cannot_change_the_module_the_next_run_gets(void **state)
{
    fixture *f = *state;

    assert_int_equal(run(f, "local g = spiral.plugin.load('good')\n"
                            "g.add = nil"), SP_OK);
    assert_int_equal(run(f, "local g = spiral.plugin.load('good')\n"
                            "assert(g.add(1, 2) == 3)"), SP_OK);
}

static void
host_check_tables_reads_one_table_or_a_list_and_names_bad_cells(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;

    assert_int_equal(sp_plugin_load(f->eng, "good", f->pool, &err), SP_OK);
    assert_int_equal(run(f,
        "local t = {title = 't', columns = {'a', 'b'},\n"
        "           rows = {{1.25, 'x'}, {{kind = 'suppressed'}, false}}}\n"
        "local n, nc, nr, kind, v = spiral.good.tables(t)\n"
        "assert(n == 1 and nc == 2 and nr == 2 and kind == 1 and v == 1.25)\n"
        "n = spiral.good.tables({t, t, t})\n"
        "assert(n == 3)\n"
        "local obj = setmetatable({}, {__sp_table = function() return t end})\n"
        "assert(spiral.good.tables(obj) == 1)\n"
        "local ok, e = pcall(spiral.good.tables,\n"
        "    {columns = {'a'}, rows = {{1}, {{kind = 'bogus'}}}})\n"
        "assert(not ok and e:find('rows[2][1]', 1, true), e)\n"
        "ok, e = pcall(spiral.good.tables, 42)\n"
        "assert(not ok and e:find('got a number', 1, true), e)\n"), SP_OK);
}

static void
host_output_path_stays_inside_the_output_folder(void **state)
{
    fixture *f = *state;
    sp_error_t *err = NULL;
    char code[8192], real[4096];

    assert_non_null(realpath(f->tmp, real));
    assert_int_equal(sp_plugin_load(f->eng, "good", f->pool, &err), SP_OK);
    snprintf(code, sizeof code,
             "assert(spiral.good.out('a.xlsx') == '%s/a.xlsx')\n"
             "local p, msg = spiral.good.out('../a.xlsx')\n"
             "assert(p == nil and msg:find('..', 1, true), msg)\n"
             "p, msg = spiral.good.out('/etc/a.xlsx')\n"
             "assert(p == nil and msg:find('absolute', 1, true), msg)\n",
             real);
    assert_int_equal(run(f, code), SP_OK);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(a_good_plugin_is_installed_as_spiral_name_and_its_functions_run),
        T(the_plugin_sees_the_host_abi_version_and_text_width),
        T(loading_twice_runs_open_once_and_is_harmless),
        T(a_plugin_can_be_loaded_by_path_from_c),
        T(a_plugin_built_for_abi_2_is_refused_with_a_clear_message),
        T(a_plugin_built_for_abi_0_is_refused_with_a_clear_message),
        T(a_missing_plugin_names_the_folders_searched),
        T(the_search_path_is_env_then_configured_then_installed),
        T(an_object_without_the_entry_symbol_is_not_a_plugin),
        T(an_invalid_name_is_refused_before_any_search),
        T(an_open_function_that_fails_is_an_error_not_a_crash),
        T(scripts_load_plugins_by_name_and_get_nil_and_a_message_when_missing),
        T(scripts_cannot_load_a_plugin_by_path),
        T(a_script_cannot_change_the_module_the_next_run_gets),
        T(host_check_tables_reads_one_table_or_a_list_and_names_bad_cells),
        T(host_output_path_stays_inside_the_output_folder),
    };
    int rc;

    apr_initialize();
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_terminate();
    return rc;
}
