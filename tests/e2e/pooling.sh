#!/bin/sh
# tests/e2e/pooling.sh -- `spiral ledger`, `limits`, `dashboard`, `pact`,
# `partnership` and `import partnership` on small fixtures whose numbers
# were worked out by hand (tests/fixtures/pooling/README.md; the ledger's
# balances in tests/e2e/import_ledger.sh): outputs, refusals with their
# messages and an unchanged workspace, and `ledger check` on a corrupted copy.
. "$SRCDIR/tests/e2e/lib.sh"
I="$FIXTURES/import"
F="$FIXTURES/pooling"

spiral init --territory ville --name Ville --country FR --population 1000
expect_status pool-1.1 0

# -- ledgers ---------------------------------------------------------------------
spiral import accounts "$I/accounts.csv"
spiral import ledger "$I/ledger.csv"
expect_status pool-2.1 0
spiral ledger check
expect_status pool-2.2 0
expect_out pool-2.3 "ledger check: 6 transfer(s), 12 movement(s), 9 account(s): the books balance"
spiral ledger balances --ledger time
expect_status pool-2.4 0
expect_out pool-2.5 "m-bob                member               -1.00   limits [-2, none]"
expect_out pool-2.6 "asso-zoo             organisation          0.50   limits [0, 20]"
spiral ledger balances --format json
expect_eq pool-2.7 "$(grep -c '"balance"' "$WORK/out")" 9
expect_out pool-2.8 '"goods": 0.0'
# On 2013-02-01: m-bob -2, m-anne 2 - 1.5 = 0.5.
spiral ledger balances --ledger time --date 2013-02-01
expect_out pool-2.9 "m-anne               member                0.50"
spiral ledger statement --ledger time --quarter 2013-Q1
expect_status pool-2.10 0
expect_out pool-2.11 "time ledger, 2013-Q1 (h): 2 transfer(s), volume 3.5"
expect_out pool-2.12 "  m-anne                     0.00       2.00       1.50       0.50"
spiral ledger statement --ledger goods --format json
expect_out pool-2.13 '"quarter": "2013-Q3"'
expect_out pool-2.14 '"category": "meubles"'
spiral ledger statement --quarter 2013Q1
expect_status pool-2.15 64

# Refusals: message, status 65, nothing written.
before=$(db_fingerprint)
refuse() {   # refuse ID MESSAGE ARGS...
    id=$1; msg=$2; shift 2
    spiral ledger transfer "$@"
    expect_status "$id" 65
    expect_err "$id.msg" "$msg"
    expect_same "$id.db" "$before"
}
refuse pool-3.1 "from: unknown account 'm-zed' in the time ledger" \
    --ledger time --date 2013-11-01 --from m-zed --to m-anne --amount 1
refuse pool-3.2 "amount: '0' is not valid: amount must be positive" \
    --ledger time --date 2013-11-01 --from banque --to m-anne --amount 0
refuse pool-3.3 "amount: '-2' is not valid: amount must be positive" \
    --ledger time --date 2013-11-01 --from banque --to m-anne --amount -2
refuse pool-3.4 "overdraft: account m-bob would reach -3 h, its limit is -2" \
    --ledger time --date 2013-11-01 --from m-bob --to m-anne --amount 2
# m-anne held 0.5 on 2013-03-01, but gave 0.5 on 2013-04-02: -0.5 then.
refuse pool-3.5 "overdraft: account m-anne would reach -0.5 h on 2013-04-02, its limit is 0" \
    --ledger time --date 2013-03-01 --from m-anne --to m-bob --amount 0.5
refuse pool-3.6 "account asso-zoo would reach 20.5 h, above its maximum of 20" \
    --ledger time --date 2013-11-01 --from banque --to asso-zoo --amount 20
spiral ledger transfer --ledger time --date 2013-11-01 --from banque --to m-anne --amount 2
expect_status pool-3.7 0
expect_eq pool-3.8 "$(sql "SELECT count(*) || ' ' || sum(amount) FROM ledger_movement WHERE transfer_id = 7")" "2 0.0"
spiral ledger check
expect_status pool-3.9 0

# A corrupted copy: transfer 2 gives 1.5 but asso-zoo receives 2.
sqlite3 "$SPIRAL_DB" ".backup '$WORK/bad.db'"
sqlite3 "$WORK/bad.db" "UPDATE ledger_movement SET amount = 2 WHERE transfer_id = 2 AND amount > 0"
spiral --db "$WORK/bad.db" ledger check
expect_status pool-4.1 65
expect_out pool-4.2 "transfer 2: movements sum to 0.5, not 0"
expect_err pool-4.3 "the books do not balance: 1 problem(s)"
# ... and one where m-anne is overdrawn before she received anything.
sqlite3 "$SPIRAL_DB" ".backup '$WORK/bad2.db'"
sqlite3 "$WORK/bad2.db" "UPDATE ledger_transfer SET occurred_on = '2013-01-01' WHERE id = 2"
spiral --db "$WORK/bad2.db" ledger check --format json
expect_status pool-4.4 65
expect_out pool-4.5 '"ok": false'
expect_out pool-4.6 "transfer 2 (2013-01-01): account 'm-anne' reaches -1.5 h, below its floor of 0"

# -- limits and dashboard -----------------------------------------------------------
spiral import resources "$F/resources.csv"
spiral import limits "$F/limits.csv"
spiral import usage "$F/usage.csv"
expect_status pool-5.1 0
sql "UPDATE neighbourhood SET population = 400 WHERE name = 'Nord'"
spiral limits
expect_status pool-5.2 0
expect_out pool-5.3 "co2e       person               2 t             2050            2           2000  SNBC (test)"
expect_out pool-5.4 "co2e       renewable, 1.5 t per person, 1500 t for the territory (territory limit"
expect_out pool-5.5 "oil        non-renewable, 0 t per person, 0 t for the territory"
spiral limits --country-population 0
expect_status pool-5.6 64
spiral dashboard
expect_status pool-5.7 0
expect_out pool-5.8 "trend: -240 t per year (r2 0.993)"
expect_out pool-5.9 "meets the limit in 2027 at this pace"
expect_out pool-5.10 "never at this pace; OVERSHOOT GROWING"
spiral dashboard --neighbourhood Nord --format json
expect_status pool-5.11 0
expect_out pool-5.12 '"limit": 600.0'
expect_out pool-5.13 '"meets_in": 2025'
expect_eq pool-5.14 "$(grep -c '"resource"' "$WORK/out")" 1
spiral dashboard --neighbourhood Est
expect_status pool-5.15 65
expect_err pool-5.16 "unknown neighbourhood 'Est' in Ville"

# -- pact -------------------------------------------------------------------------
spiral import pact "$F/pact.csv"
spiral import invitations "$F/invitations.csv"
expect_status pool-6.1 0
spiral pact
expect_status pool-6.2 0
expect_out pool-6.3 "2026-Q3        4          8            8"
expect_out pool-6.4 "2026-Q4        0          8           16"
expect_out pool-6.5 "observed pace: 0.700 doublings per quarter"
expect_out pool-6.6 "covers the population in 2029-Q2 at this pace; the plan's target covers it in 2028-Q2"
expect_out pool-6.7 "depth 2, 1 invitation(s) since 2026-05-10, 2 quarter(s)"
expect_out pool-6.8 "Nord                               4   50.0%      1.00%"
expect_out pool-6.9 "  Lycée Schweitzer (2026-06-01)"
spiral pact --format json
expect_eq pool-6.10 "$(awk -F': ' '/"doublings_per_quarter"/ { x = $2 + 0; print (x > 0.7 - 1e-12 && x < 0.7 + 1e-12) ? "0.7" : x }' "$WORK/out")" 0.7
spiral pact --as-of 2026-13-01
expect_status pool-6.11 64

# -- partnerships ---------------------------------------------------------------------
spiral import partnership "$F/partnership.csv"
expect_status pool-7.1 0
expect_err pool-7.2 "imported 10 row(s) as partnership"
spiral partnership amap
expect_status pool-7.3 0
expect_out pool-7.4 "Partnership AMAP du Rebberg (amap)"
expect_out pool-7.5 "local_share                       0.8  at_least         0.9 ok     0.7 MISSED"
# the co2e limit is the territory's 1500 t / 1000 people: 0.0004 / 1.5.
expect_out pool-7.6 "share of one person's yearly limit (1.5): producers 0.02667%"
spiral partnership csa
expect_status pool-7.7 65
expect_err pool-7.8 "unknown partnership 'csa'"
before=$(db_fingerprint)
H='partnership,record,name,side,season,indicator,resource,value\n'
printf "${H}amap,observation,,producer,2026-summer,local_share,,1.5\n" >"$WORK/p1.csv"
spiral import partnership "$WORK/p1.csv"
expect_status pool-8.1 65
expect_err pool-8.2 "$WORK/p1.csv:2:8: value: '1.5' is not valid: a local share is between 0 and 1"
expect_same pool-8.3 "$before"
printf "${H}amap,target,,,,resource_per_unit,,1\n" >"$WORK/p2.csv"
spiral import partnership "$WORK/p2.csv"
expect_status pool-8.4 65
expect_err pool-8.5 "resource: the indicator resource_per_unit needs a resource code"
expect_same pool-8.6 "$before"
printf "${H}amap,observation,,producer,2026-spring,local_share,,0.5\n" >"$WORK/p3.csv"
spiral import partnership "$WORK/p3.csv"
expect_status pool-8.7 65
expect_err pool-8.8 "indicator: the producer side already reported local_share for season 2026-spring"
expect_same pool-8.9 "$before"
printf "${H}amap,member,,consumer,,,,\n" >"$WORK/p4.csv"
spiral import partnership "$WORK/p4.csv"
expect_status pool-8.10 65
expect_err pool-8.11 "name: a member record needs a name"
expect_same pool-8.12 "$before"

finish
