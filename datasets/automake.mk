# datasets/automake.mk -- see Makefile.am
# The bundled synthetic Mulhouse dataset: its generator (built, not
# installed), the committed CSVs it writes (installed under pkgdatadir and
# checked byte for byte by tests/e2e/dataset.sh), its README and main job.
noinst_PROGRAMS += datasets/mulhouse/generate
datasets_mulhouse_generate_SOURCES = datasets/mulhouse/generate.c bench/sp_rng.h
datasets_mulhouse_generate_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/bench
nobase_dist_pkgdata_DATA += \
	datasets/mulhouse/data/taxonomy.csv \
	datasets/mulhouse/data/indicators.csv \
	datasets/mulhouse/data/forms.csv \
	datasets/mulhouse/data/responses-children.csv \
	datasets/mulhouse/data/responses-adolescents.csv \
	datasets/mulhouse/data/responses-adults.csv \
	datasets/mulhouse/data/responses-mental_health.csv \
	datasets/mulhouse/data/criteria.csv \
	datasets/mulhouse/data/actions.csv \
	datasets/mulhouse/data/evaluations.csv \
	datasets/mulhouse/data/resources.csv \
	datasets/mulhouse/data/limits.csv \
	datasets/mulhouse/data/usage.csv \
	datasets/mulhouse/data/meter.csv \
	datasets/mulhouse/data/pact.csv \
	datasets/mulhouse/data/invitations.csv \
	datasets/mulhouse/data/accounts.csv \
	datasets/mulhouse/data/ledger.csv
EXTRA_DIST += datasets/mulhouse/README.md datasets/mulhouse/run-main.sh
