"""The Georgian catalogue covers every marked message, and errors really come out bilingual."""

from __future__ import annotations

import re
import sqlite3
import string

import pytest

from migdesk import cli, i18n
from migdesk.domain.errors import ValidationError
from migdesk.domain.identity import parse_personal_number
from migdesk.i18n.extract import AREAS, area_of, extract, missing

MKHEDRULI = re.compile(r"[\u10D0-\u10FF]")
MTAVRULI = re.compile(r"[\u1C90-\u1CBF]")


@pytest.fixture(scope="module")
def messages():
    return extract()


def placeholders(text: str) -> set[str]:
    """The `{name:spec}` fields of a str.format template."""
    return {f"{{{name}{':' + spec if spec else ''}}}"
            for _lit, name, spec, _conv in string.Formatter().parse(text) if name is not None}


def test_every_marked_message_has_georgian(messages) -> None:
    lacking = missing(messages)
    report = "\n".join(f"  [{area_of(m) or '?'}] {m.where()}: {m.msgid!r}" for m in lacking)
    if lacking:
        pytest.fail(f"{len(lacking)} msgid(s) without Georgian:\n{report}", pytrace=False)


def test_core_area_is_complete() -> None:
    lacking = missing(extract(AREAS["core"]))
    if lacking:
        pytest.fail("\n".join(f"{m.where()}: {m.msgid!r}" for m in lacking), pytrace=False)


def test_translations_keep_placeholders() -> None:
    wrong = []
    for key, text in i18n.catalogue("ka").items():
        msgid = key.split("\x04", 1)[-1]
        try:
            same = placeholders(msgid) == placeholders(text)
        except ValueError as exc:  # unbalanced braces
            same, text = False, f"{text}  ({exc})"
        if not same:
            wrong.append(f"  {msgid!r} -> {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_no_mtavruli_in_translations() -> None:
    bad = [f"  {k!r} -> {v!r}" for k, v in i18n.catalogue("ka").items() if MTAVRULI.search(v)]
    assert not bad, "Mtavruli capitals (U+1C90–U+1CBF) in:\n" + "\n".join(bad)


def test_validation_error_speaks_both_languages() -> None:
    with pytest.raises(ValidationError) as info:
        parse_personal_number("123")
    ka, en = info.value.message("ka"), info.value.message("en")
    assert MKHEDRULI.search(ka), ka
    assert not MKHEDRULI.search(en) and "11 digits" in en, en
    assert "3" in ka and "3" in en  # the parameter reaches both languages


def test_cli_prints_one_bilingual_line_and_saves_nothing(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("MIGDESK_HOME", str(tmp_path / "home"))
    db = tmp_path / "desk.db"
    assert cli.main(["--db", str(db), "init", "--admin", "tester"]) == 0
    capsys.readouterr()
    code = cli.main(["--db", str(db), "candidate", "add", "--personal-number", "123",
                     "--first-name", "ნინო", "--last-name", "ბერიძე",
                     "--birth-date", "1990-05-17"])
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code != 0
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("შეცდომა: "), line
    assert "პირადი ნომერი" in line and "11" in line and MKHEDRULI.search(line)
    assert "Error: Personal number: Must be exactly 11 digits" in line, line
    if db.exists():
        with sqlite3.connect(db) as con:
            assert con.execute("SELECT count(*) FROM candidate").fetchone()[0] == 0


def test_no_msgid_is_translated_two_ways_across_areas():
    """The catalogue is split by area but read as one: a msgid in two files must agree,
    or the file loaded last silently wins."""
    from babel.messages.pofile import read_po

    from migdesk.paths import resources_dir

    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for path in sorted((resources_dir() / "i18n" / "ka").glob("*.po")):
        with path.open("rb") as fh:
            for msg in read_po(fh, locale="ka"):
                if not msg.id or not msg.string:
                    continue
                key = (msg.context or "") + "\x04" + str(msg.id)
                if key in seen and seen[key][1] != msg.string:
                    clashes.append(f"{msg.id!r}: {seen[key][0]} {seen[key][1]!r} vs "
                                   f"{path.name} {msg.string!r}")
                seen.setdefault(key, (path.name, str(msg.string)))
    assert not clashes, "\n".join(clashes)
