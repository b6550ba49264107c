"""All mapped classes in one import (for Alembic and for callers that need several)."""

from migdesk.store.accounts import Account
from migdesk.store.audit import AuditEntry, AuditHead, PeerAudit
from migdesk.store.base import Base, Synced
from migdesk.store.local import CandidateTerm, ChangeEntry, DeskIdentity, Setting
from migdesk.store.people import (
    Application,
    Attachment,
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
from migdesk.store.sync_tables import Conflict, Duplicate, Exchange, HeldChange, PeerKey

SYNCED_MODELS: tuple[type[Synced], ...] = (
    PartnerState, Assessment, Indicator, Agreement, Milestone, Visit, FollowUp, Program,
    Demand, Candidate, Consent, CandidateOccupation, CandidateLanguage, StatusChange,
    Application, Placement, Attachment,
)
MODEL_BY_TABLE = {m.__tablename__: m for m in SYNCED_MODELS}  # type: ignore[attr-defined]

__all__ = [
    "Account", "AuditEntry", "AuditHead", "PeerAudit", "Agreement", "Application",
    "Assessment", "Attachment", "Base",
    "Candidate", "CandidateLanguage", "CandidateOccupation", "CandidateTerm", "ChangeEntry",
    "Consent", "Demand", "DeskIdentity", "FollowUp", "Indicator", "MODEL_BY_TABLE",
    "Milestone", "PartnerState", "Placement", "Program", "SYNCED_MODELS", "Setting",
    "StatusChange", "Synced", "Visit", "Conflict", "Duplicate", "Exchange", "HeldChange",
    "PeerKey",
]
