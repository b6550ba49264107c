"""The disk filling up mid-write: a clear message in both languages, nothing half-written,
and a database that still opens, passes its check and holds everything saved before.

The test mounts a small filesystem of its own, so it runs as root only (CI runs as root);
elsewhere it is skipped and says why."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from migdesk.domain.errors import MigdeskError
from migdesk.services import Migdesk
from migdesk.services.health import check
from tests.helpers import admin, person

SIZE_K = 3072  # room for a new desk (its schema and first WAL take about 1.2 MB), little more


@pytest.fixture
def small_disk(tmp_path):
    where = tmp_path / "small"
    where.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root (CI runs as root)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE_K}k", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_registrations_until_the_disk_is_full(small_disk: Path) -> None:
    db = small_disk / "desk.db"
    # another file on the same disk, removed once the disk is full, as an officer frees space
    # when told to: signing in again is itself a write and needs a little room
    ballast = small_disk / "other-files"
    ballast.write_bytes(b"\0" * (256 << 10))
    app = admin(Migdesk.open(str(db)))
    saved: list[str] = []
    error: MigdeskError | None = None
    for i in range(5000):
        try:
            saved.append(app.candidates.register(person(
                f"{10_000_000_000 + i:011d}", notes="შენიშვნა " * 400)).id)
        except MigdeskError as exc:
            error = exc
            break
    assert error is not None and len(saved) >= 3, "the disk never filled"
    assert "დისკი სავსეა" in error.message("ka") and "disk is full" in error.message("en")
    app.close()
    ballast.unlink()
    again = admin(Migdesk.open(str(db), create=False))
    assert again.candidates.count() == len(saved)
    assert again.candidates.get(saved[-1], purpose=None).notes.startswith("შენიშვნა")
    report = check(again)
    assert report.ok, report
    again.close()


def test_an_export_to_a_full_disk_leaves_no_file_and_says_why(small_disk: Path, app,
                                                              capsys) -> None:
    import random

    from migdesk.cli import main

    rnd = random.Random(1)
    letters = "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ "
    for i in range(100):  # notes that do not compress away: the package needs room
        notes = "".join(rnd.choice(letters) for _ in range(2000))
        app.candidates.register(person(f"{10_000_000_000 + i:011d}", notes=notes))
    (small_disk / "filler").write_bytes(b"\0" * (SIZE_K * 1024 - 64 * 1024))
    out = small_disk / "package.mdp"
    code = main(["--lang", "ka", "--db", str(app.db.engine.url.database), "export", "-o",
                 str(out), "--full"])
    err = capsys.readouterr().err
    assert code != 0 and "Traceback" not in err
    assert "დისკი სავსეა" in err and "the disk is full" in err
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]  # no partial package
