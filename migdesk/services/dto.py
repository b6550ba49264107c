"""Plain results the services return (never ORM rows): safe to hand to another thread."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from migdesk.domain.partial_date import PartialDate


@dataclass(frozen=True)
class CandidateSummary:
    id: str
    personal_number: str
    first_name_ka: str
    last_name_ka: str
    first_name_lat: str
    last_name_lat: str
    birth_date: dt.date
    sex: str | None
    region: str | None
    status: str
    passport_expiry: dt.date | None = None

    @property
    def name_ka(self) -> str:
        return f"{self.first_name_ka} {self.last_name_ka}"

    @property
    def name_lat(self) -> str:
        return f"{self.first_name_lat} {self.last_name_lat}"


@dataclass(frozen=True)
class OccupationLine:
    id: str
    isco_code: str
    title_ka: str
    title_en: str
    years: int


@dataclass(frozen=True)
class LanguageLine:
    id: str
    language: str
    level: str


@dataclass(frozen=True)
class ConsentLine:
    id: str
    given_on: dt.date
    scope: str
    form_reference: str | None
    withdrawn_on: dt.date | None


@dataclass(frozen=True)
class StatusLine:
    id: str
    from_status: str | None
    to_status: str
    changed_at: dt.datetime
    officer: str
    reason: str
    program_id: str | None


@dataclass(frozen=True)
class ApplicationLine:
    id: str
    program_id: str
    program_code: str
    program_name_ka: str
    program_name_en: str
    demand_id: str | None
    applied_on: dt.date
    status: str


@dataclass(frozen=True)
class PlacementLine:
    id: str
    program_id: str | None
    employer: str
    country: str
    city: str | None
    isco_code: str | None
    start_date: dt.date
    end_date: dt.date | None
    wage_amount: Decimal | None
    wage_currency: str | None
    wage_period: str | None
    returned_on: dt.date | None
    return_note: str | None


@dataclass(frozen=True)
class CandidateDetail:
    id: str
    version: int
    personal_number: str
    first_name_ka: str
    last_name_ka: str
    first_name_lat: str
    last_name_lat: str
    birth_date: dt.date
    sex: str | None
    region: str | None
    address: str | None
    phone: str | None
    email: str | None
    passport_number: str | None
    passport_expiry: dt.date | None
    education: str | None
    education_note: str | None
    status: str
    registered_on: dt.date
    notes: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    created_by: str
    updated_by: str
    origin_desk: str
    occupations: list[OccupationLine] = field(default_factory=list)
    languages: list[LanguageLine] = field(default_factory=list)
    consents: list[ConsentLine] = field(default_factory=list)
    history: list[StatusLine] = field(default_factory=list)
    applications: list[ApplicationLine] = field(default_factory=list)
    placements: list[PlacementLine] = field(default_factory=list)

    @property
    def name_ka(self) -> str:
        return f"{self.first_name_ka} {self.last_name_ka}"

    @property
    def name_lat(self) -> str:
        return f"{self.first_name_lat} {self.last_name_lat}"

    @property
    def has_consent(self) -> bool:
        return any(c.withdrawn_on is None for c in self.consents)


@dataclass(frozen=True)
class DuplicateHint:
    """A live candidate that may be the same person: `reason` is a stable key."""

    candidate: CandidateSummary
    reason: str  # "personal_number" | "name_and_birth_date"


@dataclass(frozen=True)
class Saved:
    """What a write changed: the record's id and version, and warnings for the officer."""

    id: str
    version: int
    warnings: list[DuplicateHint] = field(default_factory=list)


@dataclass(frozen=True)
class Page:
    """One page of results and the cursor of the next (None at the end)."""

    items: list[CandidateSummary]
    next_cursor: str | None


@dataclass(frozen=True)
class MilestoneLine:
    id: str
    kind: str
    date: PartialDate | None
    place: str | None
    note: str | None
    version: int = 0


@dataclass(frozen=True)
class AgreementView:
    id: str
    partner_id: str
    partner_iso: str
    kind: str
    title_ka: str
    title_en: str
    notes: str | None
    milestones: list[MilestoneLine]
    version: int = 0


@dataclass(frozen=True)
class IndicatorLine:
    id: str
    kind: str
    value: Decimal
    currency: str | None
    unit: str | None
    as_of: PartialDate | None
    source_name: str | None
    source_url: str | None
    version: int = 0


@dataclass(frozen=True)
class AssessmentView:
    id: str
    partner_id: str
    assessed_on: PartialDate
    decision: str
    rationale: str | None
    indicators: list[IndicatorLine]
    version: int = 0


@dataclass(frozen=True)
class PartnerView:
    id: str
    iso_code: str
    name_ka: str
    name_en: str
    stage: str
    notes: str | None
    version: int
    assessments: list[AssessmentView] = field(default_factory=list)
    agreements: list[AgreementView] = field(default_factory=list)


@dataclass(frozen=True)
class FollowUpView:
    id: str
    visit_id: str
    action: str
    responsible: str | None
    due_date: dt.date | None
    status: str
    completed_on: dt.date | None
    note: str | None
    overdue: bool
    version: int = 0


@dataclass(frozen=True)
class VisitView:
    id: str
    version: int
    direction: str
    country: str
    city: str | None
    start_date: dt.date
    end_date: dt.date | None
    lead_agency: str
    participants: str | None
    purpose: str | None
    outcomes: str | None
    agreement_id: str | None
    follow_ups: list[FollowUpView]


@dataclass(frozen=True)
class DemandView:
    id: str
    program_id: str
    isco_code: str
    title_ka: str
    title_en: str
    quota: int | None
    language: str | None
    level: str | None
    min_experience_years: int
    min_age: int | None
    max_age: int | None
    notes: str | None
    version: int = 0


@dataclass(frozen=True)
class ProgramView:
    id: str
    version: int
    code: str
    name_ka: str
    name_en: str
    kind: str
    partner_id: str
    partner_iso: str
    partner_org: str | None
    agreement_id: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    status: str
    description: str | None
    demands: list[DemandView]
    applied: int = 0
    selected: int = 0
    placed: int = 0


@dataclass(frozen=True)
class MatchResult:
    candidate: CandidateSummary
    demand_id: str
    isco_code: str
    score: float
    years: int
    language_level: str | None
    age: int
    reasons: list[str]
