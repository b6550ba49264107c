"""Make sure Qt has a font that draws Georgian (Mkhedruli); register one from the system."""

from __future__ import annotations

import glob

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

SAMPLE = "ქართული"
CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansGeorgian-Regular.ttf",
    "/usr/share/fonts/truetype/bpg-georgian/*.ttf",
    "/usr/share/fonts/**/DejaVuSans.ttf",
    "/usr/share/fonts/**/NotoSansGeorgian*.ttf",
    "C:/Windows/Fonts/sylfaen.ttf",
    "/Library/Fonts/*Georgian*.ttf",
    "/System/Library/Fonts/Supplemental/*Georgian*.tt?",
)
PREFERRED = ("Noto Sans Georgian", "DejaVu Sans", "BPG Arial", "Sylfaen")


def _draws_georgian(family: str) -> bool:
    return QFontDatabase.WritingSystem.Georgian in QFontDatabase.writingSystems(family)


def ensure_georgian_font(app: QApplication) -> str | None:
    """Use a Georgian-capable family as the application font; None if none exists."""
    families = [f for f in QFontDatabase.families(QFontDatabase.WritingSystem.Georgian)]
    if not families:
        for pattern in CANDIDATES:
            for path in sorted(glob.glob(pattern, recursive=True)):
                if QFontDatabase.addApplicationFont(path) >= 0:
                    families = QFontDatabase.families(QFontDatabase.WritingSystem.Georgian)
            if families:
                break
    if not families:
        return None
    current = app.font().family()
    if _draws_georgian(current):
        return current
    choice = next((p for p in PREFERRED if p in families), families[0])
    font = QFont(choice)
    font.setPointSize(max(app.font().pointSize(), 10))
    app.setFont(font)
    return choice
