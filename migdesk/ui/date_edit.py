"""A date field: typed as text (partial dates where the model allows them) or picked from a
calendar that opens from the field's own button.

It *is* a QLineEdit, so forms read it with `.text()` like any other field and the services
validate what was typed with the same rules and messages as the command line. Typing the
official form DD.MM.YYYY (or DD/MM/YYYY) is turned into ISO YYYY-MM-DD when the field is left.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QStyle, QVBoxLayout, QWidget

from migdesk.i18n import N_, language, translate

_DOTTED = re.compile(r"^\s*([0-9]{1,2})[./]([0-9]{1,2})[./]([0-9]{4})\s*$")
_ISO = re.compile(r"^\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\s*$")


def normalised(text: str) -> str:
    """DD.MM.YYYY or DD/MM/YYYY as YYYY-MM-DD; anything else unchanged (validated later)."""
    m = _DOTTED.match(text)
    if m:
        d, mo, y = (int(g) for g in m.groups())
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return text


def as_date(text: str) -> dt.date | None:
    """The full date the text names, or None (empty, partial or not a date)."""
    m = _ISO.match(normalised(text))
    if not m:
        return None
    try:
        return dt.date(*(int(g) for g in m.groups()))
    except ValueError:
        return None


class _Popup(QWidget):
    picked = Signal(QDate)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.calendar = QCalendarWidget(self)
        self.calendar.setObjectName("date_calendar")
        self.calendar.setGridVisible(True)
        self.calendar.clicked.connect(self._pick)
        self.calendar.activated.connect(self._pick)
        lay.addWidget(self.calendar)

    def _pick(self, date: QDate) -> None:
        self.picked.emit(date)
        self.hide()


class DateEdit(QLineEdit):
    """A line edit for dates with a calendar button. `partial=True` allows YYYY and YYYY-MM."""

    def __init__(self, parent: QWidget | None = None, *, partial: bool = False) -> None:
        super().__init__(parent)
        self.partial = partial
        self.setMaxLength(10)
        self._popup: _Popup | None = None
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView)
        self.calendar_action = QAction(QIcon(icon), "", self)
        self.calendar_action.setObjectName("date_pick")
        self.calendar_action.triggered.connect(self.open_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.editingFinished.connect(self._normalise)
        self.retranslate()

    def retranslate(self) -> None:
        lang = language()
        self.calendar_action.setToolTip(translate(N_("Pick a date from the calendar"), lang))
        self.setPlaceholderText(translate(
            N_("YYYY, YYYY-MM or YYYY-MM-DD") if self.partial else N_("YYYY-MM-DD"), lang))
        if self._popup is not None:
            self._popup.calendar.setLocale(QLocale("ka_GE" if lang == "ka" else "en_GB"))

    def _normalise(self) -> None:
        fixed = normalised(self.text())
        if fixed != self.text():
            self.setText(fixed)

    def open_calendar(self) -> None:
        if self._popup is None:
            self._popup = _Popup(self)
            self._popup.picked.connect(self._picked)
            self.retranslate()
        current = as_date(self.text())
        cal = self._popup.calendar
        cal.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        if current is not None:
            cal.setSelectedDate(QDate(current.year, current.month, current.day))
        self._popup.adjustSize()
        self._popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        self._popup.show()
        cal.setFocus()

    @property
    def calendar(self) -> QCalendarWidget | None:
        return self._popup.calendar if self._popup is not None else None

    def _picked(self, date: QDate) -> None:
        self.setText(f"{date.year():04d}-{date.month():02d}-{date.day():02d}")
        self.editingFinished.emit()
        self.setFocus()
