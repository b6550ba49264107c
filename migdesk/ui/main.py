"""Start the desk window: `run(db)` is what `migdesk` with no command calls."""

from __future__ import annotations

import sys

from migdesk.domain.errors import MigdeskError
from migdesk.i18n import _


def build(app_db: str | None, settings=None, runner=None,  # type: ignore[no-untyped-def]
          credentials: tuple[str, str] | None = None):
    """The opened Migdesk and its main window (a QApplication must exist). The officer signs
    in first: with `credentials`, or in the sign-in dialog (None, None if they quit)."""
    from PySide6.QtWidgets import QApplication

    from migdesk.services.app import Migdesk
    from migdesk.ui.fonts import ensure_georgian_font
    from migdesk.ui.i18n_qt import install, switch_language
    from migdesk.ui.main_window import MainWindow, language_from_settings

    qapp = QApplication.instance()
    ensure_georgian_font(qapp)  # type: ignore[arg-type]
    install()
    app = Migdesk.open(app_db)
    if settings is not None:
        switch_language(language_from_settings(settings))
    if credentials is not None:
        app.sign_in(*credentials)
    else:
        from migdesk.ui.sign_in import sign_in

        if not sign_in(app):
            app.close()
            return None, None
    window = MainWindow(app, settings=settings, runner=runner)
    return app, window


def after_start(app, window):  # type: ignore[no-untyped-def]
    """In the background, not to be waited for: the database's quick_check (a damaged one is
    named, with the newest good backup) and the daily backup when one is due."""
    from migdesk.ui.dialogs import show_error

    return window.runner.background(_("Daily backup…"), lambda _p: app.backups.at_start(),
                                    on_error=lambda exc: show_error(window, exc))


def run(db: str | None) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QMessageBox

    from migdesk.i18n import language
    from migdesk.ui.main_window import APPLICATION, ORGANISATION

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    qapp.setOrganizationName(ORGANISATION)
    qapp.setApplicationName(APPLICATION)
    try:
        app, window = build(db, settings=QSettings(ORGANISATION, APPLICATION))
    except MigdeskError as exc:
        QMessageBox.critical(None, APPLICATION, exc.message(language()))
        return 5
    if window is None:  # the officer quit at the sign-in
        return 0
    window.show()
    after_start(app, window)
    code = qapp.exec()
    window.runner.wait()
    app.backups.on_close()
    app.close()
    return int(code)
