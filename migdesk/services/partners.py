"""Partner states, their assessments (with indicators) and agreements with milestones."""

from __future__ import annotations

import builtins
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
                         [MilestoneLine(m.id, m.kind.value, m.date, m.place, m.note) for m in ms])


def partner_view(p: PartnerState, full: bool = True) -> PartnerView:
    assessments = []
    agreements = []
    if full:
        for a in sorted((a for a in p.assessments if not a.deleted),
                        key=lambda a: a.assessed_on.sort_key(), reverse=True):
            assessments.append(AssessmentView(
                a.id, p.id, a.assessed_on, a.decision.value, a.rationale,
                [IndicatorLine(i.id, i.kind.value, i.value, i.currency, i.unit, i.as_of,
                               i.source_name, i.source_url)
                 for i in a.indicators if not i.deleted]))
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
        self.app.require(Permission.EDIT_RECORDS)
        st = CooperationStage.parse(stage)
        with self.app.unit_of_work(reason) as s:
            p = get_partner(s, ref)
            p.stage = st
            if notes is not None:
                p.notes = opt_text(notes, 4000)
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

    def assess(self, ref: str, assessed_on: str, decision: str, rationale: str | None,
               indicators: builtins.list[dict[str, object]] | None = None,
               update_stage: bool = True) -> Saved:
        """Record a dated assessment with its indicators; it sets the stage by default."""
        self.app.require(Permission.EDIT_RECORDS)
        v = Validator()
        when = v.check("date", _partial, assessed_on)
        if when is None and not v.errors:
            v.add("date", N_("Required"))
        dec = v.check("stage", CooperationStage.parse, decision)
        why = v.check("rationale", opt_text, rationale, 8000)
        rows = []
        for ind in indicators or []:
            rows.append({
                "kind": v.check("kind", IndicatorKind.parse, ind.get("kind", "other")),
                "value": v.check("amount", _amount, ind.get("value")),
                "currency": v.check("currency", places.currency_code, ind["currency"])
                if ind.get("currency") else None,
                "unit": v.check("unit", opt_text, ind.get("unit"), 32),
                "as_of": v.check("date", _partial, ind.get("as_of")),
                "source_name": v.check("source_url", opt_text, ind.get("source_name"), 200),
                "source_url": v.check("source_url", _url, ind.get("source_url")),
            })
        v.raise_if_any()
        with self.app.unit_of_work() as s:
            p = get_partner(s, ref)
            a = Assessment(partner_id=p.id, assessed_on=when, decision=dec, rationale=why)
            s.add(a)
            s.flush()
            for row in rows:
                s.add(Indicator(assessment_id=a.id, **row))
            if update_stage and p.stage != dec:
                p.stage = dec
            s.flush()
            return Saved(a.id, a.version)

    # -- agreements ---------------------------------------------------------------------------
    def add_agreement(self, partner: str, kind: str, title_ka: str, title_en: str,
                      notes: str | None = None) -> Saved:
        self.app.require(Permission.EDIT_RECORDS)
        v = Validator()
        k = v.check("kind", AgreementKind.parse, kind)
        tka = v.check("title_ka", req_text, title_ka, 1000)
        ten = v.check("title_en", req_text, title_en, 1000)
        nts = v.check("notes", opt_text, notes, 8000)
        v.raise_if_any()
        with self.app.unit_of_work() as s:
            p = get_partner(s, partner)
            a = Agreement(partner_id=p.id, kind=k, title_ka=tka, title_en=ten, notes=nts)
            s.add(a)
            s.flush()
            return Saved(a.id, a.version)

    def add_milestone(self, agreement_id: str, kind: str, date: str | None,
                      place: str | None = None, note: str | None = None) -> Saved:
        """A milestone; `date` may be 'YYYY', 'YYYY-MM', 'YYYY-MM-DD' or empty (not known)."""
        self.app.require(Permission.EDIT_RECORDS)
        v = Validator()
        k = v.check("kind", MilestoneKind.parse, kind)
        d = v.check("date", _partial, date)
        pl = v.check("place", opt_text, place, 200)
        nt = v.check("note", opt_text, note, 4000)
        if d is not None and d.earliest() > self.app.today():
            v.add("date", N_("A milestone cannot be in the future"))
        v.raise_if_any()
        with self.app.unit_of_work() as s:
            a = s.get(Agreement, agreement_id)
            if a is None or a.deleted:
                raise NotFound.of("agreement", N_("No agreement “{ref}”"), ref=agreement_id)
            m = Milestone(agreement_id=a.id, kind=k, date=d, place=pl, note=nt)
            s.add(m)
            s.flush()
            return Saved(m.id, m.version)

    def update_agreement(self, agreement_id: str, kind: str, title_ka: str, title_en: str,
                         notes: str | None = None, expected_version: int | None = None) -> Saved:
        self.app.require(Permission.EDIT_RECORDS)
        v = Validator()
        values = {"kind": v.check("kind", AgreementKind.parse, kind),
                  "title_ka": v.check("title_ka", req_text, title_ka, 1000),
                  "title_en": v.check("title_en", req_text, title_en, 1000),
                  "notes": v.check("notes", opt_text, notes, 8000)}
        v.raise_if_any()
        with self.app.unit_of_work() as s:
            a = s.get(Agreement, agreement_id)
            if a is None or a.deleted:
                raise NotFound.of("agreement", N_("No agreement “{ref}”"), ref=agreement_id)
            check_version(a.version, expected_version)
            for k, val in values.items():
                if getattr(a, k) != val:
                    setattr(a, k, val)
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
