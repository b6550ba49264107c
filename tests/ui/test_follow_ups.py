"""Follow-up actions on the visits page: status editing, and what the Overview lists."""

from __future__ import annotations

import sqlite3

from migdesk.services.visits import FollowUpInput, VisitInput
from tests.ui.conftest import TODAY
from tests.ui.officer import click, type_into


def _visit(app, *follow_ups: FollowUpInput) -> str:
    return app.visits.add(VisitInput("outgoing", "IL", "2026-10-01", "MoLHSA"),
                          list(follow_ups)).id


def test_marking_an_overdue_follow_up_done_drops_it_from_overview(qtbot, window, app,
                                                                   tmp_path):
    vid = _visit(app, FollowUpInput("Send the draft agreement", "MFA", "2026-11-01"))
    window.show_page("visits")
    window.show_page("overview")
    assert window.overview.overdue_actions() == ["Send the draft agreement"]
    window.show_page("visits")
    page = window.visits
    page._select(vid)
    assert page.follow_ups.rowCount() == 1
    assert page.follow_ups.item(0, 3).text() == "ვადაგადაცილებული"
    assert not page.fu_update.isEnabled()
    page.follow_ups.setCurrentCell(0, 1)
    assert page.fu_update.isEnabled()
    assert page.fu_sel_responsible.text() == "MFA"
    page.fu_status.set_key("done")
    type_into(qtbot, page.fu_sel_responsible, "MoLHSA")
    click(qtbot, page.fu_update)
    assert page.fu_error.text() == ""
    assert page.follow_ups.item(0, 3).text().startswith("შესრულებული")
    assert page.follow_ups.item(0, 2).text() == "MoLHSA"
    assert page.list.item(0, 3).text() == ""  # the visit no longer counts an overdue action
    window.show_page("overview")
    assert window.overview.overdue_actions() == []
    assert window.overview.follow_ups.rowCount() == 0
    db = sqlite3.connect(tmp_path / "desk.db")
    try:
        status, completed, responsible = db.execute(
            "SELECT status, completed_on, responsible FROM follow_up").fetchone()
    finally:
        db.close()
    assert status.lower() == "done" and completed == TODAY.isoformat()
    assert responsible == "MoLHSA"


def test_in_progress_stays_overdue_and_bad_date_is_shown(qtbot, window, app):
    vid = _visit(app, FollowUpInput("Agree the quota", None, "2026-11-01"))
    window.show_page("visits")
    page = window.visits
    page._select(vid)
    page.follow_ups.setCurrentCell(0, 0)
    page.fu_status.set_key("in_progress")
    click(qtbot, page.fu_update)
    assert page.follow_ups.item(0, 3).text() == "ვადაგადაცილებული"
    type_into(qtbot, page.fu_sel_due, "2026-13-45")
    click(qtbot, page.fu_update)
    assert page.fu_error.text()
    assert app.visits.get(vid).follow_ups[0].due_date.isoformat() == "2026-11-01"
    page.fu_status.set_key("cancelled")
    type_into(qtbot, page.fu_sel_due, "2026-12-31")
    click(qtbot, page.fu_update)
    f = app.visits.get(vid).follow_ups[0]
    assert (f.status, f.due_date.isoformat(), f.completed_on) == ("cancelled", "2026-12-31",
                                                                  None)


def test_overview_lists_undated_open_follow_ups_after_overdue(qtbot, window, app):
    _visit(app, FollowUpInput("Undated action"), FollowUpInput("Late action", None, "2026-01-05"),
           FollowUpInput("Far future action", None, "2027-06-01"),
           FollowUpInput("Finished undated", None, None, status="done"))
    window.show_page("visits")
    window.show_page("overview")
    t = window.overview.follow_ups
    rows = [(t.item(r, 0).text(), t.item(r, 1).text()) for r in range(t.rowCount())]
    assert rows == [("2026-01-05", "Late action"), ("ვადა არ არის", "Undated action")]
