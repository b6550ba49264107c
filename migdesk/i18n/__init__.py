"""The one message catalogue of migdesk: English message ids, Georgian in resources/i18n/ka/.

The catalogue is kept in a few .po files by area (core, window, documents, sync) that load
into one table.

Georgian is the default language. The window, the command line and the PDFs share this one
source. The .po files are read by the small reader below rather than babel's (which costs a
command a quarter of a second to import and parse them); tests/test_catalogue.py checks that
both read the same table.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

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
        out.update(read_po_table(path.read_text(encoding="utf-8")))
    return out


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}
_ESCAPE = re.compile(r'\\([\\trn"])')  # the escapes babel's reader undoes, no more


def _unquote(text: str) -> str:
    """One quoted .po string, its C escapes undone."""
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"not a quoted string: {text[:40]!r}")
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m[1], m[1]), text[1:-1])


def read_po_table(text: str) -> dict[str, str]:
    """msgid (with "context\\x04" before it when it has one) -> translation of one .po file:
    untranslated, fuzzy and obsolete (#~) entries and the header are left out; of a plural
    entry the singular id and the first form are kept. As babel reads it, the first of two
    entries with the same id wins."""
    out: dict[str, str] = {}
    entry: dict[str, str] = {}
    fuzzy = False
    field: str | None = None

    def finish() -> None:
        nonlocal entry, fuzzy, field
        msgid, string = entry.get("msgid", ""), entry.get("msgstr", entry.get("msgstr[0]", ""))
        if msgid and string and not fuzzy:
            key = f"{entry['msgctxt']}\x04{msgid}" if "msgctxt" in entry else msgid
            out.setdefault(key, string)
        entry, fuzzy, field = {}, False, None

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if field is not None and "msgstr" in field:
                finish()  # a comment after a translation starts the next entry
            if line.startswith("#,") and "fuzzy" in (f.strip() for f in line[2:].split(",")):
                fuzzy = True
            continue
        if line.startswith('"'):
            if field is None:
                raise ValueError(f"a string outside an entry: {line[:40]!r}")
            entry[field] += _unquote(line)
            continue
        keyword, _sep, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and field is not None and "msgstr" in field:
            finish()
        if keyword not in ("msgctxt", "msgid", "msgid_plural", "msgstr") and not (
                keyword.startswith("msgstr[") and keyword.endswith("]")):
            raise ValueError(f"unknown .po line: {line[:40]!r}")
        field = keyword
        entry[field] = _unquote(rest)
    if field is not None:
        finish()
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
