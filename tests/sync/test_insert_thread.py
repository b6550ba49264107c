"""A large import makes its inserts on a second thread (store/insert_thread.py): the result is
the same as merging in line, a failure there refuses the package and keeps nothing, and a
cancelled import leaves the desk as it was."""

from __future__ import annotations

import hashlib
import sqlite3
import threading

import pytest
from sqlalchemy import select

from migdesk.services.sync import Cancelled
from migdesk.store import insert_thread
from migdesk.store.insert_thread import InsertThread
from migdesk.store.local import ChangeEntry
from migdesk.store.people import Attachment
from migdesk.sync import merge
from migdesk.sync.errors import PackageRefused
from tests.sync.net import content, dump, introduce, network, open_desk, register, send
from tests.sync.test_exchange import edit
from tests.sync.test_progress import many


def memory_table(limit: int | None = None) -> sqlite3.Connection:
    """A table whose row numbers SQLite gives in the order rows arrive."""
    con = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    con.execute("CREATE TABLE t (seq INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER UNIQUE, "
                "word TEXT, note TEXT)")
    if limit:
        con.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
    return con


@pytest.mark.parametrize("limit", [None, 40])
def test_every_row_is_written_once_in_the_order_given(limit) -> None:
    con = memory_table(limit)
    con.execute("BEGIN")
    w = InsertThread(con)
    counts = [0, 1, 5, 12, 13, 14, 17, 129, 1025, 6001]
    start, expected = 0, []
    for n in counts:
        rows = [(i, f"ნ{i}", None if i % 3 else "x") for i in range(start, start + n)]
        w.insert("t", ["n", "word", "note"], rows)
        expected += rows
        start += n
    w.drain()
    w.close()
    assert con.execute("SELECT n, word, note FROM t ORDER BY seq").fetchall() == expected


def test_a_failed_block_is_raised_and_nothing_after_it_is_written() -> None:
    con = memory_table()
    con.execute("BEGIN")
    w = InsertThread(con)
    w.insert("t", ["n", "word"], [(1, "a"), (2, "b")])
    w.insert("t", ["n", "word"], [(2, "again")])  # the same key: refused by SQLite
    w.insert("t", ["n", "word"], [(3, "c")])
    with pytest.raises(sqlite3.IntegrityError):
        w.drain()
    with pytest.raises(sqlite3.IntegrityError):
        w.insert("t", ["n", "word"], [(4, "d")])
    w.close()
    assert [r[0] for r in con.execute("SELECT n FROM t")] == [1, 2]
    con.execute("ROLLBACK")
    assert con.execute("SELECT count(*) FROM t").fetchone() == (0,)
    w.close()  # a second close does nothing
    with pytest.raises(RuntimeError):
        w.insert("t", ["n"], [(5,)])


def insert_threads(monkeypatch, lazy: bool = False) -> list[int]:
    """Record how many rows each insert thread was given. A lazy one writes nothing until it
    is drained, so that a read the merger made without waiting would miss rows."""
    given: list[int] = []

    class Counting(InsertThread):
        def insert(self, table, columns, rows):
            given.append(len(rows))
            super().insert(table, columns, rows)

    class Lazy(Counting):
        pending: list = []

        def insert(self, table, columns, rows):
            self.pending = [*self.pending, (table, columns, rows)]

        def drain(self):
            for job in self.pending:
                super().insert(*job)
            self.pending = []
            super().drain()

    monkeypatch.setattr(merge, "InsertThread", Lazy if lazy else Counting)
    return given


@pytest.fixture
def history(tmp_path):
    """A central store whose journal has what desks send: registrations on two desks, one
    personal number on both (a duplicate), edits, a deletion, a conflict, a scan, reference
    data."""
    with network(tmp_path) as (c, a, b):
        yield tmp_path, central_history(tmp_path, c, a, b)


def central_history(tmp_path, c, a, b):
    a.partners.add("PL", "negotiating")
    ids = [register(a, f"0100101234{i}") for i in range(5)]
    register(b, "01001012340", "ნინა", "ბერიძე")  # A's first number, another person
    register(b, "02002012345", "გიორგი", "ბერიძე")
    scan = b"%PDF-1.4 synthetic consent form\n" * 50
    with a.unit_of_work("scan") as s:
        s.add(Attachment(candidate_id=ids[0], kind="consent", filename="consent.pdf",
                         media_type="application/pdf", sha256=hashlib.sha256(scan).hexdigest(),
                         size=len(scan), data=scan))
    send(tmp_path, a, c)
    send(tmp_path, b, c)
    send(tmp_path, c, b)
    edit(a, ids[1], phone="555111111")
    edit(b, ids[1], phone="555222222")  # the same field on both sides: a conflict
    edit(a, ids[2], personal_number="01001012399", last_name_ka="გელაშვილი")
    a.candidates.delete(ids[3], "moved abroad")
    send(tmp_path, a, c)
    send(tmp_path, b, c)
    assert len(c.sync.duplicates()) == 1 and len(c.sync.conflicts()) == 1
    return c


def journal(app) -> list[str]:
    with app.reading() as s:
        return list(s.scalars(select(ChangeEntry.change_id).order_by(ChangeEntry.seq)))


@pytest.mark.parametrize("remember, lazy", [(merge.REMEMBER, False), (1, False),
                                            (merge.REMEMBER, True), (1, True)])
def test_with_the_inserts_on_a_second_thread_a_new_desk_gets_what_it_gets_in_line(
        history, monkeypatch, remember, lazy) -> None:
    """The central store's whole journal into two new desks, one merging in line and one in
    chunks of three changes with its inserts on the second thread (so that a chunk's
    parents, the duplicate's first holder and the edited records were written by it), in
    statements of two rows at most (the journal's order must survive the split), with the
    ids and numbers of earlier chunks remembered or (past the limit) asked for, and with a
    thread that writes nothing until the merger waits for it."""
    tmp, c = history
    monkeypatch.setattr(merge, "REMEMBER", remember)
    monkeypatch.setattr(insert_thread, "MAX_ROWS", 2)
    x = open_desk(str(tmp / "x.db"), "Desk X")
    y = open_desk(str(tmp / "y.db"), "Desk Y")
    introduce(tmp, c, x, y)
    in_line = send(tmp, c, x, full=True)
    given = insert_threads(monkeypatch, lazy)
    monkeypatch.setattr(merge, "BULK_MIN", 1)
    monkeypatch.setattr(merge, "CHUNK", 3)
    threaded = send(tmp, c, y, full=True)
    assert sum(given) > threaded.stats.applied  # journal lines and records went through it
    assert threaded.stats == in_line.stats and threaded.stats.duplicates == 1
    assert content(y) == content(x)
    assert journal(y) == journal(x)
    assert [(d.local_id, d.incoming_id) for d in y.sync.duplicates()] == \
        [(d.local_id, d.incoming_id) for d in x.sync.duplicates()]
    assert [r.personal_number for r in y.candidates.search("გელაშვილი").items] == \
        ["01001012399"]
    with y.reading() as s:
        assert s.scalars(select(Attachment.data)).one().startswith(b"%PDF-1.4")
    assert not [t for t in threading.enumerate() if t.name == "migdesk-inserts"]
    x.close()
    y.close()


def test_a_change_listed_twice_fails_on_the_second_thread_and_nothing_is_kept(
        history, monkeypatch) -> None:
    import zipfile

    from migdesk.sync import keys as keymod
    from migdesk.sync.package import write_package
    from migdesk.sync.seal import unseal

    tmp, c = history
    y = open_desk(str(tmp / "y.db"), "Desk Y")
    introduce(tmp, c, y)
    sealed, plain = tmp / "sealed.mdp", tmp / "plain.zip"
    c.sync.export(sealed, full=True, to=y.desk_id)
    with open(sealed, "rb") as src, open(plain, "wb") as dst:
        unseal(src, dst, keymod.load_keys(y.desk_id).sealing)
    with zipfile.ZipFile(plain) as zf:
        lines = zf.read("changes.jsonl").decode().splitlines(keepends=True)
        scans = [(n.split("/")[-1], zf.read(n)) for n in zf.namelist() if "/" in n]
    assert scans  # the consent form travels with its record
    lines.append(lines[0])  # the first registration again, chunks later
    path = tmp / "twice.mdp"
    write_package(path, {"package_id": "5b0f1c2e-8f0e-4d7e-9a55-0d9d6b1c1a09",
                         "schema": "0003", "desk_id": c.desk_id, "desk_name": "C", "to": "*",
                         "full": True, "seq_from": 1, "seq_to": len(lines)},
                  lines, lambda: scans, keymod.load_keys(c.desk_id))
    given = insert_threads(monkeypatch)
    monkeypatch.setattr(merge, "BULK_MIN", 1)
    monkeypatch.setattr(merge, "CHUNK", 3)
    before = dump(y)
    with pytest.raises(PackageRefused) as info:
        y.sync.import_package(path)
    assert given and dump(y) == before
    assert "UNIQUE constraint failed" in info.value.message("en")
    assert "Traceback" not in info.value.message("ka")
    assert not [t for t in threading.enumerate() if t.name == "migdesk-inserts"]
    y.close()


def test_cancelling_with_inserts_pending_leaves_the_desk_as_it_was(tmp_path,
                                                                 monkeypatch) -> None:
    c = open_desk(str(tmp_path / "c.db"), "C", "central")
    a = open_desk(str(tmp_path / "a.db"), "A")
    introduce(tmp_path, c, a)
    many(a, 6_000)  # 12,000 changes: each candidate and its history
    pkg = tmp_path / "all.mdp"
    a.sync.export(pkg)
    given = insert_threads(monkeypatch)
    monkeypatch.setattr(merge, "BULK_MIN", 1)
    before = dump(c)
    with pytest.raises(Cancelled):
        c.sync.import_package(pkg, progress=lambda done, total: done < 10_000)
    assert given and dump(c) == before  # the first 5,000 were written, then rolled back
    assert not [t for t in threading.enumerate() if t.name == "migdesk-inserts"]
    assert c.sync.import_package(pkg).stats.applied == 12_000
    assert c.candidates.count() == 6_000
    a.close()
    c.close()


def test_statement_sizes_stay_few(monkeypatch) -> None:
    """However many rows a block has, only a handful of statement sizes are prepared."""
    seen = set()
    con = memory_table()
    con.execute("BEGIN")
    w = InsertThread(con)
    real = insert_thread._statement
    monkeypatch.setattr(insert_thread, "_statement",
                        lambda table, cols, n: seen.add(n) or real(table, cols, n))
    start = 0
    for n in range(1, 300, 7):
        w.insert("t", ["n"], [(i,) for i in range(start, start + n)])
        start += n
    w.drain()
    w.close()
    assert con.execute("SELECT count(*) FROM t").fetchone() == (start,)
    assert seen and seen <= {16, 128, 1024, insert_thread.MAX_ROWS}


def test_a_database_in_memory_loads_a_large_package_in_line(tmp_path, monkeypatch) -> None:
    """A database in memory lives in its one connection: no second thread, no switch of
    journal (which would close that connection and lose the database)."""
    c = open_desk("sqlite://", "Central", "central")
    a = open_desk(str(tmp_path / "a.db"), "A")
    introduce(tmp_path, c, a)
    register(a, "01001012345")
    given = insert_threads(monkeypatch)
    monkeypatch.setattr(merge, "BULK_MIN", 1)
    assert send(tmp_path, a, c).stats.applied > 0
    assert not given and c.candidates.count() == 1
    a.close()
    c.close()


def test_a_connection_the_thread_cannot_use_is_an_error_not_a_hang() -> None:
    """A connection bound to its own thread refuses the insert thread: drain() raises what
    SQLite said, however many blocks were queued, and close() returns."""
    con = sqlite3.connect(":memory:", isolation_level=None)  # check_same_thread=True
    con.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, word TEXT, note TEXT)")
    w = InsertThread(con)
    with pytest.raises(sqlite3.ProgrammingError):
        for i in range(insert_thread.DEPTH * 3):
            w.insert("t", ["n"], [(i,)])
        w.drain()
    w.close()
    assert con.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_an_interrupt_while_closing_waits_for_the_thread_and_nothing_lands_after_rollback(
        monkeypatch) -> None:
    """A second Ctrl+C while close() waits for a slow statement: close() still returns only
    once the thread has stopped, and after the rollback no row of the job is written (an
    insert outside the transaction would commit at once)."""
    import signal
    import time

    con = memory_table()
    monkeypatch.setattr(insert_thread, "MAX_ROWS", 1)  # one statement a row
    slow = [True]  # (set_progress_handler itself would wait for the thread holding the lock)
    con.set_progress_handler(lambda: slow[0] and time.sleep(0.005) and 0, 5)
    con.execute("BEGIN")
    w = InsertThread(con)
    w.insert("t", ["n"], [(i,) for i in range(40)])
    time.sleep(0.05)  # the thread is in its first statements
    main = threading.main_thread().ident
    timer = threading.Timer(0.01, signal.pthread_kill, (main, signal.SIGINT))
    interrupted = False
    try:
        timer.start()
        w.close()
        time.sleep(1)  # the interrupt lands here if close() was quicker
    except KeyboardInterrupt:
        interrupted = True
    timer.join()
    assert interrupted
    slow[0] = False
    con.execute("ROLLBACK")
    time.sleep(0.2)
    assert con.execute("SELECT count(*) FROM t").fetchone() == (0,)
