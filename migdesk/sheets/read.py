"""Reading a candidate list from XLSX, ODS or CSV, row by row.

XLSX and ODS are read with python-calamine (Rust: formulas come as their saved values, real
dates as dates); CSV with the standard csv module after telling its encoding (UTF-8 with or
without BOM, UTF-16 "Unicode text", Windows-1251) and separator apart. The header row is
found below any title rows; empty rows and repeated header rows are skipped and counted.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET  # noqa: S405 (only the attributes of <col> elements)

from migdesk.domain.errors import FieldError, ValidationError
from migdesk.i18n import N_

Value = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None

HEAD_SCAN = 30          # rows looked at to find the header
# Sheets longer than this are streamed (xlsx.py: memory that does not grow with the sheet,
# reading about 4x slower); shorter ones are read by calamine at once (about 70 bytes a cell).
STREAM_ROWS = 50_000
STREAM_BYTES = 32 << 20  # or whose XML is larger (a file without a <dimension> row count)
SAMPLE_BYTES = 64 * 1024
MAX_FIELD = 64 * 1024   # one CSV field (a hostile file with no line ends stays bounded)


@dataclass(frozen=True)
class SheetInfo:
    name: str
    visible: bool = True


@dataclass(frozen=True)
class Row:
    number: int                 # the row number the spreadsheet program shows (1-based)
    values: tuple[Value, ...]


@dataclass
class Table:
    """One sheet opened for reading: its header and, through rows(), its data rows."""

    path: Path
    kind: str                   # xlsx | ods | xls | csv
    sheet: str
    header: list[str]
    header_row: int             # 1-based; 0 when the file has no rows
    hidden_columns: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[FieldError] = field(default_factory=list)
    skipped_empty: int = 0
    skipped_headers: int = 0
    _source: Callable[[], Iterator[tuple[int, list[Value]]]] | None = None

    def rows(self) -> Iterator[Row]:
        """Data rows below the header: empty rows and repeats of the header left out."""
        assert self._source is not None
        width = len(self.header)
        key = _header_key(self.header)
        self.skipped_empty = self.skipped_headers = 0
        for number, raw in self._source():
            if number <= self.header_row:
                continue
            if not any(_filled(v) for v in raw):
                self.skipped_empty += 1
                continue
            if _header_key(raw) == key:
                self.skipped_headers += 1
                continue
            vals = list(raw[:width]) + [None] * (width - len(raw))
            yield Row(number, tuple(vals))


def refuse(msgid: str, **params: object) -> ValidationError:
    return ValidationError(FieldError(None, msgid, params))  # type: ignore[return-value]


# -- what kind of file --------------------------------------------------------------------
def kind_of(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise refuse(N_("No file “{name}”"), name=path.name) from None
    except OSError as exc:
        raise refuse(N_("Cannot read “{name}”: {detail}"), name=path.name,
                     detail=exc.strerror or str(exc)) from None
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
                if "mimetype" in names and z.read("mimetype").startswith(
                        b"application/vnd.oasis.opendocument.spreadsheet"):
                    return "ods"
                if "xl/workbook.xml" in names:
                    return "xlsx"
        except (zipfile.BadZipFile, OSError, KeyError):
            pass
        raise _not_a_sheet(path)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if path.suffix.lower() in (".xlsx", ".xlsm", ".ods", ".xls"):
        raise _not_a_sheet(path)
    return "csv"


def _not_a_sheet(path: Path) -> ValidationError:
    return refuse(N_("“{name}” is not a spreadsheet migdesk can read (XLSX, ODS or CSV)"),
                  name=path.name)


def sheets(path: str | Path) -> list[SheetInfo]:
    """The sheets of a workbook (a CSV file has one, named after the file)."""
    p = Path(path)
    kind = kind_of(p)
    if kind == "csv":
        return [SheetInfo(p.stem)]
    wb = _workbook(p)
    try:
        return [SheetInfo(m.name, str(m.visible).lower().endswith("visible"))
                for m in wb.sheets_metadata if "work" in str(m.typ).lower()]
    finally:
        wb.close()


def _workbook(p: Path) -> Any:
    import python_calamine

    try:
        return python_calamine.CalamineWorkbook.from_path(str(p))
    except python_calamine.PasswordError:
        raise refuse(N_("“{name}” is protected by a password: save it without one"),
                     name=p.name) from None
    except Exception:  # calamine raises its own kinds for broken zips and XML
        raise _not_a_sheet(p) from None


def open_table(path: str | Path, sheet: str | None = None,
               is_header: Callable[[list[str]], int] | None = None) -> Table:
    """Open one sheet (the first visible one by default) and find its header row.

    `is_header(cells)` scores a row as a header (how many cells are known column names);
    the first row with the best score wins, else the first row of the widest ones."""
    p = Path(path)
    kind = kind_of(p)
    if kind == "csv":
        table = _csv_table(p)
    else:
        table = _book_table(p, kind, sheet)
    _find_header(table, is_header)
    return table


# -- workbooks ----------------------------------------------------------------------------
def _book_table(p: Path, kind: str, sheet: str | None) -> Table:
    import python_calamine

    if kind == "xlsx":
        streamed = _streamed_table(p, sheet)
        if streamed is not None:
            return streamed

    wb = _workbook(p)
    names = [m.name for m in wb.sheets_metadata if "work" in str(m.typ).lower()]
    visible = [m.name for m in wb.sheets_metadata if "work" in str(m.typ).lower()
               and str(m.visible).lower().endswith("visible")]
    if sheet is None:
        if not names:
            raise refuse(N_("“{name}” has no sheets"), name=p.name)
        sheet = (visible or names)[0]
    elif sheet not in names:
        raise refuse(N_("No sheet “{sheet}” in “{name}” (it has: {sheets})"), sheet=sheet,
                     name=p.name, sheets=", ".join(names))
    try:
        ws = wb.get_sheet_by_name(sheet)
    except python_calamine.CalamineError:
        raise _not_a_sheet(p) from None
    start_row, start_col = ws.start or (0, 0)
    merged = ws.merged_cell_ranges or []

    def source() -> Iterator[tuple[int, list[Value]]]:
        pad: list[Value] = [None] * start_col
        for i, row in enumerate(ws.iter_rows()):
            yield start_row + i + 1, pad + [None if v == "" else v for v in row]

    table = Table(p, kind, sheet, [], 0, _source=source)
    table._merged = merged  # type: ignore[attr-defined]
    table._height = start_row + (ws.height or 0)  # type: ignore[attr-defined]
    hidden = _hidden_xlsx(p, sheet) if kind == "xlsx" else (
        _hidden_ods(p, sheet) if kind == "ods" else set())
    table._hidden = hidden  # type: ignore[attr-defined]
    return table


def _streamed_table(p: Path, sheet: str | None) -> Table | None:
    """A long XLSX sheet read as a stream, or None when calamine should read it."""
    from migdesk.sheets import xlsx

    try:
        wb = xlsx.Workbook(p)
    except xlsx.BrokenWorkbook:
        return None  # calamine gives the reason
    try:
        entries = {e.name: e for e in wb.sheets}
        if sheet is None:
            chosen = next((e for e in wb.sheets if e.visible), None) or next(
                iter(wb.sheets), None)
        else:
            chosen = entries.get(sheet)
        if chosen is None or (wb.height(chosen) <= STREAM_ROWS
                              and wb.size(chosen) <= STREAM_BYTES):
            wb.close()
            return None
        height = wb.height(chosen)
        merged = wb.merges(chosen)
    except (xlsx.BrokenWorkbook, KeyError, OSError, zipfile.BadZipFile, ValueError):
        return None  # calamine reads it, or gives the reason
    finally:
        wb.close()

    def source() -> Iterator[tuple[int, list[Value]]]:
        try:
            book = xlsx.Workbook(p)
        except xlsx.BrokenWorkbook:
            raise _not_a_sheet(p) from None
        try:
            yield from book.rows(chosen)
        except xlsx.BrokenWorkbook:
            raise _not_a_sheet(p) from None
        finally:
            book.close()

    table = Table(p, "xlsx", chosen.name, [], 0, _source=source)
    table._merged = merged  # type: ignore[attr-defined]
    table._height = height  # type: ignore[attr-defined]
    table._hidden = _hidden_xlsx(p, chosen.name)  # type: ignore[attr-defined]
    return table


def _col_letters(n: int) -> str:
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _hidden_xlsx(p: Path, sheet: str) -> set[int]:
    """0-based indices of hidden columns, from the sheet's <cols> (read up to <sheetData>)."""
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        with zipfile.ZipFile(p) as z:
            book = ET.fromstring(z.read("xl/workbook.xml"))  # noqa: S314
            rid = next((s.get(rel) for s in book.iter(ns + "sheet") if s.get("name") == sheet),
                       None)
            rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
            target = next((r.get("Target") for r in rels if r.get("Id") == rid), None)
            if not target:
                return set()
            member = target.lstrip("/") if target.startswith("/") else "xl/" + target
            hidden: set[int] = set()
            with z.open(member) as fh:
                for _ev, el in ET.iterparse(fh, events=("start",)):  # noqa: S314
                    if el.tag == ns + "sheetData":
                        break
                    if el.tag == ns + "col" and el.get("hidden") in ("1", "true"):
                        lo, hi = int(el.get("min", "1")), int(el.get("max", "1"))
                        hidden.update(range(lo - 1, min(hi, lo + 16384)))
            return hidden
    except (KeyError, ET.ParseError, zipfile.BadZipFile, ValueError, StopIteration):
        return set()


def _hidden_ods(p: Path, sheet: str) -> set[int]:
    t = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    hidden: set[int] = set()
    try:
        with zipfile.ZipFile(p) as z, z.open("content.xml") as fh:
            inside, col = False, 0
            for ev, el in ET.iterparse(fh, events=("start",)):  # noqa: S314
                if el.tag == t + "table":
                    if inside:
                        break
                    inside = el.get(t + "name") == sheet
                elif inside and el.tag == t + "table-column":
                    n = min(int(el.get(t + "number-columns-repeated", "1")), 16384)
                    if el.get(t + "visibility") in ("collapse", "filter"):
                        hidden.update(range(col, col + n))
                    col += n
                elif inside and el.tag == t + "table-row":
                    break
                del ev
    except (KeyError, ET.ParseError, zipfile.BadZipFile, ValueError):
        return set()
    return hidden


# -- CSV ----------------------------------------------------------------------------------
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def detect_encoding(head: bytes) -> str:
    """utf-8-sig, utf-16 or cp1251 — or refuse what cannot be told apart."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head and head.count(b"\x00") * 4 > len(head):
        return "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
    if b"\x00" in head:
        raise refuse(N_("The file holds binary data, not text: is it really a CSV file?"))
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and exc.reason.startswith("unexpected end"):
            return "utf-8"  # a character cut by the end of the sample
    # Russian in Windows-1251 is nearly all bytes 0xC0-0xFF (А-я) and Ё/ё; broken UTF-8
    # (Georgian is 0xE1 0x83 ..) or another code page is not.
    high = [b for b in head if b >= 0x80]
    letters = [b for b in high if b >= 0xC0 or b in (0xA8, 0xB8)]
    if high and len(letters) >= 0.95 * len(high) and b"\xe1\x83" not in head:
        text = head.decode("cp1251", "replace")
        if _CYRILLIC.search(text):
            return "cp1251"
    raise refuse(N_("Cannot tell this file's text encoding: save it as “CSV UTF-8” "
                    "and import it again"))


def _csv_table(p: Path) -> Table:
    with p.open("rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    encoding = detect_encoding(head)
    sample = head.decode(encoding, "ignore")
    delimiter = _delimiter(sample, encoding)

    def source() -> Iterator[tuple[int, list[Value]]]:
        limit = csv.field_size_limit()
        csv.field_size_limit(MAX_FIELD)
        try:
            with p.open("rb") as raw:
                text = io.TextIOWrapper(raw, encoding=encoding, newline="", errors="strict")
                reader = csv.reader(text, delimiter=delimiter)
                try:
                    for fields in reader:
                        yield reader.line_num, [f if f != "" else None for f in fields]
                except UnicodeDecodeError:
                    raise refuse(N_("Line {line} is not valid {encoding} text"),
                                 line=reader.line_num + 1, encoding=encoding) from None
                except csv.Error:
                    raise refuse(N_("Line {line} cannot be read as CSV (a quote left open "
                                    "or a field over {n} characters)"),
                                 line=reader.line_num, n=MAX_FIELD) from None
        finally:
            csv.field_size_limit(limit)

    return Table(p, "csv", p.stem, [], 0, encoding=encoding, delimiter=delimiter,
                 _source=source)


def _delimiter(sample: str, encoding: str) -> str:
    lines = sample.splitlines()[:50]
    if len(lines) > 1:
        lines = lines[:-1]  # the last may be cut by the sample's end
    text = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(text, delimiters=",;\t").delimiter
    except csv.Error:
        pass
    if encoding.startswith("utf-16"):
        return "\t"
    counts = {d: sum(line.count(d) for line in lines) for d in ",;\t"}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


# -- the header ---------------------------------------------------------------------------
def _filled(v: Value) -> bool:
    return v is not None and not (isinstance(v, str) and not v.strip())


def _text(v: Value) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return " ".join(str(v).replace("\u00a0", " ").split())


def _header_key(cells: list[Value] | tuple[Value, ...] | list[str]) -> tuple[str, ...]:
    key = [_text(c).casefold() for c in cells]
    while key and not key[-1]:
        key.pop()
    return tuple(key)


def _find_header(table: Table, is_header: Callable[[list[str]], int] | None) -> None:
    assert table._source is not None
    head: list[tuple[int, list[Value]]] = []
    for number, raw in table._source():
        if any(_filled(v) for v in raw):
            head.append((number, raw))
        if len(head) >= HEAD_SCAN:
            break
    if not head:
        raise refuse(N_("“{name}” has no rows to import"), name=table.path.name)
    widths = [sum(1 for v in raw if _filled(v)) for _n, raw in head]
    scores = [is_header([_text(v) for v in raw]) if is_header else 0 for _n, raw in head]
    if max(scores) > 0:
        at = scores.index(max(scores))
    else:
        widest = max(widths)
        at = next(i for i, w in enumerate(widths) if w * 2 > widest or w == widest)
    number, raw = head[at]
    labels = [_text(v) for v in raw]
    # A two-level header: a merged group label above, or part labels left blank in the
    # merged cells of the header row itself.
    above = head[at - 1][1] if at > 0 and head[at - 1][0] == number - 1 else None
    for i, lab in enumerate(labels):
        if not lab and above is not None and i < len(above) and _filled(above[i]):
            labels[i] = _text(above[i])
    for r in getattr(table, "_merged", []):
        try:
            (r0, c0), (r1, c1) = r.start, r.end
        except (AttributeError, TypeError, ValueError):
            continue
        if r0 + 1 <= number <= r1 + 1:
            for c in range(c0 + 1, min(c1 + 1, len(labels))):
                if not labels[c] and labels[c0]:
                    labels[c] = labels[c0]
    while labels and not labels[-1]:
        labels.pop()
    seen: dict[str, int] = {}
    for i, lab in enumerate(labels):
        lab = lab or _col_letters(i)
        seen[lab] = seen.get(lab, 0) + 1
        labels[i] = lab if seen[lab] == 1 else f"{lab} ({seen[lab]})"
    table.header, table.header_row = labels, number
    hidden: set[int] = getattr(table, "_hidden", set())
    table.hidden_columns = [labels[i] for i in sorted(hidden) if i < len(labels)]
    if at > 0:
        table.notes.append(FieldError(None, N_("The header is row {row}; the rows above it "
                                               "were left out"), {"row": number}))
    if table.hidden_columns:
        table.notes.append(FieldError(None, N_("Hidden columns are read too: {columns}"),
                                      {"columns": ", ".join(table.hidden_columns)}))
