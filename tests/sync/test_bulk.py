"""The store's one bulk path (store/bulk.py) stores exactly what SQLAlchemy's own insert
stores, on SQLite (driver executemany, the insert thread) and PostgreSQL (COPY)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, select

from migdesk.domain.statuses import CandidateStatus
from migdesk.domain.vocab import Sex
from migdesk.store.bulk import Bulk
from migdesk.store.insert_thread import InsertThread
from migdesk.store.people import Candidate
from tests.sync.net import open_desk

AT = dt.datetime(2026, 11, 24, 9, 5, 1, 250000, tzinfo=dt.UTC)


def row(i: int, at: dt.datetime = AT) -> dict:
    return dict(id=f"00000000-0000-4000-8000-{i:012x}", personal_number=f"0100101{i:04d}",
                first_name_ka="ნინო", last_name_ka="ბერიძე", first_name_lat="NINO",
                last_name_lat="BERIDZE", birth_date=dt.date(1990, 2, 1), sex=Sex.F,
                region="GE-TB", status=CandidateStatus.REGISTERED,
                registered_on=dt.date(2026, 11, 24), created_at=at, updated_at=at,
                created_by="tester", updated_by="tester", origin_desk="d", updated_desk="d",
                version=1, deleted=False, deleted_at=None)


def stored(conn, ids):
    t = Candidate.__table__
    rows = conn.exec_driver_sql(
        f"SELECT * FROM candidate WHERE id IN ({', '.join(repr(i) for i in ids)}) ORDER BY id"
    ).all()
    names = [c.name for c in t.columns]
    return [{k: v for k, v in zip(names, r, strict=True)
             if k not in ("id", "personal_number")} for r in rows]


@pytest.mark.parametrize("how", ["driver", "thread"])
def test_bulk_stores_what_sqlalchemy_stores_on_sqlite(tmp_path, how) -> None:
    app = open_desk(str(tmp_path / "a.db"), "A")
    with app.db.engine.connect() as conn:
        conn.execute(insert(Candidate.__table__), [row(1)])
        thread = InsertThread(conn.connection.driver_connection) if how == "thread" else None
        bulk = Bulk(conn, thread)
        other = dt.datetime(2026, 11, 24, 13, 5, 1, 250000,
                            tzinfo=dt.timezone(dt.timedelta(hours=4)))  # the same moment
        bulk.insert(Candidate.__table__, [row(2), row(3, other)])
        bulk.drain()
        bulk.close()
        ids = [row(i)["id"] for i in (1, 2, 3)]
        first, *others = stored(conn, ids)
        assert others == [first, first]
        assert conn.execute(select(Candidate.__table__.c.created_at).where(
            Candidate.__table__.c.id == ids[2])).scalar() == AT
        conn.rollback()
    app.close()


@pytest.mark.postgres
def test_bulk_stores_what_sqlalchemy_stores_on_postgresql(pg_url) -> None:
    app = open_desk(pg_url, "Central")
    with app.db.engine.connect() as conn:
        conn.execute(insert(Candidate.__table__), [row(1)])
        Bulk(conn, copy=True).insert(Candidate.__table__, [row(2)])
        Bulk(conn).insert(Candidate.__table__, [row(3)])
        first, *others = stored(conn, [row(i)["id"] for i in (1, 2, 3)])
        assert others == [first, first]
        conn.rollback()
    app.close()
