"""PostgreSQL bulk loading: rows sent with COPY ... FROM STDIN as one block of COPY text.

psycopg's `Copy.write_row` adapts every value in Python, one call per value with its type
looked up each time; for the hundreds of thousands of values of a desk's package that was
half of a merge into the central store. Here each value becomes its COPY text directly (the
values are already what SQLAlchemy's bind processors make of them: str, int, bool, Decimal,
date, aware datetime, bytes, None) and the rows go to the server in blocks of about a
megabyte. Same stored values: PostgreSQL parses the text with the column's own input
function, as it does psycopg's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

from psycopg.copy import QueuedLibpqWriter

# COPY text format: backslash, and the delimiter, newline and carriage return, escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_BLOCK = 1 << 20


def copy_text(value: Any) -> str:
    """One value as PostgreSQL's COPY text format writes it."""
    if value is None:
        return "\\N"
    t = type(value)
    if t is str:
        if value.isprintable() and "\\" not in value:  # no tab, newline, CR or backslash
            return value
        return value.translate(_ESCAPES)
    if t is bool:
        return "t" if value else "f"
    if t is int:
        return str(value)
    if t is dt.datetime or t is dt.date:
        return value.isoformat()
    if t is bytes or t is bytearray or t is memoryview:
        return "\\\\x" + bytes(value).hex()  # bytea's hex form, its backslash escaped
    if t.__name__ == "Binary" and hasattr(value, "obj"):  # psycopg's wrapper, which
        return copy_text(value.obj)  # SQLAlchemy's bind processor puts bytes in
    if isinstance(value, Enum):
        return copy_text(value.value)
    if isinstance(value, dt.date):  # a subclass
        return value.isoformat()
    return str(value).translate(_ESCAPES)  # Decimal, float


def copy_tuples(dbapi_conn: Any, table: str, columns: Sequence[str],
                rows: Iterable[Sequence[Any]]) -> None:
    """COPY rows of driver values (in the order of `columns`) into `table`, in blocks of
    about a megabyte of COPY text, in the connection's current transaction."""
    names = ", ".join(f'"{k}"' for k in columns)
    text = copy_text
    lines: list[str] = []
    size = 0
    cur = dbapi_conn.cursor()
    try:
        # The blocks go to the server from a thread of psycopg's own (it waits on the socket
        # without the GIL), so the server parses and indexes one block while the next is made.
        writer = QueuedLibpqWriter(cur)
        with cur.copy(f'COPY "{table}" ({names}) FROM STDIN', writer=writer) as cp:
            for values in rows:
                line = "\t".join([text(v) for v in values])
                lines.append(line)
                size += len(line)
                if size >= _BLOCK:
                    lines.append("")
                    cp.write("\n".join(lines).encode())
                    lines, size = [], 0
            if lines:
                lines.append("")
                cp.write("\n".join(lines).encode())
    finally:
        cur.close()
