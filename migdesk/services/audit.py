"""The audit trail: reading it (filtered, for supervisors), recording accesses to personal
data (view, search, print, export), the change journal, and verifying the hash chain."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from migdesk.domain.roles import Permission
from migdesk.i18n import N_
from migdesk.store import audit as chain
from migdesk.store.local import ChangeEntry

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk

ACCESS_ACTIONS = ("view", "print", "export", "search", "list")


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
    entity: str | None
    entity_id: str | None
    detail: str | None


@dataclass(frozen=True)
class EntryView:
    """One entry of the audit chain as the list shows it."""

    seq: int
    at: dt.datetime
    officer: str
    action: str
    entity: str | None
    entity_id: str | None
    detail: str | None
    reason: str | None
    changes: int


@dataclass(frozen=True)
class Verdict:
    """What `verify` found: how many entries and journal rows it checked, and the first
    break (a message id and its values), if any."""

    entries: int
    changes: int
    broken_at: int | None = None
    msgid: str | None = None
    params: dict[str, Any] | None = None
    signature_checked: bool = False  # False: this machine does not hold the desk's key

    @property
    def ok(self) -> bool:
        return self.msgid is None


class AuditService:
    def __init__(self, app: Migdesk) -> None:
        self.app = app

    # -- recording --------------------------------------------------------------------------
    def record_access(self, action: str, entity: str, entity_id: str | None,
                      detail: Any = None) -> None:
        """Record that personal data was looked at, searched, printed or handed out."""
        if action not in ACCESS_ACTIONS:
            raise ValueError(action)
        self.app.record(action, entity, entity_id, detail)

    # -- reading ----------------------------------------------------------------------------
    def entries(self, *, candidate: str | None = None, officer: str | None = None,
                since: dt.datetime | None = None, action: str | None = None,
                limit: int | None = 1000, newest_first: bool = True) -> list[EntryView]:
        """The audit trail filtered (supervisors and above). About one candidate it holds
        the events (views, prints, exports…) and the candidate's journal rows (created,
        each field's old → new value, deleted), by time."""
        self.app.require(Permission.AUDIT)
        rows = list(self._entries(candidate=candidate, officer=officer, since=since,
                                  action=action, limit=limit, newest_first=newest_first))
        if candidate:
            rows += self._changes_of(candidate, officer, since, action, limit)
            rows.sort(key=lambda r: (r.at, r.seq), reverse=newest_first)
            rows = rows[:limit] if limit is not None else rows
        return rows

    def _changes_of(self, candidate: str, officer: str | None, since: dt.datetime | None,
                    action: str | None, limit: int | None) -> list[EntryView]:
        c = ChangeEntry
        stmt = select(c).where(c.entity == "candidate", c.entity_id == candidate)
        if officer:
            stmt = stmt.where(c.officer == officer.strip().lower())
        if since is not None:
            stmt = stmt.where(c.at >= since)
        if action:
            stmt = stmt.where(c.op == action)
        stmt = stmt.order_by(c.seq.desc())
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.app.reading() as s:
            return [EntryView(0, r.at, r.officer, r.op, r.entity, r.entity_id, r.changes,
                              r.reason, 1) for r in s.scalars(stmt)]

    def _entries(self, *, candidate: str | None = None, officer: str | None = None,
                 since: dt.datetime | None = None, action: str | None = None,
                 limit: int | None = 1000, newest_first: bool = True) -> Iterator[EntryView]:
        e = chain.AuditEntry
        stmt = select(e)
        if candidate:
            stmt = stmt.where(e.entity_id == candidate)
        if officer:
            stmt = stmt.where(e.officer == officer.strip().lower())
        if since is not None:
            stmt = stmt.where(e.at >= since)
        if action:
            stmt = stmt.where(e.action == action)
        stmt = stmt.order_by(e.seq.desc() if newest_first else e.seq)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.app.reading() as s:
            for r in s.scalars(stmt):
                detail = r.detail
                if r.action == chain.JOURNAL and detail is None:  # which journal rows
                    detail = f"change_log {r.changes_from}–{r.changes_to}"
                yield EntryView(r.seq, r.at, r.officer, r.action, r.entity, r.entity_id,
                                detail, r.reason, r.changes_count)

    def accesses(self, entity_id: str | None = None, limit: int = 1000) -> list[AccessView]:
        """Views, searches, prints and exports of personal data, newest first."""
        self.app.require(Permission.AUDIT)
        e = chain.AuditEntry
        with self.app.reading() as s:
            stmt = select(e).where(e.action.in_(ACCESS_ACTIONS))
            if entity_id:
                stmt = stmt.where(e.entity_id == entity_id)
            rows = s.scalars(stmt.order_by(e.seq.desc()).limit(limit)).all()
            return [AccessView(r.at, r.officer, r.action, r.entity, r.entity_id, r.detail)
                    for r in rows]

    def changes(self, entity: str | None = None, entity_id: str | None = None,
                after_seq: int = 0, limit: int = 1000) -> list[ChangeView]:
        self.app.require(Permission.AUDIT)  # old and new values of personal data
        with self.app.reading() as s:
            stmt = select(ChangeEntry).where(ChangeEntry.seq > after_seq)
            if entity:
                stmt = stmt.where(ChangeEntry.entity == entity)
            if entity_id:
                stmt = stmt.where(ChangeEntry.entity_id == entity_id)
            rows = s.scalars(stmt.order_by(ChangeEntry.seq).limit(limit)).all()
            return [ChangeView(r.seq, r.at, r.officer, r.desk_id, r.entity, r.entity_id, r.op,
                               r.version, json.loads(r.changes), r.reason) for r in rows]

    # -- verifying --------------------------------------------------------------------------
    def verify(self) -> Verdict:
        """Walk the whole chain: every entry follows the one before and hashes to what it
        says; the journal rows each seal covers hash to its digest, the seals cover the
        journal from its first row to its last with nothing left over; the head names the
        last entry and carries this desk's signature. Needs no role: `check` runs it."""
        with self.app.reading() as s:
            conn = s.connection()
            return verify_chain(conn, self.app.desk_id, self._public_key())

    def _public_key(self) -> str | None:
        """The desk's signing key if this machine holds it (the database moved to a machine
        without it: the chain is still checked, its head's signature cannot be)."""
        from migdesk.sync import keys as keymod

        if not keymod.has_keys(self.app.desk_id):
            return None
        return keymod.load_keys(self.app.desk_id).sign_public


def verify_chain(conn: Any, desk_id: str, public_key: str | None) -> Verdict:
    """See `AuditService.verify` (a function of a connection, so the central store can
    run it too)."""
    cl = ChangeEntry.__table__
    journal = chain.journal_rows(conn, 0)
    covered, checked_changes, n, last = 0, 0, 0, None
    prev_row: tuple[Any, ...] | None = None

    def broken(seq: int, msgid: str, **params: Any) -> Verdict:
        return Verdict(n, checked_changes, seq, msgid, {"seq": seq, **params})

    for row, brk in chain.check_links(chain.entries(conn)):
        if brk is not None:
            return Verdict(n, checked_changes, brk.seq, brk.msgid, brk.params)
        n += 1
        last = row
        if row["action"] != chain.JOURNAL:
            continue
        first, to, count = row["changes_from"], row["changes_to"], row["changes_count"]
        if first != covered + 1 or to is None or to < first:
            return broken(row["seq"], N_(
                "entry {seq} seals journal rows {first}–{to}, but the rows before it end "
                "at {covered}"), first=first, to=to, covered=covered)
        digest, got = hashlib.sha256(), 0
        while True:
            r = prev_row if prev_row is not None else next(journal, None)
            prev_row = None
            if r is None or r[0] > to:
                prev_row = r
                break
            if r[0] <= covered:
                continue
            digest.update(chain.change_line(r))
            got += 1
        if got != count or digest.hexdigest() != row["changes_digest"]:
            return broken(row["seq"], N_(
                "the journal rows {first}–{to} sealed by entry {seq} were changed, added or "
                "removed"), first=first, to=to)
        covered = to
        checked_changes += got
    head = conn.execute(select(chain.AuditHead.seq, chain.AuditHead.hash,
                               chain.AuditHead.change_seq, chain.AuditHead.signature)
                        .where(chain.AuditHead.id == 1)).first()
    if head is None:
        return broken(0, N_("the audit chain has no head"))
    last_seq = last["seq"] if last else 0
    last_hash = last["hash"] if last else chain.GENESIS
    if head.seq != last_seq or head.hash != last_hash:
        return broken(min(head.seq, last_seq) + 1, N_(
            "the chain ends at entry {last}, but its signed head names entry {head}: entries "
            "were removed or added at the end"), last=last_seq, head=head.seq)
    top = conn.execute(select(func.max(cl.c.seq))).scalar() or 0
    if head.change_seq != covered or top != covered:
        return broken(last_seq, N_(
            "journal rows after {covered} are not sealed in the chain: they were written "
            "around migdesk"), covered=covered)
    if public_key is not None and head.seq > 0:
        if not head.signature or not _signature_ok(
                public_key, chain.head_message(desk_id, head.seq, head.hash, head.change_seq),
                head.signature):
            return broken(head.seq, N_(
                "the signature of the chain's head is not this desk's: the chain was "
                "rewritten"))
    return Verdict(n, checked_changes, signature_checked=public_key is not None)


def _signature_ok(public_key: str, message: bytes, signature: str) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
        key.verify(base64.b64decode(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True
