"""Matching candidates to a programme's demanded occupations, ranked.

One query per demanded occupation filters in SQL (occupation and experience, language
level, age window, passport validity, an available status); the ranking is pure Python.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import aliased

from migdesk.domain.errors import ValidationError
from migdesk.domain.identity import age_on
from migdesk.domain.matching import PASSPORT_MARGIN_DAYS, score
from migdesk.domain.statuses import AVAILABLE
from migdesk.domain.vocab import CEFR
from migdesk.i18n import N_
from migdesk.services.candidates import SUMMARY_COLUMNS, summary_from_row
from migdesk.services.dto import MatchResult
from migdesk.services.programs import get_program
from migdesk.store.people import Candidate, CandidateLanguage, CandidateOccupation, Placement

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk


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
        if not 1 <= limit <= 100000:
            raise ValidationError.of("limit", N_("Must be between {lo} and {hi}"),
                                     lo=1, hi=100000)
        today = self.app.today()
        with self.app.reading() as s:
            prog = get_program(s, program)
            reference = max(today, prog.start_date or today)
            best: dict[str, tuple[tuple[float, dt.date, str], MatchResult]] = {}
            for d in prog.demands:
                if d.deleted or (demand_id and d.id != demand_id):
                    continue
                occ = aliased(CandidateOccupation)
                cols = [*SUMMARY_COLUMNS, occ.years, Candidate.registered_on]
                stmt = (select(*cols)
                        .join(occ, occ.candidate_id == Candidate.id)
                        .where(occ.isco_code == d.isco_code, occ.deleted.is_(False),
                               occ.years >= d.min_experience_years,
                               Candidate.deleted.is_(False),
                               Candidate.status.in_(AVAILABLE),
                               Candidate.passport_expiry >= reference
                               + dt.timedelta(days=PASSPORT_MARGIN_DAYS)))
                if d.max_age is not None:
                    stmt = stmt.where(Candidate.birth_date > _years_ago(reference,
                                                                        d.max_age + 1))
                if d.min_age is not None:
                    stmt = stmt.where(Candidate.birth_date <= _years_ago(reference, d.min_age))
                required = d.level
                if d.language:
                    lang = aliased(CandidateLanguage)
                    ok = [lv for lv in CEFR if required is None or lv.rank >= required.rank]
                    stmt = stmt.add_columns(lang.level).join(
                        lang, lang.candidate_id == Candidate.id).where(
                        lang.language == d.language, lang.level.in_(ok),
                        lang.deleted.is_(False))
                rows = s.execute(stmt).all()
                returned = self._returned(s, [r[0] for r in rows])
                for r in rows:
                    cand = summary_from_row(r)
                    years, registered = r[11], r[12]
                    level = r[13] if d.language else None
                    sc, reasons = score(years, d.min_experience_years, level, required,
                                        cand.passport_expiry or reference, reference,
                                        cand.status, cand.id in returned)
                    result = MatchResult(cand, d.id, d.isco_code, sc, years,
                                         level.value if level else None,
                                         age_on(cand.birth_date, reference), reasons)
                    key = (-sc, registered, cand.id)
                    if cand.id not in best or key < best[cand.id][0]:
                        best[cand.id] = (key, result)
        return [m for _, m in sorted(best.values(), key=lambda km: km[0])][:limit]

    @staticmethod
    def _returned(s, ids: list[str]) -> set[str]:  # type: ignore[no-untyped-def]
        out: set[str] = set()
        for i in range(0, len(ids), 900):
            out.update(s.scalars(select(Placement.candidate_id).where(
                Placement.candidate_id.in_(ids[i:i + 900]),
                Placement.returned_on.is_not(None))).all())
        return out
