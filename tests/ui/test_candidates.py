"""An officer registers, finds and moves a candidate through the real window."""

from __future__ import annotations

from PySide6.QtCore import Qt

from migdesk.ui.candidates.status_dialog import StatusDialog
from tests.ui.officer import click, fill_candidate, keys, type_into


def test_register_refuses_bad_number_then_saves_and_finds(qtbot, window, app):
    window.act_new.trigger()
    form = window.candidates.form
    assert window.current_page() == "candidates"
    fill_candidate(qtbot, form, pn="12345", first="ნინო", last="ბერიძე", birth="1990-05-17",
                   passport="13AB45678", expiry="2030-01-31")
    # the Latin names follow the Georgian ones (passport form)
    assert form.editor("first_name_lat").text() == "NINO"
    assert form.editor("last_name_lat").text() == "BERIDZE"

    click(qtbot, form.save_button)
    error = form.boxes["personal_number"].error
    assert error.isVisible()
    assert error.text() and any("\u10d0" <= ch <= "\u10ff" for ch in error.text())
    assert app.candidates.count() == 0  # nothing saved

    type_into(qtbot, form.editor("personal_number"), "01024012345")
    assert not error.isVisible()  # the message goes once the field is edited
    click(qtbot, form.save_button)
    assert app.candidates.count() == 1
    assert form.detail is not None and form.detail.last_name_lat == "BERIDZE"
    assert not form.dirty

    # find them by typing part of the Latin name
    page = window.candidates
    window.act_find.trigger()
    qtbot.keyClicks(page.search, "beri")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.model.query == "beri",
                    timeout=2000)
    assert "BERIDZE" in page.model.data(page.model.index(0, 2))
    type_into(qtbot, page.search, "zzz")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=2000)


def test_change_status_with_reason(qtbot, window, app, monkeypatch):
    window.act_new.trigger()
    form = window.candidates.form
    fill_candidate(qtbot, form, pn="01024012346", first="გიორგი", last="კაპანაძე",
                   birth="1985-03-02")
    window.act_save.trigger()
    assert app.candidates.count() == 1
    asked = {}

    def ask(parent, current):
        asked["current"] = current
        return "screened", "documents checked at the desk"

    monkeypatch.setattr(StatusDialog, "ask", classmethod(lambda cls, p, c: ask(p, c)))
    click(qtbot, form.status_button)
    assert asked["current"] == "registered"
    detail = app.candidates.get(form.detail.id, purpose=None)
    assert detail.status == "screened"
    assert detail.history[-1].reason == "documents checked at the desk"
    hist = window.candidates.history.history
    assert hist.item(0, 4).text() == "documents checked at the desk"
    assert "შემოწმებული" in form.status_label.text() or "screened" in form.status_label.text()


def test_status_dialog_requires_a_reason(qtbot, window):
    dlg = StatusDialog(window, "registered")
    qtbot.addWidget(dlg)
    dlg.buttons.accepted.emit()
    assert dlg.result() == 0 and dlg.error.text()
    qtbot.keyClicks(dlg.reason, "ok")
    dlg.buttons.accepted.emit()
    assert dlg.result() == 1
    assert dlg.answer() == ("screened", "ok")


def test_duplicate_warning_while_typing(qtbot, window, app):
    window.act_new.trigger()
    form = window.candidates.form
    fill_candidate(qtbot, form, pn="01024012347", first="ანა", last="გელაშვილი",
                   birth="1992-01-01")
    window.act_save.trigger()
    window.act_new.trigger()
    fill_candidate(qtbot, form, pn="01024012348", first="ანა", last="გელაშვილი",
                   birth="1992-01-01")
    qtbot.waitUntil(lambda: bool(form.dup_warning.text()), timeout=2000)
    assert "გელაშვილი" in form.dup_warning.text()


def test_close_asks_about_unsaved_edits(qtbot, window, monkeypatch):
    from migdesk.ui.dialogs import UnsavedEdits

    window.act_new.trigger()
    keys(window.candidates.form.editor("first_name_ka"), "ლევანი")
    assert window.candidates.form.dirty
    monkeypatch.setattr(UnsavedEdits, "ask", classmethod(lambda cls, p: "cancel"))
    assert not window.close()
    monkeypatch.setattr(UnsavedEdits, "ask", classmethod(lambda cls, p: "discard"))
    assert window.close()


def test_passport_expiry_warning(qtbot, window):
    window.act_new.trigger()
    form = window.candidates.form
    type_into(qtbot, form.editor("passport_expiry"), "2027-01-15")
    assert form.passport_warning.text()
    type_into(qtbot, form.editor("passport_expiry"), "2031-01-15")
    assert not form.passport_warning.text()


def test_settings_remember_last_view(qtbot, app, settings):
    from migdesk.ui.main_window import MainWindow
    from migdesk.ui.tasks import SyncRunner

    w = MainWindow(app, settings=settings, runner=SyncRunner())
    qtbot.addWidget(w)
    w.show_page("visits")
    w.close()
    w2 = MainWindow(app, settings=settings, runner=SyncRunner())
    qtbot.addWidget(w2)
    assert w2.current_page() == "visits"
    w2.close()


def test_sort_by_latin_name_in_sql(qtbot, window, app):
    for pn, first, last in (("01024012351", "ზურაბი", "აბაშიძე"),
                            ("01024012352", "ეკა", "ცინცაძე")):
        window.act_new.trigger()
        fill_candidate(qtbot, window.candidates.form, pn=pn, first=first, last=last,
                       birth="1990-01-01")
        window.act_save.trigger()
    page = window.candidates
    page.search.clear()
    page.refresh()
    page.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert page.model.sort_key == "name_lat" and page.model.descending
    assert page.model.rows[0].last_name_lat == "TSINTSADZE"
