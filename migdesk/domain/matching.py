"""Ranking a candidate against a demanded occupation (pure: no database).

Hard requirements filter (occupation, experience, language level, age, valid passport);
the score orders those who pass: more experience and better language first, a longer-valid
passport, progress already made in selection, and earlier registration as the tie-breaker.
"""

from __future__ import annotations

import datetime as dt

from migdesk.domain.vocab import CEFR

PASSPORT_MARGIN_DAYS = 180  # a passport must outlive the start of work by six months


def score(years: int, min_years: int, level: CEFR | None, required: CEFR | None,
          passport_expiry: dt.date, reference: dt.date, status: str,
          returned_before: bool) -> tuple[float, list[str]]:
    reasons: list[str] = []
    s = 50.0
    extra_years = max(0, years - min_years)
    s += min(extra_years, 10) * 3
    reasons.append(f"experience {years}y (min {min_years})")
    if required is not None and level is not None:
        s += (level.rank - required.rank) * 5
        reasons.append(f"language {level.code} (needs {required.code})")
    valid_months = (passport_expiry - reference).days // 30
    s += min(valid_months, 36) / 6
    if status == "shortlisted":
        s += 6
    elif status == "screened":
        s += 3
    if returned_before:
        s += 5
        reasons.append("returned from earlier employment abroad")
    return round(s, 2), reasons
