"""Icons drawn for migdesk (resources/icons/*.svg), loaded once by name."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from migdesk.paths import resources_dir


@cache
def icon(name: str) -> QIcon:
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()
