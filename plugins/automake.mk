# plugins/automake.mk -- see Makefile.am
# Plugins: shared objects loaded at run time (core/sp_plugin.c) through the
# ABI of plugins/spiral_plugin.h, which is installed for third parties.
# The loader searches the installed $(pkglibdir) last.
AM_CPPFLAGS += -DSP_PKGLIBDIR=\"$(pkglibdir)\"
include_spiral_HEADERS += plugins/spiral_plugin.h

# xlsx export (needs libxlsxwriter; configure's --without-xlsx skips it).
if HAVE_XLSX
pkglib_LTLIBRARIES += plugins/xlsx.la
plugins_xlsx_la_SOURCES = plugins/xlsx/xlsx.c plugins/spiral_plugin.h
plugins_xlsx_la_LDFLAGS = -module -avoid-version $(AM_LDFLAGS)
plugins_xlsx_la_LIBADD = $(XLSX_LIBS)
endif
EXTRA_DIST += docs/plugins.md
