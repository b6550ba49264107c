"""The change journal and the sync fields, written by the session itself at flush time.

Every unit of work carries an `Actor` in `session.info`; before a flush the sync fields of
new and changed records are set (version, who, which desk, when), and after it one journal
row per record is appended in the same transaction, with field-level old → new values.
Hard deletes of synced records are refused: a tombstone (`deleted = True`) travels instead.
Runs on whatever thread owns the session.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Table, event, insert, inspect, select, update
from sqlalchemy.orm import Session, attributes

from migdesk.domain.names import search_key
from migdesk.store.base import BOOKKEEPING, Synced
from migdesk.store.bulk import Bulk
from migdesk.store.local import CandidateTerm, ChangeEntry
from migdesk.store.people import Candidate
from migdesk.store.types import new_id, new_ids, to_json_value, utcnow

_TERM_FIELDS = ("first_name_ka", "last_name_ka", "first_name_lat", "last_name_lat",
                "personal_number", "deleted")


@dataclass(frozen=True)
class Actor:
    """Who makes a change and on which desk."""

    officer: str
    desk_id: str


class HardDeleteRefused(RuntimeError):
    pass


def candidate_terms(first_ka: str, last_ka: str, first_lat: str, last_lat: str,
                    personal_number: str) -> set[str]:
    """The words a candidate can be found by (each name word in both scripts, the number)."""
    terms = {personal_number}
    for name in (first_ka, last_ka, first_lat, last_lat):
        if name:
            terms.update(_name_terms(name))
    return terms


@lru_cache(maxsize=16_384)
def _name_terms(name: str) -> tuple[str, ...]:
    """The search keys of one name's words (a pure function of the name: names repeat, and a
    load of a desk meets each a thousand times)."""
    return tuple(search_key(w)[:60] for w in _WORDS.split(name) if w)


_WORDS = re.compile(r"[ \-]+")


def _actor(session: Session) -> Actor:
    actor = session.info.get("actor")
    if not isinstance(actor, Actor):
        raise RuntimeError("a unit of work without an Actor tried to write")
    return actor


def _column_keys(obj: Any) -> list[str]:
    return [c.key for c in inspect(type(obj)).column_attrs]


def _stamp_new(obj: Synced, actor: Actor, now: Any) -> None:
    obj.id = obj.id or new_id()
    obj.created_at = obj.created_at or now
    obj.updated_at = now
    obj.created_by = obj.created_by or actor.officer
    obj.updated_by = actor.officer
    obj.origin_desk = obj.origin_desk or actor.desk_id
    obj.updated_desk = actor.desk_id
    obj.version = obj.version or 1
    if obj.deleted is None:
        obj.deleted = False


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    if session.info.get("replaying"):
        return  # sync import sets the fields itself, from the package
    synced = [o for o in (*session.new, *session.dirty) if isinstance(o, Synced)]
    actor = _actor(session) if synced else None
    now = utcnow()
    for obj in session.deleted:
        if isinstance(obj, Synced):
            raise HardDeleteRefused(f"{type(obj).__name__} must be tombstoned, not deleted")
    for obj in session.new:
        if isinstance(obj, Synced):
            assert actor is not None
            _stamp_new(obj, actor, now)
    for obj in session.dirty:
        if isinstance(obj, Synced) and session.is_modified(obj, include_collections=False):
            assert actor is not None
            obj.version = (obj.version or 0) + 1
            obj.updated_at = now
            obj.updated_by = actor.officer
            obj.updated_desk = actor.desk_id
            if obj.deleted and attributes.get_history(obj, "deleted").added:
                obj.deleted_at = now


def _after_flush(session: Session, _ctx: Any) -> None:
    if session.info.get("replaying"):
        return
    entries: list[dict[str, Any]] = []
    reindex: list[Candidate] = []
    now = utcnow()
    for obj in session.new:
        if isinstance(obj, Synced):
            changes = {
                k: [None, to_json_value(getattr(obj, k))]
                for k in _column_keys(obj)
                if k not in BOOKKEEPING and getattr(obj, k) is not None
                and not isinstance(getattr(obj, k), bytes)
            }
            entries.append(_entry(session, obj, "create", changes, now))
            if isinstance(obj, Candidate):
                reindex.append(obj)
    for obj in session.dirty:
        if not isinstance(obj, Synced):
            continue
        changes = {}
        for k in _column_keys(obj):
            if k in BOOKKEEPING:
                continue
            hist = attributes.get_history(obj, k)
            if hist.added or hist.deleted:
                old = hist.deleted[0] if hist.deleted else None
                new = hist.added[0] if hist.added else None
                if old != new:
                    changes[k] = [to_json_value(old), to_json_value(new)]
        if not changes:
            continue
        op = "delete" if changes.get("deleted") == [False, True] else "update"
        entries.append(_entry(session, obj, op, changes, now))
        if isinstance(obj, Candidate) and any(f in changes for f in _TERM_FIELDS):
            reindex.append(obj)
    conn = session.connection()
    if entries:
        conn.execute(insert(cast(Table, ChangeEntry.__table__)), entries)
    if reindex:
        write_terms(conn, [(c.id, None if c.deleted else c) for c in reindex])


def _entry(session: Session, obj: Synced, op: str, changes: dict[str, Any], now: Any) -> dict:
    actor = _actor(session)
    return {
        "change_id": new_id(),
        "at": now,
        "officer": actor.officer,
        "desk_id": actor.desk_id,
        "entity": type(obj).__tablename__,  # type: ignore[attr-defined]
        "entity_id": obj.id,
        "op": op,
        "version": obj.version,
        "changes": _json(changes),
        "reason": session.info.get("reason"),
    }


def _json(changes: dict[str, Any]) -> str:
    return json.dumps(changes, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def write_terms(conn: Any, items: Sequence[tuple[str, Any]], bulk: Bulk | None = None,
                fresh: bool = False) -> None:
    """Replace the search terms of candidates (records or dicts of their fields); an item
    with no candidate only clears them. `fresh`: the candidates have no terms yet (no delete
    pass). Written through `bulk` when given (the merge's, with its insert thread)."""
    bulk = bulk or Bulk(conn)
    if not fresh:
        bulk.delete(CandidateTerm.__table__, "candidate_id", [cid for cid, _ in items])
    rows = []
    for cid, c in items:
        if c is None:
            continue
        def get(k: str, _c: Any = c) -> Any:
            return _c.get(k) if isinstance(_c, dict) else getattr(_c, k)

        for t in candidate_terms(get("first_name_ka"), get("last_name_ka"),
                                 get("first_name_lat"), get("last_name_lat"),
                                 get("personal_number")):
            rows.append({"term": t, "candidate_id": cid})
    bulk.insert(CandidateTerm.__table__, rows)


def append_entry(conn: Any, *, entity: str, entity_id: str, op: str, version: int,
                 changes: dict[str, list[Any]], officer: str, desk_id: str,
                 reason: str | None, at: Any = None) -> None:
    """Journal one change made outside the flush hook (a resolution of the sync queues):
    the same row shape as the hook's."""
    conn.execute(insert(ChangeEntry).values(
        change_id=new_id(), at=at or utcnow(), officer=officer, desk_id=desk_id,
        entity=entity, entity_id=entity_id, op=op, version=version,
        changes=_json(changes), reason=reason))


def force(conn: Any, table: Any, entity_id: str, values: dict[str, Any],
          params: dict[str, Any], *, officer: str, desk_id: str, reason: str) -> None:
    """Set fields of a synced record outside the flush hook (an officer settling a sync
    conflict or duplicate) and journal it: `values` are the new JSON values, journalled beside
    the old ones, `params` the same as Python values, written; the sync fields and a
    candidate's search terms follow."""
    row = conn.execute(select(table).where(table.c.id == entity_id)).mappings().one()
    now = utcnow()
    changes = {k: [to_json_value(row[k]), v] for k, v in values.items()}
    version = row["version"] + 1
    params = dict(params, version=version, updated_at=now, updated_by=officer,
                  updated_desk=desk_id)
    if "deleted" in values:
        params["deleted_at"] = now if values["deleted"] else None
    conn.execute(update(table).where(table.c.id == entity_id).values(**params))
    append_entry(conn, entity=table.name, entity_id=entity_id, op="update", version=version,
                 changes=changes, officer=officer, desk_id=desk_id, reason=reason, at=now)
    if table.name == "candidate":
        fresh = conn.execute(select(table).where(table.c.id == entity_id)).mappings().one()
        write_terms(conn, [(entity_id, None if fresh["deleted"] else dict(fresh))])


def install(target: Any) -> None:
    """Attach the hooks to a sessionmaker (or Session class)."""
    event.listen(target, "before_flush", _before_flush)
    event.listen(target, "after_flush", _after_flush)


def bulk_create(session: Session, model: type[Synced], rows: Iterable[dict[str, Any]],
                reason: str | None = None) -> int:
    """Insert many new records fast (demo data, imports) with their journal rows.

    The same sync fields and journal shape as the flush hook, via executemany. The journal's
    `changes` text is assembled column by column from each value's JSON (`_JsonColumn`),
    the same text `_json` makes for the same record, at a fraction of the cost.
    """
    actor = _actor(session)
    now = utcnow()
    table = model.__table__  # type: ignore[attr-defined]
    cols = [c.key for c in inspect(model).column_attrs]
    stamp = dict(created_at=now, updated_at=now, created_by=actor.officer,
                 updated_by=actor.officer, origin_desk=actor.desk_id,
                 updated_desk=actor.desk_id, version=1, deleted=False)
    blank = dict.fromkeys(cols)
    records = [{**blank, **row, **stamp} for row in rows]
    if not records:
        return 0
    lacking = [r for r in records if r["id"] is None]
    for r, rid in zip(lacking, new_ids(len(lacking)), strict=True):
        r["id"] = rid
    first = records[0].keys()
    same = all(r.keys() == first for r in records)
    keys = sorted((first if same else {k for r in records for k in r}) - BOOKKEEPING)
    encoded = [_JsonColumn(k).encode(map(itemgetter(k), records) if same
                                      else (r.get(k) for r in records)) for k in keys]
    entries = [{
        "change_id": cid, "at": now, "officer": actor.officer, "desk_id": actor.desk_id,
        "entity": str(table.name), "entity_id": rec["id"], "op": "create", "version": 1,
        "changes": "{" + ",".join([v for v in parts if v is not None]) + "}",
        "reason": reason,
    } for rec, cid, parts in zip(records, new_ids(len(records)), zip(*encoded, strict=True),
                                 strict=True)]
    conn = session.connection()
    bulk = Bulk(conn)
    bulk.insert(table, records)
    bulk.insert(ChangeEntry.__table__, entries)
    if model is Candidate:
        # new records: no terms to replace (an id already here would have been refused)
        write_terms(conn, [(r["id"], r) for r in records], bulk, fresh=True)
    return len(records)


class _JsonColumn:
    """One column's `"key":[null,value]` members of the journal's changes text, as `_json`
    writes them (json.dumps with ensure_ascii=False, no spaces): None (no member) for a
    missing value or bytes; repeated objects (an enum member, the consent's text) are
    encoded once."""

    def __init__(self, key: str) -> None:
        self.head = encode_basestring(key) + ":[null,"

    def encode(self, values: Iterable[Any]) -> list[str | None]:
        head, out = self.head, []
        last: Any = _UNSET
        done: str | None = None
        for v in values:
            if v is not last:
                last = v
                kind = type(v)
                if kind is str:
                    done = head + encode_basestring(v) + "]"
                elif kind is dt.date:
                    done = head + '"' + v.isoformat() + '"]'
                elif v is None or kind is bytes:
                    done = None
                else:
                    done = head + _json_scalar(to_json_value(v)) + "]"
            out.append(done)
        return out


_UNSET = object()


def _json_scalar(v: Any) -> str:
    kind = type(v)
    if kind is str:
        return encode_basestring(v)
    if kind is bool or v is None:
        return "true" if v is True else "false" if v is False else "null"
    if kind is int:
        return int.__repr__(v)
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))
