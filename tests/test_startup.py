"""The command line loads only what a command needs: `--help` answers without the database
layer, the window, the PDF, crypto or spreadsheet libraries, and opening an up-to-date
database does not load the migration machinery. Each case runs in a fresh interpreter, as a
user's command does, and looks at what it had imported when it ended."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Runs the real `migdesk` entry point, then writes every module it imported on stderr.
WRAPPER = """
import json, sys
from migdesk.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
raise SystemExit(code)
"""

# What `--help` must never pay for (each costs from tens to hundreds of milliseconds).
HEAVY = ("PySide6", "reportlab", "alembic", "cryptography", "pyhanko", "openpyxl",
         "python_calamine", "xlsxwriter", "sqlalchemy", "babel", "argon2", "pypdf",
         "migdesk.services", "migdesk.store", "migdesk.sync", "migdesk.sheets",
         "migdesk.documents", "migdesk.ui")


def imported(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, set[str]]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    done = subprocess.run([sys.executable, "-c", WRAPPER, *args], capture_output=True,
                          text=True, env=full_env, timeout=120)
    head, _sep, mods = done.stderr.rpartition("\nMODULES ")
    assert mods, done.stderr
    return done.returncode, done.stdout, set(json.loads(mods))


def loaded(modules: set[str], *packages: str) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in packages))


@pytest.mark.parametrize("args", [["--help"], ["candidate", "--help"],
                                  ["candidate", "list", "--help"], ["user", "--help"]])
def test_help_loads_no_heavy_library(args):
    code, out, modules = imported(*args)
    assert code == 0 and "usage: migdesk" in out
    assert loaded(modules, *HEAVY) == []


def test_every_command_still_registers(capsys):
    """The light registration lists every command module's commands."""
    from migdesk.cli import COMMAND_MODULES, build_parser

    parser = build_parser()
    choices = next(a for a in parser._actions if a.dest == "command").choices
    assert {"init", "demo", "candidate", "program", "dossier", "dossiers", "briefing", "desk",
            "export", "import", "conflicts", "check", "user", "audit", "backup", "restore",
            "stats", "partner"} <= set(choices)
    assert len(COMMAND_MODULES) == 15


def test_the_written_out_import_choices_match_the_service():
    from migdesk.cli.cmd_sheets import ON_EXISTING
    from migdesk.services.sheet_import import ON_EXISTING as SERVICE

    assert ON_EXISTING == SERVICE


def test_a_search_opens_the_database_without_alembic_pdf_sheets_or_sync(tmp_path):
    db = tmp_path / "desk.db"
    env = {"MIGDESK_HOME": str(tmp_path / "home")}
    code, _out, _mods = imported("--db", str(db), "init", "--admin", "tester", env=env)
    assert code == 0
    code, out, modules = imported("--db", str(db), "--lang", "en", "candidate", "list",
                                  "--search", "ber", env=env)
    assert code == 0 and "Personal number" in out
    assert loaded(modules, "alembic", "reportlab", "pyhanko", "openpyxl", "python_calamine",
                  "xlsxwriter", "PySide6", "migdesk.services.sync", "migdesk.sync.merge",
                  "migdesk.documents", "migdesk.sheets", "sqlalchemy.dialects.postgresql") == []
    assert "sqlalchemy" in modules  # (the search itself did run against the database)


def test_the_live_only_unique_indexes_keep_their_predicate_on_postgresql():
    """Their PostgreSQL predicate is added when a PostgreSQL engine is made (no server is
    needed to compile the DDL)."""
    from sqlalchemy.schema import CreateIndex

    from migdesk.store import db as store_db
    from migdesk.store.people import Candidate
    from migdesk.store.reference import PartnerState, Program

    engine = store_db.make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    sqlite = store_db.make_engine("sqlite://")
    for model, name in ((Candidate, "uq_candidate_live_personal_number"),
                        (PartnerState, "uq_partner_state_live_iso"),
                        (Program, "uq_program_live_code")):
        index = next(i for i in model.__table__.indexes if i.name == name)
        for eng in (engine, sqlite):
            ddl = str(CreateIndex(index).compile(dialect=eng.dialect))
            assert ddl.startswith("CREATE UNIQUE INDEX") and " WHERE deleted = " in ddl, ddl
    engine.dispose()


def test_an_old_schema_is_still_upgraded(tmp_path):
    """Alembic is loaded when an upgrade is due, and the database reaches the head."""
    import sqlite3

    from migdesk.services.app import Migdesk
    from migdesk.store import db as store_db

    path = tmp_path / "old.db"
    database = store_db.Database(str(path))
    store_db.upgrade(database.engine, "0003")
    database.dispose()
    Migdesk.open(str(path)).close()
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == \
            store_db.HEAD_REVISION


# -- the catalogue, read without babel ----------------------------------------------------------

def _babel_table(data: bytes) -> dict[str, str]:
    import io

    from babel.messages.pofile import read_po

    out: dict[str, str] = {}
    for msg in read_po(io.BytesIO(data), locale="ka"):
        if msg.id and msg.string and not msg.fuzzy:
            key = msg.id if isinstance(msg.id, str) else msg.id[0]
            val = msg.string if isinstance(msg.string, str) else msg.string[0]
            out[f"{msg.context}\x04{key}" if msg.context else key] = val
    return out


def test_the_catalogue_reads_every_shipped_file_as_babel_does():
    from migdesk.i18n import read_po_table
    from migdesk.paths import resources_dir

    files = sorted((resources_dir() / "i18n" / "ka").glob("*.po"))
    assert files
    for path in files:
        assert read_po_table(path.read_text(encoding="utf-8")) == _babel_table(
            path.read_bytes()), path.name


def test_the_catalogue_reader_on_the_corners_of_the_format():
    from migdesk.i18n import read_po_table

    text = r'''# a header
msgid ""
msgstr ""
"Language: ka\n"

#: somewhere.py:1
msgid "Plain"
msgstr "უბრალო"

#, python-format, fuzzy
msgid "Fuzzy {n}"
msgstr "ბუნდოვანი {n}"

msgid "Untranslated"
msgstr ""

msgctxt "menu"
msgid "Open"
msgstr "გახსნა"

msgid ""
"Two "
"lines with \"quotes\", a \\ and a\n"
"break"
msgstr "ორი "
"სტრიქონი \"ბრჭყალებით\", \\ და\n"
"გადატანა"

msgid "One file"
msgid_plural "{n} files"
msgstr[0] "{n} ფაილი"
msgstr[1] "{n} ფაილი"

#~ msgid "Obsolete"
#~ msgstr "მოძველებული"
msgid "Last"
msgstr "ბოლო"
'''
    got = read_po_table(text)
    assert got == _babel_table(text.encode("utf-8"))
    assert got["menu\x04Open"] == "გახსნა" and "Fuzzy {n}" not in got
    assert got['Two lines with "quotes", a \\ and a\nbreak'].endswith("\nგადატანა")
    assert got["One file"] == "{n} ფაილი" and got["Last"] == "ბოლო"
