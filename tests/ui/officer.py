"""Helpers that act as an officer would: type into the candidate form and press buttons."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit


def keys(widget, text: str) -> None:
    """Type text key by key (QTest.keyClicks cannot type Georgian letters)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                     ch))


def type_into(qtbot, widget: QLineEdit, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    if widget.text():
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
    keys(widget, text)


def fill_candidate(qtbot, form, *, pn: str, first: str, last: str, birth: str,
                   passport: str = "", expiry: str = "", occupation: str | None = None,
                   years: int = 0, region: str | None = "GE-IM") -> None:
    type_into(qtbot, form.editor("personal_number"), pn)
    type_into(qtbot, form.editor("first_name_ka"), first)
    type_into(qtbot, form.editor("last_name_ka"), last)
    type_into(qtbot, form.editor("birth_date"), birth)
    if region:
        form.editor("region").set_key(region)
    if passport:
        type_into(qtbot, form.editor("passport_number"), passport)
        type_into(qtbot, form.editor("passport_expiry"), expiry)
    if occupation:
        type_into(qtbot, form.occ_picker.edit, occupation)
        hit = form.occ_picker.list.item(0)
        form.occ_picker.list.itemClicked.emit(hit)
        form.occ_years.setValue(years)
        qtbot.mouseClick(form.occ_add, Qt.MouseButton.LeftButton)


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
