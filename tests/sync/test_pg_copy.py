"""COPY text written by store/pg_copy.py reads back as the values given, awkward ones too."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import psycopg
import pytest
from sqlalchemy.engine import make_url

from migdesk.domain.vocab import CEFR
from migdesk.store.pg_copy import copy_tuples

pytestmark = pytest.mark.postgres

AWKWARD = ["plain", "ნინო ბერიძე", "tab\there", "line\nbreak", "cr\rthere", "back\\slash",
           "\\N", "\\.", "", "zero\u200bwidth", "end\\"]


def test_copied_rows_read_back_unchanged(pg_url) -> None:
    u = make_url(pg_url)
    with psycopg.connect(host=u.query["host"], user="postgres", dbname=u.database) as con:
        con.execute("CREATE TEMP TABLE t (n int, s text, b boolean, d date, at timestamptz, "
                    "m numeric, blob bytea, e text)")
        at = dt.datetime(2026, 12, 2, 16, 5, 7, 123456, tzinfo=dt.UTC)
        rows = [{"n": i, "s": s, "b": i % 2 == 0, "d": dt.date(2026, 1, 1 + i),
                 "at": at + dt.timedelta(seconds=i), "m": Decimal("1234.50"),
                 "blob": bytes([i, 0, 9, 10, 92, 255]), "e": CEFR.B1}
                for i, s in enumerate(AWKWARD)]
        rows.append(dict.fromkeys(rows[0]) | {"n": 99})
        rows[1]["blob"] = psycopg.Binary(rows[1]["blob"])  # as SQLAlchemy's binder gives it
        keys = list(rows[0])
        copy_tuples(con, "t", keys, [[r[k] for k in keys] for r in rows])
        con.execute("SET TIME ZONE 'UTC'")
        back = con.execute("SELECT n, s, b, d, at, m, blob, e FROM t ORDER BY n").fetchall()
    assert back[:-1] == [(r["n"], r["s"], r["b"], r["d"], r["at"], r["m"],
                          getattr(r["blob"], "obj", r["blob"]), "b1") for r in rows[:-1]]
    assert back[-1] == (99, None, None, None, None, None, None, None)
