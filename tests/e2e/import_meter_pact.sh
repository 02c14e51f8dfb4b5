#!/bin/sh
# tests/e2e/import_meter_pact.sh -- `spiral import meter`, `pact` and
# `invitations`: pseudonymised households and signatories, one column per
# meter question, invitation chains accepted from either side, and every
# refusal leaving the workspace as it was.  Expected rows are worked out by
# hand from tests/fixtures/import/meter.csv, pact.csv and invitations.csv;
# pseudonyms are checked against `openssl dgst -hmac` with the workspace key.
. "$SRCDIR/tests/e2e/lib.sh"
F="$FIXTURES/import"

spiral init --territory mulhouse --name Mulhouse --country FR
expect_status mp-1.1 0

# HMAC-SHA-256(key, domain || 0x00 || id) in hex, by an independent tool.
hmac() {
    printf '%s\0%s' "$1" "$2" |
    openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(od -An -tx1 -v "$SPIRAL_KEY" | tr -d ' \n')" |
    sed 's/.*= //' | tr a-f A-F
}

# -- meter: a good file ---------------------------------------------------------------
spiral import meter "$F/meter.csv"
expect_status mp-2.1 0
expect_err mp-2.2 "imported 3 row(s) as meter"
expect_eq mp-2.3 "$(sql "SELECT ifnull(n.name, '-') || '|' || h.household_size || '|' || quote(h.answered_on) || '|' || length(h.pseudonym) FROM meter_household h LEFT JOIN neighbourhood n ON n.id = h.neighbourhood_id ORDER BY h.id")" \
"Briand|3|'2013-02-01'|32
Coteaux|1|'2013-02-03'|32
-|2|NULL|32"
expect_eq mp-2.4 "$(sql "SELECT household_id || ':' || question || '=' || value FROM meter_answer ORDER BY household_id, question")" \
"1:car_km_per_week=120
1:heating=gas
1:meat_meals_per_week=5
2:heating=wood
2:meat_meals_per_week=0
3:car_km_per_week=40"
expect_eq mp-2.5 "$(sql "SELECT hex(pseudonym) FROM meter_household WHERE id = 2")" "$(hmac household H002)"
if grep -qa "H001\|H002" "$SPIRAL_DB" "$SPIRAL_DB-wal" 2>/dev/null; then
    fail mp-2.6 "a raw household id is stored in the workspace"
else ok "mp-2.6 no raw household id in the workspace"; fi

# -- meter: refusals -----------------------------------------------------------------------
before=$(db_fingerprint)
bad() {   # bad ID KIND MESSAGE FILE
    spiral import "$2" "$4"
    expect_status "$1" 65
    expect_err "$1.msg" "$3"
    expect_same "$1.db" "$before"
}
M='household,household_size,heating\n'
printf "${M}H9,2,gas\nH9,3,wood\n" >"$WORK/m1.csv"
bad mp-3.1 meter "$WORK/m1.csv:3:1: household: household 'H9' appears twice" "$WORK/m1.csv"
printf "${M}H001,2,gas\n" >"$WORK/m2.csv"
bad mp-3.2 meter "$WORK/m2.csv:2:1: household: household 'H001' appears twice" "$WORK/m2.csv"
printf "${M}H10,0,gas\n" >"$WORK/m3.csv"
bad mp-3.3 meter "$WORK/m3.csv:2:2: household_size: '0' is not valid: expected an integer from 1 to 100" "$WORK/m3.csv"
printf "${M}H10,,gas\n" >"$WORK/m4.csv"
bad mp-3.4 meter "$WORK/m4.csv:2:2: household_size: a value is required" "$WORK/m4.csv"
printf 'household,household_size\nH10,2\n' >"$WORK/m5.csv"
bad mp-3.5 meter "$WORK/m5.csv:1: no question column" "$WORK/m5.csv"
printf 'household,household_size,answered_on,heating\nH10,2,2013-02-30x,gas\n' >"$WORK/m6.csv"
bad mp-3.6 meter "$WORK/m6.csv:2:3: answered_on: '2013-02-30x' is not valid: expected a date written YYYY-MM-DD" "$WORK/m6.csv"

# -- pact: a good file ------------------------------------------------------------------------
spiral import pact "$F/pact.csv"
expect_status mp-4.1 0
expect_eq mp-4.2 "$(sql "SELECT s.id || '|' || s.kind || '|' || quote(s.display_name) || '|' || ifnull(n.name, '-') || '|' || s.signed_on || '|' || quote(s.invited_by) || '|' || s.document FROM pact_signatory s LEFT JOIN neighbourhood n ON n.id = s.neighbourhood_id ORDER BY s.id")" \
"1|organisation|'Ville de Mulhouse'|-|2013-01-10|NULL|pact
2|person|NULL|Briand|2013-01-12|1|pact
3|person|NULL|Coteaux|2013-02-01|2|charter
4|organisation|'Association Papa Mam'|Wolf-Wagner|2013-02-03|2|pact"
expect_eq mp-4.3 "$(sql "SELECT hex(pseudonym) FROM pact_signatory WHERE id = 3")" "$(hmac signatory S003)"
# The same id in another domain gives another pseudonym.
expect_eq mp-4.4 "$(sql "SELECT count(*) FROM pact_signatory s JOIN meter_household h ON h.pseudonym = s.pseudonym")" 0

# -- invitations, accepted from either side -------------------------------------------------------
spiral import invitations "$F/invitations.csv"
expect_status mp-5.1 0
expect_eq mp-5.2 "$(sql "SELECT inviter_id || '|' || invited_on || '|' || quote(accepted_by) FROM pact_invitation ORDER BY id")" \
"2|2013-01-20|3
2|2013-01-25|NULL
3|2013-02-15|NULL"
expect_eq mp-5.3 "$(sql "SELECT hex(invitee) FROM pact_invitation WHERE id = 2")" "$(hmac signatory S005)"
printf 'signatory,kind,signed_on,invited_by\nS005,person,2013-03-01,S002\n' >"$WORK/p5.csv"
spiral import pact "$WORK/p5.csv"
expect_status mp-5.4 0
expect_err mp-5.5 "1 invitation(s) now accepted"
expect_eq mp-5.6 "$(sql "SELECT quote(accepted_by) FROM pact_invitation WHERE id = 2")" 5

# -- pact and invitations: refusals ------------------------------------------------------------------
before=$(db_fingerprint)
P='signatory,kind,name,signed_on,invited_by\n'
printf "${P}S9,person,Jean Dupont,2013-03-01,\n" >"$WORK/p1.csv"
bad mp-6.1 pact "$WORK/p1.csv:2:3: name: signatory 'S9' is a person: persons stay pseudonymous" "$WORK/p1.csv"
printf "${P}S9,person,,2013-03-01,S99\n" >"$WORK/p2.csv"
bad mp-6.2 pact "$WORK/p2.csv:2:5: invited_by: inviter not (yet) a signatory: 'S99'" "$WORK/p2.csv"
printf "${P}S10,person,,2013-03-01,S11\nS11,person,,2013-03-01,S001\n" >"$WORK/p3.csv"
bad mp-6.3 pact "$WORK/p3.csv:2:5: invited_by: inviter not (yet) a signatory: 'S11'" "$WORK/p3.csv"
printf "${P}S12,person,,2013-03-01,\nS001,organisation,Ville,2013-03-01,\n" >"$WORK/p4.csv"
bad mp-6.4 pact "$WORK/p4.csv:3:1: signatory: 'S001' has already signed" "$WORK/p4.csv"
printf "${P}S12,person,,,\n" >"$WORK/p6.csv"
bad mp-6.5 pact "$WORK/p6.csv:2:4: signed_on: a value is required" "$WORK/p6.csv"
printf "${P}S12,robot,,2013-03-01,\n" >"$WORK/p7.csv"
bad mp-6.6 pact "$WORK/p7.csv:2:2: kind: 'robot' is not valid: expected one of: person, organisation" "$WORK/p7.csv"
I='inviter,invitee,invited_on\n'
printf "${I}S002,S20,2013-03-01\nS77,S21,2013-03-01\n" >"$WORK/i1.csv"
bad mp-6.7 invitations "$WORK/i1.csv:3:1: inviter: 'S77' is not a signatory" "$WORK/i1.csv"
printf "${I}S002,S002,2013-03-01\n" >"$WORK/i2.csv"
bad mp-6.8 invitations "$WORK/i2.csv:2:2: invitee: 'S002' cannot invite themselves" "$WORK/i2.csv"
printf "${I}S002,S20,\n" >"$WORK/i3.csv"
bad mp-6.9 invitations "$WORK/i3.csv:2:3: invited_on: a value is required" "$WORK/i3.csv"

# French headers; an organisation signs the charter.
printf 'signataire,type,nom,date_signature,invite_par,document\nS30,organisation,Zoo de Mulhouse,2013-04-01,S001,charte\n' >"$WORK/fr.csv"
spiral import pact "$WORK/fr.csv"
expect_status mp-7.1 0
expect_eq mp-7.2 "$(sql "SELECT display_name || '|' || document || '|' || invited_by FROM pact_signatory WHERE id = 6")" "Zoo de Mulhouse|charter|1"

finish
