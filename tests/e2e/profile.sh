#!/bin/sh
# tests/e2e/profile.sh -- `spiral profile`: one respondent's levels per
# indicator and per family, and weighted group profiles with disclosure
# control.  Worked by hand from tests/fixtures/workflow/responses.csv
# (food A01 5 levels, bad <= 2; housing A03 4 levels, bad <= 1; friends D01
# 5 levels, bad <= 2):
#   Briand  P1 w1 1,2,4  P2 w1 2,1,5  P3 w2 3,3,3  P4 w1 4,4,-
#           P5 w1 5,2,2  P6 w2 3,-,4
#   Coteaux P7 w1 1,1,1  P8 w1 2,2,2   (2 respondents: withheld)
# Medians are HAVERAGE (sp_agg.h): tc = (W + 1) / 2, y the largest level
# with cumulative weight cc <= tc, then y + g (y1 - y), g = tc - cc (>= 1
# gives y1).
. "$SRCDIR/tests/e2e/lib.sh"
F="$FIXTURES/workflow"

spiral init --territory mulhouse --name Mulhouse
spiral import indicators "$F/indicators.csv"
spiral import forms "$F/forms.csv"
spiral import responses --form adults "$F/responses.csv"
expect_status prof-1.1 0
before=$(db_fingerprint)

spiral profile --group-by neighbourhood --no-suppress --format csv
expect_status prof-2.1 0
# food: weights L1 1, L2 1, L3 2+2, L4 1, L5 1 (W 8): 12.5 12.5 50 12.5 12.5;
#   bad 2/8 = 25 %; tc 4.5, cc(L2) = 2, g = 2.5 >= 1: median 3.
# friends: L2 1, L3 2, L4 1+2, L5 1 (W 7, P4 missing): 0 14.3 28.6 42.9 14.3;
#   bad 1/7 = 14.3 %; tc 4, cc(L3) = 3, g = 1: median 4.
# housing: L1 1, L2 1+1, L3 2, L4 1 (W 6, P6 missing): 16.7 33.3 33.3 16.7;
#   bad (<= 1) 1/6 = 16.7 %; tc 3.5, cc(L2) = 3, g = 0.5: median 2.5.
expect_eq prof-2.2 "$(sed -n '1,4p' "$WORK/out")" "neighbourhood,indicator,resp.,n,%1,%2,%3,%4,%5,median,% bad
Briand,food,6,6,12.5,12.5,50.0,12.5,12.5,3,25.0
Briand,friends,6,5,0.0,14.3,28.6,42.9,14.3,4,14.3
Briand,housing,6,5,16.7,33.3,33.3,16.7,,2.5,16.7"
# Published (K = 5): Coteaux is withheld whole, its size too (<5);
# Briand's groups have 6 respondents, but every level holds 1 or 2 answers
# and 1 or 2 are bad, so the distributions and % bad are withheld too (the
# total and the other shares would give them back); the medians stay.
spiral profile --group-by neighbourhood --format csv
expect_eq prof-2.2b "$(cat "$WORK/out")" "neighbourhood,indicator,resp.,n,%1,%2,%3,%4,%5,median,% bad
Briand,food,6,6,x,x,x,x,x,3,x
Briand,friends,6,5,x,x,x,x,x,4,x
Briand,housing,6,5,x,x,x,x,x,2.5,x
Coteaux,food,<5,<5,x,x,x,x,x,x,x
Coteaux,friends,<5,<5,x,x,x,x,x,x,x
Coteaux,housing,<5,<5,x,x,x,x,x,x,x"
spiral profile --group-by neighbourhood --format json
expect_out prof-2.3 '"suppressed": true'
expect_out prof-2.4 '"median": 2.5'
# Without suppression Coteaux food is 1 and 2 (50 % each; tc 1.5, g 0.5:
# median 1.5; bad 100 %), and the output says it is not for publication.
spiral profile --group-by neighbourhood --no-suppress --format csv
expect_eq prof-2.5 "$(grep '^Coteaux,food' "$WORK/out")" "Coteaux,food,2,2,50.0,50.0,0.0,0.0,0.0,1.5,100.0"
spiral profile --group-by neighbourhood --no-suppress
expect_out prof-2.6 "NOT FOR PUBLICATION"
# Everyone together (W 10 for food: L1 2, L2 2, L3 4, L4 1, L5 1): bad 40 %.
spiral profile --no-suppress --format csv
expect_eq prof-2.7 "$(grep '^food' "$WORK/out")" "food,8,8,20.0,20.0,40.0,10.0,10.0,3,40.0"
# With K = 3: 8 answers, levels of 2, 2, 2, 1, 1 answers: distribution
# withheld; 4 bad and 4 not: % bad shown.
spiral profile --min-cell 3 --format csv
expect_eq prof-2.7b "$(grep '^food' "$WORK/out")" "food,8,8,x,x,x,x,x,3,40.0"
# A lower threshold shows Coteaux too: with K = 2 its w1 housing (levels 1
# and 2, one answer each; one bad) keeps only its median.
spiral profile --group-by neighbourhood,wave --min-cell 2 --format csv
expect_eq prof-2.8 "$(grep '^Coteaux,w1,housing' "$WORK/out")" "Coteaux,w1,housing,2,2,x,x,x,x,x,1.5,x"
spiral profile --group-by neighbourhood,wave --no-suppress --format csv
expect_eq prof-2.8b "$(grep '^Coteaux,w1,housing' "$WORK/out")" "Coteaux,w1,housing,2,2,50.0,50.0,0.0,0.0,,1.5,50.0"

# Families: the lower median of each respondent's answered indicators.
# A (food, housing): P1 (1,2) -> 1, P2 (2,1) -> 1, P3 (3,3) -> 3, P4 (4,4)
# -> 4, P5 (5,2) -> 2, P6 (3) -> 3.  Weights L1 2, L2 1, L3 4, L4 1 (W 8):
# 25 12.5 50 12.5 0; bad at <= min(2, 1) = 1: 25 %; tc 4.5, cc(L2) = 3,
# g = 1.5: median 3.  D is friends alone (as above).
spiral profile --group-by neighbourhood --family --no-suppress --format csv
expect_status prof-3.1 0
expect_eq prof-3.2 "$(sed -n '1,3p' "$WORK/out")" "neighbourhood,family,resp.,n,%1,%2,%3,%4,%5,median,% bad
Briand,A,6,6,25.0,12.5,50.0,12.5,0.0,3,25.0
Briand,D,6,5,0.0,14.3,28.6,42.9,14.3,4,14.3"

# One respondent: P5 (food 5, housing 2 -- not bad, bad is <= 1 --,
# friends 2, bad); family A = lower median of (5, 2) = 2, D = 2 (bad).
id=$(sql "SELECT id FROM respondent ORDER BY id LIMIT 1 OFFSET 4")
spiral profile --respondent "$id" --format json
expect_status prof-4.1 0
expect_out prof-4.2 '"level_fr": "idéale"'
spiral profile --respondent "$id" --format csv
expect_eq prof-4.3 "$(cat "$WORK/out")" "item,indicator,label,level,wording,bad
q1,food,Bien se nourrir,5/5,idéale,
q2,housing,Être bien logé,2/4,mauvais,
q3,friends,Avoir des amis,2/5,mauvaise,bad or worse
family A,,lower median of 2 answered,2,,
family D,,lower median of 1 answered,2,,bad or worse"
spiral profile --respondent "$id" --lang en --format csv
expect_eq prof-4.4 "$(sed -n 2p "$WORK/out")" "q1,food,Eating well,5/5,ideal,"

# Refusals.
spiral profile --respondent 999
expect_status prof-5.1 64
expect_err prof-5.2 "no respondent 999"
spiral profile --group-by age
expect_status prof-5.3 64
expect_err prof-5.4 "--group-by: 'age' is not neighbourhood, form or wave"
spiral profile --respondent 1 --group-by form
expect_status prof-5.5 64
spiral profile --group-by form,form
expect_status prof-5.6 64
spiral profile --min-cell 0
expect_status prof-5.7 64
expect_same prof-5.8 "$before"

finish
