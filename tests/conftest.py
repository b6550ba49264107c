"""Shared test set-up: offscreen Qt, an isolated data directory, and a fresh desk database."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["MIGDESK_USER"] = "tester"
os.environ["MIGDESK_PASSWORD"] = "tester-password"  # tests/helpers.py: PASSWORD

# In this process passwords are hashed with argon2's cheapest parameters, so the hundreds of
# sign-ins the tests make stay quick; the subprocesses the tests start use the real ones.
from migdesk.domain import passwords  # noqa: E402

passwords.PARAMETERS = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
passwords._hasher.cache_clear()

TODAY = dt.date(2026, 11, 24)

# Property tests are deterministic by default (derandomize: the same inputs on every run, no
# example database, so no .hypothesis directory); MIGDESK_EXAMPLES=N asks for more inputs.
settings.register_profile(
    "migdesk", derandomize=True, database=None, deadline=None, print_blob=False,
    max_examples=int(os.environ.get("MIGDESK_EXAMPLES") or 40),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large])
settings.load_profile("migdesk")


def pytest_terminal_summary(terminalreporter) -> None:
    from tests.helpers import GENERATED

    if GENERATED:
        terminalreporter.section("generated inputs")
        for name, n in GENERATED.items():
            terminalreporter.write_line(f"{name}: {n}")
        terminalreporter.write_line(f"total: {sum(GENERATED.values())}")


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
