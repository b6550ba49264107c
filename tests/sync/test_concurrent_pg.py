"""Two `migdesk import` processes into the same central store on PostgreSQL at once: both
succeed (the second one waits for the first and says so), nothing deadlocks, nothing is lost,
and the store ends exactly as if the packages had been imported one after the other."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.sync.net import dump, introduce, open_desk, register

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
WAITING = "Another migdesk program is writing to this database; waiting for it to finish"


def _connect(url: str, db: str | None = None) -> psycopg.Connection:
    u = make_url(url)
    return psycopg.connect(host=u.query["host"], user=u.username, dbname=db or u.database,
                           autocommit=True)


def _twin(url: str) -> str:
    """A copy of the database `url` names (nobody may be connected to it meanwhile)."""
    name = "t_" + uuid.uuid4().hex[:12]
    with _connect(url, "postgres") as con:
        con.execute(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(url).database}"')
    return str(make_url(url).set(database=name))


def _import(url: str, package: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "migdesk", "--lang", "en", "--db", url,
                             "import", str(package)], env=env, cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _imports_in_order(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The senders of the imported packages, in the order they were committed."""
    from sqlalchemy import select

    from migdesk.store.sync_tables import Exchange

    with app.reading() as s:
        return list(s.scalars(select(Exchange.partner_id).where(
            Exchange.direction == "import").order_by(Exchange.id)))


# Written at import time by the importing process's clock: when the package arrived.
_CLOCKS = {"sync_exchange": ("at",)}


def _settled(app) -> list[tuple]:  # type: ignore[no-untyped-def]
    """dump() of the store without the moments of arrival (the only thing two runs of the same
    imports may differ in)."""
    from sqlalchemy import select

    from migdesk.store.models import Base
    from tests.helpers import SIGN_IN_TABLES

    out = []
    with app.db.engine.connect() as con:
        for t in Base.metadata.sorted_tables:
            if t.name in SIGN_IN_TABLES:
                continue
            cols = [c for c in t.columns if c.key not in _CLOCKS.get(t.name, ())]
            out.append((t.name, sorted(map(repr, con.execute(select(*cols)).all()))))
    return out


@pytest.fixture
def two_packages(tmp_path, pg_url):
    """A central store on PostgreSQL (closed, so it can be copied) and a package from each of
    two desks for it, touching candidates of their own."""
    central = open_desk(pg_url, "Central (PostgreSQL)", "central")
    a, b = open_desk(str(tmp_path / "a.db"), "Desk A"), open_desk(str(tmp_path / "b.db"), "B")
    introduce(tmp_path, central, a, b)
    for i in range(30):
        register(a, f"0100000{i:04d}", "ნინო", "ბერიძე")
        register(b, f"0200000{i:04d}", "გიორგი", "კაპანაძე")
    packages = []
    for desk in (a, b):
        path = tmp_path / f"{desk.desk_id}.mdp"
        desk.sync.export(path, to=central.desk_id)
        packages.append(path)
    ids = {a.desk_id: packages[0], b.desk_id: packages[1]}
    for app in (a, b, central):
        app.close()
    return pg_url, ids


def _sequential_twin(url: str, twin: str, ids: dict[str, Path]) -> None:
    """Import into `twin` one after the other, in the order `url` committed them, and compare."""
    central = open_desk(url, "Central (PostgreSQL)", "central")
    order = _imports_in_order(central)
    assert sorted(order) == sorted(ids), order  # both packages, each once
    copy = open_desk(twin, "Central (PostgreSQL)", "central")
    for sender in order:
        copy.sync.import_package(ids[sender])
    try:
        assert central.candidates.count() == copy.candidates.count() == 60
        assert _settled(central) == _settled(copy)
        assert len(dump(central)) == len(dump(copy))
    finally:
        central.close()
        copy.close()


def test_two_imports_at_once_both_succeed_as_if_one_after_the_other(two_packages) -> None:
    url, ids = two_packages
    twin = _twin(url)
    procs = [_import(url, p) for p in ids.values()]
    results = [p.communicate(timeout=300) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "Applied: 150" in out, out  # 30 candidates, 5 records each
        assert "Traceback" not in err and "deadlock" not in err.lower()
    _sequential_twin(url, twin, ids)


def test_an_import_that_meets_another_writer_waits_and_says_so(two_packages) -> None:
    """Another writer holds the store while both imports start: each one says it waits, and
    both complete once the writer commits."""
    url, ids = two_packages
    twin = _twin(url)
    with _connect(url) as blocker:
        blocker.autocommit = False
        blocker.execute("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE")
        procs = [_import(url, p) for p in ids.values()]
        queued = True
        try:
            for _ in range(600):  # until both are queued behind the lock (at most 60 s)
                waiting = blocker.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()").fetchone()
                if waiting and waiting[0] >= 2:
                    break
                if any(p.poll() is not None for p in procs):
                    queued = False
                    break
                time.sleep(0.1)
        finally:
            blocker.rollback()
    results = [p.communicate(timeout=300) for p in procs]
    assert queued, results  # neither ended before the writer let go
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert WAITING in err, err
        assert "Applied: 150" in out, out
    _sequential_twin(url, twin, ids)
