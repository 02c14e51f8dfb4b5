# tests/automake.mk -- unit tests (cmocka), end-to-end tests of the program.
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	SPIRAL=$(abs_top_builddir)/core/spiral; export SPIRAL; \
	SRCDIR=$(abs_top_srcdir); export SRCDIR; \
	BUILDDIR=$(abs_top_builddir); export BUILDDIR; \
	BINDIR=$(bindir); LIBDIR=$(libdir); INCLUDEDIR=$(includedir); \
	PKGCONFIGDIR=$(pkgconfigdir); MANDIR=$(mandir); VERSION=$(VERSION); \
	PREFIX=$(prefix); export PREFIX BINDIR LIBDIR INCLUDEDIR PKGCONFIGDIR MANDIR VERSION;
SP_UNIT_FLAGS = $(AM_CFLAGS) -Wno-missing-prototypes
SP_UNIT_LIBS = core/libspiral.la $(CMOCKA_LIBS) $(SP_DEP_LIBS)
check_PROGRAMS += tests/unit/test_agg
TESTS += tests/unit/test_agg
tests_unit_test_agg_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_agg_LDADD = $(SP_UNIT_LIBS)
EXTRA_DIST += tests/fixtures/agg/PROVENANCE.md tests/fixtures/agg/make_inputs.R \
	tests/fixtures/agg/gen_sps.py tests/fixtures/agg/expected.R \
	tests/fixtures/agg/apistrat_input.csv tests/fixtures/agg/esoph_input.csv \
	tests/fixtures/agg/apistrat_w.sps tests/fixtures/agg/apistrat_wn.sps tests/fixtures/agg/esoph.sps \
	tests/fixtures/agg/apistrat_w_aggregate.csv tests/fixtures/agg/apistrat_wn_aggregate.csv \
	tests/fixtures/agg/esoph_aggregate.csv tests/fixtures/agg/apistrat_w_examine.csv \
	tests/fixtures/agg/apistrat_wn_examine.csv tests/fixtures/agg/esoph_examine.csv \
	tests/fixtures/agg/expected_apistrat_w.csv tests/fixtures/agg/expected_apistrat_wn.csv \
	tests/fixtures/agg/expected_esoph.csv

# End-to-end tests of the real program.
E2E_TESTS = tests/e2e/import.sh tests/e2e/import_big.sh tests/e2e/install.sh tests/e2e/cli.sh \
	tests/e2e/mulhouse.sh tests/e2e/crosstab_pspp.sh
TESTS += $(E2E_TESTS)
EXTRA_DIST += $(E2E_TESTS) tests/e2e/lib.sh tests/install/tiny.c \
	tests/fixtures/import/README.md tests/fixtures/import/indicators.csv \
	tests/fixtures/import/forms.csv tests/fixtures/import/responses.csv \
	tests/fixtures/pspp/README.md


check_PROGRAMS += tests/unit/test_store
TESTS += tests/unit/test_store
tests_unit_test_store_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_store_LDADD = $(SP_UNIT_LIBS)
check_PROGRAMS += tests/unit/test_sdc
TESTS += tests/unit/test_sdc
tests_unit_test_sdc_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_sdc_LDADD = $(SP_UNIT_LIBS)

check_PROGRAMS += tests/unit/test_stats tests/unit/test_xtab
TESTS += tests/unit/test_stats tests/unit/test_xtab
tests_unit_test_stats_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_stats_LDADD = $(SP_UNIT_LIBS)
tests_unit_test_xtab_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_xtab_LDADD = $(SP_UNIT_LIBS)
EXTRA_DIST += tests/fixtures/xtab/README.md tests/fixtures/xtab/make_r.R \
	tests/fixtures/xtab/make_stats.R tests/fixtures/xtab/make_pspp.sps \
	tests/fixtures/xtab/pspp_extract.py tests/fixtures/xtab/stats.ref \
	tests/fixtures/xtab/apistrat.sps.dat \
	tests/fixtures/xtab/ucb.cells tests/fixtures/xtab/ucb.r tests/fixtures/xtab/ucb.pspp tests/fixtures/xtab/ucb.sps.dat \
	tests/fixtures/xtab/haireye.cells tests/fixtures/xtab/haireye.r tests/fixtures/xtab/haireye.pspp tests/fixtures/xtab/haireye.sps.dat \
	tests/fixtures/xtab/haireye_sex.cells tests/fixtures/xtab/haireye_sex.r tests/fixtures/xtab/haireye_sex.pspp tests/fixtures/xtab/haireye_sex.sps.dat \
	tests/fixtures/xtab/titanic.cells tests/fixtures/xtab/titanic.r tests/fixtures/xtab/titanic.pspp tests/fixtures/xtab/titanic.sps.dat \
	tests/fixtures/xtab/api_stype_awards.cells tests/fixtures/xtab/api_stype_awards.r tests/fixtures/xtab/api_stype_awards.pspp tests/fixtures/xtab/api_stype_awards.sps.dat \
	tests/fixtures/xtab/api_awards_schwide.cells tests/fixtures/xtab/api_awards_schwide.r tests/fixtures/xtab/api_awards_schwide.pspp tests/fixtures/xtab/api_awards_schwide.sps.dat

# CSV reader and UTF-8 utilities (core/sp_csv.c, core/sp_text.c).  test_csv
# links the fuzz target to replay tests/fuzz/corpus.
check_PROGRAMS += tests/unit/test_csv tests/unit/test_text
TESTS += tests/unit/test_csv tests/unit/test_text
tests_unit_test_csv_SOURCES = tests/unit/test_csv.c tests/fuzz/fuzz_csv.c
tests_unit_test_csv_CPPFLAGS = $(AM_CPPFLAGS) -DSP_TEST_SRCDIR=\"$(abs_top_srcdir)\"
tests_unit_test_csv_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_csv_LDADD = $(SP_UNIT_LIBS)
tests_unit_test_text_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_text_LDADD = $(SP_UNIT_LIBS)
CSV_FIXTURES = tests/fixtures/csv/README \
	tests/fixtures/csv/comma.csv tests/fixtures/csv/semicolon.csv \
	tests/fixtures/csv/tab.csv tests/fixtures/csv/bom.csv \
	tests/fixtures/csv/cp1252.csv tests/fixtures/csv/latin1.csv \
	tests/fixtures/csv/bad_utf8.csv tests/fixtures/csv/crlf.csv \
	tests/fixtures/csv/quoted.csv tests/fixtures/csv/no_final_newline.csv \
	tests/fixtures/csv/empty.csv tests/fixtures/csv/unterminated.csv \
	tests/fixtures/csv/blank_lines.csv tests/fixtures/csv/stray_quote.csv
# Every corpus file is listed (no wildcards); add crash cases here too.
FUZZ_CORPUS = \
	tests/fuzz/corpus/seed-bad_utf8 tests/fuzz/corpus/seed-blank_lines \
	tests/fuzz/corpus/seed-bom tests/fuzz/corpus/seed-comma \
	tests/fuzz/corpus/seed-cp1252 tests/fuzz/corpus/seed-crlf \
	tests/fuzz/corpus/seed-empty tests/fuzz/corpus/seed-forced-utf8-semicolon \
	tests/fuzz/corpus/seed-latin1 tests/fuzz/corpus/seed-no_final_newline \
	tests/fuzz/corpus/seed-quoted tests/fuzz/corpus/seed-semicolon \
	tests/fuzz/corpus/seed-stray_quote tests/fuzz/corpus/seed-tab \
	tests/fuzz/corpus/seed-tab-cr tests/fuzz/corpus/seed-unterminated
EXTRA_DIST += $(CSV_FIXTURES) $(FUZZ_CORPUS) tests/fuzz/README.md

# `make fuzz`: libFuzzer over the CSV reader for FUZZ_SECONDS; see
# tests/fuzz/README.md.  New inputs go to tests/fuzz/work, crashes to
# tests/fuzz/crashes (in the build tree); the corpus in the source tree is
# only read.
FUZZ_SECONDS = 30
FUZZ_CC = clang
FUZZ_SRC = $(srcdir)/tests/fuzz/fuzz_csv.c $(srcdir)/core/sp_csv.c \
	$(srcdir)/core/sp_text.c $(srcdir)/core/sp_error.c
tests/fuzz/fuzz_csv: $(FUZZ_SRC) $(srcdir)/core/sp_csv.h $(srcdir)/core/sp_text.h
	$(MKDIR_P) tests/fuzz
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined \
	  -I$(top_builddir) -I$(srcdir)/core $(APR_CFLAGS) $(UTF8PROC_CFLAGS) \
	  $(FUZZ_SRC) -o $@ $(APR_LIBS) $(UTF8PROC_LIBS) $(CSV_LIBS) -lm
fuzz: tests/fuzz/fuzz_csv
	$(MKDIR_P) tests/fuzz/work tests/fuzz/crashes
	tests/fuzz/fuzz_csv -max_total_time=$(FUZZ_SECONDS) \
	  -artifact_prefix=tests/fuzz/crashes/ \
	  tests/fuzz/work $(srcdir)/tests/fuzz/corpus
.PHONY: fuzz
CLEANFILES += tests/fuzz/fuzz_csv
E2E_TESTS += tests/e2e/import_criteria.sh tests/e2e/import_actions.sh \
	tests/e2e/import_resources.sh tests/e2e/import_meter_pact.sh tests/e2e/import_ledger.sh
EXTRA_DIST += tests/fixtures/import/criteria.csv tests/fixtures/import/actions.csv \
	tests/fixtures/import/evaluations.csv tests/fixtures/import/resources.csv \
	tests/fixtures/import/limits.csv tests/fixtures/import/usage.csv \
	tests/fixtures/import/meter.csv tests/fixtures/import/pact.csv \
	tests/fixtures/import/invitations.csv tests/fixtures/import/accounts.csv \
	tests/fixtures/import/ledger.csv

# The Lua engine and its sandbox: hostile scripts must be stopped, the
# well-behaved ones must run (test_engine finds them under $SRCDIR).
check_PROGRAMS += tests/unit/test_engine
TESTS += tests/unit/test_engine
tests_unit_test_engine_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_engine_LDADD = $(SP_UNIT_LIBS)
ENGINE_LUA_TESTS = \
	tests/lua/hostile/c_stack_metamethod.lua \
	tests/lua/hostile/c_stack_pattern.lua \
	tests/lua/hostile/collectgarbage_stop.lua \
	tests/lua/hostile/coroutine_loop.lua \
	tests/lua/hostile/debug_sethook.lua \
	tests/lua/hostile/deep_recursion.lua tests/lua/hostile/error_table.lua \
	tests/lua/hostile/gc_finalizer.lua tests/lua/hostile/infinite_loop.lua \
	tests/lua/hostile/io_open.lua tests/lua/hostile/leak_globals.lua \
	tests/lua/hostile/load_bytecode.lua \
	tests/lua/hostile/load_bytecode_reader.lua \
	tests/lua/hostile/loop_in_pcall.lua tests/lua/hostile/memory_pcall.lua \
	tests/lua/hostile/memory_string.lua tests/lua/hostile/memory_table.lua \
	tests/lua/hostile/os_execute.lua tests/lua/hostile/outside_module.lua \
	tests/lua/hostile/pcall_catch_continue.lua \
	tests/lua/hostile/require_outside.lua \
	tests/lua/hostile/require_traversal.lua \
	tests/lua/hostile/string_dump.lua tests/lua/hostile/syntax_error.lua \
	tests/lua/hostile/tamper_getmetatable.lua \
	tests/lua/hostile/tamper_limits.lua \
	tests/lua/hostile/tamper_module_field.lua \
	tests/lua/hostile/tamper_next.lua tests/lua/hostile/tamper_pairs.lua \
	tests/lua/hostile/tamper_rawset.lua \
	tests/lua/hostile/tamper_setmetatable.lua \
	tests/lua/hostile/tamper_string_index.lua \
	tests/lua/hostile/tamper_string_metatable.lua \
	tests/lua/hostile/tamper_string_rawset.lua \
	tests/lua/hostile/xpcall_swallow.lua tests/lua/ok/args.lua \
	tests/lua/ok/busy_wait.lua tests/lua/ok/check_pristine.lua \
	tests/lua/ok/everyday.lua tests/lua/ok/greet_lib.lua \
	tests/lua/ok/limits.lua tests/lua/ok/require_module.lua \
	tests/lua/ok/sandbox_surface.lua
EXTRA_DIST += $(ENGINE_LUA_TESTS)

# Scans, crosstab and aggregate (core/sp_scan.c, core/sp_colstore.c,
# core/cmd_crosstab.c, core/cmd_aggregate.c).  xtab_check compares the
# JSON with the R/PSPP references of tests/fixtures/xtab and agg.
check_PROGRAMS += tests/unit/test_scan tests/e2e/xtab_check
TESTS += tests/unit/test_scan tests/e2e/crosstab.sh tests/e2e/aggregate.sh
tests_unit_test_scan_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_scan_LDADD = $(SP_UNIT_LIBS)
tests_e2e_xtab_check_SOURCES = tests/e2e/xtab_check.c
tests_e2e_xtab_check_LDADD = $(JANSSON_LIBS) -lm
EXTRA_DIST += tests/e2e/crosstab.sh tests/e2e/aggregate.sh
# The bundled synthetic Mulhouse dataset (datasets/mulhouse): regenerated
# byte for byte, imported by its main job, checked.
E2E_TESTS += tests/e2e/dataset.sh

# Plugins: the loader against the test modules of tests/plugins/ (built as
# libtool modules, never installed), result tables, and the xlsx plugin end
# to end (tests/e2e/xlsx.sh drives tests/e2e/xlsx_driver).
check_LTLIBRARIES = tests/plugins/good.la tests/plugins/old_abi.la \
	tests/plugins/new_abi.la tests/plugins/nosym.la tests/plugins/bad_open.la
SP_TEST_MODULE_LDFLAGS = -module -avoid-version -rpath /nowhere $(AM_LDFLAGS)
tests_plugins_good_la_SOURCES = tests/plugins/good.c
tests_plugins_good_la_LDFLAGS = $(SP_TEST_MODULE_LDFLAGS)
tests_plugins_old_abi_la_SOURCES = tests/plugins/old_abi.c
tests_plugins_old_abi_la_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_ABI=0 -DTEST_NAME=\"old_abi\"
tests_plugins_old_abi_la_LDFLAGS = $(SP_TEST_MODULE_LDFLAGS)
tests_plugins_new_abi_la_SOURCES = tests/plugins/old_abi.c
tests_plugins_new_abi_la_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_ABI=2 -DTEST_NAME=\"new_abi\"
tests_plugins_new_abi_la_LDFLAGS = $(SP_TEST_MODULE_LDFLAGS)
tests_plugins_nosym_la_SOURCES = tests/plugins/nosym.c
tests_plugins_nosym_la_LDFLAGS = $(SP_TEST_MODULE_LDFLAGS)
tests_plugins_bad_open_la_SOURCES = tests/plugins/bad_open.c
tests_plugins_bad_open_la_LDFLAGS = $(SP_TEST_MODULE_LDFLAGS)
check_PROGRAMS += tests/unit/test_plugin tests/unit/test_table tests/e2e/xlsx_driver
TESTS += tests/unit/test_plugin tests/unit/test_table
tests_unit_test_plugin_CPPFLAGS = $(AM_CPPFLAGS) \
	-DSP_TEST_PLUGINDIR=\"$(abs_top_builddir)/tests/plugins/.libs\"
tests_unit_test_plugin_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_plugin_LDADD = $(SP_UNIT_LIBS)
tests_unit_test_table_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_table_LDADD = $(SP_UNIT_LIBS)
tests_e2e_xlsx_driver_CFLAGS = $(SP_UNIT_FLAGS)
tests_e2e_xlsx_driver_LDADD = core/libspiral.la $(SP_DEP_LIBS)
E2E_TESTS += tests/e2e/xlsx.sh

# The Lua port of Nos Gestes Climat against the published model's numbers
# (tests/fixtures/ngc, made by tools/ngc/generate.mjs); runs under lua5.4.
E2E_TESTS += tests/e2e/ngc.sh
EXTRA_DIST += tests/lua/ngc_test.lua tests/fixtures/ngc/README.md \
	tests/fixtures/ngc/expected.json tests/fixtures/ngc/expected.lua \
	tools/ngc/package.json tools/ngc/package-lock.json tools/ngc/.npmrc \
	tools/ngc/generate.mjs

# Pooling and resources (core/sp_ledger.c, sp_resource.c, sp_pact.c,
# sp_partnership.c): hand-computed fixtures in the tests, and the commands
# end to end (tests/e2e/pooling.sh).
check_PROGRAMS += tests/unit/test_ledger tests/unit/test_resource tests/unit/test_pact
TESTS += tests/unit/test_ledger tests/unit/test_resource tests/unit/test_pact tests/e2e/pooling.sh
tests_unit_test_ledger_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_ledger_LDADD = $(SP_UNIT_LIBS)
tests_unit_test_resource_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_resource_LDADD = $(SP_UNIT_LIBS)
tests_unit_test_pact_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_pact_LDADD = $(SP_UNIT_LIBS)
EXTRA_DIST += tests/e2e/pooling.sh tests/fixtures/pooling/README.md \
	tests/fixtures/pooling/resources.csv tests/fixtures/pooling/limits.csv \
	tests/fixtures/pooling/usage.csv tests/fixtures/pooling/pact.csv \
	tests/fixtures/pooling/invitations.csv tests/fixtures/pooling/partnership.csv

# The standard Lua scripts and the territory packs (scripts/): Lua tests
# under the standalone lua5.4, then `spiral check` on every pack.
E2E_TESTS += tests/e2e/scripts.sh
EXTRA_DIST += tests/lua/scripts/harness.lua tests/lua/scripts/mock_spiral.lua \
	tests/lua/scripts/test_structure.lua tests/lua/scripts/test_meter.lua \
	tests/lua/scripts/test_grid.lua tests/lua/scripts/test_territories.lua
# The spiral Lua module: the authorizer of spiral.data.query (cmocka), and
# the documented examples of docs/lua-api.md plus run/check/lua end to end.
check_PROGRAMS += tests/unit/test_lua_data
TESTS += tests/unit/test_lua_data
tests_unit_test_lua_data_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_lua_data_LDADD = $(SP_UNIT_LIBS)
E2E_TESTS += tests/e2e/lua_api.sh
EXTRA_DIST += docs/lua-api.md bench/run_composite.sh
# Batch co-evaluation and the territorial project (core/sp_eval.c,
# core/sp_project.c, core/cmd_evaluate.c, core/cmd_project.c).
check_PROGRAMS += tests/unit/test_eval
TESTS += tests/unit/test_eval
tests_unit_test_eval_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_eval_LDADD = $(SP_UNIT_LIBS)
E2E_TESTS += tests/e2e/evaluate.sh
EXTRA_DIST += tests/fixtures/evaluate/README.md tests/fixtures/evaluate/actions.csv \
	tests/fixtures/evaluate/evaluations.csv tests/fixtures/evaluate/actions-q2.csv \
	tests/fixtures/evaluate/terr/lib/grid.lua tests/fixtures/evaluate/terr/lib/guidelines.lua \
	tests/fixtures/evaluate/nogrid/lib/grid.lua
# The SPIRAL workflow (core/sp_criteria.c, sp_actions.c, sp_forms.c,
# sp_profile.c, sp_import_taxonomy.c): roll-up and mapping (cmocka), then
# criteria, action search, forms and profiles end to end.
check_PROGRAMS += tests/unit/test_criteria tests/unit/test_profile
TESTS += tests/unit/test_criteria tests/unit/test_profile
tests_unit_test_criteria_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_criteria_LDADD = $(SP_UNIT_LIBS)
tests_unit_test_profile_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_profile_LDADD = $(SP_UNIT_LIBS)
E2E_TESTS += tests/e2e/criteria.sh tests/e2e/actions_search.sh tests/e2e/forms.sh \
	tests/e2e/profile.sh
EXTRA_DIST += tests/fixtures/workflow/README.md tests/fixtures/workflow/taxonomy.csv \
	tests/fixtures/workflow/taxonomy-map.csv tests/fixtures/workflow/criteria.csv \
	tests/fixtures/workflow/actions.csv tests/fixtures/workflow/indicators.csv \
	tests/fixtures/workflow/forms.csv tests/fixtures/workflow/responses.csv

# The facilitator's report: SVG charts (unit), the same numbers in HTML,
# JSON, CSV and xlsx (report.sh), and the page as Chromium shows it
# (report_browser.sh, skipped without chromium and node).
check_PROGRAMS += tests/unit/test_svg
TESTS += tests/unit/test_svg
tests_unit_test_svg_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_svg_LDADD = $(SP_UNIT_LIBS)
E2E_TESTS += tests/e2e/report.sh tests/e2e/report_browser.sh
EXTRA_DIST += tests/e2e/mulhouse_ws.sh tests/browser/check_report.mjs docs/report-screenshot.png

# ./configure --enable-valgrind: unit tests and the program under memcheck.
if USE_VALGRIND
LOG_COMPILER = $(LIBTOOL) --mode=execute valgrind -q --error-exitcode=99 \
	--leak-check=full --errors-for-leak-kinds=definite
AM_TESTS_ENVIRONMENT += SPIRAL_VALGRIND=1; export SPIRAL_VALGRIND;
endif
# The consumption meter's C side: weighted quantiles, answers, the
# distribution table (unit); the command end to end (tests/e2e/meter.sh).
check_PROGRAMS += tests/unit/test_meter
TESTS += tests/unit/test_meter
tests_unit_test_meter_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_meter_LDADD = $(SP_UNIT_LIBS)
E2E_TESTS += tests/e2e/meter.sh

# The coordination groups' workflow: coding suggestions, routing of life
# projects, matching, the quarterly synthesis (routing.sh runs the pure Lua
# parts of tests/lua/test_routing.lua under lua5.4 when it is installed).
E2E_TESTS += tests/e2e/routing.sh
EXTRA_DIST += tests/lua/test_routing.lua tests/fixtures/routing/criteria.csv \
	tests/fixtures/routing/responses.csv tests/fixtures/routing/accounts.csv \
	tests/fixtures/routing/ledger.csv
# The JSON <-> Lua conversion of the workspace functions (core/lua/sp_lua_json.c).
check_PROGRAMS += tests/unit/test_lua_json
TESTS += tests/unit/test_lua_json
tests_unit_test_lua_json_CFLAGS = $(SP_UNIT_FLAGS)
tests_unit_test_lua_json_LDADD = $(SP_UNIT_LIBS)

# Screenshots of the report taken by tests/e2e/report_browser.sh.
CLEANFILES += tests/report-screenshot.png tests/report-screenshot-en.png \
	tests/report-screenshot-fr.png

# Helpers shared by the unit tests.
EXTRA_DIST += tests/unit/sp_test.h
