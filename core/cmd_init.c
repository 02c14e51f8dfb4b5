/*
 * cmd_init.c -- `spiral init`: create (or migrate) a workspace and its territory.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sp_cli.h"
#include "sp_csv.h"
#include "sp_pseudo.h"

int sp_cmd_init(sp_cli_t *cli, int argc, char **argv);

int
sp_cmd_init(sp_cli_t *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"territory", required_argument, NULL, 't'},
        {"name", required_argument, NULL, 'n'},
        {"country", required_argument, NULL, 'c'},
        {"population", required_argument, NULL, 'p'},
        {NULL, 0, NULL, 0}
    };
    const char *code = NULL, *name = NULL, *country = "";
    long long population = -1;
    sp_store_t *store;
    sp_pseudo_t *pseudo;
    sp_error_t *err = NULL;
    sqlite3_stmt *stmt;
    int c, rc;

    while ((c = getopt_long(argc, argv, "t:n:c:p:", options, NULL)) != -1) {
        switch (c) {
        case 't': code = optarg; break;
        case 'n': name = optarg; break;
        case 'c': country = optarg; break;
        case 'p':
            if (!sp_parse_int(optarg, &population) || population < 0)
                return sp_cli_usage(cli, "init", "--population must be a whole number");
            break;
        default: return sp_cli_usage(cli, "init", "unknown option");
        }
    }
    if (optind < argc)
        return sp_cli_usage(cli, "init", "unexpected argument '%s'", argv[optind]);
    if (code == NULL && (name != NULL || population >= 0))
        return sp_cli_usage(cli, "init", "--name and --population describe a --territory");
    if (sp_cli_open_store(cli, 0, &store, &err) != SP_OK
        || sp_pseudo_open(&pseudo, cli->key_path, cli->pool, &err) != SP_OK)
        return sp_cli_fail(cli, err);
    if (code != NULL) {
        if (sqlite3_prepare_v2(store->db, "INSERT INTO territory (code, name, country, population) "
                               "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (code) DO UPDATE SET "
                               "name = excluded.name, country = excluded.country, "
                               "population = ifnull(excluded.population, population)",
                               -1, &stmt, NULL) != SQLITE_OK) {
            sp_store_fail(store->db, "territory", cli->pool, &err);
            return sp_cli_fail(cli, err);
        }
        sqlite3_bind_text(stmt, 1, code, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, name ? name : code, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, country, -1, SQLITE_STATIC);
        if (population >= 0)
            sqlite3_bind_int64(stmt, 4, population);
        rc = sqlite3_step(stmt);
        sqlite3_finalize(stmt);
        if (rc != SQLITE_DONE) {
            sp_store_fail(store->db, "territory", cli->pool, &err);
            return sp_cli_fail(cli, err);
        }
    }
    if (!cli->quiet)
        fprintf(stderr, "workspace %s ready (schema version %d)\n", cli->db_path,
                sp_store_version(store->db));
    return SP_OK;
}
