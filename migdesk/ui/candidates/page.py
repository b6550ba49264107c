"""The Candidates page: search-as-you-type, filters, the lazy table, the form and history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain import isco
from migdesk.domain.errors import MigdeskError
from migdesk.domain.places import REGIONS, language_name, region_name
from migdesk.domain.statuses import CandidateStatus
from migdesk.domain.vocab import CEFR
from migdesk.i18n import _, language
from migdesk.ui.candidates.form import LANGUAGES, CandidateForm
from migdesk.ui.candidates.history_view import HistoryView
from migdesk.ui.candidates.status_dialog import StatusDialog
from migdesk.ui.candidates.table_model import CandidateTableModel
from migdesk.ui.dialogs import show_error
from migdesk.ui.widgets import ChoiceCombo, labelled

SEARCH_DEBOUNCE_MS = 150


def _occupation_groups() -> list[tuple[str, str]]:
    lang = language()
    return [(o.code, f"{o.code} {o.title_ka if lang == 'ka' and o.title_ka else o.title_en}")
            for o in sorted(isco.classification().values(), key=lambda o: o.code)
            if o.level <= 2]


class CandidatesPage(QWidget):
    message = Signal(str)

    def __init__(self, app: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.model = CandidateTableModel(app, parent=self)
        self.model.warn_before = app.today() + dt.timedelta(days=183)
        lay = QVBoxLayout(self)
        # Row one: the search and the count of matches; row two: the filters, sharing the
        # width (so the page fits a 1366-pixel screen beside the navigation).
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        top.addWidget(self.search, 3)
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        top.addWidget(self.count_label, 1)
        lay.addLayout(top)
        bar = QHBoxLayout()
        self.status = ChoiceCombo(labelled(CandidateStatus), empty=lambda: _("Any status"))
        self.program = ChoiceCombo(self._programs, empty=lambda: _("Any programme"))
        self.region = ChoiceCombo(lambda: [(c, region_name(c, language())) for c in REGIONS],
                                  empty=lambda: _("Any region"))
        self.occupation = ChoiceCombo(_occupation_groups, empty=lambda: _("Any occupation"))
        self.language = ChoiceCombo(lambda: [(c, language_name(c, language()))
                                             for c in LANGUAGES], empty=lambda: _("Any language"))
        self.level = QComboBox()
        self.level.addItem("", None)
        for lv in CEFR:
            self.level.addItem(f"≥ {lv.code}", lv.value)
        for w in (self.status, self.program, self.region, self.occupation, self.language,
                  self.level):
            w.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            w.setMinimumContentsLength(8)
            w.currentIndexChanged.connect(self.refresh)
            bar.addWidget(w, 2 if w is not self.level else 1)
        lay.addLayout(bar)
        # The table takes the room; a record opens in the detail pane beside it, which has its
        # own title, a toolbar (for actions on the open record), the form scrolled, and Save
        # always in view at the bottom. Closing the pane gives the table the whole width.
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.splitter = split
        self.table = QTableView()
        self.table.setObjectName("candidate_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setResizeContentsPrecision(60)
        self.table.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        split.addWidget(self.table)

        self.detail_pane = QFrame()
        self.detail_pane.setObjectName("detail_pane")
        self.detail_pane.setMinimumWidth(440)
        pane = QVBoxLayout(self.detail_pane)
        pane.setContentsMargins(6, 0, 0, 0)
        head = QHBoxLayout()
        self.form = CandidateForm(app)
        head.addWidget(self.form.title)
        head.addWidget(self.form.name_label, 1)
        # Actions on the open record (attachments and the like) go on this toolbar.
        self.detail_tools = QToolBar()
        self.detail_tools.setObjectName("detail_tools")
        self.detail_tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        head.addWidget(self.detail_tools)
        self.close_button = QToolButton()
        self.close_button.setObjectName("close_detail")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.close_detail)
        head.addWidget(self.close_button)
        pane.addLayout(head)
        self.tabs = QTabWidget()
        scroll = QScrollArea()
        scroll.setObjectName("form_scroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.form)
        self.form_scroll = scroll
        self.history = HistoryView()
        self.tabs.addTab(scroll, "")
        self.tabs.addTab(self.history, "")
        from migdesk.ui.candidates.attachments import attach_to_page

        attach_to_page(self)  # "Attachments…" in the tabs' corner (issue 13)
        pane.addWidget(self.tabs, 1)
        pane.addWidget(self.form.button_bar)
        self.form.set_tab_order()
        split.addWidget(self.detail_pane)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        self.detail_pane.setVisible(False)
        lay.addWidget(split, 1)
        self._columns_fitted = False
        self._fitted: list[int] = []

        self._recorded: tuple[str, dict] | None = None  # the last search put in the audit trail
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self._count_for: tuple[str, dict] | None = None
        self.total: int | None = None
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(0)
        self._count_timer.timeout.connect(self.count_now)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.form.saved.connect(self._saved)
        self.form.status_requested.connect(self.change_status)
        self.form.open_requested.connect(self._open_existing)
        self.table.activated.connect(self._activated)
        self.table.clicked.connect(self._activated)
        self._suppress = False
        self.retranslate()

    def _programs(self) -> list[tuple[str, str]]:
        lang = language()
        try:
            progs = self.app.programs.list()
        except MigdeskError:
            return []
        return [(p.id, p.name_ka if lang == "ka" else p.name_en) for p in progs]

    def filters(self) -> dict[str, str | None]:
        return {"status": self.status.key(), "program_id": self.program.key(),
                "region": self.region.key(), "occupation": self.occupation.key(),
                "language": self.language.key() or (None if not self.level.currentData()
                                                     else None),
                "min_level": self.level.currentData() if self.language.key() else None}

    def refresh(self) -> None:
        """Run the search now (the debounce timer calls this as the officer types). The open
        record stays selected if it is still among the matches."""
        self._timer.stop()
        query, filters = self.search.text(), self.filters()
        try:
            self.model.reload(query, filters)
            if query.strip() and (query, filters) != self._recorded:  # a search, once each
                self._recorded = (query, filters)
                self.app.audit.record_access("search", "candidate", None, {
                    "query": query.strip()[:200],
                    **{k: v for k, v in filters.items() if v}, "rows": self.model.rowCount()})
        except MigdeskError as exc:
            self.message.emit(exc.message(language()))
            return
        if not self._columns_fitted and self.model.rowCount():
            self.fit_columns()
        self._select_open()
        # The total is counted right after the rows are painted, so it never delays them;
        # a keystroke before then counts once, for the newest search.
        self._count_for = (query, filters)
        self._count_timer.start()

    def count_now(self) -> None:
        """Count every match of the current search and filters (one COUNT through the
        service) and show it."""
        self._count_timer.stop()
        if self._count_for is None:
            return
        query, filters = self._count_for
        try:
            self.total = self.app.candidates.count(query, **{k: v for k, v in filters.items()
                                                            if v})
        except MigdeskError as exc:
            self.message.emit(exc.message(language()))
            return
        self._update_count()

    def fit_columns(self) -> None:
        """Each column as wide as the loaded rows need (names and statuses whole), the header
        too where that costs little (a longer header is cut, and whole in its tooltip); done
        once, so the columns do not jump as the officer types."""
        head = self.table.horizontalHeader()
        self._fitted = [0] * self.model.columnCount()
        for c in range(self.model.columnCount()):
            data = self.table.sizeHintForColumn(c) + 4
            header = head.sectionSizeFromContents(c).width() + 6
            self._fitted[c] = min(max(data, min(header, data + 16)), 300)
            head.resizeSection(c, self._fitted[c])
        self._columns_fitted = True

    def _select_open(self) -> None:
        """Select the row of the open record (after a reload, a save or a status change)."""
        d = self.form.detail
        row = self.model.row_of(d.id) if d is not None else -1
        self._suppress = True
        if row >= 0:
            idx = self.model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                idx, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(idx)
        self._suppress = False

    def _update_count(self) -> None:
        n = getattr(self, "total", None)
        if n is None:
            self.count_label.setText("")
            return
        shown = f"{n:,}".replace(",", "\u00a0")
        self.count_label.setText(_("{n} candidates match").format(n=shown) if n != 1
                                 else _("1 candidate matches"))

    def _row_changed(self, current: Any, _prev: Any) -> None:
        """Beside the table, moving through the rows shows each record; where the record takes
        the table's place, a click or Enter opens it (see _activated)."""
        if self._suppress or not self.side_by_side():
            return
        cid = self.model.id_at(current.row())
        if cid and (self.form.detail is None or self.form.detail.id != cid):
            if not self.window().maybe_keep_edits():  # type: ignore[attr-defined]
                return
            self.open_candidate(cid)

    def open_candidate(self, cid: str) -> None:
        self.form.load(cid)
        self.history.show_detail(self.form.detail)
        self.show_detail()

    def _open_existing(self, cid: str) -> None:
        """Open a likely duplicate the form pointed at (what was typed is left unsaved)."""
        self.form.dirty = False
        self.open_candidate(cid)
        self.tabs.setCurrentIndex(0)
        self._select_open()

    def table_width_needed(self) -> int:
        head = self.table.horizontalHeader()
        widths = self._fitted or [head.sectionSize(c) for c in range(self.model.columnCount())]
        return sum(widths) + 24

    def side_by_side(self) -> bool:
        """Whether the record fits beside the whole table (a wide screen); if not, the record
        takes the table's place until the officer goes back to the list."""
        pane = max(self.detail_pane.minimumWidth(), self.form.minimumSizeHint().width() + 40)
        return self.width() >= self.table_width_needed() + pane

    def show_detail(self) -> None:
        self.detail_pane.setVisible(True)
        self._arrange()

    def _arrange(self) -> None:
        if not self.detail_pane.isVisible():
            self.table.setVisible(True)
            return
        if self.side_by_side():
            self.table.setVisible(True)
            total = sum(self.splitter.sizes()) or self.width()
            table = self.table_width_needed()
            self.splitter.setSizes([table, max(total - table, 1)])
            self.close_button.setText("✕")
        else:
            self.table.setVisible(False)
            self.close_button.setText(_("← Back to the list"))

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._arrange()

    def _activated(self, index: Any) -> None:
        cid = self.model.id_at(index.row())
        if cid and (self.form.detail is None or self.form.detail.id != cid
                    or not self.detail_pane.isVisible() or not self.table.isVisible()):
            if not self.window().maybe_keep_edits():  # type: ignore[attr-defined]
                return
            self.open_candidate(cid)

    def close_detail(self) -> None:
        if not self.window().maybe_keep_edits():  # type: ignore[attr-defined]
            return
        if not self.table.isVisible() and self.form.detail is not None:
            # back to the list with the record still selected
            self.detail_pane.setVisible(False)
            self._arrange()
            self._select_open()
            self.table.setFocus()
            return
        self.form.clear()
        self.history.show_detail(None)
        self.detail_pane.setVisible(False)
        self._arrange()
        self._suppress = True
        self.table.clearSelection()
        self._suppress = False

    def new_candidate(self) -> None:
        self.form.clear()
        self.history.show_detail(None)
        self._suppress = True
        self.table.clearSelection()
        self._suppress = False
        self.show_detail()
        self.tabs.setCurrentIndex(0)
        self.form.editor("personal_number").setFocus()

    def _saved(self, cid: str) -> None:
        self.history.show_detail(self.form.detail)
        self.message.emit(_("Candidate saved"))
        self.refresh()

    def change_status(self) -> None:
        d = self.form.detail
        if d is None:
            return
        answer = StatusDialog.ask(self, d.status)
        if answer is None:
            return
        status, reason = answer
        try:
            self.app.candidates.change_status(d.id, status, reason)
        except MigdeskError as exc:
            show_error(self, exc)
            return
        self.open_candidate(d.id)
        self.message.emit(_("Status changed to “{status}”").format(
            status=CandidateStatus(status).label(language())))
        self.refresh()  # the record stays selected (see _select_open)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search by name or personal number…"))
        for w in (self.status, self.program, self.region, self.occupation, self.language):
            w.blockSignals(True)
            w.retranslate()
            w.blockSignals(False)
        self.level.setItemText(0, _("Any level"))
        self.tabs.setTabText(0, _("Details"))
        self.tabs.setTabText(1, _("History and placements"))
        self.close_button.setToolTip(_("Close the record"))
        self.close_button.setText("✕")
        self._arrange()
        self.model.retranslate()
        self._columns_fitted = False
        if self.model.rowCount():
            self.fit_columns()
        self.form.retranslate()
        self.history.retranslate()
        self._update_count()

    def selected_ids(self) -> list[str]:
        if self.form.detail is not None:
            return [self.form.detail.id]
        return []
