/*
 * sp_engine_alloc.c -- the limits enforced while a script runs: the
 * allocator (memory) and the count hook (instructions, wall clock).
 *
 * The allocator counts the bytes the Lua state holds and, while a run is
 * capped, refuses growth past the memory limit; Lua answers a refusal
 * with an emergency collection and a retry, so only a refused retry (or a
 * raise without one) counts as hitting the limit.  The hook adds up
 * instructions every HOOK_EVERY of them and checks the budget, the clock
 * and a memory hit; once one fired it re-arms itself on every line and
 * instruction (Redis's script_lua.c), so a pcall inside the script cannot
 * swallow the stop.  Both record where the script was with locate(),
 * which does not allocate, since memory may be exhausted; sp_engine.c's
 * report() turns those records into the run's error.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "sp_engine_int.h"

#define TRACE_LEVELS 12           /* frames in a traceback built without Lua */

/* Record in *w the first Lua frame of L with a line, and a short
 * traceback.  Uses only lua_getstack/lua_getinfo("Sl"), which do not
 * allocate, so it is safe from the allocator and from hooks. */
static void
locate(lua_State *L, where_t *w)
{
    lua_Debug ar;
    size_t n;
    int level;

    where_clear(w);
    w->set = 1;
    n = (size_t)snprintf(w->trace, sizeof w->trace, "stack traceback:");
    for (level = 0; level < TRACE_LEVELS && lua_getstack(L, level, &ar);
         level++) {
        int k;

        lua_getinfo(L, "Sl", &ar);
        if (w->line == 0 && ar.currentline > 0) {
            snprintf(w->file, sizeof w->file, "%s", source_name(&ar));
            w->line = ar.currentline;
        }
        if (n >= sizeof w->trace)
            continue;
        if (*ar.what == 'C')
            k = snprintf(w->trace + n, sizeof w->trace - n, "\n\t[C]: in ?");
        else if (*ar.what == 'm')
            k = snprintf(w->trace + n, sizeof w->trace - n,
                         "\n\t%s:%d: in main chunk", ar.short_src,
                         ar.currentline);
        else
            k = snprintf(w->trace + n, sizeof w->trace - n,
                         "\n\t%s:%d: in function <%s:%d>", ar.short_src,
                         ar.currentline, ar.short_src, ar.linedefined);
        if (k > 0)
            n += (size_t)k;
    }
}

/* ---------------------------------------------------------------------- */
/* The allocator */

/* A growth is refused.  Lua answers a first refusal with an emergency
 * collection and the very same request; only when that retry fails too,
 * or when Lua raises without retrying, has the script hit the limit. */
static void
refuse(sp_engine_t *eng, const void *ptr, size_t osize, size_t nsize)
{
    if (eng->pending && eng->ref_ptr == ptr && eng->ref_osize == osize
        && eng->ref_nsize == nsize) {
        eng->pending = 0;
        eng->mem_hit = 1;
        return;
    }
    if (eng->pending)
        eng->mem_hit = 1;       /* the previous refusal was not retried */
    if (!eng->mem_hit && eng->L != NULL && eng->running)
        locate(eng->L, &eng->mem_where);
    eng->pending = 1;
    eng->ref_ptr = ptr;
    eng->ref_osize = osize;
    eng->ref_nsize = nsize;
}

/* The lua_Alloc of every engine (ud).  Outside a run (eng->capped unset:
 * creation, registration, a run's preparation and the collection that ends
 * it) only counts; during a run refuses growth past the limit plus the
 * slack that sp_engine.c grants its message handler once the limit hit. */
void *
sp_engine_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    sp_engine_t *eng = ud;
    void *p;

    if (ptr == NULL)
        osize = 0;              /* osize is then a type tag */
    if (nsize == 0) {
        free(ptr);
        eng->used -= osize;
        return NULL;
    }
    if (nsize > osize && eng->capped) {
        long long cap = eng->limits.value[SP_LIMIT_MEMORY];
        size_t grow = nsize - osize;

        if (cap > 0 && (eng->used + grow < eng->used
                        || eng->used + grow > (size_t)cap + eng->slack)) {
            refuse(eng, ptr, osize, nsize);
            return NULL;
        }
    }
    p = realloc(ptr, nsize);
    if (p == NULL)
        return NULL;            /* a real shortage: Lua raises */
    if (nsize > osize && eng->pending) {
        if (eng->ref_ptr == ptr && eng->ref_osize == osize
            && eng->ref_nsize == nsize)
            eng->pending = 0;   /* the retry after a collection fit */
        else {
            eng->pending = 0;   /* Lua raised instead of retrying */
            eng->mem_hit = 1;
        }
    }
    eng->used = eng->used - osize + nsize;
    return p;
}

/* Has a growth been refused in this run, for good or pending the retry Lua
 * makes after a collection?  The hook, the message handler and report()
 * treat both as a hit. */
int
sp_engine_memory_hit(const sp_engine_t *eng)
{
    return eng->mem_hit || eng->pending;
}

/* ---------------------------------------------------------------------- */
/* Limits enforced by the hook */

static double
elapsed(const sp_engine_t *eng)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - eng->start.tv_sec)
        + (double)(now.tv_nsec - eng->start.tv_nsec) / 1e9;
}

/* The count hook l_run installs every eng->hook_count instructions (fewer
 * than HOOK_EVERY when the budget is smaller). */
void
sp_engine_hook(lua_State *L, lua_Debug *ar)
{
    sp_engine_t *eng = sp_engine_from_lua(L);

    if (eng->stop == STOP_NONE) {
        long long maxi = eng->limits.value[SP_LIMIT_INSTRUCTIONS];
        long long maxs = eng->limits.value[SP_LIMIT_SECONDS];

        if (ar->event == LUA_HOOKCOUNT)
            eng->instructions += eng->hook_count;
        if (sp_engine_memory_hit(eng)) {
            eng->stop = STOP_MEMORY;
            snprintf(eng->stop_msg, sizeof eng->stop_msg,
                     "memory limit exceeded (%lld bytes)",
                     eng->limits.value[SP_LIMIT_MEMORY]);
        } else if (maxi > 0 && eng->instructions >= maxi) {
            eng->stop = STOP_INSTRUCTIONS;
            snprintf(eng->stop_msg, sizeof eng->stop_msg,
                     "instruction budget exceeded (%lld instructions)", maxi);
        } else if (maxs > 0 && elapsed(eng) >= (double)maxs) {
            eng->stop = STOP_TIME;
            snprintf(eng->stop_msg, sizeof eng->stop_msg,
                     "time limit exceeded (%lld s)", maxs);
        } else {
            return;
        }
        locate(L, &eng->stop_where);
    }
    /* From now on every instruction of every function raises again. */
    lua_sethook(L, sp_engine_hook, LUA_MASKCOUNT | LUA_MASKLINE, 1);
    lua_getinfo(L, "Sl", ar);
    lua_pushfstring(L, "%s:%d: %s", ar->short_src, ar->currentline,
                    eng->stop_msg);
    lua_error(L);
}
