"""Georgian names: script checks, the national romanisation (2002) and cross-script matching."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from migdesk.domain.errors import ValidationError
from migdesk.i18n import N_

# National romanisation system of Georgia (2002).
ROMANISATION: dict[str, str] = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t",
    "ი": "i", "კ": "k'", "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p'", "ჟ": "zh",
    "რ": "r", "ს": "s", "ტ": "t'", "უ": "u", "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q'",
    "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts'", "ჭ": "ch'", "ხ": "kh",
    "ჯ": "j", "ჰ": "h",
}

_MTAVRULI_OFFSET = 0x1C90 - 0x10D0
_GEORGIAN_NAME = re.compile(r"^[\u10D0-\u10FA]+(?:[ \-][\u10D0-\u10FA]+)*$")
_LATIN_NAME = re.compile(r"^[A-Z]+(?:[ \-][A-Z]+)*$")


_TO_MKHEDRULI = {cp: cp - _MTAVRULI_OFFSET for cp in range(0x1C90, 0x1CC0)}


def to_mkhedruli(text: str) -> str:
    """Turn Mtavruli capitals (U+1C90–U+1CBF, what str.upper() makes) back into Mkhedruli."""
    return text.translate(_TO_MKHEDRULI)


def clean_spaces(text: str) -> str:
    return " ".join(text.split())


def romanise(text: str) -> str:
    """National romanisation with apostrophes: ჭავჭავაძე → ch'avch'avadze."""
    return "".join(ROMANISATION.get(ch, ch) for ch in to_mkhedruli(text))


def passport_form(text: str) -> str:
    """Passport spelling: capitals, no apostrophes (ჭავჭავაძე → CHAVCHAVADZE).

    Latin-only upper-casing: Georgian letters are romanised first, so str.upper() never
    meets Mkhedruli (it would turn them into Mtavruli, which fonts lack).
    """
    return romanise(text).replace("'", "").upper()


def parse_georgian_name(text: str) -> str:
    """A name in Mkhedruli (words joined by space or hyphen); Mtavruli is folded back."""
    value = clean_spaces(to_mkhedruli(unicodedata.normalize("NFC", text or "")))
    if not value:
        raise ValidationError.of(None, N_("Required"))
    if len(value) > 60:
        raise ValidationError.of(None, N_("Too long (at most {n} characters)"), n=60)
    if not _GEORGIAN_NAME.match(value):
        raise ValidationError.of(
            None, N_("Write the name in Georgian letters (Mkhedruli), e.g. “{example}”"),
            example="გიორგი",
        )
    return value


def parse_latin_name(text: str) -> str:
    """A name in passport form: Latin capitals, space or hyphen between words."""
    value = clean_spaces(unicodedata.normalize("NFC", text or "")).replace("'", "")
    value = value.encode("ascii", "ignore").decode() if value.isascii() else value
    upper = value.upper() if value.isascii() else value
    if not upper:
        raise ValidationError.of(None, N_("Required"))
    if len(upper) > 60:
        raise ValidationError.of(None, N_("Too long (at most {n} characters)"), n=60)
    if not _LATIN_NAME.match(upper):
        raise ValidationError.of(
            None, N_("Write the name in Latin letters as in the passport, e.g. “{example}”"),
            example="GIORGI",
        )
    return upper


# -- matching across scripts ---------------------------------------------------------------
_SKELETON_RULES = (
    ("DZH", "J"), ("TSH", "CH"), ("KH", "H"), ("X", "H"), ("GH", "G"), ("TS", "C"),
    ("TZ", "C"), ("SCH", "SH"), ("ZH", "J"), ("Q", "K"), ("Y", "I"), ("W", "V"),
    ("PH", "P"), ("TH", "T"), ("CK", "K"),
)


@lru_cache(maxsize=1 << 16)
def skeleton(name: str) -> str:
    """A coarse Latin key that forgives the usual spelling variants of Georgian names."""
    s = passport_form(name) if any("\u10D0" <= c <= "\u10FA" for c in name) else name.upper()
    s = re.sub(r"[^A-Z]", "", s)
    for a, b in _SKELETON_RULES:
        s = s.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", s)


def name_similarity(a: str, b: str) -> float:
    """0..1: how alike two names are, whatever script each is written in."""
    ka, kb = skeleton(a), skeleton(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    return SequenceMatcher(None, ka, kb).ratio()


def _alike_at_least(a: str, b: str, threshold: float) -> bool:
    """name_similarity(a, b) >= threshold, deciding from SequenceMatcher's cheap upper bounds
    (lengths, then shared letters) when they already fall short: the same answer, without
    the full comparison for the many pairs of plainly different names."""
    ka, kb = skeleton(a), skeleton(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    if 2 * min(len(ka), len(kb)) / (len(ka) + len(kb)) < threshold:
        return False
    sm = SequenceMatcher(None, ka, kb)
    return sm.quick_ratio() >= threshold and sm.ratio() >= threshold


def names_match(first_a: str, last_a: str, first_b: str, last_b: str) -> bool:
    """True when two people's names are likely the same person's (small spelling slips)."""
    return _alike_at_least(last_a, last_b, 0.8) and _alike_at_least(first_a, first_b, 0.8)


def search_key(text: str) -> str:
    """Normalised form used in the search index: Mkhedruli as is, Latin upper, digits as is."""
    t = to_mkhedruli(unicodedata.normalize("NFC", text)).strip()
    return t.replace("'", "").upper() if t.isascii() else t


def same_names(mine: tuple[tuple[str, str], tuple[str, str]],
               theirs: tuple[tuple[str, str], tuple[str, str]]) -> bool:
    """Whether two people's (first, last) names match in either script: the Georgian or the
    Latin pair of one against either pair of the other (registration's duplicate test and
    the spreadsheet import's)."""
    return any(all(a) and names_match(a[0], a[1], b[0], b[1]) for a in mine for b in theirs)
