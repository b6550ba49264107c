"""The command line: init makes keys, cards are exchanged, export/import/conflicts work."""

from __future__ import annotations

from migdesk.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_two_desks_exchange_on_the_command_line(tmp_path, capsys) -> None:
    a, c = str(tmp_path / "a.db"), str(tmp_path / "c.db")
    assert run(capsys, "--db", a, "init", "--desk-name", "A", "--admin", "tester")[0] == 0
    assert run(capsys, "--db", c, "init", "--desk-name", "C", "--admin", "tester")[0] == 0
    assert run(capsys, "--db", c, "desk", "role", "central")[0] == 0
    code, out, _ = run(capsys, "--db", a, "desk", "show", "--card", str(tmp_path / "a.card"))
    assert code == 0 and "Signing key (Ed25519)" in out
    run(capsys, "--db", c, "desk", "show", "--card", str(tmp_path / "c.card"))
    pkg = str(tmp_path / "early.mdp")
    code, _, err = run(capsys, "--db", a, "export", "-o", pkg)
    assert code == 0 and "anyone who gets the file can read it" in err
    code, _, err = run(capsys, "--db", c, "import", pkg)
    assert code == 6 and "does not trust" in err and "Traceback" not in err
    assert run(capsys, "--db", a, "desk", "trust", str(tmp_path / "c.card"))[0] == 0
    assert run(capsys, "--db", c, "desk", "trust", str(tmp_path / "a.card"))[0] == 0
    pkg = str(tmp_path / "sealed.mdp")
    code, out, err = run(capsys, "--db", a, "export", "-o", pkg, "--full")
    assert code == 0 and err == ""
    code, out, _ = run(capsys, "--db", c, "import", pkg)
    assert code == 0 and "Package from A" in out
    code, out, _ = run(capsys, "--db", c, "desk", "peers")
    assert code == 0 and "import" in out
    code, out, _ = run(capsys, "--db", c, "conflicts", "list")
    assert code == 0


def test_a_changed_key_for_a_trusted_desk_needs_replace(tmp_path, capsys) -> None:
    import json

    a, c = str(tmp_path / "a.db"), str(tmp_path / "c.db")
    run(capsys, "--db", a, "init", "--desk-name", "A", "--admin", "tester")
    run(capsys, "--db", c, "init", "--desk-name", "C", "--admin", "tester")
    card = tmp_path / "a.card"
    run(capsys, "--db", a, "desk", "show", "--card", str(card))
    assert run(capsys, "--db", c, "desk", "trust", str(card))[0] == 0
    assert run(capsys, "--db", c, "desk", "trust", str(card))[0] == 0  # same keys: fine
    forged = json.loads(card.read_text())
    forged["sign_key"] = forged["enc_key"]  # 32 bytes, valid form, not A's signing key
    card.write_text(json.dumps(forged))
    code, _, err = run(capsys, "--db", c, "desk", "trust", str(card))
    assert code == 4 and "--replace" in err
    assert run(capsys, "--db", c, "desk", "trust", str(card), "--replace")[0] == 0
