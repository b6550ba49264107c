"""The window after it opens: the background check and the daily backup, without a dialog
to wait for; a damaged database is shown with the newest good backup named."""

from __future__ import annotations

import sqlite3

from migdesk.store import backup as store_backup


def test_after_start_makes_the_daily_backup_without_a_dialog(window, app) -> None:
    from migdesk.ui.main import after_start

    shown = []
    window.runner.started.connect(shown.append)
    after_start(app, window)
    made = store_backup.list_backups(app.backups.path)
    assert [b.reason for b in made] == ["daily"] and shown == []
    after_start(app, window)  # once a day
    assert len(store_backup.list_backups(app.backups.path)) == 1


def test_after_start_names_the_newest_backup_of_a_damaged_database(window, app,
                                                                   monkeypatch) -> None:
    from migdesk.ui import dialogs
    from migdesk.ui.main import after_start
    from tests.helpers import person

    app.candidates.register(person())
    path = app.backups.path
    good = app.backups.make()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the pages to damage are in the file
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = "
                       "'ix_change_log_entity'").fetchone()[0]
    page = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page:(root - 1) * page + 200] = b"\xff" * 200  # an index's page
    path.write_bytes(bytes(data))
    errors = []
    monkeypatch.setattr(dialogs.ErrorBox, "show", classmethod(
        lambda cls, parent, text: errors.append(text)))
    after_start(app, window)
    assert len(errors) == 1 and str(good.path) in errors[0] and "დაზიანებულია" in errors[0]
    assert [b.path for b in store_backup.list_backups(path)] == [good.path]
