/*
 * spiral_plugin.h -- the binary interface between spiral and its plugins.
 *
 * A plugin is a shared object (a libtool module built with -module
 * -avoid-version) that spiral loads at run time with APR's DSO functions.
 * It exports one data symbol, `spiral_plugin_entry`, of type
 * spiral_plugin_t; spiral reads its abi_version first and refuses any
 * plugin whose version differs from SPIRAL_PLUGIN_ABI, then checks the Lua
 * version, then calls open() to obtain the plugin's Lua functions, which
 * it installs as `spiral.<name>`.  In return the plugin receives a
 * spiral_host_t: the few host services a plugin may need (paths inside the
 * sandbox, result tables as plain C data, text width), so that a plugin
 * need not link libspiral nor know its internals.  docs/plugins.md explains
 * how to write, build and load one.
 *
 * Versioning rule: SPIRAL_PLUGIN_ABI changes whenever the layout or meaning
 * of an existing member of any struct below changes, or a member is
 * removed.  New host services are only ever appended to spiral_host_t and
 * do not change the ABI; a plugin that uses one checks host->size first
 * (SPIRAL_HOST_HAS).  abi_version stays the first member of
 * spiral_plugin_t in every version, so that any spiral can read it.
 *
 * This header is C (C99 and later) and needs only Lua's headers.
 */
#ifndef SPIRAL_PLUGIN_H
#define SPIRAL_PLUGIN_H

#include <stddef.h>
#include <lua.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI this header describes. */
#define SPIRAL_PLUGIN_ABI 1

/* The name of the symbol every plugin exports. */
#define SPIRAL_PLUGIN_ENTRY_SYMBOL "spiral_plugin_entry"

/* Put before the definition of spiral_plugin_entry, so it stays visible
 * even when the plugin is built with -fvisibility=hidden. */
#if defined(__GNUC__)
#define SPIRAL_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define SPIRAL_PLUGIN_EXPORT
#endif

/* ---- result tables ------------------------------------------------------ */

/* What a cell holds (spiral_cell_t.kind). */
#define SPIRAL_CELL_EMPTY      0  /* nothing: write a blank cell */
#define SPIRAL_CELL_NUMBER     1  /* number holds the value (finite) */
#define SPIRAL_CELL_TEXT       2  /* text holds the value (UTF-8) */
#define SPIRAL_CELL_SUPPRESSED 3  /* hidden by disclosure control: print text
                                     (the mark, "x") and keep note beside it */
#define SPIRAL_CELL_UNDEFINED  4  /* no value (zero denominator...): print
                                     text (the mark, usually "") and note */

/* One cell of a result table. */
typedef struct spiral_cell_t {
    unsigned kind;       /* SPIRAL_CELL_* */
    double number;       /* NUMBER: the value, at full double precision */
    const char *text;    /* TEXT: the value; SUPPRESSED, UNDEFINED: the mark
                            to print in its place; NULL otherwise */
    const char *note;    /* why a cell is suppressed or undefined (one line,
                            e.g. "primary: fewer than 5 records"), or NULL */
} spiral_cell_t;

/* A result table: a title, column headers and rows of cells.  The first
 * columns usually hold row labels as TEXT cells.  Everything it points to
 * is owned by the host and read-only for the plugin. */
typedef struct spiral_table_t {
    const char *title;              /* may be NULL */
    size_t nrows;                   /* data rows, the header not counted */
    size_t ncols;                   /* >= 1 */
    const char *const *columns;     /* ncols header texts (never NULL) */
    const spiral_cell_t *cells;     /* nrows * ncols cells, row after row:
                                       cell (r, c) is cells[r * ncols + c] */
    int not_for_publication;        /* 1: disclosure control was off; every
                                       output must say so prominently */
    const char *note;               /* a footnote (one line), or NULL */
} spiral_table_t;

/* ---- what the host offers ----------------------------------------------- */

typedef struct spiral_host_t {
    /* SPIRAL_PLUGIN_ABI of the host (equal to the plugin's, or the plugin
     * would not have been opened). */
    unsigned abi_version;
    /* sizeof(spiral_host_t) in the host: services appended in later
     * versions exist only when SPIRAL_HOST_HAS(host, member) is true. */
    size_t size;
    /* The host's version, "MAJOR.MINOR.PATCH". */
    const char *spiral_version;

    /* Map a file name a script gave to a writable absolute path inside the
     * workspace output folder (the sandbox: absolute names, "..", and links
     * leading outside are refused).  Call it only from a Lua function the
     * host called (L is that function's state).  Returns the path, valid
     * until the current script run ends, or NULL and sets *errmsg (same
     * lifetime) to a one-line reason the plugin should hand back to the
     * script (return nil, errmsg). */
    const char *(*output_path)(lua_State *L, const char *name,
                               const char **errmsg);

    /* Read the Lua value at stack index idx as result tables: a result
     * table in its Lua form (docs/plugins.md: {title=, columns=, rows=,
     * not_for_publication=, note=}), a sequence of them, or an object
     * whose metatable has a __sp_table function returning either.  Stores
     * an array of *count tables in *tables and returns 1, or returns 0 and
     * sets *errmsg.  All memory stays valid until the current run ends.
     * May raise a Lua error (out of memory, or an error inside
     * __sp_table), so call it only from a Lua function. */
    int (*check_tables)(lua_State *L, int idx,
                        const spiral_table_t *const **tables, size_t *count,
                        const char **errmsg);

    /* Display width of a UTF-8 string in character columns (East Asian
     * wide characters count 2, combining marks 0); NULL counts 0. */
    int (*text_width)(const char *utf8);
} spiral_host_t;

/* True when the host provides member (appended after ABI 1 was fixed). */
#define SPIRAL_HOST_HAS(host, member) \
    ((host)->size >= offsetof(spiral_host_t, member) + sizeof((host)->member))

/* ---- what the plugin exports -------------------------------------------- */

typedef struct spiral_plugin_t {
    /* SPIRAL_PLUGIN_ABI the plugin was compiled against.  Must stay first. */
    unsigned abi_version;
    /* LUA_VERSION_NUM the plugin was compiled against (504 for Lua 5.4):
     * a plugin calls Lua's C API directly, so it must match the host's. */
    unsigned lua_version;
    /* The module name: [A-Za-z0-9_]+, equal to the file's base name
     * (xlsx.so holds "xlsx"); the functions appear as spiral.<name>. */
    const char *name;
    /* The plugin's own version, free text (shown in messages). */
    const char *version;
    /* Called once per engine, in protected mode, on the engine's Lua
     * state.  It must push one table whose fields are the plugin's Lua
     * functions -- C functions without upvalues, since the host copies
     * them into spiral.<name> -- and return 1 (like a luaopen_ function).
     * host stays valid while the plugin is loaded; keep the pointer.  A
     * failure is reported with lua_error()/luaL_error(). */
    int (*open)(lua_State *L, const spiral_host_t *host);
    /* Optional (NULL when absent): write ntables result tables to the file
     * path, for hosts that export without running a script.  format names
     * the file format ("xlsx").  Returns 0, or -1 with a one-line message
     * in errbuf (errlen bytes, NUL-terminated). */
    const char *format;
    int (*write)(const char *path, const spiral_table_t *const *tables,
                 size_t ntables, char *errbuf, size_t errlen);
} spiral_plugin_t;

/* Every plugin defines it, e.g.
 *     SPIRAL_PLUGIN_EXPORT const spiral_plugin_t spiral_plugin_entry = {
 *         SPIRAL_PLUGIN_ABI, LUA_VERSION_NUM, "hello", "1.0", open_hello,
 *         NULL, NULL
 *     };                                                                */
extern const spiral_plugin_t spiral_plugin_entry;

#ifdef __cplusplus
}
#endif

#endif
