#!/bin/sh
# tests/e2e/criteria.sh -- taxonomy imports (taxonomy, taxonomy-map), the
# statistics of criteria (`spiral criteria stats`: roll-up by prefix, zero
# rows, breakdowns, two periods, another taxonomy version through the
# mapping), `criteria list` and `criteria accept`, with every refusal
# leaving the workspace as it was.  Every expected number is worked out by
# hand from tests/fixtures/workflow/{taxonomy,taxonomy-map,criteria}.csv:
#
#   criteria.csv holds 11 criteria; 2 are uncoded (ids 4 and 11), 9 coded:
#     cycle 1 (met 2006): A01-11, A03, A01, -, B00, D, A     (7, 6 coded)
#     cycle 2 (met 2009): A03, A01, B00, -                   (4, 3 coded)
#   Roll-up in spiral:v1: A = A01-11 + A03 + A01 + A + A03 + A01 = 6,
#     A01 = A01-11 + A01 + A01 = 3, A03 = 2, A05 = 0, B = B00 + B00 = 2,
#     C = 0, D = 1; shares of the 9 coded.
. "$SRCDIR/tests/e2e/lib.sh"
F="$FIXTURES/workflow"

spiral init --territory mulhouse --name Mulhouse
expect_status crit-1.1 0

# -- taxonomy import ------------------------------------------------------------
spiral import taxonomy "$F/taxonomy.csv"
expect_status tax-1.1 0
expect_err tax-1.2 "imported 14 row(s) as taxonomy; 2 new taxonomy version(s); the territory now uses spiral:v1"
expect_eq tax-1.3 "$(sql "SELECT t.version, count(*) FROM taxonomy_node n JOIN taxonomy t ON t.id = n.taxonomy_id GROUP BY t.version ORDER BY 1")" "v1|9
v2|5"
# The parent left empty is derived from the code; provisional yes/oui/0/no.
expect_eq tax-1.4 "$(sql "SELECT code || '|' || parent_code || '|' || level || '|' || provisional FROM taxonomy_node WHERE code IN ('A05', 'A01-11') AND taxonomy_id = 1 ORDER BY code")" "A01-11|A01|subobject|1
A05|A|component|0"
expect_eq tax-1.5 "$(sql "SELECT group_concat(code) FROM taxonomy_node WHERE provisional = 1 AND taxonomy_id = 1")" "A01-11,C,D"
expect_eq tax-1.6 "$(sql "SELECT t.name || ':' || t.version FROM territory r JOIN taxonomy t ON t.id = r.taxonomy_id")" "spiral:v1"

before=$(db_fingerprint)
badtax() {   # badtax ID MESSAGE FILE [KIND]
    spiral import "${4:-taxonomy}" "$3"
    expect_status "$1" 65
    expect_err "$1.msg" "$2"
    expect_same "$1.db" "$before"
}
H='name,version,code,parent,level,label_fr,label_en\n'
printf "${H}x,1,A,,family,a,a\nx,1,A01,A,family,b,b\n" >"$WORK/t1.csv"
badtax tax-2.1 "$WORK/t1.csv:3:5: level: 'A01' is a component code, not a family" "$WORK/t1.csv"
printf "${H}x,1,A,,family,a,a\nx,1,B,,family,b,b\nx,1,A01,B,component,c,c\n" >"$WORK/t2.csv"
badtax tax-2.2 "$WORK/t2.csv:4:4: parent: the parent of 'A01' is its prefix 'A', not 'B'" "$WORK/t2.csv"
printf "${H}x,1,A01,A,component,c,c\n" >"$WORK/t3.csv"
badtax tax-2.3 "$WORK/t3.csv:2:4: parent: 'A' (parent of 'A01') is not in taxonomy 'x:1': a parent comes before its children" "$WORK/t3.csv"
printf "${H}spiral,v1,B,,family,b,b\n" >"$WORK/t4.csv"
badtax tax-2.4 "$WORK/t4.csv:2:3: code: 'B' is already in taxonomy 'spiral:v1'" "$WORK/t4.csv"
printf "${H}x,1,A1,,family,a,a\n" >"$WORK/t5.csv"
badtax tax-2.5 "$WORK/t5.csv:2:3: code: 'A1' is not a taxonomy code: expected a family letter A-Z" "$WORK/t5.csv"
printf "${H}x,1,A,A,family,a,a\n" >"$WORK/t6.csv"
badtax tax-2.6 "$WORK/t6.csv:2:4: parent: a family has no parent, found 'A'" "$WORK/t6.csv"
printf "${H}x,1,A,,genus,a,a\n" >"$WORK/t7.csv"
badtax tax-2.7 "$WORK/t7.csv:2:5: level: 'genus' is not valid: expected one of: family, component, subobject" "$WORK/t7.csv"
printf 'name,version,code,level,label_fr,label_en,provisional\nx,1,A,family,a,a,maybe\n' >"$WORK/t8.csv"
badtax tax-2.8 "$WORK/t8.csv:2:7: provisional: 'maybe' is not valid" "$WORK/t8.csv"

# -- taxonomy-map import -----------------------------------------------------------
spiral import taxonomy-map "$F/taxonomy-map.csv"
expect_status map-1.1 0
expect_eq map-1.2 "$(sql "SELECT group_concat(from_code || '>' || to_code, ' ') FROM (SELECT * FROM taxonomy_map ORDER BY from_code)")" "A>A A01>A01 A03>A02 B>B B00>B01"
before=$(db_fingerprint)
H='from,from_code,to,to_code\n'
printf "${H}spiral:v1,A01-11,spiral:v3,A01\n" >"$WORK/m1.csv"
badtax map-2.1 "$WORK/m1.csv:2:3: to: unknown taxonomy 'spiral:v3' (import it first)" "$WORK/m1.csv" taxonomy-map
printf "${H}spiral:v1,A09,spiral:v2,A01\n" >"$WORK/m2.csv"
badtax map-2.2 "$WORK/m2.csv:2:2: from_code: 'A09' is not a node of taxonomy 'spiral:v1'" "$WORK/m2.csv" taxonomy-map
printf "${H}spiral:v1,A01-11,spiral:v2,A01-11\n" >"$WORK/m3.csv"
badtax map-2.3 "$WORK/m3.csv:2:4: to_code: 'A01-11' is not a node of taxonomy 'spiral:v2'" "$WORK/m3.csv" taxonomy-map
printf "${H}spiral:v1,A03,spiral:v2,A01\n" >"$WORK/m4.csv"
badtax map-2.4 "$WORK/m4.csv:2:2: from_code: 'A03' of 'spiral:v1' is already mapped to 'spiral:v2'" "$WORK/m4.csv" taxonomy-map
printf "${H}spiral:v1,A,spiral:v1,A\n" >"$WORK/m5.csv"
badtax map-2.5 "$WORK/m5.csv:2:3: to: a mapping goes from one taxonomy to another" "$WORK/m5.csv" taxonomy-map
printf "${H}spiral,A,spiral:v2,A\n" >"$WORK/m6.csv"
badtax map-2.6 "$WORK/m6.csv:2:1: from: 'spiral' is not valid: expected name:version" "$WORK/m6.csv" taxonomy-map

# -- statistics ------------------------------------------------------------------
spiral import criteria "$F/criteria.csv"
expect_status stats-1.0 0
before=$(db_fingerprint)
# Families: 6/9 = 66.7 %, 2/9 = 22.2 %, C mentioned by no group: 0, 1/9 = 11.1 %.
spiral criteria stats --format csv
expect_status stats-1.1 0
expect_eq stats-1.2 "$(cat "$WORK/out")" "code,label,total n,total %
A,Accès aux moyens de vie,6,66.7
B,Cadre de vie,2,22.2
C,Relations avec les organisations (provisional),0,0.0
D,Relations personnelles (provisional),1,11.1
(uncoded),criteria without a code,2,"
# Components: A01 = 3 (3/9 = 33.3 %), A03 = 2 (22.2 %), A05 = 0, B00 = 2.
spiral criteria stats --level component --format csv
expect_eq stats-1.3 "$(grep -E '^(A01|A03|A05|B00),' "$WORK/out")" "A01,  Alimentation,3,33.3
A03,  Logement,2,22.2
A05,\"  Éducation, formation\",0,0.0
B00,  Cadre de vie en général,2,22.2"
# Sub-objects: only A01-11 is coded that deep (1/9 = 11.1 %).
spiral criteria stats --level subobject --format json
expect_eq stats-1.4 "$(grep -c '"code"' "$WORK/out")" 9
expect_out stats-1.5 '"level": "subobject"'
spiral criteria stats --level subobject --format csv
expect_eq stats-1.6 "$(grep '^A01-11,' "$WORK/out")" "A01-11,    Qualité de l'alimentation (provisional),1,11.1"
# By question: wellbeing = A01-11 A03 B00 A A03 A01 (A 5 of 6 = 83.3 %, B 1 = 16.7 %);
# illbeing = A01 D B00 (1 each of 3 = 33.3 %); action: 2 uncoded, no share.
spiral criteria stats --by question --format csv
expect_eq stats-1.7 "$(sed -n '1p;2p;6p' "$WORK/out")" "code,label,action n,action %,illbeing n,illbeing %,wellbeing n,wellbeing %,total n,total %
A,Accès aux moyens de vie,0,,1,33.3,5,83.3,6,66.7
(uncoded),criteria without a code,2,,0,,0,,2,"
# By neighbourhood: Briand = Jeunes (both cycles) = A01-11 A03 A01 A03 A01 B00: A 5/6, B 1/6;
# Coteaux = B00 D A: A 1/3 = 33.3 %.
spiral criteria stats --by neighbourhood --format csv
expect_eq stats-1.8 "$(sed -n 2p "$WORK/out")" "A,Accès aux moyens de vie,5,83.3,1,33.3,6,66.7"
# By cycle, in numeric order.
spiral criteria stats --by cycle --format csv
expect_eq stats-1.9 "$(head -1 "$WORK/out")" "code,label,cycle 1 n,cycle 1 %,cycle 2 n,cycle 2 %,total n,total %"
# One cycle selects: cycle 2 has A03 A01 B00 coded: A 2/3 = 66.7 %, B 1/3 = 33.3 %.
spiral criteria stats --cycle 2 --format csv
expect_eq stats-1.10 "$(sed -n '2,3p' "$WORK/out")" "A,Accès aux moyens de vie,2,66.7
B,Cadre de vie,1,33.3"

# Diachronic: cycle 1 (6 coded: A 4 = 66.7 %, B 1 = 16.7 %, D 1 = 16.7 %)
# against cycle 2 (3 coded: A 2 = 66.7 %, B 1 = 33.3 %, D 0): change in
# criteria and percentage points (33.3 - 16.7 = +16.7; 0 - 16.7 = -16.7).
spiral criteria stats --cycle 1 --cycle 2 --format csv
expect_status stats-2.1 0
expect_eq stats-2.2 "$(cat "$WORK/out")" "code,label,cycle 1 n,cycle 1 %,cycle 2 n,cycle 2 %,change n,change pp
A,Accès aux moyens de vie,4,66.7,2,66.7,-2,+0.0
B,Cadre de vie,1,16.7,1,33.3,+0,+16.7
C,Relations avec les organisations (provisional),0,0.0,0,0.0,+0,+0.0
D,Relations personnelles (provisional),1,16.7,0,0.0,-1,-16.7
(uncoded),criteria without a code,1,,1,,,"
# Dates: the database as it stood on 2006-12-31 (cycle 1) and on 2009-12-31
# (all 9 coded): A 4 -> 6 (66.7 % -> 66.7 %), B 1 -> 2 (16.7 -> 22.2: +5.6 pp).
spiral criteria stats --from 2006-12-31 --to 2009-12-31 --format csv
expect_eq stats-2.3 "$(sed -n 3p "$WORK/out")" "B,Cadre de vie,1,16.7,2,22.2,+1,+5.6"
spiral criteria stats --from 2006-12-31 --to 2009-12-31 --format json
expect_out stats-2.4 '"from": "until 2006-12-31"'

# Another version through the mapping: A03 -> A02 (2), A01 -> A01 (2),
# A -> A (1), B00 -> B01 (2): 7 coded; A01-11 and D have no mapping (2 unmapped).
# Families in v2: A = 5 of 7 = 71.4 %, B = 2 of 7 = 28.6 %.
spiral criteria stats --taxonomy spiral:v2 --level component --format csv
expect_status stats-3.1 0
expect_eq stats-3.2 "$(cat "$WORK/out")" "code,label,total n,total %
A,Accès aux moyens de vie,5,71.4
A01,  Alimentation,2,28.6
A02,  Logement,2,28.6
B,Cadre de vie,2,28.6
B01,  Cadre de vie,2,28.6
(uncoded),criteria without a code,2,
A01-11,\"(unmapped, from spiral:v1)\",1,
D,\"(unmapped, from spiral:v1)\",1,"
spiral criteria stats --taxonomy spiral:v2 --format json
expect_out stats-3.3 '"unmapped": 2'
spiral criteria stats --taxonomy spiral:v2
expect_out stats-3.4 "total: 11 criteria, 7 coded, 2 uncoded, 2 unmapped"

# Refusals of the command line.
spiral criteria stats --taxonomy spiral:v9
expect_status stats-4.1 64
expect_err stats-4.2 "--taxonomy: unknown taxonomy 'spiral:v9'"
spiral criteria stats --level genus
expect_status stats-4.3 64
spiral criteria stats --from 2006-12-31
expect_status stats-4.4 64
expect_err stats-4.5 "--from needs --to DATE or --cycle M"
spiral criteria stats --cycle 1 --cycle 2 --by question
expect_status stats-4.6 64
expect_err stats-4.7 "a comparison of two periods has no breakdown"
spiral criteria stats --to 2009-02-30x
expect_status stats-4.8 64
spiral criteria stats --cycle 1 --cycle 2 --cycle 3
expect_status stats-4.9 64
expect_same stats-4.10 "$before"

# -- list and accept ---------------------------------------------------------------
spiral criteria list --uncoded --format csv
expect_eq list-1.1 "$(cut -d, -f1,4 "$WORK/out")" "id,question
4,action
11,action"
sql "INSERT INTO criterion_suggestion VALUES (4, 'A03', 'keyword:logement', 0.9)"
spiral criteria list --uncoded --format json
expect_out list-1.2 '"suggestion": "A03"'

before=$(db_fingerprint)
badcodes() {   # badcodes ID MESSAGE FILE
    spiral criteria accept "$3"
    expect_status "$1" 65
    expect_err "$1.msg" "$2"
    expect_same "$1.db" "$before"
}
printf 'criterion_id,code\n4,A03\n99,A01\n' >"$WORK/c1.csv"
badcodes acc-2.1 "$WORK/c1.csv:3:1: criterion_id: no criterion 99 in the workspace" "$WORK/c1.csv"
printf 'criterion_id,code\n4,A3\n' >"$WORK/c2.csv"
badcodes acc-2.2 "$WORK/c2.csv:2:2: code: 'A3' is not a criterion code: expected OBJECT[/SENSE[/BENEFICIARY]]" "$WORK/c2.csv"
printf 'criterion_id,code\n4,E01/R1\n' >"$WORK/c3.csv"
badcodes acc-2.3 "$WORK/c3.csv:2:2: code: 'E01' is not a node of the criterion's taxonomy" "$WORK/c3.csv"
printf 'criterion_id,code\n4,A03\n11,B00\n4,A01\n' >"$WORK/c4.csv"
badcodes acc-2.4 "$WORK/c4.csv:4:1: criterion_id: criterion 4 was already coded on line 2" "$WORK/c4.csv"
printf 'criterion,code\n4,A03\n' >"$WORK/c5.csv"
badcodes acc-2.5 "unknown column 'criterion' for codes files (known: criterion_id, code)" "$WORK/c5.csv"
printf 'criterion_id,code\nfour,A03\n' >"$WORK/c6.csv"
badcodes acc-2.6 "$WORK/c6.csv:2:1: criterion_id: 'four' is not valid" "$WORK/c6.csv"

# A03 was suggested for criterion 4: accepted-suggestion; B00 for 11: the analyst's.
printf 'criterion_id,code\n4,A03/R1/c\n11,B00\n' >"$WORK/accept.csv"
spiral criteria accept "$WORK/accept.csv"
expect_status acc-3.1 0
expect_err acc-3.2 "coded 2 criteria; 1 accepted suggestion(s), 1 analyst's code(s)"
expect_eq acc-3.3 "$(sql "SELECT id || '|' || object_code || '|' || quote(sense_code) || '|' || quote(beneficiary_code) || '|' || coded_by || '|' || taxonomy_id FROM criterion WHERE id IN (4, 11) ORDER BY id")" "4|A03|'R1'|'c'|accepted-suggestion|1
11|B00|NULL|NULL|analyst|1"
# A correction of an imported code: the analyst's now.
printf 'criterion_id,code\n6,C\n' >"$WORK/fix.csv"
spiral criteria accept "$WORK/fix.csv"
expect_eq acc-3.4 "$(sql "SELECT object_code || '|' || coded_by FROM criterion WHERE id = 6")" "C|analyst"
# Now 11 coded: A = 6 + 1 (A03) = 7 of 11 = 63.6 %; B = 2 + 1 = 3 (27.3 %);
# C = 1 (9.1 %); D = 0.
spiral criteria stats --format csv
expect_eq acc-3.5 "$(cat "$WORK/out")" "code,label,total n,total %
A,Accès aux moyens de vie,7,63.6
B,Cadre de vie,3,27.3
C,Relations avec les organisations (provisional),1,9.1
D,Relations personnelles (provisional),0,0.0
(uncoded),criteria without a code,0,"
spiral criteria list --uncoded --format csv
expect_eq acc-3.6 "$(wc -l <"$WORK/out" | tr -d ' ')" 1

# -- charts (--chart FILE.svg) ------------------------------------------------------
# The state is the one just above: 11 coded criteria.  A chart is one
# standalone <svg> with a <title>; its <desc> lists the shares of the bars
# with the table's one decimal, so it must equal what table_desc builds from
# the CSV table of the same command.
svg_count() { grep -o "$2" "$1" | wc -l | tr -d ' '; }
desc_of() { sed -n 's/.*<desc id="criteria-stats-desc">\([^<]*\)<\/desc>.*/\1/p' "$1"; }
table_desc() {   # table_desc CSV PAIRS_TO_DROP PLAIN: the English <desc> of that table
    awk -F, -v drop="$2" -v plain="$3" '
        NR == 1 { np = (NF - 2) / 2 - drop
                  for (j = 0; j < np; j++) { k = $(3 + 2 * j); sub(/ n$/, "", k); key[j] = k }
                  next }
        $1 == "(uncoded)" { exit }
        { for (j = 0; j < np; j++) {
              v = $(4 + 2 * j)
              e = $1 (plain ? "" : " \302\267 " key[j]) ": " (v == "" ? "no coded criterion" : v " %")
              out = out (n++ ? "; " : "") e } }
        END { printf "Share of the coded criteria of each column, in %%, per code: %s.", out }' "$1"
}
svg_ok() {   # svg_ok ID FILE BARS: one svg element, well-formed, a title, BARS bars
    if [ "$(svg_count "$2" '<svg')" = 1 ] && [ "$(svg_count "$2" '</svg>')" = 1 ] \
        && grep -q '<svg xmlns="http://www.w3.org/2000/svg"' "$2" \
        && grep -q '<title id="criteria-stats-title">[^<][^<]*</title>' "$2"; then
        ok "$1.svg"; else fail "$1.svg" "not one titled <svg> with its namespace"; fi
    if command -v xmllint >/dev/null 2>&1; then
        if xmllint --noout "$2" 2>/dev/null; then ok "$1.xml"; else fail "$1.xml" "not well-formed"; fi
    fi
    expect_eq "$1.bars" "$(svg_count "$2" '<rect ')" "$3"
}
# Families: A 7 of 11 = 63.6 %, B 27.3, C 9.1, D 0.0: four bars (D's is empty but drawn).
spiral criteria stats --format csv --lang en --chart "$WORK/c1.svg"
expect_status chart-1.1 0
svg_ok chart-1.2 "$WORK/c1.svg" 4
expect_eq chart-1.3 "$(desc_of "$WORK/c1.svg")" "$(table_desc "$WORK/out" 0 1)"
expect_eq chart-1.4 "$(desc_of "$WORK/c1.svg")" "Share of the coded criteria of each column, in %, per code: A: 63.6 %; B: 27.3 %; C: 9.1 %; D: 0.0 %."
expect_err chart-1.5 "c1.svg: chart of 4 bar(s)"
# By question, total left out: 4 codes x 3 questions.  action now has the
# accepted codes A03 and B00 (50.0 % each); wellbeing A 5 of 6 = 83.3 %.
spiral criteria stats --by question --format csv --lang en --chart "$WORK/c2.svg"
expect_status chart-2.1 0
svg_ok chart-2.2 "$WORK/c2.svg" 12
expect_eq chart-2.3 "$(desc_of "$WORK/c2.svg")" "$(table_desc "$WORK/out" 1 0)"
if desc_of "$WORK/c2.svg" | grep -qF "A $(printf '\302\267') action: 50.0 %; A $(printf '\302\267') illbeing: 33.3 %; A $(printf '\302\267') wellbeing: 83.3 %;"; then
    ok chart-2.4; else fail chart-2.4 "desc: $(desc_of "$WORK/c2.svg")"; fi
# Two periods side by side: cycle 1 (7 coded: A 5 = 71.4 %, B 1, C 1) and
# cycle 2 (4 coded: A 2 = 50.0 %, B 2 = 50.0 %); the change columns are not drawn.
spiral criteria stats --cycle 1 --cycle 2 --format csv --lang en --chart "$WORK/c3.svg"
expect_status chart-3.1 0
svg_ok chart-3.2 "$WORK/c3.svg" 8
expect_eq chart-3.3 "$(desc_of "$WORK/c3.svg")" "$(table_desc "$WORK/out" 1 0)"
expect_out chart-3.4 "A,Access to means of living,5,71.4,2,50.0,-3,-21.4"
if grep -qF ">Criteria per family: cycle 1 and cycle 2</title>" "$WORK/c3.svg"; then
    ok chart-3.5; else fail chart-3.5 "title"; fi
# French texts.
spiral criteria stats --chart "$WORK/c4.svg"
expect_status chart-4.1 0
if grep -qF '<title id="criteria-stats-title">Critères par famille</title>' "$WORK/c4.svg" \
    && desc_of "$WORK/c4.svg" | grep -qF "A : 63.6 %; B : 27.3 %"; then
    ok chart-4.2; else fail chart-4.2 "French title or desc"; fi
# Nothing to draw (no group met before 2001), and a file that cannot be written.
spiral criteria stats --from 2000-01-01 --to 2001-01-01 --chart "$WORK/c5.svg"
expect_status chart-5.1 65
expect_err chart-5.2 "no coded criterion to chart"
if [ ! -e "$WORK/c5.svg" ]; then ok chart-5.3; else fail chart-5.3 "c5.svg written"; fi
spiral criteria stats --chart "$WORK/no-such-dir/c6.svg"
expect_status chart-5.4 73
expect_err chart-5.5 "cannot write the chart"

finish
