"""Printing from the window: the candidates of the current search and filters, as a table
(one PDF) or as their dossiers (through `DossierService.batch`); the ids a programme's or a
list's dossiers are made for.

The table is made on the caller's thread (the window runs it on a task-runner worker with an
application object of its own); it is written to a temporary file beside the target and
moved into place only when whole, so a cancel or an error leaves no file. Each printed list
is one 'print' access in the audit chain naming the selection and the number of rows.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migdesk.domain.errors import ValidationError
from migdesk.domain.places import region_name
from migdesk.domain.roles import Permission
from migdesk.domain.statuses import CandidateStatus
from migdesk.i18n import N_, translate
from migdesk.services.dto import CandidateSummary

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk

Progress = Callable[[int, int], object]
FILTER_KEYS = ("status", "program_id", "region", "occupation", "language", "min_level")
MAX_LIST_ROWS = 20_000  # about 500 pages; a longer list is narrowed first
PAGE = 1000


@dataclass(frozen=True)
class PrintedList:
    path: Path
    rows: int


def _clean(filters: dict[str, Any] | None) -> dict[str, Any]:
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    unknown = sorted(set(filters) - set(FILTER_KEYS))
    if unknown:
        raise ValidationError.of(None, N_("“{value}” is not one of: {allowed}"),
                                 value=", ".join(unknown), allowed=", ".join(FILTER_KEYS))
    return filters


class PrintService:
    def __init__(self, app: Migdesk) -> None:
        self.app = app

    def summaries(self, query: str = "", filters: dict[str, Any] | None = None
                  ) -> Iterator[CandidateSummary]:
        """Every live candidate of the search and filters, in name order, each once."""
        filters = _clean(filters)
        cursor: str | None = None
        seen: set[str] = set()
        while True:
            page = self.app.candidates.search(query, **filters, limit=PAGE, cursor=cursor)
            for c in page.items:
                if c.id not in seen:
                    seen.add(c.id)
                    yield c
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    def ids(self, query: str = "", filters: dict[str, Any] | None = None) -> list[str]:
        """The ids whose dossiers a print of the list makes."""
        return [c.id for c in self.summaries(query, filters)]

    def program_ids(self, program: str) -> list[str]:
        """The candidates of a programme (its applications), in name order."""
        return self.ids(filters={"program_id": self.app.programs.get(program).id})

    def describe(self, query: str, filters: dict[str, Any], lang: str) -> str:
        """The selection in words, for the printed list's subtitle."""
        parts: list[str] = []
        if query.strip():
            parts.append(translate(N_("search “{query}”"), lang).format(query=query.strip()))
        if filters.get("status"):
            parts.append(CandidateStatus(filters["status"]).label(lang))
        if filters.get("program_id"):
            p = self.app.programs.get(filters["program_id"])
            parts.append(p.name_ka if lang == "ka" else p.name_en)
        if filters.get("region"):
            parts.append(region_name(filters["region"], lang))
        if filters.get("occupation"):
            parts.append(translate(N_("occupation {code}"), lang).format(
                code=filters["occupation"]))
        if filters.get("language"):
            parts.append(f"{filters['language']} ≥ {filters.get('min_level') or 'A1'}")
        return ", ".join(parts) or translate(N_("all candidates"), lang)

    def list_table(self, path: str | os.PathLike[str], query: str = "",
                   filters: dict[str, Any] | None = None, lang: str = "ka",
                   progress: Progress | None = None) -> PrintedList:
        """The list as a PDF table at `path` (logged as a 'print'). `progress(done, total)`
        returning False cancels: no file is left."""
        from migdesk.documents import fonts, list_table
        from migdesk.documents.dossier import DEFAULT_INSTITUTION
        from migdesk.sheets.write import check_output

        self.app.require(Permission.PRINT)
        target = check_output(path)
        filters = _clean(filters)
        total = self.app.candidates.count(query, **filters)
        if total > MAX_LIST_ROWS:
            raise ValidationError.of(None, N_(
                "The list has {n} candidates; a printed list may have at most {limit}: "
                "narrow the search or the filters"), n=total, limit=MAX_LIST_ROWS)
        statuses = {s.value: s.label(lang) for s in CandidateStatus}
        rows: list[list_table.ListRow] = []
        for c in self.summaries(query, filters):
            rows.append(list_table.ListRow(
                c.personal_number, f"{c.last_name_ka} {c.first_name_ka}",
                f"{c.last_name_lat} {c.first_name_lat}", c.birth_date.strftime("%d.%m.%Y"),
                region_name(c.region, lang) if c.region else "",
                statuses.get(c.status, c.status)))
            if progress is not None and len(rows) % PAGE == 0 and progress(
                    len(rows) // 2, max(total, 1)) is False:
                raise list_table.ListCancelled.of(None, N_("Cancelled; no file was written"))
        fonts.register(self.app.setting("font_path"))
        n = len(rows)
        inp = list_table.ListInput(
            rows, self.describe(query, filters, lang), self.app.today(), self.app.desk.name,
            self.app.officer_name,
            self.app.setting("institution_name") or DEFAULT_INSTITUTION, lang)

        def rendering(done: int, _total: int) -> object:
            return None if progress is None else progress(n // 2 + done // 2, max(n, 1))

        pdf = list_table.render(inp, rendering)
        tmp = target.with_name(f".{target.name}.part")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
            os.fchmod(fd, 0o600)  # a .part left by a crash may have had wider rights
            with os.fdopen(fd, "wb") as fh:
                fh.write(pdf)
            self.app.audit.record_access("print", "candidate", None, {
                "what": "list", "query": query.strip()[:200], **filters, "rows": n,
                "file": target.name})
            os.replace(tmp, target)
        except OSError as exc:
            raise ValidationError.of("output", N_("Cannot write {path}: {detail}"),
                                     path=str(target), detail=exc.strerror or str(exc)) from None
        finally:
            with suppress(FileNotFoundError):
                tmp.unlink()
        if progress is not None:
            progress(max(n, 1), max(n, 1))
        return PrintedList(target, n)
