#!/bin/sh
# tests/e2e/report_browser.sh -- the report as a person sees it: opened in
# headless Chromium (Debian's `chromium`), driven through the DevTools
# protocol by tests/browser/check_report.mjs (Node's built-ins only).
#
#   browser-1  the Mulhouse workspace is built (tests/e2e/mulhouse_ws.sh);
#   browser-2  the English report loads with no console error, no uncaught
#              exception, no browser error, no network request, and every
#              chart has a title, a description and marks drawn with an
#              area on the page; a screenshot of the first 1000 x 2000
#              pixels, scaled to 600 x 1200, is taken
#              ($BUILDDIR/tests/report-screenshot.png; with
#              UPDATE_SCREENSHOT=1 it is also copied to
#              docs/report-screenshot.png, the README's picture);
#   browser-3  the same for the French report;
#   browser-4  the checker fails on a page with a console error, a network
#              request and an empty chart (the test can fail).
# Skips (77) when chromium or node is not installed.
. "$SRCDIR/tests/e2e/lib.sh"

CHROMIUM=${CHROMIUM:-chromium}
if ! command -v "$CHROMIUM" >/dev/null 2>&1; then
    echo "SKIP: $CHROMIUM is not installed (Debian package chromium)"
    exit 77
fi
if ! command -v node >/dev/null 2>&1; then
    echo "SKIP: node is not installed (Debian package nodejs)"
    exit 77
fi
CHECK="$SRCDIR/tests/browser/check_report.mjs"
SHOTDIR="$BUILDDIR/tests"
mkdir -p "$SHOTDIR"

. "$SRCDIR/tests/e2e/mulhouse_ws.sh"
expect_status "browser-1 the Mulhouse workspace is built" 0
[ "$status" -eq 0 ] || { cat "$WORK/main.log"; finish; exit 1; }

# check ID LANG: write the report in LANG and open it.
check() {
    spiral --db "$DB" --key "$KEY" --quiet report --lang "$2" --output "$WORK/$2"
    if [ "$status" -ne 0 ]; then
        fail "$1" "spiral report --lang $2 exited $status"
        return
    fi
    node "$CHECK" "$CHROMIUM" "$WORK/$2/report.html" "$SHOTDIR/report-screenshot-$2.png" \
        1000 2000 0.6 >"$WORK/check.out" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ] && [ -s "$SHOTDIR/report-screenshot-$2.png" ]; then
        ok "$1 $2: $(tail -n 1 "$WORK/check.out")"
    else
        fail "$1" "$2: checker exit $rc"
        cat "$WORK/check.out"
    fi
}
check browser-2 en
cp "$SHOTDIR/report-screenshot-en.png" "$SHOTDIR/report-screenshot.png" 2>/dev/null
if [ "${UPDATE_SCREENSHOT:-0}" = 1 ]; then
    cp "$SHOTDIR/report-screenshot-en.png" "$SRCDIR/docs/report-screenshot.png"
fi
check browser-3 fr

cat >"$WORK/bad.html" <<'EOF'
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>bad</title></head>
<body><svg role="img" width="100" height="100"><title>empty</title><desc>nothing</desc></svg>
<script>console.error("boom")</script><img alt="" src="http://192.0.2.1/x.png"></body></html>
EOF
node "$CHECK" "$CHROMIUM" "$WORK/bad.html" "$WORK/bad.png" 400 300 >"$WORK/check.out" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'console error: boom' "$WORK/check.out" &&
   grep -q 'network request: http' "$WORK/check.out" && grep -q 'empty' "$WORK/check.out"; then
    ok "browser-4 a broken page is caught"
else
    fail "browser-4" "checker exit $rc on a broken page"
    cat "$WORK/check.out"
fi
finish
