"""Desk-local bookkeeping of exchanges: trusted keys, exchange log, conflicts, duplicates,
and changes held back until the record they touch arrives. None of these are synced."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from migdesk.store.base import Base


class PeerKey(Base):
    """Another party's public keys: a desk, or the central store (which also encrypts).

    `scope` says which personal data this side sends that party: "own" (the candidates
    registered at that desk, and what hangs off them) or "all". Reference data goes to
    everyone. `resend` marks a widened scope: the next package to that party starts again
    from the first change, so it receives what it was not allowed to see before."""

    __tablename__ = "sync_peer"
    desk_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))  # desk | central
    sign_key: Mapped[str] = mapped_column(String(64))  # Ed25519, base64
    enc_key: Mapped[str | None] = mapped_column(String(64))  # X25519, base64
    trusted_at: Mapped[dt.datetime]
    trusted_by: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(10), default="all", server_default="all")
    resend: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Exchange(Base):
    """One package sent to or received from a partner, with its change-number range."""

    __tablename__ = "sync_exchange"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    package_id: Mapped[str] = mapped_column(String(36), index=True)
    direction: Mapped[str] = mapped_column(String(6))  # export | import
    partner_id: Mapped[str] = mapped_column(String(36))  # '*' when sent to anyone
    seq_from: Mapped[int]
    seq_to: Mapped[int]
    changes: Mapped[int]
    applied: Mapped[int] = mapped_column(default=0)
    at: Mapped[dt.datetime]
    officer: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    audit_to: Mapped[int | None]  # the last entry of this desk's audit chain sent with it
    __table_args__ = (Index("ix_sync_exchange_partner", "partner_id", "direction"),)


class Conflict(Base):
    """The same field changed on both sides (or an edit met a deletion): both values kept."""

    __tablename__ = "sync_conflict"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(10))  # field | deleted | delete
    local_value: Mapped[str] = mapped_column(Text)  # JSON
    incoming_value: Mapped[str] = mapped_column(Text)  # JSON
    change_id: Mapped[str] = mapped_column(String(36))
    incoming_desk: Mapped[str] = mapped_column(String(36))
    incoming_officer: Mapped[str] = mapped_column(String(64))
    incoming_at: Mapped[dt.datetime]
    detected_at: Mapped[dt.datetime]
    status: Mapped[str] = mapped_column(String(10), index=True)  # open | resolved
    resolution: Mapped[str | None] = mapped_column(String(20))
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolved_at: Mapped[dt.datetime | None]


class Duplicate(Base):
    """A live-unique key (personal number, partner state's ISO code, programme code) made on
    two desks under different ids; the incoming record is held (stored tombstoned) until an
    officer decides."""

    __tablename__ = "sync_duplicate"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(40), default="candidate")
    local_id: Mapped[str] = mapped_column(String(36))
    incoming_id: Mapped[str] = mapped_column(String(36), index=True)
    incoming_desk: Mapped[str] = mapped_column(String(36))
    detected_at: Mapped[dt.datetime]
    status: Mapped[str] = mapped_column(String(10), index=True)
    resolution: Mapped[str | None] = mapped_column(String(20))
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolved_at: Mapped[dt.datetime | None]


class HeldChange(Base):
    """A change to a record that has not arrived yet (its package came out of order)."""

    __tablename__ = "sync_held"
    change_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    line: Mapped[str] = mapped_column(Text)
    received_at: Mapped[dt.datetime]
