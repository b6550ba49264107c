"""Trust from the window: this desk's card shown and saved, another desk's card trusted after
its fingerprint was compared, a scope per trusted desk, and a package from a desk not yet
trusted: the window offers to trust it, then imports it."""

from __future__ import annotations

import sqlite3

import pytest

from migdesk.sync import keys as keymod
from tests.helpers import person
from tests.sync.net import open_desk
from tests.ui.officer import click


@pytest.fixture
def two(tmp_path):
    a = open_desk(str(tmp_path / "a.db"), "ბათუმის სამუშაო ადგილი")
    b = open_desk(str(tmp_path / "b.db"), "ქუთაისის სამუშაო ადგილი")
    yield tmp_path, a, b
    for d in (a, b):
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


def _peers(path):
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT name, scope FROM sync_peer").fetchall()
    finally:
        db.close()


def test_own_card_is_shown_with_its_fingerprint_and_saved(qtbot, two, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    tmp, a, _b = two
    page = page_of(qtbot, a)
    dlg = page.own_card_btn.click() or page.dialog
    fp = a.sync.card().fingerprint
    groups = fp.split()
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)
    assert dlg.fingerprint.text().split() == groups
    target = tmp / "batumi.card"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    click(qtbot, dlg.save_button)
    assert keymod.read_card(target) == a.sync.card()
    assert str(target) in dlg.written.text()


def test_trust_a_card_after_comparing_its_fingerprint_and_set_its_scope(qtbot, two,
                                                                        monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    tmp, a, b = two
    card = tmp / "kutaisi.card"
    card.write_text(b.sync.card().to_json())
    page = page_of(qtbot, a)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(card), ""))
    dlg = page.trust_btn.click() or page.dialog
    assert dlg.fingerprint.text().split() == b.sync.card().fingerprint.split()
    assert dlg.scope.currentData() == "own"  # data minimisation by default
    dlg.reject()  # the fingerprint did not match on the telephone: nothing trusted
    assert _peers(tmp / "a.db") == []

    dlg = page.trust_btn.click() or page.dialog
    click(qtbot, dlg.trust_button)
    assert not dlg.isVisible()
    assert _peers(tmp / "a.db") == [("ქუთაისის სამუშაო ადგილი", "own")]
    row = [page.peer_table.item(0, c).text() for c in range(4)]
    assert row[0] == "ქუთაისის სამუშაო ადგილი" and row[3] == b.sync.card().fingerprint

    page.peer_table.selectRow(0)
    assert page.peer_scope.isEnabled()
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args: QMessageBox.StandardButton.Yes)
    page.peer_scope.setCurrentIndex(page.peer_scope.findData("all"))
    page.peer_scope.activated.emit(page.peer_scope.currentIndex())
    assert _peers(tmp / "a.db") == [("ქუთაისის სამუშაო ადგილი", "all")]
    assert page.peer_table.item(0, 2).text() == "ყველა კანდიდატი"


def test_a_card_that_is_not_a_card_is_refused(qtbot, two, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from migdesk.ui import dialogs

    tmp, a, _b = two
    bad = tmp / "photo.card"
    bad.write_bytes(b"\x89PNG not a card")
    shown = []
    monkeypatch.setattr(dialogs.ErrorBox, "show", classmethod(lambda cls, p, t: shown.append(t)))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    page = page_of(qtbot, a)
    assert page.trust_card() is None
    assert shown and "photo.card" in shown[0]
    assert _peers(tmp / "a.db") == []


def test_a_package_from_a_desk_not_trusted_offers_to_trust_it(qtbot, two, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from migdesk.ui.dialogs import Confirm

    tmp, a, b = two
    cid = b.candidates.register(person("01001012345")).id
    package = tmp / "from-kutaisi.mdp"
    b.sync.export(package)  # for anyone (not encrypted): b trusts no one
    card = tmp / "kutaisi.card"
    card.write_text(b.sync.card().to_json())
    asked = []
    monkeypatch.setattr(Confirm, "ask",
                        classmethod(lambda cls, p, t, q: asked.append(q) or True))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(card), ""))
    page = page_of(qtbot, a)
    page.import_from(package)
    assert asked and b.desk_id in asked[0] and "migdesk desk trust" not in asked[0]
    dlg = page.dialog
    assert dlg.isVisible() and dlg.trust_button.isEnabled()
    assert dlg.fingerprint.text().split() == b.sync.card().fingerprint.split()
    click(qtbot, dlg.trust_button)  # trusted, and the import goes on by itself
    assert page.last_result is not None and page.last_result.stats.applied > 0
    assert a.candidates.get(cid, purpose=None).id == cid


def test_the_card_of_another_desk_cannot_stand_in_for_the_signer(qtbot, two, tmp_path,
                                                                  monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from migdesk.ui.dialogs import Confirm

    tmp, a, b = two
    c = open_desk(str(tmp / "c.db"), "თელავის სამუშაო ადგილი")
    try:
        package = tmp / "from-kutaisi.mdp"
        b.sync.export(package)
        other = tmp / "telavi.card"
        other.write_text(c.sync.card().to_json())
        monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, p, t, q: True))
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
        page = page_of(qtbot, a)
        page.import_from(package)
        dlg = page.dialog
        assert not dlg.trust_button.isEnabled() and b.desk_id in dlg.error.text()
        dlg.reject()
        assert _peers(tmp / "a.db") == [] and page.last_result is None
    finally:
        c.close()


def test_a_card_changed_after_its_fingerprint_was_shown_is_refused(two):
    """The officer compares the fingerprint shown; if the file is swapped before the desk
    trusts it (a shared stick or folder), the other key is not trusted."""
    from migdesk.domain.errors import MigdeskError

    tmp, a, b = two
    shown = tmp / "b.card"
    b.sync.write_card(shown)
    compared = a.sync.read_card(shown).fingerprint
    c = open_desk(str(tmp / "c.db"), "სხვა სამუშაო ადგილი")
    try:
        c.sync.write_card(shown)  # swapped after the comparison
    finally:
        c.close()
    with pytest.raises(MigdeskError) as exc:
        a.sync.trust(shown, expected=compared)
    assert "fingerprint" in exc.value.message("en")
    assert _peers(str(tmp / "a.db")) == []


@pytest.mark.parametrize("content", [b"{" + b" " * (70 * 1024) + b"}",   # far too large
                                     b"[" * 100_000 + b"]" * 100_000])     # nested to the end
def test_a_hostile_card_file_is_refused_plainly(two, content):
    from migdesk.domain.errors import MigdeskError

    tmp, a, _b = two
    card = tmp / "hostile.card"
    card.write_bytes(content)
    with pytest.raises(MigdeskError) as exc:
        a.sync.read_card(card)
    assert "is not a migdesk key card" in exc.value.message("en")
