"""Registration killed at random moments: every candidate whose id was printed is there,
nothing is half-written, and `migdesk check` passes after each kill."""

from __future__ import annotations

import sys

from tests.faults import killer

NAMES = [("ნინო", "კაპანაძე"), ("გიორგი", "ბერიძე"), ("მარიამ", "ლომიძე"), ("ლევან", "გელაშვილი"),
         ("თამარ", "ჯავახიშვილი"), ("დავით", "მამარდაშვილი")]

# One process registers many candidates through the command line's own entry point, printing
# each id as it is committed (the officer's view: "Registered: <id>").
DRIVER = f"""
import sys
from migdesk.cli import main
db, start, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
names = {NAMES!r}
for i in range(start, start + n):
    first, last = names[i % len(names)]
    main(["--lang", "en", "--db", db, "candidate", "add", "--personal-number", f"{{i:011d}}",
          "--first-name", first, "--last-name", last,
          "--birth-date", f"19{{60 + i % 40}}-{{1 + i % 12:02d}}-{{1 + i % 28:02d}}",
          "--occupation", "7115:3", "--language", "en:B1",
          "--consent-date", "2026-11-01", "--consent-scope", "programme matching"])
    sys.stdout.flush()
"""

BATCH = 12


def test_registration_survives_kills(child) -> None:
    db = child.root / "desk.db"
    assert child.run("--db", str(db), "init", "--desk-name", "A", "--admin", "tester").code == 0
    argv = [sys.executable, "-c", DRIVER, str(db)]
    first = killer.run([*argv, "1000", str(BATCH)], child.env)
    assert first.code == 0, first.err
    assert len(killer.UUID.findall(first.out)) == BATCH
    tally = killer.Tally("registration (candidate add)")
    killer.TALLIES.append(tally)
    n = killer.kills(10)
    start = 2000
    for i, delay in enumerate(killer.delays("register", n, 0.95 * first.seconds)):
        before = {r[0] for r in killer.query(db, "SELECT id FROM candidate")}
        o = killer.run([*argv, str(start), str(BATCH)], child.env, delay=delay)
        tally.kills += o.killed
        tally.finished += not o.killed
        printed = set(killer.UUID.findall(o.out))
        pns = {f"{k:011d}" for k in range(start, start + BATCH)}
        rows = dict(killer.query(db, "SELECT id, personal_number FROM candidate"))
        new = set(rows) - before
        code, report = killer.check(db)
        if code != 0:
            tally.fail("check failed", f"kill {i} at {delay:.2f}s: {report}")
        if not printed <= set(rows):
            tally.fail("printed id missing", f"kill {i} at {delay:.2f}s")
        if len(new - printed) > 1 or any(rows[c] not in pns for c in new):
            tally.fail("unexpected rows", f"kill {i}: {len(new - printed)} unprinted")
        for problem in killer.half_done(db):
            tally.fail("half-done", f"kill {i} at {delay:.2f}s: {problem}")
        if "Traceback" in o.err:
            tally.fail("traceback", o.err[-300:])
        start += BATCH
    assert not tally.failures, tally.summary()
    assert tally.kills >= n // 2, tally.summary()  # the moments really fell inside the runs
