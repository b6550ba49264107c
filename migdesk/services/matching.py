"""Matching candidates to a programme's demanded occupations, ranked.

Per demand, one indexed join (the occupation with the experience → the candidate, available
with a passport valid long enough and of the age → the language at the level) that orders by
the score in whole sixths and returns only as many rows as are shown: the best candidates of
each demand; a candidate's best demand and the overall top are then taken in Python, with
the score (domain.matching.points) and the reasons of those shown; then only they are
fetched in full. tests/test_matching_reference.py holds it to a plain reading of everyone.
"""

from __future__ import annotations

import datetime as dt
import heapq
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, Integer, String, case, cast, exists, func, literal, null, select

from migdesk.domain.errors import ValidationError
from migdesk.domain.identity import age_on
from migdesk.domain.matching import PASSPORT_MARGIN_DAYS, points, score
from migdesk.domain.roles import Permission
from migdesk.domain.statuses import AVAILABLE
from migdesk.domain.vocab import CEFR
from migdesk.i18n import N_
from migdesk.services.candidates import SUMMARY_COLUMNS, summary_from_row
from migdesk.services.dto import MatchResult
from migdesk.services.programs import get_program
from migdesk.services.rows import driver_rows
from migdesk.store.people import Candidate, CandidateLanguage, CandidateOccupation, Placement

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk

C = Candidate.__table__.c
OC = CandidateOccupation.__table__.c
L = CandidateLanguage.__table__.c


def _years_ago(on: dt.date, years: int) -> dt.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


class MatchingService:
    def __init__(self, app: Migdesk) -> None:
        self.app = app

    def match(self, program: str, limit: int = 50, demand_id: str | None = None
              ) -> list[MatchResult]:
        self.app.require(Permission.VIEW)
        if not 1 <= limit <= 100000:
            raise ValidationError.of("limit", N_("Must be between {lo} and {hi}"),
                                     lo=1, hi=100000)
        today = self.app.today()
        with self.app.reading() as s:
            prog = get_program(s, program)
            reference = max(today, prog.start_date or today)
            demands = [(d.id, d.isco_code, d.min_experience_years, d.language, d.level,
                        d.min_age, d.max_age) for d in prog.demands
                       if not d.deleted and (demand_id is None or d.id == demand_id)]
            conn = s.connection()
            returned = set(s.scalars(select(Placement.candidate_id).where(
                Placement.returned_on.is_not(None), Placement.deleted.is_(False))))
            best: dict[str, tuple] = {}
            months: dict[str, int] = {}  # passport expiry (ISO text) → months still valid
            cache: dict[tuple, float] = {}  # the score's inputs → the score (few distinct)
            for rank, (did, code, min_years, language, level, min_age, max_age) in enumerate(
                    demands):
                needs = level.rank if level is not None else 0
                for cid, years, status, expiry, registered, has_text in _best_rows(
                        conn, limit, partial(_candidates, code, min_years, language, level,
                                             min_age, max_age, reference, conn.dialect.name)):
                    has = _LEVELS[has_text] if has_text is not None else None
                    diff = _RANKS[has_text] - needs if has_text is not None and needs \
                        else None
                    m = months.get(expiry)
                    if m is None:
                        m = months[expiry] = (dt.date.fromisoformat(expiry) - reference
                                              ).days // 30
                    was_back = cid in returned
                    inputs = (min(max(0, years - min_years), 10), diff, min(m, 36), status,
                              was_back)
                    sc = cache.get(inputs)
                    if sc is None:
                        sc = cache[inputs] = points(*inputs)
                    key = (-sc, registered, cid)
                    # the first demand wins a tie, and within one the fewer years (as the
                    # occupation index orders them)
                    order = (key, rank, years)
                    if cid not in best or order < best[cid][0]:
                        best[cid] = (order, did, code, years, has, min_years, level, expiry,
                                     status, was_back)
            top = heapq.nsmallest(limit, best.values(), key=lambda b: b[0])
            ids = [b[0][0][2] for b in top]
            summaries = {r[0]: summary_from_row(r) for r in s.execute(
                select(*SUMMARY_COLUMNS).where(Candidate.id.in_(ids)))} if ids else {}
        out = []
        for (key, _r, _y), did, code, years, has, min_years, level, expiry, status, was_back \
                in top:
            cand = summaries[key[2]]
            sc, reasons = score(years, min_years, has, level, dt.date.fromisoformat(expiry),
                                reference, status, was_back)
            out.append(MatchResult(cand, did, code, sc, years, has.value if has else None,
                                   age_on(cand.birth_date, reference), reasons))
        return out


def _best_rows(conn: Any, limit: int, stmt: Any) -> list[tuple]:
    """The rows of one demand's best `limit` candidates, best first: more rows are asked for
    while a candidate's second row (a language or an occupation given twice) leaves fewer
    than `limit` different candidates among them."""
    n = limit
    while True:
        rows = driver_rows(conn, stmt(n))
        if len(rows) < n or len({r[0] for r in rows}) >= limit:
            return rows
        n *= 2


def _candidates(code: str, min_years: int, language: str | None, level: CEFR | None,
                min_age: int | None, max_age: int | None, reference: dt.date, dialect: str,
                limit: int) -> Any:
    """Who meets one demand's hard requirements, in one indexed join, best first, at most
    `limit` rows: the occupation with the experience, available, a passport valid
    PASSPORT_MARGIN_DAYS past the reference day, the age range on it, the language at the
    level. Dates travel as ISO text: they compare correctly and skip per-row parsing.

    The order is the score's (domain.matching.points) in sixths, whole numbers, so equal
    scores tie exactly and the tie-breakers (registration, id) decide as in Python; then the
    fewer years (a candidate's own second row)."""
    cols: list[Any] = [OC.candidate_id, OC.years, cast(C.status, String),
                       cast(C.passport_expiry, String), cast(C.registered_on, String)]
    conds = [OC.isco_code == code, OC.years >= min_years, OC.deleted.is_(False),
             C.deleted.is_(False), C.status.in_(AVAILABLE),
             C.passport_expiry >= reference + dt.timedelta(days=PASSPORT_MARGIN_DAYS)]
    if max_age is not None:
        conds.append(C.birth_date > _years_ago(reference, max_age + 1))
    if min_age is not None:
        conds.append(C.birth_date <= _years_ago(reference, min_age))
    if dialect == "sqlite":
        days: Any = cast(func.julianday(C.passport_expiry) - func.julianday(
            reference.isoformat()), Integer)
    else:
        days = C.passport_expiry - literal(reference, Date)
    months = days / 30
    back = exists().where(P.candidate_id == OC.candidate_id, P.returned_on.is_not(None),
                          P.deleted.is_(False))
    sixths = (300 + case((OC.years - min_years >= 10, 10), else_=OC.years - min_years) * 18
              + case((months >= 36, 36), else_=months)
              + case((C.status == "shortlisted", 36), (C.status == "screened", 18), else_=0)
              + case((back, 30), else_=0))
    joined = _OCC.join(_CAND, C.id == OC.candidate_id)
    if language:
        ok = [lv for lv in CEFR if level is None or lv.rank >= level.rank]
        joined = joined.join(_LANG, L.candidate_id == OC.candidate_id)
        conds += [L.language == language, L.level.in_(ok), L.deleted.is_(False)]
        cols.append(cast(L.level, String))
        if level is not None:
            sixths = sixths + (case(*((L.level == lv.value, lv.rank) for lv in CEFR))
                               - level.rank) * 30
    else:
        cols.append(null())
    return (select(*cols).select_from(joined).where(*conds)
            .order_by(sixths.desc(), C.registered_on, OC.candidate_id, OC.years).limit(limit))


_LEVELS = {lv.value: lv for lv in CEFR}
_RANKS = {lv.value: lv.rank for lv in CEFR}
_CAND, _OCC, _LANG = Candidate.__table__, CandidateOccupation.__table__, CandidateLanguage.__table__
P = Placement.__table__.c
