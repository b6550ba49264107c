"""Backups and restores killed at random moments: the database passes `migdesk check`, a
listed backup is always whole, a restore leaves the old database or the restored one (never
a mixture, never a lost WAL), and no plaintext copy is left readable by anyone but the owner
(the next start removes what a killed run left)."""

from __future__ import annotations

import io
import stat
from pathlib import Path

from migdesk.store import backup as store_backup
from tests.faults import killer
from tests.helpers import dump

CANDIDATES = 1000


def _parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.part*")) if folder.is_dir() else []


def _exposed(folder: Path, *others: Path) -> list[str]:
    """Unfinished files anyone but the owner could read, and a folder that lets them in."""
    bad = [f"{p.name} {stat.S_IMODE(p.stat().st_mode):o}" for p in _parts(folder)
           if stat.S_IMODE(p.stat().st_mode) & 0o077]
    if folder.is_dir() and stat.S_IMODE(folder.stat().st_mode) != 0o700:
        bad.append(f"folder {stat.S_IMODE(folder.stat().st_mode):o}")
    for d in others:
        for p in d.rglob("*"):
            if p.is_file():
                with open(p, "rb") as fh:
                    if fh.read(16) == store_backup.SQLITE_HEADER:
                        bad.append(f"plaintext database {p.name}")
    return bad


def _whole(backup: store_backup.BackupFile, key: Path) -> bool:
    """A listed backup decrypts completely (its integrity was checked before it was kept)."""
    sink = io.BytesIO()
    try:
        with open(backup.path, "rb") as fh:
            store_backup.decrypt(fh, sink, store_backup.load_private_key(key))
    except store_backup.BackupError:
        return False
    return sink.getvalue().startswith(store_backup.SQLITE_HEADER)


def _desk(child) -> tuple[Path, Path]:
    db, key = child.root / "d.db", child.root / "admin.pem"
    for argv in (("--db", str(db), "init", "--admin", "tester"),
                 ("--db", str(db), "demo", "--candidates", str(CANDIDATES)),
                 ("--db", str(db), "backup", "key", "--new", str(key))):
        code, _out, err = killer.cli(*argv)
        assert code == 0, err
    return db, key


def test_backup_survives_kills(child) -> None:
    db, key = _desk(child)
    folder = store_backup.folder(db)
    first = child.run("--db", str(db), "backup")
    assert first.code == 0, first.err
    tally = killer.Tally(f"encrypted backup ({CANDIDATES} candidates)")
    killer.TALLIES.append(tally)
    before = dump(db)
    newest = store_backup.newest(db)
    for i, delay in enumerate(killer.delays("backup", killer.kills(10), first.seconds)):
        o = child.run("--db", str(db), "backup", delay=delay)
        tally.kills += o.killed
        tally.finished += not o.killed
        for problem in _exposed(folder, child.tmp):
            tally.fail("plaintext readable by others", f"kill {i} at {delay:.2f}s: {problem}")
        if _parts(folder):
            tally.note("owner-only part left until the next start", f"kill {i}")
        if o.killed and store_backup.newest(db) != newest:
            tally.note("killed after the backup was kept", f"kill {i}")
        newest = store_backup.newest(db)
        code, report = killer.check(db)  # a start: it also removes what the kill left
        if code != 0:
            tally.fail("check failed", f"kill {i} at {delay:.2f}s: {report}")
        if _parts(folder):
            tally.fail("part left after the next start", f"kill {i}: {_parts(folder)}")
        if dump(db) != before:
            tally.fail("database changed by a backup", f"kill {i} at {delay:.2f}s")
        for b in store_backup.list_backups(db):
            if not _whole(b, key):
                tally.fail("a listed backup is not whole", f"kill {i}: {b.name}")
    assert not tally.failures, tally.summary()
    assert tally.kills >= 1, tally.summary()


def test_restore_survives_kills(child) -> None:
    db, key = _desk(child)
    code, _out, err = killer.cli("--db", str(db), "backup")
    assert code == 0, err
    made = store_backup.newest(db)
    assert made is not None and made.encrypted
    restored_copy = killer.copy_db(db, child.root / "restored.db")
    code, _out, err = killer.cli("--db", str(db), "candidate", "add", "--personal-number",
                                 "01001077777", "--first-name", "ნინო", "--last-name",
                                 "კაპანაძე", "--birth-date", "1990-05-01")
    assert code == 0, err
    old, new = dump(db), dump(restored_copy)
    assert old != new
    folder = store_backup.folder(db)
    probe = killer.copy_db(db, child.root / "probe.db")
    first = child.run("--db", str(probe), "restore", str(made.path), "--key", str(key))
    assert first.code == 0, first.err
    tally = killer.Tally(f"encrypted restore ({CANDIDATES} candidates)")
    killer.TALLIES.append(tally)
    for i, delay in enumerate(killer.delays("restore", killer.kills(10), first.seconds)):
        target = killer.copy_db(db, child.root / f"r{i}.db")
        o = child.run("--db", str(target), "restore", str(made.path), "--key", str(key),
                      delay=delay)
        tally.kills += o.killed
        tally.finished += not o.killed
        for problem in _exposed(folder, child.tmp):
            tally.fail("plaintext readable by others", f"kill {i} at {delay:.2f}s: {problem}")
        got = dump(target)
        if got not in (old, new):
            tally.fail("neither the old nor the restored database", f"kill {i} at {delay:.2f}s")
        if o.killed:
            tally.note("killed with the old database in place" if got == old
                       else "killed with the restored one in place", f"kill {i}")
        if not o.killed and got != new:
            tally.fail("finished but not restored", o.err[-300:])
        code, report = killer.check(target)
        if code != 0:
            tally.fail("check failed", f"kill {i} at {delay:.2f}s: {report}")
        if _parts(folder):
            tally.fail("part left after the next start", f"kill {i}: {_parts(folder)}")
        if got == old and i % 3 == 0:  # the officer restores again: it works
            again = child.run("--db", str(target), "restore", str(made.path), "--key", str(key))
            if again.code != 0 or dump(target) != new:
                tally.fail("restore after a kill failed", again.err[-300:])
    assert not tally.failures, tally.summary()
    assert tally.kills >= 1, tally.summary()
