#!/bin/sh
# tests/e2e/import_ledger.sh -- `spiral import accounts` and `spiral import
# ledger`: double-entry transfers that sum to zero, quarters, floors and
# ceilings checked against the running balance (earlier rows of the same file
# included), and every refusal leaving the workspace as it was.  Expected
# balances are worked out by hand from tests/fixtures/import/accounts.csv and
# ledger.csv:
#   time:  m-bob -2 +1 = -1; m-anne +2 -1.5 -0.5 = 0; asso-zoo +1.5 -1 = 0.5;
#          territoire +0.5;  fund: fonds -50, m-anne +50;  goods: dons -12,
#          recyclerie +12.
. "$SRCDIR/tests/e2e/lib.sh"
F="$FIXTURES/import"

spiral init --territory mulhouse --name Mulhouse --country FR
expect_status led-1.1 0

# -- good files ---------------------------------------------------------------------
spiral import accounts "$F/accounts.csv"
expect_status led-2.1 0
expect_eq led-2.2 "$(sql "SELECT ledger || '|' || code || '|' || kind || '|' || min_balance || '|' || quote(max_balance) FROM ledger_account ORDER BY id")" \
"time|m-anne|member|0.0|NULL
time|m-bob|member|-2.0|NULL
time|asso-zoo|organisation|0.0|20.0
time|territoire|territory|0.0|NULL
time|banque|territory|-1000.0|NULL
fund|fonds|territory|-100000.0|NULL
fund|m-anne|member|0.0|NULL
goods|recyclerie|place|0.0|NULL
goods|dons|territory|-1000.0|NULL"
spiral import ledger "$F/ledger.csv"
expect_status led-2.3 0
expect_err led-2.4 "imported 6 row(s) as ledger"
expect_eq led-2.5 "$(sql "SELECT ledger || '|' || occurred_on || '|' || quarter || '|' || category || '|' || memo FROM ledger_transfer ORDER BY id")" \
"time|2013-01-15|2013-Q1|jardinage|Aide au jardin
time|2013-02-01|2013-Q1|animation|
time|2013-04-02|2013-Q2|projet territorial|
fund|2013-03-31|2013-Q1||Don de la ville
goods|2013-07-01|2013-Q3|meubles|
time|2013-10-05|2013-Q4|animation|Retour"
expect_eq led-2.6 "$(sql 'SELECT count(*) FROM ledger_movement')" 12
expect_eq led-2.7 "$(sql 'SELECT count(*) FROM (SELECT transfer_id FROM ledger_movement GROUP BY transfer_id HAVING sum(amount) <> 0 OR count(*) <> 2)')" 0
expect_eq led-2.8 "$(sql "SELECT a.ledger || ':' || a.code || '=' || sum(m.amount) FROM ledger_account a JOIN ledger_movement m ON m.account_id = a.id GROUP BY a.id ORDER BY a.id")" \
"time:m-anne=0.0
time:m-bob=-1.0
time:asso-zoo=0.5
time:territoire=0.5
fund:fonds=-50.0
fund:m-anne=50.0
goods:recyclerie=12.0
goods:dons=-12.0"

# -- refusals --------------------------------------------------------------------------
before=$(db_fingerprint)
bad() {   # bad ID KIND MESSAGE FILE
    spiral import "$2" "$4"
    expect_status "$1" 65
    expect_err "$1.msg" "$3"
    expect_same "$1.db" "$before"
}
T='ledger,date,from,to,amount\n'
printf "${T}time,2013-11-01,banque,m-anne,0\n" >"$WORK/t1.csv"
bad led-3.1 ledger "$WORK/t1.csv:2:5: amount: '0' is not valid: amount must be positive" "$WORK/t1.csv"
printf "${T}time,2013-11-01,banque,m-anne,-3\n" >"$WORK/t2.csv"
bad led-3.2 ledger "$WORK/t2.csv:2:5: amount: '-3' is not valid: amount must be positive" "$WORK/t2.csv"
printf "${T}time,2013-11-01,m-zed,m-anne,1\n" >"$WORK/t3.csv"
bad led-3.3 ledger "$WORK/t3.csv:2:3: from: unknown account 'm-zed' in the time ledger" "$WORK/t3.csv"
printf "${T}fund,2013-11-01,fonds,m-bob,1\n" >"$WORK/t4.csv"
bad led-3.4 ledger "$WORK/t4.csv:2:4: to: unknown account 'm-bob' in the fund ledger" "$WORK/t4.csv"
printf "${T}time,2013-11-01,m-anne,m-anne,1\n" >"$WORK/t5.csv"
bad led-3.5 ledger "$WORK/t5.csv:2:4: to: a transfer from account 'm-anne' to itself" "$WORK/t5.csv"
printf "${T}time,2013-11-01,m-anne,m-bob,3\n" >"$WORK/t6.csv"
bad led-3.6 ledger "$WORK/t6.csv:2:3: from: overdraft: account m-anne would reach -3 h, its limit is 0" "$WORK/t6.csv"
# m-bob is at -1 with a floor of -2: the first hour passes, the second would not.
printf "${T}time,2013-11-01,m-bob,m-anne,1\ntime,2013-11-02,m-bob,m-anne,1\n" >"$WORK/t7.csv"
bad led-3.7 ledger "$WORK/t7.csv:3:3: from: overdraft: account m-bob would reach -3 h, its limit is -2" "$WORK/t7.csv"
printf "${T}time,2013-11-01,banque,asso-zoo,25\n" >"$WORK/t8.csv"
bad led-3.8 ledger "$WORK/t8.csv:2:4: to: account asso-zoo would reach 25.5 h, above its maximum of 20" "$WORK/t8.csv"
printf "${T}fund,2013-11-01,m-anne,fonds,60\n" >"$WORK/t9.csv"
bad led-3.9 ledger "$WORK/t9.csv:2:3: from: overdraft: account m-anne would reach -10 EUR, its limit is 0" "$WORK/t9.csv"
printf "${T}money,2013-11-01,fonds,m-anne,1\n" >"$WORK/t10.csv"
bad led-3.10 ledger "$WORK/t10.csv:2:1: ledger: 'money' is not valid: expected one of: time, fund, goods" "$WORK/t10.csv"
printf "${T}time,2013-11-31x,banque,m-anne,1\n" >"$WORK/t11.csv"
bad led-3.11 ledger "$WORK/t11.csv:2:2: date: '2013-11-31x' is not valid: expected a date written YYYY-MM-DD" "$WORK/t11.csv"
A='ledger,code,kind,min_balance\n'
printf "${A}time,m-carl,member,\ntime,m-anne,member,\n" >"$WORK/a1.csv"
bad led-3.12 accounts "$WORK/a1.csv:3:2: code: the time ledger already has an account 'm-anne'" "$WORK/a1.csv"
printf "${A}time,m-carl,member,5\n" >"$WORK/a2.csv"
bad led-3.13 accounts "$WORK/a2.csv:2:4: min_balance: '5' is not valid: expected a number <= 0" "$WORK/a2.csv"
printf "${A}time,m-carl,robot,\n" >"$WORK/a3.csv"
bad led-3.14 accounts "$WORK/a3.csv:2:3: kind: 'robot' is not valid: expected one of: member, organisation, project, place, territory" "$WORK/a3.csv"

# A back-dated transfer is checked on its own date: before any credit,
# m-anne (floor 0) had nothing to give, whatever she holds today.
printf "${T}time,2000-01-01,m-anne,m-bob,1\n" >"$WORK/t12.csv"
bad led-3.15 ledger "$WORK/t12.csv:2:3: from: overdraft: account m-anne would reach -1 h" "$WORK/t12.csv"

# A floor reached exactly is allowed; French headers and a decimal comma.
printf 'registre;date;de;vers;montant;categorie\ntemps;2013-11-03;m-bob;m-anne;1,0;courses\n' >"$WORK/fr.csv"
spiral import ledger "$WORK/fr.csv"
expect_status led-4.1 0
expect_eq led-4.2 "$(sql "SELECT sum(m.amount) FROM ledger_movement m JOIN ledger_account a ON a.id = m.account_id WHERE a.ledger = 'time' AND a.code = 'm-bob'")" -2.0

finish
