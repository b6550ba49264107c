"""Benchmark of spreadsheets out: `candidate list -o` of 100,000 candidates to XLSX and CSV,
and `stats` over 100,000 candidates, each against a raw floor measured in the same run
(plain sqlite3 SELECT of the same rows written by csv.writer / XlsxWriter; the same GROUP BY
queries through sqlite3 with no workbook), and the peak RSS of a process doing only that
export at 20,000 and at 100,000 candidates (it must not grow with the size).

Stand-alone: `python benchmarks/bench_sheets_out.py` (`--quick`: 5,000 and 20,000).
Synthetic people only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine, signed_in  # noqa: E402
from migdesk.domain.statuses import CandidateStatus as S  # noqa: E402
from migdesk.domain.vocab import Sex  # noqa: E402
from migdesk.store.journal import bulk_create  # noqa: E402
from migdesk.store.people import (  # noqa: E402
    Candidate,
    CandidateOccupation,
    Placement,
    StatusChange,
)

FIRST = [("ნინო", "NINO"), ("გიორგი", "GIORGI"), ("ანა", "ANA"), ("დავით", "DAVIT"),
         ("მარიამ", "MARIAM"), ("ლევან", "LEVAN"), ("თამარ", "TAMAR"), ("ირაკლი", "IRAKLI")]
LAST = [("ბერიძე", "BERIDZE"), ("კაპანაძე", "KAPANADZE"), ("გელაშვილი", "GELASHVILI"),
        ("მამედოვი", "MAMEDOVI"), ("ჯავახიშვილი", "JAVAKHISHVILI"), ("ლომიძე", "LOMIDZE")]
REGIONS = ("GE-TB", "GE-IM", "GE-KK", "GE-AJ", "GE-SZ", "GE-KA", "GE-SK", "GE-SJ", "GE-MM")
ISCO = ("9211", "7212", "8332", "7115", "7411", "5120", "5322", "9112", "2221", "3221")
TODAY = dt.date(2026, 11, 24)


def fill(app, n: int, seed: int = 1) -> None:  # type: ignore[no-untyped-def]
    """n synthetic candidates (a tenth with a leading zero in the personal number), each
    with an occupation and a registration; one in twenty screened, shortlisted, selected,
    departed and employed abroad with a placement. Bulk-created in batches of 5,000."""
    rnd = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    for start in range(0, n, 5000):
        cands, occs, hist, places = [], [], [], []
        for i in range(start, min(n, start + 5000)):
            f, last = rnd.choice(FIRST), rnd.choice(LAST)
            cid = f"{seed:08x}-0000-4000-8000-{i:012x}"
            placed = i % 20 == 0
            code = ISCO[i % len(ISCO)]
            cands.append(dict(
                id=cid, personal_number=f"{i % 10}{seed % 10}{i:09d}",
                first_name_ka=f[0], last_name_ka=last[0], first_name_lat=f[1],
                last_name_lat=last[1], birth_date=dt.date(1962 + i % 44, 1 + i % 12,
                                                          1 + i % 28),
                sex=(Sex.F, Sex.M, None)[i % 3], region=REGIONS[i % len(REGIONS)],
                passport_expiry=dt.date(2027 + i % 9, 1 + i % 12, 1) if i % 2 else None,
                status=S.EMPLOYED if placed else S.REGISTERED,
                registered_on=TODAY - dt.timedelta(days=i % 700)))
            occs.append(dict(candidate_id=cid, isco_code=code, years=i % 10))
            hist.append(dict(candidate_id=cid, from_status=None, to_status=S.REGISTERED,
                             changed_at=now, officer="bench", reason="registration"))
            if placed:
                prev = S.REGISTERED
                for step in (S.SCREENED, S.SHORTLISTED, S.SELECTED, S.DEPARTED, S.EMPLOYED):
                    hist.append(dict(candidate_id=cid, from_status=prev, to_status=step,
                                     changed_at=now, officer="bench", reason="bench"))
                    prev = step
                places.append(dict(candidate_id=cid, employer="Bench Sp. z o.o.",
                                   country=("PL", "FR", "IL")[i % 3], isco_code=code,
                                   start_date=TODAY - dt.timedelta(days=i % 300)))
        with app.unit_of_work("bench") as s:
            bulk_create(s, Candidate, cands)
            bulk_create(s, CandidateOccupation, occs)
            bulk_create(s, StatusChange, hist)
            bulk_create(s, Placement, places)


def peak_mb() -> float:
    """The process's peak resident set (VmHWM) in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Start the peak over (Linux: writing 5 to clear_refs resets VmHWM), so that opening
    the desk and the sign-in's password hashing are not counted as the export's memory."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


# -- one measurement in a fresh process (its own peak RSS) ---------------------------------
def child(db: str, what: str, out: str) -> None:
    from migdesk.services import Migdesk

    app = signed_in(Migdesk.open(db, today=lambda: TODAY))
    if what.endswith("-smallcache"):  # SQLite's page cache at its 2 MB default, not 64 MB
        what = what.removesuffix("-smallcache")
        with app.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA cache_size=-2000")
    import xlsxwriter  # noqa: F401 - imported before the peak is reset, for every row alike

    import migdesk.services.sheet_export  # noqa: F401
    base = peak_mb()
    reset_peak()
    t = time.perf_counter()
    if what in ("xlsx", "csv"):
        from migdesk.services.sheet_export import SheetExportService

        rows = SheetExportService(app).candidates(out, what).rows
    elif what == "stats":
        from migdesk.services.sheet_export import SheetExportService

        rows = SheetExportService(app).statistics(out).rows
    else:
        rows = _floor(db, what, out)
    secs = time.perf_counter() - t
    app.close()
    print(json.dumps({"secs": secs, "rows": rows, "peak": peak_mb(), "base": base}))


FLOOR_SQL = ("SELECT personal_number, last_name_ka, first_name_ka, last_name_lat, "
             "first_name_lat, birth_date, sex, region, status, passport_expiry, id "
             "FROM candidate WHERE deleted = 0 ORDER BY last_name_ka, first_name_ka, id")


def _floor(db: str, what: str, out: str) -> int:
    """The least any export must do: the same rows by plain sqlite3, written by csv.writer
    (UTF-8 with BOM) or by XlsxWriter in constant-memory mode with typed cells; for stats,
    the same kind of GROUP BY queries and nothing else."""
    import csv
    import sqlite3

    con = sqlite3.connect(db)
    n = 0
    if what == "floor-csv":
        with open(out, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            for n, row in enumerate(con.execute(FLOOR_SQL), start=1):  # noqa: B007
                w.writerow(row)
    elif what == "floor-xlsx":
        import xlsxwriter

        wb = xlsxwriter.Workbook(out, {"constant_memory": True})
        ws = wb.add_worksheet()
        date_f = wb.add_format({"num_format": "yyyy-mm-dd"})
        epoch = dt.date(1899, 12, 30).toordinal()
        for n, row in enumerate(con.execute(FLOOR_SQL), start=1):  # noqa: B007
            for i, v in enumerate(row):
                if v is None:
                    continue
                if i in (5, 9):
                    ws.write_number(n, i, dt.date.fromisoformat(v).toordinal() - epoch, date_f)
                else:
                    ws.write_string(n, i, v)
        wb.close()
    else:  # floor-stats
        for sql in (
                "SELECT region, count(*) FROM candidate WHERE deleted=0 GROUP BY region",
                "SELECT substr(registered_on,1,7), count(*) FROM candidate GROUP BY 1",
                "SELECT substr(isco_code,1,1), count(DISTINCT candidate_id) "
                "FROM candidate_occupation GROUP BY 1",
                "SELECT isco_code, count(DISTINCT candidate_id) FROM candidate_occupation "
                "GROUP BY 1",
                "SELECT sex, substr(birth_date,1,3), count(*) FROM candidate GROUP BY 1, 2",
                "SELECT from_status, to_status, count(*) FROM status_change GROUP BY 1, 2",
                "SELECT country, count(*) FROM placement GROUP BY 1"):
            n += len(con.execute(sql).fetchall())
    con.close()
    return n


def run_child(db: Path, what: str, out: Path) -> dict[str, float]:
    res = subprocess.run([sys.executable, __file__, "--child", str(db), what, str(out)],
                         capture_output=True, text=True, check=False, env=os.environ)
    if res.returncode:
        raise SystemExit(res.stderr)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--child", nargs=3, metavar=("DB", "WHAT", "OUT"), help=argparse.SUPPRESS)
    p.add_argument("--sizes", default="20000,100000")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--quick", action="store_true")
    args = p.parse_args()
    if args.child:
        child(*args.child)
        return 0
    sizes = [5000, 20000] if args.quick else [int(x) for x in args.sizes.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="migdesk-bench-sheets-"))
    os.environ["MIGDESK_HOME"] = str(tmp / "home")
    from migdesk.services import Migdesk

    results: dict[tuple[int, str], list[dict[str, float]]] = {}
    try:
        for n in sizes:
            db = tmp / f"d{n}.db"
            app = signed_in(Migdesk.open(str(db), today=lambda: TODAY))
            t = time.perf_counter()
            fill(app, n)
            app.close()
            print(f"# filled {n} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
            for what, ext in (("xlsx", "xlsx"), ("floor-xlsx", "xlsx"), ("csv", "csv"),
                              ("floor-csv", "csv"), ("stats", "xlsx"),
                              ("floor-stats", "txt"), ("xlsx-smallcache", "xlsx")):
                for _ in range(args.repeat):
                    r = run_child(db, what, tmp / f"out-{what}.{ext}")
                    results.setdefault((n, what), []).append(r)
    finally:
        _print(results, sizes)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _print(results: dict[tuple[int, str], list[dict[str, float]]], sizes: list[int]) -> None:
    print("\n### Spreadsheets out\n")
    print(f"Machine: {machine()}\n")
    print("| measurement | median s | floor s, ratio | peak RSS MB at " +
          " / ".join(f"{n // 1000}k" for n in sizes) + " | target |")
    print("|---|---|---|---|---|")
    big = sizes[-1]
    for what, floor, label, target in (
            ("xlsx", "floor-xlsx", "candidate list -o .xlsx", "≤ 10 s"),
            ("csv", "floor-csv", "candidate list -o .csv", "≤ 2 s"),
            ("stats", "floor-stats", "stats -o .xlsx (9 sheets)", "≤ 10 s")):
        if (big, what) not in results:
            continue
        m = statistics.median(r["secs"] for r in results[(big, what)])
        f = statistics.median(r["secs"] for r in results[(big, floor)])
        peaks = " / ".join(f"{max(r['peak'] for r in results[(n, what)]):.0f}"
                           for n in sizes if (n, what) in results)
        fpeaks = " / ".join(f"{max(r['peak'] for r in results[(n, floor)]):.0f}"
                            for n in sizes if (n, floor) in results)
        print(f"| {label}, {big:,} candidates | {m:.2f} | {f:.2f}, ×{m / f:.1f} | {peaks} "
              f"(floor {fpeaks}) | {target} |")
    if (big, "xlsx-smallcache") in results:
        m = statistics.median(r["secs"] for r in results[(big, "xlsx-smallcache")])
        peaks = " / ".join(f"{max(r['peak'] for r in results[(n, 'xlsx-smallcache')]):.0f}"
                           for n in sizes if (n, "xlsx-smallcache") in results)
        print(f"| candidate list -o .xlsx with SQLite's page cache at 2 MB | {m:.2f} | | "
              f"{peaks} | flat |")


if __name__ == "__main__":
    raise SystemExit(main())
