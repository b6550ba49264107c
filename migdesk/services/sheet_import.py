"""Candidate lists from spreadsheets: pick a sheet, map its columns, see what each row will
do (dry run), then import all valid rows in one transaction.

The rows meet the form's own rules (services.validation.check_candidate) and the duplicate
matching of registration (the same personal number; the same date of birth with names that
match across scripts, names.names_match), against the registry and within the file.

The API a wizard calls, in order: sheets(file) → open(file, sheet) (header, notes) →
guess_mapping(file, sheet) → preview(file, sheet, mapping, n) → dry_run(...) →
import_(..., progress=, cancel=) → write_errors(result, path).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from migdesk.domain import names
from migdesk.domain.errors import FieldError, MigdeskError, ValidationError
from migdesk.domain.roles import Permission
from migdesk.domain.statuses import CandidateStatus
from migdesk.i18n import N_
from migdesk.services.validation import (
    CandidateInput,
    CheckedCandidate,
    ConsentInput,
    check_candidate,
)
from migdesk.sheets import cells as C
from migdesk.sheets import columns
from migdesk.sheets import read as R
from migdesk.store import audit as chain
from migdesk.store.bulk import paused_gc
from migdesk.store.journal import bulk_create
from migdesk.store.people import (
    Candidate,
    CandidateLanguage,
    CandidateOccupation,
    Consent,
    StatusChange,
)
from migdesk.store.types import monotonic_utcnow, new_id

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk

ON_EXISTING = ("update", "skip", "keep-newer")
CHUNK = 1000
# What a row does: new, update, unchanged (same values), skip (exists; --on-existing skip or
# the registry's record is newer), duplicate (suspected: held back), error.
OUTCOMES = ("new", "update", "unchanged", "skip", "duplicate", "error")
REASON_HEADER = "მიზეზი / Reason"


class ImportCancelled(MigdeskError):
    exit_code = 4


@dataclass(frozen=True, slots=True)
class RowOutcome:
    row: int                                  # the row number the spreadsheet shows
    outcome: str                              # one of OUTCOMES
    reasons: tuple[FieldError, ...] = ()      # why (errors, the suspected duplicate, a skip)
    notes: tuple[FieldError, ...] = ()        # what was corrected (a leading zero put back…)
    candidate_id: str | None = None           # the registry record it updates or resembles
    same_as_row: int | None = None            # the earlier row of the file it resembles

    def reason(self, lang: str) -> str:
        return "; ".join(e.line(lang) for e in self.reasons)

    def bilingual(self) -> str:
        return " / ".join((self.reason("ka"), self.reason("en"))) if self.reasons else ""


@dataclass(frozen=True)
class PreviewRow:
    row: int
    values: dict[str, str]                    # field → the value as it will be read
    problems: tuple[FieldError, ...] = ()


@dataclass
class Plan:
    """A dry run's (or an import's) account of every row."""

    file: str
    sha256: str
    sheet: str
    kind: str
    header: list[str]
    mapping: dict[str, str]
    on_existing: str
    rows: list[RowOutcome] = field(default_factory=list)
    notes: list[FieldError] = field(default_factory=list)
    skipped_empty: int = 0
    skipped_headers: int = 0
    imported: bool = False
    # Raw cells of the rows that did not go in, for the error file (row number → values).
    failed: dict[int, tuple[R.Value, ...]] = field(default_factory=dict)
    delimiter: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(OUTCOMES, 0)
        for r in self.rows:
            out[r.outcome] += 1
        return out

    @property
    def needs_correcting(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.outcome in ("error", "duplicate")]


Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


class SheetImportService:
    def __init__(self, app: Migdesk) -> None:
        self.app = app

    # -- the wizard's first steps ------------------------------------------------------------
    def sheets(self, file: str | Path) -> list[R.SheetInfo]:
        self.app.require(Permission.IMPORT)
        return R.sheets(file)

    def open(self, file: str | Path, sheet: str | None = None) -> R.Table:
        self.app.require(Permission.IMPORT)
        return R.open_table(file, sheet, columns.header_score)

    def guess_mapping(self, file: str | Path, sheet: str | None = None) -> dict[str, str]:
        """The mapping remembered for this layout of header, else one guessed from its words."""
        table = self.open(file, sheet)
        return self.mapping_for(table.header)

    def mapping_for(self, header: list[str]) -> dict[str, str]:
        saved = self.app.setting(columns.layout_key(header))
        if saved:
            try:
                mapping = columns.from_json(saved)
                if all(col in header for col in mapping.values()):
                    return mapping
            except ValidationError:
                pass
        return columns.guess_mapping(header)

    def remember_mapping(self, header: list[str], mapping: dict[str, str]) -> None:
        columns.check_mapping(mapping, header)
        self.app.set_setting(columns.layout_key(header), columns.to_json(mapping),
                             permission=Permission.IMPORT)

    def preview(self, file: str | Path, sheet: str | None = None,
                mapping: dict[str, str] | None = None, n: int = 20) -> list[PreviewRow]:
        """The first `n` rows as they will be read (no database look-ups)."""
        table = self.open(file, sheet)
        mapping = columns.check_mapping(mapping or self.mapping_for(table.header), table.header)
        index = {col: i for i, col in enumerate(table.header)}
        out = []
        for row in table.rows():
            inp, cells = _input(row, mapping, index)
            shown = {f: _shown(getattr(inp, f, None)) for f in _INPUT_FIELDS}
            shown["occupations"] = "; ".join(f"{c}:{y}" for c, y in inp.occupations)
            shown["languages"] = ", ".join(f"{c}:{lv}" for c, lv in inp.languages)
            out.append(PreviewRow(row.number, {k: v for k, v in shown.items() if v},
                                  tuple(cells.errors + cells.notes)))
            if len(out) >= n:
                break
        return out

    # -- dry run and import ------------------------------------------------------------------
    def dry_run(self, file: str | Path, sheet: str | None = None,
                mapping: dict[str, str] | None = None, on_existing: str = "skip", *,
                import_duplicates: bool = False, progress: Progress | None = None,
                cancel: Cancel | None = None) -> Plan:
        """What every row would do; nothing is written."""
        self.app.require(Permission.IMPORT)
        table, plan = self._start(file, sheet, mapping, on_existing)
        with self.app.reading() as s:
            for _chunk in self._plan(s, table, plan, import_duplicates, progress, cancel,
                                     _Written()):
                pass
        return plan

    def import_(self, file: str | Path, sheet: str | None = None,
                mapping: dict[str, str] | None = None, on_existing: str = "skip", *,
                import_duplicates: bool = False, errors_to: str | Path | None = None,
                progress: Progress | None = None, cancel: Cancel | None = None) -> Plan:
        """Import every valid row in ONE transaction (none if cancelled or anything fails),
        recorded in the audit trail with the file's name, hash and counts."""
        self.app.require(Permission.IMPORT)
        self.app.require(Permission.EDIT_CANDIDATES)
        table, plan = self._start(file, sheet, mapping, on_existing)
        self.app.backups.before_import(large=_estimate(table) >= 1000)
        today = self.app.today()
        mine = _Written()
        with paused_gc(), self.app.unit_of_work(f"spreadsheet import {plan.file}") as s:
            mine.start(s, self.app.desk_id)
            for chunk in self._plan(s, table, plan, import_duplicates, progress, cancel,
                                    mine):
                new = _NewRows()
                for outcome, checked, existing in chunk:
                    if outcome == "new":
                        mine.add(new.add(checked, today, self.app.officer))
                    elif outcome == "update":
                        self._update(s, existing, checked)
                s.flush()
                new.write(s)
                s.expunge_all()  # written: the session need not keep them
                if cancel is not None and cancel():
                    raise ImportCancelled.of(None, N_("The import was cancelled: nothing was "
                                                      "saved"))
            plan.imported = True
            _record(s, plan)
        if errors_to is not None and plan.needs_correcting:
            self.write_errors(plan, errors_to)
        return plan

    # -- the error file ----------------------------------------------------------------------
    def write_errors(self, plan: Plan, path: str | Path) -> int:
        """The rows that did not go in, in the input's layout plus a reason column (XLSX, or
        CSV when `path` ends in .csv). Corrected and imported again, they complete the set."""
        p = Path(path)
        header = [*plan.header, REASON_HEADER]
        pn_col = plan.mapping.get("personal_number")
        pn_at = plan.header.index(pn_col) if pn_col in plan.header else -1
        bad = [r for r in plan.rows if r.outcome in ("error", "duplicate")]

        def cells(r: RowOutcome) -> list[Any]:
            vals = list(plan.failed.get(r.row, ()))
            if 0 <= pn_at < len(vals) and vals[pn_at] is not None:
                vals[pn_at] = C.text(vals[pn_at])  # as text: the leading zero stays
            return [*vals, r.bilingual()]

        from migdesk.sheets.write import atomic_output

        # The rows hold personal data: the file is owner-only from its first byte, and
        # appears under its name only when complete (as an export's does).
        if p.suffix.lower() == ".csv":
            with atomic_output(p) as (raw, _final):
                fh = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                w = csv.writer(fh, delimiter=plan.delimiter or ",")
                w.writerow(header)
                for r in bad:
                    w.writerow(["" if v is None else v for v in cells(r)])
                fh.flush()
                fh.detach()
            self._record_errors(plan, p, len(bad))
            return len(bad)
        from openpyxl import Workbook

        # In memory (a few thousand rows at most): openpyxl's write-only mode would spool the
        # rows to a named temporary file in the clear.
        wb = Workbook()
        ws = wb.active
        ws.title = plan.sheet[:31] or "Sheet1"
        ws.append(header)
        for r in bad:
            out = [str(v) if isinstance(v, dt.timedelta | dt.time) else v for v in cells(r)]
            ws.append(out)
            for i, v in enumerate(out):
                cell = ws.cell(row=ws.max_row, column=i + 1)
                if i == pn_at:
                    cell.number_format = "@"
                elif isinstance(v, dt.date):
                    cell.number_format = "DD.MM.YYYY"
        with atomic_output(p) as (raw, _final):
            wb.save(raw)
        self._record_errors(plan, p, len(bad))
        return len(bad)

    def _record_errors(self, plan: Plan, path: Path, rows: int) -> None:
        """The error file holds the rows' personal data: an export, recorded as one (and
        removed if it cannot be)."""
        from migdesk.services.sheet_export import record_export

        record_export(self.app, "spreadsheet", {"what": "rows to correct", "rows": rows,
                                                "from": Path(plan.file).name,
                                                "file": path.name}, written=path)

    # -- internals ---------------------------------------------------------------------------
    def _start(self, file: str | Path, sheet: str | None, mapping: dict[str, str] | None,
               on_existing: str) -> tuple[R.Table, Plan]:
        if on_existing not in ON_EXISTING:
            raise ValidationError.of(None, N_("“{value}” is not one of: {allowed}"),
                                     value=on_existing, allowed=", ".join(ON_EXISTING))
        p = Path(file)
        table = R.open_table(p, sheet, columns.header_score)
        mapping = columns.check_mapping(mapping or self.mapping_for(table.header), table.header)
        plan = Plan(p.name, _sha256(p), table.sheet, table.kind, table.header, mapping,
                    on_existing, notes=list(table.notes), delimiter=table.delimiter)
        plan._mtime = dt.datetime.fromtimestamp(p.stat().st_mtime, dt.UTC)  # type: ignore
        return table, plan

    def _plan(self, s: Session, table: R.Table, plan: Plan, import_duplicates: bool,
              progress: Progress | None, cancel: Cancel | None, mine: _Written
              ) -> Iterator[list[tuple[str, CheckedCandidate | None, Candidate | None]]]:
        """Chunk by chunk: each row's outcome (appended to plan.rows) with what to write."""
        index = {col: i for i, col in enumerate(table.header)}
        today = self.app.today()
        seen_pn: dict[str, int] = {}                       # personal number → row
        # Earlier rows by birth date, their four names joined in one string (a large file
        # holds one of these per row: a third of the memory of a tuple of four).
        seen_birth: dict[dt.date, list[tuple[int, str]]] = {}
        total = _estimate(table)
        done = 0
        batch: list[tuple[R.Row, CheckedCandidate | None, C.Cells]] = []

        def flush_batch() -> list[tuple[str, CheckedCandidate | None, Candidate | None]]:
            out = self._decide(s, batch, plan, seen_pn, seen_birth, mine, import_duplicates)
            batch.clear()
            return out

        for row in table.rows():
            inp, cells = _input(row, plan.mapping, index)
            checked = None
            try:
                checked = check_candidate(inp, today)
            except ValidationError as exc:
                # The form's word on every column the sheet's own reading did not fault.
                faulted = {e.field for e in cells.errors}
                cells.errors.extend(e for e in _to_columns(exc.errors, plan.mapping)
                                    if e.field not in faulted)
            if cells.errors:
                checked = None
            batch.append((row, checked, cells))
            done += 1
            if len(batch) >= CHUNK:
                if cancel is not None and cancel():
                    raise ImportCancelled.of(None, N_("The import was cancelled: nothing was "
                                                      "saved"))
                yield flush_batch()
                if progress is not None:
                    progress(done, max(total, done))
        if batch:
            yield flush_batch()
        plan.skipped_empty, plan.skipped_headers = table.skipped_empty, table.skipped_headers
        if progress is not None:
            progress(done, done)

    def _decide(self, s: Session, batch: list[tuple[R.Row, CheckedCandidate | None, C.Cells]],
                plan: Plan, seen_pn: dict[str, int],
                seen_birth: dict[dt.date, list[tuple[int, str]]],
                mine: _Written, import_duplicates: bool
                ) -> list[tuple[str, CheckedCandidate | None, Candidate | None]]:
        pns = {str(c.values["personal_number"]) for _r, c, _x in batch if c}
        births = {c.values["birth_date"] for _r, c, _x in batch if c}
        by_pn: dict[str, Candidate] = {}
        by_birth: dict[dt.date, list[Any]] = {}
        if pns:
            for cand in s.scalars(select(Candidate).where(
                    Candidate.personal_number.in_(pns), Candidate.deleted.is_(False),
                    *mine.before())):
                if cand.id not in mine.ids:
                    by_pn[cand.personal_number] = cand
            # Only the columns the name test needs (not whole records): a large import
            # meets thousands of people born on the same days.
            for found in s.execute(select(
                    Candidate.id, Candidate.first_name_ka, Candidate.last_name_ka,
                    Candidate.first_name_lat, Candidate.last_name_lat, Candidate.birth_date
                    ).where(Candidate.birth_date.in_(births), Candidate.deleted.is_(False),
                            *mine.before())):
                if found.id not in mine.ids:
                    by_birth.setdefault(found.birth_date, []).append(found)
        out: list[tuple[str, CheckedCandidate | None, Candidate | None]] = []
        for row, checked, cells in batch:
            notes = tuple(cells.notes)
            if checked is None:
                plan.rows.append(RowOutcome(row.number, "error", tuple(cells.errors), notes))
                plan.failed[row.number] = row.values
                continue
            v = checked.values
            pn, birth = str(v["personal_number"]), v["birth_date"]
            assert isinstance(birth, dt.date)
            col = plan.mapping.get("personal_number", "")
            key = (str(v["first_name_ka"]), str(v["last_name_ka"]), str(v["first_name_lat"]),
                   str(v["last_name_lat"]))
            if pn in seen_pn:
                plan.rows.append(RowOutcome(row.number, "error", (FieldError(
                    col, N_("The same personal number is in row {row} of this file"),
                    {"row": seen_pn[pn]}),), notes, same_as_row=seen_pn[pn]))
                plan.failed[row.number] = row.values
                continue
            seen_pn[pn] = row.number
            existing = by_pn.get(pn)
            if existing is not None:
                outcome, why = self._existing(existing, checked, plan)
                plan.rows.append(RowOutcome(row.number, outcome, why, notes, existing.id))
                out.append((outcome, checked, existing))
                continue
            twin_row = next((r for r, k in seen_birth.get(birth, ())
                             if _alike(key, tuple(k.split(_SEP)))), None)  # type: ignore[arg-type]
            seen_birth.setdefault(birth, []).append((row.number, _SEP.join(key)))
            twin = next((c for c in by_birth.get(birth, ()) if _alike(
                key, (c.first_name_ka, c.last_name_ka, c.first_name_lat, c.last_name_lat))),
                None)
            if (twin_row or twin) and not import_duplicates:
                if twin is not None:
                    note = FieldError(None, N_("May be the same person as {name} ({lat}), born "
                                               "{birth}, already registered (id {id})"),
                                      {"name": f"{twin.first_name_ka} {twin.last_name_ka}",
                                       "lat": f"{twin.first_name_lat} {twin.last_name_lat}",
                                       "birth": birth.isoformat(), "id": twin.id[:8]})
                else:
                    note = FieldError(None, N_("May be the same person as row {row} of this "
                                               "file (name and date of birth)"),
                                      {"row": twin_row})
                plan.rows.append(RowOutcome(row.number, "duplicate", (note,), notes,
                                            twin.id if twin else None, twin_row))
                plan.failed[row.number] = row.values
                continue
            plan.rows.append(RowOutcome(row.number, "new", (), notes))
            out.append(("new", checked, None))
        return out

    def _existing(self, cand: Candidate, checked: CheckedCandidate, plan: Plan
                  ) -> tuple[str, tuple[FieldError, ...]]:
        if plan.on_existing == "skip":
            return "skip", (FieldError(None, N_("Already registered (id {id}): left as it is"),
                                       {"id": cand.id[:8]}),)
        if plan.on_existing == "keep-newer":
            changed = cand.updated_at
            if changed.tzinfo is None:
                changed = changed.replace(tzinfo=dt.UTC)
            if changed > plan._mtime:  # type: ignore[attr-defined]
                return "skip", (FieldError(None, N_("The registry's record (id {id}) changed "
                                                    "after the file was saved: kept"),
                                           {"id": cand.id[:8]}),)
        differs = [k for k, val in checked.values.items()
                   if val is not None and getattr(cand, k) != val]
        occ = {o.isco_code: o.years for o in cand.occupations if not o.deleted}
        langs = {x.language: x.level for x in cand.languages if not x.deleted}
        differs += [c for c, y in checked.occupations.items() if occ.get(c) != y]
        differs += [c for c, lv in checked.languages.items() if langs.get(c) != lv]
        return ("update" if differs else "unchanged"), ()

    def _update(self, s: Session, cand: Candidate | None, checked: CheckedCandidate | None
                ) -> None:
        """The sheet's values over the record's; what the sheet leaves empty stays."""
        assert cand is not None and checked is not None
        for k, val in checked.values.items():
            if val is not None and getattr(cand, k) != val:
                setattr(cand, k, val)
        occ = {o.isco_code: o.years for o in cand.occupations if not o.deleted}
        occ.update(checked.occupations)
        langs = {x.language: x.level for x in cand.languages if not x.deleted}
        langs.update(checked.languages)
        self.app.candidates._sync_children(s, cand, occ, langs)
        if checked.consent and not any(c.given_on == checked.consent["given_on"]
                                       and not c.deleted for c in cand.consents):
            s.add(Consent(candidate_id=cand.id, **checked.consent))


class _Written:
    """The rows this import has written so far, to be told apart from the registry's.

    The file's own rows are compared among themselves (seen_pn, seen_birth); fetching them
    back from the database with every later chunk made a large import quadratic. They are the
    desk's rows created since the import began, which SQL can leave out — unless the clock
    went back since some earlier row was made, when only the ids tell them apart."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.since: dt.datetime | None = None
        self.desk: str | None = None

    def start(self, s: Session, desk: str) -> None:
        since = monotonic_utcnow()
        later = s.scalar(select(func.count()).select_from(Candidate).where(
            Candidate.origin_desk == desk, Candidate.created_at >= since))
        self.since, self.desk = (since, desk) if not later else (None, None)

    def add(self, cid: str) -> None:
        # Kept even with the SQL filter: a clock stepped back during the import would put
        # its later rows before `since` (rows are stamped with the wall clock).
        self.ids.add(cid)

    def before(self) -> list[Any]:
        if self.since is None:
            return []
        return [~and_(Candidate.origin_desk == self.desk, Candidate.created_at >= self.since)]


class _NewRows:
    """A chunk's new candidates with their occupations, languages, consent and first status,
    written with journal.bulk_create (the same sync fields and journal rows as the flush
    hook, by executemany)."""

    def __init__(self) -> None:
        self.rows: dict[type, list[dict[str, Any]]] = {
            Candidate: [], CandidateOccupation: [], CandidateLanguage: [], Consent: [],
            StatusChange: []}

    def add(self, checked: CheckedCandidate | None, today: dt.date, officer: str) -> str:
        assert checked is not None
        cid = new_id()
        self.rows[Candidate].append({"id": cid, **checked.values,
                                     "status": CandidateStatus.REGISTERED,
                                     "registered_on": today})
        for code, years in checked.occupations.items():
            self.rows[CandidateOccupation].append(
                {"candidate_id": cid, "isco_code": code, "years": years})
        for code, level in checked.languages.items():
            self.rows[CandidateLanguage].append(
                {"candidate_id": cid, "language": code, "level": level})
        if checked.consent:
            self.rows[Consent].append({"candidate_id": cid, **checked.consent})
        self.rows[StatusChange].append({
            "candidate_id": cid, "from_status": None, "to_status": CandidateStatus.REGISTERED,
            "changed_at": monotonic_utcnow(), "officer": officer,
            "reason": "spreadsheet import"})
        return cid

    def write(self, s: Session) -> None:
        for model, rows in self.rows.items():  # parents first
            bulk_create(s, model, rows, reason="spreadsheet import")


def _record(s: Session, plan: Plan) -> None:
    """The one audit entry of an import (re-point here when the audit API changes)."""
    chain.add_event(s, "import", "spreadsheet", None, {
        "file": plan.file, "sha256": plan.sha256, "sheet": plan.sheet,
        "on_existing": plan.on_existing, **plan.counts})


# -- rows into the form's input -------------------------------------------------------------
_INPUT_FIELDS = ("personal_number", "first_name_ka", "last_name_ka", "first_name_lat",
                 "last_name_lat", "birth_date", "sex", "region", "address", "phone", "email",
                 "passport_number", "passport_expiry", "education", "notes")
_PLAIN = ("address", "phone", "email", "passport_number", "education", "notes",
          "first_name_lat", "last_name_lat")


def _input(row: R.Row, mapping: dict[str, str], index: dict[str, int]
           ) -> tuple[CandidateInput, C.Cells]:
    cells = C.Cells()

    def raw(f: str) -> R.Value:
        col = mapping.get(f)
        return row.values[index[col]] if col is not None else None

    col = mapping.get
    pn = C.personal_number(raw("personal_number"), col("personal_number", ""), cells)
    first = C.georgian_name(raw("first_name_ka"), col("first_name_ka", ""), cells)
    last = C.georgian_name(raw("last_name_ka"), col("last_name_ka", ""), cells)
    if "full_name_ka" in mapping:
        header = columns.fold(mapping["full_name_ka"])
        last_first = header.startswith(("გვარი", "last", "surname", "фамилия"))
        f2, l2 = C.split_full_name(raw("full_name_ka"), mapping["full_name_ka"], cells,
                                   last_first)
        first, last = first or f2, last or l2
    elif first and not last and " " in first and "last_name_ka" in mapping:
        f2, l2 = C.split_full_name(first, mapping["first_name_ka"], cells, False)
        first, last = f2, l2
    plain = {f: (C.text(raw(f)) if f in mapping else None) for f in _PLAIN}
    if plain["phone"] and isinstance(raw("phone"), float | int):
        plain["phone"] = C.text(raw("phone"))
    consent = None
    if "consent_date" in mapping and raw("consent_date") is not None:
        given = C.date(raw("consent_date"), col("consent_date", ""), cells)
        consent = ConsentInput(given or "", C.text(raw("consent_scope")) or "")
    inp = CandidateInput(
        personal_number=pn or "", first_name_ka=first or "", last_name_ka=last or "",
        birth_date=C.date(raw("birth_date"), col("birth_date", ""), cells) or "",
        sex=C.sex(raw("sex"), col("sex", ""), cells),
        region=C.region(raw("region"), col("region", ""), cells),
        passport_expiry=C.date(raw("passport_expiry"), col("passport_expiry", ""), cells),
        occupations=C.occupations(raw("occupations"), col("occupations", ""), cells,
                                  raw("years"), col("years", "")),
        languages=C.languages(raw("languages"), col("languages", ""), cells),
        consent=consent, **plain)
    return inp, cells


_FIELD_OF_ERROR = {"occupations": "occupations", "years": "years", "languages": "languages",
                   "level": "languages", "consent": "consent_date", "education": "education"}


def _to_columns(errors: list[FieldError], mapping: dict[str, str]) -> list[FieldError]:
    """The form's errors named by the sheet's column (the form's label when unmapped)."""
    out = []
    for e in errors:
        f = _FIELD_OF_ERROR.get(e.field or "", e.field or "")
        col = mapping.get(f)
        if col is None and f in ("first_name_ka", "last_name_ka"):
            col = mapping.get("full_name_ka")
        out.append(FieldError(col or e.field, e.msgid, e.params))
    return out


_SEP = "\x1f"  # the unit separator: in no name (names.py refuses control characters)


def _alike(a: tuple[str, str, str, str], b: tuple[str, str, str, str]) -> bool:
    """Registration's test (CandidateService._similar): Georgian or Latin names match."""
    return names.same_names(((a[0], a[1]), (a[2], a[3])), ((b[0], b[1]), (b[2], b[3])))


def _shown(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def _sha256(p: Path) -> str:
    h = hashlib.sha256()
    with p.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _estimate(table: R.Table) -> int:
    """Rows expected (for progress and the backup decision) without reading them all."""
    height = getattr(table, "_height", None)
    if height:
        return max(0, int(height) - table.header_row)
    try:
        size = table.path.stat().st_size
    except OSError:
        return 0
    return size // 80
