"""A central store's pooled connection closed by the server (a restart, a dropped network)
is noticed before use: the next action works, on a fresh connection."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.engine import make_url

from migdesk.store import db as store_db
from tests.sync.net import open_desk, register

pytestmark = pytest.mark.postgres


def test_a_connection_the_server_closed_is_replaced(pg_url, monkeypatch) -> None:
    app = open_desk(pg_url, "Central")
    try:
        register(app, "01001012345")
        assert app.candidates.count() == 1
        u = make_url(pg_url)
        with psycopg.connect(host=u.query["host"], user="postgres", dbname="postgres",
                             autocommit=True) as con:
            killed = con.execute("SELECT count(pg_terminate_backend(pid)) FROM "
                                 "pg_stat_activity WHERE datname = %s", (u.database,)
                                 ).fetchone()
        assert killed and killed[0] >= 1
        monkeypatch.setattr(store_db, "IDLE_PING_S", 0.0)  # as after a while idle
        assert app.candidates.count() == 1
        assert [c.personal_number for c in app.candidates.search("0100").items] == [
            "01001012345"]
    finally:
        app.close()
