#!/bin/sh
# tests/e2e/import_actions.sh -- `spiral import actions` and `spiral import
# evaluations`: tags, full-text index, plans created on first sight,
# evaluations in long format, and every refusal leaving the workspace as it
# was.  Expected rows are worked out by hand from tests/fixtures/import/
# actions.csv and evaluations.csv.
. "$SRCDIR/tests/e2e/lib.sh"
F="$FIXTURES/import"

spiral init --territory mulhouse --name Mulhouse --country FR
expect_status act-1.1 0

# -- actions: a good file ----------------------------------------------------
spiral import actions "$F/actions.csv"
expect_status act-2.1 0
expect_err act-2.2 "imported 3 row(s) as actions; 1 new plan(s)"
expect_eq act-2.3 "$(sql "SELECT id || '|' || code || '|' || title || '|' || neighbourhood || '|' || quote(started_on) || '|' || quote(ended_on) FROM action ORDER BY id")" \
"1|CSM|Contrat social multipartite||'2010-01-01'|'2012-12-31'
2|IGLOO|IGLOO|Coteaux|'2011-03-01'|NULL
3|ZOO|Le Zoo, un service coresponsable||'2012-05-01'|'2012-05-01'"
# 11 + 10 + 6 tags; 'animaux|animaux' is one tag.
expect_eq act-2.4 "$(sql 'SELECT count(*) FROM action_tag')" 27
expect_eq act-2.5 "$(sql "SELECT group_concat(kind || '=' || value, ' ') FROM (SELECT kind, value FROM action_tag WHERE action_id = 2 ORDER BY kind, value)")" \
"actor=associations actor=bailleurs component=A03-02 component=A06 keyword=chantier keyword=habitat problematique=3 sector=insertion sector=logement theme=logement"
expect_eq act-2.6 "$(sql "SELECT count(*) FROM action_tag WHERE action_id = 3 AND kind = 'keyword'")" 1
expect_eq act-2.7 "$(sql "SELECT resource_savings || '|' || wellbeing_impact || '|' || coresponsibility FROM action WHERE code = 'IGLOO'")" "Rénovation économe|Un logement à soi|Bailleurs et futurs habitants"
expect_eq act-2.8 "$(sql "SELECT p.code || ':' || group_concat(a.code, ',') FROM plan p JOIN plan_action pa ON pa.plan_id = p.id JOIN action a ON a.id = pa.action_id GROUP BY p.id")" "PLAN-2013:CSM,IGLOO"
expect_eq act-2.9 "$(sql "SELECT count(*) FROM action WHERE territory_id = (SELECT id FROM territory WHERE code = 'mulhouse')")" 3
# The full-text index: words of the text columns, and the tags.
expect_eq act-2.10 "$(sql "SELECT group_concat(rowid) FROM action_fts WHERE action_fts MATCH 'econome'")" 2
expect_eq act-2.11 "$(sql "SELECT group_concat(rowid) FROM (SELECT rowid FROM action_fts WHERE action_fts MATCH 'bailleurs' ORDER BY rowid)")" "1,2"
expect_eq act-2.12 "$(sql "SELECT group_concat(rowid) FROM action_fts WHERE action_fts MATCH 'tags:animaux'")" 3
expect_eq act-2.13 "$(sql "SELECT count(*) FROM action_fts WHERE action_fts MATCH 'title:zoo'")" 1

# -- actions: refusals ------------------------------------------------------------
before=$(db_fingerprint)
bad() {   # bad ID KIND MESSAGE FILE
    spiral import "$2" "$4"
    expect_status "$1" 65
    expect_err "$1.msg" "$3"
    expect_same "$1.db" "$before"
}
printf 'code,title\nNEW,Nouveau\nCSM,Encore\n' >"$WORK/dup.csv"
bad act-3.1 actions "$WORK/dup.csv:3:1: code: action 'CSM' already exists" "$WORK/dup.csv"
printf 'code,title\nX1,Un\nX1,Deux\n' >"$WORK/dup2.csv"
bad act-3.2 actions "$WORK/dup2.csv:3:1: code: action 'X1' already exists" "$WORK/dup2.csv"
printf 'code,title,started_on,ended_on\nX2,Un,2012-05-02,2012-05-01\n' >"$WORK/dates.csv"
bad act-3.3 actions "$WORK/dates.csv:2:4: ended_on: '2012-05-01' is before started_on '2012-05-02'" "$WORK/dates.csv"
printf 'code,title,components\nX3,Un,A01|A1\n' >"$WORK/comp.csv"
bad act-3.4 actions "$WORK/comp.csv:2:3: components: 'A1' is not a well-being component: expected a family letter A-Z" "$WORK/comp.csv"
printf 'code,title,started_on\nX4,Un,01/05/2012\n' >"$WORK/date.csv"
bad act-3.5 actions "$WORK/date.csv:2:3: started_on: '01/05/2012' is not valid: expected a date written YYYY-MM-DD" "$WORK/date.csv"
printf 'code,title\nX5,\n' >"$WORK/title.csv"
bad act-3.6 actions "$WORK/title.csv:2:2: title: a value is required" "$WORK/title.csv"

# French headers.
printf 'code,titre,resume,composantes,mots_cles\nDROUOT,Drouot-Barbanègre ensemble,Pour le bien-être de tous,H,quartier\n' >"$WORK/fr.csv"
spiral import actions "$WORK/fr.csv"
expect_status act-3.7 0
expect_eq act-3.8 "$(sql "SELECT a.summary || '|' || t.value FROM action a JOIN action_tag t ON t.action_id = a.id AND t.kind = 'component' WHERE a.code = 'DROUOT'")" "Pour le bien-être de tous|H"

# -- evaluations: a good file ---------------------------------------------------------
spiral import evaluations "$F/evaluations.csv"
expect_status act-4.1 0
expect_err act-4.2 "imported 5 row(s) as evaluations; 4 new evaluation(s), 3 new evaluator group(s)"
expect_eq act-4.3 "$(sql "SELECT code || '=' || kind FROM evaluator_group ORDER BY id")" \
"HAB-COTEAUX=inhabitants
PROS=PROS
ELUS=elected"
expect_eq act-4.4 "$(sql "SELECT a.code || '|' || g.code || '|' || e.phase || '|' || e.grid || '|' || quote(e.evaluated_on) FROM evaluation e JOIN action a ON a.id = e.action_id JOIN evaluator_group g ON g.id = e.evaluator_group_id ORDER BY e.id")" \
"CSM|HAB-COTEAUX|ex-ante|default|'2012-01-15'
CSM|HAB-COTEAUX|ex-post|default|'2013-06-01'
IGLOO|PROS|ex-ante|wallonie|NULL
IGLOO|ELUS|ex-ante|wallonie|'2012-02-01'"
expect_eq act-4.5 "$(sql "SELECT count(*) || '|' || sum(score) FROM evaluation_score")" "5|15.0"
expect_eq act-4.6 "$(sql "SELECT group_concat(component_code || '=' || score || ':' || comment, ';') FROM (SELECT * FROM evaluation_score WHERE evaluation_id = 1 ORDER BY component_code)")" "A03=2.0:;A06=3.0:Espoir d'emplois"

# -- evaluations: refusals --------------------------------------------------------------
before=$(db_fingerprint)
H='plan,action,evaluator_group,evaluator_kind,phase,component,score,evaluated_on\n'
printf "${H},NOPE,PROS,,ex-ante,A01,1,\n" >"$WORK/e1.csv"
bad act-5.1 evaluations "$WORK/e1.csv:2:2: action: unknown action 'NOPE'" "$WORK/e1.csv"
printf "${H},CSM,HAB-COTEAUX,,ex-ante,B00,1,\n,CSM,HAB-COTEAUX,,ex-ante,A06,1,\n" >"$WORK/e2.csv"
bad act-5.2 evaluations "$WORK/e2.csv:3:6: component: A06 is scored twice in the ex-ante evaluation of action 'CSM' by 'HAB-COTEAUX' (grid 'default')" "$WORK/e2.csv"
printf "${H},ZOO,PROS,,ex-post,B00,1,\n,ZOO,PROS,,ex-post,B00,2,\n" >"$WORK/e3.csv"
bad act-5.3 evaluations "$WORK/e3.csv:3:6: component: B00 is scored twice in the ex-post evaluation of action 'ZOO' by 'PROS'" "$WORK/e3.csv"
printf "${H},ZOO,PROS,,pendant,B00,1,\n" >"$WORK/e4.csv"
bad act-5.4 evaluations "$WORK/e4.csv:2:5: phase: 'pendant' is not valid: expected one of: ex-ante, ex-post, avant, après, apres" "$WORK/e4.csv"
printf "${H}P9,ZOO,PROS,,ex-post,B00,1,\n" >"$WORK/e5.csv"
bad act-5.5 evaluations "$WORK/e5.csv:2:1: plan: unknown plan 'P9'" "$WORK/e5.csv"
printf "${H}PLAN-2013,ZOO,PROS,,ex-post,B00,1,\n" >"$WORK/e6.csv"
bad act-5.6 evaluations "$WORK/e6.csv:2:1: plan: action 'ZOO' is not part of plan 'PLAN-2013'" "$WORK/e6.csv"
printf "${H},ZOO,PROS,,ex-post,b00,1,\n" >"$WORK/e7.csv"
bad act-5.7 evaluations "$WORK/e7.csv:2:6: component: 'b00' is not a well-being component" "$WORK/e7.csv"
printf "${H},ZOO,PROS,,ex-post,B00,bien,\n" >"$WORK/e8.csv"
bad act-5.8 evaluations "$WORK/e8.csv:2:7: score: 'bien' is not valid: expected a number" "$WORK/e8.csv"
printf "${H},ZOO,HAB-COTEAUX,professionals,ex-post,B00,1,\n" >"$WORK/e9.csv"
bad act-5.9 evaluations "$WORK/e9.csv:2:4: evaluator_kind: evaluator group 'HAB-COTEAUX' is of kind 'inhabitants', not 'professionals'" "$WORK/e9.csv"
printf "${H},CSM,HAB-COTEAUX,,ex-ante,B00,1,2012-01-16\n" >"$WORK/e10.csv"
bad act-5.10 evaluations "$WORK/e10.csv:2:8: evaluated_on: '2012-01-16' differs from the date of this evaluation, 2012-01-15" "$WORK/e10.csv"
printf "${H},CSM,HAB-COTEAUX,,ex-ante,B00,,\n" >"$WORK/e11.csv"
bad act-5.11 evaluations "$WORK/e11.csv:2:7: score: a value is required" "$WORK/e11.csv"

# A later file adds to an existing evaluation and dates an undated one.
printf 'action,evaluator_group,phase,grid,component,score,evaluated_on\nIGLOO,PROS,ex-ante,wallonie,A06,4,2012-03-03\n' >"$WORK/e12.csv"
spiral import evaluations "$WORK/e12.csv"
expect_status act-6.1 0
expect_err act-6.2 "0 new evaluation(s), 0 new evaluator group(s)"
expect_eq act-6.3 "$(sql "SELECT count(*) || '|' || e.evaluated_on FROM evaluation_score s JOIN evaluation e ON e.id = s.evaluation_id WHERE e.id = 3")" "2|2012-03-03"
expect_eq act-6.4 "$(sql 'SELECT count(*) FROM evaluation')" 4

finish
