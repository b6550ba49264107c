"""The benchmark runner: every benchmark script, one after another, into one report.

    python benchmarks/run.py                 # the desk at 100,000 candidates (about an hour)
    python benchmarks/run.py --quick         # small sizes, to see that every script runs
    python benchmarks/run.py --national      # also the central store at 100 desks (hours)
    python benchmarks/run.py --only cli,ui   # some of them

Each script runs in a fresh process and measures its own floor in the same run (raw
sqlite3, raw psycopg, a raw library call, `python -c "import sqlite3"`), so the ratios in
the report are the figures to read: on a shared machine absolute times wander. The report
(`benchmarks/results/report.md`, or --out) holds each script's tables as it printed them,
with the load average before and after it, so a noisy row can be told from a slow one.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.common import RESULTS, machine  # noqa: E402

# name: (arguments at desk scale, arguments for --quick). Every bench_*.py is here; a test
# (tests/test_benchmarks.py) fails when a new script is not.
PLAN: dict[str, tuple[list[str], list[str]]] = {
    "core": (["--candidates", "100000"], ["--candidates", "5000", "--queries", "50"]),
    "ui": (["--candidates", "100000"], ["--candidates", "5000"]),
    "cli": (["--candidates", "100000"], ["--candidates", "5000", "--runs", "3"]),
    "demo": (["--candidates", "100000", "--runs", "3"], ["--candidates", "5000", "--runs", "1"]),
    "documents": ([], ["--candidates", "200", "--runs", "3"]),
    "sheets": (["--rows", "50000", "--rss", "20000,100000"], ["--rows", "2000", "--rss", "2000"]),
    "sheets_out": (["--sizes", "20000,100000"], ["--quick"]),
    "audit": (["--candidates", "100000"], ["--candidates", "5000", "--repeat", "1"]),
    "backup": (["--candidates", "100000"], ["--candidates", "5000", "--repeat", "1"]),
    "sync": ([], ["--quick", "--skip-pg"]),
    "central": ([], []),
}
# The central store at a million candidates takes hours on two cores: only with --national.
NATIONAL = {"central"}


def scripts() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def run_one(name: str, args: list[str], env: dict[str, str]) -> tuple[int, str, float]:
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, str(HERE / f"bench_{name}.py"), *args],
                          capture_output=True, text=True, env=env, cwd=HERE.parent)
    out = proc.stdout
    if proc.returncode:
        out += "\n```\n" + proc.stderr[-4000:] + "\n```\n"
    return proc.returncode, out, time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes: each script in minutes")
    ap.add_argument("--national", action="store_true", help="also the central store at 100 desks")
    ap.add_argument("--only", help="comma-separated names, e.g. cli,ui (see --list)")
    ap.add_argument("--list", action="store_true", help="the scripts the runner knows")
    ap.add_argument("--out", type=Path, default=RESULTS / "report.md")
    a = ap.parse_args(argv)
    if a.list:
        for name in scripts():
            print(name)
        return 0
    names = scripts()
    if a.only:
        wanted = [n.strip() for n in a.only.split(",") if n.strip()]
        unknown = sorted(set(wanted) - set(names))
        if unknown:
            print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(names)}",
                  file=sys.stderr)
            return 2
        names = wanted
    elif not a.national:
        names = [n for n in names if n not in NATIONAL]
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    if a.quick:
        env.setdefault("MIGDESK_BENCH_DESKS", "3")
        env.setdefault("MIGDESK_BENCH_PER_DESK", "500")
    a.out.parent.mkdir(parents=True, exist_ok=True)
    failed: list[str] = []
    with a.out.open("w", encoding="utf-8") as report:
        report.write(f"# migdesk benchmarks, {time.strftime('%Y-%m-%d %H:%M')}\n\n"
                     f"Machine: {machine()}{' (quick sizes)' if a.quick else ''}\n")
        for name in names:
            full, quick = PLAN.get(name, ([], []))
            before = load()
            print(f"bench_{name} …", flush=True)
            rc, out, secs = run_one(name, quick if a.quick else full, env)
            status = "" if rc == 0 else f", FAILED (exit {rc})"
            report.write(f"\n## bench_{name}\n\nload {before} → {load()}, "
                         f"{secs:.0f} s{status}\n\n{out}\n")
            report.flush()
            print(f"  {secs:.0f} s{status}", flush=True)
            if rc:
                failed.append(name)
    print(f"report: {a.out}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
