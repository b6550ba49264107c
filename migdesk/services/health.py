"""Integrity checks behind `migdesk check`: SQLite's own, the schema revision, and the
bookkeeping migdesk keeps (journal per record, search index, status history, the audit chain)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, select, text

from migdesk.i18n import N_
from migdesk.store import db as store_db
from migdesk.store.local import CandidateTerm, ChangeEntry
from migdesk.store.models import SYNCED_MODELS
from migdesk.store.people import Candidate, StatusChange

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk


@dataclass(frozen=True)
class CheckItem:
    title: str
    ok: bool
    detail: str


@dataclass
class Report:
    items: list[CheckItem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(i.ok for i in self.items)


def check(app: Migdesk) -> Report:
    r = Report()
    engine = app.db.engine
    rev = store_db.current_revision(engine)
    head = store_db.head_revision()
    r.items.append(CheckItem(N_("Schema revision"), rev == head, f"{rev} (head {head})"))
    with app.reading() as s:
        if app.db.is_sqlite:
            res = s.execute(text("PRAGMA integrity_check")).scalars().all()
            r.items.append(CheckItem(N_("SQLite integrity"), res == ["ok"], ", ".join(res)[:200]))
            fk = s.execute(text("PRAGMA foreign_key_check")).all()
            r.items.append(CheckItem(N_("Foreign keys"), not fk, f"{len(fk)}"))
        # NOT EXISTS, not NOT IN: an anti-join on the journal's (entity, entity_id) index.
        # PostgreSQL runs `NOT IN (subquery)` as a hashed subplan only while the millions of
        # journal ids of a central store fit in work_mem, else it rescans them for each row.
        missing = 0
        for model in SYNCED_MODELS:
            journaled = select(ChangeEntry.seq).where(
                ChangeEntry.entity == model.__tablename__,  # type: ignore[attr-defined]
                ChangeEntry.entity_id == model.id)  # type: ignore[attr-defined]
            missing += s.scalar(select(func.count()).select_from(model).where(
                ~journaled.exists())) or 0
        r.items.append(CheckItem(N_("Every record is in the change journal"), missing == 0,
                                 f"{missing}"))
        unindexed = s.scalar(select(func.count()).select_from(Candidate).where(
            Candidate.deleted.is_(False),
            ~select(CandidateTerm.term).where(
                CandidateTerm.candidate_id == Candidate.id).exists())) or 0
        r.items.append(CheckItem(N_("Search index covers every candidate"), unindexed == 0,
                                 f"{unindexed}"))
        last = (select(StatusChange.candidate_id, func.max(StatusChange.changed_at).label("at"))
                .group_by(StatusChange.candidate_id).subquery())
        latest = (select(StatusChange.candidate_id, StatusChange.to_status)
                  .join(last, (last.c.candidate_id == StatusChange.candidate_id)
                        & (last.c.at == StatusChange.changed_at)).subquery())
        wrong = s.scalar(select(func.count()).select_from(Candidate).outerjoin(
            latest, latest.c.candidate_id == Candidate.id).where(
            (latest.c.to_status.is_(None)) | (latest.c.to_status != Candidate.status))) or 0
        r.items.append(CheckItem(N_("Status agrees with its history"), wrong == 0, f"{wrong}"))
        total = s.scalar(select(func.count()).select_from(Candidate).where(
            Candidate.deleted.is_(False))) or 0
        r.items.append(CheckItem(N_("Candidates"), True, f"{total}"))
    r.items.append(audit_item(app))
    return r


def audit_item(app: Migdesk) -> CheckItem:
    """The audit chain verified end to end (services/audit.py)."""
    from migdesk.i18n import _

    v = app.audit.verify()
    if v.ok:
        detail = _("{n} entries, {c} journal rows").format(n=v.entries, c=v.changes)
        if not v.signature_checked:
            detail += "; " + _("the head's signature was not checked: this machine does "
                               "not hold the desk's key")
        return CheckItem(N_("Audit trail unbroken"), True, detail)
    return CheckItem(N_("Audit trail unbroken"), False,
                     _(v.msgid or "").format(**(v.params or {})))
