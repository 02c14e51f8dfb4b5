#!/bin/sh
# tests/e2e/mulhouse.sh -- the workflow and pooling commands on the bundled
# synthetic Mulhouse dataset.  Every expectation is computed here, apart
# from spiral, by loading the same CSV files into an in-memory sqlite3
# database (`ref`), so a command that miscounts, drops or duplicates rows
# fails.
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/e2e/mulhouse_ws.sh"
expect_eq mh-0.1 "$status" 0
mulhouse_sp import taxonomy "$DATA/taxonomy.csv"
expect_eq mh-0.2 "$?" 0
export SPIRAL_DB="$DB" SPIRAL_KEY="$KEY"

# ref SQL: one value computed by sqlite3 from the dataset's CSV files.
ref() {
    sqlite3 :memory: \
        ".import --csv $DATA/criteria.csv criteria" \
        ".import --csv $DATA/actions.csv actions" \
        ".import --csv $DATA/forms.csv forms" \
        ".import --csv $DATA/responses-adults.csv adults" \
        ".import --csv $DATA/responses-children.csv children" \
        ".import --csv $DATA/pact.csv pact" \
        ".import --csv $DATA/ledger.csv ledger" \
        "$1"
}

# -- criteria: roll-up by family, uncoded apart ------------------------------
spiral criteria stats --level family --format csv
expect_status mh-1.1 0
for fam in A B H; do
    want=$(ref "SELECT count(*) FROM criteria WHERE code LIKE '$fam%'")
    got=$(grep "^$fam," "$WORK/out" | cut -d, -f3 | tail -n 1)
    expect_eq "mh-1.2.$fam criteria of family $fam" "$got" "$want"
done
spiral criteria list --uncoded --format csv
expect_eq mh-1.3 "$(($(wc -l <"$WORK/out") - 1))" "$(ref "SELECT count(*) FROM criteria WHERE code = ''")"

# -- actions: accent-insensitive search --------------------------------------
spiral actions search energie --format csv
expect_status mh-2.1 0
want=$(ref "SELECT group_concat(code, ' ') FROM (SELECT code FROM actions WHERE lower(title || summary || coresponsibility || wellbeing_impact || resource_savings || keywords || themes) LIKE '%énergie%' ORDER BY code)")
got=$(tail -n +2 "$WORK/out" | cut -d, -f1 | sort | tr '\n' ' ' | sed 's/ $//')
expect_eq mh-2.2 "$got" "$want"
[ -n "$want" ] && ok "mh-2.3 the dataset has an action about énergie" || fail mh-2.3 "no action to find"

# -- forms: the CSV template has the form's items ----------------------------
spiral forms export adults --csv "$WORK/template.csv"
expect_status mh-3.1 0
want=$(ref "SELECT group_concat(item, ',') FROM forms WHERE form = 'adults'")
expect_eq mh-3.2 "$(head -n 1 "$WORK/template.csv" | tr -d '\r' | sed 's/^id,wave,neighbourhood,age_band,gender,social_category,weight,//; s/,needs,offers,comment$//')" "$want"

# -- profile: respondents and answers per form and indicator ----------------
spiral profile --group-by form --format csv
expect_status mh-4.1 0
expect_eq mh-4.2 "$(grep '^adults,housing,' "$WORK/out" | cut -d, -f3)" "$(ref "SELECT count(*) FROM adults")"
expect_eq mh-4.3 "$(grep '^adults,housing,' "$WORK/out" | cut -d, -f4)" "$(ref "SELECT count(*) FROM adults WHERE housing <> ''")"
expect_eq mh-4.4 "$(grep '^children,food,' "$WORK/out" | cut -d, -f4)" "$(ref "SELECT count(*) FROM children WHERE food <> ''")"

# -- pact and ledger -------------------------------------------------------------
spiral pact --format json
expect_status mh-5.1 0
expect_out mh-5.2 "\"charter_signatories\": $(ref "SELECT count(*) FROM pact WHERE document = 'charter'"),"
spiral ledger check
expect_status mh-5.3 0
expect_out mh-5.4 "$(ref "SELECT count(*) FROM ledger") transfer(s), $(ref "SELECT 2 * count(*) FROM ledger") movement(s)"

# -- routing to coordination groups ----------------------------------------------
spiral groups route --territory-dir "$SRCDIR/scripts/territories/mulhouse"
expect_status mh-6.1 0
spiral groups --format json
expect_status mh-6.2 0
finish
