import pytest

from migdesk.domain.errors import ValidationError
from migdesk.domain.names import (
    name_similarity,
    names_match,
    parse_georgian_name,
    parse_latin_name,
    passport_form,
    romanise,
    to_mkhedruli,
)


@pytest.mark.parametrize("ka,passport", [
    ("ჭავჭავაძე", "CHAVCHAVADZE"),
    ("წერეთელი", "TSERETELI"),
    ("ყიფიანი", "QIPIANI"),
    ("ღლონტი", "GHLONTI"),
    ("ჟღენტი", "ZHGHENTI"),
    ("კაპანაძე", "KAPANADZE"),
    ("ხუციშვილი", "KHUTSISHVILI"),
    ("ფხაკაძე", "PKHAKADZE"),
    ("ჯავახიშვილი", "JAVAKHISHVILI"),
    ("თამარ", "TAMAR"),
])
def test_passport_form_follows_the_national_system(ka, passport):
    assert passport_form(ka) == passport


def test_romanisation_keeps_apostrophes_for_ejectives():
    assert romanise("ჭავჭავაძე") == "ch'avch'avadze"
    assert romanise("პეტრე") == "p'et're"


def test_mtavruli_is_folded_back_never_produced():
    upper = "გიორგი".upper()  # Python makes Mtavruli here: the trap
    assert upper != "გიორგი"
    assert to_mkhedruli(upper) == "გიორგი"
    assert parse_georgian_name(upper) == "გიორგი"
    assert passport_form(upper) == "GIORGI"


@pytest.mark.parametrize("bad", ["George", "გიორგი1", "", "  "])
def test_georgian_name_must_be_mkhedruli(bad):
    with pytest.raises(ValidationError):
        parse_georgian_name(bad)


def test_latin_name_is_normalised_to_passport_form():
    assert parse_latin_name("ch'avch'avadze") == "CHAVCHAVADZE"
    assert parse_latin_name("  giorgi  ") == "GIORGI"
    with pytest.raises(ValidationError):
        parse_latin_name("გიორგი")


def test_names_match_across_scripts_and_small_slips():
    assert names_match("გიორგი", "ბერიძე", "GIORGI", "BERIDZE")
    assert names_match("გიორგი", "ბერიძე", "GEORGI", "BERIDZE")
    assert names_match("ნიკოლოზ", "წერეთელი", "NIKOLOZ", "TZERETELI")
    assert not names_match("გიორგი", "ბერიძე", "NINO", "BERIDZE")
    assert name_similarity("ხუციშვილი", "KHUTSISHVILI") == 1.0
