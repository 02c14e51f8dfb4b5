/*
 * sp_progress.h -- a progress bar on stderr for long work.
 *
 * Drawn only when stderr is a terminal and the work has already taken more
 * than a second, so scripts, pipes and quick commands see nothing.
 */
#ifndef SP_PROGRESS_H
#define SP_PROGRESS_H

#include <apr_pools.h>

typedef struct sp_progress_t sp_progress_t;

/* total: units of work (bytes, items); enabled 0 turns it into a no-op. */
sp_progress_t *sp_progress_start(const char *label, double total, int enabled,
                                 apr_pool_t *pool);
/* Cheap to call often: redraws at most ten times a second. */
void sp_progress_update(sp_progress_t *p, double done, long items);
/* Clear the bar's line (when one was drawn). */
void sp_progress_end(sp_progress_t *p);

#endif
