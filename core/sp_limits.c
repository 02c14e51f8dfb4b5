/*
 * sp_limits.c -- the table of run-time limits (sp_limits.h): names,
 * defaults and documentation from the SP_LIMITS X-macro, and the parser of
 * `--limit NAME=VALUE`.  Pure data and parsing; the engine enforces memory,
 * instructions and seconds (sp_engine_alloc.c), the modules that create
 * rows and cells check theirs.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_limits.h"

static const struct {
    const char *name;
    long long def;
    const char *doc;
} LIMITS[] = {
#define SP_LIMIT_ROW_(ID, name, def, doc) {#name, def, doc},
    SP_LIMITS(SP_LIMIT_ROW_)
#undef SP_LIMIT_ROW_
};

void
sp_limits_init(sp_limits_t *limits)
{
    int i;

    for (i = 0; i < SP_LIMIT_COUNT_; i++)
        limits->value[i] = LIMITS[i].def;
}

const char *
sp_limit_name(int id)
{
    return id >= 0 && id < SP_LIMIT_COUNT_ ? LIMITS[id].name : NULL;
}

long long
sp_limit_default(int id)
{
    return id >= 0 && id < SP_LIMIT_COUNT_ ? LIMITS[id].def : 0;
}

const char *
sp_limit_doc(int id)
{
    return id >= 0 && id < SP_LIMIT_COUNT_ ? LIMITS[id].doc : NULL;
}

int
sp_limit_find(const char *name)
{
    int i;

    for (i = 0; i < SP_LIMIT_COUNT_; i++)
        if (strcmp(name, LIMITS[i].name) == 0)
            return i;
    return -1;
}

int
sp_limits_parse(sp_limits_t *limits, const char *assignment,
                apr_pool_t *pool, sp_error_t **err)
{
    const char *eq = strchr(assignment, '=');
    const char *name, *v;
    char *end;
    unsigned long long value;
    int id, shift = 0;

    if (eq == NULL)
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                            "limit '%s': expected NAME=VALUE", assignment);
    name = apr_pstrndup(pool, assignment, (apr_size_t)(eq - assignment));
    id = sp_limit_find(name);
    if (id < 0)
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                            "unknown limit '%s' (memory, instructions, "
                            "seconds, rows or cells)", name);
    v = eq + 1;
    errno = 0;
    if (*v < '0' || *v > '9')
        goto bad;
    value = strtoull(v, &end, 10);
    if (errno != 0)
        goto bad;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: break;
    }
    if (*end != '\0' || value > ((unsigned long long)LLONG_MAX >> shift))
        goto bad;
    limits->value[id] = (long long)(value << shift);
    return SP_OK;
bad:
    return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                        "limit %s: '%s' is not a non-negative integer "
                        "(optionally followed by k, M or G)", name, v);
}
