"""Package export and import killed at random moments: the database passes `migdesk check`,
an import is applied whole or not at all, an export leaves the finished package or nothing,
and no unencrypted copy of a package is left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import time

from tests.faults import killer

CANDIDATES = 1000


def _counts(db, desk: str) -> tuple[int, int]:
    return (killer.query(db, "SELECT count(*) FROM candidate")[0][0],
            killer.query(db, "SELECT count(*) FROM change_log WHERE desk_id = ?", desk)[0][0])


def test_import_survives_kills(child) -> None:
    a, c, desk = killer.trusting_desks(child.root, CANDIDATES)
    pkg = child.root / "a.mdp"
    code, _out, err = killer.cli("--db", str(a), "export", "-o", str(pkg), "--full")
    assert code == 0 and "can read it" not in err, err  # sealed for C: no warning
    pristine = _counts(c, desk)
    first_db = killer.copy_db(c, child.root / "c-first.db")
    first = child.run("--db", str(first_db), "import", str(pkg))
    assert first.code == 0, first.err
    whole = _counts(first_db, desk)
    assert whole[0] >= pristine[0] + CANDIDATES
    tally = killer.Tally(f"sealed package import ({CANDIDATES} candidates)")
    killer.TALLIES.append(tally)
    for i, delay in enumerate(killer.delays("import", killer.kills(10), first.seconds)):
        db = killer.copy_db(c, child.root / f"c{i}.db")
        o = child.run("--db", str(db), "import", str(pkg), delay=delay)
        tally.kills += o.killed
        tally.finished += not o.killed
        code, report = killer.check(db)
        if code != 0:
            tally.fail("check failed", f"kill {i} at {delay:.2f}s: {report}")
        got = _counts(db, desk)
        if got not in (pristine, whole) or ("Package from" in o.out and got != whole):
            tally.fail("partial import", f"kill {i} at {delay:.2f}s: {got}, "
                                         f"expected {pristine} or {whole}")
        for problem in killer.half_done(db):
            tally.fail("half-done", f"kill {i} at {delay:.2f}s: {problem}")
        left = killer.plaintext(child.tmp)
        if left:
            tally.note("plaintext package left in the temp dir", f"kill {i}: {left}")
            for p in child.tmp.iterdir():  # start the next kill clean
                subprocess.run(["rm", "-rf", str(p)], check=True)
        if got == pristine and i % 3 == 0:  # the officer imports again: it applies whole
            again = child.run("--db", str(db), "import", str(pkg))
            if again.code != 0 or _counts(db, desk) != whole:
                tally.fail("re-import after a kill failed", again.err[-300:])
        db.unlink()
    assert not tally.failures, tally.summary()
    assert tally.kills >= 1, tally.summary()


def test_export_survives_kills(child) -> None:
    a, c, desk = killer.trusting_desks(child.root, CANDIDATES)
    out = child.root / "out"
    out.mkdir()
    first = child.run("--db", str(a), "export", "-o", str(out / "first.mdp"), "--full")
    assert first.code == 0 and "can read it" not in first.err, first.err
    (out / "first.mdp").unlink()
    tally = killer.Tally(f"sealed package export ({CANDIDATES} candidates)")
    killer.TALLIES.append(tally)
    for i, delay in enumerate(killer.delays("export", killer.kills(10), first.seconds)):
        target = out / f"p{i}.mdp"
        o = child.run("--db", str(a), "export", "-o", str(target), "--full", delay=delay)
        tally.kills += o.killed
        tally.finished += not o.killed
        code, report = killer.check(a)
        if code != 0:
            tally.fail("check failed", f"kill {i} at {delay:.2f}s: {report}")
        for problem in killer.half_done(a):
            tally.fail("half-done", f"kill {i} at {delay:.2f}s: {problem}")
        if target.exists():  # a package that is there is whole: C accepts it
            db = killer.copy_db(c, child.root / "c-check.db")
            code, _o, err = killer.cli("--db", str(db), "import", str(target))
            if code != 0:
                tally.fail("partial package file", f"kill {i} at {delay:.2f}s: {err}")
            db.unlink()
            target.unlink()
        elif not o.killed:
            tally.fail("finished without a package", o.err[-300:])
        left = killer.plaintext(out, child.tmp)
        if left:
            tally.note("plaintext package left beside the output", f"kill {i}: {left}")
        for p in [*out.iterdir(), *child.tmp.iterdir()]:  # start the next kill clean
            subprocess.run(["rm", "-rf", str(p)], check=True)
    assert not tally.failures, tally.summary()
    assert tally.kills >= 1, tally.summary()


UNNAMED = "(an unnamed temporary file)"


def _holds_unnamed_file(pid: int) -> bool:
    """Whether the process has a deleted regular file open (where an unsealed package now
    lives while it is read or written)."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.endswith("(deleted)") and not target.startswith("/dev/"):
            return True
    return False


def _kill_when(child, argv: list[str], pattern: str, where) -> killer.Outcome:
    """Run `argv` and SIGKILL it the moment a temporary file matching `pattern` appears in
    `where` (the worst moment for plaintext left behind)."""
    proc = subprocess.Popen(killer.command(*argv), env=child.env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    seen = False
    while proc.poll() is None and time.monotonic() < deadline:
        if _holds_unnamed_file(proc.pid) if pattern == UNNAMED else any(
                p.is_file() and p.stat().st_size > 0 for p in where.rglob(pattern)):
            seen = True
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.002)
    proc.wait()
    _out, err = proc.communicate()
    return killer.Outcome(seen, proc.returncode, "", err.decode(errors="replace"), 0.0)


def test_killed_import_leaves_no_plaintext_after_the_next_start(child) -> None:
    a, c, _desk = killer.trusting_desks(child.root, 300)
    pkg = child.root / "a.mdp"
    assert killer.cli("--db", str(a), "export", "-o", str(pkg), "--full")[0] == 0
    o = _kill_when(child, ["--db", str(c), "import", str(pkg)], UNNAMED, child.tmp)
    assert o.killed, "the import finished before its temporary file was seen"
    assert child.run("--db", str(c), "check").code == 0  # the next start
    assert killer.plaintext(child.tmp) == []


def test_killed_export_leaves_no_plaintext(child) -> None:
    a, _c, _desk = killer.trusting_desks(child.root, 300)
    out = child.root / "out"
    out.mkdir()
    o = _kill_when(child, ["--db", str(a), "export", "-o", str(out / "p.mdp"), "--full"],
                   UNNAMED, out)
    assert o.killed, "the export finished before its temporary file was seen"
    assert child.run("--db", str(a), "check").code == 0  # the next start
    assert killer.plaintext(out, child.tmp) == []
