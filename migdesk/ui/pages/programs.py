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
from migdesk.i18n import _, language
from migdesk.services.dto import MatchResult, ProgramView
from migdesk.ui.candidates.occupation_picker import occupation_text
from migdesk.ui.dialogs import ReasonDialog, show_error
from migdesk.ui.pages.overview import fill, table
from migdesk.ui.widgets import data_label


class ProgramsPage(QWidget):
    message = Signal(str)

    def __init__(self, app: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.views: list[ProgramView] = []
        self.matches: list[MatchResult] = []
        split = QSplitter(Qt.Orientation.Horizontal)
        QVBoxLayout(self).addWidget(split)
        self.list = QListWidget()
        self.list.setObjectName("programs")
        split.addWidget(self.list)
        right = QWidget()
        rl = QVBoxLayout(right)
        self.name = data_label()
        self.name.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.info = data_label()
        rl.addWidget(self.name)
        rl.addWidget(self.info)
        self.demand_box = QGroupBox()
        self.demands = table(5, "demands")
        QVBoxLayout(self.demand_box).addWidget(self.demands)
        rl.addWidget(self.demand_box)
        self.match_box = QGroupBox()
        ml = QVBoxLayout(self.match_box)
        self.match_table = table(6, "matches")
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
        self.list.currentRowChanged.connect(self._show)
        self.shortlist_button.clicked.connect(lambda: self.advance("shortlisted"))
        self.select_button.clicked.connect(lambda: self.advance("selected"))
        self.retranslate()

    def refresh(self) -> None:
        try:
            self.views = self.app.programs.list()
        except MigdeskError:
            self.views = []
        row = max(self.list.currentRow(), 0)
        self._fill_list()
        if self.views:
            self.list.setCurrentRow(min(row, len(self.views) - 1))
            self._show(self.list.currentRow())

    def _fill_list(self) -> None:
        lang = language()
        self.list.blockSignals(True)
        self.list.clear()
        for p in self.views:
            self.list.addItem(QListWidgetItem(p.name_ka if lang == "ka" else p.name_en))
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
        try:
            self.matches = self.app.matching.match(p.id, limit=200) if p else []
        except MigdeskError:
            self.matches = []
        fill(self.match_table, [
            (f"{m.score:.2f}", f"{m.candidate.last_name_ka} {m.candidate.first_name_ka}",
             occupation_text(m.isco_code), str(m.years),
             CEFR(m.language_level).code if m.language_level else "",
             CandidateStatus(m.candidate.status).label(lang)) for m in self.matches])

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

    def retranslate(self) -> None:
        self.demand_box.setTitle(_("In-demand occupations"))
        self.match_box.setTitle(_("Matching candidates, best first"))
        self.demands.setHorizontalHeaderLabels(
            [_("Occupation"), _("Quota"), _("Language (CEFR)"), _("Work experience"), _("Age")])
        self.match_table.setHorizontalHeaderLabels(
            [_("Score"), _("Candidate"), _("Occupation"), _("Years"), _("Level (CEFR)"),
             _("Status")])
        self.shortlist_button.setText(_("Shortlist…"))
        self.select_button.setText(_("Select…"))
        self._fill_list()
        self._show(self.list.currentRow())
