#!/usr/bin/env bash
# Install migdesk into .venv, load the demo data into the default database, open the window.
#
# On Debian/Ubuntu it first checks the system libraries Qt's xcb platform plugin loads (the
# list is what `ldd` shows for PySide6's libqxcb.so and libQt6XcbQpa) and a font that draws
# Georgian: as root it installs what is missing with apt-get; otherwise it stops, before
# installing anything, with one line naming the packages.
# MIGDESK_DB chooses the database; MIGDESK_QUIT_AFTER_PAINT=1 closes the window once it has
# been painted (scripts/test-start.sh, run by CI, uses it).
set -euo pipefail
cd "$(dirname "$0")/.."

# shared library (soname) -> the Debian package that ships it
LIBS="
libGL.so.1 libgl1
libEGL.so.1 libegl1
libfontconfig.so.1 libfontconfig1
libfreetype.so.6 libfreetype6
libdbus-1.so.3 libdbus-1-3
libglib-2.0.so.0 libglib2.0-0
libgthread-2.0.so.0 libglib2.0-0
libX11.so.6 libx11-6
libX11-xcb.so.1 libx11-xcb1
libxcb.so.1 libxcb1
libxcb-cursor.so.0 libxcb-cursor0
libxcb-icccm.so.4 libxcb-icccm4
libxcb-image.so.0 libxcb-image0
libxcb-keysyms.so.1 libxcb-keysyms1
libxcb-randr.so.0 libxcb-randr0
libxcb-render.so.0 libxcb-render0
libxcb-render-util.so.0 libxcb-render-util0
libxcb-shape.so.0 libxcb-shape0
libxcb-shm.so.0 libxcb-shm0
libxcb-sync.so.1 libxcb-sync1
libxcb-util.so.1 libxcb-util1
libxcb-xfixes.so.0 libxcb-xfixes0
libxcb-xkb.so.1 libxcb-xkb1
libxkbcommon.so.0 libxkbcommon0
libxkbcommon-x11.so.0 libxkbcommon-x11-0
"

missing_packages() {
  local known need=()
  known="$(/sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null || true)"
  while read -r soname pkg; do
    [ -n "$soname" ] || continue
    grep -q "^[[:space:]]*$soname " <<<"$known" || need+=("$pkg")
  done <<<"$LIBS"
  # a font with Georgian letters (DejaVu Sans has them; Noto or BPG fonts do as well)
  local font found=""
  for font in /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
              /usr/share/fonts/truetype/noto/NotoSansGeorgian-Regular.ttf \
              /usr/share/fonts/truetype/bpg-georgian/*.ttf; do
    [ -e "$font" ] && found=1
  done
  [ -n "$found" ] || need+=(fonts-dejavu-core)
  # Debian's python3 makes a virtual environment only with python3-venv
  if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    need+=(python3-venv)
  fi
  [ ${#need[@]} -eq 0 ] || printf '%s\n' "${need[@]}" | sort -u | tr '\n' ' '
}

if command -v dpkg >/dev/null 2>&1; then
  need="$(missing_packages)"
  if [ -n "$need" ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "migdesk: installing system libraries for the window: $need" >&2
      apt-get update -qq
      # shellcheck disable=SC2086  # one word per package
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
    else
      echo "migdesk: ფანჯარას სჭირდება სისტემური ბიბლიოთეკები / the window needs system libraries; install them and run this again: sudo apt-get install -y $need" >&2
      exit 3
    fi
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .

# What the installed Qt plugin itself cannot find (a PySide6 newer than the list above).
plugin="$(.venv/bin/python -c 'import PySide6, os; print(os.path.join(os.path.dirname(PySide6.__file__), "Qt", "plugins", "platforms", "libqxcb.so"))')"
if [ -f "$plugin" ] && command -v ldd >/dev/null 2>&1; then
  absent="$(ldd "$plugin" | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')"
  if [ -n "$absent" ]; then
    echo "migdesk: Qt's xcb plugin cannot find / Qt-ის xcb მოდულს აკლია: $absent(apt-file search NAME names the package)" >&2
    exit 3
  fi
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "migdesk: ეკრანი არ არის (DISPLAY და WAYLAND_DISPLAY ცარიელია) / no display: DISPLAY and WAYLAND_DISPLAY are empty; run this in a desktop session (or ssh -X). Installed; the command line works: .venv/bin/migdesk --help" >&2
  exit 4
fi

# In a desktop session: an entry in the desktop's menu (once; the template is resources/).
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
if [ -n "${XDG_CURRENT_DESKTOP:-}" ] && [ ! -e "$apps/migdesk.desktop" ]; then
  mkdir -p "$apps"
  sed -e "s|@EXEC@|$PWD/.venv/bin/migdesk|" -e "s|@ICON@|$PWD/resources/icons/migdesk.svg|" \
      resources/migdesk.desktop >"$apps/migdesk.desktop"
fi

.venv/bin/migdesk demo 2>/dev/null || true   # refuses politely when the database has data
exec .venv/bin/migdesk
