"""The fast matching (one indexed join per demand, scores from a table of their inputs, the
top found with a heap) ranks exactly as a plain reading of every candidate does: the same
people, demands, scores, years, levels and reasons, in the same order."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from migdesk.domain.identity import age_on
from migdesk.domain.matching import PASSPORT_MARGIN_DAYS, score
from migdesk.domain.statuses import AVAILABLE
from migdesk.services.demo import load_demo
from migdesk.services.programs import get_program
from migdesk.store.journal import bulk_create
from migdesk.store.people import Candidate, CandidateLanguage, CandidateOccupation, Placement


def reference(app, code: str, limit: int) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Every live candidate against every live demand, read through the ORM, scored with
    the domain's `score`; best demand per candidate; ordered by score, registration, id."""
    today = app.today()
    with app.reading() as s:
        prog = get_program(s, code)
        ref = max(today, prog.start_date or today)
        returned = {p.candidate_id for p in s.scalars(select(Placement))
                    if p.returned_on is not None and not p.deleted}
        people = list(s.scalars(select(Candidate).where(Candidate.deleted.is_(False))))
        best: dict[str, tuple] = {}
        demands = [d for d in prog.demands if not d.deleted]
        for rank, d in enumerate(demands):
            for c in people:
                if c.status not in AVAILABLE or c.passport_expiry is None or \
                        c.passport_expiry < ref + dt.timedelta(days=PASSPORT_MARGIN_DAYS):
                    continue
                age = age_on(c.birth_date, ref)
                if (d.min_age is not None and age < d.min_age) or (
                        d.max_age is not None and age > d.max_age):
                    continue
                has = None
                if d.language:
                    levels = [lang.level for lang in c.languages if not lang.deleted
                              and lang.language == d.language
                              and (d.level is None or lang.level.rank >= d.level.rank)]
                    if not levels:
                        continue
                    has = max(levels, key=lambda lv: lv.rank)
                for o in sorted(c.occupations, key=lambda o: o.years):
                    if o.deleted or o.isco_code != d.isco_code or \
                            o.years < d.min_experience_years:
                        continue
                    sc, reasons = score(o.years, d.min_experience_years, has, d.level,
                                        c.passport_expiry, ref, c.status.value,
                                        c.id in returned)
                    order = ((-sc, c.registered_on.isoformat(), c.id), rank, o.years)
                    if c.id not in best or order < best[c.id][0]:
                        best[c.id] = (order, (c.id, d.id, d.isco_code, sc, o.years,
                                              has.value if has else None, age, reasons))
        return [row for _o, row in sorted(best.values(), key=lambda b: b[0])[:limit]]


def fast(app, code: str, limit: int) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(r.candidate.id, r.demand_id, r.isco_code, r.score, r.years, r.language_level,
             r.age, r.reasons) for r in app.matching.match(code, limit=limit)]


def test_fast_matching_ranks_as_the_plain_reading(app):
    load_demo(app, candidates=600, seed=21)
    # Awkward records the fast path must read as the plain one does: a language given twice
    # (the better level counts), an occupation given twice (the better years count), a
    # tombstoned occupation (does not count).
    with app.reading() as s:
        welders = list(s.scalars(select(CandidateOccupation.candidate_id).where(
            CandidateOccupation.isco_code == "7212")))[:9]
    with app.unit_of_work("awkward rows") as s:
        bulk_create(s, CandidateLanguage, [dict(candidate_id=c, language="pl", level="c1")
                                           for c in welders[:3]])
        bulk_create(s, CandidateOccupation, [dict(candidate_id=c, isco_code="7212", years=y)
                                             for c, y in zip(welders[3:6], (0, 9, 30),
                                                             strict=True)])
        bulk_create(s, CandidateOccupation, [dict(candidate_id=c, isco_code="7212", years=40)
                                             for c in welders[6:9]])
        s.execute(update(CandidateOccupation).where(CandidateOccupation.years == 40)
                  .values(deleted=True))
    for limit in (1, 7, 50, 100000):
        plain = reference(app, "PL-IOM-PILOT", limit)
        assert fast(app, "PL-IOM-PILOT", limit) == plain
    assert len(plain) > 60  # (a real field: several demands, ties broken by registration)
    assert {row[2] for row in plain} >= {"7212", "9211", "5120"}
