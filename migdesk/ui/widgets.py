"""Shared widgets: a form field with its error label, a data label, translated combo boxes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QVBoxLayout, QWidget

from migdesk.domain.errors import FieldError
from migdesk.i18n import language

ERROR_STYLE = "color: #b00020;"
WARN_STYLE = "color: #8a5a00;"


def data_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label showing data (names, numbers), exempt from the translation check."""
    lbl = QLabel(text, parent)
    lbl.setProperty("i18n_data", True)
    lbl.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return lbl


def mark_data(w: QWidget) -> QWidget:
    w.setProperty("i18n_data", True)
    return w


class ErrorLine(QLabel):
    """A one-line message whose room is kept while it is empty or hidden, so the fields below
    do not move when it appears; a longer message is cut with “…” and shown whole as a
    tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setWordWrap(False)
        self.setFixedHeight(self.fontMetrics().height())
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        self.setSizePolicy(policy)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        self._full = text
        self.setToolTip(text)
        self._elide()

    def text(self) -> str:
        return self._full

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.width(), 40)
        super().setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight,
                                                      width))


class FieldBox(QWidget):
    """An editor with the validation message shown under it (in the current language).
    With `reserve`, the message's line is kept free, so the form does not reflow."""

    def __init__(self, key: str, editor: QWidget, parent: QWidget | None = None, *,
                 reserve: bool = False) -> None:
        super().__init__(parent)
        self.key = key
        self.editor = editor
        self.errors: list[FieldError] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        lay.addWidget(editor)
        self.error: QLabel = ErrorLine() if reserve else QLabel()
        self.error.setObjectName(f"error_{key}")
        self.error.setStyleSheet(ERROR_STYLE)
        if not reserve:
            self.error.setWordWrap(True)
        self.error.setVisible(False)
        lay.addWidget(self.error)

    def set_errors(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        self.retranslate()

    def retranslate(self) -> None:
        lang = language()
        text = "; ".join(e.message(lang) for e in self.errors)
        self.error.setText(text)
        self.error.setVisible(bool(text))


def labelled(members: Iterable[Any]) -> Callable[[], list[tuple[str, str]]]:
    """The choices of an enumeration whose members have `label(language)`, for a ChoiceCombo:
    each member's value, labelled in the language current when the combo is filled."""
    items = list(members)
    return lambda: [(m.value, m.label(language())) for m in items]


class ChoiceCombo(QComboBox):
    """A combo of stable keys with labels computed in the current language."""

    def __init__(self, choices: Callable[[], Iterable[tuple[str, str]]],
                 empty: Callable[[], str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices = choices
        self._empty = empty
        self.retranslate()

    def retranslate(self) -> None:
        key = self.key()
        self.blockSignals(True)
        self.clear()
        if self._empty is not None:
            self.addItem(self._empty(), None)
        for k, label in self._choices():
            self.addItem(label, k)
        self.set_key(key)
        self.blockSignals(False)

    def key(self) -> str | None:
        return self.currentData()

    def set_key(self, key: str | None) -> None:
        idx = self.findData(key) if key is not None else (0 if self._empty else -1)
        self.setCurrentIndex(max(idx, 0) if self.count() else -1)
