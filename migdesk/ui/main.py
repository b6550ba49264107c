"""Start the desk window: `run(db)` is what `migdesk` with no command calls.

`Desk` keeps one database open in the window at a time: File ▸ New desk database / Open
database / a recent one open the other database, sign in to it (or create its administrator)
and only then replace the window; a refused or cancelled opening leaves the current one."""

from __future__ import annotations

import os
import sys
from typing import Any

from migdesk.domain.errors import MigdeskError
from migdesk.i18n import _

QUIT_AFTER_PAINT = "MIGDESK_QUIT_AFTER_PAINT"  # scripts/test-start.sh: paint, say so, quit


def prepare_qt(qapp: Any) -> None:
    """Fonts, translations, and Qt's own (non-native) dialogs so that they follow the
    window's language (a native dialog speaks the system's)."""
    from PySide6.QtCore import QCoreApplication, Qt

    from migdesk.ui.fonts import ensure_georgian_font
    from migdesk.ui.i18n_qt import install

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    ensure_georgian_font(qapp)
    install()


def apply_user_language(app: Any, settings: Any) -> None:
    """After the sign-in: the language this officer chose last, if they ever chose one."""
    from migdesk.ui.desk_settings import user_language
    from migdesk.ui.i18n_qt import switch_language

    lang = user_language(settings, app.officer if app.signed_in else None)
    if lang is not None:
        switch_language(lang)


def build(app_db: str | None, settings=None, runner=None,  # type: ignore[no-untyped-def]
          credentials: tuple[str, str] | None = None, create: bool = True, parent=None):
    """The opened Migdesk and its main window (a QApplication must exist). The officer signs
    in first: with `credentials`, or in the sign-in dialog (None, None if they quit)."""
    from PySide6.QtWidgets import QApplication

    from migdesk.services.app import Migdesk
    from migdesk.ui.i18n_qt import switch_language
    from migdesk.ui.main_window import MainWindow, language_from_settings

    prepare_qt(QApplication.instance())
    app = Migdesk.open(app_db, create=create)
    try:
        if settings is not None and parent is None:
            switch_language(language_from_settings(settings))
        if credentials is not None:
            app.sign_in(*credentials)
        else:
            from migdesk.ui.sign_in import sign_in

            if not sign_in(app, parent):
                app.close()
                return None, None
        if settings is not None:
            apply_user_language(app, settings)
        window = MainWindow(app, settings=settings, runner=runner)
    except BaseException:
        app.close()
        raise
    return app, window


def after_start(app, window):  # type: ignore[no-untyped-def]
    """In the background, not to be waited for: the database's quick_check (a damaged one is
    named, with the newest good backup) and the daily backup when one is due."""
    from migdesk.ui.dialogs import show_error

    return window.runner.background(_("Daily backup…"), lambda _p: app.backups.at_start(),
                                    on_error=lambda exc: show_error(window, exc))


class Desk:
    """The database open in the window, and the switch to another one."""

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self.app: Any = None
        self.window: Any = None

    def open(self, target: str | None, create: bool = True) -> bool:
        """Open `target`, sign in, show its window in place of the current one. False (and
        the current window unchanged) when it is refused or the officer cancels."""
        from migdesk.ui.desk_settings import database_target, remember_database
        from migdesk.ui.dialogs import show_error

        if self.window is not None:  # a database never opened here gets this window's size
            self.settings.setValue("geometry", self.window.saveGeometry())
        try:
            app, window = build(target, settings=self.settings, create=create,
                                parent=self.window)
        except MigdeskError as exc:
            if self.window is None:
                raise
            show_error(self.window, exc)
            return False
        if window is None:
            return False
        remember_database(self.settings, database_target(app))
        window.database_requested.connect(self.open)
        old_app, old_window = self.app, self.window
        self.app, self.window = app, window
        window.show()
        after_start(app, window)
        if old_window is not None:
            self._close(old_app, old_window)
        return True

    @staticmethod
    def _close(app: Any, window: Any) -> None:
        window.retire()
        window.runner.wait()
        app.backups.on_close()
        app.close()
        window.deleteLater()

    def close(self) -> None:
        if self.window is not None:
            self.window.runner.wait()
            self.app.backups.on_close()
            self.app.close()


def quit_after_paint(window: Any) -> Any:
    """For the start check: once the window has painted, print its title and close it."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Painted(QObject):
        done = False

        def eventFilter(self, obj: Any, ev: Any) -> bool:  # noqa: N802
            if ev.type() == QEvent.Type.Paint and not self.done:
                self.done = True
                print(f"migdesk: window painted: {window.windowTitle()}", flush=True)
                QTimer.singleShot(300, window.close)
            return False

    f = Painted(window)
    window.installEventFilter(f)
    return f


def run(db: str | None) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QMessageBox

    from migdesk.i18n import language
    from migdesk.ui.main_window import APPLICATION, ORGANISATION

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    qapp.setOrganizationName(ORGANISATION)
    qapp.setApplicationName(APPLICATION)
    desk = Desk(QSettings(ORGANISATION, APPLICATION))
    try:
        if not desk.open(db):  # the officer quit at the sign-in
            return 0
    except MigdeskError as exc:
        QMessageBox.critical(None, APPLICATION, exc.message(language()))
        return 5
    if os.environ.get(QUIT_AFTER_PAINT):
        quit_after_paint(desk.window)
    code = qapp.exec()
    desk.close()
    return int(code)
