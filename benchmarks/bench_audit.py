"""What the hash-chained audit trail costs: a registration and a whole-desk import with the
chain and without it (the seal taken off the session factory, in this process only), and
`audit verify` of a whole desk, against a floor of the same journal rows hashed with
`hashlib` alone.

    python benchmarks/bench_audit.py [--candidates 100000] [--registrations 200]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import print_table, signed_in, summary, timed  # noqa: E402
from migdesk.services import Migdesk  # noqa: E402
from migdesk.store import audit as chain  # noqa: E402


def unchained(app: Migdesk) -> None:
    """Take the chain's seal off this process's sessions (for the comparison only)."""
    from sqlalchemy import event

    event.remove(app.db.sessions, "before_commit", chain.seal)


def rechained(app: Migdesk) -> None:
    from sqlalchemy import event

    event.listen(app.db.sessions, "before_commit", chain.seal)


def registrations(app: Migdesk, n: int, start: int) -> tuple[list[float], list[float]]:
    """Registrations on one desk, alternately with the chain and without it (so that a busy
    machine slows both alike); the desk's chain is left whole only for the first kind."""
    from tests.helpers import person

    on: list[float] = []
    off: list[float] = []
    for i in range(n):
        on.append(timed(lambda i=i: app.candidates.register(person(f"{start + 2 * i:011d}"))))
        unchained(app)
        off.append(timed(lambda i=i: app.candidates.register(
            person(f"{start + 2 * i + 1:011d}"))))
        rechained(app)
    return on, off


def whole_import(tmp: Path, package: Path, name: str, chained: bool) -> float:
    from benchmarks.bench_sync import desk, trust

    target = desk(str(tmp / f"{name}.db"), name)
    if not chained:
        unchained(target)
    src = signed_in(Migdesk.open(str(tmp / "a-for-export.db")))
    trust(tmp, src, target)
    src.sync.export(package, full=True, to=target.desk_id)
    src.close()
    t = time.perf_counter()
    target.sync.import_package(package)
    took = time.perf_counter() - t
    target.close()
    return took


def hash_floor(db: Path) -> float:
    """The journal rows read with sqlite3 and hashed with hashlib, nothing else."""
    import hashlib

    con = sqlite3.connect(str(db))
    t = time.perf_counter()
    h = hashlib.sha256()
    for row in con.execute("SELECT seq, change_id, at, officer, desk_id, entity, entity_id, "
                           "op, version, changes, reason FROM change_log ORDER BY seq"):
        h.update(repr(row).encode())
    took = time.perf_counter() - t
    con.close()
    return took


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--candidates", type=int, default=100_000)
    ap.add_argument("--registrations", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="migdesk-bench-audit-"))
    os.environ["MIGDESK_HOME"] = str(tmp / "home")
    rows: list[tuple[str, str, str, str]] = []
    try:
        from benchmarks.bench_sync import desk, fill

        a = desk(str(tmp / "a.db"), "A")
        fill(a, args.candidates, 1)
        t = time.perf_counter()
        verdict = a.audit.verify()
        verify_s = time.perf_counter() - t
        assert verdict.ok, verdict
        floor = hash_floor(tmp / "a.db")
        with_chain, without = registrations(a, args.registrations, 70_000_000_000)
        a.close()
        m1, p1 = summary(with_chain)
        m0, _p0 = summary(without)
        rows.append(("registration, with the chain", f"{m1:.1f} ms ({p1:.1f})",
                     f"without: {m0:.1f} ms, ×{m1 / m0:.2f}", "—"))
        rows.append((f"audit verify, {args.candidates:,} candidates "
                     f"({verdict.entries:,} entries, {verdict.changes:,} journal rows)",
                     f"{verify_s:.2f} s", f"sqlite3 + hashlib alone: {floor:.2f} s, "
                     f"×{verify_s / floor:.1f}", "≤ 5 s"))
        src = tmp / "a.db"
        shutil.copy(src, tmp / "a-for-export.db")
        chained_t, plain_t = [], []
        for i in range(args.repeat):  # interleaved, as the registrations are
            chained_t.append(whole_import(tmp, tmp / f"c{i}.mdp", f"c{i}", True))
            plain_t.append(whole_import(tmp, tmp / f"u{i}.mdp", f"u{i}", False))
        mc, mu = statistics.median(chained_t), statistics.median(plain_t)
        rows.append((f"whole-desk import, {args.candidates:,} candidates, with the chain",
                     f"{mc:.1f} s", f"without: {mu:.1f} s, ×{mc / mu:.2f}", "—"))
    finally:
        print_table("The audit chain", rows)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
