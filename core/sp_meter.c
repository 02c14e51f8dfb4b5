/*
 * sp_meter.c -- the consumption meter run from C (see sp_meter.h): finds
 * the territory's meter module, opens its engine, reads the meter's
 * description (resources, units, limits, questions) and answers the
 * accessors.
 *
 * The rest of the meter is split by job (sp_meter_int.h): the driver and
 * its host in sp_meter_host.c, one household in sp_meter_one.c, batches
 * in sp_meter_batch.c, the distribution table in sp_meter_dist.c.
 */
#include <ctype.h>
#include <string.h>
#include <unistd.h>
#include <apr_strings.h>
#include "config.h"
#include "sp_meter_int.h"

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

int
sp_meter_open(sp_meter_t **out, const sp_meter_config_t *cfg, apr_pool_t *pool,
              sp_error_t **err)
{
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
        || (status = sp_meter_host_register(m, err)) != SP_OK)
        return status;
    memset(&h, 0, sizeof h);
    h.m = m;
    h.pool = pool;
    if ((status = sp_meter_run(m, &h, "describe", "en", 0, err)) != SP_OK)
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

int
sp_meter_unknown_question(const sp_meter_t *m, int status, const char *file, long line, long col,
                          const char *name, apr_pool_t *pool, sp_error_t **err)
{
    return sp_error_set(err, pool, status, file, line, col,
                        "unknown question '%s'; the meter '%s' asks: %s", name, sp_meter_code(m),
                        sp_meter_question_list(m, pool));
}
