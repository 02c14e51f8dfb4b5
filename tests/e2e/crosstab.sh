#!/bin/sh
# tests/e2e/crosstab.sh -- `spiral crosstab` from CSV files and from the
# workspace: numbers against R and PSPP (tests/fixtures/xtab, see its
# README: HairEyeColor expanded to one row per person, survey::apistrat
# weighted by pw), CSV and workspace giving the same JSON, --where,
# --missing include, disclosure control, French CSV, labels and their
# alignment, the columnar chunks rebuilt after an import, errors.
. "$SRCDIR/tests/e2e/lib.sh"
X="$FIXTURES/xtab"
CHECK="$BUILDDIR/tests/e2e/xtab_check"
GEN="$BUILDDIR/bench/gen_survey"
NOWS="--db=$WORK/none.db"   # no workspace: no labels

# -- reference values: R and PSPP ----------------------------------------
# HairEyeColor: one CSV row per person (codes 1..4 keep R's level order).
awk '{ for (i = 0; i < $4; i++) print $1 "," $2 "," $3 }' "$X/haireye_sex.sps.dat" |
    { echo sex,hair,eye; cat; } > "$WORK/haireye.csv"
# survey::apistrat: stype awards schwide pw, one row per school.
awk '{ print $1 "," $2 "," $3 "," $4 }' "$X/apistrat.sps.dat" |
    { echo stype,awards,schwide,pw; cat; } > "$WORK/apistrat.csv"

spiral $NOWS crosstab "$WORK/haireye.csv" --rows hair --cols eye --layers sex --no-suppress --format json
expect_status xt-1.1 0
cp "$WORK/out" "$WORK/haireye.json"
if "$CHECK" "$WORK/haireye.json" "$X/haireye_sex.r" "$X/haireye_sex.pspp" > "$WORK/check"; then
    ok "xt-1.2 haireye_sex (layers) agrees with R and PSPP: $(tail -1 "$WORK/check")"
else fail xt-1.2 "$(head -5 "$WORK/check")"; fi
spiral $NOWS crosstab "$WORK/haireye.csv" --rows hair --cols eye --no-suppress --format json
cp "$WORK/out" "$WORK/haireye2.json"
if "$CHECK" "$WORK/haireye2.json" "$X/haireye.r" "$X/haireye.pspp" > "$WORK/check"; then
    ok "xt-1.3 haireye agrees with R and PSPP: $(tail -1 "$WORK/check")"
else fail xt-1.3 "$(head -5 "$WORK/check")"; fi

spiral $NOWS crosstab "$WORK/apistrat.csv" --rows stype --cols awards --weight pw --no-suppress --format json
expect_status xt-2.1 0
cp "$WORK/out" "$WORK/api1.json"
if "$CHECK" "$WORK/api1.json" "$X/api_stype_awards.r" "$X/api_stype_awards.pspp" > "$WORK/check"; then
    ok "xt-2.2 apistrat stype x awards weighted by pw agrees with R and PSPP: $(tail -1 "$WORK/check")"
else fail xt-2.2 "$(head -5 "$WORK/check")"; fi
spiral $NOWS crosstab "$WORK/apistrat.csv" --rows awards --cols schwide --weight pw --no-suppress --format json
cp "$WORK/out" "$WORK/api2.json"
if "$CHECK" "$WORK/api2.json" "$X/api_awards_schwide.r" "$X/api_awards_schwide.pspp" > "$WORK/check"; then
    ok "xt-2.3 apistrat awards x sch.wide agrees with R and PSPP: $(tail -1 "$WORK/check")"
else fail xt-2.3 "$(head -5 "$WORK/check")"; fi
# The checker can fail: the other table's references do not fit.
if "$CHECK" "$WORK/api1.json" "$X/api_awards_schwide.r" > /dev/null; then
    fail xt-2.4 "the checker accepted the wrong references"
else ok "xt-2.4 the checker rejects the wrong references"; fi
# A quoted copy goes through sp_csv instead of the splitter: same JSON.
sed 's/^\([0-9]*\),/"\1",/' "$WORK/apistrat.csv" > "$WORK/apistrat_q.csv"
spiral $NOWS crosstab "$WORK/apistrat_q.csv" --rows stype --cols awards --weight pw --no-suppress --format json
if cmp -s "$WORK/out" "$WORK/api1.json"; then ok "xt-2.5 quoted CSV gives the same JSON"
else fail xt-2.5 "quoted CSV differs"; fi
# The JSON keys documented in the README.
for k in '"rows"' '"cols"' '"weight"' '"n"' '"weighted"' '"row_totals"' '"col_totals"' '"total"' \
         '"row_pct"' '"col_pct"' '"total_pct"' '"expected"' '"chi2"' '"pearson"' '"lr"' '"phi"' \
         '"cramers_v"' '"contingency_coefficient"' '"missing"' '"records"' '"suppressed"'; do
    grep -qF "$k:" "$WORK/api1.json" || fail xt-2.6 "JSON lacks $k"
done
ok "xt-2.6 JSON has the documented keys"

# -- the same crosstab from CSV and from the workspace --------------------
"$GEN" -n 3000 --seed 11 -o "$WORK/s1.csv"
"$GEN" -n 400 --seed 12 -o "$WORK/s2.csv"
sed -i 's/^R/S/' "$WORK/s2.csv"     # other respondents
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
spiral import responses --form adults "$WORK/s1.csv"
expect_status xt-3.1 0
J1="--rows q01 --cols neighbourhood --weight weight --no-suppress --format json"
spiral crosstab $J1
expect_status xt-3.2 0
cp "$WORK/out" "$WORK/ws.json"
spiral crosstab "$WORK/s1.csv" $J1
cp "$WORK/out" "$WORK/csv.json"
if cmp -s "$WORK/ws.json" "$WORK/csv.json"; then ok "xt-3.3 CSV and workspace give identical JSON"
else fail xt-3.3 "JSON differs: $(cmp "$WORK/ws.json" "$WORK/csv.json")"; fi
spiral crosstab "$WORK/s1.csv" $J1 --threads 1
if cmp -s "$WORK/out" "$WORK/csv.json"; then ok "xt-3.4 one or two threads: identical JSON"
else fail xt-3.4 "JSON differs between 1 and 2 threads"; fi
expect_out xt-3.5 '"levels": ["very bad", "bad", "average", "good", "ideal"]'
spiral crosstab --rows age_band --cols wave --layers gender --weight weight --no-suppress --format json
cp "$WORK/out" "$WORK/ws3.json"
spiral crosstab "$WORK/s1.csv" --rows age_band --cols wave --layers gender --weight weight --no-suppress --format json
if cmp -s "$WORK/out" "$WORK/ws3.json"; then ok "xt-3.6 layers: CSV and workspace identical"
else fail xt-3.6 "layered JSON differs"; fi

# -- --where ---------------------------------------------------------------
W="wave=2025,age_band in 18-29|30-44,q01!="
want=$(awk -F, 'NR > 1 && $2 == "2025" && ($4 == "18-29" || $4 == "30-44") && $8 != "" && $3 != ""' "$WORK/s1.csv" | wc -l)
spiral crosstab "$WORK/s1.csv" --rows q01 --cols neighbourhood --where "$W" --no-suppress --format json
expect_status xt-4.1 0
expect_out xt-4.2 "\"total_n\": $want.0"
cp "$WORK/out" "$WORK/where.json"
spiral crosstab --rows q01 --cols neighbourhood --where "$W" --no-suppress --format json
if cmp -s "$WORK/out" "$WORK/where.json"; then ok "xt-4.3 --where: workspace and CSV identical"
else fail xt-4.3 "--where JSON differs"; fi
spiral crosstab "$WORK/s1.csv" --rows q01 --cols wave --where "wave 2025"
expect_status xt-4.4 64
expect_err xt-4.5 "--where: cannot read"
spiral crosstab "$WORK/s1.csv" --rows q01 --cols wave --where "nosuch=1"
expect_status xt-4.6 64
expect_err xt-4.7 "unknown variable 'nosuch'"

# -- missing values ----------------------------------------------------------
spiral crosstab "$WORK/s1.csv" --rows q01 --cols q02 --weight weight --missing include --no-suppress --format json
expect_status xt-5.1 0
expect_out xt-5.2 '"(missing)"'
expect_out xt-5.3 '"missing": {"records": 0.0, "weight": 0.0}'
expect_out xt-5.4 "\"total_n\": 3000.0"
cp "$WORK/out" "$WORK/incl.json"
if "$CHECK" --margins "$WORK/incl.json" > "$WORK/check"; then ok "xt-5.5 margins are the sums of the cells shown"
else fail xt-5.5 "$(cat "$WORK/check")"; fi
spiral crosstab "$WORK/s1.csv" --rows q01 --cols q02 --no-suppress --format json
miss=$(awk -F, 'NR > 1 && ($8 == "" || $9 == "")' "$WORK/s1.csv" | wc -l)
expect_out xt-5.6 "\"missing\": {\"records\": $miss.0"
spiral --quiet crosstab --rows q01 --cols wave --missing include --lang fr
expect_out xt-5.7 "(manquant)"
expect_out xt-5.8 "très mauvaise"
spiral crosstab --rows q01 --cols wave --missing sometimes
expect_status xt-5.9 64

# -- disclosure control ---------------------------------------------------------
# min-cell 40: some cells of 3000 records over 12 x 6 fall under it.
spiral crosstab "$WORK/s1.csv" --rows neighbourhood --cols social_category --min-cell 40 --format json
expect_status xt-6.1 0
expect_out xt-6.2 '"suppressed": [['
expect_out xt-6.3 '"publishable": true'
spiral crosstab "$WORK/s1.csv" --rows neighbourhood --cols social_category --min-cell 40
if grep 'Weighted' "$WORK/out" | grep -qE ' x( |$)'; then ok "xt-6.4 text marks suppressed cells"
else fail xt-6.4 "no suppressed cell in the text"; fi
spiral crosstab "$WORK/s1.csv" --rows neighbourhood --cols social_category --no-suppress
expect_out xt-6.5 "NOT FOR PUBLICATION"
spiral crosstab "$WORK/s1.csv" --rows neighbourhood --cols social_category --no-suppress --format json
expect_out xt-6.6 '"publishable": false'
spiral crosstab "$WORK/s1.csv" --rows neighbourhood --cols social_category --min-cell 1000 --format json
expect_out xt-6.7 '"min_cell": 1000.0'

# -- French CSV, labels aligned by display width ---------------------------------
spiral crosstab "$WORK/s1.csv" --rows neighbourhood --cols gender --weight weight --format csv --sep ';' --decimal ','
expect_status xt-7.1 0
expect_out xt-7.2 "layer;row;col;measure;value;note"
if grep -q ';[0-9]*,[0-9]' "$WORK/out"; then ok "xt-7.3 decimal comma"; else fail xt-7.3 "no decimal comma"; fi
spiral crosstab "$WORK/s1.csv" --rows q01 --cols q02 --format csv --decimal ','
expect_status xt-7.4 64
spiral crosstab "$WORK/s1.csv" --rows neighbourhood --cols gender --no-suppress
widths=$(grep -E '^(Drouot-Barbanègre|Wolf-Wagner|Briand|Coteaux|Dornach|Bourtzwiller|Fonderie|Rebberg|Vauban-Neppert|Daguerre|Franklin-Fridolin|Haut-Poirier) ' "$WORK/out" |
         while IFS= read -r line; do printf '%s' "$line" | LC_ALL=C.UTF-8 wc -L; done | sort -u | wc -l)
bytes=$(grep -E '^(Drouot-Barbanègre|Wolf-Wagner) ' "$WORK/out" | awk '{ print length($0) }' | sort -u | wc -l)
if [ "$widths" -eq 1 ] && [ "$bytes" -eq 2 ]; then ok "xt-7.5 rows aligned by display width (accents)"
else fail xt-7.5 "widths $widths, byte lengths $bytes"; fi

# -- the chunks follow the rows ----------------------------------------------
spiral import responses --form adults "$WORK/s2.csv"
spiral crosstab --rows wave --cols gender --no-suppress --format json
rows=$(( $(wc -l < "$WORK/s1.csv") + $(wc -l < "$WORK/s2.csv") - 2 ))
nog=$(cat "$WORK/s1.csv" "$WORK/s2.csv" | awk -F, '$1 != "id" && ($2 == "" || $5 == "")' | wc -l)
expect_out xt-8.1 "\"total_n\": $((rows - nog)).0"
expect_eq xt-8.2 "$(sql 'SELECT generation = (SELECT value FROM survey_generation) FROM column_chunk GROUP BY 1')" 1
cat "$WORK/s1.csv" > "$WORK/both.csv"; tail -n +2 "$WORK/s2.csv" >> "$WORK/both.csv"
spiral crosstab "$WORK/both.csv" $J1
cp "$WORK/out" "$WORK/both.json"
spiral crosstab $J1
if cmp -s "$WORK/out" "$WORK/both.json"; then ok "xt-8.3 after a second import: workspace = CSV of both files"
else fail xt-8.3 "JSON differs after the second import"; fi

# -- errors --------------------------------------------------------------------
spiral crosstab "$WORK/s1.csv" --rows q01 --cols nowhere
expect_status xt-9.1 64
expect_err xt-9.2 "known variables: id, wave, neighbourhood"
printf 'a,b,w\n1,2,1\n1,2,-3\n' > "$WORK/neg.csv"
spiral $NOWS crosstab "$WORK/neg.csv" --rows a --cols b --weight w
expect_status xt-9.3 65
expect_err xt-9.4 "neg.csv:3:3: weight '-3' is negative"
printf 'a,b,w\n1,2,1\n1,2,heavy\n' > "$WORK/nan.csv"
spiral $NOWS crosstab "$WORK/nan.csv" --rows a --cols b --weight w
expect_status xt-9.5 65
expect_err xt-9.6 "nan.csv:3:3: weight 'heavy' is not a number"
printf 'a,b,w\n"1",2,1\n1,2,x\n' > "$WORK/nanq.csv"
spiral $NOWS crosstab "$WORK/nanq.csv" --rows a --cols b --weight w
expect_err xt-9.7 "nanq.csv:3:3: weight 'x' is not a number"
spiral crosstab "$WORK/s1.csv" --rows q01
expect_status xt-9.8 64
spiral crosstab "$WORK/s1.csv" --rows q01 --cols q02 --format xml
expect_status xt-9.9 64
spiral crosstab "$WORK/s1.csv" --rows q01 --cols q02 --bogus
expect_status xt-9.10 64
spiral crosstab "$WORK/missing.csv" --rows q01 --cols q02
expect_status xt-9.11 66
spiral crosstab --rows nosuch --cols wave
expect_status xt-9.12 64
expect_err xt-9.13 "known variables: wave, form, neighbourhood, age_band"
spiral crosstab "$WORK/s1.csv" --rows q01 --cols q02 --output "$WORK/o.txt"
if [ -s "$WORK/o.txt" ] && [ ! -s "$WORK/out" ]; then ok "xt-9.14 --output writes the file"
else fail xt-9.14 "--output"; fi

# -- records left out are people too: 1..K-1 of them are not counted aloud --
{ echo "a,b"; i=0; while [ $i -lt 20 ]; do echo "x,p"; echo "y,q"; i=$((i + 1)); done
  echo ",p"; echo ",q"; } >"$WORK/miss.csv"
spiral crosstab "$WORK/miss.csv" --rows a --cols b
expect_out xt-10.1 "Missing: fewer than 5 records left out (withheld)"
expect_out xt-10.2 "Missing values of a: <5"
spiral crosstab "$WORK/miss.csv" --rows a --cols b --format json
expect_out xt-10.3 '"missing": {"records": null, "weight": null}'
spiral crosstab "$WORK/miss.csv" --rows a --cols b --no-suppress --format json
expect_out xt-10.4 '"missing": {"records": 2.0, "weight": 2.0}'
spiral crosstab "$WORK/miss.csv" --rows a --cols b --min-cell 2
expect_out xt-10.5 "Missing: 2 records (weight 2) left out"
finish
