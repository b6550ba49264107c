"""Desks, a central store and a PostgreSQL cluster for the exchange tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from tests.sync import pg

TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[pg.Cluster]:
    why = pg.available()
    if why:
        pytest.skip(why)
    cluster = pg.Cluster()
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: pg.Cluster) -> str:
    return pg_cluster.new_database()
