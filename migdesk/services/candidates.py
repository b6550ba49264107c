"""Candidate use-cases: register, edit, find, look up, move along the status path, remove.

Each public method is one unit of work (see Migdesk.unit_of_work); reads that show
personal data are written to the access log.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import asdict
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, and_, bindparam, cast, func, select, tuple_
from sqlalchemy.orm import Session, selectinload

from migdesk.domain import isco, names
from migdesk.domain.errors import NotFound, ValidationError
from migdesk.domain.identity import ascii_digits
from migdesk.domain.roles import Permission
from migdesk.domain.statuses import CandidateStatus, check_transition
from migdesk.domain.vocab import CEFR
from migdesk.i18n import N_
from migdesk.services.dto import (
    ApplicationLine,
    CandidateDetail,
    CandidateSummary,
    ConsentLine,
    DuplicateHint,
    LanguageLine,
    OccupationLine,
    Page,
    PlacementLine,
    Saved,
    StatusLine,
)
from migdesk.services.rows import driver_rows
from migdesk.services.validation import CandidateInput, check_candidate, check_version, req_text
from migdesk.store.local import CandidateTerm
from migdesk.store.people import (
    Application,
    Candidate,
    CandidateLanguage,
    CandidateOccupation,
    Consent,
    StatusChange,
)
from migdesk.store.reference import Program
from migdesk.store.types import monotonic_utcnow

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk

SUMMARY_COLUMNS = (
    Candidate.id, Candidate.personal_number, Candidate.first_name_ka, Candidate.last_name_ka,
    Candidate.first_name_lat, Candidate.last_name_lat, Candidate.birth_date, Candidate.sex,
    Candidate.region, Candidate.status, Candidate.passport_expiry,
)
# Orders the candidate list can be sorted in (each backed by an index), as column keys.
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "name_ka": ("last_name_ka", "first_name_ka", "id"),
    "name_lat": ("last_name_lat", "first_name_lat", "id"),
    "personal_number": ("personal_number", "id"),
}
_UUIDISH = re.compile(r"^[0-9a-f\-]{8,36}$")
TOP = "\U0010ffff"


def summary_from_row(row: Sequence[Any]) -> CandidateSummary:
    """From ORM-typed values or from plain driver tuples (ISO date text, enum keys)."""
    (cid, pn, fka, lka, flat, llat, birth, sex, region, status, expiry) = row[:11]
    if isinstance(birth, str):
        birth = dt.date.fromisoformat(birth)
    if isinstance(expiry, str):
        expiry = dt.date.fromisoformat(expiry)
    return CandidateSummary(cid, pn, fka, lka, flat, llat, birth, getattr(sex, "value", sex),
                            region, getattr(status, "value", status), expiry)


# The summary columns as plain text for driver tuples (dates as ISO text on every backend).
PLAIN_SUMMARY = tuple(cast(c, String) if c.key in ("birth_date", "passport_expiry", "sex",
                                                   "status") else c
                      for c in (getattr(Candidate.__table__.c, col.key)
                                for col in SUMMARY_COLUMNS))


def summary_of(c: Candidate) -> CandidateSummary:
    return summary_from_row([getattr(c, col.key) for col in SUMMARY_COLUMNS])


def resolve(s: Session, ref: str) -> Candidate:
    """A live candidate by personal number, id, or an unambiguous id prefix (8+ chars)."""
    ref = (ref or "").strip()
    cand = None
    if ref.isascii() and ref.isdigit() and len(ref) == 11:
        cand = s.scalars(select(Candidate).where(
            Candidate.personal_number == ref, Candidate.deleted.is_(False))).first()
    elif _UUIDISH.match(ref.lower()):
        cand = s.get(Candidate, ref.lower())
        if cand is None and len(ref) < 36:
            hits = s.scalars(select(Candidate).where(
                Candidate.id.like(ref.lower() + "%")).limit(2)).all()
            cand = hits[0] if len(hits) == 1 else None
    if cand is None or cand.deleted:
        raise NotFound.of("candidate", N_("No candidate “{ref}”"), ref=ref)
    return cand


# Status changes only a supervisor may make.
DECISIONS = (CandidateStatus.SELECTED, CandidateStatus.REJECTED)


class CandidateService:
    def __init__(self, app: Migdesk) -> None:
        self.app = app

    # -- writing ----------------------------------------------------------------------------
    def register(self, inp: CandidateInput, reason: str | None = None) -> Saved:
        """Register a new candidate. Same personal number: refused; likely same person: warned."""
        self.app.require(Permission.EDIT_CANDIDATES)
        today = self.app.today()
        checked = check_candidate(inp, today)
        v = checked.values
        with self.app.unit_of_work(reason or "registration") as s:
            self._refuse_taken_number(s, str(v["personal_number"]), None)
            hints = self._similar(s, v, exclude_id=None)
            cand = Candidate(**v, status=CandidateStatus.REGISTERED, registered_on=today)
            s.add(cand)
            s.flush()
            self._sync_children(s, cand, checked.occupations, checked.languages)
            if checked.consent:
                s.add(Consent(candidate_id=cand.id, **checked.consent))
            s.add(StatusChange(candidate_id=cand.id, from_status=None,
                               to_status=CandidateStatus.REGISTERED, changed_at=monotonic_utcnow(),
                               officer=self.app.officer, reason=reason or "registration"))
            s.flush()
            return Saved(cand.id, cand.version, hints)

    def update(self, ref: str, inp: CandidateInput, expected_version: int | None = None,
               reason: str | None = None) -> Saved:
        """Replace the form's fields (occupations and languages included)."""
        self.app.require(Permission.EDIT_CANDIDATES)
        checked = check_candidate(inp, self.app.today())
        with self.app.unit_of_work(reason) as s:
            cand = resolve(s, ref)
            check_version(cand.version, expected_version)
            self._refuse_taken_number(s, str(checked.values["personal_number"]), cand.id)
            hints = self._similar(s, checked.values, exclude_id=cand.id)
            for k, val in checked.values.items():
                if getattr(cand, k) != val:
                    setattr(cand, k, val)
            self._sync_children(s, cand, checked.occupations, checked.languages)
            if checked.consent and not any(
                    c.given_on == checked.consent["given_on"] and not c.deleted
                    for c in cand.consents):
                s.add(Consent(candidate_id=cand.id, **checked.consent))
            s.flush()
            return Saved(cand.id, cand.version, hints)

    def change_status(self, ref: str, new_status: str, reason: str,
                      program_id: str | None = None) -> Saved:
        """Move a candidate along the path; the reason is required and kept in the history.
        Selecting and rejecting are a supervisor's decisions."""
        target = CandidateStatus.parse(new_status)
        self.app.require(Permission.SELECT if target in DECISIONS
                         else Permission.EDIT_CANDIDATES)
        try:
            why = req_text(reason, 1000)
        except ValidationError as exc:
            raise ValidationError([type(e)("reason", e.msgid, e.params)
                                   for e in exc.errors]) from None
        with self.app.unit_of_work(why) as s:
            cand = resolve(s, ref)
            check_transition(cand.status, target)
            if program_id is not None and s.get(Program, program_id) is None:
                raise NotFound.of("program", N_("No programme “{ref}”"), ref=program_id)
            s.add(StatusChange(candidate_id=cand.id, from_status=cand.status, to_status=target,
                               changed_at=monotonic_utcnow(), officer=self.app.officer, reason=why,
                               program_id=program_id))
            cand.status = target
            s.flush()
            return Saved(cand.id, cand.version)

    def delete(self, ref: str, reason: str) -> Saved:
        """Tombstone a candidate (the tombstone travels to the central store)."""
        self.app.require(Permission.REMOVE)
        why = req_text(reason, 1000)
        with self.app.unit_of_work(why) as s:
            cand = resolve(s, ref)
            cand.deleted = True
            s.flush()
            return Saved(cand.id, cand.version)

    def withdraw_consent(self, ref: str, on: dt.date | None = None) -> Saved:
        self.app.require(Permission.EDIT_CANDIDATES)
        with self.app.unit_of_work("consent withdrawn") as s:
            cand = resolve(s, ref)
            for c in cand.consents:
                if c.withdrawn_on is None and not c.deleted:
                    c.withdrawn_on = on or self.app.today()
            s.flush()
            return Saved(cand.id, cand.version)

    # -- reading ----------------------------------------------------------------------------
    def get(self, ref: str, purpose: str | None = "view") -> CandidateDetail:
        """Everything about one candidate; the access is logged when `purpose` is given."""
        self.app.require(Permission.VIEW)
        with self.app.reading() as s:
            cand = resolve(s, ref)
            s.refresh(cand)
            detail = self._detail(s, cand)
        if purpose:
            self.app.audit.record_access(purpose, "candidate", detail.id)
        return detail

    def summary(self, ref: str) -> CandidateSummary:
        self.app.require(Permission.VIEW)
        with self.app.reading() as s:
            return summary_of(resolve(s, ref))

    def search(self, query: str = "", *, status: str | None = None,
               program_id: str | None = None, region: str | None = None,
               occupation: str | None = None, language: str | None = None,
               min_level: str | None = None, limit: int = 100,
               cursor: str | None = None, sort: str = "name_ka",
               descending: bool = False) -> Page:
        """Find live candidates by name prefix (Georgian or Latin), personal-number prefix and
        filters; keyset-paged. The order is by `sort` (one of SORT_KEYS: Georgian name, Latin
        name, personal number), ascending unless `descending`; with a query, the rows are first
        grouped by the word they matched (in the same direction), and within one word (one
        surname, say) ordered by `sort`, so first names follow each other in order."""
        self.app.require(Permission.VIEW)
        if sort not in SORT_KEYS:
            raise ValidationError.of(None, N_("“{value}” is not one of: {allowed}"),
                                     value=sort, allowed=", ".join(SORT_KEYS))
        if not 1 <= limit <= 10000:
            raise ValidationError.of("limit", N_("Must be between {lo} and {hi}"),
                                     lo=1, hi=10000)
        words = [names.search_key(w) for w in ascii_digits(query or "").split() if w.strip("'")]
        filters = self._filters(status, program_id, region, occupation, language, min_level)
        with self.app.reading() as s:
            if words:
                return self._search_terms(s, words, filters, limit, cursor, sort, descending)
            return self._list_sorted(s, filters, limit, cursor, sort, descending)

    def count(self, query: str = "", **filters: Any) -> int:
        self.app.require(Permission.VIEW)
        words = [names.search_key(w) for w in ascii_digits(query or "").split() if w.strip("'")]
        conds = self._filters(**filters)
        with self.app.reading() as s:
            if len(words) == 1 and not conds:
                # the search-as-you-type case: the term index alone (a removed candidate's
                # words are taken out of it with the removal)
                stmt = select(func.count(CandidateTerm.candidate_id.distinct())).where(
                    *self._prefix(s, CandidateTerm.term, words[0]))
            elif not words:
                stmt = select(func.count()).select_from(Candidate).where(
                    Candidate.deleted.is_(False), *conds)
            else:
                ids = select(CandidateTerm.candidate_id).where(
                    *self._prefix(s, CandidateTerm.term, words[0]))
                for w in words[1:]:
                    ids = ids.where(CandidateTerm.candidate_id.in_(
                        select(CandidateTerm.candidate_id).where(
                            *self._prefix(s, CandidateTerm.term, w))))
                stmt = select(func.count()).select_from(Candidate).where(
                    Candidate.id.in_(ids), Candidate.deleted.is_(False), *conds)
            return int(s.scalar(stmt) or 0)

    def duplicates(self, inp: CandidateInput, exclude_id: str | None = None
                   ) -> list[DuplicateHint]:
        """Likely duplicates of what is being typed: same number, or same birth date and a
        name that matches across scripts. Fields not yet valid are ignored."""
        values: dict[str, Any] = {}
        pn = (inp.personal_number or "").strip()
        with self.app.reading() as s:
            hints: list[DuplicateHint] = []
            if len(pn) == 11 and pn.isascii() and pn.isdigit():
                other = s.scalars(select(Candidate).where(
                    Candidate.personal_number == pn, Candidate.deleted.is_(False))).first()
                if other is not None and other.id != exclude_id:
                    hints.append(DuplicateHint(summary_of(other), "personal_number"))
            try:
                from migdesk.services.validation import as_date

                values["birth_date"] = as_date(inp.birth_date)
            except ValidationError:
                return hints
            values.update(first_name_ka=inp.first_name_ka or "", last_name_ka=inp.last_name_ka
                          or "", first_name_lat=inp.first_name_lat or "",
                          last_name_lat=inp.last_name_lat or "")
            seen = {h.candidate.id for h in hints}
            return hints + [h for h in self._similar(s, values, exclude_id)
                            if h.candidate.id not in seen]

    # -- internals --------------------------------------------------------------------------
    def _refuse_taken_number(self, s: Session, pn: str, own_id: str | None) -> None:
        other = s.scalars(select(Candidate).where(
            Candidate.personal_number == pn, Candidate.deleted.is_(False))).first()
        if other is not None and other.id != own_id:
            raise ValidationError.of(
                "personal_number",
                N_("Already registered: {name}, born {birth} (id {id})"),
                name=f"{other.first_name_ka} {other.last_name_ka}",
                birth=other.birth_date.isoformat(), id=other.id[:8])

    def _similar(self, s: Session, v: dict[str, Any], exclude_id: str | None
                 ) -> list[DuplicateHint]:
        birth = v.get("birth_date")
        if not birth:
            return []
        rows = s.scalars(select(Candidate).where(
            Candidate.birth_date == birth, Candidate.deleted.is_(False))).all()
        mine_ka = (v.get("first_name_ka") or "", v.get("last_name_ka") or "")
        mine_lat = (v.get("first_name_lat") or "", v.get("last_name_lat") or "")
        hints = []
        for other in rows:
            if other.id == exclude_id:
                continue
            theirs = ((other.first_name_ka, other.last_name_ka),
                      (other.first_name_lat, other.last_name_lat))
            if names.same_names((mine_ka, mine_lat), theirs):
                hints.append(DuplicateHint(summary_of(other), "name_and_birth_date"))
        return hints

    def _sync_children(self, s: Session, cand: Candidate, occupations: dict[str, int],
                       languages: dict[str, CEFR]) -> None:
        live_occ = {o.isco_code: o for o in cand.occupations if not o.deleted}
        for code, o in live_occ.items():
            if code not in occupations:
                o.deleted = True
            elif o.years != occupations[code]:
                o.years = occupations[code]
        for code, years in occupations.items():
            if code not in live_occ:
                s.add(CandidateOccupation(candidate_id=cand.id, isco_code=code, years=years))
        live_lang = {x.language: x for x in cand.languages if not x.deleted}
        for code, x in live_lang.items():
            if code not in languages:
                x.deleted = True
            elif x.level != languages[code]:
                x.level = languages[code]
        for code, level in languages.items():
            if code not in live_lang:
                s.add(CandidateLanguage(candidate_id=cand.id, language=code, level=level))

    @staticmethod
    def _filters(status: str | None = None, program_id: str | None = None,
                 region: str | None = None, occupation: str | None = None,
                 language: str | None = None, min_level: str | None = None) -> list[Any]:
        from migdesk.domain.places import parse_language, parse_region

        conds: list[Any] = []
        if status:
            conds.append(Candidate.status == CandidateStatus.parse(status))
        if region:
            conds.append(Candidate.region == parse_region(region))
        if program_id:
            conds.append(Candidate.id.in_(select(Application.candidate_id).where(
                Application.program_id == program_id, Application.deleted.is_(False))))
        if occupation:
            code = isco.get(occupation).code
            conds.append(Candidate.id.in_(select(CandidateOccupation.candidate_id).where(
                CandidateOccupation.isco_code.startswith(code),
                CandidateOccupation.deleted.is_(False))))
        if language or min_level:
            if not language:
                raise ValidationError.of("language", N_("Give the language for the level"))
            levels = list(CEFR)
            if min_level:
                floor = CEFR.parse(min_level)
                levels = [lv for lv in CEFR if lv.rank >= floor.rank]
            conds.append(Candidate.id.in_(select(CandidateLanguage.candidate_id).where(
                CandidateLanguage.language == parse_language(language),
                CandidateLanguage.level.in_(levels),
                CandidateLanguage.deleted.is_(False))))
        return conds

    @staticmethod
    def _prefix(s: Session, col: Any, word: str) -> list[Any]:
        if s.get_bind().dialect.name == "sqlite":
            return [col >= word, col < word + TOP]
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return [col.like(escaped + "%", escape="\\")]

    def _search_terms(self, s: Session, words: list[str], filters: list[Any], limit: int,
                      cursor: str | None, sort: str = "name_ka", descending: bool = False
                      ) -> Page:
        keys = SORT_KEYS[sort]
        after = _decode(cursor, 1 + len(keys))
        conn = s.connection()
        if len(words) == 1 and not filters and conn.dialect.name == "sqlite":
            # The search-as-you-type case: one prebuilt statement, only values change.
            params = {"lo": words[0], "hi": words[0] + TOP, "n": limit, "m": limit + 1}
            if after:
                params.update({f"a{i}": v for i, v in enumerate(after)})
            rows = conn.execute(_simple_search(sort, descending, bool(after)),
                                params).cursor.fetchall()
        else:
            rows = driver_rows(conn, self._term_statement(s, words, filters, after, limit,
                                                          sort, descending))
        items, seen = [], set()
        for row in rows[:limit]:
            if row[1] not in seen:
                seen.add(row[1])
                items.append(summary_from_row(row[1:]))
        nxt = None
        if len(rows) > limit:
            last = rows[limit - 1]
            nxt = _encode([last[0], *(last[1 + _SUMMARY_AT[k]] for k in keys)])
        return Page(items, nxt)

    def _term_statement(self, s: Session, words: list[str], filters: list[Any],
                        after: list[Any] | None, limit: int, sort: str = "name_ka",
                        descending: bool = False) -> Any:
        t = CandidateTerm
        order = [t.term, *(getattr(Candidate, k) for k in SORT_KEYS[sort])]
        stmt = (select(t.term, *PLAIN_SUMMARY)
                .join(Candidate, Candidate.id == t.candidate_id)
                .where(*self._prefix(s, t.term, words[0]), Candidate.deleted.is_(False),
                       *filters))
        for w in words[1:]:
            t2 = select(CandidateTerm.candidate_id).where(
                *self._prefix(s, CandidateTerm.term, w)).scalar_subquery()
            stmt = stmt.where(Candidate.id.in_(t2))
        if after:
            stmt = stmt.where(tuple_(*order) < tuple_(*after) if descending
                              else tuple_(*order) > tuple_(*after))
        return stmt.order_by(*(c.desc() for c in order) if descending else order
                             ).limit(limit + 1)

    def _list_sorted(self, s: Session, filters: list[Any], limit: int, cursor: str | None,
                     sort: str = "name_ka", descending: bool = False) -> Page:
        """Keyset-paged listing in one of the indexed orders (SORT_KEYS)."""
        keys = [getattr(Candidate, k) for k in SORT_KEYS[sort]]
        stmt = select(*PLAIN_SUMMARY).where(Candidate.deleted.is_(False), *filters)
        after = _decode(cursor, len(keys))
        if after:
            cmp = tuple_(*keys) < tuple_(*after) if descending else tuple_(*keys) > tuple_(*after)
            stmt = stmt.where(cmp)
        order = [k.desc() for k in keys] if descending else keys
        rows = driver_rows(s.connection(), stmt.order_by(*order).limit(limit + 1))
        items = [summary_from_row(r) for r in rows[:limit]]
        nxt = None
        if len(rows) > limit:
            last = items[-1]
            nxt = _encode([getattr(last, k) for k in SORT_KEYS[sort]])
        return Page(items, nxt)

    def _detail(self, s: Session, c: Candidate) -> CandidateDetail:
        s.execute(select(Candidate).where(Candidate.id == c.id).options(
            selectinload(Candidate.occupations), selectinload(Candidate.languages),
            selectinload(Candidate.consents), selectinload(Candidate.history),
            selectinload(Candidate.applications), selectinload(Candidate.placements))).all()
        programs = {p.id: p for p in s.scalars(select(Program).where(
            Program.id.in_([a.program_id for a in c.applications])))}
        occ = []
        for o in sorted((o for o in c.occupations if not o.deleted), key=lambda o: o.isco_code):
            info = isco.classification().get(o.isco_code)
            occ.append(OccupationLine(o.id, o.isco_code, info.title_ka if info else "",
                                      info.title_en if info else "", o.years))
        return CandidateDetail(
            **{k: _plain(getattr(c, k)) for k in (
                "id", "version", "personal_number", "first_name_ka", "last_name_ka",
                "first_name_lat", "last_name_lat", "birth_date", "sex", "region", "address",
                "phone", "email", "passport_number", "passport_expiry", "education",
                "education_note", "status", "registered_on", "notes", "created_at",
                "updated_at", "created_by", "updated_by", "origin_desk")},
            occupations=occ,
            languages=[LanguageLine(x.id, x.language, x.level.value) for x in
                       sorted(c.languages, key=lambda x: (-x.level.rank, x.language))
                       if not x.deleted],
            consents=[ConsentLine(x.id, x.given_on, x.scope, x.form_reference, x.withdrawn_on)
                      for x in sorted(c.consents, key=lambda x: x.given_on) if not x.deleted],
            history=[StatusLine(h.id, h.from_status.value if h.from_status else None,
                                h.to_status.value, h.changed_at, h.officer, h.reason,
                                h.program_id)
                     for h in sorted(c.history, key=lambda h: h.changed_at) if not h.deleted],
            applications=[ApplicationLine(
                a.id, a.program_id, programs[a.program_id].code,
                programs[a.program_id].name_ka, programs[a.program_id].name_en, a.demand_id,
                a.applied_on, a.status.value)
                for a in sorted(c.applications, key=lambda a: a.applied_on) if not a.deleted],
            placements=[PlacementLine(**{k: _plain(getattr(p, k)) for k in (
                "id", "program_id", "employer", "country", "city", "isco_code", "start_date",
                "end_date", "wage_amount", "wage_currency", "wage_period", "returned_on",
                "return_note")}) for p in sorted(c.placements, key=lambda p: p.start_date)
                if not p.deleted],
        )


# Where each sort key sits in a summary row (PLAIN_SUMMARY order).
_SUMMARY_AT = {col.key: i for i, col in enumerate(SUMMARY_COLUMNS)}


@lru_cache(maxsize=16)
def _simple_search(sort: str, descending: bool, paged: bool) -> Any:
    """One-word prefix search on SQLite with bound values (built once, compiled once).

    Rows are in (matched word, sort keys) order, which the term index gives only for the
    word; so that a one-letter prefix does not sort every match, a scalar subquery first
    finds the word `n` live rows further on in the index (the edge), and only the words up to
    it (with the rest of the cursor's word) are sorted."""
    t = CandidateTerm
    order = [t.term, *(getattr(Candidate, k) for k in SORT_KEYS[sort])]
    t2 = CandidateTerm.__table__.alias("edge_term")
    c2 = Candidate.__table__.alias("edge_candidate")
    start: Any = bindparam("a0") if paged else (bindparam("hi") if descending else bindparam("lo"))
    edge = (select(t2.c.term).join(c2, c2.c.id == t2.c.candidate_id)
            .where(t2.c.term >= bindparam("lo"), t2.c.term < bindparam("hi"),
                   c2.c.deleted.is_(False)))
    if descending:
        edge = edge.where(t2.c.term < start).order_by(t2.c.term.desc())
    else:
        edge = edge.where(t2.c.term > start if paged else t2.c.term >= start
                          ).order_by(t2.c.term)
    edge_term = edge.limit(1).offset(bindparam("n")).scalar_subquery()
    stmt = (select(t.term, *PLAIN_SUMMARY)
            .join(Candidate, Candidate.id == t.candidate_id)
            .where(t.term >= bindparam("lo"), t.term < bindparam("hi"),
                   Candidate.deleted.is_(False),
                   t.term >= func.coalesce(edge_term, bindparam("lo")) if descending
                   else t.term <= func.coalesce(edge_term, bindparam("hi"))))
    if paged:
        after = tuple_(*(bindparam(f"a{i}") for i in range(len(order))))
        stmt = stmt.where(tuple_(*order) < after if descending else tuple_(*order) > after)
    return (stmt.order_by(*(c.desc() for c in order) if descending else order)
            .limit(bindparam("m")))


def _plain(v: Any) -> Any:
    from enum import Enum

    return v.value if isinstance(v, Enum) else v


def _encode(values: list[Any]) -> str:
    return json.dumps(values, ensure_ascii=False)


def _decode(cursor: str | None, n: int) -> list[Any] | None:
    if not cursor:
        return None
    try:
        values = json.loads(cursor)
    except ValueError:
        values = None
    if not isinstance(values, list) or len(values) != n:
        raise ValidationError.of(None, N_("The page cursor is not valid; start again"))
    return values


__all__ = ["CandidateService", "CandidateInput", "resolve", "summary_of", "asdict", "and_"]
