"""Every kind of bad package is refused with a message naming the member, the line and the
problem, and the database is left exactly as it was."""

from __future__ import annotations

import json
import zipfile

import pytest

from migdesk.sync import keys as keymod
from migdesk.sync.errors import PackageRefused
from migdesk.sync.package import write_package
from tests.sync.net import dump, introduce, open_desk, register


@pytest.fixture
def pair(tmp_path):
    c = open_desk(str(tmp_path / "central.db"), "Central", "central")
    a = open_desk(str(tmp_path / "a.db"), "Desk A")
    introduce(tmp_path, c, a)
    register(a, "01001012345")
    register(a, "01001012346")
    yield tmp_path, c, a
    a.close()
    c.close()


def refused(app, path) -> str:
    def imports() -> list:
        return [e for e in app.audit.entries(limit=None) if e.action in ("import", "journal")]

    before, chained = dump(app), imports()
    with pytest.raises(PackageRefused) as info:
        app.sync.import_package(path)
    assert dump(app) == before
    assert imports() == chained  # no import, no journal rows in the chain (only the backup)
    ka, en = info.value.message("ka"), info.value.message("en")
    assert ka != en and "Package refused" in en
    return en


def chain_of(a, base: dict) -> list[str]:
    """A's real audit chain, as a package carries it (the manifest gets its ends)."""
    from migdesk.sync import chain

    with a.reading() as s:
        meta, lines = chain.segment(s.connection(), 1)
        base["audit"] = meta
        return list(lines)


def crafted(tmp, a, lines, **manifest) -> str:
    path = tmp / "crafted.mdp"
    base = {"package_id": "5b0f1c2e-8f0e-4d7e-9a55-0d9d6b1c1a01", "schema": "0002",
            "desk_id": a.desk_id, "desk_name": "A", "to": "*", "full": False,
            "seq_from": 1, "seq_to": 100}
    base.update(manifest)
    audit = chain_of(a, base)
    write_package(path, base, lines, lambda: [], keymod.load_keys(a.desk_id),
                  audit_lines=audit)
    return path


def good_lines(tmp, a, c) -> list[str]:
    from migdesk.sync.seal import unseal

    p, q = tmp / "sealed.mdp", tmp / "plain.zip"
    a.sync.export(p, full=True)
    with open(p, "rb") as src, open(q, "wb") as dst:
        unseal(src, dst, keymod.load_keys(c.desk_id).sealing)
    with zipfile.ZipFile(q) as zf:
        return zf.read("changes.jsonl").decode().splitlines(keepends=True)


def test_truncated(pair) -> None:
    tmp, c, a = pair
    p = tmp / "t.mdp"
    a.sync.export(p)
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    assert "truncated" in refused(c, p)


def test_tampered_sealed_package(pair) -> None:
    tmp, c, a = pair
    p = tmp / "t.mdp"
    assert a.sync.export(p).sealed
    data = bytearray(p.read_bytes())
    data[len(data) // 2] ^= 0x01
    p.write_bytes(bytes(data))
    assert "changed" in refused(c, p)


def test_tampered_member(pair) -> None:
    tmp, c, a = pair
    lines = good_lines(tmp, a, c)
    p = crafted(tmp, a, lines)
    q = tmp / "tampered.mdp"
    with zipfile.ZipFile(p) as src, zipfile.ZipFile(q, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "changes.jsonl":
                body = body.replace(b"\xe1\x83\x9c", b"\xe1\x83\x9b", 1)  # one letter
            dst.writestr(info.filename, body)
    assert "changes.jsonl" in refused(c, q)


def test_tampered_manifest(pair) -> None:
    tmp, c, a = pair
    p = crafted(tmp, a, good_lines(tmp, a, c))
    q = tmp / "tampered.mdp"
    with zipfile.ZipFile(p) as src, zipfile.ZipFile(q, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "manifest.json":
                m = json.loads(body)
                m["seq_to"] = 5
                body = json.dumps(m).encode()
            dst.writestr(info.filename, body)
    assert "signature" in refused(c, q)


def test_unknown_signer(pair) -> None:
    tmp, c, a = pair
    stranger = open_desk(str(tmp / "s.db"), "Stranger")
    register(stranger, "01001099999")
    p = tmp / "s.mdp"
    stranger.sync.export(p)
    assert "does not trust" in refused(c, p)
    stranger.close()


def test_newer_schema(pair) -> None:
    tmp, c, a = pair
    assert "newer" in refused(c, crafted(tmp, a, good_lines(tmp, a, c), schema="9999"))


def test_other_format_version(pair) -> None:
    tmp, c, a = pair
    p = crafted(tmp, a, good_lines(tmp, a, c))
    q = tmp / "v2.mdp"
    k = keymod.load_keys(a.desk_id)
    with zipfile.ZipFile(p) as src, zipfile.ZipFile(q, "w") as dst:
        m = json.loads(src.read("manifest.json"))
        m["format"] = 2
        body = json.dumps(m).encode()
        dst.writestr("manifest.json", body)
        dst.writestr("manifest.sig", k.sign(body))
        dst.writestr("changes.jsonl", src.read("changes.jsonl"))
    assert "format version 2" in refused(c, q)


@pytest.mark.parametrize("breakage, problem", [
    (lambda d: "{not json", "not valid JSON"),
    (lambda d: json.dumps({**d, "entity": "spaceship"}), "unknown kind of record"),
    (lambda d: json.dumps({**d, "changes": {"shoe_size": [None, 42]}}), "unknown field"),
    (lambda d: json.dumps({**d, "changes": {**d["changes"], "birth_date": [None, "1990-13-45"]}}),
     "birth_date"),
    (lambda d: json.dumps({k: v for k, v in d.items() if k != "entity_id"}), "entity_id"),
    (lambda d: json.dumps({**d, "op": "explode"}), "unknown operation"),
    (lambda d: json.dumps({**d, "entity": ["candidate"]}), "unknown kind of record"),
    (lambda d: json.dumps({**d, "seq": True}), "“seq” is not a positive whole number"),
    (lambda d: json.dumps({**d, "changes": {**d["changes"], "phone": [None, "5", "6"]}}),
     "not a pair"),
    (lambda d: json.dumps({**d, "changes": {**d["changes"], "first_name_ka": [None, "ა" * 61]}}),
     "first_name_ka"),
    (lambda d: json.dumps({**d, "changes": {**d["changes"], "deleted": [None, 0]}}), "deleted"),
])
def test_malformed_row(pair, breakage, problem) -> None:
    tmp, c, a = pair
    lines = good_lines(tmp, a, c)
    # the last candidate's creation is broken; earlier lines are fine (and must not stick)
    n = max(i for i, line in enumerate(lines) if '"entity": "candidate"' in line)
    lines[n] = breakage(json.loads(lines[n])) + "\n"
    message = refused(c, crafted(tmp, a, lines))
    assert f"changes.jsonl, line {n + 1}" in message and problem in message


def test_wrong_count_is_refused(pair) -> None:
    tmp, c, a = pair
    lines = good_lines(tmp, a, c)
    p = crafted(tmp, a, lines)
    q = tmp / "short.mdp"
    k = keymod.load_keys(a.desk_id)
    import hashlib

    with zipfile.ZipFile(p) as src, zipfile.ZipFile(q, "w") as dst:
        short = "".join(lines[:-1]).encode()
        m = json.loads(src.read("manifest.json"))
        m["members"]["changes.jsonl"] = {"sha256": hashlib.sha256(short).hexdigest(),
                                         "size": len(short)}
        body = json.dumps(m).encode()
        dst.writestr("manifest.json", body)
        dst.writestr("manifest.sig", k.sign(body))
        dst.writestr("changes.jsonl", short)
        dst.writestr("audit.jsonl", src.read("audit.jsonl"))
    assert "manifest says" in refused(c, q)


def test_cli_prints_one_bilingual_line(pair, capsys) -> None:
    from migdesk.cli import main

    tmp, c, a = pair
    p = tmp / "junk.mdp"
    p.write_bytes(b"PK\x03\x04 not really")
    assert main(["--db", str(tmp / "central.db"), "import", str(p)]) == 6
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0] and " / Error: " in err[0]


def journal_mode(path) -> str:
    import sqlite3

    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        con.close()


def test_whole_desk_load_writes_through_a_rollback_journal_and_returns_to_wal(
        pair, monkeypatch) -> None:
    """A whole-desk load switches the file to a rollback journal while it runs (each new page
    written once), whether it is refused or applied, and the desk is in WAL mode afterwards;
    when another connection has the file open it stays in WAL mode and still loads."""
    from migdesk.services import Migdesk
    from migdesk.services import sync as sync_service
    from migdesk.sync import merge

    tmp, c, a = pair
    monkeypatch.setattr(merge, "BULK_MIN", 1)
    seen: list[bool] = []
    real = sync_service.rollback_journal

    def spy(raw):
        cm = real(raw)

        class Wrapped:
            def __enter__(self):
                switched = cm.__enter__()
                mode = raw.execute("PRAGMA journal_mode").fetchone()[0]
                seen.append(switched and mode == "delete")
                return switched

            def __exit__(self, *exc):
                return cm.__exit__(*exc)
        return Wrapped()

    monkeypatch.setattr(sync_service, "rollback_journal", spy)
    lines = good_lines(tmp, a, c)
    db = tmp / "central.db"
    before = dump(c)
    broken = [*lines[:-1], "{not json\n"]
    refused(c, crafted(tmp, a, broken, seq_to=10_000))
    assert seen == [True] and journal_mode(db) == "wal" and dump(c) == before
    other = Migdesk.open(str(db), create=False, migrate=False)  # the window, say
    with other.reading() as s:
        s.connection()  # holds the file open
        c.sync.import_package(crafted(tmp, a, lines, seq_to=10_000))
    other.close()
    assert seen == [True, False] and journal_mode(db) == "wal"
    assert len(c.candidates.search("0100101234").items) == 2


@pytest.mark.parametrize("spoil, expected", [
    (lambda line: line.replace('"ნინო"', '"' + "ნ" * 61 + '"', 1),
     "“first_name_ka” breaks a rule: Too long (at most 60 characters)"),  # only the check
    # refuses it (the builder does not check lengths)
    (lambda line: "{not json\n", "not valid JSON"),  # the builder fails first
])
def test_a_large_sealed_package_is_checked_beside_the_merge_and_refused_by_line(
        pair, monkeypatch, spoil, expected) -> None:
    """A large sealed package is checked line by line in a second process while it is
    applied; a bad line refuses it with the member and the line, and nothing is kept."""
    from migdesk.services import sync as sync_service
    from migdesk.sync import merge

    tmp, c, a = pair
    monkeypatch.setattr(merge, "BULK_MIN", 1)
    started = []
    real = sync_service.LineCheck
    monkeypatch.setattr(sync_service, "LineCheck",
                        lambda *args: started.append(args) or real(*args))
    lines = good_lines(tmp, a, c)
    bad_at = next(i for i, line in enumerate(lines) if '"ნინო"' in line)
    spoilt = list(lines)
    spoilt[bad_at] = spoil(spoilt[bad_at])
    seal_to = (c.desk_id, c.sync.card().enc_key)
    path = tmp / "big.mdp"
    base = {"package_id": "5b0f1c2e-8f0e-4d7e-9a55-0d9d6b1c1a02", "schema": "0002",
            "desk_id": a.desk_id, "desk_name": "A", "to": c.desk_id, "full": True,
            "seq_from": 1, "seq_to": 10_000}
    audit = chain_of(a, base)
    write_package(path, base, spoilt, lambda: [], keymod.load_keys(a.desk_id), seal_to,
                  audit_lines=audit)
    en = refused(c, path)
    assert started, "the parallel check did not run"
    assert f"line {bad_at + 1}" in en and expected in en, en
    write_package(path, base, lines, lambda: [], keymod.load_keys(a.desk_id), seal_to,
                  audit_lines=audit)
    r = c.sync.import_package(path)
    assert len(started) == 2 and r.stats.applied == len(lines)
    assert len(c.candidates.search("0100101234").items) == 2


def test_a_checker_that_stops_refuses_the_package_in_both_languages(pair, monkeypatch):
    from migdesk.sync import merge, verify

    tmp, c, a = pair
    monkeypatch.setattr(merge, "BULK_MIN", 1)
    monkeypatch.setattr(verify.sys, "executable", "/bin/false")  # dies at once
    path = tmp / "big.mdp"
    a.sync.export(path, full=True)
    before = dump(c)
    with pytest.raises(PackageRefused) as info:
        c.sync.import_package(path)
    assert dump(c) == before
    assert "stopped before it answered" in info.value.message("en")
    assert "პასუხის გაცემამდე შეწყდა" in info.value.message("ka")
