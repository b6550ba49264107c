"""Backups of a demo desk: migdesk's checked (and encrypted) backup and restore, and the
start check, against raw sqlite3 as the floor (the same run, the same file).

    python benchmarks/bench_backup.py --candidates 100000 [--repeat 3] [--rebuild]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import demo_database, print_table, summary, timed  # noqa: E402


def raw_backup(src: Path, dst: Path) -> None:
    s, d = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        s.backup(d)
    finally:
        s.close()
        d.close()


def raw_check(path: Path, pragma: str) -> None:
    con = sqlite3.connect(path)
    try:
        assert con.execute(f"PRAGMA {pragma}").fetchall() == [("ok",)]
    finally:
        con.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--candidates", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()

    from migdesk.store import backup as store_backup

    cached, _build = demo_database(args.candidates, args.rebuild)
    with tempfile.TemporaryDirectory(dir=cached.parent) as tmp_name:
        tmp = Path(tmp_name)
        db = tmp / "desk.db"
        raw_backup(cached, db)  # a closed, checkpointed copy: the backups go beside it
        size_mb = db.stat().st_size / 1e6
        pem, public = store_backup.new_key_pair()
        key_file = tmp / "admin.pem"
        store_backup.write_private_key(key_file, pem)
        private = store_backup.load_private_key(key_file)
        n = args.repeat

        def floor_backup() -> None:
            out = tmp / "floor.db"
            out.unlink(missing_ok=True)
            raw_backup(db, out)

        def floor_checked() -> None:
            floor_backup()
            raw_check(tmp / "floor.db", "integrity_check")

        def floor_written_twice() -> None:
            """What an encrypted backup must do at least: back up, check, and write the
            data a second time, durably."""
            floor_checked()
            with open(tmp / "floor.db", "rb") as fin, open(tmp / "floor.bin", "wb") as fout:
                shutil.copyfileobj(fin, fout, 1 << 20)
                fout.flush()
                os.fsync(fout.fileno())

        known = {_head()}
        floor: list[float] = []
        floor_c: list[float] = []
        floor_2: list[float] = []
        plain: list[float] = []
        sealed: list[float] = []
        restore: list[float] = []
        copy: list[float] = []
        for _ in range(n):  # interleaved, so that a busy moment of the machine hits all alike
            floor.append(timed(floor_backup))
            plain.append(timed(lambda: store_backup.make(db, "manual", keep=1)))
            floor_c.append(timed(floor_checked))
            sealed.append(timed(lambda: store_backup.make(db, "manual", keep=1,
                                                          public_key=public)))
            floor_2.append(timed(floor_written_twice))
            made = store_backup.newest(db)
            assert made is not None and made.encrypted
            copy.append(timed(lambda m=made: shutil.copyfile(m.path, tmp / "copy.bin")))
            restore.append(timed(lambda m=made: store_backup.restore(
                db, m.path, private_key=private, known_revisions=known)))
        start = [timed(lambda: store_backup.check_openable(db)) for _ in range(50)]

        def raw_start() -> None:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            con.close()

        start_floor = [timed(raw_start) for _ in range(50)]
        quick = [timed(lambda: store_backup.quick_check(db)) for _ in range(n)]

    med = statistics.median
    f, fc = med(floor), med(floor_c)
    rows = [
        (f"backup, plain, {args.candidates:,} candidates ({size_mb:.0f} MB)",
         f"{med(plain) / 1000:.2f} s", f"raw backup() {f / 1000:.2f} s (×{med(plain) / f:.1f}); "
         f"raw backup() + integrity_check {fc / 1000:.2f} s (×{med(plain) / fc:.2f})",
         "≤ 1.2× raw backup + check"),
        ("backup, encrypted (X25519 + AES-256-GCM, streamed)", f"{med(sealed) / 1000:.2f} s",
         f"raw backup() + integrity_check + an fsynced copy {med(floor_2) / 1000:.2f} s "
         f"(×{med(sealed) / med(floor_2):.2f})", "≤ 1.3× that floor"),
        ("restore of the encrypted backup (decrypt, integrity_check, put aside, rename)",
         f"{med(restore) / 1000:.2f} s",
         f"copy of the file {med(copy) / 1000:.2f} s + integrity_check "
         f"{(fc - f) / 1000:.2f} s", "—"),
        ("start check (header, schema parses)", "{:.2f} ms ({:.2f})".format(*summary(start)),
         "raw sqlite3 open + sqlite_master {:.2f} ms ({:.2f})".format(*summary(start_floor)),
         "≤ 5 ms"),
        ("quick_check (for the window, in the background)", f"{med(quick) / 1000:.2f} s", "—",
         "—"),
    ]
    print_table(f"Backups, {args.candidates:,} candidates (median of {n})", rows)


def _head() -> str:
    from migdesk.store.db import head_revision

    return head_revision()


if __name__ == "__main__":
    main()
