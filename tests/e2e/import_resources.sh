#!/bin/sh
# tests/e2e/import_resources.sh -- `spiral import resources`, `limits` and
# `usage`: every figure with its source, zero limits for non-renewable
# resources, one use figure per resource, place and year, and every refusal
# leaving the workspace as it was.  Expected rows are worked out by hand from
# tests/fixtures/import/resources.csv, limits.csv and usage.csv (the use
# figures are invented; the limits are DOMAIN.md's reference figures).
. "$SRCDIR/tests/e2e/lib.sh"
F="$FIXTURES/import"

spiral init --territory mulhouse --name Mulhouse --country FR
expect_status res-1.1 0

# -- good files ------------------------------------------------------------------
spiral import resources "$F/resources.csv"
expect_status res-2.1 0
expect_eq res-2.2 "$(sql "SELECT code || '|' || label_fr || '|' || label_en || '|' || unit || '|' || renewable FROM resource ORDER BY id")" \
"co2e|Gaz à effet de serre|Greenhouse gases|t CO2e|1
water|Eau douce|Fresh water|m3|1
land|Biocapacité|Biocapacity|gha|1
oil|Pétrole|Oil|t|0"
spiral import limits "$F/limits.csv"
expect_status res-2.3 0
expect_err res-2.4 "imported 5 row(s) as limits"
expect_eq res-2.5 "$(sql "SELECT r.code || '|' || l.scope || '|' || l.amount || '|' || l.unit || '|' || quote(l.horizon_year) || '|' || quote(l.territory_id) FROM resource_limit l JOIN resource r ON r.id = l.resource_id ORDER BY l.id")" \
"co2e|person|2.0|t CO2e|2050|NULL
water|person|500.0|m3|NULL|NULL
water|world|4000.0|km3|NULL|NULL
land|person|1.6|gha|NULL|NULL
oil|territory|0.0|t|2050|1"
expect_eq res-2.6 "$(sql "SELECT source FROM resource_limit WHERE id = 2")" "Planetary boundary 4,000 km3 per year, per person (DOMAIN.md)"
spiral import usage "$F/usage.csv"
expect_status res-2.7 0
expect_eq res-2.8 "$(sql "SELECT r.code || '|' || u.year || '|' || u.amount || '|' || ifnull(n.name, '-') || '|' || u.source FROM resource_usage u JOIN resource r ON r.id = u.resource_id LEFT JOIN neighbourhood n ON n.id = u.neighbourhood_id ORDER BY u.id")" \
"co2e|2012|980000.0|-|Plan climat Mulhouse (invented figure for the test)
co2e|2012|41000.0|Coteaux|Plan climat Mulhouse (invented figure for the test)
co2e|2013|955000.0|-|Plan climat Mulhouse (invented figure for the test)
water|2012|5400000.0|-|"
expect_eq res-2.9 "$(sql "SELECT sum(amount) FROM resource_usage WHERE year = 2012 AND resource_id = 1")" 1021000.0
# French headers, ';' and a decimal comma.
printf 'ressource;annee;quantite;quartier\nland;2012;1,5;Briand\n' >"$WORK/fr.csv"
spiral import usage "$WORK/fr.csv"
expect_status res-2.10 0
expect_eq res-2.11 "$(sql "SELECT u.amount || '|' || n.name FROM resource_usage u JOIN neighbourhood n ON n.id = u.neighbourhood_id WHERE u.resource_id = 3")" "1.5|Briand"

# -- refusals ------------------------------------------------------------------------
before=$(db_fingerprint)
bad() {   # bad ID KIND MESSAGE FILE
    spiral import "$2" "$4"
    expect_status "$1" 65
    expect_err "$1.msg" "$3"
    expect_same "$1.db" "$before"
}
printf 'code,label_fr,label_en,unit,renewable\nwood,Bois,Wood,m3,yes\nco2e,GES,GHG,t,yes\n' >"$WORK/r1.csv"
bad res-3.1 resources "$WORK/r1.csv:3:1: code: resource 'co2e' already exists" "$WORK/r1.csv"
printf 'code,label_fr,label_en,unit,renewable\nwood,Bois,Wood,m3,maybe\n' >"$WORK/r2.csv"
bad res-3.2 resources "$WORK/r2.csv:2:5: renewable: 'maybe' is not valid: expected one of: yes, no, 1, 0, true, false, oui, non" "$WORK/r2.csv"
L='resource,scope,amount,unit,horizon_year,source\n'
printf "${L}gas,world,1,,,x\n" >"$WORK/l1.csv"
bad res-3.3 limits "$WORK/l1.csv:2:1: resource: unknown resource 'gas'" "$WORK/l1.csv"
printf "${L}co2e,world,1,,,x\noil,world,5,,,x\n" >"$WORK/l2.csv"
bad res-3.4 limits "$WORK/l2.csv:3:3: amount: resource 'oil' is not renewable, so its limit must be 0 (zero use), not 5" "$WORK/l2.csv"
printf "${L}co2e,world,-1,,,x\n" >"$WORK/l3.csv"
bad res-3.5 limits "$WORK/l3.csv:2:3: amount: '-1' is not valid: expected a number >= 0" "$WORK/l3.csv"
printf "${L}co2e,world,1,,,\n" >"$WORK/l4.csv"
bad res-3.6 limits "$WORK/l4.csv:2:6: source: a value is required" "$WORK/l4.csv"
printf 'resource,scope,amount\nco2e,world,1\n' >"$WORK/l5.csv"
bad res-3.7 limits "missing column 'source' in the header" "$WORK/l5.csv"
printf "${L}co2e,galaxy,1,,,x\n" >"$WORK/l6.csv"
bad res-3.8 limits "$WORK/l6.csv:2:2: scope: 'galaxy' is not valid: expected one of: world, country, territory, person" "$WORK/l6.csv"
printf "${L}co2e,world,1,,3000,x\n" >"$WORK/l7.csv"
bad res-3.9 limits "$WORK/l7.csv:2:5: horizon_year: '3000' is not valid: expected an integer from 1900 to 2200" "$WORK/l7.csv"
U='resource,year,amount,neighbourhood,source\n'
printf "${U}co2e,2014,1,,x\nco2e,2012,1,,x\n" >"$WORK/u1.csv"
bad res-3.10 usage "$WORK/u1.csv:3:2: year: the use of 'co2e' in the whole territory for 2012 is already recorded" "$WORK/u1.csv"
printf "${U}water,2013,1,Wolf-Wagner,x\nwater,2013,2,Wolf-Wagner,y\n" >"$WORK/u2.csv"
bad res-3.11 usage "$WORK/u2.csv:3:2: year: the use of 'water' in Wolf-Wagner for 2013 is already recorded" "$WORK/u2.csv"
printf "${U}water,1800,1,,x\n" >"$WORK/u3.csv"
bad res-3.12 usage "$WORK/u3.csv:2:2: year: '1800' is not valid: expected an integer from 1900 to 2200" "$WORK/u3.csv"
printf "${U}coal,2013,1,,x\n" >"$WORK/u4.csv"
bad res-3.13 usage "$WORK/u4.csv:2:1: resource: unknown resource 'coal'" "$WORK/u4.csv"
printf "${U}water,2013,-5,,x\n" >"$WORK/u5.csv"
bad res-3.14 usage "$WORK/u5.csv:2:3: amount: '-5' is not valid: expected a number >= 0" "$WORK/u5.csv"

# The same year in another neighbourhood is another figure.
printf "${U}co2e,2012,39000,Briand,x\n" >"$WORK/u6.csv"
spiral import usage "$WORK/u6.csv"
expect_status res-4.1 0
expect_eq res-4.2 "$(sql "SELECT count(*) FROM resource_usage WHERE resource_id = 1 AND year = 2012")" 3

finish
