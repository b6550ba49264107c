"""Font search order and the glyph check: a missing glyph is a bilingual error, not a box."""

from __future__ import annotations

from pathlib import Path

import pytest

from migdesk.documents import fonts
from migdesk.documents.layout import Text
from migdesk.domain.errors import MigdeskError


def test_font_found_and_override(monkeypatch, tmp_path) -> None:
    choice = fonts.find_font()
    assert choice.regular.suffix == ".ttf" and choice.regular.is_file()
    monkeypatch.setenv("MIGDESK_FONT", str(choice.regular))
    assert fonts.find_font().source == "override"
    monkeypatch.setenv("MIGDESK_FONT", str(tmp_path / "nope.ttf"))
    with pytest.raises(fonts.FontError) as info:
        fonts.find_font()
    assert "nope.ttf" in info.value.message("ka") and "not found" in info.value.message("en")


def test_no_font_files_in_the_repository() -> None:
    root = Path(__file__).resolve().parent.parent
    found = [p for ext in ("*.ttf", "*.otf", "*.ttc") for p in root.glob(f"migdesk/**/{ext}")]
    found += [p for ext in ("*.ttf", "*.otf") for p in root.glob(f"resources/**/{ext}")]
    assert not found


@pytest.mark.parametrize("char", ["Ა", "中", "🙂"])  # Mtavruli (str.upper() of ა), symbols
def test_missing_glyph_is_a_bilingual_error_naming_the_character(char) -> None:
    fonts.register()
    tx = Text("ka")
    tx.raw("ქართული ტექსტი, 1 234,50 €")  # Mkhedruli, digits, NBSP-free punctuation pass
    with pytest.raises(fonts.MissingGlyph) as info:
        tx.raw(f"სახელი {char}", field="first_name_ka")
    ka, en = info.value.message("ka"), info.value.message("en")
    code = f"U+{ord(char):04X}"
    assert code in ka and code in en and char in en
    assert "სახელი (ქართულად)" in ka or "სახელი" in ka  # names the field
    assert "glyph" in en and "შრიფტს" in ka
    assert isinstance(info.value, MigdeskError)


def test_upper_of_georgian_would_be_refused() -> None:
    fonts.register()
    with pytest.raises(fonts.MissingGlyph):
        Text("ka").raw("ბერიძე".upper())


def test_dossier_with_unsupported_character_is_not_made(app) -> None:
    from migdesk.services.demo import load_demo
    from migdesk.services.dossiers import DossierService

    load_demo(app, candidates=5, seed=3)
    app.set_setting("institution_name", "სამინისტრო 中")
    cid = app.candidates.search(limit=1).items[0].id
    with pytest.raises(fonts.MissingGlyph) as info:
        DossierService(app).render(cid)
    assert "U+4E2D" in info.value.bilingual()
    assert app.audit.accesses(cid) == [] or all(a.action != "export"
                                                for a in app.audit.accesses(cid))
