"""ISCO-08, the International Standard Classification of Occupations, shipped as data.

The English titles are the ILO's; the Georgian titles are working translations (see
domain/data/README.md). Lookup by code and by words in either language.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from migdesk.domain.errors import ValidationError
from migdesk.i18n import N_
from migdesk.paths import package_data_dir


@dataclass(frozen=True)
class Occupation:
    code: str
    title_en: str
    title_ka: str

    @property
    def level(self) -> int:
        return len(self.code)

    @property
    def is_unit(self) -> bool:
        return len(self.code) == 4

    def title(self, lang: str = "ka") -> str:
        return self.title_ka if lang == "ka" else self.title_en


@lru_cache(maxsize=1)
def classification() -> dict[str, Occupation]:
    path = package_data_dir() / "isco08.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {r["code"]: Occupation(r["code"], r["title_en"], r["title_ka"]) for r in rows}


def get(code: str) -> Occupation:
    occ = classification().get((code or "").strip())
    if occ is None:
        raise ValidationError.of(
            None, N_("“{value}” is not an ISCO-08 code"), value=code
        )
    return occ


def parse_unit_code(code: str) -> str:
    """A 4-digit ISCO-08 unit group that exists (candidates and demand use unit groups)."""
    occ = get(code)
    if not occ.is_unit:
        raise ValidationError.of(
            None, N_("Use a 4-digit ISCO-08 unit group, not the group “{value}”"), value=code
        )
    return occ.code


def search(text: str, limit: int = 20) -> list[Occupation]:
    """Occupations whose code starts with `text` or whose title (ka or en) has every word."""
    q = (text or "").strip().lower()
    if not q:
        return []
    items = classification().values()
    if q.isascii() and q.isdigit():
        return [o for o in items if o.code.startswith(q)][:limit]
    words = q.split()
    hits: list[tuple[int, Occupation]] = []
    for o in items:
        hay = f"{o.title_en.lower()} {o.title_ka}"
        if all(w in hay for w in words):
            starts = o.title_en.lower().startswith(q) or o.title_ka.startswith(q)
            hits.append((0 if starts else (1 if o.is_unit else 2), o))
    hits.sort(key=lambda t: (t[0], -t[1].level, t[1].code))
    return [o for _, o in hits[:limit]]


def ancestors(code: str) -> list[Occupation]:
    cls = classification()
    return [cls[code[:n]] for n in range(1, len(code)) if code[:n] in cls]
