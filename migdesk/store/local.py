"""Desk-local tables: the desk's identity and settings, the change journal and the candidate
search index (the audit trail is in store/audit.py, accounts in store/accounts.py). None of
these are synced as records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from migdesk.store.base import Base


class DeskIdentity(Base):
    """This desk: made once by `migdesk init`."""

    __tablename__ = "desk"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]


class Setting(Base):
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ChangeEntry(Base):
    """The change journal: one row per created/changed/deleted record, in commit order.

    `seq` is this desk's change number (what an export sends); `changes` is JSON
    {field: [old, new]}. It is also the audit trail the personal-data law asks for.
    """

    __tablename__ = "change_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[str] = mapped_column(String(36), unique=True)
    at: Mapped[dt.datetime] = mapped_column(index=True)
    officer: Mapped[str] = mapped_column(String(64))
    desk_id: Mapped[str] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(10))
    version: Mapped[int]
    changes: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_change_log_entity", "entity", "entity_id"),)


class CandidateTerm(Base):
    """Search index: each name word (Georgian, Latin) and the personal number of a candidate.

    A prefix search is a range scan on `term`, already in display order: in byte (code point)
    order on both backends (PostgreSQL's column is in the "C" collation, migration 0005).
    """

    __tablename__ = "candidate_term"
    term: Mapped[str] = mapped_column(
        String(60).with_variant(String(60, collation="C"), "postgresql"), primary_key=True)
    candidate_id: Mapped[str] = mapped_column(
        ForeignKey("candidate.id"), primary_key=True, index=True
    )
    __table_args__ = {"sqlite_with_rowid": False}
