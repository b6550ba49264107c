"""Small questions the window asks (confirm, a reason, unsaved edits); tests replace `ask`."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain.errors import MigdeskError
from migdesk.i18n import _, language


class Confirm:
    """Yes/no before anything destructive."""

    @classmethod
    def build(cls, parent: QWidget | None, title: str, text: str) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str) -> bool:
        return cls.build(parent, title, text).exec() == QMessageBox.StandardButton.Yes


class UnsavedEdits:
    """Save, discard or cancel: the answer is 'save', 'discard' or 'cancel'."""

    @classmethod
    def build(cls, parent: QWidget | None) -> QMessageBox:
        return QMessageBox(QMessageBox.Icon.Warning, _("Unsaved changes"),
                           _("The candidate form has changes that are not saved."),
                           QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                           | QMessageBox.StandardButton.Cancel, parent)

    @classmethod
    def ask(cls, parent: QWidget | None) -> str:
        answer = cls.build(parent).exec()
        if answer == QMessageBox.StandardButton.Save:
            return "save"
        if answer == QMessageBox.StandardButton.Discard:
            return "discard"
        return "cancel"


class ReasonDialog(QDialog):
    """Asks for the reason of a change (kept in the history)."""

    def __init__(self, parent: QWidget | None, title: str, prompt: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        lay = QVBoxLayout(self)
        self.prompt = QLabel(prompt)
        self.prompt.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #b00020")
        for w in (self.prompt, self.text, self.error, self.buttons):
            lay.addWidget(w)

    def _accept(self) -> None:
        if not self.text.toPlainText().strip():
            self.error.setText(_("Required"))
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, prompt: str) -> str | None:
        dlg = cls(parent, title, prompt)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            return dlg.text.toPlainText().strip()
        return None


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    text = exc.message(language()) if isinstance(exc, MigdeskError) else str(exc)
    ErrorBox.show(parent, text)


class ErrorBox:
    @classmethod
    def build(cls, parent: QWidget | None, text: str) -> QMessageBox:
        return QMessageBox(QMessageBox.Icon.Warning, _("Not done"), text,
                           QMessageBox.StandardButton.Ok, parent)

    @classmethod
    def show(cls, parent: QWidget | None, text: str) -> None:
        QMessageBox.warning(parent, _("Not done"), text)
