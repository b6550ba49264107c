"""The merge rule (sync/rules.py) as a table of cases, without a database: each row a local
state, an incoming change, the expected decision (with what is written or queued) and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from migdesk.sync.rules import RESOLVED, Clash, Decision, Known, Record, decide

HERE, THERE = "desk-here", "desk-there"
CAND = "c-1"
PARENTS = {"status_change": [("candidate_id", "candidate")],
           "candidate_language": [("candidate_id", "candidate")]}
UNIQUE = {"candidate": "personal_number"}


@dataclass
class Change:
    entity: str = "candidate"
    entity_id: str = CAND
    op: str = "update"
    version: int = 2
    desk_id: str = THERE
    reason: str | None = None
    changes: dict[str, list[Any]] = field(default_factory=dict)


def local(version: int = 1, desk: str = HERE, **vals: Any) -> Record:
    return Record({"deleted": False, "personal_number": "01001012345", "phone": "555000000",
                  "last_name_ka": "ბერიძე", **vals}, version, desk)


def known(present: tuple = (), owners: dict | None = None) -> Known:
    return Known(PARENTS, set(present), UNIQUE, owners or {})


A, C, H, D = Decision.APPLY, Decision.CONFLICT, Decision.HOLD, Decision.DUPLICATE

CASES = [
    # (local, change, known, decision, sets, clashes, reason)
    pytest.param(None, Change(op="create", version=1, changes={
        "personal_number": [None, "01001012345"], "deleted": [None, False]}), known(),
        A, {}, (), id="new record: applied whole"),
    pytest.param(None, Change(changes={"phone": ["555000000", "555111111"]}), known(),
        H, {}, (), id="edit of a record not here yet: held"),
    pytest.param(None, Change(entity="status_change", entity_id="s-1", op="create",
                              changes={"candidate_id": [None, CAND]}), known(),
        H, {}, (), id="new child whose parent has not arrived: held"),
    pytest.param(None, Change(entity="status_change", entity_id="s-1", op="create",
                              changes={"candidate_id": [None, CAND]}),
        known(present=[("candidate", CAND)]),
        A, {}, (), id="new child whose parent is here: applied"),
    pytest.param(local(), Change(entity="candidate_language", entity_id="l-1", op="create",
                                 changes={"candidate_id": [None, "c-9"]}), known(),
        H, {}, (), id="a create met here already but its parent is missing: held"),
    pytest.param(None, Change(op="create", entity_id="c-2", changes={
        "personal_number": [None, "01001012345"]}),
        known(owners={("candidate", "01001012345"): CAND}),
        D, {}, (), id="new candidate whose personal number is live here: duplicate"),
    pytest.param(None, Change(op="create", entity_id="c-2", changes={
        "personal_number": [None, "01001012345"], "deleted": [None, True]}),
        known(owners={("candidate", "01001012345"): CAND}),
        A, {}, (), id="new candidate already deleted there: no duplicate"),
    pytest.param(None, Change(op="create", changes={
        "personal_number": [None, "01001012345"]}),
        known(owners={("candidate", "01001012345"): CAND}),
        A, {}, (), id="the live owner of the number is the record itself: applied"),
    pytest.param(local(), Change(changes={"phone": ["555000000", "555111111"]}), known(),
        A, {"phone": "555111111"}, (), id="old value is what is here: applied"),
    pytest.param(local(phone="555111111"), Change(changes={"phone": ["555000000",
                                                                     "555111111"]}),
        known(), A, {}, (), id="new value already here: nothing to do"),
    pytest.param(local(phone="555222222"), Change(changes={"phone": ["555000000",
                                                                     "555111111"]}),
        known(), C, {}, (Clash("phone", "field", "555222222", "555111111"),),
        id="both sides changed the field: conflict, local kept"),
    pytest.param(local(phone="555222222"), Change(changes={
        "phone": ["555000000", "555111111"], "last_name_ka": ["ბერიძე", "გელაშვილი"]}),
        known(), C, {"last_name_ka": "გელაშვილი"},
        (Clash("phone", "field", "555222222", "555111111"),),
        id="one field clashes, the other applies"),
    pytest.param(local(), Change(changes={"personal_number": ["01001012345",
                                                              "01001012399"]}),
        known(owners={("candidate", "01001012399"): "c-7"}), C, {},
        (Clash("personal_number", "field", "01001012345", "01001012399"),),
        id="new personal number held here by another live record: conflict"),
    pytest.param(local(version=3), Change(op="delete", version=2, changes={
        "deleted": [False, True]}), known(), C, {},
        (Clash("deleted", "delete", False, True),),
        id="deletion of a record edited here since: conflict"),
    pytest.param(local(version=1), Change(op="delete", version=2, changes={
        "deleted": [False, True]}), known(), A, {"deleted": True}, (),
        id="deletion of a record not changed here since: applied"),
    pytest.param(local(version=3, desk=THERE), Change(op="delete", version=2, changes={
        "deleted": [False, True]}), known(), A, {"deleted": True}, (),
        id="deletion from the desk that changed it last: applied"),
    pytest.param(local(deleted=True), Change(changes={"phone": ["555000000", "555111111"]}),
        known(), C, {}, (Clash("*", "deleted", {"deleted": True}, {"phone": "555111111"}),),
        id="edit of a record deleted here: conflict on the whole record"),
    pytest.param(local(deleted=True, phone="555111111"), Change(changes={
        "phone": ["555000000", "555111111"]}), known(), A, {}, (),
        id="edit of a deleted record that changes nothing: nothing to do"),
    pytest.param(local(phone="555222222"), Change(reason=RESOLVED, changes={
        "phone": ["555222222", "555111111"]}), known(), A, {"phone": "555111111"}, (),
        id="a resolution is applied as it is"),
    pytest.param(local(deleted=True), Change(reason=RESOLVED, changes={
        "deleted": [True, False]}), known(), A, {"deleted": False}, (),
        id="a resolution brings a deleted record back"),
]


@pytest.mark.parametrize("here, change, facts, decision, sets, clashes", CASES)
def test_decide(here, change, facts, decision, sets, clashes) -> None:
    verdict = decide(here, change, facts)
    assert verdict.decision is decision, verdict.reason
    assert dict(verdict.sets) == sets
    assert verdict.clashes == clashes
    assert verdict.reason  # every verdict says why


def test_a_duplicate_names_the_record_that_holds_the_number() -> None:
    verdict = decide(None, Change(op="create", entity_id="c-2", changes={
        "personal_number": [None, "01001012345"]}),
        known(owners={("candidate", "01001012345"): CAND}))
    assert verdict.owner == CAND and "personal_number" in verdict.reason


def test_the_rule_needs_no_database() -> None:
    """sync/rules.py imports neither SQLAlchemy nor the store (checked on its source, which
    is what the import linter sees)."""
    import inspect

    from migdesk.sync import rules

    source = inspect.getsource(rules)
    assert "sqlalchemy" not in source and "migdesk.store" not in source


@pytest.mark.parametrize("stored", ["2026-11-24 09:05:01.250000", "2026-11-24 09:05:01.000000",
                                    "2026-11-24 09:05:01"])
def test_an_export_line_is_the_same_from_stored_text_as_from_a_datetime(stored) -> None:
    """The export's fast line maker (a time as SQLite's stored text) writes exactly what
    encode_row writes from the datetime."""
    import datetime as dt

    from migdesk.sync.codec import LineMaker, encode_row

    at = dt.datetime.fromisoformat(stored).replace(tzinfo=dt.UTC)
    row = (7, "c-1", at, "ნინო \"ბ\"", HERE, "candidate", CAND, "update", 2,
           '{"phone":["1","2"]}', None)
    make = LineMaker()
    assert make(*row) == encode_row(*row)
    assert make(*(row[:2] + (stored,) + row[3:])) == encode_row(*row)
    assert make(*(row[:-1] + ("moved",))) == encode_row(*(row[:-1] + ("moved",)))
