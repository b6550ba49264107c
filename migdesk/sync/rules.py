"""The merge rule as one pure function: what to do with one incoming change, given the
record this side holds (or none), which parent records exist and who holds each live-unique
value. No database, no SQLAlchemy; sync/merge.py loads the inputs and carries the verdict
out, and tests/sync/test_decide.py checks it as a table of cases.

The rule is a field-level three-way merge on the journal's [old, new] pairs:
- a change to a record (or a parent) not here yet is held, and retried after every import;
- a new record is applied, unless its live-unique value (a candidate's personal number) is
  live here under another id: then it is a duplicate, stored held out of the live set;
- a field whose old value is what this side holds is applied, one whose new value is
  already here is a no-op, otherwise both sides changed it: a conflict (local value kept);
- a deletion meeting a local edit this side has not seen, or an edit meeting a local
  deletion, is a conflict; a resolution (reason RESOLVED) is applied as it is.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

RESOLVED = "sync:resolved"  # reason of a change that settles a conflict: applied as is
_NONE = (None, None)


class Decision(Enum):
    APPLY = "apply"
    CONFLICT = "conflict"  # some (or all) fields kept local; the rest, if any, applied
    HOLD = "hold"
    DUPLICATE = "duplicate"


class Incoming(Protocol):
    """What the rule reads of a change (sync/codec.py's Change has it)."""

    entity: str
    entity_id: str
    op: str  # create | update | delete
    version: int
    desk_id: str
    reason: str | None
    changes: dict[str, list[Any]]  # field -> [old, new] as JSON values


class Local(Protocol):
    """The record as this side holds it: content fields as JSON values, its version and the
    desk that changed it last (sync/merge.py's Rec has it)."""

    @property
    def vals(self) -> Mapping[str, Any]: ...

    @property
    def version(self) -> int: ...

    @property
    def updated_desk(self) -> str: ...


@dataclass(frozen=True)
class Record:
    """A plain Local (the tests' and any caller's without a writer)."""

    vals: Mapping[str, Any]
    version: int
    updated_desk: str


@dataclass(frozen=True)
class Known:
    """What else the rule needs to know of this side.

    `parents`: entity -> [(column, parent entity)] of its foreign keys; `present`: the
    (entity, id) of parent records that exist here (or arrive with the same import);
    `unique`: entity -> its live-unique column; `owners`: (entity, value) -> the id of the
    live record holding that value here."""

    parents: Mapping[str, Sequence[tuple[str, str]]]
    present: Container[tuple[str, str]]
    unique: Mapping[str, str] = field(default_factory=dict)
    owners: Mapping[tuple[str, str], str] = field(default_factory=dict)


@dataclass(frozen=True)
class Clash:
    """One conflict to queue: the field ("*" for the whole record), its kind
    (field | delete | deleted), this side's value and the incoming one (JSON values)."""

    field: str
    kind: str
    local: Any
    incoming: Any


@dataclass(frozen=True)
class Verdict:
    decision: Decision
    reason: str
    sets: Mapping[str, Any] = field(default_factory=dict)  # field -> new JSON value to write
    clashes: tuple[Clash, ...] = ()
    owner: str | None = None  # DUPLICATE: the id of the live record holding the value


# The verdicts of the common cases, shared (a large import decides hundreds of thousands).
HOLD_RECORD = Verdict(Decision.HOLD, "the record has not arrived yet")
HOLD_PARENT = Verdict(Decision.HOLD, "a record it belongs to has not arrived yet")
CREATE = Verdict(Decision.APPLY, "a new record")
NOTHING = Verdict(Decision.APPLY, "every value is already here")


def decide(local: Local | None, change: Incoming, known: Known) -> Verdict:
    """What to do with `change` (see the module docstring). For a new record (`local` is
    None) `sets` stays empty: every new value of the change is written."""
    changes = change.changes
    if local is None and change.op != "create":
        return HOLD_RECORD
    if change.op == "create":
        for col, parent in known.parents.get(change.entity, ()):
            pid = changes.get(col, _NONE)[1]
            if isinstance(pid, str) and (parent, pid) not in known.present:
                return HOLD_PARENT
    if local is None:
        ukey = known.unique.get(change.entity)
        if ukey is not None and changes.get("deleted", _NONE)[1] is not True:
            value = changes.get(ukey, _NONE)[1]
            if value:
                other = known.owners.get((change.entity, value))
                if other and other != change.entity_id:
                    return Verdict(Decision.DUPLICATE,
                                   f"its {ukey} is live here under another record",
                                   owner=other)
        return CREATE
    vals = local.vals
    if change.reason == RESOLVED:
        sets = {k: new for k, (_old, new) in changes.items() if vals.get(k) != new}
        return Verdict(Decision.APPLY, "a resolution, applied as it is", sets) if sets \
            else NOTHING
    local_deleted = vals.get("deleted") is True
    deleting = changes.get("deleted", _NONE)[1] is True
    if deleting and not local_deleted and local.version >= change.version \
            and local.updated_desk != change.desk_id:
        return Verdict(Decision.CONFLICT, "a deletion of a record changed here since",
                       clashes=(Clash("deleted", "delete", False, True),))
    if local_deleted and not deleting and change.op != "create":
        fields = {k: new for k, (_old, new) in changes.items() if vals.get(k) != new}
        if not fields:
            return NOTHING
        return Verdict(Decision.CONFLICT, "an edit of a record deleted here",
                       clashes=(Clash("*", "deleted", {"deleted": True}, fields),))
    ukey = known.unique.get(change.entity)
    sets = {}
    clashes = []
    for k, (old, new) in changes.items():
        cur = vals.get(k)
        if cur == new:
            continue
        if k == ukey and not local_deleted and \
                known.owners.get((change.entity, new), change.entity_id) != change.entity_id:
            clashes.append(Clash(k, "field", cur, new))  # taken here by another record
        elif cur == old:
            sets[k] = new
        else:
            clashes.append(Clash(k, "field", cur, new))
    if clashes:
        return Verdict(Decision.CONFLICT, "changed on both sides since their common version",
                       sets, tuple(clashes))
    if sets:
        return Verdict(Decision.APPLY, "changed on the other side only", sets)
    return NOTHING
