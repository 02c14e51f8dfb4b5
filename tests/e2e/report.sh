#!/bin/sh
# tests/e2e/report.sh -- `spiral report` on the bundled Mulhouse dataset:
# the same numbers in every format, no external reference, no empty chart.
#
# Builds the synthetic Mulhouse workspace (the imports of
# datasets/mulhouse/run-main.sh), writes the report in English and in French, then checks with grep, sed,
# awk and unzip only (no code of spiral reads the outputs back):
#   report-1..4   both languages are written, with every output file;
#   report-5..8   no "http" in any src or href, no script, no <link>, no
#                 url() or @import: the page needs nothing outside itself;
#   report-9..10  every <svg> has role="img", a <title>, a <desc> and at
#                 least one drawn mark (rect, path, polygon or circle);
#   report-11..14 for every table, the numbers of report-ID.csv, in order,
#                 are those of the table ID in report.json and in the HTML
#                 table t-ID (French: decimal comma turned back into a
#                 point), character for character;
#   report-15     and those of the matching sheet of report.xlsx, as
#                 libxlsxwriter stores them (%.16G, docs/plugins.md);
#   report-16..19 small cells carry the "x" mark in CSV, JSON and HTML, and
#                 never one alone in a row or column of the meter table; no
#                 message id is left untranslated; an unknown plan is a
#                 usage error; an empty workspace gives sentences, not
#                 empty charts.
. "$SRCDIR/tests/e2e/lib.sh"

PLUGINDIR="$BUILDDIR/plugins/.libs"
SPIRAL_PLUGIN_PATH="$PLUGINDIR"
export SPIRAL_PLUGIN_PATH

. "$SRCDIR/tests/e2e/mulhouse_ws.sh"
expect_status "report-1 the Mulhouse workspace is built" 0
[ "$status" -eq 0 ] || { cat "$WORK/main.log"; finish; exit 1; }

for lang in en fr; do
    spiral --db "$DB" --key "$KEY" report --lang "$lang" --output "$WORK/$lang"
    expect_status "report-2 report --lang $lang" 0
    expect_out "report-3 it prints where the report is ($lang)" "$WORK/$lang/report.html"
    missing=""
    for f in report.html report.json report-summary.csv report-survey-00.csv \
             report-xtab-mind-weighted.csv report-eval-ranking.csv report-resources-summary.csv \
             report-meter.csv report-pact.csv report-quarterly.csv; do
        [ -s "$WORK/$lang/$f" ] || missing="$missing $f"
    done
    expect_eq "report-4 every output file is there ($lang)" "$missing" ""
done

HTML_EN="$WORK/en/report.html"
HTML_FR="$WORK/fr/report.html"
for h in "$HTML_EN" "$HTML_FR"; do
    n=$(grep -Eio '(src|href)[[:space:]]*=[[:space:]]*("[^"]*"|'\''[^'\'']*'\''|[^[:space:]>]+)' "$h" |
        grep -ci 'http')
    expect_eq "report-5 no http in any src or href ($(basename "$(dirname "$h")"))" "$n" 0
    n=$(grep -ci '<script\|<link\|<iframe\|<object\|<img' "$h")
    expect_eq "report-6 no script, link, frame or image element" "$n" 0
    n=$(grep -ci 'url(\|@import' "$h")
    expect_eq "report-7 no url() or @import in the CSS" "$n" 0
    n=$(grep -c '@media print' "$h")
    expect_eq "report-8 print styles are there" "$n" 1
done

# One <svg ...>...</svg> per line.
svgs() {
    tr '\n' ' ' <"$1" | sed 's/<svg /\
<svg /g' | sed -n 's/^\(<svg .*<\/svg>\).*/\1/p'
}
for h in "$HTML_EN" "$HTML_FR"; do
    svgs "$h" >"$WORK/svgs"
    total=$(grep -c '<svg ' "$WORK/svgs")
    good=$(grep 'role="img"' "$WORK/svgs" | grep '<title id=' | grep '<desc id=' |
           grep -c '<rect \|<path \|<polygon \|<circle ')
    if [ "$total" -ge 16 ] && [ "$good" -eq "$total" ]; then
        ok "report-9 $total charts, each with a title, a description and drawn marks"
    else
        fail "report-9" "$good of $total charts are complete"
    fi
    n=$(grep -c 'nan\|inf"' "$WORK/svgs")
    expect_eq "report-10 no NaN or infinity in any chart" "$n" 0
done

# ---- the same numbers everywhere -------------------------------------------
NUM='^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$'

# csv_numbers FILE: the numeric fields of a CSV file in order, one a line
# (RFC 4180 quoting: a quoted field is text, never a number).
csv_numbers() {
    awk -v num="$NUM" '
    {
        line = $0; f = ""; q = 0; quoted = 0
        for (i = 1; i <= length(line); i++) {
            c = substr(line, i, 1)
            if (q) {
                if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { f = f c; i++ } else q = 0 }
                else f = f c
            } else if (c == "\"") { q = 1; quoted = 1 }
            else if (c == ",") { if (!quoted && f ~ num) print f; f = ""; quoted = 0 }
            else f = f c
        }
        if (!quoted && f ~ num) print f
    }' "$1"
}
# json_numbers FILE ID: the numbers of the rows of table ID, in order.
json_numbers() {
    awk -v id="$2" -v num="$NUM" '
    /^   \{"id": / { on = index($0, "{\"id\": \"" id "\",") > 0; next }
    on && /^     \[/ {
        s = $0
        gsub(/"([^"\\]|\\.)*"/, "", s)       # strings hold no numbers
        gsub(/[][{},:]/, " ", s)
        n = split(s, t, " ")
        for (i = 1; i <= n; i++) if (t[i] ~ num) print t[i]
    }' "$1"
}
# html_numbers FILE ID: the number cells of HTML table t-ID, in order.
html_numbers() {
    awk -v id="$2" '
    index($0, "<table id=\"t-" id "\">") { on = 1 }
    on && /^<tr>/ {
        s = $0
        while (match(s, /<td class="num">[^<]*<\/td>/)) {
            v = substr(s, RSTART + 16, RLENGTH - 21)
            sub(/,/, ".", v)
            print v
            s = substr(s, RSTART + RLENGTH)
        }
    }
    on && /<\/table>/ { on = 0 }' "$1"
}

for lang in en fr; do
    D="$WORK/$lang"
    bad=""
    ntables=0
    nnumbers=0
    for csv in "$D"/report-*.csv; do
        id=$(basename "$csv" .csv)
        id=${id#report-}
        csv_numbers "$csv" >"$WORK/n.csv"
        json_numbers "$D/report.json" "$id" >"$WORK/n.json"
        html_numbers "$D/report.html" "$id" >"$WORK/n.html"
        cmp -s "$WORK/n.csv" "$WORK/n.json" || bad="$bad json:$id"
        cmp -s "$WORK/n.csv" "$WORK/n.html" || bad="$bad html:$id"
        ntables=$((ntables + 1))
        nnumbers=$((nnumbers + $(wc -l <"$WORK/n.csv")))
    done
    expect_eq "report-11 CSV = JSON = HTML for every table ($lang)" "$bad" ""
    if [ "$ntables" -ge 20 ] && [ "$nnumbers" -ge 500 ]; then
        ok "report-12 $ntables tables, $nnumbers numbers compared ($lang)"
    else
        fail "report-12" "only $ntables tables and $nnumbers numbers ($lang)"
    fi
done
# The checks can fail: a number changed in the JSON is caught.
sed 's/\([^0-9.]\)118\.2\([],]\)/\1118.3\2/' "$WORK/en/report.json" >"$WORK/tampered.json"
json_numbers "$WORK/tampered.json" xtab-mind-weighted >"$WORK/n.json"
csv_numbers "$WORK/en/report-xtab-mind-weighted.csv" >"$WORK/n.csv"
if cmp -s "$WORK/n.csv" "$WORK/n.json"; then
    fail "report-13" "a tampered JSON number went unnoticed"
else
    ok "report-13 a number changed in the JSON is caught"
fi
n=$(grep -c '<td class="num">[0-9-]*,[0-9]' "$HTML_FR")
m=$(grep -c '<td class="num">[0-9-]*,[0-9]' "$HTML_EN")
if [ "$n" -gt 0 ] && [ "$m" -eq 0 ] && grep -q '<html lang="fr">' "$HTML_FR"; then
    ok "report-14 French numbers have a decimal comma, English ones a point"
else
    fail "report-14" "decimal commas: fr $n, en $m"
fi

if [ -f "$PLUGINDIR/xlsx.so" ] && command -v unzip >/dev/null 2>&1 && [ -f "$WORK/en/report.xlsx" ]; then
    bad=""
    k=0
    # Sheets are in table order: the order of the tables in report.json.
    sed -n 's/^   {"id": "\([^"]*\)".*/\1/p' "$WORK/en/report.json" >"$WORK/ids"
    while read -r id; do
        k=$((k + 1))
        csv_numbers "$WORK/en/report-$id.csv" | awk '{ printf "%.16G\n", $1 + 0 }' >"$WORK/n.csv"
        unzip -p "$WORK/en/report.xlsx" "xl/worksheets/sheet$k.xml" | sed 's/<c /\
<c /g' | awk '/^<c / && !/ t="/ && match($0, /<v>[^<]*<\/v>/) {
            print substr($0, RSTART + 3, RLENGTH - 7) }' >"$WORK/n.xlsx"
        cmp -s "$WORK/n.csv" "$WORK/n.xlsx" || bad="$bad $id"
    done <"$WORK/ids"
    if [ "$k" -ge 20 ] && [ -z "$bad" ]; then
        ok "report-15 the $k sheets of report.xlsx hold the CSV numbers"
    else
        fail "report-15" "sheets differ:$bad ($k sheets)"
    fi
else
    echo "skip report-15 (no xlsx plugin or no unzip)"
fi

n=$(grep -c '^Bourtzwiller,.*,x,' "$WORK/en/report-xtab-mind-weighted.csv")
m=$(grep -c '"mark": "x", "suppressed": true' "$WORK/en/report.json")
l=$(grep -c '<td class="x"' "$HTML_EN")
if [ "$n" -eq 1 ] && [ "$m" -gt 0 ] && [ "$l" -gt 0 ]; then
    ok "report-16 small cells are marked x in CSV, JSON and HTML"
else
    fail "report-16" "marks: csv $n, json $m, html $l"
fi
# The meter table shows every row's total and everyone's row: a row or a
# column with a single x would give that value back (sp_sdc.h).
lone=$(awk -F, 'NR > 1 { for (j = 2; j <= NF; j++) if ($j == "x") { row[NR]++; col[j]++; all++ } }
    END { n = 0; for (r in row) if (row[r] == 1) n++; for (c in col) if (col[c] == 1) n++
          print n, all + 0 }' "$WORK/en/report-meter.csv")
if [ "${lone% *}" -eq 0 ] && [ "${lone#* }" -gt 0 ]; then
    ok "report-16b meter table: withheld values come at least two to a row and a column"
else
    fail "report-16b" "lines with one x, x in all: $lone"
fi
# With K = 30 the five largest neighbourhoods have withheld bands too: the
# histogram beside the table must not draw what the table withholds.
spiral --db "$DB" --key "$KEY" report --lang en --min-cell 30 --output "$WORK/k30"
awk -F, 'NR == 1 { for (j = 2; j <= NF; j++) band[j] = $j; next }
         { for (j = 2; j < NF; j++) if ($j == "x") print $1 ", " band[j] }' \
    "$WORK/k30/report-meter.csv" >"$WORK/withheld"
svgs "$WORK/k30/report.html" | grep 'class="chart hist"' |
    grep -o '<title>[^<]*: [0-9.]*%</title>' | sed 's/^<title>\(.*\): \([0-9.]*\)%<\/title>$/\1|\2/' \
    >"$WORK/drawn"
n=$(cut -d'|' -f1 "$WORK/drawn" | grep -Fxc -f "$WORK/withheld")
if [ "$n" -eq 0 ] && [ -s "$WORK/withheld" ] && [ -s "$WORK/drawn" ]; then
    ok "report-16c the meter histogram draws no band the table withholds"
else
    fail "report-16c" "$n withheld bands drawn ($(wc -l <"$WORK/withheld") withheld," \
         "$(wc -l <"$WORK/drawn") drawn)"
fi
# ... and each share drawn is the band's count over the whole row's total,
# withheld bands included.
bad=$(awk -F, 'NR == FNR { if (FNR == 1) { for (j = 2; j <= NF; j++) band[j] = $j; next }
                          for (j = 2; j < NF; j++) share[$1 ", " band[j]] = $j == "x" ? "x" \
                              : sprintf("%.1f", 100 * $j / $NF); next }
               { split($0, d, "|"); if (share[d[1]] != d[2]) print d[1] ": " d[2] " vs " share[d[1]] }' \
    "$WORK/k30/report-meter.csv" "$WORK/drawn")
expect_eq "report-16d the histogram's shares are of the whole row" "$bad" ""
n=$(cat "$HTML_EN" "$HTML_FR" "$WORK"/en/*.csv "$WORK"/fr/*.csv | grep -c '?[A-Z_]*?')
expect_eq "report-17 every message is translated" "$n" 0

spiral --db "$DB" --key "$KEY" report --plan NO-SUCH-PLAN --output "$WORK/none"
expect_status "report-18 an unknown plan is a usage error" 64

# An empty workspace: every section says so; no chart is left empty.
spiral --db "$WORK/empty.db" --key "$WORK/empty.key" init --territory t --name T
spiral --db "$WORK/empty.db" --key "$WORK/empty.key" report --output "$WORK/empty"
expect_status "report-19 a report of an empty workspace" 0
svgs "$WORK/empty/report.html" >"$WORK/svgs"
n=$(grep -c '<svg' "$WORK/svgs")
m=$(grep -c 'no survey answers yet\|no data on resource use\|no signatories yet' "$WORK/empty/report.html")
if [ "$n" -eq 0 ] && [ "$m" -ge 3 ]; then
    ok "report-20 an empty workspace gives sentences, not empty charts"
else
    fail "report-20" "$n charts, $m sentences"
fi
finish
