"""The spreadsheet import wizard: pick the file and sheet, map columns to fields (guessed,
remembered per layout), see the first rows as they will be read, a dry run listing what every
row will do, then the import with progress and cancel, and the error file to correct."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from migdesk.domain.errors import MigdeskError
from migdesk.i18n import N_, _, language
from migdesk.sheets import columns
from migdesk.ui.pages.overview import fill, stretch, table
from migdesk.ui.widgets import ERROR_STYLE

FILES = "Spreadsheets (*.xlsx *.xls *.ods *.csv *.txt);;All files (*)"
OUTCOME_LABELS = {"new": N_("new"), "update": N_("update"), "unchanged": N_("unchanged"),
                  "skip": N_("skipped"), "duplicate": N_("duplicate suspected"),
                  "error": N_("error")}
EXISTING = (("skip", N_("keep the registry's record")), ("update", N_("update it")),
            ("keep-newer", N_("update it unless it changed after the file was saved")))


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("wizard_error")
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    return label


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(_("The file"))
        form = QFormLayout(self)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setObjectName("sheet_file")
        self.browse = QPushButton(_("Choose…"))
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        form.addRow(_("File"), row)
        self.sheet = QComboBox()
        self.sheet.setObjectName("sheet_name")
        form.addRow(_("Sheet"), self.sheet)
        self.error = _error_label()
        form.addRow(self.error)
        self.browse.clicked.connect(self.choose)
        self.path.editingFinished.connect(self.load_sheets)

    def choose(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Import a candidate list…"),
                                               str(Path.home()), FILES)
        if path:
            self.path.setText(path)
            self.load_sheets()

    def load_sheets(self) -> None:
        self.sheet.clear()
        self.error.clear()
        if not self.path.text().strip():
            return
        try:
            for info in self.wiz.service.sheets(self.path.text().strip()):
                self.sheet.addItem(info.name, info.name)
        except MigdeskError as exc:
            self.error.setText(exc.message(language()))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self.sheet.count() > 0

    def validatePage(self) -> bool:  # noqa: N802
        self.wiz.file = self.path.text().strip()
        self.wiz.sheet = self.sheet.currentData()
        return True


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(_("Columns"))
        self.setSubTitle(_("Which column holds which field (guessed from the headers; "
                           "remembered for files laid out the same way). The first rows "
                           "are shown as they will be read."))
        lay = QVBoxLayout(self)
        # Twenty-odd fields in two columns, scrolled, so the preview and the buttons stay on
        # a 1366×768 screen.
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        self.grid = QGridLayout(inner)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.scroll.setWidget(inner)
        lay.addWidget(self.scroll, 3)
        self.combos: dict[str, QComboBox] = {}
        self.preview = stretch(table(3, "sheet_preview"), 1)
        lay.addWidget(self.preview, 2)
        self.error = _error_label()
        lay.addWidget(self.error)
        self.header: list[str] = []

    def initializePage(self) -> None:  # noqa: N802
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.combos.clear()
        try:
            tbl = self.wiz.service.open(self.wiz.file, self.wiz.sheet)
            self.header = [h for h in tbl.header if h]
            guessed = self.wiz.service.mapping_for(tbl.header)
        except MigdeskError as exc:
            self.error.setText(exc.message(language()))
            return
        for key, label in columns.FIELDS.items():
            combo = QComboBox()
            combo.setObjectName(f"map_{key}")
            combo.setProperty("i18n_data", True)  # the file's own headers, not our labels
            combo.addItem("—", None)
            for h in self.header:
                combo.addItem(h, h)
            if key in guessed:
                combo.setCurrentIndex(max(0, combo.findData(guessed[key])))
            combo.currentIndexChanged.connect(self.show_preview)
            n = len(self.combos)
            self.combos[key] = combo
            row, col = n // 2, (n % 2) * 2
            self.grid.addWidget(QLabel(_(label)), row, col)
            self.grid.addWidget(combo, row, col + 1)
        self.show_preview()

    def mapping(self) -> dict[str, str]:
        return {k: c.currentData() for k, c in self.combos.items() if c.currentData()}

    def show_preview(self) -> None:
        self.error.clear()
        self.preview.setHorizontalHeaderLabels([_("Row"), _("As it will be read"),
                                                _("Problems")])
        try:
            rows = self.wiz.service.preview(self.wiz.file, self.wiz.sheet, self.mapping())
        except MigdeskError as exc:
            self.error.setText(exc.message(language()))
            return
        lang = language()
        fill(self.preview, [(str(r.row), "; ".join(f"{v}" for v in r.values.values() if v),
                             "; ".join(p.line(lang) for p in r.problems)) for r in rows])

    def validatePage(self) -> bool:  # noqa: N802
        self.wiz.mapping = self.mapping()
        try:
            self.wiz.service.remember_mapping(self.header, self.wiz.mapping)
        except MigdeskError as exc:
            self.error.setText(exc.message(language()))
            return False
        return True


class DryRunPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(_("What will happen"))
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.existing = QComboBox()
        self.existing.setObjectName("on_existing")
        for key, label in EXISTING:
            self.existing.addItem(_(label), key)
        form.addRow(_("A person already registered"), self.existing)
        self.duplicates = QCheckBox(_("Import suspected duplicates too"))
        form.addRow(self.duplicates)
        lay.addLayout(form)
        self.counts = QLabel()
        self.counts.setObjectName("dry_run_counts")
        self.counts.setWordWrap(True)
        lay.addWidget(self.counts)
        self.rows = stretch(table(3, "dry_run"), 2)
        lay.addWidget(self.rows, 1)
        self.error = _error_label()
        lay.addWidget(self.error)
        self.existing.currentIndexChanged.connect(self.run)
        self.duplicates.toggled.connect(self.run)

    def initializePage(self) -> None:  # noqa: N802
        self.run()

    def run(self) -> None:
        self.error.clear()
        try:
            plan = self.wiz.service.dry_run(self.wiz.file, self.wiz.sheet, self.wiz.mapping,
                                            self.existing.currentData(),
                                            import_duplicates=self.duplicates.isChecked())
        except MigdeskError as exc:
            self.error.setText(exc.message(language()))
            return
        self.wiz.plan = plan
        lang = language()
        self.counts.setText("; ".join(f"{_(OUTCOME_LABELS[k])}: {n}"
                                      for k, n in plan.counts.items() if n))
        self.rows.setHorizontalHeaderLabels([_("Row"), _("What happens"), _("Why")])
        fill(self.rows, [(str(r.row), _(OUTCOME_LABELS[r.outcome]), r.reason(lang))
                         for r in plan.rows])


class ImportWizard(QWizard):
    """Driven by the window (ui/main_window.py): `finished_import` gets the plan."""

    def __init__(self, app: Any, runner: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.runner = runner
        self.service = app.sheet_import
        self.file = ""
        self.sheet: str | None = None
        self.mapping: dict[str, str] = {}
        self.plan: Any = None
        self.result: Any = None
        self.setObjectName("sheet_import")
        self.setWindowTitle(_("Import a candidate list…"))
        self.files = FilePage(self)
        self.columns = MappingPage(self)
        self.dry = DryRunPage(self)
        for page in (self.files, self.columns, self.dry):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("Back"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Import"))
        screen = self.screen().availableGeometry() if self.screen() else None
        width = min(1000, screen.width() - 60) if screen else 1000
        height = min(700, screen.height() - 80) if screen else 700
        self.resize(width, height)

    def accept(self) -> None:
        """Import with progress and cancel (one transaction), then offer the error file."""
        if self.plan is None:
            return
        file, sheet, mapping = self.file, self.sheet, self.mapping
        existing = self.dry.existing.currentData()
        dups = self.dry.duplicates.isChecked()
        db_url, account = str(self.app.db.engine.url), self.app.account

        def work(progress: Any) -> Any:
            from migdesk.services.app import Migdesk

            worker = Migdesk.open(db_url, create=False, migrate=False, account=account)
            going = {"on": True}
            try:
                return worker.sheet_import.import_(
                    file, sheet, mapping, existing, import_duplicates=dups,
                    progress=lambda d, t: going.update(on=progress(d, t) is not False),
                    cancel=lambda: not going["on"])
            finally:
                worker.close()

        self.runner.submit(_("Import a candidate list…"), work, on_done=self._done,
                           on_error=self._failed)

    def _done(self, plan: Any) -> None:
        self.result = plan
        if plan.needs_correcting:
            path, _f = QFileDialog.getSaveFileName(
                self, _("Save the rows to correct…"),
                str(Path(self.file).with_name(Path(self.file).stem + "-errors.xlsx")),
                "Excel (*.xlsx);;CSV (*.csv)")
            if path:
                try:
                    self.service.write_errors(plan, path)
                except (MigdeskError, OSError) as exc:
                    self._failed(exc)  # the import stands; the file could not be written
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        from migdesk.ui.dialogs import show_error

        show_error(self, exc)
