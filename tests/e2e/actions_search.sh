#!/bin/sh
# tests/e2e/actions_search.sh -- `spiral actions search` (FTS5 with bm25,
# accents and case ignored, user text quoted before MATCH, filters by
# theme, territory, component prefix and problematique) and `spiral actions
# networks`.  Expected actions are read by hand off
# tests/fixtures/workflow/actions.csv:
#   SOL   "Énergie solidaire", Mulhouse, themes énergie|solidarité, B02|E01,
#         actors habitants|bailleurs, problematique ressources-1
#   JARD  "Jardins partagés", Mulhouse, alimentation|quartier, A01-02|B00,
#         habitants|centre social, vie-4
#   ECOLE "École co-responsable", Strasbourg ("consommation d'energie", no
#         accent), éducation|énergie, A05|B02, élèves|enseignants,
#         vie-1|ressources-1
. "$SRCDIR/tests/e2e/lib.sh"
F="$FIXTURES/workflow"

spiral init --territory mulhouse --name Mulhouse
spiral import actions "$F/actions.csv"
expect_status act-1.1 0
before=$(db_fingerprint)

codes() { cut -d, -f1 "$WORK/out" | sed 1d | sort | tr '\n' ' '; }

# "energie" finds "Énergie"/"l'énergie" (SOL) and "energie" (ECOLE); so does "ÉNERGIE".
spiral actions search energie --format csv
expect_status act-2.1 0
expect_eq act-2.2 "$(codes)" "ECOLE SOL "
spiral actions search ÉNERGIE --format csv
expect_eq act-2.3 "$(codes)" "ECOLE SOL "
# Every word is required: "energie lycee" only in ECOLE ("lycée" folds to "lycee").
spiral actions search energie lycee --format csv
expect_eq act-2.4 "$(codes)" "ECOLE "
# A tag is indexed too: "potager" is JARD's keyword.
spiral actions search POTAGER --format csv
expect_eq act-2.5 "$(codes)" "JARD "
spiral actions search energie --format json
expect_out act-2.6 '"match": "\"energie\""'
expect_out act-2.7 '"bm25": -'

# Filters, alone and combined.
spiral actions search energie --territory STRASBOURG --format csv
expect_eq act-3.1 "$(codes)" "ECOLE "
spiral actions search --theme Energie --format csv
expect_eq act-3.2 "$(codes)" "ECOLE SOL "
spiral actions search --theme solidarite --format csv
expect_eq act-3.3 "$(codes)" "SOL "
# --component is a prefix: B finds B02 and B00 (all three), B02 two, A01 finds A01-02.
spiral actions search --component B --format csv
expect_eq act-3.4 "$(codes)" "ECOLE JARD SOL "
spiral actions search --component B02 --format csv
expect_eq act-3.5 "$(codes)" "ECOLE SOL "
spiral actions search --component A01 --format csv
expect_eq act-3.6 "$(codes)" "JARD "
spiral actions search --problematique ressources-1 --territory Strasbourg --format csv
expect_eq act-3.7 "$(codes)" "ECOLE "
spiral actions search ensemble --theme quartier --component B00 --territory Mulhouse --format csv
expect_eq act-3.8 "$(codes)" "JARD "
spiral actions search energie --theme alimentation --format csv
expect_eq act-3.9 "$(codes)" ""
expect_status act-3.10 0
# The territory code names the workspace's own actions (all three belong to it).
spiral actions search --territory mulhouse --format csv
expect_eq act-3.11 "$(codes)" "ECOLE JARD SOL "

# FTS5 syntax typed by a user is searched as text, never parsed.
spiral actions search 'energie OR potager' --format csv
expect_status act-4.1 0
expect_eq act-4.2 "$(codes)" ""
spiral actions search '"' --format csv
expect_status act-4.3 0
spiral actions search 'NEAR(energie' 'col:x' '*' --format csv
expect_status act-4.4 0
spiral actions search --component A1
expect_status act-4.5 64
expect_err act-4.6 "--component: 'A1' is not a component code"
expect_same act-4.7 "$before"

# Networks: per theme, the actions, their actors and towns.
spiral actions networks --theme énergie --format csv
expect_status net-1.1 0
expect_eq net-1.2 "$(cat "$WORK/out")" 'theme,actions,actors (actions),towns (actions)
énergie,"ECOLE, SOL","bailleurs (1), enseignants (1), habitants (1), élèves (1)","Mulhouse (1), Strasbourg (1)"'
# habitants carries two actions (SOL, JARD) in four themes: a bridge.
spiral actions networks
expect_out net-1.3 "bridge: habitants carries actions in alimentation, quartier, solidarité, énergie"
expect_eq net-1.4 "$(grep -c '^bridge' "$WORK/out")" 1
spiral actions networks --format json
expect_eq net-1.5 "$(grep -c '"theme":' "$WORK/out")" 5
spiral actions networks energie
expect_status net-1.6 64
expect_same net-1.7 "$before"

finish
