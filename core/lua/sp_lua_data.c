/*
 * sp_lua_data.c -- spiral.data: read-only SQL over the workspace.
 *
 * A script may read the workspace with SELECT statements whose values come
 * as bound parameters.  The statement is prepared on the run's own
 * connection (so it sees what the script defined earlier in its
 * transaction) with an authorizer that lets through only SQLITE_SELECT,
 * SQLITE_READ and SQLITE_FUNCTION and refuses what must not leave the
 * workspace even to a script: the free_text table, the pseudonym columns
 * (respondent, meter_household, pact_signatory .pseudonym, pact_invitation
 * .invitee) and the import ledger's file names.  The authorizer stays set
 * while the statement steps (a schema change may re-prepare it) and is
 * removed before the function returns or raises.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "sp_lua.h"

int
sp_lua_sql_authorize(void *baton, int action, const char *a, const char *b,
                     const char *db, const char *trigger)
{
    (void)baton;
    (void)db;
    (void)trigger;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_FUNCTION:
        return SQLITE_OK;
    case SQLITE_READ:
        if (a == NULL)
            return SQLITE_DENY;
        if (sqlite3_stricmp(a, "free_text") == 0)
            return SQLITE_DENY;
        if (b != NULL && (sqlite3_stricmp(b, "pseudonym") == 0
                          || sqlite3_stricmp(b, "invitee") == 0))
            return SQLITE_DENY;
        if (b != NULL && sqlite3_stricmp(a, "import_ledger") == 0
            && sqlite3_stricmp(b, "file_name") == 0)
            return SQLITE_DENY;
        return SQLITE_OK;
    default:
        return SQLITE_DENY;
    }
}

int
sp_lua_sql_prepare(sqlite3 *db, const char *sql, int nparams,
                   sqlite3_stmt **st, const char **why)
{
    const char *tail = NULL;
    int rc;

    *st = NULL;
    *why = SP_LUA_SQL_REFUSED;
    sqlite3_set_authorizer(db, sp_lua_sql_authorize, NULL);
    rc = sqlite3_prepare_v2(db, sql, -1, st, &tail);
    if (rc != SQLITE_OK) {
        /* A syntax error is the script's too, but its text helps more. */
        if (rc != SQLITE_AUTH)
            *why = NULL;
        goto fail;
    }
    if (*st == NULL) {                  /* only blanks or comments */
        rc = SQLITE_MISUSE;
        goto fail;
    }
    while (tail != NULL && (isspace((unsigned char)*tail) || *tail == ';'))
        tail++;
    if ((tail != NULL && *tail != '\0') || !sqlite3_stmt_readonly(*st)) {
        rc = SQLITE_AUTH;
        goto fail;
    }
    if (sqlite3_bind_parameter_count(*st) != nparams) {
        *why = "the number of values does not match the parameters of the SQL";
        rc = SQLITE_RANGE;
        goto fail;
    }
    return SQLITE_OK;
fail:
    sqlite3_finalize(*st);
    *st = NULL;
    sqlite3_set_authorizer(db, NULL, NULL);
    return rc;
}

static void
push_column(lua_State *L, sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        lua_pushinteger(L, (lua_Integer)sqlite3_column_int64(st, i));
        break;
    case SQLITE_FLOAT:
        lua_pushnumber(L, sqlite3_column_double(st, i));
        break;
    case SQLITE_NULL:
        lua_pushnil(L);
        break;
    default:
        lua_pushlstring(L, (const char *)sqlite3_column_blob(st, i),
                        (size_t)sqlite3_column_bytes(st, i));
    }
}

/* Bind argument arg of the Lua call to parameter i; 0 on a bad type. */
static int
bind_arg(lua_State *L, sqlite3_stmt *st, int i, int arg)
{
    switch (lua_type(L, arg)) {
    case LUA_TNIL:
        return sqlite3_bind_null(st, i) == SQLITE_OK;
    case LUA_TBOOLEAN:
        return sqlite3_bind_int(st, i, lua_toboolean(L, arg)) == SQLITE_OK;
    case LUA_TNUMBER:
        if (lua_isinteger(L, arg))
            return sqlite3_bind_int64(st, i, lua_tointeger(L, arg)) == SQLITE_OK;
        return sqlite3_bind_double(st, i, lua_tonumber(L, arg)) == SQLITE_OK;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, arg, &len);

        return sqlite3_bind_text(st, i, s, (int)len, SQLITE_TRANSIENT) == SQLITE_OK;
    }
    default:
        return 0;
    }
}

struct fetch {
    sqlite3_stmt *st;
    long long limit;
    int rc;
};

/* Protected: turn the rows of f->st into a Lua array (pushed). */
static int
l_fetch(lua_State *L)
{
    struct fetch *f = lua_touserdata(L, 1);
    int i, ncols = sqlite3_column_count(f->st);
    lua_Integer nrows = 0;

    lua_newtable(L);                                    /* f, rows */
    while ((f->rc = sqlite3_step(f->st)) == SQLITE_ROW) {
        if (f->limit > 0 && nrows >= f->limit)
            return luaL_error(L, "spiral.data.query: more than %d rows (limit rows)",
                              (int)f->limit);
        lua_createtable(L, 0, ncols);                   /* f, rows, row */
        for (i = 0; i < ncols; i++) {
            push_column(L, f->st, i);
            lua_setfield(L, -2, sqlite3_column_name(f->st, i));
        }
        lua_rawseti(L, -2, ++nrows);                    /* f, rows */
    }
    return 1;
}

/***
 * spiral.data.query(sql, ...) -> array of rows
 *
 * Run one SELECT with the values `...` bound to its parameters (`?`, `?1`,
 * `:name` in order) and return its rows as tables keyed by column name.
 * Anything but reading, and reading free texts, pseudonyms or imported
 * file names, raises SP_LUA_SQL_REFUSED.  More rows than
 * spiral.limits.rows raise an error.
 */
static int
l_data_query(lua_State *L)
{
    sp_engine_t *eng = sp_engine_from_lua(L);
    sp_store_t *store = sp_engine_store(eng);
    const char *sql = luaL_checkstring(L, 1);
    int nargs = lua_gettop(L) - 1, i, rc, lrc;
    struct fetch f;
    const char *why;
    char msg[400] = "";

    sp_lua_refuse_in_check(L, "spiral.data.query");
    if (store == NULL)
        return luaL_error(L, "spiral.data.query: no workspace (give --db)");
    for (i = 2; i <= nargs + 1; i++) {
        int t = lua_type(L, i);

        if (t != LUA_TNIL && t != LUA_TBOOLEAN && t != LUA_TNUMBER && t != LUA_TSTRING)
            return luaL_argerror(L, i, "a value to bind must be nil, a boolean, "
                                 "a number or a string");
    }
    luaL_checkstack(L, 8, NULL);
    lua_pushcfunction(L, l_fetch);                      /* .., fetch */
    rc = sp_lua_sql_prepare(store->db, sql, nargs, &f.st, &why);
    if (rc != SQLITE_OK)
        return luaL_error(L, "spiral.data.query: %s", why ? why : sqlite3_errmsg(store->db));
    /* From here until the statement is finalized nothing may raise. */
    for (i = 0; i < nargs; i++)
        bind_arg(L, f.st, i + 1, i + 2);
    f.limit = sp_engine_limits(eng)->value[SP_LIMIT_ROWS];
    f.rc = SQLITE_DONE;
    lua_pushlightuserdata(L, &f);                       /* .., fetch, f */
    lrc = lua_pcall(L, 1, 1, 0);                        /* .., rows | msg */
    if (lrc == LUA_OK && f.rc != SQLITE_DONE)
        snprintf(msg, sizeof msg, "spiral.data.query: %s", f.rc == SQLITE_AUTH
                 ? SP_LUA_SQL_REFUSED : sqlite3_errmsg(store->db));
    sqlite3_finalize(f.st);
    sqlite3_set_authorizer(store->db, NULL, NULL);
    if (lrc != LUA_OK)
        return lua_error(L);
    if (msg[0] != '\0')
        return luaL_error(L, "%s", msg);
    return 1;
}

static const luaL_Reg data_fns[] = {
    {"query", l_data_query},
    {NULL, NULL}
};

int
sp_lua_open_data(sp_engine_t *eng, sp_error_t **err)
{
    return sp_engine_register(eng, "data", data_fns, err);
}
