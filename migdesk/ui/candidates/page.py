"""The Candidates page: search-as-you-type, filters, the lazy table, the form and history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
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
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        bar.addWidget(self.search, 3)
        self.status = ChoiceCombo(labelled(CandidateStatus), empty=lambda: _("Any status"))
        self.program = ChoiceCombo(self._programs, empty=lambda: _("Any programme"))
        self.region = ChoiceCombo(lambda: [(c, region_name(c, language())) for c in REGIONS],
                                  empty=lambda: _("Any region"))
        self.occupation = ChoiceCombo(_occupation_groups, empty=lambda: _("Any occupation"))
        self.occupation.setMaximumWidth(260)
        self.language = ChoiceCombo(lambda: [(c, language_name(c, language()))
                                             for c in LANGUAGES], empty=lambda: _("Any language"))
        self.level = QComboBox()
        self.level.addItem("", None)
        for lv in CEFR:
            self.level.addItem(f"≥ {lv.code}", lv.value)
        for w in (self.status, self.program, self.region, self.occupation, self.language,
                  self.level):
            w.setMaximumWidth(230)
            w.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            w.setMinimumContentsLength(13)  # “პროფესია: ყველა” stays whole
            bar.addWidget(w, 1)
            w.currentIndexChanged.connect(self.refresh)
        lay.addLayout(bar)
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        lay.addWidget(self.count_label)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.splitter = split
        self.table = QTableView()
        self.table.setObjectName("candidate_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        split.addWidget(self.table)
        self.tabs = QTabWidget()
        self.form = CandidateForm(app)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.history = HistoryView()
        self.tabs.addTab(scroll, "")
        self.tabs.addTab(self.history, "")
        from migdesk.ui.candidates.attachments import attach_to_page

        attach_to_page(self)  # "Attachments…" in the tabs' corner (issue 13)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([600, 580])
        lay.addWidget(split, 1)

        self._recorded: tuple[str, dict] | None = None  # the last search put in the audit trail
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.form.saved.connect(self._saved)
        self.form.status_requested.connect(self.change_status)
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
        """Run the search now (the debounce timer calls this as the officer types)."""
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
        self._update_count()

    def _update_count(self) -> None:
        n = self.model.rowCount()
        more = "+" if self.model.canFetchMore() else ""
        self.count_label.setText(_("{n} candidates shown").format(n=f"{n:,}{more}".replace(
            ",", "\u00a0")))

    def _row_changed(self, current: Any, _prev: Any) -> None:
        if self._suppress:
            return
        cid = self.model.id_at(current.row())
        if cid and (self.form.detail is None or self.form.detail.id != cid):
            if not self.window().maybe_keep_edits():  # type: ignore[attr-defined]
                return
            self.open_candidate(cid)

    def open_candidate(self, cid: str) -> None:
        self.form.load(cid)
        self.history.show_detail(self.form.detail)

    def new_candidate(self) -> None:
        self.form.clear()
        self.history.show_detail(None)
        self._suppress = True
        self.table.clearSelection()
        self._suppress = False
        self.tabs.setCurrentIndex(0)
        self.form.editor("personal_number").setFocus()

    def _saved(self, cid: str) -> None:
        self.history.show_detail(self.form.detail)
        self.message.emit(_("Candidate saved"))
        self.refresh()
        row = self.model.row_of(cid)
        if row >= 0:
            self._suppress = True
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self._suppress = False

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
        self.refresh()

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
        self.model.retranslate()
        self.form.retranslate()
        self.history.retranslate()
        self._update_count()

    def selected_ids(self) -> list[str]:
        if self.form.detail is not None:
            return [self.form.detail.id]
        return []
