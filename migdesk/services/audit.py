"""The audit trail: access to personal data (view, print, export) and the change journal."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

from migdesk.store.local import AccessEntry, ChangeEntry
from migdesk.store.types import utcnow

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk

ACCESS_ACTIONS = ("view", "print", "export", "search")


@dataclass(frozen=True)
class ChangeView:
    seq: int
    at: dt.datetime
    officer: str
    desk_id: str
    entity: str
    entity_id: str
    op: str
    version: int
    changes: dict[str, Any]
    reason: str | None


@dataclass(frozen=True)
class AccessView:
    at: dt.datetime
    officer: str
    action: str
    entity: str
    entity_id: str | None
    detail: str | None


class AuditService:
    def __init__(self, app: Migdesk) -> None:
        self.app = app

    def record_access(self, action: str, entity: str, entity_id: str | None,
                      detail: str | None = None) -> None:
        """Log that personal data was looked at, printed or handed out (own transaction)."""
        if action not in ACCESS_ACTIONS:
            raise ValueError(action)
        with self.app.db.session() as s:
            s.execute(insert(AccessEntry), [{
                "at": utcnow(), "officer": self.app.officer, "desk_id": self.app.desk_id,
                "action": action, "entity": entity, "entity_id": entity_id,
                "detail": detail}])
            s.commit()

    def changes(self, entity: str | None = None, entity_id: str | None = None,
                after_seq: int = 0, limit: int = 1000) -> list[ChangeView]:
        with self.app.reading() as s:
            stmt = select(ChangeEntry).where(ChangeEntry.seq > after_seq)
            if entity:
                stmt = stmt.where(ChangeEntry.entity == entity)
            if entity_id:
                stmt = stmt.where(ChangeEntry.entity_id == entity_id)
            rows = s.scalars(stmt.order_by(ChangeEntry.seq).limit(limit)).all()
            return [ChangeView(r.seq, r.at, r.officer, r.desk_id, r.entity, r.entity_id, r.op,
                               r.version, json.loads(r.changes), r.reason) for r in rows]

    def accesses(self, entity_id: str | None = None, limit: int = 1000) -> list[AccessView]:
        with self.app.reading() as s:
            stmt = select(AccessEntry)
            if entity_id:
                stmt = stmt.where(AccessEntry.entity_id == entity_id)
            rows = s.scalars(stmt.order_by(AccessEntry.id.desc()).limit(limit)).all()
            return [AccessView(r.at, r.officer, r.action, r.entity, r.entity_id, r.detail)
                    for r in rows]
