import datetime as dt
import json
import sqlite3

import pytest

from migdesk.domain.errors import ConflictError, NotFound, ValidationError
from tests.helpers import dump, person


def test_register_fills_passport_form_latin_names_and_history(app):
    saved = app.candidates.register(person(occupations=[("5120", 4)],
                                           languages=[("pl", "B1")]))
    d = app.candidates.get(saved.id)
    assert (d.first_name_lat, d.last_name_lat) == ("NINO", "KAPANADZE")
    assert d.status == "registered"
    assert [h.to_status for h in d.history] == ["registered"]
    assert d.occupations[0].title_en == "Cooks" and d.occupations[0].years == 4
    assert d.languages[0].level == "b1"
    assert d.has_consent


def test_invalid_input_names_every_field_and_writes_nothing(app, db_path):
    app.candidates.register(person())
    before = dump(db_path)
    with pytest.raises(ValidationError) as exc:
        app.candidates.register(person(pn="1234567890", first="Nino", birth="2030-01-01",
                                       passport_number="TOO-LONG-1234",
                                       occupations=[("9999", 1)], languages=[("pl", "D1")]))
    fields = {e.field for e in exc.value.errors}
    assert {"personal_number", "first_name_ka", "birth_date", "passport_number",
            "occupations", "level"} <= fields
    assert "11" in exc.value.message("en") and "11" in exc.value.message("ka")
    assert dump(db_path) == before


def test_same_personal_number_is_refused(app, db_path):
    app.candidates.register(person())
    before = dump(db_path)
    with pytest.raises(ValidationError) as exc:
        app.candidates.register(person(first="მარიამ", birth="1991-01-01"))
    assert exc.value.errors[0].field == "personal_number"
    assert dump(db_path) == before


def test_same_birth_date_and_matching_name_is_flagged_not_refused(app):
    app.candidates.register(person(first="გიორგი", last="ბერიძე"))
    saved = app.candidates.register(person(pn="02002023456", first="გიორგი", last="ბერიძე",
                                           first_name_lat="GEORGI"))
    assert [h.reason for h in saved.warnings] == ["name_and_birth_date"]
    other = app.candidates.register(person(pn="03003034567", first="გიორგი", last="ბერიძე",
                                           birth="1985-01-01"))
    assert other.warnings == []


def test_duplicates_while_typing(app):
    app.candidates.register(person(first="გიორგი", last="ბერიძე"))
    hints = app.candidates.duplicates(person(pn="01001012345", first="", last=""))
    assert [h.reason for h in hints] == ["personal_number"]
    hints = app.candidates.duplicates(person(pn="0100", first="გიორგი", last="ბერიძე"))
    assert [h.reason for h in hints] == ["name_and_birth_date"]


def test_status_path_and_refused_jump(app, db_path):
    cid = app.candidates.register(person()).id
    app.candidates.change_status(cid, "screened", "documents checked")
    before = dump(db_path)
    with pytest.raises(ValidationError) as exc:
        app.candidates.change_status(cid, "employed", "skip ahead")
    assert exc.value.errors[0].field == "status"
    assert dump(db_path) == before
    with pytest.raises(ValidationError) as exc:
        app.candidates.change_status(cid, "shortlisted", "   ")
    assert exc.value.errors[0].field == "reason"
    for st in ("shortlisted", "selected", "departed", "employed", "returned", "registered"):
        app.candidates.change_status(cid, st, f"to {st}")
    history = app.candidates.get(cid).history
    assert [h.to_status for h in history][-2:] == ["returned", "registered"]
    assert history[-1].officer == "tester" and history[-1].reason == "to registered"


def test_withdrawn_from_open_stage_only(app):
    cid = app.candidates.register(person()).id
    app.candidates.change_status(cid, "withdrawn", "moved abroad privately")
    app.candidates.change_status(cid, "registered", "came back")
    for st in ("screened", "shortlisted", "selected", "departed"):
        app.candidates.change_status(cid, st, "ok")
    with pytest.raises(ValidationError):
        app.candidates.change_status(cid, "rejected", "too late")


def test_update_checks_version_and_journals_field_changes(app):
    saved = app.candidates.register(person())
    inp = person(phone="+995 555 12 34 56", occupations=[("7212", 3)])
    upd = app.candidates.update(saved.id, inp, expected_version=saved.version,
                                reason="phone given")
    assert upd.version == saved.version + 1
    with pytest.raises(ConflictError):
        app.candidates.update(saved.id, person(phone="+995555000000"),
                              expected_version=saved.version)
    changes = [c for c in app.audit.changes(entity="candidate", entity_id=saved.id)]
    assert changes[0].op == "create"
    assert changes[-1].op == "update" and changes[-1].reason == "phone given"
    assert changes[-1].changes == {"phone": [None, "+995555123456"]}
    assert changes[-1].officer == "tester" and changes[-1].desk_id == app.desk_id


def test_every_write_is_journalled_and_stamped(app, db_path):
    saved = app.candidates.register(person(occupations=[("5120", 1)]))
    con = sqlite3.connect(db_path)
    row = con.execute("SELECT version, created_by, origin_desk, deleted, created_at FROM "
                      "candidate WHERE id=?", (saved.id,)).fetchone()
    assert row[:4] == (1, "tester", app.desk_id, 0)
    entities = [r[0] for r in con.execute("SELECT entity FROM change_log ORDER BY seq")]
    assert {"candidate", "candidate_occupation", "consent", "status_change"} <= set(entities)
    seqs = [r[0] for r in con.execute("SELECT seq FROM change_log ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1))
    entry = json.loads(con.execute("SELECT changes FROM change_log WHERE entity='candidate'")
                       .fetchone()[0])
    assert entry["personal_number"] == [None, "01001012345"]


def test_delete_is_a_tombstone_and_frees_the_number(app, db_path):
    cid = app.candidates.register(person()).id
    app.candidates.delete(cid, "registered by mistake")
    with pytest.raises(NotFound):
        app.candidates.get(cid)
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT deleted FROM candidate WHERE id=?", (cid,)).fetchone() == (1,)
    assert con.execute("SELECT op FROM change_log WHERE entity_id=? ORDER BY seq DESC",
                       (cid,)).fetchone() == ("delete",)
    assert app.candidates.search("01001").items == []
    app.candidates.register(person())  # the number is free again


def test_access_to_personal_data_is_logged(app):
    cid = app.candidates.register(person()).id
    app.candidates.get(cid)
    log = app.audit.accesses(cid)
    assert log[0].action == "view" and log[0].officer == "tester"


def test_birth_date_in_range_and_passport_rules(app):
    with pytest.raises(ValidationError) as exc:
        app.candidates.register(person(birth="1900-01-01", passport_expiry="2030-01-01"))
    assert {e.field for e in exc.value.errors} == {"birth_date", "passport_number"}
    d = app.candidates.get(app.candidates.register(person(
        passport_number="13ab45678", passport_expiry="2031-02-03")).id)
    assert d.passport_number == "13AB45678" and d.passport_expiry == dt.date(2031, 2, 3)
