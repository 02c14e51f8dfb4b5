#!/bin/sh
# tests/e2e/xlsx.sh -- the xlsx plugin writes the same numbers and the same
# suppression marks as the CSV output of the same crosstab.
#
# tests/e2e/xlsx_driver (built by `make check`) computes a crosstab of a
# fixture, writes the crosstab's own CSV (sp_xtab_render_csv), and writes
# table.xlsx through a Lua script (spiral.plugin.load("xlsx")) and
# direct.xlsx through the plugin's C entry.  This script opens the
# workbooks with unzip and awk only (no code of spiral reads them back) and
# checks, sheet by sheet, that every value of the CSV sits in the cell of
# its row and column label: a number as a number cell whose stored text is
# the CSV value printed with %.16G (what libxlsxwriter 1.1 stores), "x" as
# the shared string "x", an absent value as no cell; and that the sheet has
# no data cell the CSV lacks.
#
# Fixtures: tests/fixtures/xtab/haireye_sex.cells is R's
# datasets::HairEyeColor (see tests/fixtures/xtab/README.md).  With the
# default min_cell 5 its known small cells are Male Black/Green (3), Male
# Blond/Brown (3), Female Black/Green (2) and Female Blond/Brown (4): they
# must be "x".  api_awards_schwide.cells has non-integer weighted counts;
# it is written with suppression off, so every sheet must carry the
# banner.
. "$SRCDIR/tests/e2e/lib.sh"

DRIVER="$BUILDDIR/tests/e2e/xlsx_driver"
PLUGINDIR="$BUILDDIR/plugins/.libs"
if [ ! -f "$PLUGINDIR/xlsx.so" ]; then
    echo "SKIP: the xlsx plugin is not built (configure found no libxlsxwriter)"
    exit 77
fi
if ! command -v unzip >/dev/null 2>&1; then
    echo "SKIP: unzip is not installed"
    exit 77
fi
SPIRAL_PLUGIN_PATH="$PLUGINDIR"
export SPIRAL_PLUGIN_PATH
if [ -n "${SPIRAL_VALGRIND:-}" ]; then
    drive() { valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "$DRIVER" "$@"; }
else
    drive() { "$DRIVER" "$@"; }
fi

# compare_sheet XLSX N LAYER MEASURE HEADROW CSV: prints "ok CHECKED" or
# the cells that differ.
compare_sheet() {
    unzip -p "$1" xl/sharedStrings.xml | sed 's/<si>/\
<si>/g' >"$WORK/ss"
    unzip -p "$1" "xl/worksheets/sheet$2.xml" | sed 's/<c /\
<c /g' >"$WORK/sheet"
    awk -F, -v layer="$3" -v measure="$4" -v head="$5" '
    function unxml(s) {
        gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s)
        gsub(/&apos;/, "\047", s); gsub(/&amp;/, "\\&", s)
        return s
    }
    FILENAME == ARGV[1] {
        if ($0 ~ /^<si>/) {
            s = $0; sub(/^<si><t[^>]*>/, "", s); sub(/<\/t>.*/, "", s)
            ss[nss++] = unxml(s)
        }
        next
    }
    FILENAME == ARGV[2] {
        if ($0 !~ /^<c /) next
        match($0, /r="[A-Z]+[0-9]+"/); ref = substr($0, RSTART + 3, RLENGTH - 4)
        match($0, /<v>[^<]*<\/v>/); v = substr($0, RSTART + 3, RLENGTH - 7)
        col = ref; sub(/[0-9]+$/, "", col); row = substr(ref, length(col) + 1) + 0
        if ($0 ~ / t="s"/) { typ[ref] = "s"; val[ref] = ss[v] } else { typ[ref] = "n"; val[ref] = v }
        if (row == head) colof[val[ref]] = col
        else if (row > head && col == "A") rowof[val[ref]] = row
        else if (row > head) data[ref] = 1
        next
    }
    FNR == 1 { next }
    $1 == layer && $4 == measure {
        r = $2; c = $3
        if (r == "(total)") r = "Total"
        if (c == "(total)") c = "Total"
        if (!(r in rowof) || !(c in colof)) { print "no cell for " r "/" c; bad++; next }
        ref = colof[c] rowof[r]
        seen[ref] = 1
        checked++
        if ($5 == "x") {
            if (typ[ref] != "s" || val[ref] != "x") { print ref ": want x, got " val[ref]; bad++ }
        } else if ($5 == "") {
            if (ref in typ) { print ref ": want no value, got " val[ref]; bad++ }
        } else {
            want = sprintf("%.16G", $5 + 0)
            if (typ[ref] != "n" || val[ref] != want) { print ref ": want " want " (" $5 "), got " typ[ref] " " val[ref]; bad++ }
        }
    }
    END {
        for (ref in data) if (!(ref in seen)) { print ref ": not in the CSV (" val[ref] ")"; bad++ }
        if (checked == 0) { print "no CSV value for " layer "/" measure; bad++ }
        if (!bad) print "ok " checked
    }' "$WORK/ss" "$WORK/sheet" "$6"
}

# check_book ID OUTDIR HEADROW: every sheet of table.xlsx against the CSV.
check_book() {
    all=0; total=0
    while IFS='|' read -r n layer measure; do
        res=$(compare_sheet "$2/table.xlsx" "$n" "$layer" "$measure" "$3" "$2/table.csv")
        case $res in
            "ok "*) total=$((total + ${res#ok })) ;;
            *) fail "$1.$n" "sheet $n ($layer $measure): $(echo "$res" | head -5 | tr '\n' ';')"; all=1 ;;
        esac
    done <"$2/sheets.txt"
    [ "$all" -eq 0 ] && ok "$1 (all sheets, $total values equal the CSV)"
}

# same_sheets ID OUTDIR: table.xlsx (through Lua) and direct.xlsx (through
# the C entry) hold the same sheets and strings.
same_sheets() {
    diffs=0
    for part in $(unzip -Z1 "$2/table.xlsx" | grep -E '^xl/(worksheets/sheet[0-9]+|sharedStrings|comments[0-9]+)\.xml$'); do
        if [ "$(unzip -p "$2/table.xlsx" "$part" | cksum)" != "$(unzip -p "$2/direct.xlsx" "$part" | cksum)" ]; then
            diffs=$((diffs + 1))
        fi
    done
    expect_eq "$1" "$diffs" 0
}

# -- suppression on: HairEyeColor by sex, min_cell 5 -------------------------
OUT1="$WORK/hair"
mkdir -p "$OUT1"
drive "$SRCDIR/tests/fixtures/xtab/haireye_sex.cells" "$OUT1" 5 >"$WORK/out" 2>"$WORK/err"
status=$?
expect_status xlsx-1.1 0
for cell in "Male,Black,Green,n,x" "Male,Blond,Brown,n,x" "Female,Black,Green,n,x" "Female,Blond,Brown,n,x"; do
    if grep -q "^$cell," "$OUT1/table.csv"; then ok "xlsx-1.2 CSV has $cell"; else fail xlsx-1.2 "CSV lacks $cell"; fi
done
expect_eq xlsx-1.3 "$(unzip -Z1 "$OUT1/table.xlsx" | grep -c '^xl/worksheets/sheet[0-9]*\.xml$')" "$(wc -l <"$OUT1/sheets.txt" | tr -d ' ')"
# Title in row 1, header in row 2.
check_book xlsx-1.4 "$OUT1" 2
# As many suppression comments as "x" marks (xlsx-1.4 matched the marks
# to the CSV one by one).
nx=$(awk -F, '$5 == "x"' "$OUT1/table.csv" | wc -l | tr -d ' ')
nc=$(for f in $(unzip -Z1 "$OUT1/table.xlsx" | grep '^xl/comments[0-9]*\.xml$'); do unzip -p "$OUT1/table.xlsx" "$f"; done | sed 's/<comment /\
<comment /g' | grep -c '^<comment .*<t[^>]*>suppressed')
if [ "$nx" -gt 0 ] && [ "$nx" = "$nc" ]; then ok "xlsx-1.5 ($nx x marks, each with a comment)"; else fail xlsx-1.5 "$nx x marks, $nc suppression comments"; fi
if unzip -p "$OUT1/table.xlsx" xl/sharedStrings.xml | grep -q 'NOT FOR PUBLICATION'; then fail xlsx-1.6 "banner with suppression on"; else ok "xlsx-1.6 (no banner)"; fi
# The header row is bold: its cells use style 1, whose font is bold.
if unzip -p "$OUT1/table.xlsx" xl/worksheets/sheet1.xml | grep -q '<c r="B2" s="1" t="s">' \
   && unzip -p "$OUT1/table.xlsx" xl/styles.xml | grep -q '<b/>'; then ok "xlsx-1.7 (bold header)"; else fail xlsx-1.7 "header not bold"; fi
same_sheets xlsx-1.8 "$OUT1"
[ ! -e "$WORK/escape.xlsx" ] && ok "xlsx-1.9 (nothing written outside the output folder)" || fail xlsx-1.9 "escape.xlsx exists"

# -- suppression off: weighted, non-integer counts ----------------------------
OUT2="$WORK/api"
mkdir -p "$OUT2"
drive "$SRCDIR/tests/fixtures/xtab/api_awards_schwide.cells" "$OUT2" off >"$WORK/out" 2>"$WORK/err"
status=$?
expect_status xlsx-2.1 0
# Title in row 1, banner in row 2, header in row 3.
check_book xlsx-2.2 "$OUT2" 3
banner=$(unzip -p "$OUT2/table.xlsx" xl/sharedStrings.xml | sed 's/<si>/\
<si>/g' | grep '^<si>' | grep -n '^<si><t>NOT FOR PUBLICATION: small-cell suppression is off</t></si>' | cut -d: -f1)
if [ -n "$banner" ]; then
    idx=$((banner - 1))
    nb=0
    for n in $(cut -d'|' -f1 "$OUT2/sheets.txt"); do
        unzip -p "$OUT2/table.xlsx" "xl/worksheets/sheet$n.xml" | grep -q "<c r=\"A2\" s=\"[0-9]*\" t=\"s\"><v>$idx</v>" && nb=$((nb + 1))
    done
    expect_eq xlsx-2.3 "$nb" "$(wc -l <"$OUT2/sheets.txt" | tr -d ' ')"
else
    fail xlsx-2.3 "no banner string"
fi
if grep -q ',x,' "$OUT2/table.csv"; then fail xlsx-2.4 "suppressed values with suppression off"; else ok "xlsx-2.4"; fi
same_sheets xlsx-2.5 "$OUT2"

finish
