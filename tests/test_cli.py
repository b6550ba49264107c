"""The command line end to end, as a script would use it."""

import json

import pytest

from migdesk.cli import main
from tests.helpers import dump


@pytest.fixture
def cli(db_path, capsys):
    """The command line over a desk whose administrator is `tester` (MIGDESK_USER and
    MIGDESK_PASSWORD are set in conftest.py)."""
    assert main(["--db", str(db_path), "init", "--admin", "tester"]) == 0
    capsys.readouterr()

    def run(*args):
        code = main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return code, out, err
    return run


def test_add_list_show_status_round_trip(cli):
    code, out, _ = cli("candidate", "add", "--personal-number", "01001012345",
                       "--first-name", "ნინო", "--last-name", "ჭავჭავაძე",
                       "--birth-date", "1990-05-01", "--sex", "f", "--region", "GE-IM",
                       "--passport", "13ab12345", "--passport-expiry", "2031-01-01",
                       "--occupation", "5322:4", "--language", "he:A2",
                       "--consent-date", "2026-11-01", "--consent-scope", "programmes",
                       "--format", "json")
    assert code == 0
    cid = json.loads(out)["id"]
    code, out, _ = cli("candidate", "list", "--search", "chav", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and [r["id"] for r in rows] == [cid]
    assert rows[0]["last_name_lat"] == "CHAVCHAVADZE" and rows[0]["status"] == "registered"
    code, out, _ = cli("candidate", "status", "01001012345", "screened", "--reason", "docs ok")
    assert code == 0
    code, out, _ = cli("candidate", "show", cid, "--format", "json")
    shown = json.loads(out)
    assert shown["status"] == "screened"
    assert [h["to_status"] for h in shown["history"]] == ["registered", "screened"]
    assert shown["occupations"][0]["isco_code"] == "5322"
    code, out, _ = cli("--lang", "en", "candidate", "list", "--format", "csv")
    assert out.splitlines()[0] == "id,personal_number,name_ka,name_lat,birth_date,region,status"


def test_table_output_is_georgian_by_default(cli):
    cli("candidate", "add", "--personal-number", "01001012345", "--first-name", "ნინო",
        "--last-name", "ბერიძე", "--birth-date", "1990-05-01")
    code, out, _ = cli("candidate", "list")
    assert "ნინო ბერიძე" in out and "რეგისტრირებული" in out


@pytest.mark.parametrize("args,field_en", [
    (["--personal-number", "123"], "Personal number"),
    (["--personal-number", "01001012345", "--birth-date", "2001-02-30"], "Date of birth"),
    (["--personal-number", "01001012345", "--occupation", "12345"], "Occupations"),
    (["--personal-number", "01001012345", "--language", "pl:Z9"], "Language level"),
])
def test_bad_input_one_bilingual_line_and_nothing_written(cli, db_path, args, field_en):
    cli("init")
    before = dump(db_path)
    base = {"--first-name": "ნინო", "--last-name": "ბერიძე", "--birth-date": "1990-05-01"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    flat = [x for kv in base.items() for x in kv]
    code, out, err = cli("candidate", "add", *flat)
    assert code != 0 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "შეცდომა" in err and field_en in err and "Traceback" not in err
    assert dump(db_path) == before


def test_unknown_things_exit_non_zero_without_traceback(cli):
    cli("init")
    for args in (["candidate", "show", "99999999999"], ["program", "match", "NOPE"],
                 ["candidate", "status", "99999999999", "nonsense", "--reason", "x"],
                 ["candidate", "list", "--limit", "0"], ["frobnicate"],
                 ["candidate", "list", "--status", "happy"]):
        code, out, err = cli(*args)
        assert code != 0, args
        assert "Traceback" not in err and err.count("/") >= 1, args


def test_demo_match_check(cli):
    code, out, _ = cli("demo", "--candidates", "300", "--seed", "1")
    assert code == 0
    code, out, _ = cli("program", "match", "PL-IOM-PILOT", "--limit", "5", "--format", "json")
    ranked = json.loads(out)
    assert code == 0 and len(ranked) == 5
    assert [r["rank"] for r in ranked] == [1, 2, 3, 4, 5]
    assert ranked[0]["score"] >= ranked[-1]["score"]
    code, out, _ = cli("candidate", "list", "--program", "PL-IOM-PILOT", "--status", "employed",
                       "--limit", "100", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 42
    code, out, _ = cli("check")
    assert code == 0


def test_missing_database_for_read_commands(tmp_path, capsys):
    code = main(["--db", str(tmp_path / "none.db"), "candidate", "list"])
    assert code != 0 and "init" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()
