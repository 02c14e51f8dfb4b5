#!/bin/sh
# tests/e2e/ngc.sh -- the Lua port of Nos Gestes Climat
# (scripts/lib/meter/ngc.lua) against the published model's numbers
# (tests/fixtures/ngc/expected.lua), by tests/lua/ngc_test.lua under the
# standalone interpreter.  The test uses no io/os: it reaches the module and
# the fixture through require, so LUA_PATH names the two roots.  LUA may
# name another interpreter (default lua5.4, from setup.sh's packages).
set -u
: "${SRCDIR:?SRCDIR must name the source tree}"
LUA=${LUA:-lua5.4}
if ! command -v "$LUA" >/dev/null 2>&1; then
    echo "FAIL ngc: $LUA not found (apt-get install lua5.4, or ./setup.sh check)"
    exit 1
fi
LUA_PATH="$SRCDIR/scripts/?.lua;$SRCDIR/tests/fixtures/?.lua" \
    exec "$LUA" "$SRCDIR/tests/lua/ngc_test.lua"
