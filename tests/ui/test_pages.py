"""Visits, overview, programmes, languages and the table model, through the real window."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTableView, QTabWidget

from migdesk.ui.candidates.table_model import CandidateTableModel
from migdesk.ui.dialogs import ReasonDialog
from tests.ui.officer import click, fill_candidate, type_into


def test_visit_with_follow_up_is_overdue_on_overview(qtbot, window, app):
    window.show_page("visits")
    page = window.visits
    page.new_visit()
    page._ed("direction").set_key("incoming")
    page._ed("country").set_key("IL")  # a country picked by its name from the CLDR list
    type_into(qtbot, page._ed("city"), "Tel Aviv")
    type_into(qtbot, page._ed("start_date"), "2026-10-01")
    type_into(qtbot, page._ed("lead_agency"), "MoLHSA")
    click(qtbot, page.save_button)
    assert len(app.visits.list()) == 1
    type_into(qtbot, page.fu_edits["action"], "Exchange the draft agreement")
    type_into(qtbot, page.fu_edits["responsible"], "MFA")
    type_into(qtbot, page.fu_edits["due_date"], "2026-11-01")
    click(qtbot, page.fu_add)
    assert page.follow_ups.rowCount() == 1
    window.show_page("overview")
    assert window.overview.overdue_actions() == ["Exchange the draft agreement"]
    t = window.overview.follow_ups
    assert t.item(0, 1).text() == "Exchange the draft agreement"
    assert t.item(0, 3).text() == "ვადაგადაცილებული"


def test_programme_select_matching_candidate(qtbot, window, app, monkeypatch):
    from migdesk.services.programs import DemandInput

    app.partners.add("PL", "in_force")
    app.programs.add("PL-PILOT", "პოლონეთის პილოტი", "Poland pilot", "pilot", "PL",
                     demands=[DemandInput("7115", quota=10)])
    window.act_new.trigger()
    fill_candidate(qtbot, window.candidates.form, pn="01024012360", first="დავითი",
                   last="ხუციშვილი", birth="1988-08-08", passport="12AB34567",
                   expiry="2032-01-01", occupation="დურგ", years=5)
    window.act_save.trigger()
    assert app.candidates.count() == 1
    window.show_page("programs")
    page = window.programs
    assert page.match_table.rowCount() == 1
    page.match_table.selectRow(0)
    monkeypatch.setattr(ReasonDialog, "ask", classmethod(lambda c, p, t, q: "good fit"))
    click(qtbot, page.select_button)
    assert app.candidates.search("ხუციშვილი").items[0].status == "selected"


def test_switch_to_english_and_back(qtbot, window):
    window.act_en.trigger()
    assert window.nav.item(1).text() == "Candidates"
    assert window.candidates.form.save_button.text() == "Save"
    assert window.menu_file.title() == "&File"
    window.act_ka.trigger()
    assert window.nav.item(1).text() == "კანდიდატები"
    assert window.candidates.form.save_button.text() == "შენახვა"


def test_table_model_passes_qtmodeltester(qtbot, qtmodeltester, app):
    from migdesk.services.validation import CandidateInput

    for i in range(7):
        app.candidates.register(CandidateInput(f"0102401240{i}", "ნინო", f"ბერიძე{'ა' * i}",
                                               "1990-01-01"))
    model = CandidateTableModel(app, page_size=3)
    model.reload("")
    assert model.rowCount() == 3 and model.canFetchMore()
    qtmodeltester.check(model, force_py=True)
    model.fetch_all()
    assert model.rowCount() == 7 and not model.canFetchMore()
    qtmodeltester.check(model, force_py=True)


LATIN = re.compile(r"[A-Za-z]")
# data codes such as a dossier number "D-6F24FBEB46-1": capitals and digits, with a digit
CODE = re.compile(r"(?=.*\d)[A-Z0-9]+(-[A-Z0-9]+)*")
ALLOWED = {"CEFR", "ISCO", "ISO", "migdesk", "ISCO-08", "A1", "A2", "B1", "B2", "C1", "C2"}


def _untranslated(text: str) -> bool:
    text = text.replace("&", "")
    words = re.findall(r"[A-Za-z][A-Za-z0-9\-]*", text)
    return any(w not in ALLOWED and not CODE.fullmatch(w) for w in words)


def visible_texts(root):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

    for w in [root, *root.findChildren(QWidget)]:
        if w.property("i18n_data"):
            continue
        if isinstance(w, QLabel):
            yield w, w.text()
        elif isinstance(w, QAbstractButton):
            yield w, w.text()
        elif isinstance(w, QGroupBox):
            yield w, w.title()
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                yield w, w.tabText(i)
        elif isinstance(w, QTableView) and w.model() is not None:
            m = w.model()
            for c in range(m.columnCount()):
                yield w, str(m.headerData(c, Qt.Orientation.Horizontal) or "")
        elif isinstance(w, (QLineEdit, QPlainTextEdit)):
            yield w, w.placeholderText()
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield w, w.itemText(i)
        if w.toolTip():
            yield w, w.toolTip()
        if w.isWindow():
            yield w, w.windowTitle()
    for a in root.findChildren(QAction):
        if not a.property("i18n_data"):
            yield a, a.text()
            if a.toolTip() != a.text().replace("&", ""):
                yield a, a.toolTip()


def _bad_texts(root) -> list[tuple[str, str, str]]:
    return [(type(w).__name__, w.objectName(), text) for w, text in visible_texts(root)
            if text and _untranslated(text)]


def test_every_visible_string_has_a_georgian_translation(qtbot, window, app):
    window.candidates.form.show_errors(__import__(
        "migdesk.domain.errors").domain.errors.ValidationError.of("personal_number", "Required"))
    for key in ("overview", "candidates", "partners", "visits", "programs", "exchange"):
        window.show_page(key)
    bad = _bad_texts(window)
    assert not bad, bad


def _dialogs(window, app):
    """Every dialog class of migdesk/ui, built as the window would build it (not run)."""
    from migdesk.services.validation import CandidateInput
    from migdesk.ui.candidates.occupation_picker import OccupationPicker
    from migdesk.ui.candidates.status_dialog import StatusDialog
    from migdesk.ui.dialogs import Confirm, ErrorBox, UnsavedEdits
    from migdesk.ui.dossier_preview import DossierPreview
    from migdesk.ui.pages.exchange import ExchangePage
    from migdesk.ui.tasks import Handle, show_progress

    yield StatusDialog(window, "registered")
    dlg = ReasonDialog(window, "მიზეზი", "რატომ?")
    dlg._accept()  # the "required" message
    yield dlg
    yield Confirm.build(window, "კანდიდატის წაშლა", "წავშალო?")
    yield UnsavedEdits.build(window)
    yield ErrorBox.build(window, "ვერ შევინახე")
    dlg = show_progress(window, Handle("პაკეტის შექმნა"))
    dlg.setMinimumDuration(0)
    yield dlg
    picker = OccupationPicker()
    picker._search("დურგ")
    yield picker
    app.ensure_desk("თბილისის სამუშაო ადგილი")
    cid = app.candidates.register(CandidateInput("01024012360", "ნინო", "ბერიძე",
                                                 "1990-01-01")).id
    yield DossierPreview(app, cid, window)
    yield ExchangePage(app)


def test_every_dialog_speaks_georgian(qtbot, window, app):
    bad, seen = [], []
    for dlg in _dialogs(window, app):
        seen.append(type(dlg).__name__)
        dlg.show()
        qtbot.waitExposed(dlg)
        bad += [(type(dlg).__name__, *b) for b in _bad_texts(dlg)]
        dlg.close()
        dlg.deleteLater()
    assert len(seen) == 9
    assert not bad, bad


def test_the_walk_sees_english_when_english_is_chosen(qtbot, window, app):
    """The check itself works: in English every dialog shows Latin text."""
    from migdesk.ui.i18n_qt import switch_language

    switch_language("en")
    for dlg in _dialogs(window, app):
        dlg.show()
        assert _bad_texts(dlg), type(dlg).__name__
        dlg.close()
        dlg.deleteLater()
