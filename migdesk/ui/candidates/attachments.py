"""A candidate's scanned documents in the window: list, attach (file dialog or drag and drop),
view in memory, save a copy, remove with a reason.

Every step is one call of `app.attachments` (services/attachments.py): the checks, the role,
the journal and the audit entry of each opening are there. Files are shown from memory
(QPixmap for images, QtPdf for PDFs): a scanned passport never lands in a temporary file.
`attach_to_page(page)` puts the "Attachments…" button beside the candidate's tabs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain.attachments import MAX_MB, AttachmentKind, kind_label
from migdesk.domain.errors import MigdeskError
from migdesk.i18n import _, language
from migdesk.ui.dialogs import ReasonDialog, show_error
from migdesk.ui.widgets import ERROR_STYLE, ChoiceCombo, data_label, labelled, mark_data

FILE_FILTER = "PDF, JPEG, PNG, TIFF (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)"
COLUMNS = ("kind", "file", "size", "added")


def _size(n: int) -> str:
    if n < 1024 * 1024:
        return _("{n} KB").format(n=max(1, round(n / 1024)))
    return _("{n} MB").format(n=f"{n / (1024 * 1024):.1f}")


class AttachmentsDialog(QDialog):
    """A candidate's documents; files dropped anywhere on it are attached as the chosen kind."""

    changed = Signal()

    def __init__(self, app: Any, candidate_id: str, title: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachments_dialog")
        self.app = app
        self.candidate_id = candidate_id
        self.items: list[Any] = []
        self.viewers: list[AttachmentViewer] = []
        self.setAcceptDrops(True)
        self.resize(QSize(760, 460))
        lay = QVBoxLayout(self)
        self.who = data_label(title)
        self.who.setStyleSheet("font-size: 15px; font-weight: bold;")
        lay.addWidget(self.who)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("attachments")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _i: self.view_selected())
        self.table.itemSelectionChanged.connect(self._enable)
        lay.addWidget(self.table, 1)

        add_row = QHBoxLayout()
        self.kind_label = QLabel()
        self.kind = ChoiceCombo(labelled(AttachmentKind))
        self.kind.setObjectName("kind")
        self.kind.set_key(AttachmentKind.PASSPORT.value)
        self.kind_label.setBuddy(self.kind)
        self.add_btn = QPushButton()
        self.add_btn.setObjectName("add_file")
        self.add_btn.clicked.connect(self.choose_files)
        add_row.addWidget(self.kind_label)
        add_row.addWidget(self.kind, 1)
        add_row.addWidget(self.add_btn)
        lay.addLayout(add_row)
        self.error = QLabel()
        self.error.setObjectName("error_file")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        mark_data(self.error)  # messages from the services, already in the language
        lay.addWidget(self.error)

        self.buttons = QDialogButtonBox()
        self.view_btn = QPushButton()
        self.view_btn.setObjectName("view")
        self.save_btn = QPushButton()
        self.save_btn.setObjectName("save_copy")
        self.remove_btn = QPushButton()
        self.remove_btn.setObjectName("remove")
        self.close_btn = QPushButton()
        self.close_btn.setObjectName("close")
        for b in (self.view_btn, self.save_btn, self.remove_btn):
            self.buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.close_btn, QDialogButtonBox.ButtonRole.RejectRole)
        self.view_btn.clicked.connect(self.view_selected)
        self.save_btn.clicked.connect(self.save_selected)
        self.remove_btn.clicked.connect(self.remove_selected)
        self.close_btn.clicked.connect(self.reject)
        lay.addWidget(self.buttons)
        from migdesk.domain.roles import Permission

        # Saving a copy takes a person's documents off the desk: only roles that may export.
        self.save_btn.setVisible(self.app.may(Permission.EXPORT))
        self.retranslate()
        self.refresh()

    # -- the list ---------------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            self.items = self.app.attachments.list(self.candidate_id)
        except MigdeskError as exc:
            self.items = []
            self.error.setText(exc.message(language()))
        lang = language()
        self.table.setRowCount(len(self.items))
        for r, a in enumerate(self.items):
            texts = (kind_label(a.kind, lang), a.filename, _size(a.size),
                     a.added_at.strftime("%d.%m.%Y"))
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, a.id)
                if c == 1:
                    item.setToolTip(f"{a.media_type} · SHA-256 {a.sha256[:16]}…")
                self.table.setItem(r, c, item)
        self._enable()

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _enable(self) -> None:
        from migdesk.domain.roles import Permission

        has = self.selected() is not None
        self.view_btn.setEnabled(has)
        self.save_btn.setEnabled(has)
        self.remove_btn.setEnabled(has)
        self.remove_btn.setVisible(self.app.may(Permission.REMOVE))
        may_add = self.app.may(Permission.EDIT_CANDIDATES)
        self.add_btn.setEnabled(may_add)
        self.kind.setEnabled(may_add)

    # -- attaching --------------------------------------------------------------------------
    def choose_files(self) -> None:
        paths, _f = QFileDialog.getOpenFileNames(self, _("Attach a document…"),
                                                 str(Path.home()), FILE_FILTER)
        if paths:
            self.attach_files(paths)

    def attach_files(self, paths: list[str]) -> int:
        """Attach each file as the chosen kind; the refusals are shown, each naming its
        file. Returns how many were attached."""
        kind = self.kind.key() or AttachmentKind.OTHER.value
        errors: list[str] = []
        done = 0
        for p in paths:
            try:
                self.app.attachments.add_file(self.candidate_id, p, kind)
                done += 1
            except MigdeskError as exc:  # each message names its file
                errors.append("; ".join(e.message(language()) for e in exc.errors))
        self.error.setText("\n".join(errors))
        if done:
            self.refresh()
            self.changed.emit()
        return done

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.attach_files(paths)

    # -- viewing, saving, removing ------------------------------------------------------------
    def view_selected(self) -> AttachmentViewer | None:
        a = self.selected()
        if a is None:
            return None
        try:
            f = self.app.attachments.open(a.id)
        except MigdeskError as exc:
            show_error(self, exc)
            return None
        viewer = AttachmentViewer(f.view, f.data, self)
        self.viewers.append(viewer)
        viewer.finished.connect(lambda _c, v=viewer: self._closed(v))
        viewer.open()
        return viewer

    def _closed(self, viewer: AttachmentViewer) -> None:
        if viewer in self.viewers:
            self.viewers.remove(viewer)
        viewer.wipe()
        viewer.deleteLater()

    def save_selected(self) -> Path | None:
        a = self.selected()
        if a is None:
            return None
        path, _f = QFileDialog.getSaveFileName(self, _("Save a copy…"),
                                               str(Path.home() / a.filename), FILE_FILTER)
        if not path:
            return None
        try:
            return self.app.attachments.save_copy(a.id, path)
        except MigdeskError as exc:
            show_error(self, exc)
            return None

    def remove_selected(self) -> bool:
        a = self.selected()
        if a is None:
            return False
        reason = ReasonDialog.ask(self, _("Remove the document"), _(
            "Why is “{name}” removed? The reason is kept in the history and sent with the "
            "removal.").format(name=a.filename))
        if not reason:
            return False
        try:
            self.app.attachments.remove(a.id, reason)
        except MigdeskError as exc:
            show_error(self, exc)
            return False
        self.refresh()
        self.changed.emit()
        return True

    # -- language -----------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Attachments"))
        self.hint.setText(_(
            "Scanned documents of this candidate. Drop PDF, JPEG, PNG or TIFF files here or "
            "choose them with “Add files…” (at most {limit} MB each).").format(limit=MAX_MB))
        self.table.setHorizontalHeaderLabels([_("Kind"), _("File"), _("Size"), _("Added")])
        self.kind_label.setText(_("Kind of document:"))
        self.kind.retranslate()
        self.add_btn.setText(_("Add files…"))
        self.view_btn.setText(_("View"))
        self.save_btn.setText(_("Save a copy…"))
        self.remove_btn.setText(_("Remove…"))
        self.close_btn.setText(_("Close"))
        if self.items:
            self.refresh()


class AttachmentViewer(QDialog):
    """One document shown from memory: an image scaled to the window, a PDF in QtPdf."""

    def __init__(self, view: Any, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachment_viewer")
        self.view = view
        self.setWindowTitle(view.filename)
        self.setProperty("i18n_data", True)
        self.resize(QSize(900, 700))
        lay = QVBoxLayout(self)
        self.data = QByteArray(data)
        self.pdf_view: Any = None
        self.document: Any = None
        self.image_label: QLabel | None = None
        if view.media_type == "application/pdf":
            from PySide6.QtPdf import QPdfDocument
            from PySide6.QtPdfWidgets import QPdfView

            self.buffer = QBuffer(self.data, self)
            self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self.document = QPdfDocument(self)
            self.document.load(self.buffer)
            self.pdf_view = QPdfView(self)
            self.pdf_view.setObjectName("pdf_view")
            self.pdf_view.setDocument(self.document)
            self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            lay.addWidget(self.pdf_view, 1)
        else:
            image = QImage.fromData(self.data)
            self.pixmap = QPixmap.fromImage(image)
            self.image_label = QLabel()
            self.image_label.setObjectName("image")
            self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(self.image_label)
            lay.addWidget(scroll, 1)
            if self.pixmap.isNull():
                self.image_label.setText(_("This image cannot be shown"))
        self.close_btn = QPushButton(_("Close"))
        self.close_btn.clicked.connect(self.reject)
        row = QHBoxLayout()
        self.info = data_label(f"{view.filename} · {_size(view.size)}")
        row.addWidget(self.info, 1)
        row.addWidget(self.close_btn)
        lay.addLayout(row)

    def shown_ok(self) -> bool:
        """Whether the document could be read (a PDF loaded, an image decoded)."""
        if self.document is not None:
            from PySide6.QtPdf import QPdfDocument

            return bool(self.document.status() == QPdfDocument.Status.Ready
                        and self.document.pageCount() > 0)
        return not self.pixmap.isNull()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.image_label is not None and not self.pixmap.isNull():
            room = self.size() - QSize(40, 80)
            self.image_label.setPixmap(self.pixmap.scaled(
                room, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation)
                if self.pixmap.width() > room.width() or self.pixmap.height() > room.height()
                else self.pixmap)

    def wipe(self) -> None:
        """Let go of the document when the viewer closes (it was only ever in memory)."""
        if self.document is not None:
            self.document.close()
        if self.image_label is not None:
            self.image_label.clear()
            self.pixmap = QPixmap()
        self.data.clear()


class AttachmentsButton(QPushButton):
    """“Attachments…” for the candidate shown on the page (enabled once one is open)."""

    def __init__(self, page: Any) -> None:
        super().__init__()
        self.setObjectName("attachments_button")
        self.page = page
        self.dialog: AttachmentsDialog | None = None
        self.clicked.connect(self.show_dialog)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setText(_("Attachments…"))
        self.setToolTip(_("Scanned documents of this candidate: passport, diploma, consent "
                          "form…"))

    def show_dialog(self) -> AttachmentsDialog | None:
        d = self.page.form.detail
        if d is None:
            self.page.message.emit(_("Open a candidate first"))
            return None
        name = f"{d.last_name_ka} {d.first_name_ka}"
        self.dialog = AttachmentsDialog(self.page.app, d.id, name, self.page)
        self.dialog.changed.connect(lambda: self.page.message.emit(_("Attachments updated")))
        self.dialog.open()
        return self.dialog


def attach_to_page(page: Any) -> AttachmentsButton:
    """Put the “Attachments…” button in the corner of the candidate's tabs (a page without
    tabs gets the button as `page.attachments_button` to place itself)."""
    button = AttachmentsButton(page)
    tabs = getattr(page, "tabs", None)
    if tabs is not None:
        tabs.setCornerWidget(button, Qt.Corner.TopRightCorner)
    page.attachments_button = button
    return button
