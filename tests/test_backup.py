"""Backups and restore as an officer and an administrator meet them: the files, their
permissions and encryption, restoring (and refusing what cannot be restored), pruning, and a
damaged database refused at start with the newest good backup named."""

from __future__ import annotations

import datetime as dt
import os
import stat
import time
from pathlib import Path

import pytest

from migdesk import cli
from migdesk.services import Migdesk
from migdesk.services.app import DatabaseUnavailable
from migdesk.store import backup as store_backup
from migdesk.store.backup import BackupError, DamagedDatabase
from tests.conftest import TODAY
from tests.helpers import admin, dump, person

KA = "\u10d0"  # a Mkhedruli letter: the Georgian half of a message is there
NAME = "ზურაბიშვილი"  # the registered synthetic surname that must not appear in the clear
NUMBER = "01001099887"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def desk(db_path) -> Path:
    """A closed desk database with two synthetic candidates."""
    app = admin(Migdesk.open(str(db_path), today=lambda: TODAY))
    app.candidates.register(person())
    app.candidates.register(person(NUMBER, "ლევან", NAME, "1985-03-02"))
    app.close()
    return db_path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def add_one(db: Path, pn: str = "01001055555") -> None:
    app = admin(Migdesk.open(str(db), today=lambda: TODAY))
    try:
        app.candidates.register(person(pn, "თამარ", "გელაშვილი", "1992-07-07"))
    finally:
        app.close()


def test_a_restore_returns_exactly_what_was_backed_up(desk, capsys) -> None:
    before = dump(desk)
    code, out, err = run(capsys, "--db", str(desk), "backup")
    assert code == 0, err
    made = store_backup.newest(desk)
    assert made is not None and made.reason == "manual" and str(made.path) in out
    add_one(desk)
    assert dump(desk) != before
    code, out, err = run(capsys, "--db", str(desk), "restore", str(made.path))
    assert code == 0, err
    assert dump(desk) == before
    # the database it replaced is kept aside, whole, in the backups folder
    aside = [b for b in store_backup.list_backups(desk, include_replaced=True)
             if b.reason == "replaced"]
    assert len(aside) == 1 and str(aside[0].path) in out
    assert len(dump(aside[0].path)[0]) > 0
    assert not Path(f"{desk}-wal").exists() or Path(f"{desk}-wal").stat().st_size == 0
    code, out, _ = run(capsys, "--db", str(desk), "check")
    assert code == 0, out


def test_a_restore_while_the_database_is_open_elsewhere_is_refused(desk, capsys) -> None:
    run(capsys, "--db", str(desk), "backup")
    made = store_backup.newest(desk)
    assert made is not None
    add_one(desk)
    app = admin(Migdesk.open(str(desk)))  # a window, idle after a read
    try:
        app.candidates.search("")
        before = dump(desk)
        code, _out, err = run(capsys, "--db", str(desk), "restore", str(made.path))
        assert code != 0 and "in use by another migdesk" in err and KA in err
        assert dump(desk) == before
        assert len(app.candidates.search("").items) == 3  # it still works
    finally:
        app.close()
    assert run(capsys, "--db", str(desk), "restore", str(made.path))[0] == 0


def test_backups_and_their_folder_are_owner_only(desk, capsys, tmp_path) -> None:
    os.chmod(desk, 0o644)
    code, _out, err = run(capsys, "--db", str(desk), "backup")
    assert code == 0, err
    folder = store_backup.folder(desk)
    assert folder == desk.parent / "backups" and mode(folder) == 0o700
    files = list(folder.iterdir())
    assert len(files) == 1 and mode(files[0]) == 0o600
    key = tmp_path / "admin.pem"
    code, _out, err = run(capsys, "--db", str(desk), "backup", "key", "--new", str(key))
    assert code == 0, err
    assert mode(key) == 0o600
    out_file = tmp_path / "elsewhere.db.enc"
    code, _out, err = run(capsys, "--db", str(desk), "backup", "-o", str(out_file))
    assert code == 0, err
    assert mode(out_file) == 0o600
    assert {p.suffix for p in folder.iterdir()} == {".db"}  # no part left behind
    code, _out, err = run(capsys, "--db", str(desk), "restore", str(files[0]))
    assert code == 0, err
    assert mode(desk) == 0o600
    assert all(mode(p) == 0o600 for p in folder.iterdir())


def test_an_encrypted_backup_holds_no_plaintext_and_needs_the_key(desk, capsys,
                                                                   tmp_path) -> None:
    key = tmp_path / "admin.pem"
    code, out, err = run(capsys, "--db", str(desk), "backup", "key", "--new", str(key))
    assert code == 0, err
    before = dump(desk)
    code, out, err = run(capsys, "--db", str(desk), "backup")
    assert code == 0 and "Encrypted" in out, err
    made = store_backup.newest(desk)
    assert made is not None and made.encrypted and made.name.endswith(".db.enc")
    raw = made.path.read_bytes()
    for secret in (NAME.encode(), NUMBER.encode(), b"SQLite format 3", b"candidate"):
        assert secret not in raw
    assert store_backup.SQLITE_HEADER in desk.read_bytes()  # (the check can see plaintext)
    add_one(desk)
    changed = dump(desk)
    # without the key
    code, _out, err = run(capsys, "--db", str(desk), "restore", str(made.path))
    assert code != 0 and "encrypted" in err and "--key" in err and KA in err
    assert dump(desk) == changed
    # with another key
    other = tmp_path / "other.pem"
    pem, _public = store_backup.new_key_pair()
    store_backup.write_private_key(other, pem)
    code, _out, err = run(capsys, "--db", str(desk), "restore", str(made.path), "--key",
                          str(other))
    assert code != 0 and "another key" in err and KA in err
    assert dump(desk) == changed
    # with a file that is not a key
    code, _out, err = run(capsys, "--db", str(desk), "restore", str(made.path), "--key",
                          str(desk))
    assert code != 0 and "not a backup key file" in err
    # with the key
    code, out, err = run(capsys, "--db", str(desk), "restore", str(made.path), "--key", str(key))
    assert code == 0, err
    assert dump(desk) == before
    assert not list(store_backup.folder(desk).glob("*.part"))


def test_a_changed_encrypted_backup_is_refused(desk, capsys, tmp_path) -> None:
    key = tmp_path / "admin.pem"
    run(capsys, "--db", str(desk), "backup", "key", "--new", str(key))
    run(capsys, "--db", str(desk), "backup")
    made = store_backup.newest(desk)
    assert made is not None
    before = dump(desk)  # (the administrator's sign-in to restore is recorded; nothing else)
    data = bytearray(made.path.read_bytes())
    data[len(data) // 2] ^= 1
    flipped = tmp_path / "flipped.db.enc"
    flipped.write_bytes(bytes(data))
    cut = tmp_path / "cut.db.enc"
    cut.write_bytes(made.path.read_bytes()[:-100])
    for bad, says in ((flipped, "damaged or was changed"), (cut, "truncated")):
        code, _out, err = run(capsys, "--db", str(desk), "restore", str(bad), "--key", str(key))
        assert code != 0 and says in err and KA in err, err
        assert dump(desk) == before


@pytest.mark.parametrize("content", ["truncated", "garbage", "foreign", "empty"])
def test_a_damaged_or_foreign_file_is_refused_and_the_database_is_unchanged(
        desk, capsys, tmp_path, content) -> None:
    run(capsys, "--db", str(desk), "backup")
    made = store_backup.newest(desk)
    assert made is not None
    bad = tmp_path / "bad.db"
    if content == "truncated":
        bad.write_bytes(made.path.read_bytes()[: made.size // 2])
    elif content == "garbage":
        bad.write_bytes(b"SQLite format 3\x00" + os.urandom(50000))
    elif content == "foreign":
        import sqlite3

        con = sqlite3.connect(bad)
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
    else:
        bad.write_bytes(b"")
    before = dump(desk)  # the records (the sign-in to restore is recorded in the chain)
    code, out, err = run(capsys, "--db", str(desk), "restore", str(bad))
    assert code != 0 and out == ""
    assert "the database was not changed" in err and KA in err and "Traceback" not in err
    assert dump(desk) == before
    assert [b.reason for b in store_backup.list_backups(desk, include_replaced=True)] \
        == ["manual"]  # nothing was put aside, no part is left
    assert {p.name for p in store_backup.folder(desk).iterdir()} == {made.name}


def test_pruning_keeps_the_newest_n(desk, capsys) -> None:
    code, out, err = run(capsys, "--db", str(desk), "backup", "keep", "3")
    assert code == 0, err
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    for i in range(5):
        store_backup.make(desk, "daily", keep=3, now=start + dt.timedelta(days=i))
    app = admin(Migdesk.open(str(desk)))
    try:
        assert app.backups.keep() == 3
        made = app.backups.make()  # now: the newest
    finally:
        app.close()
    kept = store_backup.list_backups(desk)
    assert [b.path for b in kept][0] == made.path
    assert [b.at.day for b in kept[1:]] == [5, 4]
    assert len(list(store_backup.folder(desk).iterdir())) == 3


def test_automatic_backups_daily_once_and_before_an_import(desk, tmp_path) -> None:
    app = admin(Migdesk.open(str(desk)))
    try:
        first = app.backups.daily_if_due()
        assert first is not None and first.reason == "daily"
        assert app.backups.daily_if_due() is None  # one a day
        closing = app.backups.on_close()
        assert closing is not None and closing.reason == "close"
    finally:
        app.close()


def test_an_import_backs_up_the_desk_first(tmp_path) -> None:
    from tests.faults.killer import cli as in_process
    from tests.faults.killer import trusting_desks

    a, c, _desk = trusting_desks(tmp_path, 20)
    pkg = tmp_path / "a.mdp"
    assert in_process("--db", str(a), "export", "-o", str(pkg), "--full")[0] == 0
    before = dump(c)
    code, _out, err = in_process("--db", str(c), "import", str(pkg))
    assert code == 0, err
    made = [b for b in store_backup.list_backups(c) if b.reason == "before-import"]
    assert len(made) == 1
    assert dump(made[0].path) == before


@pytest.mark.parametrize("damage", ["header", "schema"])
def test_a_damaged_database_is_refused_at_start_naming_the_newest_backup(
        desk, capsys, damage) -> None:
    run(capsys, "--db", str(desk), "backup")
    time.sleep(0.002)
    run(capsys, "--db", str(desk), "backup")
    newest = store_backup.newest(desk)
    assert newest is not None
    data = bytearray(desk.read_bytes())
    if damage == "header":
        data[0:16] = b"not sqlite here!"
    else:  # the schema table on page 1: its cells overwritten
        data[100:4096] = os.urandom(3996)
    desk.write_bytes(bytes(data))
    with pytest.raises(DatabaseUnavailable) as caught:
        Migdesk.open(str(desk))
    assert str(newest.path) in caught.value.message("en")
    code, out, err = run(capsys, "--db", str(desk), "candidate", "list")
    assert code == 5 and out == ""
    assert "is damaged" in err and "so it was not opened" in err and KA in err
    assert f"migdesk restore {newest.path}" in err
    assert desk.read_bytes() == bytes(data)  # never opened for writing
    # and the named backup brings the desk back
    code, _out, err = run(capsys, "--db", str(desk), "restore", str(newest.path))
    assert code == 0, err
    assert run(capsys, "--db", str(desk), "check")[0] == 0


def test_a_damaged_database_without_backups_says_so(desk) -> None:
    data = bytearray(desk.read_bytes())
    data[0:16] = b"\x00" * 16
    desk.write_bytes(bytes(data))
    with pytest.raises(DatabaseUnavailable, match="There is no backup of it"):
        Migdesk.open(str(desk))


def test_the_full_quick_check_and_the_start_check(desk) -> None:
    assert store_backup.quick_check(desk) == []
    t = time.perf_counter()
    store_backup.check_openable(desk)
    assert time.perf_counter() - t < 0.2


def test_a_killed_backups_parts_are_removed_at_the_next_start(desk) -> None:
    folder = store_backup.folder(desk, create=True)
    dead = folder / f"{desk.name}.snapshot.999999999-0123abcd.part"
    dead.write_bytes(b"SQLite format 3\x00")
    mine = folder / f"{desk.name}.snapshot.{os.getpid()}-0123abcd.part"
    mine.write_bytes(b"SQLite format 3\x00")
    Migdesk.open(str(desk)).close()
    assert not dead.exists() and mine.exists()


def test_a_backup_of_a_damaged_database_is_refused(desk, tmp_path) -> None:
    import shutil
    import sqlite3

    (tmp_path / "other").mkdir()
    desk_copy = tmp_path / "other" / "copy.db"
    shutil.copyfile(desk, desk_copy)

    # damage a page that the start check does not read: an index's leaf
    con = sqlite3.connect(desk)
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = "
                       "'ix_change_log_entity'").fetchone()[0]
    page = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    data = bytearray(desk.read_bytes())
    data[(root - 1) * page + 8:(root - 1) * page + 200] = b"\xff" * 192
    desk.write_bytes(bytes(data))
    _pem, public = store_backup.new_key_pair()
    for key in (None, public):  # plain, and encrypted while the check runs beside it
        with pytest.raises(BackupError, match="integrity check"):
            store_backup.make(desk, "manual", public_key=key)
        with pytest.raises(BackupError, match="integrity check"):
            store_backup.make(desk, "manual", public_key=key, output=tmp_path / "out.db")
        assert store_backup.list_backups(desk) == []
        assert list(store_backup.folder(desk).iterdir()) == []
        assert not list(tmp_path.glob("out.db*"))
    # the window's background check after start finds it and names the newest good backup
    good = store_backup.make(desk_copy, "manual")
    app = admin(Migdesk.open(str(desk_copy)))
    try:
        copy_bytes = bytearray(desk_copy.read_bytes())
        copy_bytes[(root - 1) * page + 8:(root - 1) * page + 200] = b"\xff" * 192
        desk_copy.write_bytes(bytes(copy_bytes))
        with pytest.raises(DamagedDatabase) as caught:
            app.backups.at_start()
        assert str(good.path) in caught.value.message("en")
        assert [b.path for b in store_backup.list_backups(desk_copy)] == [good.path]
    finally:
        app.close()


def test_an_output_that_is_a_device_or_a_folder_is_refused(desk, capsys, tmp_path) -> None:
    for target, says in (("/dev/null", "not a regular file"), (str(tmp_path), "a folder")):
        code, out, err = run(capsys, "--db", str(desk), "backup", "-o", target)
        assert code != 0 and says in err and KA in err and out == ""
    assert Path("/dev/null").is_char_device()
    assert not list(tmp_path.glob("*.part"))


def test_a_backup_restores_onto_a_new_machine_and_is_listed(desk, capsys, tmp_path) -> None:
    import json

    run(capsys, "--db", str(desk), "backup")
    code, out, _err = run(capsys, "--db", str(desk), "backup", "list", "--format", "json")
    listed = json.loads(out)
    assert code == 0 and [b["reason"] for b in listed] == ["manual"]
    assert listed[0]["encrypted"] is False and listed[0]["size"] > 0
    fresh = tmp_path / "new-machine" / "migdesk.db"
    fresh.parent.mkdir()
    code, out, err = run(capsys, "--db", str(fresh), "restore", listed[0]["path"])
    assert code == 0 and "kept as" not in out, err
    assert dump(fresh) == dump(desk)
    assert mode(fresh.parent / "backups") == 0o700


def test_a_key_file_is_never_overwritten(desk, capsys, tmp_path) -> None:
    key = tmp_path / "admin.pem"
    key.write_text("keep me")
    code, _out, err = run(capsys, "--db", str(desk), "backup", "key", "--new", str(key))
    assert code != 0 and "exists already" in err and KA in err
    assert key.read_text() == "keep me"
