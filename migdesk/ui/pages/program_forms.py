"""Dialogs that make and mend a programme and its demanded occupations (ISCO-08 picker, quota,
language and CEFR level, experience, age range), through ProgramService's rules."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit, QSpinBox, QWidget

from migdesk.domain import places
from migdesk.domain.vocab import CEFR, ProgramKind, ProgramStatus
from migdesk.i18n import _, language
from migdesk.services.dto import DemandView, ProgramView
from migdesk.services.programs import DemandInput
from migdesk.ui.candidates.occupation_picker import OccupationPicker
from migdesk.ui.date_edit import DateEdit
from migdesk.ui.record_dialog import RecordDialog, text_area
from migdesk.ui.widgets import ChoiceCombo, labelled


def _iso(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def _number(width: int = 90) -> QLineEdit:
    e = QLineEdit()
    e.setMaximumWidth(width)
    return e


class ProgramDialog(RecordDialog):
    """A new programme (code, kind, partner state…) or one already made (its fields)."""

    def __init__(self, parent: QWidget | None, app: Any,
                 program: ProgramView | None = None) -> None:
        super().__init__(parent, _("Programme") if program else _("New programme"),
                         aliases={"program": "partner"})
        self.app, self.program = app, program
        code = self.field("code", _("Code"), QLineEdit())
        code.setPlaceholderText("PL-PILOT-2019")
        self.field("kind", _("Kind"), ChoiceCombo(labelled(ProgramKind)))
        self.field("name_ka", _("Name (Georgian)"), QLineEdit())
        self.field("name_en", _("Name (English)"), QLineEdit())
        partners = [(p.iso_code, p.name_ka if language() == "ka" else p.name_en)
                    for p in app.partners.list()]
        self.field("partner", _("Partner state"), ChoiceCombo(lambda: partners))
        self.field("partner_org", _("Partner organisation"), QLineEdit())
        self.field("status", _("Status"), ChoiceCombo(labelled(ProgramStatus)))
        self.field("start_date", _("Start date"), DateEdit())
        self.field("end_date", _("End date"), DateEdit())
        self.field("description", _("Description"), text_area(90))
        if program is None:
            self.set_value("status", "planned")
            return
        for key in ("code", "kind", "name_ka", "name_en", "partner_org", "status",
                    "description"):
            self.set_value(key, getattr(program, key))
        self.set_value("partner", program.partner_iso)
        self.set_value("start_date", _iso(program.start_date))
        self.set_value("end_date", _iso(program.end_date))
        self.editor("code").setEnabled(False)  # packages and dossiers name it
        self.editor("partner").setEnabled(False)

    def save(self) -> Any:
        fields = {k: self.value(k) for k in ("name_ka", "name_en", "status", "partner_org",
                                             "start_date", "end_date", "description")}
        fields = {k: (v if v is not None or k not in ("name_ka", "name_en", "status") else "")
                  for k, v in fields.items()}
        if self.program is None:
            return self.app.programs.add(self.value("code") or "", kind=self.value("kind") or "",
                                         partner=self.value("partner") or "", **fields)
        return self.app.programs.update(self.program.id, kind=self.value("kind") or "",
                                        expected_version=self.program.version, **fields)


class DemandDialog(RecordDialog):
    """An occupation a programme asks for, with its quota and requirements."""

    def __init__(self, parent: QWidget | None, app: Any, program: ProgramView,
                 demand: DemandView | None = None) -> None:
        super().__init__(parent, _("Demanded occupation") if demand
                         else _("New demanded occupation"))
        self.app, self.program, self.demand = app, program, demand
        self.picker = self.field("occupation", _("Occupation"), OccupationPicker())
        self.field("quota", _("Quota"), _number())
        langs = places.languages(language())
        self.field("language", _("Language"), ChoiceCombo(lambda: langs, empty=lambda: "—"))
        self.field("level", _("Level (CEFR)"),
                   ChoiceCombo(lambda: [(c.value, c.code) for c in CEFR], empty=lambda: "—"))
        years = self.field("years", _("Work experience (years)"), QSpinBox())
        years.setRange(0, 60)
        self.field("min_age", _("Age from"), _number())
        self.field("max_age", _("Age to"), _number())
        self.field("notes", _("Notes"), text_area(60))
        if demand is not None:
            self.picker.set_code(demand.isco_code)
            self.set_value("quota", demand.quota)
            self.set_value("language", demand.language)
            self.set_value("level", demand.level)
            self.set_value("years", demand.min_experience_years)
            self.set_value("min_age", demand.min_age)
            self.set_value("max_age", demand.max_age)
            self.set_value("notes", demand.notes)

    def entered(self) -> DemandInput:
        return DemandInput(self.picker.code or self.picker.edit.text().strip(),
                           quota=self.value("quota"), language=self.value("language"),
                           level=self.value("level"),
                           min_experience_years=self.value("years") or 0,
                           min_age=self.value("min_age"), max_age=self.value("max_age"),
                           notes=self.value("notes"))

    def save(self) -> Any:
        if self.demand is None:
            return self.app.programs.add_demand(self.program.id, self.entered())
        return self.app.programs.update_demand(self.demand.id, self.entered(),
                                               expected_version=self.demand.version)
