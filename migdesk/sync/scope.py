"""What a party may receive: reference data always; personal data by the party's scope.

Personal records are candidates and every synced table that hangs off a candidate (found by
its `candidate_id` column, so a new table of that kind is covered without a list to keep).
With scope "own" a party receives the personal records of the candidates registered at that
party (`candidate.origin_desk`), whoever changed them since; an attachment that belongs to no
candidate (an agreement's text, say) is reference data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Table, and_, or_, select

from migdesk.store.models import SYNCED_MODELS
from migdesk.store.people import Candidate

OWN, ALL = "own", "all"
SCOPES = (OWN, ALL)

_CANDIDATE: Table = Candidate.__table__  # type: ignore[assignment]
PERSONAL_CHILDREN: tuple[Table, ...] = tuple(
    m.__table__ for m in SYNCED_MODELS  # type: ignore[attr-defined]
    if "candidate_id" in m.__table__.c)  # type: ignore[attr-defined]
PERSONAL = frozenset({_CANDIDATE.name, *(t.name for t in PERSONAL_CHILDREN)})


def visible_to(journal: Any, partner: str) -> ColumnElement[bool]:
    """A condition on the change journal: the entries a party with scope "own" may receive."""
    own = select(_CANDIDATE.c.id).where(_CANDIDATE.c.origin_desk == partner)
    allowed = [journal.c.entity.not_in(sorted(PERSONAL)),
               and_(journal.c.entity == _CANDIDATE.name, journal.c.entity_id.in_(own))]
    for t in PERSONAL_CHILDREN:
        mine: ColumnElement[bool] = t.c.candidate_id.in_(own)
        if t.c.candidate_id.nullable:
            mine = or_(t.c.candidate_id.is_(None), mine)
        allowed.append(and_(journal.c.entity == t.name,
                            journal.c.entity_id.in_(select(t.c.id).where(mine))))
    return or_(*allowed)
