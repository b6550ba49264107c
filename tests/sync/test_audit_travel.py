"""The audit chain travels with change packages: the central store keeps each desk's chain,
each package carries it from where the last one ended, and a desk whose chain was rewritten
(or a package whose chain was edited) is refused, leaving the central store as it was."""

from __future__ import annotations

import json
import zipfile

import pytest
from sqlalchemy import func, select

from migdesk.store import audit as chain
from migdesk.sync.errors import PackageRefused
from tests.helpers import forge_chain
from tests.sync.net import dump, network, register


def held(app, desk_id: str) -> list[tuple[int, str]]:
    with app.reading() as s:
        return list(s.execute(select(chain.PeerAudit.seq, chain.PeerAudit.hash).where(
            chain.PeerAudit.desk_id == desk_id).order_by(chain.PeerAudit.seq)).all())


def own(app) -> list[tuple[int, str]]:
    with app.reading() as s:
        return list(s.execute(select(chain.AuditEntry.seq, chain.AuditEntry.hash)
                              .order_by(chain.AuditEntry.seq)).all())


def members(path) -> dict:
    with zipfile.ZipFile(path) as z:
        return json.loads(z.read("manifest.json"))["audit"]


def test_the_central_store_holds_each_desks_chain_segment_by_segment(tmp_path) -> None:
    with network(tmp_path) as (c, a, _b):
        register(a, "01001012345")
        p1 = tmp_path / "one.mdp"
        a.sync.export(p1)
        c.sync.import_package(p1)
        kept = held(c, a.desk_id)
        assert kept and kept == own(a)[:len(kept)]  # all of it up to the export
        register(a, "01001012346")
        p2 = tmp_path / "two.mdp"
        a.sync.export(p2)
        c.sync.import_package(p2)
        mine, kept2 = own(a), held(c, a.desk_id)
        assert kept2 == mine[:len(kept2)] and len(kept2) > len(kept)
        assert mine[len(kept2)][0] == kept2[-1][0] + 1  # then only this export's own entry
        assert c.audit.verify().ok and a.audit.verify().ok


def test_a_desk_whose_chain_was_rewritten_is_refused(tmp_path) -> None:
    """An insider with the desk's key edits an old entry and recomputes every hash after it
    (the desk's own `audit verify` then passes): the central store still sees it."""
    with network(tmp_path) as (c, a, _b):
        register(a, "01001012345")
        p1 = tmp_path / "one.mdp"
        a.sync.export(p1)
        c.sync.import_package(p1)
        forge_chain(a.db.engine.url.database, lambda r: r["seq"] == 2)
        with a.db.engine.begin() as conn:  # re-signed with the desk's own key
            chain.sign_head(conn, a.desk_id, a._sign)
        assert a.audit.verify().ok  # the desk alone cannot tell
        register(a, "01001012346")
        p2 = tmp_path / "two.mdp"
        a.sync.export(p2)
        before = dump(c, with_audit=True)
        with pytest.raises(PackageRefused) as exc:
            c.sync.import_package(p2)
        en, ka = exc.value.message("en"), exc.value.message("ka")
        assert "was rewritten" in en and "Desk A" in en and "გადაწერილია" in ka
        assert dump(c, with_audit=True) == before
        with c.reading() as s:  # the refused desk's candidate did not arrive
            from migdesk.store.people import Candidate

            assert s.scalar(select(func.count()).select_from(Candidate)) == 1


def test_an_edited_chain_inside_a_signed_package_is_refused(tmp_path) -> None:
    """The sender signs the manifest, which names the chain's head: an entry edited inside
    the package (and the manifest's member hash fixed up) breaks the signature or the links."""
    from migdesk.sync import keys as keymod

    with network(tmp_path) as (c, a, _b):
        register(a, "01001012345")
        p = tmp_path / "plain.mdp"
        a.sync.export(p, to=None)
        from migdesk.sync.seal import is_sealed

        assert is_sealed(p)  # desks seal to the central store: rebuild it unsealed
        from migdesk.sync.seal import unseal

        raw = tmp_path / "raw.zip"
        with open(p, "rb") as fin, open(raw, "wb") as fout:
            unseal(fin, fout, keymod.load_keys(c.desk_id).sealing)
        import hashlib

        q = tmp_path / "edited.mdp"
        with zipfile.ZipFile(raw) as src, zipfile.ZipFile(q, "w") as dst:
            lines = src.read("audit.jsonl").decode().splitlines(keepends=True)
            first = json.loads(lines[0])
            first["officer"] = "someone-else"
            lines[0] = json.dumps(first, ensure_ascii=False, separators=(",", ":")) + "\n"
            body = "".join(lines).encode()
            m = json.loads(src.read("manifest.json"))
            m["members"]["audit.jsonl"] = {"sha256": hashlib.sha256(body).hexdigest(),
                                           "size": len(body)}
            manifest = json.dumps(m).encode()
            dst.writestr("manifest.json", manifest)
            dst.writestr("manifest.sig", keymod.load_keys(a.desk_id).sign(manifest))
            for name in src.namelist():
                if name not in ("manifest.json", "manifest.sig", "audit.jsonl"):
                    dst.writestr(name, src.read(name))
            dst.writestr("audit.jsonl", body)
        before = dump(c)
        with pytest.raises(PackageRefused) as exc:
            c.sync.import_package(q)
        en = exc.value.message("en")
        assert "audit.jsonl" in en and "audit trail is broken" in en
        assert "entry 1 was changed after it was written" in en
        assert dump(c) == before  # (the backup made before the import is recorded)
        assert [e.action for e in c.audit.entries(action="import")] == []
        assert held(c, a.desk_id) == []


def test_a_rewrite_hidden_behind_a_withheld_package_is_found_when_it_arrives(tmp_path) -> None:
    """A package is withheld, the entries it carried are rewritten, and the next package is
    delivered: the central store cannot see the rewrite yet (it holds a gap), but when the
    withheld package arrives, its entries do not lead to the ones received after them."""
    with network(tmp_path) as (c, a, _b):
        register(a, "01001012345")
        p1 = tmp_path / "one.mdp"
        a.sync.export(p1)
        c.sync.import_package(p1)
        first = held(c, a.desk_id)[-1][0]
        register(a, "01001012346")
        p2 = tmp_path / "two.mdp"  # withheld
        a.sync.export(p2)
        forge_chain(a.db.engine.url.database, lambda r: r["seq"] == first + 1)
        with a.db.engine.begin() as conn:
            chain.sign_head(conn, a.desk_id, a._sign)
        register(a, "01001012347")
        p3 = tmp_path / "three.mdp"
        a.sync.export(p3)
        c.sync.import_package(p3)  # a gap: nothing to compare with yet
        with pytest.raises(PackageRefused) as exc:
            c.sync.import_package(p2)
        assert "was rewritten" in exc.value.message("en")


def test_only_the_central_store_receives_a_chain(tmp_path) -> None:
    """Audit entries name candidates and what officers searched for: a desk that receives
    only its own candidates from the central store gets none of the central store's."""
    with network(tmp_path, scope="own") as (c, a, _b):
        register(a, "01001012345")
        c.candidates.search("კაპანაძე")  # an officer's search at the central store
        c.audit.record_access("search", "candidate", None, {"query": "კაპანაძე"})
        p = tmp_path / "to-a.mdp"
        c.sync.export(p, to=a.desk_id)
        a.sync.import_package(p)
        assert held(a, c.desk_id) == []
