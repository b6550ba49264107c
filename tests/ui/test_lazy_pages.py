"""The window paints with only the candidate page built; a page opened later is built then,
in the language chosen meanwhile and with what the officer's role allows."""

from __future__ import annotations

from migdesk.ui.main_window import PAGES


def test_pages_are_built_when_first_shown_in_the_current_language(qtbot, window, app):
    assert set(window.pages) <= {"candidates", "overview"}  # the first page shown, no other
    assert "partners" not in window.pages
    window.set_language("en")
    app.partners.add("PL", "in_force")
    window.show_page("partners")
    page = window.partners
    assert window.pages["partners"] is page
    assert window.stack.currentWidget().widget() is page
    assert page.add_button.text() == "New partner state…"
    window.set_language("ka")
    assert page.add_button.text() != "New partner state…"  # built pages follow the language


def test_every_page_can_be_opened_and_keeps_its_place(qtbot, window):
    for i, (key, _label, _icon) in enumerate(PAGES):
        if window.nav.item(i).isHidden():
            continue
        window.show_page(key)
        assert window.stack.currentIndex() == i
        assert window.stack.currentWidget().widget() is window.page(key)
