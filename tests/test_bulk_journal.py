"""The bulk writer's journal rows say what the flush hook's would: the same `changes` text
(json.dumps with sorted keys, no spaces, no ASCII escaping), ids of the same kind."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal

from sqlalchemy import select

from migdesk.domain.statuses import CandidateStatus
from migdesk.domain.vocab import Sex
from migdesk.store.base import BOOKKEEPING
from migdesk.store.journal import _json, bulk_create
from migdesk.store.local import ChangeEntry
from migdesk.store.people import Candidate, Placement
from migdesk.store.types import new_ids, to_json_value
from tests.helpers import admin


def _expected(obj) -> str:  # type: ignore[no-untyped-def]
    """The changes text of a created record as the flush hook writes it."""
    rec = {k: getattr(obj, k) for k in obj.__table__.columns.keys()}
    return _json({k: [None, to_json_value(v)] for k, v in rec.items()
                  if k not in BOOKKEEPING and v is not None and not isinstance(v, bytes)})


def test_changes_text_is_the_flush_hooks(app):
    admin(app)
    tricky = ['a "quoted" \\ back', "tab\there\nnew\x01\x1f\x7f", "ნინო — ‘’ \u2028 😀", None]
    rows = [dict(personal_number=f"0100000000{i}", first_name_ka="ნინო", last_name_ka="ბერიძე",
                 first_name_lat="NINO", last_name_lat="BERIDZE",
                 birth_date=dt.date(1990, 1, 1 + i), sex=Sex.F if i % 2 else None,
                 region="GE-TB" if i % 3 else None, notes=tricky[i % 4],
                 status=CandidateStatus.REGISTERED, registered_on=dt.date(2024, 5, 6))
            for i in range(8)]
    with app.unit_of_work("bulk") as s:
        bulk_create(s, Candidate, rows)
        first = s.scalars(select(Candidate.id).order_by(Candidate.personal_number)).first()
        bulk_create(s, Placement, [dict(candidate_id=first, employer="Stalbud", country="PL",
                                        start_date=dt.date(2019, 3, 1),
                                        wage_amount=Decimal("3200.50"), wage_currency="PLN")])
    with app.reading() as s:
        journal = {e.entity_id: e.changes for e in s.scalars(select(ChangeEntry))}
        change_ids = set(s.scalars(select(ChangeEntry.change_id)))
        records = [*s.scalars(select(Candidate)), *s.scalars(select(Placement))]
        assert len(records) == 9 == len(journal)
        for obj in records:
            assert journal[obj.id] == _expected(obj)
        placement, second = records[-1].id, records[1].id
    assert '"wage_amount":[null,"3200.50"]' in journal[placement]
    assert '"notes":[null,"tab\\there\\nnew\\u0001\\u001f\x7f"]' in journal[second]
    assert len(change_ids) == 9


def test_new_ids_are_version_4_uuids():
    ids = new_ids(2000)
    assert len(set(ids)) == 2000
    for i in ids[:200]:
        u = uuid.UUID(i)
        assert str(u) == i and u.version == 4 and u.variant == uuid.RFC_4122
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                            r"[0-9a-f]{12}", i)
    assert new_ids(0) == []
