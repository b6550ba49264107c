"""`migdesk` with no command: open the desktop window (Qt is imported only here).

Before Qt is loaded it checks what would otherwise end the process in Qt's own abort with an
English line on a terminal nobody sees (a start from the desktop's menu): a display to show
the window on, and the system libraries of Qt's xcb platform plugin. A refusal is a
bilingual line on stderr and, without a terminal, a desktop notification when one of the
usual tools is there."""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from migdesk.cli.context import Context
from migdesk.domain.errors import MigdeskError
from migdesk.i18n import N_

# The shared libraries PySide6's libqxcb.so and libQt6XcbQpa load (ldd) -> Debian package.
XCB_PACKAGES = {
    "libGL.so.1": "libgl1", "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1", "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3", "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0", "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1", "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0", "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0", "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0", "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0", "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1", "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1", "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


class WindowUnavailable(MigdeskError):
    exit_code = 6


def open_window(ctx: Context) -> int:
    try:
        check_platform(os.environ)
        from migdesk.ui.main import run
    except WindowUnavailable as exc:
        _notify_desktop(exc)
        raise
    except ImportError as exc:
        err = WindowUnavailable.of(None, N_("The window cannot start: {detail}"),
                                   detail=str(exc))
        _notify_desktop(err)
        raise err from None
    return run(ctx.args.db)


def check_platform(env: os._Environ[str] | dict[str, str]) -> None:
    """Refuse, before Qt is loaded, a start that Qt would abort: no display, or Qt's xcb
    plugin missing a system library (named with its package). On a Wayland session whose
    X libraries are missing, Qt is told to use its Wayland plugin instead."""
    if not sys.platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return  # the platform was chosen (offscreen in tests, xcb or wayland by hand)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        raise WindowUnavailable.of(None, N_(
            "No display to open the window on (DISPLAY and WAYLAND_DISPLAY are empty): start "
            "migdesk in a desktop session; the commands work without one (migdesk --help)"))
    missing = xcb_missing_library()
    if missing is None:
        if env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY") \
                and not x_display_answers(env["DISPLAY"]):
            raise WindowUnavailable.of(None, N_(
                "Cannot connect to the display {display}: start migdesk inside the desktop "
                "session that owns it"), display=env["DISPLAY"])
        return
    if env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "wayland"
        return
    package = XCB_PACKAGES.get(missing)
    if package:
        raise WindowUnavailable.of(None, N_(
            "The window needs the system library {library}: sudo apt-get install {package} "
            "(or run scripts/start.sh as root)"), library=missing, package=package)
    raise WindowUnavailable.of(None, N_(
        "The window needs the system library {library}; install the package that has it"),
        library=missing)


def xcb_plugin() -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(next(iter(spec.submodule_search_locations)))
    plugin = base / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.is_file() else None


def xcb_missing_library() -> str | None:
    """The first shared library Qt's xcb plugin cannot load (None: it loads)."""
    plugin = xcb_plugin()
    if plugin is None:
        return None
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        found = re.search(r"([\w.+-]+\.so(?:\.\d+)*): cannot open shared object", str(exc))
        return found.group(1) if found else str(exc)
    return None


def x_display_answers(display: str) -> bool:
    """Whether the X server of `display` accepts a connection (Qt aborts when it does not);
    True when libxcb itself cannot be asked."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    conn = xcb.xcb_connect(display.encode(), None)
    try:
        return conn is not None and xcb.xcb_connection_has_error(conn) == 0
    finally:
        if conn is not None:
            xcb.xcb_disconnect(conn)


def _notify_desktop(exc: MigdeskError) -> None:
    """Started from a menu there is no terminal: show the refusal where the officer looks."""
    if sys.stderr is not None and sys.stderr.isatty():
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return
    text = f"{exc.message('ka')}\n\n{exc.message('en')}"
    for tool, args in (("notify-send", ["-u", "critical", "migdesk", text]),
                       ("zenity", ["--error", "--title=migdesk", f"--text={text}"]),
                       ("kdialog", ["--title", "migdesk", "--error", text]),
                       ("xmessage", ["-center", text])):
        exe = shutil.which(tool)
        if exe:
            try:
                subprocess.Popen([exe, *args], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except OSError:
                continue
            return
