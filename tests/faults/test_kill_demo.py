"""Demo generation killed at random moments: the database is empty or holds the whole demo,
never a part of it, and `migdesk check` passes."""

from __future__ import annotations

from tests.faults import killer

CANDIDATES = 3000


def test_demo_generation_survives_kills(child) -> None:
    full = child.root / "full.db"
    first = child.run("--db", str(full), "demo", "--candidates", str(CANDIDATES))
    assert first.code == 0, first.err
    whole = killer.query(full, "SELECT count(*) FROM candidate")[0][0]
    assert whole >= CANDIDATES
    tally = killer.Tally(f"demo generation (demo --candidates {CANDIDATES})")
    killer.TALLIES.append(tally)
    for i, delay in enumerate(killer.delays("demo", killer.kills(8), first.seconds)):
        db = child.root / f"demo{i}.db"
        o = child.run("--db", str(db), "demo", "--candidates", str(CANDIDATES), delay=delay)
        tally.kills += o.killed
        tally.finished += not o.killed
        if not db.exists():
            continue  # killed before the file was made: nothing to check
        tables = {r[0] for r in killer.query(db, "SELECT name FROM sqlite_master")}
        if "candidate" not in tables:
            # killed while the schema was being made: the next start must still cope
            tally.note("killed while creating the schema", f"kill {i} at {delay:.2f}s")
            # `check` passes, or (a file killed before its first page: 0 bytes) says plainly
            # that it is no database; making the demo again must then work.
            again = child.run("--db", str(db), "check")
            if again.code != 0 and ("Traceback" in again.err
                                    or "empty file" not in again.err):
                tally.fail("unusable after a kill during creation", again.err[-300:])
            if again.code != 0:
                redo = child.run("--db", str(db), "demo", "--candidates", str(CANDIDATES))
                if redo.code != 0:
                    tally.fail("cannot be made again after a kill during creation",
                               redo.err[-300:])
            continue
        code, report = killer.check(db)
        if code != 0:
            tally.fail("check failed", f"kill {i} at {delay:.2f}s: {report}")
        n = killer.query(db, "SELECT count(*) FROM candidate")[0][0]
        if n not in (0, whole) or ("Demo data loaded" in o.out and n != whole):
            tally.fail("partial demo", f"kill {i} at {delay:.2f}s: {n} of {whole}")
        for problem in killer.half_done(db):
            tally.fail("half-done", f"kill {i} at {delay:.2f}s: {problem}")
        if n == 0 and not o.killed:
            tally.fail("finished but empty", o.err[-300:])
    assert not tally.failures, tally.summary()
    assert tally.kills >= 1, tally.summary()
