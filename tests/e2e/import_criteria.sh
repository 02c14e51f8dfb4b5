#!/bin/sh
# tests/e2e/import_criteria.sh -- `spiral import criteria`: groups created on
# first sight, questions in English or French, coded criteria checked against
# the code grammar and a taxonomy, and every refusal leaving the workspace as
# it was.  Expected rows are worked out by hand from
# tests/fixtures/import/criteria.csv.
. "$SRCDIR/tests/e2e/lib.sh"
F="$FIXTURES/import"

spiral init --territory mulhouse --name Mulhouse --country FR
expect_status crit-1.1 0
# A small taxonomy, as a territory pack would load it.
sqlite3 "$SPIRAL_DB" "INSERT INTO taxonomy (name, version) VALUES ('spiral', '2013');
INSERT INTO taxonomy_node (taxonomy_id, code, parent_code, level, label_fr, label_en)
SELECT id, c, p, l, c, c FROM taxonomy, (SELECT 'A' c, NULL p, 'family' l UNION ALL
  SELECT 'A03', 'A', 'component' UNION ALL SELECT 'A06', 'A', 'component' UNION ALL
  SELECT 'A06-01', 'A06', 'subobject' UNION ALL SELECT 'D', NULL, 'family');"
expect_eq crit-1.2 "$(sql 'SELECT count(*) FROM taxonomy_node')" 5

# -- a good file -----------------------------------------------------------
spiral import criteria "$F/criteria.csv"
expect_status crit-2.1 0
expect_err crit-2.2 "imported 6 row(s) as criteria; 3 new group(s), 2 new neighbourhood(s)"
expect_eq crit-2.3 "$(sql "SELECT g.name || '|' || g.kind || '|' || g.size || '|' || g.age_band || '|' || n.name || '|' || g.met_on || '|' || g.cycle FROM citizen_group g JOIN neighbourhood n ON n.id = g.neighbourhood_id ORDER BY g.id")" \
"Jeunes Briand|age|10|15-25|Briand|2006-03-14|1
Retraités Coteaux|age|8|65+|Coteaux|2006-04-02|1
Jeunes Briand|age|9|15-25|Briand|2008-03-10|2"
expect_eq crit-2.4 "$(sql "SELECT question, count(*) FROM criterion GROUP BY question ORDER BY question")" \
"action|1
illbeing|2
wellbeing|3"
expect_eq crit-2.5 "$(sql "SELECT quote(object_code), quote(sense_code), quote(beneficiary_code), quote(coded_by), quote(taxonomy_id) FROM criterion WHERE text = 'Être écouté, respecté'")" "'D01'|'P15'|'k'|'import'|NULL"
expect_eq crit-2.6 "$(sql "SELECT c.object_code || '|' || quote(c.sense_code) || '|' || t.name || ':' || t.version FROM criterion c JOIN taxonomy t ON t.id = c.taxonomy_id ORDER BY c.id")" \
"A06|NULL|spiral:2013
A06-01|NULL|spiral:2013"
expect_eq crit-2.7 "$(sql "SELECT quote(object_code) || quote(coded_by) FROM criterion WHERE question = 'action'")" "NULLNULL"
expect_eq crit-2.8 "$(sql "SELECT g.cycle || ':' || c.text FROM criterion c JOIN citizen_group g ON g.id = c.group_id WHERE c.object_code = 'A03'")" "2:Un logement à soi"
expect_eq crit-2.9 "$(sql "SELECT object_code || '/' || sense_code || '/' || beneficiary_code FROM criterion WHERE text = 'La solitude'")" "D/P2/pa"
expect_eq crit-2.10 "$(sql "SELECT count(*) FROM criterion WHERE import_id = (SELECT max(id) FROM import_ledger)")" 6

# French headers, and a group already known (cycle 1) is reused.
printf 'groupe,type_groupe,question,texte\nJeunes Briand,,action,Ranger le square\n' >"$WORK/fr.csv"
spiral import criteria "$WORK/fr.csv"
expect_status crit-2.11 0
expect_eq crit-2.12 "$(sql "SELECT count(*) || '/' || max(group_id) FROM criterion WHERE question = 'action'")" "2/1"
expect_eq crit-2.13 "$(sql 'SELECT count(*) FROM citizen_group')" 3

# -- refusals: message, status, nothing changed --------------------------------
before=$(db_fingerprint)
bad() {   # bad ID MESSAGE FILE
    spiral import criteria "$3"
    expect_status "$1" 65
    expect_err "$1.msg" "$2"
    expect_same "$1.db" "$before"
}
H='group,group_kind,question,text,code,taxonomy\n'
printf "${H}Jeunes Briand,,wellbeing,ok,A01,\nG,age,wellbeing,x,A1/P15/k,\n" >"$WORK/code1.csv"
bad crit-3.1 "$WORK/code1.csv:3:5: code: 'A1/P15/k' is not a criterion code: expected OBJECT[/SENSE[/BENEFICIARY]], e.g. A01-11/P15/k" "$WORK/code1.csv"
printf "${H}G,age,wellbeing,x,A01/p15,\n" >"$WORK/code2.csv"
bad crit-3.2 "$WORK/code2.csv:2:5: code: 'A01/p15' is not a criterion code" "$WORK/code2.csv"
printf "${H}G,age,wellbeing,x,A01-11/P15/kids,\n" >"$WORK/code3.csv"
bad crit-3.3 "$WORK/code3.csv:2:5: code: 'A01-11/P15/kids' is not a criterion code" "$WORK/code3.csv"
printf "${H}G,age,wellbeing,x,A01-1,\n" >"$WORK/code4.csv"
bad crit-3.4 "$WORK/code4.csv:2:5: code: 'A01-1' is not a criterion code" "$WORK/code4.csv"
printf "${H}G,age,wellbeing,x,A01,other:1\n" >"$WORK/tax1.csv"
bad crit-3.5 "$WORK/tax1.csv:2:6: taxonomy: unknown taxonomy 'other:1'" "$WORK/tax1.csv"
printf "${H}G,age,wellbeing,x,A09/P1,spiral:2013\n" >"$WORK/tax2.csv"
bad crit-3.6 "$WORK/tax2.csv:2:5: code: 'A09' is not a node of taxonomy 'spiral:2013'" "$WORK/tax2.csv"
printf "${H}G,age,wellbeing,x,A01,spiral\n" >"$WORK/tax3.csv"
bad crit-3.7 "$WORK/tax3.csv:2:6: taxonomy: 'spiral' is not valid: expected name:version" "$WORK/tax3.csv"
printf "${H}G,age,joy,x,,\n" >"$WORK/question.csv"
bad crit-3.8 "$WORK/question.csv:2:3: question: 'joy' is not valid: expected one of: wellbeing, illbeing, action, bien-etre, bien-être, mal-etre, mal-être" "$WORK/question.csv"
printf "${H}G,age,action,,,\n" >"$WORK/text.csv"
bad crit-3.9 "$WORK/text.csv:2:4: text: a value is required" "$WORK/text.csv"
printf "${H}Nouveau groupe,,action,x,,\n" >"$WORK/kind.csv"
bad crit-3.10 "$WORK/kind.csv:2:2: group_kind: the first row of group 'Nouveau groupe' (cycle 1) must give its kind" "$WORK/kind.csv"
printf "${H}Jeunes Briand,social,action,x,,\n" >"$WORK/kind2.csv"
bad crit-3.11 "$WORK/kind2.csv:2:2: group_kind: group 'Jeunes Briand' (cycle 1) is of kind 'age', not 'social'" "$WORK/kind2.csv"
printf "${H}G,elderly,action,x,,\n" >"$WORK/kind3.csv"
bad crit-3.12 "$WORK/kind3.csv:2:2: group_kind: 'elderly' is not valid: expected one of: age, social, place, institution, mixed" "$WORK/kind3.csv"
printf 'group,group_kind,cycle,question,text\nG,age,0,action,x\n' >"$WORK/cycle.csv"
bad crit-3.13 "$WORK/cycle.csv:2:3: cycle: '0' is not valid: expected an integer from 1 to 1000" "$WORK/cycle.csv"
printf 'group,group_kind,met_on,question,text\nG,age,2006-13-01,action,x\n' >"$WORK/date.csv"
bad crit-3.14 "$WORK/date.csv:2:3: met_on: '2006-13-01' is not valid: expected a date written YYYY-MM-DD" "$WORK/date.csv"
printf 'group,group_kind,group_size,question,text\nG,age,0,action,x\n' >"$WORK/size.csv"
bad crit-3.15 "$WORK/size.csv:2:3: group_size: '0' is not valid: expected an integer from 1 to 10000" "$WORK/size.csv"
printf 'group,question\nG,action\n' >"$WORK/notext.csv"
bad crit-3.16 "missing column 'text' in the header" "$WORK/notext.csv"

# --skip-bad keeps the good rows and explains the others.
printf "${H}Jeunes Briand,,action,Planter des arbres,H,\nJeunes Briand,,action,y,AB,\n" >"$WORK/skip.csv"
spiral import criteria --skip-bad "$WORK/skip.csv"
expect_status crit-4.1 0
expect_eq crit-4.2 "$(sql "SELECT object_code FROM criterion WHERE text = 'Planter des arbres'")" H
expect_eq crit-4.3 "$(sed -n 2p "$WORK/skip.csv.rejects.csv" | cut -d, -f1-2)" "3,5"

# A workspace without a territory cannot hold groups.
SPIRAL_DB="$WORK/bare.db"
spiral init
spiral import criteria "$F/criteria.csv"
expect_status crit-5.1 65
expect_err crit-5.2 "the workspace has no territory yet"
expect_eq crit-5.3 "$(sql 'SELECT count(*) FROM criterion')" 0

finish
