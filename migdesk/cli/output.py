"""Printing results as an aligned table, JSON (stable English keys) or CSV."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from enum import Enum
from typing import Any, TextIO

from migdesk.domain.partial_date import PartialDate

FORMATS = ("table", "json", "csv")


def plain(value: Any) -> Any:
    """Dataclasses, enums, dates and decimals as JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date | PartialDate):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def write_json(out: TextIO, value: Any) -> None:
    json.dump(plain(value), out, ensure_ascii=False, indent=2)
    out.write("\n")


def width(text: str) -> int:
    return sum(0 if unicodedata.combining(c) else 1 for c in text)


def write_table(out: TextIO, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [width(h) for h in headers]
    for row in cells:
        for i, v in enumerate(row):
            widths[i] = max(widths[i], width(v))

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (widths[i] - width(v)) for i, v in enumerate(values)).rstrip()

    out.write(line(headers) + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write(line(row) + "\n")


def write_csv(out: TextIO, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    w = csv.writer(out)
    w.writerow(headers)
    for row in rows:
        w.writerow(["" if v is None else plain(v) for v in row])
