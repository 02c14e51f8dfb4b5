# tests/e2e/lib.sh -- helpers for end-to-end tests of the real program.
#
# Each test script sources this file, runs cases with stable ids, and ends
# with `finish`.  SPIRAL, SRCDIR and BUILDDIR come from tests/automake.mk.
set -u
: "${SPIRAL:?SPIRAL must name the spiral program}"
: "${SRCDIR:?SRCDIR must name the source tree}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/spiral-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export SPIRAL_DB="$WORK/ws.db" SPIRAL_KEY="$WORK/ws.key"
FIXTURES="$SRCDIR/tests/fixtures"
passed=0
failed=0

# Under --enable-valgrind the program runs under memcheck.
if [ -n "${SPIRAL_VALGRIND:-}" ]; then
    # through libtool, so that valgrind checks the program, not its wrapper script
    run_spiral() { "$BUILDDIR/libtool" --mode=execute valgrind -q --error-exitcode=99 \
        --leak-check=full --errors-for-leak-kinds=definite "$SPIRAL" "$@"; }
else
    run_spiral() { "$SPIRAL" "$@"; }
fi

# spiral ARGS...: run the program, keep stdout, stderr and the status.
spiral() {
    run_spiral "$@" >"$WORK/out" 2>"$WORK/err"
    status=$?
    return 0
}

ok()   { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; echo "  stderr: $(head -c 600 "$WORK/err")"; }

# expect_status ID N: the last run exited with N.
expect_status() {
    if [ "$status" -eq "$2" ]; then ok "$1 (exit $2)"; else fail "$1" "exit $status, expected $2"; fi
}
# expect_err ID TEXT: stderr contains TEXT (fixed string).
expect_err() {
    if grep -qF -- "$2" "$WORK/err"; then ok "$1"; else fail "$1" "stderr lacks: $2"; fi
}
# expect_out ID TEXT: stdout contains TEXT (fixed string).
expect_out() {
    if grep -qF -- "$2" "$WORK/out"; then ok "$1"; else fail "$1" "stdout lacks: $2"; fi
}
# db_fingerprint: a digest of every row of every table, to prove nothing changed.
db_fingerprint() {
    sqlite3 "$SPIRAL_DB" "SELECT name FROM sqlite_schema WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' ORDER BY name" |
    while read -r t; do echo "== $t"; sqlite3 "$SPIRAL_DB" "SELECT * FROM \"$t\" ORDER BY 1"; done | sha256sum
}
# expect_same ID BEFORE: the database fingerprint equals BEFORE.
expect_same() {
    if [ "$(db_fingerprint)" = "$2" ]; then ok "$1 (database unchanged)"; else fail "$1" "database changed"; fi
}
# sql QUERY: one value from the workspace.
sql() { sqlite3 "$SPIRAL_DB" "$1"; }
expect_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "got '$2', expected '$3'"; fi
}
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
