"""One change as a line of JSON: writing it from the journal and reading it back, checking
every field against the schema (entity, column, type) so a malformed row is refused."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import Boolean, Date, Integer, LargeBinary, String, Text
from sqlalchemy import Enum as SAEnum

from migdesk.domain import rules
from migdesk.domain.errors import FieldError, ValidationError
from migdesk.domain.partial_date import PartialDate
from migdesk.i18n import N_
from migdesk.store.base import BOOKKEEPING
from migdesk.store.models import MODEL_BY_TABLE
from migdesk.store.types import DecimalText, PartialDateType, UTCDateTime
from migdesk.sync.rules import RESOLVED  # noqa: F401 (re-exported: codec.RESOLVED)

OPS = ("create", "update", "delete")


class Malformed(ValueError):
    """A line that breaks the format: msgid and parameters for the refusal message."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params


@dataclass(frozen=True)
class Reason:
    """A domain rule's own message inside a refusal, shown in each language (a parameter
    whose `label(lang)` the message formatting calls); quoted values are made harmless."""

    msgid: str
    params: dict[str, Any]

    @classmethod
    def of(cls, exc: ValidationError) -> Reason:
        e = exc.errors[0]
        return cls(e.msgid, {k: rules.shown(v) if isinstance(v, str) else v
                             for k, v in e.params.items()})

    def label(self, lang: str) -> str:
        return FieldError(None, self.msgid, self.params).message(lang)

    def to_json(self) -> dict[str, Any]:
        return {"__reason__": self.msgid, "params": {
            k: getattr(v, "value", v) for k, v in self.params.items()}}


def refused_by_rule(name: str, exc: ValidationError) -> Malformed:
    return Malformed(N_("“{field}” breaks a rule: {reason}"), field=name, reason=Reason.of(exc))


@dataclass
class Change:
    change_id: str
    seq: int
    desk_id: str
    officer: str
    at: dt.datetime
    entity: str
    entity_id: str
    op: str
    version: int
    reason: str | None
    changes: dict[str, list[Any]]  # field -> [old, new] as JSON values
    raw_changes: str
    py: dict[str, Any] = field(default_factory=dict)  # field -> new value as Python


def encode_row(seq: int, change_id: str, at: dt.datetime, officer: str, desk_id: str,
               entity: str, entity_id: str, op: str, version: int, changes: str,
               reason: str | None) -> str:
    """A journal row as one line; `changes` is already JSON and is copied as it is.

    Ids, entity and op are plain ASCII written by migdesk; free text goes through json."""
    officer_j = json.dumps(officer, ensure_ascii=False)
    reason_j = "null" if reason is None else json.dumps(reason, ensure_ascii=False)
    stamp = at.astimezone(dt.UTC).isoformat()
    return (f'{{"change_id": "{change_id}", "seq": {seq}, "desk_id": "{desk_id}", '
            f'"officer": {officer_j}, "at": "{stamp}", "entity": "{entity}", '
            f'"entity_id": "{entity_id}", "op": "{op}", "version": {version}, '
            f'"reason": {reason_j}, "changes": {changes}}}\n')


class LineMaker:
    """`encode_row` for the many rows of one export, with the same text: each officer's and
    reason's JSON is made once, and a time may come as SQLite's stored text
    ("YYYY-MM-DD HH:MM:SS.ffffff", UTC), turned into the ISO form without a datetime."""

    def __init__(self) -> None:
        self._json: dict[str | None, str] = {None: "null"}

    def _text(self, value: str | None) -> str:
        found = self._json.get(value)
        if found is None:
            found = self._json[value] = json.dumps(value, ensure_ascii=False)
            if len(self._json) > 10_000:
                self._json = {None: "null"}
        return found

    def __call__(self, seq: int, change_id: str, at: dt.datetime | str, officer: str,
                 desk_id: str, entity: str, entity_id: str, op: str, version: int,
                 changes: str, reason: str | None) -> str:
        if type(at) is str and len(at) == 26 and at[10] == " " and at[19] == ".":
            stamp = f"{at[:10]}T{at[11:19] if at.endswith('.000000') else at[11:]}+00:00"
        else:
            if isinstance(at, str):
                at = dt.datetime.fromisoformat(at).replace(tzinfo=dt.UTC)
            stamp = at.astimezone(dt.UTC).isoformat()
        known = self._json
        officer_j = known.get(officer) or self._text(officer)
        reason_j = known.get(reason) or self._text(reason)
        return (f'{{"change_id": "{change_id}", "seq": {seq}, "desk_id": "{desk_id}", '
                f'"officer": {officer_j}, "at": "{stamp}", "entity": "{entity}", '
                f'"entity_id": "{entity_id}", "op": "{op}", "version": {version}, '
                f'"reason": {reason_j}, "changes": {changes}}}\n')


_UUID_TEXT = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_UUID = re.compile(_UUID_TEXT + r"\Z")
_UUIDS = re.compile(f"{_UUID_TEXT} {_UUID_TEXT} {_UUID_TEXT}\\Z")  # three, in one match


def _uuid(value: Any, name: str) -> str:
    if not isinstance(value, str) or not _UUID.match(value):
        raise Malformed(N_("“{field}” is not an identifier"), field=name)
    return value


def _aware(value: Any) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("naive")
    return moment.astimezone(dt.UTC)


def _converter(col: Any) -> Callable[[Any], Any]:
    t = col.type
    limit = getattr(t, "length", None)
    if isinstance(t, UTCDateTime):
        return _moment
    if isinstance(t, PartialDateType):
        return lambda v: rules.check_partial(PartialDate.parse(_str(v)))
    if isinstance(t, DecimalText):
        return _decimal
    if isinstance(t, SAEnum):
        allowed = frozenset(t.enums)
        return lambda v: _member(v, allowed)
    if isinstance(t, Boolean):
        return _bool
    if isinstance(t, Date):
        return lambda v: rules.check_day(dt.date.fromisoformat(_str(v)))
    if isinstance(t, Integer):
        return _int
    if isinstance(t, LargeBinary):
        return _never
    if isinstance(t, String):  # Text is a String
        return lambda v: _text(v, limit)
    return _never


def _moment(v: Any) -> dt.datetime:
    moment = _aware(_str(v))
    rules.check_day(moment.date())
    return moment


def _str(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError("not text")
    return v


def _text(v: Any, limit: int | None) -> str:
    s = _str(v)
    if limit and len(s) > limit:
        raise ValueError("too long")
    return s


def _decimal(v: Any) -> Decimal:
    try:
        d = Decimal(_str(v))
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not d.is_finite():
        raise ValueError("not finite")
    return d


def _member(v: Any, allowed: frozenset[str]) -> str:
    if v not in allowed:
        raise ValueError("unknown value")
    return str(v)


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise ValueError("not a boolean")
    return v


def _int(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise ValueError("not a whole number")
    if not rules.SMALL_INT[0] <= v <= rules.SMALL_INT[1]:
        raise ValueError("too large")
    return v


def _never(v: Any) -> Any:
    raise ValueError("not allowed in a change")


@lru_cache(maxsize=64)
def converters(entity: str) -> dict[str, Callable[[Any], Any]]:
    """Column -> JSON-to-Python converter, for the columns a change may carry."""
    table = MODEL_BY_TABLE[entity].__table__  # type: ignore[attr-defined]
    out = {}
    for col in table.columns:
        if col.key not in BOOKKEEPING:
            out[col.key] = _converter(col)
    return out


@lru_cache(maxsize=64)
def _checks(entity: str) -> dict[str, tuple[int, Callable[[Any], Any] | None, Any,
                                          Callable[[Any], Any] | None, Any]]:
    """Column -> (length limit, None, pattern of forbidden characters, rule, pattern) for
    text columns, (0, converter, None, rule, None) for the others; `rule` is the form's own
    parser (domain/rules.py) where the field has one beyond type, length and clean text, and
    the last pattern matches values it certainly accepts as they are."""
    table = MODEL_BY_TABLE[entity].__table__  # type: ignore[attr-defined]
    out: dict[str, tuple[int, Callable[[Any], Any] | None, Any,
                         Callable[[Any], Any] | None, Any]] = {}
    for key, fn in converters(entity).items():
        t = table.c[key].type
        rule = rules.RULES.get((entity, key))
        if type(t) in (String, Text):
            most = min(t.length or sys.maxsize, rules.limit(entity, key, rules.LONGEST))
            # A sized column holds one line; a Text column may hold several.
            out[key] = (most, None, rules.forbidden(multiline=t.length is None), rule,
                        rules.ALREADY.get((entity, key)))
        else:
            out[key] = (0, fn, None, rule, None)
    return out


def to_python(entity: str, field: str, value: Any) -> Any:
    return None if value is None else converters(entity)[field](value)


_REQUIRED_ORDER = ("change_id", "seq", "desk_id", "officer", "at", "entity", "entity_id", "op",
                   "version", "changes")
_REQUIRED = frozenset(_REQUIRED_ORDER)


def decode(line: str) -> Change:
    """Parse and check one line; raise Malformed naming the problem."""
    try:
        data = orjson.loads(line)
    except ValueError:
        raise Malformed(N_("not valid JSON")) from None
    if type(data) is not dict:
        raise Malformed(N_("not valid JSON"))
    if not _REQUIRED.issubset(data):
        missing = next(key for key in _REQUIRED_ORDER if key not in data)
        raise Malformed(N_("the field “{field}” is missing"), field=missing)
    entity = data["entity"]
    if type(entity) is not str or entity not in MODEL_BY_TABLE:
        raise Malformed(N_("unknown kind of record “{entity}”"), entity=str(entity)[:40])
    op = data["op"]
    if type(op) is not str or op not in OPS:
        raise Malformed(N_("unknown operation “{op}”"), op=str(op)[:20])
    seq, version = data["seq"], data["version"]
    if type(seq) is not int or seq < 1:  # type() is exact: a JSON true is not a number
        raise Malformed(N_("“{field}” is not a positive whole number"), field="seq")
    if type(version) is not int or version < 1:
        raise Malformed(N_("“{field}” is not a positive whole number"), field="version")
    officer, reason = data["officer"], data.get("reason")
    if type(officer) is not str or len(officer) > 64:
        raise Malformed(N_("“{field}” is not valid"), field="officer")
    if reason is not None and type(reason) is not str:
        raise Malformed(N_("“{field}” is not valid"), field="reason")
    try:
        at = _aware(_str(data["at"]))
    except ValueError:
        raise Malformed(N_("“{field}” is not valid"), field="at") from None
    changes = data["changes"]
    if not isinstance(changes, dict):
        raise Malformed(N_("“{field}” is not valid"), field="changes")
    if reason is not None and (len(reason) > 4000 or rules.forbidden(True).search(reason)):
        raise Malformed(N_("“{field}” is not valid"), field="reason")
    if rules.forbidden(False).search(officer):
        raise Malformed(N_("“{field}” is not valid"), field="officer")
    checks = _checks(entity)
    py: dict[str, Any] = {}
    for name, pair in changes.items():
        check = checks.get(name)
        if check is None:
            raise Malformed(N_("unknown field “{field}” of “{entity}”"),
                            field=rules.shown(name, 60), entity=entity)
        if type(pair) is not list or len(pair) != 2:
            raise Malformed(N_("the change of “{field}” is not a pair [old, new]"), field=name)
        old, new = pair
        limit, fn, bad, rule, already = check
        if fn is None:  # text, the most common case, checked inline
            if (old is not None and (type(old) is not str or len(old) > limit)) or \
                    (new is not None and type(new) is not str):
                raise Malformed(N_("a value of “{field}” is not valid"), field=name)
            if new is not None and (len(new) > limit or bad.search(new) is not None):
                try:
                    rules.check_text(new, limit, multiline=bad is rules.forbidden(True))
                except ValidationError as exc:
                    raise refused_by_rule(name, exc) from None
            py[name] = new
        else:
            try:
                if old is not None:
                    fn(old)
                py[name] = None if new is None else fn(new)
            except ValidationError as exc:  # a date out of range, say
                raise refused_by_rule(name, exc) from None
            except Exception:
                raise Malformed(N_("a value of “{field}” is not valid"), field=name) from None
        if rule is not None and new is not None:
            if already is not None and already.match(new):
                continue
            try:
                if rule(py[name]) != py[name]:
                    rules.check_value(entity, name, py[name])  # raises, saying why
            except ValidationError as exc:
                raise refused_by_rule(name, exc) from None
    row_rule = rules.ROW_RULES.get(entity)
    if row_rule is not None and data["op"] == "create":
        try:
            row_rule(py)
        except ValidationError as exc:
            raise refused_by_rule(exc.errors[0].field or entity, exc) from None
    if entity == "status_change" and data["op"] == "create" and "to_status" in py:
        try:
            rules.check_status_step(py.get("from_status"), py["to_status"])
        except ValidationError as exc:
            raise refused_by_rule("to_status", exc) from None
    raw = _raw_changes(line, data, changes)
    change_id, desk_id, entity_id = data["change_id"], data["desk_id"], data["entity_id"]
    if type(change_id) is not str or type(desk_id) is not str or type(entity_id) is not str \
            or not _UUIDS.match(f"{change_id} {desk_id} {entity_id}"):
        for name in ("change_id", "desk_id", "entity_id"):
            _uuid(data[name], name)
    return Change(change_id, seq, desk_id, officer, at, entity, entity_id, op, version, reason,
                  changes, raw, py)


def _raw_changes(line: str, data: dict[str, Any], changes: dict[str, Any]) -> str:
    """The journal text of `changes`: the line's own text when migdesk wrote it (changes last),
    else written anew."""
    if next(reversed(data)) == "changes":
        at_key = line.rfind('"changes": ')
        tail = line[at_key + 11:].rstrip()
        if at_key > 0 and tail.endswith("}"):
            return tail[:-1]
    return json.dumps(changes, ensure_ascii=False, sort_keys=True)


def decode_checked_elsewhere(line: str, times: dict[str, dt.datetime] | None = None
                             ) -> Change:
    """The Change of a line that `decode` is checking at the same time in another process
    (sync/verify.py): for a good line the same result, without the checks. A bad line may
    raise anything or give nonsense; the caller throws the work away when the check reports
    the line, and commits nothing before the check has passed every line. `times`, when
    given, remembers the parsed change times for the next lines (one import's changes share
    a few thousand times)."""
    data = orjson.loads(line)
    entity, changes = data["entity"], data["changes"]
    py = {name: pair[1] for name, pair in changes.items()}
    for name, fn in _loaders(entity).items():
        value = py.get(name)
        if value is not None:
            py[name] = fn(value)
    text = data["at"]
    at = times.get(text) if times is not None else None
    if at is None:
        at = _aware(text)
        if times is not None:
            if len(times) > 50_000:
                times.clear()
            times[text] = at
    return Change(data["change_id"], data["seq"], data["desk_id"], data["officer"],
                  at, entity, data["entity_id"], data["op"], data["version"],
                  data.get("reason"), changes, _raw_changes(line, data, changes), py)


@lru_cache(maxsize=64)
def _loaders(entity: str) -> dict[str, Callable[[Any], Any]]:
    """Column -> JSON-to-Python for a line checked elsewhere: only the columns whose Python
    value is not the JSON value itself (times, dates, partial dates, amounts), unchecked."""
    table = MODEL_BY_TABLE[entity].__table__  # type: ignore[attr-defined]
    out: dict[str, Callable[[Any], Any]] = {}
    for col in table.columns:
        t = col.type
        if col.key in BOOKKEEPING:
            continue
        if isinstance(t, UTCDateTime):
            out[col.key] = _aware
        elif isinstance(t, PartialDateType):
            out[col.key] = PartialDate.parse
        elif isinstance(t, DecimalText):
            out[col.key] = Decimal
        elif isinstance(t, Date):
            out[col.key] = dt.date.fromisoformat
    return out
