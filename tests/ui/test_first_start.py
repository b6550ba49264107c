"""The first start of a desk in the window: an empty database opens on a short page that
names the desk, shows its administrator and starts it in one click."""

from __future__ import annotations

from migdesk.services import Migdesk
from tests.helpers import PASSWORD
from tests.ui.officer import click, type_into


def _reopen(window_cls, app, settings):
    from migdesk.ui.tasks import SyncRunner

    return window_cls(app, settings=settings, runner=SyncRunner())


def test_an_empty_desk_opens_on_the_first_start_page(qtbot, window, app):
    assert window.showing_first_start() and window.nav.currentRow() == -1
    page = window.first_start
    assert page.isVisible() and page.heading.text() == "ახალი სამუშაო ადგილი"
    assert page.name.text() == app.desk.name
    assert page.admin.text() == "✓ ნინო ტესტაძე (tester)"
    for key in ("demo", "sheet", "package", "empty"):
        assert page.buttons[key].isVisible() and page.buttons[key].text()


def test_start_empty_names_the_desk_and_is_not_asked_again(qtbot, window, app, settings,
                                                           tmp_path):
    from migdesk.ui.main_window import MainWindow

    page = window.first_start
    type_into(qtbot, page.name, "ქუთაისის ცენტრი")
    click(qtbot, page.buttons["empty"])
    assert window.current_page() == "overview" and not window.showing_first_start()
    assert "ქუთაისის ცენტრი" in window.windowTitle()
    other = Migdesk.open(str(tmp_path / "desk.db"))
    assert other.desk.name == "ქუთაისის ცენტრი"  # saved in the database
    other.close()
    window.close()
    again = _reopen(MainWindow, app, settings)
    qtbot.addWidget(again)
    assert not again.showing_first_start() and again.current_page() == "overview"


def test_an_empty_name_is_refused_beside_the_field_and_nothing_changes(qtbot, window, app):
    page = window.first_start
    before = app.desk.name
    type_into(qtbot, page.name, "")
    page.name.clear()
    click(qtbot, page.buttons["empty"])
    assert page.name_error.isVisible() and page.name_error.text() == "სავალდებულოა"
    assert window.showing_first_start() and app.desk.name == before


def test_the_demo_in_one_click(qtbot, window, app):
    click(qtbot, window.first_start.buttons["demo"])  # no question: the click was the answer
    assert app.candidates.count() > 0 and app.partners.list()
    assert window.current_page() == "overview"
    assert "სადემონსტრაციო ბაზა" in window.windowTitle()


def test_a_spreadsheet_or_a_package_opens_the_existing_import(qtbot, window, monkeypatch):
    click(qtbot, window.first_start.buttons["sheet"])
    assert window.import_wizard.isVisible()  # the File ▸ Import a candidate list wizard
    window.import_wizard.reject()
    assert window.showing_first_start()  # nothing imported: still to be started
    asked = []
    monkeypatch.setattr(window.exchange, "import_", lambda: asked.append(True))
    click(qtbot, window.first_start.buttons["package"])
    assert asked and window.current_page() == "exchange"


def test_a_desk_with_data_or_an_officer_opens_as_before(qtbot, app, settings):
    from migdesk.ui.main_window import MainWindow

    app.partners.add("PL", "exploring")
    w = _reopen(MainWindow, app, settings)
    qtbot.addWidget(w)
    assert not w.showing_first_start() and w.current_page() == "overview"
    w.close()
    empty = Migdesk.open(str(app.db.url).removeprefix("sqlite:///") + "-2.db")
    empty.accounts.create_first_admin("admin2", "ეკა ადმინი", PASSWORD)
    empty.accounts.add("officer1", "ნიკა ოფიცერი", "officer", PASSWORD)
    empty.sign_out()
    empty.sign_in("officer1", PASSWORD)
    w2 = _reopen(MainWindow, empty, settings)
    qtbot.addWidget(w2)
    assert not w2.showing_first_start()  # only who may set up the desk is asked to
    w2.close()
    empty.close()
