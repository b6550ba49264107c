"""Spreadsheets in: dry run and import of an N-row XLSX candidate list, against a floor
measured in the same run (python-calamine reading the same file + raw sqlite3 executemany of
as many rows), and the peak memory (RSS) of an import at two sizes.

    python benchmarks/bench_sheets.py [--rows 50000] [--rss 20000,100000] [--repeat 1]

Each measurement runs in a fresh process, so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import BENCH_PASSWORD, print_table  # noqa: E402

HEADER = ["პირადი ნომერი", "სახელი", "გვარი", "დაბადების თარიღი", "სქესი", "რეგიონი",
          "პროფესია", "ენები", "ტელეფონი"]
FIRST = ["ნინო", "გიორგი", "ანა", "ლევან", "თამარ", "დავით", "მარიამ", "ლაშა", "ეკა", "ზურაბ",
         "ნათია", "ირაკლი", "სალომე", "ნიკა", "ქეთევან", "ბექა"]
SYL = ["ბე", "რი", "კა", "პა", "ნა", "ძე", "ლო", "მი", "გე", "ლა", "შვი", "ლი", "ჯა", "ფა",
       "ხუ", "ცი", "ჭა", "ვა", "თო", "სუ", "ღა", "ყი", "წე", "ჩო"]
REGIONS = ["Imereti", "თბილისი", "GE-KA", "აჭარა", "Guria", "Kvemo Kartli"]
OCC = ["7212", "5120", "Cooks", "9312", "8322", "შემდუღებლები და აირით მჭრელები"]
LANGS = ["en B2", "ru:C1, en:A2", "ინგლისური B1", "de A2", ""]


def build(path: Path, rows: int) -> None:
    """A synthetic list the way a desk keeps it (dates as dates, numbers as numbers)."""
    import xlsxwriter

    rnd = random.Random(rows)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("სია")
    datefmt = wb.add_format({"num_format": "dd.mm.yyyy"})
    ws.write_row(0, 0, ["კანდიდატების სია"])
    ws.write_row(1, 0, HEADER)
    pns = rnd.sample(range(10**9, 10**11), rows)
    for i in range(rows):
        r = i + 2
        ws.write_number(r, 0, pns[i])  # as Excel keeps a number: leading zeros lost
        ws.write_string(r, 1, rnd.choice(FIRST))
        ws.write_string(r, 2, "".join(rnd.choice(SYL) for _ in range(4)) + "ძე")
        ws.write_datetime(r, 3, dt.datetime(1960, 1, 1) + dt.timedelta(days=rnd.randrange(
            365 * 45)), datefmt)
        ws.write_string(r, 4, rnd.choice("ქკ"))
        ws.write_string(r, 5, rnd.choice(REGIONS))
        ws.write_string(r, 6, rnd.choice(OCC))
        ws.write_string(r, 7, rnd.choice(LANGS))
        ws.write_number(r, 8, 599000000 + i)
    wb.close()


def fresh_desk(path: Path):  # type: ignore[no-untyped-def]
    from migdesk.services import Migdesk

    app = Migdesk.open(str(path))
    app.accounts.create_first_admin("bench", "Bench Officer", BENCH_PASSWORD)
    return app


def child(what: str, file: str, db: str) -> None:
    """One measurement in this process: prints {seconds, rss_mb, counts}."""
    import resource

    out: dict[str, object] = {}
    if what == "floor-read":
        import python_calamine

        t = time.perf_counter()
        wb = python_calamine.CalamineWorkbook.from_path(file)
        n = sum(1 for _ in wb.get_sheet_by_name(wb.sheet_names[0]).iter_rows())
        out["rows"] = n
    elif what == "floor-write":
        rows = [(f"{i:011d}", "ნინო", "კაპანაძე", "NINO", "KAPANADZE", "1990-05-01", "f",
                 "GE-IM", "599123456") for i in range(int(file))]
        t = time.perf_counter()
        con = sqlite3.connect(db)
        con.execute("CREATE TABLE c (pn TEXT UNIQUE, f TEXT, l TEXT, fl TEXT, ll TEXT, b TEXT,"
                    " s TEXT, r TEXT, p TEXT)")
        con.executemany("INSERT INTO c VALUES (?,?,?,?,?,?,?,?,?)", rows)
        con.commit()
        con.close()
    else:
        app = fresh_desk(Path(db))
        t = time.perf_counter()
        svc = app.sheet_import
        plan = svc.dry_run(file) if what == "dry-run" else svc.import_(file)
        out["counts"] = plan.counts
        app.close()
    out["seconds"] = time.perf_counter() - t
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def run(what: str, file: Path | str, db: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    res = subprocess.run([sys.executable, __file__, "--child", what, str(file), str(db)],
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--rss", default="20000,100000")
    ap.add_argument("--child", nargs=3)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.environ["MIGDESK_HOME"] = str(tmp / "home")
        sizes = sorted({args.rows, *(int(x) for x in args.rss.split(",") if x)})
        files = {}
        for n in sizes:
            files[n] = tmp / f"list-{n}.xlsx"
            build(files[n], n)
        n = args.rows
        read = run("floor-read", files[n], tmp / "x.db")
        write = run("floor-write", str(n), tmp / "floor.db")
        floor = read["seconds"] + write["seconds"]
        dry = run("dry-run", files[n], tmp / "dry.db")
        imp = run("import", files[n], tmp / "imp.db")
        rows = [
            (f"dry run, {n:,} rows XLSX ({files[n].stat().st_size / 1e6:.1f} MB)",
             f"{dry['seconds']:.1f} s", f"{floor:.2f} s (calamine read {read['seconds']:.2f} s"
             f" + sqlite3 executemany {write['seconds']:.2f} s), ×{dry['seconds'] / floor:.0f}",
             "≤ 30 s"),
            (f"import, {n:,} rows: {imp['counts']}", f"{imp['seconds']:.1f} s",
             f"×{imp['seconds'] / floor:.0f}", "≤ 30 s"),
        ]
        for m in sizes:
            r = imp if m == n else run("import", files[m], tmp / f"rss-{m}.db")
            rows.append((f"import, {m:,} rows: peak RSS", f"{r['rss_mb']:.0f} MB "
                         f"({r['seconds']:.1f} s)", f"calamine read alone: "
                         f"{run('floor-read', files[m], tmp / 'x.db')['rss_mb']:.0f} MB",
                         "does not grow with the file"))
        print_table("Spreadsheets in", rows)


if __name__ == "__main__":
    main()
