#!/bin/sh
# tests/e2e/forms.sh -- `spiral forms export`: the printable HTML page of a
# form (wordings, ladders as tick boxes, life project, nothing external,
# everything escaped) and the CSV template, proved to agree with the
# `responses` import by importing a filled copy.  Fixtures:
# tests/fixtures/workflow/{indicators,forms}.csv -- form "adults" has q1
# (food, 5 levels), q2 (housing, 4 levels), q3 (friends, 5 levels).
. "$SRCDIR/tests/e2e/lib.sh"
F="$FIXTURES/workflow"

spiral init --territory mulhouse --name Mulhouse
spiral import indicators "$F/indicators.csv"
spiral import forms "$F/forms.csv"
expect_status form-1.1 0

spiral forms export adults --html "$WORK/adults.html" --csv "$WORK/adults.csv"
expect_status form-2.1 0
expect_eq form-2.2 "$(cat "$WORK/adults.csv")" \
  "id,wave,neighbourhood,age_band,gender,social_category,weight,q1,q2,q3,needs,offers,comment"
H="$WORK/adults.html"
expect_eq form-2.3 "$(head -1 "$H")" "<!DOCTYPE html>"
expect_eq form-2.4 "$(grep -c '<title>Adultes</title>' "$H")" 1
# Tick boxes: 5 + 4 + 5 ladder levels, then 5 kinds of offer; no need or
# theme is recorded yet: 19.
expect_eq form-2.5 "$(grep -o 'class="box"' "$H" | wc -l | tr -d ' ')" 19
expect_eq form-2.6 "$(grep -c 'Ce que je mange' "$H")" 1
expect_eq form-2.7 "$(grep -c 'Mes amis &amp; voisins &lt;proches&gt;' "$H")" 1
expect_eq form-2.8 "$(grep -o 'très bon<' "$H" | wc -l | tr -d ' ')" 1
expect_eq form-2.9 "$(grep -c 'Projet de vie' "$H")" 1
expect_eq form-2.10 "$(grep -c '@media print' "$H")" 1
# Self-contained: no link, script, image or address of any kind.
expect_eq form-2.11 "$(grep -ciE 'http|<script|<link|<img|src=|url\(' "$H")" 0

spiral forms export adults --html "$WORK/en.html" --lang en
expect_eq form-2.12 "$(grep -c 'My friends &amp; neighbours' "$WORK/en.html")" 1
expect_eq form-2.13 "$(grep -c '<html lang="en">' "$WORK/en.html")" 1
expect_eq form-2.14 "$(grep -c 'Life project' "$WORK/en.html")" 1

# A filled copy of the template imports as it is.
cp "$WORK/adults.csv" "$WORK/filled.csv"
printf 'F1,w1,Briand,30-44,F,,1,3,2,4,job:employment,hours=2:ageing,Merci\nF2,w1,Coteaux,,,,2,,1,5,,,\n' >>"$WORK/filled.csv"
spiral import responses --form adults "$WORK/filled.csv"
expect_status form-3.1 0
expect_eq form-3.2 "$(sql "SELECT group_concat(hex(levels), ' ') FROM (SELECT levels FROM respondent ORDER BY id)")" "030204 000105"
expect_eq form-3.3 "$(sql "SELECT kind || ':' || theme FROM life_need")" "job:employment"
# Needs and themes recorded since then appear on the page: 19 + job +
# employment + ageing = 22 boxes.
spiral forms export adults --html "$WORK/adults2.html"
expect_eq form-3.4 "$(grep -o 'class="box"' "$WORK/adults2.html" | wc -l | tr -d ' ')" 22

# Refusals.
before=$(db_fingerprint)
spiral forms export kids --csv "$WORK/kids.csv"
expect_status form-4.1 64
expect_err form-4.2 "unknown form 'kids' (forms: adults)"
expect_eq form-4.3 "$(ls "$WORK" | grep -c kids)" 0
spiral forms export adults
expect_status form-4.4 64
expect_err form-4.5 "say what to write: --html FILE and/or --csv FILE"
spiral forms export adults --csv "$WORK/no/such/dir/x.csv"
expect_status form-4.6 73
expect_err form-4.7 "cannot create"
spiral forms export adults --csv "$WORK/x.csv" --lang de
expect_status form-4.8 64
spiral forms print adults
expect_status form-4.9 64
expect_same form-4.10 "$before"

finish
