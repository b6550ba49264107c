"""Attachments in the window as an officer uses them: open a candidate, press
“Attachments…”, drop a scan or choose it in the file dialog, see it listed, view it (from
memory, logged), be refused a bad file with the message naming it and nothing saved, remove
one with a reason; and the file attached here is on a second desk after a package."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog

from tests.attachment_files import XLSX_AS_PDF, pdf, png
from tests.helpers import dump, person
from tests.ui.officer import click


@pytest.fixture
def opened(qtbot, window, app):
    """The window on the Candidates page with one candidate open."""
    app.ensure_desk("ქუთაისის სამუშაო ადგილი")
    cid = app.candidates.register(person("01001012345")).id
    window.show_page("candidates")
    window.candidates.refresh()
    window.candidates.open_candidate(cid)
    return window, cid


def drop(widget, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    ev = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                    Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    # QApplication.sendEvent drops a Drop that no drag started; the widget's own handler
    # is what a real drag ends in
    widget.event(ev)


def test_attach_by_drop_and_dialog_view_and_remove(qtbot, opened, app, tmp_path,
                                                  monkeypatch) -> None:
    from migdesk.ui.dialogs import ReasonDialog

    window, cid = opened
    button = window.candidates.attachments_button
    assert button.text() == "მიმაგრებული ფაილები…"
    click(qtbot, button)
    dlg = button.dialog
    qtbot.waitExposed(dlg)
    assert dlg.table.rowCount() == 0

    scan = tmp_path / "passport.pdf"
    scan.write_bytes(pdf("Synthetic passport scan"))
    drop(dlg, [scan])  # dropped from a file manager
    assert dlg.table.rowCount() == 1
    assert dlg.table.item(0, 0).text() == "პასპორტი"
    assert dlg.table.item(0, 1).text() == "passport.pdf"

    photo = tmp_path / "photo.png"
    photo.write_bytes(png(300, 400))
    dlg.kind.set_key("photo")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *a, **k: ([str(photo)], ""))
    click(qtbot, dlg.add_btn)
    assert dlg.table.rowCount() == 2
    assert {dlg.table.item(r, 0).text() for r in range(2)} == {"პასპორტი", "ფოტოსურათი"}
    assert dlg.error.text() == ""

    # viewing: from memory (no file), and the access is in the audit chain
    row = [dlg.table.item(r, 1).text() for r in range(2)].index("passport.pdf")
    dlg.select_row(row)
    viewer = dlg.view_selected()
    qtbot.waitExposed(viewer)
    assert viewer.shown_ok() and viewer.pdf_view is not None
    qtbot.wait(300)
    viewer.grab().save(str(tmp_path / "viewer_pdf.png"))
    viewer.close_btn.click()
    dlg.select_row(1 - row)
    viewer = dlg.view_selected()
    assert viewer.shown_ok() and viewer.image_label is not None
    viewer.reject()
    views = [a for a in app.audit.accesses() if a.entity == "attachment"]
    assert [a.action for a in views] == ["view", "view"]

    # removing asks for a reason; the reason is kept
    monkeypatch.setattr(ReasonDialog, "ask", classmethod(lambda c, p, t, q: "scan of a stranger"))
    dlg.select_row(row)
    assert dlg.remove_selected()
    assert dlg.table.rowCount() == 1
    assert [a.filename for a in app.attachments.list(cid)] == ["photo.png"]
    dlg.close_btn.click()


def test_a_bad_file_is_refused_beside_the_field_and_nothing_is_saved(qtbot, opened, app,
                                                                   tmp_path) -> None:
    window, cid = opened
    dlg = window.candidates.attachments_button.show_dialog()
    fake = tmp_path / "diploma.pdf"
    fake.write_bytes(XLSX_AS_PDF)
    big = tmp_path / "scan.tif"
    with big.open("wb") as fh:
        fh.write(b"II*\x00")
        fh.truncate(21 * 1024 * 1024)
    before = dump(tmp_path / "desk.db")
    assert dlg.attach_files([str(fake), str(big)]) == 0
    text = dlg.error.text()
    assert "diploma.pdf" in text and "PDF, JPEG, PNG" in text
    assert "scan.tif" in text and "20 მბ" in text
    assert dlg.error.isVisible()
    assert dlg.table.rowCount() == 0
    assert dump(tmp_path / "desk.db") == before


def test_no_candidate_open_says_so(qtbot, window) -> None:
    window.show_page("candidates")
    seen: list[str] = []
    window.candidates.message.connect(seen.append)
    assert window.candidates.attachments_button.show_dialog() is None
    assert seen and "კანდიდატი" in seen[0]


def test_attached_in_the_window_travels_to_a_second_desk(qtbot, window, app, tmp_path) -> None:
    from migdesk.services import Migdesk
    from migdesk.ui.candidates.attachments import AttachmentsDialog
    from tests.helpers import admin
    from tests.sync.net import introduce

    app.ensure_desk("ქუთაისის სამუშაო ადგილი")
    app.sync.keys()
    cid = app.candidates.register(person("01001012345")).id
    scan = tmp_path / "consent.pdf"
    scan.write_bytes(pdf("Synthetic signed consent form"))
    dlg = AttachmentsDialog(app, cid, "კაპანაძე ნინო")
    qtbot.addWidget(dlg)
    dlg.kind.set_key("consent")
    assert dlg.attach_files([str(scan)]) == 1

    other = admin(Migdesk.open(str(tmp_path / "central.db")))
    try:
        other.ensure_desk("Central")
        other.sync.keys()
        other.sync.set_role("central")
        introduce(tmp_path, other, app)
        pkg = tmp_path / "to-central.mdp"
        app.sync.export(pkg, to=other.desk_id)
        other.sync.import_package(pkg)
        there = AttachmentsDialog(other, cid, "კაპანაძე ნინო")
        qtbot.addWidget(there)
        assert there.table.rowCount() == 1
        assert there.table.item(0, 0).text() == "თანხმობის ფორმა"
        there.select_row(0)
        viewer = there.view_selected()
        assert viewer.shown_ok()
        assert bytes(viewer.data) == scan.read_bytes()
        viewer.reject()
    finally:
        other.close()
