"""Matching on PostgreSQL (the central store) ranks exactly as the plain reading does, as on
SQLite (its order is computed in SQL with each backend's own date arithmetic)."""

from __future__ import annotations

import pytest

from tests.sync.net import open_desk
from tests.test_matching_reference import fast, reference

pytestmark = pytest.mark.postgres


def test_fast_matching_ranks_as_the_plain_reading_on_postgresql(pg_url) -> None:
    from migdesk.services.demo import load_demo

    app = open_desk(pg_url, "Central")
    load_demo(app, candidates=300, seed=4)
    for limit in (1, 9, 100000):
        assert fast(app, "PL-IOM-PILOT", limit) == reference(app, "PL-IOM-PILOT", limit)
    assert len(reference(app, "PL-IOM-PILOT", 100000)) > 30
    app.close()
