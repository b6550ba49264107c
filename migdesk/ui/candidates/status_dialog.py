"""The status change dialog: the next allowed statuses and the required reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from migdesk.domain.statuses import CandidateStatus, allowed_next
from migdesk.i18n import _, language
from migdesk.ui.widgets import ERROR_STYLE


class StatusDialog(QDialog):
    def __init__(self, parent: QWidget | None, current: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Change status"))
        lang = language()
        cur = CandidateStatus(current)
        form = QFormLayout(self)
        self.current_label = QLabel(_("Current status"))
        self.current = QLabel(cur.label(lang))
        self.status = QComboBox()
        for st in allowed_next(cur):
            self.status.addItem(st.label(lang), st.value)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(90)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.status_label = QLabel(_("New status"))
        self.reason_label = QLabel(_("Reason"))
        form.addRow(self.current_label, self.current)
        form.addRow(self.status_label, self.status)
        form.addRow(self.reason_label, self.reason)
        form.addRow(self.error)
        form.addRow(self.buttons)

    def _accept(self) -> None:
        if not self.reason.toPlainText().strip():
            self.error.setText(_("Give the reason for the change"))
            return
        self.accept()

    def answer(self) -> tuple[str, str]:
        return self.status.currentData(), self.reason.toPlainText().strip()

    @classmethod
    def ask(cls, parent: QWidget | None, current: str) -> tuple[str, str] | None:
        """(new status, reason), or None if the officer cancelled."""
        dlg = cls(parent, current)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            return dlg.answer()
        return None
