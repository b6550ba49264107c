"""Matching candidates to a programme's demanded occupations, ranked.

Three narrow index-only reads instead of a join per row: who is available (status, passport
valid long enough; one covering-index scan), who has the occupation and experience, who has
the language level (both covering-index scans per demand). The score (domain.matching)
ranks them in Python; then only the candidates shown are fetched in full.

On a database server (the central store: a million candidates) each demand is one join
there instead, so that only its eligible candidates travel to the process; same ranking.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, and_, cast, select

from migdesk.domain.errors import ValidationError
from migdesk.domain.identity import age_on
from migdesk.domain.matching import PASSPORT_MARGIN_DAYS, score
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
            if on_server(conn):
                return self._results(s, _ranked_joined(conn, demands, reference), limit,
                                     reference)
            # Dates travel as ISO text: they compare correctly and skip per-row parsing.
            available = {
                cid: (status, expiry, birth, registered)
                for cid, status, expiry, birth, registered in driver_rows(conn, select(
                    C.id, cast(C.status, String), cast(C.passport_expiry, String),
                    cast(C.birth_date, String), cast(C.registered_on, String))
                    .where(C.deleted.is_(False), C.status.in_(AVAILABLE),
                           C.passport_expiry >= reference
                           + dt.timedelta(days=PASSPORT_MARGIN_DAYS)))}
            returned = set(s.scalars(select(Placement.candidate_id).where(
                Placement.returned_on.is_not(None), Placement.deleted.is_(False))))
            best: dict[str, tuple] = {}
            for did, code, min_years, language, level, min_age, max_age in demands:
                born_after = (_years_ago(reference, max_age + 1).isoformat()
                              if max_age is not None else "")
                born_by = (_years_ago(reference, min_age).isoformat()
                           if min_age is not None else "9999")
                levels: dict[str, str] | None = None
                if language:
                    ok = [lv for lv in CEFR if level is None or lv.rank >= level.rank]
                    levels = dict(driver_rows(conn, select(L.candidate_id, cast(L.level, String))
                                        .where(L.language == language, L.level.in_(ok),
                                               L.deleted.is_(False))))
                for cid, years in driver_rows(conn, select(OC.candidate_id, OC.years).where(
                        OC.isco_code == code, OC.years >= min_years, OC.deleted.is_(False))):
                    info = available.get(cid)
                    if info is None or not born_after < info[2] <= born_by:
                        continue
                    has = None
                    if levels is not None:
                        if cid not in levels:
                            continue
                        has = CEFR(levels[cid])
                    sc, reasons = score(years, min_years, has, level,
                                        dt.date.fromisoformat(info[1]), reference, info[0],
                                        cid in returned)
                    key = (-sc, info[3], cid)
                    if cid not in best or key < best[cid][0]:
                        best[cid] = (key, did, code, years, has, reasons)
            return self._results(s, best, limit, reference)

    @staticmethod
    def _results(s: Any, best: dict[str, tuple], limit: int, reference: dt.date
                 ) -> list[MatchResult]:
        top = sorted(best.values(), key=lambda b: b[0])[:limit]
        ids = [b[0][2] for b in top]
        summaries = {r[0]: summary_from_row(r) for r in s.execute(
            select(*SUMMARY_COLUMNS).where(Candidate.id.in_(ids)))} if ids else {}
        out = []
        for key, did, code, years, has, reasons in top:
            cand = summaries[key[2]]
            out.append(MatchResult(cand, did, code, -key[0], years,
                                   has.value if has else None,
                                   age_on(cand.birth_date, reference), reasons))
        return out


def on_server(conn: Any) -> bool:
    """A database server (PostgreSQL, the central store), not a desk's SQLite file."""
    return bool(conn.dialect.name != "sqlite")


def _ranked_joined(conn: Any, demands: list[tuple], reference: dt.date) -> dict[str, tuple]:
    """The same ranking on a server database (the central store, a million candidates):
    each demand's eligible candidates found by one join there, so only they travel (reading
    every available candidate into the process, as on a desk, is a million rows)."""
    cand = Candidate.__table__
    lang = CandidateLanguage.__table__
    returned = {r[0] for r in driver_rows(conn, select(Placement.candidate_id).where(
        Placement.returned_on.is_not(None), Placement.deleted.is_(False)))}
    best: dict[str, tuple] = {}
    for did, code, min_years, language, level, min_age, max_age in demands:
        conds = [OC.isco_code == code, OC.years >= min_years, OC.deleted.is_(False),
                 C.deleted.is_(False), C.status.in_(AVAILABLE),
                 C.passport_expiry >= reference + dt.timedelta(days=PASSPORT_MARGIN_DAYS)]
        if max_age is not None:
            conds.append(C.birth_date > _years_ago(reference, max_age + 1))
        if min_age is not None:
            conds.append(C.birth_date <= _years_ago(reference, min_age))
        cols = [OC.candidate_id, OC.years, cast(C.status, String),
                cast(C.passport_expiry, String), cast(C.registered_on, String)]
        stmt = select(*cols).join(cand, C.id == OC.candidate_id)
        if language:
            ok = [lv for lv in CEFR if level is None or lv.rank >= level.rank]
            stmt = stmt.add_columns(cast(L.level, String)).join(lang, and_(
                L.candidate_id == OC.candidate_id, L.language == language, L.level.in_(ok),
                L.deleted.is_(False)))
        for row in driver_rows(conn, stmt.where(*conds)):
            cid, years, status, expiry, registered = row[:5]
            has = CEFR(row[5]) if language else None
            sc, reasons = score(years, min_years, has, level, dt.date.fromisoformat(expiry),
                                reference, status, cid in returned)
            key = (-sc, registered, cid)
            if cid not in best or key < best[cid][0]:
                best[cid] = (key, did, code, years, has, reasons)
    return best
