"""Programmes (schemes, pilots), their demanded occupations, applications and placements."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from migdesk.domain import isco, places
from migdesk.domain.errors import NotFound, ValidationError, Validator
from migdesk.domain.roles import Permission
from migdesk.domain.statuses import PATH, CandidateStatus, check_transition
from migdesk.domain.vocab import CEFR, ApplicationStatus, ProgramKind, ProgramStatus
from migdesk.i18n import N_
from migdesk.services.candidates import resolve
from migdesk.services.dto import DemandView, ProgramView, Saved
from migdesk.services.partners import _amount, get_partner
from migdesk.services.records import tombstone
from migdesk.services.validation import (
    as_date,
    as_int,
    check_version,
    opt_text,
    req_date,
    req_text,
)
from migdesk.store.people import Application, Placement, StatusChange
from migdesk.store.reference import Agreement, Demand, Program
from migdesk.store.types import monotonic_utcnow

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_.]{0,39}$")


@dataclass
class DemandInput:
    isco_code: str
    quota: int | str | None = None
    language: str | None = None
    level: str | None = None
    min_experience_years: int | str = 0
    min_age: int | str | None = None
    max_age: int | str | None = None
    notes: str | None = None


def _check_demand(inp: DemandInput) -> dict[str, object]:
    v = Validator()
    out = {
        "isco_code": v.check("occupation", isco.parse_unit_code, inp.isco_code),
        "quota": v.check("quota", as_int, inp.quota, 1, 1_000_000),
        "language": v.check("language", places.parse_language, inp.language)
        if inp.language else None,
        "level": v.check("level", CEFR.parse, inp.level) if inp.level else None,
        "min_experience_years": v.check("years", as_int, inp.min_experience_years, 0, 60) or 0,
        "min_age": v.check("min_age", as_int, inp.min_age, 16, 80),
        "max_age": v.check("max_age", as_int, inp.max_age, 16, 80),
        "notes": v.check("notes", opt_text, inp.notes, 4000),
    }
    if out["level"] and not out["language"]:
        v.add("language", N_("Give the language for the level"))
    if out["min_age"] and out["max_age"] and out["min_age"] > out["max_age"]:  # type: ignore[operator]
        v.add("max_age", N_("The maximum age is below the minimum age"))
    v.raise_if_any()
    return out


def _check_fields(v: Validator, name_ka: str, name_en: str, status: str,
                  partner_org: str | None, start_date: str | dt.date | None,
                  end_date: str | dt.date | None, description: str | None
                  ) -> dict[str, object]:
    """The fields a programme's form edits, checked into `v` (shared by add and update)."""
    values: dict[str, object] = {
        "name_ka": v.check("name_ka", req_text, name_ka, 500),
        "name_en": v.check("name_en", req_text, name_en, 500),
        "status": v.check("status", ProgramStatus.parse, status),
        "partner_org": v.check("partner_org", opt_text, partner_org, 200),
        "start_date": v.check("start_date", as_date, start_date),
        "end_date": v.check("end_date", as_date, end_date),
        "description": v.check("description", opt_text, description, 8000),
    }
    if values["start_date"] and values["end_date"] and \
            values["end_date"] < values["start_date"]:  # type: ignore[operator]
        v.add("end_date", N_("The end date is before the start date"))
    return values


def demand_view(d: Demand) -> DemandView:
    occ = isco.classification().get(d.isco_code)
    return DemandView(d.id, d.program_id, d.isco_code, occ.title_ka if occ else "",
                      occ.title_en if occ else "", d.quota, d.language,
                      d.level.value if d.level else None, d.min_experience_years, d.min_age,
                      d.max_age, d.notes, d.version)


def get_program(s: Session, ref: str) -> Program:
    ref = (ref or "").strip()
    p = s.get(Program, ref)
    if p is None:
        p = s.scalars(select(Program).where(Program.code == ref,
                                            Program.deleted.is_(False))).first()
    if p is None or p.deleted:
        raise NotFound.of("program", N_("No programme “{ref}”"), ref=ref)
    return p


class ProgramService:
    def __init__(self, app: Migdesk) -> None:
        self.app = app

    def add(self, code: str, name_ka: str, name_en: str, kind: str, partner: str,
            status: str = "active", partner_org: str | None = None,
            agreement_id: str | None = None, start_date: str | dt.date | None = None,
            end_date: str | dt.date | None = None, description: str | None = None,
            demands: list[DemandInput] | None = None) -> Saved:
        self.app.require(Permission.EDIT_RECORDS)
        v = Validator()
        if not _CODE.match((code or "").strip()):
            v.add("code", N_("A short code of Latin letters, digits and dashes, e.g. {example}"),
                  example="PL-PILOT-2019")
        values = {"code": (code or "").strip(), "kind": v.check("kind", ProgramKind.parse, kind),
                  **_check_fields(v, name_ka, name_en, status, partner_org, start_date,
                                  end_date, description)}
        checked = []
        for d in demands or []:
            try:
                checked.append(_check_demand(d))
            except ValidationError as exc:
                v.errors.extend(exc.errors)
        v.raise_if_any()
        with self.app.unit_of_work() as s:
            if s.scalars(select(Program).where(Program.code == values["code"],
                                               Program.deleted.is_(False))).first():
                raise ValidationError.of("code", N_("The code {code} is taken"),
                                         code=values["code"])
            p_state = get_partner(s, partner)
            if agreement_id and s.get(Agreement, agreement_id) is None:
                raise NotFound.of("agreement", N_("No agreement “{ref}”"), ref=agreement_id)
            prog = Program(partner_id=p_state.id, agreement_id=agreement_id or None, **values)
            s.add(prog)
            s.flush()
            for demand in checked:
                s.add(Demand(program_id=prog.id, **demand))
            s.flush()
            return Saved(prog.id, prog.version)

    def update(self, ref: str, name_ka: str, name_en: str, status: str,
               partner_org: str | None = None, start_date: str | dt.date | None = None,
               end_date: str | dt.date | None = None, description: str | None = None,
               expected_version: int | None = None, kind: str | None = None) -> Saved:
        self.app.require(Permission.EDIT_RECORDS)
        v = Validator()
        values = _check_fields(v, name_ka, name_en, status, partner_org, start_date, end_date,
                               description)
        if kind is not None:
            values["kind"] = v.check("kind", ProgramKind.parse, kind)
        v.raise_if_any()
        with self.app.unit_of_work() as s:
            prog = get_program(s, ref)
            check_version(prog.version, expected_version)
            for k, val in values.items():
                if getattr(prog, k) != val:
                    setattr(prog, k, val)
            s.flush()
            return Saved(prog.id, prog.version)

    def remove_demand(self, demand_id: str, reason: str) -> Saved:
        return tombstone(self.app, "demand", demand_id, reason)

    def add_demand(self, program: str, inp: DemandInput) -> Saved:
        self.app.require(Permission.EDIT_RECORDS)
        values = _check_demand(inp)
        with self.app.unit_of_work() as s:
            prog = get_program(s, program)
            d = Demand(program_id=prog.id, **values)
            s.add(d)
            s.flush()
            return Saved(d.id, d.version)

    def update_demand(self, demand_id: str, inp: DemandInput,
                      expected_version: int | None = None) -> Saved:
        """Mend a demanded occupation: the same rules as adding one."""
        self.app.require(Permission.EDIT_RECORDS)
        values = _check_demand(inp)
        with self.app.unit_of_work() as s:
            d = s.get(Demand, demand_id)
            if d is None or d.deleted:
                raise NotFound.of("occupation", N_("No such demand in this programme"))
            check_version(d.version, expected_version)
            for k, val in values.items():
                if getattr(d, k) != val:
                    setattr(d, k, val)
            s.flush()
            return Saved(d.id, d.version)

    def list(self) -> list[ProgramView]:
        with self.app.reading() as s:
            progs = s.scalars(select(Program).where(Program.deleted.is_(False))
                              .options(selectinload(Program.demands))
                              .order_by(Program.start_date, Program.code)).all()
            counts = self._counts(s)
            return [self._view(p, counts) for p in progs]

    def get(self, ref: str) -> ProgramView:
        with self.app.reading() as s:
            p = get_program(s, ref)
            return self._view(p, self._counts(s, p.id))

    # -- applications and placements ----------------------------------------------------------
    def apply(self, candidate: str, program: str, demand_id: str | None = None,
              note: str | None = None) -> Saved:
        """Put a candidate forward for a programme (once: a live application is reused)."""
        self.app.require(Permission.EDIT_CANDIDATES)
        with self.app.unit_of_work("application") as s:
            a = self._application(s, resolve(s, candidate), get_program(s, program), demand_id,
                                  note)
            s.flush()
            return Saved(a.id, a.version)

    def _application(self, s: Session, cand, prog: Program,  # type: ignore[no-untyped-def]
                     demand_id: str | None, note: str | None = None) -> Application:
        if demand_id and not any(d.id == demand_id for d in prog.demands):
            raise NotFound.of("occupation", N_("No such demand in this programme"))
        for a in cand.applications:
            if a.program_id == prog.id and not a.deleted and a.status not in (
                    ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN):
                return a
        a = Application(candidate_id=cand.id, program_id=prog.id, demand_id=demand_id,
                        applied_on=self.app.today(), status=ApplicationStatus.APPLIED,
                        note=opt_text(note, 2000))
        s.add(a)
        cand.applications.append(a)
        return a

    def advance(self, candidate: str, program: str, to: str, reason: str,
                demand_id: str | None = None) -> Saved:
        """Shortlist or select a candidate for a programme: the application and the candidate's
        status move together (intermediate steps are recorded), with the reason."""
        target = ApplicationStatus.parse(to)
        if target not in (ApplicationStatus.SHORTLISTED, ApplicationStatus.SELECTED,
                          ApplicationStatus.REJECTED):
            raise ValidationError.of("status", N_("Use shortlisted, selected or rejected"))
        self.app.require(Permission.EDIT_CANDIDATES if target is ApplicationStatus.SHORTLISTED
                         else Permission.SELECT)
        why = req_text(reason, 1000) if reason and reason.strip() else None
        if why is None:
            raise ValidationError.of("reason", N_("Required"))
        with self.app.unit_of_work(why) as s:
            cand = resolve(s, candidate)
            prog = get_program(s, program)
            app_row = self._application(s, cand, prog, demand_id)
            if cand.status == CandidateStatus.RETURNED:
                self._move(s, cand, CandidateStatus.REGISTERED, why, prog.id)
            if target == ApplicationStatus.REJECTED:
                check_transition(cand.status, CandidateStatus.REJECTED)
                self._move(s, cand, CandidateStatus.REJECTED, why, prog.id)
            else:
                goal = CandidateStatus(target.value)
                if cand.status != goal:
                    if cand.status not in PATH or PATH.index(cand.status) > PATH.index(goal):
                        check_transition(cand.status, goal)  # raises: not allowed from here
                    for step in PATH[PATH.index(cand.status) + 1:PATH.index(goal) + 1]:
                        self._move(s, cand, step, why, prog.id)
            app_row.status = target
            s.flush()
            return Saved(cand.id, cand.version)

    def place(self, candidate: str, employer: str, country: str, start_date: str | dt.date,
              program: str | None = None, city: str | None = None, isco_code: str | None = None,
              end_date: str | dt.date | None = None, wage_amount: str | Decimal | None = None,
              wage_currency: str | None = None, wage_period: str | None = "month") -> Saved:
        self.app.require(Permission.EDIT_CANDIDATES)
        v = Validator()
        values = {
            "employer": v.check("employer", req_text, employer, 500),
            "country": v.check("country", places.parse_country, country),
            "city": v.check("city", opt_text, city, 120),
            "isco_code": v.check("occupation", isco.parse_unit_code, isco_code)
            if isco_code else None,
            "start_date": v.check("start_date", req_date, start_date),
            "end_date": v.check("end_date", as_date, end_date),
            "wage_amount": v.check("wage", _amount, wage_amount)
            if wage_amount not in (None, "") else None,
            "wage_currency": v.check("currency", places.currency_code, wage_currency)
            if wage_currency else None,
            "wage_period": wage_period if wage_period in ("hour", "month", "year") else None,
        }
        v.raise_if_any()
        with self.app.unit_of_work("placement") as s:
            cand = resolve(s, candidate)
            prog = get_program(s, program) if program else None
            pl = Placement(candidate_id=cand.id, program_id=prog.id if prog else None, **values)
            s.add(pl)
            for a in cand.applications:
                if prog and a.program_id == prog.id and a.status == ApplicationStatus.SELECTED:
                    a.status = ApplicationStatus.PLACED
            s.flush()
            return Saved(pl.id, pl.version)

    def record_return(self, placement_id: str, returned_on: str | dt.date,
                      note: str | None = None) -> Saved:
        self.app.require(Permission.EDIT_CANDIDATES)
        day = req_date(returned_on)
        with self.app.unit_of_work("return") as s:
            pl = s.get(Placement, placement_id)
            if pl is None or pl.deleted:
                raise NotFound.of(None, N_("No placement “{ref}”"), ref=placement_id)
            if day < pl.start_date:
                raise ValidationError.of("date", N_("The return is before the start of work"))
            pl.returned_on = day
            pl.return_note = opt_text(note, 2000)
            s.flush()
            return Saved(pl.id, pl.version)

    # -- internals ----------------------------------------------------------------------------
    def _move(self, s: Session, cand, to: CandidateStatus, why: str,  # type: ignore[no-untyped-def]
              program_id: str | None) -> None:
        s.add(StatusChange(candidate_id=cand.id, from_status=cand.status, to_status=to,
                           changed_at=monotonic_utcnow(), officer=self.app.officer, reason=why,
                           program_id=program_id))
        cand.status = to

    @staticmethod
    def _counts(s: Session, program_id: str | None = None) -> dict[tuple[str, str], int]:
        stmt = select(Application.program_id, Application.status, func.count()).where(
            Application.deleted.is_(False)).group_by(Application.program_id, Application.status)
        if program_id:
            stmt = stmt.where(Application.program_id == program_id)
        return {(pid, st.value): n for pid, st, n in s.execute(stmt)}

    @staticmethod
    def _view(p: Program, counts: dict[tuple[str, str], int]) -> ProgramView:
        def c(*sts: str) -> int:
            return sum(counts.get((p.id, st), 0) for st in sts)

        return ProgramView(
            p.id, p.version, p.code, p.name_ka, p.name_en, p.kind.value, p.partner_id,
            p.partner.iso_code, p.partner_org, p.agreement_id, p.start_date, p.end_date,
            p.status.value, p.description,
            [demand_view(d) for d in sorted(p.demands, key=lambda d: d.isco_code)
             if not d.deleted],
            applied=c("applied", "shortlisted", "selected", "placed", "rejected", "withdrawn"),
            selected=c("selected", "placed"), placed=c("placed"))
