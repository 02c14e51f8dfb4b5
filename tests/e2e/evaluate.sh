#!/bin/sh
# tests/e2e/evaluate.sh -- `spiral evaluate` and `spiral project` end to end
# on the tiny fixtures of tests/fixtures/evaluate (README there).
#
# Expected numbers, worked out by hand (grid mini, scale -2..+2, so a
# disagreement is a spread > 2):
#   A1 ex-ante A01 = {G1 2, G2 0}: mean 1, median 1, spread 2 (no flag), sd 1
#   A1 ex-ante A02 = {-2, 1}: mean -0.5, spread 3 -> disagreement, sd 1.5
#   A1 ex-ante family A = (1 - 0.5) / 2 = 0.25
#   A1 ex-post A01 = {2, 2}: mean 2 -> delta +1
#   A2 ex-ante B01 = {1, 2}: mean 1.5, sd 0.5
#   rank (the test grid: by mean of the profile, ex-post first): A1 2, A2 1.5
#   ex-ante gaps: A02 (only A1, negative); A1 and A2 complement (A01 + B01)
#   new links: A1 environnement+social (first), A2 emploi+social
# After the template round trip (group G3 scores 1 everywhere, ex-ante):
#   A1 A02 = {-2, 1, 1}: mean 0; A2 B01 = {1, 2, 1}: mean 4/3
. "$SRCDIR/tests/e2e/lib.sh"
F="$FIXTURES/evaluate"
T="$F/terr"
export SPIRAL_SCRIPTS="$SRCDIR/scripts"
j() { jq -r "$1" "$WORK/out"; }

run_spiral -q init --territory e2e --name E2E --population 1000 >/dev/null 2>&1
sql "INSERT INTO neighbourhood (territory_id, name) VALUES (1, 'Briand')"
run_spiral -q import actions "$F/actions.csv" >/dev/null 2>&1
run_spiral -q import evaluations "$F/evaluations.csv" >/dev/null 2>&1
expect_eq eval-0.1 "$(sql 'SELECT count(*) FROM evaluation_score')" 9

# -- one plan, JSON ----------------------------------------------------------
spiral -q evaluate P-OK --territory-dir "$T" --format json
expect_status eval-1.1 0
A1='.plans[0].actions[] | select(.code == "A1")'
expect_eq eval-1.2 "$(j "$A1 | .phases[\"ex-ante\"].components[0].mean")" 1
expect_eq eval-1.3 "$(j "$A1 | .phases[\"ex-ante\"].components[0].disagreement")" false
expect_eq eval-1.4 "$(j "$A1 | .phases[\"ex-ante\"].components[1].mean")" -0.5
expect_eq eval-1.5 "$(j "$A1 | .phases[\"ex-ante\"].components[1].spread")" 3
expect_eq eval-1.6 "$(j "$A1 | .phases[\"ex-ante\"].components[1].sd")" 1.5
expect_eq eval-1.7 "$(j "$A1 | .phases[\"ex-ante\"].components[1].disagreement")" true
expect_eq eval-1.8 "$(j "$A1 | .phases[\"ex-ante\"].families[0].mean")" 0.25
expect_eq eval-1.9 "$(j "$A1 | .delta[0].delta")" 1
expect_eq eval-1.10 "$(j '.plans[0].actions[] | select(.code == "A2") | .phases["ex-ante"].components[0].sd')" 0.5
expect_eq eval-1.11 "$(j '[.plans[0].ranking[].action] | join(",")')" A1,A2
expect_eq eval-1.12 "$(j '.plans[0].ranking[1].score')" 1.5
expect_eq eval-1.13 "$(j '.plans[0].across["ex-ante"].gaps | join(",")')" A02
expect_eq eval-1.14 "$(j '.plans[0].across["ex-ante"].complements[0].covered')" 2
expect_eq eval-1.15 "$(j "$A1 | .coresponsibility.new_links[0] | join(\"+\")")" environnement+social
expect_eq eval-1.16 "$(j '.plans[0].synthesis[0]')" "2 actions classées / ranked"
expect_eq eval-1.17 "$(j '.plans[0].actions[] | select(.code == "A2") | .coresponsibility.new_links[0] | join("+")')" emploi+social

# -- text ----------------------------------------------------------------------
spiral -q evaluate P-OK --territory-dir "$T" --phase ex-ante
expect_status eval-2.1 0
expect_out eval-2.2 "DISAGREEMENT"
# ex-ante only: A1 is ranked by its ex-ante mean (1 - 0.5) / 2 = 0.25
expect_out eval-2.3 "  1. A2  1.50"
expect_out eval-2.5 "  2. A1  0.25"
if grep -q "ex-post" "$WORK/out"; then fail eval-2.4 "ex-post shown with --phase ex-ante"; else ok eval-2.4; fi

# -- a batch where one plan's grid script fails ----------------------------------
spiral -q evaluate --all --territory-dir "$T" --output "$WORK/res"
expect_status eval-3.1 1
expect_err eval-3.2 "plan P-ERR: "
expect_err eval-3.3 "lib/grid.lua:17: cannot rank ERR1"
if [ -f "$WORK/res/plan-P-OK.json" ] && [ -f "$WORK/res/plan-P-OK.txt" ]; then ok eval-3.4; else fail eval-3.4 "no result for P-OK"; fi
if [ -f "$WORK/res/plan-P-ERR.json" ]; then fail eval-3.5 "a result for the failed plan"; else ok eval-3.5; fi
expect_eq eval-3.6 "$(jq -r '.ranking[0].action' "$WORK/res/plan-P-OK.json")" A1
spiral -q evaluate NOPE P-OK --territory-dir "$T" --format json
expect_status eval-3.7 1
expect_err eval-3.8 "plan NOPE: no plan 'NOPE'"
expect_eq eval-3.9 "$(j '.plans | length')" 1

# -- several workspaces ----------------------------------------------------------
mkdir -p "$WORK/many"
cp "$SPIRAL_DB" "$WORK/many/a.db"
cp "$SPIRAL_DB" "$WORK/many/b.db"
spiral -q evaluate --plans-dir "$WORK/many" --territory-dir "$T" --output "$WORK/res2"
expect_status eval-4.1 1
expect_err eval-4.2 "b: plan P-ERR"
if [ -f "$WORK/res2/a/plan-P-OK.json" ] && [ -f "$WORK/res2/b/plan-P-OK.json" ]; then ok eval-4.3; else fail eval-4.3 "missing results"; fi

# -- no script defines the grid: say so, exit 64 (nogrid/lib/grid.lua
# overrides the library's and has no grid 'mini') -----------------------------------------------
spiral -q evaluate P-OK --territory-dir "$F/nogrid"
expect_status eval-5.1 64
expect_err eval-5.2 "no grid script defines the grid 'mini'"

# -- template, filled, imported, evaluated again ------------------------------------
spiral -q evaluate --template "$WORK/t.csv" P-OK --territory-dir "$T"
expect_status eval-6.1 0
expect_eq eval-6.2 "$(wc -l <"$WORK/t.csv" | tr -d ' ')" 7
expect_eq eval-6.3 "$(sed -n 2p "$WORK/t.csv")" "P-OK,A1,,,ex-ante,mini,A01,,,"
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } { $3 = "G3"; $4 = "elected"; $8 = "1"; print }' \
    "$WORK/t.csv" >"$WORK/filled.csv"
spiral -q import evaluations "$WORK/filled.csv"
expect_status eval-6.4 0
expect_eq eval-6.5 "$(sql 'SELECT count(*) FROM evaluation_score')" 15
spiral -q evaluate P-OK --territory-dir "$T" --format json
expect_eq eval-6.6 "$(j "$A1 | .phases[\"ex-ante\"].components[1].mean")" 0
expect_eq eval-6.7 "$(j '.plans[0].actions[] | select(.code == "A2") | .phases["ex-ante"].components[] | select(.code == "B01") | .mean * 3 | round')" 4

# -- the territorial project over two quarters ------------------------------------
sql "INSERT INTO survey_form (id, code, label_fr, label_en) VALUES (1, 'f', 'f', 'f');
     INSERT INTO survey_wave (id, territory_id, code) VALUES (1, 1, 'w');
     INSERT INTO respondent (id, wave_id, form_id, pseudonym, levels) VALUES (1, 1, 1, zeroblob(32), x'');
     INSERT INTO life_need (respondent_id, kind, theme) VALUES (1, 'job', 'employment'),
       (1, 'care', 'health'), (1, 'care', 'health'), (1, 'place', 'childhood');"
spiral -q project build --quarter 2026-Q1 --territory-dir "$T" --format json
expect_status proj-1.1 0
expect_eq proj-1.2 "$(j '.version')" 0
expect_eq proj-1.3 "$(j '.entries | length')" 4
expect_eq proj-1.4 "$(j '.flags.gaps | join(",")')" vie-9
# A2 and ERR1 are both city-wide on vie-3 and share A01
expect_eq proj-1.5 "$(j '.flags.overlaps | map(.actions | join("+")) | join(",")')" A2+ERR1
expect_eq proj-1.6 "$(j '.flags.unmet_needs | map("\(.theme)=\(.count)") | join(",")')" health=2
expect_eq proj-1.7 "$(j '.entries[] | select(.action == "A1") | .neighbourhood')" Briand
expect_eq proj-1.8 "$(j '.entries[] | select(.action == "A2" and .problematique == "vie-3") | .guideline')" "Un emploi pour chacun"
spiral -q project build --quarter 2026-Q1 --territory-dir "$T"
expect_status proj-1.9 65
spiral -q project build --quarter 2026-13
expect_status proj-1.10 64
run_spiral -q import actions "$F/actions-q2.csv" >/dev/null 2>&1
spiral -q project build --quarter 2026-Q2 --territory-dir "$T" --format json
expect_eq proj-2.1 "$(j '.version')" 1
expect_eq proj-2.2 "$(j '.flags.overlaps[0] | "\(.neighbourhood):\(.actions | join("+")):\(.components)"')" Briand:A1+A3:A02
spiral -q project diff --format json
expect_status proj-2.3 0
expect_eq proj-2.4 "$(j '[.added[] | "\(.action)/\(.problematique)"] | join(",")')" A3/vie-1
expect_eq proj-2.5 "$(j '.removed | length')" 0
spiral -q project diff --from 1 --to 0
expect_out proj-2.6 "- A3"
# Moved: the same action on the same problématique, elsewhere.  A1 leaves
# Briand for a neighbourhood of the territory's, the rest stays.
nb=$(sql "SELECT name FROM neighbourhood WHERE name <> 'Briand' ORDER BY name LIMIT 1")
sql "UPDATE action SET neighbourhood = '$nb' WHERE code = 'A1'"
spiral -q project build --quarter 2026-Q3 --territory-dir "$T" --format json
expect_eq proj-3.1 "$(j '.version')" 2
spiral -q project diff --format json
expect_eq proj-3.2 "$(j '[.moved[] | "\(.action):\(.before.neighbourhood)>\(.after.neighbourhood)"] | unique | join(",")')" "A1:Briand>$nb"
expect_eq proj-3.3 "$(j '.added | length') $(j '.removed | length')" "0 0"
spiral -q project diff
expect_out proj-3.4 "< A1             "
expect_out proj-3.5 "> A1             "
finish
