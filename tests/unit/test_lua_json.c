/*
 * test_lua_json.c -- the JSON <-> Lua conversion (core/lua/sp_lua_json.h):
 * integers stay integers, nulls become absent members or spiral.null in
 * arrays, tables become arrays only with keys 1..n, and a conversion that
 * runs out of memory half-way raises without leaking (run under valgrind).
 * Expected values are the JSON texts written in each test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include "lua/sp_lua_json.h"

/* An allocator that refuses to grow past *limit bytes (0: no limit). */
typedef struct heap_t {
    size_t used, limit;
} heap_t;

static void *
alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    heap_t *h = ud;
    size_t old = ptr ? osize : 0;

    if (nsize == 0) {
        free(ptr);
        h->used -= old;
        return NULL;
    }
    if (h->limit && nsize > old && h->used + (nsize - old) > h->limit)
        return NULL;
    ptr = realloc(ptr, nsize);
    if (ptr)
        h->used = h->used - old + nsize;
    return ptr;
}

typedef struct fixture_t {
    heap_t heap;
    lua_State *L;
} fixture_t;

static int
setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);

    f->L = lua_newstate(alloc, &f->heap);
    luaL_openlibs(f->L);
    lua_pushcfunction(f->L, sp_lua_json_null);
    lua_setglobal(f->L, "null");
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture_t *f = *state;

    lua_close(f->L);
    free(f);
    return 0;
}

/* Push the JSON text, then run chunk with it as `...`; the chunk asserts. */
static void
check_pushed(lua_State *L, const char *text, const char *chunk)
{
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);

    assert_non_null(v);
    assert_int_equal(luaL_loadstring(L, chunk), LUA_OK);
    sp_lua_push_json(L, v);
    json_decref(v);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK)
        fail_msg("%s", lua_tostring(L, -1));
}

/* Evaluate expr and convert its value; compare the compact JSON text. */
static void
check_converted(lua_State *L, const char *expr, const char *expected)
{
    json_t *v;
    char *text;

    assert_int_equal(luaL_loadstring(L, expr), LUA_OK);
    assert_int_equal(lua_pcall(L, 0, 1, 0), LUA_OK);
    v = sp_lua_to_json(L, -1);
    lua_pop(L, 1);
    text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    assert_string_equal(text, expected);
    free(text);
    json_decref(v);
}

static void
integers_stay_integers_and_reals_stay_floats(void **state)
{
    fixture_t *f = *state;

    check_pushed(f->L, "{\"n\": 6, \"share\": 0.5, \"big\": 9007199254740993}",
                 "local t = ... assert(math.type(t.n) == 'integer' and t.n == 6)"
                 " assert(math.type(t.share) == 'float' and t.share == 0.5)"
                 " assert(t.big == 9007199254740993)");
    check_converted(f->L, "return {n = 6, x = 2.5, big = 9007199254740993}",
                    "{\"big\":9007199254740993,\"n\":6,\"x\":2.5}");
}

static void
null_members_are_absent_and_null_elements_are_the_sentinel(void **state)
{
    fixture_t *f = *state;

    check_pushed(f->L, "{\"a\": null, \"shares\": [null, 0.25, null]}",
                 "local t = ... assert(t.a == nil and #t.shares == 3)"
                 " assert(t.shares[1] == null and t.shares[2] == 0.25 and t.shares[3] == null)"
                 " local n = 0 for _ in ipairs(t.shares) do n = n + 1 end assert(n == 3)");
}

static void
the_sentinel_converts_back_to_null(void **state)
{
    fixture_t *f = *state;

    check_converted(f->L, "return {null, 1, {k = null}}", "[null,1,{\"k\":null}]");
}

static void
arrays_are_one_based_and_tables_with_other_keys_are_objects(void **state)
{
    fixture_t *f = *state;

    check_pushed(f->L, "[\"a\", [true, false], {}]",
                 "local t = ... assert(t[1] == 'a' and t[2][1] == true and t[2][2] == false)"
                 " assert(type(t[3]) == 'table' and next(t[3]) == nil and t[0] == nil)");
    check_converted(f->L, "return {}", "[]");
    check_converted(f->L, "return {[1] = 'x', [3] = 'z'}", "{\"1\":\"x\",\"3\":\"z\"}");
    check_converted(f->L, "return {[2] = 'b'}", "{\"2\":\"b\"}");
    check_converted(f->L, "return {x = print, [true] = 1, nan = 0/0}", "{\"nan\":null,\"x\":null}");
}

/* Members come out in one order whatever the hash seed of the state:
 * names that are numbers by value, then the others by bytes.  Twenty
 * fresh states (twenty seeds) must all write the same text. */
static void
object_members_come_in_a_fixed_order(void **state)
{
    static const char expr[] =
        "return {b = 1, a = 2, [10] = 3, [2] = 4, ['1.5'] = 5, Z = 6, aa = 7, [-1] = 8}";
    static const char want[] = "{\"-1\":8,\"1.5\":5,\"2\":4,\"10\":3,\"Z\":6,\"a\":2,"
                               "\"aa\":7,\"b\":1}";
    int run;

    (void)state;
    for (run = 0; run < 20; run++) {
        lua_State *L = luaL_newstate();
        json_t *v;
        char *text;

        assert_int_equal(luaL_loadstring(L, expr), LUA_OK);
        assert_int_equal(lua_pcall(L, 0, 1, 0), LUA_OK);
        v = sp_lua_to_json(L, -1);
        text = json_dumps(v, JSON_COMPACT);              /* insertion order */
        assert_string_equal(text, want);
        free(text);
        json_decref(v);
        lua_close(L);
    }
}

static void
invalid_utf8_becomes_a_question_mark(void **state)
{
    fixture_t *f = *state;

    check_converted(f->L, "return {'caf\\xe9'}", "[\"?\"]");
}

static void
a_cycle_ends_in_null_at_the_depth_limit(void **state)
{
    fixture_t *f = *state;
    json_t *v;
    int depth = 0;

    assert_int_equal(luaL_dostring(f->L, "local t = {} t.t = t return t"), LUA_OK);
    v = sp_lua_to_json(f->L, -1);
    lua_pop(f->L, 1);
    for (json_t *x = v; json_is_object(x); x = json_object_get(x, "t"))
        depth++;
    assert_int_equal(depth, SP_LUA_JSON_DEPTH + 1);
    json_decref(v);
}

/* Protected: convert the value at 1 (an out-of-memory error propagates). */
static int
l_convert(lua_State *L)
{
    json_decref(sp_lua_to_json(L, 1));
    return 0;
}

static void
running_out_of_memory_half_way_raises_and_leaks_nothing(void **state)
{
    fixture_t *f = *state;
    int failures = 0, successes = 0;
    size_t slack;

    /* Nested tables: the deeper the conversion goes, the more Lua stack it
     * needs (memory no collection can give back), so with every budget
     * from tight to ample it either succeeds or raises (out of memory, or a
     * stack that cannot grow) after the root object was made -- and
     * valgrind sees no leak either way (it does when the root is not
     * freed on the error path). */
    assert_int_equal(luaL_dostring(f->L, "deep = {} local x = deep "
                                   "for i = 1, 99 do x[i * 1.5] = {} x = x[i * 1.5] end"),
                     LUA_OK);
    lua_gc(f->L, LUA_GCCOLLECT);
    for (slack = 0; slack < 12000; slack += 48) {
        int rc;

        lua_pushcfunction(f->L, l_convert);
        lua_getglobal(f->L, "deep");
        f->heap.limit = f->heap.used + slack;
        rc = lua_pcall(f->L, 1, 0, 0);
        f->heap.limit = 0;
        /* A refused stack growth is "stack overflow" (LUA_ERRRUN). */
        if (rc == LUA_OK)
            successes++;
        else if (rc == LUA_ERRMEM || strstr(lua_tostring(f->L, -1), "stack overflow"))
            failures++;
        else
            fail_msg("unexpected error %d: %s", rc, lua_tostring(f->L, -1));
        lua_settop(f->L, 0);
        lua_gc(f->L, LUA_GCCOLLECT);
    }
    assert_true(failures > 0);
    assert_true(successes > 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(integers_stay_integers_and_reals_stay_floats, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(null_members_are_absent_and_null_elements_are_the_sentinel,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(the_sentinel_converts_back_to_null, setup, teardown),
        cmocka_unit_test_setup_teardown(arrays_are_one_based_and_tables_with_other_keys_are_objects,
                                        setup, teardown),
        cmocka_unit_test(object_members_come_in_a_fixed_order),
        cmocka_unit_test_setup_teardown(invalid_utf8_becomes_a_question_mark, setup, teardown),
        cmocka_unit_test_setup_teardown(a_cycle_ends_in_null_at_the_depth_limit, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(running_out_of_memory_half_way_raises_and_leaks_nothing,
                                        setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
