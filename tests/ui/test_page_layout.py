"""At 1366×768 the visits, partners and programmes pages show their text whole: no sideways
scroll on the visit list, the remove-visit button's label not cut, room for follow-up actions,
a programme's long name wrapped or in its tooltip."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from migdesk.i18n import set_language


def _at_1366(qtbot, window, page: str) -> None:
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.show_page(page)
    QApplication.processEvents()


def test_visits_page_fits_at_1366(qtbot, window, app):
    set_language("ka")
    window.retranslate()
    _at_1366(qtbot, window, "visits")
    page = window.visits
    page.refresh()
    QApplication.processEvents()
    assert not page.list.horizontalScrollBar().isVisible()
    b = page.remove_button
    assert b.width() >= b.sizeHint().width(), (b.width(), b.sizeHint().width())
    row_h = page.follow_ups.verticalHeader().defaultSectionSize()
    assert page.follow_ups.height() >= 3 * row_h


def test_programme_name_is_whole(qtbot, window, app):
    _at_1366(qtbot, window, "programs")
    page = window.programs
    page.refresh()
    QApplication.processEvents()
    lst = page.list
    assert lst.wordWrap()
    for i in range(lst.count()):
        item = lst.item(i)
        assert item.toolTip() == item.text()
    assert not lst.horizontalScrollBar().isVisible()


def test_partner_assessment_with_a_long_rationale_does_not_scroll_sideways(qtbot, window, app):
    set_language("ka")
    window.retranslate()
    long = ("ბულგარეთის შრომის კოდექსი: " + "მინიმალური ხელფასი და სამუშაო საათები, " * 8).strip()
    app.partners.add("BG", "negotiating")
    app.partners.assess("BG", "2019", "negotiating", long,
                        [{"kind": "minimum_wage", "value": "286", "currency": "EUR"}],
                        update_stage=False)
    _at_1366(qtbot, window, "partners")
    page = window.partners
    page.refresh()
    page.list.setCurrentRow(0)
    QApplication.processEvents()
    t = page.assessments
    assert t.rowCount() == 1
    assert not t.horizontalScrollBar().isVisible()
    assert t.item(0, 4).toolTip() == long  # the whole rationale where the column elides it
