"""The synchronisation page: export on one desk, import on another through the page's
functions; a field both desks edited shows in the conflicts table until it is resolved."""

from __future__ import annotations

import pytest

from tests.helpers import person
from tests.sync.net import introduce, open_desk


@pytest.fixture
def desks(tmp_path):
    c = open_desk(str(tmp_path / "central.db"), "ცენტრი", "central")
    a = open_desk(str(tmp_path / "a.db"), "ბათუმის სამუშაო ადგილი")
    introduce(tmp_path, c, a)
    yield tmp_path, c, a
    for d in (a, c):
        d.close()


def page_of(qtbot, app):
    from migdesk.ui.pages.exchange import ExchangePage
    from migdesk.ui.tasks import SyncRunner

    page = ExchangePage(app, runner=SyncRunner())
    qtbot.addWidget(page)
    page.resize(1000, 760)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_export_import_conflict_and_resolution(qtbot, desks, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    tmp, c, a = desks
    cid = a.candidates.register(person("01001012345")).id
    pa, pc = page_of(qtbot, a), page_of(qtbot, c)

    first = tmp / "first.mdp"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(first), ""))
    pa.export_()
    assert first.exists()
    assert "first.mdp" in pa.result.text()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(first), ""))
    pc.import_()
    applied = pc.last_result.stats.applied
    assert applied > 0
    assert f"გატარდა: {applied}" in pc.result.text()
    assert pc.exchanges.rowCount() == 1 and pa.exchanges.rowCount() == 1

    # both sides edit the same field
    a.candidates.update(cid, person("01001012345", first="მარიამ"))
    c.candidates.update(cid, person("01001012345", first="ნანა"))
    second = tmp / "second.mdp"
    pa.export_to(second)
    pc.import_from(second)
    n = pc.last_result.stats.conflicts
    assert n >= 1 and pc.conflicts.rowCount() == n  # the name and its romanised form
    rows = {pc.conflicts.item(r, 1).text(): [pc.conflicts.item(r, i).text() for i in range(5)]
            for r in range(n)}
    cells = rows["first_name_ka"]
    assert cells[2] == "ნანა" and cells[3] == "მარიამ"
    assert cells[4] == "ბათუმის სამუშაო ადგილი"
    assert f"კონფლიქტები: {n}" in pc.result.text()
    pc.grab().save(str(tmp / "exchange.png"))
    pc.grab().save("/tmp/exchange_page.png")

    for _ in range(n):
        pc.conflicts.selectRow(0)
        pc.take_incoming.click()
    assert pc.conflicts.rowCount() == 0 and not pc.take_incoming.isEnabled()
    assert c.candidates.get(cid, purpose=None).first_name_ka == "მარიამ"


def test_a_refused_package_shows_an_error_and_changes_nothing(qtbot, desks, monkeypatch):
    from migdesk.ui import dialogs

    tmp, c, _a = desks
    page = page_of(qtbot, c)
    bad = tmp / "bad.mdp"
    bad.write_bytes(b"not a package")
    shown = []
    monkeypatch.setattr(dialogs.ErrorBox, "show", classmethod(lambda cls, p, t: shown.append(t)))
    page.import_from(bad)
    assert shown and page.last_result is None and page.exchanges.rowCount() == 0


def test_window_hooks_export_and_import_through_the_data_folders(desks, _isolated_home):
    from migdesk.services.dossiers import print_for_window
    from migdesk.services.sync_window import export_for_window, import_for_window

    tmp, c, a = desks
    cid = a.candidates.register(person("01001012345")).id
    seen: list[tuple[int, int]] = []
    msg = export_for_window(a, [], lambda d, t: seen.append((d, t)) or True)
    outbox = list((_isolated_home / "outbox").iterdir())
    assert len(outbox) == 1 and "outbox" in msg
    (_isolated_home / "inbox").mkdir()
    outbox[0].replace(_isolated_home / "inbox" / outbox[0].name)
    msg = import_for_window(c, [], lambda d, t: True)
    assert "გატარდა" in msg or "applied" in msg
    assert c.candidates.get(cid, purpose=None).id == cid
    assert list((_isolated_home / "inbox" / "done").iterdir())
    msg = print_for_window(a, [cid], lambda d, t: True)
    [printed] = list((_isolated_home / "dossiers").glob("*.pdf"))
    from migdesk.services.dossiers import DossierService

    check = DossierService(a).check_file(printed)  # the window's dossier is signed too
    assert check.ok and check.own


def test_central_store_chooses_the_desk_and_what_it_receives(qtbot, desks, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    tmp, c, a = desks
    a.candidates.register(person("01001012345"))
    pc, pa = page_of(qtbot, c), page_of(qtbot, a)
    # the desk writes for the central store; the central store for a desk, never "anyone"
    assert [pa.recipient.itemText(i) for i in range(pa.recipient.count())] == [
        "ცენტრი (ცენტრალური საცავი)"]
    assert not pa.scope.isEnabled()
    assert [pc.recipient.itemText(i) for i in range(pc.recipient.count())] == [
        "ბათუმის სამუშაო ადგილი (სამუშაო ადგილი)"]
    assert pc.scope.isEnabled() and pc.scope.currentData() == "all"
    pc.retranslate()  # a change of language keeps the desk's scope showing
    assert pc.scope.currentData() == "all" and pc.scope.currentText() == "ყველა კანდიდატი"

    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args: asked.append(args[2]) or QMessageBox.StandardButton.Yes)
    pc.scope.setCurrentIndex(pc.scope.findData("own"))
    pc.scope.activated.emit(pc.scope.currentIndex())
    assert asked and "ბათუმის სამუშაო ადგილი" in asked[0]
    assert [p.scope for p in c.sync.peers()] == ["own"]
    assert pc.scope.currentData() == "own"
    pc.grab().save("/tmp/exchange_central.png")

    pa.export_to(tmp / "up.mdp")
    pc.import_from(tmp / "up.mdp")
    pc.export_to(tmp / "down.mdp")
    assert pc.last_result.partner_id == a.desk_id and pc.last_result.sealed
    pa.import_from(tmp / "down.mdp")
    assert pa.last_result.sender_id == c.desk_id


def test_central_store_menu_export_writes_a_package_for_each_desk(desks, _isolated_home):
    from migdesk.services.sync_window import export_for_window

    tmp, c, a = desks
    second = open_desk(str(tmp / "b.db"), "ქუთაისის სამუშაო ადგილი")
    introduce(tmp, c, second)
    msg = export_for_window(c, [], lambda d, t: True)
    outbox = sorted(p.name for p in (_isolated_home / "outbox").iterdir())
    assert len(outbox) == 2 and "2" in msg
    assert {n.split("-to-")[1][:8] for n in outbox} == {a.desk_id[:8], second.desk_id[:8]}
    second.close()


def test_a_large_package_loads_from_the_page_with_its_inserts_on_a_second_thread(
        qtbot, desks, monkeypatch) -> None:
    """From the window (its own connections open to the desk) a large
    package is applied with the insert thread, and the page shows what was applied."""
    from migdesk.sync import merge
    from tests.sync.test_progress import many

    tmp, c, a = desks
    many(a, 600)
    monkeypatch.setattr(merge, "BULK_MIN", 1)
    monkeypatch.setattr(merge, "CHUNK", 250)
    started = []
    real = merge.InsertThread
    monkeypatch.setattr(merge, "InsertThread", lambda conn: started.append(1) or real(conn))
    page = page_of(qtbot, c)
    pkg = tmp / "big.mdp"
    a.sync.export(pkg)
    page.import_from(pkg)
    applied = page.last_result.stats.applied
    assert started and applied == 1200  # each candidate and its history
    assert f"გატარდა: {applied}" in page.result.text()
    assert c.candidates.count() == 600
    assert [r.personal_number for r in c.candidates.search("03000000599").items] == \
        ["03000000599"]
