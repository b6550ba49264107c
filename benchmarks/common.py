"""Shared pieces of the benchmark scripts: timing, percentiles, the table, the demo database."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), percentile(values, 95)


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}, "
            f"Python {platform.python_version()}")


def print_table(title: str, rows: list[tuple[str, str, str, str]]) -> None:
    """rows: (what, measured, floor / comparison, target)."""
    print(f"\n### {title}\n")
    print(f"Machine: {machine()}\n")
    print("| measurement | median (p95) | floor, ratio | target |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} |")


BENCH_PASSWORD = "bench-password"


def signed_in(app):  # type: ignore[no-untyped-def]
    """Sign `app` in: as `demo` on a demo database, else as the desk's administrator
    `bench` (made on a new desk)."""
    if app.signed_in:
        return app
    if not app.accounts.any():
        app.accounts.create_first_admin("bench", "Bench Officer", BENCH_PASSWORD)
    elif app.is_demo:
        app.sign_in("demo", "demo")
    else:
        app.sign_in("bench", BENCH_PASSWORD)
    return app


def demo_database(candidates: int, rebuild: bool = False) -> tuple[Path, float | None]:
    """A demo database with N candidates (cached between runs); returns (path, build seconds)."""
    from migdesk.services import Migdesk
    from migdesk.services.demo import load_demo

    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"core-{candidates}.db"
    if path.exists() and not rebuild:
        return path, None
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    app = Migdesk.open(str(path))
    t = time.perf_counter()
    load_demo(app, candidates=candidates, seed=2019)
    took = time.perf_counter() - t
    app.close()
    return path, took
