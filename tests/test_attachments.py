"""Scanned documents attached to a candidate: stored by content hash, refused when too large
or not a document, opened with an access entry, removed with a reason, and carried by a
change package to another desk byte for byte."""

from __future__ import annotations

import hashlib

import pytest

from migdesk.domain.attachments import MAX_BYTES
from migdesk.domain.errors import ValidationError
from migdesk.services import Migdesk
from tests.attachment_files import TIFF, XLSX_AS_PDF, pdf, png
from tests.helpers import admin, as_role, dump, person


@pytest.fixture
def app(tmp_path):
    a = admin(Migdesk.open(str(tmp_path / "desk.db")))
    a.ensure_desk("ქუთაისის სამუშაო ადგილი")
    yield a
    a.close()


@pytest.fixture
def cid(app):
    return app.candidates.register(person("01001012345")).id


def test_attach_list_open_and_the_access_is_logged(app, cid, tmp_path) -> None:
    scan = tmp_path / "passport.pdf"
    scan.write_bytes(pdf("Synthetic passport"))
    v = app.attachments.add_file(cid, scan, "passport")
    assert (v.kind, v.filename, v.media_type, v.size) == (
        "passport", "passport.pdf", "application/pdf", scan.stat().st_size)
    assert v.sha256 == hashlib.sha256(scan.read_bytes()).hexdigest()
    photo = app.attachments.add(cid, png(), "photo.png", "photo")
    assert photo.media_type == "image/png"
    assert {a.id for a in app.attachments.list(cid)} == {v.id, photo.id}
    assert [a for a in app.audit.accesses() if a.entity == "attachment"] == []
    f = app.attachments.open(v.id)
    assert f.data == scan.read_bytes()
    [entry] = [a for a in app.audit.accesses() if a.entity == "attachment"]
    assert (entry.action, entry.entity_id) == ("view", v.id)
    assert app.audit.verify().ok
    # the record is journaled (it travels), its bytes are not in the journal
    changes = [c for c in app.audit.changes() if c.entity == "attachment"]
    assert changes and all("data" not in (c.changes or {}) for c in changes)


def test_tiff_and_jpeg_are_documents_too(app, cid) -> None:
    assert app.attachments.add(cid, TIFF, "scan.tif", "diploma").media_type == "image/tiff"
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 100
    assert app.attachments.add(cid, jpeg, "c.jpg", "certificate").media_type == "image/jpeg"


@pytest.mark.parametrize(("name", "data", "words"), [
    ("passport.pdf", XLSX_AS_PDF, "not a scanned document"),
    ("notes.txt", b"just text\n", "not a scanned document"),
    ("empty.png", b"", "empty"),
    ("huge.pdf", b"%PDF-1.4\n" + b"0" * MAX_BYTES, "at most 20 MB"),
])
def test_bad_files_are_refused_naming_the_file_and_nothing_is_written(
        app, cid, tmp_path, name, data, words) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    before = dump(tmp_path / "desk.db")
    with pytest.raises(ValidationError) as e:
        app.attachments.add_file(cid, path, "passport")
    assert e.value.errors[0].field == "file"
    en, ka = e.value.message("en"), e.value.message("ka")
    assert name in en and name in ka and words in en
    assert ka != en
    assert dump(tmp_path / "desk.db") == before


def test_unknown_kind_and_the_same_file_twice_are_refused(app, cid) -> None:
    with pytest.raises(ValidationError) as e:
        app.attachments.add(cid, png(), "p.png", "selfie")
    assert e.value.errors[0].field == "kind"
    app.attachments.add(cid, png(), "p.png", "photo")
    with pytest.raises(ValidationError) as e:
        app.attachments.add(cid, png(), "again.png", "photo")
    assert "already attached" in e.value.message("en")


def test_remove_is_a_tombstone_with_a_reason_for_supervisors(app, cid, tmp_path) -> None:
    from migdesk.services.app import PermissionDenied

    v = app.attachments.add(cid, png(), "p.png", "photo")
    with pytest.raises(ValidationError):
        app.attachments.remove(v.id, "  ")
    app.attachments.remove(v.id, "wrong person's photo")
    assert app.attachments.list(cid) == []
    [tomb] = [c for c in app.audit.changes() if c.entity == "attachment" and c.op != "create"]
    assert tomb.reason == "wrong person's photo"
    # an officer may attach but not remove
    as_role(app, "officer")
    w = app.attachments.add(cid, TIFF, "d.tif", "diploma")
    with pytest.raises(PermissionDenied):
        app.attachments.remove(w.id, "mistake")
    # nor take a copy of a person's documents off the desk (that is an export)
    with pytest.raises(PermissionDenied):
        app.attachments.save_copy(w.id, tmp_path / "copy.tif")
    assert not (tmp_path / "copy.tif").exists()


def test_an_attachment_travels_to_another_desk_byte_identical(tmp_path) -> None:
    from tests.sync.net import network, register, send

    with network(tmp_path) as (c, a, b):
        cid = register(a, "01001012345")
        scan = pdf("Synthetic diploma, desk A")
        v = a.attachments.add(cid, scan, "diploma.pdf", "diploma")
        r = send(tmp_path, a, c)
        assert r.stats.applied > 0
        send(tmp_path, c, b)
        [there] = b.attachments.list(cid)
        assert (there.id, there.kind, there.filename, there.sha256) == (
            v.id, "diploma", "diploma.pdf", v.sha256)
        assert b.attachments.open(there.id).data == scan
        a.attachments.remove(v.id, "attached to the wrong candidate")
        send(tmp_path, a, c)
        send(tmp_path, c, b)
        assert b.attachments.list(cid) == []


def test_the_command_line_attaches_lists_saves_and_detaches(db_path, capsys, tmp_path) -> None:
    import json

    from migdesk.cli import main

    def cli(*args):
        code = main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return code, out, err

    assert cli("init", "--admin", "tester")[0] == 0
    code, out, _ = cli("candidate", "add", "--personal-number", "01001012345",
                       "--first-name", "ნინო", "--last-name", "კაპანაძე",
                       "--birth-date", "1990-05-01", "--format", "json")
    assert code == 0
    scan = tmp_path / "diploma.pdf"
    scan.write_bytes(pdf("Synthetic diploma"))
    code, out, _ = cli("candidate", "attach", "01001012345", str(scan), "--kind", "diploma")
    assert code == 0 and "diploma.pdf" in out
    fake = tmp_path / "passport.pdf"
    fake.write_bytes(XLSX_AS_PDF)
    code, out, err = cli("candidate", "attach", "01001012345", str(fake), "--kind", "passport")
    assert code != 0 and "passport.pdf" in err
    code, out, _ = cli("candidate", "attachments", "01001012345", "--format", "json")
    [row] = json.loads(out)
    assert (row["kind"], row["filename"], row["media_type"]) == (
        "diploma", "diploma.pdf", "application/pdf")
    copy = tmp_path / "out" / "copy.pdf"
    copy.parent.mkdir()
    code, out, _ = cli("candidate", "attachments", "01001012345", "--save", row["id"][:8],
                       "-o", str(copy))
    assert code == 0 and copy.read_bytes() == scan.read_bytes()
    assert copy.stat().st_mode & 0o077 == 0
    code, out, _ = cli("candidate", "detach", row["id"][:8], "--reason", "wrong file")
    assert code == 0
    code, out, _ = cli("candidate", "attachments", "01001012345", "--format", "json")
    assert json.loads(out) == []
