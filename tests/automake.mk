# tests/automake.mk -- unit tests (cmocka), end-to-end tests of the program.
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	SPIRAL=$(abs_top_builddir)/core/spiral; export SPIRAL; \
	SRCDIR=$(abs_top_srcdir); export SRCDIR; \
	BUILDDIR=$(abs_top_builddir); export BUILDDIR;
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
E2E_TESTS = tests/e2e/import.sh
TESTS += $(E2E_TESTS)
EXTRA_DIST += $(E2E_TESTS) tests/e2e/lib.sh \
	tests/fixtures/import/README.md tests/fixtures/import/indicators.csv \
	tests/fixtures/import/forms.csv tests/fixtures/import/responses.csv
