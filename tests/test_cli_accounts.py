"""Accounts on the command line: the first administrator, `user` commands, sign-in from the
environment or nowhere (never an argument), roles refused, demo databases saying so."""

from __future__ import annotations

import json

import pytest

from migdesk.cli import main


@pytest.fixture
def run(db_path, capsys, monkeypatch):
    def go(*args: str, user: str | None = "tester", password: str | None = "tester-password",
           new: str | None = None):
        for key, value in (("MIGDESK_USER", user), ("MIGDESK_PASSWORD", password),
                           ("MIGDESK_NEW_PASSWORD", new)):
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, value)
        code = main(["--lang", "en", "--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return code, out, err
    return go


def test_a_new_desk_needs_its_administrator_first(run) -> None:
    code, _out, err = run("candidate", "list")
    assert code == 5 and "migdesk init" in err  # no database yet
    code, _out, err = run("init")
    assert code == 0 and "init --admin" in err  # a desk nobody can sign in to, and why
    code, _out, err = run("candidate", "list")
    assert code == 7 and "init --admin" in err and "Traceback" not in err
    code, out, _err = run("init", "--admin", "tester", "--full-name", "ნინო ტესტაძე")
    assert code == 0 and "Administrator created: tester" in out
    code, _out, err = run("init", "--admin", "someone")
    assert code != 0 and "already has accounts" in err
    assert run("candidate", "list")[0] == 0


def test_user_commands_and_roles(run) -> None:
    run("init", "--admin", "tester")
    code, out, _ = run("user", "add", "nino", "--full-name", "ნინო ბერიძე", "--role",
                       "officer", new="nino-password")
    assert code == 0 and "nino" in out
    code, _out, err = run("user", "add", "short", "--full-name", "x", new="abc")
    assert code != 0 and "At least 8 characters" in err
    code, out, _ = run("user", "list", "--format", "json")
    assert {u["login"]: u["role"] for u in json.loads(out)} == {
        "nino": "officer", "tester": "administrator"}
    code, _out, err = run("user", "add", "giorgi", "--full-name", "გიორგი", user="nino",
                          password="nino-password", new="giorgi-password")
    assert code == 7 and "may not manage accounts" in err
    assert run("user", "role", "nino", "supervisor")[0] == 0
    assert run("user", "disable", "nino", "--reason", "left")[0] == 0
    code, _out, err = run("candidate", "list", user="nino", password="nino-password")
    assert code == 7 and "wrong" in err
    assert run("user", "enable", "nino")[0] == 0
    assert run("user", "reset", "nino", new="reset-password")[0] == 0
    code, out, _ = run("user", "passwd", user="nino", password="reset-password",
                       new="nino-new-password")
    assert code == 0 and "Password changed" in out
    assert run("candidate", "list", user="nino", password="nino-new-password")[0] == 0


def test_no_password_and_no_terminal_is_a_clear_refusal(run) -> None:
    run("init", "--admin", "tester")
    code, _out, err = run("candidate", "list", password=None)
    assert code == 7 and "MIGDESK_PASSWORD" in err and "Traceback" not in err
    code, _out, err = run("candidate", "list", user=None)
    assert code == 7 and "MIGDESK_USER" in err


def test_a_password_is_never_a_command_line_argument(run) -> None:
    run("init", "--admin", "tester")
    code, _out, err = run("user", "add", "nino", "--full-name", "ნინო", "--password", "x",
                          new="nino-password")
    assert code == 2 and "--password" in err


def test_a_demo_database_says_so_and_signs_in_as_demo(run) -> None:
    code, _out, err = run("demo", "--candidates", "50", user="demo", password="demo")
    assert code == 0 and "demo database" in err
    code, out, err = run("user", "list", user="demo", password="demo")
    assert code == 0 and "demo-officer" in out and "demo database" in err
