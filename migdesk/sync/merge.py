"""One import's writer: loads what a package's changes need, asks the merge rule
(sync/rules.py, a pure function) what to do with each, and writes the outcome in batches
through the store's one bulk path (store/bulk.py), in the caller's one transaction.

Changes are processed in chunks: the records, parents and live-unique owners a chunk needs
are read in a few statements, each change is decided and carried out in memory, and the
chunk is written with executemany (COPY on PostgreSQL). A large load on SQLite has its
inserts made on a second thread (store/insert_thread.py) that the writer waits for before
it reads. Everything one import remembers lives in its Merger; nothing is kept between
imports. Call `close()` before rolling back.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, exists, func, literal, select, update
from sqlalchemy import LargeBinary as _LB

from migdesk.store.bulk import Bulk, among, stream_blob
from migdesk.store.db import is_sqlite_file
from migdesk.store.insert_thread import InsertThread
from migdesk.store.journal import write_terms
from migdesk.store.local import ChangeEntry
from migdesk.store.models import MODEL_BY_TABLE, SYNCED_MODELS
from migdesk.store.sync_tables import Conflict, Duplicate, HeldChange
from migdesk.store.types import to_json_value
from migdesk.sync.codec import Change, converters, decode, to_python
from migdesk.sync.rules import RESOLVED, Decision, Known, Verdict, decide

CHUNK = 5000
TERM_FIELDS = {"first_name_ka", "last_name_ka", "first_name_lat", "last_name_lat",
               "personal_number", "deleted"}
# Live-unique keys (partial unique indexes among records not tombstoned).
UNIQUE_LIVE = {"candidate": "personal_number", "partner_state": "iso_code", "program": "code"}
# A package of at least BULK_MIN changes is a large load: on SQLite its inserts are made on
# a second thread (store/insert_thread.py), and if it is also twice the journal here, it loads
# a whole desk (services/sync.py writes it through a rollback journal).
BULK_MIN = 20_000
ORDER = {m.__tablename__: i for i, m in enumerate(SYNCED_MODELS)}  # type: ignore[attr-defined]
# Ids created and key values taken by one import, remembered so that later chunks need not
# ask the database (which, with inserts still pending on the second thread, means waiting
# for them). Past this many per entity they are no longer remembered and it is asked again.
REMEMBER = 250_000
META = ("id", "created_at", "updated_at", "created_by", "updated_by", "origin_desk",
        "updated_desk", "version", "deleted_at")


@dataclass
class Stats:
    received: int = 0
    applied: int = 0
    known: int = 0
    conflicts: int = 0
    duplicates: int = 0
    held: int = 0
    released: int = 0


@dataclass
class Rec:
    """A record as the import holds it (the rule's `Local`)."""

    vals: dict[str, Any]  # content columns as JSON values
    meta: dict[str, Any]  # sync fields as Python values
    new: bool = False
    dirty: set[str] = field(default_factory=set)
    py: dict[str, Any] = field(default_factory=dict)  # Python values known for vals

    @property
    def version(self) -> int:
        return self.meta["version"]

    @property
    def updated_desk(self) -> str:
        return self.meta["updated_desk"]


@dataclass(frozen=True)
class Entity:
    """What the writer needs of one synced table, read from its model."""

    table: Table
    content: list[str]  # columns a change carries, without blobs
    blank: dict[str, Any]  # every content column None (copied for each new record)
    defaults: dict[str, Any]  # scalar defaults of the non-nullable content columns
    fks: list[tuple[str, str]]  # (column, parent entity)

    @classmethod
    def of(cls, name: str) -> Entity:
        table = MODEL_BY_TABLE[name].__table__  # type: ignore[attr-defined]
        conv = converters(name)
        content = [k for k in conv if not isinstance(table.c[k].type, _LB)]
        defaults = {c.key: c.default.arg for c in table.columns
                    if c.key in conv and not c.nullable and c.default is not None
                    and c.default.is_scalar}
        fks = [(col.key, fk.column.table.name) for col in table.columns
               for fk in col.foreign_keys]
        return cls(table, content, dict.fromkeys(content), defaults, fks)


class _Present:
    """The parent records the rule may count on: those loaded or made by this chunk, and
    those found (or made by earlier chunks) for it."""

    def __init__(self, state: dict[tuple[str, str], Rec], exists: set[tuple[str, str]]):
        self.state, self.exists = state, exists

    def __contains__(self, key: object) -> bool:
        return key in self.state or key in self.exists


def whole_desk_load(conn: Connection, expected: int) -> bool:
    """A package of at least BULK_MIN changes and twice the journal here loads a whole desk."""
    return expected >= BULK_MIN and expected >= 2 * (conn.execute(
        select(func.max(ChangeEntry.seq))).scalar() or 0)


class Merger:
    """One import: feed it (line number, change) pairs, then call `finish()`."""

    def __init__(self, conn: Connection, now: dt.datetime,
                 attachment: Callable[[str], bytes | None], expected: int = 0,
                 files: Any = None) -> None:
        """`files`, when given, streams attachments (`attachment_size(sha)`,
        `copy_attachment(sha, write)`, sync/package.py) into SQLite's blobs a megabyte at a
        time instead of `attachment(sha)` reading each whole."""
        self.conn, self.now, self.attachment = conn, now, attachment
        self.entities = {m.__tablename__: Entity.of(m.__tablename__)  # type: ignore[attr-defined]
                         for m in SYNCED_MODELS}
        fks = {name: e.fks for name, e in self.entities.items()}
        self.files = files if files is not None and conn.dialect.name == "sqlite" else None
        # Tables empty before this import: a create for them needs no look-up of the record.
        # (One statement for all of them: a round trip each cost a 100-change package on a
        # server a fifth of its time.)
        tables = [m.__table__ for m in SYNCED_MODELS]  # type: ignore[attr-defined]
        held = conn.execute(select(*[exists(select(literal(1)).select_from(t))
                                     for t in tables])).one()
        self.fresh = {t.name for t, some in zip(tables, held, strict=True) if not some}
        # Nothing journalled or held here yet: no change of the package can be known already
        # (one listed twice meets the journal's unique change id and refuses the package).
        self.first = conn.execute(select(func.max(ChangeEntry.seq))).scalar() is None and \
            conn.execute(select(HeldChange.change_id).limit(1)).first() is None
        # A large load on SQLite has its inserts made on a second thread (store/insert_thread)
        # while the next chunk is read and merged; `self.db` waits for them before any read.
        thread = None
        if expected >= BULK_MIN and is_sqlite_file(conn.engine):  # (in memory: one thread)
            thread = InsertThread(conn.connection.driver_connection)  # type: ignore[arg-type]
        self.out = Bulk(conn, thread, copy=True)
        # Parent records created by this import (they exist, whether written yet or not), and
        # for tables empty before it, every live-unique value its changes gave: a value not
        # among them is not in the table (None once there were too many to remember).
        self.made: dict[str, set[str]] = {p: set() for f in fks.values() for _c, p in f}
        self.given: dict[str, set[str] | None] = {e: set() for e in UNIQUE_LIVE
                                                  if e in self.fresh}
        self.stats = Stats()
        self.state: dict[tuple[str, str], Rec] = {}
        self.log: list[dict[str, Any]] = []
        self.conflicts: list[dict[str, Any]] = []
        self.duplicates: list[dict[str, Any]] = []
        self.held: list[dict[str, Any]] = []
        self.released: list[str] = []
        self.live: dict[tuple[str, str], str] = {}  # (entity, key value) -> live id
        self.exists: set[tuple[str, str]] = set()
        self.known = Known(fks, _Present(self.state, self.exists), UNIQUE_LIVE, self.live)
        # Candidates this import creates -> the change number that made each: once all is
        # applied, each must hold the status its history ends with (domain/rules.py).
        self.new_candidates: dict[str, int] = {}

    @property
    def db(self) -> Connection:
        """The connection, once the inserts still pending on the second thread are made."""
        self.out.drain()
        return self.conn

    def close(self) -> None:
        """Stop the second thread (what it has not started is dropped): call before a
        rollback, and after `finish()`."""
        self.out.close()

    # -- driving ------------------------------------------------------------------------
    def feed(self, items: Iterable[tuple[Change, str]]) -> None:
        batch: list[tuple[Change, str]] = []
        for item in items:
            batch.append(item)
            if len(batch) >= CHUNK:
                self._chunk(batch)
                batch = []
        if batch:
            self._chunk(batch)

    def finish(self) -> Stats:
        """Retry held changes whose record or parent has arrived, until nothing moves."""
        while True:
            rows = self.db.execute(select(HeldChange.change_id, HeldChange.line)
                                     .order_by(HeldChange.received_at)).all()
            if not rows:
                break
            before = self.stats.held
            self.released = [r.change_id for r in rows]
            self._chunk([(decode(r.line), r.line) for r in rows], retry=True)
            moved = len(rows) - (self.stats.held - before)
            self.stats.released += moved
            self.stats.held = before
            if moved == 0:
                break
        self.stats.held = len(self.db.execute(select(HeldChange.change_id)).all())
        self._check_histories()
        self.close()  # self.db has just waited for every insert: close() drops nothing
        return self.stats

    def _check_histories(self) -> None:
        """Refuse a created candidate whose status is not where its history ends (a status
        with no history at all, or one the history never reached)."""
        from migdesk.i18n import N_
        from migdesk.sync.codec import Malformed

        cand = MODEL_BY_TABLE["candidate"].__table__  # type: ignore[attr-defined]
        hist = MODEL_BY_TABLE["status_change"].__table__  # type: ignore[attr-defined]
        last = (select(hist.c.to_status).where(hist.c.candidate_id == cand.c.id)
                .order_by(hist.c.changed_at.desc()).limit(1).correlate(cand)
                .scalar_subquery())
        ids = list(self.new_candidates)
        for at in range(0, len(ids), 50_000):
            row = self.db.execute(select(cand.c.id, cand.c.status).where(
                among(self.conn, cand.c.id, ids[at:at + 50_000]),
                cand.c.deleted.is_(False), cand.c.status.is_distinct_from(last)).limit(1)
            ).first()
            if row is not None:
                raise Malformed(N_(
                    "change number {seq} gives a candidate the status “{status}”, which is "
                    "not where the candidate's status history ends"),
                    seq=self.new_candidates[row.id], status=getattr(row.status, "value",
                                                                     row.status))


    # -- one chunk -------------------------------------------------------------------------
    def _chunk(self, batch: list[tuple[Change, str]], retry: bool = False) -> None:
        ids = [c.change_id for c, _ in batch]
        known = set()
        if not retry:
            self.stats.received += len(batch)
        if not retry and not self.first:
            cl = ChangeEntry.__table__
            known = set(self.db.execute(select(cl.c.change_id).where(
                among(self.conn, cl.c.change_id, ids))).scalars())
            known |= set(self.db.execute(select(HeldChange.change_id).where(
                among(self.conn, HeldChange.change_id, ids))).scalars())
        todo = []
        seen: set[str] = set()  # earlier chunks are already in change_log / sync_held
        for c, line in batch:
            if not retry and (c.change_id in known or c.change_id in seen):
                self.stats.known += 1
                continue
            seen.add(c.change_id)
            todo.append((c, line))
        if retry:
            self.out.delete(HeldChange.__table__, "change_id", self.released)
        self._load(todo)
        for c, line in todo:
            self._apply(c, line)
        self._flush()

    def _load(self, todo: list[tuple[Change, str]]) -> None:
        wanted: dict[str, set[str]] = {}
        parents: dict[str, set[str]] = {}
        keys: dict[str, set[str]] = {}
        created: dict[str, set[str]] = {}
        for c, _ in todo:
            ukey = UNIQUE_LIVE.get(c.entity)
            if ukey:
                value = c.changes.get(ukey, [None, None])[1]
                if isinstance(value, str):
                    keys.setdefault(c.entity, set()).add(value)
            if c.op != "create" or c.entity not in self.fresh:
                wanted.setdefault(c.entity, set()).add(c.entity_id)
            if c.op == "create":
                created.setdefault(c.entity, set()).add(c.entity_id)
                for col, parent in self.entities[c.entity].fks:
                    pid = c.changes.get(col, [None, None])[1]
                    if isinstance(pid, str):
                        parents.setdefault(parent, set()).add(pid)
        self.exists.clear()
        for entity, ids in parents.items():
            ids -= created.get(entity, set())  # made in this chunk: found in self.state
            made = ids & self.made[entity]  # made by an earlier chunk
            self.exists.update((entity, pid) for pid in made)
            ids -= made
            if not ids:
                continue
            table = MODEL_BY_TABLE[entity].__table__  # type: ignore[attr-defined]
            for pid in self.db.execute(select(table.c.id).where(
                    among(self.conn, table.c.id, ids))).scalars():
                self.exists.add((entity, pid))
        for entity, ids in wanted.items():
            table = self.entities[entity].table
            cols = [table.c[k] for k in self.entities[entity].content]
            stmt = select(*cols, *[table.c[m] for m in META]).where(
                among(self.conn, table.c.id, ids))
            for row in self.db.execute(stmt).mappings():
                self.state[(entity, row["id"])] = Rec(
                    {k.key: to_json_value(row[k.key]) for k in cols},
                    {m: row[m] for m in META})
        self.live.clear()
        for entity, values in keys.items():
            given = self.given.get(entity)
            if given is not None:
                asked = values & given  # the others are in no record of the table
                given.update(values)
                if len(given) > REMEMBER:
                    self.given[entity] = None
                values = asked
            if not values:
                continue
            t = MODEL_BY_TABLE[entity].__table__  # type: ignore[attr-defined]
            col = t.c[UNIQUE_LIVE[entity]]
            for value, rid in self.db.execute(select(col, t.c.id).where(
                    among(self.conn, col, values), t.c.deleted.is_(False))):
                self.live[(entity, value)] = rid

    # -- one change ------------------------------------------------------------------------
    def _apply(self, c: Change, line: str) -> None:
        rec = self.state.get((c.entity, c.entity_id))
        verdict = decide(rec, c, self.known)
        if verdict.decision is Decision.HOLD:
            self._hold(c, line)
            return
        if rec is None:
            self._insert(c, verdict)
        else:
            self._update(rec, c, verdict)
        self.stats.applied += 1  # journalled here, whatever it changed
        self.log.append({"change_id": c.change_id, "at": c.at, "officer": c.officer,
                         "desk_id": c.desk_id, "entity": c.entity, "entity_id": c.entity_id,
                         "op": c.op, "version": c.version, "changes": c.raw_changes,
                         "reason": c.reason})

    def _hold(self, c: Change, line: str) -> None:
        self.stats.held += 1
        self.held.append({"change_id": c.change_id, "entity_id": c.entity_id,
                          "line": line.strip(), "received_at": self.now})

    def _insert(self, c: Change, verdict: Verdict) -> None:
        ent = self.entities[c.entity]
        vals = ent.blank | {k: pair[1] for k, pair in c.changes.items()}
        if vals["deleted"] is None:
            vals["deleted"] = False
        for k, v in ent.defaults.items():
            if vals[k] is None:
                vals[k] = v
        if verdict.decision is Decision.DUPLICATE:
            vals["deleted"] = True  # held out of the live set until an officer decides
            self.stats.duplicates += 1
            self.duplicates.append({"entity": c.entity, "local_id": verdict.owner,
                                    "incoming_id": c.entity_id,
                                    "incoming_desk": c.desk_id, "detected_at": self.now,
                                    "status": "open"})
        else:
            ukey = UNIQUE_LIVE.get(c.entity)
            if ukey and not vals["deleted"] and vals.get(ukey):
                self.live[(c.entity, vals[ukey])] = c.entity_id
        meta = {"id": c.entity_id, "created_at": c.at, "updated_at": c.at,
                "created_by": c.officer, "updated_by": c.officer, "origin_desk": c.desk_id,
                "updated_desk": c.desk_id, "version": c.version,
                "deleted_at": c.at if vals["deleted"] else None}
        made = self.made.get(c.entity)
        if made is not None and len(made) < REMEMBER:
            made.add(c.entity_id)
        if c.entity == "candidate":
            self.new_candidates[c.entity_id] = c.seq
        py = c.py  # the change is not used again once applied
        if vals["deleted"] is not py.get("deleted"):
            py["deleted"] = vals["deleted"]
        self.state[(c.entity, c.entity_id)] = Rec(vals, meta, new=True, py=py)

    def _update(self, rec: Rec, c: Change, verdict: Verdict) -> None:
        for k, new in verdict.sets.items():
            rec.vals[k] = new
            rec.py[k] = c.py[k]
            rec.dirty.add(k)
        if c.reason == RESOLVED:
            self._close_conflicts(c)
        for x in verdict.clashes:
            self._conflict(c, x.field, x.kind, x.local, x.incoming)
        changed = bool(verdict.sets)
        if changed:
            m = rec.meta
            m["version"] = max(m["version"] or 0, c.version)
            if c.at >= m["updated_at"]:
                m.update(updated_at=c.at, updated_by=c.officer, updated_desk=c.desk_id)
            if "deleted" in rec.dirty:
                m["deleted_at"] = c.at if rec.vals["deleted"] else None
            rec.dirty.update(("version", "updated_at", "updated_by", "updated_desk",
                              "deleted_at"))

    def _conflict(self, c: Change, fld: str, kind: str, local: Any,
                  incoming: Any) -> None:
        self.stats.conflicts += 1
        self.conflicts.append({
            "entity": c.entity, "entity_id": c.entity_id, "field": fld, "kind": kind,
            "local_value": json.dumps(local, ensure_ascii=False),
            "incoming_value": json.dumps(incoming, ensure_ascii=False),
            "change_id": c.change_id, "incoming_desk": c.desk_id,
            "incoming_officer": c.officer, "incoming_at": c.at, "detected_at": self.now,
            "status": "open"})

    def _close_conflicts(self, c: Change) -> None:
        fields = [*c.changes, "*"]
        self.db.execute(update(Conflict).where(
            Conflict.entity_id == c.entity_id, Conflict.status == "open",
            Conflict.field.in_(fields)
        ).values(status="resolved", resolution="elsewhere", resolved_by=c.officer,
                 resolved_at=self.now))
        self.conflicts = [x for x in self.conflicts
                          if not (x["entity_id"] == c.entity_id and x["field"] in fields)]

    # -- writing ---------------------------------------------------------------------------
    def _flush(self) -> None:
        conn = self.conn
        inserts: dict[str, list[dict[str, Any]]] = {}
        tomb: list[tuple[str, dict[str, Any]]] = []
        other: list[tuple[str, dict[str, Any]]] = []
        terms: list[tuple[str, Any]] = []
        fresh: list[tuple[str, Any]] = []
        files: list[tuple[dict[str, Any], Rec]] = []
        for (entity, eid), rec in self.state.items():
            if rec.new:
                # Fields the change did not carry hold None or a column default, which are
                # Python values already; the rest are in py, converted by the codec.
                row = rec.vals | rec.py
                row.update(rec.meta)
                if entity == "attachment":  # one at a time: a file is never held with others
                    files.append((row, rec))
                    continue
                inserts.setdefault(entity, []).append(row)
            elif rec.dirty:
                row = {"_id": eid}
                for k in rec.dirty:
                    row[k] = (rec.meta[k] if k in rec.meta else rec.py[k] if k in rec.py
                              else to_python(entity, k, rec.vals[k]))
                (tomb if rec.vals.get("deleted") and "deleted" in rec.dirty
                 else other).append((entity, row))
            else:
                continue
            if entity == "candidate" and rec.new:
                if not rec.vals.get("deleted"):
                    fresh.append((eid, rec.vals))
            elif entity == "candidate" and rec.dirty & TERM_FIELDS:
                terms.append((eid, None if rec.vals.get("deleted") else rec.vals))
        out = self.out
        self._updates(tomb)  # first: a tombstone frees its live-unique value
        for entity in sorted(inserts, key=ORDER.__getitem__):  # parents first
            out.insert(self.entities[entity].table, inserts[entity])
        for row, rec in files:  # after the records they belong to
            self._attach(row, rec)
        self._updates(other)
        if terms:
            write_terms(conn, terms, out)
        if fresh:  # new candidates have no terms yet: insert without the delete pass
            write_terms(conn, fresh, out, fresh=True)
        for table, rows in ((ChangeEntry.__table__, self.log),
                            (Conflict.__table__, self.conflicts),
                            (Duplicate.__table__, self.duplicates),
                            (HeldChange.__table__, self.held)):
            out.insert(table, rows)
        self.state.clear()
        self.log, self.conflicts, self.duplicates, self.held = [], [], [], []

    def _updates(self, rows: list[tuple[str, dict[str, Any]]]) -> None:
        by_entity: dict[str, list[dict[str, Any]]] = {}
        for entity, row in rows:
            by_entity.setdefault(entity, []).append(row)
        for entity, params in by_entity.items():
            self.out.update(self.entities[entity].table, params)

    def _attach(self, row: dict[str, Any], rec: Rec) -> None:
        """Insert one attachment record with its file: streamed into a blob of the right
        size on SQLite, read whole (at most package.MAX_ATTACHMENT bytes) elsewhere."""
        table = self.entities["attachment"].table
        if self.files is None:
            row["data"] = self._blob(rec)
            self.out.insert(table, [row], queue=False)
            return
        from migdesk.i18n import N_
        from migdesk.sync.codec import Malformed

        sha = rec.vals.get("sha256")
        size = self.files.attachment_size(sha) if isinstance(sha, str) else None
        if not isinstance(size, int) or size < 0:
            raise Malformed(N_("the file of attachment {sha} is missing"), sha=str(sha)[:64])
        row["data"] = b""
        self.out.insert(table, [row], queue=False)  # its parents are written before it
        written = [0]
        files = self.files

        def fill(write: Callable[[bytes], Any]) -> bool:
            def checked(chunk: bytes) -> None:
                if written[0] + len(chunk) > size:
                    raise Malformed(N_("the file of attachment {sha} is not what the record "
                                       "says"), sha=sha)
                write(chunk)
                written[0] += len(chunk)

            return bool(files.copy_attachment(sha, checked))

        good = stream_blob(self.conn, table.name, "data", row["id"], size, fill)
        if not good or written[0] != size:
            raise Malformed(N_("the file of attachment {sha} is not what the record says"),
                            sha=sha)

    def _blob(self, rec: Rec) -> bytes:
        sha = rec.vals.get("sha256")
        data = self.attachment(sha) if isinstance(sha, str) else None
        if data is None:
            from migdesk.i18n import N_
            from migdesk.sync.codec import Malformed

            raise Malformed(N_("the file of attachment {sha} is missing"), sha=str(sha)[:64])
        return data
