"""The hash-chained audit trail: every action recorded, and an edited, inserted or removed
entry or journal row found by `audit verify` (and `check`), naming the first broken entry."""

from __future__ import annotations

import sqlite3

import pytest

from migdesk.cli import main
from migdesk.services.health import check
from tests.helpers import forge_chain, person


@pytest.fixture
def desk(app):
    """A desk with a few registrations, a view, a status change and a print."""
    from migdesk.services.dossiers import DossierService

    ids = [app.candidates.register(person(f"0100101234{i}", first=f"ნინო{'ა' * i}")).id
           for i in range(3)]
    app.candidates.get(ids[0])
    app.candidates.change_status(ids[1], "screened", "documents checked")
    DossierService(app).render(ids[2], "print")
    assert app.audit.verify().ok
    return app, ids


def sql(app, statement: str, *params) -> None:
    con = sqlite3.connect(app.db.engine.url.database)
    con.execute(statement, params)
    con.commit()
    con.close()


def broken(app) -> tuple[int | None, str]:
    v = app.audit.verify()
    assert not v.ok
    return v.broken_at, v.msgid or ""


def test_every_kind_of_action_is_in_the_chain(desk) -> None:
    app, ids = desk
    actions = [e.action for e in app.audit.entries(newest_first=False)]
    assert actions[:2] == ["account_create", "journal"] or "account_create" in actions
    for needed in ("view", "print", "journal"):
        assert needed in actions
    mine = app.audit.entries(candidate=ids[0])
    assert [e.action for e in mine] == ["view", "create"]
    assert {e.officer for e in mine} == {"tester"}
    v = app.audit.verify()
    assert v.entries == len(actions) and v.changes > 0 and v.signature_checked


def test_an_edited_entry_is_found(desk) -> None:
    app, ids = desk
    sql(app, "UPDATE audit_log SET officer='someone-else' WHERE action='view'")
    seq, msg = broken(app)
    assert "changed after it was written" in msg
    with app.reading() as s:
        from sqlalchemy import select

        from migdesk.store.audit import AuditEntry

        assert s.scalar(select(AuditEntry.seq).where(AuditEntry.action == "view")) == seq


def test_an_inserted_entry_is_found(desk) -> None:
    app, _ = desk
    sql(app, "UPDATE audit_log SET seq = -seq - 1 WHERE seq >= 3")  # make room at 3
    sql(app, "UPDATE audit_log SET seq = -seq WHERE seq < 0")
    sql(app, "INSERT INTO audit_log (seq, at, officer, desk_id, action, changes_count, "
             "prev_hash, hash) SELECT 3, at, officer, desk_id, 'view', 0, prev_hash, hash "
             "FROM audit_log WHERE seq = 2")
    seq, msg = broken(app)
    assert seq == 3 and ("does not follow" in msg or "changed" in msg)


def test_a_removed_entry_is_found(desk) -> None:
    app, _ = desk
    sql(app, "DELETE FROM audit_log WHERE seq = 4")
    assert broken(app) == (4, "entry {seq} is missing")


def test_removing_the_last_entries_is_found_by_the_signed_head(desk) -> None:
    app, _ = desk
    sql(app, "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
    assert "signed head" in broken(app)[1]


def test_an_edited_journal_row_is_found(desk) -> None:
    app, ids = desk
    sql(app, "UPDATE change_log SET changes = replace(changes, 'ნინო', 'მარიამ') "
             "WHERE entity = 'candidate' AND entity_id = ?", ids[0])
    assert "were changed, added or removed" in broken(app)[1]


def test_a_journal_row_written_around_migdesk_is_found(desk) -> None:
    app, _ = desk
    sql(app, "INSERT INTO change_log (change_id, at, officer, desk_id, entity, entity_id, op, "
             "version, changes) SELECT 'x' || change_id, at, officer, desk_id, entity, "
             "entity_id, op, version + 1, changes FROM change_log ORDER BY seq DESC LIMIT 1")
    assert "not sealed" in broken(app)[1]


def test_a_rewritten_chain_with_a_forged_head_is_found_by_its_signature(desk) -> None:
    """Someone with the file but not the desk's key rewrites an entry and recomputes every
    hash after it: the links hold, but the head's signature does not."""
    app, _ = desk
    forge_chain(app.db.engine.url.database, lambda r: r["action"] == "view")
    assert "not this desk's" in broken(app)[1]


def test_check_and_the_command_line_name_the_first_broken_entry(desk, capsys) -> None:
    app, _ = desk
    db = app.db.engine.url.database
    assert main(["--lang", "en", "--db", db, "audit", "verify"]) == 0
    assert "The audit trail is unbroken" in capsys.readouterr().out
    sql(app, "DELETE FROM audit_log WHERE seq = 4")
    report = check(app)
    assert not report.ok
    assert main(["--lang", "en", "--db", db, "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert "broken at entry 4" in err and "entry 4 is missing" in err
    assert main(["--lang", "ka", "--db", db, "check"]) == 1
    out = capsys.readouterr().out
    assert "✗ აუდიტის ჟურნალი მთლიანია: ჩანაწერი 4 აკლია" in out


def test_audit_list_filters_and_formats(desk, capsys) -> None:
    import json

    app, ids = desk
    db = app.db.engine.url.database
    assert main(["--db", db, "audit", "list", "--candidate", ids[0], "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["action"] for r in rows] == ["view", "create"]
    assert main(["--db", db, "audit", "list", "--action", "print", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and ids[2] in lines[1]
    assert main(["--lang", "en", "--db", db, "audit", "list", "--since", "yesterday"]) != 0
    assert "YYYY-MM-DD" in capsys.readouterr().err
