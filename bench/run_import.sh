#!/bin/sh
# bench/run_import.sh -- the importer benchmark: `spiral import responses`
# (validating every field, pseudonymising every id) against sqlite3's
# `.import` of the same file into an equivalent table, run alternately.
#
#   sh bench/run_import.sh BUILD_DIR [ROWS] [RUNS]
#
# Prints each run and the median wall time, peak RSS and the ratio.
set -eu
build=${1:?usage: run_import.sh BUILD_DIR [ROWS] [RUNS]}
rows=${2:-1000000}
runs=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
spiral="$build/core/spiral"
tmp=${TMPDIR:-/tmp}/spiral-bench-import
mkdir -p "$tmp"
csv="$tmp/survey-$rows.csv"
[ -f "$csv" ] || "$build/bench/gen_survey" -n "$rows" --seed 1 -o "$csv"

# A workspace with the 30 indicators and the adults form, copied per run.
rm -f "$tmp/empty.db"*
"$spiral" -q --db "$tmp/empty.db" --key "$tmp/key" init --territory bench
"$spiral" -q --db "$tmp/empty.db" --key "$tmp/key" import indicators "$here/defs/indicators.csv"
"$spiral" -q --db "$tmp/empty.db" --key "$tmp/key" import forms "$here/defs/forms.csv"

timed() {   # timed LABEL COMMAND...: one line "LABEL wall_s rss_kb"
    label=$1
    shift
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >/dev/null 2>&1
    echo "$label $(cat "$tmp/time")"
}
: >"$tmp/runs"
i=1
while [ "$i" -le "$runs" ]; do
    rm -f "$tmp/run.db"*
    cp "$tmp/empty.db" "$tmp/run.db"
    timed spiral "$spiral" -q --db "$tmp/run.db" --key "$tmp/key" import responses --form adults "$csv" | tee -a "$tmp/runs"
    timed sqlite3 sh "$here/peers/sqlite_j.sh" "$csv" import "$tmp/sqlite.db" | tee -a "$tmp/runs"
    i=$((i + 1))
done
median() { grep "^$1 " "$tmp/runs" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
rss() { grep "^$1 " "$tmp/runs" | awk '{print $3}' | sort -n | tail -n 1; }
s=$(median spiral)
q=$(median sqlite3)
echo "median wall: spiral ${s} s (peak $(rss spiral) KB), sqlite3 .import ${q} s (peak $(rss sqlite3) KB)"
echo "ratio sqlite3/spiral: $(echo "$q $s" | awk '{printf "%.2f", $1 / $2}')"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"
