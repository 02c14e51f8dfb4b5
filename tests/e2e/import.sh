#!/bin/sh
# tests/e2e/import.sh -- `spiral import`: good files, every kind of bad file,
# all-or-nothing, pseudonymisation, the import ledger, kill -9 mid-import.
. "$SRCDIR/tests/e2e/lib.sh"
F="$FIXTURES/import"
cp "$F/responses.csv" "$WORK/responses.csv"

spiral init --territory mulhouse --name Mulhouse --country FR --population 110000
expect_status imp-1.1 0
key_mode=$(stat -c %a "$SPIRAL_KEY")
expect_eq imp-1.2 "$key_mode" 600
expect_eq imp-1.3 "$(sql 'PRAGMA journal_mode')" wal
spiral import indicators "$F/indicators.csv"
expect_status imp-1.4 0
spiral import forms "$F/forms.csv"
expect_status imp-1.5 0

# -- a good file ---------------------------------------------------------
spiral import responses --form adults "$WORK/responses.csv"
expect_status imp-2.1 0
expect_err imp-2.2 "imported 4 row(s) as responses"
expect_eq imp-2.3 "$(sql 'SELECT count(*) FROM respondent')" 4
expect_eq imp-2.4 "$(sql 'SELECT count(DISTINCT length(pseudonym)) || length(pseudonym) FROM respondent')" 132
expect_eq imp-2.5 "$(sql "SELECT hex(levels) FROM respondent r JOIN neighbourhood n ON n.id = r.neighbourhood_id WHERE n.name = 'Wolf-Wagner'")" 010004
expect_eq imp-2.6 "$(sql 'SELECT weight = 0.8734567123456789 FROM respondent ORDER BY id LIMIT 1 OFFSET 1')" 1
if grep -qa "R0001\|R0002" "$SPIRAL_DB" "$SPIRAL_DB-wal" 2>/dev/null; then
    fail imp-2.7 "a raw identifier is stored in the workspace"
else ok "imp-2.7 no raw identifier in the workspace"; fi
expect_eq imp-2.8 "$(sql 'SELECT count(*) FROM life_need')/$(sql 'SELECT count(*) FROM life_offer')" 3/3
expect_eq imp-2.9 "$(sql "SELECT text FROM free_text")" "Un quartier où l'on se parle, enfin"
expect_eq imp-2.10 "$(sql "SELECT group_concat(name, ',') FROM (SELECT name FROM neighbourhood ORDER BY name)")" "Coteaux,Drouot-Barbanègre,Wolf-Wagner"

# -- the same content twice is refused -----------------------------------
before=$(db_fingerprint)
spiral import responses --form adults "$WORK/responses.csv"
expect_status imp-3.1 65
expect_err imp-3.2 "already imported as responses"
expect_same imp-3.3 "$before"

# -- bad files: message, status, nothing changed -------------------------
bad() {   # bad ID EXPECTED_STATUS MESSAGE FILE [ARGS]
    id=$1 code=$2 msg=$3 file=$4
    shift 4
    spiral import responses --form adults "$@" "$file"
    expect_status "$id" "$code"
    expect_err "$id.msg" "$msg"
    expect_same "$id.db" "$before"
}
printf 'id,wave,q01,q02,q03\nB1,2026,1,2,3\nB2,2026,4,7,1\n' >"$WORK/level.csv"
bad imp-4.1 65 "$WORK/level.csv:3:4: q02: '7' is not valid: expected a level from 1 to 5" "$WORK/level.csv"
printf 'id,wave,weight,q01\nB1,2026,heavy,1\n' >"$WORK/weight.csv"
bad imp-4.2 65 "$WORK/weight.csv:2:3: weight: 'heavy' is not valid" "$WORK/weight.csv"
printf 'id,wave,q01,q02\nB1,2026,1,2\nB2,2026,1\n' >"$WORK/ragged.csv"
bad imp-4.3 65 "$WORK/ragged.csv:3:3: row has 3 fields but the header has 4" "$WORK/ragged.csv"
printf 'id,wave,q01\nB1,2026,1\nB2,"2026,1\nB3,2026,2\n' >"$WORK/quote.csv"
bad imp-4.4 65 "$WORK/quote.csv:3" "$WORK/quote.csv"
expect_err imp-4.4.what "quote"
: >"$WORK/empty.csv"
bad imp-4.5 65 "$WORK/empty.csv: file is empty" "$WORK/empty.csv"
printf 'id,wave,q01\n' >"$WORK/header.csv"
bad imp-4.6 65 "$WORK/header.csv:2: the file has a header but no data rows" "$WORK/header.csv"
bad imp-4.7 66 "$WORK/missing.csv: cannot open" "$WORK/missing.csv"
printf 'id,wave,neighbourhood,q01\nB1,2026,Dornach,1\nB2,2026,Bourtzwiller\377,2\n' >"$WORK/utf8.csv"
bad imp-4.8 65 "$WORK/utf8.csv:3:3: invalid UTF-8" "$WORK/utf8.csv" --encoding utf-8
printf 'id,wave,q01,q99\nB1,2026,1,2\n' >"$WORK/unknown.csv"
bad imp-4.9 65 "$WORK/unknown.csv:1:4: column 'q99' is not an item of form 'adults'" "$WORK/unknown.csv"
printf 'id,wave,q01\nB1,2026,1\nB1,2026,2\n' >"$WORK/twice.csv"
bad imp-4.10 65 "$WORK/twice.csv:3:1: id: respondent 'B1' appears twice in wave '2026'" "$WORK/twice.csv"
printf 'wave,q01\n2026,1\n' >"$WORK/noid.csv"
bad imp-4.11 65 "missing column 'id'" "$WORK/noid.csv"
printf 'id,wave,q01\n,2026,1\n' >"$WORK/emptyid.csv"
bad imp-4.12 65 "$WORK/emptyid.csv:2:1: id: a value is required" "$WORK/emptyid.csv"
spiral import responses "$WORK/level.csv"
expect_status imp-4.13 64
expect_err imp-4.13.msg "name the form with --form"
spiral import nonsense "$WORK/level.csv"
expect_status imp-4.14 64
expect_err imp-4.14.msg "unknown kind 'nonsense'"

# -- what real users send --------------------------------------------------
# Windows-1252 with ';' and a decimal comma; è is 0xE8, the euro sign 0x80.
printf 'id;wave;neighbourhood;weight;q01;comment\r\nW1;2026;Drouot-Barban\350gre;1,5;2;co\373t 3 \200\r\nW2;2026;Wolf-Wagner;0,25;3;\r\n' >"$WORK/cp1252.csv"
spiral import responses --form adults "$WORK/cp1252.csv"
expect_status imp-5.1 0
expect_eq imp-5.2 "$(sql "SELECT count(*) FROM neighbourhood WHERE name = 'Drouot-Barbanègre'")" 1
expect_eq imp-5.3 "$(sql "SELECT sum(weight) FROM respondent r JOIN survey_wave w ON w.id = r.wave_id WHERE w.code = '2026'")" 1.75
expect_eq imp-5.4 "$(sql "SELECT text FROM free_text WHERE text LIKE 'coût%'")" "coût 3 €"
# UTF-8 with BOM, CRLF, quoted fields with delimiter, quote and newline, no final newline.
printf '\357\273\277id,wave,neighbourhood,q01,comment\r\nU1,2026b,Briand,4,"a, ""b""\r\nc"\r\nU2,2026b,Briand,5,fin' >"$WORK/bom.csv"
spiral import responses --form adults "$WORK/bom.csv"
expect_status imp-5.5 0
expect_eq imp-5.6 "$(sql "SELECT count(*) FROM respondent r JOIN survey_wave w ON w.id = r.wave_id WHERE w.code = '2026b'")" 2
expect_eq imp-5.7 "$(sql "SELECT replace(text, char(13), '') FROM free_text WHERE text LIKE 'a,%'")" "a, \"b\"
c"
# Tab-delimited Latin-1.
printf 'id\twave\tneighbourhood\tq01\nL1\t2026c\tFonderie\t1\nL2\t2026c\tR\351bberg\t2\n' >"$WORK/latin1.tsv"
spiral import responses --form adults "$WORK/latin1.tsv"
expect_status imp-5.8 0
expect_eq imp-5.9 "$(sql "SELECT count(*) FROM neighbourhood WHERE name = 'Rébberg'")" 1

# A 'form' column instead of --form (forms then vary by row).
printf 'id,wave,form,q01,q02\nF1,2028,adults,3,4\nF2,2028,adults,,5\n' >"$WORK/formcol.csv"
spiral import responses "$WORK/formcol.csv"
expect_status imp-5.10 0
expect_eq imp-5.11 "$(sql "SELECT count(*) FROM respondent r JOIN survey_wave w ON w.id = r.wave_id WHERE w.code = '2028'")" 2
printf 'id,wave,form,q01\nG1,2029,adults,3\nG2,2029,elders,1\n' >"$WORK/formbad.csv"
spiral import responses "$WORK/formbad.csv"
expect_status imp-5.12 65
expect_err imp-5.13 "$WORK/formbad.csv:3:3: form: unknown form 'elders'"

# -- --skip-bad -------------------------------------------------------------
printf 'id,wave,q01,q02\nS1,2027,1,2\nS2,2027,9,2\nS3,2027,1,2\nS4,2027,1\n' >"$WORK/skip.csv"
spiral import responses --form adults --skip-bad "$WORK/skip.csv"
expect_status imp-6.1 0
expect_err imp-6.2 "imported 2 row(s) as responses; 2 rejected, written to $WORK/skip.csv.rejects.csv"
expect_eq imp-6.3 "$(sed -n 1p "$WORK/skip.csv.rejects.csv" | tr -d '\r')" "line,column,reason,id,wave,q01,q02"
expect_eq imp-6.4 "$(sed -n 2p "$WORK/skip.csv.rejects.csv" | tr -d '\r')" "3,3,\"q01: '9' is not valid: expected a level from 1 to 5, or empty when not answered\",S2,2027,9,2"
expect_eq imp-6.5 "$(sed -n 3p "$WORK/skip.csv.rejects.csv" | cut -d, -f1-3)" "5,3,row has 3 fields but the header has 4"
expect_eq imp-6.6 "$(sql "SELECT rows_imported || '/' || rows_rejected FROM import_ledger ORDER BY id DESC LIMIT 1")" "2/2"

# -- any table, typed, and back out -------------------------------------------
printf 'commune;code_postal;population;part\nMulhouse;68100;108942;0,5\nRixheim;68170;;0,25\n"Saint-Louis; Haut-Rhin";68300;22000;1\n' >"$WORK/communes.csv"
spiral import table communes "$WORK/communes.csv"
expect_status imp-7.1 0
expect_eq imp-7.2 "$(sql "SELECT columns FROM user_table WHERE name = 'communes'")" '[{"name":"commune","type":"text"},{"name":"code_postal","type":"integer"},{"name":"population","type":"integer"},{"name":"part","type":"real"}]'
spiral export communes --format json
expect_status imp-7.3 0
expect_eq imp-7.4 "$(cat "$WORK/out")" '[
  {"commune":"Mulhouse","code_postal":68100,"population":108942,"part":0.5},
  {"commune":"Rixheim","code_postal":68170,"population":null,"part":0.25},
  {"commune":"Saint-Louis; Haut-Rhin","code_postal":68300,"population":22000,"part":1.0}
]'
spiral export communes --format csv --sep ';' --decimal ','
expect_eq imp-7.5 "$(tr -d '\r' <"$WORK/out")" 'commune;code_postal;population;part
Mulhouse;68100;108942;0,5
Rixheim;68170;;0,25
"Saint-Louis; Haut-Rhin";68300;22000;1'
printf 'code,n\n007,1\n010,2\n' >"$WORK/codes.csv"
spiral import table codes "$WORK/codes.csv"
expect_eq imp-7.6 "$(sql "SELECT json_extract(columns, '\$[0].type') FROM user_table WHERE name = 'codes'")" text
spiral import table codes2 --type n=real "$WORK/codes.csv"
expect_eq imp-7.7 "$(sql "SELECT typeof(n) FROM t_codes2 LIMIT 1")" real
before=$(db_fingerprint)
spiral import table codes3 --type code=integer --type n=text "$WORK/communes.csv"
expect_status imp-7.8 64
expect_err imp-7.8.msg "the file has no column 'code'"
printf 'a,b\n1,x\n2,y\n' >"$WORK/t.csv"
spiral import table tt --type a=integer --type b=integer "$WORK/t.csv"
expect_status imp-7.9 65
expect_err imp-7.9.msg "$WORK/t.csv:2:2: b: 'x' is not valid: expected an integer"
expect_same imp-7.10 "$before"
spiral export nothing
expect_status imp-7.11 65
expect_err imp-7.11.msg "no table 'nothing'"
spiral import table communes "$WORK/communes.csv"
expect_status imp-7.12 65
spiral import table communes --force "$WORK/communes.csv"
expect_status imp-7.13 0

finish
