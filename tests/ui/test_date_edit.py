"""The date field: typed text stays the officer's, the calendar writes ISO, DD.MM.YYYY is read."""

from __future__ import annotations

from PySide6.QtCore import QDate

from migdesk.ui.date_edit import DateEdit, as_date, normalised


def test_official_form_is_turned_into_iso_when_the_field_is_left(qtbot):
    ed = DateEdit()
    qtbot.addWidget(ed)
    ed.setText("07.03.1991")
    ed.editingFinished.emit()
    assert ed.text() == "1991-03-07"
    assert normalised("2019") == "2019" and normalised("31/12/2020") == "2020-12-31"
    assert as_date("2019-02-30") is None and as_date("2019") is None


def test_the_calendar_writes_the_picked_day_and_opens_on_the_typed_one(qtbot):
    ed = DateEdit(partial=True)
    qtbot.addWidget(ed)
    ed.show()
    ed.setText("2020-05-17")
    ed.calendar_action.trigger()
    assert ed.calendar is not None and ed.calendar.selectedDate() == QDate(2020, 5, 17)
    ed.calendar.clicked.emit(QDate(2021, 1, 9))
    assert ed.text() == "2021-01-09"
    assert not ed.calendar.isVisible()
