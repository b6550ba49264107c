"""Making and mending a partner state's records in their dialogs, as an officer would: the
state itself, agreements, milestones (partial dates), assessments and indicators; a refused
input shows its message beside the field and saves nothing; a removal is a tombstone with
its reason that travels in a change package."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit

from migdesk.ui.dialogs import ReasonDialog
from tests.ui.officer import click, keys
from tests.ui.officer import type_into as _type_line


def type_into(qtbot, widget, text):
    """Type into a line or a text area as an officer would (replacing what is there)."""
    if not isinstance(widget, QPlainTextEdit):
        return _type_line(qtbot, widget, text)
    widget.setFocus()
    widget.selectAll()
    if widget.toPlainText():
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
    keys(widget, text)
    return None


def _rows(tmp_path, sql, *args):
    db = sqlite3.connect(tmp_path / "desk.db")
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def _partners_page(window):
    window.show_page("partners")
    page = window.partners
    page.refresh()
    return page


def _reason(monkeypatch, text):
    monkeypatch.setattr(ReasonDialog, "ask", classmethod(lambda c, p, t, q: text))


def test_add_a_partner_state_from_the_list_of_countries(qtbot, window, app, tmp_path):
    page = _partners_page(window)
    dlg = page.add_button.click() or page.dialog
    assert dlg.isVisible()
    countries = dlg.editor("country")
    at = countries.findText("პოლონეთი")
    assert at >= 0 and countries.itemData(at) == "PL"  # a CLDR name, not a code to type
    countries.setCurrentIndex(at)
    dlg.editor("stage").set_key("negotiating")
    type_into(qtbot, dlg.editor("notes"), "შრომითი მიგრაციის პილოტი")
    click(qtbot, dlg.save_button)
    assert not dlg.isVisible()
    assert page.list.currentItem().text() == "პოლონეთი"
    assert window.status_text.text() == "პარტნიორი სახელმწიფო დაემატა"
    assert "შრომითი მიგრაციის პილოტი" in page.notes.text()

    # the same state again: refused beside the country, nothing saved
    dlg = page.add_button.click() or page.dialog
    dlg.editor("country").set_key("PL")
    click(qtbot, dlg.save_button)
    assert dlg.isVisible()
    error = dlg.boxes["country"].error
    assert error.isVisibleTo(dlg) and "უკვე" in error.text()
    assert _rows(tmp_path, "SELECT count(*) FROM partner_state") == [(1,)]
    dlg.reject()

    # notes mended
    dlg = page.notes_button.click() or page.dialog
    assert not dlg.editor("country").isEnabled()
    type_into(qtbot, dlg.editor("notes"), "პილოტი მიმდინარეობს")
    click(qtbot, dlg.save_button)
    assert _rows(tmp_path, "SELECT notes FROM partner_state") == [("პილოტი მიმდინარეობს",)]


def _agreement(app):
    app.partners.add("PL", "negotiating")
    ag = app.partners.add_agreement("PL", "agreement", "შეთანხმება სეზონური დასაქმების შესახებ",
                                    "Agreement on seasonal employment").id
    ms = app.partners.add_milestone(ag, "signed", "2018-11", "ვარშავა").id
    return ag, ms


def test_mend_a_mistyped_milestone_date_and_remove_a_milestone(qtbot, window, app, tmp_path,
                                                                monkeypatch):
    ag, ms = _agreement(app)
    page = _partners_page(window)
    page.list.setCurrentRow(0)
    assert not page.edit_milestone_button.isEnabled()  # nothing chosen yet
    page.milestones.selectRow(0)
    dlg = page.edit_milestone_button.trigger() or page.dialog
    date = dlg.editor("date")
    assert date.text() == "2018-11" and date.partial
    type_into(qtbot, date, "2018-13")
    click(qtbot, dlg.save_button)
    assert dlg.isVisible() and dlg.boxes["date"].error.text()
    assert _rows(tmp_path, "SELECT date FROM milestone") == [("2018-11",)]
    type_into(qtbot, date, "2018-12")
    click(qtbot, dlg.save_button)
    assert not dlg.isVisible()
    assert page.milestones.item(0, 0).text() == "2018 წლის დეკემბერი"
    assert _rows(tmp_path, "SELECT date, version FROM milestone") == [("2018-12", 2)]

    page.milestones.selectRow(0)
    _reason(monkeypatch, None)  # cancelled: nothing removed
    page.remove_milestone_button.trigger()
    assert _rows(tmp_path, "SELECT deleted FROM milestone") == [(0,)]
    _reason(monkeypatch, "ორჯერ იყო შეყვანილი")
    page.milestones.selectRow(0)
    page.remove_milestone_button.trigger()
    assert _rows(tmp_path, "SELECT deleted, deleted_at IS NOT NULL FROM milestone") == [(1, 1)]
    assert page.milestones.item(0, 0).text() == "—"  # the agreement stays, without it
    history = app.audit.changes("milestone", ms)
    assert history[-1].reason == "ორჯერ იყო შეყვანილი"
    assert history[-1].changes["deleted"] == [False, True]


def test_edit_and_remove_an_agreement(qtbot, window, app, tmp_path, monkeypatch):
    ag, _ms = _agreement(app)
    page = _partners_page(window)
    page.list.setCurrentRow(0)
    page.milestones.selectRow(0)
    dlg = page.edit_agreement_button.trigger() or page.dialog
    type_into(qtbot, dlg.editor("title_en"), "")
    click(qtbot, dlg.save_button)
    assert dlg.boxes["title_en"].error.text() == "სავალდებულოა"
    type_into(qtbot, dlg.editor("title_en"), "Agreement on circular migration")
    dlg.editor("kind").set_key("memorandum")
    click(qtbot, dlg.save_button)
    assert _rows(tmp_path, "SELECT kind, title_en FROM agreement") == [
        ("memorandum", "Agreement on circular migration")]
    page.milestones.selectRow(0)
    _reason(monkeypatch, "ხელშეკრულება არ შედგა")
    page.remove_agreement_button.trigger()
    assert page.milestones.rowCount() == 0
    assert _rows(tmp_path, "SELECT deleted FROM agreement") == [(1,)]


def test_mend_an_assessment_and_its_indicators(qtbot, window, app, tmp_path, monkeypatch):
    app.partners.add("PL", "negotiating")
    app.partners.assess("PL", "2026-03", "negotiating", "ხელფასი საკმარისია",
                        [{"kind": "minimum_wage", "value": "4666", "currency": "PLN"}])
    page = _partners_page(window)
    page.list.setCurrentRow(0)
    page.assessments.selectRow(0)
    dlg = page.edit_assessment_button.trigger() or page.dialog
    type_into(qtbot, dlg.editor("date"), "2026-03-01")
    type_into(qtbot, dlg.editor("rationale"), "მინიმალური ხელფასი 2026 წლიდან")
    click(qtbot, dlg.save_button)
    assert page.assessments.item(0, 0).text() == "2026 წლის 1 მარტი"

    page.assessments.selectRow(0)
    dlg = page.edit_indicator_button.trigger() or page.dialog
    type_into(qtbot, dlg.editor("value"), "ოთხი ათასი")
    click(qtbot, dlg.save_button)
    assert dlg.isVisible() and "ოთხი ათასი" in dlg.boxes["value"].error.text()
    assert _rows(tmp_path, "SELECT value FROM indicator") == [("4666",)]
    type_into(qtbot, dlg.editor("value"), "4806")
    click(qtbot, dlg.save_button)
    assert _rows(tmp_path, "SELECT value, currency FROM indicator") == [("4806", "PLN")]

    page.assessments.selectRow(0)
    dlg = page.add_indicator_button.trigger() or page.dialog
    dlg.editor("kind").set_key("unemployment_rate")
    type_into(qtbot, dlg.editor("value"), "5,1")
    type_into(qtbot, dlg.editor("unit"), "%")
    type_into(qtbot, dlg.editor("source_url"), "stat.gov.pl")
    click(qtbot, dlg.save_button)
    assert "http" in dlg.boxes["source_url"].error.text()
    type_into(qtbot, dlg.editor("source_url"), "https://stat.gov.pl")
    click(qtbot, dlg.save_button)
    assert page.assessments.rowCount() == 2

    page.assessments.selectRow(1)
    _reason(monkeypatch, "შეცდომით დაემატა")
    page.remove_indicator_button.trigger()
    assert page.assessments.rowCount() == 1
    assert sorted(_rows(tmp_path, "SELECT kind, deleted FROM indicator")) == [
        ("minimum_wage", 0), ("unemployment_rate", 1)]
    page.assessments.selectRow(0)
    page.remove_assessment_button.trigger()
    assert page.assessments.rowCount() == 0
    assert _rows(tmp_path, "SELECT deleted FROM assessment") == [(1,)]


def test_a_removed_milestone_travels_as_a_tombstone(tmp_path):
    from tests.sync.net import network, send

    with network(tmp_path) as (c, a, _b):
        a.partners.add("PL", "negotiating")
        ag = a.partners.add_agreement("PL", "agreement", "შეთანხმება", "Agreement").id
        ms = a.partners.add_milestone(ag, "signed", "2018-11").id
        send(tmp_path, a, c)
        assert [m.id for m in c.partners.agreement(ag).milestones] == [ms]
        a.partners.update_milestone(ms, "signed", "2018-12", expected_version=1)
        a.partners.remove("milestone", ms, "ორჯერ იყო შეყვანილი")
        send(tmp_path, a, c)
        assert c.partners.agreement(ag).milestones == []
        history = c.audit.changes("milestone", ms)
        assert history[-1].reason == "ორჯერ იყო შეყვანილი"
        assert history[-1].changes["deleted"] == [False, True]
