"""Officer accounts of this desk: login, full name, role, argon2id password hash, and the
count of failed sign-ins that slows the next attempt. Desk-local; never synced."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from migdesk.store.base import Base


class Account(Base):
    __tablename__ = "account"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(Text)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    password_changed_at: Mapped[dt.datetime]
    failed_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_failed_at: Mapped[dt.datetime | None]
    last_sign_in_at: Mapped[dt.datetime | None]
