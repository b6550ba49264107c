import datetime as dt

import pytest

from migdesk.domain.errors import ValidationError
from migdesk.domain.partial_date import PartialDate, Precision


@pytest.mark.parametrize("text,ka,en", [
    ("2013", "2013 წელი", "2013"),
    ("2018-12", "2018 წლის დეკემბერი", "December 2018"),
    ("2019-02-01", "2019 წლის 1 თებერვალი", "1 February 2019"),
])
def test_official_forms(text, ka, en):
    d = PartialDate.parse(text)
    assert d.format("ka") == ka
    assert d.format("en") == en
    assert d.isoformat() == text


def test_precision_and_bounds():
    assert PartialDate.parse("2013").precision is Precision.YEAR
    assert PartialDate.parse("2018-12").latest() == dt.date(2018, 12, 31)
    assert PartialDate.parse("2024-02").latest() == dt.date(2024, 2, 29)
    assert PartialDate.parse("2013").earliest() == dt.date(2013, 1, 1)


def test_sorting_puts_coarser_date_first():
    dates = [PartialDate.parse(t) for t in ("2019-02-01", "2013", "2018-12", "2018", "2018-12-05")]
    assert [d.isoformat() for d in sorted(dates)] == [
        "2013", "2018", "2018-12", "2018-12-05", "2019-02-01"]


@pytest.mark.parametrize("bad", ["2019-02-30", "2019-13", "19-02-01", "2019/02/01", "", "abcd",
                                 "2019-2-31"])
def test_unreal_dates_refused_in_both_languages(bad):
    with pytest.raises(ValidationError) as exc:
        PartialDate.parse(bad)
    ka, en = exc.value.message("ka"), exc.value.message("en")
    assert ka and en and ka != en
    assert any("\u10d0" <= ch <= "\u10fa" for ch in ka)
