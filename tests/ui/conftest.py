"""Fixtures for the window tests: offscreen Qt, a real SQLite file, settings in tmp_path."""

from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def settings(tmp_path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "migdesk.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def app(tmp_path):
    from migdesk.services.app import Migdesk
    from tests.helpers import admin

    a = admin(Migdesk.open(str(tmp_path / "desk.db"), today=lambda: TODAY))
    yield a
    a.close()


@pytest.fixture
def window(qtbot, app, settings, monkeypatch):
    """The real main window over an empty database, in Georgian, with a synchronous runner."""
    from PySide6.QtWidgets import QApplication

    from migdesk.ui.dialogs import UnsavedEdits
    from migdesk.ui.fonts import ensure_georgian_font
    from migdesk.ui.i18n_qt import install, switch_language
    from migdesk.ui.main_window import MainWindow
    from migdesk.ui.tasks import SyncRunner

    # closing at teardown must not ask; tests that check the question patch it again
    monkeypatch.setattr(UnsavedEdits, "ask", classmethod(lambda cls, parent: "discard"))
    ensure_georgian_font(QApplication.instance())
    install()
    switch_language("ka")
    w = MainWindow(app, settings=settings, runner=SyncRunner())
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    switch_language("ka")


# The offscreen platform says this for every top-level window; it is not our warning.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/ui/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    """A modal dialog would block the offscreen run for ever: fail the test instead."""
    from PySide6.QtWidgets import QDialog, QMessageBox

    def refuse(self, *a, **k):
        raise AssertionError(f"a modal dialog opened: {self.windowTitle()!r} "
                             f"{getattr(self, 'text', lambda: '')()!r}")

    monkeypatch.setattr(QDialog, "exec", refuse)
    monkeypatch.setattr(QMessageBox, "exec", refuse)
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda parent, title, text, *a: refuse(QMessageBox(None), text))
