"""Two migdesk processes writing to one desk at once (two windows, or the window and the
command line): every write waits its turn as the one writer, none is lost or refused as
"database is locked", and the audit chain stays whole."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from migdesk.services import Migdesk
from migdesk.services.health import check
from tests.helpers import admin

WRITER = textwrap.dedent("""
    import sys
    from migdesk.domain import passwords
    passwords.PARAMETERS = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
    from migdesk.services import Migdesk
    from tests.helpers import PASSWORD, person
    db, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    app = Migdesk.open(db, create=False)
    app.sign_in("tester", PASSWORD)
    for i in range(first, first + n):
        app.candidates.register(person(f"{i:011d}", first="ნინო"))
        app.candidates.change_status(f"{i:011d}", "screened", "checked")
    app.close()
    print("done")
""")


def test_two_processes_register_at_once_and_nothing_is_lost(tmp_path) -> None:
    db = tmp_path / "desk.db"
    app = admin(Migdesk.open(str(db)))
    app.sync.keys()
    app.close()
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(start), "100"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env) for start in (10_000_000_000, 20_000_000_000)]
    results = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0 and out.strip() == "done", err[-2000:]
        assert "locked" not in err
    app = admin(Migdesk.open(str(db)))
    assert app.candidates.count() == 200
    assert app.candidates.count(status="screened") == 200
    report = check(app)
    assert report.ok, report
    app.close()


def test_a_command_that_meets_another_writer_says_it_waits_then_saves(tmp_path) -> None:
    """Another program holds the write lock for six seconds: the command line says, in
    both languages, that it waits, and then saves."""
    import sqlite3
    import threading
    import time

    db = tmp_path / "desk.db"
    app = admin(Migdesk.open(str(db)))
    app.close()
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(6.0, lambda: holder.execute("COMMIT"))
    release.start()
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "migdesk", "--db", str(db), "candidate",
                           "add", "--personal-number", "01001012345", "--first-name", "ნინო",
                           "--last-name", "ბერიძე", "--birth-date", "1990-05-01"],
                          capture_output=True, text=True, env=env, timeout=120)
    release.join()
    holder.close()
    assert done.returncode == 0, done.stderr
    assert "waiting for it to finish" in done.stderr and "ველოდები" in done.stderr
    assert time.monotonic() - started >= 5.5
    app = admin(Migdesk.open(str(db)))
    assert app.candidates.count() == 1
    app.close()
