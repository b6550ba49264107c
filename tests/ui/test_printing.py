"""The Print menu as an officer uses it: a programme's dossiers as one bound PDF (one dossier
per candidate, each named in it), one file per candidate in a folder, a cancel that leaves no
file, and the current list as a Georgian PDF table."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader

from tests.helpers import person

FIRST = ["ნინო", "მარიამ", "ნანა", "თამარ", "ეკა"]


@pytest.fixture
def program(app):
    app.ensure_desk("ქუთაისის სამუშაო ადგილი")
    app.partners.add("PL", "interest_expressed")
    pid = app.programs.add("PL-TEST", "პოლონეთი", "Poland", "pilot", "PL",
                           start_date="2027-03-01").id
    ids = []
    for i, first in enumerate(FIRST):
        cid = app.candidates.register(person(f"0100101234{i}", first=first,
                                             last="ბერიძე")).id
        app.programs.apply(cid, pid)
        ids.append(cid)
    app.candidates.register(person("02002012345", first="ლევან", last="გელაშვილი"))  # not in it
    return pid, ids


def text_of(path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


def test_the_print_menu_is_in_the_window_in_georgian(qtbot, window) -> None:
    menu = window.print_menu
    assert menu.title() == "&ბეჭდვა"
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "პროგრამის დოსიეები…", "მიმდინარე სიის დოსიეები…", "სიის ბეჭდვა ცხრილად…"]
    assert menu.menuAction().isVisible()


def test_a_programme_bound_print_has_one_dossier_per_candidate(qtbot, window, app, program,
                                                              tmp_path) -> None:
    pid, ids = program
    dlg = window.print_menu.dossiers("program")
    dlg.program.set_key(pid)
    assert dlg.count.text() == "დასაბეჭდი დოსიეები: 5"
    out = tmp_path / "bound.pdf"
    dlg.target.setText(str(out))
    assert dlg.bound.isChecked()
    seen: list[tuple[int, int]] = []
    window.runner.started.connect(lambda h: h.progressed.connect(lambda d, t: seen.append((d, t))))
    handle = dlg.start()
    assert handle is not None and not dlg.isVisible()
    text = text_of(out)
    for first in FIRST:
        assert f"{first}" in text
    assert "ლევან" not in text
    assert text.count("ბერიძე") >= 5
    from migdesk.services.dossiers import DossierService

    check = DossierService(app).check_file(out)  # one desk signature over the bound file
    assert check.ok and sorted(v.candidate_id for v in check.verdicts) == sorted(ids)
    assert seen and seen[-1] == (5, 5)
    assert "5" in window.status_text.text() and str(out) in window.status_text.text()
    prints = [a for a in app.audit.accesses() if a.action == "print"]
    assert sorted(a.entity_id for a in prints) == sorted(ids)


def test_one_file_per_candidate_in_a_folder(qtbot, window, app, program, tmp_path) -> None:
    pid, ids = program
    dlg = window.print_menu.dossiers("program")
    dlg.program.set_key(pid)
    dlg.separate.setChecked(True)
    folder = tmp_path / "dossiers"
    dlg.target.setText(str(folder))
    dlg.start()
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == 5
    assert all(len(PdfReader(str(f)).pages) >= 1 for f in files)


def test_a_cancelled_bound_print_leaves_no_file(qtbot, window, app, tmp_path) -> None:
    app.ensure_desk("ქუთაისის სამუშაო ადგილი")
    app.partners.add("PL", "interest_expressed")
    pid = app.programs.add("PL-BIG", "პოლონეთი", "Poland", "pilot", "PL").id
    for i in range(25):
        app.programs.apply(app.candidates.register(person(f"030030{i:05d}")).id, pid)
    dlg = window.print_menu.dossiers("program")
    dlg.program.set_key(pid)
    out = tmp_path / "cancelled.pdf"
    dlg.target.setText(str(out))
    # the officer presses Cancel as soon as the first dossiers are made
    window.runner.started.connect(lambda h: h.progressed.connect(lambda d, t: h.cancel()))
    dlg.start()
    assert not out.exists()
    assert list(tmp_path.glob("*.part")) == [] and list(tmp_path.glob(".*.part")) == []
    assert "გაუქმდა" in window.status_text.text()
    assert [a for a in app.audit.accesses() if a.action == "print"] == []


def test_the_current_list_as_a_table(qtbot, window, app, program, tmp_path) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    pid, ids = program
    window.show_page("candidates")
    window.candidates.program.retranslate()  # the programme made after the page
    window.candidates.program.set_key(pid)
    window.candidates.refresh()
    out = tmp_path / "list.pdf"
    window.print_menu.list_table(out)
    text = text_of(out)
    for first in FIRST:
        assert f"ბერიძე {first}" in text
    assert "ლევან" not in text
    assert "კანდიდატების სია" in text and "პოლონეთი" in text
    assert "რეგისტრირებული" in text
    doc = QPdfDocument()
    doc.load(str(out))
    assert doc.pageCount() == 1
    doc.render(0, QSize(1240, 1754)).save(str(tmp_path / "list_page.png"))
    [entry] = [a for a in app.audit.accesses() if a.action == "print"]
    detail = json.loads(entry.detail) if isinstance(entry.detail, str) else entry.detail
    assert detail["rows"] == 5 and detail["what"] == "list"


def test_a_cancelled_list_leaves_no_file(qtbot, window, app, program, tmp_path) -> None:
    out = tmp_path / "list.pdf"
    window.runner.started.connect(lambda h: h.cancel())
    window.print_menu.list_table(out)
    assert not out.exists() and list(tmp_path.glob(".*.part")) == []
    assert "გაუქმდა" in window.status_text.text()


def test_a_target_that_cannot_be_written_is_refused_beside_the_field(qtbot, window, app,
                                                                     program, tmp_path) -> None:
    pid, _ids = program
    dlg = window.print_menu.dossiers("program")
    dlg.program.set_key(pid)
    dlg.target.setText(str(tmp_path / "no-such-folder" / "bound.pdf"))
    assert dlg.start() is None
    assert "no-such-folder" in dlg.error.text() and dlg.isVisible()
    assert not (tmp_path / "no-such-folder").exists()
    assert [a for a in app.audit.accesses() if a.action == "print"] == []
    dlg.reject()


def test_the_menu_and_the_attachments_button_follow_the_language(qtbot, window) -> None:
    from PySide6.QtWidgets import QApplication

    from migdesk.ui.i18n_qt import switch_language

    switch_language("en")
    QApplication.processEvents()
    assert window.print_menu.title() == "&Print"
    assert window.print_menu.act_table.text() == "Print the list as a table…"
    assert window.candidates.attachments_button.text() == "Attachments…"
    switch_language("ka")
    QApplication.processEvents()
    assert window.print_menu.title() == "&ბეჭდვა"
