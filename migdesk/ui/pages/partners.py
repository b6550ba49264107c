"""Partner states and agreements: stage, assessments with indicators, milestone timelines."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain.errors import MigdeskError
from migdesk.domain.vocab import AgreementKind, CooperationStage, IndicatorKind, MilestoneKind
from migdesk.i18n import _, language
from migdesk.services.dto import PartnerView
from migdesk.ui.pages.overview import fill, table
from migdesk.ui.pages.partner_edit import PartnerEditor
from migdesk.ui.widgets import data_label


def _num(value: Any) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale="ka" if language() == "ka" else "en")


class PartnersPage(QWidget):
    message = Signal(str)

    def __init__(self, app: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.views: list[PartnerView] = []
        split = QSplitter(Qt.Orientation.Horizontal)
        QVBoxLayout(self).addWidget(split)
        self.list = QListWidget()
        self.list.setObjectName("partners")
        split.addWidget(self.list)
        right = QWidget()
        rl = QVBoxLayout(right)
        self.name = data_label()
        self.name.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.stage = data_label()
        rl.addWidget(self.name)
        rl.addWidget(self.stage)
        self.assess_box = QGroupBox()
        self.assessments = table(5, "assessments")
        QVBoxLayout(self.assess_box).addWidget(self.assessments)
        self.agree_box = QGroupBox()
        self.milestones = table(4, "milestones")
        QVBoxLayout(self.agree_box).addWidget(self.milestones)
        rl.addWidget(self.assess_box)
        rl.addWidget(self.agree_box)
        self.editor = PartnerEditor(app)
        self.editor.saved.connect(self._saved)
        rl.addWidget(self.editor)
        self.empty = QLabel()
        rl.addWidget(self.empty)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        self.list.currentRowChanged.connect(self._show)
        self.retranslate()

    def refresh(self) -> None:
        try:
            self.views = self.app.partners.list()
        except MigdeskError:
            self.views = []
        row = max(self.list.currentRow(), 0)
        self._fill_list()
        if self.views:
            self.list.setCurrentRow(min(row, len(self.views) - 1))

    def _saved(self, text: str) -> None:
        self.refresh()
        self.message.emit(text)

    def _fill_list(self) -> None:
        lang = language()
        self.list.blockSignals(True)
        self.list.clear()
        for p in self.views:
            item = QListWidgetItem(f"{p.name_ka if lang == 'ka' else p.name_en}")
            item.setToolTip(CooperationStage(p.stage).label(lang))
            self.list.addItem(item)
        self.list.blockSignals(False)

    def _show(self, row: int) -> None:
        lang = language()
        p = self.views[row] if 0 <= row < len(self.views) else None
        self.name.setText("" if p is None else f"{p.name_ka if lang == 'ka' else p.name_en} "
                          f"({p.iso_code})")
        self.stage.setText("" if p is None else _("Cooperation stage: {stage}").format(
            stage=CooperationStage(p.stage).label(lang)))
        rows = []
        for a in (p.assessments if p else []):
            inds = [i for i in a.indicators] or [None]
            for i in inds:
                rows.append((
                    a.assessed_on.format(lang), CooperationStage(a.decision).label(lang),
                    "" if i is None else f"{IndicatorKind(i.kind).label(lang)}: "
                    f"{_num(i.value)} {i.currency or i.unit or ''}".strip(),
                    "" if i is None else (i.source_name or i.source_url or ""),
                    a.rationale or ""))
        fill(self.assessments, rows)
        ms_rows = []
        for ag in (p.agreements if p else []):
            title = ag.title_ka if lang == "ka" else ag.title_en
            for m in ag.milestones:
                ms_rows.append((m.date.format(lang) if m.date else _("date not known"),
                                MilestoneKind(m.kind).label(lang),
                                f"{title} ({AgreementKind(ag.kind).label(lang)})",
                                m.place or ""))
        fill(self.milestones, ms_rows)
        self.editor.set_partner(p)

    def retranslate(self) -> None:
        self.assess_box.setTitle(_("Assessments (minimum wage and other indicators)"))
        self.agree_box.setTitle(_("Agreements: milestone timeline"))
        self.assessments.setHorizontalHeaderLabels(
            [_("Date"), _("Decision"), _("Indicator"), _("Source"), _("Rationale")])
        self.milestones.setHorizontalHeaderLabels(
            [_("Date"), _("Milestone"), _("Agreement"), _("Place")])
        self.editor.retranslate()
        self._fill_list()
        self._show(self.list.currentRow())
