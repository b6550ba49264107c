"""ISCO-08 occupation picker: type Georgian or English words (or a code), pick from the list."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from migdesk.domain import isco
from migdesk.i18n import _, language


def occupation_text(code: str, lang: str | None = None) -> str:
    occ = isco.classification().get(code)
    if occ is None:
        return code
    title = occ.title_ka if (lang or language()) == "ka" and occ.title_ka else occ.title_en
    return f"{code} {title}"


class OccupationPicker(QWidget):
    picked = Signal(str)

    def __init__(self, parent: QWidget | None = None, units_only: bool = True) -> None:
        super().__init__(parent)
        self.units_only = units_only
        self.code: str | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setObjectName("occupation_search")
        self.list = QListWidget()
        self.list.setObjectName("occupation_hits")
        self.list.setMaximumHeight(110)
        self.list.setVisible(False)
        lay.addWidget(self.edit)
        lay.addWidget(self.list)
        self.edit.textEdited.connect(self._search)
        self.list.itemActivated.connect(self._choose)
        self.list.itemClicked.connect(self._choose)
        self.retranslate()

    def retranslate(self) -> None:
        self.edit.setPlaceholderText(_("Search occupations (ISCO-08) in Georgian or English"))

    def _search(self, text: str) -> None:
        self.code = None
        self.list.clear()
        hits = [o for o in isco.search(text, limit=30) if o.is_unit or not self.units_only]
        for o in hits[:15]:
            item = QListWidgetItem(occupation_text(o.code))
            item.setData(Qt.ItemDataRole.UserRole, o.code)
            self.list.addItem(item)
        self.list.setVisible(bool(hits))

    def _choose(self, item: QListWidgetItem) -> None:
        self.set_code(item.data(Qt.ItemDataRole.UserRole))
        self.picked.emit(self.code)

    def set_code(self, code: str | None) -> None:
        self.code = code
        self.edit.setText(occupation_text(code) if code else "")
        self.list.setVisible(False)
