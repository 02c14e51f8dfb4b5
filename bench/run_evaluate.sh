#!/bin/sh
# bench/run_evaluate.sh -- the batch co-evaluation benchmark: a facilitator's
# batch of PLANS plans x 20 actions x 6 evaluator groups (ex-ante for all,
# ex-post for every other action), on a workspace of ROWS self-survey
# respondents, evaluated with `spiral evaluate --all --output DIR`.
#
#   sh bench/run_evaluate.sh BUILD_DIR [ROWS] [PLANS] [RUNS]
#
# Prints each run's wall time and peak RSS, the median time per plan, and a
# callgrind summary (top functions) of a 10-plan batch when valgrind is
# installed.  Plans, actions and scores are generated with awk (seeded, so
# every run sees the same data); the default grid is scripts/lib/grid.lua.
set -eu
build=${1:?usage: run_evaluate.sh BUILD_DIR [ROWS] [PLANS] [RUNS]}
rows=${2:-1000000}
plans=${3:-100}
runs=${4:-3}
here=$(cd "$(dirname "$0")" && pwd)
spiral="$build/core/spiral"
tmp=${TMPDIR:-/tmp}/spiral-bench-evaluate
mkdir -p "$tmp"
export SPIRAL_SCRIPTS="$here/../scripts"
csv="$tmp/survey-$rows.csv"
[ -f "$csv" ] || "$build/bench/gen_survey" -n "$rows" --seed 1 -o "$csv"

# gen_plans PLANS OUTDIR: actions.csv and evaluations.csv.
gen_plans() {
    awk -v plans="$1" -v dir="$2" 'BEGIN {
        srand(42)
        split("A01 A02 A03 A04 A05 A06 A07 A09 A11 B00 B02 C01 C02 D01 D02 E01 E02 F01 F02 F03 G01 G02 H01 H02", comp, " ")
        split("social culture emploi logement santé jeunesse environnement sport éducation économie", sect, " ")
        split("inhabitants professionals elected associations beneficiaries inhabitants", kind, " ")
        nb[1] = "Drouot-Barbanègre"; nb[2] = "Wolf-Wagner"; nb[3] = "Briand"; nb[4] = "Coteaux"
        a = dir "/actions.csv"; e = dir "/evaluations.csv"
        print "code,title,neighbourhood,started_on,themes,problematiques,components,actors,sectors,plan" > a
        print "plan,action,evaluator_group,evaluator_kind,phase,grid,component,score" > e
        for (p = 1; p <= plans; p++) {
            plan = sprintf("P%03d", p)
            for (i = 1; i <= 20; i++) {
                code = sprintf("%s-A%02d", plan, i)
                nc = 4 + int(rand() * 4); cl = ""; delete used
                for (k = 0; k < nc; k++) {
                    do c = comp[1 + int(rand() * 24)]; while (c in used)
                    used[c] = 1; cl = cl (k ? "|" : "") c
                }
                s1 = sect[1 + int(rand() * 10)]; s2 = sect[1 + int(rand() * 10)]
                printf "%s,Action %s,%s,20%02d-%02d-01,theme%d,vie-%d,%s,acteur%d|acteur%d,%s|%s,%s\n",
                    code, code, nb[1 + int(rand() * 4)], 10 + int(rand() * 10), 1 + int(rand() * 12),
                    int(rand() * 20), 1 + int(rand() * 10), cl, int(rand() * 50), int(rand() * 50),
                    s1, s2, plan > a
                n = split(cl, cs, "|")
                for (g = 1; g <= 6; g++)
                    for (k = 1; k <= n; k++) {
                        printf "%s,%s,G%d,%s,ex-ante,europe,%s,%d\n", plan, code, g, kind[g], cs[k],
                            int(rand() * 5) - 2 > e
                        if (i % 2 == 0)
                            printf "%s,%s,G%d,%s,ex-post,europe,%s,%d\n", plan, code, g, kind[g],
                                cs[k], int(rand() * 5) - 2 > e
                    }
            }
        }
    }'
}

# A workspace: the survey, then the plans.  Built once per ROWS x PLANS.
db="$tmp/ws-$rows-$plans.db"
if [ ! -f "$db" ]; then
    rm -f "$db"* "$tmp/key"
    "$spiral" -q --db "$db" --key "$tmp/key" init --territory bench --population 1000000
    "$spiral" -q --db "$db" --key "$tmp/key" import indicators "$here/defs/indicators.csv"
    "$spiral" -q --db "$db" --key "$tmp/key" import forms "$here/defs/forms.csv"
    "$spiral" -q --db "$db" --key "$tmp/key" import responses --form adults "$csv"
    gen_plans "$plans" "$tmp"
    "$spiral" -q --db "$db" --key "$tmp/key" import actions "$tmp/actions.csv"
    "$spiral" -q --db "$db" --key "$tmp/key" import evaluations "$tmp/evaluations.csv"
fi
echo "workspace: $(sqlite3 "$db" 'SELECT count(*) FROM respondent') respondents," \
     "$(sqlite3 "$db" 'SELECT count(*) FROM plan') plans," \
     "$(sqlite3 "$db" 'SELECT count(*) FROM action') actions," \
     "$(sqlite3 "$db" 'SELECT count(*) FROM evaluation_score') scores"

: >"$tmp/runs"
i=1
while [ "$i" -le "$runs" ]; do
    rm -rf "$tmp/out"
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$spiral" -q --db "$db" evaluate --all \
        --output "$tmp/out" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
    echo "run $i: $(cat "$tmp/time" | awk '{printf "%s s, peak %s KB", $1, $2}')"
    cat "$tmp/time" >>"$tmp/runs"
    i=$((i + 1))
done
med=$(awk '{print $1}' "$tmp/runs" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
rss=$(awk '{print $2}' "$tmp/runs" | sort -n | tail -n 1)
echo "median wall: $med s for $plans plans = $(echo "$med $plans" | awk '{printf "%.1f", 1000 * $1 / $2}') ms per plan; peak RSS $rss KB"
echo "results: $(ls "$tmp/out" | wc -l) files in $tmp/out"

if command -v valgrind >/dev/null 2>&1 && command -v callgrind_annotate >/dev/null 2>&1; then
    # 10 plans: the first ten, named on the command line.
    set -- $(sqlite3 "$db" 'SELECT code FROM plan ORDER BY code LIMIT 10')
    rm -rf "$tmp/out10" "$tmp"/callgrind.out.*
    libtool --mode=execute valgrind --tool=callgrind --callgrind-out-file="$tmp/callgrind.out.10" \
        "$spiral" -q --db "$db" evaluate "$@" --output "$tmp/out10" >/dev/null 2>"$tmp/cg.err"
    echo "callgrind, 10 plans: top functions by inclusive cost"
    callgrind_annotate --inclusive=yes "$tmp/callgrind.out.10" 2>/dev/null | \
        grep -E '^ *[0-9,]+ ' | head -n 25
fi
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"
