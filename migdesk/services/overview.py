"""Read-only figures for the desk's overview page: counts by status, programme, destination.

Each method is one read (Migdesk.reading); nothing here writes or logs personal data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from migdesk.domain.statuses import CandidateStatus
from migdesk.services.candidates import SUMMARY_COLUMNS, summary_from_row
from migdesk.services.dto import CandidateSummary, FollowUpView
from migdesk.store.people import Application, Candidate, Placement
from migdesk.store.reference import PartnerState, Program

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk

# Candidates "in selection": their passports must last for the journey.
IN_SELECTION = (CandidateStatus.SCREENED, CandidateStatus.SHORTLISTED,
                CandidateStatus.SELECTED)


@dataclass(frozen=True)
class Overview:
    by_status: dict[str, int]
    by_program: list[tuple[str, str, str, int]]  # (code, name_ka, name_en, applications)
    by_destination: dict[str, int]  # partner ISO code -> applications
    placements: dict[str, int]  # country ISO code -> placements
    follow_ups: list[FollowUpView] = field(default_factory=list)
    expiring: list[CandidateSummary] = field(default_factory=list)


class OverviewService:
    def __init__(self, app: Migdesk) -> None:
        self.app = app

    def figures(self, due_within_days: int = 30, expiring_months: int = 6,
                expiring_limit: int = 200) -> Overview:
        today = self.app.today()
        horizon = today + dt.timedelta(days=round(expiring_months * 30.44))
        with self.app.reading() as s:
            by_status = {st.value: 0 for st in CandidateStatus}
            for st, n in s.execute(select(Candidate.status, func.count()).where(
                    Candidate.deleted.is_(False)).group_by(Candidate.status)):
                by_status[st.value] = n
            live_app = Application.deleted.is_(False)
            by_program = [tuple(r) for r in s.execute(
                select(Program.code, Program.name_ka, Program.name_en, func.count(Application.id))
                .join(Application, (Application.program_id == Program.id) & live_app,
                      isouter=True)
                .where(Program.deleted.is_(False))
                .group_by(Program.id).order_by(Program.code))]
            by_dest = dict(s.execute(
                select(PartnerState.iso_code, func.count(Application.id))
                .join(Program, Program.partner_id == PartnerState.id)
                .join(Application, Application.program_id == Program.id)
                .where(live_app, Program.deleted.is_(False))
                .group_by(PartnerState.iso_code)).all())
            placements = dict(s.execute(
                select(Placement.country, func.count()).where(Placement.deleted.is_(False))
                .group_by(Placement.country)).all())
            expiring = [summary_from_row(r) for r in s.execute(
                select(*SUMMARY_COLUMNS).where(
                    Candidate.deleted.is_(False), Candidate.status.in_(IN_SELECTION),
                    Candidate.passport_expiry.is_not(None),
                    Candidate.passport_expiry <= horizon)
                .order_by(Candidate.passport_expiry).limit(expiring_limit))]
        follow_ups = self.app.visits.open_actions(within_days=due_within_days,
                                                 undated=True)
        return Overview(by_status, by_program, by_dest, placements,  # type: ignore[arg-type]
                        follow_ups, expiring)
