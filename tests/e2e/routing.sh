#!/bin/sh
# tests/e2e/routing.sh -- the coordination groups' workflow: coding
# suggestions for criteria (`spiral criteria suggest` and the round trip
# through `criteria accept`), routing of life-project needs and offers
# (`spiral groups route`, the listing with disclosure control, `groups
# match`) and the quarterly synthesis with its allocation proposal
# (`spiral synthesis`), with territory override files and refusals that
# leave the workspace as it was.  Fixtures: tests/fixtures/routing/ (made by
# hand); every expected value is worked out by hand below.  The pure Lua
# parts are also run under the standalone lua5.4 (tests/lua/test_routing.lua)
# when it is installed.
. "$SRCDIR/tests/e2e/lib.sh"
F="$FIXTURES/routing"
W="$FIXTURES/workflow"
SPIRAL_SCRIPTS="$SRCDIR/scripts"; export SPIRAL_SCRIPTS
LUA=${LUA:-lua5.4}

# -- 0. the pure Lua parts -----------------------------------------------------------
if command -v "$LUA" >/dev/null 2>&1; then
    LUA_PATH="$SRCDIR/scripts/?.lua" "$LUA" "$SRCDIR/tests/lua/test_routing.lua" >"$WORK/lua.out" 2>"$WORK/err"
    rc=$?
    grep '^FAIL' "$WORK/lua.out"
    passed=$((passed + $(grep -c '^ok ' "$WORK/lua.out")))
    failed=$((failed + $(grep -c '^FAIL ' "$WORK/lua.out")))
    [ "$rc" -eq 0 ] || fail lua-0 "test_routing.lua stopped with status $rc"
fi

# -- setup ------------------------------------------------------------------------------
spiral init --territory testville --name Testville
expect_status setup-1 0
spiral import criteria "$F/criteria.csv"
expect_status setup-2 0
spiral import indicators "$W/indicators.csv"
expect_status setup-3 0
spiral import forms "$W/forms.csv"
expect_status setup-4 0
spiral import responses "$F/responses.csv" --form adults
expect_status setup-5 0
spiral import accounts "$F/accounts.csv"
expect_status setup-6 0
spiral import ledger "$F/ledger.csv"
expect_status setup-7 0

# -- 1. coding suggestions --------------------------------------------------------------
# Default rules (scripts/lib/coding.lua), doubt 0.75; a rule scores 1 per
# keyword found at the start of a word of the folded text:
#   1 "Un logement à soi"            A03 (logement) = 1                   -> A03, 1
#   2 "Le loyer est trop cher"       A03-02 (loyer) = 1                   -> A03-02, 1
#   3 "Loyer et logement hors de prix" A03 = 1, A03-02 = 1: in doubt,
#                                    component and sub-object             -> A03, 1 + 1 = 2
#   4 "Aider les voisins"            D02 (voisin) = 1, H01 (aider) = 1:
#                                    different families                   -> no code
#   5 "Avoir un travail et un logement" A03 = 1, A06 (travail) = 1:
#                                    same family                          -> A, 2
#   6 "Manger à la cantine, à l'école" A01 (manger, cantine) = 2, A05
#                                    (ecole, from "école") = 1 < 0.75 x 2 -> A01, 2
#   7 "Le ciel bleu"                 nothing                              -> no code, no rule
#   8 coded D02 by the import: not listed
#   9 "L'INSÉCURITÉ dans la rue"     folded "l'insecurite": G02 = 1       -> G02, 1
spiral criteria suggest --output "$WORK/s.csv"
expect_status sug-1.1 0
expect_err sug-1.2 "8 uncoded criteria: 6 suggestion(s), 1 in doubt between families (no code), 1 without a rule"
expect_eq sug-1.3 "$(cat "$WORK/s.csv")" "criterion_id,group,question,text,code,rule,score
1,Jeunes,wellbeing,Un logement à soi,A03,A03[logement],1
2,Jeunes,illbeing,Le loyer est trop cher,A03-02,A03-02[loyer],1
3,Jeunes,illbeing,Loyer et logement hors de prix,A03,general(A03[logement] A03-02[loyer]),2
4,Jeunes,action,Aider les voisins,,doubt(D02[voisin] H01[aider]),2
5,Jeunes,wellbeing,Avoir un travail et un logement,A,general(A03[logement] A06[travail]),2
6,Retraités,wellbeing,\"Manger à la cantine, à l'école\",A01,\"A01[manger,cantine]\",2
7,Retraités,wellbeing,Le ciel bleu,,,
9,Retraités,illbeing,L'INSÉCURITÉ dans la rue,G02,G02[insecurite],1"
expect_eq sug-1.4 "$(sql "SELECT group_concat(criterion_id || ':' || object_code || ':' || score, ' ') FROM (SELECT * FROM criterion_suggestion ORDER BY criterion_id)")" \
    "1:A03:1.0 2:A03-02:1.0 3:A03:2.0 5:A:2.0 6:A01:2.0 9:G02:1.0"
# suggestions never code: still 8 uncoded criteria
expect_eq sug-1.5 "$(sql "SELECT count(*) FROM criterion WHERE object_code IS NULL")" 8

# A territory's coding.lua: loyer and cher weigh 2 for A03-02, a new rule
# "ciel" for B00, doubt 0.5:
#   2 "Le loyer est trop cher"       A03-02 = 2 x 2 = 4                   -> A03-02, 4
#   3 "Loyer et logement ..."        A03-02 = 2, A03 = 1 >= 0.5 x 2       -> A03, 3
#   7 "Le ciel bleu"                 B00 (rule ciel) = 1                  -> B00, 1
mkdir -p "$WORK/terr"
cat >"$WORK/terr/coding.lua" <<'EOF'
return {
    doubt = 0.5,
    rules = {
        { name = "A03-02", code = "A03-02", keywords = { "loyer", "cher" }, weight = 2 },
        { name = "ciel", code = "B00", keywords = { "Ciel" } },
    },
}
EOF
spiral criteria suggest --territory-dir "$WORK/terr"
expect_status sug-2.1 0
expect_eq sug-2.2 "$(grep -E '^(2|3|7),' "$WORK/out" | cut -d, -f1,5-)" "2,A03-02,\"A03-02[loyer,cher]\",4
3,A03,general(A03-02[loyer] A03[logement]),3
7,B00,B00[ciel:ciel],1"
expect_eq sug-2.3 "$(sql "SELECT object_code || ':' || score FROM criterion_suggestion WHERE criterion_id = 7")" "B00:1.0"

# A rule file with a Lua error: exit 3 naming file:line, nothing changed.
before=$(db_fingerprint)
mkdir -p "$WORK/bad"
printf -- '-- a broken rule file\nreturn { rules = {} } + 1\n' >"$WORK/bad/coding.lua"
spiral criteria suggest --territory-dir "$WORK/bad" --output "$WORK/bad.csv"
expect_status sug-3.1 3
expect_err sug-3.2 "$WORK/bad/coding.lua:2: attempt to perform arithmetic on a table value"
expect_same sug-3.3 "$before"
printf 'return { rules = { { code = "A01" } } }\n' >"$WORK/bad/coding.lua"
spiral criteria suggest --territory-dir "$WORK/bad"
expect_status sug-3.4 3
expect_err sug-3.5 "coding: rule 1: rule 'A01' needs a code and a list of keywords"
expect_same sug-3.6 "$before"
spiral criteria suggest --output "$WORK/no/such/dir.csv"
expect_status sug-3.7 73
expect_same sug-3.8 "$before"

# Round trip: the default suggestions again, criterion 2 corrected to
# A03-01 by the analyst; 4 and 7 left empty stay uncoded.
spiral criteria suggest --output "$WORK/s.csv"
expect_status sug-4.0 0
sed 's/^2,\(.*\),A03-02,/2,\1,A03-01,/' "$WORK/s.csv" >"$WORK/c.csv"
spiral criteria accept "$WORK/c.csv"
expect_status sug-4.1 0
expect_err sug-4.2 "coded 6 criteria; 5 accepted suggestion(s), 1 analyst's code(s), 2 left uncoded (empty code)"
expect_eq sug-4.3 "$(sql "SELECT group_concat(id || ':' || ifnull(object_code, '-') || ':' || ifnull(coded_by, '-'), ' ') FROM (SELECT * FROM criterion ORDER BY id)")" \
    "1:A03:accepted-suggestion 2:A03-01:analyst 3:A03:accepted-suggestion 4:-:- 5:A:accepted-suggestion 6:A01:accepted-suggestion 7:-:- 8:D02:import 9:G02:accepted-suggestion"
# a plain codes file is still read as before
printf 'criterion,code\n4,A03\n' >"$WORK/c5.csv"
spiral criteria accept "$WORK/c5.csv"
expect_status sug-4.4 65
expect_err sug-4.5 "unknown column 'criterion' for codes files (known: criterion_id, code)"

# -- 2. routing ------------------------------------------------------------------------
spiral groups
expect_status route-0.1 65
expect_err route-0.2 "no coordination groups yet: run \`spiral groups route\` first"

# Default rules (lib/routing.lua): by kind, then by theme, then the
# neighbourhood.  Needs n1..n11 and offers o1..o7 in file order:
#   n1 P1 job:youth      employment, youth, quartier-briand
#   n2 P1 training       training, quartier-briand
#   n3 P2 training       training, quartier-briand
#   n4 P3 housing        space, quartier-briand
#   n5 P4 job            employment, quartier-wolf-wagner
#   n6 P5 training:youth training, youth, quartier-wolf-wagner
#   n7 P6 housing        space, quartier-wolf-wagner
#   n8 P6 childcare      family, quartier-wolf-wagner
#   n9 P8 training       training, quartier-briand
#   n10 P9 training      training, quartier-coteaux
#   n11 P9 mobility      space, quartier-coteaux
#   o1 P1 hours=4:training  time, training, quartier-briand
#   o2 P2 hours=2           time, quartier-briand
#   o3 P3 money=20:fund     money (kind; fund is an alias of money), quartier-briand
#   o4 P4 project:employment citizenship, employment, quartier-wolf-wagner
#   o5 P6 hours=3:family    time, family, quartier-wolf-wagner
#   o6 P7 goods             solidarity, quartier-coteaux
#   o7 P8 hours=1:youth     time, youth, quartier-briand
# Routings: needs 3+2+2+2+2+3+2+2+2+2+2 = 24, offers 3+2+2+3+3+2+3 = 18: 42,
# to 12 groups; 19 groups of annex 2 + 3 neighbourhoods + the city = 23.
spiral groups route
expect_status route-1.1 0
expect_err route-1.2 "23 coordination group(s), 23 created; 11 need(s) and 7 offer(s) routed: 42 routing(s) to 12 group(s)"
expect_eq route-1.3 "$(sql "SELECT group_concat(x, ' ') FROM (SELECT g.code || ':' || count(r.need_id) || '/' || count(r.offer_id) AS x FROM coordination_group g JOIN routing r ON r.group_id = g.id GROUP BY g.id ORDER BY g.id)")" \
    "youth:2/1 employment:2/1 citizenship:0/1 family:1/1 training:5/1 solidarity:0/1 space:3/0 time:0/4 money:0/1 quartier-briand:5/4 quartier-coteaux:2/1 quartier-wolf-wagner:4/2"
expect_eq route-1.4 "$(sql "SELECT g.kind || ':' || n.name FROM coordination_group g JOIN neighbourhood n ON n.id = g.neighbourhood_id WHERE g.code = 'quartier-wolf-wagner'")" "neighbourhood:Wolf-Wagner"
expect_eq route-1.5 "$(sql "SELECT group_concat(rule, ' ') FROM (SELECT r.rule FROM routing r WHERE r.need_id = 1 ORDER BY r.rowid)")" "kind=job theme=youth *"

# The listing: counts of 1 to 4 as <5, exact 0 and 5.
spiral groups
expect_status route-2.1 0
expect_out route-2.2 "training               life_slice         5     <5  Formation"
expect_out route-2.3 "quartier-briand        neighbourhood      5     <5  Groupe du quartier Briand"
expect_out route-2.4 "space                  resource          <5      0  Gestion de l'espace"
expect_out route-2.5 "childhood              life_slice         0      0  Enfance"
if grep -q "hours=4\|job:youth\|P1" "$WORK/out"; then fail route-2.6 "details shown to everyone"; else ok route-2.6; fi
spiral groups --format json --lang en
expect_out route-2.7 '"needs": "<5"'
# One group's details: training gets n2, n3, n9, n10 (training) and n6
# (training:youth); o1 (hours=4:training).
spiral groups --group training
expect_status route-2.8 0
expect_out route-2.9 "training               life_slice         5      1  Formation"
expect_out route-2.10 "    training                           4"
expect_out route-2.11 "    training:youth                     1"
expect_out route-2.12 "    hours:training                     1  4"
before=$(db_fingerprint)
spiral groups --group zoo
expect_status route-2.13 65
expect_err route-2.14 "unknown coordination group 'zoo'"
spiral groups --format xml
expect_status route-2.15 64
spiral groups frobnicate
expect_status route-2.16 64
expect_same route-2.17 "$before"

# A territory's routing.lua: housing also goes to the family group
# (n4, n7: family 1 -> 3 needs; 42 + 2 = 44 routings).
cat >"$WORK/terr/routing.lua" <<'EOF'
return { extra = { { when = { kind = "housing" }, groups = { "family" } } } }
EOF
spiral groups route --territory-dir "$WORK/terr"
expect_status route-3.1 0
expect_err route-3.2 "23 coordination group(s), 0 created; 11 need(s) and 7 offer(s) routed: 44 routing(s) to 12 group(s)"
expect_eq route-3.3 "$(sql "SELECT count(r.need_id) FROM routing r JOIN coordination_group g ON g.id = r.group_id WHERE g.code = 'family'")" 3
expect_eq route-3.4 "$(sql "SELECT rule FROM routing r JOIN coordination_group g ON g.id = r.group_id WHERE g.code = 'family' AND r.need_id = 4")" "kind=housing"
# Refusals leave the routing as it is: a rule naming an unknown group,
# a rule file with a Lua error.
before=$(db_fingerprint)
mkdir -p "$WORK/bad2"
cat >"$WORK/bad2/routing.lua" <<'EOF'
return { extra = { { when = { kind = "job" }, groups = { "zoo" } } } }
EOF
spiral groups route --territory-dir "$WORK/bad2"
expect_status route-3.5 65
expect_err route-3.6 "the routing rules send a need to 'zoo', which is not a coordination group"
expect_same route-3.7 "$before"
printf 'local x = nil\nreturn { extra = x.rules }\n' >"$WORK/bad2/routing.lua"
spiral groups route --territory-dir "$WORK/bad2"
expect_status route-3.8 3
expect_err route-3.9 "$WORK/bad2/routing.lua:2: attempt to index a nil value"
expect_same route-3.10 "$before"
spiral groups route --territory-dir "$WORK/no-such-dir"
expect_status route-3.11 66
expect_same route-3.12 "$before"
# back to the default routing for what follows
spiral groups route
expect_status route-3.13 0

# -- 3. matching ------------------------------------------------------------------------
# lib/routing.lua match(): an offer serves a need when its kind serves the
# need's kind (training: hours, project; job: project; housing: money,
# goods; childcare: hours; mobility: hours, goods) and its theme is one of
# the need's topics (first pass) or empty (second pass).
#   employment: n1 job:youth <- o4 project:employment (topic employment); n5 unmet
#   youth: n6 training:youth <- o7 hours:youth; n1 (job) unmet
#   training: n2 <- o1 hours:training; n3 n6 n9 n10 unmet (4)
#   space: 3 unmet; family: n8 childcare <- o5 hours:family (topic family)
#   quartier-briand: pass 1 n2 <- o1; pass 2 n3 <- o2 (no theme); n1 n4 n9
#     unmet (3); o3 (money:fund, not a topic of housing) and o7 unused (2)
#   quartier-wolf-wagner: n5 <- o4, n8 <- o5; n6 n7 unmet (2)
#   quartier-coteaux: n11 mobility <- o6 goods (pass 2); n10 unmet
spiral groups match --group quartier-briand --format json
expect_status match-1.1 0
expect_eq match-1.2 "$(sqlite3 :memory: "SELECT json_extract(readfile('$WORK/out'), '\$.groups[0].needs') || ' ' || json_extract(readfile('$WORK/out'), '\$.groups[0].offers') || ' ' || json_extract(readfile('$WORK/out'), '\$.groups[0].matched') || ' ' || json_extract(readfile('$WORK/out'), '\$.groups[0].unmet') || ' ' || json_extract(readfile('$WORK/out'), '\$.groups[0].unused') || ' ' || json_extract(readfile('$WORK/out'), '\$.groups[0].pairs')")" \
    '5 4 2 3 2 [{"need":"training","offer":"hours=4:training"},{"need":"training","offer":"hours=2"}]'
spiral groups match
expect_status match-1.3 0
expect_out match-1.4 "training                    5     <5       <5     <5       0"
expect_out match-1.5 "time                        0     <5        0      0      <5"
spiral groups match --group family
expect_out match-1.6 "  need childcare                    <- offer hours=3:family"
spiral groups match --group zoo
expect_status match-1.7 65

# -- 4. the quarterly synthesis -------------------------------------------------------------
# A plan proposed by the training group (`groups propose`), after the
# refusals, which change nothing.
sql "INSERT INTO plan (code, title) VALUES ('PL-FORM', 'Former les jeunes')"
before=$(db_fingerprint)
spiral groups propose PL-NONE --group training
expect_status prop-1.1 64
expect_err prop-1.2 "no plan 'PL-NONE' in the workspace"
spiral groups propose PL-FORM --group zoo
expect_status prop-1.3 65
expect_err prop-1.4 "unknown coordination group 'zoo'"
spiral groups propose PL-FORM
expect_status prop-1.5 64
spiral groups propose PL-FORM --group training --none
expect_status prop-1.6 64
expect_same prop-1.7 "$before"
spiral groups propose PL-FORM --group youth
expect_status prop-1.8 0
spiral groups propose PL-FORM --group training
expect_status prop-1.9 0
expect_out prop-1.10 "plan PL-FORM: proposed by training"
expect_out prop-1.11 ", was youth"
expect_eq prop-1.12 "$(sql "SELECT g.code FROM plan p JOIN coordination_group g ON g.id = p.coordination_group_id WHERE p.code = 'PL-FORM'")" "training"
# Available at 2026-03-31: time projet-territoire 70 h (the 10 h of April
# are not counted); fund fonds 1500 - 300 = 1200 EUR; dons -1500 (a source)
# and p-jardin 300 (a project) are listed, not counted.
# Groups with unmet needs (matching above): employment 1, youth 1,
# training 4, space 3, briand 3, wolf-wagner 2, coteaux 1: n = 7, sum 15.
# Hours, A = 70: floor min(2, 70/7) = 2 each, rest 70 - 14 = 56:
#   employment, youth, coteaux 2 + 56/15 = 5.733 -> 5.5 (steps of 0.5)
#   training 2 + 56 x 4/15 = 16.933 -> 16.5; space, briand 2 + 11.2 = 13.2 -> 13
#   wolf-wagner 2 + 7.467 = 9.467 -> 9; cap 0.4 x 70 = 28 not reached
#   reserve 70 - (3 x 5.5 + 16.5 + 2 x 13 + 9) = 70 - 68 = 2
# Money, A = 1200: floor 50 each, rest 850:
#   employment, youth, coteaux 50 + 56.67 -> 106; training 50 + 226.67 -> 276
#   space, briand 50 + 170 = 220; wolf-wagner 50 + 113.33 -> 163
#   reserve 1200 - (3 x 106 + 276 + 2 x 220 + 163) = 1200 - 1197 = 3
jx() { sqlite3 :memory: "SELECT json_extract(readfile('$WORK/out'), '$1')"; }
spiral synthesis --quarter 2026-Q1 --format json
expect_status syn-1.1 0
expect_eq syn-1.2 "$(jx '$.available.hours') $(jx '$.available.money')" "70.0 1200.0"
expect_eq syn-1.3 "$(jx '$.allocation.resources.hours.shares')" '{"youth":5.5,"employment":5.5,"training":16.5,"space":13.0,"quartier-briand":13.0,"quartier-coteaux":5.5,"quartier-wolf-wagner":9.0}'
expect_eq syn-1.4 "$(jx '$.allocation.resources.money.shares.training') $(jx '$.allocation.resources.money.shares.space') $(jx '$.allocation.resources.money.shares.quartier-wolf-wagner') $(jx '$.allocation.resources.money.shares.youth')" "276 220 163 106"
expect_eq syn-1.5 "$(jx '$.allocation.resources.hours.reserve') $(jx '$.allocation.resources.money.reserve')" "2.0 3.0"
expect_eq syn-1.6 "$(jx '$.groups[5].code') $(jx '$.groups[5].needs') $(jx '$.groups[5].unmet') $(jx '$.groups[5].plans[0].code')" "training 5 <5 PL-FORM"
expect_eq syn-1.7 "$(jx '$.allocation.resources.hours.shares.family')" ""
spiral synthesis --quarter 2026-Q1
expect_status syn-1.8 0
expect_out syn-1.9 "Available to allocate: 70 h (time bank), 1200 EUR (fund)"
expect_out syn-1.10 "training                    5     <5       <5     <5      1      16.5       276"
expect_out syn-1.11 "(reserve)                                                           2         3"
expect_out syn-1.12 "  training             PL-FORM          Former les jeunes (0 actions)"
expect_out syn-1.13 "Dons extérieurs (not counted)"
spiral groups propose PL-FORM --none
expect_out syn-1.14 "plan PL-FORM: proposed by no group, was training"
spiral synthesis --quarter 2026-Q1 --format json
expect_eq syn-1.15 "$(jx '$.groups[5].code') $(jx '$.groups[5].plans')" "training []"
spiral groups propose PL-FORM --group training

# A territory's allocation.lua: no floor, cap 0.25.
# Hours, A = 70, by unmet/15: training 18.67 > cap 17.5 -> 17.5, its excess
#   1.167 shared by the 6 others (sum 11): employment, youth, coteaux
#   4.667 + 0.106 = 4.77 -> 4.5; space, briand 14 + 0.318 = 14.32 -> 14;
#   wolf-wagner 9.333 + 0.212 = 9.55 -> 9.5; reserve 70 - 68.5 = 1.5.
# Money, A = 1200, cap 300: training 320 -> 300, excess 20 over 11:
#   employment 80 + 1.82 -> 81; space 240 + 5.45 -> 245; wolf-wagner
#   160 + 3.64 -> 163; reserve 1200 - (300 + 3 x 81 + 2 x 245 + 163) = 4.
cat >"$WORK/terr/allocation.lua" <<'EOF'
return { floor = { hours = 0, money = 0 }, cap = 0.25 }
EOF
spiral synthesis --quarter 2026-Q1 --format json --territory-dir "$WORK/terr"
expect_status syn-2.1 0
expect_eq syn-2.2 "$(jx '$.allocation.resources.hours.shares')" '{"youth":4.5,"employment":4.5,"training":17.5,"space":14.0,"quartier-briand":14.0,"quartier-coteaux":4.5,"quartier-wolf-wagner":9.5}'
expect_eq syn-2.3 "$(jx '$.allocation.resources.money.shares.training') $(jx '$.allocation.resources.money.shares.employment') $(jx '$.allocation.resources.money.shares.space') $(jx '$.allocation.resources.money.shares.quartier-wolf-wagner')" "300 81 245 163"
expect_eq syn-2.4 "$(jx '$.allocation.resources.hours.reserve') $(jx '$.allocation.resources.money.reserve') $(jx '$.allocation.params.cap')" "1.5 4.0 0.25"
# The second quarter counts April's 10 h: 80 h.
spiral synthesis --quarter 2026-Q2 --format json
expect_eq syn-2.5 "$(jx '$.available.hours')" "80.0"

# Refusals, the workspace unchanged.
before=$(db_fingerprint)
spiral synthesis --quarter 2026-Q5
expect_status syn-3.1 64
expect_err syn-3.2 "'2026-Q5' is not a quarter YYYY-Qn"
spiral synthesis
expect_status syn-3.3 64
spiral synthesis --quarter 2026Q1
expect_status syn-3.4 64
mkdir -p "$WORK/bad3"
printf 'return { floor = { hours = 1 },\n  cap = 0.3 .. {} }\n' >"$WORK/bad3/allocation.lua"
spiral synthesis --quarter 2026-Q1 --territory-dir "$WORK/bad3"
expect_status syn-3.5 3
expect_err syn-3.6 "$WORK/bad3/allocation.lua:2: attempt to concatenate a table value"
printf 'return { ceiling = 3 }\n' >"$WORK/bad3/allocation.lua"
spiral synthesis --quarter 2026-Q1 --territory-dir "$WORK/bad3"
expect_status syn-3.7 3
expect_err syn-3.8 "allocation: unknown parameter 'ceiling'"
expect_same syn-3.9 "$before"


# -- 5. a territory pack's routing ----------------------------------------------------------
# A workspace whose territory is mulhouse, without routing.lua: the extra
# rules of scripts/territories/mulhouse/pack.lua (housing also to the
# family group) apply, found by the territory code or by --territory-dir.
SPIRAL_DB="$WORK/mul.db"; SPIRAL_KEY="$WORK/mul.key"; export SPIRAL_DB SPIRAL_KEY
spiral init --territory mulhouse --name Mulhouse
spiral import indicators "$W/indicators.csv"
spiral import forms "$W/forms.csv"
spiral import responses "$F/responses.csv" --form adults
expect_status pack-1.0 0
spiral groups route
expect_status pack-1.1 0
expect_eq pack-1.2 "$(sql "SELECT count(*) FROM routing r JOIN coordination_group g ON g.id = r.group_id WHERE g.code = 'family' AND r.rule = 'kind=housing'")" 2
spiral groups route --territory-dir "$SRCDIR/scripts/territories/mulhouse"
expect_status pack-1.3 0
expect_err pack-1.4 "44 routing(s) to 12 group(s)"

finish
