#!/usr/bin/env bash
# Install migdesk with its test extra into .venv and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
.venv/bin/lint-imports --no-cache   # the layers: only migdesk.ui imports Qt
.venv/bin/ruff check migdesk tests benchmarks scripts
.venv/bin/mypy                      # the whole package; exemptions named in pyproject.toml
exec .venv/bin/python -m pytest "$@"
