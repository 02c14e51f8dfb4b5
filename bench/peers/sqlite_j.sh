#!/bin/sh
# sqlite_j.sh -- the benchmark jobs with the sqlite3 command-line shell, a
# peer against which spiral's own numbers are set (see bench/README.md).
#   sh bench/peers/sqlite_j.sh FILE.csv [all|import] [DB]
# all (default): `.import` the CSV into an in-memory table with typed columns,
#   then J1 (weighted crosstab q01 x neighbourhood with margins, Pearson's
#   chi-square on the weighted counts) and J2 (weighted means of q01..q30 by
#   age_band x wave), as GROUP BY queries; prints the same digest as the
#   other peers.
# import: only the plain `.import` into a fresh database file DB (default
#   /tmp/sqlite_j.db, removed first): the reference for the importer benchmark.
# Empty fields arrive as '' (the shell's .import does not make NULLs), so the
# queries test q <> ''.
set -eu
file=${1:?usage: sqlite_j.sh FILE.csv [all|import] [DB]}
mode=${2:-all}
db=${3:-/tmp/sqlite_j.db}

cols="id TEXT, wave INTEGER, neighbourhood TEXT, age_band TEXT, gender TEXT, social_category TEXT, weight REAL"
i=1
while [ $i -le 30 ]; do
    cols="$cols, q$(printf %02d $i) INTEGER"
    i=$((i + 1))
done

if [ "$mode" = import ]; then
    rm -f "$db"
    sqlite3 "$db" <<SQL
.timer on
CREATE TABLE s ($cols);
.import --csv --skip 1 '$file' s
SELECT 'rows=' || count(*) FROM s;
SQL
    exit 0
fi

j2=""
i=1
while [ $i -le 30 ]; do
    q=q$(printf %02d $i)
    j2="$j2, sum(CASE WHEN $q <> '' THEN weight * $q END) / sum(CASE WHEN $q <> '' THEN weight END) AS $q"
    i=$((i + 1))
done
sum=""
i=1
while [ $i -le 30 ]; do
    sum="$sum${sum:+ + }q$(printf %02d $i)"
    i=$((i + 1))
done

sqlite3 :memory: <<SQL
.timer on
CREATE TABLE s ($cols);
.import --csv --skip 1 '$file' s
-- J1: cells and margins
CREATE TEMP TABLE j1 AS
  SELECT neighbourhood AS nb, q01 AS lv, sum(weight) AS w FROM s WHERE q01 <> '' GROUP BY nb, lv
  UNION ALL SELECT neighbourhood, NULL, sum(weight) FROM s WHERE q01 <> '' GROUP BY neighbourhood
  UNION ALL SELECT NULL, q01, sum(weight) FROM s WHERE q01 <> '' GROUP BY q01
  UNION ALL SELECT NULL, NULL, sum(weight) FROM s WHERE q01 <> '';
WITH c AS (SELECT nb, lv, w FROM j1 WHERE nb IS NOT NULL AND lv IS NOT NULL),
     r AS (SELECT lv, w AS rw FROM j1 WHERE nb IS NULL AND lv IS NOT NULL),
     k AS (SELECT nb, w AS cw FROM j1 WHERE lv IS NULL AND nb IS NOT NULL),
     t AS (SELECT w AS tw FROM j1 WHERE nb IS NULL AND lv IS NULL),
     e AS (SELECT r.lv, k.nb, r.rw * k.cw / t.tw AS ex FROM r, k, t)
SELECT 'J1 cells+margins=' || (SELECT count(*) FROM j1)
       || ' chi2=' || printf('%.12g', sum((coalesce(c.w, 0) - e.ex) * (coalesce(c.w, 0) - e.ex) / e.ex))
       || ' df=' || (((SELECT count(*) FROM r) - 1) * ((SELECT count(*) FROM k) - 1))
FROM e LEFT JOIN c ON c.lv = e.lv AND c.nb = e.nb;
-- J2
CREATE TEMP TABLE j2 AS SELECT age_band, wave $j2 FROM s GROUP BY age_band, wave;
SELECT 'J2 groups=' || count(*) || ' sum_of_means=' || printf('%.12g', sum($sum)) FROM j2;
SQL
