"""Finding, registering and checking the TrueType font that draws Georgian (any thread).

Search order: the `font_path` setting or `MIGDESK_FONT` → Noto Sans Georgian, DejaVu Sans in
the system font directories → DejaVu Sans bundled with matplotlib. Font files are never
shipped with migdesk. Before text is drawn, `GlyphGuard.check` makes sure the font has a
glyph for every character, so a missing one is an error naming it, never an empty box.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from migdesk.domain.errors import MigdeskError
from migdesk.i18n import N_

REGULAR = "MigdeskSans"
BOLD = "MigdeskSans-Bold"

# (regular, bold) file names, best first.
CANDIDATES = (
    ("NotoSansGeorgian-Regular.ttf", "NotoSansGeorgian-Bold.ttf"),
    ("NotoSansGeorgian[wdth,wght].ttf", None),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
)


class FontError(MigdeskError):
    exit_code = 6


class MissingGlyph(FontError):
    """The chosen font cannot draw a character of the document."""


def font_dirs() -> list[Path]:
    """System font directories of this platform, most specific first."""
    home = Path.home()
    if sys.platform.startswith("win"):
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        return [windir / "Fonts", home / "AppData/Local/Microsoft/Windows/Fonts"]
    if sys.platform == "darwin":
        return [home / "Library/Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    dirs = [home / ".local/share/fonts", home / ".fonts"]
    data = os.environ.get("XDG_DATA_DIRS", "/usr/local/share:/usr/share")
    dirs += [Path(d) / "fonts" for d in data.split(":") if d]
    return dirs


def _find_in(dirs: list[Path], name: str) -> Path | None:
    for d in dirs:
        if not d.is_dir():
            continue
        direct = [p for p in (d / name, d / "truetype" / "dejavu" / name,
                              d / "truetype" / "noto" / name) if p.is_file()]
        if direct:
            return direct[0]
        for p in sorted(d.rglob(name)):
            if p.is_file():
                return p
    return None


def _matplotlib_dir() -> Path | None:
    try:
        import importlib.util

        spec = importlib.util.find_spec("matplotlib")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "mpl-data" / "fonts" / "ttf"


@dataclass(frozen=True)
class FontChoice:
    regular: Path
    bold: Path
    source: str  # "override" | "system" | "matplotlib"


def find_font(override: str | None = None) -> FontChoice:
    """The font to use, in the documented search order; a clear error when there is none."""
    return _find_font(override or os.environ.get("MIGDESK_FONT") or None)


@functools.lru_cache(maxsize=8)
def _find_font(override: str | None) -> FontChoice:
    if override:
        path = Path(override).expanduser()
        if not path.is_file():
            raise FontError.of("font", N_("Font file not found: {path}"), path=str(path))
        bold = path.with_name(path.stem + "-Bold" + path.suffix)
        return FontChoice(path, bold if bold.is_file() else path, "override")
    mpl = _matplotlib_dir()
    for source, dirs in (("system", font_dirs()), ("matplotlib", [mpl] if mpl else [])):
        for regular, bold_name in CANDIDATES:
            found = _find_in(dirs, regular)
            if found:
                b = found.with_name(bold_name) if bold_name else None
                return FontChoice(found, b if b and b.is_file() else found, source)
    raise FontError.of("font", N_(
        "No font with Georgian letters was found; install Noto Sans Georgian or DejaVu Sans "
        "(Debian: fonts-dejavu-core) or set MIGDESK_FONT to a .ttf file"))


_lock = threading.Lock()
_registered: dict[str, FontChoice] = {}


def register(override: str | None = None) -> FontChoice:
    """Register the chosen font with reportlab once per process (names REGULAR and BOLD)."""
    choice = find_font(override)
    with _lock:
        current = _registered.get(REGULAR)
        if current != choice:
            try:
                pdfmetrics.registerFont(TTFont(REGULAR, str(choice.regular)))
                pdfmetrics.registerFont(TTFont(BOLD, str(choice.bold)))
            except Exception as exc:  # reportlab raises TTFError and others on bad files
                raise FontError.of("font", N_("Cannot read the font {path}: {detail}"),
                                   path=str(choice.regular), detail=str(exc)) from None
            _registered[REGULAR] = choice
    return choice


def describe(ch: str) -> str:
    """A character as a person can find it: the character, its code point and name."""
    name = unicodedata.name(ch, "")
    return f"“{ch}” U+{ord(ch):04X}" + (f" {name}" if name else "")


class GlyphGuard:
    """Checks text against the glyphs of registered fonts; remembers what it already saw."""

    IGNORED = frozenset("\n\r\t\u00ad\u200b")

    def __init__(self, *font_names: str) -> None:
        names = font_names or (REGULAR, BOLD)
        self._maps = [pdfmetrics.getFont(n).face.charToGlyph for n in names]
        self._names = names
        self._ok: set[str] = set()

    def check(self, text: str, field: str | None = None) -> str:
        for ch in text:
            if ch in self._ok or ch in self.IGNORED:
                continue
            for name, cmap in zip(self._names, self._maps, strict=True):
                if ord(ch) not in cmap:
                    raise MissingGlyph.of(
                        field, N_("The font {font} has no glyph for {char}; the document "
                                  "was not made"), font=name, char=describe(ch))
            self._ok.add(ch)
        return text
