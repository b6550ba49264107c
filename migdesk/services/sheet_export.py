"""Exporting the candidate list (any filter, every matching row) to XLSX, CSV or JSON.

The rows come from CandidateService.search page by page (keyset paging, 10,000 a page), so
memory stays flat however many candidates match; the file is written as it goes (see
migdesk.sheets.write). One audit entry per export, never one per row.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migdesk.domain.errors import MigdeskError, ValidationError
from migdesk.domain.places import region_name
from migdesk.domain.roles import Permission
from migdesk.domain.statuses import CandidateStatus
from migdesk.domain.vocab import Sex
from migdesk.i18n import N_, language, translate
from migdesk.sheets import write
from migdesk.sheets.write import DATE, NUMBER, TEXT, Column

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk
    from migdesk.services.dto import CandidateSummary

PAGE = 10_000
# The candidate list's columns, in the window's order: key, header, kind.
CANDIDATE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("personal_number", N_("Personal number"), TEXT),
    ("last_name_ka", N_("Last name"), TEXT),
    ("first_name_ka", N_("First name"), TEXT),
    ("last_name_lat", N_("Last name (Latin)"), TEXT),
    ("first_name_lat", N_("First name (Latin)"), TEXT),
    ("birth_date", N_("Date of birth"), DATE),
    ("age", N_("Age"), NUMBER),
    ("sex", N_("Sex"), TEXT),
    ("region", N_("Region"), TEXT),
    ("status", N_("Status"), TEXT),
    ("passport_expiry", N_("Passport valid until"), DATE),
    ("id", N_("Record ID"), TEXT),
)
FILTER_KEYS = ("status", "program_id", "region", "occupation", "language", "min_level")
Progress = Callable[[int], bool]  # rows written so far -> keep going?


class ExportCancelled(MigdeskError):
    exit_code = 130


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    format: str


def age_on(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def record_export(app: Migdesk, entity: str, detail: dict[str, Any]) -> None:
    """The one audit entry of an export (the lead re-points this one function)."""
    app.record("export", entity, None, detail)


class SheetExportService:
    def __init__(self, app: Migdesk) -> None:
        self.app = app

    def candidates(self, path: str | os.PathLike[str], fmt: str | None = None, *,
                   query: str = "", filters: dict[str, Any] | None = None,
                   lang: str | None = None, columns: Sequence[str] | None = None,
                   sort: str = "name_ka", descending: bool = False,
                   progress: Progress | None = None) -> ExportResult:
        """Every live candidate matching `query` and `filters` (CandidateService.search's
        keywords) into `path`. `fmt` is xlsx, csv or json (default: from the file name);
        headers and labels in `lang` (default: the interface language; JSON keeps stable
        English keys and codes); `columns` are keys of CANDIDATE_COLUMNS (default: all)."""
        self.app.require(Permission.EXPORT)
        write.check_output(path)
        fmt = write.format_of(path, fmt)
        lang = lang or language()
        filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
        unknown = sorted(set(filters) - set(FILTER_KEYS))
        if unknown:
            raise ValidationError.of(None, N_("“{value}” is not one of: {allowed}"),
                                     value=", ".join(unknown), allowed=", ".join(FILTER_KEYS))
        cols = self._columns(columns, lang)
        rows = self._rows(query, filters, sort, descending, [c.key for c in cols],
                          lang, labels=fmt != "json", progress=progress)
        with write.atomic_output(path) as (fh, final):
            if fmt == "xlsx":
                n = write.write_xlsx(fh, final.parent, translate("Candidates", lang), cols, rows)
            elif fmt == "csv":
                n = write.write_csv(fh, cols, rows)
            else:
                n = write.write_json(fh, cols, rows)
        record_export(self.app, "spreadsheet", {
            "what": "candidates", "query": query, **filters, "rows": n, "format": fmt,
            "file": final.name})
        return ExportResult(final, n, fmt)

    def statistics(self, path: str | os.PathLike[str], start: dt.date | None = None,
                   end: dt.date | None = None, lang: str | None = None) -> ExportResult:
        """The analysts' workbook (migdesk.sheets.stats) for the period `start`..`end`
        (inclusive; default: from the beginning to today). Returns the number of sheets."""
        from migdesk.sheets import stats

        self.app.require(Permission.EXPORT)
        write.check_output(path)
        if write.format_of(path, "xlsx") != "xlsx" or Path(path).suffix.lower() not in (
                ".xlsx", ""):
            raise write.OutputRefused.of("output", N_(
                "Statistics are written as an XLSX file: give a name ending in .xlsx"))
        end = end or self.app.today()
        if start is not None and start > end:
            raise ValidationError.of("from", N_("The period starts after it ends"))
        lang = lang or language()
        period = stats.Period(start, end)
        with self.app.reading() as s:
            tables = stats.gather(s, period, lang)
        with write.atomic_output(path) as (fh, final):
            stats.write_workbook(fh, tables, period, self.app.desk.name, self.app.today(),
                                 lang)
        record_export(self.app, "statistics", {
            "from": start.isoformat() if start else None, "to": end.isoformat(),
            "sheets": len(tables), "format": "xlsx", "file": final.name})
        return ExportResult(final, len(tables), "xlsx")

    @staticmethod
    def _columns(keys: Sequence[str] | None, lang: str) -> list[Column]:
        known = {k: (h, kind) for k, h, kind in CANDIDATE_COLUMNS}
        keys = list(keys) if keys else list(known)
        bad = [k for k in keys if k not in known]
        if bad or not keys:
            raise ValidationError.of("columns", N_("“{value}” is not one of: {allowed}"),
                                     value=", ".join(bad), allowed=", ".join(known))
        return [Column(k, translate(known[k][0], lang), known[k][1]) for k in keys]

    def _summaries(self, query: str, filters: dict[str, Any], sort: str,
                   descending: bool) -> Iterator[CandidateSummary]:
        cursor: str | None = None
        seen: set[str] | None = set() if query.strip() else None  # term pages may repeat
        while True:
            page = self.app.candidates.search(query, **filters, limit=PAGE, cursor=cursor,
                                              sort=sort, descending=descending)
            for c in page.items:
                if seen is not None:
                    if c.id in seen:
                        continue
                    seen.add(c.id)
                yield c
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    def _rows(self, query: str, filters: dict[str, Any], sort: str, descending: bool,
              keys: list[str], lang: str, labels: bool,
              progress: Progress | None) -> Iterator[list[Any]]:
        from operator import attrgetter

        from migdesk.domain.places import REGIONS

        today = self.app.today()
        # One C-level getter a row, then the few coded columns through dictionaries.
        get = attrgetter(*[("birth_date" if k == "age" else k) for k in keys], "id")
        lookups: list[tuple[int, dict[str, str]]] = []
        if labels:
            tables = {"region": {r: region_name(r, lang) for r in REGIONS},
                      "status": {st.value: st.label(lang) for st in CandidateStatus},
                      "sex": {x.value: x.label(lang) for x in Sex}}
            lookups = [(i, tables[k]) for i, k in enumerate(keys) if k in tables]
        age = keys.index("age") if "age" in keys else None
        width = len(keys)

        n = 0
        for c in self._summaries(query, filters, sort, descending):
            row = list(get(c))
            del row[width:]
            for i, table in lookups:
                v = row[i]
                if v is not None:
                    row[i] = table.get(v, v)
            if age is not None:
                row[age] = age_on(row[age], today)
            yield row
            n += 1
            if progress is not None and n % 1000 == 0 and progress(n) is False:
                raise ExportCancelled.of(None, N_("Cancelled; no file was written"))
