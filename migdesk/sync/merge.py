"""Applying a checked package's changes to a database, in the caller's one transaction.

Field-level three-way merge on the [old, new] pairs the journal keeps: an incoming change
whose old value is what this side holds is applied; one whose new value is already here is
a no-op; otherwise both sides changed the field since their common version, and it goes
to the conflicts queue (local value kept, incoming kept beside it). Tombstones travel; an
edit meeting a deletion is a conflict. A candidate whose personal number is live here under
another id is stored held (tombstoned) and queued as a duplicate. A change whose record (or
parent) has not arrived yet is held and retried after every import. Changes are processed in
chunks with batched reads and executemany writes, on the caller's connection; a large load
on SQLite has its inserts made on a second thread (store/insert_thread.py) that the merger
waits for before it reads. Call `close()` before rolling back.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    ARRAY,
    Boolean,
    Connection,
    Date,
    String,
    any_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy import LargeBinary as _LB

from migdesk.store.db import is_sqlite_file
from migdesk.store.insert_thread import InsertThread
from migdesk.store.journal import candidate_terms, write_terms
from migdesk.store.local import CandidateTerm, ChangeEntry
from migdesk.store.models import MODEL_BY_TABLE, SYNCED_MODELS
from migdesk.store.pg_copy import copy_rows
from migdesk.store.sync_tables import Conflict, Duplicate, HeldChange
from migdesk.store.types import UTCDateTime, to_json_value
from migdesk.sync.codec import RESOLVED, Change, converters, decode, to_python

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
    vals: dict[str, Any]  # content columns as JSON values
    meta: dict[str, Any]  # sync fields as Python values
    new: bool = False
    dirty: set[str] = field(default_factory=set)
    py: dict[str, Any] = field(default_factory=dict)  # Python values known for vals


@lru_cache(maxsize=64)
def _content(entity: str) -> list[str]:
    table = MODEL_BY_TABLE[entity].__table__  # type: ignore[attr-defined]
    return [k for k in converters(entity) if not isinstance(table.c[k].type, _LB)]


@lru_cache(maxsize=64)
def _blank(entity: str) -> dict[str, Any]:
    """Every content column of `entity` set to None (copied for each new record)."""
    return dict.fromkeys(_content(entity))


@lru_cache(maxsize=64)
def _defaults(entity: str) -> dict[str, Any]:
    table = MODEL_BY_TABLE[entity].__table__  # type: ignore[attr-defined]
    return {c.key: c.default.arg for c in table.columns
            if c.key in converters(entity) and not c.nullable and c.default is not None
            and c.default.is_scalar}


def _insert_many(conn: Connection, table: Any, rows: list[dict[str, Any]],
                 writer: InsertThread | None = None) -> None:
    """executemany at the driver level with SQLAlchemy's own bind processors (the ORM-free
    path costs a third of an import otherwise), or queued for `writer`'s thread."""
    dialect = conn.dialect
    procs = _binders(dialect, table)
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        _copy_many(conn, table, rows, procs)
        return
    compiled = insert(table).compile(dialect=dialect, column_keys=list(rows[0]))
    keys = list(compiled.positiontup or []) if compiled.positional else list(rows[0])
    get = itemgetter(*keys)
    bound = [(i, procs[k]) for i, k in enumerate(keys) if procs.get(k)]
    params: list[Any]
    if not bound and len(keys) > 1:
        params = [get(r) for r in rows]
    else:
        params = []
        for r in rows:
            values = list(get(r)) if len(keys) > 1 else [get(r)]
            for i, fn in bound:
                values[i] = fn(values[i])
            params.append(tuple(values))
    if writer is not None and compiled.positional:
        writer.insert(table.name, keys, params)
        return
    if not compiled.positional:
        params = [dict(zip(keys, v, strict=True)) for v in params]
    conn.exec_driver_sql(str(compiled), params)


def _sqlite_stamp(value: dt.datetime | None) -> str | None:
    """What UTCDateTime + SQLAlchemy's SQLite DATETIME store, in one step. A change's time
    is stored three times (created, updated, journal): the text is remembered."""
    if value is None:
        return None
    text = _STAMPS.get(value)
    if text is not None:
        return text
    if value.tzinfo is dt.UTC:  # what the codec makes: "YYYY-MM-DD HH:MM:SS.ffffff+00:00"
        text = value.isoformat(" ", "microseconds")[:26]
    elif value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    else:
        text = value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    if len(_STAMPS) >= 4 * CHUNK:
        _STAMPS.clear()
    _STAMPS[value] = text
    return text


_STAMPS: dict[dt.datetime, str] = {}


def _sqlite_day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _enum_text(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _binders(dialect: Any, table: Any) -> dict[str, Any]:
    """Column -> function making the driver's value. On SQLite the hot types are done
    directly (the values are already checked by the codec); the rest, and every type on
    other databases, use SQLAlchemy's own bind processors."""
    key = (dialect.name, table.name)
    found = _BINDERS.get(key)
    if found is None:
        found = {}
        for c in table.columns:
            t = c.type
            if dialect.name == "sqlite" and isinstance(t, UTCDateTime):
                found[c.key] = _sqlite_stamp
            elif dialect.name == "sqlite" and type(t) is Date:
                found[c.key] = _sqlite_day
            elif dialect.name == "sqlite" and isinstance(t, Boolean):
                found[c.key] = None  # a bool is an int to sqlite3
            elif dialect.name == "sqlite" and isinstance(t, SAEnum) and t.enum_class:
                found[c.key] = _enum_text  # the codec checked the text against t.enums
            else:
                found[c.key] = t._cached_bind_processor(dialect)
        _BINDERS[key] = found
    return found


_BINDERS: dict[tuple[str, str], dict[str, Any]] = {}


def _copy_many(conn: Connection, table: Any, rows: list[dict[str, Any]],
               procs: dict[str, Any]) -> None:
    """PostgreSQL: COPY ... FROM STDIN in the same transaction (several times faster than
    executemany for the thousands of rows of a package)."""
    keys = list(rows[0])
    copy_rows(conn.connection.driver_connection, table.name, keys, rows,
              [procs.get(k) for k in keys])  # store/pg_copy.py: COPY text in blocks


def _among(conn: Connection, col: Any, values: Iterable[str]) -> Any:
    """`col IN values` as one bound parameter (a JSON array on SQLite, an array on
    PostgreSQL): no limit on the number of values and one cached statement, where an
    expanding IN is compiled anew for every list."""
    items = list(values)
    if conn.dialect.name == "sqlite":
        each = func.json_each(bindparam("among", json.dumps(items), type_=String))
        return col.in_(select(each.table_valued("value").c.value))
    return col == any_(bindparam("among", items, type_=ARRAY(String)))


@lru_cache(maxsize=64)
def _fks(entity: str) -> list[tuple[str, str]]:
    table = MODEL_BY_TABLE[entity].__table__  # type: ignore[attr-defined]
    out = []
    for col in table.columns:
        for fk in col.foreign_keys:
            out.append((col.key, fk.column.table.name))
    return out


PARENTS = frozenset(parent for entity in MODEL_BY_TABLE for _col, parent in _fks(entity))


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
        self.writer: InsertThread | None = None
        if expected >= BULK_MIN and is_sqlite_file(conn.engine):  # (in memory: one thread)
            self.writer = InsertThread(conn.connection.driver_connection)  # type: ignore[arg-type]
        # Parent records created by this import (they exist, whether written yet or not), and
        # for tables empty before it, every live-unique value its changes gave: a value not
        # among them is not in the table (None once there were too many to remember).
        self.made: dict[str, set[str]] = {p: set() for p in PARENTS}
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
        # Candidates this import creates -> the change number that made each: once all is
        # applied, each must hold the status its history ends with (domain/rules.py).
        self.new_candidates: dict[str, int] = {}

    @property
    def db(self) -> Connection:
        """The connection, once the inserts still pending on the second thread are made."""
        if self.writer is not None:
            self.writer.drain()
        return self.conn

    def close(self) -> None:
        """Stop the second thread (what it has not started is dropped): call before a
        rollback, and after `finish()`."""
        if self.writer is not None:
            self.writer.close()

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
                _among(self.conn, cand.c.id, ids[at:at + 50_000]),
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
                _among(self.conn, cl.c.change_id, ids))).scalars())
            known |= set(self.db.execute(select(HeldChange.change_id).where(
                _among(self.conn, HeldChange.change_id, ids))).scalars())
        todo = []
        seen: set[str] = set()  # earlier chunks are already in change_log / sync_held
        for c, line in batch:
            if not retry and (c.change_id in known or c.change_id in seen):
                self.stats.known += 1
                continue
            seen.add(c.change_id)
            todo.append((c, line))
        if retry:
            self.db.execute(delete(HeldChange).where(
                HeldChange.change_id.in_(self.released)))
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
                for col, parent in _fks(c.entity):
                    pid = c.changes.get(col, [None, None])[1]
                    if isinstance(pid, str):
                        parents.setdefault(parent, set()).add(pid)
        self.exists = set()
        for entity, ids in parents.items():
            ids -= created.get(entity, set())  # made in this chunk: found in self.state
            made = ids & self.made[entity]  # made by an earlier chunk
            self.exists.update((entity, pid) for pid in made)
            ids -= made
            if not ids:
                continue
            table = MODEL_BY_TABLE[entity].__table__  # type: ignore[attr-defined]
            for pid in self.db.execute(select(table.c.id).where(
                    _among(self.conn, table.c.id, ids))).scalars():
                self.exists.add((entity, pid))
        for entity, ids in wanted.items():
            table = MODEL_BY_TABLE[entity].__table__  # type: ignore[attr-defined]
            cols = [table.c[k] for k in _content(entity)]
            meta = ["id", "created_at", "updated_at", "created_by", "updated_by",
                    "origin_desk", "updated_desk", "version", "deleted_at"]
            stmt = select(*cols, *[table.c[m] for m in meta]).where(
                _among(self.conn, table.c.id, ids))
            for row in self.db.execute(stmt).mappings():
                self.state[(entity, row["id"])] = Rec(
                    {k.key: to_json_value(row[k.key]) for k in cols},
                    {m: row[m] for m in meta})
        self.live = {}
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
                    _among(self.conn, col, values), t.c.deleted.is_(False))):
                self.live[(entity, value)] = rid

    # -- one change ------------------------------------------------------------------------
    def _apply(self, c: Change, line: str) -> None:
        rec = self.state.get((c.entity, c.entity_id))
        if rec is None:
            if c.op != "create" or not self._parents_present(c):
                self._hold(c, line)
                return
            self._insert(c)
        elif c.op == "create" and not self._parents_present(c):
            self._hold(c, line)
            return
        else:
            self._update(rec, c)
        self.stats.applied += 1
        self.log.append({"change_id": c.change_id, "at": c.at, "officer": c.officer,
                         "desk_id": c.desk_id, "entity": c.entity, "entity_id": c.entity_id,
                         "op": c.op, "version": c.version, "changes": c.raw_changes,
                         "reason": c.reason})

    def _parents_present(self, c: Change) -> bool:
        for col, parent in _fks(c.entity):
            pid = c.changes.get(col, [None, None])[1]
            if isinstance(pid, str) and (parent, pid) not in self.state \
                    and (parent, pid) not in self.exists:
                return False
        return True

    def _hold(self, c: Change, line: str) -> None:
        self.stats.held += 1
        self.held.append({"change_id": c.change_id, "entity_id": c.entity_id,
                          "line": line.strip(), "received_at": self.now})

    def _insert(self, c: Change) -> None:
        vals = _blank(c.entity).copy()
        for k, pair in c.changes.items():
            vals[k] = pair[1]
        if vals["deleted"] is None:
            vals["deleted"] = False
        for k, v in _defaults(c.entity).items():
            if vals[k] is None:
                vals[k] = v
        ukey = UNIQUE_LIVE.get(c.entity)
        if ukey and not vals["deleted"] and vals.get(ukey):
            other = self.live.get((c.entity, vals[ukey]))
            if other and other != c.entity_id:
                vals["deleted"] = True  # held out of the live set until an officer decides
                self.stats.duplicates += 1
                self.duplicates.append({"entity": c.entity, "local_id": other,
                                        "incoming_id": c.entity_id,
                                        "incoming_desk": c.desk_id, "detected_at": self.now,
                                        "status": "open"})
            else:
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

    def _update(self, rec: Rec, c: Change) -> None:
        changed = False
        if c.reason == RESOLVED:
            for k, (_old, new) in c.changes.items():
                if rec.vals.get(k) != new:
                    rec.vals[k] = new
                    rec.py[k] = c.py[k]
                    rec.dirty.add(k)
                    changed = True
            self._close_conflicts(c)
        else:
            local_deleted = rec.vals.get("deleted") is True
            deleting = c.changes.get("deleted", [None, None])[1] is True
            if deleting and not local_deleted and rec.meta["version"] >= c.version \
                    and rec.meta["updated_desk"] != c.desk_id:
                self._conflict(rec, c, "deleted", "delete", False, True)
                return
            if local_deleted and not deleting and c.op != "create":
                fields = {k: v[1] for k, v in c.changes.items()
                          if rec.vals.get(k) != v[1]}
                if fields:
                    self._conflict(rec, c, "*", "deleted", {"deleted": True}, fields)
                return
            ukey = UNIQUE_LIVE.get(c.entity)
            for k, (old, new) in c.changes.items():
                cur = rec.vals.get(k)
                if cur == new:
                    continue
                if k == ukey and self.live.get((c.entity, new), c.entity_id) != c.entity_id \
                        and not rec.vals.get("deleted"):
                    self._conflict(rec, c, k, "field", cur, new)  # taken here by another
                    continue
                if cur == old:
                    rec.vals[k] = new
                    rec.py[k] = c.py[k]
                    rec.dirty.add(k)
                    changed = True
                else:
                    self._conflict(rec, c, k, "field", cur, new)
        if changed:
            m = rec.meta
            m["version"] = max(m["version"] or 0, c.version)
            if c.at >= m["updated_at"]:
                m.update(updated_at=c.at, updated_by=c.officer, updated_desk=c.desk_id)
            if "deleted" in rec.dirty:
                m["deleted_at"] = c.at if rec.vals["deleted"] else None
            rec.dirty.update(("version", "updated_at", "updated_by", "updated_desk",
                              "deleted_at"))

    def _conflict(self, rec: Rec, c: Change, fld: str, kind: str, local: Any,
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
        self._updates(tomb)
        for entity in sorted(inserts, key=ORDER.__getitem__):
            table = MODEL_BY_TABLE[entity].__table__  # type: ignore[attr-defined]
            _insert_many(conn, table, inserts[entity], self.writer)
        for row, rec in files:  # after the records they belong to
            self._attach(row, rec)
        self._updates(other)
        if terms:
            write_terms(self.db, terms)
        if fresh:  # new candidates have no terms yet: insert without the delete pass
            rows = [{"term": t, "candidate_id": cid} for cid, v in fresh
                    for t in candidate_terms(v["first_name_ka"], v["last_name_ka"],
                                             v["first_name_lat"], v["last_name_lat"],
                                             v["personal_number"])]
            if rows:
                _insert_many(conn, CandidateTerm.__table__, rows, self.writer)
        for table, rows in ((ChangeEntry.__table__, self.log),
                            (Conflict.__table__, self.conflicts),
                            (Duplicate.__table__, self.duplicates),
                            (HeldChange.__table__, self.held)):
            if rows:
                _insert_many(conn, table, rows, self.writer)
        self.state.clear()
        self.log, self.conflicts, self.duplicates, self.held = [], [], [], []

    def _updates(self, rows: list[tuple[str, dict[str, Any]]]) -> None:
        groups: dict[tuple[str, frozenset[str]], list[dict[str, Any]]] = {}
        for entity, row in rows:
            groups.setdefault((entity, frozenset(row)), []).append(row)
        for (entity, _keys), params in groups.items():
            table = MODEL_BY_TABLE[entity].__table__  # type: ignore[attr-defined]
            self.db.execute(update(table).where(table.c.id == bindparam("_id")), params)

    def _attach(self, row: dict[str, Any], rec: Rec) -> None:
        """Insert one attachment record with its file: streamed into a blob of the right
        size on SQLite, read whole (at most package.MAX_ATTACHMENT bytes) elsewhere."""
        table = MODEL_BY_TABLE["attachment"].__table__  # type: ignore[attr-defined]
        conn = self.db  # its parents are written before it
        if self.files is None:
            row["data"] = self._blob(rec)
            _insert_many(conn, table, [row])
            return
        from migdesk.i18n import N_
        from migdesk.sync.codec import Malformed

        sha = rec.vals.get("sha256")
        size = self.files.attachment_size(sha) if isinstance(sha, str) else None
        if not isinstance(size, int) or size < 0:
            raise Malformed(N_("the file of attachment {sha} is missing"), sha=str(sha)[:64])
        row["data"] = b""
        _insert_many(conn, table, [row])
        raw = conn.connection.driver_connection
        rowid = raw.execute("SELECT rowid FROM attachment WHERE id = ?",  # type: ignore[union-attr]
                            (row["id"],)).fetchone()[0]
        raw.execute("UPDATE attachment SET data = zeroblob(?) WHERE rowid = ?",  # type: ignore[union-attr]
                    (size, rowid))
        written = [0]
        with raw.blobopen("attachment", "data", rowid) as blob:  # type: ignore[union-attr]
            def write(chunk: bytes) -> None:
                if written[0] + len(chunk) > size:
                    raise Malformed(N_("the file of attachment {sha} is not what the record "
                                       "says"), sha=sha)
                blob.write(chunk)
                written[0] += len(chunk)

            good = self.files.copy_attachment(sha, write)
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
