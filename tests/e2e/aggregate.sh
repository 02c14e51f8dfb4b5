#!/bin/sh
# tests/e2e/aggregate.sh -- `spiral aggregate` from CSV files and from the
# workspace: numbers against PSPP (tests/fixtures/agg, see PROVENANCE.md:
# survey::apistrat weighted by pw and by normalised weights, datasets::esoph
# weighted by ncontrols), CSV and workspace giving the same JSON, variable
# lists, --where, --missing include, errors.
. "$SRCDIR/tests/e2e/lib.sh"
A="$FIXTURES/agg"
CHECK="$BUILDDIR/tests/e2e/xtab_check"
GEN="$BUILDDIR/bench/gen_survey"
NOWS="--db=$WORK/none.db"

# -- reference values: PSPP (checked against R by expected.R) -------------
spiral $NOWS aggregate "$A/apistrat_input.csv" --vars v1-v5 --by group --weight w --no-suppress --format json
expect_status agg-1.1 0
cp "$WORK/out" "$WORK/api_w.json"
if "$CHECK" --agg "$WORK/api_w.json" "$A/expected_apistrat_w.csv" > "$WORK/check"; then
    ok "agg-1.2 apistrat weighted by pw agrees with PSPP: $(tail -1 "$WORK/check")"
else fail agg-1.2 "$(head -5 "$WORK/check")"; fi
spiral $NOWS aggregate "$A/apistrat_input.csv" --vars 'v*' --by group --weight wn --no-suppress --format json
cp "$WORK/out" "$WORK/api_wn.json"
if "$CHECK" --agg "$WORK/api_wn.json" "$A/expected_apistrat_wn.csv" > "$WORK/check"; then
    ok "agg-1.3 apistrat, normalised weights, agrees with PSPP: $(tail -1 "$WORK/check")"
else fail agg-1.3 "$(head -5 "$WORK/check")"; fi
spiral $NOWS aggregate "$A/esoph_input.csv" --vars v1,v2 --by group --weight w --no-suppress --format json
cp "$WORK/out" "$WORK/esoph.json"
if "$CHECK" --agg "$WORK/esoph.json" "$A/expected_esoph.csv" > "$WORK/check"; then
    ok "agg-1.4 esoph (zero weights) agrees with PSPP: $(tail -1 "$WORK/check")"
else fail agg-1.4 "$(head -5 "$WORK/check")"; fi
if "$CHECK" --agg "$WORK/api_w.json" "$A/expected_apistrat_wn.csv" > /dev/null; then
    fail agg-1.5 "the checker accepted the wrong references"
else ok "agg-1.5 the checker rejects the wrong references"; fi

# -- CSV and workspace ---------------------------------------------------------
"$GEN" -n 2500 --seed 21 -o "$WORK/s.csv"
{ echo "code,component,label_fr,label_en,levels_fr,levels_en"
  for i in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do
      echo "ind$i,A$i,Indicateur $i,Indicator $i,très mauvaise|mauvaise|moyenne|bonne|idéale,very bad|bad|average|good|ideal"
  done; } > "$WORK/ind.csv"
{ echo "form,form_label_fr,form_label_en,item,indicator,wording_fr,wording_en"
  for i in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do
      echo "adults,Adultes,Adults,q$i,ind$i,Q$i,Q$i"
  done; } > "$WORK/forms.csv"
spiral init --territory mulhouse --name Mulhouse
spiral import indicators "$WORK/ind.csv"
spiral import forms "$WORK/forms.csv"
spiral import responses --form adults "$WORK/s.csv"
expect_status agg-2.1 0
J2="--vars q01-q30 --by age_band,wave --weight weight --no-suppress --format json"
spiral aggregate $J2
expect_status agg-2.2 0
cp "$WORK/out" "$WORK/ws.json"
spiral aggregate "$WORK/s.csv" $J2
cp "$WORK/out" "$WORK/csv.json"
if cmp -s "$WORK/ws.json" "$WORK/csv.json"; then ok "agg-2.3 CSV and workspace give identical JSON"
else fail agg-2.3 "JSON differs"; fi
spiral aggregate "$WORK/s.csv" --vars 'q*' --by age_band,wave --weight weight --no-suppress --format json --threads 1
if cmp -s "$WORK/out" "$WORK/csv.json"; then ok "agg-2.4 'q*' = q01-q30, one thread = two"
else fail agg-2.4 "JSON differs"; fi
expect_out agg-2.5 '"label": "Indicator 01"'
expect_out agg-2.6 '"label": "very bad"'
# n of q01 in one group, counted by awk.
want=$(awk -F, '$4 == "18-29" && $2 == "2025" && $8 != ""' "$WORK/s.csv" | wc -l)
spiral aggregate "$WORK/s.csv" --vars q01 --by age_band,wave --where 'age_band=18-29,wave=2025' --no-suppress --format json
expect_status agg-3.1 0
expect_out agg-3.2 "\"n\": $want,"
spiral aggregate --vars q01 --by age_band,wave --where 'age_band=18-29,wave=2025' --no-suppress --format json
expect_out agg-3.3 "\"n\": $want,"

# -- missing groups, formats -----------------------------------------------------
printf 'g,v,w\nA,1,1\nA,2,1\n,3,1\nB,,2\n' > "$WORK/m.csv"
spiral $NOWS aggregate "$WORK/m.csv" --vars v --by g --weight w --no-suppress --format json
expect_out agg-4.1 '"n_missing": 1'
if grep -q '(missing)' "$WORK/out"; then fail agg-4.2 "missing group shown without --missing include"
else ok "agg-4.2 missing group left out by default"; fi
# Published, the one record without a group is a count of 1 to 4: "<5".
spiral $NOWS aggregate "$WORK/m.csv" --vars v --by g --weight w
expect_out agg-4.2b "Records without a group: <5;"
spiral $NOWS aggregate "$WORK/m.csv" --vars v --by g --weight w --no-suppress
expect_out agg-4.2c "Records without a group: 1;"
spiral $NOWS aggregate "$WORK/m.csv" --vars v --by g --weight w --no-suppress --missing include --format json
expect_out agg-4.3 '"g": "(missing)"'
spiral $NOWS aggregate "$WORK/m.csv" --vars v --by g --no-suppress --format csv --sep ';' --decimal ','
expect_status agg-4.4 0
if grep -q ';1,5;' "$WORK/out" || grep -q ';1,5$' "$WORK/out"; then ok "agg-4.5 French CSV (mean 1,5)"
else fail agg-4.5 "no decimal comma"; fi
spiral $NOWS aggregate "$WORK/m.csv" --vars v --by g
expect_status agg-4.6 0

# -- errors ------------------------------------------------------------------------
spiral $NOWS aggregate "$WORK/s.csv" --vars q99 --by wave
expect_status agg-5.1 64
expect_err agg-5.2 "unknown variable 'q99'"
expect_err agg-5.3 "known variables: id, wave"
spiral $NOWS aggregate "$WORK/s.csv" --vars neighbourhood --by wave
expect_status agg-5.4 65
expect_err agg-5.5 "not a level 1..254"
spiral $NOWS aggregate "$WORK/s.csv" --vars q01 --by wave --bad-at-most zero
expect_status agg-5.6 64
spiral $NOWS aggregate "$WORK/s.csv" --vars q01
expect_status agg-5.7 64
printf 'g,v,w\nA,1,1\nA,2,-1\n' > "$WORK/neg.csv"
spiral $NOWS aggregate "$WORK/neg.csv" --vars v --by g --weight w
expect_status agg-5.8 65
expect_err agg-5.9 "neg.csv:3:3: weight '-1' is negative"
finish
