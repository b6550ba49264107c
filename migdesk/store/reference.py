"""Reference records: partner states, assessments, agreements and milestones, visits, programmes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from migdesk.domain.partial_date import PartialDate
from migdesk.domain.vocab import (
    CEFR,
    ActionStatus,
    AgreementKind,
    CooperationStage,
    IndicatorKind,
    MilestoneKind,
    ProgramKind,
    ProgramStatus,
    VisitDirection,
)
from migdesk.store.base import Base, Synced, enum_column, live_unique


class PartnerState(Synced, Base):
    __tablename__ = "partner_state"
    iso_code: Mapped[str] = mapped_column(String(2))
    stage: Mapped[CooperationStage] = mapped_column(enum_column(CooperationStage))
    notes: Mapped[str | None] = mapped_column(Text)

    assessments: Mapped[list[Assessment]] = relationship(back_populates="partner")
    agreements: Mapped[list[Agreement]] = relationship(back_populates="partner")
    __table_args__ = (
        live_unique("uq_partner_state_live_iso", "iso_code"),
    )


class Assessment(Synced, Base):
    """A dated judgement on cooperation with a state, with its evidence."""

    __tablename__ = "assessment"
    partner_id: Mapped[str] = mapped_column(ForeignKey("partner_state.id"), index=True)
    assessed_on: Mapped[PartialDate]
    decision: Mapped[CooperationStage] = mapped_column(enum_column(CooperationStage))
    rationale: Mapped[str | None] = mapped_column(Text)

    partner: Mapped[PartnerState] = relationship(back_populates="assessments")
    indicators: Mapped[list[Indicator]] = relationship(back_populates="assessment")


class Indicator(Synced, Base):
    """A figure behind an assessment: e.g. minimum wage 286 EUR as of 2019, with its source."""

    __tablename__ = "indicator"
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessment.id"), index=True)
    kind: Mapped[IndicatorKind] = mapped_column(enum_column(IndicatorKind))
    value: Mapped[Decimal]
    currency: Mapped[str | None] = mapped_column(String(3))
    unit: Mapped[str | None] = mapped_column(String(32))
    as_of: Mapped[PartialDate | None]
    source_name: Mapped[str | None] = mapped_column(String(200))
    source_url: Mapped[str | None] = mapped_column(String(500))

    assessment: Mapped[Assessment] = relationship(back_populates="indicators")


class Agreement(Synced, Base):
    __tablename__ = "agreement"
    partner_id: Mapped[str] = mapped_column(ForeignKey("partner_state.id"), index=True)
    kind: Mapped[AgreementKind] = mapped_column(enum_column(AgreementKind))
    title_ka: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)

    partner: Mapped[PartnerState] = relationship(back_populates="agreements")
    milestones: Mapped[list[Milestone]] = relationship(back_populates="agreement")


class Milestone(Synced, Base):
    """A step in an agreement's life (UNTC style); `date` is None when it is not known."""

    __tablename__ = "milestone"
    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreement.id"), index=True)
    kind: Mapped[MilestoneKind] = mapped_column(enum_column(MilestoneKind))
    date: Mapped[PartialDate | None]
    place: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)

    agreement: Mapped[Agreement] = relationship(back_populates="milestones")


class Visit(Synced, Base):
    """A delegation visit, outgoing (ours abroad) or incoming (theirs in Georgia)."""

    __tablename__ = "visit"
    direction: Mapped[VisitDirection] = mapped_column(enum_column(VisitDirection))
    country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str | None] = mapped_column(String(120))
    start_date: Mapped[dt.date] = mapped_column(index=True)
    end_date: Mapped[dt.date | None]
    lead_agency: Mapped[str] = mapped_column(Text)
    participants: Mapped[str | None] = mapped_column(Text)
    purpose: Mapped[str | None] = mapped_column(Text)
    outcomes: Mapped[str | None] = mapped_column(Text)
    agreement_id: Mapped[str | None] = mapped_column(ForeignKey("agreement.id"), index=True)

    follow_ups: Mapped[list[FollowUp]] = relationship(back_populates="visit")


class FollowUp(Synced, Base):
    __tablename__ = "follow_up"
    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    action: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str | None] = mapped_column(Text)
    due_date: Mapped[dt.date | None] = mapped_column(index=True)
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus))
    completed_on: Mapped[dt.date | None]
    note: Mapped[str | None] = mapped_column(Text)

    visit: Mapped[Visit] = relationship(back_populates="follow_ups")


class Program(Synced, Base):
    """A scheme or pilot under which candidates go to a partner state."""

    __tablename__ = "program"
    code: Mapped[str] = mapped_column(String(40))
    name_ka: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    kind: Mapped[ProgramKind] = mapped_column(enum_column(ProgramKind))
    partner_id: Mapped[str] = mapped_column(ForeignKey("partner_state.id"), index=True)
    partner_org: Mapped[str | None] = mapped_column(String(200))
    agreement_id: Mapped[str | None] = mapped_column(ForeignKey("agreement.id"))
    start_date: Mapped[dt.date | None]
    end_date: Mapped[dt.date | None]
    status: Mapped[ProgramStatus] = mapped_column(enum_column(ProgramStatus))
    description: Mapped[str | None] = mapped_column(Text)

    partner: Mapped[PartnerState] = relationship()
    demands: Mapped[list[Demand]] = relationship(back_populates="program")
    __table_args__ = (
        live_unique("uq_program_live_code", "code"),
    )


class Demand(Synced, Base):
    """An occupation a programme asks for, with its quota and requirements."""

    __tablename__ = "demand"
    program_id: Mapped[str] = mapped_column(ForeignKey("program.id"), index=True)
    isco_code: Mapped[str] = mapped_column(String(4), index=True)
    quota: Mapped[int | None]
    language: Mapped[str | None] = mapped_column(String(2))
    level: Mapped[CEFR | None] = mapped_column(enum_column(CEFR))
    min_experience_years: Mapped[int] = mapped_column(default=0)
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(Text)

    program: Mapped[Program] = relationship(back_populates="demands")
