#!/usr/bin/env bash
# The README's first command (`bash scripts/start.sh`) in this checkout on a virtual display:
# it installs, loads the demo into a new database, opens the window; an officer signs in as
# demo/demo by the keyboard; the main window paints and, with MIGDESK_QUIT_AFTER_PAINT=1,
# closes itself. Passes when it printed its painted title and xdotool saw the windows.
# Needs Xvfb and xdotool (.ci/run installs them). MIGDESK_TEST_DISPLAY=NN picks the display
# number (default: the first free one).
set -euo pipefail
cd "$(dirname "$0")/.."

tmp="$(mktemp -d)"
xpid="" spid=""
cleanup() {
  [ -z "$spid" ] || kill "$spid" 2>/dev/null || true
  [ -z "$xpid" ] || kill "$xpid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "test-start: FAILED: $*" >&2; sed 's/^/  start.sh: /' "$tmp/err" "$tmp/out" >&2 2>/dev/null || true; exit 1; }

if [ -n "${MIGDESK_TEST_DISPLAY:-}" ]; then
  Xvfb ":$MIGDESK_TEST_DISPLAY" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
  xpid=$!
  display=":$MIGDESK_TEST_DISPLAY"
else
  Xvfb -displayfd 3 -screen 0 1366x768x24 -nolisten tcp 3>"$tmp/display" >/dev/null 2>&1 &
  xpid=$!
  for _ in $(seq 100); do [ -s "$tmp/display" ] && break; sleep 0.1; done
  display=":$(cat "$tmp/display")"
fi
export DISPLAY="$display"
for _ in $(seq 100); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done
xdotool getdisplaygeometry >/dev/null 2>&1 || fail "Xvfb did not start on $DISPLAY"

# A new user: a database, settings and data folder of their own.
export MIGDESK_DB="$tmp/desk.db" MIGDESK_HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config"
export MIGDESK_QUIT_AFTER_PAINT=1
unset WAYLAND_DISPLAY QT_QPA_PLATFORM
started=$SECONDS
bash scripts/start.sh >"$tmp/out" 2>"$tmp/err" &
spid=$!

# The demo database asks for the sign-in first (a dialog titled "migdesk").
wid=""
for _ in $(seq 1200); do  # pip may take minutes on a fresh machine
  kill -0 "$spid" 2>/dev/null || fail "start.sh ended before any window opened"
  wid="$(xdotool search --onlyvisible --name '^migdesk$' 2>/dev/null | head -1 || true)"
  [ -n "$wid" ] && break
  sleep 0.5
done
[ -n "$wid" ] || fail "no sign-in window within 10 minutes"
echo "test-start: sign-in window after $((SECONDS - started)) s"
sleep 1
xdotool windowfocus --sync "$wid" 2>/dev/null || true
xdotool type --delay 30 demo
xdotool key Tab
xdotool type --delay 30 demo
xdotool key Return

for _ in $(seq 120); do
  kill -0 "$spid" 2>/dev/null || break
  sleep 0.5
done
kill -0 "$spid" 2>/dev/null && fail "the window did not close after painting"
wait "$spid" || fail "start.sh exited with $?"
spid=""
grep -q "^migdesk: window painted: desk.db — " "$tmp/out" || fail "no painted main window"
echo "test-start: $(grep '^migdesk: window painted' "$tmp/out") ($((SECONDS - started)) s)"
