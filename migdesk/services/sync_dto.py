"""The plain results of the sync service (services/sync.py): safe to hand to another thread,
never ORM rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from migdesk.sync.merge import Stats
from migdesk.sync.scope import ALL

__all__ = ["ConflictView", "DuplicateView", "ExchangeView", "ExportResult", "ImportResult",
           "PeerView", "Stats"]


@dataclass(frozen=True)
class PeerView:
    desk_id: str
    name: str
    role: str
    can_seal: bool
    scope: str = ALL
    resend: bool = False
    fingerprint: str = ""  # of the trusted keys, read out by telephone to compare



@dataclass(frozen=True)
class ExportResult:
    path: str
    package_id: str
    partner_id: str
    seq_from: int
    seq_to: int
    changes: int
    attachments: int
    sealed: bool


@dataclass(frozen=True)
class ImportResult:
    package_id: str
    sender_id: str
    sender_name: str
    seq_from: int
    seq_to: int
    stats: Stats
    gaps: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class ConflictView:
    id: int
    entity: str
    entity_id: str
    field: str
    kind: str
    local_value: Any
    incoming_value: Any
    incoming_desk: str
    incoming_officer: str
    incoming_at: dt.datetime
    status: str


@dataclass(frozen=True)
class DuplicateView:
    id: int
    entity: str
    local_id: str
    incoming_id: str
    incoming_desk: str
    status: str


@dataclass(frozen=True)
class ExchangeView:
    partner_id: str
    partner_name: str
    direction: str
    at: dt.datetime
    seq_from: int
    seq_to: int
    changes: int
