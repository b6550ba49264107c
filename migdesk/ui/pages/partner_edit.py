"""Recording what happened with a partner state: a change of cooperation stage (with its
reason), a new agreement, a milestone with a partial date, a dated assessment with its
minimum-wage indicator and source. Every form shows the service's message in place and keeps
what was typed when it is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain.errors import MigdeskError, ValidationError
from migdesk.domain.vocab import AgreementKind, CooperationStage, MilestoneKind
from migdesk.i18n import N_, _, language
from migdesk.services.dto import PartnerView
from migdesk.ui.date_edit import DateEdit
from migdesk.ui.dialogs import ReasonDialog
from migdesk.ui.widgets import ERROR_STYLE, ChoiceCombo, labelled


def _line(name: str) -> QLineEdit:
    e = QLineEdit()
    e.setObjectName(name)
    return e


class PartnerEditor(QGroupBox):
    """The forms under a partner state's details; `saved` carries the status-bar msgid."""

    saved = Signal(str)

    def __init__(self, app: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.partner: PartnerView | None = None
        form = QFormLayout(self)
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}

        self.stage = ChoiceCombo(labelled(CooperationStage))
        self.stage.setObjectName("partner_stage")
        self.stage_button = QPushButton()
        self.stage_button.setObjectName("change_stage")
        self._row(form, "stage", [self.stage], self.stage_button)

        self.ag_kind = ChoiceCombo(labelled(AgreementKind))
        self.ag_title_ka = _line("agreement_title_ka")
        self.ag_title_en = _line("agreement_title_en")
        self.ag_button = QPushButton()
        self.ag_button.setObjectName("add_agreement")
        self._row(form, "agreement", [self.ag_kind, self.ag_title_ka, self.ag_title_en],
                  self.ag_button)

        self.ms_agreement = ChoiceCombo(self._agreements)
        self.ms_agreement.setObjectName("milestone_agreement")
        self.ms_kind = ChoiceCombo(labelled(MilestoneKind))
        self.ms_date = DateEdit(partial=True)
        self.ms_date.setObjectName("milestone_date")
        self.ms_place = _line("milestone_place")
        self.ms_button = QPushButton()
        self.ms_button.setObjectName("add_milestone")
        self._row(form, "milestone", [self.ms_agreement, self.ms_kind, None, self.ms_date,
                                      self.ms_place], self.ms_button)

        self.as_date = DateEdit(partial=True)
        self.as_date.setObjectName("assessment_date")
        self.as_date.setMinimumWidth(170)
        self.as_decision = ChoiceCombo(labelled(CooperationStage))
        self.as_wage = _line("assessment_wage")
        self.as_currency = _line("assessment_currency")
        self.as_currency.setMaxLength(3)
        self.as_currency.setMaximumWidth(90)
        self.as_source = _line("assessment_source")
        self.as_rationale = _line("assessment_rationale")
        self.as_button = QPushButton()
        self.as_button.setObjectName("add_assessment")
        # three lines at 1366 pixels: no field elides its placeholder or its Georgian label
        self._row(form, "assessment", [self.as_date, self.as_decision, None, self.as_wage,
                                       self.as_currency, self.as_source, None,
                                       self.as_rationale], self.as_button)

        for combo in (self.stage, self.ag_kind, self.ms_agreement, self.ms_kind,
                      self.as_decision):
            # a combo as wide as its longest Georgian label would push the page off a
            # 1366-pixel screen; the open list still shows the labels whole
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            combo.view().setMinimumWidth(320)
        self.stage_button.clicked.connect(self.change_stage)
        self.ag_button.clicked.connect(self.add_agreement)
        self.ms_button.clicked.connect(self.add_milestone)
        self.as_button.clicked.connect(self.add_assessment)
        self.retranslate()

    def _row(self, form: QFormLayout, key: str, editors: list[QWidget | None],
             button: QPushButton) -> None:
        """One labelled form row: the editors (None starts a second line), the button at the
        end of the first line, and the error under them."""
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        lay.addLayout(row)
        first = row
        for i, e in enumerate(editors):
            if e is None:
                row = QHBoxLayout()
                lay.addLayout(row)
                continue
            row.addWidget(e, 2 if i else 1)
        first.addWidget(button)
        err = QLabel()
        err.setObjectName(f"error_{key}")
        err.setStyleSheet(ERROR_STYLE)
        err.setWordWrap(True)
        err.setVisible(False)
        lay.addWidget(err)
        self.errors[key] = err
        self.labels[key] = QLabel()
        form.addRow(self.labels[key], box)

    def _agreements(self) -> list[tuple[str, str]]:
        lang = language()
        return [(a.id, a.title_ka if lang == "ka" else a.title_en)
                for a in (self.partner.agreements if self.partner else [])]

    def set_partner(self, partner: PartnerView | None) -> None:
        self.partner = partner
        self.setEnabled(partner is not None)
        if partner is not None:
            self.stage.set_key(partner.stage)
        self.ms_agreement.retranslate()
        for err in self.errors.values():
            self._say(err, "")

    @staticmethod
    def _say(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def _run(self, key: str, action: Callable[[], Any], done: str,
             clear: list[QLineEdit]) -> bool:
        try:
            action()
        except ValidationError as exc:
            self._say(self.errors[key], "; ".join(e.line(language()) for e in exc.errors))
            return False
        except MigdeskError as exc:
            self._say(self.errors[key], exc.message(language()))
            return False
        self._say(self.errors[key], "")
        for e in clear:
            e.clear()
        self.saved.emit(done)
        return True

    # -- the four forms ------------------------------------------------------------------
    def change_stage(self) -> bool:
        p, stage = self.partner, self.stage.key()
        if p is None or not stage or stage == p.stage:
            return False
        reason = ReasonDialog.ask(self, _("Change stage"), _(
            "Why does the cooperation stage change? The reason is kept in the history."))
        if reason is None:
            self.stage.set_key(p.stage)
            return False
        return self._run("stage", lambda: self.app.partners.set_stage(
            p.iso_code, stage, reason=reason), N_("Cooperation stage changed"), [])

    def add_agreement(self) -> bool:
        if self.partner is None:
            return False
        iso = self.partner.iso_code
        return self._run("agreement", lambda: self.app.partners.add_agreement(
            iso, self.ag_kind.key() or "", self.ag_title_ka.text(), self.ag_title_en.text()),
            N_("Agreement added"), [self.ag_title_ka, self.ag_title_en])

    def add_milestone(self) -> bool:
        agreement = self.ms_agreement.key()
        if self.partner is None:
            return False
        if not agreement:
            self._say(self.errors["milestone"], _("Add the agreement first"))
            return False
        return self._run("milestone", lambda: self.app.partners.add_milestone(
            agreement, self.ms_kind.key() or "", self.ms_date.text().strip() or None,
            self.ms_place.text().strip() or None), N_("Milestone added"),
            [self.ms_date, self.ms_place])

    def add_assessment(self) -> bool:
        if self.partner is None:
            return False
        iso = self.partner.iso_code
        wage = self.as_wage.text().strip()
        indicators = [{"kind": "minimum_wage", "value": wage,
                       "currency": self.as_currency.text().strip().upper() or None,
                       "as_of": self.as_date.text().strip() or None,
                       "source_url": self.as_source.text().strip() or None}] if wage else []
        return self._run("assessment", lambda: self.app.partners.assess(
            iso, self.as_date.text().strip(), self.as_decision.key() or "",
            self.as_rationale.text().strip() or None, indicators),
            N_("Assessment recorded"),
            [self.as_date, self.as_wage, self.as_currency, self.as_source, self.as_rationale])

    def retranslate(self) -> None:
        self.setTitle(_("Record a change"))
        for key, text in (("stage", _("Cooperation stage")), ("agreement", _("New agreement")),
                          ("milestone", _("New milestone")),
                          ("assessment", _("New assessment"))):
            self.labels[key].setText(text)
        for combo in (self.stage, self.ag_kind, self.ms_agreement, self.ms_kind,
                      self.as_decision):
            combo.retranslate()
        self.stage_button.setText(_("Change stage…"))
        self.ag_title_ka.setPlaceholderText(_("Title (Georgian)"))
        self.ag_title_en.setPlaceholderText(_("Title (English)"))
        self.ag_button.setText(_("Add agreement"))
        self.ms_date.retranslate()
        self.ms_date.setToolTip(_("A year or a month is enough when the day is not known"))
        self.ms_place.setPlaceholderText(_("Place"))
        self.ms_button.setText(_("Add milestone"))
        self.as_date.retranslate()
        self.as_wage.setPlaceholderText(_("Minimum wage"))
        self.as_currency.setPlaceholderText(_("Currency"))
        self.as_source.setPlaceholderText(_("Source (web address)"))
        self.as_rationale.setPlaceholderText(_("Rationale"))
        self.as_button.setText(_("Record assessment"))
