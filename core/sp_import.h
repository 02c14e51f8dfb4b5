/*
 * sp_import.h -- importing CSV files into the workspace, all or nothing.
 *
 * One framework serves every kind of file.  A kind (sp_import_kinds.c,
 * sp_import_responses.c, sp_import_table.c) declares its columns -- name,
 * French alias, type, range, allowed values -- and three callbacks.  The
 * framework streams the file through sp_csv, maps columns by header name,
 * parses and validates every field, and calls the kind once per good row,
 * all inside one transaction.  An error names file:line:column, the value
 * and what was expected; with skip_bad, bad rows go to FILE.rejects.csv with
 * their reason instead.  The file's SHA-256 goes into import_ledger so the
 * same content is not imported twice unless forced.
 */
#ifndef SP_IMPORT_H
#define SP_IMPORT_H

#include "sp_csv.h"
#include "sp_pseudo.h"
#include "sp_store.h"

typedef enum {
    SP_VAL_TEXT,     /* any UTF-8 text */
    SP_VAL_INT,      /* integer within [min, max] */
    SP_VAL_REAL,     /* number within [min, max]; decimal comma when the file uses ';' or tab */
    SP_VAL_DATE,     /* YYYY-MM-DD */
    SP_VAL_CHOICE    /* one of choices (case-insensitive), stored as the canonical spelling */
} sp_value_type_t;

#define SP_COL_REQUIRED 0x1  /* the header must have this column */
#define SP_COL_NONEMPTY 0x2  /* every row must give a value */

typedef struct sp_import_column_t {
    const char *name;             /* header name, matched case-insensitively */
    const char *alias;            /* a second accepted header (French), or NULL */
    sp_value_type_t type;
    unsigned flags;
    double min, max;              /* SP_VAL_INT and SP_VAL_REAL; min > max: no bound */
    const char *const *choices;   /* SP_VAL_CHOICE: NULL-terminated */
} sp_import_column_t;

typedef struct sp_import_value_t {
    int present;                  /* 0 when the field is empty */
    const char *text;             /* the field as read (UTF-8), "" when empty */
    size_t len;
    long long i;                  /* SP_VAL_INT, and the index for SP_VAL_CHOICE */
    double r;                     /* SP_VAL_REAL and SP_VAL_INT */
} sp_import_value_t;

typedef struct sp_import_options_t {
    const char *territory;        /* territory code; NULL: the only one */
    const char *target;           /* kind-specific: table name, form code... */
    sp_csv_options_t csv;
    int skip_bad;                 /* import good rows, write the others to FILE.rejects.csv */
    int force;                    /* import even when this content was imported before */
    int progress;                 /* draw a progress bar on stderr when it is a terminal */
    const char *const *types;     /* "COL=TYPE" overrides (table kind), NULL-terminated */
} sp_import_options_t;

typedef struct sp_import_ctx_t sp_import_ctx_t;

/* A growing byte buffer: two-stage kinds append encoded rows to it. */
typedef struct sp_import_buf_t {
    char *data;
    size_t len, cap;
} sp_import_buf_t;

/* Append n bytes (uninitialised) and return where they start. */
void *sp_import_buf_add(sp_import_buf_t *buf, size_t n);

typedef struct sp_import_kind_t {
    const char *name;
    const char *summary;
    const sp_import_column_t *columns;   /* ends with a NULL name */
    int extra_columns;                   /* 1: unknown headers go to the kind, not an error */
    /* Called once after the header is mapped, inside the transaction. */
    int (*begin)(sp_import_ctx_t *ctx);
    /* Called for each valid row.  A row-level problem: return
     * sp_import_reject(...).  Anything else aborts the import. */
    int (*row)(sp_import_ctx_t *ctx, const sp_import_value_t *values);
    /* Called after the last row, still inside the transaction. */
    int (*end)(sp_import_ctx_t *ctx);
    unsigned flags;                      /* SP_KIND_* */
    /* Optional two-stage form of row, for large files: encode runs in a
     * reading thread, validates a row and appends its record to out (it
     * must not touch the database, ctx->pool or the kind's caches); store
     * runs in the writing thread, in file order, with ctx->record->line
     * set.  A kind that has them sets row to NULL; begin may still ask for
     * the one-thread path by setting ctx->serial. */
    int (*encode)(sp_import_ctx_t *ctx, const sp_import_value_t *values, sp_import_buf_t *out);
    int (*store)(sp_import_ctx_t *ctx, const void *record, size_t len);
} sp_import_kind_t;

/* A kind whose rows are many and whose references the kind resolves itself:
 * the framework turns off SQLite's per-row foreign key checks for the
 * transaction (the kind guarantees them by construction). */
#define SP_KIND_BULK 0x1

/* What the framework lends to a kind's callbacks. */
struct sp_import_ctx_t {
    sp_store_t *store;
    const sp_pseudo_t *pseudo;
    const sp_import_options_t *options;
    const char *path;
    apr_pool_t *pool;                /* lives for the whole import */
    apr_pool_t *row_pool;            /* cleared after each row */
    sp_error_t **err;
    sqlite3_int64 import_id;         /* the import_ledger row of this import */
    sqlite3_int64 territory_id;      /* 0 when the workspace has no territory */
    int decimal_comma;
    /* Header: every field, and the declared column each maps to (-1: extra). */
    const sp_csv_record_t *header;
    const int *column_of_field;
    const int *field_of_column;      /* -1 when the optional column is absent */
    const sp_csv_record_t *record;   /* the current row */
    long rows_imported;
    long rows_rejected;
    long neighbourhoods_created;     /* by sp_import_neighbourhood */
    void *kind_data;                 /* for the kind's own state */
    int serial;                      /* begin sets it to refuse the two-thread path */
    sp_import_buf_t scratch;         /* the framework's, for one-thread two-stage rows */
    const char *note;                /* printed after a successful import */
};

typedef struct sp_import_result_t {
    long rows_imported;
    long rows_rejected;
    const char *rejects_path;        /* NULL when nothing was rejected */
    const char *note;
    sqlite3_int64 import_id;
} sp_import_result_t;

/* Find a kind by name; NULL when unknown.  sp_import_kinds ends with NULL. */
const sp_import_kind_t *sp_import_kind_find(const char *name);
extern const sp_import_kind_t *const sp_import_kinds[];

/* Import path as kind.  On any error nothing is imported (SP_EXIT_* and
 * *err); with options->skip_bad, row errors are collected instead. */
int sp_import_file(sp_store_t *store, const sp_pseudo_t *pseudo,
                   const sp_import_kind_t *kind, const char *path,
                   const sp_import_options_t *options, sp_import_result_t *result,
                   apr_pool_t *pool, sp_error_t **err);

/* From a kind's row callback: reject the current row, pointing at the field
 * of declared column col (or at field index field when col < 0).  The
 * message goes through APR's formatter: no %lld or %zu, cast to long. */
int sp_import_reject(sp_import_ctx_t *ctx, int col, int field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Parse one field as the column says; 1 when valid, else 0 with *why set
 * to what was expected (static text). */
int sp_import_parse(const sp_import_column_t *column, const char *text, size_t len,
                    int decimal_comma, sp_import_value_t *value, const char **why);

/* The SHA-256 of a file as 64 hex digits. */
int sp_import_sha256(const char *path, char hex[65], apr_pool_t *pool, sp_error_t **err);

/* Look up or create helpers shared by the kinds. */
int sp_import_neighbourhood(sp_import_ctx_t *ctx, const char *name, sqlite3_int64 *id);
/* Split a '|'-separated list in place into at most max trimmed items. */
int sp_import_split(char *text, char **items, int max);

#endif
