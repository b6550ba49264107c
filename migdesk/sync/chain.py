"""The audit chain in change packages: a sender's entries travel in `audit.jsonl`, from
where its last package to that partner ended, and the manifest (which the sender signs)
names the segment's first and last entries and the hash each links to. The receiver checks
the segment link by link and against the entries it already holds from that desk: a desk
whose chain was rewritten is refused, whatever its signature says."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, cast

from sqlalchemy import Table, insert, select

from migdesk.i18n import N_
from migdesk.store import audit as chain
from migdesk.sync.errors import PackageRefused

AUDIT = "audit.jsonl"
MAX_LINE = 1 << 20  # an entry's line (its detail is capped by the sender at far less)
CHUNK = 5000
_TEXT = {"officer": 64, "desk_id": 36, "action": 30, "entity": 40, "entity_id": 36,
         "detail": 100_000, "reason": 10_000, "changes_digest": 64, "prev_hash": 64,
         "hash": 64}
_INTS = ("seq", "changes_from", "changes_to", "changes_count")


# -- sending ----------------------------------------------------------------------------------
def segment(conn: Any, start: int) -> tuple[dict[str, Any], Iterator[str]]:
    """The manifest's `audit` entry and the lines of this desk's chain from `start` on."""
    head = conn.execute(select(chain.AuditHead.seq, chain.AuditHead.hash)
                        .where(chain.AuditHead.id == 1)).one()
    start = max(1, min(start, head.seq + 1))
    prev = chain.GENESIS
    if start > 1:
        prev = conn.execute(select(chain.AuditEntry.hash).where(
            chain.AuditEntry.seq == start - 1)).scalar_one()
    meta = {"from": start, "to": head.seq, "prev_hash": prev, "head_hash": head.hash}
    t = chain.AuditEntry.__table__
    cols = [t.c[k] for k in chain.ENTRY_COLUMNS]

    def lines() -> Iterator[str]:
        rows = conn.execute(select(*cols).where(t.c.seq >= start, t.c.seq <= head.seq)
                            .order_by(t.c.seq), execution_options={"yield_per": CHUNK})
        for r in rows:
            d = dict(r._mapping)
            d["at"] = chain.time_text(d["at"])
            yield json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n"

    return meta, lines()


# -- receiving --------------------------------------------------------------------------------
def _meta(manifest: dict[str, Any]) -> dict[str, Any]:
    meta = manifest.get("audit")
    ok = isinstance(meta, dict) and all(
        isinstance(meta.get(k), int) and not isinstance(meta.get(k), bool) and meta[k] >= 0
        for k in ("from", "to")) and all(
        isinstance(meta.get(k), str) and len(meta[k]) == 64 for k in ("prev_hash", "head_hash"))
    if not ok or meta["from"] < 1 or meta["to"] < meta["from"] - 1:  # type: ignore[index]
        raise PackageRefused.at("manifest.json", 0, N_(
            "the manifest does not describe the sender's audit trail"))
    return meta  # type: ignore[return-value]


def _entry(line: str, n: int, sender: str) -> dict[str, Any]:
    try:
        d = json.loads(line)
    except ValueError:
        raise PackageRefused.at(AUDIT, n, N_("not valid JSON")) from None
    if not isinstance(d, dict) or set(d) != set(chain.ENTRY_COLUMNS):
        raise PackageRefused.at(AUDIT, n, N_("the audit entry does not have the fields of one"))
    for k in _INTS:
        v = d[k]
        if not (v is None and k != "seq" and k != "changes_count") and not (
                isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**62):
            raise PackageRefused.at(AUDIT, n, N_("a value of “{field}” is not valid"), field=k)
    for k, cap in _TEXT.items():
        v = d[k]
        if v is None and k in ("entity", "entity_id", "detail", "reason", "changes_digest"):
            continue
        if not isinstance(v, str) or len(v) > cap or "\x00" in v:
            raise PackageRefused.at(AUDIT, n, N_("a value of “{field}” is not valid"), field=k)
    if d["desk_id"] != sender:
        raise PackageRefused.at(AUDIT, n, N_("the audit entry is another desk's"))
    try:
        chain.time_text(d["at"])
    except (TypeError, ValueError):
        raise PackageRefused.at(AUDIT, n, N_("a value of “{field}” is not valid"),
                                field="at") from None
    return d


def receive(session: Any, sender: str, name: str, manifest: dict[str, Any],
            lines: Iterable[tuple[int, str]] | None) -> int:
    """Check the sender's chain segment and keep the entries not held yet; returns the last
    entry's number. Refuses (PackageRefused) a broken segment or one that contradicts the
    entries received from that desk before."""
    meta = _meta(manifest)
    if lines is None:
        raise PackageRefused.at(AUDIT, 0, N_("the member is missing"))
    try:
        return _receive(session, sender, name, meta, lines)
    finally:
        close = getattr(lines, "close", None)
        if close is not None:
            close()  # the member's file, however the check ends


def _receive(session: Any, sender: str, name: str, meta: dict[str, Any],
             lines: Iterable[tuple[int, str]]) -> int:
    conn = session.connection()
    peer = cast(Table, chain.PeerAudit.__table__)
    prev, expected = meta["prev_hash"], meta["from"]
    if expected > 1:
        held = conn.execute(select(peer.c.hash).where(
            peer.c.desk_id == sender, peer.c.seq == expected - 1)).scalar()
        if held is not None and held != prev:
            raise _rewritten(name, expected - 1)
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        if not batch:
            return
        seqs = [b["seq"] for b in batch]
        held = dict(conn.execute(select(peer.c.seq, peer.c.hash).where(
            peer.c.desk_id == sender, peer.c.seq >= seqs[0], peer.c.seq <= seqs[-1])).all())
        new = []
        for b in batch:
            if b["seq"] in held:
                if held[b["seq"]] != b["hash"]:
                    raise _rewritten(name, b["seq"])
            else:
                new.append(b)
        for b in new:
            b["at"] = _when(b["at"])
        if new:
            conn.execute(insert(peer), new)
        batch.clear()

    def rows() -> Iterator[dict[str, Any]]:
        for n, line in lines:
            if len(line) > MAX_LINE:
                raise PackageRefused.at(AUDIT, n, N_("the line is too long"))
            yield {**_entry(line, n, sender), "_line": n}

    for row, brk in chain.check_links(rows(), prev=prev, start=expected):
        if brk is not None:
            raise PackageRefused.at(AUDIT, row["_line"], N_(
                "the sender's audit trail is broken: {why}"), why=_Why(brk.msgid, brk.params))
        row.pop("_line")
        batch.append(row)
        if len(batch) >= CHUNK:
            flush()
        expected = row["seq"] + 1
        prev = row["hash"]
    flush()
    if expected - 1 != meta["to"] or prev != meta["head_hash"]:
        raise PackageRefused.at(AUDIT, 0, N_(
            "the sender's audit trail ends at entry {seq}, not where its manifest says"),
            seq=expected - 1)
    # A package that arrives late fills a gap: the entry received after it must follow it.
    after = conn.execute(select(peer.c.prev_hash).where(
        peer.c.desk_id == sender, peer.c.seq == meta["to"] + 1)).scalar()
    if after is not None and after != prev:
        raise _rewritten(name, meta["to"] + 1)
    return int(meta["to"])


def _when(text: str) -> Any:
    import datetime as dt

    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _rewritten(name: str, seq: int) -> PackageRefused:
    return PackageRefused.at(AUDIT, 0, N_(
        "the audit trail of {desk} was rewritten: entry {seq} differs from the one this "
        "desk received before; ask the central store's administrator to investigate"),
        desk=name, seq=seq)


class _Why(str):
    """A chain break's own message, shown in each language."""

    def __new__(cls, msgid: str, params: dict[str, Any]) -> _Why:
        obj = super().__new__(cls, msgid)
        obj.params = params  # type: ignore[attr-defined]
        return obj

    def label(self, lang: str) -> str:
        from migdesk.i18n import translate

        return translate(str(self), lang).format(**self.params)  # type: ignore[attr-defined]
