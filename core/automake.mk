# core/automake.mk -- libspiral (the engine) and the spiral program.

lib_LTLIBRARIES += core/libspiral.la
core_libspiral_la_SOURCES = \
	core/sp_error.c core/sp_error.h \
	core/sp_store.c core/sp_store.h \
	core/sp_schema.c \
	core/sp_pseudo.c core/sp_pseudo.h \
	core/sp_progress.c core/sp_progress.h \
	core/sp_import.c core/sp_import.h core/sp_import_kinds.c \
	core/sp_import_defs.c core/sp_import_responses.c core/sp_import_table.c \
	core/sp_export.c core/sp_export.h
# (each module adds its sources below)
core_libspiral_la_LIBADD = $(SP_DEP_LIBS)
core_libspiral_la_LDFLAGS = -version-info 0:0:0 $(AM_LDFLAGS)
include_spiral_HEADERS += core/spiral.h core/sp_error.h core/sp_store.h
pkgconfig_DATA += core/spiral.pc

bin_PROGRAMS += core/spiral
core_spiral_SOURCES = core/main.c core/sp_cli.c core/sp_cli.h core/sp_commands.c \
	core/cmd_init.c core/cmd_import.c core/cmd_export.c
core_spiral_LDADD = core/libspiral.la $(SP_DEP_LIBS)
dist_man_MANS += core/spiral.1
core_libspiral_la_SOURCES += core/sp_agg.c core/sp_agg.h core/sp_agg_render.c
core_libspiral_la_SOURCES += core/sp_csv.c core/sp_csv.h core/sp_text.c core/sp_text.h
core_libspiral_la_SOURCES += core/sp_stats.c core/sp_stats.h core/sp_xtab.c core/sp_xtab.h core/sp_xtab_render.c \
	core/sp_sdc.c core/sp_sdc.h
core_libspiral_la_SOURCES += core/sp_import_kit.c core/sp_import_kit.h \
	core/sp_import_criteria.c core/sp_import_actions.c core/sp_import_resources.c \
	core/sp_import_meter.c core/sp_import_pact.c core/sp_import_ledger.c
# Scans of CSV files and of the workspace's columnar chunks; crosstab, aggregate.
core_libspiral_la_SOURCES += core/sp_scan.c core/sp_scan.h core/sp_scan_int.h \
	core/sp_scan_acc.c core/sp_scan_csv.c core/sp_scan_store.c core/sp_scan_dict.c \
	core/sp_scan_dict.h core/sp_where.c core/sp_where.h core/sp_colstore.c core/sp_colstore.h
core_spiral_SOURCES += core/cmd_scan.c core/cmd_scan.h core/cmd_crosstab.c core/cmd_aggregate.c
# The Lua engine and its sandbox (limits, allow-list, restricted require).
core_libspiral_la_SOURCES += core/sp_engine.c core/sp_engine.h core/sp_limits.h \
	core/sp_engine_int.h core/sp_engine_alloc.c core/sp_engine_sandbox.c \
	core/sp_engine_require.c core/sp_limits.c
# Result tables (the shape CSV, JSON and plugins print) and the plugin
# loader with its Lua binding spiral.plugin.load.
core_libspiral_la_SOURCES += core/sp_table.c core/sp_table.h \
	core/sp_plugin.c core/sp_plugin.h core/lua/sp_lua_plugin.c
# Pooling and resources: double-entry ledgers, limits and dashboard, pact
# diffusion, producer-consumer partnerships (docs/pooling.md).
core_libspiral_la_SOURCES += core/sp_ledger.c core/sp_ledger.h core/sp_resource.c \
	core/sp_resource.h core/sp_pact.c core/sp_pact.h core/sp_partnership.c \
	core/sp_partnership.h core/sp_territory.c core/sp_territory.h \
	core/sp_import_partnership.c
core_spiral_SOURCES += core/cmd_ledger.c core/cmd_resource.c core/cmd_pact.c
# The SPIRAL workflow: taxonomy import kinds, criteria statistics, action
# search, form export, respondent profiles (results as JSON, text grids).
core_libspiral_la_SOURCES += core/sp_import_taxonomy.c core/sp_grid.c core/sp_grid.h \
	core/sp_criteria.c core/sp_criteria.h core/sp_actions.c core/sp_actions.h \
	core/sp_forms.c core/sp_forms.h core/sp_profile.c core/sp_profile.h
core_spiral_SOURCES += core/cmd_criteria.c core/cmd_actions.c core/cmd_forms.c \
	core/cmd_profile.c
# Batch co-evaluation of plans and the territorial project (docs/evaluate.md).
core_libspiral_la_SOURCES += core/sp_eval.c core/sp_eval.h core/sp_eval_int.h core/sp_eval_load.c \
	core/sp_eval_view.c core/sp_eval_text.c core/sp_project.c core/sp_project.h
core_spiral_SOURCES += core/cmd_evaluate.c core/cmd_evaluate.h core/cmd_project.c
# The `spiral` Lua module (core/lua/sp_lua*.c; docs/lua-api.md) and the
# commands run, check and lua.
core_libspiral_la_SOURCES += core/lua/sp_lua.h core/lua/sp_lua.c core/lua/sp_lua_data.c \
	core/lua/sp_lua_dataset.h core/lua/sp_lua_dataset.c core/lua/sp_lua_xtab.c \
	core/lua/sp_lua_agg.c core/lua/sp_lua_def.c core/lua/sp_lua_out.c
core_spiral_SOURCES += core/cmd_run.c
# The facilitator's report: inline SVG charts, HTML/JSON/CSV/xlsx with the
# same numbers (core/sp_report*.c, one file per section; spiral report).
core_libspiral_la_SOURCES += core/sp_svg.c core/sp_svg.h core/sp_report.c core/sp_report.h \
	core/sp_report_int.h core/sp_report_i18n.c core/sp_report_summary.c \
	core/sp_report_survey.c core/sp_report_crosstab.c core/sp_report_eval.c \
	core/sp_report_resource.c core/sp_report_meter.c core/sp_report_pact.c \
	core/sp_report_quarterly.c core/sp_report_html.c core/sp_report_json.c
core_spiral_SOURCES += core/cmd_report.c
# Uninstalled, `spiral evaluate` and `spiral project` also find the scripts of
# the source tree they were configured from (after $SPIRAL_SCRIPTS and the
# installed ones): out-of-tree builds and `make check` need no setup.
# The workflow of the coordination groups: coding suggestions for criteria,
# routing of life projects, the quarterly synthesis (docs/workflow.md).
core_spiral_SOURCES += core/cmd_workflow.c core/cmd_workflow.h core/cmd_coding.c \
	core/cmd_groups.c core/cmd_synthesis.c
# The consumption meter run from C: one household, or a batch by
# neighbourhood (core/sp_meter.c; spiral meter; docs/meter.md).
core_libspiral_la_SOURCES += core/sp_meter.c core/sp_meter.h core/sp_meter_int.h \
	core/sp_meter_host.c core/sp_meter_one.c core/sp_meter_batch.c core/sp_meter_dist.c
core_spiral_SOURCES += core/cmd_meter.c
# The workflow and pooling results as Lua functions (spiral.criteria,
# .actions, .profile, .ledger, .resources, .pact, .partnership, .plans,
# .project) and the one JSON <-> Lua conversion (docs/lua-api.md).
core_libspiral_la_SOURCES += core/lua/sp_lua_json.c core/lua/sp_lua_json.h \
	core/lua/sp_lua_workspace.c
# The chart of criteria statistics (spiral criteria stats --chart FILE.svg).
core_libspiral_la_SOURCES += core/sp_criteria_chart.c core/sp_criteria_chart.h
