"""Errors a user may meet: each names the field and speaks Georgian and English.

Messages are English ids in the catalogue (resources/i18n/ka.po); parameters are filled in
after translation so both languages carry the same values.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Self

from migdesk.i18n import N_, translate


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: `field` is the stable English key (e.g. personal_number)."""

    field: str | None
    msgid: str
    params: dict[str, object] = dataclasses.field(default_factory=dict)

    def message(self, lang: str) -> str:
        return translate(self.msgid, lang).format(
            **{k: _param(v, lang) for k, v in self.params.items()})

    def field_label(self, lang: str) -> str:
        if not self.field:
            return ""
        return translate(FIELD_LABELS.get(self.field, self.field), lang)

    def line(self, lang: str) -> str:
        label = self.field_label(lang)
        return f"{label}: {self.message(lang)}" if label else self.message(lang)

    def bilingual(self) -> str:
        return f"{self.line('ka')} / {self.line('en')}"


def _param(value: object, lang: str) -> object:
    """Vocabulary values (statuses, stages…) appear by their label in each language."""
    if isinstance(value, list | tuple):
        return ", ".join(str(_param(v, lang)) for v in value)
    label = getattr(value, "label", None)
    return label(lang) if callable(label) else value


class MigdeskError(Exception):
    """Base of every error meant for a user; never shown as a traceback."""

    exit_code = 2

    def __init__(self, errors: list[FieldError] | FieldError) -> None:
        self.errors = [errors] if isinstance(errors, FieldError) else list(errors)
        super().__init__(self.bilingual())

    @classmethod
    def of(cls, field_name: str | None, msgid: str, **params: object) -> Self:
        return cls(FieldError(field_name, msgid, params))

    def message(self, lang: str) -> str:
        return "; ".join(e.line(lang) for e in self.errors)

    def bilingual(self) -> str:
        return f"{self.message('ka')} / {self.message('en')}"

    def for_field(self, name: str) -> list[FieldError]:
        return [e for e in self.errors if e.field == name]


class ValidationError(MigdeskError):
    """Input that breaks a rule; nothing was written."""


class NotFound(MigdeskError):
    exit_code = 3


class ConflictError(MigdeskError):
    """The record changed under the user (stale version) or a uniqueness rule was hit."""

    exit_code = 4


class Validator:
    """Collects field errors so a form can show every problem at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field_name: str | None, msgid: str, **params: object) -> None:
        self.errors.append(FieldError(field_name, msgid, params))

    def check(self, field_name: str, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Run a parser; record its ValidationError under `field_name` and return None."""
        try:
            return fn(*args, **kwargs)
        except ValidationError as exc:
            for e in exc.errors:
                self.errors.append(FieldError(field_name, e.msgid, e.params))
            return None

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


# Labels for field keys, so an error names the field in the user's language.
FIELD_LABELS: dict[str, str] = {
    "personal_number": N_("Personal number"),
    "first_name_ka": N_("First name (Georgian)"),
    "last_name_ka": N_("Surname (Georgian)"),
    "first_name_lat": N_("First name (Latin)"),
    "last_name_lat": N_("Surname (Latin)"),
    "birth_date": N_("Date of birth"),
    "sex": N_("Sex"),
    "region": N_("Region"),
    "address": N_("Address"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "passport_number": N_("Passport number"),
    "passport_expiry": N_("Passport valid until"),
    "education": N_("Education"),
    "occupation": N_("Occupation"),
    "occupations": N_("Occupations"),
    "years": N_("Years of experience"),
    "language": N_("Language"),
    "languages": N_("Languages"),
    "level": N_("Language level"),
    "status": N_("Status"),
    "reason": N_("Reason"),
    "consent": N_("Consent"),
    "date": N_("Date"),
    "country": N_("Country"),
    "partner": N_("Partner state"),
    "agreement": N_("Agreement"),
    "program": N_("Programme"),
    "candidate": N_("Candidate"),
    "title_ka": N_("Title (Georgian)"),
    "title_en": N_("Title (English)"),
    "name_ka": N_("Name (Georgian)"),
    "name_en": N_("Name (English)"),
    "kind": N_("Kind"),
    "stage": N_("Cooperation stage"),
    "quota": N_("Quota"),
    "age": N_("Age"),
    "min_age": N_("Minimum age"),
    "max_age": N_("Maximum age"),
    "start_date": N_("Start date"),
    "end_date": N_("End date"),
    "due_date": N_("Due date"),
    "wage": N_("Wage"),
    "currency": N_("Currency"),
    "amount": N_("Amount"),
    "source_url": N_("Source"),
    "limit": N_("Limit"),
    "candidates": N_("Number of candidates"),
    "seed": N_("Seed"),
    "database": N_("Database"),
    "format": N_("Format"),
    "version": N_("Version"),
    "direction": N_("Direction"),
    "city": N_("City"),
    "action": N_("Action"),
    "responsible": N_("Responsible"),
    "employer": N_("Employer"),
    "desk_name": N_("Desk name"),
    "place": N_("Place"),
    "note": N_("Note"),
    "notes": N_("Notes"),
    "output": N_("Output file"),
    "backup": N_("Backup"),
    "backup_key": N_("Backup key"),
    "code": N_("Code"),
    "lead_agency": N_("Lead agency"),
    "participants": N_("Participating agencies"),
    "purpose": N_("Purpose"),
    "outcomes": N_("Outcomes"),
    "partner_org": N_("Partner organisation"),
    "description": N_("Description"),
    "rationale": N_("Rationale"),
    "unit": N_("Unit"),
}
