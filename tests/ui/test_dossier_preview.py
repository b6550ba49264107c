"""The dossier preview: a real dossier in QtPdf, Save as… writes a logged PDF, printing
renders pages onto a printer (a PDF file here), and a bound batch goes through the runner."""

from __future__ import annotations

import pytest

from tests.helpers import person


@pytest.fixture
def candidate(app):
    app.ensure_desk("თბილისის სამუშაო ადგილი")
    return app.candidates.register(person("01001012345")).id


def actions(app) -> list[str]:
    """What the audit trail recorded about the candidate's personal data, oldest first."""
    return [a.action for a in reversed(app.audit.accesses()) if a.entity == "candidate"]


def test_preview_shows_the_dossier_and_saves_a_logged_pdf(qtbot, app, candidate, tmp_path,
                                                          monkeypatch) -> None:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtWidgets import QFileDialog

    from migdesk.ui.dossier_preview import DossierPreview

    dlg = DossierPreview(app, candidate)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.document.status() == QPdfDocument.Status.Ready
    assert dlg.page_count() >= 1
    assert actions(app) == []  # looking is not logged
    qtbot.wait(800)  # QPdfView renders pages in the background
    dlg.grab().save("/tmp/dossier_preview.png")

    out = tmp_path / "saved.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    assert dlg.save_as() == out
    assert out.read_bytes().startswith(b"%PDF")
    assert actions(app) == ["export"]
    from migdesk.services.dossiers import DossierService

    check = DossierService(app).check_file(out)  # what Save as… writes is signed by the desk
    assert check.ok and check.own and check.signature is None
    dlg.close_btn.click()
    assert not dlg.isVisible()


def test_print_renders_every_page_and_logs_print(qtbot, app, candidate, tmp_path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from migdesk.ui.dossier_preview import DossierPreview

    dlg = DossierPreview(app, candidate)
    qtbot.addWidget(dlg)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    assert dlg.print_to(printer)
    assert target.read_bytes().startswith(b"%PDF")
    assert actions(app) == ["print"]


def test_batch_print_makes_one_bound_pdf_through_the_runner(qtbot, app, tmp_path) -> None:
    from migdesk.ui.dossier_preview import batch_print
    from migdesk.ui.tasks import SyncRunner

    app.ensure_desk("თბილისის სამუშაო ადგილი")
    ids = [app.candidates.register(person(f"0100101234{i}", first=["ნინო", "მარიამ", "ნანა"][i])).id
           for i in range(3)]
    out = tmp_path / "bound.pdf"
    seen: list[tuple[int, int]] = []
    handle = batch_print(None, app, ids, runner=SyncRunner(), path=out)
    assert handle is not None
    handle.progressed.connect(lambda d, t: seen.append((d, t)))
    from pypdf import PdfReader

    assert len(PdfReader(str(out)).pages) >= 3
    assert sorted(actions(app)) == ["print"] * 3
    from migdesk.services.dossiers import DossierService

    check = DossierService(app).check_file(out)  # one signature over the bound file
    assert check.ok and len(check.verdicts) == 3
