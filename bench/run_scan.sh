#!/bin/sh
# run_scan.sh -- the engine benchmark of `spiral crosstab` and `spiral
# aggregate` (J1 and J2 of bench/README.md), straight from CSV and from the
# workspace, side by side with the peers of bench/peers/ and the "memory
# read" baseline (bench/memread).  Data and workspaces go under /tmp, never
# into the repository.  Whole-process wall time and peak RSS come from
# /usr/bin/time; each figure is the best of RUNS runs.
#
#   sh bench/run_scan.sh BUILDDIR [SIZES]     e.g. sh bench/run_scan.sh /tmp/b 1m,10m
#
# Needs: BUILDDIR/core/spiral, BUILDDIR/bench/gen_survey, BUILDDIR/bench/memread
# (make bench/memread), node with bench/node_modules (cd bench && npm install),
# sqlite3, optionally python3-pandas (PANDAS=1).
set -eu
B=${1:?usage: run_scan.sh BUILDDIR [1m,10m]}
SIZES=$(echo "${2:-1m,10m}" | tr , ' ')
RUNS=${RUNS:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
S="$B/core/spiral"
T=/tmp/spiral-bench
mkdir -p "$T"
export SPIRAL_KEY="$T/ws.key"

# best WALL RSS over RUNS runs of a command (stdout discarded)
best() {
    bw=""; br=""
    i=0
    while [ $i -lt "$RUNS" ]; do
        /usr/bin/time -f "%e %M" -o "$T/time" "$@" > /dev/null 2> "$T/stderr" || {
            echo "FAILED: $*" >&2; cat "$T/stderr" >&2; return 1; }
        set -- "$@"
        w=$(cut -d' ' -f1 "$T/time"); r=$(cut -d' ' -f2 "$T/time")
        if [ -z "$bw" ] || [ "$(echo "$w < $bw" | bc)" = 1 ]; then bw=$w; br=$r; fi
        i=$((i + 1))
    done
    echo "$bw s, $((br / 1024)) MB"
}

{ echo "code,component,label_fr,label_en,levels_fr,levels_en"
  for i in $(seq -w 1 30); do
      echo "ind$i,A$i,Indicateur $i,Indicator $i,très mauvaise|mauvaise|moyenne|bonne|idéale,very bad|bad|average|good|ideal"
  done; } > "$T/ind.csv"
{ echo "form,form_label_fr,form_label_en,item,indicator,wording_fr,wording_en"
  for i in $(seq -w 1 30); do echo "adults,Adultes,Adults,q$i,ind$i,Q$i,Q$i"; done; } > "$T/forms.csv"

J1="--rows q01 --cols neighbourhood --weight weight --no-suppress --format json"
J2="--vars q01-q30 --by age_band,wave --weight weight --no-suppress --format json"

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
for n in $SIZES; do
    rows=$(echo "$n" | sed 's/m$/000000/')
    F=/tmp/survey-$n.csv
    [ -f "$F" ] || "$B/bench/gen_survey" -n "$rows" --seed 1 -o "$F"
    DB="$T/ws-$n.db"
    if [ ! -f "$DB" ]; then
        SPIRAL_DB=$DB "$S" -q init --territory MUL --name Mulhouse
        SPIRAL_DB=$DB "$S" -q import indicators "$T/ind.csv"
        SPIRAL_DB=$DB "$S" -q import forms "$T/forms.csv"
        /usr/bin/time -f "%e s, %M KB" -o "$T/time" env SPIRAL_DB=$DB "$S" -q import responses "$F" --form adults
        echo "[$n] import: $(cat "$T/time")"
        /usr/bin/time -f "%e s, %M KB" -o "$T/time" env SPIRAL_DB=$DB "$S" crosstab $J1 > /dev/null
        echo "[$n] first crosstab after the import (builds the columnar chunks): $(cat "$T/time")"
    fi
    echo "[$n] spiral J1 csv:        $(best "$S" --db "$DB" crosstab "$F" $J1)"
    echo "[$n] spiral J2 csv:        $(best "$S" --db "$DB" aggregate "$F" $J2)"
    echo "[$n] spiral J1 csv 1 thr:  $(best "$S" --db "$DB" crosstab "$F" $J1 --threads 1)"
    echo "[$n] spiral J1 workspace:  $(best "$S" --db "$DB" crosstab $J1)"
    echo "[$n] spiral J2 workspace:  $(best "$S" --db "$DB" aggregate $J2)"
    # read+scan+merge inside the process, best of 5 like the memory read
    inproc=$(for i in 1 2 3 4 5; do
        SPIRAL_SCAN_TIMING=1 "$S" --db "$DB" crosstab $J1 2>&1 >/dev/null |
            sed -n 's/.*read+scan+merge \([0-9.]*\) ms.*/\1/p'
    done | sort -n | head -1)
    mem=$("$B/bench/memread" -n "$rows" | sed -n 's/.*best of 5: \([0-9.]*\) ms.*/\1/p')
    echo "[$n] J1 workspace in process (read+scan+merge, best of 5): $inproc ms;" \
         "memory read $mem ms; ratio $(echo "scale=2; $inproc / $mem" | bc)"
    "$S" --db "$DB" crosstab "$F" $J1 > "$T/j1csv.json"
    "$S" --db "$DB" crosstab $J1 > "$T/j1ws.json"
    if cmp -s "$T/j1csv.json" "$T/j1ws.json"; then echo "[$n] J1 JSON: CSV = workspace"; else echo "[$n] J1 JSON DIFFERS"; fi
    grep -o '"pearson": {[^}]*}' "$T/j1ws.json" | sed "s/^/[$n] J1 /"
    if [ -d "$HERE/node_modules" ]; then
        echo "[$n] duckdb j1:            $(best node "$HERE/peers/duckdb_j.mjs" "$F" j1)"
        echo "[$n] duckdb j2:            $(best node "$HERE/peers/duckdb_j.mjs" "$F" j2)"
    fi
    if [ "${PANDAS:-0}" = 1 ]; then
        echo "[$n] pandas j1:            $(best /usr/bin/python3 "$HERE/peers/pandas_j.py" "$F" j1)"
        echo "[$n] pandas j2:            $(best /usr/bin/python3 "$HERE/peers/pandas_j.py" "$F" j2)"
    fi
    # sqlite3's GROUP BY on the same workspace (the cells of J1; margins
    # and chi-square would only add to its time), one run.
    /usr/bin/time -f "%e s, %M KB" -o "$T/time" sqlite3 "$DB" \
        "SELECT count(*) FROM (SELECT substr(levels, 1, 1), neighbourhood_id, count(*), sum(weight)
           FROM respondent WHERE substr(levels, 1, 1) <> x'00' AND neighbourhood_id IS NOT NULL
           GROUP BY 1, 2)" > /dev/null
    echo "[$n] sqlite3 GROUP BY J1 on the workspace: $(cat "$T/time")"
done
