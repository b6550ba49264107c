#!/usr/bin/env bash
# Install migdesk into .venv, load the demo data into the default database, open the window.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
.venv/bin/migdesk demo || true   # refuses politely when the database already has data
exec .venv/bin/migdesk
