"""The one message catalogue of migdesk: English message ids, Georgian in resources/i18n/ka/.

The catalogue is kept in a few .po files by area (core, window, documents, sync) that load
into one table.

Georgian is the default language. The catalogue is read with babel (the same library that
formats dates and numbers), so the window, the command line and the PDFs share one source.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from babel.messages.pofile import read_po

from migdesk.paths import resources_dir

LANGUAGES = ("ka", "en")
DEFAULT_LANGUAGE = "ka"

_state = threading.local()
_global_language = DEFAULT_LANGUAGE


class UnknownLanguage(ValueError):
    pass


def set_language(lang: str) -> None:
    """Switch the language of everything shown from now on (all threads)."""
    global _global_language
    if lang not in LANGUAGES:
        raise UnknownLanguage(lang)
    _global_language = lang


def language() -> str:
    return getattr(_state, "lang", None) or _global_language


@lru_cache(maxsize=4)
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> translation for one language; English is the identity."""
    if lang == "en":
        return {}
    out: dict[str, str] = {}
    for path in sorted((resources_dir() / "i18n" / lang).glob("*.po")):
        with path.open("rb") as fh:
            out.update(_entries(read_po(fh, locale=lang)))
    return out


def _entries(cat: object) -> dict[str, str]:
    out: dict[str, str] = {}
    for msg in cat:  # type: ignore[attr-defined]
        if msg.id and msg.string and not msg.fuzzy:
            key = msg.id if isinstance(msg.id, str) else msg.id[0]
            val = msg.string if isinstance(msg.string, str) else msg.string[0]
            if msg.context:
                key = f"{msg.context}\x04{key}"
            out[key] = val
    return out


def translate(msgid: str, lang: str, context: str | None = None) -> str:
    key = f"{context}\x04{msgid}" if context else msgid
    return catalogue(lang).get(key, msgid)


def gettext(msgid: str) -> str:
    """The message in the current language (English id when no translation exists)."""
    return translate(msgid, language())


def pgettext(context: str, msgid: str) -> str:
    return translate(msgid, language(), context)


def has_translation(msgid: str, lang: str = "ka", context: str | None = None) -> bool:
    key = f"{context}\x04{msgid}" if context else msgid
    return lang == "en" or key in catalogue(lang)


def N_(msgid: str) -> str:
    """Mark a message for the catalogue without translating it yet."""
    return msgid


_ = gettext
