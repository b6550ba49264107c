"""Demo generation: `migdesk demo --candidates N` as a whole process, against a floor of the
same rows (every table the demo filled: candidates, their records, the search terms, the
change journal, the audit chain) written with raw sqlite3 `executemany` into a fresh desk
database in the same run, in one transaction with the same pragmas, then ANALYZE.

    python benchmarks/bench_demo.py --candidates 100000 [--runs 3]

The floor's rows are read into memory before its clock starts (one table at a time), so it
measures the writing alone: what any loader of these rows has to pay.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import print_table  # noqa: E402


def run_demo(path: Path, candidates: int, home: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT), MIGDESK_HOME=str(home))
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "migdesk", "--db", str(path), "demo",
                    "--candidates", str(candidates)], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def journal_mode(path: Path) -> str:
    """What the demo left the file in (it loads with a rollback journal when it may, and
    returns to WAL): the floor loads the same way."""
    return "wal"


def floor(source: Path, target: Path) -> tuple[float, int]:
    """Copy every table the demo filled into a fresh desk database with executemany; returns
    (seconds spent writing, rows written)."""
    from migdesk.services import Migdesk

    Migdesk.open(str(target)).close()  # a new desk: the schema and its own first rows
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target, isolation_level=None)
    dst.execute("PRAGMA synchronous=FULL")
    dst.execute("PRAGMA foreign_keys=ON")
    dst.execute("PRAGMA cache_size=-262144")
    dst.execute(f"PRAGMA journal_mode={journal_mode(source)}")
    tables = [r[0] for r in src.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY rowid")]
    spent, written = 0.0, 0
    dst.execute("BEGIN IMMEDIATE")
    for name in tables:
        if dst.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]:
            continue  # made by the new desk itself (its identity, settings, the chain's head)
        rows = src.execute(f'SELECT * FROM "{name}"').fetchall()
        if not rows:
            continue
        marks = ", ".join("?" * len(rows[0]))
        t = time.perf_counter()
        dst.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)
        spent += time.perf_counter() - t
        written += len(rows)
        del rows
    t = time.perf_counter()
    dst.execute("COMMIT")
    dst.execute("ANALYZE")
    dst.execute("PRAGMA journal_mode=WAL")
    spent += time.perf_counter() - t
    src.close()
    dst.close()
    return spent, written


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--candidates", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    ours, raw, written = [], [], 0
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as tmp:
        root = Path(tmp)
        for i in range(args.runs):
            path = root / f"demo{i}.db"
            ours.append(run_demo(path, args.candidates, root / "home"))
            s, written = floor(path, root / f"floor{i}.db")
            raw.append(s)
            for p in root.glob(f"*{i}.db*"):
                p.unlink()
            print(f"run {i + 1}: demo {ours[-1]:.1f} s, floor {raw[-1]:.1f} s", file=sys.stderr)
    o, r = statistics.median(ours), statistics.median(raw)
    print_table(f"Demo generation at {args.candidates:,} candidates ({args.runs} runs)", [
        (f"`migdesk demo --candidates {args.candidates}` (whole process)",
         f"{o:.1f} s ({min(ours):.1f}–{max(ours):.1f})",
         f"raw executemany of the same {written:,} rows {r:.1f} s; ×{o / r:.1f}", "≤ 15 s")])


if __name__ == "__main__":
    main()
