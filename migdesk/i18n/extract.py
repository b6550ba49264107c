"""Find the marked messages in the source, and which of them the catalogue lacks.

Shared by `scripts/extract_messages.py` and `tests/test_catalogue.py`, so the check a
developer runs and the test that guards the build agree on what counts as "marked".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.extract import extract_from_dir

from migdesk.i18n import has_translation

PACKAGE_DIR = Path(__file__).resolve().parent.parent
ROOT_DIR = PACKAGE_DIR.parent

# gettext-style keywords: name -> argument spec (babel's format; (1, "c") marks the context).
KEYWORDS = {
    "_": None,
    "N_": None,
    "gettext": None,
    "translate": None,  # translate(msgid, lang, context=None): only the literal msgid counts
    "pgettext": ((1, "c"), 2),
}

# Which source folders (under migdesk/) feed which .po file of resources/i18n/ka/.
AREAS: dict[str, tuple[str, ...]] = {
    "core": ("domain", "services", "store", "cli", "i18n"),
    "ui": ("ui",),
    "documents": ("documents",),
    "sync": ("sync",),
}


@dataclass
class Message:
    """One msgid (with its optional context) and every place that marks it."""

    msgid: str
    context: str | None = None
    locations: list[tuple[str, int]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)

    def where(self) -> str:
        return ", ".join(f"{path}:{line}" for path, line in self.locations)


def extract(folders: Sequence[str] | None = None) -> list[Message]:
    """Marked messages under migdesk/ (or only the named subfolders), in first-seen order."""
    roots = [PACKAGE_DIR / f for f in folders] if folders else [PACKAGE_DIR]
    found: dict[tuple[str | None, str], Message] = {}
    for root in roots:
        if not root.is_dir():
            continue
        for filename, lineno, msgid, _comments, context in extract_from_dir(
            root, method_map=[("**.py", "python")], keywords=KEYWORDS,
            comment_tags=(), strip_comment_tags=True,
        ):
            if not isinstance(msgid, str) or not msgid:
                continue  # e.g. translate(variable, lang): nothing literal to catalogue
            rel = (root / filename).relative_to(ROOT_DIR).as_posix()
            msg = found.setdefault((context, msgid), Message(msgid, context))
            msg.locations.append((rel, lineno))
    return list(found.values())


def area_of(message: Message) -> str | None:
    """The area whose .po file should hold this message (from its first location)."""
    path = message.locations[0][0] if message.locations else ""
    for area, folders in AREAS.items():
        if any(path.startswith(f"migdesk/{f}/") for f in folders):
            return area
    return None


def missing(messages: Iterable[Message], lang: str = "ka") -> list[Message]:
    """Messages without a (non-empty, non-fuzzy) translation in the merged catalogue."""
    return [m for m in messages if not has_translation(m.msgid, lang, m.context)]


def _po_string(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"')
               .replace("\n", "\\n").replace("\t", "\\t"))
    return f'"{escaped}"'


def po_entry(message: Message, msgstr: str = "") -> str:
    """The message as a PO entry with its source references."""
    lines = [f"#: {' '.join(f'{p}:{n}' for p, n in message.locations)}"]
    if message.context:
        lines.append(f"msgctxt {_po_string(message.context)}")
    lines.append(f"msgid {_po_string(message.msgid)}")
    lines.append(f"msgstr {_po_string(msgstr)}")
    return "\n".join(lines) + "\n"


def pot(messages: Iterable[Message]) -> str:
    header = ('msgid ""\nmsgstr ""\n'
              '"Project-Id-Version: migdesk\\n"\n'
              '"Content-Type: text/plain; charset=UTF-8\\n"\n')
    return header + "".join("\n" + po_entry(m) for m in messages)
