# tests/e2e/mulhouse_ws.sh -- sourced by the report tests after lib.sh:
# build the synthetic Mulhouse workspace in $WORK with the imports of
# datasets/mulhouse/run-main.sh, without its analysis steps (they belong to
# other commands, which have their own tests).  Sets DB, KEY and status
# (0, or the status of the first import that failed; messages in
# $WORK/main.log).
DATA="$SRCDIR/datasets/mulhouse/data"
DB="$WORK/mulhouse.db"
KEY="$WORK/mulhouse.key"
mulhouse_sp() { "$SPIRAL" --db "$DB" --key "$KEY" --quiet "$@" >>"$WORK/main.log" 2>&1; }
status=0
mulhouse_sp init --territory mulhouse --name Mulhouse --country FR --population 110000 || status=$?
for step in "indicators indicators.csv" "forms forms.csv" \
            "responses --form children responses-children.csv" \
            "responses --form adolescents responses-adolescents.csv" \
            "responses --form adults responses-adults.csv" \
            "responses --form mental_health responses-mental_health.csv" \
            "criteria criteria.csv" "actions actions.csv" "evaluations evaluations.csv" \
            "resources resources.csv" "limits limits.csv" "usage usage.csv" "meter meter.csv" \
            "pact pact.csv" "invitations invitations.csv" "accounts accounts.csv" \
            "ledger ledger.csv"; do
    [ "$status" -eq 0 ] || break
    # shellcheck disable=SC2086
    set -- $step
    eval "file=\${$#}"
    args=""
    while [ $# -gt 1 ]; do args="$args $1"; shift; done
    # shellcheck disable=SC2086
    mulhouse_sp import $args "$DATA/$file" || status=$?
done
