"""Hostile command-line input (generated): `migdesk candidate add|list|show|status` with NUL
and control characters, RTL marks, SQL fragments, digits of other scripts, absurdly long and
oddly typed values. Each is refused with one line in Georgian and English (non-zero exit, no
traceback, no "Unexpected error", the database unchanged) or accepted as the form would
accept it; in-process through the command's own `main`, to stay fast."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from migdesk.cli import main
from migdesk.domain import rules
from migdesk.services.health import check
from tests.helpers import GENERATED, dump

MARKS = ["\x00", "\u202e", "\u200f", "\u2066", "\ufeff", "\x1b[31m", "\r\n", "\x85", "\x07",
         "\u2028", "\t", "\udcff", "\x7f"]
SQL = ["'; DROP TABLE candidate; --", '" OR 1=1 --', "ნინო'); DELETE FROM change_log; --",
       "%", "_", "%' OR '%'='", "*", "\\", "' UNION SELECT personal_number FROM candidate --"]
DIGITS = ["١٢٣٤٥٦٧٨٩٠١", "０１２３４５６７８９０", "०१२३४५६७८९०", "০১২৩৪৫৬৭৮৯০", "๐๑๒๓๔๕๖๗๘๙๐",
          "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗𝟎", "٠١٠٠١٠١٢٣٤٥"]
PLAIN = ["ნინო", "კაპანაძე", "01001012345", "GE-TB", "NINO", "1990-05-01", "registered",
         "<script>alert(1)</script>", "2999-01-01", "ABCDEFGHIJK", "", "-", "--help", "7115:3",
         "en:B1", "1e9", "-1", "0", "NaN", "ᲜᲘᲜᲝ"]

hostile = st.one_of(
    st.sampled_from(SQL + DIGITS + PLAIN),
    st.builds(lambda a, m, b: a + m + b, st.sampled_from(PLAIN), st.sampled_from(MARKS),
              st.sampled_from(PLAIN)),
    st.text(max_size=30),
    st.integers(min_value=60, max_value=100_000).map(lambda n: "ა" * n),
    st.integers().map(str),
)


@pytest.fixture
def desk(db_path, capsys):
    assert main(["--db", str(db_path), "init", "--admin", "tester"]) == 0
    for pn, first in (("01001012345", "ნინო"), ("01001012346", "გიორგი")):
        assert main(["--db", str(db_path), "candidate", "add", "--personal-number", pn,
                     "--first-name", first, "--last-name", "ბერიძე",
                     "--birth-date", "1990-05-01"]) == 0
    capsys.readouterr()
    return db_path


def run(db_path, capsys, *args: str) -> tuple[int, str, str]:
    before = dump(db_path)
    try:
        code = main(["--db", str(db_path), *args])
    except SystemExit as exc:  # argparse's own --help: printed, and exits 0 as a process
        assert exc.code == 0
        code = 0
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "Unexpected error" not in err, err
    if code != 0:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and " / Error: " in lines[0], err  # Georgian / English
        assert not rules.forbidden(False).search(lines[0]), repr(lines[0])  # nothing raw
        assert dump(db_path) == before
    return code, out, err


ADD_OPTIONS = ["--personal-number", "--first-name", "--last-name", "--birth-date",
               "--first-name-lat", "--last-name-lat", "--sex", "--phone", "--email", "--region",
               "--address", "--passport", "--passport-expiry", "--education", "--occupation",
               "--language", "--consent-date", "--consent-scope"]
GOOD = {"--personal-number": "01001012399", "--first-name": "ნინო", "--last-name": "ბერიძე",
        "--birth-date": "1990-05-01"}


def test_generated_hostile_candidate_add(desk, capsys) -> None:
    codes: list[int] = []

    @given(values=st.dictionaries(st.sampled_from(ADD_OPTIONS), hostile, min_size=1,
                                  max_size=4))
    def attempt(values) -> None:
        GENERATED["command line: candidate add"] += 1
        n = GENERATED["command line: candidate add"]
        given_values = {**GOOD, "--personal-number": f"0200{n:07d}", **values}
        args = [x for k, v in given_values.items() for x in (k, v) if k != "--consent-scope"
                or "--consent-date" in given_values]
        if "--consent-date" in given_values and "--consent-scope" not in given_values:
            args += ["--consent-scope", "programmes"]
        code, out, _err = run(desk, capsys, "candidate", "add", *args, "--format", "json")
        codes.append(code)
        if code == 0:  # accepted: stored as the form stores it, and the desk is sound
            cid = json.loads(out)["id"]
            code, shown, _ = run(desk, capsys, "candidate", "show", cid, "--format", "json")
            assert code == 0
            data = json.loads(shown)
            assert data["personal_number"].isascii() and data["personal_number"].isdigit()
            for key in ("first_name_ka", "last_name_ka", "address", "notes"):
                if data.get(key):
                    rules.check_text(data[key], 4000)

    attempt()
    assert any(codes) and 0 in codes
    from migdesk.services import Migdesk

    app = Migdesk.open(str(desk), create=False, migrate=False)
    try:
        assert check(app).ok
    finally:
        app.close()


def test_generated_hostile_candidate_list_and_show(desk, capsys) -> None:
    @given(option=st.sampled_from(["--search", "--status", "--program", "--region",
                                   "--occupation", "--language", "--limit", "--format", None]),
           value=hostile, ref=hostile, fmt=st.sampled_from(["table", "json", "csv"]))
    def attempt(option, value, ref, fmt) -> None:
        GENERATED["command line: candidate list/show"] += 1
        args = ["candidate", "list", "--format", fmt]
        if option:
            args += [option, value]
        code, out, _ = run(desk, capsys, *args)
        if code == 0 and fmt == "json" and value not in ("-h", "--help"):
            assert isinstance(json.loads(out), list)
        code, out, _ = run(desk, capsys, "candidate", "show", ref, "--format", "json")
        if code == 0 and ref not in ("-h", "--help"):  # the help is not a record
            assert json.loads(out)["personal_number"] in ("01001012345", "01001012346")

    attempt()


def test_generated_hostile_status_changes(desk, capsys) -> None:
    @given(ref=st.one_of(st.sampled_from(["01001012345", "٠١٠٠١٠١٢٣٤٥"]), hostile),
           status=st.one_of(st.sampled_from(["screened", "employed", "withdrawn"]), hostile),
           reason=hostile)
    def attempt(ref, status, reason) -> None:
        GENERATED["command line: candidate status"] += 1
        run(desk, capsys, "candidate", "status", ref, status, "--reason", reason)

    attempt()
    from migdesk.services import Migdesk

    app = Migdesk.open(str(desk), create=False, migrate=False)
    try:
        assert check(app).ok  # whatever was accepted kept status and history together
    finally:
        app.close()


def test_other_script_digits_never_register_a_second_person(desk, capsys) -> None:
    for digits in DIGITS:
        code, _out, err = run(desk, capsys, "candidate", "add", "--personal-number", digits,
                              "--first-name", "ნინო", "--last-name", "ბერიძე",
                              "--birth-date", "1990-05-01")
        assert code != 0 and "0–9" in err, err


def test_control_characters_in_free_text_are_refused_by_the_form_rule(desk, capsys) -> None:
    for mark in ("\x00", "\u202e", "\x1b[2J", "\u2066"):
        code, _out, err = run(desk, capsys, "candidate", "add", *[
            x for kv in GOOD.items() for x in kv], "--address", f"თბილისი{mark}1")
        assert code != 0 and "U+" in err, err


def test_bytes_that_are_not_utf8_are_refused_before_anything_runs(desk, capsys) -> None:
    """What `migdesk candidate list --search $'ნინო\\xff'` gives Python (a lone surrogate)
    once reached the database as "Unexpected error: UnicodeEncodeError"."""
    import os

    arg = os.fsdecode("ნინო".encode() + b"\xff")
    for args in (["candidate", "list", "--search", arg], ["candidate", "show", arg],
                 ["candidate", "add", "--personal-number", "01001012399", "--first-name",
                  "ნინო", "--last-name", "ბერიძე", "--birth-date", "1990-05-01", "--email",
                  arg + "@example.ge"]):
        code, _out, err = run(desk, capsys, *args)
        assert code == 2 and "UTF-8" in err and "\\udcff" in err, err
