/*
 * sp_lua_json.h -- the one conversion between jansson values and Lua
 * values, shared by the workspace functions (sp_lua_workspace.c) and the
 * internal spiral.evaluate.input/emit pair of `spiral evaluate` and
 * `spiral project` (cmd_evaluate.c).
 *
 * JSON to Lua: objects and arrays become tables (arrays 1-based; the key
 * order of an object is not kept, Lua tables have none), integers stay
 * integers, reals are floats, true/false booleans.  A null member of an
 * object is left out (reading it gives nil); a null element of an array
 * becomes the sentinel spiral.null, so that the array keeps its length and
 * `ipairs` does not stop at a hole.
 *
 * Lua to JSON: a table whose keys are exactly 1..n is an array (the empty
 * table too), any other table an object whose string and number keys
 * become member names (other keys are skipped); spiral.null, functions,
 * userdata and threads become null; NaN and infinities become null;
 * strings that are not valid UTF-8 become "?".  Nesting deeper than
 * SP_LUA_JSON_DEPTH becomes null (which also ends reference cycles).
 */
#ifndef SP_LUA_JSON_H
#define SP_LUA_JSON_H

#include <jansson.h>
#include <lua.h>

#define SP_LUA_JSON_DEPTH 100

/* Push v as a Lua value (nil for NULL).  May raise a memory error; v is
 * only read, and stays owned by the caller.  [-0, +1, m] */
void sp_lua_push_json(lua_State *L, const json_t *v);

/* The value at idx as JSON: a new reference the caller owns.  An object's
 * members are in a fixed order (number-like names by value, then the
 * others by bytes), so the same table gives the same JSON in every run.
 * The conversion runs in protected mode: when Lua raises in the middle (out
 * of memory) nothing built so far leaks, and the error is raised again.
 * [-0, +0, m] */
json_t *sp_lua_to_json(lua_State *L, int idx);

/* spiral.null: a unique value that stands for a JSON null inside arrays
 * (compare with `==`).  It is this C function: registering it as
 * spiral.null and pushing it with lua_pushcfunction give equal values.
 * Calling it returns it. */
int sp_lua_json_null(lua_State *L);

#endif
