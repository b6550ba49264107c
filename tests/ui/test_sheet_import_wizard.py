"""The spreadsheet import wizard, driven as an officer would: the file and sheet, the
guessed columns with the first rows as read, the dry run, the import, the error file."""

from __future__ import annotations

from openpyxl import load_workbook

from tests.helpers import person
from tests.sheets import build


def test_wizard_maps_runs_dry_imports_and_saves_the_rows_to_correct(qtbot, window, tmp_path,
                                                                    monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    app = window.app
    for pn, first, last, birth in build.REGISTERED:
        app.candidates.register(person(pn=pn, first=first, last=last, birth=birth))
    before = app.candidates.count()
    messy = build.messy_xlsx(tmp_path / "სია.xlsx")
    window.import_list()
    wiz = window.import_wizard
    qtbot.waitExposed(wiz)
    wiz.files.path.setText(str(messy))
    wiz.files.load_sheets()
    assert wiz.files.sheet.currentText() == "სია" and wiz.files.isComplete()
    wiz.next()
    cols = wiz.columns
    assert cols.combos["personal_number"].currentData() == "პირადი ნომერი"
    assert cols.combos["birth_date"].currentData() == "დაბადების თარიღი"
    assert cols.preview.rowCount() >= 5  # the first rows, as they will be read
    texts = [cols.preview.item(r, 2).text() for r in range(cols.preview.rowCount())]
    assert any("ლათინური" in t for t in texts)  # row 10's Latin name, reported in Georgian
    wiz.next()
    counts = wiz.dry.counts.text()
    assert "ახალი: 3" in counts and "შეცდომა: 4" in counts, counts
    assert app.candidates.count() == before  # a dry run writes nothing
    wiz.grab().save(str(tmp_path / "wizard-dry-run.png"))
    errors = tmp_path / "to-correct.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(errors), ""))
    wiz.accept()
    assert app.candidates.count() == before + 3
    book = load_workbook(errors, read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    assert rows[0][-1] == "მიზეზი / Reason" and len(rows) == 1 + 4 + 2  # errors, duplicates
    assert "იმპორტირებულია: 3 ახალი" in window.status_text.text()
    assert [e.action for e in app.audit.entries(action="import")] == ["import"]
