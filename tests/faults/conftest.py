"""Set-up for the fault tests: a child environment per test, hypothesis settings that are
deterministic by default, and the kill tallies printed at the end of the run."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.faults import killer

# Deterministic by default (derandomize: the same inputs on every run, no example database,
# so no .hypothesis directory); MIGDESK_EXAMPLES=N asks for more generated inputs.
settings.register_profile(
    "migdesk", derandomize=True, database=None, deadline=None, print_blob=False,
    max_examples=int(os.environ.get("MIGDESK_EXAMPLES") or 40),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large])
settings.load_profile("migdesk")


@dataclass
class Child:
    """Where a child migdesk process lives: its data directory, temp directory and files."""

    root: Path
    home: Path
    tmp: Path
    env: dict[str, str]

    def run(self, *argv: str, delay: float | None = None) -> killer.Outcome:
        return killer.run(killer.command(*argv), self.env, delay)


@pytest.fixture
def child(tmp_path, _isolated_home) -> Child:
    """Shares the test's MIGDESK_HOME (so desk keys made in this process are the child's)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    return Child(tmp_path, Path(_isolated_home), tmp, killer.environment(_isolated_home, tmp))


def pytest_terminal_summary(terminalreporter) -> None:
    if killer.TALLIES:
        terminalreporter.section("kills")
        for t in killer.TALLIES:
            terminalreporter.write_line(t.summary())
