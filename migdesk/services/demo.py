"""`migdesk demo`: the memo's facts as records, then N synthetic candidates from a seed.

Everything is written in one unit of work (one transaction): a cancelled or failed load
leaves the database as it was. Synthetic people only: names are drawn from common Georgian
names, personal numbers and passports are random.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

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
from migdesk.store.types import utcnow, uuid_from_bits

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
STATUS_WEIGHTS = ((S.REGISTERED, 60), (S.SCREENED, 20), (S.SHORTLISTED, 8), (S.WITHDRAWN, 4),
                  (S.REJECTED, 4), (S.RETURNED, 4))


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
        self.occ_codes, self.occ_w = zip(*OCCUPATIONS, strict=True)
        self.lang_codes, self.lang_w = zip(*LANGUAGES, strict=True)
        self.regions, self.region_w = zip(*REGION_WEIGHTS.items(), strict=True)

    def uid(self) -> str:
        return uuid_from_bits(self.rng.getrandbits(128))

    def personal_number(self) -> str:
        while True:
            pn = f"{self.rng.randrange(1, 62):02d}{self.rng.randrange(0, 10**9):09d}"
            if pn not in self.numbers:
                self.numbers.add(pn)
                return pn

    def person(self, status: S, registered: dt.date) -> dict[str, object]:
        r = self.rng
        sex = Sex.F if r.random() < 0.45 else Sex.M
        first = r.choice(names_ka.FEMALE if sex is Sex.F else names_ka.MALE)
        last = r.choice(names_ka.SURNAMES)
        birth = self.today - dt.timedelta(days=r.randrange(19 * 365, 56 * 365))
        has_passport = r.random() < 0.85
        return {
            "id": self.uid(),
            "personal_number": self.personal_number(),
            "first_name_ka": first, "last_name_ka": last,
            "first_name_lat": passport_form(first), "last_name_lat": passport_form(last),
            "birth_date": birth, "sex": sex,
            "region": r.choices(self.regions, self.region_w)[0],
            "address": None,
            "phone": f"+9955{r.randrange(10**7, 10**8)}",
            "email": None,
            "passport_number": f"{r.randrange(10, 99)}{chr(65 + r.randrange(26))}"
                               f"{chr(65 + r.randrange(26))}{r.randrange(10**4, 10**5)}"
            if has_passport else None,
            "passport_expiry": self.today + dt.timedelta(days=r.randrange(-300, 3650))
            if has_passport else None,
            "education": r.choice((Education.SECONDARY, Education.VOCATIONAL,
                                   Education.VOCATIONAL, Education.BACHELOR, Education.BASIC)),
            "status": status, "registered_on": registered, "notes": None,
        }

    def occupations(self, cid: str, first: str | None = None) -> list[dict[str, object]]:
        codes = {first} if first else set()
        while len(codes) < (1 if first else self.rng.choice((1, 1, 1, 2, 2, 3))):
            codes.add(self.rng.choices(self.occ_codes, self.occ_w)[0])
        return [{"candidate_id": cid, "isco_code": c, "years": self.rng.randrange(0, 21)}
                for c in sorted(codes)]

    def languages(self, cid: str) -> list[dict[str, object]]:
        n = self.rng.choice((0, 1, 1, 2, 2, 3))
        codes = set()
        while len(codes) < n:
            codes.add(self.rng.choices(self.lang_codes, self.lang_w)[0])
        levels = list(CEFR)
        return [{"candidate_id": cid, "language": c,
                 "level": levels[min(5, int(self.rng.triangular(0, 6, 1.5)))]}
                for c in sorted(codes)]


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
    with app.unit_of_work("demo data") as s:
        _refuse_data(s)
        if real_desk:  # with the data, so that a cancelled load leaves no demo/demo behind
            app.accounts.create_demo_accounts(s)
        if app.db.is_sqlite:  # a large page cache keeps a big load from spilling to the WAL
            s.connection().exec_driver_sql("PRAGMA cache_size=-262144")
        fac = _Factory(seed, today)
        counts = _load_facts(s, fac, today)
        total = candidates
        done = 0
        batch = 5000
        while done < total:
            n = min(batch, total - done)
            _load_candidates(s, fac, n, today)
            done += n
            if progress is not None and progress(done, total) is False:
                raise DemoCancelled.of(None, N_("Cancelled; nothing was saved"))
    if app.db.is_sqlite:
        with app.db.engine.connect() as conn:  # statistics for the query planner
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        app.db.engine.dispose()  # drop the connection with the enlarged page cache
    return DemoSummary(*counts, candidates=candidates)


def _refuse_data(s) -> None:  # type: ignore[no-untyped-def]
    if s.scalar(select(func.count()).select_from(PartnerState)) or s.scalar(
            select(func.count()).select_from(Candidate)):
        raise ValidationError.of("database", N_(
            "The database already holds data; demo data is loaded only into an empty "
            "database (give another --db)"))


def _load_facts(s, fac: _Factory, today: dt.date) -> tuple[int, int, int, int, int]:  # type: ignore[no-untyped-def]
    partners: dict[str, PartnerState] = {}

    def partner(code: str, stage: CooperationStage, notes: str | None = None) -> PartnerState:
        p = PartnerState(iso_code=code, stage=stage, notes=notes)
        s.add(p)
        partners[code] = p
        return p

    partner("FR", CooperationStage.IN_FORCE)
    partner("PL", CooperationStage.INTEREST, "IOM-თან თანამშრომლობით მიმდინარეობს "
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
    _load_placed(s, fac, prog, demands)
    return len(partners), 1, visits, 1, F.POLAND_PLACED


def _load_placed(s, fac: _Factory, prog: Program, demands: list[Demand]) -> None:  # type: ignore[no-untyped-def]
    """The Poland pilot's employed citizens: selected, departed, employed (history kept)."""
    people, occs, langs, consents, history, apps, placements = [], [], [], [], [], [], []
    start = dt.datetime(2018, 9, 3, 9, 0, tzinfo=dt.UTC)
    for i in range(F.POLAND_PLACED):
        d = demands[i % len(demands)]
        registered = dt.date(2018, 9, 3) + dt.timedelta(days=i)
        p = fac.person(S.EMPLOYED, registered)
        p["birth_date"] = dt.date(1975 + i % 20, 1 + i % 12, 1 + i % 27)
        p["passport_expiry"] = p["passport_expiry"] or fac.today + dt.timedelta(days=900)
        p["passport_number"] = p["passport_number"] or f"13AB{10000 + i}"
        people.append(p)
        cid = str(p["id"])
        occs.append({"candidate_id": cid, "isco_code": d.isco_code,
                     "years": d.min_experience_years + fac.rng.randrange(0, 8)})
        if d.language:
            langs.append({"candidate_id": cid, "language": d.language, "level": CEFR.B1})
        consents.append({"candidate_id": cid, "given_on": registered, "scope": CONSENT_SCOPE,
                         "form_reference": f"PL-{2018}-{i + 1:03d}"})
        prev = None
        t = start + dt.timedelta(days=i)
        for step in (S.REGISTERED, S.SCREENED, S.SHORTLISTED, S.SELECTED, S.DEPARTED,
                     S.EMPLOYED):
            history.append({"candidate_id": cid, "from_status": prev, "to_status": step,
                            "changed_at": t, "officer": "demo", "program_id": prog.id,
                            "reason": "პილოტური პროექტი: შერჩევა და დასაქმება"})
            prev, t = step, t + dt.timedelta(days=20)
        apps.append({"candidate_id": cid, "program_id": prog.id, "demand_id": d.id,
                     "applied_on": registered, "status": ApplicationStatus.PLACED})
        placements.append({
            "candidate_id": cid, "program_id": prog.id,
            "employer": F.POLAND_EMPLOYERS[i % len(F.POLAND_EMPLOYERS)], "country": "PL",
            "city": ("ვროცლავი", "ლოძი", "პოზნანი", "ვარშავა", "გდანსკი")[i % 5],
            "isco_code": d.isco_code, "start_date": dt.date(2019, 3, 1) + dt.timedelta(days=i),
            "end_date": None, "wage_amount": Decimal(3200 + 50 * (i % 12)),
            "wage_currency": "PLN", "wage_period": "month"})
    bulk_create(s, Candidate, people)
    for model, rows in ((CandidateOccupation, occs), (CandidateLanguage, langs),
                        (Consent, consents), (StatusChange, history), (Application, apps),
                        (Placement, placements)):
        bulk_create(s, model, rows)


def _load_candidates(s, fac: _Factory, n: int, today: dt.date) -> None:  # type: ignore[no-untyped-def]
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    people, occs, langs, consents, history = [], [], [], [], []
    now = utcnow()
    for _ in range(n):
        status = fac.rng.choices(statuses, weights)[0]
        registered = today - dt.timedelta(days=fac.rng.randrange(1, 900))
        p = fac.person(status, registered)
        people.append(p)
        cid = str(p["id"])
        occs.extend(fac.occupations(cid))
        langs.extend(fac.languages(cid))
        consents.append({"candidate_id": cid, "given_on": registered, "scope": CONSENT_SCOPE,
                         "form_reference": None})
        reg_at = now - dt.timedelta(seconds=fac.rng.randrange(3600, 86400))
        history.append({"candidate_id": cid, "from_status": None, "to_status": S.REGISTERED,
                        "changed_at": reg_at, "officer": "demo", "reason": "registration",
                        "program_id": None})
        path = {S.SCREENED: (S.SCREENED,), S.SHORTLISTED: (S.SCREENED, S.SHORTLISTED),
                S.WITHDRAWN: (S.WITHDRAWN,), S.REJECTED: (S.SCREENED, S.REJECTED),
                S.RETURNED: (S.SCREENED, S.SHORTLISTED, S.SELECTED, S.DEPARTED, S.EMPLOYED,
                             S.RETURNED)}.get(status, ())
        prev = S.REGISTERED
        for k, step in enumerate(path, start=1):
            history.append({"candidate_id": cid, "from_status": prev, "to_status": step,
                            "changed_at": reg_at + dt.timedelta(minutes=k), "officer": "demo",
                            "reason": "demo", "program_id": None})
            prev = step
    bulk_create(s, Candidate, people)
    bulk_create(s, CandidateOccupation, occs)
    bulk_create(s, CandidateLanguage, langs)
    bulk_create(s, Consent, consents)
    bulk_create(s, StatusChange, history)


__all__ = ["DemoCancelled", "DemoSummary", "load_demo", "REGIONS"]
