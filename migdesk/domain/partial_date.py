"""Dates known to the year, the month or the day, as treaty records are (UNTC style).

"2013" (signed some time in 2013), "2018-12", "2019-02-01". Sorting puts a less precise
date before the precise dates inside it; formatting follows the official Georgian forms.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum

from migdesk.domain.errors import ValidationError
from migdesk.i18n import N_


class Precision(str, Enum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?$")

# Genitive month names, for phrases such as "თებერვლის ხელშეკრულება".
GENITIVE_MONTHS_KA = (
    "იანვრის", "თებერვლის", "მარტის", "აპრილის", "მაისის", "ივნისის",
    "ივლისის", "აგვისტოს", "სექტემბრის", "ოქტომბრის", "ნოემბრის", "დეკემბრის",
)


@dataclass(frozen=True, order=False)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValidationError.of(None, N_("Year {year} is not a valid year"), year=self.year)
        if self.day is not None and self.month is None:
            raise ValidationError.of(None, N_("A day needs a month"))
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValidationError.of(None, N_("Month {month} does not exist"), month=self.month)
        if self.day is not None:
            try:
                dt.date(self.year, self.month or 1, self.day)
            except ValueError:
                raise ValidationError.of(
                    None, N_("{value} is not a real date"), value=self._iso()
                ) from None

    # -- construction -------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse YYYY, YYYY-MM or YYYY-MM-DD; anything else is a ValidationError."""
        m = _PATTERN.match(text.strip()) if isinstance(text, str) else None
        if not m:
            raise ValidationError.of(
                None,
                N_("“{value}” is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
                value=text,
            )
        year, month, day = (int(g) if g else None for g in m.groups())
        assert year is not None
        return cls(year, month, day)

    @classmethod
    def from_date(cls, d: dt.date) -> PartialDate:
        return cls(d.year, d.month, d.day)

    # -- views --------------------------------------------------------------------------
    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def _iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def isoformat(self) -> str:
        return self._iso()

    __str__ = isoformat

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: PartialDate) -> bool:
        return self.sort_key() < other.sort_key()

    def __le__(self, other: PartialDate) -> bool:
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: PartialDate) -> bool:
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: PartialDate) -> bool:
        return self.sort_key() >= other.sort_key()

    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        if self.day is not None:
            return self.earliest()
        if self.month is None:
            return dt.date(self.year, 12, 31)
        nxt = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)

    def format(self, lang: str = "ka") -> str:
        """Official form: "2013 წელი", "2018 წლის დეკემბერი", "2019 წლის 1 თებერვალი"."""
        from babel.dates import format_date  # loaded for the first date written out in words

        d = self.earliest()
        if lang == "ka":
            if self.precision is Precision.YEAR:
                return f"{self.year} წელი"
            if self.precision is Precision.MONTH:
                return format_date(d, "y 'წლის' LLLL", locale="ka")
            return format_date(d, "y 'წლის' d MMMM", locale="ka")
        if self.precision is Precision.YEAR:
            return str(self.year)
        if self.precision is Precision.MONTH:
            return format_date(d, "LLLL y", locale="en")
        return format_date(d, "d MMMM y", locale="en")


def format_full_date(d: dt.date, lang: str = "ka") -> str:
    """A full date in the official form of the language."""
    return PartialDate.from_date(d).format(lang)


def parse_date(text: str) -> dt.date:
    """A full date YYYY-MM-DD, with the same bilingual errors as partial dates."""
    pd = PartialDate.parse(text)
    if pd.precision is not Precision.DAY:
        raise ValidationError.of(
            None, N_("“{value}” is not a full date: write YYYY-MM-DD"), value=text
        )
    return pd.earliest()
