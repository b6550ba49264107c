"""The audit trail: one hash chain of entries, sealed in the transaction it records.

Each entry holds the hash of the entry before it and of its own content in a canonical
encoding (`entry_hash`), so an edit, an insertion or a removal anywhere breaks the chain.
Events (a view, a print, an export, a sign-in, an account or trust change…) are queued on the
session with `add_event` and written at commit; the change journal's rows written by the same
transaction are covered by "journal" entries that hold a digest of at most `SEAL_ROWS` of
them each, so a journal row edited, inserted or removed unseen is found too. The chain's head
(`audit_head`) is signed at every commit with the desk's key when the caller gives a signer,
so a rewrite of the whole chain by someone without that key shows as well.

Writers are one at a time: SQLite write transactions begin IMMEDIATE (store/db.py), and on
PostgreSQL `lock()` takes the head row FOR UPDATE at the start of every write transaction, so
the journal rows of one transaction are contiguous. Runs on whatever thread owns the session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Index, Integer, String, Table, Text, event, func, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from migdesk.i18n import N_
from migdesk.store.base import Base
from migdesk.store.local import ChangeEntry

GENESIS = "0" * 64
SEAL_ROWS = 1000
JOURNAL = "journal"  # the action of an entry that seals journal rows
HEAD_FORMAT = b"migdesk-audit-head/1"

Signer = Callable[[bytes], bytes]


class AuditEntry(Base):
    """One link of this desk's chain: an event, or a seal over journal rows."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(index=True)
    officer: Mapped[str] = mapped_column(String(64), index=True)
    desk_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(30), index=True)
    entity: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(36), index=True)
    detail: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    changes_from: Mapped[int | None] = mapped_column(Integer)
    changes_to: Mapped[int | None] = mapped_column(Integer)
    changes_count: Mapped[int] = mapped_column(Integer, default=0)
    changes_digest: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The chain's last entry and the last journal row it covers, signed by the desk."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    change_seq: Mapped[int] = mapped_column(Integer)
    signature: Mapped[str | None] = mapped_column(Text)


class PeerAudit(Base):
    """Chains received from other desks with their packages (kept by the central store)."""

    __tablename__ = "peer_audit"
    desk_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime]
    officer: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(30))
    entity: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(36))
    detail: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    changes_from: Mapped[int | None] = mapped_column(Integer)
    changes_to: Mapped[int | None] = mapped_column(Integer)
    changes_count: Mapped[int] = mapped_column(Integer, default=0)
    changes_digest: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (Index("ix_peer_audit_entity", "entity_id"),)


# The fields of an entry, in the order the canonical encoding lists them (a format: never
# reorder or rename, or every chain made before stops verifying).
FIELDS = ("seq", "at", "officer", "desk_id", "action", "entity", "entity_id", "detail",
          "reason", "changes_from", "changes_to", "changes_count", "changes_digest",
          "prev_hash")
CHANGE_FIELDS = ("seq", "change_id", "at", "officer", "desk_id", "entity", "entity_id", "op",
                 "version", "changes", "reason")


def time_text(at: dt.datetime | str) -> str:
    """A UTC time as fixed-width text (microseconds, 'Z'), however the backend returned it."""
    if isinstance(at, str):
        if len(at) == 26 and at[10] == " " and at[19] == ".":  # SQLite's own UTC text
            return f"{at[:10]}T{at[11:]}Z"
        at = dt.datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    at = at.astimezone(dt.UTC)
    if at.year >= 1000:  # isoformat is strftime's text here, at a third of the cost
        return at.isoformat(timespec="microseconds")[:26] + "Z"
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(values: dict[str, Any]) -> str:
    """SHA-256 of an entry's canonical encoding: a JSON array of FIELDS in order, times as
    `time_text`, UTF-8, no spaces."""
    items = [time_text(values["at"]) if k == "at" else values.get(k) for k in FIELDS]
    items[FIELDS.index("changes_count")] = int(values.get("changes_count") or 0)
    body = json.dumps(items, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def change_line(row: Any) -> bytes:
    """The canonical encoding of one journal row (a mapping or a tuple in CHANGE_FIELDS): a
    compact JSON array in UTF-8 (orjson's, which is the standard library's with
    `ensure_ascii=False` and no spaces, at a tenth of the cost), then a newline."""
    import orjson

    if not isinstance(row, tuple):
        row = tuple(row[k] for k in CHANGE_FIELDS)
    items = list(row)
    items[2] = time_text(items[2])
    return orjson.dumps(items) + b"\n"


def head_message(desk_id: str, seq: int, hash_: str, change_seq: int) -> bytes:
    return b"|".join([HEAD_FORMAT, desk_id.encode(), str(seq).encode(), hash_.encode(),
                      str(change_seq).encode()])


# -- writing ----------------------------------------------------------------------------------
def add_event(session: Session, action: str, entity: str | None = None,
              entity_id: str | None = None, detail: Any = None, reason: str | None = None,
              officer: str | None = None) -> None:
    """Queue an event; it is written, chained and signed when the session commits."""
    if detail is not None and not isinstance(detail, str):
        detail = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    session.info.setdefault("audit", []).append({
        "at": dt.datetime.now(dt.UTC), "officer": officer, "action": action[:30],
        "entity": entity, "entity_id": entity_id, "detail": detail, "reason": reason})


def lock(session: Session) -> None:
    """Make this transaction the chain's only writer until it ends (PostgreSQL; on SQLite the
    IMMEDIATE transaction already is). Every writer takes this lock first, so two writers
    (two imports into the central store) queue here, never deadlock: the second one is told
    through the connection's `on_wait` (store/db.py) and waits for the first to commit, then
    reads what it wrote."""
    if session.info.get("audit_locked"):
        return
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        head = select(AuditHead.seq).where(AuditHead.id == 1)
        if conn.execute(head.with_for_update(skip_locked=True)).first() is None:
            on_wait = conn.get_execution_options().get("on_wait")
            if on_wait is not None and conn.execute(head).first() is not None:
                on_wait()  # the head exists, so another writer holds it
            conn.execute(head.with_for_update())
    session.info["audit_locked"] = True


def journal_rows(conn: Any, after: int) -> Iterator[tuple[Any, ...]]:
    """The journal rows after `after`, in order, as tuples in CHANGE_FIELDS. On SQLite they
    are read through the transaction's own driver cursor, as stored (a hundred thousand
    candidates are 400,000 rows: SQLAlchemy's row objects would be most of the cost)."""
    cl = ChangeEntry.__table__
    cols = [cl.c[k] for k in CHANGE_FIELDS]
    if conn.dialect.name == "sqlite":
        from migdesk.store.bulk import raw_rows  # the driver's rows, as stored

        for rows in raw_rows(conn, select(*cols).where(cl.c.seq > after).order_by(cl.c.seq)):
            yield from rows
        return
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        # The same through a server-side cursor of the driver (a central store's journal is
        # millions of rows); `at` comes in the session's time zone, which time_text undoes.
        conn.execute(select(1))  # the transaction begun: a named cursor lives in it
        cur = conn.connection.dbapi_connection.cursor(name=f"journal_{next(_CURSORS)}")
        try:
            cur.execute(f"SELECT {', '.join(CHANGE_FIELDS)} FROM change_log WHERE seq > %s "
                        "ORDER BY seq", (after,))
            while rows := cur.fetchmany(5000):
                yield from rows
        finally:
            cur.close()
        return
    result = conn.execute(select(*cols).where(cl.c.seq > after).order_by(cl.c.seq),
                          execution_options={"yield_per": 5000})
    for row in result:
        yield tuple(row)


_CURSORS = itertools.count(1)


def seal(session: Session) -> None:
    """Write the queued events and the seals over this transaction's journal rows, then move
    and sign the head. Called just before commit (see `install`)."""
    if not session.in_transaction() or session.info.get("audit_sealed"):
        return
    session.flush()
    events = session.info.pop("audit", [])
    conn = session.connection()
    cl = ChangeEntry.__table__
    top = conn.execute(select(func.max(cl.c.seq))).scalar() or 0
    head = conn.execute(select(AuditHead.seq, AuditHead.hash, AuditHead.change_seq)
                        .where(AuditHead.id == 1)).first()
    if head is None:
        raise RuntimeError("the audit chain has no head row; the database was not migrated")
    seq, prev, covered = head
    if not events and top <= covered:
        return
    lock(session)
    actor = session.info.get("actor")
    officer = getattr(actor, "officer", None)
    desk_id = getattr(actor, "desk_id", None)
    if officer is None or desk_id is None:
        raise RuntimeError("a unit of work without an Actor tried to write")
    reason = session.info.get("reason")
    rows: list[dict[str, Any]] = []

    def link(values: dict[str, Any]) -> None:
        nonlocal seq, prev
        seq += 1
        values.update(seq=seq, prev_hash=prev, desk_id=desk_id)
        values.setdefault("changes_count", 0)
        for k in ("entity", "entity_id", "detail", "reason", "changes_from", "changes_to",
                  "changes_digest"):
            values.setdefault(k, None)
        values["hash"] = prev = entry_hash(values)
        rows.append(values)

    for e in events:
        e["officer"] = (e["officer"] or officer)[:64]
        link(e)
    if top > covered:
        now = dt.datetime.now(dt.UTC)
        digest, first, last, count = hashlib.sha256(), None, None, 0
        for row in journal_rows(conn, covered):
            digest.update(change_line(row))
            first = row[0] if first is None else first
            last, count = row[0], count + 1
            if count == SEAL_ROWS:
                link({"at": now, "officer": officer, "action": JOURNAL, "reason": reason,
                      "changes_from": first, "changes_to": last, "changes_count": count,
                      "changes_digest": digest.hexdigest()})
                digest, first, count = hashlib.sha256(), None, 0
        if count:
            link({"at": now, "officer": officer, "action": JOURNAL, "reason": reason,
                  "changes_from": first, "changes_to": last, "changes_count": count,
                  "changes_digest": digest.hexdigest()})
        covered = top
    for i in range(0, len(rows), 500):
        conn.execute(insert(cast(Table, AuditEntry.__table__)), rows[i:i + 500])
    signer: Signer | None = session.info.get("signer")
    signature = None
    if signer is not None:
        import base64

        signature = base64.b64encode(signer(head_message(desk_id, seq, prev, covered))).decode()
    conn.execute(update(AuditHead).where(AuditHead.id == 1).values(
        seq=seq, hash=prev, change_seq=covered, signature=signature))
    session.info["audit_sealed"] = True


def _after_end(session: Session, *_args: Any) -> None:
    for key in ("audit", "audit_sealed", "audit_locked"):
        session.info.pop(key, None)


def install(target: Any) -> None:
    """Attach the seal to a sessionmaker: every commit seals what its transaction wrote."""
    event.listen(target, "before_commit", seal)
    event.listen(target, "after_commit", _after_end)
    event.listen(target, "after_rollback", _after_end)


def sign_head(conn: Any, desk_id: str, signer: Signer) -> None:
    """Sign the head as it stands (after a migration built the chain without the key)."""
    import base64

    seq, hash_, covered = conn.execute(select(AuditHead.seq, AuditHead.hash,
                                              AuditHead.change_seq)
                                       .where(AuditHead.id == 1)).one()
    sig = base64.b64encode(signer(head_message(desk_id, seq, hash_, covered))).decode()
    conn.execute(update(AuditHead).where(AuditHead.id == 1).values(signature=sig))


# -- checking ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold, and why (a message id with its values)."""

    seq: int
    msgid: str
    params: dict[str, Any]


ENTRY_COLUMNS = ("seq", *FIELDS[1:-1], "prev_hash", "hash")


def entries(conn: Any, table: Any = None, desk_id: str | None = None) -> Iterator[dict]:
    t = (table or AuditEntry).__table__
    stmt = select(*[t.c[k] for k in ENTRY_COLUMNS if k in t.c])
    if desk_id is not None and "desk_id" in t.c:
        stmt = stmt.where(t.c.desk_id == desk_id)
    result = conn.execute(stmt.order_by(t.c.seq), execution_options={"yield_per": 5000})
    for row in result:
        yield dict(row._mapping)


def check_links(rows: Iterator[dict], prev: str = GENESIS, start: int = 1
                ) -> Iterator[tuple[dict, Break | None]]:
    """Walk entries in order: each must follow the last and hash to what it says."""
    expected = start
    for r in rows:
        if r["seq"] != expected:
            yield r, Break(expected, N_("entry {seq} is missing"), {"seq": expected})
            return
        if r["prev_hash"] != prev:
            yield r, Break(r["seq"], N_("entry {seq} does not follow the one before it"),
                           {"seq": r["seq"]})
            return
        if entry_hash(r) != r["hash"]:
            yield r, Break(r["seq"], N_("entry {seq} was changed after it was written"),
                           {"seq": r["seq"]})
            return
        prev = r["hash"]
        expected += 1
        yield r, None
