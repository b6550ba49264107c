"""The window's sign-in, first start, idle lock (unsaved edits kept) and role-hiding."""

from __future__ import annotations

import pytest

from migdesk.services import Migdesk
from tests.helpers import PASSWORD, as_role
from tests.ui.officer import keys, type_into


def test_first_start_creates_the_administrator_with_messages_beside_the_fields(
        qtbot, tmp_path) -> None:
    from migdesk.ui.sign_in import SignInDialog

    app = Migdesk.open(str(tmp_path / "new.db"))
    dlg = SignInDialog(app)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.first_start and dlg.full_name.isVisible()
    type_into(qtbot, dlg.login, "ნინო")  # not Latin
    keys(dlg.full_name, "ნინო ბერიძე")
    type_into(qtbot, dlg.password, "short")
    type_into(qtbot, dlg.again, "short")
    dlg.submit()
    assert "ლათინური" in dlg.errors["login"].text() and dlg.errors["login"].isVisible()
    assert not app.accounts.any() and dlg.result() == 0
    type_into(qtbot, dlg.login, "nino")
    type_into(qtbot, dlg.password, "a-long-password")
    type_into(qtbot, dlg.again, "a-long-passwort")
    dlg.submit()
    assert "არ ემთხვევა" in dlg.errors["password"].text()
    type_into(qtbot, dlg.password, "a-long-password")
    type_into(qtbot, dlg.again, "a-long-password")
    dlg.submit()
    assert dlg.result() == 1 and app.signed_in and app.account.role == "administrator"
    assert app.officer_name == "ნინო ბერიძე"
    dlg.grab().save(str(tmp_path / "first-start.png"))
    app.close()


def test_sign_in_refuses_a_wrong_password_and_accepts_the_right_one(qtbot, app) -> None:
    from migdesk.ui.sign_in import SignInDialog

    app.sign_out()
    dlg = SignInDialog(app)
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.first_start and not dlg.full_name.isVisible()
    type_into(qtbot, dlg.login, "tester")
    type_into(qtbot, dlg.password, "not-the-password")
    dlg.submit()
    assert "არასწორია" in dlg.errors["form"].text() and not app.signed_in
    assert dlg.password.text() == ""  # the wrong password is not left in the field
    type_into(qtbot, dlg.password, PASSWORD)
    dlg.submit()
    assert dlg.result() == 1 and app.officer == "tester"


def test_lock_hides_the_window_and_unlock_brings_back_unsaved_edits(qtbot, window) -> None:
    window.act_new.trigger()
    form = window.candidates.form
    keys(form.editor("first_name_ka"), "ლევანი")
    assert form.dirty
    window.lock()
    dlg = window.lock_dialog
    assert window.locked and dlg.isVisible()
    assert not window.centralWidget().isVisible()  # nobody reads personal data behind it
    assert not window.close()  # nor closes the officer's unsaved work
    type_into(qtbot, dlg.password, "wrong-password")
    dlg.submit()
    assert window.locked and "არასწორია" in dlg.error.text()
    type_into(qtbot, dlg.password, PASSWORD)
    dlg.submit()
    assert not window.locked and window.centralWidget().isVisible()
    assert form.dirty and form.editor("first_name_ka").text() == "ლევანი"
    actions = [e.action for e in window.app.audit.entries(limit=10)]
    assert "lock" in actions and "unlock" in actions and "unlock_failed" in actions


def test_idle_time_locks_the_window(qtbot, app, settings) -> None:
    from migdesk.ui.main_window import MainWindow
    from migdesk.ui.tasks import SyncRunner

    app.set_setting("lock_minutes", "0.002")  # about a tenth of a second
    w = MainWindow(app, settings=settings, runner=SyncRunner())
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.locked, timeout=3000)
    w.lock_dialog.password.setText(PASSWORD)
    w.lock_dialog.submit()
    assert not w.locked


@pytest.mark.parametrize("role,sees", [
    ("officer", {"delete": False, "import": False, "audit": False, "accounts": False,
                 "select": False}),
    ("supervisor", {"delete": True, "import": True, "audit": True, "accounts": False,
                    "select": True}),
])
def test_a_role_does_not_see_what_it_may_not_do(qtbot, app, settings, role, sees) -> None:
    from migdesk.ui.main_window import PAGES, MainWindow
    from migdesk.ui.tasks import SyncRunner

    as_role(app, role)
    w = MainWindow(app, settings=settings, runner=SyncRunner())
    qtbot.addWidget(w)
    keys_ = [p[0] for p in PAGES]
    seen = {"delete": w.act_delete.isVisible(), "import": w.act_import.isVisible(),
            "audit": not w.nav.item(keys_.index("audit")).isHidden(),
            "accounts": not w.nav.item(keys_.index("accounts")).isHidden(),
            "select": not w.programs.select_button.isHidden()}
    assert seen == sees
    assert role in w.windowTitle() or "ოფიცერი" in w.windowTitle() \
        or "ზედამხედველი" in w.windowTitle()


def test_a_search_in_the_window_is_recorded_once(qtbot, window) -> None:
    from tests.helpers import person

    window.app.candidates.register(person("01001012345"))
    window.show_page("candidates")
    page = window.candidates
    type_into(qtbot, page.search, "კაპან")
    page.refresh()
    page.refresh()  # the same search again (a repaint, a refresh): not recorded twice
    searches = [e for e in window.app.audit.entries(action="search")]
    assert len(searches) == 1 and '"query": "კაპან"' in searches[0].detail
    assert '"rows": 1' in searches[0].detail


def test_the_window_exports_the_current_search_to_xlsx(qtbot, window, tmp_path,
                                                        monkeypatch) -> None:
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog

    from tests.helpers import person

    for pn, last in (("01001012345", "კაპანაძე"), ("01001012346", "ბერიძე")):
        window.app.candidates.register(person(pn, last=last))
    window.show_page("candidates")
    type_into(qtbot, window.candidates.search, "კაპან")
    window.candidates.refresh()
    out = tmp_path / "list.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.act_export_list.trigger()
    book = load_workbook(out, read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    assert len(rows) == 2 and "01001012345" in rows[1]  # the header and the one match
    assert any("პირადი" in str(h) for h in rows[0])  # Georgian headers
    assert "ექსპორტირებულია" in window.status_text.text()


def test_the_lock_hides_every_other_window_of_the_application(qtbot, window) -> None:
    from PySide6.QtWidgets import QDialog

    other = QDialog(window)  # a wizard or a dossier preview showing personal data
    other.setWindowTitle("ნინო კაპანაძე")
    other.show()
    qtbot.waitExposed(other)
    window.lock()
    assert not other.isVisible() and window.lock_dialog.isVisible()
    window.lock_dialog.password.setText(PASSWORD)
    window.lock_dialog.submit()
    assert other.isVisible() and not window.locked


def test_the_audit_page_names_every_action_in_georgian_and_verifies(qtbot, window) -> None:
    from migdesk.ui.pages.audit import ACTIONS, OTHER_ACTIONS

    window.app.sign_out()
    window.app.sign_in("tester", PASSWORD)
    window.show_page("audit")
    page = window.audit
    page.refresh()
    shown = {page.table.item(r, 3).text() for r in range(page.table.rowCount())}
    raw = {key for key, _label in (*ACTIONS, *OTHER_ACTIONS)}
    assert "გასვლა" in shown and "შესვლა" in shown and "ანგარიშის შექმნა" in shown
    assert not shown & raw  # no action left as its key
    page.verify()
    assert "მთლიანია" in page.verdict.text()
