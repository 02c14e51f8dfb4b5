#!/bin/sh
# tests/e2e/dataset.sh -- the bundled synthetic Mulhouse dataset: the
# generator rebuilds the committed CSVs byte for byte, run-main.sh imports
# them all into a fresh workspace, and the workspace holds what the files
# and the generator's design say it must.  Expected counts are either fixed
# by the design (10 pilot actions, 4 forms, 2 cycles, 27 founders, 150/180/
# 420/80 respondents per wave) or counted in the CSV files with awk,
# independently of spiral.
. "$SRCDIR/tests/e2e/lib.sh"
GEN="$BUILDDIR/datasets/mulhouse/generate"
DATA="$SRCDIR/datasets/mulhouse/data"

# -- the generator reproduces the committed files ------------------------------
"$GEN" "$WORK/gen" >"$WORK/out" 2>"$WORK/err"
status=$?
expect_status ds-1.1 0
expect_eq ds-1.2 "$(cd "$WORK/gen" && ls)" "$(cd "$DATA" && ls)"
for f in "$DATA"/*.csv; do
    name=$(basename "$f")
    if cmp -s "$f" "$WORK/gen/$name"; then ok "ds-1.3 $name byte-identical"
    else fail "ds-1.3 $name" "regenerated file differs from the committed one"; fi
done
"$GEN" --seed 7 "$WORK/gen7" >/dev/null 2>&1
if cmp -s "$DATA/responses-adults.csv" "$WORK/gen7/responses-adults.csv"; then
    fail ds-1.4 "--seed 7 gives the same responses as the default seed"
else ok "ds-1.4 another seed gives other answers"; fi
size=$(cat "$DATA"/*.csv | wc -c)
if [ "$size" -lt 2000000 ]; then ok "ds-1.5 dataset is $size bytes (< 2 MB)"
else fail ds-1.5 "dataset is $size bytes"; fi
"$GEN" >/dev/null 2>"$WORK/err"
status=$?
expect_status ds-1.6 64

# -- the main job imports everything --------------------------------------------
sh "$SRCDIR/datasets/mulhouse/run-main.sh" "$SPIRAL" "$WORK/main" >"$WORK/out" 2>"$WORK/err"
status=$?
expect_status ds-2.1 0
expect_err ds-2.2 "Results in $WORK/main"
expect_err ds-2.3 "synthetic"
SPIRAL_DB="$WORK/main/mulhouse.db"
if [ ! -f "$SPIRAL_DB" ]; then
    fail ds-2.4 "no workspace in $WORK/main"
    finish
    exit 1
fi
ok "ds-2.4 workspace created"

rows() { echo $(($(wc -l <"$DATA/$1") - 1)); }

# -- definitions -----------------------------------------------------------------------
expect_eq ds-3.1 "$(sql 'SELECT count(*) FROM indicator')" 24
expect_eq ds-3.2 "$(sql 'SELECT count(*) FROM indicator WHERE nlevels = 4')" 4
expect_eq ds-3.3 "$(sql "SELECT group_concat(code || '=' || n, ' ') FROM (SELECT f.code, count(*) n FROM survey_form f JOIN form_item i ON i.form_id = f.id GROUP BY f.code ORDER BY f.code)")" \
    "adolescents=16 adults=24 children=10 mental_health=14"
expect_eq ds-3.4 "$(sql "SELECT count(*) FROM form_item i JOIN survey_form f ON f.id = i.form_id WHERE f.code = 'children' AND i.name NOT IN (SELECT name FROM form_item j JOIN survey_form g ON g.id = j.form_id WHERE g.code = 'adults')")" 0

# -- responses ---------------------------------------------------------------------
expect_eq ds-4.1 "$(sql "SELECT group_concat(code || '=' || n, ' ') FROM (SELECT f.code, count(*) n FROM respondent r JOIN survey_form f ON f.id = r.form_id GROUP BY f.code ORDER BY f.code)")" \
    "adolescents=540 adults=1260 children=450 mental_health=240"
expect_eq ds-4.2 "$(sql "SELECT group_concat(code, ',') FROM (SELECT code FROM survey_wave ORDER BY code)")" "2010,2011,2012"
expect_eq ds-4.3 "$(sql 'SELECT count(*) FROM neighbourhood')" 12
# Weights: the sum in the workspace equals the sum in the file, and each
# wave speaks for about 78% of 110,000 people (85,800; each neighbourhood's
# share is rounded down, so up to 12 fewer).
file_sum=$(awk -F, 'NR > 1 && $2 == "2012" { s += $7 } END { printf "%.4f", s }' "$DATA/responses-adults.csv")
db_sum=$(sql "SELECT printf('%.4f', sum(weight)) FROM respondent r JOIN survey_form f ON f.id = r.form_id JOIN survey_wave w ON w.id = r.wave_id WHERE f.code = 'adults' AND w.code = '2012'")
expect_eq ds-4.4 "$db_sum" "$file_sum"
if awk -v s="$file_sum" 'BEGIN { exit !(s >= 85788 && s <= 85801) }'; then
    ok "ds-4.5 adult weights of 2012 add up to $file_sum (about 85,800)"
else fail ds-4.5 "adult weights of 2012 add up to $file_sum"; fi
# Missing answers: about 3% of the item cells are empty.
for form in children:10 adolescents:16 adults:24 mental_health:14; do
    awk -F, -v n="${form#*:}" 'NR > 1 { for (i = 8; i < 8 + n; i++) { t++; if ($i == "") m++ } }
        END { print m, t }' "$DATA/responses-${form%:*}.csv"
done >"$WORK/missing"
share=$(awk '{ m += $1; t += $2 } END { printf "%d", 1000 * m / t }' "$WORK/missing")
if [ "$share" -ge 15 ] && [ "$share" -le 50 ]; then ok "ds-4.6 $share per mille of answers missing"
else fail ds-4.6 "$share per mille of answers missing, expected about 30"; fi
# Needs and offers of the life project, counted in the files.
needs=0 offers=0
for form in children:10 adolescents:16 adults:24 mental_health:14; do
    set -- $(awk -F, -v n="${form#*:}" 'NR > 1 {
        if ($(8 + n) != "") a += split($(8 + n), x, "|");
        if ($(9 + n) != "") b += split($(9 + n), y, "|") } END { print a + 0, b + 0 }' \
        "$DATA/responses-${form%:*}.csv")
    needs=$((needs + $1)) offers=$((offers + $2))
done
expect_eq ds-4.7 "$(sql 'SELECT count(*) FROM life_need')" "$needs"
expect_eq ds-4.8 "$(sql 'SELECT count(*) FROM life_offer')" "$offers"
expect_eq ds-4.9 "$(sql "SELECT count(*) > 0 FROM life_offer WHERE kind = 'money' AND theme = 'fund' AND amount > 0")" 1

# -- criteria ------------------------------------------------------------------------
expect_eq ds-5.1 "$(sql 'SELECT count(DISTINCT cycle) FROM citizen_group')" 2
expect_eq ds-5.2 "$(sql 'SELECT count(DISTINCT name) FROM citizen_group')" 14
expect_eq ds-5.3 "$(sql 'SELECT count(*) FROM citizen_group')" 25
expect_eq ds-5.4 "$(sql 'SELECT count(*) FROM criterion')" "$(rows criteria.csv)"
expect_eq ds-5.5 "$(sql 'SELECT count(*) FROM criterion WHERE object_code IS NULL')" \
    "$(awk -F, 'NR > 1 && $10 == ""' "$DATA/criteria.csv" | wc -l)"
expect_eq ds-5.6 "$(sql "SELECT group_concat(question, ',') FROM (SELECT DISTINCT question FROM criterion ORDER BY 1)")" \
    "action,illbeing,wellbeing"
expect_eq ds-5.7 "$(sql "SELECT count(*) FROM criterion WHERE object_code IS NOT NULL AND sense_code IS NOT NULL AND beneficiary_code IS NOT NULL")" \
    "$(awk -F, 'NR > 1 && split($10, p, "/") == 3' "$DATA/criteria.csv" | wc -l)"

# -- actions and evaluations ------------------------------------------------------------
expect_eq ds-6.1 "$(sql 'SELECT count(*) FROM action')" 13
expect_eq ds-6.2 "$(sql "SELECT count(*) FROM plan_action pa JOIN plan p ON p.id = pa.plan_id WHERE p.code = 'PAL-2007-2012'")" 10
expect_eq ds-6.3 "$(sql "SELECT group_concat(a.code, ',') FROM (SELECT a.code FROM action a JOIN plan_action pa ON pa.action_id = a.id JOIN plan p ON p.id = pa.plan_id WHERE p.code = 'PAL-2007-2012' ORDER BY a.code) a")" \
    "APPRENDRE,CONSO,CSM,DROUOT,IGLOO,LAS,OLDS,PSY,QUARTIER-ENFANT,ZOO"
expect_eq ds-6.4 "$(sql "SELECT count(*) FROM action_tag t JOIN action a ON a.id = t.action_id WHERE a.code = 'CSM' AND t.kind = 'component'")" 5
expect_eq ds-6.5 "$(sql 'SELECT count(*) FROM evaluator_group')" 5
expect_eq ds-6.6 "$(sql "SELECT count(DISTINCT action_id) FROM evaluation WHERE phase = 'ex-post'")" 6
expect_eq ds-6.7 "$(sql "SELECT min(score) || ' ' || max(score) FROM evaluation_score")" "-2.0 2.0"
expect_eq ds-6.8 "$(sql 'SELECT count(*) FROM evaluation_score')" "$(rows evaluations.csv)"
expect_eq ds-6.9 "$(sql "SELECT max(s.score) - min(s.score) FROM evaluation_score s JOIN evaluation e ON e.id = s.evaluation_id JOIN action a ON a.id = e.action_id WHERE a.code = 'DROUOT' AND e.phase = 'ex-post' AND s.component_code = 'B00'")" 4.0

# -- resources ------------------------------------------------------------------------
expect_eq ds-7.1 "$(sql 'SELECT count(*) FROM resource')" 4
expect_eq ds-7.2 "$(sql 'SELECT count(*) FROM resource_limit')" 6
expect_eq ds-7.3 "$(sql "SELECT l.amount FROM resource_limit l JOIN resource r ON r.id = l.resource_id WHERE r.code = 'co2e' AND l.scope = 'person' AND l.source LIKE '%ADEME%'")" 2.0
expect_eq ds-7.4 "$(sql "SELECT l.amount FROM resource_limit l JOIN resource r ON r.id = l.resource_id WHERE r.code = 'land' AND l.source LIKE '%Global Footprint Network%'")" 1.6
expect_eq ds-7.5 "$(sql "SELECT l.amount FROM resource_limit l JOIN resource r ON r.id = l.resource_id WHERE r.code = 'water' AND l.scope = 'person'")" 500.0
expect_eq ds-7.6 "$(sql "SELECT count(*) || ' ' || min(year) || ' ' || max(year) FROM resource_usage")" "72 2008 2013"
expect_eq ds-7.7 "$(sql 'SELECT count(*) FROM resource_usage WHERE neighbourhood_id IS NOT NULL')" 48

# -- meter -------------------------------------------------------------------------------
expect_eq ds-8.1 "$(sql 'SELECT count(*) FROM meter_household')" 2000
expect_eq ds-8.2 "$(sql 'SELECT count(*) FROM meter_answer')" \
    "$(awk -F, 'NR > 1 { for (i = 5; i <= NF; i++) if ($i != "") n++ } END { print n }' "$DATA/meter.csv")"

# -- pact and invitations --------------------------------------------------------------------
signers=$(rows pact.csv)
expect_eq ds-9.1 "$(sql 'SELECT count(*) FROM pact_signatory')" "$signers"
expect_eq ds-9.2 "$(sql 'SELECT count(*) FROM pact_signatory WHERE invited_by IS NULL')" 27
expect_eq ds-9.3 "$(sql "SELECT count(*) FROM pact_signatory WHERE kind = 'person' AND display_name IS NOT NULL")" 0
expect_eq ds-9.4 "$(sql 'SELECT count(*) FROM pact_invitation')" "$(rows invitations.csv)"
# Every signatory but the founders accepted exactly one invitation.
expect_eq ds-9.5 "$(sql 'SELECT count(*) FROM pact_invitation WHERE accepted_by IS NOT NULL')" "$((signers - 27))"
expect_eq ds-9.6 "$(sql 'SELECT count(*) FROM pact_invitation WHERE accepted_by IS NULL')" \
    "$(awk -F, '$2 ~ /^X/' "$DATA/invitations.csv" | wc -l)"
expect_eq ds-9.7 "$(sql "SELECT count(*) > 0 FROM pact_signatory WHERE kind = 'organisation' AND document = 'charter'")" 1

# -- time bank and fund --------------------------------------------------------------------
expect_eq ds-10.1 "$(sql 'SELECT count(*) FROM ledger_transfer')" "$(rows ledger.csv)"
expect_eq ds-10.2 "$(sql 'SELECT count(*) FROM (SELECT transfer_id FROM ledger_movement GROUP BY transfer_id HAVING count(*) <> 2 OR abs(sum(amount)) > 1e-9)')" 0
expect_eq ds-10.3 "$(sql 'SELECT count(*) FROM ledger_account a WHERE (SELECT ifnull(sum(amount), 0) FROM ledger_movement m WHERE m.account_id = a.id) < a.min_balance - 1e-9')" 0
expect_eq ds-10.4 "$(sql "SELECT count(DISTINCT quarter) FROM ledger_transfer WHERE ledger = 'fund' AND category = 'allocation'")" \
    "$(awk -F, '$1 == "fund" && $6 == "allocation" { q[substr($2, 1, 4) "-" int((substr($2, 6, 2) - 1) / 3)] = 1 }
        END { for (k in q) n++; print n + 0 }' "$DATA/ledger.csv")"
expect_eq ds-10.5 "$(sql "SELECT count(*) > 100 FROM ledger_transfer WHERE ledger = 'time' AND category NOT IN ('allocation', 'projet territorial')")" 1

# -- taxonomy ---------------------------------------------------------------------
expect_eq ds-11.1 "$(sql 'SELECT count(*) FROM taxonomy_node')" "$(rows taxonomy.csv)"
expect_eq ds-11.2 "$(sql "SELECT group_concat(code, '') FROM (SELECT code FROM taxonomy_node WHERE level = 'family' ORDER BY code)")" ABCDEFGH
expect_eq ds-11.3 "$(sql "SELECT t.name || ':' || t.version FROM territory r JOIN taxonomy t ON t.id = r.taxonomy_id")" "spiral:2013-8"

finish
