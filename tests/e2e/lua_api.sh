#!/bin/sh
# lua_api.sh -- the spiral Lua module end to end (docs/lua-api.md).
#
# Every ```lua block of docs/lua-api.md is extracted (awk) and run, in
# order, with `spiral run` on a small workspace (the fixtures of
# tests/fixtures/import, workflow/{taxonomy,criteria}.csv,
# pooling/partnership.csv, two project versions) and an input folder holding 400 synthetic
# respondents from bench/gen_survey; an example fails the test when it
# raises (each ends with assert lines).  Then the behaviours of the
# commands: run (arguments, exit 3 with file:line and traceback, database
# unchanged), check (every mistake with file:line, exit 65; analyses
# refused), lua (a REPL session piped through stdin).
. "$SRCDIR/tests/e2e/lib.sh"
export SPIRAL_SCRIPTS="$SRCDIR/scripts"
F="$FIXTURES/import"
GEN="$BUILDDIR/bench/gen_survey"
mkdir -p "$WORK/indir" "$WORK/outdir" "$WORK/ex"

spiral init --territory MUL --name Mulhouse --country FR --population 1000
spiral import indicators "$F/indicators.csv"
spiral import forms "$F/forms.csv"
spiral import responses "$F/responses.csv" --form adults
spiral import resources "$F/resources.csv"
expect_status lua-0.1 0
# What the examples of "The workspace's results" read (criteria, actions,
# pooling, plans, two versions of the project): each step must succeed.
W="$FIXTURES/workflow"
load() { spiral import "$2" "$3"; expect_status "$1" 0; }   # load ID KIND FILE
load lua-0.3.1 taxonomy "$W/taxonomy.csv"
load lua-0.3.2 criteria "$W/criteria.csv"
load lua-0.3.3 actions "$F/actions.csv"
load lua-0.3.4 evaluations "$F/evaluations.csv"
load lua-0.3.5 accounts "$F/accounts.csv"
load lua-0.3.6 ledger "$F/ledger.csv"
load lua-0.3.7 limits "$F/limits.csv"
load lua-0.3.8 usage "$F/usage.csv"
load lua-0.3.9 pact "$F/pact.csv"
load lua-0.3.10 invitations "$F/invitations.csv"
load lua-0.3.11 partnership "$FIXTURES/pooling/partnership.csv"
spiral project build --quarter 2013-Q1
expect_status lua-0.4 0
printf 'code,title,country,town,neighbourhood,started_on,themes,problematiques,components,actors,sectors,plan\nJARDIN,Jardins partag\303\251s,FR,Mulhouse,Briand,2013-04-01,nature,8,B00,habitants,associatif,PLAN-2013\n' >"$WORK/jardin.csv"
spiral import actions "$WORK/jardin.csv"
expect_status lua-0.5 0
spiral project build --quarter 2013-Q2
expect_status lua-0.6 0
if [ ! -x "$GEN" ]; then echo "FAIL lua-0.2: $GEN is not built"; exit 1; fi
"$GEN" -n 400 --seed 7 -o "$WORK/indir/survey.csv"

# --- the documented examples ------------------------------------------------
awk -v dir="$WORK/ex" '
    /^```lua[ \t]*$/ { n++; file = sprintf("%s/example%02d.lua", dir, n); inside = 1; next }
    /^```/ && inside { inside = 0; close(file); next }
    inside { print > file }
' "$SRCDIR/docs/lua-api.md"
count=0
for ex in "$WORK"/ex/example*.lua; do
    count=$((count + 1))
    name=$(basename "$ex" .lua)
    spiral run --input "$WORK/indir" --output "$WORK/outdir" "$ex"
    expect_status "lua-doc.$name" 0
done
if [ "$count" -ge 15 ]; then ok "lua-doc.count ($count examples)"; else fail lua-doc.count "only $count examples"; fi
expect_eq lua-doc.csv "$(cat "$WORK/outdir/groups.csv")" "$(printf 'name;n\nBriand;3\nCoteaux;4')"
if grep -q '"table"' "$WORK/outdir/q01.json"; then ok lua-doc.json; else fail lua-doc.json "q01.json"; fi

# --- labels: the scripts' tables are the commands' ------------------------------
# ds:crosstab and ds:aggregate label codes with the same lookups as
# `spiral crosstab` and `spiral aggregate` (sp_scan_value_label): the same
# table in French, with the missing level shown (text), and the same
# aggregation with its variable and level labels (JSON), are the same.
cat > "$WORK/labels.lua" <<'LUA'
local spiral = require "spiral"
local ws <close> = assert(spiral.survey.dataset{workspace = true})
local what = ...
if what == "xtab" then
  print(ws:crosstab{rows = "q02", cols = "gender", layers = "q03", lang = "fr",
                    missing = "include", no_suppress = true}:text())
else
  print(ws:aggregate{vars = "q01,q02,q03", by = "gender", lang = "fr",
                     no_suppress = true}:json())
end
LUA
spiral crosstab --rows q02 --cols gender --layers q03 --lang fr --missing include --no-suppress
expect_status lua-labels.1 0
expect_out lua-labels.1b "(manquant)"
cp "$WORK/out" "$WORK/xtab.cmd"
spiral run "$WORK/labels.lua" xtab
expect_status lua-labels.2 0
expect_eq lua-labels.2b "$(cat "$WORK/out")" "$(cat "$WORK/xtab.cmd")"
spiral aggregate --vars q01,q02,q03 --by gender --lang fr --no-suppress --format json
expect_status lua-labels.3 0
cp "$WORK/out" "$WORK/agg.cmd"
spiral run "$WORK/labels.lua" agg
expect_status lua-labels.4 0
expect_out lua-labels.4b "Relations"
expect_eq lua-labels.4c "$(cat "$WORK/out")" "$(cat "$WORK/agg.cmd")"

# What ag:suppressed() lists is what `spiral aggregate` withholds: whole
# entries and, in the entries shown, distributions and shares (sp_agg.h).
# With K = 2: M and X (one respondent each) whole, but for M's q02, which
# has no answer (nothing to withhold) and one missing answer (withheld);
# F's two answers are on distinct levels (distributions), and one of them
# is bad for q03.
cat > "$WORK/withheld.lua" <<'LUA'
local spiral = require "spiral"
local ws <close> = assert(spiral.survey.dataset{workspace = true})
local ag <close> = assert(ws:aggregate{vars = "q01,q02,q03", by = "gender", min_cell = 2})
for _, w in ipairs(ag:suppressed()) do
  print(table.concat(w.group, "/") .. " " .. w.variable .. " " .. w.part)
end
LUA
spiral run "$WORK/withheld.lua"
expect_status lua-withheld.1 0
cp "$WORK/out" "$WORK/withheld.lua.out"
spiral aggregate --vars q01,q02,q03 --by gender --min-cell 2 --format json
jq -r '.suppressed[] | "\(.group.gender) \(.variable) \(.part)"' "$WORK/out" \
    >"$WORK/withheld.cmd"
expect_eq lua-withheld.2 "$(cat "$WORK/withheld.lua.out")" "$(cat "$WORK/withheld.cmd")"
n=$(cut -d' ' -f3 "$WORK/withheld.cmd" | sort -u | tr '\n' ' ')
expect_eq lua-withheld.3 "$n" "all distribution missing share_le "
expect_eq lua-withheld.4 "$(grep '^M q02 ' "$WORK/withheld.cmd")" "M q02 missing"

# --- spiral run -------------------------------------------------------------
cat > "$WORK/args.lua" <<'LUA'
local a, b = ...
print(arg[0]:match("args.lua$") and "script", a, b, #arg)
LUA
spiral run "$WORK/args.lua" one two
expect_status lua-run.1 0
expect_out lua-run.1b "script	one	two	2"

before=$(db_fingerprint)
cat > "$WORK/err.lua" <<'LUA'
local spiral = require "spiral"
spiral.def.indicator{code = "temp", component = "A03", label_fr = "T", label_en = "T",
  levels = {{fr = "a", en = "a"}, {fr = "b", en = "b"}}}
local function deeper() error("something went wrong") end
deeper()
LUA
spiral run "$WORK/err.lua"
expect_status lua-run.2 3
expect_err lua-run.2b "err.lua:4: something went wrong"
expect_err lua-run.2c "stack traceback"
expect_same lua-run.2d "$before"

spiral run --limit rows=10 --input "$WORK/indir" "$WORK/ex/example04.lua"
expect_status lua-run.3 3
expect_err lua-run.3b "limit rows"

spiral run --limit bogus=1 "$WORK/args.lua"
expect_status lua-run.4 64

# --- spiral check -------------------------------------------------------------
cat > "$WORK/bad.lua" <<'LUA'
local spiral = require "spiral"
spiral.def.indicator{code = "ok1", component = "A03", label_fr = "Un", label_en = "One",
  levels = {{fr = "a", en = "a"}, {fr = "b", en = "b"}}}
spiral.def.indicator{code = "bad", component = "A03", labl_fr = "X", label_en = "X",
  levels = {{fr = "a", en = "a"}, {fr = "b", en = 2}}}
spiral.def.form{code = "f", label_fr = "F", label_en = "F",
  items = {{name = "q1", indicator = "ok1"}, {name = "q2", indicator = "nope"}}}
LUA
before=$(db_fingerprint)
spiral check "$WORK/bad.lua"
expect_status lua-check.1 65
expect_err lua-check.1b "bad.lua:4: spiral.def.indicator 'bad': unknown field 'labl_fr' (did you mean 'label_fr'?)"
expect_err lua-check.1c "bad.lua:4: spiral.def.indicator 'bad': levels[2].en: must be a string"
expect_err lua-check.1d "bad.lua:6: spiral.def.form 'f': items[2].indicator: unknown indicator 'nope'"
expect_err lua-check.1e "4 mistakes"
expect_same lua-check.1f "$before"
spiral run "$WORK/bad.lua"
expect_status lua-check.2 3
expect_err lua-check.2b "bad.lua:4:"

cat > "$WORK/good.lua" <<'LUA'
local spiral = require "spiral"
spiral.def.indicator{code = "good", component = "A03", label_fr = "Un", label_en = "One",
  levels = {{fr = "a", en = "a"}, {fr = "b", en = "b"}}}
LUA
spiral check "$WORK/good.lua"
expect_status lua-check.3 0
expect_eq lua-check.3b "$(sql "SELECT count(*) FROM indicator WHERE code = 'good'")" 0

cat > "$WORK/analysis.lua" <<'LUA'
local spiral = require "spiral"
spiral.survey.dataset{workspace = true}
LUA
spiral check "$WORK/analysis.lua"
expect_status lua-check.4 3
expect_err lua-check.4b "not available in check mode"
printf 'local spiral = require "spiral"\nspiral.ledger.check()\n' >"$WORK/ledger.lua"
spiral check "$WORK/ledger.lua"
expect_status lua-check.5 3
expect_err lua-check.5b "spiral.ledger.check: not available in check mode"

# --- spiral lua ---------------------------------------------------------------
printf 'x = 1\nx\nlocal y = 2\ny\nfunction twice(v)\n  return v * 2\nend\ntwice(x + 20)\n{1, "a", k = true}\nerror("boom")\n"after"\n' > "$WORK/repl.in"
run_spiral lua < "$WORK/repl.in" > "$WORK/out" 2> "$WORK/err"
status=$?
expect_status lua-repl.1 0
expect_eq lua-repl.1b "$(cat "$WORK/out")" "$(printf '1\nnil\n42\n{1, "a", k = true}\nafter')"
expect_err lua-repl.1c "stdin:1: boom"

finish
