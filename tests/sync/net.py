"""Building a small network for tests: desks and a central store that trust each other."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select

from migdesk.services import Migdesk
from migdesk.store.base import BOOKKEEPING
from migdesk.store.models import SYNCED_MODELS, Base
from tests.helpers import SIGN_IN_TABLES, admin, person

TODAY = dt.date(2026, 11, 24)
_pkg = itertools.count(1)


def open_desk(target: str, name: str, role: str = "desk") -> Migdesk:
    app = admin(Migdesk.open(target, today=lambda: TODAY))
    app.ensure_desk(name)
    app.sync.keys()
    if role == "central":
        app.sync.set_role("central")
    return app


def introduce(tmp: Path, central: Migdesk, *desks: Migdesk, scope: str = "all") -> None:
    """Exchange cards; the central store lets each desk see `scope` ("all" here, so that
    desks converge to the same content; a newly trusted desk's default is "own")."""
    ccard = tmp / f"{central.desk_id}.card"
    ccard.write_text(central.sync.card().to_json())
    for d in desks:
        card = tmp / f"{d.desk_id}.card"
        card.write_text(d.sync.card().to_json())
        central.sync.trust(card, scope=scope)
        d.sync.trust(ccard)


@contextmanager
def network(tmp: Path, central: str | None = None, scope: str = "all",
            name: str = "Central") -> Iterator[tuple[Migdesk, Migdesk, Migdesk]]:
    """A central store (a SQLite file in `tmp`, or the database `central` names) and desks A
    and B that trust it and are trusted with `scope`; all three closed at the end."""
    c = open_desk(central or str(tmp / "central.db"), name, "central")
    a = open_desk(str(tmp / "a.db"), "Desk A")
    b = open_desk(str(tmp / "b.db"), "Desk B")
    introduce(tmp, c, a, b, scope=scope)
    try:
        yield c, a, b
    finally:
        for app in (a, b, c):
            app.close()


def send(tmp: Path, src: Migdesk, dst: Migdesk, **kw):
    path = tmp / f"p{next(_pkg)}.mdp"
    src.sync.export(path, to=dst.desk_id, **kw)
    return dst.sync.import_package(path)


def register(app: Migdesk, pn: str, first: str = "ნინო", last: str = "კაპანაძე") -> str:
    return app.candidates.register(person(pn, first, last, occupations=[("7115", 3)],
                                          languages=[("en", "B1")])).id


def content(app: Migdesk) -> dict[str, list[tuple]]:
    """What every desk must agree on: each synced record's id and fields (not the local
    bookkeeping of when it was applied here)."""
    out = {}
    with app.reading() as s:
        for model in SYNCED_MODELS:
            t = model.__table__  # type: ignore[attr-defined]
            cols = [c for c in t.columns
                    if (c.key not in BOOKKEEPING or c.key in ("id", "origin_desk",
                                                              "created_by"))
                    and c.key != "data"]
            out[t.name] = [tuple(r) for r in s.execute(select(*cols).order_by(t.c.id))]
    return out


def dump(app: Migdesk, with_audit: bool = False) -> list[tuple]:
    """Every row of every table, on any backend (without the audit trail and the accounts'
    sign-in times, which every action and sign-in writes, unless `with_audit`)."""
    out = []
    with app.db.engine.connect() as con:
        for t in Base.metadata.sorted_tables:
            if t.name in SIGN_IN_TABLES and not with_audit:
                continue
            rows = con.execute(select(t)).all()
            out.append((t.name, sorted(map(repr, rows))))
    return out
