"""The candidate's path and which moves along it are allowed.

registered → screened → shortlisted → selected → departed → employed → returned;
withdrawn and rejected from any open (pre-departure) stage; a returned, withdrawn or
rejected candidate may register again, which is what makes the migration circular.
"""

from __future__ import annotations

from migdesk.domain.errors import ValidationError
from migdesk.domain.vocab import LABELS, Vocabulary
from migdesk.i18n import N_


class CandidateStatus(Vocabulary):
    REGISTERED = "registered"
    SCREENED = "screened"
    SHORTLISTED = "shortlisted"
    SELECTED = "selected"
    DEPARTED = "departed"
    EMPLOYED = "employed"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"


LABELS["CandidateStatus"] = {
    "registered": N_("registered"),
    "screened": N_("screened"),
    "shortlisted": N_("shortlisted"),
    "selected": N_("selected"),
    "departed": N_("departed"),
    "employed": N_("employed"),
    "returned": N_("returned"),
    "withdrawn": N_("withdrawn"),
    "rejected": N_("rejected"),
}

S = CandidateStatus
PATH = (S.REGISTERED, S.SCREENED, S.SHORTLISTED, S.SELECTED, S.DEPARTED, S.EMPLOYED, S.RETURNED)
OPEN = frozenset({S.REGISTERED, S.SCREENED, S.SHORTLISTED, S.SELECTED})
# Who may be matched to a programme's demand.
AVAILABLE = frozenset({S.REGISTERED, S.SCREENED, S.SHORTLISTED, S.RETURNED})

TRANSITIONS: dict[CandidateStatus, frozenset[CandidateStatus]] = {
    S.REGISTERED: frozenset({S.SCREENED}),
    S.SCREENED: frozenset({S.SHORTLISTED}),
    S.SHORTLISTED: frozenset({S.SELECTED}),
    S.SELECTED: frozenset({S.DEPARTED}),
    S.DEPARTED: frozenset({S.EMPLOYED, S.RETURNED}),
    S.EMPLOYED: frozenset({S.RETURNED}),
    S.RETURNED: frozenset({S.REGISTERED}),
    S.WITHDRAWN: frozenset({S.REGISTERED}),
    S.REJECTED: frozenset({S.REGISTERED}),
}
for _s in OPEN:
    TRANSITIONS[_s] = TRANSITIONS[_s] | {S.WITHDRAWN, S.REJECTED}


def allowed_next(current: CandidateStatus) -> list[CandidateStatus]:
    return [s for s in CandidateStatus if s in TRANSITIONS[current]]


def check_transition(current: CandidateStatus, new: CandidateStatus) -> None:
    if new not in TRANSITIONS[current]:
        raise ValidationError.of(
            "status",
            N_("Cannot go from “{old}” to “{new}”; allowed next: {allowed}"),
            old=current, new=new, allowed=allowed_next(current),
        )
