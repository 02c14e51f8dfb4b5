// tools/ngc/generate.mjs -- expected values for the Lua port of Nos Gestes
// Climat (scripts/lib/meter/ngc.lua), computed only by running the published
// model (@incubateur-ademe/nosgestesclimat, public/co2-model.FR-lang.fr.json)
// with the publicodes Engine.  It builds the answer situations below,
// evaluates each sub-tree's total and main intermediate nodes, and writes
//   tests/fixtures/ngc/expected.json   situations + outputs (full doubles)
//   tests/fixtures/ngc/expected.lua    the same data as a Lua table literal
//   tests/fixtures/ngc/README.md       provenance: versions, command, date
// Run: cd tools/ngc && npm install && node generate.mjs
// Answers are written as plain values (strings for choices, numbers); they
// are turned into publicodes expressions ('choice' in quotes) here.
import Engine from 'publicodes';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../../tests/fixtures/ngc');
const require = createRequire(import.meta.url);
const modelPkg = JSON.parse(readFileSync(path.join(here,
  'node_modules/@incubateur-ademe/nosgestesclimat/package.json'), 'utf8'));
const engPkg = JSON.parse(readFileSync(path.join(here,
  'node_modules/publicodes/package.json'), 'utf8'));
const MODEL_FILE = 'public/co2-model.FR-lang.fr.json';
const rules = JSON.parse(readFileSync(path.join(here,
  'node_modules/@incubateur-ademe/nosgestesclimat', MODEL_FILE), 'utf8'));

// The nodes checked for each sub-tree: its total first, then intermediates.
const V = 'transport . voiture';
const A = 'transport . avion';
const OUTPUTS = {
  voiture: [V, `${V} . empreinte moyenne`, `${V} . empreinte calculée`,
    `${V} . usage`, `${V} . usage au kilomètre`, `${V} . usage au kilomètre calculé`,
    `${V} . construction`, `${V} . construction au kilomètre`,
    `${V} . barème construction`, `${V} . km`, `${V} . voyageurs`,
    `${V} . base au kilomètre`, `${V} . climatisation`,
    `${V} . km annuels moyen`, `${V} . km annuels moyen réel`,
    `${V} . thermique . empreinte au kilomètre`,
    `${V} . thermique . consommation aux 100`,
    `${V} . hybride . empreinte au kilomètre`,
    `${V} . électrique . empreinte au kilomètre`,
    `${V} . électrique . consommation aux 100`],
  avion: [A, `${A} . empreinte`, `${A} . empreinte moyenne`,
    `${A} . vols annuels`, `${A} . vols amortis`,
    `${A} . vols annuels . heures court courrier`,
    `${A} . vols annuels . heures moyen et long courrier`,
    `${A} . vols amortis . heures court courrier`,
    `${A} . vols amortis . heures moyen et long courrier`,
    `${A} . court courrier . durée moyenne passager`,
    `${A} . moyen et long courrier . durée moyenne passager`,
    `${A} . court courrier . durée moyenne`,
    `${A} . moyen et long courrier . durée moyenne`],
  repas: ['alimentation . repas', 'alimentation . petit déjeuner annuel',
    'alimentation . déjeuner et dîner', 'alimentation . plats',
    'alimentation . plats . végétalien', 'alimentation . plats . végétarien',
    'alimentation . plats . viande blanche', 'alimentation . plats . viande rouge',
    'alimentation . plats . poisson gras', 'alimentation . plats . poisson blanc',
    'alimentation . bonus', 'alimentation . de saison . empreinte',
    'alimentation . local . empreinte'],
};

// ---- situations -----------------------------------------------------------
const S = [];
const add = (id, answers) => S.push({ id, answers });
const VU = `${V} . utilisateur`, MOT = `${V} . motorisation`, GAB = `${V} . gabarit`;
const CAR = `${V} . thermique . carburant`, KM = `${V} . km`, VOY = `${V} . voyageurs`;
const C100 = `${V} . thermique . consommation aux 100`;
const E100 = `${V} . électrique . consommation aux 100`;
const BAT = `${V} . barème construction . barème électrique . batterie . capacité`;
const ELEC = 'logement . électricité . intensité carbone équivalente';

add('defaults', {});
for (const u of ['propriétaire', 'régulier non propriétaire', 'non régulier', 'jamais'])
  add(`car-user-${u}`, { [VU]: u });
// every motorisation x gabarit for an owner, with varied km and passengers
const mots = ['thermique', 'électrique', 'hybride non rechargeable', 'hybride rechargeable'];
const gabs = ['petite', 'moyenne', 'VUL', 'berline', 'SUV'];
const kms = [3000, 8000, 12000, 15000, 25000];
const voys = [1, 1.5, 2, 3, 4];
mots.forEach((m, i) => gabs.forEach((g, j) =>
  add(`car-owner-${m}-${g}`, { [VU]: 'propriétaire', [MOT]: m, [GAB]: g,
    [KM]: kms[(i + j) % 5], [VOY]: voys[(2 * i + j) % 5] })));
for (const c of ['gazole B7 ou B10', 'essence E5 ou E10', 'essence E85', 'GPL'])
  for (const g of ['petite', 'SUV'])
    add(`car-fuel-${c}-${g}`, { [VU]: 'propriétaire', [MOT]: 'thermique', [GAB]: g, [CAR]: c });
add('car-fuel-defaults-regular', { [VU]: 'régulier non propriétaire', [CAR]: 'gazole B7 ou B10' });
add('car-consumption-given', { [VU]: 'propriétaire', [C100]: 5.5, [KM]: 10000 });
add('car-consumption-min', { [VU]: 'propriétaire', [C100]: 1 });
add('car-consumption-max', { [VU]: 'propriétaire', [C100]: 30, [CAR]: 'GPL' });
add('car-consumption-over-cap', { [VU]: 'propriétaire', [C100]: 45 });
add('car-elec-consumption-given', { [VU]: 'propriétaire', [MOT]: 'électrique', [E100]: 15, [KM]: 9000 });
add('car-elec-battery-given', { [VU]: 'propriétaire', [MOT]: 'électrique', [GAB]: 'berline', [BAT]: 60 });
add('car-elec-battery-small', { [VU]: 'régulier non propriétaire', [MOT]: 'électrique', [GAB]: 'petite', [BAT]: 30, [KM]: 4000 });
add('car-elec-other-grid', { [VU]: 'propriétaire', [MOT]: 'électrique', [ELEC]: 0.42 });
add('car-hybrid-other-grid', { [VU]: 'propriétaire', [MOT]: 'hybride rechargeable', [GAB]: 'SUV', [ELEC]: 0.3 });
add('car-km-below-threshold-owner', { [VU]: 'propriétaire', [KM]: 2000 });
add('car-km-below-threshold-regular', { [VU]: 'régulier non propriétaire', [KM]: 2000 });
add('car-km-zero', { [VU]: 'propriétaire', [KM]: 0 });
add('car-km-one', { [VU]: 'régulier non propriétaire', [KM]: 1 });
add('car-km-over-cap', { [VU]: 'propriétaire', [KM]: 150000 });
add('car-km-no-user', { [KM]: 20000, [VOY]: 2 });
add('car-km-low-no-user', { [KM]: 5000 });  // 'utilisateur = ...' is undefined here
add('car-passengers-zero', { [VU]: 'propriétaire', [VOY]: 0 });
add('car-passengers-nine', { [VU]: 'propriétaire', [VOY]: 9, [KM]: 30000 });
add('car-passengers-over-cap', { [VU]: 'régulier non propriétaire', [VOY]: 12 });
add('car-irregular-with-answers', { [VU]: 'non régulier', [KM]: 1500, [VOY]: 3, [MOT]: 'électrique', [GAB]: 'SUV' });
add('car-never-with-answers', { [VU]: 'jamais', [KM]: 20000, [MOT]: 'électrique' });
add('car-no-user-with-answers', { [MOT]: 'électrique', [GAB]: 'SUV', [CAR]: 'GPL' });

const AU = `${A} . usager`;
const FCC = `${A} . vols annuels . heures court courrier . saisie`;
const FML = `${A} . vols annuels . heures moyen et long courrier . saisie`;
const OCC = `${A} . vols amortis . heures court courrier . saisie`;
const OML = `${A} . vols amortis . heures moyen et long courrier . saisie`;
for (const u of ['jamais', 'occasionnellement', 'fréquemment'])
  add(`plane-user-${u}`, { [AU]: u });
add('plane-frequent-zero', { [AU]: 'fréquemment', [FCC]: 0, [FML]: 0 });
add('plane-frequent-short', { [AU]: 'fréquemment', [FCC]: 2, [FML]: 0 });
add('plane-frequent-long', { [AU]: 'fréquemment', [FCC]: 0, [FML]: 24 });
add('plane-frequent-mixed', { [AU]: 'fréquemment', [FCC]: 10.5, [FML]: 37.25 });
add('plane-frequent-short-only-answered', { [AU]: 'fréquemment', [FCC]: 6 });
add('plane-frequent-max', { [AU]: 'fréquemment', [FCC]: 200, [FML]: 600 });
add('plane-frequent-over-cap', { [AU]: 'fréquemment', [FCC]: 250, [FML]: 700 });
add('plane-occasional-mixed', { [AU]: 'occasionnellement', [OCC]: 3, [OML]: 12 });
add('plane-occasional-long-only', { [AU]: 'occasionnellement', [OML]: 20 });
add('plane-never-with-hours', { [AU]: 'jamais', [FCC]: 5, [OML]: 5 });
add('plane-no-user-with-hours', { [FCC]: 5, [FML]: 9 });
add('plane-occasional-with-annual-hours', { [AU]: 'occasionnellement', [FCC]: 8, [OCC]: 1 });

const P = 'alimentation . plats';
const plat = (n) => `${P} . ${n} . nombre`;
const PD = 'alimentation . petit déjeuner . type';
const LAIT = 'alimentation . boisson . type de lait';
const LOC = 'alimentation . local . consommation';
const SAI = 'alimentation . de saison . consommation';
const meals = (vn, vg, vb, vr, pg, pb) => ({ [plat('végétalien')]: vn, [plat('végétarien')]: vg,
  [plat('viande blanche')]: vb, [plat('viande rouge')]: vr, [plat('poisson gras')]: pg,
  [plat('poisson blanc')]: pb });
add('meals-vegan', meals(14, 0, 0, 0, 0, 0));
add('meals-vegetarian', meals(2, 12, 0, 0, 0, 0));
add('meals-big-meat', meals(0, 0, 4, 10, 0, 0));
add('meals-fish', meals(0, 4, 2, 0, 4, 4));
add('meals-mixed', meals(1, 3, 4, 3, 2, 1));
add('meals-none', meals(0, 0, 0, 0, 0, 0));
add('meals-max-each', meals(21, 21, 21, 21, 21, 21));
add('meals-over-cap', { [plat('viande rouge')]: 30 });
add('meals-only-red', { [plat('viande rouge')]: 7 });
add('meals-fractional', meals(0.5, 6.5, 3, 2, 1, 1));
for (const t of ['continental', 'britannique', 'végétalien', 'aucun'])
  add(`breakfast-${t}`, { [PD]: t });
for (const l of ['lait de vache', 'lait de soja', "lait d'avoine"])
  add(`breakfast-cereal-${l}`, { [PD]: 'lait céréales', [LAIT]: l });
add('breakfast-cereal-default-milk', { [PD]: 'lait céréales' });
add('breakfast-milk-without-cereal', { [PD]: 'britannique', [LAIT]: 'lait de soja' });
for (const c of ['jamais', 'parfois', 'souvent', 'oui toujours']) {
  add(`local-${c}`, { [LOC]: c });
  add(`season-${c}`, { [SAI]: c });
}
add('local-season-vegan', { [LOC]: 'souvent', [SAI]: 'oui toujours', [PD]: 'végétalien', ...meals(14, 0, 0, 0, 0, 0) });
add('local-season-meat', { [LOC]: 'parfois', [SAI]: 'souvent', [PD]: 'lait céréales', [LAIT]: "lait d'avoine", ...meals(0, 2, 5, 7, 0, 0) });
add('water-defaults', { 'métrique': 'eau' });
add('water-meals', { 'métrique': 'eau', [PD]: 'britannique', [LOC]: 'souvent', ...meals(1, 3, 4, 3, 2, 1) });
add('water-car-plane', { 'métrique': 'eau', [VU]: 'propriétaire', [AU]: 'fréquemment', [FCC]: 3 });
add('everything', { [VU]: 'propriétaire', [MOT]: 'hybride non rechargeable', [GAB]: 'berline',
  [KM]: 17500, [VOY]: 2.2, [AU]: 'occasionnellement', [OCC]: 4.5, [OML]: 30, [PD]: 'lait céréales',
  [LAIT]: 'lait de soja', [LOC]: 'souvent', [SAI]: 'parfois', ...meals(2, 5, 3, 1, 2, 1) });

// ---- evaluation -----------------------------------------------------------
const quiet = { log() {}, warn() {}, error(m) { console.error(m); } };
const engine = new Engine(rules, { logger: quiet });
const toPublicodes = (answers) => Object.fromEntries(Object.entries(answers).map(
  ([k, v]) => [k, typeof v === 'string' ? `'${v}'` : v]));
for (const s of S) {
  engine.setSituation(toPublicodes(s.answers));
  s.outputs = {};
  for (const [tree, names] of Object.entries(OUTPUTS)) {
    s.outputs[tree] = {};
    for (const n of names) {
      let v = engine.evaluate(n).nodeValue;
      // undefined (a question without default left unanswered, reached
      // through a condition) is no value, like null: both are nil in Lua.
      if (v === undefined) v = null;
      if (v !== null && typeof v !== 'number')
        throw new Error(`${s.id}: ${n} evaluated to ${String(v)}`);
      s.outputs[tree][n] = v;  // null: not applicable in the model
    }
  }
}

const meta = {
  model: `${modelPkg.name}@${modelPkg.version}`, model_file: MODEL_FILE,
  engine: `${engPkg.name}@${engPkg.version}`, node: process.version,
  generated: new Date().toISOString().slice(0, 10),
  command: 'cd tools/ngc && npm install && node generate.mjs',
};
const totals = { voiture: V, avion: A, repas: 'alimentation . repas' };
const data = { meta, totals, outputs: OUTPUTS, situations: S };
writeFileSync(path.join(out, 'expected.json'), JSON.stringify(data, null, 1) + '\n');

// The same data as a Lua chunk returning a table (read with require; no
// JSON reader needed in the sandbox).  Numbers use JavaScript's shortest
// round-trip form, which Lua's tonumber reads back to the same double.
const luaStr = (s) => '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
const luaVal = (v) => v === null ? 'NULL' : typeof v === 'number' ? (Number.isInteger(v) ? v.toFixed(1) : String(v)) : luaStr(v);
const L = [];
L.push('-- Generated by tools/ngc/generate.mjs from ' + meta.model + ' (' + MODEL_FILE + ')');
L.push('-- with ' + meta.engine + ' on node ' + meta.node + ', ' + meta.generated + '. Do not edit.');
L.push('-- NULL (a unique sentinel) marks a node the model evaluates to null (not applicable).');
L.push('local NULL = setmetatable({}, { __name = "NULL" })');
L.push('return {');
L.push('  NULL = NULL,');
L.push('  meta = { model = ' + luaStr(meta.model) + ', engine = ' + luaStr(meta.engine) + ', generated = ' + luaStr(meta.generated) + ' },');
L.push('  totals = { voiture = ' + luaStr(V) + ', avion = ' + luaStr(A) + ', repas = ' + luaStr('alimentation . repas') + ' },');
L.push('  situations = {');
for (const s of S) {
  L.push('    { id = ' + luaStr(s.id) + ',');
  L.push('      answers = {' + Object.entries(s.answers).map(([k, v]) => ' [' + luaStr(k) + '] = ' + luaVal(v)).join(',') + ' },');
  L.push('      outputs = {');
  for (const [tree, vals] of Object.entries(s.outputs)) {
    L.push('        ' + tree + ' = {');
    for (const n of OUTPUTS[tree]) L.push('          { ' + luaStr(n) + ', ' + luaVal(vals[n]) + ' },');
    L.push('        },');
  }
  L.push('      } },');
}
L.push('  },');
L.push('}');
writeFileSync(path.join(out, 'expected.lua'), L.join('\n') + '\n');

const readme = `# Nos Gestes Climat: expected values for the Lua port

Generated by \`tools/ngc/generate.mjs\` on ${meta.generated}; do not edit by hand.

| what | value |
|---|---|
| model | \`${meta.model}\`, file \`${MODEL_FILE}\` |
| engine | \`${meta.engine}\` |
| node | ${meta.node} |
| command | \`${meta.command}\` (from the source tree's root) |
| situations | ${S.length} |

- \`expected.json\`: \`situations[]\` with \`id\`, \`answers\` (rule name ->
  choice string or number; generate.mjs wraps a choice in quotes, as
  publicodes wants, when it sets the situation) and \`outputs\` per sub-tree (\`voiture\`,
  \`avion\`, \`repas\`): rule name -> the model's value, full double
  precision, \`null\` where the model gives no value (not applicable).
- \`expected.lua\`: the same data as a Lua chunk returning a table, read by
  \`tests/lua/ngc_test.lua\` through \`require "ngc.expected"\` (no JSON
  reader in the sandbox); \`NULL\` there stands for the model's null.

Every number comes from running the published model with publicodes'
\`Engine\` (\`setSituation\` then \`evaluate\`); none is typed by hand.
The model package is pinned in \`tools/ngc/package.json\`; its install
script (\`only-allow pnpm\`) is skipped by \`tools/ngc/.npmrc\`.  The
package asks for node >= 22 but is only read as JSON here.  See
docs/meter-ngc.md for what the port covers.
`;
writeFileSync(path.join(out, 'README.md'), readme);
console.log(`${S.length} situations written to ${out}`);
