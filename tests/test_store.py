import sqlite3

import pytest
from sqlalchemy import text

from migdesk.services import Migdesk
from migdesk.services.app import DatabaseUnavailable
from migdesk.store import db as store_db
from tests.helpers import person


def test_sqlite_is_tuned_for_a_desk(app):
    with app.db.engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert c.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert c.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_upgrade_to_the_audit_chain_keeps_data_and_seals_the_journal(tmp_path):
    """A desk of the schema before accounts (0003) with candidates, journal and access log
    rows: upgraded, its journal is sealed in the chain, its access log became chain entries,
    and `check` passes."""
    from migdesk.services.health import check
    from tests.helpers import admin

    path = tmp_path / "old.db"
    app = admin(Migdesk.open(str(path)))
    cid = app.candidates.register(person()).id
    desk = app.desk_id
    app.close()
    from alembic import command

    database = store_db.Database(str(path))
    command.downgrade(store_db.alembic_config(database.engine), "0003")  # before the chain
    database.dispose()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO access_log (at, officer, desk_id, action, entity, entity_id) "
                "VALUES ('2026-11-20 10:00:00.000000', 'nino', ?, 'view', 'candidate', ?)",
                (desk, cid))
    con.commit()
    assert con.execute("SELECT count(*) FROM change_log").fetchone()[0] > 0
    con.close()
    app = admin(Migdesk.open(str(path)))  # migrates to head
    assert store_db.current_revision(app.db.engine) == store_db.head_revision()
    assert app.candidates.get(cid).name_ka == "ნინო კაპანაძე"
    assert [(a.officer, a.action) for a in app.audit.accesses(cid)][-1] == ("nino", "view")
    verdict = app.audit.verify()
    assert verdict.ok and verdict.changes > 0 and verdict.signature_checked
    assert check(app).ok
    app.close()


def test_database_from_a_newer_migdesk_is_refused(tmp_path):
    path = tmp_path / "new.db"
    Migdesk.open(str(path)).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num='9999_future'")
    con.commit()
    con.close()
    with pytest.raises(DatabaseUnavailable) as exc:
        Migdesk.open(str(path))
    assert "9999_future" in exc.value.message("en")


def test_not_a_database_file(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite")
    with pytest.raises(DatabaseUnavailable):
        Migdesk.open(str(path))


def test_hard_delete_is_refused(app):
    from migdesk.store.journal import HardDeleteRefused
    from migdesk.store.people import Candidate

    cid = app.candidates.register(person()).id
    with pytest.raises(HardDeleteRefused), app.unit_of_work() as s:
        s.delete(s.get(Candidate, cid))
    assert app.candidates.get(cid)


def test_migrations_build_exactly_the_schema_the_models_describe(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from migdesk.store.models import Base

    app = Migdesk.open(str(tmp_path / "desk.db"))
    try:
        with app.db.engine.connect() as con:
            diff = compare_metadata(MigrationContext.configure(con), Base.metadata)
    finally:
        app.close()
    assert diff == []
