"""`migdesk` with no command refuses, before Qt is loaded, a start Qt would abort: no
display, or a system library of Qt's xcb plugin missing (named with its package)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from migdesk.cli import window


def test_no_display_is_one_bilingual_line_and_exit_6(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["MIGDESK_DB"] = str(tmp_path / "d.db")
    env["MIGDESK_HOME"] = str(tmp_path)
    r = subprocess.run([sys.executable, "-m", "migdesk"], env=env, capture_output=True,
                       text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 6, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "DISPLAY" in lines[0]
    assert "ეკრანი" in lines[0] and "No display" in lines[0]
    assert not (tmp_path / "d.db").exists()  # refused before anything was opened


def test_a_missing_xcb_library_names_its_package(monkeypatch):
    monkeypatch.setattr(window, "xcb_missing_library", lambda: "libxcb-icccm.so.4")
    with pytest.raises(window.WindowUnavailable) as exc:
        window.check_platform({"DISPLAY": ":0"})
    assert "sudo apt-get install libxcb-icccm4" in exc.value.message("en")
    assert "libxcb-icccm4" in exc.value.message("ka")


def test_on_wayland_missing_x_libraries_mean_the_wayland_plugin(monkeypatch):
    monkeypatch.setattr(window, "xcb_missing_library", lambda: "libxcb-cursor.so.0")
    env = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}
    window.check_platform(env)
    assert env["QT_QPA_PLATFORM"] == "wayland"


def test_a_chosen_platform_is_not_second_guessed(monkeypatch):
    monkeypatch.setattr(window, "xcb_missing_library", lambda: pytest.fail("probed"))
    window.check_platform({"QT_QPA_PLATFORM": "offscreen"})


def test_the_installed_plugin_loads_or_its_missing_library_has_a_package():
    """What the installed PySide6's xcb plugin loads is in the table (and in start.sh's)."""
    assert window.xcb_plugin() is not None
    missing = window.xcb_missing_library()
    assert missing is None or missing in window.XCB_PACKAGES
    start = (window.Path(__file__).parent.parent / "scripts" / "start.sh").read_text()
    for soname, package in window.XCB_PACKAGES.items():
        assert f"{soname} {package}\n" in start


def test_a_display_nobody_serves_is_refused_before_qt_aborts(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(DISPLAY=":987", MIGDESK_DB=str(tmp_path / "d.db"), MIGDESK_HOME=str(tmp_path))
    r = subprocess.run([sys.executable, "-m", "migdesk"], env=env, capture_output=True,
                       text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 6, r.stderr
    assert ":987" in r.stderr and "ეკრანთან" in r.stderr and len(r.stderr.splitlines()) == 1
    assert window.x_display_answers(":987") is False
