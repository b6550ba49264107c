"""A candidate's status history, programme applications and placements (read-only tables)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain.places import country_name
from migdesk.domain.statuses import CandidateStatus
from migdesk.domain.vocab import ApplicationStatus
from migdesk.i18n import N_, _, language
from migdesk.services.dto import CandidateDetail

HISTORY = (N_("When"), N_("From"), N_("To"), N_("Officer"), N_("Reason"))
APPLICATIONS = (N_("Programme"), N_("Applied on"), N_("Status"))
PLACEMENTS = (N_("Employer"), N_("Country"), N_("Start date"), N_("End date"),
              N_("Returned on"))


def _table(columns: int) -> QTableWidget:
    t = QTableWidget(0, columns)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setStretchLastSection(True)
    t.setAlternatingRowColors(True)
    return t


class HistoryView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        self.history_box = QGroupBox()
        self.history = _table(len(HISTORY))
        self.history.setObjectName("status_history")
        QVBoxLayout(self.history_box).addWidget(self.history)
        self.apps_box = QGroupBox()
        self.apps = _table(len(APPLICATIONS))
        QVBoxLayout(self.apps_box).addWidget(self.apps)
        self.placements_box = QGroupBox()
        self.placements = _table(len(PLACEMENTS))
        QVBoxLayout(self.placements_box).addWidget(self.placements)
        for w in (self.history_box, self.apps_box, self.placements_box):
            lay.addWidget(w)
        self.detail: CandidateDetail | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.history_box.setTitle(_("Status history"))
        self.apps_box.setTitle(_("Programme applications"))
        self.placements_box.setTitle(_("Placements"))
        self.history.setHorizontalHeaderLabels([_(h) for h in HISTORY])
        self.apps.setHorizontalHeaderLabels([_(h) for h in APPLICATIONS])
        self.placements.setHorizontalHeaderLabels([_(h) for h in PLACEMENTS])
        self.show_detail(self.detail)

    def show_detail(self, d: CandidateDetail | None) -> None:
        self.detail = d
        lang = language()
        rows_h = [] if d is None else [
            (h.changed_at.strftime("%Y-%m-%d %H:%M"),
             CandidateStatus(h.from_status).label(lang) if h.from_status else "",
             CandidateStatus(h.to_status).label(lang), h.officer, h.reason)
            for h in reversed(d.history)]
        rows_a = [] if d is None else [
            (a.program_name_ka if lang == "ka" else a.program_name_en, a.applied_on.isoformat(),
             ApplicationStatus(a.status).label(lang)) for a in d.applications]
        rows_p = [] if d is None else [
            (p.employer, country_name(p.country, lang), p.start_date.isoformat(),
             p.end_date.isoformat() if p.end_date else "",
             p.returned_on.isoformat() if p.returned_on else "") for p in d.placements]
        for table, rows in ((self.history, rows_h), (self.apps, rows_a),
                            (self.placements, rows_p)):
            table.setRowCount(len(rows))
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    table.setItem(r, c, QTableWidgetItem(text))
            table.resizeColumnsToContents()
