"""Shared test set-up: offscreen Qt, an isolated data directory, and a fresh desk database."""

from __future__ import annotations

import datetime as dt
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["MIGDESK_USER"] = "tester"
os.environ["MIGDESK_PASSWORD"] = "tester-password"  # tests/helpers.py: PASSWORD

# In this process passwords are hashed with argon2's cheapest parameters, so the hundreds of
# sign-ins the tests make stay quick; the subprocesses the tests start use the real ones.
from migdesk.domain import passwords  # noqa: E402

passwords.PARAMETERS = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
passwords._hasher.cache_clear()

TODAY = dt.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Keys, logs and the default database go to a temporary directory, never the user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MIGDESK_HOME", str(home))
    monkeypatch.delenv("MIGDESK_DB", raising=False)
    from migdesk import i18n

    i18n.set_language("ka")
    yield home


from tests.helpers import admin  # noqa: E402


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "desk.db"


@pytest.fixture
def app(db_path):
    from migdesk.services import Migdesk

    application = Migdesk.open(str(db_path), today=lambda: TODAY)
    admin(application)
    yield application
    application.close()
