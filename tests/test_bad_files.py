"""Files and numbers that used to slip through: an empty --db, a database without its schema
record, digits of other scripts, and file errors that reached the user in English only."""

from __future__ import annotations

import sqlite3

import pytest

from migdesk import cli
from migdesk.domain.errors import ValidationError
from migdesk.domain.identity import ascii_digits, parse_personal_number
from migdesk.services.validation import as_int
from tests.helpers import dump, person

KA = "\u10d0"  # a Mkhedruli letter: the Georgian half of a message is there


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_an_empty_file_is_not_turned_into_a_database(tmp_path, capsys) -> None:
    db = tmp_path / "empty.db"
    db.write_bytes(b"")
    code, _out, err = run(capsys, "--db", str(db), "candidate", "list")
    assert code == 5
    assert "empty file, not a migdesk database" in err and KA in err
    assert db.stat().st_size == 0


def test_tables_without_a_schema_record_are_refused(tmp_path, capsys) -> None:
    db = tmp_path / "other.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE access_log (id INTEGER)")
    con.commit()
    con.close()
    before = dump(db)
    code, _out, err = run(capsys, "--db", str(db), "candidate", "list")
    assert code == 5
    assert "no migdesk schema record" in err and "already exists" not in err
    assert dump(db) == before


@pytest.mark.parametrize("digits", [
    "\u0660\u0661\u0660\u0660\u0661\u0660\u0661\u0662\u0663\u0664\u0665",  # Arabic-Indic
    "\uff10\uff11\uff10\uff10\uff11\uff10\uff11\uff12\uff13\uff14\uff15",  # fullwidth
    "\u0966\u0967\u0966\u0966\u0967\u0966\u0967\u0968\u0969\u096a\u096b",  # Devanagari
])
def test_personal_numbers_in_other_scripts_digits_are_refused(app, digits) -> None:
    assert ascii_digits(digits) == "01001012345"
    with pytest.raises(ValidationError) as exc:
        parse_personal_number(digits)
    assert "digits 0–9" in exc.value.message("en")
    with pytest.raises(ValidationError):
        app.candidates.register(person(pn=digits))
    saved = app.candidates.register(person(pn="01001012345"))
    # the same number typed in another script finds the registered person when searching
    hits = app.candidates.search(digits[:5]).items
    assert [c.id for c in hits] == [saved.id]


def test_whole_numbers_in_other_scripts_digits_are_refused() -> None:
    with pytest.raises(ValidationError):
        as_int("\u0663", 0, 10)
    assert as_int("3", 0, 10) == 3


def test_a_file_error_is_named_in_both_languages(app, db_path, tmp_path, capsys) -> None:
    app.candidates.register(person())
    target = tmp_path / "no such folder" / "desk.mdp"
    code, _out, err = run(capsys, "--db", str(db_path), "export", "--full", "-o", str(target))
    assert code == 5
    assert "Unexpected error" not in err and "OSError" not in err
    assert "ასეთი ფაილი ან საქაღალდე არ არსებობს" in err and "no such file or folder" in err
    assert err.strip().count("\n") == 0 or "Warning" in err
    assert not target.parent.exists()


def test_an_export_onto_a_folder_is_refused_and_leaves_it(app, db_path, tmp_path,
                                                          capsys) -> None:
    app.candidates.register(person())
    target = tmp_path / "a folder.mdp"
    target.mkdir()
    code, _out, err = run(capsys, "--db", str(db_path), "export", "--full", "-o", str(target))
    assert code != 0 and "Unexpected error" not in err
    assert "is not a file the package can replace" in err and "არ არის ფაილი" in err
    assert target.is_dir() and list(target.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []
