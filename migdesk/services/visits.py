"""Delegation visits, what was agreed, and the follow-up actions (due, overdue, done)."""

from __future__ import annotations

import builtins
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from migdesk.domain import places
from migdesk.domain.errors import NotFound, Validator
from migdesk.domain.roles import Permission
from migdesk.domain.vocab import ActionStatus, VisitDirection
from migdesk.i18n import N_
from migdesk.services.dto import FollowUpView, Saved, VisitView
from migdesk.services.records import tombstone
from migdesk.services.validation import as_date, opt_text, req_date, req_text
from migdesk.store.reference import Agreement, FollowUp, Visit

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk

OPEN_ACTIONS = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


@dataclass
class VisitInput:
    direction: str
    country: str
    start_date: str | dt.date
    lead_agency: str
    city: str | None = None
    end_date: str | dt.date | None = None
    participants: str | None = None
    purpose: str | None = None
    outcomes: str | None = None
    agreement_id: str | None = None


@dataclass
class FollowUpInput:
    action: str
    responsible: str | None = None
    due_date: str | dt.date | None = None
    status: str = "open"
    completed_on: str | dt.date | None = None
    note: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _check_visit(inp: VisitInput) -> dict[str, object]:
    v = Validator()
    out = {
        "direction": v.check("direction", VisitDirection.parse, inp.direction),
        "country": v.check("country", places.parse_country, inp.country),
        "city": v.check("city", opt_text, inp.city, 120),
        "start_date": v.check("start_date", req_date, inp.start_date),
        "end_date": v.check("end_date", as_date, inp.end_date),
        "lead_agency": v.check("lead_agency", req_text, inp.lead_agency, 500),
        "participants": v.check("participants", opt_text, inp.participants, 4000),
        "purpose": v.check("purpose", opt_text, inp.purpose, 8000),
        "outcomes": v.check("outcomes", opt_text, inp.outcomes, 16000),
        "agreement_id": inp.agreement_id or None,
    }
    if out["end_date"] and out["start_date"] and out["end_date"] < out["start_date"]:  # type: ignore[operator]
        v.add("end_date", N_("The end date is before the start date"))
    v.raise_if_any()
    return out


def _check_follow_up(inp: FollowUpInput) -> dict[str, object]:
    v = Validator()
    out = {
        "action": v.check("action", req_text, inp.action, 4000),
        "responsible": v.check("responsible", opt_text, inp.responsible, 500),
        "due_date": v.check("due_date", as_date, inp.due_date),
        "status": v.check("status", ActionStatus.parse, inp.status or "open"),
        "completed_on": v.check("date", as_date, inp.completed_on),
        "note": v.check("note", opt_text, inp.note, 4000),
    }
    v.raise_if_any()
    return out


def follow_up_view(f: FollowUp, today: dt.date) -> FollowUpView:
    overdue = bool(f.due_date and f.due_date < today and f.status in OPEN_ACTIONS)
    return FollowUpView(f.id, f.visit_id, f.action, f.responsible, f.due_date, f.status.value,
                        f.completed_on, f.note, overdue, f.version)


def _visit_view(vis: Visit, today: dt.date) -> VisitView:
    fus = sorted((f for f in vis.follow_ups if not f.deleted),
                 key=lambda f: (f.due_date or dt.date.max, f.created_at))
    return VisitView(vis.id, vis.version, vis.direction.value, vis.country, vis.city,
                     vis.start_date, vis.end_date, vis.lead_agency, vis.participants, vis.purpose,
                     vis.outcomes, vis.agreement_id, [follow_up_view(f, today) for f in fus])


def _get_visit(s: Session, visit_id: str) -> Visit:
    vis = s.get(Visit, visit_id)
    if vis is None or vis.deleted:
        raise NotFound.of(None, N_("No visit “{ref}”"), ref=visit_id)
    return vis


class VisitService:
    def __init__(self, app: Migdesk) -> None:
        self.app = app

    def add(self, inp: VisitInput, follow_ups: list[FollowUpInput] | None = None) -> Saved:
        self.app.require(Permission.EDIT_RECORDS)
        values = _check_visit(inp)
        checked_fus = [_check_follow_up(f) for f in follow_ups or []]
        with self.app.unit_of_work() as s:
            self._check_agreement(s, values.get("agreement_id"))
            vis = Visit(**values)
            s.add(vis)
            s.flush()
            for f in checked_fus:
                s.add(FollowUp(visit_id=vis.id, **f))
            s.flush()
            return Saved(vis.id, vis.version)

    def update(self, visit_id: str, inp: VisitInput) -> Saved:
        self.app.require(Permission.EDIT_RECORDS)
        values = _check_visit(inp)
        with self.app.unit_of_work() as s:
            self._check_agreement(s, values.get("agreement_id"))
            vis = _get_visit(s, visit_id)
            for k, val in values.items():
                if getattr(vis, k) != val:
                    setattr(vis, k, val)
            s.flush()
            return Saved(vis.id, vis.version)

    def add_follow_up(self, visit_id: str, inp: FollowUpInput) -> Saved:
        self.app.require(Permission.EDIT_RECORDS)
        values = _check_follow_up(inp)
        with self.app.unit_of_work() as s:
            vis = _get_visit(s, visit_id)
            f = FollowUp(visit_id=vis.id, **values)
            s.add(f)
            s.flush()
            return Saved(f.id, f.version)

    def update_follow_up(self, follow_up_id: str, inp: FollowUpInput) -> Saved:
        self.app.require(Permission.EDIT_RECORDS)
        values = _check_follow_up(inp)
        if values["status"] == ActionStatus.DONE and not values["completed_on"]:
            values["completed_on"] = self.app.today()
        with self.app.unit_of_work() as s:
            f = s.get(FollowUp, follow_up_id)
            if f is None or f.deleted:
                raise NotFound.of(None, N_("No follow-up action “{ref}”"), ref=follow_up_id)
            for k, val in values.items():
                if getattr(f, k) != val:
                    setattr(f, k, val)
            s.flush()
            return Saved(f.id, f.version)

    def remove(self, visit_id: str, reason: str) -> Saved:
        return tombstone(self.app, "visit", visit_id, reason)

    def remove_follow_up(self, follow_up_id: str, reason: str) -> Saved:
        return tombstone(self.app, "follow_up", follow_up_id, reason)

    def mark_done(self, follow_up_id: str, on: str | dt.date | None = None) -> Saved:
        """A follow-up action done (today unless `on` says when)."""
        self.app.require(Permission.EDIT_RECORDS)
        v = Validator()
        day = v.check("date", as_date, on) if on else self.app.today()
        v.raise_if_any()
        with self.app.unit_of_work() as s:
            f = s.get(FollowUp, follow_up_id)
            if f is None or f.deleted:
                raise NotFound.of(None, N_("No follow-up action “{ref}”"), ref=follow_up_id)
            f.status = ActionStatus.DONE
            f.completed_on = day
            s.flush()
            return Saved(f.id, f.version)

    def list(self) -> list[VisitView]:
        today = self.app.today()
        with self.app.reading() as s:
            rows = s.scalars(select(Visit).where(Visit.deleted.is_(False))
                             .options(selectinload(Visit.follow_ups))
                             .order_by(Visit.start_date.desc())).all()
            return [_visit_view(v, today) for v in rows]

    def get(self, visit_id: str) -> VisitView:
        with self.app.reading() as s:
            return _visit_view(_get_visit(s, visit_id), self.app.today())

    def open_actions(self, within_days: int | None = None,
                     undated: bool = False) -> builtins.list[FollowUpView]:
        """Open follow-ups, overdue first; with `within_days`, only those due by then
        (and, with `undated`, also those without a due date, listed last)."""
        today = self.app.today()
        with self.app.reading() as s:
            stmt = select(FollowUp).join(Visit).where(
                FollowUp.deleted.is_(False), Visit.deleted.is_(False),
                FollowUp.status.in_(OPEN_ACTIONS))
            if within_days is not None:
                due = FollowUp.due_date <= today + dt.timedelta(days=within_days)
                stmt = stmt.where(or_(due, FollowUp.due_date.is_(None)) if undated else due)
            rows = s.scalars(stmt).all()
            views = [follow_up_view(f, today) for f in rows]
        return sorted(views, key=lambda f: (not f.overdue, f.due_date or dt.date.max))

    @staticmethod
    def _check_agreement(s: Session, agreement_id: object) -> None:
        if agreement_id:
            a = s.get(Agreement, agreement_id)
            if a is None or a.deleted:
                raise NotFound.of("agreement", N_("No agreement “{ref}”"), ref=agreement_id)
