"""Georgia's regions (ISO 3166-2:GE), countries and languages, named through babel."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from migdesk.domain.errors import ValidationError
from migdesk.i18n import N_

if TYPE_CHECKING:  # babel's CLDR data loads when a country or language is first named
    from babel import Locale

REGIONS: dict[str, tuple[str, str]] = {
    "GE-TB": ("თბილისი", "Tbilisi"),
    "GE-AB": ("აფხაზეთის ა/რ", "Abkhazia AR"),
    "GE-AJ": ("აჭარის ა/რ", "Adjara AR"),
    "GE-GU": ("გურია", "Guria"),
    "GE-IM": ("იმერეთი", "Imereti"),
    "GE-KA": ("კახეთი", "Kakheti"),
    "GE-KK": ("ქვემო ქართლი", "Kvemo Kartli"),
    "GE-MM": ("მცხეთა-მთიანეთი", "Mtskheta-Mtianeti"),
    "GE-RL": ("რაჭა-ლეჩხუმი და ქვემო სვანეთი", "Racha-Lechkhumi and Kvemo Svaneti"),
    "GE-SJ": ("სამცხე-ჯავახეთი", "Samtskhe-Javakheti"),
    "GE-SK": ("შიდა ქართლი", "Shida Kartli"),
    "GE-SZ": ("სამეგრელო-ზემო სვანეთი", "Samegrelo-Zemo Svaneti"),
}


def region_name(code: str, lang: str = "ka") -> str:
    ka, en = REGIONS[code]
    return ka if lang == "ka" else en


def parse_region(text: str) -> str:
    code = (text or "").strip().upper()
    if code in REGIONS:
        return code
    for c, (ka, en) in REGIONS.items():
        if text.strip() in (ka, en) or text.strip().lower() == en.lower():
            return c
    raise ValidationError.of(
        None, N_("“{value}” is not a region of Georgia (use GE-TB, GE-IM, …)"), value=text
    )


@lru_cache(maxsize=4)
def _locale(lang: str) -> Locale:
    from babel import Locale

    return Locale.parse(lang)


def country_name(code: str, lang: str = "ka") -> str:
    """Territory name from babel's CLDR data (ka/en)."""
    return _locale(lang).territories.get(code.upper(), code.upper())


def parse_country(text: str) -> str:
    """An ISO 3166-1 alpha-2 code that babel knows as a country."""
    code = (text or "").strip().upper()
    if not code:
        raise ValidationError.of(None, N_("Required"))
    if len(code) == 2 and code.isalpha() and code in _locale("en").territories:
        return code
    raise ValidationError.of(
        None, N_("“{value}” is not an ISO 3166 country code (e.g. FR, PL, IL)"), value=text
    )


# CLDR territory codes that are not countries (unions, regions, unknown, pseudo-locales).
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


def countries(lang: str = "ka") -> list[tuple[str, str]]:
    """Every country as (ISO code, CLDR name in `lang`), sorted by the name, Georgia first."""
    names = _locale(lang).territories
    rows = [(code, names[code]) for code in map(str, _locale("en").territories)
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
            and code in names]
    rows.sort(key=lambda r: (r[0] != "GE", r[1].casefold()))
    return rows


def languages(lang: str = "ka") -> list[tuple[str, str]]:
    """The ISO 639-1 languages as (code, CLDR name in `lang`), sorted by the name."""
    names = _locale(lang).languages
    rows = [(code, names[code]) for code in map(str, _locale("en").languages)
            if len(code) == 2 and code.isalpha() and code in names]
    return sorted(rows, key=lambda r: r[1].casefold())


def language_name(code: str, lang: str = "ka") -> str:
    return _locale(lang).languages.get(code, code)


def parse_language(text: str) -> str:
    """An ISO 639-1 code (two letters) known to babel: en, fr, de, pl, he, ru, …"""
    code = (text or "").strip().lower()
    if len(code) == 2 and code.isalpha() and code in _locale("en").languages:
        return code
    raise ValidationError.of(
        None, N_("“{value}” is not an ISO 639-1 language code (e.g. en, fr, de)"), value=text
    )


def currency_code(text: str) -> str:
    code = (text or "").strip().upper()
    if len(code) == 3 and code in _locale("en").currencies:
        return code
    raise ValidationError.of(None, N_("“{value}” is not an ISO 4217 currency code"), value=text)
