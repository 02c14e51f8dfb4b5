#!/bin/sh
# tests/e2e/cli.sh -- the program's conventions: --help, --version, help
# COMMAND, usage errors, exit statuses, the workspace default and the key.
. "$SRCDIR/tests/e2e/lib.sh"

spiral --help
expect_status cli-1.1 0
expect_out cli-1.2 "Usage: spiral [OPTION]... COMMAND [ARG]..."
expect_out cli-1.3 "import"
spiral --version
expect_status cli-2.1 0
expect_out cli-2.2 "spiral $VERSION"
expect_out cli-2.3 "Lua 5.4"
expect_out cli-2.4 "SQLite 3."
expect_out cli-2.5 "APR 1."
spiral help import
expect_status cli-3.1 0
expect_out cli-3.2 "Usage: spiral import KIND FILE"
spiral help nonsense
expect_status cli-3.3 64
expect_err cli-3.4 "unknown command 'nonsense'"
spiral nonsense
expect_status cli-4.1 64
expect_err cli-4.2 "spiral: unknown command 'nonsense'"
spiral --no-such-option
expect_status cli-4.3 64
spiral
expect_status cli-4.4 64
spiral import responses
expect_status cli-4.5 64
expect_err cli-4.6 "missing FILE"

# The workspace: --db beats SPIRAL_DB, which beats ./spiral.db.
spiral --db "$WORK/other.db" init
expect_status cli-5.1 0
[ -f "$WORK/other.db" ] && ok "cli-5.2 --db names the workspace" || fail cli-5.2 "no $WORK/other.db"
[ -f "$WORK/other.db.key" ] || [ -f "$SPIRAL_KEY" ] && ok "cli-5.3 a key was created" || fail cli-5.3 "no key"
(cd "$WORK" && unset SPIRAL_DB SPIRAL_KEY && "$SPIRAL" -q init) 
[ -f "$WORK/spiral.db" ] && [ -f "$WORK/spiral.db.key" ] && ok "cli-5.4 ./spiral.db and its key by default" || fail cli-5.4 "no ./spiral.db"
expect_eq cli-5.5 "$(stat -c %a "$WORK/spiral.db.key")" 600
# A key readable by others is refused.
chmod 644 "$WORK/spiral.db.key"
(cd "$WORK" && unset SPIRAL_DB SPIRAL_KEY && "$SPIRAL" import table t "$FIXTURES/import/forms.csv") >"$WORK/out" 2>"$WORK/err"
status=$?
expect_status cli-5.6 65
expect_err cli-5.7 "readable by its owner only"
# A file that is not a workspace.
spiral --db "$FIXTURES/import/forms.csv" import table t "$FIXTURES/import/forms.csv"
expect_status cli-5.8 65
expect_err cli-5.9 "not a spiral workspace"
# Export from a workspace that does not exist.
spiral --db "$WORK/none.db" export t
expect_status cli-5.10 66
[ ! -e "$WORK/none.db" ] && ok "cli-5.11 export did not create a workspace" || fail cli-5.11 "created"

# The progress bar: only on a terminal (script(1) gives one), never in a pipe.
"$BUILDDIR/bench/gen_survey" -n 150000 -o "$WORK/p.csv"
spiral init --territory t
spiral import indicators "$SRCDIR/bench/defs/indicators.csv"
spiral import forms "$SRCDIR/bench/defs/forms.csv"
if command -v script >/dev/null; then
    SPIRAL_PROGRESS_AFTER=0 script -qec "$SPIRAL import responses --form adults $WORK/p.csv" \
        /dev/null >"$WORK/tty" 2>&1
    if grep -q "import responses \[#*\.*\] *[0-9]*%" "$WORK/tty"; then ok "cli-6.1 progress bar on a terminal"
    else fail cli-6.1 "no progress bar: $(head -c 300 "$WORK/tty")"; fi
fi
SPIRAL_PROGRESS_AFTER=0 spiral import responses --form adults --force "$WORK/p.csv"
if grep -q "\[#" "$WORK/err"; then fail cli-6.2 "progress bar written to a pipe"; else ok "cli-6.2 no progress bar in a pipe"; fi
finish
