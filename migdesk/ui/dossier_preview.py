"""A candidate's dossier inside the window (QtPdf), with Print, Save as… and Close; and a
bound PDF of several candidates made through the task runner (issue 4).

Printing and saving go through the dossier service, which records 'print' / 'export' in the
access log. The preview itself is not logged (the PDF is made without an access entry)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain.errors import MigdeskError
from migdesk.i18n import _
from migdesk.services.dossiers import DossierService
from migdesk.ui.dialogs import show_error
from migdesk.ui.tasks import Handle, TaskRunner

PDF_FILTER = "PDF (*.pdf)"


def preview_pdf(app: Any, candidate_id: str) -> tuple[str, bytes]:
    """The dossier number and PDF for showing only (no access entry: nothing left the desk)."""
    from migdesk.documents import dossier, fonts

    fonts.register(app.setting("font_path"))
    inp = DossierService(app).prepare(candidate_id)
    return inp.number, dossier.render([inp], author=app.desk.name)


class DossierPreview(QDialog):
    def __init__(self, app: Any, candidate_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.candidate_id = candidate_id
        self.service = DossierService(app)
        self.number, self.pdf = preview_pdf(app, candidate_id)
        self.setWindowTitle(_("Dossier {number}").format(number=self.number))
        self.resize(QSize(820, 900))
        self.data = QByteArray(self.pdf)
        self.buffer = QBuffer(self.data, self)
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self.buffer)
        self.view = QPdfView(self)
        self.view.setObjectName("dossier_view")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.buttons = QDialogButtonBox()
        self.print_btn = QPushButton(_("Print…"))
        self.print_btn.setObjectName("print")
        self.save_btn = QPushButton(_("Save as…"))
        self.save_btn.setObjectName("save_as")
        self.close_btn = QPushButton(_("Close"))
        self.close_btn.setObjectName("close")
        self.buttons.addButton(self.print_btn, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.save_btn, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.close_btn, QDialogButtonBox.ButtonRole.RejectRole)
        self.print_btn.clicked.connect(self.print_)
        self.save_btn.clicked.connect(self.save_as)
        self.close_btn.clicked.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.buttons)

    def page_count(self) -> int:
        return self.document.pageCount()

    # -- save -------------------------------------------------------------------------------
    def save_as(self) -> Path | None:
        path, _f = QFileDialog.getSaveFileName(
            self, _("Save as…"), str(Path.home() / f"{self.number}.pdf"), PDF_FILTER)
        if not path:
            return None
        return self.save_to(path)

    def save_to(self, path: str | Path) -> Path | None:
        try:
            self.service.save(self.candidate_id, path, action="export")
        except MigdeskError as exc:
            show_error(self, exc)
            return None
        return Path(path)

    # -- print ------------------------------------------------------------------------------
    def print_(self) -> bool:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintDialog(printer, self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        """Render the freshly made (and logged) dossier page by page onto `printer`."""
        try:
            rendered = self.service.render(self.candidate_id, action="print")
        except MigdeskError as exc:
            show_error(self, exc)
            return False
        doc = QPdfDocument(self)
        data = QByteArray(rendered.pdf)
        buf = QBuffer(data)
        buf.open(QIODevice.OpenModeFlag.ReadOnly)
        doc.load(buf)
        painter = QPainter()
        if not painter.begin(printer):
            return False
        try:
            res = printer.resolution()
            for i in range(doc.pageCount()):
                if i:
                    printer.newPage()
                target = printer.pageRect(QPrinter.Unit.DevicePixel).toRect()
                pts = doc.pagePointSize(i)
                scale = min(target.width() / pts.width(), target.height() / pts.height()) \
                    if pts.width() > 0 and pts.height() > 0 else res / 72
                size = QSize(int(pts.width() * scale), int(pts.height() * scale))
                image = doc.render(i, size)
                painter.drawImage(0, 0, image)
        finally:
            painter.end()
            doc.close()
            buf.close()
        return True


def show_preview(parent: QWidget | None, app: Any, candidate_id: str) -> DossierPreview:
    dlg = DossierPreview(app, candidate_id, parent)
    dlg.open()
    return dlg


def batch_print(parent: QWidget | None, app: Any, candidate_ids: list[str],
                runner: TaskRunner | None = None, path: str | Path | None = None
                ) -> Handle | None:
    """One bound PDF of the selected candidates (a programme's), made through the task
    runner with a progress dialog that can cancel; the file opens in the preview's viewer
    afterwards is left to the caller (`on_done` gets the path)."""
    from migdesk.ui.pages.exchange import in_worker, show_progress

    if not candidate_ids:
        return None
    if path is None:
        path, _f = QFileDialog.getSaveFileName(
            parent, _("Save the dossiers as…"),
            str(Path(tempfile.gettempdir()) / "dossiers.pdf"), PDF_FILTER)
        if not path:
            return None
    target = Path(path)
    own = runner is None
    if runner is None:
        runner = TaskRunner(parent)
    ids = list(candidate_ids)

    def work(progress: Any) -> Any:
        return in_worker(app, lambda w: DossierService(w).batch(
            ids, target, bound=True, action="print", progress=progress))

    def done(result: Any) -> None:
        if parent is not None and hasattr(parent, "say"):
            if result.cancelled:
                parent.say(_("Cancelled"))
            else:
                parent.say(_("Dossiers saved to {path}").format(path=str(target)))

    handle_box: list[Handle] = []
    if own and parent is not None:
        runner.started.connect(lambda h: show_progress(parent, h))
    handle = runner.submit(_("Print dossiers"), work, on_done=done,
                           on_error=lambda exc: show_error(parent, exc))
    handle_box.append(handle)
    return handle
