"""The window's Print menu: a programme's or the current list's dossiers (one bound PDF or
one PDF per candidate in a folder), and the current list as a PDF table.

Everything long runs through the window's task runner (progress with Cancel): the dossiers
through `DossierService.batch` (worker processes; a cancelled bound print writes nothing),
the table through `PrintService.list_table` (written whole or not at all). Each printed
dossier and list is recorded in the audit chain by those services. `add_print_menu(window)`
is the one call the main window makes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from migdesk.domain.errors import MigdeskError
from migdesk.domain.roles import Permission
from migdesk.i18n import _, language
from migdesk.ui.dialogs import show_error
from migdesk.ui.tasks import Handle
from migdesk.ui.widgets import ERROR_STYLE, ChoiceCombo, mark_data

PDF_FILTER = "PDF (*.pdf)"


def _worker(app: Any, fn: Any) -> Any:
    """Run `fn(worker_app)` on an application object of the task's own thread."""
    today = app.today()
    worker = type(app).open(str(app.db.url), create=False, migrate=False,
                            account=app.account, today=lambda: today)
    try:
        return fn(worker)
    finally:
        worker.close()


class DossierPrintDialog(QDialog):
    """Which dossiers (a programme's, or the current list's), bound or one file each, where."""

    def __init__(self, window: Any, source: str) -> None:
        super().__init__(window)
        self.setObjectName("dossier_print_dialog")
        self.window_ = window
        self.app = window.app
        self.source = source  # "program" | "list"
        self.ids: list[str] = []
        self.handle: Handle | None = None
        self.resize(QSize(620, 260))
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.program_label = QLabel()
        self.program = ChoiceCombo(self._programs)
        self.program.setObjectName("program")
        self.program.currentIndexChanged.connect(self._count)
        if source == "program":
            form.addRow(self.program_label, self.program)
        else:
            self.program.hide()
            self.program_label.hide()
        self.count = QLabel()
        self.count.setObjectName("count")
        form.addRow(self.count)
        self.bound = QRadioButton()
        self.bound.setObjectName("bound")
        self.separate = QRadioButton()
        self.separate.setObjectName("separate")
        self.bound.setChecked(True)
        self.mode = QButtonGroup(self)
        self.mode.addButton(self.bound)
        self.mode.addButton(self.separate)
        self.bound.toggled.connect(self._mode_changed)
        form.addRow(self.bound)
        form.addRow(self.separate)
        self.target_label = QLabel()
        row = QHBoxLayout()
        self.target = QLineEdit()
        self.target.setObjectName("target")
        mark_data(self.target)
        self.choose = QPushButton()
        self.choose.clicked.connect(self.choose_target)
        row.addWidget(self.target, 1)
        row.addWidget(self.choose)
        form.addRow(self.target_label, row)
        lay.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("error_target")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        mark_data(self.error)
        lay.addWidget(self.error)
        lay.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.print_btn = QPushButton()
        self.print_btn.setObjectName("print")
        self.buttons.addButton(self.print_btn, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.retranslate()
        self._count()

    def _programs(self) -> list[tuple[str, str]]:
        lang = language()
        try:
            return [(p.id, f"{p.code} — {p.name_ka if lang == 'ka' else p.name_en}")
                    for p in self.app.programs.list()]
        except MigdeskError:
            return []

    def _count(self) -> None:
        from migdesk.services.printing import PrintService

        svc = PrintService(self.app)
        try:
            if self.source == "program":
                key = self.program.key()
                self.ids = svc.program_ids(key) if key else []
            else:
                page = self.window_.candidates
                self.ids = svc.ids(page.search.text(), page.filters())
        except MigdeskError as exc:
            self.ids = []
            self.error.setText(exc.message(language()))
        self.count.setText(_("Dossiers to print: {n}").format(n=len(self.ids)))
        self.print_btn.setEnabled(bool(self.ids))
        self._suggest()

    def _suggest(self) -> None:
        folder = Path(self.target.text()).parent if self.target.text() else Path.home()
        name = "dossiers"
        if self.source == "program" and self.program.key():
            try:
                name = f"dossiers-{self.app.programs.get(self.program.key()).code}"
            except MigdeskError:
                pass
        if self.bound.isChecked():
            self.target.setText(str(folder / f"{name}.pdf"))
        else:
            self.target.setText(str(folder / name))

    def _mode_changed(self) -> None:
        text = self.target.text()
        if not text:
            return
        p = Path(text)
        self.target.setText(str(p.with_suffix(".pdf") if self.bound.isChecked()
                                else p.with_suffix("")))

    def choose_target(self) -> None:
        if self.bound.isChecked():
            path, _f = QFileDialog.getSaveFileName(self, _("Save the dossiers as…"),
                                                   self.target.text(), PDF_FILTER)
        else:
            path = QFileDialog.getExistingDirectory(self, _("A folder for the dossiers"),
                                                    str(Path(self.target.text()).parent))
        if path:
            self.target.setText(path)

    def start(self) -> Handle | None:
        """Check the target, close, and make the dossiers on the window's runner."""
        from migdesk.services.dossiers import DossierService

        text = self.target.text().strip()
        bound = self.bound.isChecked()
        if not text:
            self.error.setText(_("Choose where the dossiers are saved"))
            return None
        target = Path(text).expanduser()
        if bound and target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        if bound and target.is_dir() or not target.parent.is_dir():
            self.error.setText(_("{path} cannot be written: choose a file in an existing "
                                 "folder").format(path=str(target)))
            return None
        if not bound and target.exists() and not target.is_dir():
            self.error.setText(_("{path} is a file, not a folder").format(path=str(target)))
            return None
        ids, app, window = list(self.ids), self.app, self.window_
        self.accept()

        def work(progress: Any) -> Any:
            return _worker(app, lambda w: DossierService(w).batch(
                ids, target, bound=bound, action="print", progress=progress))

        def done(result: Any) -> None:
            if result.cancelled:
                window.say(_("Cancelled: {n} of {m} dossiers were made").format(
                    n=0 if bound else result.done, m=result.total))
            elif bound:
                window.say(_("{n} dossiers saved to {path}").format(n=result.done,
                                                                     path=str(target)))
            else:
                window.say(_("{n} dossiers saved in {path}").format(n=result.done,
                                                                    path=str(target)))

        self.handle = window.runner.submit(_("Print dossiers"), work, on_done=done,
                                           on_error=lambda exc: show_error(window, exc))
        return self.handle

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Dossiers of a programme…") if self.source == "program"
                            else _("Dossiers of the current list…"))
        self.program_label.setText(_("Programme"))
        self.program.retranslate()
        self.bound.setText(_("One bound PDF file"))
        self.separate.setText(_("One PDF file per candidate, in a folder"))
        self.target_label.setText(_("Save to"))
        self.choose.setText(_("Choose…"))
        self.print_btn.setText(_("Print"))
        self.count.setText(_("Dossiers to print: {n}").format(n=len(self.ids)))


class PrintMenu(QMenu):
    """The menu and its three actions; shown to roles that may print."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setObjectName("print_menu")
        self.window_ = window
        self.dialog: DossierPrintDialog | None = None
        self.act_program = QAction(self)
        self.act_program.setObjectName("print_program_dossiers")
        self.act_program.triggered.connect(lambda: self.dossiers("program"))
        self.act_list_dossiers = QAction(self)
        self.act_list_dossiers.setObjectName("print_list_dossiers")
        self.act_list_dossiers.triggered.connect(lambda: self.dossiers("list"))
        self.act_table = QAction(self)
        self.act_table.setObjectName("print_list_table")
        self.act_table.triggered.connect(lambda: self.list_table())
        self.addAction(self.act_program)
        self.addAction(self.act_list_dossiers)
        self.addSeparator()
        self.addAction(self.act_table)
        self.aboutToShow.connect(self.apply_role)
        self.retranslate()
        self.apply_role()

    def apply_role(self) -> None:
        allowed = self.window_.app.signed_in and self.window_.app.may(Permission.PRINT)
        self.menuAction().setVisible(bool(allowed))

    def dossiers(self, source: str) -> DossierPrintDialog:
        self.dialog = DossierPrintDialog(self.window_, source)
        self.dialog.open()
        return self.dialog

    def list_table(self, path: str | Path | None = None) -> Handle | None:
        """The current list (search and filters of the Candidates page) as a PDF table."""
        from migdesk.services.printing import PrintService

        w = self.window_
        if path is None:
            path, _f = QFileDialog.getSaveFileName(
                w, _("Print the list as a table…"), str(Path.home() / "candidates.pdf"),
                PDF_FILTER)
            if not path:
                return None
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        page = w.candidates
        query, filters, lang, app = page.search.text(), page.filters(), language(), w.app

        def work(progress: Any) -> Any:
            return _worker(app, lambda wk: PrintService(wk).list_table(
                target, query, filters, lang, progress=progress))

        def failed(exc: BaseException) -> None:
            from migdesk.documents.list_table import ListCancelled

            if isinstance(exc, ListCancelled):
                w.say(_("Cancelled; no file was written"))
            else:
                show_error(w, exc)

        return w.runner.submit(
            _("Print the list as a table…"), work,
            on_done=lambda r: w.say(_("The list of {n} candidates saved to {path}").format(
                n=r.rows, path=str(r.path))), on_error=failed)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setTitle(_("&Print"))
        self.act_program.setText(_("Dossiers of a programme…"))
        self.act_list_dossiers.setText(_("Dossiers of the current list…"))
        self.act_table.setText(_("Print the list as a table…"))


def add_print_menu(window: Any) -> PrintMenu:
    """Add the Print menu to the main window's menu bar (before Language when there is one)."""
    menu = PrintMenu(window)
    before = getattr(window, "menu_lang", None)
    bar = window.menuBar()
    if before is not None:
        bar.insertMenu(before.menuAction(), menu)
    else:
        bar.addMenu(menu)
    window.print_menu = menu
    return menu

