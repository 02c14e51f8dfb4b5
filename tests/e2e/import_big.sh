#!/bin/sh
# tests/e2e/import_big.sh -- large imports: the bulk path (pseudonym index
# rebuilt in one sort), duplicates found there, flat memory, and kill -9 in
# the middle of an import leaving a sound workspace without that import.
. "$SRCDIR/tests/e2e/lib.sh"
GEN="$BUILDDIR/bench/gen_survey"
D="$SRCDIR/bench/defs"

spiral init --territory mulhouse
spiral import indicators "$D/indicators.csv"
spiral import forms "$D/forms.csv"
"$GEN" -n 60000 --seed 7 -o "$WORK/a.csv"
# Ids restart at R0000001 in every generated file: give each file its own letter.
"$GEN" -n 240000 --seed 8 | sed '2,$s/^R/B/' >"$WORK/b.csv"

# -- the bulk path ---------------------------------------------------------------
/usr/bin/time -f %M -o "$WORK/rss_a" "$SPIRAL" -q import responses --form adults "$WORK/a.csv"
expect_eq big-1.1 "$(sql 'SELECT count(*) FROM respondent')" 60000
expect_eq big-1.2 "$(sql 'SELECT count(*) FROM pragma_foreign_key_check')" 0
expect_eq big-1.3 "$(sql 'PRAGMA integrity_check')" ok
expect_eq big-1.4 "$(sql "SELECT count(*) FROM sqlite_schema WHERE name = 'respondent_pkey'")" 1
expect_eq big-1.5 "$(sql 'SELECT sum(length(levels)) FROM respondent')" 1800000

# -- a duplicate in a large file: refused with both lines, nothing kept -------------
before=$(db_fingerprint)
{ cat "$WORK/b.csv"; sed -n 1000p "$WORK/b.csv"; } >"$WORK/dup.csv"
spiral import responses --form adults "$WORK/dup.csv"
expect_status big-2.1 65
id=$(sed -n 1000p "$WORK/b.csv" | cut -d, -f1)
expect_err big-2.2 "$WORK/dup.csv:240002:1: id: respondent '$id' appears twice in wave"
expect_err big-2.3 "(also on line 1000)"
expect_same big-2.4 "$before"

# -- memory stays flat: four times the rows, not four times the memory -----------
/usr/bin/time -f %M -o "$WORK/rss_b" "$SPIRAL" -q import responses --form adults "$WORK/b.csv"
expect_eq big-3.1 "$(sql 'SELECT count(*) FROM respondent')" 300000
rss_a=$(tail -n 1 "$WORK/rss_a")
rss_b=$(tail -n 1 "$WORK/rss_b")
if [ "$rss_b" -lt 65536 ] && [ "$rss_b" -lt $((rss_a * 3 / 2)) ]; then
    ok "big-3.2 peak memory ${rss_a} KB for 60k rows, ${rss_b} KB for 240k rows"
else
    fail big-3.2 "peak memory ${rss_a} KB for 60k rows, ${rss_b} KB for 240k rows"
fi

# -- kill -9 in the middle ---------------------------------------------------------
"$GEN" -n 400000 --seed 9 | sed '2,$s/^R/C/' >"$WORK/c.csv"
before=$(db_fingerprint)
"$SPIRAL" -q import responses --form adults "$WORK/c.csv" 2>/dev/null &
pid=$!
# Wait until the import has written into the WAL, then kill it.
i=0
while [ $i -lt 200 ] && [ "$(stat -c %s "$SPIRAL_DB-wal" 2>/dev/null || echo 0)" -lt 4000000 ]; do
    sleep 0.05
    i=$((i + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
expect_eq big-4.1 "$(sql 'PRAGMA integrity_check')" ok
expect_eq big-4.2 "$(sql 'SELECT count(*) FROM respondent')" 300000
expect_eq big-4.3 "$(sql "SELECT count(*) FROM import_ledger WHERE file_name LIKE '%c.csv'")" 0
expect_same big-4.4 "$before"
if [ $i -lt 200 ]; then ok "big-4.5 the import was killed mid-way"; else fail big-4.5 "the import never started writing"; fi
# and the same file imports whole afterwards
spiral import responses --form adults "$WORK/c.csv"
expect_status big-4.6 0
expect_eq big-4.7 "$(sql 'SELECT count(*) FROM respondent')" 700000

finish
