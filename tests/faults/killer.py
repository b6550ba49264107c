"""Running a migdesk command line in a subprocess and killing it with SIGKILL at seeded random
moments, then looking at what it left behind (database, output, temporary files)."""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Temporary names that hold a whole package (personal data) while migdesk works on it.
PLAINTEXT_GLOBS = ("migdesk-import-*", "migdesk-export-*", "*.zip", "*.tmp")


def kills(default: int) -> int:
    """How many kills per operation: MIGDESK_KILLS when set, else the suite's modest default."""
    return int(os.environ.get("MIGDESK_KILLS") or default)


def environment(home: Path, tmp: Path) -> dict[str, str]:
    """The child's environment: its own data directory and temporary directory (so that
    leftovers can be found), unbuffered output (so that a line printed before the kill is
    seen), the tests' officer and password, English messages where a test reads them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIGDESK_")}
    env.update(MIGDESK_HOME=str(home), MIGDESK_USER="tester",
               MIGDESK_PASSWORD="tester-password", TMPDIR=str(tmp),
               PYTHONUNBUFFERED="1", QT_QPA_PLATFORM="offscreen")
    return env


def command(*argv: str) -> list[str]:
    return [sys.executable, "-m", "migdesk", "--lang", "en", *argv]


@dataclass
class Outcome:
    killed: bool
    code: int | None
    out: str
    err: str
    seconds: float


def run(argv: list[str], env: dict[str, str], delay: float | None = None,
        timeout: float = 120) -> Outcome:
    """Run `argv`; with `delay`, SIGKILL it after that many seconds if it is still running.
    Output goes to files, so whatever was printed before the kill is kept."""
    tmp = Path(env["TMPDIR"])
    out_path, err_path = tmp.parent / "child.out", tmp.parent / "child.err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env,
                                stdin=subprocess.DEVNULL)
        killed = False
        try:
            proc.wait(timeout if delay is None else delay)
        except subprocess.TimeoutExpired:
            if delay is None:
                proc.kill()
                proc.wait()
                raise
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            killed = True
        seconds = time.perf_counter() - started
    return Outcome(killed, None if killed else proc.returncode,
                   out_path.read_text("utf-8", "replace"),
                   err_path.read_text("utf-8", "replace"), seconds)


def delays(seed: str, n: int, duration: float) -> list[float]:
    """`n` moments spread over `duration`: one at random inside each of n equal slices
    (seeded, so a failing kill can be repeated), shuffled so slow and fast alternate."""
    rnd = random.Random(seed)
    moments = [(i + rnd.random()) / n * duration for i in range(n)]
    rnd.shuffle(moments)
    return moments


def check(db: Path) -> tuple[int, str]:
    """`migdesk check` on `db`, in this process (same code as the command; no start-up cost).
    Returns the exit code and what it printed."""
    from migdesk.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--lang", "en", "--db", str(db), "check"])
    return code, out.getvalue() + err.getvalue()


def query(db: Path, sql: str, *params) -> list[tuple]:
    """Read `db` without changing it, unless a killed writer left a hot rollback journal (the
    demo loads through one): a read-only connection cannot roll it back, so it is opened as
    migdesk itself would open it, which rolls the cut transaction back first."""
    for uri in (f"file:{db}?mode=ro", f"file:{db}"):
        con = sqlite3.connect(uri, uri=True)
        try:
            return con.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc) or not uri.endswith("mode=ro"):
                raise
        finally:
            con.close()
    raise AssertionError("unreachable")


def half_done(db: Path) -> list[str]:
    """What a transaction cut in half would leave: a candidate without its first status or
    its journal entry, a journal entry for a record that is not there, a search index entry
    for a missing candidate."""
    return [f"{n} {what}" for sql, what in _HALF_DONE for (n,) in query(db, sql) if n]


_HALF_DONE = (
    ("SELECT count(*) FROM candidate c WHERE NOT EXISTS "
     "(SELECT 1 FROM status_change s WHERE s.candidate_id = c.id)",
     "candidates without a status history"),
    ("SELECT count(*) FROM candidate c WHERE NOT EXISTS (SELECT 1 FROM "
     "change_log j WHERE j.entity = 'candidate' AND j.entity_id = c.id)",
     "candidates not in the journal"),
    ("SELECT count(*) FROM change_log j WHERE j.entity = 'candidate' AND "
     "NOT EXISTS (SELECT 1 FROM candidate c WHERE c.id = j.entity_id)",
     "journal entries for missing candidates"),
    ("SELECT count(*) FROM candidate_term t WHERE NOT EXISTS "
     "(SELECT 1 FROM candidate c WHERE c.id = t.candidate_id)",
     "search terms for missing candidates"),
)


def leftovers(*dirs: Path, keep: tuple[str, ...] = ()) -> list[str]:
    """Temporary files or directories a killed command left in `dirs` (names only)."""
    found = []
    for d in dirs:
        if not d.is_dir():
            continue
        for pattern in PLAINTEXT_GLOBS:
            for p in d.glob(pattern):
                if p.name not in keep and not p.name.endswith(("-wal", "-shm")):
                    found.append(p.name)
    return sorted(set(found))


@dataclass
class Tally:
    """Kills and failures by kind for one operation; printed at the end of a test run."""

    operation: str
    kills: int = 0
    finished: int = 0
    failures: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    def fail(self, kind: str, detail: str) -> None:
        self.failures[kind] += 1
        self.examples.setdefault(kind, detail[:300])

    def note(self, kind: str, detail: str) -> None:
        self.notes[kind] += 1
        self.examples.setdefault(kind, detail[:300])

    def summary(self) -> str:
        return (f"{self.operation}: {self.kills} kills, {self.finished} finished before the "
                f"kill; failures {dict(self.failures) or 0}; noted {dict(self.notes) or 0}; "
                f"examples {self.examples}")


TALLIES: list[Tally] = []


def cli(*argv: str) -> tuple[int, str, str]:
    """The command line in this process (for set-up and checks that are not killed)."""
    from migdesk.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--lang", "en", *argv])
    return code, out.getvalue(), err.getvalue()


def trusting_desks(root: Path, candidates: int) -> tuple[Path, Path, str]:
    """Desk A (demo data with `candidates` synthetic people) and the central store C, made
    and introduced with the command line, as tests/sync/test_cli_sync.py does. Returns the
    two database paths and A's desk id."""
    a, c = root / "a.db", root / "c.db"
    for argv in (("--db", str(a), "init", "--desk-name", "A", "--admin", "tester"),
                 ("--db", str(a), "demo", "--candidates", str(candidates)),
                 ("--db", str(c), "init", "--desk-name", "C", "--admin", "tester"),
                 ("--db", str(c), "desk", "role", "central"),
                 ("--db", str(a), "desk", "show", "--card", str(root / "a.card")),
                 ("--db", str(c), "desk", "show", "--card", str(root / "c.card")),
                 ("--db", str(a), "desk", "trust", str(root / "c.card")),
                 ("--db", str(c), "desk", "trust", str(root / "a.card"))):
        code, _out, err = cli(*argv)
        assert code == 0, (argv, err)
    return a, c, query(a, "SELECT id FROM desk")[0][0]


def copy_db(src: Path, dst: Path) -> Path:
    """A copy of a closed SQLite database (with its WAL, if one is left)."""
    import shutil

    for suffix in ("", "-wal"):
        if Path(f"{src}{suffix}").exists():
            shutil.copyfile(f"{src}{suffix}", f"{dst}{suffix}")
    return dst


def plaintext(*dirs: Path, besides: tuple[Path, ...] = ()) -> list[str]:
    """Files under `dirs` (other than `besides`) that hold an unencrypted package or zip
    (personal data in the clear): the zip signature at the start of the file."""
    found = []
    for d in dirs:
        if not d.is_dir():
            continue
        for p in d.rglob("*"):
            if p.is_file() and p not in besides:
                with open(p, "rb") as fh:
                    if fh.read(4) == b"PK\x03\x04":
                        found.append(f"{p.relative_to(d)} (mode {p.stat().st_mode & 0o777:o})")
    return sorted(found)
