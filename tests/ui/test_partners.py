"""Recording a partner state's stage, agreements, milestones and assessments in the window."""

from __future__ import annotations

from migdesk.ui.dialogs import ReasonDialog
from tests.ui.officer import click, type_into


def _page(window, app):
    app.partners.add("PL", "negotiating")
    window.show_page("partners")
    page = window.partners
    page.refresh()
    page.list.setCurrentRow(0)
    return page, page.editor


def test_agreement_and_milestone_with_a_partial_date(qtbot, window, app):
    page, ed = _page(window, app)
    ed.ag_kind.set_key("agreement")
    type_into(qtbot, ed.ag_title_ka, "შეთანხმება სეზონური დასაქმების შესახებ")
    type_into(qtbot, ed.ag_title_en, "Agreement on seasonal employment")
    click(qtbot, ed.ag_button)
    assert [a.title_en for a in app.partners.get("PL").agreements] \
        == ["Agreement on seasonal employment"]
    ed.ms_kind.set_key("signed")
    type_into(qtbot, ed.ms_date, "2018-13")  # no thirteenth month: refused, nothing saved
    click(qtbot, ed.ms_button)
    assert "თარიღი" in ed.errors["milestone"].text()
    assert app.partners.get("PL").agreements[0].milestones == []
    assert ed.ms_date.text() == "2018-13"  # what was typed stays to be corrected
    type_into(qtbot, ed.ms_date, "2018-12")
    type_into(qtbot, ed.ms_place, "ვარშავა")
    click(qtbot, ed.ms_button)
    assert ed.errors["milestone"].text() == ""
    row = [page.milestones.item(0, c).text() for c in range(4)]
    assert row[0] == "2018 წლის დეკემბერი" and row[3] == "ვარშავა"
    assert "შეთანხმება სეზონური დასაქმების შესახებ" in row[2]
    assert window.status_text.text() == "ეტაპი დაემატა"


def test_stage_change_asks_for_a_reason(qtbot, window, app, monkeypatch):
    page, ed = _page(window, app)
    ed.stage.set_key("in_force")
    monkeypatch.setattr(ReasonDialog, "ask", classmethod(lambda c, p, t, q: None))
    click(qtbot, ed.stage_button)  # cancelled: nothing changes, the combo goes back
    assert app.partners.get("PL").stage == "negotiating" and ed.stage.key() == "negotiating"
    ed.stage.set_key("in_force")
    monkeypatch.setattr(ReasonDialog, "ask",
                        classmethod(lambda c, p, t, q: "the agreement entered into force"))
    click(qtbot, ed.stage_button)
    assert app.partners.get("PL").stage == "in_force"
    assert page.stage.text() == "თანამშრომლობის ეტაპი: ხელშეკრულება ძალაშია"
    history = app.audit.changes("partner_state", app.partners.get("PL").id)
    assert history[-1].reason == "the agreement entered into force"
    assert history[-1].changes["stage"] == ["negotiating", "in_force"]


def test_assessment_with_minimum_wage_and_a_bad_address(qtbot, window, app):
    page, ed = _page(window, app)
    type_into(qtbot, ed.as_date, "2026-03-01")
    ed.as_decision.set_key("negotiating")
    type_into(qtbot, ed.as_wage, "4666")
    type_into(qtbot, ed.as_currency, "pln")
    type_into(qtbot, ed.as_source, "not a web address")
    click(qtbot, ed.as_button)
    assert ed.errors["assessment"].text() != ""
    assert app.partners.get("PL").assessments == []
    type_into(qtbot, ed.as_source, "https://www.gov.pl/web/rodzina/placa-minimalna")
    click(qtbot, ed.as_button)
    assert ed.errors["assessment"].text() == ""
    cells = [page.assessments.item(0, c).text() for c in range(5)]
    assert cells[0] == "2026 წლის 1 მარტი"
    assert "4666" in cells[2].replace(" ", "").replace("\xa0", "") and "PLN" in cells[2]
    assert cells[3] == "https://www.gov.pl/web/rodzina/placa-minimalna"


def test_overview_marks_expired_passports_of_candidates_in_selection(qtbot, window, app):
    from migdesk.services.validation import CandidateInput

    for pn, last, expiry in (("01024012371", "ბერიძე", "2026-11-01"),
                             ("01024012372", "კაპანაძე", "2027-02-01"),
                             ("01024012373", "გელაშვილი", "2030-01-01")):
        app.candidates.register(CandidateInput(pn, "ნინო", last, "1990-01-01",
                                               passport_number="12AB34567",
                                               passport_expiry=expiry))
        app.candidates.change_status(pn, "screened", "documents checked")
    window.show_page("overview")
    window.overview.refresh()
    t = window.overview.passports
    rows = [[t.item(r, c).text() for c in range(3)] for r in range(t.rowCount())]
    assert rows == [["ბერიძე ნინო", "წინასწარ შემოწმებული", "2026-11-01 — ვადაგასულია"],
                    ["კაპანაძე ნინო", "წინასწარ შემოწმებული", "2027-02-01"]]
    assert t.item(0, 2).foreground().color().name() == "#b00020"
