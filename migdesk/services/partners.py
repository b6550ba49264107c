"""Partner states, their assessments (with indicators) and agreements with milestones."""

from __future__ import annotations

import builtins
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from migdesk.domain import places
from migdesk.domain.errors import NotFound, ValidationError, Validator
from migdesk.domain.partial_date import PartialDate
from migdesk.domain.roles import Permission
from migdesk.domain.vocab import AgreementKind, CooperationStage, IndicatorKind, MilestoneKind
from migdesk.i18n import N_
from migdesk.services.dto import (
    AgreementView,
    AssessmentView,
    IndicatorLine,
    MilestoneLine,
    PartnerView,
    Saved,
)
from migdesk.services.records import tombstone
from migdesk.services.validation import check_version, opt_text, req_text
from migdesk.store.reference import Agreement, Assessment, Indicator, Milestone, PartnerState

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk


def _partial(text: str | PartialDate | None) -> PartialDate | None:
    if text is None or text == "":
        return None
    return text if isinstance(text, PartialDate) else PartialDate.parse(text)


def _url(text: str | None) -> str | None:
    value = opt_text(text, 500)
    if value and not value.startswith(("http://", "https://")):
        raise ValidationError.of(None, N_("A web address starts with http:// or https://"))
    return value


def _amount(text: str | Decimal | int) -> Decimal:
    try:
        value = Decimal(str(text).replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except InvalidOperation:
        raise ValidationError.of(None, N_("“{value}” is not a number"), value=text) from None
    if not value.is_finite() or value < 0:
        raise ValidationError.of(None, N_("“{value}” is not a number"), value=text)
    return value


def _check_indicator(v: Validator, ind: dict[str, object]) -> dict[str, object]:
    """One indicator's fields, checked into `v` (shared by an assessment, add and update)."""
    return {
        "kind": v.check("kind", IndicatorKind.parse, ind.get("kind") or "other"),
        "value": v.check("amount", _amount, ind.get("value")),
        "currency": v.check("currency", places.currency_code, ind["currency"])
        if ind.get("currency") else None,
        "unit": v.check("unit", opt_text, ind.get("unit"), 32),
        "as_of": v.check("as_of", _partial, ind.get("as_of")),
        "source_name": v.check("source_name", opt_text, ind.get("source_name"), 200),
        "source_url": v.check("source_url", _url, ind.get("source_url")),
    }


def _check_assessment(v: Validator, assessed_on: str | PartialDate | None, decision: str,
                      rationale: str | None) -> dict[str, object]:
    when = v.check("date", _partial, assessed_on)
    if when is None and not any(e.field == "date" for e in v.errors):
        v.add("date", N_("Required"))
    return {"assessed_on": when, "decision": v.check("stage", CooperationStage.parse, decision),
            "rationale": v.check("rationale", opt_text, rationale, 8000)}


def _check_milestone(v: Validator, kind: str, date: str | PartialDate | None,
                     place: str | None, note: str | None,
                     today: dt.date) -> dict[str, object]:
    values = {"kind": v.check("kind", MilestoneKind.parse, kind),
              "date": v.check("date", _partial, date),
              "place": v.check("place", opt_text, place, 200),
              "note": v.check("note", opt_text, note, 4000)}
    d = values["date"]
    if isinstance(d, PartialDate) and d.earliest() > today:
        v.add("date", N_("A milestone cannot be in the future"))
    return values


def _check_agreement(v: Validator, kind: str, title_ka: str, title_en: str,
                     notes: str | None) -> dict[str, object]:
    return {"kind": v.check("kind", AgreementKind.parse, kind),
            "title_ka": v.check("title_ka", req_text, title_ka, 1000),
            "title_en": v.check("title_en", req_text, title_en, 1000),
            "notes": v.check("notes", opt_text, notes, 8000)}


def _live(s: Session, model: type, record_id: str, msgid: str, field: str | None = None):  # type: ignore[no-untyped-def]
    obj = s.get(model, record_id) if record_id else None
    if obj is None or obj.deleted:
        raise NotFound.of(field, msgid, ref=record_id)
    return obj


def _apply(obj: object, values: dict[str, object]) -> None:
    for k, val in values.items():
        if getattr(obj, k) != val:
            setattr(obj, k, val)


def get_partner(s: Session, ref: str) -> PartnerState:
    ref = (ref or "").strip()
    p = None
    if len(ref) == 2:
        p = s.scalars(select(PartnerState).where(PartnerState.iso_code == ref.upper(),
                                                 PartnerState.deleted.is_(False))).first()
    else:
        p = s.get(PartnerState, ref)
    if p is None or p.deleted:
        raise NotFound.of("partner", N_("No partner state “{ref}”"), ref=ref)
    return p


def agreement_view(a: Agreement) -> AgreementView:
    ms = sorted((m for m in a.milestones if not m.deleted),
                key=lambda m: (m.date is None, m.date.sort_key() if m.date else (0, 0, 0),
                               list(MilestoneKind).index(m.kind)))
    return AgreementView(a.id, a.partner_id, a.partner.iso_code, a.kind.value, a.title_ka,
                         a.title_en, a.notes,
                         [MilestoneLine(m.id, m.kind.value, m.date, m.place, m.note, m.version)
                          for m in ms], a.version)


def partner_view(p: PartnerState, full: bool = True) -> PartnerView:
    assessments = []
    agreements = []
    if full:
        for a in sorted((a for a in p.assessments if not a.deleted),
                        key=lambda a: a.assessed_on.sort_key(), reverse=True):
            assessments.append(AssessmentView(
                a.id, p.id, a.assessed_on, a.decision.value, a.rationale,
                [IndicatorLine(i.id, i.kind.value, i.value, i.currency, i.unit, i.as_of,
                               i.source_name, i.source_url, i.version)
                 for i in sorted(a.indicators, key=lambda i: i.created_at) if not i.deleted],
                a.version))
        agreements = [agreement_view(a) for a in p.agreements if not a.deleted]
    return PartnerView(p.id, p.iso_code, places.country_name(p.iso_code, "ka"),
                       places.country_name(p.iso_code, "en"), p.stage.value, p.notes, p.version,
                       assessments, agreements)


class PartnerService:
    def __init__(self, app: Migdesk) -> None:
        self.app = app

    def add(self, iso_code: str, stage: str, notes: str | None = None) -> Saved:
        self.app.require(Permission.EDIT_RECORDS)
        v = Validator()
        code = v.check("country", places.parse_country, iso_code)
        st = v.check("stage", CooperationStage.parse, stage)
        text = v.check("notes", opt_text, notes, 4000)
        v.raise_if_any()
        with self.app.unit_of_work() as s:
            exists = s.scalars(select(PartnerState).where(
                PartnerState.iso_code == code, PartnerState.deleted.is_(False))).first()
            if exists:
                raise ValidationError.of("country", N_("{country} is already a partner state"),
                                         country=code)
            p = PartnerState(iso_code=code, stage=st, notes=text)
            s.add(p)
            s.flush()
            return Saved(p.id, p.version)

    def set_stage(self, ref: str, stage: str, notes: str | None = None,
                  reason: str | None = None) -> Saved:
        """A new cooperation stage; the reason is kept in the journal (required by the window)."""
        self.app.require(Permission.EDIT_RECORDS)
        v = Validator()
        st = v.check("stage", CooperationStage.parse, stage)
        text = v.check("notes", opt_text, notes, 4000) if notes is not None else None
        v.raise_if_any()
        with self.app.unit_of_work(opt_text(reason, 1000)) as s:
            p = get_partner(s, ref)
            p.stage = st
            if notes is not None:
                p.notes = text
            s.flush()
            return Saved(p.id, p.version)

    def set_notes(self, ref: str, notes: str | None,
                  expected_version: int | None = None) -> Saved:
        self.app.require(Permission.EDIT_RECORDS)
        v = Validator()
        text = v.check("notes", opt_text, notes, 4000)
        v.raise_if_any()
        with self.app.unit_of_work() as s:
            p = get_partner(s, ref)
            check_version(p.version, expected_version)
            if p.notes != text:
                p.notes = text
            s.flush()
            return Saved(p.id, p.version)

    def list(self) -> list[PartnerView]:
        with self.app.reading() as s:
            rows = s.scalars(select(PartnerState).where(PartnerState.deleted.is_(False))).all()
            views = [partner_view(p) for p in rows]
        return sorted(views, key=lambda p: p.name_ka)

    def get(self, ref: str) -> PartnerView:
        with self.app.reading() as s:
            return partner_view(get_partner(s, ref))

    # -- assessments and their indicators -----------------------------------------------------
    def assess(self, ref: str, assessed_on: str, decision: str, rationale: str | None,
               indicators: builtins.list[dict[str, object]] | None = None,
               update_stage: bool = True) -> Saved:
        """Record a dated assessment with its indicators; it sets the stage by default."""
        self.app.require(Permission.EDIT_RECORDS)
        v = Validator()
        values = _check_assessment(v, assessed_on, decision, rationale)
        rows = [_check_indicator(v, ind) for ind in indicators or []]
        v.raise_if_any()
        with self.app.unit_of_work() as s:
            p = get_partner(s, ref)
            a = Assessment(partner_id=p.id, **values)
            s.add(a)
            s.flush()
            for row in rows:
                s.add(Indicator(assessment_id=a.id, **row))
            if update_stage and p.stage != values["decision"]:
                p.stage = values["decision"]  # type: ignore[assignment]
            s.flush()
            return Saved(a.id, a.version)

    def update_assessment(self, assessment_id: str, assessed_on: str | PartialDate,
                          decision: str, rationale: str | None,
                          expected_version: int | None = None) -> Saved:
        """Mend an assessment's date, decision or rationale (the stage is not changed)."""
        self.app.require(Permission.EDIT_RECORDS)
        v = Validator()
        values = _check_assessment(v, assessed_on, decision, rationale)
        v.raise_if_any()
        with self.app.unit_of_work() as s:
            a = _live(s, Assessment, assessment_id, N_("No record “{ref}”"))
            check_version(a.version, expected_version)
            _apply(a, values)
            s.flush()
            return Saved(a.id, a.version)

    def add_indicator(self, assessment_id: str, indicator: dict[str, object]) -> Saved:
        self.app.require(Permission.EDIT_RECORDS)
        v = Validator()
        values = _check_indicator(v, indicator)
        v.raise_if_any()
        with self.app.unit_of_work() as s:
            a = _live(s, Assessment, assessment_id, N_("No record “{ref}”"))
            i = Indicator(assessment_id=a.id, **values)
            s.add(i)
            s.flush()
            return Saved(i.id, i.version)

    def update_indicator(self, indicator_id: str, indicator: dict[str, object],
                         expected_version: int | None = None) -> Saved:
        self.app.require(Permission.EDIT_RECORDS)
        v = Validator()
        values = _check_indicator(v, indicator)
        v.raise_if_any()
        with self.app.unit_of_work() as s:
            i = _live(s, Indicator, indicator_id, N_("No record “{ref}”"))
            check_version(i.version, expected_version)
            _apply(i, values)
            s.flush()
            return Saved(i.id, i.version)

    # -- agreements ---------------------------------------------------------------------------
    def add_agreement(self, partner: str, kind: str, title_ka: str, title_en: str,
                      notes: str | None = None) -> Saved:
        self.app.require(Permission.EDIT_RECORDS)
        v = Validator()
        values = _check_agreement(v, kind, title_ka, title_en, notes)
        v.raise_if_any()
        with self.app.unit_of_work() as s:
            p = get_partner(s, partner)
            a = Agreement(partner_id=p.id, **values)
            s.add(a)
            s.flush()
            return Saved(a.id, a.version)

    def add_milestone(self, agreement_id: str, kind: str, date: str | PartialDate | None,
                      place: str | None = None, note: str | None = None) -> Saved:
        """A milestone; `date` may be 'YYYY', 'YYYY-MM', 'YYYY-MM-DD' or empty (not known)."""
        self.app.require(Permission.EDIT_RECORDS)
        v = Validator()
        values = _check_milestone(v, kind, date, place, note, self.app.today())
        v.raise_if_any()
        with self.app.unit_of_work() as s:
            a = _live(s, Agreement, agreement_id, N_("No agreement “{ref}”"), "agreement")
            m = Milestone(agreement_id=a.id, **values)
            s.add(m)
            s.flush()
            return Saved(m.id, m.version)

    def update_milestone(self, milestone_id: str, kind: str, date: str | PartialDate | None,
                         place: str | None = None, note: str | None = None,
                         expected_version: int | None = None) -> Saved:
        """Mend a milestone (a mistyped date, a place); the same rules as adding one."""
        self.app.require(Permission.EDIT_RECORDS)
        v = Validator()
        values = _check_milestone(v, kind, date, place, note, self.app.today())
        v.raise_if_any()
        with self.app.unit_of_work() as s:
            m = _live(s, Milestone, milestone_id, N_("No record “{ref}”"))
            check_version(m.version, expected_version)
            _apply(m, values)
            s.flush()
            return Saved(m.id, m.version)

    def update_agreement(self, agreement_id: str, kind: str, title_ka: str, title_en: str,
                         notes: str | None = None, expected_version: int | None = None) -> Saved:
        self.app.require(Permission.EDIT_RECORDS)
        v = Validator()
        values = _check_agreement(v, kind, title_ka, title_en, notes)
        v.raise_if_any()
        with self.app.unit_of_work() as s:
            a = _live(s, Agreement, agreement_id, N_("No agreement “{ref}”"), "agreement")
            check_version(a.version, expected_version)
            _apply(a, values)
            s.flush()
            return Saved(a.id, a.version)

    def remove(self, entity: str, record_id: str, reason: str) -> Saved:
        """Remove a partner state, assessment, indicator, agreement or milestone (tombstone)."""
        if entity not in ("partner_state", "assessment", "indicator", "agreement", "milestone"):
            raise ValidationError.of(None, N_("“{value}” is not a kind of record"), value=entity)
        return tombstone(self.app, entity, record_id, reason)

    def agreements(self) -> builtins.list[AgreementView]:  # (`list` is a method here)
        with self.app.reading() as s:
            rows = s.scalars(select(Agreement).where(Agreement.deleted.is_(False))).all()
            return [agreement_view(a) for a in rows]

    def agreement(self, agreement_id: str) -> AgreementView:
        with self.app.reading() as s:
            a = s.get(Agreement, agreement_id)
            if a is None or a.deleted:
                raise NotFound.of("agreement", N_("No agreement “{ref}”"), ref=agreement_id)
            return agreement_view(a)
