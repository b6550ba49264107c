"""What the window remembers between starts (QSettings), and for whom.

- per database (keyed by the database's resolved path, or its URL without a password): the
  window's geometry, the candidate splitter, the last page;
- per officer (their login): the language;
- for the machine: the recent databases and the language of the last sign-in (used by the
  sign-in dialog, before anyone has signed in).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import QWidget

from migdesk import i18n

RECENT_KEY = "recent_databases"
RECENT_MAX = 8


def database_target(app: Any) -> str:
    """The database as a user names it: the resolved file path, or the URL (no password)."""
    url = app.db.engine.url
    if url.get_backend_name() == "sqlite" and url.database:
        return str(Path(url.database).expanduser().resolve())
    return url.render_as_string(hide_password=True)


def database_label(app: Any) -> str:
    """Short, for the window title: the file's name, or the server database's name."""
    url = app.db.engine.url
    if url.get_backend_name() == "sqlite" and url.database:
        return Path(url.database).name
    return f"{url.database or ''}@{url.host or 'localhost'}"


def database_group(app: Any) -> str:
    digest = hashlib.sha256(database_target(app).encode("utf-8")).hexdigest()[:16]
    return f"databases/{digest}"


def per_database(settings: QSettings, app: Any, key: str, default: Any = None) -> Any:
    return settings.value(f"{database_group(app)}/{key}", default)


def set_per_database(settings: QSettings, app: Any, key: str, value: Any) -> None:
    group = database_group(app)
    settings.setValue(f"{group}/path", database_target(app))
    settings.setValue(f"{group}/{key}", value)


def _valid(lang: Any) -> str | None:
    return lang if isinstance(lang, str) and lang in i18n.LANGUAGES else None


def user_language(settings: QSettings, login: str | None) -> str | None:
    """The language this officer chose last (None: they never chose one)."""
    if not login:
        return None
    return _valid(settings.value(f"users/{login}/language"))


def set_user_language(settings: QSettings, login: str | None, lang: str) -> None:
    if login:
        settings.setValue(f"users/{login}/language", lang)
    settings.setValue("language", lang)  # the sign-in dialog's language on the next start


def recent_databases(settings: QSettings) -> list[str]:
    value = settings.value(RECENT_KEY, [])
    if isinstance(value, str):  # QSettings gives one string for a list of one
        value = [value]
    if not isinstance(value, list | tuple):
        return []
    return [str(v) for v in value if v]


def remember_database(settings: QSettings, target: str) -> None:
    if "://" not in target:
        target = os.path.abspath(target)
    items = [target] + [p for p in recent_databases(settings) if p != target]
    settings.setValue(RECENT_KEY, items[:RECENT_MAX])


def forget_database(settings: QSettings, target: str) -> None:
    settings.setValue(RECENT_KEY, [p for p in recent_databases(settings) if p != target])


def fit_on_screen(window: QWidget) -> None:
    """A restored geometry larger than the screen it lands on (saved on a larger screen, or
    widened by a long line) is shrunk to the screen's available area and moved onto it."""
    screen = window.screen()
    if screen is None:
        return
    avail: QRect = screen.availableGeometry()
    frame = window.frameGeometry()
    extra_w = max(frame.width() - window.width(), 0)
    extra_h = max(frame.height() - window.height(), 0)
    width = min(window.width(), avail.width() - extra_w)
    height = min(window.height(), avail.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(max(width, 200), max(height, 200))
    frame = window.frameGeometry()
    x = min(max(frame.x(), avail.x()), avail.right() - frame.width() + 1)
    y = min(max(frame.y(), avail.y()), avail.bottom() - frame.height() + 1)
    if (x, y) != (frame.x(), frame.y()):
        window.move(max(x, avail.x()), max(y, avail.y()))
