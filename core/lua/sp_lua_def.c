/*
 * sp_lua_def.c -- spiral.def: definitions written in Lua, strictly checked.
 *
 * Each definition kind has a field specification (a static table of
 * field_t below); a definition with an unknown or misspelled field, a
 * field of the wrong type, a missing required field, an unknown component
 * or an unknown indicator is refused with messages naming the field path
 * (levels[2].fr) at the caller's line.  In a run the first call with
 * mistakes raises one error listing them all; under `spiral check` every
 * mistake of every call is collected (sp_lua_check_add) and the script
 * goes on, and nothing is written.
 *
 * taxonomy, indicator, form and limit are written to the workspace within
 * the run's transaction (a later definition with the same key replaces the
 * earlier one); grid, meter and routing are kept in the per-run registry
 * (sp_lua_push_defs), readable with spiral.def.get(kind, code), as are all
 * the others.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <apr_strings.h>
#include "sp_lua.h"

typedef enum ftype_t {
    F_STR, F_BOOL, F_INT, F_NUM, F_FUNC, F_ANY,
    F_STRLIST,      /* array of strings */
    F_RECLIST,      /* array of records (sub) */
    F_REC,          /* record (sub) */
    F_FUNCMAP,      /* string -> function */
    F_NUMMAP        /* string -> number */
} ftype_t;

typedef struct field_t {
    const char *name;
    ftype_t type;
    int required;
    const struct field_t *sub;
} field_t;

static const char *const type_names[] = {
    "a string", "a boolean", "an integer", "a number", "a function", "a value",
    "an array of strings", "an array of tables", "a table",
    "a table of functions by name", "a table of numbers by name"
};

#define END {NULL, F_ANY, 0, NULL}

static const field_t node_fields[] = {
    {"code", F_STR, 1, NULL}, {"label_fr", F_STR, 1, NULL}, {"label_en", F_STR, 1, NULL},
    {"provisional", F_BOOL, 0, NULL}, {"level", F_STR, 0, NULL}, {"parent", F_STR, 0, NULL},
    END
};
static const field_t taxonomy_fields[] = {
    {"name", F_STR, 1, NULL}, {"version", F_STR, 1, NULL},
    {"nodes", F_RECLIST, 1, node_fields}, END
};
static const field_t level_fields[] = {
    {"fr", F_STR, 1, NULL}, {"en", F_STR, 1, NULL}, END
};
static const field_t indicator_fields[] = {
    {"code", F_STR, 1, NULL}, {"component", F_STR, 1, NULL},
    {"label_fr", F_STR, 1, NULL}, {"label_en", F_STR, 1, NULL},
    {"levels", F_RECLIST, 1, level_fields}, {"bad_at_most", F_INT, 0, NULL}, END
};
static const field_t item_fields[] = {
    {"name", F_STR, 1, NULL}, {"indicator", F_STR, 1, NULL},
    {"fr", F_STR, 0, NULL}, {"en", F_STR, 0, NULL}, END
};
static const field_t form_fields[] = {
    {"code", F_STR, 1, NULL}, {"label_fr", F_STR, 1, NULL}, {"label_en", F_STR, 1, NULL},
    {"items", F_RECLIST, 1, item_fields}, END
};
static const field_t scale_fields[] = {
    {"min", F_NUM, 1, NULL}, {"max", F_NUM, 1, NULL}, {"labels", F_STRLIST, 0, NULL}, END
};
static const field_t grid_fields[] = {
    {"code", F_STR, 1, NULL}, {"label_fr", F_STR, 1, NULL}, {"label_en", F_STR, 1, NULL},
    {"scale", F_REC, 1, scale_fields}, {"components", F_STRLIST, 1, NULL},
    {"viewpoints", F_STRLIST, 0, NULL}, {"rank", F_FUNC, 0, NULL},
    {"synthesis", F_FUNC, 0, NULL}, END
};
static const field_t question_fields[] = {
    {"name", F_STR, 1, NULL}, {"label_fr", F_STR, 1, NULL}, {"label_en", F_STR, 1, NULL},
    {"type", F_STR, 1, NULL}, {"default", F_ANY, 0, NULL}, END
};
static const field_t meter_fields[] = {
    {"code", F_STR, 1, NULL}, {"resources", F_STRLIST, 1, NULL},
    {"questions", F_RECLIST, 1, question_fields}, {"rules", F_FUNCMAP, 1, NULL},
    {"collective", F_NUMMAP, 0, NULL}, END
};
static const field_t limit_fields[] = {
    {"resource", F_STR, 1, NULL}, {"scope", F_STR, 1, NULL}, {"amount", F_NUM, 1, NULL},
    {"unit", F_STR, 0, NULL}, {"horizon", F_INT, 0, NULL}, {"source", F_STR, 1, NULL}, END
};
static const field_t when_fields[] = {
    {"kind", F_STR, 0, NULL}, {"theme", F_STR, 0, NULL}, END
};
static const field_t rule_fields[] = {
    {"when", F_REC, 1, when_fields}, {"groups", F_STRLIST, 1, NULL}, END
};
static const field_t routing_fields[] = {
    {"code", F_STR, 0, NULL}, {"rules", F_RECLIST, 1, rule_fields}, END
};

/* Mistakes of one call: a Lua array at index errs. */
typedef struct check_t {
    lua_State *L;
    int errs;
    const char *what;   /* "spiral.def.indicator" */
} check_t;

static void
mistake(check_t *c, const char *path, const char *fmt, const char *a, const char *b)
{
    lua_State *L = c->L;

    lua_pushfstring(L, "%s: %s%s", c->what, path, *path ? ": " : "");
    lua_pushfstring(L, fmt, a, b);
    lua_concat(L, 2);
    lua_rawseti(L, c->errs, (lua_Integer)luaL_len(L, c->errs) + 1);
}

/* Edit distance, for "did you mean". */
static size_t
distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j, d[32];

    if (la >= 31 || lb >= 31)
        return 99;
    for (j = 0; j <= lb; j++)
        d[j] = j;
    for (i = 1; i <= la; i++) {
        size_t prev = d[0], tmp;

        d[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t best = prev + (a[i - 1] != b[j - 1]);

            tmp = d[j];
            if (d[j] + 1 < best)
                best = d[j] + 1;
            if (d[j - 1] + 1 < best)
                best = d[j - 1] + 1;
            d[j] = best;
            prev = tmp;
        }
    }
    return d[lb];
}

static void validate(check_t *c, int idx, const field_t *spec, const char *path);

static int
is_array_of(lua_State *L, int idx, int type)
{
    lua_Integer i, n = (lua_Integer)lua_rawlen(L, idx);

    for (i = 1; i <= n; i++) {
        int t = lua_rawgeti(L, idx, i);

        lua_pop(L, 1);
        if (t != type)
            return 0;
    }
    return 1;
}

static void
check_value(check_t *c, int idx, const field_t *f, const char *path)
{
    lua_State *L = c->L;
    int t = lua_type(L, idx), ok = 1;

    switch (f->type) {
    case F_STR: ok = t == LUA_TSTRING; break;
    case F_BOOL: ok = t == LUA_TBOOLEAN; break;
    case F_INT: ok = t == LUA_TNUMBER && lua_isinteger(L, idx); break;
    case F_NUM: ok = t == LUA_TNUMBER; break;
    case F_FUNC: ok = t == LUA_TFUNCTION; break;
    case F_ANY: break;
    case F_STRLIST: ok = t == LUA_TTABLE && is_array_of(L, idx, LUA_TSTRING); break;
    case F_REC: ok = t == LUA_TTABLE; break;
    case F_RECLIST: ok = t == LUA_TTABLE && is_array_of(L, idx, LUA_TTABLE); break;
    case F_FUNCMAP:
    case F_NUMMAP:
        ok = t == LUA_TTABLE;
        if (ok) {
            lua_pushnil(L);
            while (lua_next(L, idx) != 0) {
                if (lua_type(L, -2) != LUA_TSTRING
                    || lua_type(L, -1) != (f->type == F_FUNCMAP ? LUA_TFUNCTION : LUA_TNUMBER))
                    ok = 0;
                lua_pop(L, 1);
            }
        }
        break;
    }
    if (!ok) {
        mistake(c, path, "must be %s, not %s", type_names[f->type], luaL_typename(L, idx));
        return;
    }
    if (f->type == F_REC) {
        validate(c, idx, f->sub, path);
    } else if (f->type == F_RECLIST) {
        lua_Integer i, n = (lua_Integer)lua_rawlen(L, idx);

        if (n == 0)
            mistake(c, path, "must not be empty%s%s", "", "");
        for (i = 1; i <= n; i++) {
            const char *sub;

            lua_rawgeti(L, idx, i);
            sub = lua_pushfstring(L, "%s[%d]", path, (int)i);
            validate(c, lua_gettop(L) - 1, f->sub, sub);
            lua_pop(L, 2);
        }
    }
}

/* Check the table at idx against spec; mistakes go to c->errs. */
static void
validate(check_t *c, int idx, const field_t *spec, const char *path)
{
    lua_State *L = c->L;
    const field_t *f;

    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 10, NULL);
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {                     /* .., key, value */
        const char *best = NULL;
        size_t bd = 3;

        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) {
            mistake(c, path, "unexpected positional value %s%s (fields are named)",
                    lua_type(L, -1) == LUA_TNUMBER ? lua_tostring(L, -1) : "", "");
            continue;
        }
        for (f = spec; f->name != NULL; f++) {
            size_t d = distance(f->name, lua_tostring(L, -1));

            if (d == 0)
                break;
            if (d < bd) {
                bd = d;
                best = f->name;
            }
        }
        if (f->name != NULL)
            continue;
        if (best != NULL)
            mistake(c, path, "unknown field '%s' (did you mean '%s'?)", lua_tostring(L, -1), best);
        else
            mistake(c, path, "unknown field '%s'%s", lua_tostring(L, -1), "");
    }
    for (f = spec; f->name != NULL; f++) {
        const char *sub = lua_pushfstring(L, "%s%s%s", path, *path ? "." : "", f->name);

        if (lua_getfield(L, idx, f->name) == LUA_TNIL) {
            if (f->required)
                mistake(c, sub, "is required%s%s", "", "");
        } else {
            check_value(c, lua_gettop(L), f, sub);
        }
        lua_pop(L, 2);
    }
}

/* ---- lookups: this run's definitions, then the workspace ---------------- */

/* Push defs[kind] (created when missing). */
static void
push_kind(lua_State *L, const char *kind)
{
    sp_lua_push_defs(L);                                /* defs */
    if (lua_getfield(L, -1, kind) != LUA_TTABLE) {      /* defs, t */
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, kind);
    }
    lua_remove(L, -2);                                  /* t */
}

static int
in_run(lua_State *L, const char *kind, const char *code)
{
    int found;

    push_kind(L, kind);
    found = lua_getfield(L, -1, code) != LUA_TNIL;
    lua_pop(L, 2);
    return found;
}

/* 1 when sql (one parameter) returns a row. */
static int
in_store(lua_State *L, const char *sql, const char *code)
{
    sp_store_t *store = sp_engine_store(sp_engine_from_lua(L));
    sqlite3_stmt *st;
    int found = 0;

    if (store == NULL || sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK)
        return 0;
    if (code != NULL)
        sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

static int
component_format(const char *code)
{
    return code[0] >= 'A' && code[0] <= 'Z' && code[1] >= '0' && code[1] <= '9'
        && code[2] >= '0' && code[2] <= '9' && code[3] == '\0';
}

/* A component is known when a taxonomy (of this run or the workspace) has
 * it; when no taxonomy is known at all, a well-formed code is accepted. */
static int
component_known(lua_State *L, const char *code)
{
    int any;

    if (in_run(L, "component", code)
        || in_store(L, "SELECT 1 FROM taxonomy_node WHERE level = 'component' AND code = ?1",
                    code))
        return 1;
    push_kind(L, "component");
    lua_pushnil(L);
    any = lua_next(L, -2) != 0;
    lua_pop(L, any ? 3 : 1);
    if (any || in_store(L, "SELECT 1 FROM taxonomy_node LIMIT 1", NULL))
        return 0;
    return component_format(code);
}

static const char *
str_field(lua_State *L, int idx, const char *field)
{
    const char *s;

    lua_getfield(L, idx, field);
    s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;  /* anchored by the table */
    lua_pop(L, 1);
    return s;
}

/* ---- the writers (run mode with a workspace) ---------------------------- */

/* Raise with SQLite's message; st may be NULL. */
static int
db_fail(lua_State *L, sqlite3 *db, sqlite3_stmt *st, const char *what)
{
    char msg[300];

    snprintf(msg, sizeof msg, "%s: %s", what, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return luaL_error(L, "%s", msg);
}

/* Run sql with binds described by fmt ('s' text, NULL for null; 'i'
 * integer; 'd' double) from the varargs; returns the first column of a
 * returned row, else last_insert_rowid. */
static sqlite3_int64
exec(lua_State *L, sqlite3 *db, const char *what, const char *sql, const char *fmt, ...)
{
    sqlite3_stmt *st;
    va_list ap;
    int i, rc;
    sqlite3_int64 out = 0;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        db_fail(L, db, NULL, what);
    va_start(ap, fmt);
    for (i = 0; fmt[i]; i++) {
        switch (fmt[i]) {
        case 's': {
            const char *v = va_arg(ap, const char *);

            if (v == NULL)
                sqlite3_bind_null(st, i + 1);
            else
                sqlite3_bind_text(st, i + 1, v, -1, SQLITE_TRANSIENT);
            break;
        }
        case 'i': sqlite3_bind_int64(st, i + 1, va_arg(ap, long long)); break;
        default: sqlite3_bind_double(st, i + 1, va_arg(ap, double)); break;
        }
    }
    va_end(ap);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        out = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        out = sqlite3_last_insert_rowid(db);
    else
        db_fail(L, db, st, what);
    sqlite3_finalize(st);
    return out;
}

/* Level and parent of a taxonomy code: A family, A01 component, A01-11
 * sub-object.  Returns 0 when the code says neither. */
static int
infer_level(const char *code, const char **level, char *parent, size_t size)
{
    const char *dash = strchr(code, '-');

    parent[0] = '\0';
    if (code == NULL)
        return 0;
    if (code[0] >= 'A' && code[0] <= 'Z' && code[1] == '\0') {
        *level = "family";
        return 1;
    }
    if (component_format(code)) {
        *level = "component";
        snprintf(parent, size, "%c", code[0]);
        return 1;
    }
    if (dash != NULL && dash > code && (size_t)(dash - code) < size) {
        *level = "subobject";
        memcpy(parent, code, (size_t)(dash - code));
        parent[dash - code] = '\0';
        return 1;
    }
    return 0;
}

static void
node_level(lua_State *L, int node, const char **level, const char **parent, char *buf,
           size_t size)
{
    *level = str_field(L, node, "level");
    *parent = str_field(L, node, "parent");
    if (*level == NULL) {
        infer_level(str_field(L, node, "code"), level, buf, size);
        if (*parent == NULL && buf[0] != '\0')
            *parent = buf;
    }
}

static void
write_taxonomy(lua_State *L, sqlite3 *db)
{
    lua_Integer i, n;
    sqlite3_int64 id;

    exec(L, db, "taxonomy", "INSERT INTO taxonomy (name, version) VALUES (?1, ?2) "
         "ON CONFLICT (name, version) DO NOTHING", "ss", str_field(L, 1, "name"),
         str_field(L, 1, "version"));
    id = exec(L, db, "taxonomy", "SELECT id FROM taxonomy WHERE name = ?1 AND version = ?2", "ss",
              str_field(L, 1, "name"), str_field(L, 1, "version"));
    exec(L, db, "taxonomy", "DELETE FROM taxonomy_node WHERE taxonomy_id = ?1", "i", (long long)id);
    lua_getfield(L, 1, "nodes");
    n = (lua_Integer)lua_rawlen(L, -1);
    for (i = 1; i <= n; i++) {
        const char *level, *parent;
        char buf[64];
        int top;

        lua_rawgeti(L, -1, i);
        top = lua_gettop(L);
        node_level(L, top, &level, &parent, buf, sizeof buf);
        lua_getfield(L, top, "provisional");
        exec(L, db, "taxonomy node", "INSERT INTO taxonomy_node (taxonomy_id, code, parent_code, "
             "level, label_fr, label_en, provisional) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
             "isssssi", (long long)id, str_field(L, top, "code"), parent, level,
             str_field(L, top, "label_fr"), str_field(L, top, "label_en"),
             (long long)lua_toboolean(L, -1));
        lua_settop(L, top - 1);
    }
    lua_pop(L, 1);
}

static void
write_indicator(lua_State *L, sqlite3 *db, int nlevels, int bad)
{
    const char *code = str_field(L, 1, "code");
    sqlite3_int64 id;
    lua_Integer i;

    id = exec(L, db, "indicator", "SELECT id FROM indicator WHERE code = ?1", "s", code);
    if (id == 0 || !in_store(L, "SELECT 1 FROM indicator WHERE code = ?1", code))
        id = exec(L, db, "indicator", "INSERT INTO indicator (code, component_code, label_fr, "
                  "label_en, nlevels, bad_at_most) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", "ssssii",
                  code, str_field(L, 1, "component"), str_field(L, 1, "label_fr"),
                  str_field(L, 1, "label_en"), (long long)nlevels, (long long)bad);
    else
        exec(L, db, "indicator", "UPDATE indicator SET component_code = ?2, label_fr = ?3, "
             "label_en = ?4, nlevels = ?5, bad_at_most = ?6 WHERE id = ?1", "isssii",
             (long long)id, str_field(L, 1, "component"), str_field(L, 1, "label_fr"),
             str_field(L, 1, "label_en"), (long long)nlevels, (long long)bad);
    exec(L, db, "indicator", "DELETE FROM indicator_level WHERE indicator_id = ?1", "i",
         (long long)id);
    lua_getfield(L, 1, "levels");
    for (i = 1; i <= nlevels; i++) {
        lua_rawgeti(L, -1, i);
        exec(L, db, "indicator level", "INSERT INTO indicator_level VALUES (?1, ?2, ?3, ?4)",
             "iiss", (long long)id, (long long)i, str_field(L, -1, "fr"), str_field(L, -1, "en"));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static void
write_form(lua_State *L, sqlite3 *db)
{
    const char *code = str_field(L, 1, "code");
    sqlite3_int64 id;
    lua_Integer i, n;

    exec(L, db, "form", "INSERT INTO survey_form (code, label_fr, label_en) VALUES (?1, ?2, ?3) "
         "ON CONFLICT (code) DO UPDATE SET label_fr = excluded.label_fr, "
         "label_en = excluded.label_en", "sss", code, str_field(L, 1, "label_fr"),
         str_field(L, 1, "label_en"));
    id = exec(L, db, "form", "SELECT id FROM survey_form WHERE code = ?1", "s", code);
    exec(L, db, "form", "DELETE FROM form_item WHERE form_id = ?1", "i", (long long)id);
    lua_getfield(L, 1, "items");
    n = (lua_Integer)lua_rawlen(L, -1);
    for (i = 1; i <= n; i++) {
        const char *fr, *en;

        lua_rawgeti(L, -1, i);
        fr = str_field(L, -1, "fr");
        en = str_field(L, -1, "en");
        exec(L, db, "form item", "INSERT INTO form_item (form_id, position, name, indicator_id, "
             "wording_fr, wording_en) VALUES (?1, ?2, ?3, (SELECT id FROM indicator WHERE "
             "code = ?4), ?5, ?6)", "iissss", (long long)id, (long long)i,
             str_field(L, -1, "name"), str_field(L, -1, "indicator"), fr ? fr : "", en ? en : "");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static const char *const scopes[] = {"world", "country", "territory", "person", NULL};

static void
write_limit(lua_State *L, sqlite3 *db)
{
    const char *scope = str_field(L, 1, "scope"), *unit = str_field(L, 1, "unit");
    sqlite3_int64 resource, territory = 0, horizon = -1;

    resource = exec(L, db, "limit", "SELECT id FROM resource WHERE code = ?1", "s",
                    str_field(L, 1, "resource"));
    if (strcmp(scope, "territory") == 0)
        territory = exec(L, db, "limit", "SELECT CASE WHEN count(*) = 1 THEN max(id) END "
                         "FROM territory", "");
    lua_getfield(L, 1, "horizon");
    if (lua_isinteger(L, -1))
        horizon = (sqlite3_int64)lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, 1, "amount");
    exec(L, db, "limit", "DELETE FROM resource_limit WHERE resource_id = ?1 AND scope = ?2 "
         "AND ifnull(horizon_year, -1) = ?3", "isi", (long long)resource, scope,
         (long long)horizon);
    if (horizon >= 0)
        exec(L, db, "limit", "INSERT INTO resource_limit (resource_id, scope, amount, unit, "
             "horizon_year, source, territory_id) VALUES (?1, ?2, ?3, ifnull(?4, (SELECT unit "
             "FROM resource WHERE id = ?1)), ?5, ?6, nullif(?7, 0))", "isdsisi",
             (long long)resource, scope, lua_tonumber(L, -1), unit, (long long)horizon,
             str_field(L, 1, "source"), (long long)territory);
    else
        exec(L, db, "limit", "INSERT INTO resource_limit (resource_id, scope, amount, unit, "
             "horizon_year, source, territory_id) VALUES (?1, ?2, ?3, ifnull(?4, (SELECT unit "
             "FROM resource WHERE id = ?1)), NULL, ?5, nullif(?6, 0))", "isdssi",
             (long long)resource, scope, lua_tonumber(L, -1), unit, str_field(L, 1, "source"),
             (long long)territory);
    lua_pop(L, 1);
}

/* ---- the definition functions ------------------------------------------- */

enum { K_TAXONOMY, K_INDICATOR, K_FORM, K_GRID, K_METER, K_LIMIT, K_ROUTING };

static const struct {
    const char *name;
    const field_t *spec;
} kinds[] = {
    {"taxonomy", taxonomy_fields}, {"indicator", indicator_fields}, {"form", form_fields},
    {"grid", grid_fields}, {"meter", meter_fields}, {"limit", limit_fields},
    {"routing", routing_fields}
};

static const char *const kind_names[] = {
    "taxonomy", "indicator", "form", "grid", "meter", "limit", "routing", NULL
};

/* Checks that need more than the field types. */
static void
semantics(check_t *c, int kind)
{
    lua_State *L = c->L;
    lua_Integer i, n;

    switch (kind) {
    case K_TAXONOMY:
        lua_getfield(L, 1, "nodes");
        n = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
        for (i = 1; i <= n; i++) {
            const char *code, *level, *parent;
            char buf[64], path[64];

            if (lua_rawgeti(L, -1, i) != LUA_TTABLE) {
                lua_pop(L, 1);
                continue;
            }
            code = str_field(L, -1, "code");
            snprintf(path, sizeof path, "nodes[%d]", (int)i);
            node_level(L, lua_gettop(L), &level, &parent, buf, sizeof buf);
            if (code != NULL && level == NULL)
                mistake(c, path, "cannot tell the level of code '%s'; give level = "
                        "\"family\", \"component\" or \"subobject\"%s", code, "");
            else if (level != NULL && strcmp(level, "family") && strcmp(level, "component")
                     && strcmp(level, "subobject"))
                mistake(c, path, "level '%s' is not family, component or subobject%s", level, "");
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        break;
    case K_INDICATOR: {
        const char *comp = str_field(L, 1, "component");

        if (comp != NULL && !component_known(L, comp))
            mistake(c, "component", "unknown component '%s'%s", comp, "");
        lua_getfield(L, 1, "levels");
        n = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
        lua_pop(L, 1);
        if (n != 0 && (n < 2 || n > 10))
            mistake(c, "levels", "expected 2 to 10 levels, from worst to best%s%s", "", "");
        lua_getfield(L, 1, "bad_at_most");
        if (lua_isinteger(L, -1) && n >= 2 && (lua_tointeger(L, -1) < 1
                                               || lua_tointeger(L, -1) >= n))
            mistake(c, "bad_at_most", "must be a level below the last one%s%s", "", "");
        lua_pop(L, 1);
        break;
    }
    case K_FORM:
        lua_getfield(L, 1, "items");
        n = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
        for (i = 1; i <= n; i++) {
            const char *ind;
            char path[64];

            lua_rawgeti(L, -1, i);
            ind = lua_istable(L, -1) ? str_field(L, -1, "indicator") : NULL;
            snprintf(path, sizeof path, "items[%d].indicator", (int)i);
            if (ind != NULL && !in_run(L, "indicator", ind)
                && !in_store(L, "SELECT 1 FROM indicator WHERE code = ?1", ind))
                mistake(c, path, "unknown indicator '%s'%s", ind, "");
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        break;
    case K_GRID:
        lua_getfield(L, 1, "components");
        n = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
        for (i = 1; i <= n; i++) {
            char path[64];

            lua_rawgeti(L, -1, i);
            snprintf(path, sizeof path, "components[%d]", (int)i);
            if (lua_type(L, -1) == LUA_TSTRING && !component_known(L, lua_tostring(L, -1)))
                mistake(c, path, "unknown component '%s'%s", lua_tostring(L, -1), "");
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        break;
    case K_METER:
        for (i = 0; i < 2; i++) {
            const char *field = i == 0 ? "rules" : "collective";

            lua_getfield(L, 1, field);
            if (lua_istable(L, -1)) {
                lua_pushnil(L);
                while (lua_next(L, -2) != 0) {
                    int known = 0;

                    lua_pop(L, 1);
                    if (lua_type(L, -1) == LUA_TSTRING) {
                        lua_getfield(L, 1, "resources");
                        if (lua_istable(L, -1)) {
                            lua_Integer j, m = (lua_Integer)lua_rawlen(L, -1);

                            for (j = 1; j <= m && !known; j++) {
                                lua_rawgeti(L, -1, j);
                                known = lua_rawequal(L, -1, -3);
                                lua_pop(L, 1);
                            }
                        }
                        lua_pop(L, 1);
                        if (!known)
                            mistake(c, field, "'%s' is not one of the meter's resources%s",
                                    lua_tostring(L, -1), "");
                    }
                }
            }
            lua_pop(L, 1);
        }
        break;
    case K_LIMIT: {
        const char *scope = str_field(L, 1, "scope"), *res = str_field(L, 1, "resource");
        int j;

        for (j = 0; scope != NULL && scopes[j] != NULL && strcmp(scopes[j], scope); j++)
            ;
        if (scope != NULL && scopes[j] == NULL)
            mistake(c, "scope", "'%s' is not world, country, territory or person%s", scope, "");
        if (res != NULL && !in_store(L, "SELECT 1 FROM resource WHERE code = ?1", res))
            mistake(c, "resource", "unknown resource '%s' (import resources first)%s", res, "");
        lua_getfield(L, 1, "amount");
        if (lua_type(L, -1) == LUA_TNUMBER && !(lua_tonumber(L, -1) >= 0))
            mistake(c, "amount", "must be >= 0%s%s", "", "");
        lua_pop(L, 1);
        break;
    }
    default:
        break;
    }
}

/* The key a definition is registered under. */
static const char *
def_key(lua_State *L, int kind)
{
    if (kind == K_TAXONOMY)
        return lua_pushfstring(L, "%s@%s", str_field(L, 1, "name"), str_field(L, 1, "version"));
    if (kind == K_LIMIT)
        return lua_pushfstring(L, "%s/%s", str_field(L, 1, "resource"), str_field(L, 1, "scope"));
    lua_pushstring(L, str_field(L, 1, "code") ? str_field(L, 1, "code") : "default");
    return lua_tostring(L, -1);
}

/* Push "file:line:" of the innermost caller outside the standard library
 * (scripts/lib/): a mistake in a territory's data is reported where the
 * territory's script handed it over, not inside a shared loader. */
static void
push_user_where(lua_State *L)
{
    lua_Debug ar;
    int level;

    for (level = 1; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0)
            continue;
        if (strstr(ar.source, "/lib/") == NULL && strncmp(ar.source, "@lib/", 5) != 0) {
            lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
            return;
        }
    }
    luaL_where(L, 1);
}

static int
define(lua_State *L, int kind)
{
    check_t c;
    lua_Integer nerr;
    sp_store_t *store;
    const char *where;

    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    c.L = L;
    lua_getfield(L, 1, "code");
    c.what = lua_type(L, -1) == LUA_TSTRING
        ? lua_pushfstring(L, "spiral.def.%s '%s'", kinds[kind].name, lua_tostring(L, -1))
        : lua_pushfstring(L, "spiral.def.%s", kinds[kind].name);
    lua_replace(L, 2);                                  /* def, what */
    lua_newtable(L);                                    /* def, what, errs */
    c.errs = 3;
    validate(&c, 1, kinds[kind].spec, "");
    semantics(&c, kind);
    nerr = luaL_len(L, 3);
    if (nerr > 0) {
        lua_Integer i;

        push_user_where(L);                             /* .., where */
        where = lua_tostring(L, -1);
        if (sp_lua_in_check(L)) {
            for (i = 1; i <= nerr; i++) {
                lua_rawgeti(L, 3, i);
                sp_lua_check_add(L, where, lua_tostring(L, -1));
                lua_pop(L, 1);
            }
            lua_settop(L, 1);
            return 1;
        }
        lua_pushvalue(L, -1);                           /* .., where, where */
        for (i = 1; i <= nerr; i++) {
            if (i > 1)
                lua_pushliteral(L, "; ");
            lua_rawgeti(L, 3, i);
            lua_concat(L, i > 1 ? 3 : 2);
        }
        return lua_error(L);
    }
    /* Register for this run; remember a taxonomy's components. */
    push_kind(L, kinds[kind].name);                     /* .., t */
    def_key(L, kind);                                   /* .., t, key */
    lua_pushvalue(L, 1);
    lua_settable(L, -3);
    lua_pop(L, 1);
    if (kind == K_TAXONOMY) {
        lua_Integer i, n;

        push_kind(L, "component");                      /* .., comps */
        lua_getfield(L, 1, "nodes");
        n = (lua_Integer)lua_rawlen(L, -1);
        for (i = 1; i <= n; i++) {
            const char *level, *parent;
            char buf[64];

            lua_rawgeti(L, -1, i);
            node_level(L, lua_gettop(L), &level, &parent, buf, sizeof buf);
            if (level != NULL && strcmp(level, "component") == 0) {
                lua_pushboolean(L, 1);
                lua_setfield(L, -4, str_field(L, -2, "code"));
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 2);
    }
    store = sp_engine_store(sp_engine_from_lua(L));
    if (!sp_lua_in_check(L) && store != NULL) {
        switch (kind) {
        case K_TAXONOMY: write_taxonomy(L, store->db); break;
        case K_INDICATOR: {
            int nl, bad;

            lua_getfield(L, 1, "levels");
            nl = (int)lua_rawlen(L, -1);
            lua_getfield(L, 1, "bad_at_most");
            bad = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : nl >= 4 ? 2 : 1;
            lua_pop(L, 2);
            write_indicator(L, store->db, nl, bad);
            break;
        }
        case K_FORM: write_form(L, store->db); break;
        case K_LIMIT: write_limit(L, store->db); break;
        default: break;
        }
    }
    lua_settop(L, 1);
    return 1;
}

/***
 * spiral.def.taxonomy{...}, .indicator{...}, .form{...}, .grid{...},
 * .meter{...}, .limit{...}, .routing{...} -> the definition
 * (docs/lua-api.md lists the fields of each)
 */
static int l_def_taxonomy(lua_State *L) { return define(L, K_TAXONOMY); }
static int l_def_indicator(lua_State *L) { return define(L, K_INDICATOR); }
static int l_def_form(lua_State *L) { return define(L, K_FORM); }
static int l_def_grid(lua_State *L) { return define(L, K_GRID); }
static int l_def_meter(lua_State *L) { return define(L, K_METER); }
static int l_def_limit(lua_State *L) { return define(L, K_LIMIT); }
static int l_def_routing(lua_State *L) { return define(L, K_ROUTING); }

/***
 * spiral.def.get(kind, code) -> the definition made in this run, or nil
 *
 * code: the definition's code; "name@version" for a taxonomy;
 * "resource/scope" for a limit; "default" for a routing without code.
 */
static int
l_def_get(lua_State *L)
{
    int kind = luaL_checkoption(L, 1, NULL, kind_names);
    const char *code = luaL_checkstring(L, 2);

    push_kind(L, kinds[kind].name);
    lua_getfield(L, -1, code);
    return 1;
}

static const luaL_Reg def_fns[] = {
    {"taxonomy", l_def_taxonomy},
    {"indicator", l_def_indicator},
    {"form", l_def_form},
    {"grid", l_def_grid},
    {"meter", l_def_meter},
    {"limit", l_def_limit},
    {"routing", l_def_routing},
    {"get", l_def_get},
    {NULL, NULL}
};

int
sp_lua_open_def(sp_engine_t *eng, sp_error_t **err)
{
    return sp_engine_register(eng, "def", def_fns, err);
}
