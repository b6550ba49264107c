"""Asked before saving a candidate who looks already registered: who the existing record is,
and whether to save anyway, open the existing record, or go back to the form."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain.places import region_name
from migdesk.domain.statuses import CandidateStatus
from migdesk.i18n import _, language
from migdesk.services.dto import DuplicateHint
from migdesk.ui.widgets import WARN_STYLE


def hint_line(h: DuplicateHint) -> str:
    c = h.candidate
    why = (_("same personal number") if h.reason == "personal_number"
           else _("same name and date of birth"))
    return _("Possibly already registered ({why}): {name}, born {birth}").format(
        why=why, name=f"{c.first_name_ka} {c.last_name_ka}", birth=c.birth_date.isoformat())


class DuplicateDialog(QDialog):
    """The existing records in a table; Save anyway (not offered when the personal number is
    taken: the desk refuses that), Open the existing record, or Cancel."""

    def __init__(self, parent: QWidget | None, hints: list[DuplicateHint]) -> None:
        super().__init__(parent)
        self.setObjectName("duplicate_dialog")
        self.hints = hints
        self.choice: str | tuple[str, str] | None = None
        self.setWindowTitle(_("Possibly already registered"))
        lay = QVBoxLayout(self)
        taken = any(h.reason == "personal_number" for h in hints)
        text = QLabel(_("This person may already be registered. Look at the existing record "
                        "before saving a second one.") if not taken else
                      _("A candidate with this personal number is already registered; "
                        "open that record instead."))
        text.setWordWrap(True)
        text.setStyleSheet(WARN_STYLE)
        lay.addWidget(text)
        lang = language()
        self.table = QTableWidget(len(hints), 5)
        self.table.setObjectName("duplicates")
        self.table.setProperty("i18n_data", True)
        self.table.setHorizontalHeaderLabels([
            _("Personal number"), _("Surname and first name"), _("Date of birth"), _("Region"),
            _("Status")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for r, h in enumerate(hints):
            c = h.candidate
            for col, val in enumerate((
                    c.personal_number, f"{c.last_name_ka} {c.first_name_ka}",
                    c.birth_date.isoformat(), region_name(c.region, lang) if c.region else "",
                    CandidateStatus(c.status).label(lang))):
                self.table.setItem(r, col, QTableWidgetItem(val))
        self.table.resizeColumnsToContents()
        self.table.selectRow(0)
        lay.addWidget(self.table)
        self.buttons = QDialogButtonBox()
        self.save_button: QPushButton | None = None
        if not taken:
            self.save_button = self.buttons.addButton(
                _("Save anyway"), QDialogButtonBox.ButtonRole.AcceptRole)
            self.save_button.setObjectName("save_anyway")
            self.save_button.clicked.connect(self._save)
        self.open_button = self.buttons.addButton(
            _("Open the existing record"), QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setObjectName("open_existing")
        self.open_button.clicked.connect(self._open)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.clicked.connect(self.reject)
        self.open_button.setDefault(True)
        lay.addWidget(self.buttons)
        self.resize(640, 240)

    def _save(self) -> None:
        self.choice = "save"
        self.accept()

    def _open(self) -> None:
        row = max(self.table.currentRow(), 0)
        self.choice = ("open", self.hints[row].candidate.id)
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, hints: list[DuplicateHint]
            ) -> str | tuple[str, str] | None:
        """"save", ("open", candidate id) or None (cancelled)."""
        dlg = cls(parent, hints)
        dlg.exec()
        return dlg.choice
