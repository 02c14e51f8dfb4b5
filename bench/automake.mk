# bench/automake.mk -- see Makefile.am
noinst_PROGRAMS += bench/gen_survey
bench_gen_survey_SOURCES = bench/gen_survey.c bench/sp_rng.h
EXTRA_DIST += bench/README.md bench/RESULTS.md bench/package.json \
	bench/peers/duckdb_j.mjs bench/peers/pandas_j.py bench/peers/sqlite_j.sh
EXTRA_DIST += bench/run_import.sh bench/defs/indicators.csv bench/defs/forms.csv
# Engine benchmark (crosstab, aggregate): the memory-read baseline and the driver.
noinst_PROGRAMS += bench/memread
bench_memread_SOURCES = bench/memread.c
bench_memread_CFLAGS = $(AM_CFLAGS) -pthread
bench_memread_LDFLAGS = -pthread
EXTRA_DIST += bench/run_scan.sh
EXTRA_DIST += bench/run_evaluate.sh
