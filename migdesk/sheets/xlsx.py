"""Reading an XLSX sheet as a stream of rows, in memory that does not grow with the sheet.

python-calamine (used for ODS and XLS) parses a whole sheet into memory before the first row
comes out: about 70 bytes a cell, 95 MB for a 100,000-row list. This reader feeds the sheet's
XML through expat straight from the zip member and keeps one row at a time; what it holds
besides is the workbook's table of shared strings (each distinct text once) and its number
formats. Formulas come as the values the spreadsheet program saved with them, dates (cells
whose number format is a date format) as dates, as calamine gives them.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET  # noqa: S405 (small parts; the sheet goes to expat)
from xml.parsers import expat  # noqa: S410 (no DTDs or entities are expanded by expat here)

Value = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAX_COLUMNS = 16384
MAX_ROWS = 1_048_576    # a spreadsheet program's last row: a higher number is a forged file
MAX_MERGES = 10_000

# Built-in number formats that show dates or times (ECMA-376 §18.8.30 and the CJK ones).
_DATE_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_EPOCH = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


class BrokenWorkbook(Exception):
    """The file is a zip but not a workbook this reader understands."""


@dataclass(frozen=True)
class SheetEntry:
    name: str
    visible: bool
    member: str                 # the sheet's part inside the zip


@dataclass(frozen=True)
class Merge:
    """A merged range, 0-based and inclusive, as calamine's (start, end) pairs."""

    start: tuple[int, int]
    end: tuple[int, int]


def column_index(ref: str) -> int:
    """0-based column of a cell reference such as "AB12"."""
    n = 0
    for ch in ref:
        o = ord(ch)
        if 65 <= o <= 90:
            n = n * 26 + o - 64
        elif 97 <= o <= 122:
            n = n * 26 + o - 96
        else:
            break
    return n - 1


def _ref(ref: str) -> tuple[int, int]:
    col = column_index(ref)
    digits = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz$")
    return int(digits.replace("$", "") or "1") - 1, col


def _is_date_format(code: str) -> bool:
    bare = _QUOTED.sub("", code).lower()
    return any(c in bare for c in "dyhs") or ("m" in bare and ":" in bare)


class Workbook:
    """An open XLSX file: its sheets, shared strings and date formats."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
            self.sheets = self._sheets()
            self._strings: list[str] | None = None
            self._dates: list[bool] | None = None
        except (KeyError, ET.ParseError, zipfile.BadZipFile, ValueError, OSError) as exc:
            raise BrokenWorkbook(str(exc)) from None

    def close(self) -> None:
        self.zip.close()

    # -- the parts ---------------------------------------------------------------------------
    def _xml(self, member: str) -> ET.Element:
        return ET.fromstring(self.zip.read(member))  # noqa: S314 (no entities: expat refuses)

    def _sheets(self) -> list[SheetEntry]:
        book = self._xml("xl/workbook.xml")
        pr = book.find(MAIN + "workbookPr")
        self.date1904 = pr is not None and pr.get("date1904") in ("1", "true")
        self.targets = self._rels()
        out = []
        for s in book.iter(MAIN + "sheet"):
            target = self.targets.get(s.get(REL, ""), ("", ""))
            if not target[0].endswith("/worksheet"):
                continue  # a chart sheet or a dialog sheet has no rows
            out.append(SheetEntry(s.get("name", ""), s.get("state", "visible") == "visible",
                                  target[1]))
        return out

    def _rels(self) -> dict[str, tuple[str, str]]:
        rels = self._xml("xl/_rels/workbook.xml.rels")
        out = {}
        for r in rels.iter(PKG_REL + "Relationship"):
            target = r.get("Target", "")
            member = target.lstrip("/") if target.startswith("/") else "xl/" + target
            out[r.get("Id", "")] = (r.get("Type", ""), member)
        return out

    def _member_of(self, kind: str, default: str) -> str | None:
        for typ, member in self.targets.values():
            if typ.endswith("/" + kind):
                return member
        return default if default in self.zip.namelist() else None

    @property
    def strings(self) -> list[str]:
        if self._strings is None:
            self._strings = []
            member = self._member_of("sharedStrings", "xl/sharedStrings.xml")
            if member is not None:
                with self.zip.open(member) as fh:
                    for _ev, el in ET.iterparse(fh):  # noqa: S314
                        if el.tag == MAIN + "si":
                            # Rich text runs joined; phonetic guides (rPh) left out.
                            parts = [t.text or "" for t in el.iter(MAIN + "t")]
                            for ph in el.iter(MAIN + "rPh"):
                                for t in ph.iter(MAIN + "t"):
                                    parts.remove(t.text or "")
                            self._strings.append("".join(parts))
                            el.clear()
        return self._strings

    @property
    def date_styles(self) -> list[bool]:
        """For each cell style (the `s` attribute of a cell): does it show a date?"""
        if self._dates is None:
            self._dates = []
            member = self._member_of("styles", "xl/styles.xml")
            if member is not None:
                styles = self._xml(member)
                custom = {int(f.get("numFmtId", "0")): f.get("formatCode", "")
                          for f in styles.iter(MAIN + "numFmt")}
                xfs = styles.find(MAIN + "cellXfs")
                for xf in (xfs if xfs is not None else []):
                    fid = int(xf.get("numFmtId", "0"))
                    self._dates.append(fid in _DATE_IDS if fid not in custom
                                       else _is_date_format(custom[fid]))
        return self._dates

    # -- a sheet ------------------------------------------------------------------------------
    def sheet(self, name: str) -> SheetEntry:
        return next(s for s in self.sheets if s.name == name)

    def height(self, entry: SheetEntry) -> int:
        """The last row the sheet's <dimension> names (0 when it has none)."""
        with self.zip.open(entry.member) as fh:
            head = fh.read(4096).decode("utf-8", "replace")
        m = re.search(r'<(?:\w+:)?dimension ref="[A-Z]+[0-9]+:?[A-Z]*([0-9]*)"', head)
        return int(m.group(1)) if m and m.group(1) else 0

    def size(self, entry: SheetEntry) -> int:
        """The sheet's XML in bytes, unpacked (about 500 bytes a row of a candidate list)."""
        return self.zip.getinfo(entry.member).file_size

    def merges(self, entry: SheetEntry) -> list[Merge]:
        """The merged ranges (they follow the rows in the file: found by a plain scan)."""
        out: list[Merge] = []
        pattern = re.compile(rb'<(?:\w+:)?mergeCell ref="([A-Za-z$]+[0-9$]+):([A-Za-z$]+[0-9$]+)"')
        tail = b""
        with self.zip.open(entry.member) as fh:
            while chunk := fh.read(1 << 20):
                data = tail + chunk
                for m in pattern.finditer(data):
                    merge = Merge(_ref(m.group(1).decode()), _ref(m.group(2).decode()))
                    if merge.start[0] < 64:  # only merges near the top shape the header
                        out.append(merge)
                    if len(out) >= MAX_MERGES:
                        return out
                cut = data.rfind(b"<")
                tail = data[cut:] if cut >= 0 else b""
                if len(tail) > 200:
                    tail = b""
        return out

    def rows(self, entry: SheetEntry) -> Iterator[tuple[int, list[Value]]]:
        """(row number, values) for every row the sheet holds, in order."""
        try:
            strings, dates = self.strings, self.date_styles
        except (ET.ParseError, ValueError, KeyError, OSError, zipfile.BadZipFile) as exc:
            raise BrokenWorkbook(str(exc)) from None
        epoch = _EPOCH_1904 if self.date1904 else _EPOCH
        # Rows parsed from the current block; a run of rows the file leaves out is one
        # (first, last) entry, expanded lazily (a forged gap of a million rows costs nothing).
        ready: list[tuple[int, list[Value]] | tuple[None, tuple[int, int]]] = []
        row: list[Value] = []
        buf: list[str] = []
        # The element names with the prefix the file uses (most write none; some "x:").
        C, V, T, ROW = "c", "v", "t", "row"
        number = 0
        col = -1
        kind: str | None = None
        style = 0
        taking = seen = False
        last = [0]

        def first(name: str, attrs: dict[str, str]) -> None:
            nonlocal C, V, T, ROW
            prefix = name.rpartition(":")[0]
            if prefix:
                C, V, T, ROW = (f"{prefix}:{k}" for k in ("c", "v", "t", "row"))
            parser.StartElementHandler = start
            start(name, attrs)

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal number, col, kind, style, taking, seen
            if name == C:
                ref = attrs.get("r")
                col = column_index(ref) if ref else col + 1
                kind = attrs.get("t")
                s = attrs.get("s")
                style = int(s) if s else 0
                seen = False
                buf.clear()
            elif name == V:
                buf.clear()
                taking = seen = True
            elif name == T and kind == "inlineStr":
                taking = seen = True
            elif name == ROW:
                r = attrs.get("r")
                at = int(r) if r else number + 1
                if not number < at <= MAX_ROWS:
                    raise ValueError(f"row {at} after row {number}")
                number = at
                col = -1
                row.clear()

        def chars(data: str) -> None:
            if taking:
                buf.append(data)

        def end(name: str) -> None:
            nonlocal taking
            if name == C:
                if seen and 0 <= col < MAX_COLUMNS:
                    value = _value("".join(buf), kind, style)
                    if value is not None and value != "":
                        if col >= len(row):
                            row.extend([None] * (col - len(row) + 1))
                        row[col] = value
            elif name == V or name == T:
                taking = False
            elif name == ROW:
                # Rows the file leaves out are empty rows, as a whole-sheet reader gives them.
                if (ready or last[0]) and number > last[0] + 1:
                    ready.append((None, (last[0] + 1, number)))
                last[0] = number
                ready.append((number, row[:]))

        def _value(text: str, t: str | None, s: int) -> Value:
            if t is None or t == "n":
                try:
                    num = float(text)
                except ValueError:
                    return text
                if s and s < len(dates) and dates[s] and 0 <= num < 2958466:
                    moment = epoch + dt.timedelta(milliseconds=round(num * 86_400_000))
                    if num < 1 and not self.date1904:
                        return moment.time()
                    return moment.date() if num.is_integer() else moment
                return num
            if t == "s":
                try:
                    return strings[int(text)]
                except (ValueError, IndexError):
                    return None
            if t in ("str", "inlineStr", "e"):
                return text  # an error ("#N/A") is reported by the cell's reader
            if t == "b":
                return text.strip() in ("1", "true")
            if t == "d":
                try:
                    return dt.datetime.fromisoformat(text.strip())
                except ValueError:
                    return text
            return text

        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = first
        parser.EndElementHandler = end
        parser.CharacterDataHandler = chars
        try:
            with self.zip.open(entry.member) as fh:
                while chunk := fh.read(256 * 1024):
                    parser.Parse(chunk, False)
                    yield from _expanded(ready)
                    ready.clear()
                parser.Parse(b"", True)
                yield from _expanded(ready)
        except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, ValueError,
                ET.ParseError) as exc:
            raise BrokenWorkbook(str(exc)) from None


def _expanded(items: list[Any]) -> Iterator[tuple[int, list[Value]]]:
    for first, rest in items:
        if first is None:
            for n in range(*rest):
                yield n, []
        else:
            yield first, rest
