/*
 * sp_pseudo.h -- pseudonymisation of identifiers with a keyed HMAC-SHA-256.
 *
 * The key is 32 random bytes in a file outside the workspace, created on
 * first use with mode 0600.  The same identifier in the same domain always
 * gives the same 32-byte pseudonym (so waves can be linked), while nobody
 * without the key can test a guess.  The database never sees the raw id.
 */
#ifndef SP_PSEUDO_H
#define SP_PSEUDO_H

#include <stddef.h>
#include <apr_pools.h>
#include "sp_error.h"

#define SP_PSEUDO_LEN 32

typedef struct sp_pseudo_t sp_pseudo_t;

/* Load the key at key_path, creating it (mode 0600, exclusive) when absent.
 * A key file of the wrong size or readable by others is refused. */
int sp_pseudo_open(sp_pseudo_t **ps, const char *key_path, apr_pool_t *pool,
                   sp_error_t **err);

/* out = HMAC-SHA-256(key, domain || 0x00 || id). */
void sp_pseudo_id(const sp_pseudo_t *ps, const char *domain, const char *id,
                  size_t len, unsigned char out[SP_PSEUDO_LEN]);

#endif
