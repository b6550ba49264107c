"""The benchmark runner knows every benchmark script and passes each only options it has."""

from __future__ import annotations

import re
from pathlib import Path

from benchmarks import run

HERE = Path(run.__file__).resolve().parent


def test_every_benchmark_script_is_in_the_runner() -> None:
    assert sorted(run.PLAN) == run.scripts()
    assert "cli" in run.scripts() and "central" in run.NATIONAL


def test_the_runner_passes_only_options_each_script_defines() -> None:
    for name, (full, quick) in run.PLAN.items():
        source = (HERE / f"bench_{name}.py").read_text(encoding="utf-8")
        defined = set(re.findall(r"add_argument\(\s*\"(--[a-z-]+)\"", source))
        for option in (x for x in full + quick if x.startswith("--")):
            assert option in defined, f"bench_{name}.py has no {option}"


def test_an_unknown_benchmark_is_refused_by_name(capsys) -> None:
    assert run.main(["--only", "nosuch", "--out", "/dev/null"]) == 2
    assert "nosuch" in capsys.readouterr().err
