"""The candidate table: rows fetched lazily in keyset pages from CandidateService.search.

Runs on the GUI thread; each fetch is one short read through the services (no SQL here).
Sorting and filtering are done by the service in SQL; the model only holds loaded rows.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from migdesk.domain.places import region_name
from migdesk.domain.statuses import CandidateStatus
from migdesk.i18n import N_, _, language
from migdesk.services.dto import CandidateSummary

# (key, header msgid, service sort key or None)
COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("personal_number", N_("Personal number"), "personal_number"),
    ("name_ka", N_("Surname and first name"), "name_ka"),
    ("name_lat", N_("Name (Latin)"), "name_lat"),
    ("birth_date", N_("Date of birth"), None),
    ("region", N_("Region"), None),
    ("status", N_("Status"), None),
    ("passport_expiry", N_("Passport valid until"), None),
)
ID_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class CandidateTableModel(QAbstractTableModel):
    def __init__(self, app: Any, page_size: int = 200, parent: Any = None) -> None:
        super().__init__(parent)
        self.app = app
        self.page_size = page_size
        self.query = ""
        self.filters: dict[str, str | None] = {}
        self.sort_key = "name_ka"
        self.descending = False
        self.rows: list[CandidateSummary] = []
        self._ids: set[str] = set()
        self._cursor: str | None = None
        self.fetch_times: list[float] = []
        self.warn_before = None  # passports expiring before this date are highlighted

    # -- loading ---------------------------------------------------------------------------
    def _page(self, cursor: str | None):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        page = self.app.candidates.search(
            self.query, limit=self.page_size, cursor=cursor, sort=self.sort_key,
            descending=self.descending, **{k: v for k, v in self.filters.items() if v})
        self.fetch_times.append(time.perf_counter() - t0)
        return page

    def reload(self, query: str | None = None, filters: dict[str, str | None] | None = None
               ) -> None:
        """Start again from the first page (new query, filters or sort)."""
        if query is not None:
            self.query = query
        if filters is not None:
            self.filters = dict(filters)
        page = self._page(None)
        self.beginResetModel()
        self.rows = []
        self._ids = set()
        self._add(page.items)
        self._cursor = page.next_cursor
        self.endResetModel()

    def _add(self, items: list[CandidateSummary]) -> list[CandidateSummary]:
        fresh = [c for c in items if c.id not in self._ids]
        self.rows.extend(fresh)
        self._ids.update(c.id for c in fresh)
        return fresh

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008,N802
        return not parent.isValid() and self._cursor is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008,N802
        if parent.isValid() or self._cursor is None:
            return
        page = self._page(self._cursor)
        fresh = [c for c in page.items if c.id not in self._ids]
        first = len(self.rows)
        if fresh:
            # rows first .. first+n-1 (the Qt example's `first + n` is one too many)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._add(fresh)
            self.endInsertRows()
        self._cursor = page.next_cursor
        if len(self.rows) >= 20 * self.page_size:
            # Loaded rows live as long as the list: keep the cyclic collector from walking
            # tens of thousands of them on every full collection (a 50 ms pause at 100k).
            gc.freeze()

    def fetch_all(self) -> None:
        while self.canFetchMore():
            self.fetchMore()

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return _(COLUMNS[section][1])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        c = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(c, key)
        if role == ID_ROLE:
            return c.id
        if role == Qt.ItemDataRole.ForegroundRole and key == "passport_expiry":
            if c.passport_expiry and self.warn_before and c.passport_expiry < self.warn_before:
                return QBrush(QColor("#b00020"))
        return None

    @staticmethod
    def text(c: CandidateSummary, key: str) -> str:
        lang = language()
        if key == "personal_number":
            return c.personal_number
        if key == "name_ka":
            return f"{c.last_name_ka} {c.first_name_ka}"
        if key == "name_lat":
            return f"{c.last_name_lat} {c.first_name_lat}"
        if key == "birth_date":
            return c.birth_date.isoformat()
        if key == "region":
            return region_name(c.region, lang) if c.region else ""
        if key == "status":
            return CandidateStatus(c.status).label(lang)
        if key == "passport_expiry":
            return c.passport_expiry.isoformat() if c.passport_expiry else ""
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column][2] is None:
            return
        key = COLUMNS[column][2]
        desc = order == Qt.SortOrder.DescendingOrder
        if (key, desc) != (self.sort_key, self.descending):
            self.sort_key, self.descending = key, desc
            self.reload()

    def sort_column(self) -> int:
        return next(i for i, col in enumerate(COLUMNS) if col[2] == self.sort_key)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.rows) - 1, len(COLUMNS) - 1))

    def id_at(self, row: int) -> str | None:
        return self.rows[row].id if 0 <= row < len(self.rows) else None

    def row_of(self, cid: str) -> int:
        return next((i for i, c in enumerate(self.rows) if c.id == cid), -1)
