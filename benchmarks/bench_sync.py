"""Benchmark of change packages: full export, import into an empty desk, incremental
packages each way, and many desks merged into a central store on PostgreSQL.

Stand-alone: `python benchmarks/bench_sync.py --candidates 100000` (add `--quick` for a
small run). Prints median seconds and the peak memory of the process. Synthetic people.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import signed_in  # noqa: E402
from migdesk.domain.statuses import CandidateStatus  # noqa: E402
from migdesk.domain.vocab import CEFR, Sex  # noqa: E402
from migdesk.services import Migdesk  # noqa: E402
from migdesk.store.journal import bulk_create  # noqa: E402
from migdesk.store.people import (  # noqa: E402
    Candidate,
    CandidateLanguage,
    CandidateOccupation,
    StatusChange,
)

FIRST = [("ნინო", "NINO"), ("გიორგი", "GIORGI"), ("ანა", "ANA"), ("დავით", "DAVIT"),
         ("მარიამ", "MARIAM"), ("ლევან", "LEVAN")]
LAST = [("ბერიძე", "BERIDZE"), ("კაპანაძე", "KAPANADZE"), ("გელაშვილი", "GELASHVILI"),
        ("მამედოვი", "MAMEDOVI"), ("ჯავახიშვილი", "JAVAKHISHVILI")]
TODAY = dt.date(2026, 11, 24)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fill(app: Migdesk, n: int, prefix: int, seed: int = 1) -> None:
    """n synthetic candidates with occupation, language and status history (4 records each)."""
    rnd = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    for start in range(0, n, 5000):
        cands, occs, langs, hist = [], [], [], []
        for i in range(start, min(n, start + 5000)):
            f, last = rnd.choice(FIRST), rnd.choice(LAST)
            cid = f"{prefix:08x}-0000-4000-8000-{i:012x}"
            cands.append(dict(id=cid, personal_number=f"{prefix:02d}{i:09d}",
                              first_name_ka=f[0], last_name_ka=last[0], first_name_lat=f[1],
                              last_name_lat=last[1],
                              birth_date=dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
                              sex=rnd.choice([Sex.F, Sex.M]), region="GE-TB",
                              status=CandidateStatus.REGISTERED, registered_on=TODAY))
            occs.append(dict(candidate_id=cid, isco_code="7115", years=i % 10))
            langs.append(dict(candidate_id=cid, language="en", level=CEFR.B1))
            hist.append(dict(candidate_id=cid, from_status=None,
                             to_status=CandidateStatus.REGISTERED, changed_at=now,
                             officer="bench", reason="registration"))
        with app.unit_of_work("bench") as s:
            bulk_create(s, Candidate, cands)
            bulk_create(s, CandidateOccupation, occs)
            bulk_create(s, CandidateLanguage, langs)
            bulk_create(s, StatusChange, hist)


def edit_some(app: Migdesk, k: int, rnd: random.Random) -> None:
    from sqlalchemy import select

    with app.unit_of_work("bench edits") as s:
        ids = s.scalars(select(Candidate.id).limit(5000)).all()
        for cid in rnd.sample(list(ids), k):
            s.get(Candidate, cid).phone = f"5{rnd.randrange(10**7, 10**8)}"


def desk(path: str, name: str, role: str = "desk") -> Migdesk:
    app = signed_in(Migdesk.open(path, today=lambda: TODAY))
    app.ensure_desk(name)
    app.sync.keys()
    if role == "central":
        app.sync.set_role("central")
    return app


def trust(tmp: Path, x: Migdesk, y: Migdesk) -> None:
    for a, b in ((x, y), (y, x)):
        card = tmp / f"{a.desk_id}.card"
        card.write_text(a.sync.card().to_json())
        b.sync.trust(card, scope="all")  # every candidate, as the rows below measure


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--candidates", type=int, default=100_000)
    p.add_argument("--desks", type=int, default=20)
    p.add_argument("--per-desk", type=int, default=5_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--quick", action="store_true", help="10,000 candidates, 4 desks × 1,000")
    p.add_argument("--pg", metavar="URL", help="PostgreSQL URL (default: a throwaway cluster)")
    p.add_argument("--skip-pg", action="store_true")
    args = p.parse_args()
    if args.quick:
        args.candidates, args.desks, args.per_desk = 10_000, 4, 1_000
    tmp = Path(tempfile.mkdtemp(prefix="migdesk-bench-"))
    os.environ["MIGDESK_HOME"] = str(tmp / "home")
    rows: list[tuple[str, float, str]] = []
    try:
        a = desk(str(tmp / "a.db"), "A")
        b = desk(str(tmp / "b.db"), "B")
        trust(tmp, a, b)
        t = time.perf_counter()
        fill(a, args.candidates, 1)
        print(f"# filled {args.candidates} candidates in {time.perf_counter() - t:.1f} s",
              file=sys.stderr)
        full = tmp / "full.mdp"
        times = [timed(lambda: a.sync.export(full, full=True, to=b.desk_id))
                 for _ in range(args.repeat)]
        size = full.stat().st_size / 1e6
        rows.append((f"full export, {args.candidates} candidates ({size:.0f} MB sealed)",
                     statistics.median(times), "≤ 5 s"))
        floor = statistics.median(_export_floor(tmp, Path(a.db.engine.url.database))
                                  for _ in range(args.repeat))
        rows.append(("  floor: raw sqlite3 + zipfile, the same journal rows as JSON lines, "
                     "same compression", floor,
                     f"export ×{statistics.median(times) / floor:.2f} (≤ ×1.5)"))
        times, peaks = [], []
        for i in range(args.repeat):
            target = desk(str(tmp / f"empty{i}.db"), f"E{i}")
            trust(tmp, a, target)
            a.sync.export(full, full=True, to=target.desk_id)
            target.close()
            secs, peak = _in_child(str(tmp / f"empty{i}.db"), str(full))
            times.append(secs)
            peaks.append(peak)
        rows.append(("import of it into an empty desk", statistics.median(times), "≤ 15 s"))
        floor = statistics.median(_import_floor(tmp, full, target_key(tmp, args.repeat))
                                  for _ in range(args.repeat))
        rows.append(("  floor: raw sqlite3 + orjson, the journal lines alone into one "
                     "indexed table", floor,
                     f"import ×{statistics.median(times) / floor:.2f} (≤ ×2)"))
        rows.append((f"  peak RSS of a process doing only that import (MB, {size:.0f} MB "
                     "package)", max(peaks), "flat in package size"))
        b.sync.import_package(_export(a, tmp / "seed.mdp", b, full=True))
        rnd = random.Random(7)
        ex, im = [], []
        for i in range(args.repeat * 2):
            src, dst = (a, b) if i % 2 == 0 else (b, a)
            src.sync.export(tmp / "drain.mdp", to=dst.desk_id)  # start from a clean slate
            edit_some(src, 100, rnd)
            pkg = tmp / f"inc{i}.mdp"
            ex.append(timed(lambda: src.sync.export(pkg, to=dst.desk_id)))  # noqa: B023
            im.append(timed(lambda: dst.sync.import_package(pkg)))  # noqa: B023
        rows.append(("incremental export, 100 changes", statistics.median(ex), "≤ 0.2 s"))
        rows.append(("incremental import, 100 changes", statistics.median(im), "≤ 0.2 s"))
        a.close()
        b.close()
        if not args.skip_pg:
            rows.extend(_merge(tmp, args))
    finally:
        _print(rows)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def target_key(tmp: Path, repeat: int) -> Path:
    """The database of the last empty desk (its keys unseal the package)."""
    return tmp / f"empty{repeat - 1}.db"


def _export_floor(tmp: Path, db: Path) -> float:
    """Read every journal row with sqlite3 and write it as a JSON line into a zip member
    with the package's compression (deflate, level 1), then make the file durable: the
    least any export of the journal must do (no signature, no seal)."""
    import sqlite3
    import zipfile

    import orjson

    out = tmp / "floor-export.zip"
    t = time.perf_counter()
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with open(out, "wb") as fh:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1,
                             allowZip64=True) as zf, \
                zf.open("changes.jsonl", "w", force_zip64=True) as member:
            cur = con.execute("SELECT seq, change_id, at, officer, desk_id, entity, "
                              "entity_id, op, version, changes, reason FROM change_log "
                              "ORDER BY seq")
            while rows := cur.fetchmany(5000):
                member.write(b"".join(orjson.dumps(r) + b"\n" for r in rows))
        fh.flush()
        os.fsync(fh.fileno())
    con.close()
    took = time.perf_counter() - t
    out.unlink()
    return took


def _import_floor(tmp: Path, package: Path, db: Path) -> float:
    """Unseal and unzip the package, parse every line and insert it into a copy of the
    journal table (with its indexes) in one durable transaction: the least any import that
    keeps the journal must do."""
    import sqlite3
    import zipfile

    import orjson

    from migdesk.services import Migdesk
    from migdesk.sync import keys as keymod
    from migdesk.sync.seal import unseal

    app = Migdesk.open(str(db), today=lambda: TODAY)
    own = keymod.load_keys(app.desk_id)
    app.close()
    target = tmp / "floor.db"
    target.unlink(missing_ok=True)
    con = sqlite3.connect(target, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "cache_size=-65536"):
        con.execute(f"PRAGMA {pragma}")
    con.execute("CREATE TABLE log (seq INTEGER PRIMARY KEY, change_id TEXT UNIQUE, at TEXT, "
                "officer TEXT, desk_id TEXT, entity TEXT, entity_id TEXT, op TEXT, "
                "version INTEGER, changes TEXT, reason TEXT)")
    con.execute("CREATE INDEX ix_log_at ON log (at)")
    con.execute("CREATE INDEX ix_log_entity ON log (entity, entity_id)")
    t = time.perf_counter()
    plain = tmp / "floor.zip"
    with open(package, "rb") as src, open(plain, "wb") as dst:
        unseal(src, dst, own.sealing)
    con.execute("BEGIN")
    with zipfile.ZipFile(plain) as zf, zf.open("changes.jsonl") as fh:
        batch = []
        for line in fh:
            d = orjson.loads(line)
            batch.append((d["change_id"], d["at"], d["officer"], d["desk_id"], d["entity"],
                          d["entity_id"], d["op"], d["version"],
                          orjson.dumps(d["changes"]).decode(), d["reason"]))
            if len(batch) == 5000:
                con.executemany("INSERT INTO log (change_id, at, officer, desk_id, entity, "
                                "entity_id, op, version, changes, reason) "
                                "VALUES (?,?,?,?,?,?,?,?,?,?)", batch)
                batch = []
        if batch:
            con.executemany("INSERT INTO log (change_id, at, officer, desk_id, entity, "
                            "entity_id, op, version, changes, reason) "
                            "VALUES (?,?,?,?,?,?,?,?,?,?)", batch)
    con.execute("COMMIT")
    took = time.perf_counter() - t
    con.close()
    return took


def _import_only(db: str, package: str, out: Any) -> None:
    app = signed_in(Migdesk.open(db, today=lambda: TODAY))
    t = time.perf_counter()
    app.sync.import_package(package)
    out.put((time.perf_counter() - t, peak_mb()))
    app.close()


def _in_child(db: str, package: str) -> tuple[float, float]:
    """Import in a fresh process, so its peak memory is the import's own."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    proc = ctx.Process(target=_import_only, args=(db, package, q))
    proc.start()
    result = q.get()
    proc.join()
    return result


def _export(src: Migdesk, path: Path, dst: Migdesk, **kw) -> Path:  # type: ignore[no-untyped-def]
    src.sync.export(path, to=dst.desk_id, **kw)
    return path


def _merge(tmp: Path, args: argparse.Namespace) -> list[tuple[str, float, str]]:
    cluster = None
    url = args.pg
    if url is None:
        from tests.sync.pg import Cluster, available

        if available():
            return [("merge into PostgreSQL: skipped, " + str(available()), float("nan"), "")]
        cluster = Cluster()
        cluster.start()
        url = cluster.new_database()
    try:
        central = desk(url, "Central", "central")
        packages = []
        for d in range(args.desks):
            app = desk(str(tmp / f"d{d}.db"), f"D{d}")
            trust(tmp, app, central)
            fill(app, args.per_desk, 10 + d, seed=d)
            packages.append(_export(app, tmp / f"d{d}.mdp", central))
            app.close()
        t = time.perf_counter()
        for pkg in packages:
            central.sync.import_package(pkg)
        took = time.perf_counter() - t
        assert central.candidates.count() == args.desks * args.per_desk
        first = central.sync.peers()[0]
        central.sync.set_scope(first.desk_id, "own")
        out: list[Any] = []
        scoped = timed(lambda: out.append(central.sync.export(tmp / "scoped.mdp", full=True,
                                                              to=first.desk_id)))
        journal = central.sync.exchanges()[0].seq_to
        central.close()
        return [(f"{args.desks} desks × {args.per_desk} merged into PostgreSQL", took,
                 "≤ 60 s"),
                (f"central → one desk of scope 'own', whole journal ({journal} changes "
                 f"filtered, {out[0].changes} sent)", scoped, "")]
    finally:
        if cluster is not None:
            cluster.stop()


def _print(rows: list[tuple[str, float, str]]) -> None:
    w = max((len(r[0]) for r in rows), default=10)
    print(f"{'benchmark':<{w}}  {'median s':>9}  target")
    for name, secs, target in rows:
        print(f"{name:<{w}}  {secs:9.3f}  {target}")
    print(f"peak RSS of the process: {peak_mb():.0f} MB")


if __name__ == "__main__":
    raise SystemExit(main())
