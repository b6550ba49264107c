"""Partner states and agreements: stage, assessments with indicators, milestone timelines."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain.errors import MigdeskError
from migdesk.domain.vocab import AgreementKind, CooperationStage, IndicatorKind, MilestoneKind
from migdesk.i18n import N_, _, language
from migdesk.services.dto import AgreementView, AssessmentView, PartnerView
from migdesk.ui.dialogs import ReasonDialog
from migdesk.ui.pages.overview import fill, stretch, table
from migdesk.ui.pages.partner_edit import PartnerEditor
from migdesk.ui.pages.partner_forms import (
    AgreementDialog,
    AssessmentDialog,
    IndicatorDialog,
    MilestoneDialog,
    PartnerDialog,
)
from migdesk.ui.record_dialog import RecordDialog
from migdesk.ui.widgets import data_label


def _button(name: str, row: QHBoxLayout) -> QPushButton:
    b = QPushButton()
    b.setObjectName(name)
    row.addWidget(b)
    return b


def _menu_button(name: str, row: QHBoxLayout) -> QPushButton:
    """A compact button that opens the actions on the selected row (a table's width stays
    what its columns need, in Georgian too)."""
    b = QPushButton()
    b.setObjectName(name)
    b.setMenu(QMenu(b))
    row.addWidget(b)
    return b


def _act(button: QPushButton, name: str) -> QAction:
    a = QAction(button)
    a.setObjectName(name)
    button.menu().addAction(a)
    return a


def _num(value: Any) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale="ka" if language() == "ka" else "en")


class PartnersPage(QWidget):
    message = Signal(str)

    def __init__(self, app: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.views: list[PartnerView] = []
        self.dialog: RecordDialog | None = None
        # what each table row shows: (assessment id, indicator id) and (agreement, milestone)
        self.assessment_rows: list[tuple[str, str | None]] = []
        self.milestone_rows: list[tuple[str, str | None]] = []
        split = QSplitter(Qt.Orientation.Horizontal)
        QVBoxLayout(self).addWidget(split)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setObjectName("partners")
        ll.addWidget(self.list)
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_partner")
        ll.addWidget(self.add_button)
        split.addWidget(left)
        right = QWidget()
        rl = QVBoxLayout(right)
        self.name = data_label()
        self.name.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.stage = data_label()
        rl.addWidget(self.name)
        rl.addWidget(self.stage)
        notes_row = QHBoxLayout()
        self.notes = data_label()
        self.notes.setObjectName("partner_notes")
        self.notes.setWordWrap(True)
        notes_row.addWidget(self.notes, 1)
        self.notes_button = _button("edit_notes", notes_row)
        self.remove_partner_button = _button("remove_partner", notes_row)
        rl.addLayout(notes_row)
        self.assess_box = QGroupBox()
        al = QVBoxLayout(self.assess_box)
        # the source and the rationale take the room left (whole in their tooltips)
        self.assessments = stretch(table(5, "assessments"), 1, 2, 3, 4)
        al.addWidget(self.assessments)
        arow = QHBoxLayout()
        arow.addStretch(1)
        self.assessment_menu = _menu_button("assessment_menu", arow)
        self.edit_assessment_button = _act(self.assessment_menu, "edit_assessment")
        self.remove_assessment_button = _act(self.assessment_menu, "remove_assessment")
        self.indicator_menu = _menu_button("indicator_menu", arow)
        self.add_indicator_button = _act(self.indicator_menu, "add_indicator")
        self.edit_indicator_button = _act(self.indicator_menu, "edit_indicator")
        self.remove_indicator_button = _act(self.indicator_menu, "remove_indicator")
        al.addLayout(arow)
        self.agree_box = QGroupBox()
        gl = QVBoxLayout(self.agree_box)
        self.milestones = stretch(table(4, "milestones"), 2)
        gl.addWidget(self.milestones)
        mrow = QHBoxLayout()
        mrow.addStretch(1)
        self.agreement_menu = _menu_button("agreement_menu", mrow)
        self.edit_agreement_button = _act(self.agreement_menu, "edit_agreement")
        self.remove_agreement_button = _act(self.agreement_menu, "remove_agreement")
        self.milestone_menu = _menu_button("milestone_menu", mrow)
        self.add_milestone_button = _act(self.milestone_menu, "add_milestone_dialog")
        self.edit_milestone_button = _act(self.milestone_menu, "edit_milestone")
        self.remove_milestone_button = _act(self.milestone_menu, "remove_milestone")
        gl.addLayout(mrow)
        for t in (self.assessments, self.milestones):
            t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            t.itemSelectionChanged.connect(self._enable)
        self.assessments.itemDoubleClicked.connect(
            lambda _i: self.edit_indicator() if self._assessment_row()[1]
            else self.edit_assessment())
        self.milestones.itemDoubleClicked.connect(
            lambda _i: self.edit_milestone() if self._milestone_row()[1]
            else self.edit_agreement())
        rl.addWidget(self.assess_box)
        rl.addWidget(self.agree_box)
        self.editor = PartnerEditor(app)
        self.editor.saved.connect(self._saved)
        rl.addWidget(self.editor)
        self.empty = QLabel()
        rl.addWidget(self.empty)
        split.addWidget(right)
        split.setSizes([200, 1100])  # the names are short; the details need the width
        split.setStretchFactor(1, 3)
        self.list.currentRowChanged.connect(self._show)
        self.add_button.clicked.connect(self.add_partner)
        self.notes_button.clicked.connect(self.edit_notes)
        self.remove_partner_button.clicked.connect(self.remove_partner)
        self.edit_assessment_button.triggered.connect(self.edit_assessment)
        self.remove_assessment_button.triggered.connect(
            lambda: self._remove("assessment", self._assessment_row()[0]))
        self.add_indicator_button.triggered.connect(self.add_indicator)
        self.edit_indicator_button.triggered.connect(self.edit_indicator)
        self.remove_indicator_button.triggered.connect(
            lambda: self._remove("indicator", self._assessment_row()[1]))
        self.edit_agreement_button.triggered.connect(self.edit_agreement)
        self.remove_agreement_button.triggered.connect(
            lambda: self._remove("agreement", self._milestone_row()[0]))
        self.add_milestone_button.triggered.connect(self.add_milestone)
        self.edit_milestone_button.triggered.connect(self.edit_milestone)
        self.remove_milestone_button.triggered.connect(
            lambda: self._remove("milestone", self._milestone_row()[1]))
        self.retranslate()

    def refresh(self, select: str | None = None) -> None:
        keep = select or (self.current().id if self.current() else None)
        try:
            self.views = self.app.partners.list()
        except MigdeskError:
            self.views = []
        row = max(self.list.currentRow(), 0)
        row = next((i for i, p in enumerate(self.views) if p.id == keep), row)
        self._fill_list()
        if self.views:
            self.list.setCurrentRow(min(row, len(self.views) - 1))
            self._show(self.list.currentRow())
        else:
            self._show(-1)

    def current(self) -> PartnerView | None:
        r = self.list.currentRow()
        return self.views[r] if 0 <= r < len(self.views) else None

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
        notes = (p.notes or "") if p else ""
        self.notes.setText(_("Notes: {notes}").format(notes=notes) if notes else "")
        rows = []
        self.assessment_rows = []
        for a in (p.assessments if p else []):
            inds = [i for i in a.indicators] or [None]
            for i in inds:
                self.assessment_rows.append((a.id, i.id if i else None))
                rows.append((
                    a.assessed_on.format(lang), CooperationStage(a.decision).label(lang),
                    "" if i is None else f"{IndicatorKind(i.kind).label(lang)}: "
                    f"{_num(i.value)} {i.currency or i.unit or ''}".strip(),
                    "" if i is None else (i.source_name or i.source_url or ""),
                    a.rationale or ""))
        fill(self.assessments, rows)
        ms_rows = []
        self.milestone_rows = []
        for ag in (p.agreements if p else []):
            title = ag.title_ka if lang == "ka" else ag.title_en
            if not ag.milestones:  # an agreement without milestones still has its row
                self.milestone_rows.append((ag.id, None))
                ms_rows.append(("—", "", f"{title} ({AgreementKind(ag.kind).label(lang)})", ""))
            for m in ag.milestones:
                self.milestone_rows.append((ag.id, m.id))
                ms_rows.append((m.date.format(lang) if m.date else _("date not known"),
                                MilestoneKind(m.kind).label(lang),
                                f"{title} ({AgreementKind(ag.kind).label(lang)})",
                                m.place or ""))
        fill(self.milestones, ms_rows)
        self.editor.set_partner(p)
        for b in (self.notes_button, self.remove_partner_button):
            b.setEnabled(p is not None)
        self._enable()

    def _enable_menus(self) -> None:
        for menu in (self.assessment_menu, self.indicator_menu, self.agreement_menu,
                     self.milestone_menu):
            menu.setEnabled(any(a.isEnabled() for a in menu.menu().actions()))

    # -- selection ----------------------------------------------------------------------------
    def _assessment_row(self) -> tuple[str | None, str | None]:
        r = self.assessments.currentRow()
        picked = self.assessments.selectionModel().hasSelection()
        return self.assessment_rows[r] if picked and 0 <= r < len(self.assessment_rows) \
            else (None, None)

    def _milestone_row(self) -> tuple[str | None, str | None]:
        r = self.milestones.currentRow()
        picked = self.milestones.selectionModel().hasSelection()
        return self.milestone_rows[r] if picked and 0 <= r < len(self.milestone_rows) \
            else (None, None)

    def _assessment(self) -> AssessmentView | None:
        aid = self._assessment_row()[0]
        p = self.current()
        return next((a for a in (p.assessments if p else []) if a.id == aid), None)

    def _agreement(self) -> AgreementView | None:
        aid = self._milestone_row()[0]
        p = self.current()
        return next((a for a in (p.agreements if p else []) if a.id == aid), None)

    def _enable(self) -> None:
        a, i = self._assessment_row()
        g, m = self._milestone_row()
        for b in (self.edit_assessment_button, self.remove_assessment_button,
                  self.add_indicator_button):
            b.setEnabled(a is not None)
        for b in (self.edit_indicator_button, self.remove_indicator_button):
            b.setEnabled(i is not None)
        for b in (self.edit_agreement_button, self.remove_agreement_button,
                  self.add_milestone_button):
            b.setEnabled(g is not None)
        for b in (self.edit_milestone_button, self.remove_milestone_button):
            b.setEnabled(m is not None)
        self._enable_menus()

    # -- the dialogs --------------------------------------------------------------------------
    def _open(self, dialog: RecordDialog, done: str) -> RecordDialog:
        """Open a form without blocking; when it saves, the page shows the change."""
        self.dialog = dialog
        dialog.saved.connect(lambda _saved: self._saved(done))
        dialog.open()
        return dialog

    def add_partner(self) -> RecordDialog:
        dlg = PartnerDialog(self, self.app)
        dlg.saved.connect(lambda saved: self.refresh(select=saved.id))
        return self._open(dlg, N_("Partner state added"))

    def edit_notes(self) -> RecordDialog | None:
        p = self.current()
        return self._open(PartnerDialog(self, self.app, p), N_("Notes saved")) if p else None

    def edit_assessment(self) -> RecordDialog | None:
        a = self._assessment()
        return self._open(AssessmentDialog(self, self.app, a),
                          N_("Assessment saved")) if a else None

    def add_indicator(self) -> RecordDialog | None:
        a = self._assessment()
        return self._open(IndicatorDialog(self, self.app, a),
                          N_("Indicator saved")) if a else None

    def edit_indicator(self) -> RecordDialog | None:
        a, iid = self._assessment(), self._assessment_row()[1]
        ind = next((i for i in (a.indicators if a else []) if i.id == iid), None)
        if a is None or ind is None:
            return None
        return self._open(IndicatorDialog(self, self.app, a, ind), N_("Indicator saved"))

    def edit_agreement(self) -> RecordDialog | None:
        p, g = self.current(), self._agreement()
        if p is None or g is None:
            return None
        return self._open(AgreementDialog(self, self.app, p, g), N_("Agreement saved"))

    def add_milestone(self) -> RecordDialog | None:
        g = self._agreement()
        return self._open(MilestoneDialog(self, self.app, g), N_("Milestone added")) if g \
            else None

    def edit_milestone(self) -> RecordDialog | None:
        g, mid = self._agreement(), self._milestone_row()[1]
        m = next((m for m in (g.milestones if g else []) if m.id == mid), None)
        if g is None or m is None:
            return None
        return self._open(MilestoneDialog(self, self.app, g, m), N_("Milestone saved"))

    def remove_partner(self) -> bool:
        p = self.current()
        return self._remove("partner_state", p.id if p else None)

    def _remove(self, entity: str, record_id: str | None) -> bool:
        """A tombstone with the officer's reason (kept in the journal, sent in packages)."""
        if not record_id:
            return False
        reason = ReasonDialog.ask(self, _("Remove"), _(
            "Why is this record removed? It disappears from the lists; the reason and the "
            "record are kept in the history."))
        if not reason:
            return False
        try:
            self.app.partners.remove(entity, record_id, reason)
        except MigdeskError as exc:
            from migdesk.ui.dialogs import show_error

            show_error(self, exc)
            return False
        self._saved(N_("Removed"))
        return True

    def apply_role(self, may: Any) -> None:
        from migdesk.domain.roles import Permission

        edit, remove = may(Permission.EDIT_RECORDS), may(Permission.REMOVE)
        for b in (self.add_button, self.notes_button, self.edit_assessment_button,
                  self.add_indicator_button, self.edit_indicator_button,
                  self.edit_agreement_button, self.add_milestone_button,
                  self.edit_milestone_button):
            b.setVisible(edit)
        for b in (self.remove_partner_button, self.remove_assessment_button,
                  self.remove_indicator_button, self.remove_agreement_button,
                  self.remove_milestone_button):
            b.setVisible(remove)
        for menu in (self.assessment_menu, self.indicator_menu, self.agreement_menu,
                     self.milestone_menu):
            menu.setVisible(edit or remove)

    def retranslate(self) -> None:
        for b, text in ((self.add_button, _("New partner state…")),
                        (self.notes_button, _("Notes…")),
                        (self.remove_partner_button, _("Remove…")),
                        (self.assessment_menu, _("Assessment")),
                        (self.indicator_menu, _("Indicator")),
                        (self.agreement_menu, _("Agreement")),
                        (self.milestone_menu, _("Milestone")),
                        (self.edit_assessment_button, _("Edit assessment…")),
                        (self.remove_assessment_button, _("Remove assessment…")),
                        (self.add_indicator_button, _("Add indicator…")),
                        (self.edit_indicator_button, _("Edit indicator…")),
                        (self.remove_indicator_button, _("Remove indicator…")),
                        (self.edit_agreement_button, _("Edit agreement…")),
                        (self.remove_agreement_button, _("Remove agreement…")),
                        (self.add_milestone_button, _("Add milestone…")),
                        (self.edit_milestone_button, _("Edit milestone…")),
                        (self.remove_milestone_button, _("Remove milestone…"))):
            b.setText(text)
        self.assess_box.setTitle(_("Assessments (minimum wage and other indicators)"))
        self.agree_box.setTitle(_("Agreements: milestone timeline"))
        self.assessments.setHorizontalHeaderLabels(
            [_("Date"), _("Decision"), _("Indicator"), _("Source"), _("Rationale")])
        self.milestones.setHorizontalHeaderLabels(
            [_("Date"), _("Milestone"), _("Agreement"), _("Place")])
        self.editor.retranslate()
        self._fill_list()
        self._show(self.list.currentRow())
