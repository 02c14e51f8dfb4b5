// duckdb_j.mjs -- the benchmark jobs J1 and J2 in DuckDB (npm @duckdb/node-api),
// a peer against which spiral's own numbers are set.  See bench/README.md.
//   node bench/peers/duckdb_j.mjs FILE.csv [all|j1|j2|load]
// Reads the CSV of bench/gen_survey into an in-memory table, then
//   J1: weighted crosstab q01 x neighbourhood with margins (GROUP BY CUBE)
//       and Pearson's chi-square on the weighted counts, all in SQL;
//   J2: weighted means of q01..q30 by age_band x wave (missing excluded
//       per indicator).
// Prints each phase's wall time to stderr and a short digest of the results
// to stdout (chi-square, df, sum of the J2 means) so that peers can be
// checked against each other.
import { DuckDBInstance } from '@duckdb/node-api';

const [file, mode = 'all'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node duckdb_j.mjs FILE.csv [all|j1|j2|load]');
  process.exit(64);
}
const qs = Array.from({ length: 30 }, (_, i) => `q${String(i + 1).padStart(2, '0')}`);
const lit = (s) => `'${s.replaceAll("'", "''")}'`;

const t0 = performance.now();
const phase = (name, since) => {
  const now = performance.now();
  console.error(`${name}: ${((now - since) / 1000).toFixed(3)} s`);
  return now;
};

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const types = { id: 'VARCHAR', wave: 'INTEGER', neighbourhood: 'VARCHAR', age_band: 'VARCHAR',
  gender: 'VARCHAR', social_category: 'VARCHAR', weight: 'DOUBLE' };
for (const q of qs) types[q] = 'TINYINT';
const typeSql = '{' + Object.entries(types).map(([k, v]) => `${lit(k)}: ${lit(v)}`).join(', ') + '}';
await con.run(`CREATE TABLE s AS SELECT * FROM read_csv(${lit(file)}, header = true, columns = ${typeSql})`);
let t = phase('load', t0);
if (mode === 'load') process.exit(0);

if (mode === 'all' || mode === 'j1') {
  const table = await con.runAndReadAll(`
    SELECT neighbourhood, q01, sum(weight) AS w
    FROM s WHERE q01 IS NOT NULL
    GROUP BY CUBE (neighbourhood, q01)
    ORDER BY neighbourhood NULLS LAST, q01 NULLS LAST`);
  const chi = await con.runAndReadAll(`
    WITH c AS (SELECT neighbourhood AS nb, q01 AS lv, sum(weight) AS w
               FROM s WHERE q01 IS NOT NULL GROUP BY ALL),
         r AS (SELECT lv, sum(w) AS rw FROM c GROUP BY lv),
         k AS (SELECT nb, sum(w) AS cw FROM c GROUP BY nb),
         t AS (SELECT sum(w) AS tw FROM c),
         e AS (SELECT r.lv, k.nb, r.rw * k.cw / t.tw AS ex FROM r, k, t)
    SELECT sum((coalesce(c.w, 0) - e.ex) ^ 2 / e.ex) AS chi2,
           ((SELECT count(*) FROM r) - 1) * ((SELECT count(*) FROM k) - 1) AS df
    FROM e LEFT JOIN c ON c.lv = e.lv AND c.nb = e.nb`);
  const [row] = chi.getRowObjects();
  console.log(`J1 cells+margins=${table.getRows().length} chi2=${Number(row.chi2).toPrecision(12)} df=${row.df}`);
  t = phase('J1', t);
}

if (mode === 'all' || mode === 'j2') {
  const cols = qs.map((q) => `sum(weight * ${q}) / sum(weight) FILTER (WHERE ${q} IS NOT NULL) AS ${q}`).join(',\n    ');
  const res = await con.runAndReadAll(`
    SELECT age_band, wave,
    ${cols}
    FROM s GROUP BY age_band, wave ORDER BY age_band, wave`);
  let sum = 0;
  const rows = res.getRowObjects();
  for (const r of rows) for (const q of qs) sum += Number(r[q]);
  console.log(`J2 groups=${rows.length} sum_of_means=${sum.toPrecision(12)}`);
  t = phase('J2', t);
}
phase('total', t0);
