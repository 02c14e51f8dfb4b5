#!/bin/sh
# tests/e2e/install.sh -- `make install` into a staging root, then build a
# tiny program against the installed header and library through spiral.pc.
. "$SRCDIR/tests/e2e/lib.sh"
root="$WORK/root"
make -s -C "$BUILDDIR" install DESTDIR="$root" >"$WORK/install.log" 2>&1
status=$?
expect_status inst-1.1 0
for f in "$BINDIR/spiral" "$INCLUDEDIR/spiral/spiral.h" "$PKGCONFIGDIR/spiral.pc" "$MANDIR/man1/spiral.1"; do
    if [ -e "$root$f" ]; then ok "inst-1.2 installed $f"; else fail inst-1.2 "missing $root$f"; fi
done
# The staged spiral.pc still names the real prefix: point it at the stage.
export PKG_CONFIG_PATH="$root$PKGCONFIGDIR"
flags=$(pkg-config --define-variable=prefix="$root$PREFIX" --cflags --libs spiral)
status=$?
expect_status inst-2.1 0
${CC:-cc} -o "$WORK/tiny" "$SRCDIR/tests/install/tiny.c" $flags >"$WORK/err" 2>&1
status=$?
expect_status inst-2.2 0
LD_LIBRARY_PATH="$root$LIBDIR" "$WORK/tiny" "$WORK/tiny.db" >"$WORK/out" 2>"$WORK/err"
status=$?
expect_status inst-2.3 0
expect_out inst-2.4 "libspiral $VERSION, schema"
finish
