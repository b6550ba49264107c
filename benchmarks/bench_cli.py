"""The command line as whole processes: `migdesk --help`, `migdesk candidate --help`, a search
and a candidate shown on a desk of N candidates, and the window's first paint, each timed from
the process's start to its exit (as hyperfine does: several runs, the median), against a floor
run in turn with it in the same run: `python -c "import sqlite3"`.

    python benchmarks/bench_cli.py --candidates 100000 [--runs 11] [--db PATH]

The demo database is made once and reused (benchmarks/results/core-N.db, as bench_core.py's);
the commands sign in as its `demo` officer through MIGDESK_USER and MIGDESK_PASSWORD, so each
search and each show pays one argon2id verification at the desk's parameters (measured on its
own below).
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import RESULTS, demo_database, percentile, print_table  # noqa: E402

FLOOR = [sys.executable, "-c", "import sqlite3"]
MIGDESK = [sys.executable, "-m", "migdesk"]


CPU: dict[tuple[str, ...], list[float]] = {}  # user + system ms of each finished process


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (r.ru_utime + r.ru_stime) * 1000.0


def run_once(cmd: list[str], env: dict[str, str]) -> float:
    """Milliseconds from start to exit of one process (its output thrown away); its CPU
    time (user + system, the kernel's own accounting) goes to CPU."""
    c = _children_cpu()
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          timeout=120)
    took = (time.perf_counter() - t) * 1000.0
    CPU.setdefault(tuple(cmd), []).append(_children_cpu() - c)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[2:])} failed ({done.returncode}): "
                         f"{done.stderr.decode(errors='replace')[-400:]}")
    return took


def paired(cmd: list[str], env: dict[str, str], runs: int) -> tuple[list[float], list[float]]:
    """The command and the floor in turn (A B A B …, after one warm-up of each), so a machine
    whose speed drifts moves both alike."""
    run_once(cmd, env)
    run_once(FLOOR, env)
    ours, floor = [], []
    for _ in range(runs):
        ours.append(run_once(cmd, env))
        floor.append(run_once(FLOOR, env))
    return ours, floor


def window_once(db: str, env: dict[str, str]) -> float:
    """Milliseconds from before the interpreter starts to the main window's first paint
    (bench_ui.py's child, signed in as demo, at the candidate list; it exits there)."""
    cmd = [sys.executable, str(ROOT / "benchmarks" / "bench_ui.py"), "--child", db]
    c = _children_cpu()
    t0 = time.time()
    out = subprocess.run([*cmd, repr(t0)], env=env, capture_output=True, text=True,
                         timeout=120)
    CPU.setdefault(tuple(cmd), []).append(_children_cpu() - c)
    return float(out.stdout.strip().splitlines()[-1]) * 1000.0


def argon2_ms(runs: int) -> float:
    """One argon2id verification at the desk's parameters, in a warm process."""
    from migdesk.domain.passwords import hash_password, verify_password

    stored = hash_password("bench-password")
    verify_password(stored, "bench-password")
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        verify_password(stored, "bench-password")
        times.append((time.perf_counter() - t) * 1000.0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--candidates", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--db", help="a demo database to use (default: made and kept in "
                    "benchmarks/results)")
    ap.add_argument("--no-window", action="store_true", help="leave out the window's row")
    args = ap.parse_args()
    # The desk's keys (the audit head is signed at every sign-in) live beside the results,
    # not in the user's data directory.
    os.environ.setdefault("MIGDESK_HOME", str(RESULTS / "home"))
    if args.db:
        db, build_s = Path(args.db), None
    else:
        db, build_s = demo_database(args.candidates)
    with sqlite3.connect(db) as con:
        n = con.execute("SELECT count(*) FROM candidate WHERE deleted = 0").fetchone()[0]
        pn, last = con.execute("SELECT personal_number, last_name_lat FROM candidate "
                               "WHERE deleted = 0 ORDER BY id LIMIT 1").fetchone()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MIGDESK_USER": "demo",
           "MIGDESK_PASSWORD": "demo", "MIGDESK_DB": str(db), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    query = last[:3].lower()
    commands = [
        ("migdesk --help", [*MIGDESK, "--help"], 150),
        ("migdesk candidate --help", [*MIGDESK, "candidate", "--help"], 150),
        (f"migdesk candidate list --search {query} --limit 50",
         [*MIGDESK, "candidate", "list", "--search", query, "--limit", "50"], 300),
        ("migdesk candidate show PN", [*MIGDESK, "candidate", "show", pn], 300),
    ]
    rows: list[tuple[str, str, str, str]] = []
    if build_s is not None:
        rows.append((f"demo database made, {n:,} candidates", f"{build_s:.1f} s (one run)",
                     "—", "—"))
    floors: list[float] = []
    for name, cmd, budget in commands:
        ours, floor = paired(cmd, env, args.runs)
        floors += floor
        m, f = statistics.median(ours), statistics.median(floor)
        cpu, cpu_f = statistics.median(CPU[tuple(cmd)][1:]), statistics.median(CPU[tuple(FLOOR)])
        rows.append((f"`{name}` ({n:,} candidates)" if "candidate " in name and "help" not in
                     name else f"`{name}`",
                     f"{m:.0f} ms ({percentile(ours, 95):.0f}); CPU {cpu:.0f} ms",
                     f"floor {f:.0f} ms (CPU {cpu_f:.0f}); +{m - f:.0f} ms, ×{m / f:.1f}",
                     f"≤ floor + {budget} ms"))
    rows.append(("  argon2id verification alone (in those two), warm process",
                 f"{argon2_ms(args.runs):.0f} ms", "—", "—"))
    if not args.no_window:
        starts, floor = [], []
        window_once(str(db), env)
        for _ in range(max(3, args.runs // 2)):
            starts.append(window_once(str(db), env))
            floor.append(run_once(FLOOR, env))
        m, f = statistics.median(starts), statistics.median(floor)
        cpu = statistics.median(next(v for k, v in CPU.items() if "--child" in k)[1:])
        rows.append((f"process start to the window painted ({n:,} candidates)",
                     f"{m:.0f} ms ({percentile(starts, 95):.0f}); CPU {cpu:.0f} ms",
                     f"floor {f:.0f} ms; +{m - f:.0f} ms, ×{m / f:.1f}", "≤ 1000 ms"))
    print_table(f"The command line as whole processes (median of {args.runs}, "
                f"floor `python -c \"import sqlite3\"`: median {statistics.median(floors):.0f} ms "
                "over all its runs)", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
