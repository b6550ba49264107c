"""Export and import report progress, and cancelling leaves no file and no change."""

from __future__ import annotations

import datetime as dt

import pytest

from migdesk.domain.statuses import CandidateStatus
from migdesk.services.sync import Cancelled
from migdesk.store.journal import bulk_create
from migdesk.store.people import Candidate, StatusChange
from tests.sync.net import dump, introduce, open_desk


def many(app, n: int) -> None:
    """n registered candidates, each with the history a registration records (an import
    refuses a status its history does not end with)."""
    rows = [dict(id=f"03000000-0000-4000-8000-{i:012x}", personal_number=f"03{i:09d}",
                 first_name_ka="ნინო", last_name_ka="ბერიძე",
                 first_name_lat="NINO", last_name_lat="BERIDZE",
                 birth_date=dt.date(1990, 1, 1), status=CandidateStatus.REGISTERED,
                 registered_on=dt.date(2026, 11, 1)) for i in range(n)]
    history = [dict(candidate_id=r["id"], from_status=None, to_status=CandidateStatus.REGISTERED,
                    changed_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC), officer="test",
                    reason="registration") for r in rows]
    with app.unit_of_work("test") as s:
        bulk_create(s, Candidate, rows)
        bulk_create(s, StatusChange, history)


def test_progress_and_cancel(tmp_path) -> None:
    c = open_desk(str(tmp_path / "c.db"), "C", "central")
    a = open_desk(str(tmp_path / "a.db"), "A")
    introduce(tmp_path, c, a)
    many(a, 6_000)  # 12,000 changes: each candidate and its history
    stopped = tmp_path / "stopped.mdp"
    with pytest.raises(Cancelled):
        a.sync.export(stopped, progress=lambda done, total: done < 5000)
    assert not stopped.exists()
    seen: list[tuple[int, int]] = []
    pkg = tmp_path / "all.mdp"
    a.sync.export(pkg, progress=lambda done, total: seen.append((done, total)) and None)
    assert seen and seen[-1][1] == 12_000
    before = dump(c)
    with pytest.raises(Cancelled):
        c.sync.import_package(pkg, progress=lambda done, total: done < 10_000)
    assert dump(c) == before
    assert c.sync.import_package(pkg).stats.applied == 12_000
    a.close()
    c.close()
