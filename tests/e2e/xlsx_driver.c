/*
 * xlsx_driver.c -- drives the xlsx plugin for tests/e2e/xlsx.sh.
 *
 *     xlsx_driver CELLS OUTDIR MIN_CELL|off
 *
 * Builds the crosstab of a tests/fixtures/xtab/<case>.cells file, computes
 * it (min_cell as given, or suppression off), and writes into OUTDIR:
 *   table.csv    sp_xtab_render_csv (the reference the script reads);
 *   table.json   sp_xtab_render_json;
 *   sheets.txt   one line per sheet: "<n>|<layer>|<measure>", in the
 *                layer and measure names of the CSV;
 *   table.xlsx   written by a Lua script through spiral.plugin.load("xlsx")
 *                and xlsx.write(), the tables coming from Lua
 *                (sp_table_push_lua, then the host's check_tables);
 *   direct.xlsx  the same tables through the plugin's C entry
 *                (sp_plugin_write).
 * The plugin is found through SPIRAL_PLUGIN_PATH.  Exit status 0, or 1
 * with a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>
#include "sp_engine.h"
#include "sp_plugin.h"
#include "sp_table.h"
#include "sp_xtab.h"

static sp_table_t **tables;
static size_t ntables;

static int
l_fixture_tables(lua_State *L)
{
    size_t i;

    lua_createtable(L, (int)ntables, 0);
    for (i = 0; i < ntables; i++) {
        sp_table_push_lua(L, tables[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static const luaL_Reg fixture_fns[] = {
    { "tables", l_fixture_tables },
    { NULL, NULL }
};

static const char script[] =
    "local spiral = require('spiral')\n"
    "local xlsx = assert(spiral.plugin.load('xlsx'))\n"
    "local t = spiral.fixture.tables()\n"
    "assert(xlsx.write('table.xlsx', t))\n"
    "local ok, msg = xlsx.write('../escape.xlsx', t)\n"
    "assert(ok == nil and msg, 'a name outside the output folder must fail')\n"
    "ok, msg = pcall(xlsx.write, 'bad.xlsx', {columns = {}})\n"
    "assert(not ok, 'a malformed table must raise an error')\n";

static sp_xtab_t *
load_cells(const char *path, apr_pool_t *pool)
{
    FILE *f = fopen(path, "r");
    char line[512];
    sp_xtab_t *xt = NULL;

    if (f == NULL)
        return NULL;
    while (fgets(line, sizeof line, f)) {
        unsigned long a, b, c;
        double n, w;
        char dim[16], label[256];

        if (sscanf(line, "dims %lu %lu %lu", &a, &b, &c) == 3)
            xt = sp_xtab_create(a, b, c, pool);
        else if (xt != NULL && sscanf(line, "label %15s %lu %255[^\n]", dim,
                                      &a, label) == 3)
            sp_xtab_set_label(xt, !strcmp(dim, "rows") ? SP_XTAB_ROWS
                              : !strcmp(dim, "cols") ? SP_XTAB_COLS
                              : SP_XTAB_LAYERS, a, label);
        else if (xt != NULL && sscanf(line, "cell %lu %lu %lu %lf %lf", &a,
                                      &b, &c, &n, &w) == 5)
            sp_xtab_add(xt, a, b, c, n, w);
    }
    fclose(f);
    return xt;
}

static int
save(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "xlsx_driver: cannot write %s\n", path);
        return 1;
    }
    return 0;
}

static int
die(const char *what, const sp_error_t *err)
{
    fprintf(stderr, "xlsx_driver: %s: %s\n", what,
            err && err->message ? err->message : "failed");
    return 1;
}

static int
drive(int argc, char **argv, apr_pool_t *pool)
{
    sp_xtab_options_t opt;
    sp_engine_config_t cfg = {0};
    sp_engine_t *eng;
    sp_error_t *err = NULL;
    sp_plugin_t *p;
    sp_xtab_t *xt;
    const char *text, *out;
    char *manifest = "";
    size_t t, i;
    int k;

    if (argc != 4) {
        fprintf(stderr, "usage: xlsx_driver CELLS OUTDIR MIN_CELL|off\n");
        return 1;
    }
    out = argv[2];
    xt = load_cells(argv[1], pool);
    if (xt == NULL) {
        fprintf(stderr, "xlsx_driver: cannot read %s\n", argv[1]);
        return 1;
    }
    sp_xtab_set_vars(xt, "hair", "eye", "sex");
    sp_xtab_options_init(&opt);
    if (strcmp(argv[3], "off") == 0)
        opt.no_suppress = 1;
    else
        opt.min_cell = atof(argv[3]);
    if (sp_xtab_compute(xt, &opt, &err) != SP_OK)
        return die("compute", err);
    if (sp_xtab_render_csv(xt, NULL, &text, pool, &err) != SP_OK
        || save(apr_pstrcat(pool, out, "/table.csv", NULL), text))
        return die("csv", err);
    if (sp_xtab_render_json(xt, &text, pool, &err) != SP_OK
        || save(apr_pstrcat(pool, out, "/table.json", NULL), text))
        return die("json", err);
    if (sp_table_from_xtab_all(xt, (1u << SP_XTAB_N_CELL_KINDS) - 1, &tables,
                               &ntables, pool, &err) != SP_OK)
        return die("tables", err);
    for (t = 0, i = 0; t < sp_xtab_ntables(xt); t++)
        for (k = 0; k < SP_XTAB_N_CELL_KINDS; k++, i++) {
            const char *layer = sp_xtab_nlayers(xt) == 1 ? ""
                : t == sp_xtab_nlayers(xt) ? "(all)"
                : sp_xtab_label(xt, SP_XTAB_LAYERS, t);

            manifest = apr_psprintf(pool, "%s%lu|%s|%s\n", manifest,
                                    (unsigned long)i + 1, layer,
                                    sp_xtab_cell_keys[k]);
        }
    if (save(apr_pstrcat(pool, out, "/sheets.txt", NULL), manifest))
        return 1;

    cfg.output_dir = out;
    if (sp_engine_create(&eng, &cfg, pool, &err) != SP_OK
        || sp_lua_plugin_open(eng, &err) != SP_OK
        || sp_engine_register(eng, "fixture", fixture_fns, &err) != SP_OK)
        return die("engine", err);
    if (sp_engine_run_string(eng, script, (size_t)-1, "=xlsx_driver", 0,
                             NULL, &err) != SP_OK)
        return die("script", err);

    if (sp_plugin_open(&p, "xlsx", pool, &err) != SP_OK
        || sp_plugin_write(p, apr_pstrcat(pool, out, "/direct.xlsx", NULL),
                           (const sp_table_t *const *)tables, ntables, pool,
                           &err) != SP_OK)
        return die("C entry", err);
    return 0;
}

int
main(int argc, char **argv)
{
    apr_pool_t *pool;
    int rc;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    rc = drive(argc, argv, pool);
    apr_pool_destroy(pool);
    apr_terminate();
    return rc;
}
