/*
 * sp_progress.c -- the terminal progress bar (see sp_progress.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <apr_strings.h>
#include <apr_time.h>
#include "sp_progress.h"

struct sp_progress_t {
    const char *label;
    double total;
    int enabled;
    int drawn;
    long checked;            /* items when the clock was last read */
    apr_time_t started, last;
    apr_time_t delay;        /* nothing is drawn before this much time */
};

sp_progress_t *
sp_progress_start(const char *label, double total, int enabled, apr_pool_t *pool)
{
    sp_progress_t *p = apr_pcalloc(pool, sizeof *p);

    p->label = apr_pstrdup(pool, label);
    p->total = total;
    p->enabled = enabled && isatty(STDERR_FILENO);
    p->started = p->last = apr_time_now();
    /* SPIRAL_PROGRESS_AFTER (seconds) lets tests see the bar on quick work. */
    p->delay = apr_time_from_sec(1);
    if (getenv("SPIRAL_PROGRESS_AFTER") != NULL)
        p->delay = (apr_time_t)(atof(getenv("SPIRAL_PROGRESS_AFTER")) * APR_USEC_PER_SEC);
    return p;
}

void
sp_progress_update(sp_progress_t *p, double done, long items)
{
    enum { WIDTH = 30 };
    char bar[WIDTH + 1];
    apr_time_t now;
    int i, filled;
    double frac;

    /* Reading the clock costs more than the rest: look at it every 1024 items. */
    if (!p->enabled || items - p->checked < 1024)
        return;
    p->checked = items;
    now = apr_time_now();
    if (now - p->started < p->delay || now - p->last < apr_time_from_msec(100))
        return;
    p->last = now;
    frac = p->total > 0 ? done / p->total : 0;
    if (frac > 1)
        frac = 1;
    filled = (int)(frac * WIDTH);
    for (i = 0; i < WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[WIDTH] = '\0';
    fprintf(stderr, "\r%s [%s] %3d%% %ld", p->label, bar, (int)(frac * 100), items);
    fflush(stderr);
    p->drawn = 1;
}

void
sp_progress_end(sp_progress_t *p)
{
    if (p != NULL && p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->drawn = 0;
    }
}
