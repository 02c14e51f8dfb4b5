# docs/automake.mk -- see Makefile.am
# What a script can and cannot do, and the limits (core/sp_engine*.c);
# installed into $(docdir).
sandboxdocdir = $(docdir)
dist_sandboxdoc_DATA = docs/sandbox.md
# The columns of every `spiral import` kind (dist_doc_DATA is not initialised
# in Makefile.am, so this fragment uses its own directory variable).
importdocdir = $(docdir)
dist_importdoc_DATA = docs/import-formats.md
# The Nos Gestes Climat port of the consumption meter (scripts/lib/meter/ngc.lua).
ngcdocdir = $(docdir)
dist_ngcdoc_DATA = docs/meter-ngc.md
# Ledgers, limits, dashboard, pact and partnerships (core/sp_ledger.c ...).
pooldocdir = $(docdir)
dist_pooldoc_DATA = docs/pooling.md
# The workflow commands: criteria, actions, forms, profile (core/sp_criteria.c ...).
workflowdocdir = $(docdir)
dist_workflowdoc_DATA = docs/workflow.md
# Batch co-evaluation and the territorial project; the facilitator's guide.
evaluatedocdir = $(docdir)
dist_evaluatedoc_DATA = docs/evaluate.md docs/facilitator-guide.md
# The consumption meter: commands, person and household, collective share,
# batches by neighbourhood, sources (core/sp_meter.c, spiral meter).
meterdocdir = $(docdir)
dist_meterdoc_DATA = docs/meter.md
