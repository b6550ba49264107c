"""The candidate page and the overview as an officer sees them: the total count, the order the
arrow names, the selection kept, the duplicate question, fields that stay put, readable charts."""

from __future__ import annotations

import random

from PySide6.QtCore import Qt

from migdesk.services.validation import CandidateInput
from migdesk.ui.candidates.duplicate_dialog import DuplicateDialog
from migdesk.ui.candidates.status_dialog import StatusDialog
from tests.ui.officer import click, fill_candidate, type_into

FIRST = ["ნინო", "გიორგი", "ანა", "ლევანი", "თამარი", "ზურაბი", "ეკა", "დავითი", "მარიამი",
         "ბექა", "ხატია", "სანდრო"]


def register_many(app, n: int, surname=lambda i: f"ბერიძე{'ა' * (i % 5)}") -> None:
    for i in range(n):
        app.candidates.register(CandidateInput(
            f"0102{i:07d}", FIRST[i % len(FIRST)], surname(i),
            f"19{70 + i % 30}-0{1 + i % 9}-1{i % 10}"))


def test_count_is_the_total_of_matches_not_the_loaded_rows(qtbot, window, app):
    register_many(app, 230)
    page = window.candidates
    window.show_page("candidates")
    page.refresh()
    assert page.model.rowCount() == 200 and page.model.canFetchMore()  # one page loaded
    qtbot.waitUntil(lambda: "230" in page.count_label.text(), timeout=2000)
    assert "+" not in page.count_label.text()
    type_into(qtbot, page.search, "ბერიძეა")  # ბერიძეა, ბერიძეაა, ...: 4 of every 5
    qtbot.waitUntil(lambda: page.model.query == "ბერიძეა", timeout=2000)
    expected = app.candidates.count("ბერიძეა")
    assert expected == 184
    qtbot.waitUntil(lambda: "184" in page.count_label.text(), timeout=2000)
    page.status.set_key("screened")
    page.refresh()
    page.count_now()
    assert page.total == 0 and "0" in page.count_label.text()


def test_within_one_surname_first_names_are_in_order_with_and_without_a_query(
        qtbot, window, app):
    names = FIRST[:]
    random.Random(7).shuffle(names)
    for i, first in enumerate(names):  # registered in a shuffled order
        app.candidates.register(CandidateInput(f"0202{i:07d}", first, "აბაშიძე",
                                               "1990-01-01"))
    app.candidates.register(CandidateInput("03020000001", "ნინო", "აბაშიძევი", "1990-01-01"))
    page = window.candidates
    window.show_page("candidates")
    for query in ("", "აბაშ", "აბაშიძე"):
        page.search.setText(query)
        page.refresh()
        shown = [(c.last_name_ka, c.first_name_ka) for c in page.model.rows]
        assert shown == sorted(shown), query
        assert page.table.horizontalHeader().sortIndicatorSection() == 1
    # the other way round when the arrow points down
    page.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    page.search.setText("აბაშ")
    page.refresh()
    shown = [(c.last_name_ka, c.first_name_ka) for c in page.model.rows]
    assert shown == sorted(shown, reverse=True)
    # keyset pages keep that order: three at a time, as the table fetches them
    for query in ("", "აბაშ"):
        for desc in (False, True):
            got, cursor = [], None
            while True:
                p = app.candidates.search(query, limit=3, cursor=cursor, descending=desc)
                got += [(c.last_name_ka, c.first_name_ka) for c in p.items]
                cursor = p.next_cursor
                if cursor is None:
                    break
            assert len(got) == len(FIRST) + 1
            assert got == sorted(got, reverse=desc), (query, desc)


def test_selection_kept_after_a_status_change_and_a_save(qtbot, window, app, monkeypatch):
    register_many(app, 12)
    page = window.candidates
    window.show_page("candidates")
    page.refresh()
    page.table.clicked.emit(page.model.index(5, 1))
    cid = page.form.detail.id
    monkeypatch.setattr(StatusDialog, "ask",
                        classmethod(lambda cls, p, c: ("screened", "documents checked")))
    click(qtbot, page.form.status_button)
    assert app.candidates.get(cid, purpose=None).status == "screened"
    current = page.table.currentIndex()
    assert page.model.id_at(current.row()) == cid
    assert page.table.selectionModel().isRowSelected(current.row())
    # and after an edit and a save
    type_into(qtbot, page.form.editor("phone"), "+995555000111")
    click(qtbot, page.form.save_button)
    assert page.model.id_at(page.table.currentIndex().row()) == cid
    assert page.form.detail.id == cid


def _existing_and_a_lookalike(qtbot, window, app):
    first = app.candidates.register(CandidateInput("01024012347", "ანა", "გელაშვილი",
                                                   "1992-01-01"))
    window.act_new.trigger()
    form = window.candidates.form
    fill_candidate(qtbot, form, pn="01024012348", first="ანა", last="გელაშვილი",
                   birth="1992-01-01")
    return first.id, form


def test_duplicate_cancel_saves_nothing(qtbot, window, app, monkeypatch):
    existing, form = _existing_and_a_lookalike(qtbot, window, app)
    asked = []
    monkeypatch.setattr(DuplicateDialog, "ask",
                        classmethod(lambda cls, p, hints: asked.append(hints) or None))
    click(qtbot, form.save_button)
    assert len(asked) == 1 and asked[0][0].candidate.id == existing
    assert asked[0][0].reason == "name_and_birth_date"
    assert app.candidates.count() == 1  # nothing saved
    assert form.detail is None and form.dirty  # the typed record is still there


def test_duplicate_confirmed_saves(qtbot, window, app, monkeypatch):
    _existing, form = _existing_and_a_lookalike(qtbot, window, app)
    monkeypatch.setattr(DuplicateDialog, "ask", classmethod(lambda cls, p, hints: "save"))
    click(qtbot, form.save_button)
    assert app.candidates.count() == 2
    assert form.detail is not None and form.detail.personal_number == "01024012348"


def test_duplicate_open_shows_the_existing_record(qtbot, window, app, monkeypatch):
    existing, form = _existing_and_a_lookalike(qtbot, window, app)
    monkeypatch.setattr(DuplicateDialog, "ask",
                        classmethod(lambda cls, p, hints: ("open", hints[0].candidate.id)))
    click(qtbot, form.save_button)
    assert app.candidates.count() == 1
    assert form.detail is not None and form.detail.id == existing
    assert form.editor("personal_number").text() == "01024012347"


def test_duplicate_warning_links_to_the_existing_record(qtbot, window, app):
    existing, form = _existing_and_a_lookalike(qtbot, window, app)
    qtbot.waitUntil(lambda: form.dup_warning.isVisible(), timeout=2000)
    assert "გელაშვილი" in form.dup_warning.text() and existing in form.dup_warning.text()
    form.dup_warning.linkActivated.emit(existing)
    assert form.detail is not None and form.detail.id == existing


def test_duplicate_dialog_shows_the_existing_record(qtbot, window, app):
    _existing, form = _existing_and_a_lookalike(qtbot, window, app)
    form.check_duplicates()
    dlg = DuplicateDialog(window, form._hints)
    qtbot.addWidget(dlg)
    assert dlg.table.item(0, 0).text() == "01024012347"
    assert dlg.table.item(0, 1).text() == "გელაშვილი ანა"
    assert dlg.save_button is not None
    click(qtbot, dlg.open_button)
    assert dlg.choice == ("open", _existing)


def test_error_lines_do_not_move_the_fields(qtbot, window, app):
    window.act_new.trigger()
    window.resize(1366, 768)
    page = window.candidates
    form = page.form
    qtbot.wait(10)
    below = form.boxes["last_name_ka"]
    last = form.boxes["education"]
    before = (below.mapTo(form, below.rect().topLeft()), below.size(),
              last.mapTo(form, last.rect().topLeft()), form.save_button.isVisible())
    type_into(qtbot, form.editor("personal_number"), "123")
    click(qtbot, form.save_button)
    error = form.boxes["personal_number"].error
    assert error.isVisible() and error.text()
    qtbot.wait(10)
    after = (below.mapTo(form, below.rect().topLeft()), below.size(),
             last.mapTo(form, last.rect().topLeft()), form.save_button.isVisible())
    assert after == before
    assert app.candidates.count() == 0


def test_save_is_in_view_at_1366_by_768(qtbot, window, app):
    register_many(app, 3)
    window.resize(1366, 768)
    window.show_page("candidates")
    page = window.candidates
    page.refresh()
    page.table.clicked.emit(page.model.index(0, 1))
    qtbot.wait(10)
    save = page.form.save_button
    assert save.isVisible() and page.form.status_button.isVisible()
    top_left = save.mapTo(window, save.rect().topLeft())
    assert 0 <= top_left.y() and top_left.y() + save.height() <= window.height()
    assert window.width() <= 1366


def test_overview_labels_whole_and_ticks_whole_numbers(qtbot, window, app):
    from migdesk.domain.statuses import CandidateStatus

    register_many(app, 7)
    page = window.overview
    window.show_page("overview")
    page.refresh()
    assert page.chart_stack.currentWidget() is page.chart_view
    labels = page.bar_labels
    assert labels == [s.label("ka") for s in reversed(CandidateStatus)]
    assert not any("…" in t for t in labels)
    axis = page.value_axis
    assert axis.tickInterval() == int(axis.tickInterval()) >= 1
    assert axis.max() == int(axis.max()) and axis.max() % axis.tickInterval() == 0
    assert axis.labelFormat() == "%d"
    cat = next(a for a in page.chart.axes() if a is not axis)
    assert not cat.truncateLabels()


def test_overview_of_an_empty_desk_says_no_data_yet(qtbot, window):
    page = window.overview
    window.show_page("overview")
    page.refresh()
    assert page.chart_stack.currentWidget() is page.empty
    assert page.empty.text() and not page.chart.series()


def test_overview_ticks_for_large_counts():
    from migdesk.ui.pages.overview import abbreviated, nice_step

    assert nice_step(2070) == 500 and nice_step(518) == 200 and nice_step(3) == 1
    assert abbreviated("x" * 30).endswith(".") and len(abbreviated("x" * 30)) <= 22
