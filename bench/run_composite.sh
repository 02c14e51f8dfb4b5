#!/bin/sh
# run_composite.sh -- a composite indicator written in Lua against the same
# composite built into C (bench/RESULTS.md, "Composite indicators (Lua vs
# C)").  N respondents from bench/gen_survey; the composite is the median
# of q01, q02, q03 (the lower middle of the answers given), then its
# weighted mean by age_band, through `spiral run`:
#   lua: ds:composite("wb", {"q01","q02","q03"}, function(a, b, c) ... end)
#   c:   ds:composite("wb", {"q01","q02","q03"}, "median")
# For reference, `spiral aggregate --vars q01 --by age_band` (one plain
# indicator, no composite).  Each figure is the best of RUNS runs of the
# whole process (wall time from /usr/bin/time).  Data goes under /tmp.
#
#   sh bench/run_composite.sh BUILDDIR [N]      e.g. sh bench/run_composite.sh /tmp/b 1000000
set -eu
B=${1:?usage: run_composite.sh BUILDDIR [N]}
N=${2:-1000000}
RUNS=${RUNS:-3}
S="$B/core/spiral"
T=/tmp/spiral-bench-composite
mkdir -p "$T/in"
F="$T/in/survey.csv"
[ -f "$F.$N" ] || { "$B/bench/gen_survey" -n "$N" --seed 1 -o "$F.$N"; }
cp "$F.$N" "$F"

cat > "$T/lua.lua" <<'LUA'
local spiral = require "spiral"
local ds = assert(spiral.survey.dataset{file = "survey.csv"})
ds:composite("wb", {"q01", "q02", "q03"}, function(a, b, c)
  local t = {}
  for _, v in pairs({a, b, c}) do t[#t + 1] = v end
  if #t == 0 then return nil end
  table.sort(t)
  return t[(#t + 1) // 2]
end)
local ag = assert(ds:aggregate{vars = "wb", by = "age_band", weight = "weight", no_suppress = true})
for _, r in ipairs(ag:rows()) do print(r.age_band, string.format("%.12f", r.mean)) end
LUA
sed 's/ds:composite("wb", {"q01", "q02", "q03"}, function(a, b, c)/ds:composite("wb", {"q01", "q02", "q03"}, "median") local _ = (function(a, b, c)/; s/^end)$/end)/' "$T/lua.lua" > "$T/c.lua"
# c.lua: the same script with the built-in; the Lua function is left
# defined but unused so both scripts compile the same amount of code.

# one WALL: run a command once, print its wall time (stdout kept in $T/stdout)
one() {
    /usr/bin/time -f "%e" -o "$T/time" "$@" > "$T/stdout" 2> "$T/stderr" || {
        echo "FAILED: $*" >&2; cat "$T/stderr" >&2; return 1; }
    cat "$T/time"
}
min() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc)" = 1 ]; then echo "$2"; else echo "$1"; fi; }

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); N = $N; best of $RUNS"
# Interleaved, so that the page cache and the other load favour neither.
tl=""; tc=""; tr=""
i=0
while [ $i -lt "$RUNS" ]; do
    tl=$(min "$tl" "$(one "$S" run --input "$T/in" "$T/lua.lua")"); cp "$T/stdout" "$T/lua.out"
    tc=$(min "$tc" "$(one "$S" run --input "$T/in" "$T/c.lua")"); cp "$T/stdout" "$T/c.out"
    tr=$(min "$tr" "$(one "$S" aggregate "$F" --vars q01 --by age_band --weight weight \
                       --no-suppress --format json)")
    i=$((i + 1))
done
if cmp -s "$T/lua.out" "$T/c.out"; then same=yes; else same=NO; fi
echo "composite in Lua:           $tl s"
echo "composite built into C:     $tc s"
echo "plain aggregate (q01):      $tr s"
echo "ratio Lua / C:              $(echo "scale=2; $tl / $tc" | bc)"
echo "same results:               $same"
cat "$T/lua.out"
