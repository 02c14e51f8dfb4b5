/*
 * sp_schema.c -- the workspace schema as ordered migrations.
 *
 * sp_schema_migrations[i] moves a workspace from user_version i to i + 1.
 * A migration is never edited once released: a change is a new entry at the
 * end.  docs/schema.md explains every table; tests/unit/test_store.c builds
 * each earlier version and migrates it to the latest.
 *
 * Conventions: ids are INTEGER PRIMARY KEY; codes are the stable keys users
 * type; every label a citizen reads exists in French and English; a row that
 * came from a file names its import (import_ledger) so it can be traced.
 */
#include "sp_store.h"

const char *const sp_schema_migrations[] = {
/* 0 -> 1: the SPIRAL objects of DOMAIN.md. */
"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;\n"

/* Every file ever imported: what, where from, its SHA-256, so the same
 * content is not imported twice by mistake. */
"CREATE TABLE import_ledger (\n"
"  id INTEGER PRIMARY KEY,\n"
"  kind TEXT NOT NULL,\n"
"  target TEXT NOT NULL DEFAULT '',\n"
"  file_name TEXT NOT NULL,\n"
"  sha256 TEXT NOT NULL,\n"
"  encoding TEXT NOT NULL,\n"
"  delimiter TEXT NOT NULL,\n"
"  rows_imported INTEGER NOT NULL,\n"
"  rows_rejected INTEGER NOT NULL DEFAULT 0,\n"
"  forced INTEGER NOT NULL DEFAULT 0,\n"
"  imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))\n"
") STRICT;\n"
"CREATE INDEX import_ledger_sha ON import_ledger(kind, target, sha256);\n"

/* Taxonomies are versioned data: families, components, sub-objects. */
"CREATE TABLE taxonomy (\n"
"  id INTEGER PRIMARY KEY,\n"
"  name TEXT NOT NULL,\n"
"  version TEXT NOT NULL,\n"
"  UNIQUE (name, version)\n"
") STRICT;\n"
"CREATE TABLE taxonomy_node (\n"
"  taxonomy_id INTEGER NOT NULL REFERENCES taxonomy(id) ON DELETE CASCADE,\n"
"  code TEXT NOT NULL,\n"                 /* 'A', 'A01', 'A01-11' */
"  parent_code TEXT,\n"
"  level TEXT NOT NULL CHECK (level IN ('family','component','subobject')),\n"
"  label_fr TEXT NOT NULL,\n"
"  label_en TEXT NOT NULL,\n"
"  provisional INTEGER NOT NULL DEFAULT 0,\n"
"  PRIMARY KEY (taxonomy_id, code)\n"
") STRICT, WITHOUT ROWID;\n"
"CREATE TABLE taxonomy_map (\n"
"  from_taxonomy_id INTEGER NOT NULL REFERENCES taxonomy(id) ON DELETE CASCADE,\n"
"  from_code TEXT NOT NULL,\n"
"  to_taxonomy_id INTEGER NOT NULL REFERENCES taxonomy(id) ON DELETE CASCADE,\n"
"  to_code TEXT NOT NULL,\n"
"  PRIMARY KEY (from_taxonomy_id, from_code, to_taxonomy_id)\n"
") STRICT, WITHOUT ROWID;\n"

/* Places. */
"CREATE TABLE territory (\n"
"  id INTEGER PRIMARY KEY,\n"
"  code TEXT NOT NULL UNIQUE,\n"
"  name TEXT NOT NULL,\n"
"  country TEXT NOT NULL DEFAULT '',\n"
"  population INTEGER CHECK (population IS NULL OR population >= 0),\n"
"  taxonomy_id INTEGER REFERENCES taxonomy(id)\n"
") STRICT;\n"
"CREATE TABLE neighbourhood (\n"
"  id INTEGER PRIMARY KEY,\n"
"  territory_id INTEGER NOT NULL REFERENCES territory(id) ON DELETE CASCADE,\n"
"  name TEXT NOT NULL,\n"
"  population INTEGER CHECK (population IS NULL OR population >= 0),\n"
"  UNIQUE (territory_id, name)\n"
") STRICT;\n"

/* Homogeneous (and mixed) groups and the criteria they produce. */
"CREATE TABLE citizen_group (\n"
"  id INTEGER PRIMARY KEY,\n"
"  territory_id INTEGER NOT NULL REFERENCES territory(id) ON DELETE CASCADE,\n"
"  name TEXT NOT NULL,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('age','social','place','institution','mixed')),\n"
"  size INTEGER CHECK (size IS NULL OR size > 0),\n"
"  age_band TEXT,\n"
"  neighbourhood_id INTEGER REFERENCES neighbourhood(id),\n"
"  met_on TEXT,\n"
"  cycle INTEGER NOT NULL DEFAULT 1,\n"
"  UNIQUE (territory_id, name, cycle)\n"
") STRICT;\n"
"CREATE TABLE criterion (\n"
"  id INTEGER PRIMARY KEY,\n"
"  group_id INTEGER NOT NULL REFERENCES citizen_group(id) ON DELETE CASCADE,\n"
"  question TEXT NOT NULL CHECK (question IN ('wellbeing','illbeing','action')),\n"
"  text TEXT NOT NULL,\n"
"  taxonomy_id INTEGER REFERENCES taxonomy(id),\n"
"  object_code TEXT,\n"                   /* A01-11 */
"  sense_code TEXT,\n"                    /* P15 */
"  beneficiary_code TEXT,\n"              /* k */
"  coded_by TEXT CHECK (coded_by IN ('import','analyst','accepted-suggestion')),\n"
"  import_id INTEGER REFERENCES import_ledger(id)\n"
") STRICT;\n"
"CREATE INDEX criterion_object ON criterion(taxonomy_id, object_code);\n"
"CREATE TABLE criterion_suggestion (\n"
"  criterion_id INTEGER NOT NULL REFERENCES criterion(id) ON DELETE CASCADE,\n"
"  object_code TEXT NOT NULL,\n"
"  rule TEXT NOT NULL,\n"
"  score REAL NOT NULL,\n"
"  PRIMARY KEY (criterion_id, object_code)\n"
") STRICT, WITHOUT ROWID;\n"

/* Progress indicators: one ordinal ladder per component. */
"CREATE TABLE indicator (\n"
"  id INTEGER PRIMARY KEY,\n"
"  code TEXT NOT NULL UNIQUE,\n"
"  taxonomy_id INTEGER REFERENCES taxonomy(id),\n"
"  component_code TEXT NOT NULL,\n"
"  label_fr TEXT NOT NULL,\n"
"  label_en TEXT NOT NULL,\n"
"  nlevels INTEGER NOT NULL CHECK (nlevels BETWEEN 2 AND 10),\n"
"  bad_at_most INTEGER NOT NULL DEFAULT 2\n"   /* 'bad or worse' threshold */
") STRICT;\n"
"CREATE TABLE indicator_level (\n"
"  indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,\n"
"  level INTEGER NOT NULL CHECK (level >= 1),\n"
"  label_fr TEXT NOT NULL,\n"
"  label_en TEXT NOT NULL,\n"
"  PRIMARY KEY (indicator_id, level)\n"
") STRICT, WITHOUT ROWID;\n"

/* Self-survey forms, waves, respondents and their answers. */
"CREATE TABLE survey_form (\n"
"  id INTEGER PRIMARY KEY,\n"
"  code TEXT NOT NULL UNIQUE,\n"          /* children, adolescents, adults, mental_health */
"  label_fr TEXT NOT NULL,\n"
"  label_en TEXT NOT NULL\n"
") STRICT;\n"
"CREATE TABLE form_item (\n"
"  form_id INTEGER NOT NULL REFERENCES survey_form(id) ON DELETE CASCADE,\n"
"  position INTEGER NOT NULL CHECK (position >= 1),\n"   /* byte in response.levels */
"  name TEXT NOT NULL,\n"                 /* column name in data files: q01 */
"  indicator_id INTEGER NOT NULL REFERENCES indicator(id),\n"
"  wording_fr TEXT NOT NULL DEFAULT '',\n"
"  wording_en TEXT NOT NULL DEFAULT '',\n"
"  PRIMARY KEY (form_id, position),\n"
"  UNIQUE (form_id, name)\n"
") STRICT;\n"
"CREATE TABLE survey_wave (\n"
"  id INTEGER PRIMARY KEY,\n"
"  territory_id INTEGER NOT NULL REFERENCES territory(id) ON DELETE CASCADE,\n"
"  code TEXT NOT NULL,\n"
"  started_on TEXT,\n"
"  UNIQUE (territory_id, code)\n"
") STRICT;\n"
/* Rows are the truth; column_chunk (below) is a derived columnar copy. */
"CREATE TABLE respondent (\n"
"  id INTEGER PRIMARY KEY,\n"
"  wave_id INTEGER NOT NULL REFERENCES survey_wave(id) ON DELETE CASCADE,\n"
"  form_id INTEGER NOT NULL REFERENCES survey_form(id),\n"
"  pseudonym BLOB NOT NULL CHECK (length(pseudonym) = 32),\n"   /* HMAC-SHA-256 */
"  pkey INTEGER,\n"                     /* its first 8 bytes, for the index */
"  neighbourhood_id INTEGER REFERENCES neighbourhood(id),\n"
"  age_band TEXT,\n"
"  gender TEXT,\n"
"  social_category TEXT,\n"
"  weight REAL NOT NULL DEFAULT 1.0 CHECK (weight >= 0),\n"
"  levels BLOB NOT NULL,\n"               /* byte k-1 = level of item k, 0 = missing */
"  import_id INTEGER REFERENCES import_ledger(id)\n"
") STRICT;\n"
/* Finding a respondent by pseudonym: an integer key sorts and compares far
 * faster than the 32-byte blob (a bulk import rebuilds this index in one
 * sort); the importer compares the full pseudonyms of equal keys, so a
 * respondent appears once per wave and form. */
"CREATE INDEX respondent_pkey ON respondent(pkey, wave_id, form_id);\n"
"CREATE TABLE free_text (\n"
"  id INTEGER PRIMARY KEY,\n"
"  respondent_id INTEGER NOT NULL REFERENCES respondent(id) ON DELETE CASCADE,\n"
"  field TEXT NOT NULL,\n"
"  text TEXT NOT NULL\n"
") STRICT;\n"
"CREATE TABLE value_label (\n"
"  variable TEXT NOT NULL,\n"
"  value TEXT NOT NULL,\n"
"  label_fr TEXT NOT NULL,\n"
"  label_en TEXT NOT NULL,\n"
"  PRIMARY KEY (variable, value)\n"
") STRICT, WITHOUT ROWID;\n"

/* Columnar copy of the survey for scans: per column, chunks of dictionary
 * codes.  Chunks are stale, and rebuilt before use, when their generation
 * differs from survey_generation.value or max(respondent.id) has moved on:
 * updates and deletes bump the generation through triggers; inserts raise
 * max(id) (the importer also bumps the generation once per import). */
"CREATE TABLE survey_generation (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL) STRICT;\n"
"INSERT INTO survey_generation VALUES (1, 0);\n"
"CREATE TRIGGER respondent_upd AFTER UPDATE ON respondent BEGIN\n"
"  UPDATE survey_generation SET value = value + 1 WHERE id = 1; END;\n"
"CREATE TRIGGER respondent_del AFTER DELETE ON respondent BEGIN\n"
"  UPDATE survey_generation SET value = value + 1 WHERE id = 1; END;\n"
"CREATE TABLE column_chunk (\n"
"  column_name TEXT NOT NULL,\n"
"  chunk INTEGER NOT NULL,\n"
"  generation INTEGER NOT NULL,\n"
"  nrows INTEGER NOT NULL,\n"
"  dictionary TEXT,\n"                    /* JSON array of level values, or NULL */
"  data BLOB NOT NULL,\n"
"  PRIMARY KEY (column_name, chunk)\n"
") STRICT;\n"

/* Life projects: needs and offers, routed to coordination groups. */
"CREATE TABLE life_need (\n"
"  id INTEGER PRIMARY KEY,\n"
"  respondent_id INTEGER NOT NULL REFERENCES respondent(id) ON DELETE CASCADE,\n"
"  kind TEXT NOT NULL,\n"                 /* job, training, housing, ... */
"  theme TEXT NOT NULL DEFAULT ''\n"
") STRICT;\n"
"CREATE TABLE life_offer (\n"
"  id INTEGER PRIMARY KEY,\n"
"  respondent_id INTEGER NOT NULL REFERENCES respondent(id) ON DELETE CASCADE,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('hours','project','money','goods','other')),\n"
"  amount REAL CHECK (amount IS NULL OR amount >= 0),\n"
"  theme TEXT NOT NULL DEFAULT ''\n"
") STRICT;\n"
"CREATE TABLE coordination_group (\n"
"  id INTEGER PRIMARY KEY,\n"
"  territory_id INTEGER NOT NULL REFERENCES territory(id) ON DELETE CASCADE,\n"
"  code TEXT NOT NULL,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('life_slice','relation','resource','neighbourhood','city')),\n"
"  label_fr TEXT NOT NULL,\n"
"  label_en TEXT NOT NULL,\n"
"  neighbourhood_id INTEGER REFERENCES neighbourhood(id),\n"
"  UNIQUE (territory_id, code)\n"
") STRICT;\n"
"CREATE TABLE routing (\n"
"  group_id INTEGER NOT NULL REFERENCES coordination_group(id) ON DELETE CASCADE,\n"
"  need_id INTEGER REFERENCES life_need(id) ON DELETE CASCADE,\n"
"  offer_id INTEGER REFERENCES life_offer(id) ON DELETE CASCADE,\n"
"  rule TEXT NOT NULL,\n"
"  CHECK ((need_id IS NULL) <> (offer_id IS NULL))\n"
") STRICT;\n"

/* Actions of co-responsibility, plans, evaluations. */
"CREATE TABLE action (\n"
"  id INTEGER PRIMARY KEY,\n"
"  code TEXT NOT NULL UNIQUE,\n"
"  title TEXT NOT NULL,\n"
"  summary TEXT NOT NULL DEFAULT '',\n"
"  country TEXT NOT NULL DEFAULT '',\n"
"  town TEXT NOT NULL DEFAULT '',\n"
"  neighbourhood TEXT NOT NULL DEFAULT '',\n"
"  territory_id INTEGER REFERENCES territory(id),\n"
"  started_on TEXT,\n"
"  ended_on TEXT,\n"
"  coresponsibility TEXT NOT NULL DEFAULT '',\n"  /* viewpoint 1 */
"  wellbeing_impact TEXT NOT NULL DEFAULT '',\n"  /* viewpoint 2 */
"  resource_savings TEXT NOT NULL DEFAULT '',\n"  /* viewpoint 3 */
"  import_id INTEGER REFERENCES import_ledger(id)\n"
") STRICT;\n"
"CREATE TABLE action_tag (\n"
"  action_id INTEGER NOT NULL REFERENCES action(id) ON DELETE CASCADE,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('theme','problematique','component','actor','sector','keyword')),\n"
"  value TEXT NOT NULL,\n"
"  PRIMARY KEY (action_id, kind, value)\n"
") STRICT, WITHOUT ROWID;\n"
"CREATE VIRTUAL TABLE action_fts USING fts5(title, summary, coresponsibility, wellbeing_impact,\n"
"  resource_savings, tags, content='', tokenize='unicode61 remove_diacritics 2');\n"
"CREATE TABLE plan (\n"
"  id INTEGER PRIMARY KEY,\n"
"  code TEXT NOT NULL UNIQUE,\n"
"  title TEXT NOT NULL,\n"
"  territory_id INTEGER REFERENCES territory(id),\n"
"  neighbourhood_id INTEGER REFERENCES neighbourhood(id),\n"
"  coordination_group_id INTEGER REFERENCES coordination_group(id),\n"
"  version INTEGER NOT NULL DEFAULT 0\n"
") STRICT;\n"
"CREATE TABLE plan_action (\n"
"  plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,\n"
"  action_id INTEGER NOT NULL REFERENCES action(id) ON DELETE CASCADE,\n"
"  PRIMARY KEY (plan_id, action_id)\n"
") STRICT, WITHOUT ROWID;\n"
"CREATE TABLE evaluator_group (\n"
"  id INTEGER PRIMARY KEY,\n"
"  code TEXT NOT NULL UNIQUE,\n"
"  kind TEXT NOT NULL\n"                  /* inhabitants, professionals, elected, beneficiaries */
") STRICT;\n"
"CREATE TABLE evaluation (\n"
"  id INTEGER PRIMARY KEY,\n"
"  action_id INTEGER NOT NULL REFERENCES action(id) ON DELETE CASCADE,\n"
"  evaluator_group_id INTEGER NOT NULL REFERENCES evaluator_group(id),\n"
"  phase TEXT NOT NULL CHECK (phase IN ('ex-ante','ex-post')),\n"
"  grid TEXT NOT NULL,\n"
"  evaluated_on TEXT,\n"
"  import_id INTEGER REFERENCES import_ledger(id),\n"
"  UNIQUE (action_id, evaluator_group_id, phase, grid)\n"
") STRICT;\n"
"CREATE TABLE evaluation_score (\n"
"  evaluation_id INTEGER NOT NULL REFERENCES evaluation(id) ON DELETE CASCADE,\n"
"  component_code TEXT NOT NULL,\n"
"  score REAL NOT NULL,\n"
"  comment TEXT NOT NULL DEFAULT '',\n"
"  PRIMARY KEY (evaluation_id, component_code)\n"
") STRICT, WITHOUT ROWID;\n"

/* Resources, limits and actual use. */
"CREATE TABLE resource (\n"
"  id INTEGER PRIMARY KEY,\n"
"  code TEXT NOT NULL UNIQUE,\n"          /* co2e, water, land, energy */
"  label_fr TEXT NOT NULL,\n"
"  label_en TEXT NOT NULL,\n"
"  unit TEXT NOT NULL,\n"
"  renewable INTEGER NOT NULL CHECK (renewable IN (0,1))\n"
") STRICT;\n"
"CREATE TABLE resource_limit (\n"
"  id INTEGER PRIMARY KEY,\n"
"  resource_id INTEGER NOT NULL REFERENCES resource(id) ON DELETE CASCADE,\n"
"  scope TEXT NOT NULL CHECK (scope IN ('world','country','territory','person')),\n"
"  amount REAL NOT NULL CHECK (amount >= 0),\n"
"  unit TEXT NOT NULL,\n"
"  horizon_year INTEGER,\n"
"  source TEXT NOT NULL,\n"
"  territory_id INTEGER REFERENCES territory(id)\n"
") STRICT;\n"
"CREATE TABLE resource_usage (\n"
"  id INTEGER PRIMARY KEY,\n"
"  resource_id INTEGER NOT NULL REFERENCES resource(id),\n"
"  territory_id INTEGER NOT NULL REFERENCES territory(id) ON DELETE CASCADE,\n"
"  neighbourhood_id INTEGER REFERENCES neighbourhood(id),\n"
"  year INTEGER NOT NULL,\n"
"  amount REAL NOT NULL CHECK (amount >= 0),\n"
"  source TEXT NOT NULL DEFAULT '',\n"
"  import_id INTEGER REFERENCES import_ledger(id)\n"
") STRICT;\n"
"CREATE UNIQUE INDEX resource_usage_key ON resource_usage(resource_id, territory_id, ifnull(neighbourhood_id, 0), year);\n"

/* The consumption meter's answers, per household. */
"CREATE TABLE meter_household (\n"
"  id INTEGER PRIMARY KEY,\n"
"  pseudonym BLOB NOT NULL UNIQUE CHECK (length(pseudonym) = 32),\n"
"  neighbourhood_id INTEGER REFERENCES neighbourhood(id),\n"
"  household_size INTEGER NOT NULL CHECK (household_size >= 1),\n"
"  answered_on TEXT,\n"
"  import_id INTEGER REFERENCES import_ledger(id)\n"
") STRICT;\n"
"CREATE TABLE meter_answer (\n"
"  household_id INTEGER NOT NULL REFERENCES meter_household(id) ON DELETE CASCADE,\n"
"  question TEXT NOT NULL,\n"
"  value TEXT NOT NULL,\n"
"  PRIMARY KEY (household_id, question)\n"
") STRICT, WITHOUT ROWID;\n"

/* The territorial pact and the charter. */
"CREATE TABLE pact_signatory (\n"
"  id INTEGER PRIMARY KEY,\n"
"  pseudonym BLOB NOT NULL UNIQUE CHECK (length(pseudonym) = 32),\n"
"  kind TEXT NOT NULL CHECK (kind IN ('person','organisation')),\n"
"  display_name TEXT,\n"                  /* organisations only: they sign publicly */
"  neighbourhood_id INTEGER REFERENCES neighbourhood(id),\n"
"  signed_on TEXT NOT NULL,\n"
"  invited_by INTEGER REFERENCES pact_signatory(id),\n"
"  document TEXT NOT NULL DEFAULT 'pact' CHECK (document IN ('pact','charter')),\n"
"  import_id INTEGER REFERENCES import_ledger(id),\n"
"  CHECK (kind = 'organisation' OR display_name IS NULL)\n"
") STRICT;\n"
"CREATE TABLE pact_invitation (\n"
"  id INTEGER PRIMARY KEY,\n"
"  inviter_id INTEGER NOT NULL REFERENCES pact_signatory(id) ON DELETE CASCADE,\n"
"  invitee BLOB NOT NULL CHECK (length(invitee) = 32),\n"
"  invited_on TEXT NOT NULL,\n"
"  accepted_by INTEGER REFERENCES pact_signatory(id),\n"
"  import_id INTEGER REFERENCES import_ledger(id)\n"
") STRICT;\n"

/* Double-entry ledgers: time bank (hours), fund (euros), goods (units).
 * A transfer's movements sum to zero; sp_ledger and `spiral ledger check`
 * enforce it. */
"CREATE TABLE ledger_account (\n"
"  id INTEGER PRIMARY KEY,\n"
"  ledger TEXT NOT NULL CHECK (ledger IN ('time','fund','goods')),\n"
"  code TEXT NOT NULL,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('member','organisation','project','place','territory')),\n"
"  label TEXT NOT NULL DEFAULT '',\n"
"  min_balance REAL NOT NULL DEFAULT 0,\n"
"  max_balance REAL,\n"
"  UNIQUE (ledger, code)\n"
") STRICT;\n"
"CREATE TABLE ledger_transfer (\n"
"  id INTEGER PRIMARY KEY,\n"
"  ledger TEXT NOT NULL CHECK (ledger IN ('time','fund','goods')),\n"
"  occurred_on TEXT NOT NULL,\n"
"  quarter TEXT NOT NULL,\n"              /* 2026-Q3 */
"  category TEXT NOT NULL DEFAULT '',\n"  /* service kind, goods category, project */
"  memo TEXT NOT NULL DEFAULT '',\n"
"  import_id INTEGER REFERENCES import_ledger(id)\n"
") STRICT;\n"
"CREATE TABLE ledger_movement (\n"
"  transfer_id INTEGER NOT NULL REFERENCES ledger_transfer(id) ON DELETE CASCADE,\n"
"  account_id INTEGER NOT NULL REFERENCES ledger_account(id),\n"
"  amount REAL NOT NULL CHECK (amount <> 0),\n"
"  PRIMARY KEY (transfer_id, account_id)\n"
") STRICT, WITHOUT ROWID;\n"
"CREATE INDEX ledger_movement_account ON ledger_movement(account_id);\n"

/* Tables analysts bring with `spiral import table NAME FILE`. */
"CREATE TABLE user_table (\n"
"  name TEXT PRIMARY KEY,\n"
"  sql_name TEXT NOT NULL UNIQUE,\n"
"  columns TEXT NOT NULL,\n"             /* JSON: [{name, type}] in file order */
"  import_id INTEGER REFERENCES import_ledger(id)\n"
") STRICT;\n",

/* 1 -> 2: the territorial project of well-being, one version per quarter,
 * assembled from the plans of neighbourhoods and coordination groups. */
"CREATE TABLE project_version (\n"
"  id INTEGER PRIMARY KEY,\n"
"  territory_id INTEGER NOT NULL REFERENCES territory(id) ON DELETE CASCADE,\n"
"  version INTEGER NOT NULL CHECK (version >= 0),\n"
"  quarter TEXT NOT NULL,\n"
"  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),\n"
"  UNIQUE (territory_id, version)\n"
") STRICT;\n"
"CREATE TABLE project_entry (\n"
"  version_id INTEGER NOT NULL REFERENCES project_version(id) ON DELETE CASCADE,\n"
"  action_id INTEGER NOT NULL REFERENCES action(id),\n"
"  plan_id INTEGER REFERENCES plan(id),\n"
"  neighbourhood_id INTEGER REFERENCES neighbourhood(id),\n"
"  problematique TEXT NOT NULL DEFAULT '',\n"
"  guideline TEXT NOT NULL DEFAULT '',\n"
"  PRIMARY KEY (version_id, action_id, problematique)\n"
") STRICT, WITHOUT ROWID;\n",

/* 2 -> 3: producer-consumer partnerships (community-supported agriculture):
 * the partners on each side, the indicators they agreed to follow with
 * their targets, and each season's observations as each side reports them.
 * resource_code is '' except for resource_per_unit, which names a resource
 * (its unit per unit of produce). */
"CREATE TABLE partnership (\n"
"  id INTEGER PRIMARY KEY,\n"
"  code TEXT NOT NULL UNIQUE,\n"
"  name TEXT NOT NULL,\n"
"  territory_id INTEGER REFERENCES territory(id),\n"
"  import_id INTEGER REFERENCES import_ledger(id)\n"
") STRICT;\n"
"CREATE TABLE partnership_member (\n"
"  partnership_id INTEGER NOT NULL REFERENCES partnership(id) ON DELETE CASCADE,\n"
"  side TEXT NOT NULL CHECK (side IN ('producer','consumer')),\n"
"  name TEXT NOT NULL,\n"
"  PRIMARY KEY (partnership_id, side, name)\n"
") STRICT, WITHOUT ROWID;\n"
"CREATE TABLE partnership_target (\n"
"  partnership_id INTEGER NOT NULL REFERENCES partnership(id) ON DELETE CASCADE,\n"
"  indicator TEXT NOT NULL CHECK (indicator IN ('local_share','resource_per_unit','price',\n"
"    'producer_wellbeing','consumer_wellbeing')),\n"
"  resource_code TEXT NOT NULL DEFAULT '',\n"
"  target REAL NOT NULL,\n"
"  direction TEXT NOT NULL CHECK (direction IN ('at_least','at_most')),\n"
"  unit TEXT NOT NULL DEFAULT '',\n"
"  PRIMARY KEY (partnership_id, indicator, resource_code)\n"
") STRICT, WITHOUT ROWID;\n"
"CREATE TABLE partnership_observation (\n"
"  partnership_id INTEGER NOT NULL REFERENCES partnership(id) ON DELETE CASCADE,\n"
"  season TEXT NOT NULL,\n"               /* 2024-summer, 2024-S1: sorted as text */
"  side TEXT NOT NULL CHECK (side IN ('producer','consumer')),\n"
"  indicator TEXT NOT NULL CHECK (indicator IN ('local_share','resource_per_unit','price',\n"
"    'producer_wellbeing','consumer_wellbeing')),\n"
"  resource_code TEXT NOT NULL DEFAULT '',\n"
"  value REAL NOT NULL,\n"
"  import_id INTEGER REFERENCES import_ledger(id),\n"
"  PRIMARY KEY (partnership_id, season, side, indicator, resource_code)\n"
") STRICT, WITHOUT ROWID;\n",
NULL
};

int
sp_schema_version(void)
{
    int n = 0;

    while (sp_schema_migrations[n] != NULL)
        n++;
    return n;
}
