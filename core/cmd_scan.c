/*
 * cmd_scan.c -- options, sources, labels and variable lists shared by
 * cmd_crosstab.c and cmd_aggregate.c (see cmd_scan.h).
 */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <apr_strings.h>
#include "cmd_scan.h"

void
cmd_scan_init(cmd_scan_t *o)
{
    memset(o, 0, sizeof *o);
    o->min_cell = 5;
    o->format = 't';
    o->sep = ',';
    o->labels = 1;
    o->threads = 2;
}

static int
one_char(const char *arg, char *out)
{
    if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0) {
        *out = '\t';
        return 1;
    }
    if (strlen(arg) != 1)
        return 0;
    *out = arg[0];
    return 1;
}

int
cmd_scan_option(sp_cli_t *cli, const char *command, cmd_scan_t *o, int c, const char *arg)
{
    sp_error_t *err = NULL;
    char *end;
    char ch;

    switch (c) {
    case 1000: o->weight = arg; break;
    case 1001:
        if (sp_where_parse(arg, &o->where, cli->pool, &err) != SP_OK)
            return sp_cli_usage(cli, command, "%s", err->message);
        break;
    case 1002:
        if (strcmp(arg, "include") == 0)
            o->include_missing = 1;
        else if (strcmp(arg, "exclude") == 0)
            o->include_missing = 0;
        else
            return sp_cli_usage(cli, command, "--missing is exclude or include");
        break;
    case 1003:
        errno = 0;
        o->min_cell = strtod(arg, &end);
        if (errno || *end || end == arg || !(o->min_cell >= 0) || o->min_cell > 1e9)
            return sp_cli_usage(cli, command, "--min-cell needs a number >= 0");
        break;
    case 1004: o->no_suppress = 1; break;
    case 1005:
        if (strcmp(arg, "text") == 0 || strcmp(arg, "csv") == 0 || strcmp(arg, "json") == 0)
            o->format = arg[0] == 'j' ? 'j' : arg[0];
        else
            return sp_cli_usage(cli, command, "--format is text, csv or json");
        break;
    case 1006:
        if (!one_char(arg, &ch) || !strchr(",;\t|", ch))
            return sp_cli_usage(cli, command, "--sep is ',', ';', '|' or tab");
        o->sep = ch;
        break;
    case 1007:
        if (strcmp(arg, ",") == 0)
            o->decimal_comma = 1;
        else if (strcmp(arg, ".") == 0)
            o->decimal_comma = 0;
        else
            return sp_cli_usage(cli, command, "--decimal is '.' or ','");
        break;
    case 1008:
        if (strcmp(arg, "fr") == 0)
            o->fr = 1;
        else if (strcmp(arg, "en") == 0)
            o->fr = 0;
        else
            return sp_cli_usage(cli, command, "--lang is fr or en");
        break;
    case 1009: o->output = arg; break;
    case 1010:
        if (strcmp(arg, "1") != 0 && strcmp(arg, "2") != 0)
            return sp_cli_usage(cli, command, "--threads is 1 or 2");
        o->threads = arg[0] - '0';
        break;
    case 1011:
        if (!one_char(arg, &ch) || !strchr(",;\t|", ch))
            return sp_cli_usage(cli, command, "--delimiter is ',', ';', '|' or tab");
        o->copt.delimiter = ch;
        break;
    case 1012: {
        int enc = sp_csv_parse_encoding(arg);

        if (enc < 0)
            return sp_cli_usage(cli, command, "unknown encoding '%s'", arg);
        o->copt.encoding = (sp_encoding_t)enc;
        break;
    }
    case 1013: o->labels = 0; break;
    default:
        return sp_cli_usage(cli, command, "unknown option");
    }
    return SP_OK;
}

int
cmd_scan_operands(sp_cli_t *cli, const char *command, cmd_scan_t *o, int argc, char **argv,
                  const char *missing)
{
    if (optind < argc)
        o->file = argv[optind++];
    if (optind < argc)
        return sp_cli_usage(cli, command, "unexpected argument '%s'", argv[optind]);
    if (missing != NULL)
        return sp_cli_usage(cli, command, "%s", missing);
    if (o->decimal_comma && o->format == 'c' && o->sep == ',')
        return sp_cli_usage(cli, command, "--decimal ',' needs --sep ';' (or tab)");
    return SP_OK;
}

int
cmd_scan_open(sp_cli_t *cli, cmd_scan_t *o, sp_scan_source_t **src, sp_error_t **err)
{
    int rc;

    if (o->decimal_comma && o->format == 'c' && o->sep == ',')
        return sp_error_set(err, cli->pool, SP_EXIT_USAGE, NULL, 0, 0,
                            "--decimal ',' needs --sep ';' (or tab) for CSV");
    if (o->file) {
        if (o->labels && access(cli->db_path, R_OK) == 0
            && sp_cli_open_store(cli, SP_STORE_READONLY | SP_STORE_NOCREATE, &o->store, NULL)
                   != SP_OK)
            o->store = NULL;
        if ((rc = sp_scan_open_csv(src, o->file, &o->copt, 0, cli->pool, err)) != SP_OK)
            return rc;
    } else {
        if ((rc = sp_cli_open_store(cli, SP_STORE_NOCREATE, &o->store, err)) != SP_OK)
            return rc;
        if ((rc = sp_scan_open_store(src, o->store, cli->pool, err)) != SP_OK)
            return rc;
        if (!o->labels)
            o->store = NULL;
    }
    sp_scan_set_threads(*src, o->threads);
    return SP_OK;
}

const char *
cmd_scan_label(const cmd_scan_t *o, const char *var, const char *value, apr_pool_t *pool)
{
    return sp_scan_value_label(o->store, o->fr, var, value, pool);
}

const char *
cmd_scan_var_label(const cmd_scan_t *o, const char *var, apr_pool_t *pool)
{
    return sp_scan_var_label(o->store, o->fr, var, pool);
}

int
cmd_scan_bad_at_most(const cmd_scan_t *o, const char *var)
{
    return sp_scan_bad_at_most(o->store, var);
}

static long
index_of(const char *const *vars, size_t n, const char *name)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(vars[i], name) == 0)
            return (long)i;
    return -1;
}

int
cmd_scan_list(const sp_scan_source_t *src, const char *spec, apr_array_header_t **out,
              apr_pool_t *pool, sp_error_t **err)
{
    size_t n, i;
    const char *const *vars = sp_scan_vars(src, &n);
    apr_array_header_t *a = apr_array_make(pool, 16, sizeof(const char *));
    char *copy = apr_pstrdup(pool, spec), *tok, *state = NULL;

    for (tok = apr_strtok(copy, ",", &state); tok; tok = apr_strtok(NULL, ",", &state)) {
        char *dash;
        size_t before = (size_t)a->nelts;

        if (index_of(vars, n, tok) >= 0) {
            APR_ARRAY_PUSH(a, const char *) = tok;
        } else if (strpbrk(tok, "*?[")) {
            for (i = 0; i < n; i++)
                if (fnmatch(tok, vars[i], 0) == 0)
                    APR_ARRAY_PUSH(a, const char *) = vars[i];
        } else if ((dash = strchr(tok, '-')) != NULL) {
            long b, e;

            *dash = '\0';
            b = index_of(vars, n, tok);
            e = index_of(vars, n, dash + 1);
            *dash = '-';
            for (i = (size_t)b; b >= 0 && e >= b && i <= (size_t)e; i++)
                APR_ARRAY_PUSH(a, const char *) = vars[i];
        }
        if ((size_t)a->nelts == before) {
            const char *list = "";

            for (i = 0; i < n; i++)
                list = apr_pstrcat(pool, list, i ? ", " : "", vars[i], NULL);
            return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                                "unknown variable '%s' in %s; known variables: %s", tok,
                                sp_scan_name(src), list);
        }
    }
    *out = a;
    return SP_OK;
}

void
cmd_scan_request(const cmd_scan_t *o, const apr_array_header_t *keys, sp_scan_request_t *req)
{
    memset(req, 0, sizeof *req);
    req->keys = (const char *const *)keys->elts;
    req->nkeys = (size_t)keys->nelts;
    req->weight = o->weight;
    req->where = o->where;
}

int
cmd_scan_out(cmd_scan_t *o, FILE **out, apr_pool_t *pool, sp_error_t **err)
{
    if (o->output == NULL || strcmp(o->output, "-") == 0) {
        *out = stdout;
        return SP_OK;
    }
    if ((*out = fopen(o->output, "w")) == NULL)
        return sp_error_set(err, pool, SP_EXIT_CANTCREAT, o->output, 0, 0, "cannot create: %s",
                            strerror(errno));
    return SP_OK;
}

int
cmd_scan_close(const cmd_scan_t *o, FILE *out, apr_pool_t *pool, sp_error_t **err)
{
    if (out != stdout ? fclose(out) != 0 : fflush(out) != 0)
        return sp_error_set(err, pool, SP_EXIT_IO, o->output, 0, 0, "write error");
    return SP_OK;
}

const char *
cmd_scan_missing_label(const cmd_scan_t *o)
{
    return sp_scan_missing_label(o->fr);
}
