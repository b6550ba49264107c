"""Closed vocabularies with stable English keys (for the command line and exchange) and labels.

Each enum's value is the key stored in the database and written to JSON; `label(lang)` is
what a person reads.
"""

from __future__ import annotations

from enum import Enum

from migdesk.domain.errors import ValidationError
from migdesk.i18n import N_, translate


class Vocabulary(str, Enum):
    """A str enum whose members carry a translatable label."""

    def label(self, lang: str = "ka") -> str:
        return translate(type(self)._labels()[self.value], lang)

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return LABELS[cls.__name__]

    @classmethod
    def parse(cls, text: str):  # type: ignore[no-untyped-def]
        try:
            return cls(str(text).strip().lower())
        except ValueError:
            raise ValidationError.of(
                None, N_("“{value}” is not one of: {allowed}"),
                value=text, allowed=", ".join(m.value for m in cls),
            ) from None

    def __str__(self) -> str:
        return self.value


class Sex(Vocabulary):
    F = "f"
    M = "m"


class CooperationStage(Vocabulary):
    EXPLORING = "exploring"
    INTEREST = "interest_expressed"
    NEGOTIATING = "negotiating"
    PILOT = "pilot_running"  # a scheme at work before or without an agreement (Poland, 2019)
    SIGNED = "agreement_signed"
    IN_FORCE = "in_force"
    SUSPENDED = "suspended"
    NOT_ADVISABLE = "not_advisable"


class AgreementKind(Vocabulary):
    AGREEMENT = "agreement"
    MEMORANDUM = "memorandum"
    PROTOCOL = "implementation_protocol"
    PILOT = "pilot"


class MilestoneKind(Vocabulary):
    NEGOTIATION_ROUND = "negotiation_round"
    DRAFT_EXCHANGED = "draft_exchanged"
    SIGNED = "signed"
    RATIFIED_GEORGIA = "ratified_georgia"
    RATIFIED_PARTNER = "ratified_partner"
    IN_FORCE = "entered_into_force"
    AMENDED = "amended"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


class VisitDirection(Vocabulary):
    OUTGOING = "outgoing"
    INCOMING = "incoming"


class ActionStatus(Vocabulary):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class ProgramKind(Vocabulary):
    SCHEME = "scheme"
    PILOT = "pilot"


class ProgramStatus(Vocabulary):
    PLANNED = "planned"
    ACTIVE = "active"
    CLOSED = "closed"


class ApplicationStatus(Vocabulary):
    APPLIED = "applied"
    SHORTLISTED = "shortlisted"
    SELECTED = "selected"
    PLACED = "placed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Education(Vocabulary):
    NONE = "none"
    PRIMARY = "primary"
    BASIC = "basic"
    SECONDARY = "secondary"
    VOCATIONAL = "vocational"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"


class IndicatorKind(Vocabulary):
    MINIMUM_WAGE = "minimum_wage"
    AVERAGE_WAGE = "average_wage"
    UNEMPLOYMENT_RATE = "unemployment_rate"
    GEORGIAN_DIASPORA = "georgian_diaspora"
    OTHER = "other"


class CEFR(Vocabulary):
    A1 = "a1"
    A2 = "a2"
    B1 = "b1"
    B2 = "b2"
    C1 = "c1"
    C2 = "c2"

    @property
    def rank(self) -> int:
        return _CEFR_RANK[self.value]

    @property
    def code(self) -> str:
        return self.value.upper()

    @classmethod
    def parse(cls, text: str) -> CEFR:
        try:
            return cls(str(text).strip().lower())
        except ValueError:
            raise ValidationError.of(
                None, N_("“{value}” is not a CEFR level (A1, A2, B1, B2, C1, C2)"), value=text
            ) from None


_CEFR_RANK = {"a1": 1, "a2": 2, "b1": 3, "b2": 4, "c1": 5, "c2": 6}

LABELS: dict[str, dict[str, str]] = {
    "Sex": {"f": N_("female"), "m": N_("male")},
    "CooperationStage": {
        "exploring": N_("exploring"),
        "interest_expressed": N_("interest expressed"),
        "negotiating": N_("negotiating"),
        "pilot_running": N_("pilot project running"),
        "agreement_signed": N_("agreement signed"),
        "in_force": N_("agreement in force"),
        "suspended": N_("suspended"),
        "not_advisable": N_("not advisable at this stage"),
    },
    "AgreementKind": {
        "agreement": N_("agreement"),
        "memorandum": N_("memorandum"),
        "implementation_protocol": N_("implementation protocol"),
        "pilot": N_("pilot project"),
    },
    "MilestoneKind": {
        "negotiation_round": N_("negotiation round"),
        "draft_exchanged": N_("draft exchanged"),
        "signed": N_("signature"),
        "ratified_georgia": N_("ratified by Georgia"),
        "ratified_partner": N_("ratified by the partner"),
        "entered_into_force": N_("entry into force"),
        "amended": N_("amended"),
        "suspended": N_("suspended"),
        "terminated": N_("terminated"),
    },
    "VisitDirection": {"outgoing": N_("outgoing"), "incoming": N_("incoming")},
    "ActionStatus": {
        "open": N_("open"),
        "in_progress": N_("in progress"),
        "done": N_("done"),
        "cancelled": N_("cancelled"),
    },
    "ProgramKind": {"scheme": N_("scheme"), "pilot": N_("pilot project")},
    "ProgramStatus": {"planned": N_("planned"), "active": N_("active"), "closed": N_("closed")},
    "ApplicationStatus": {
        "applied": N_("applied"),
        "shortlisted": N_("shortlisted"),
        "selected": N_("selected"),
        "placed": N_("placed"),
        "rejected": N_("rejected"),
        "withdrawn": N_("withdrawn"),
    },
    "Education": {
        "none": N_("no formal education"),
        "primary": N_("primary"),
        "basic": N_("basic"),
        "secondary": N_("secondary"),
        "vocational": N_("vocational"),
        "bachelor": N_("bachelor's degree"),
        "master": N_("master's degree"),
        "doctorate": N_("doctorate"),
    },
    "IndicatorKind": {
        "minimum_wage": N_("minimum wage"),
        "average_wage": N_("average wage"),
        "unemployment_rate": N_("unemployment rate"),
        "georgian_diaspora": N_("Georgian diaspora"),
        "other": N_("other indicator"),
    },
    "CEFR": {m: m.upper() for m in ("a1", "a2", "b1", "b2", "c1", "c2")},
}
