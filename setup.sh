#!/bin/sh
# setup.sh -- one command from a fresh Debian 12 machine to a working spiral.
#
#   ./setup.sh demo    install what is missing, build, run the main job on
#                      the bundled Mulhouse data and print where the result is
#   ./setup.sh check   install what is missing, build, run every test
#
# Installing needs root; otherwise the apt-get line to run is printed.
# BUILD_DIR (default ./_build) holds the out-of-tree build.
set -eu
cd "$(dirname "$0")"
SRC=$(pwd)
BUILD_DIR=${BUILD_DIR:-$SRC/_build}
JOBS=$(nproc 2>/dev/null || echo 2)

# Each package and why spiral needs it (see README.md, "Dependencies").
PACKAGES="build-essential autoconf automake libtool pkg-config
liblua5.4-dev libsqlite3-dev sqlite3 libcsv-dev libapr1-dev libaprutil1-dev
libcmocka-dev libssl-dev libjansson-dev libutf8proc-dev libxlsxwriter-dev
unzip clang libclang-rt-14-dev valgrind lua5.4
chromium nodejs"

install_deps() {
    missing=""
    for p in $PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup.sh: missing Debian packages; as root, run:" >&2
        echo "  apt-get install -y$missing" >&2
        exit 1
    fi
    echo "setup.sh: installing$missing" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
}

build() {
    if [ ! -x "$SRC/configure" ] || [ "$SRC/configure.ac" -nt "$SRC/configure" ]; then
        (cd "$SRC" && autoreconf -fi >/dev/null 2>&1) || (cd "$SRC" && autoreconf -fi)
    fi
    mkdir -p "$BUILD_DIR"
    cd "$BUILD_DIR"
    [ -f Makefile ] || "$SRC/configure" -q
    make -s -j"$JOBS"
}

case "${1:-}" in
demo)
    install_deps
    build
    "$SRC/datasets/mulhouse/run-main.sh" "$BUILD_DIR/core/spiral" "$SRC/out"
    ;;
check)
    install_deps
    build
    status=0
    make -s -j"$JOBS" check || status=$?
    # A short fuzzing run of the CSV reader; a crash fails the check.
    if [ "$status" -eq 0 ] && command -v clang >/dev/null; then
        make -s fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-20}" >fuzz.log 2>&1 || {
            status=$?
            tail -n 30 fuzz.log
        }
    fi
    # One closing line for whoever reads the log: tests passed and failed.
    if [ -f test-suite.log ]; then
        pass=$(sed -n 's/^# PASS: *//p' test-suite.log | head -n 1)
        fail=$(sed -n 's/^# FAIL: *//p' test-suite.log | head -n 1)
        [ "$status" -eq 0 ] || cat test-suite.log | tail -n 60
        echo "${pass:-0} passed, ${fail:-0} failed"
    fi
    exit "$status"
    ;;
*)
    echo "usage: ./setup.sh demo | check" >&2
    exit 64
    ;;
esac
