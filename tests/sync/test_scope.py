"""What the central store sends each desk: reference data always, and personal data by the
scope it keeps for that desk — a desk newly trusted gets only its own candidates; widening
the scope sends the rest, narrowing it sends no more."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from migdesk.domain.errors import NotFound, ValidationError
from migdesk.store.people import Attachment
from tests.sync.net import content, introduce, network, open_desk, register, send


@pytest.fixture
def scoped(tmp_path):
    with network(tmp_path, scope="own") as (c, a, b):
        yield tmp_path, c, a, b


def names(app) -> set[str]:
    return {s.personal_number for s in app.candidates.search("", limit=100).items}


def scan(app, candidate_id: str | None, body: bytes) -> str:
    sha = hashlib.sha256(body).hexdigest()
    with app.unit_of_work("scan") as s:
        s.add(Attachment(candidate_id=candidate_id, kind="consent" if candidate_id else "other",
                         filename="scan.pdf", media_type="application/pdf", sha256=sha,
                         size=len(body), data=body))
    return sha


def round_trip(tmp, c, a, b) -> None:
    for desk in (a, b):
        send(tmp, desk, c)
    for desk in (a, b):
        send(tmp, c, desk)


def test_a_desk_gets_reference_data_and_its_own_candidates_only(scoped) -> None:
    tmp, c, a, b = scoped
    c.partners.add("PL", "negotiating")
    mine = register(a, "01001000001", "ნინო", "ბერიძე")
    theirs = register(b, "02002000002", "გიორგი", "მამულაშვილი")
    scan(b, theirs, b"%PDF-1.4 B's consent form\n" * 50)
    agreement_text = scan(c, None, b"%PDF-1.4 agreement text\n" * 50)
    round_trip(tmp, c, a, b)
    # the central store edits A's candidate: A hears of it, B does not
    c.candidates.change_status(mine, "screened", "documents checked")
    round_trip(tmp, c, a, b)

    assert names(c) == {"01001000001", "02002000002"}
    assert names(a) == {"01001000001"} and names(b) == {"02002000002"}
    assert a.candidates.get(mine, purpose=None).status == "screened"
    assert [p.iso_code for p in a.partners.list()] == ["PL"]
    with a.reading() as s:
        kept = {(x.candidate_id, x.sha256) for x in s.query(Attachment)}
    assert kept == {(None, agreement_text)}  # B's scan stays away, the agreement arrives
    for table, rows in content(a).items():  # no row of B's candidate in any table of A
        assert theirs not in repr(rows), table
    con = sqlite3.connect(tmp / "a.db")
    try:
        hits = con.execute("SELECT count(*) FROM change_log WHERE changes LIKE "
                           "'%02002000002%' OR changes LIKE '%მამულაშვილი%'").fetchone()[0]
    finally:
        con.close()
    assert hits == 0


def test_widening_the_scope_sends_what_was_held_back_and_desks_converge(scoped) -> None:
    tmp, c, a, b = scoped
    register(a, "01001000001")
    register(b, "02002000002")
    round_trip(tmp, c, a, b)
    assert names(a) == {"01001000001"}

    for desk in (a, b):
        peer = c.sync.set_scope(desk.desk_id, "all")
        assert peer.scope == "all" and peer.resend
    r = send(tmp, c, a)
    assert r.seq_from == 1  # started again from the first change
    send(tmp, c, b)
    assert names(a) == names(b) == {"01001000001", "02002000002"}
    assert content(a) == content(b) == content(c)
    assert not any(p.resend for p in c.sync.peers())
    assert send(tmp, c, a).stats.applied == 0  # and the next package is incremental again


def test_narrowing_the_scope_sends_no_more_of_other_desks(tmp_path) -> None:
    with network(tmp_path, scope="all") as (c, a, b):
        register(b, "02002000002")
        round_trip(tmp_path, c, a, b)
        assert names(a) == {"02002000002"}
        assert not c.sync.set_scope("Desk A", "own").resend  # by name
        register(b, "02002000003")
        round_trip(tmp_path, c, a, b)
        assert names(a) == {"02002000002"}  # kept what it had, got nothing new
        assert names(b) == {"02002000002", "02002000003"}


def test_scope_is_checked_and_the_central_store_names_its_desk(scoped) -> None:
    tmp, c, a, _b = scoped
    with pytest.raises(ValidationError) as exc:
        c.sync.export(tmp / "anyone.mdp")
    assert "ერთ სამუშაო ადგილს" in exc.value.message("ka")
    assert "one desk at a time" in exc.value.message("en")
    assert not (tmp / "anyone.mdp").exists()
    with pytest.raises(ValidationError):
        c.sync.set_scope(a.desk_id, "everything")
    with pytest.raises(NotFound):
        c.sync.set_scope("no such desk", "all")
    with pytest.raises(ValidationError) as exc:  # a desk does not narrow the central store
        a.sync.set_scope(c.desk_id, "own")
    assert "central store" in exc.value.message("en")
    assert {p.name: p.scope for p in c.sync.peers()} == {"Desk A": "own", "Desk B": "own"}
    assert [p.scope for p in a.sync.peers()] == ["all"]


def test_the_command_line_sets_and_shows_the_scope(tmp_path, capsys) -> None:
    from migdesk.cli import main

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--lang", "en", *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    a, c = str(tmp_path / "a.db"), str(tmp_path / "c.db")
    run("--db", a, "init", "--desk-name", "Kutaisi", "--admin", "tester")
    run("--db", c, "init", "--desk-name", "Central", "--admin", "tester")
    run("--db", c, "desk", "role", "central")
    run("--db", a, "desk", "show", "--card", str(tmp_path / "a.card"))
    code, out, _ = run("--db", c, "desk", "trust", str(tmp_path / "a.card"))
    assert code == 0 and "its own candidates" in out
    code, out, _ = run("--db", c, "desk", "scope", "Kutaisi", "all")
    assert code == 0 and "all candidates" in out and "starts again from the first" in out
    code, out, _ = run("--db", c, "desk", "peers")
    assert "Kutaisi" in out and "all candidates" in out
    code, _, err = run("--db", c, "desk", "scope", "Kutaisi", "some")
    assert code == 2 and "invalid choice" in err
    code, _, err = run("--db", c, "desk", "scope", "Batumi", "own")
    assert code != 0 and "Batumi" in err and "Traceback" not in err
    code, _, err = run("--db", c, "export", "-o", str(tmp_path / "x.mdp"))
    assert code != 0 and "one desk at a time" in err
    code, out, _ = run("--db", c, "export", "-o", str(tmp_path / "x.mdp"), "--to", "Kutaisi")
    assert code == 0 and "Package written" in out


def test_parties_trusted_before_scopes_existed_keep_receiving_everything(tmp_path) -> None:
    from sqlalchemy import text

    from migdesk.services import Migdesk
    from migdesk.store import db as store_db

    database = store_db.Database(str(tmp_path / "old.db"))
    store_db.upgrade(database.engine, "0002")
    with database.engine.begin() as con:
        con.execute(text(
            "INSERT INTO sync_peer (desk_id, name, role, sign_key, enc_key, trusted_at, "
            "trusted_by) VALUES ('5b0f1c2e-8f0e-4d7e-9a55-0d9d6b1c1a01', 'Desk A', 'desk', "
            "'key', NULL, '2026-11-01 10:00:00.000000', 'officer')"))
    database.dispose()
    app = Migdesk.open(str(tmp_path / "old.db"))
    try:
        assert [(p.name, p.scope, p.resend) for p in app.sync.peers()] == [
            ("Desk A", "all", False)]
    finally:
        app.close()


def test_a_desk_named_twice_must_be_given_by_its_id(scoped) -> None:
    tmp, c, _a, _b = scoped
    twin = open_desk(str(tmp / "twin.db"), "Desk A")
    introduce(tmp, c, twin, scope="own")
    with pytest.raises(ValidationError) as exc:
        c.sync.set_scope("Desk A", "all")
    assert "give the desk's id" in exc.value.message("en")
    assert "იდენტიფიკატორი" in exc.value.message("ka")
    assert c.sync.set_scope(twin.desk_id[:8], "all").desk_id == twin.desk_id
    twin.close()
