import pytest

from migdesk.domain.errors import ValidationError
from tests.helpers import person

PEOPLE = [
    ("01001000001", "გიორგი", "ბერიძე"), ("01001000002", "ნინო", "ბერიძე"),
    ("01001000003", "ნიკა", "ბერაძე"), ("02002000004", "ანა", "ღლონტი"),
    ("02002000005", "გიორგი", "ჭავჭავაძე"), ("03003000006", "ბექა", "გიორგაძე"),
]


@pytest.fixture
def filled(app):
    for pn, first, last in PEOPLE:
        app.candidates.register(person(pn=pn, first=first, last=last, region="GE-IM"
                                       if pn.startswith("01") else "GE-TB"))
    return app


def names(page):
    return sorted(c.name_ka for c in page.items)


def test_georgian_prefix(filled):
    assert names(filled.candidates.search("ბერ")) == ["გიორგი ბერიძე", "ნიკა ბერაძე",
                                                     "ნინო ბერიძე"]


def test_latin_prefix_any_case(filled):
    assert names(filled.candidates.search("chav")) == ["გიორგი ჭავჭავაძე"]
    assert names(filled.candidates.search("GHLO")) == ["ანა ღლონტი"]


def test_personal_number_prefix(filled):
    assert names(filled.candidates.search("02002")) == ["ანა ღლონტი", "გიორგი ჭავჭავაძე"]


def test_two_words_narrow_and_candidate_listed_once(filled):
    assert names(filled.candidates.search("giorgi ber")) == ["გიორგი ბერიძე"]
    page = filled.candidates.search("გიორგ")  # first name of two, surname of one
    assert len(page.items) == len({c.id for c in page.items}) == 3


def test_filters(filled):
    assert names(filled.candidates.search("", region="GE-TB")) == [
        "ანა ღლონტი", "ბექა გიორგაძე", "გიორგი ჭავჭავაძე"]
    assert filled.candidates.count("ბერ", region="GE-IM") == 3
    assert filled.candidates.search("", status="selected").items == []


def test_keyset_pages_cover_everything_once(filled):
    seen, cursor = [], None
    while True:
        page = filled.candidates.search("", limit=4, cursor=cursor)
        seen += [c.id for c in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == len(PEOPLE)
    surnames = [filled.candidates.summary(i).last_name_ka for i in seen]
    assert surnames == sorted(surnames)


def test_bad_inputs(filled):
    with pytest.raises(ValidationError):
        filled.candidates.search("", cursor="garbage")
    with pytest.raises(ValidationError):
        filled.candidates.search("", status="happy")
    with pytest.raises(ValidationError):
        filled.candidates.search("", region="GE-XX")
