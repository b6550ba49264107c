"""Databases from the window: File ▸ New desk database / Open database / recent ones; what is
remembered per database (layout, last page) and per officer (language); a status message
that cannot widen the window; a saved size larger than the screen."""

from __future__ import annotations

from PySide6.QtCore import QByteArray

from migdesk.services import Migdesk
from tests.helpers import PASSWORD, admin


def _desk_with_data(path):
    app = admin(Migdesk.open(str(path)))
    app.partners.add("PL", "exploring")
    return app


def _window(qtbot, app, settings):
    from migdesk.ui.main_window import MainWindow
    from migdesk.ui.tasks import SyncRunner

    w = MainWindow(app, settings=settings, runner=SyncRunner())
    qtbot.addWidget(w)
    w.show()
    return w


def test_last_page_and_layout_are_remembered_per_database(qtbot, tmp_path, settings):
    a, b = _desk_with_data(tmp_path / "a.db"), _desk_with_data(tmp_path / "b.db")
    wa = _window(qtbot, a, settings)
    wa.show_page("visits")
    wa.resize(wa.width() - 40, wa.height() - 30)
    size_a = wa.size()
    wa.close()
    wb = _window(qtbot, b, settings)
    assert wb.current_page() == "overview"  # not a.db's last page
    wb.show_page("programs")
    wb.resize(wb.width() - 80, wb.height() - 60)
    assert wb.size() != size_a
    wb.close()
    wa2 = _window(qtbot, a, settings)
    assert wa2.current_page() == "visits" and wa2.size() == size_a
    assert "a.db" in wa2.windowTitle() and a.desk.name in wa2.windowTitle()
    wa2.close()
    a.close()
    b.close()


def _signing_in(monkeypatch):
    """The sign-in dialog, answered as an officer would: a new database's administrator is
    created, an existing one is signed in to."""
    import migdesk.ui.sign_in as sign_in_mod

    def answer(app, parent=None):
        admin(app)
        return True

    monkeypatch.setattr(sign_in_mod, "sign_in", answer)


def test_new_desk_database_from_the_file_menu_opens_its_first_start_in_my_language(
        qtbot, tmp_path, settings, monkeypatch):
    from migdesk.ui.desk_settings import recent_databases
    from migdesk.ui.i18n_qt import switch_language
    from migdesk.ui.main import Desk

    _signing_in(monkeypatch)
    _desk_with_data(tmp_path / "old.db").close()
    desk = Desk(settings)
    try:
        switch_language("ka")
        assert desk.open(str(tmp_path / "old.db"), create=False)
        old = desk.window
        qtbot.addWidget(old)
        old.show_page("visits")
        old.act_en.trigger()  # this officer reads English
        assert old.act_new_db.text() == "New desk database…"
        old.new_database(str(tmp_path / "new.db"))
        new = desk.window
        qtbot.addWidget(new)
        assert new is not old and not old.isVisible() and new.isVisible()
        assert new.showing_first_start()  # not old.db's last page
        assert new.first_start.heading.text() == "A new desk"
        assert new.windowTitle().startswith("new.db — ")
        assert recent_databases(settings)[:2] == [str(tmp_path / "new.db"),
                                                   str(tmp_path / "old.db")]
        # and back through the recent list: old.db's own last page again
        new._fill_recent()
        entries = {a.text(): a for a in new.menu_recent.actions()}
        assert entries[str(tmp_path / "new.db")].isChecked()
        entries[str(tmp_path / "old.db")].trigger()
        assert desk.window is not new and desk.window.current_page() == "visits"
        qtbot.addWidget(desk.window)
    finally:
        desk.close()
        switch_language("ka")


def test_opening_a_file_that_is_no_database_keeps_the_current_window(
        qtbot, tmp_path, settings, monkeypatch):
    from migdesk.ui import dialogs
    from migdesk.ui.main import Desk

    _signing_in(monkeypatch)
    _desk_with_data(tmp_path / "ok.db").close()
    (tmp_path / "notes.db").write_text("not a database")
    shown = []
    monkeypatch.setattr(dialogs.ErrorBox, "show", classmethod(lambda c, p, t: shown.append(t)))
    desk = Desk(settings)
    try:
        assert desk.open(str(tmp_path / "ok.db"), create=False)
        first = desk.window
        qtbot.addWidget(first)
        first.open_database(str(tmp_path / "notes.db"))
        assert desk.window is first and first.isVisible() and shown
        first.open_recent(str(tmp_path / "gone.db"))
        assert "gone.db" in first.status_text.text() and desk.window is first
    finally:
        desk.close()


def test_the_language_is_the_officers_own(qtbot, tmp_path, settings):
    from migdesk.i18n import language
    from migdesk.ui.i18n_qt import switch_language
    from migdesk.ui.main import apply_user_language

    app = _desk_with_data(tmp_path / "d.db")
    app.accounts.add("eka", "ეკა ოფიცერი", "officer", PASSWORD)
    try:
        w = _window(qtbot, app, settings)
        w.act_en.trigger()  # tester chooses English
        w.close()
        app.sign_out()
        app.sign_in("eka", PASSWORD)
        switch_language("ka")
        apply_user_language(app, settings)
        assert language() == "ka"  # eka never chose: the window stays as it is
        app.sign_out()
        app.sign_in("tester", PASSWORD)
        apply_user_language(app, settings)
        assert language() == "en"
    finally:
        switch_language("ka")
        app.close()


def test_a_long_status_message_never_widens_the_window(qtbot, window):
    window.resize(window.minimumSizeHint().width() + 10, 700)
    qtbot.wait(10)
    width = window.width()
    long = "ძალიან გრძელი შეტყობინება " * 40
    window.say(long + "\nმეორე სტრიქონი\nმესამე სტრიქონი")
    qtbot.wait(10)
    assert window.width() == width
    assert window.statusBar().height() < 3 * window.status_text.fontMetrics().height()
    assert "მესამე სტრიქონი" in window.status_text.toolTip()


def test_a_saved_width_larger_than_the_screen_is_fitted_on_restore(qtbot, app, settings):
    from migdesk.ui.desk_settings import set_per_database
    from migdesk.ui.main_window import MainWindow
    from migdesk.ui.tasks import SyncRunner

    probe = MainWindow(app, settings=settings, runner=SyncRunner())
    qtbot.addWidget(probe)
    screen = probe.screen().availableGeometry()
    probe.setGeometry(0, 0, screen.width() + 1500, screen.height() + 500)
    set_per_database(settings, app, "geometry", QByteArray(probe.saveGeometry()))
    probe.close()
    w = MainWindow(app, settings=settings, runner=SyncRunner())
    qtbot.addWidget(w)
    assert w.width() <= screen.width() and w.height() <= screen.height()


def test_the_window_fits_a_1366_by_768_screen_whatever_its_pages_ask(qtbot, window):
    """A page wider than the screen scrolls inside the window (seen on Xvfb: the
    overview's and the candidates' minimum widths made the window 1530 pixels wide)."""
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 700
