#!/bin/sh
# tests/e2e/scripts.sh -- the standard Lua scripts (scripts/lib) and the two
# territory packs (scripts/territories/mulhouse, .../wallonie_exemple).
#
# 1. tests/lua/scripts/test_*.lua under the standalone interpreter (no
#    spiral needed): structure, indicators, grid, meter, limits, routing,
#    and both packs loaded through a strict stand-in of spiral.def, with the
#    same batch of co-evaluations ranked under both territories' grids.
#    Every expected number is worked out by hand in the test's comments.
# 2. The meter example under the standalone interpreter.
# 3. When this build has `spiral check`: every territory's init.lua must
#    pass, and a copy with a misspelt field must fail naming file:line.
#
# Each inner case counts; the script ends with "N passed, M failed".
# LUA may name another interpreter (default lua5.4, from setup.sh).
. "$SRCDIR/tests/e2e/lib.sh"
LUA=${LUA:-lua5.4}
S="$SRCDIR/scripts"

if ! command -v "$LUA" >/dev/null 2>&1; then
    fail scripts-0 "$LUA not found (apt-get install lua5.4, or ./setup.sh check)"
    finish
    exit 1
fi

# -- 1. the Lua tests ----------------------------------------------------------
for t in structure meter grid territories; do
    f="$SRCDIR/tests/lua/scripts/test_$t.lua"
    SCRIPTS_DIR="$S" LUA_PATH="$S/?.lua;$S/?/init.lua;$SRCDIR/tests/lua/scripts/?.lua" \
        "$LUA" "$f" >"$WORK/lua.out" 2>"$WORK/err"
    rc=$?
    grep -v "^[0-9]* passed, [0-9]* failed$" "$WORK/lua.out"
    okn=$(grep -c '^ok ' "$WORK/lua.out")
    failn=$(grep -c '^FAIL ' "$WORK/lua.out")
    passed=$((passed + okn))
    failed=$((failed + failn))
    if [ "$rc" -ne 0 ] && [ "$failn" -eq 0 ]; then
        fail "scripts-$t" "test_$t.lua stopped with status $rc"
    fi
done

# -- 2. the meter example --------------------------------------------------------
LUA_PATH="$S/?.lua;$S/?/init.lua" "$LUA" "$S/examples/meter.lua" >"$WORK/out" 2>"$WORK/err"
status=$?
expect_status scripts-ex.1 0
expect_out scripts-ex.2 "greenhouse gases: 3.4 times your share"

# -- 3. spiral check on the packs ------------------------------------------------
# The source tree's scripts/ is a script root (an out-of-tree build has none).
SPIRAL_SCRIPTS="$S"; export SPIRAL_SCRIPTS
if run_spiral help check >/dev/null 2>&1; then
    spiral init --territory mulhouse --name Mulhouse --country FR
    expect_status scripts-check.0 0
    spiral import resources "$SRCDIR/datasets/mulhouse/data/resources.csv"
    expect_status scripts-check.1 0
    for t in mulhouse wallonie_exemple; do
        # with its folder as a root (its own pack.lua), and without (the
        # dotted fallback territories.<t>.pack)
        spiral check --territory-dir "$S/territories/$t" "$S/territories/$t/init.lua"
        expect_status "scripts-check.$t.1" 0
        expect_out "scripts-check.$t.2" "init.lua: ok"
        spiral check "$S/territories/$t/init.lua"
        expect_status "scripts-check.$t.3" 0
    done
    spiral check "$S/examples/indicator.lua"
    expect_status scripts-check.example 0

    # For real, in the sandbox: Mulhouse's definitions written to the
    # workspace, and its grid's Lua ranking called through spiral.def.get.
    # By hand: A: A06 (2 + 1) / 2 = 1.5, a gap, x 2 = 3; vulnerable (BEN)
    # 1 -> 4.  B: B00 2; co-responsibility 3 -> 5.  So B first.
    cat >"$WORK/rank.lua" <<'LUA'
local spiral = require "spiral"
local defs = require "territories.mulhouse.init"
local g = spiral.def.get("grid", "europe")
local rows = {
    { action = "A", evaluator = "HAB", kind = "inhabitants", component = "A06", score = 2 },
    { action = "A", evaluator = "BEN", kind = "beneficiaries", component = "A06", score = 1 },
    { action = "B", evaluator = "HAB", kind = "inhabitants", component = "B00", score = 2 },
}
local r = g.rank(defs.profiles(rows, { B = { coresponsibility = 3 } }), { gaps = { "A06" } })
for _, line in ipairs(g.synthesis(r).en) do print(line) end
LUA
    spiral run "$WORK/rank.lua"
    expect_status scripts-run.1 0
    expect_out scripts-run.2 "1. B: score 5 (well-being 2, most vulnerable 0, co-responsibility 3, resources 0)"
    expect_out scripts-run.3 "2. A: score 4 (well-being 3, most vulnerable 1, co-responsibility 0, resources 0)"
    expect_eq scripts-run.4 "$(sql "SELECT count(*) FROM indicator")" 24
    expect_eq scripts-run.5 "$(sql "SELECT count(*) FROM survey_form")" 4
    expect_eq scripts-run.6 "$(sql "SELECT count(*) FROM resource_limit")" 9
    # The examples a new user copies first, under the real program.
    spiral run --input "$SRCDIR/datasets/mulhouse/data" "$S/examples/crosstab.lua"
    expect_status scripts-run.7 0
    expect_out scripts-run.8 "neighbourhood x housing_bad"
    expect_out scripts-run.9 "bad or worse"
    spiral run "$S/examples/meter.lua"
    expect_status scripts-run.10 0
    expect_out scripts-run.11 "greenhouse gases: 3.4 times your share"

    # A copy of Mulhouse's pack with a misspelt field in a form item: the
    # copy's own pack.lua is found first (the territory folder is a script
    # root), and check names the file and line of the refused definition.
    mkdir -p "$WORK/broken"
    cp "$S/territories/mulhouse/init.lua" "$WORK/broken/init.lua"
    sed 's/{ name = "food", indicator = "food", fr = "Ce que je mange"/{ name = "food", indicatr = "food", fr = "Ce que je mange"/' \
        "$S/territories/mulhouse/pack.lua" >"$WORK/broken/pack.lua"
    if cmp -s "$S/territories/mulhouse/pack.lua" "$WORK/broken/pack.lua"; then
        fail scripts-check.broken.0 "the sed did not change pack.lua"
    fi
    spiral check --territory-dir "$WORK/broken" "$WORK/broken/init.lua"
    expect_status scripts-check.broken.1 65
    expect_err scripts-check.broken.2 "items[1]: unknown field 'indicatr' (did you mean 'indicator'?)"
    # The mistake is reported in the territory's own script, not in the
    # shared loader of scripts/lib/ that handed the data over.
    if grep -Eq '^[^ :]*/broken/init\.lua:[0-9]+: spiral\.def\.form .children.: ' "$WORK/err"; then
        ok scripts-check.broken.3
    else fail scripts-check.broken.3 "no file:line of the territory's script in the message"; fi
else
    echo "skip scripts-check: this spiral has no 'check' command yet"
fi

finish
