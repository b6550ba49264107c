"""The Overview page: counts, a status chart, follow-ups due or overdue, expiring passports."""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QCursor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain.errors import MigdeskError
from migdesk.domain.places import country_name
from migdesk.domain.statuses import CandidateStatus
from migdesk.domain.vocab import ActionStatus
from migdesk.i18n import N_, _, language
from migdesk.services.dto import FollowUpView
from migdesk.services.overview import Overview, OverviewService

OVERDUE = QColor("#b00020")
LABEL_CHARS = 22  # a chart label longer than this is abbreviated (the whole one is a tooltip)


def nice_step(top: int, ticks: int = 5) -> int:
    """A whole step of 1, 2 or 5 × 10^k giving at most `ticks` intervals up to `top`."""
    base = 1
    while True:
        for m in (1, 2, 5):
            if top <= ticks * m * base:
                return m * base
        base *= 10


def abbreviated(text: str, limit: int = LABEL_CHARS) -> str:
    """The label whole if short, else cut at a word or letter with a full stop."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rstrip()
    return cut + "."


W = TypeVar("W", bound=QWidget)

class Box(QFrame):
    """A titled box whose title wraps instead of widening the page (a QGroupBox's cannot)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(8, 6, 8, 8)
        self.title_label = QLabel()
        self.title_label.setObjectName(f"{name}_title")
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("font-weight: bold;")
        self._lay.addWidget(self.title_label)

    def setTitle(self, text: str) -> None:  # noqa: N802 - as QGroupBox's
        self.title_label.setText(text)

    def title(self) -> str:
        return self.title_label.text()

    def add(self, w: W) -> W:
        self._lay.addWidget(w, 1)
        return w


def table(cols: int, name: str) -> QTableWidget:
    t = QTableWidget(0, cols)
    t.setObjectName(name)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setStretchLastSection(True)
    t.setAlternatingRowColors(True)
    return t


def stretch(t: QTableWidget, *cols: int) -> QTableWidget:
    """Columns `cols` share the room left and elide; the others fit their contents."""
    head = t.horizontalHeader()
    head.setStretchLastSection(False)
    for c in range(t.columnCount()):
        head.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch if c in cols
                                  else QHeaderView.ResizeMode.ResizeToContents)
    return t


def fill(t: QTableWidget, rows: list[tuple[str, ...]], colors: list[QColor | None] | None = None
         ) -> None:
    t.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)  # the whole text where a narrow column elides it
            if colors and colors[r] is not None:
                item.setForeground(QBrush(colors[r]))
            t.setItem(r, c, item)
    head = t.horizontalHeader()
    for c in range(t.columnCount()):  # a stretched column keeps its share: sized to a long
        if head.sectionResizeMode(c) == QHeaderView.ResizeMode.Interactive:  # text it would
            t.resizeColumnToContents(c)  # push the table sideways


def follow_up_state(f: FollowUpView, lang: str) -> str:
    """The status column of a follow-up action: overdue, or its status (done: with the date)."""
    if f.overdue:
        return _("overdue")
    label = ActionStatus(f.status).label(lang)
    if f.status == ActionStatus.DONE.value and f.completed_on:
        return f"{label} ({f.completed_on.isoformat()})"
    return label


class OverviewPage(QWidget):
    def __init__(self, app: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.service = OverviewService(app)
        self.data: Overview | None = None
        grid = QGridLayout(self)
        self.status_box = Box("status_box")
        self.chart = QChart()
        self.chart.legend().setVisible(False)
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.setMargins(self.chart.margins() * 0)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(230)
        self.empty = QLabel()
        self.empty.setObjectName("no_data")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #666; font-size: 14px;")
        self.chart_stack = QStackedWidget()
        self.chart_stack.addWidget(self.chart_view)
        self.chart_stack.addWidget(self.empty)
        self.status_box.add(self.chart_stack)
        self.bar_labels: list[str] = []  # the chart's category labels as shown
        self.program_box = Box("program_box")
        self.programs = self.program_box.add(stretch(table(2, "by_program"), 0))
        self.dest_box = Box("dest_box")
        self.destinations = self.dest_box.add(stretch(table(3, "by_destination"), 0))
        self.follow_box = Box("follow_box")
        self.follow_ups = self.follow_box.add(stretch(table(4, "follow_ups"), 1, 2))
        self.passport_box = Box("passport_box")
        self.passports = self.passport_box.add(stretch(table(3, "expiring_passports"), 0))
        # Two equal columns (each table gets room for its columns at 1366 pixels): the chart
        # beside programmes over destinations; follow-ups beside passports.
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.program_box, 1)
        right.addWidget(self.dest_box, 1)
        grid.addWidget(self.status_box, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.addWidget(self.follow_box, 1, 0)
        grid.addWidget(self.passport_box, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        self.retranslate()

    def refresh(self) -> None:
        try:
            self.data = self.service.figures()
        except MigdeskError:
            self.data = None
        self._show()

    def _show(self) -> None:
        lang = language()
        d = self.data
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        if d is None:
            return
        statuses = list(reversed(CandidateStatus))
        counts = [int(d.by_status.get(s.value, 0)) for s in statuses]
        self.full_labels = [s.label(lang) for s in statuses]
        self.bar_labels = [abbreviated(t) for t in self.full_labels]
        if not any(counts):
            self.chart_stack.setCurrentWidget(self.empty)
        else:
            self.chart_stack.setCurrentWidget(self.chart_view)
            bars = QBarSet(_("Candidates"))
            bars.setColor(QColor("#2d6a9f"))
            bars.append([float(n) for n in counts])
            series = QHorizontalBarSeries()
            series.append(bars)
            series.setLabelsVisible(True)
            series.setLabelsFormat("@value")
            series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
            series.hovered.connect(self._hovered)
            self.chart.addSeries(series)
            ax = QBarCategoryAxis()
            ax.setTruncateLabels(False)  # Qt cuts long labels to “…” otherwise
            ax.append(self.bar_labels)
            ay = QValueAxis()
            step = nice_step(max(counts))
            top = -(-int(max(counts) * 1.12) // step) * step or step
            ay.setRange(0, top)
            ay.setTickType(QValueAxis.TickType.TicksDynamic)
            ay.setTickAnchor(0)
            ay.setTickInterval(step)
            ay.setLabelFormat("%d")
            ay.setMinorTickCount(0)
            self.chart.addAxis(ax, Qt.AlignmentFlag.AlignLeft)
            self.chart.addAxis(ay, Qt.AlignmentFlag.AlignBottom)
            series.attachAxis(ax)
            series.attachAxis(ay)
            self.value_axis = ay
        self.chart_view.setToolTip("\n".join(
            f"{t}: {n}" for t, n in zip(reversed(self.full_labels), reversed(counts),
                                        strict=True)))
        fill(self.programs, [(ka if lang == "ka" else en, str(n))
                             for _code, ka, en, n in d.by_program])
        isos = sorted(set(d.by_destination) | set(d.placements))
        fill(self.destinations, [(country_name(i, lang), str(d.by_destination.get(i, 0)),
                                  str(d.placements.get(i, 0))) for i in isos])
        fill(self.follow_ups, [
            (f.due_date.isoformat() if f.due_date else _("no due date"), f.action,
             f.responsible or "", follow_up_state(f, lang))
            for f in d.follow_ups], [OVERDUE if f.overdue else None for f in d.follow_ups])
        today = self.app.today()
        gone = [c.passport_expiry is not None and c.passport_expiry < today for c in d.expiring]
        fill(self.passports, [(f"{c.last_name_ka} {c.first_name_ka}",
                               CandidateStatus(c.status).label(lang),
                               (c.passport_expiry.isoformat() if c.passport_expiry else "")
                               + (" — " + _("expired") if expired else ""))
                              for c, expired in zip(d.expiring, gone, strict=True)],
             [OVERDUE if expired else None for expired in gone])

    def _hovered(self, status: bool, index: int, _bars: Any = None) -> None:
        if status and 0 <= index < len(self.full_labels) and self.data is not None:
            st = list(reversed(CandidateStatus))[index]
            QToolTip.showText(QCursor.pos(), f"{self.full_labels[index]}: "
                              f"{self.data.by_status.get(st.value, 0)}", self.chart_view)

    def overdue_actions(self) -> list[str]:
        return [f.action for f in (self.data.follow_ups if self.data else []) if f.overdue]

    def retranslate(self) -> None:
        self.empty.setText(_("No data yet: register candidates or load the demo, and the "
                             "figures appear here."))
        self.status_box.setTitle(_("Candidates by status"))
        self.program_box.setTitle(_("Applications by programme"))
        self.dest_box.setTitle(_("Destinations and placements"))
        self.follow_box.setTitle(_("Open follow-up actions: overdue, due soon, undated"))
        self.passport_box.setTitle(
            _("Passports expired or expiring within 6 months (in selection)"))
        self.programs.setHorizontalHeaderLabels([_("Programme"), _("Applications")])
        self.destinations.setHorizontalHeaderLabels(
            [_("Country"), _("Applications"), _("Placements")])
        self.follow_ups.setHorizontalHeaderLabels(
            [_("Due date"), _("Action"), _("Responsible"), _("Status")])
        self.passports.setHorizontalHeaderLabels(
            [_("Candidate"), _("Status"), _("Valid until")])
        self._show()


__all__ = ["OverviewPage", "N_"]
