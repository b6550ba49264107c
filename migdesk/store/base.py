"""Declarative base and the fields every synced record carries from day one.

Identity is a UUID made on the desk; timestamps are UTC; the officer and desk of the
creation and of the last change, a version counter, and a tombstone instead of a delete.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import Boolean, Index, Integer, MetaData, String, column, false
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from migdesk.domain.partial_date import PartialDate
from migdesk.store.types import DecimalText, PartialDateType, UTCDateTime, new_id

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        dt.datetime: UTCDateTime(),
        PartialDate: PartialDateType(),
        Decimal: DecimalText(),
    }


def enum_column(enum_cls: type[enum.Enum]) -> SAEnum:
    """Store an enum by its stable English key."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Synced:
    """Mixin: the sync and audit fields. Set by the flush hook in store.journal, not by hand."""

    __journal__ = True

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[dt.datetime] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column()
    created_by: Mapped[str] = mapped_column(String(64))
    updated_by: Mapped[str] = mapped_column(String(64))
    origin_desk: Mapped[str] = mapped_column(String(36))
    updated_desk: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[dt.datetime | None] = mapped_column()


# Partial-index condition: uniqueness holds among live (not tombstoned) records only.
LIVE = column("deleted") == false()


def live_unique(name: str, *columns: str) -> Index:
    """A unique index over live records only. SQLite's predicate is given here; PostgreSQL's
    (the same) is added by `postgresql_predicates()` when a PostgreSQL engine is made
    (store/db.py): naming `postgresql_where` here would load SQLAlchemy's PostgreSQL dialect,
    every driver of it included (~0.1 s), at every command of a desk that never uses it."""
    index = Index(name, *columns, unique=True, sqlite_where=LIVE)
    _LIVE_UNIQUE.append(index)
    return index


_LIVE_UNIQUE: list[Index] = []


def postgresql_predicates() -> None:
    for index in _LIVE_UNIQUE:
        index.dialect_options["postgresql"]["where"] = LIVE

# Columns the journal does not repeat as field changes (they are in its own columns).
BOOKKEEPING = frozenset(
    {"id", "created_at", "updated_at", "created_by", "updated_by", "origin_desk",
     "updated_desk", "version", "deleted_at"}
)
