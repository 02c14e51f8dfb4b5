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
