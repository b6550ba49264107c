"""Dialogs that make and mend a partner state's records: the state itself (country from the
CLDR list, stage, notes), an agreement, a milestone (partial date), an assessment and an
indicator. Each writes through PartnerService with the command line's rules and messages."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit, QWidget

from migdesk.domain import places
from migdesk.domain.vocab import AgreementKind, CooperationStage, IndicatorKind, MilestoneKind
from migdesk.i18n import _, language
from migdesk.services.dto import (
    AgreementView,
    AssessmentView,
    IndicatorLine,
    MilestoneLine,
    PartnerView,
)
from migdesk.ui.date_edit import DateEdit
from migdesk.ui.record_dialog import RecordDialog, text_area
from migdesk.ui.widgets import ChoiceCombo, labelled


def country_combo(empty: bool = False) -> ChoiceCombo:
    """Countries by their CLDR names in the current language (typing a name finds it)."""
    combo = ChoiceCombo(lambda: places.countries(language()),
                        empty=(lambda: "—") if empty else None)
    combo.setEditable(False)
    return combo


def _date_text(value: Any) -> str:
    return value.isoformat() if value is not None and hasattr(value, "isoformat") else (
        str(value) if value else "")


class PartnerDialog(RecordDialog):
    """A new partner state, or (with `partner`) its notes."""

    def __init__(self, parent: QWidget | None, app: Any,
                 partner: PartnerView | None = None) -> None:
        super().__init__(parent, _("Partner state") if partner else _("New partner state"))
        self.app, self.partner = app, partner
        self.field("country", _("Country"), country_combo())
        self.field("stage", _("Cooperation stage"), ChoiceCombo(labelled(CooperationStage)))
        self.field("notes", _("Notes"), text_area(110))
        if partner is not None:
            self.set_value("country", partner.iso_code)
            self.set_value("stage", partner.stage)
            self.set_value("notes", partner.notes)
            self.editor("country").setEnabled(False)
            self.editor("stage").setEnabled(False)  # a new stage is asked with its reason
        else:
            self.set_value("stage", "exploring")

    def save(self) -> Any:
        if self.partner is None:
            return self.app.partners.add(self.value("country") or "", self.value("stage") or "",
                                         self.value("notes"))
        return self.app.partners.set_notes(self.partner.iso_code, self.value("notes"),
                                           expected_version=self.partner.version)


class AgreementDialog(RecordDialog):
    def __init__(self, parent: QWidget | None, app: Any, partner: PartnerView,
                 agreement: AgreementView | None = None) -> None:
        super().__init__(parent, _("Agreement") if agreement else _("New agreement"))
        self.app, self.partner, self.agreement = app, partner, agreement
        self.field("kind", _("Kind"), ChoiceCombo(labelled(AgreementKind)))
        self.field("title_ka", _("Title (Georgian)"), QLineEdit())
        self.field("title_en", _("Title (English)"), QLineEdit())
        self.field("notes", _("Notes"), text_area())
        if agreement is not None:
            for key in ("kind", "title_ka", "title_en", "notes"):
                self.set_value(key, getattr(agreement, key))

    def save(self) -> Any:
        args = (self.value("kind") or "", self.value("title_ka") or "",
                self.value("title_en") or "", self.value("notes"))
        if self.agreement is None:
            return self.app.partners.add_agreement(self.partner.iso_code, *args)
        return self.app.partners.update_agreement(self.agreement.id, *args,
                                                  expected_version=self.agreement.version)


class MilestoneDialog(RecordDialog):
    def __init__(self, parent: QWidget | None, app: Any, agreement: AgreementView,
                 milestone: MilestoneLine | None = None) -> None:
        super().__init__(parent, _("Milestone") if milestone else _("New milestone"))
        self.app, self.agreement, self.milestone = app, agreement, milestone
        self.field("kind", _("Milestone"), ChoiceCombo(labelled(MilestoneKind)))
        date = self.field("date", _("Date"), DateEdit(partial=True))
        date.setToolTip(_("A year or a month is enough when the day is not known"))
        self.field("place", _("Place"), QLineEdit())
        self.field("note", _("Note"), text_area())
        if milestone is not None:
            self.set_value("kind", milestone.kind)
            self.set_value("date", milestone.date.isoformat() if milestone.date else "")
            self.set_value("place", milestone.place)
            self.set_value("note", milestone.note)

    def save(self) -> Any:
        args = (self.value("kind") or "", self.value("date"), self.value("place"),
                self.value("note"))
        if self.milestone is None:
            return self.app.partners.add_milestone(self.agreement.id, *args)
        return self.app.partners.update_milestone(self.milestone.id, *args,
                                                  expected_version=self.milestone.version)


class AssessmentDialog(RecordDialog):
    """Mends an assessment's date, decision and rationale (new ones: the page's form)."""

    def __init__(self, parent: QWidget | None, app: Any, assessment: AssessmentView) -> None:
        super().__init__(parent, _("Assessment"), aliases={"stage": "decision"})
        self.app, self.assessment = app, assessment
        self.field("date", _("Date"), DateEdit(partial=True))
        self.field("decision", _("Decision"), ChoiceCombo(labelled(CooperationStage)))
        self.field("rationale", _("Rationale"), text_area(110))
        self.set_value("date", assessment.assessed_on.isoformat())
        self.set_value("decision", assessment.decision)
        self.set_value("rationale", assessment.rationale)

    def save(self) -> Any:
        return self.app.partners.update_assessment(
            self.assessment.id, self.value("date") or "", self.value("decision") or "",
            self.value("rationale"), expected_version=self.assessment.version)


class IndicatorDialog(RecordDialog):
    """An indicator of an assessment (minimum wage, unemployment…), with its source."""

    def __init__(self, parent: QWidget | None, app: Any, assessment: AssessmentView,
                 indicator: IndicatorLine | None = None) -> None:
        super().__init__(parent, _("Indicator") if indicator else _("New indicator"),
                         aliases={"amount": "value"})
        self.app, self.assessment, self.indicator = app, assessment, indicator
        self.field("kind", _("Indicator"), ChoiceCombo(labelled(IndicatorKind)))
        self.field("value", _("Value"), QLineEdit())
        cur = self.field("currency", _("Currency"), QLineEdit())
        cur.setMaxLength(3)
        self.field("unit", _("Unit"), QLineEdit())
        self.field("as_of", _("As of"), DateEdit(partial=True))
        self.field("source_name", _("Source"), QLineEdit())
        self.field("source_url", _("Source (web address)"), QLineEdit())
        if indicator is not None:
            self.set_value("kind", indicator.kind)
            self.set_value("value", indicator.value)
            for key in ("currency", "unit", "source_name", "source_url"):
                self.set_value(key, getattr(indicator, key))
            self.set_value("as_of", indicator.as_of.isoformat() if indicator.as_of else "")
        else:
            self.set_value("kind", "minimum_wage")

    def values(self) -> dict[str, object]:
        cur = self.value("currency")
        return {"kind": self.value("kind"), "value": self.value("value") or "",
                "currency": cur.upper() if cur else None, "unit": self.value("unit"),
                "as_of": self.value("as_of"), "source_name": self.value("source_name"),
                "source_url": self.value("source_url")}

    def save(self) -> Any:
        if self.indicator is None:
            return self.app.partners.add_indicator(self.assessment.id, self.values())
        return self.app.partners.update_indicator(self.indicator.id, self.values(),
                                                  expected_version=self.indicator.version)


__all__ = ["AgreementDialog", "AssessmentDialog", "IndicatorDialog", "MilestoneDialog",
           "PartnerDialog", "_date_text", "country_combo"]
