"""The project's own exemptions say why: each import-linter `ignore_imports` entry and each
mypy override in pyproject.toml comes after a comment giving its reason."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _ignore_block(lines: list[str]) -> list[tuple[int, str]]:
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("ignore_imports"))
    entries = []
    for i in range(start + 1, len(lines)):
        text = lines[i].strip()
        if text.startswith("]"):
            break
        if text.startswith('"'):
            entries.append((i, text))
    return entries


def test_every_import_linter_exemption_carries_its_reason():
    lines = PYPROJECT.read_text(encoding="utf-8").splitlines()
    entries = _ignore_block(lines)
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    listed = [i for c in config["tool"]["importlinter"]["contracts"]
              for i in c.get("ignore_imports", [])]
    assert len(entries) == len(listed) > 0
    for i, text in entries:
        above = lines[i - 1].strip()
        assert above.startswith("#") or (above.startswith('"') and lines[i - 2].strip()
                                         .startswith("#")), f"no reason given for {text}"


def test_every_mypy_exemption_carries_its_reason():
    lines = PYPROJECT.read_text(encoding="utf-8").splitlines()
    overrides = [i for i, line in enumerate(lines) if line.strip() == "[[tool.mypy.overrides]]"]
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    assert config["tool"]["mypy"]["packages"] == ["migdesk"]  # the whole package
    assert len(overrides) == len(config["tool"]["mypy"].get("overrides", []))
    for i in overrides:
        assert lines[i - 1].strip().startswith("#"), f"line {i + 1}: an exemption says why"
        block = "\n".join(lines[i + 1:i + 4])
        assert re.search(r"^module = ", block, re.M), block
