#!/bin/sh
# run-main.sh SPIRAL_BINARY OUTDIR -- the main job of the bundled Mulhouse
# dataset, run by `./setup.sh demo`.
#
# The data is SYNTHETIC (see README.md): generated, not collected; every
# number is invented and says nothing about the real Mulhouse.
#
# Creates a fresh workspace in OUTDIR (mulhouse.db and its key), imports
# every file of data/ in dependency order -- any import error stops the job
# with a message and a non-zero status -- then runs the analysis commands
# that this build of spiral has, writing their outputs to OUTDIR, and
# prints where the results are.  MULHOUSE_DATA overrides the data folder.
set -eu

usage() {
    echo "usage: run-main.sh SPIRAL_BINARY OUTDIR" >&2
    exit 64
}
[ $# -eq 2 ] || usage
SPIRAL=$1
OUT=$2
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${MULHOUSE_DATA:-$HERE/data}

if [ ! -x "$SPIRAL" ]; then
    echo "run-main.sh: $SPIRAL is not an executable spiral program" >&2
    exit 66
fi
if [ ! -f "$DATA/indicators.csv" ]; then
    echo "run-main.sh: no dataset in $DATA" >&2
    exit 66
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
DB="$OUT/mulhouse.db"
KEY="$OUT/mulhouse.key"
LOG="$OUT/run-main.log"

# A fresh workspace: remove only what an earlier run of this job wrote.
rm -f "$DB" "$DB-wal" "$DB-shm" "$KEY" "$LOG" "$OUT"/crosstab-*.txt "$OUT"/crosstab-*.csv \
    "$OUT"/aggregate-*.txt "$OUT"/aggregate-*.csv "$OUT/summary.txt" "$OUT/criteria-by-family.txt"
: >"$LOG"

sp() {
    "$SPIRAL" --db "$DB" --key "$KEY" "$@"
}

# step WHAT COMMAND...: run one step, its messages to the log; stop loudly
# on failure.
step() {
    what=$1
    shift
    printf '%-44s' "$what" >&2
    if "$@" >>"$LOG" 2>&1; then
        echo "ok" >&2
    else
        rc=$?
        echo "FAILED (exit $rc)" >&2
        echo "run-main.sh: step failed: $what" >&2
        echo "--- last lines of $LOG ---" >&2
        tail -n 15 "$LOG" >&2
        exit 1
    fi
}

echo "spiral main job on the SYNTHETIC Mulhouse dataset (invented numbers)" >&2
step "workspace" sp init --territory mulhouse --name Mulhouse --country FR --population 110000
step "indicators" sp import indicators "$DATA/indicators.csv"
step "forms" sp import forms "$DATA/forms.csv"
for form in children adolescents adults mental_health; do
    step "responses ($form)" sp import responses --form "$form" "$DATA/responses-$form.csv"
done
step "criteria" sp import criteria "$DATA/criteria.csv"
step "actions" sp import actions "$DATA/actions.csv"
step "evaluations" sp import evaluations "$DATA/evaluations.csv"
step "resources" sp import resources "$DATA/resources.csv"
step "limits" sp import limits "$DATA/limits.csv"
step "usage" sp import usage "$DATA/usage.csv"
step "meter" sp import meter "$DATA/meter.csv"
step "pact" sp import pact "$DATA/pact.csv"
step "invitations" sp import invitations "$DATA/invitations.csv"
step "accounts" sp import accounts "$DATA/accounts.csv"
step "ledger" sp import ledger "$DATA/ledger.csv"
# No import kind for taxonomies yet: keep it as an analyst's table.
step "taxonomy" sp import taxonomy "$DATA/taxonomy.csv"

# -- analyses: only the commands this build has --------------------------------
has() {
    sp help "$1" >/dev/null 2>&1
}
ADULT_ITEMS=food,health_care,housing,clothing,education,employment,leisure,services,information,environment,infrastructure,institutions,associations,family,friends,equity,living_together,body,mind,autonomy,self_esteem,safety,commitment,respect

if has crosstab; then
    step "crosstab housing x neighbourhood (2012)" sp crosstab --rows neighbourhood \
        --cols housing --where form=adults,wave=2012 --weight weight --percent row \
        --lang fr --output "$OUT/crosstab-housing-by-neighbourhood.txt"
    step "crosstab employment x wave" sp crosstab --rows wave --cols employment \
        --where form=adults --weight weight --percent row --format csv \
        --output "$OUT/crosstab-employment-by-wave.csv"
    step "crosstab mind x form (2012)" sp crosstab --rows form --cols mind \
        --where wave=2012 --weight weight --percent row \
        --output "$OUT/crosstab-mind-by-form.txt"
fi
if has aggregate; then
    step "aggregate adult indicators by wave" sp aggregate --vars "$ADULT_ITEMS" --by wave \
        --where form=adults --weight weight --output "$OUT/aggregate-adults-by-wave.txt"
    step "aggregate adult indicators by neighbourhood" sp aggregate --vars "$ADULT_ITEMS" \
        --by neighbourhood --where form=adults,wave=2012 --weight weight --format csv \
        --output "$OUT/aggregate-adults-by-neighbourhood-2012.csv"
fi
if has criteria; then
    printf '%-44s' "criteria by family and question" >&2
    if sp criteria stats --level family --by question >"$OUT/criteria-by-family.txt" 2>>"$LOG"
    then echo "ok" >&2; else echo "FAILED" >&2; exit 1; fi
fi
if has evaluate && sp help evaluate 2>/dev/null | grep -q -- '--output'; then
    step "evaluate" sp evaluate --output "$OUT/evaluate.txt"
fi

# -- a summary of what was imported (counts of rows, not findings) --------------
if command -v sqlite3 >/dev/null 2>&1; then
    {
        echo "SYNTHETIC DATA -- generated by datasets/mulhouse/generate.c; every number is"
        echo "invented and says nothing about the real Mulhouse.  Rows imported:"
        sqlite3 "$DB" "
            SELECT printf('  %-28s %7d', 'indicators', count(*)) FROM indicator;
            SELECT printf('  %-28s %7d', 'survey forms', count(*)) FROM survey_form;
            SELECT printf('  %-28s %7d', 'respondents ' || f.code, count(*))
              FROM respondent r JOIN survey_form f ON f.id = r.form_id GROUP BY f.code ORDER BY f.code;
            SELECT printf('  %-28s %7d', 'survey waves', count(*)) FROM survey_wave;
            SELECT printf('  %-28s %7d', 'citizen groups x cycles', count(*)) FROM citizen_group;
            SELECT printf('  %-28s %7d', 'criteria', count(*)) FROM criterion;
            SELECT printf('  %-28s %7d', 'criteria not yet coded', count(*)) FROM criterion WHERE object_code IS NULL;
            SELECT printf('  %-28s %7d', 'actions', count(*)) FROM action;
            SELECT printf('  %-28s %7d', 'evaluations', count(*)) FROM evaluation;
            SELECT printf('  %-28s %7d', 'evaluation scores', count(*)) FROM evaluation_score;
            SELECT printf('  %-28s %7d', 'resource limits', count(*)) FROM resource_limit;
            SELECT printf('  %-28s %7d', 'resource usage rows', count(*)) FROM resource_usage;
            SELECT printf('  %-28s %7d', 'meter households', count(*)) FROM meter_household;
            SELECT printf('  %-28s %7d', 'pact signatories', count(*)) FROM pact_signatory;
            SELECT printf('  %-28s %7d', 'invitations', count(*)) FROM pact_invitation;
            SELECT printf('  %-28s %7d', 'invitations accepted', count(*)) FROM pact_invitation WHERE accepted_by IS NOT NULL;
            SELECT printf('  %-28s %7d', 'ledger transfers', count(*)) FROM ledger_transfer;
        "
    } >"$OUT/summary.txt"
fi

# -- the facilitator's report (HTML, with CSV, JSON and xlsx beside it) -----------
if has report; then
    # An uninstalled build keeps its plugins in plugins/.libs.
    bindir=$(dirname "$SPIRAL")
    [ -d "$bindir/../plugins/.libs" ] && export SPIRAL_PLUGIN_PATH="$bindir/../plugins/.libs"
    step "report (French)" sp report --lang fr --output "$OUT/report"
    step "report (English)" sp report --lang en --output "$OUT/report-en"
fi

echo >&2
echo "Done.  Workspace: $DB (key: $KEY)" >&2
echo "Results in $OUT:" >&2
for f in "$OUT"/summary.txt "$OUT"/crosstab-* "$OUT"/aggregate-* "$OUT"/criteria-by-family.txt \
         "$OUT"/evaluate.txt; do
    [ -f "$f" ] && echo "  $f" >&2
done
echo "  $LOG (messages of every step)" >&2
if [ -f "$OUT/report/report.html" ]; then
    echo >&2
    echo "The report: $OUT/report/report.html (English: $OUT/report-en/report.html)" >&2
fi
echo "Reminder: the dataset is synthetic; no number in it is a finding about Mulhouse." >&2
