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

PAGE = 10_000
# The order of CandidateService's summary columns (candidates.SUMMARY_COLUMNS).
_SUMMARY_KEYS = ("id", "personal_number", "first_name_ka", "last_name_ka", "first_name_lat",
                 "last_name_lat", "birth_date", "sex", "region", "status", "passport_expiry")
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


def record_export(app: Migdesk, entity: str, detail: dict[str, Any],
                  written: Path | None = None) -> None:
    """The one audit entry of an export. If it cannot be recorded, the file just written is
    removed: no personal data leaves the desk unrecorded."""
    try:
        app.record("export", entity, None, detail)
    except BaseException:
        if written is not None:
            written.unlink(missing_ok=True)
        raise


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
            "file": final.name}, written=final)
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
            "sheets": len(tables), "format": "xlsx", "file": final.name}, written=final)
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
                   descending: bool) -> Iterator[Sequence[Any]]:
        """Summary rows in CANDIDATE order: the values of SUMMARY_COLUMNS, dates as ISO
        text. With a search query through CandidateService.search (its pages may repeat a
        candidate matched by two words); without one, the same keyset-paged listing read as
        plain driver tuples (no row objects: the export's hot path)."""
        if query.strip():
            yield from self._searched(query, filters, sort, descending)
            return
        yield from self._listed(filters, sort, descending)

    def _searched(self, query: str, filters: dict[str, Any], sort: str,
                  descending: bool) -> Iterator[Sequence[Any]]:
        cursor: str | None = None
        seen: set[str] = set()
        while True:
            page = self.app.candidates.search(query, **filters, limit=PAGE, cursor=cursor,
                                              sort=sort, descending=descending)
            for c in page.items:
                if c.id not in seen:
                    seen.add(c.id)
                    yield (c.id, c.personal_number, c.first_name_ka, c.last_name_ka,
                           c.first_name_lat, c.last_name_lat, c.birth_date.isoformat(), c.sex,
                           c.region, c.status,
                           c.passport_expiry.isoformat() if c.passport_expiry else None)
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    def _listed(self, filters: dict[str, Any], sort: str,
                descending: bool) -> Iterator[Sequence[Any]]:
        from sqlalchemy import select, tuple_

        from migdesk.services.candidates import PLAIN_SUMMARY, SORT_KEYS, CandidateService
        from migdesk.services.rows import driver_rows
        from migdesk.store.people import Candidate

        self.app.require(Permission.VIEW)
        if sort not in SORT_KEYS:
            raise ValidationError.of(None, N_("“{value}” is not one of: {allowed}"),
                                     value=sort, allowed=", ".join(SORT_KEYS))
        conds = CandidateService._filters(**filters)
        keys = [getattr(Candidate, k) for k in SORT_KEYS[sort]]
        positions = [_SUMMARY_KEYS.index(k) for k in SORT_KEYS[sort]]
        order = [k.desc() for k in keys] if descending else keys
        after: list[Any] | None = None
        while True:
            stmt = select(*PLAIN_SUMMARY).where(Candidate.deleted.is_(False), *conds)
            if after is not None:
                stmt = stmt.where(tuple_(*keys) < tuple_(*after) if descending
                                  else tuple_(*keys) > tuple_(*after))
            with self.app.reading() as s:
                rows = driver_rows(s.connection(), stmt.order_by(*order).limit(PAGE))
            yield from rows
            if len(rows) < PAGE:
                return
            after = [rows[-1][i] for i in positions]

    def _rows(self, query: str, filters: dict[str, Any], sort: str, descending: bool,
              keys: list[str], lang: str, labels: bool,
              progress: Progress | None) -> Iterator[list[Any]]:
        from operator import itemgetter

        from migdesk.domain.places import REGIONS

        today = self.app.today()
        # One C-level getter a row, then the few coded columns through dictionaries.
        get = itemgetter(*[_SUMMARY_KEYS.index("birth_date" if k == "age" else k)
                           for k in keys], 0)
        lookups: list[tuple[int, dict[str, str]]] = []
        if labels:
            tables = {"region": {r: region_name(r, lang) for r in REGIONS},
                      "status": {st.value: st.label(lang) for st in CandidateStatus},
                      "sex": {x.value: x.label(lang) for x in Sex}}
            lookups = [(i, tables[k]) for i, k in enumerate(keys) if k in tables]
        age = keys.index("age") if "age" in keys else None
        ty, tm, td = today.year, today.month, today.day
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
                b = row[age]
                row[age] = ty - int(b[:4]) - ((tm, td) < (int(b[5:7]), int(b[8:10])))
            yield row
            n += 1
            if progress is not None and n % 1000 == 0 and progress(n) is False:
                raise ExportCancelled.of(None, N_("Cancelled; no file was written"))
