"""`migdesk demo`: the memo's facts as records, then N synthetic candidates from a seed.

Everything is written in one unit of work (one transaction): a cancelled or failed load
leaves the database as it was. Synthetic people only: names are drawn from common Georgian
names, personal numbers and passports are random.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import Any

from sqlalchemy import func, select

from migdesk.domain.data import names_ka
from migdesk.domain.errors import MigdeskError, ValidationError
from migdesk.domain.names import passport_form
from migdesk.domain.partial_date import PartialDate
from migdesk.domain.places import REGIONS
from migdesk.domain.roles import Permission
from migdesk.domain.statuses import CandidateStatus as S
from migdesk.domain.vocab import (
    CEFR,
    ActionStatus,
    AgreementKind,
    ApplicationStatus,
    CooperationStage,
    Education,
    IndicatorKind,
    MilestoneKind,
    ProgramKind,
    ProgramStatus,
    Sex,
    VisitDirection,
)
from migdesk.i18n import N_
from migdesk.services import demo_facts as F
from migdesk.store import db as store_db
from migdesk.store.bulk import paused_gc, rollback_journal
from migdesk.store.journal import bulk_create
from migdesk.store.people import (
    Application,
    Candidate,
    CandidateLanguage,
    CandidateOccupation,
    Consent,
    Placement,
    StatusChange,
)
from migdesk.store.reference import (
    Agreement,
    Assessment,
    Demand,
    FollowUp,
    Indicator,
    Milestone,
    PartnerState,
    Program,
    Visit,
)
from migdesk.store.types import uuid_from_bits

Progress = Callable[[int, int], bool]  # (done, total) -> keep going?

CONSENT_SCOPE = ("პერსონალური მონაცემების დამუშავება ცირკულარული მიგრაციის პროგრამებში "
                 "შერჩევისა და დასაქმების მიზნით")
# Occupations synthetic candidates report, weighted towards what partners ask for.
OCCUPATIONS = (("9211", 14), ("7212", 8), ("8332", 7), ("7115", 7), ("7411", 5), ("5120", 8),
               ("5322", 8), ("9112", 6), ("7112", 5), ("9313", 6), ("7231", 4), ("5131", 5),
               ("8322", 5), ("6111", 4), ("2221", 2), ("3221", 3), ("7512", 3), ("9412", 3),
               ("2512", 1), ("7126", 3))
LANGUAGES = (("en", 40), ("ru", 55), ("pl", 12), ("de", 10), ("fr", 6), ("he", 3), ("el", 3))
REGION_WEIGHTS = {"GE-TB": 30, "GE-IM": 14, "GE-KK": 9, "GE-AJ": 9, "GE-SZ": 9, "GE-KA": 8,
                  "GE-SK": 7, "GE-SJ": 4, "GE-MM": 3, "GE-GU": 3, "GE-RL": 1, "GE-AB": 1}
# The pool's statuses (per thousand). Those who reached the Poland pilot (shortlisted or
# further) have its application; the departed and returned have its placement too. The
# pilot's employed citizens are the memo's cohort (`_load_placed`), so none are drawn here.
STATUS_WEIGHTS = ((S.REGISTERED, 566), (S.SCREENED, 200), (S.SHORTLISTED, 80),
                  (S.SELECTED, 10), (S.DEPARTED, 4), (S.RETURNED, 40), (S.WITHDRAWN, 50),
                  (S.REJECTED, 50))
# The steps after registration that lead to each status.
_PATHS = {
    S.REGISTERED: (),
    S.SCREENED: (S.SCREENED,),
    S.SHORTLISTED: (S.SCREENED, S.SHORTLISTED),
    S.SELECTED: (S.SCREENED, S.SHORTLISTED, S.SELECTED),
    S.DEPARTED: (S.SCREENED, S.SHORTLISTED, S.SELECTED, S.DEPARTED),
    S.EMPLOYED: (S.SCREENED, S.SHORTLISTED, S.SELECTED, S.DEPARTED, S.EMPLOYED),
    S.RETURNED: (S.SCREENED, S.SHORTLISTED, S.SELECTED, S.DEPARTED, S.EMPLOYED, S.RETURNED),
    S.WITHDRAWN: (S.WITHDRAWN,),
    S.REJECTED: (S.SCREENED, S.REJECTED),
}
# Days from the step before (lo, hi); the return is the placement's length plus the journey.
_GAPS = {S.SCREENED: (3, 45), S.SHORTLISTED: (7, 60), S.SELECTED: (14, 75),
         S.DEPARTED: (20, 90), S.EMPLOYED: (1, 7), S.RETURNED: (120, 540),
         S.WITHDRAWN: (5, 120), S.REJECTED: (5, 60)}
_REASONS = {
    S.REGISTERED: "რეგისტრაცია",
    S.SCREENED: "გასაუბრება და დოკუმენტების შემოწმება",
    S.SHORTLISTED: "წინასწარ შეირჩა პილოტური პროექტისთვის",
    S.SELECTED: "შეირჩა დამსაქმებელთან გასაუბრების შემდეგ",
    S.DEPARTED: "გაემგზავრა პოლონეთში",
    S.EMPLOYED: "დასაქმდა",
    S.RETURNED: "დაბრუნდა საქართველოში კონტრაქტის დასრულების შემდეგ",
    S.WITHDRAWN: "კანდიდატმა უარი თქვა მონაწილეობაზე",
    S.REJECTED: "არ აკმაყოფილებს მოთხოვნებს",
}
# Who makes each move (the demo's accounts): selection and refusal are a supervisor's.
_OFFICERS = {S.SELECTED: "demo-supervisor", S.REJECTED: "demo-supervisor"}
_APPLICATION = {S.SHORTLISTED: ApplicationStatus.SHORTLISTED,
                S.SELECTED: ApplicationStatus.SELECTED}
# The desk registers anyone from 2020 (the pilot's first cohort came through IOM in 2018).
OPEN_FROM = dt.date(2020, 1, 1)
_CITIES = ("ვროცლავი", "ლოძი", "პოზნანი", "ვარშავა", "გდანსკი")
_EDUCATION = (Education.SECONDARY, Education.VOCATIONAL, Education.VOCATIONAL,
              Education.BACHELOR, Education.BASIC)


def _at(day: dt.date, minute: int) -> dt.datetime:
    """A moment in office hours (09:00–18:00 in Tbilisi, UTC+4) on `day`."""
    return dt.datetime(day.year, day.month, day.day, 5, tzinfo=dt.UTC) + dt.timedelta(
        minutes=minute)


class DemoCancelled(MigdeskError):
    exit_code = 130


@dataclass(frozen=True)
class DemoSummary:
    partners: int
    agreements: int
    visits: int
    programs: int
    placed: int
    candidates: int


class _Factory:
    """Synthetic people from one random generator (same seed, same people and ids)."""

    def __init__(self, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.numbers: set[str] = set()
        self.occ_codes, self.occ_cum = _cumulative(OCCUPATIONS)
        self.lang_codes, self.lang_cum = _cumulative(LANGUAGES)
        self.regions, self.region_cum = _cumulative(tuple(REGION_WEIGHTS.items()))
        # Names come from short lists: each is romanised once.
        self.latin = {n: passport_form(n)
                      for n in (*names_ka.FEMALE, *names_ka.MALE, *names_ka.SURNAMES)}

    def pick(self, items: tuple, cum: list[float]):  # type: ignore[no-untyped-def,type-arg]
        return items[bisect(cum, self.rng.random() * cum[-1])]

    def uid(self) -> str:
        return uuid_from_bits(self.rng.getrandbits(128))

    def personal_number(self) -> str:
        rnd = self.rng.random
        while True:
            pn = f"{1 + int(rnd() * 61):02d}{int(rnd() * 10**9):09d}"
            if pn not in self.numbers:
                self.numbers.add(pn)
                return pn

    def born(self, on: dt.date, lo: int, hi: int) -> dt.date:
        """A birth date that makes the person lo…hi years old on `on`."""
        rnd = self.rng.random
        age = lo + int(rnd() * (hi - lo + 1))
        try:
            anniversary = on.replace(year=on.year - age)
        except ValueError:  # 29 February
            anniversary = on.replace(year=on.year - age, day=28)
        return anniversary - dt.timedelta(days=1 + int(rnd() * 359))

    def person(self, status: S, registered: dt.date) -> dict[str, object]:
        rnd = self.rng.random  # int(rnd() * n): randrange's exactness is not needed here
        sex = Sex.F if rnd() < 0.45 else Sex.M
        given = names_ka.FEMALE if sex is Sex.F else names_ka.MALE
        first = given[int(rnd() * len(given))]
        last = names_ka.SURNAMES[int(rnd() * len(names_ka.SURNAMES))]
        has_passport = rnd() < 0.85
        return {
            "id": self.uid(),
            "personal_number": self.personal_number(),
            "first_name_ka": first, "last_name_ka": last,
            "first_name_lat": self.latin[first], "last_name_lat": self.latin[last],
            "birth_date": self.born(registered, 18, 55), "sex": sex,
            "region": self.pick(self.regions, self.region_cum),
            "address": None,
            "phone": f"+9955{10**7 + int(rnd() * 9 * 10**7)}",
            "email": None,
            "passport_number": f"{10 + int(rnd() * 89)}{chr(65 + int(rnd() * 26))}"
                               f"{chr(65 + int(rnd() * 26))}{10**4 + int(rnd() * 9 * 10**4)}"
            if has_passport else None,
            "passport_expiry": self.today + dt.timedelta(days=int(rnd() * 3950) - 300)
            if has_passport else None,
            "education": _EDUCATION[int(rnd() * len(_EDUCATION))],
            "status": status, "registered_on": registered, "notes": None,
        }

    def occupations(self, cid: str, first: str | None = None,
                    first_years: int | None = None) -> list[dict[str, object]]:
        codes = {first} if first else set()
        while len(codes) < (1 if first else self.rng.choice((1, 1, 1, 2, 2, 3))):
            codes.add(self.pick(self.occ_codes, self.occ_cum))
        return [{"candidate_id": cid, "isco_code": c,
                 "years": first_years if c == first and first_years is not None
                 else self.rng.randrange(0, 21)}
                for c in sorted(codes)]

    def languages(self, cid: str, needs: str | None = None,
                  at_least: CEFR | None = None) -> list[dict[str, object]]:
        n = self.rng.choice((0, 1, 1, 2, 2, 3))
        codes = set()
        while len(codes) < n:
            codes.add(self.pick(self.lang_codes, self.lang_cum))
        levels = list(CEFR)
        out = []
        for c in sorted(codes | ({needs} if needs else set())):
            level = levels[min(5, int(self.rng.triangular(0, 6, 1.5)))]
            if c == needs and at_least is not None and level.rank < at_least.rank:
                level = at_least
            out.append({"candidate_id": cid, "language": c, "level": level})
        return out


def _cumulative(weighted: tuple) -> tuple[tuple, list[float]]:  # type: ignore[type-arg]
    items, weights = zip(*weighted, strict=True)
    return items, list(accumulate(weights))


def load_demo(app, candidates: int = 300, seed: int = 2019,  # type: ignore[no-untyped-def]
              progress: Progress | None = None) -> DemoSummary:
    """Load the memo's facts and `candidates` synthetic candidates into an empty database."""
    if not 0 <= candidates <= 1_000_000:
        raise ValidationError.of("candidates", N_("Must be between {lo} and {hi}"),
                                 lo=0, hi=1_000_000)
    today = app.today()
    with app.reading() as s:
        _refuse_data(s)
    real_desk = app.signed_in or app.accounts.any()
    if real_desk:
        app.require(Permission.SETTINGS)  # a real desk's administrator (or: sign in first)
    else:  # a new database: its demo accounts first, to sign in as the demo administrator
        app.accounts.create_demo_accounts()
        app.sign_in("demo", "demo")
    with paused_gc(), _load_connection(app) as bind, \
            app.unit_of_work("demo data", bind=bind) as s:
        _refuse_data(s)
        if real_desk:  # with the data, so that a cancelled load leaves no demo/demo behind
            app.accounts.create_demo_accounts(s)
        if app.db.is_sqlite:  # a large page cache keeps a big load from spilling to the WAL
            s.connection().exec_driver_sql("PRAGMA cache_size=-262144")
        fac = _Factory(seed, today)
        counts, pilot = _load_facts(s, fac, today)
        total = candidates
        done = 0
        batch = 5000
        while done < total:
            n = min(batch, total - done)
            _load_candidates(s, fac, n, pilot)
            done += n
            if progress is not None and progress(done, total) is False:
                raise DemoCancelled.of(None, N_("Cancelled; nothing was saved"))
    if app.db.is_sqlite:
        with app.db.engine.connect() as conn:  # statistics for the query planner
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        app.db.engine.dispose()  # drop the connection with the enlarged page cache
    return DemoSummary(*counts, candidates=candidates)


@contextmanager
def _load_connection(app) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """The connection the demo is written through. On a SQLite file, one of its own, with a
    rollback journal for the load when no other connection has the file open (store/bulk.py:
    every new page written once, not into the WAL and again at the checkpoint); the demo
    goes into an empty database, which is when that pays. Elsewhere: the pool's (None)."""
    engine = app.db.engine
    if not store_db.is_sqlite_file(engine):
        yield None
        return
    engine.dispose()  # idle pooled connections (the checks before) would keep the file open
    with engine.connect() as conn:
        conn.rollback()
        with rollback_journal(conn.connection.driver_connection):
            yield conn


def _refuse_data(s) -> None:  # type: ignore[no-untyped-def]
    if s.scalar(select(func.count()).select_from(PartnerState)) or s.scalar(
            select(func.count()).select_from(Candidate)):
        raise ValidationError.of("database", N_(
            "The database already holds data; demo data is loaded only into an empty "
            "database (give another --db)"))


def _load_facts(s, fac: _Factory,  # type: ignore[no-untyped-def]
                today: dt.date) -> tuple[tuple[int, int, int, int, int], _Pilot]:
    partners: dict[str, PartnerState] = {}

    def partner(code: str, stage: CooperationStage, notes: str | None = None) -> PartnerState:
        p = PartnerState(iso_code=code, stage=stage, notes=notes)
        s.add(p)
        partners[code] = p
        return p

    partner("FR", CooperationStage.IN_FORCE)
    partner("PL", CooperationStage.PILOT, "IOM-თან თანამშრომლობით მიმდინარეობს "
            "ცირკულარული მიგრაციის პილოტური პროექტი")
    partner("IL", CooperationStage.NEGOTIATING, "მიმდინარეობს მუშაობა ხელშეკრულებების "
            "გასაფორმებლად")
    for code in F.EXPLORING + tuple(c for c in F.READY if c not in F.EXPLORING):
        partner(code, CooperationStage.INTEREST if code in F.READY else CooperationStage.EXPLORING)
    partner("BG", CooperationStage.NOT_ADVISABLE)
    s.flush()

    for code in F.READY:
        s.add(Assessment(partner_id=partners[code].id, assessed_on=PartialDate(2019),
                         decision=CooperationStage.INTEREST,
                         rationale="უკვე გამოხატავს თანამშრომლობის მზაობას"))
    bg = F.BULGARIA
    assessment = Assessment(partner_id=partners["BG"].id,
                            assessed_on=PartialDate.parse(bg["assessed_on"]),
                            decision=CooperationStage.NOT_ADVISABLE, rationale=bg["rationale"])
    s.add(assessment)
    s.flush()
    ind = bg["indicator"]
    s.add(Indicator(assessment_id=assessment.id, kind=IndicatorKind.MINIMUM_WAGE,
                    value=Decimal(ind["value"]), currency=ind["currency"], unit=ind["unit"],
                    as_of=PartialDate.parse(ind["as_of"]), source_name=ind["source_name"],
                    source_url=ind["source_url"]))

    fa = F.FRANCE_AGREEMENT
    agreement = Agreement(partner_id=partners["FR"].id, kind=AgreementKind(fa["kind"]),
                          title_ka=fa["title_ka"], title_en=fa["title_en"], notes=fa["notes"])
    s.add(agreement)
    s.flush()
    for kind, date, place, note in F.FRANCE_MILESTONES:
        s.add(Milestone(agreement_id=agreement.id, kind=MilestoneKind(kind),
                        date=PartialDate.parse(date) if date else None, place=place, note=note))

    visits = 0
    for data, agreement_id, follow_ups in ((F.PARIS_VISIT, agreement.id, ()),
                                           (F.ISRAEL_VISIT, None, F.ISRAEL_FOLLOW_UPS)):
        v = Visit(direction=VisitDirection(data["direction"]), country=data["country"],
                  city=data["city"], start_date=dt.date.fromisoformat(data["start_date"]),
                  end_date=None, lead_agency=data["lead_agency"],
                  participants=data["participants"], purpose=data["purpose"],
                  outcomes=data["outcomes"], agreement_id=agreement_id)
        s.add(v)
        s.flush()
        visits += 1
        for action in follow_ups:
            s.add(FollowUp(visit_id=v.id, action=action, responsible=F.MINISTRY,
                           due_date=None, status=ActionStatus.OPEN))

    pp = F.POLAND_PILOT
    prog = Program(code=pp["code"], name_ka=pp["name_ka"], name_en=pp["name_en"],
                   kind=ProgramKind(pp["kind"]), partner_id=partners["PL"].id,
                   partner_org=pp["partner_org"], status=ProgramStatus(pp["status"]),
                   start_date=dt.date.fromisoformat(pp["start_date"]),
                   description=pp["description"])
    s.add(prog)
    s.flush()
    demands = []
    for code, quota, lang, level, years, lo, hi in F.POLAND_DEMAND:
        d = Demand(program_id=prog.id, isco_code=code, quota=quota, language=lang,
                   level=CEFR(level) if level else None, min_experience_years=years,
                   min_age=lo, max_age=hi)
        s.add(d)
        demands.append(d)
    s.flush()
    pilot = _Pilot(prog.id, [(d.id, d.isco_code, d.min_experience_years, d.language, d.level,
                              d.min_age, d.max_age) for d in demands])
    _load_placed(s, fac, pilot)
    return (len(partners), 1, visits, 1, F.POLAND_PLACED), pilot


@dataclass
class _Pilot:
    """The Poland pilot as the candidates' rows need it: its id and demands."""

    program_id: str
    demands: list[tuple[str, str, int, str | None, CEFR | None, int, int]]  # id, isco, years…


@dataclass
class _Rows:
    people: list[dict[str, object]] = field(default_factory=list)
    occs: list[dict[str, object]] = field(default_factory=list)
    langs: list[dict[str, object]] = field(default_factory=list)
    consents: list[dict[str, object]] = field(default_factory=list)
    history: list[dict[str, object]] = field(default_factory=list)
    apps: list[dict[str, object]] = field(default_factory=list)
    placements: list[dict[str, object]] = field(default_factory=list)

    def write(self, s) -> None:  # type: ignore[no-untyped-def]
        bulk_create(s, Candidate, self.people)
        for model, rows in ((CandidateOccupation, self.occs), (CandidateLanguage, self.langs),
                            (Consent, self.consents), (StatusChange, self.history),
                            (Application, self.apps), (Placement, self.placements)):
            bulk_create(s, model, rows)


def _steps(rows: _Rows, fac: _Factory, cid: str, days: list[tuple[S, dt.date]],
           program_id: str | None) -> None:
    """The status history of one candidate, one row per (status, day), in office hours;
    the programme is named from the shortlisting on (as `programs.advance` does)."""
    prev: S | None = None
    rng = fac.rng
    for step, day in days:
        in_programme = program_id if step not in (S.REGISTERED, S.SCREENED, S.WITHDRAWN,
                                                  S.REJECTED) else None
        rows.history.append({
            "candidate_id": cid, "from_status": prev, "to_status": step,
            "changed_at": _at(day, rng.randrange(0, 540)),
            "officer": _OFFICERS.get(step, "demo-officer"), "reason": _REASONS[step],
            "program_id": in_programme})
        prev = step


def _placement(fac: _Factory, cid: str, pilot: _Pilot, k: int, start: dt.date,
               end: dt.date | None, returned: dt.date | None) -> dict[str, object]:
    did, isco, *_ = pilot.demands[k]
    return {"candidate_id": cid, "program_id": pilot.program_id,
            "employer": F.POLAND_EMPLOYERS[k % len(F.POLAND_EMPLOYERS)], "country": "PL",
            "city": _CITIES[fac.rng.randrange(len(_CITIES))], "isco_code": isco,
            "start_date": start, "end_date": end,
            "wage_amount": Decimal(3200 + 50 * fac.rng.randrange(12)),
            "wage_currency": "PLN", "wage_period": "month", "returned_on": returned,
            "return_note": "კონტრაქტი დასრულდა" if returned else None}


def _load_placed(s, fac: _Factory, pilot: _Pilot) -> None:  # type: ignore[no-untyped-def]
    """The Poland pilot's first cohort, the memo's "more than 40 citizens employed":
    registered in autumn 2018, selected that winter, departed and employed from March 2019,
    still at work (open-ended contracts)."""
    rows = _Rows()
    for i in range(F.POLAND_PLACED):
        k = i % len(pilot.demands)
        did, isco, min_years, language, level, _lo, _hi = pilot.demands[k]
        registered = dt.date(2018, 9, 3) + dt.timedelta(days=i)
        p = fac.person(S.EMPLOYED, registered)
        p["birth_date"] = dt.date(1975 + i % 20, 1 + i % 12, 1 + i % 27)
        p["passport_expiry"] = p["passport_expiry"] or fac.today + dt.timedelta(days=900)
        p["passport_number"] = p["passport_number"] or f"13AB{10000 + i}"
        rows.people.append(p)
        cid = str(p["id"])
        rows.occs.append({"candidate_id": cid, "isco_code": isco,
                          "years": min_years + fac.rng.randrange(0, 8)})
        if language:
            rows.langs.append({"candidate_id": cid, "language": language, "level": CEFR.B1})
        rows.consents.append({"candidate_id": cid, "given_on": registered,
                              "scope": CONSENT_SCOPE, "form_reference": f"PL-2018-{i + 1:03d}"})
        shortlisted = registered + dt.timedelta(days=35)
        start = dt.date(2019, 3, 1) + dt.timedelta(days=i)
        _steps(rows, fac, cid, [
            (S.REGISTERED, registered), (S.SCREENED, registered + dt.timedelta(days=14)),
            (S.SHORTLISTED, shortlisted),
            (S.SELECTED, dt.date(2019, 1, 10) + dt.timedelta(days=i // 2)),
            (S.DEPARTED, start - dt.timedelta(days=4)), (S.EMPLOYED, start)],
            pilot.program_id)
        rows.apps.append({"candidate_id": cid, "program_id": pilot.program_id, "demand_id": did,
                          "applied_on": shortlisted, "status": ApplicationStatus.PLACED})
        rows.placements.append(_placement(fac, cid, pilot, k, start, None, None))
    rows.write(s)


def _timeline(fac: _Factory, status: S, open_from: dt.date
              ) -> tuple[list[tuple[S, dt.date]], dt.date | None, dt.date | None]:
    """The dated steps to `status`, all before today, registered no earlier than
    `open_from` (more of them recently); with the placement's start and end where there
    is one (a departed candidate starts work in the coming days)."""
    rng, today = fac.rng, fac.today
    path = _PATHS[status]
    gaps = [rng.randint(*_GAPS[step]) for step in path]
    if status is S.DEPARTED:  # left in the last days; the work starts soon
        last = today - dt.timedelta(days=rng.randint(1, 6))
    else:
        last = today - dt.timedelta(days=rng.randint(1, 20))
    latest = last - dt.timedelta(days=sum(gaps))
    span = max(0, (latest - open_from).days)
    registered = latest - dt.timedelta(days=int(span * rng.random() ** 1.6))
    days = [(S.REGISTERED, registered)]
    day = registered
    for step, gap in zip(path, gaps, strict=True):
        day += dt.timedelta(days=gap)
        days.append((step, day))
    start = end = None
    if status is S.DEPARTED:
        start = today + dt.timedelta(days=rng.randint(1, 10))
        end = start + dt.timedelta(days=rng.randint(180, 540))
    elif status is S.RETURNED:
        start = days[-2][1]  # employed on the first day of work
        end = days[-1][1] - dt.timedelta(days=rng.randint(0, min(14, gaps[-1] - 1)))
    return days, start, end


def _load_candidates(s, fac: _Factory, n: int, pilot: _Pilot) -> None:  # type: ignore[no-untyped-def]
    statuses, cum = _cumulative(STATUS_WEIGHTS)
    rows = _Rows()
    open_from = min(OPEN_FROM, fac.today - dt.timedelta(days=1500))
    for _ in range(n):
        status = fac.pick(statuses, cum)
        days, start, end = _timeline(fac, status, open_from)
        registered = days[0][1]
        p = fac.person(status, registered)
        cid = str(p["id"])
        rows.people.append(p)
        shortlisted = next((d for st, d in days if st is S.SHORTLISTED), None)
        if shortlisted is None or status is S.WITHDRAWN:  # not put forward for the pilot
            rows.occs.extend(fac.occupations(cid))
            rows.langs.extend(fac.languages(cid))
            _steps(rows, fac, cid, days, None)
        else:  # put forward for one of the pilot's demands, which they meet
            k = fac.rng.randrange(len(pilot.demands))
            did, isco, min_years, language, level, lo, hi = pilot.demands[k]
            p["birth_date"] = fac.born(shortlisted, max(lo, 19), hi)  # adult when registered
            rows.occs.extend(fac.occupations(cid, isco, min_years + fac.rng.randrange(0, 12)))
            rows.langs.extend(fac.languages(cid, language, level))
            _steps(rows, fac, cid, days, pilot.program_id)
            rows.apps.append({
                "candidate_id": cid, "program_id": pilot.program_id, "demand_id": did,
                "applied_on": shortlisted - dt.timedelta(days=fac.rng.randrange(0, 3)),
                "status": _APPLICATION.get(status, ApplicationStatus.PLACED)})
            if start is not None:
                r = fac.rng
                if p["passport_number"] is None:  # they travelled: they have one
                    p["passport_number"] = f"{r.randrange(10, 99)}GE{r.randrange(10**4, 10**5)}"
                travel = end or start
                expiry = p["passport_expiry"]
                if not isinstance(expiry, dt.date) or expiry < travel:
                    p["passport_expiry"] = travel + dt.timedelta(days=r.randrange(180, 3000))
                returned = days[-1][1] if status is S.RETURNED else None
                rows.placements.append(_placement(fac, cid, pilot, k, start, end, returned))
        rows.consents.append({"candidate_id": cid, "given_on": registered,
                              "scope": CONSENT_SCOPE, "form_reference": None})
    rows.write(s)


__all__ = ["DemoCancelled", "DemoSummary", "load_demo", "REGIONS"]
