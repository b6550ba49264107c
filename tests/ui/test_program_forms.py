"""Making and mending a programme and its demanded occupations in their dialogs."""

from __future__ import annotations

import sqlite3

from migdesk.ui.dialogs import ReasonDialog
from tests.ui.officer import click, keys, type_into


def _rows(tmp_path, sql, *args):
    db = sqlite3.connect(tmp_path / "desk.db")
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def _page(window, app):
    app.partners.add("PL", "negotiating")
    window.show_page("programs")
    page = window.programs
    page.refresh()
    return page


def test_create_and_change_a_programme(qtbot, window, app, tmp_path):
    page = _page(window, app)
    dlg = page.new_button.click() or page.dialog
    type_into(qtbot, dlg.editor("code"), "PL PILOT")  # a space: refused beside the code
    type_into(qtbot, dlg.editor("name_ka"), "პოლონეთის პილოტი")
    type_into(qtbot, dlg.editor("name_en"), "Polish pilot")
    dlg.editor("kind").set_key("pilot")
    assert dlg.editor("partner").key() == "PL"
    type_into(qtbot, dlg.editor("start_date"), "01.03.2026")
    dlg.editor("start_date").editingFinished.emit()
    assert dlg.editor("start_date").text() == "2026-03-01"
    type_into(qtbot, dlg.editor("end_date"), "2025-12-31")
    click(qtbot, dlg.save_button)
    assert dlg.isVisible()
    assert "PL-PILOT-2019" in dlg.boxes["code"].error.text()
    assert "დაწყების" in dlg.boxes["end_date"].error.text()
    assert _rows(tmp_path, "SELECT count(*) FROM program") == [(0,)]
    type_into(qtbot, dlg.editor("code"), "PL-PILOT-2026")
    type_into(qtbot, dlg.editor("end_date"), "2027-12-31")
    click(qtbot, dlg.save_button)
    assert not dlg.isVisible()
    assert page.list.currentItem().text() == "პოლონეთის პილოტი"
    assert window.status_text.text() == "პროგრამა შენახულია"

    dlg = page.edit_button.click() or page.dialog
    assert not dlg.editor("code").isEnabled()
    dlg.editor("status").set_key("active")
    type_into(qtbot, dlg.editor("partner_org"), "Urząd Pracy")
    click(qtbot, dlg.save_button)
    assert _rows(tmp_path, "SELECT code, kind, status, partner_org, start_date, end_date "
                           "FROM program") == [("PL-PILOT-2026", "pilot", "active",
                                                "Urząd Pracy", "2026-03-01", "2027-12-31")]


def test_demanded_occupations_add_mend_remove(qtbot, window, app, tmp_path, monkeypatch):
    app.partners.add("PL", "negotiating")
    app.programs.add("PL-PILOT-2026", "პოლონეთის პილოტი", "Polish pilot", "pilot", "PL")
    window.show_page("programs")
    page = window.programs
    page.refresh()
    page.list.setCurrentRow(0)
    dlg = page.add_demand_button.click() or page.dialog
    picker = dlg.picker
    picker.edit.setFocus()
    keys(picker.edit, "დურგ")
    assert picker.list.isVisibleTo(dlg) and picker.list.count() >= 1
    picker.list.itemClicked.emit(picker.list.item(0))
    assert picker.code == "7115"
    type_into(qtbot, dlg.editor("quota"), "25")
    dlg.editor("level").set_key("b1")  # a level without its language: refused
    type_into(qtbot, dlg.editor("min_age"), "45")
    type_into(qtbot, dlg.editor("max_age"), "21")
    click(qtbot, dlg.save_button)
    assert dlg.isVisible()
    assert dlg.boxes["language"].error.text() and dlg.boxes["max_age"].error.text()
    assert _rows(tmp_path, "SELECT count(*) FROM demand") == [(0,)]
    lang = dlg.editor("language")
    lang.setCurrentIndex(lang.findText("პოლონური"))
    type_into(qtbot, dlg.editor("min_age"), "21")
    type_into(qtbot, dlg.editor("max_age"), "45")
    dlg.editor("years").setValue(2)
    click(qtbot, dlg.save_button)
    assert not dlg.isVisible()
    cells = [page.demands.item(0, c).text() for c in range(5)]
    assert cells[0].startswith("7115") and cells[1] == "25"
    assert cells[2] == "პოლონური ≥ B1" and cells[3] == "2" and cells[4] == "21–45"

    page.demands.selectRow(0)
    dlg = page.edit_demand_button.click() or page.dialog
    assert dlg.picker.code == "7115" and dlg.editor("quota").text() == "25"
    type_into(qtbot, dlg.editor("quota"), "0")
    click(qtbot, dlg.save_button)
    assert dlg.boxes["quota"].error.text()
    type_into(qtbot, dlg.editor("quota"), "40")
    click(qtbot, dlg.save_button)
    assert _rows(tmp_path, "SELECT quota, language, level, min_experience_years, min_age, "
                           "max_age FROM demand") == [(40, "pl", "b1", 2, 21, 45)]

    page.demands.selectRow(0)
    monkeypatch.setattr(ReasonDialog, "ask", classmethod(lambda c, p, t, q: "კვოტა გაუქმდა"))
    click(qtbot, page.remove_demand_button)
    assert page.demands.rowCount() == 0
    assert _rows(tmp_path, "SELECT deleted FROM demand") == [(1,)]
