"""Candidates and what hangs off them: consent, occupations, languages, status history,
applications, placements and attachments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from migdesk.domain.statuses import CandidateStatus
from migdesk.domain.vocab import CEFR, ApplicationStatus, Education, Sex
from migdesk.store.base import Base, Synced, enum_column, live_unique


class Candidate(Synced, Base):
    __tablename__ = "candidate"
    personal_number: Mapped[str] = mapped_column(String(11))
    first_name_ka: Mapped[str] = mapped_column(String(60))
    last_name_ka: Mapped[str] = mapped_column(String(60))
    first_name_lat: Mapped[str] = mapped_column(String(60))
    last_name_lat: Mapped[str] = mapped_column(String(60))
    birth_date: Mapped[dt.date] = mapped_column(index=True)
    sex: Mapped[Sex | None] = mapped_column(enum_column(Sex))
    region: Mapped[str | None] = mapped_column(String(5), index=True)
    address: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    passport_number: Mapped[str | None] = mapped_column(String(9))
    passport_expiry: Mapped[dt.date | None]
    education: Mapped[Education | None] = mapped_column(enum_column(Education))
    education_note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[CandidateStatus] = mapped_column(enum_column(CandidateStatus), index=True)
    registered_on: Mapped[dt.date]
    notes: Mapped[str | None] = mapped_column(Text)

    occupations: Mapped[list[CandidateOccupation]] = relationship(back_populates="candidate")
    languages: Mapped[list[CandidateLanguage]] = relationship(back_populates="candidate")
    consents: Mapped[list[Consent]] = relationship(back_populates="candidate")
    history: Mapped[list[StatusChange]] = relationship(back_populates="candidate")
    applications: Mapped[list[Application]] = relationship(back_populates="candidate")
    placements: Mapped[list[Placement]] = relationship(back_populates="candidate")

    __table_args__ = (
        live_unique("uq_candidate_live_personal_number", "personal_number"),
        Index("ix_candidate_name_ka", "last_name_ka", "first_name_ka", "id"),
        Index("ix_candidate_name_lat", "last_name_lat", "first_name_lat", "id"),
        Index("ix_candidate_pn", "personal_number"),
        # Covers the matching pre-filter (who is available with a passport valid long enough).
        # (Led by status, not `deleted`: SQLite would otherwise scan it for every live filter.)
        Index("ix_candidate_match", "status", "passport_expiry", "birth_date", "registered_on",
              "deleted", "id"),
        # Matching looks each occupation row's candidate up by id: answered from this index
        # alone, not the wide row (migration 0006).
        Index("ix_candidate_match_id", "id", "deleted", "status", "passport_expiry",
              "birth_date", "registered_on"),
    )


class Consent(Synced, Base):
    """Written consent to processing (a separate form, as the personal-data law asks)."""

    __tablename__ = "consent"
    candidate_id: Mapped[str] = mapped_column(ForeignKey("candidate.id"), index=True)
    given_on: Mapped[dt.date]
    scope: Mapped[str] = mapped_column(Text)
    form_reference: Mapped[str | None] = mapped_column(String(100))
    withdrawn_on: Mapped[dt.date | None]

    candidate: Mapped[Candidate] = relationship(back_populates="consents")


class CandidateOccupation(Synced, Base):
    __tablename__ = "candidate_occupation"
    candidate_id: Mapped[str] = mapped_column(ForeignKey("candidate.id"), index=True)
    isco_code: Mapped[str] = mapped_column(String(4))
    years: Mapped[int] = mapped_column(default=0)

    candidate: Mapped[Candidate] = relationship(back_populates="occupations")
    __table_args__ = (Index("ix_candidate_occupation_isco", "isco_code", "years", "candidate_id",
                            "deleted"),)


class CandidateLanguage(Synced, Base):
    __tablename__ = "candidate_language"
    candidate_id: Mapped[str] = mapped_column(ForeignKey("candidate.id"), index=True)
    language: Mapped[str] = mapped_column(String(2))
    level: Mapped[CEFR] = mapped_column(enum_column(CEFR))

    candidate: Mapped[Candidate] = relationship(back_populates="languages")
    __table_args__ = (Index("ix_candidate_language_lang", "language", "level", "candidate_id",
                            "deleted"),
                      # matching's per-candidate language lookup, covered (migration 0006)
                      Index("ix_candidate_language_match", "candidate_id", "language", "deleted",
                            "level"))


class StatusChange(Synced, Base):
    """One step of a candidate's history: who moved them, when, from what to what, and why."""

    __tablename__ = "status_change"
    candidate_id: Mapped[str] = mapped_column(ForeignKey("candidate.id"), index=True)
    from_status: Mapped[CandidateStatus | None] = mapped_column(enum_column(CandidateStatus))
    to_status: Mapped[CandidateStatus] = mapped_column(enum_column(CandidateStatus))
    changed_at: Mapped[dt.datetime]
    officer: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    program_id: Mapped[str | None] = mapped_column(ForeignKey("program.id"))

    candidate: Mapped[Candidate] = relationship(back_populates="history")


class Application(Synced, Base):
    """A candidate put forward for a programme (optionally for one demanded occupation)."""

    __tablename__ = "application"
    candidate_id: Mapped[str] = mapped_column(ForeignKey("candidate.id"), index=True)
    program_id: Mapped[str] = mapped_column(ForeignKey("program.id"), index=True)
    demand_id: Mapped[str | None] = mapped_column(ForeignKey("demand.id"))
    applied_on: Mapped[dt.date]
    status: Mapped[ApplicationStatus] = mapped_column(enum_column(ApplicationStatus))
    note: Mapped[str | None] = mapped_column(Text)

    candidate: Mapped[Candidate] = relationship(back_populates="applications")


class Placement(Synced, Base):
    """Employment abroad and the return home."""

    __tablename__ = "placement"
    candidate_id: Mapped[str] = mapped_column(ForeignKey("candidate.id"), index=True)
    program_id: Mapped[str | None] = mapped_column(ForeignKey("program.id"), index=True)
    employer: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str | None] = mapped_column(String(120))
    isco_code: Mapped[str | None] = mapped_column(String(4))
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date | None]
    wage_amount: Mapped[Decimal | None]
    wage_currency: Mapped[str | None] = mapped_column(String(3))
    wage_period: Mapped[str | None] = mapped_column(String(10))
    returned_on: Mapped[dt.date | None]
    return_note: Mapped[str | None] = mapped_column(Text)

    candidate: Mapped[Candidate] = relationship(back_populates="placements")


class Attachment(Synced, Base):
    """A file kept with a record (photo, signed consent form), identified by content hash."""

    __tablename__ = "attachment"
    candidate_id: Mapped[str | None] = mapped_column(ForeignKey("candidate.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
