"""Removing any synced record: a tombstone with a reason (it travels to the central store)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from migdesk.domain.errors import NotFound, ValidationError
from migdesk.domain.roles import Permission
from migdesk.i18n import N_
from migdesk.services.dto import Saved
from migdesk.services.validation import req_text
from migdesk.store.models import MODEL_BY_TABLE

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk


def tombstone(app: Migdesk, entity: str, record_id: str, reason: str) -> Saved:
    """Mark a record deleted (never a hard delete); `entity` is its table name."""
    app.require(Permission.REMOVE)
    model = MODEL_BY_TABLE.get(entity)
    if model is None:
        raise ValidationError.of(None, N_("“{value}” is not a kind of record"), value=entity)
    try:
        why = req_text(reason, 1000)
    except ValidationError:
        raise ValidationError.of("reason", N_("Required")) from None
    with app.unit_of_work(why) as s:
        obj = s.get(model, record_id)
        if obj is None or obj.deleted:
            raise NotFound.of(None, N_("No record “{ref}”"), ref=record_id)
        obj.deleted = True
        s.flush()
        return Saved(obj.id, obj.version)
