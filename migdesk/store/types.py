"""Column types: UTC timestamps, partial dates, exact decimals, and the JSON form of values."""

from __future__ import annotations

import datetime as dt
import os
import threading
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from sqlalchemy import DateTime, String
from sqlalchemy.types import TypeDecorator

from migdesk.domain.partial_date import PartialDate


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_id() -> str:
    """A random (version 4) UUID as text; formatted directly, which bulk loads notice."""
    return uuid_from_bits(int.from_bytes(os.urandom(16)))


_VERSION4 = bytes((b & 0x0F) | 0x40 for b in range(256))
_VARIANT = bytes((b & 0x3F) | 0x80 for b in range(256))


def new_ids(n: int) -> list[str]:
    """`n` random (version 4) UUIDs as text, from one read of the system's randomness: the
    same kind of ids as `new_id`, for bulk loads that make hundreds of thousands."""
    raw = bytearray(os.urandom(16 * n))
    raw[6::16] = raw[6::16].translate(_VERSION4)
    raw[8::16] = raw[8::16].translate(_VARIANT)
    h = raw.hex()
    return [f"{h[i:i + 8]}-{h[i + 8:i + 12]}-{h[i + 12:i + 16]}-{h[i + 16:i + 20]}-"
            f"{h[i + 20:i + 32]}" for i in range(0, 32 * n, 32)]


def uuid_from_bits(bits: int) -> str:
    """Format 128 random bits as a version-4 UUID string (same result as uuid.UUID(...))."""
    bits = (bits & ~(0xF000 << 64) | (0x4000 << 64)) & ~(0xC000 << 48) | (0x8000 << 48)
    h = f"{bits:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class PartialDateType(TypeDecorator[PartialDate]):
    """Stored as 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' text, which sorts correctly."""

    impl = String(10)
    cache_ok = True

    def process_bind_param(self, value: PartialDate | str | None, dialect: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = PartialDate.parse(value)
        return value.isoformat()

    def process_result_value(self, value: str | None, dialect: Any) -> PartialDate | None:
        return None if value is None else PartialDate.parse(value)


class DecimalText(TypeDecorator[Decimal]):
    """Exact decimal amounts kept as text (SQLite has no decimal type)."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: Decimal | str | int | None, dialect: Any) -> str | None:
        if value is None:
            return None
        return str(Decimal(str(value)))

    def process_result_value(self, value: str | None, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        try:
            return Decimal(value)
        except InvalidOperation:
            return None


def to_json_value(value: Any) -> Any:
    """A value as it is written to the journal and to change packages."""
    kind = type(value)
    if kind is str or kind is int or kind is bool:
        return value
    if value is None or isinstance(value, bool | int | float | str) and not isinstance(value, Enum):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | PartialDate):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return None  # binary payloads travel as attachments, never inside the journal
    return str(value)


_last_tick = dt.datetime.min.replace(tzinfo=dt.UTC)
_tick_lock = threading.Lock()


def monotonic_utcnow() -> dt.datetime:
    """UTC now, strictly later than the previous call in this process (orders history rows
    written in one transaction even where the clock is coarse)."""
    global _last_tick
    with _tick_lock:
        now = utcnow()
        if now <= _last_tick:
            now = _last_tick + dt.timedelta(microseconds=1)
        _last_tick = now
        return now
