"""The core imports without Qt: the command line, a central server and batch jobs need no GUI."""

import subprocess
import sys

CORE = ["migdesk.cli", "migdesk.services", "migdesk.services.candidates",
        "migdesk.services.matching", "migdesk.services.demo", "migdesk.store.models",
        "migdesk.domain.isco"]


def test_core_does_not_import_qt():
    code = ("import sys, importlib\n"
            f"for m in {CORE!r}: importlib.import_module(m)\n"
            "from migdesk.cli import build_parser; build_parser()\n"
            "bad = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
            "print(bad); sys.exit(1 if bad else 0)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
