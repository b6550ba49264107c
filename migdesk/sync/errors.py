"""Why a package is refused: the member, the line and the problem, in Georgian and English."""

from __future__ import annotations

from dataclasses import dataclass, field

from migdesk.domain.errors import FieldError, MigdeskError, _param
from migdesk.i18n import N_, translate


@dataclass(frozen=True)
class PackageProblem(FieldError):
    """A problem inside a package; `where` names the member and the line (0: whole member)."""

    member: str = ""
    line_no: int = 0
    extra: dict[str, object] = field(default_factory=dict)

    def line(self, lang: str) -> str:
        problem = translate(self.msgid, lang).format(
            **{k: _param(v, lang) for k, v in self.params.items()})
        if self.member and self.line_no:
            where = translate(N_("member {member}, line {line}"), lang).format(
                member=translate(self.member, lang), line=self.line_no)
        elif self.member:
            where = translate(N_("member {member}"), lang).format(
                member=translate(self.member, lang))
        else:
            where = ""
        head = translate(N_("Package refused"), lang)
        return f"{head} ({where}): {problem}" if where else f"{head}: {problem}"


class PackageRefused(MigdeskError):
    """The package was not applied; the database is as it was."""

    exit_code = 6

    @classmethod
    def at(cls, member: str, line_no: int, msgid: str, **params: object) -> PackageRefused:
        return cls(PackageProblem(None, msgid, params, member=member, line_no=line_no))


class KeyProblem(MigdeskError):
    exit_code = 7
