"""Programmes: demanded occupations with quotas, ranked matching candidates, shortlist/select."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain.errors import MigdeskError
from migdesk.domain.places import country_name, language_name
from migdesk.domain.statuses import CandidateStatus
from migdesk.domain.vocab import CEFR
from migdesk.i18n import N_, _, language
from migdesk.services.dto import DemandView, MatchResult, ProgramView
from migdesk.ui.candidates.occupation_picker import occupation_text
from migdesk.ui.dialogs import ReasonDialog, show_error
from migdesk.ui.pages.overview import fill, stretch, table
from migdesk.ui.pages.program_forms import DemandDialog, ProgramDialog
from migdesk.ui.record_dialog import RecordDialog
from migdesk.ui.widgets import data_label


class ProgramsPage(QWidget):
    message = Signal(str)

    def __init__(self, app: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.views: list[ProgramView] = []
        self.matches: list[MatchResult] = []
        self.dialog: RecordDialog | None = None
        split = QSplitter(Qt.Orientation.Horizontal)
        QVBoxLayout(self).addWidget(split)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setObjectName("programs")
        # a programme's name is long: it wraps onto more lines instead of being cut
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        ll.addWidget(self.list)
        lrow = QHBoxLayout()
        self.new_button = QPushButton()
        self.new_button.setObjectName("new_program")
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("edit_program")
        lrow.addWidget(self.new_button)
        lrow.addWidget(self.edit_button)
        ll.addLayout(lrow)
        split.addWidget(left)
        right = QWidget()
        rl = QVBoxLayout(right)
        self.name = data_label()
        self.name.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.info = data_label()
        rl.addWidget(self.name)
        rl.addWidget(self.info)
        self.demand_box = QGroupBox()
        self.demands = stretch(table(5, "demands"), 0)
        self.demands.setSelectionBehavior(self.demands.SelectionBehavior.SelectRows)
        self.demands.setSelectionMode(self.demands.SelectionMode.SingleSelection)
        dl = QVBoxLayout(self.demand_box)
        dl.addWidget(self.demands)
        drow = QHBoxLayout()
        drow.addStretch(1)
        self.add_demand_button = QPushButton()
        self.add_demand_button.setObjectName("add_demand")
        self.edit_demand_button = QPushButton()
        self.edit_demand_button.setObjectName("edit_demand")
        self.remove_demand_button = QPushButton()
        self.remove_demand_button.setObjectName("remove_demand")
        for b in (self.add_demand_button, self.edit_demand_button, self.remove_demand_button):
            drow.addWidget(b)
        dl.addLayout(drow)
        rl.addWidget(self.demand_box)
        self.match_box = QGroupBox()
        ml = QVBoxLayout(self.match_box)
        self.match_table = stretch(table(6, "matches"), 1, 2)  # no sideways scroll at 1366
        self.match_table.setSelectionBehavior(self.match_table.SelectionBehavior.SelectRows)
        ml.addWidget(self.match_table)
        row = QHBoxLayout()
        self.shortlist_button = QPushButton()
        self.shortlist_button.setObjectName("shortlist")
        self.select_button = QPushButton()
        self.select_button.setObjectName("select")
        row.addStretch(1)
        row.addWidget(self.shortlist_button)
        row.addWidget(self.select_button)
        ml.addLayout(row)
        rl.addWidget(self.match_box, 2)
        self.empty = QLabel()
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        split.setSizes([300, 900])
        self.list.currentRowChanged.connect(self._show)
        self.shortlist_button.clicked.connect(lambda: self.advance("shortlisted"))
        self.select_button.clicked.connect(lambda: self.advance("selected"))
        self.new_button.clicked.connect(self.new_program)
        self.edit_button.clicked.connect(self.edit_program)
        self.add_demand_button.clicked.connect(self.add_demand)
        self.edit_demand_button.clicked.connect(self.edit_demand)
        self.remove_demand_button.clicked.connect(self.remove_demand)
        self.demands.itemSelectionChanged.connect(self._enable)
        self.retranslate()

    def refresh(self, select: str | None = None) -> None:
        keep = select or (self.current().id if self.current() else None)
        try:
            self.views = self.app.programs.list()
        except MigdeskError:
            self.views = []
        row = max(self.list.currentRow(), 0)
        row = next((i for i, p in enumerate(self.views) if p.id == keep), row)
        self._fill_list()
        if self.views:
            self.list.setCurrentRow(min(row, len(self.views) - 1))
            self._show(self.list.currentRow())

    def _fill_list(self) -> None:
        lang = language()
        self.list.blockSignals(True)
        self.list.clear()
        for p in self.views:
            name = p.name_ka if lang == "ka" else p.name_en
            item = QListWidgetItem(name)
            item.setToolTip(name)
            self.list.addItem(item)
        self.list.blockSignals(False)

    def current(self) -> ProgramView | None:
        r = self.list.currentRow()
        return self.views[r] if 0 <= r < len(self.views) else None

    def _show(self, row: int) -> None:
        lang = language()
        p = self.views[row] if 0 <= row < len(self.views) else None
        self.name.setText("" if p is None else (p.name_ka if lang == "ka" else p.name_en))
        self.info.setText("" if p is None else _(
            "{country}; applied {applied}, selected {selected}, placed {placed}").format(
            country=country_name(p.partner_iso, lang), applied=p.applied, selected=p.selected,
            placed=p.placed) + (f"; {p.partner_org}" if p.partner_org else ""))
        fill(self.demands, [] if p is None else [
            (occupation_text(d.isco_code), str(d.quota or ""),
             (f"{language_name(d.language, lang)} ≥ {CEFR(d.level).code}" if d.level
              else language_name(d.language, lang)) if d.language else "",
             str(d.min_experience_years),
             f"{d.min_age or ''}–{d.max_age or ''}" if d.min_age or d.max_age else "")
            for d in p.demands])
        self.edit_button.setEnabled(p is not None)
        self.add_demand_button.setEnabled(p is not None)
        self._enable()
        try:
            self.matches = self.app.matching.match(p.id, limit=200) if p else []
        except MigdeskError:
            self.matches = []
        fill(self.match_table, [
            (f"{m.score:.2f}", f"{m.candidate.last_name_ka} {m.candidate.first_name_ka}",
             occupation_text(m.isco_code), str(m.years),
             CEFR(m.language_level).code if m.language_level else "",
             CandidateStatus(m.candidate.status).label(lang)) for m in self.matches])

    # -- making and mending -------------------------------------------------------------------
    def _demand(self) -> DemandView | None:
        p, r = self.current(), self.demands.currentRow()
        if p is None or not self.demands.selectionModel().hasSelection():
            return None
        return p.demands[r] if 0 <= r < len(p.demands) else None

    def _enable(self) -> None:
        d = self._demand()
        self.edit_demand_button.setEnabled(d is not None)
        self.remove_demand_button.setEnabled(d is not None)

    def _open(self, dialog: RecordDialog, done: str, new: bool = False) -> RecordDialog:
        """Open a form without blocking; when it saves, the page shows the change (a new
        programme is then the one selected)."""
        self.dialog = dialog
        dialog.saved.connect(lambda saved: self._saved(done, saved.id if new else None))
        dialog.open()
        return dialog

    def _saved(self, done: str, select: str | None = None) -> None:
        self.refresh(select=select)
        self.message.emit(done)

    def new_program(self) -> RecordDialog:
        return self._open(ProgramDialog(self, self.app), N_("Programme saved"), new=True)

    def edit_program(self) -> RecordDialog | None:
        p = self.current()
        return self._open(ProgramDialog(self, self.app, p), N_("Programme saved")) if p \
            else None

    def add_demand(self) -> RecordDialog | None:
        p = self.current()
        return self._open(DemandDialog(self, self.app, p), N_("Demanded occupation saved")) \
            if p else None

    def edit_demand(self) -> RecordDialog | None:
        p, d = self.current(), self._demand()
        if p is None or d is None:
            return None
        return self._open(DemandDialog(self, self.app, p, d), N_("Demanded occupation saved"))

    def remove_demand(self) -> bool:
        d = self._demand()
        if d is None:
            return False
        reason = ReasonDialog.ask(self, _("Remove"), _(
            "Why is this record removed? It disappears from the lists; the reason and the "
            "record are kept in the history."))
        if not reason:
            return False
        try:
            self.app.programs.remove_demand(d.id, reason)
        except MigdeskError as exc:
            show_error(self, exc)
            return False
        self.refresh()
        self.message.emit(N_("Removed"))
        return True

    def advance(self, to: str) -> None:
        p = self.current()
        row = self.match_table.currentRow()
        if p is None or not 0 <= row < len(self.matches):
            self.message.emit(_("Choose a candidate in the list first"))
            return
        m = self.matches[row]
        reason = ReasonDialog.ask(self, _("Reason"), _("Why is this candidate chosen?"))
        if not reason:
            return
        try:
            self.app.programs.advance(m.candidate.id, p.id, to, reason, demand_id=m.demand_id)
        except MigdeskError as exc:
            show_error(self, exc)
            return
        self.message.emit(_("Status changed to “{status}”").format(
            status=CandidateStatus(to).label(language())))
        self.refresh()

    def apply_role(self, may: Any) -> None:
        from migdesk.domain.roles import Permission

        self.select_button.setVisible(may(Permission.SELECT))
        for b in (self.new_button, self.edit_button, self.add_demand_button,
                  self.edit_demand_button):
            b.setVisible(may(Permission.EDIT_RECORDS))
        self.remove_demand_button.setVisible(may(Permission.REMOVE))

    def retranslate(self) -> None:
        self.demand_box.setTitle(_("In-demand occupations"))
        self.match_box.setTitle(_("Matching candidates, best first"))
        self.demands.setHorizontalHeaderLabels(
            [_("Occupation"), _("Quota"), _("Language (CEFR)"), _("Work experience"), _("Age")])
        self.match_table.setHorizontalHeaderLabels(
            [_("Score"), _("Candidate"), _("Occupation"), _("Years"), _("Level (CEFR)"),
             _("Status")])
        self.new_button.setText(_("New programme…"))
        self.edit_button.setText(_("Edit programme…"))
        self.add_demand_button.setText(_("Add occupation…"))
        self.edit_demand_button.setText(_("Edit occupation…"))
        self.remove_demand_button.setText(_("Remove occupation…"))
        self.shortlist_button.setText(_("Shortlist…"))
        self.select_button.setText(_("Select…"))
        self._fill_list()
        self._show(self.list.currentRow())
