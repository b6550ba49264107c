"""Two desks and a central store exchange packages until they agree; conflicts, deletions,
duplicates, replays and out-of-order packages behave as an officer expects."""

from __future__ import annotations

import random

import pytest

from tests.sync.net import content, network, open_desk, register, send


@pytest.fixture
def net(tmp_path):
    with network(tmp_path) as (c, a, b):
        yield tmp_path, c, a, b


def converge(tmp, c, a, b, rounds: int = 2) -> None:
    for _ in range(rounds):
        send(tmp, a, c)
        send(tmp, b, c)
        send(tmp, c, a)
        send(tmp, c, b)


def edit(app, cid: str, **changes) -> None:
    from migdesk.services.validation import CandidateInput

    d = app.candidates.get(cid, purpose=None)
    inp = CandidateInput(personal_number=d.personal_number, first_name_ka=d.first_name_ka,
                         last_name_ka=d.last_name_ka, birth_date=d.birth_date,
                         first_name_lat=d.first_name_lat, last_name_lat=d.last_name_lat,
                         phone=d.phone, address=d.address, notes=d.notes,
                         occupations=[(o.isco_code, o.years) for o in d.occupations],
                         languages=[(lang.language, lang.level) for lang in d.languages])
    for k, v in changes.items():
        setattr(inp, k, v)
    app.candidates.update(cid, inp)


def test_random_exchanges_converge(net) -> None:
    tmp, c, a, b = net
    rnd = random.Random(5)
    c.partners.add("PL", "negotiating")
    ids = {a: [register(a, f"010010{i:05d}") for i in range(6)],
           b: [register(b, f"020020{i:05d}") for i in range(6)]}
    links = [(a, c), (b, c), (c, a), (c, b)]
    for step in range(40):
        r = rnd.random()
        desk = rnd.choice([a, b])
        if r < 0.45:
            mine = ids[desk] + ids[a if desk is b else b]
            cid = rnd.choice(mine)
            try:
                edit(desk, cid, **rnd.choice([
                    {"phone": f"5{rnd.randrange(10**7, 10**8)}"},
                    {"address": f"ქუჩა {rnd.randrange(1, 99)}"},
                    {"notes": f"note {step}"}]))
            except Exception as exc:  # not yet arrived here, or deleted
                assert type(exc).__name__ in ("NotFound",)
        elif r < 0.5 and len(ids[desk]) > 3:
            desk.candidates.delete(ids[desk].pop(), "moved abroad")
        else:
            src, dst = rnd.choice(links)
            send(tmp, src, dst)
    converge(tmp, c, a, b)
    for conflict in c.sync.conflicts():
        c.sync.resolve(conflict.id, "local")
    converge(tmp, c, a, b)
    assert content(a) == content(c) == content(b)
    assert c.sync.conflicts() == []
    assert c.candidates.count() == a.candidates.count() == b.candidates.count() > 6


def test_same_field_edited_on_both_sides_is_a_conflict_and_resolving_converges(net) -> None:
    tmp, c, a, b = net
    cid = register(a, "01001012345")
    converge(tmp, c, a, b, 1)
    edit(a, cid, phone="555111111")
    edit(b, cid, phone="555222222")
    send(tmp, a, c)
    r = send(tmp, b, c)
    assert r.stats.conflicts == 1
    [conflict] = c.sync.conflicts()
    assert (conflict.field, conflict.local_value, conflict.incoming_value) == (
        "phone", "555111111", "555222222")
    assert c.candidates.get(cid, purpose=None).phone == "555111111"  # kept, not overwritten
    c.sync.resolve(conflict.id, "incoming")
    converge(tmp, c, a, b)
    assert {x.candidates.get(cid, purpose=None).phone for x in (a, b, c)} == {"555222222"}
    assert content(a) == content(b) == content(c)
    assert a.sync.conflicts() == b.sync.conflicts() == c.sync.conflicts() == []


def test_different_fields_merge_without_conflict(net) -> None:
    tmp, c, a, b = net
    cid = register(a, "01001012345")
    converge(tmp, c, a, b, 1)
    edit(a, cid, phone="555111111")
    edit(b, cid, address="თბილისი, ვაჟა-ფშაველას 1")
    converge(tmp, c, a, b)
    for x in (a, b, c):
        d = x.candidates.get(cid, purpose=None)
        assert (d.phone, d.address) == ("555111111", "თბილისი, ვაჟა-ფშაველას 1")
    assert c.sync.conflicts() == []


def test_deletion_propagates_and_edit_against_delete_is_a_conflict(net) -> None:
    tmp, c, a, b = net
    gone, kept = register(a, "01001012345"), register(a, "01001012346")
    converge(tmp, c, a, b, 1)
    a.candidates.delete(gone, "withdrew")
    converge(tmp, c, a, b)
    assert [x.candidates.count() for x in (a, b, c)] == [1, 1, 1]
    a.candidates.delete(kept, "withdrew")
    edit(b, kept, phone="555333333")
    send(tmp, a, c)
    assert send(tmp, b, c).stats.conflicts == 1
    [conflict] = c.sync.conflicts()
    assert conflict.kind == "deleted"
    c.sync.resolve(conflict.id, "incoming")  # the edit wins: the record comes back
    converge(tmp, c, a, b)
    assert content(a) == content(b) == content(c)
    assert a.candidates.get(kept, purpose=None).phone == "555333333"


def test_replayed_package_changes_nothing(net) -> None:
    from tests.sync.net import dump

    tmp, c, a, b = net
    register(a, "01001012345")
    path = tmp / "once.mdp"
    a.sync.export(path)
    first = c.sync.import_package(path)
    assert first.stats.applied > 0
    before = [t for t in dump(c) if t[0] != "sync_exchange"]
    again = c.sync.import_package(path)
    assert again.stats.applied == 0 and again.stats.known == first.stats.applied
    assert [t for t in dump(c) if t[0] != "sync_exchange"] == before


def test_same_personal_number_on_two_desks_goes_to_the_duplicates_queue(net) -> None:
    tmp, c, a, b = net
    mine = register(a, "01001012345", "ნინო", "ბერიძე")
    theirs = register(b, "01001012345", "ნინა", "ბერიძე")
    send(tmp, a, c)
    r = send(tmp, b, c)
    assert r.stats.duplicates == 1
    [dup] = c.sync.duplicates()
    assert (dup.local_id, dup.incoming_id) == (mine, theirs)
    assert c.candidates.get(mine, purpose=None).first_name_ka == "ნინო"  # never overwritten
    assert c.candidates.count() == 1
    c.sync.resolve_duplicate(dup.id, "incoming")
    assert c.candidates.get(theirs, purpose=None).first_name_ka == "ნინა"
    assert c.candidates.count() == 1


def test_out_of_order_packages_report_a_gap_and_still_converge(net) -> None:
    tmp, c, a, b = net
    cid = register(a, "01001012345")
    first, second = tmp / "1.mdp", tmp / "2.mdp"
    a.sync.export(first)
    edit(a, cid, phone="555444444")
    a.sync.export(second)
    r2 = c.sync.import_package(second)
    assert r2.gaps == [(1, r2.seq_from - 1)] and r2.stats.held > 0
    r1 = c.sync.import_package(first)
    assert r1.gaps == [] and r1.stats.held == 0
    assert c.candidates.get(cid, purpose=None).phone == "555444444"
    assert content(a) == content(c)


def test_export_warns_when_the_package_is_not_sealed(tmp_path) -> None:
    a = open_desk(str(tmp_path / "a.db"), "Lonely desk")
    register(a, "01001012345")
    r = a.sync.export(tmp_path / "x.mdp")
    assert not r.sealed and r.changes > 0
    assert (tmp_path / "x.mdp").read_bytes()[:2] == b"PK"
    a.close()


def test_keys_are_private_files_outside_the_database(tmp_path, _isolated_home) -> None:
    a = open_desk(str(tmp_path / "a.db"), "Desk A")
    files = sorted((_isolated_home / "keys").iterdir())
    assert len(files) == 2
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in files)
    a.close()


def test_reference_record_made_on_two_desks_is_queued_not_refused(net) -> None:
    tmp, c, a, b = net
    a.partners.add("PL", "negotiating")
    b.partners.add("PL", "exploring")
    send(tmp, a, c)
    r = send(tmp, b, c)
    assert r.stats.duplicates == 1
    [dup] = c.sync.duplicates()
    assert dup.entity == "partner_state"
    assert [p.stage for p in c.partners.list()] == ["negotiating"]


def test_personal_number_moved_onto_a_taken_one_is_a_conflict(net) -> None:
    tmp, c, a, b = net
    x = register(a, "01001012345")
    register(b, "01001012399")
    send(tmp, a, c)
    send(tmp, b, c)
    edit(a, x, personal_number="01001012399")
    r = send(tmp, a, c)
    assert r.stats.conflicts == 1
    [conflict] = c.sync.conflicts()
    assert conflict.field == "personal_number"
    assert c.candidates.get(x, purpose=None).personal_number == "01001012345"


def test_attachments_travel_by_content_hash(net) -> None:
    import hashlib

    from migdesk.store.people import Attachment

    tmp, c, a, b = net
    cid = register(a, "01001012345")
    scan = b"%PDF-1.4 synthetic consent form\n" * 100
    sha = hashlib.sha256(scan).hexdigest()
    with a.unit_of_work("scan") as s:
        s.add(Attachment(candidate_id=cid, kind="consent", filename="consent.pdf",
                         media_type="application/pdf", sha256=sha, size=len(scan), data=scan))
    assert send(tmp, a, c).stats.applied > 0
    with c.reading() as s:
        att = s.query(Attachment).filter_by(sha256=sha).one()
        assert att.data == scan and att.candidate_id == cid
