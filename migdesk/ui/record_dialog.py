"""A small form in a dialog of its own for making or mending one record.

Each field sits in a FieldBox, so the service's message appears beside the field it is
about; a message about no field in the form appears above the buttons. The dialog opens
without blocking (`open()`): `saved` carries the service's `Saved` when the record was
written, and the dialog closes only then, so a refused input stays to be corrected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain.errors import MigdeskError
from migdesk.i18n import _, language
from migdesk.ui.widgets import ERROR_STYLE, ChoiceCombo, FieldBox


def text_area(height: int = 70) -> QPlainTextEdit:
    ed = QPlainTextEdit()
    ed.setTabChangesFocus(True)
    ed.setFixedHeight(height)
    return ed


class RecordDialog(QDialog):
    """Fields added with `field`; `save` (given or overridden) writes through a service."""

    saved = Signal(object)

    def __init__(self, parent: QWidget | None, title: str,
                 save: Callable[[RecordDialog], Any] | None = None,
                 aliases: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self._save = save
        self.aliases = aliases or {}
        self.boxes: dict[str, FieldBox] = {}
        lay = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        lay.addLayout(self.form)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        lay.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save")
        self.save_button.setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    def field(self, key: str, label: str, editor: QWidget) -> Any:
        editor.setObjectName(key)
        box = FieldBox(key, editor)
        self.boxes[key] = box
        self.form.addRow(QLabel(label), box)
        return editor

    def editor(self, key: str) -> Any:
        return self.boxes[key].editor

    def value(self, key: str) -> Any:
        """What the field holds: text stripped (None when empty), a combo's key, a number."""
        ed = self.editor(key)
        if isinstance(ed, ChoiceCombo):
            return ed.key()
        if isinstance(ed, QSpinBox):
            return ed.value()
        if isinstance(ed, QPlainTextEdit):
            text = ed.toPlainText().strip()
        elif isinstance(ed, QLineEdit):
            text = ed.text().strip()
        elif isinstance(ed, QComboBox):
            return ed.currentData()
        else:
            text = getattr(ed, "value", lambda: None)() or ""
        return text or None

    def set_value(self, key: str, value: Any) -> None:
        ed = self.editor(key)
        if isinstance(ed, ChoiceCombo):
            ed.set_key(value)
        elif isinstance(ed, QSpinBox):
            ed.setValue(int(value or 0))
        elif isinstance(ed, QPlainTextEdit):
            ed.setPlainText(value or "")
        elif isinstance(ed, QLineEdit):
            ed.setText("" if value is None else str(value))

    def save(self) -> Any:
        if self._save is None:
            raise NotImplementedError
        return self._save(self)

    def show_errors(self, exc: MigdeskError) -> None:
        lang = language()
        errors = exc.errors
        for key, box in self.boxes.items():
            box.set_errors([e for e in errors if self.aliases.get(e.field or "", e.field)
                            == key])
        shown = set(self.boxes)
        rest = [e.line(lang) for e in errors
                if self.aliases.get(e.field or "", e.field) not in shown]
        self.error.setText("; ".join(rest))
        self.error.setVisible(bool(rest))
        self.adjustSize()  # the messages take room: grow rather than squeeze the fields

    def submit(self) -> bool:
        """Write the record; on a refusal show why beside the fields and stay open."""
        try:
            result = self.save()
        except MigdeskError as exc:
            self.show_errors(exc)
            return False
        for box in self.boxes.values():
            box.set_errors([])
        self.error.setVisible(False)
        self.saved.emit(result)
        self.accept()
        return True
