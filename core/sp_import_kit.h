/*
 * sp_import_kit.h -- small tools the domain import kinds share.
 *
 * The kinds of sp_import_criteria.c, sp_import_actions.c,
 * sp_import_resources.c, sp_import_meter.c, sp_import_pact.c and
 * sp_import_ledger.c each prepare their statements once when the import
 * begins and step them once per row; this kit prepares a set of statements
 * whose finalization is a cleanup of the import's pool, steps them with the
 * framework's error conventions, and checks the grammar of a well-being
 * object code (A, A01, A01-11), which criteria, actions and evaluations all
 * use.  Internal to libspiral: not installed.
 */
#ifndef SP_IMPORT_KIT_H
#define SP_IMPORT_KIT_H

#include "sp_import.h"

/* Prepare the n statements sql[0..n-1] on the workspace into a new array
 * (allocated in ctx->pool) and register their finalization as a cleanup of
 * ctx->pool, so a kind never finalizes by hand.  On failure *ctx->err
 * names the statement's purpose what and SQLite's message. */
int sp_import_prepare(sp_import_ctx_t *ctx, const char *const *sql, int n,
                      const char *what, sqlite3_stmt ***stmts);

/* For a kind whose whole state is its statements: sp_import_prepare them
 * and make the array ctx->kind_data (set even on failure, as the cleanup
 * is).  Meant to be the kind's begin callback's one line. */
int sp_import_begin_stmts(sp_import_ctx_t *ctx, const char *const *sql, int n, const char *what);

/* Step stmt, which returns no rows, then reset it.  SQLITE_DONE gives SP_OK;
 * a UNIQUE or other constraint failure gives SP_EXIT_SOFTWARE like any
 * other failure, so kinds test for duplicates before they insert. */
int sp_import_exec(sp_import_ctx_t *ctx, sqlite3_stmt *stmt, const char *what);

/* Step the query stmt, whose first column is an integer (an id, a count),
 * then reset it.  *found is 1 and *id the value when there is a row, else
 * *found is 0.  A failure returns SP_EXIT_SOFTWARE with *ctx->err set. */
int sp_import_lookup(sp_import_ctx_t *ctx, sqlite3_stmt *stmt, sqlite3_int64 *id,
                     int *found);

/* Bind a field as text, or NULL when it is empty. */
void sp_import_bind_optional(sqlite3_stmt *stmt, int i, const sp_import_value_t *v);

/* SP_OK when the workspace has a territory, else an error naming why the
 * kind needs one. */
int sp_import_need_territory(sp_import_ctx_t *ctx, const char *why);

/* 1 when s is exactly one well-being object code -- a family letter A-Z,
 * optionally two digits of component, optionally '-' and two digits of
 * sub-object (A, A01, A01-11).  The grammar is sp_criteria_level_of's. */
int sp_import_object_ok(const char *s);

/* What an object code looks like, for error messages. */
#define SP_IMPORT_OBJECT_GRAMMAR \
    "a family letter A-Z, optionally followed by a two-digit component and " \
    "'-' with a two-digit sub-object, e.g. A, A01, A01-11"

#endif
