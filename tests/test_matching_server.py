"""The central store's matching (one join per demand on the server) ranks as a desk's does."""

from __future__ import annotations

import datetime as dt

import pytest

from migdesk.services import Migdesk, matching
from migdesk.services.demo import load_demo
from tests.helpers import admin


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("match") / "demo.db"
    app = Migdesk.open(str(path), today=lambda: dt.date(2026, 11, 24))
    load_demo(app, candidates=3000, seed=7)
    app.close()
    return path


def test_the_joined_ranking_is_the_desks_ranking(demo, monkeypatch) -> None:
    app = Migdesk.open(str(demo), today=lambda: dt.date(2026, 11, 24))
    app.sign_in("demo", "demo") if app.is_demo else admin(app)
    try:
        for limit in (5, 100, 3000):
            desk = app.matching.match("PL-IOM-PILOT", limit=limit)
            monkeypatch.setattr(matching, "on_server", lambda conn: True)
            server = app.matching.match("PL-IOM-PILOT", limit=limit)
            monkeypatch.undo()
            assert desk and server == desk
            assert any(r.language_level for r in desk)
    finally:
        app.close()
