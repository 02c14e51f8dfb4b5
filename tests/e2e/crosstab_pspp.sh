#!/bin/sh
# tests/e2e/crosstab_pspp.sh -- `spiral crosstab` against examples published
# in PSPP's test suite (tests/fixtures/pspp/README.md gives their source),
# compared at the precision PSPP printed them.
. "$SRCDIR/tests/e2e/lib.sh"

# value MEASURE [ROW COL]: one number of the last CSV output.
value() {
    if [ $# -eq 1 ]; then
        awk -F, -v m="$1" '$2 == "" && $3 == "" && $4 == m { print $5 }' "$WORK/out"
    else
        awk -F, -v m="$1" -v r="$2" -v c="$3" '$2 == r && $3 == c && $4 == m { print $5 }' "$WORK/out"
    fi
}
# near ID GOT WANT DECIMALS: GOT rounds to WANT at PSPP's printed precision.
near() {
    if awk -v g="$2" -v w="$3" -v d="$4" 'BEGIN { e = 0.5 * 10 ^ -d + 1e-12; x = g - w;
            exit !(g != "" && x <= e && -x <= e) }'; then ok "$1 ($2 ~ $3)"
    else fail "$1" "got '$2', PSPP printed $3"; fi
}
crosstab() { spiral crosstab "$@" --no-suppress --stats --format csv; }

# -- psp-1: "CROSSTABS residuals" -------------------------------------------------
printf 'r,c,n\n1,1,26\n1,2,31\n2,1,12\n2,2,32\n3,1,27\n3,2,18\n4,1,8\n4,2,7\n' >"$WORK/res.csv"
crosstab "$WORK/res.csv" --rows r --cols c --weight n
expect_status psp-1.0 0
near psp-1.1 "$(value pearson.value)" 10.09 2
near psp-1.2 "$(value pearson.p)" .018 3
near psp-1.3 "$(value lr.value)" 10.35 2
near psp-1.4 "$(value lr.p)" .016 3
expect_eq psp-1.5 "$(value pearson.df)" 3
i=0
for cell in "1 1 25.84 .03 .05" "1 2 31.16 -.03 -.05" "2 1 19.95 -1.78 -2.82" "2 2 24.05 1.62 2.82" \
            "3 1 20.40 1.46 2.33" "3 2 24.60 -1.33 -2.33" "4 1 6.80 .46 .65" "4 2 8.20 -.42 -.65"; do
    # shellcheck disable=SC2086
    set -- $cell
    i=$((i + 1))
    near "psp-1.6.$i expected ($1,$2)" "$(value expected "$1" "$2")" "$3" 2
    near "psp-1.7.$i std residual ($1,$2)" "$(value std_residuals "$1" "$2")" "$4" 2
    near "psp-1.8.$i adjusted residual ($1,$2)" "$(value adj_residuals "$1" "$2")" "$5" 2
done

# -- psp-2: the split v0 = a of "CROSSTABS crash with SPLIT FILE" -------------------
printf 'v1,v2\nc,e\nc,e\nc,e\nd,e\nd,f\nc,f\n' >"$WORK/split.csv"
crosstab "$WORK/split.csv" --rows v1 --cols v2
expect_status psp-2.0 0
near psp-2.1 "$(value pearson.value)" .38 2
near psp-2.2 "$(value pearson.p)" .540 3
near psp-2.3 "$(value lr.value)" .37 2
near psp-2.4 "$(value lr.p)" .545 3
near psp-2.5 "$(value fisher.p)" 1.000 3
near psp-2.6 "$(value fisher.p_one)" .600 3
near psp-2.7 "$(value yates.value)" .00 2
near psp-2.8 "$(value yates.p)" 1.000 3
near psp-2.9 "$(value row_pct c e)" 75.0 1
near psp-2.10 "$(value col_pct c f)" 50.0 1
near psp-2.11 "$(value total_pct d e)" 16.7 1
near psp-2.12 "$(value col_pct c '(total)')" 66.7 1

# -- psp-3: "CROSSTABS chi-square crash" --------------------------------------------
printf 'x,y\n2,2\n3,1\n4,2\n4,1\n' >"$WORK/crash.csv"
crosstab "$WORK/crash.csv" --rows x --cols y
expect_status psp-3.0 0
near psp-3.1 "$(value pearson.value)" 2.00 2
expect_eq psp-3.2 "$(value pearson.df)" 2
near psp-3.3 "$(value pearson.p)" .368 3
near psp-3.4 "$(value lr.value)" 2.77 2
near psp-3.5 "$(value lr.p)" .250 3
finish
