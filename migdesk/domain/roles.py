"""Officer roles and what each may do: a pure table the services check before acting.

officer: registers and edits candidates, records visits, milestones and the other reference
records, prints dossiers. supervisor: also selects and rejects candidates, resolves conflicts
and duplicates, imports and exports packages and spreadsheets, removes records, reads the audit
trail. administrator: also accounts, desk keys, trust, settings, backups and restores.
"""

from __future__ import annotations

from enum import Enum

from migdesk.domain.vocab import Vocabulary
from migdesk.i18n import N_


class Role(Vocabulary):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return _ROLE_LABELS

    @property
    def rank(self) -> int:
        return _RANK[self.value]


_ROLE_LABELS = {"officer": N_("officer"), "supervisor": N_("supervisor"),
                "administrator": N_("administrator")}
_RANK = {"officer": 1, "supervisor": 2, "administrator": 3}


class Permission(Enum):
    """One thing a role may do; the value is what a refusal names."""

    VIEW = N_("see candidates' records")
    EDIT_CANDIDATES = N_("register and edit candidates")
    EDIT_RECORDS = N_("record partner states, agreements, visits and programmes")
    PRINT = N_("print dossiers")
    SELECT = N_("select or reject candidates")
    REMOVE = N_("remove records")
    RESOLVE = N_("resolve conflicts and duplicates")
    IMPORT = N_("import change packages and spreadsheets")
    EXPORT = N_("export change packages and spreadsheets")
    AUDIT = N_("read the audit trail")
    ACCOUNTS = N_("manage accounts")
    KEYS = N_("manage desk keys and trust")
    SETTINGS = N_("change the desk's settings")
    BACKUP = N_("make and restore backups")

    def label(self, lang: str) -> str:
        from migdesk.i18n import translate

        return translate(self.value, lang)


# The least role that may do each thing.
_LEAST: dict[Permission, Role] = {
    Permission.VIEW: Role.OFFICER,
    Permission.EDIT_CANDIDATES: Role.OFFICER,
    Permission.EDIT_RECORDS: Role.OFFICER,
    Permission.PRINT: Role.OFFICER,
    Permission.SELECT: Role.SUPERVISOR,
    Permission.REMOVE: Role.SUPERVISOR,
    Permission.RESOLVE: Role.SUPERVISOR,
    Permission.IMPORT: Role.SUPERVISOR,
    Permission.EXPORT: Role.SUPERVISOR,
    Permission.AUDIT: Role.SUPERVISOR,
    Permission.ACCOUNTS: Role.ADMINISTRATOR,
    Permission.KEYS: Role.ADMINISTRATOR,
    Permission.SETTINGS: Role.ADMINISTRATOR,
    Permission.BACKUP: Role.ADMINISTRATOR,
}


def may(role: Role | str, permission: Permission) -> bool:
    """Whether `role` may do `permission` (each role may do all that the ones below it may)."""
    return Role(role).rank >= _LEAST[permission].rank


def least_role(permission: Permission) -> Role:
    return _LEAST[permission]
