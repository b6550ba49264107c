"""Ranking a candidate against a demanded occupation (pure: no database).

Hard requirements filter (occupation, experience, language level, age, valid passport);
the score orders those who pass: more experience and better language first, a longer-valid
passport, progress already made in selection, and earlier registration as the tie-breaker.
"""

from __future__ import annotations

import datetime as dt

from migdesk.domain.vocab import CEFR

PASSPORT_MARGIN_DAYS = 180  # a passport must outlive the start of work by six months


def points(extra_years: int, level_diff: int | None, valid_months: int, status: str,
           returned_before: bool) -> float:
    """The score alone (what ranks): years beyond the minimum (at most 10 count), language
    levels above the required one, months the passport is still valid (at most 36), progress
    already made in selection, an earlier return from work abroad."""
    s = 50.0
    s += min(max(0, extra_years), 10) * 3
    if level_diff is not None:
        s += level_diff * 5
    s += min(valid_months, 36) / 6
    if status == "shortlisted":
        s += 6
    elif status == "screened":
        s += 3
    if returned_before:
        s += 5
    return round(s, 2)


def score(years: int, min_years: int, level: CEFR | None, required: CEFR | None,
          passport_expiry: dt.date, reference: dt.date, status: str,
          returned_before: bool) -> tuple[float, list[str]]:
    """The score with the reasons a person reads."""
    reasons = [f"experience {years}y (min {min_years})"]
    diff = None
    if required is not None and level is not None:
        diff = level.rank - required.rank
        reasons.append(f"language {level.code} (needs {required.code})")
    if returned_before:
        reasons.append("returned from earlier employment abroad")
    valid_months = (passport_expiry - reference).days // 30
    return points(years - min_years, diff, valid_months, status, returned_before), reasons
