"""A visit's country from the list of CLDR names, dates with a calendar, and follow-up actions
added, mended, marked done and removed with a reason, as an officer would."""

from __future__ import annotations

import sqlite3

from migdesk.services.visits import FollowUpInput, VisitInput
from migdesk.ui.dialogs import ReasonDialog
from tests.ui.conftest import TODAY
from tests.ui.officer import click, type_into
from tests.ui.test_partner_forms import type_into as type_text


def _rows(tmp_path, sql, *args):
    db = sqlite3.connect(tmp_path / "desk.db")
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def test_a_new_visit_takes_its_country_from_the_list(qtbot, window, app, tmp_path):
    window.show_page("visits")
    page = window.visits
    click(qtbot, page.new_button)
    country = page._ed("country")
    assert country.currentText() == "—"
    type_into(qtbot, page._ed("start_date"), "01.10.2026")
    page._ed("start_date").editingFinished.emit()
    type_into(qtbot, page._ed("lead_agency"), "შრომის სამინისტრო")
    click(qtbot, page.save_button)  # no country chosen: refused beside it, nothing saved
    assert page.boxes["country"].error.text() == "სავალდებულოა"
    assert _rows(tmp_path, "SELECT count(*) FROM visit") == [(0,)]
    at = country.findText("ისრაელი")
    assert at > 0 and country.itemData(at) == "IL"
    country.setCurrentIndex(at)
    click(qtbot, page.save_button)
    assert page.boxes["country"].error.text() == ""
    assert _rows(tmp_path, "SELECT country, start_date FROM visit") == [("IL", "2026-10-01")]
    assert page.list.item(0, 1).text() == "ისრაელი"
    assert page._ed("country").key() == "IL"


def test_follow_up_edit_mark_done_and_remove(qtbot, window, app, tmp_path, monkeypatch):
    vid = app.visits.add(VisitInput("outgoing", "IL", "2026-10-01", "MoLHSA"),
                         [FollowUpInput("Send the draft agreement", "MFA", "2026-11-01"),
                          FollowUpInput("Agree the quota", None, "2026-12-01")]).id
    window.show_page("visits")
    page = window.visits
    page._select(vid)
    assert not page.fu_edit.isEnabled()
    page.follow_ups.setCurrentCell(0, 1)
    dlg = page.fu_edit.click() or page.dialog
    type_text(qtbot, dlg.editor("action"), "")
    type_into(qtbot, dlg.editor("due_date"), "2026-02-30")
    click(qtbot, dlg.save_button)
    assert dlg.isVisible()
    assert dlg.boxes["action"].error.text() == "სავალდებულოა"
    assert dlg.boxes["due_date"].error.text()
    assert _rows(tmp_path, "SELECT action FROM follow_up ORDER BY due_date")[0] == (
        "Send the draft agreement",)
    type_text(qtbot, dlg.editor("action"), "გაეგზავნოს შეთანხმების პროექტი")
    type_into(qtbot, dlg.editor("due_date"), "2026-11-15")
    type_text(qtbot, dlg.editor("note"), "ელფოსტით")
    click(qtbot, dlg.save_button)
    assert not dlg.isVisible()
    assert page.follow_ups.item(0, 1).text() == "გაეგზავნოს შეთანხმების პროექტი"

    page.follow_ups.setCurrentCell(0, 1)
    click(qtbot, page.fu_done)
    assert page.follow_ups.item(0, 3).text().startswith("შესრულებული")
    assert _rows(tmp_path, "SELECT status, completed_on, note FROM follow_up "
                           "WHERE due_date = '2026-11-15'") == [
        ("done", TODAY.isoformat(), "ელფოსტით")]

    page.follow_ups.setCurrentCell(1, 1)
    monkeypatch.setattr(ReasonDialog, "ask",
                        classmethod(lambda c, p, t, q: "ვიზიტზე შეთანხმდა, აღარ საჭიროა"))
    click(qtbot, page.fu_remove)
    assert page.follow_ups.rowCount() == 1
    assert sorted(_rows(tmp_path, "SELECT action, deleted FROM follow_up")) == [
        ("Agree the quota", 1), ("გაეგზავნოს შეთანხმების პროექტი", 0)]


def test_remove_a_visit_with_a_reason(qtbot, window, app, tmp_path, monkeypatch):
    vid = app.visits.add(VisitInput("incoming", "PL", "2026-09-01", "MoLHSA")).id
    window.show_page("visits")
    page = window.visits
    page._select(vid)
    monkeypatch.setattr(ReasonDialog, "ask", classmethod(lambda c, p, t, q: "ორჯერ შეყვანილი"))
    click(qtbot, page.remove_button)
    assert page.list.rowCount() == 0
    assert _rows(tmp_path, "SELECT deleted FROM visit") == [(1,)]
    assert app.audit.changes("visit", vid)[-1].reason == "ორჯერ შეყვანილი"
