#!/bin/sh
# tests/e2e/meter.sh -- `spiral meter`: one household (French and English),
# batches over a CSV file and over the workspace, refusals.
#
# Every expected number is worked out by hand from the factors of
# scripts/lib/meter.lua (the arithmetic is in the comments); the quartiles
# of the batch are R 4.2.2's `quantile(rep(x, w), type = 6)`, which equals
# the HAVERAGE rule of sp_agg.h for whole weights.
#   meter-1..8    one household of 1: a diesel car only
#   meter-9..14   a household of 4: person items and household items apart
#   meter-15..19  a batch over a small CSV: weighted mean, quartiles, share
#                 above the limit; a neighbourhood of 2 households withheld,
#                 and a second one with it (secondary: first of a tie)
#   meter-20..23  the workspace batch equals the CSV batch; --household
#   meter-24..31  refusals: unknown question, bad value (file:line:column),
#                 bad household size, no mode, unknown household
#   meter-32..34  Mulhouse's meter: its questionnaire's names, workspace =
#                 file on the bundled 2,000 households
#   meter-35      a pack's meter factors (wallonie_exemple)
. "$SRCDIR/tests/e2e/lib.sh"

ZERO="meat_meals_week=0,vegetarian_meals_week=0,surface_m2=0,clothes_items_year=0,electronics_year=0,services_eur_month=0"

# ---- one household of 1, a diesel car, nothing else -------------------------
# car: 10000 km x 5.5 L/100 km = 550 L; x 3.16 kg/L = 1738 kg CO2e;
#      x 10.0 kWh/L = 5500 kWh, all fossil; share min(1, 1) / 1 = 1.
# tap water: 1 x 150 L x 365 / 1000 x 0.10 = 5.475 m3.
# total CO2e = 1738 + 1500 (collective) = 3238; / 2000 = 1.619 -> "1.6 times".
# savings: electric 10000 x 17 / 100 = 1700 kWh x 0.052 = 88.4 kg, saves
# 1649.6 -> "1650"; half the km saves 869; one more aboard (share 1/2)
# saves 869 (ties ordered by question name: car_km_year first).
spiral meter --answers "household_size=1,car_km_year=10000,car_fuel=diesel,car_passengers=1,$ZERO"
expect_status "meter-1 one household" 0
expect_out "meter-2 the car first, in kg CO2e" "  Car                    1738 kg CO2e"
expect_out "meter-3 the collective share apart" "  Collective share       1500 kg CO2e (public services, out of your reach)"
expect_out "meter-4 times your share" "greenhouse gases: 1.6 times your share (3238 kg CO2e for a limit of 2000)"
expect_out "meter-5 fossil energy against a zero limit" "fossil energy: 5500 kWh for a limit of zero (non-renewable resource)"
first=$(sed -n '/^What you could save:/{n;p;}' "$WORK/out")
expect_eq "meter-6 the largest saving first" "$first" "  Switch to an electric car: 1650 kg CO2e less"
n=$(grep -c "869 kg CO2e less" "$WORK/out")
expect_eq "meter-7 two savings of 869 kg" "$n" 2
# water: 5.475 per person = per household (one person) -> "5.5"
expect_out "meter-8 person and household columns" "  fresh water                5.5           5.5  m3"

# ---- a household of 4: 2 h of flight each, 100 m2 heated with gas ----------------
# heating: 100 m2 x 110 kWh/m2 = 11000 kWh x 0.227 = 2497 kg for the household,
#          2497 / 4 = 624.25 per person.
# flights: 2 h x 150 kg = 300 kg per person, x 4 = 1200 for the household.
# person: 624.25 + 300 = 924.25 -> "924"; household: 2497 + 1200 = 3697.
# total: 924.25 + 1500 = 2424.25 -> 1.212 -> "1.2 times", "2424 kg".
spiral meter --answers "flight_hours_year=2,heating=gas,car_km_year=0,meat_meals_week=0,vegetarian_meals_week=0,surface_m2=100,clothes_items_year=0,electronics_year=0,services_eur_month=0" --household-size 4
expect_status "meter-9 a household of 4" 0
expect_out "meter-10 household items divided by 4" "  Home heating           624 kg CO2e"
expect_out "meter-11 person items as they are" "  Flights                300 kg CO2e"
expect_out "meter-12 person and household totals" "  greenhouse gases           924          3697  kg CO2e"
expect_out "meter-13 the wording says how" "Counted for the whole household, divided by 4 for one person: Car, Home heating, Tap water."
spiral meter --lang fr --household-size 4 --answers "flight_hours_year=2,heating=gas,car_km_year=0,meat_meals_week=0,vegetarian_meals_week=0,surface_m2=100,clothes_items_year=0,electronics_year=0,services_eur_month=0"
if grep -qF "gaz à effet de serre : 1,2 fois votre part (2424 kg CO2e pour une limite de 2000)" "$WORK/out" &&
   grep -qF "Part collective, à part : 1500 kg CO2e par personne" "$WORK/out" &&
   grep -qF "Comptés pour tout le foyer, divisés par 4 pour une personne" "$WORK/out"; then
    ok "meter-14 the same in French"
else
    fail "meter-14" "French wording: $(head -c 400 "$WORK/out")"
fi

# ---- a batch over a CSV file ------------------------------------------------------
# Only flights differ: one person's total = 150 h + 1500 kg.
# Nord (size, h): (1,0) (2,2) (1,4) (3,10) (1,20) -> totals 1500 1800 2100 3000 4500,
#   weights 1 2 1 3 1 (8 persons): mean 20700 / 8 = 2587.5;
#   quartiles rep(c(1500,1800,2100,3000,4500), c(1,2,1,3,1)), type 6: 1800 2550 3000;
#   above 2000: 1 + 3 + 1 = 5 of 8 = 0.625;
#   household mean: 150 x h x size = 0, 600, 600, 4500, 3000 -> 8700 / 5 = 1740.
# Sud: 2 households, withheld (primary).
# Est: 5 households of 1 without flights.  Sud alone withheld would be (all)
#   minus Nord and Est, so the shown neighbourhood with the fewest households
#   is withheld with it: Est and Nord tie at 5, Est comes first.
# (all): 5 + 2 + 5 = 12 households, 8 + 4 + 5 = 17 persons.
# (Est is last in the file so that the line numbers of meter-29 and
# meter-31 stay.)
Q="meat_meals_week,vegetarian_meals_week,surface_m2,clothes_items_year,electronics_year,services_eur_month"
{
    echo "household,neighbourhood,household_size,flight_hours_year,$Q"
    echo "N1,Nord,1,0,0,0,0,0,0,0"
    echo "N2,Nord,2,2,0,0,0,0,0,0"
    echo "N3,Nord,1,4,0,0,0,0,0,0"
    echo "N4,Nord,3,10,0,0,0,0,0,0"
    echo "N5,Nord,1,20,0,0,0,0,0,0"
    echo "S1,Sud,2,0,0,0,0,0,0,0"
    echo "S2,Sud,2,6,0,0,0,0,0,0"
    for i in 1 2 3 4 5; do echo "E$i,Est,1,0,0,0,0,0,0,0"; done
} >"$WORK/small.csv"
spiral meter "$WORK/small.csv" --format csv
expect_status "meter-15 a batch over a CSV file" 0
cp "$WORK/out" "$WORK/file.csv"
expect_out "meter-16 weighted mean, quartiles, share above, household mean" \
    "Nord,co2e,kg CO2e,5,8,2587.5,1800,2550,3000,2000,0.625,1740"
expect_out "meter-17 a neighbourhood of 2 households is withheld" "Sud,co2e,kg CO2e,x,x,x,x,x,x,2000,x,x"
expect_out "meter-17b ... and the first of the two smallest others with it" \
    "Est,co2e,kg CO2e,x,x,x,x,x,x,2000,x,x"
expect_out "meter-17c the note lists both, each with its reason" \
    "withheld, fewer than 5 households: Sud; withheld so that a small group cannot be worked out from (all): Est"
expect_out "meter-18 everyone" "(all),co2e,kg CO2e,12,17,"
spiral meter "$WORK/small.csv" --format json
n1=$(grep -oF '"note": "suppressed: fewer than 5 households"' "$WORK/out" | wc -l)
n2=$(grep -oF '"note": "withheld so that a small group cannot be worked out from (all)"' "$WORK/out" | wc -l)
# 5 resources x 8 withheld numbers (all but the limit) per group
expect_eq "meter-18b each withheld number says why (JSON)" "$n1 $n2" "40 40"
spiral meter "$WORK/small.csv" --format json --no-suppress
if grep -q '"not_for_publication": true' "$WORK/out" && ! grep -q '"mark": "x"' "$WORK/out"; then
    ok "meter-19 --no-suppress shows all, marked not for publication"
else
    fail "meter-19" "$(head -c 300 "$WORK/out")"
fi

# ---- the same households in the workspace ---------------------------------------------
spiral init --territory t --name T
spiral --quiet import meter "$WORK/small.csv"
expect_status "meter-20 the CSV imports" 0
spiral meter --all --format csv
if cmp -s "$WORK/out" "$WORK/file.csv"; then
    ok "meter-21 the workspace batch equals the CSV batch"
else
    fail "meter-21" "$(diff "$WORK/out" "$WORK/file.csv" | head -5)"
fi
spiral meter --household N4
expect_status "meter-22 one household of the workspace" 0
# 10 h x 150 = 1500 kg per person, x 3 = 4500 for the household
if grep -qF "N4 (Nord)" "$WORK/out" && grep -qF "  greenhouse gases          1500          4500  kg CO2e" "$WORK/out"; then
    ok "meter-23 found through the workspace key, its size from the workspace"
else
    fail "meter-23" "$(head -c 400 "$WORK/out")"
fi

# ---- refusals ---------------------------------------------------------------------------
spiral meter --answers "car_km=8000"
expect_status "meter-24 an unknown question" 64
expect_err "meter-25 ... is named" "unknown question 'car_km'; the meter 'default' asks: household_size,car_km_year"
spiral meter --answers "heating=coal"
expect_status "meter-26 a bad value" 64
expect_err "meter-27 ... says what is allowed" "heating: 'coal' is not one of gas, oil, electric"
sed 's/^N3,Nord,1,4,/N3,Nord,1,abc,/' "$WORK/small.csv" >"$WORK/bad.csv"
spiral meter "$WORK/bad.csv"
expect_status "meter-28 a bad value in a CSV file" 65
expect_err "meter-29 ... at file:line:column" "bad.csv:4:4: flight_hours_year: 'abc' is not a number"
sed '1s/flight_hours_year/flights/' "$WORK/small.csv" >"$WORK/bad.csv"
spiral meter "$WORK/bad.csv"
expect_err "meter-30 an unknown question column at line 1" "bad.csv:1:4: unknown question 'flights'"
sed 's/^S1,Sud,2,/S1,Sud,0,/' "$WORK/small.csv" >"$WORK/bad.csv"
spiral meter "$WORK/bad.csv"
expect_err "meter-31 a bad household size" "bad.csv:7:3: household_size: '0' is not a whole number from 1 to 100"
spiral meter
expect_status "meter-31b no mode is a usage error" 64
spiral meter --household NOBODY
expect_status "meter-31c an unknown household" 65

# ---- Mulhouse's meter on the bundled data ------------------------------------------------
DATA="$SRCDIR/datasets/mulhouse/data/meter.csv"
spiral meter --territory mulhouse "$DATA" --format csv
expect_status "meter-32 the 2,000 households under Mulhouse's meter" 0
cp "$WORK/out" "$WORK/mulhouse.csv"
expect_out "meter-32b every household counted" "(all),co2e,kg CO2e,2000,"
export SPIRAL_DB="$WORK/m.db" SPIRAL_KEY="$WORK/m.key"
spiral init --territory mulhouse --name Mulhouse
spiral --quiet import meter "$DATA"
spiral meter --all --format csv
if cmp -s "$WORK/out" "$WORK/mulhouse.csv"; then
    ok "meter-33 the workspace's territory chooses its meter; workspace = file"
else
    fail "meter-33" "$(diff "$WORK/out" "$WORK/mulhouse.csv" | head -5)"
fi
# car: 100 km a week x 52 = 5200 km x 6.5 L/100 km = 338 L x 2.70 = 912.6 kg,
# share min(1, 1.4) / 1.4 -> 651.857... -> "652"
spiral meter --territory-dir "$SRCDIR/scripts/territories/mulhouse" \
    --answers "car_km_per_week=100,household_size=1"
expect_out "meter-34 --territory-dir uses the pack's meter.lua" "  Car                    652 kg CO2e"
# A pack without meter.lua but with meter.factors: electric car, 10000 km x
# 17 kWh/100 km = 1700 kWh x 0.16 kg/kWh (wallonie_exemple's mix; the
# default 0.052 would give 88.4) = 272 kg.
spiral meter --territory wallonie_exemple --answers "car_fuel=electric,car_km_year=10000,car_passengers=1,household_size=1"
expect_out "meter-35 a pack's meter factors replace the defaults" "  Car                    272 kg CO2e"
finish
