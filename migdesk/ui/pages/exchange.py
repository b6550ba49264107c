"""Synchronisation page: export/import change packages, last exchange per partner, and the
conflicts and duplicates queues (issue 5). Long work goes through the one task runner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain.errors import MigdeskError
from migdesk.domain.roles import Permission
from migdesk.i18n import _
from migdesk.ui.dialogs import show_error
from migdesk.ui.tasks import Handle, TaskRunner, show_progress

PACKAGE_FILTER = "migdesk (*.mdp);;* (*)"


def in_worker(app: Any, fn: Callable[[Any], Any]) -> Any:
    """Run `fn(worker_app)` on an application object of its own (the task's thread)."""
    today = app.today()
    worker = type(app).open(str(app.db.url), create=False, migrate=False,
                            account=app.account, today=lambda: today)
    try:
        return fn(worker)
    finally:
        worker.close()


def _value(v: Any) -> str:
    if v is None:
        return "—"
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)


def _when(at: Any) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at else ""


def _table(name: str, columns: int) -> QTableWidget:
    t = QTableWidget(0, columns)
    t.setObjectName(name)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    t.setProperty("i18n_data", True)
    return t


def _fill(t: QTableWidget, rows: list[tuple[Any, list[str]]]) -> None:
    t.setRowCount(len(rows))
    for r, (key, cells) in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            t.setItem(r, c, item)


def _selected(t: QTableWidget) -> Any:
    row = t.currentRow()
    if row < 0 or t.item(row, 0) is None:
        return None
    return t.item(row, 0).data(Qt.ItemDataRole.UserRole)


class ExchangePage(QWidget):
    """“სინქრონიზაცია”: packages in and out, and what needs an officer's decision."""

    message = Signal(str)

    def __init__(self, app: Any, runner: TaskRunner | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        if runner is None:  # standalone: show our own progress dialogs
            runner = TaskRunner(self)
            runner.started.connect(lambda h: show_progress(self, h))
        self.runner = runner
        self.last_result: Any = None
        self.peers: dict[str, Any] = {}
        lay = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16px; font-weight: bold;")
        lay.addWidget(self.heading)
        row = QHBoxLayout()
        self.export_btn = QPushButton()
        self.export_btn.setObjectName("export_package")
        self.export_btn.clicked.connect(self.export_)
        self.import_btn = QPushButton()
        self.import_btn.setObjectName("import_package")
        self.import_btn.clicked.connect(self.import_)
        self.recipient_label = QLabel()
        self.recipient = QComboBox()
        self.recipient.setObjectName("recipient")
        self.recipient.setProperty("i18n_data", True)
        self.recipient.currentIndexChanged.connect(self._show_scope)
        self.recipient_label.setBuddy(self.recipient)
        self.scope_label = QLabel()
        self.scope = QComboBox()
        self.scope.setObjectName("scope")
        self.scope.activated.connect(self._scope_chosen)
        self.scope_label.setBuddy(self.scope)
        row.addWidget(self.export_btn)
        row.addWidget(self.recipient_label)
        row.addWidget(self.recipient, 1)
        row.addWidget(self.scope_label)
        row.addWidget(self.scope)
        row.addSpacing(24)
        row.addWidget(self.import_btn)
        row.addStretch(1)
        lay.addLayout(row)
        self.result = QLabel()
        self.result.setObjectName("result")
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setProperty("i18n_data", True)
        lay.addWidget(self.result)

        self.exchanges_box = QGroupBox()
        self.exchanges = _table("exchanges", 5)
        QVBoxLayout(self.exchanges_box).addWidget(self.exchanges)
        lay.addWidget(self.exchanges_box, 1)

        self.conflicts_box = QGroupBox()
        cl = QVBoxLayout(self.conflicts_box)
        self.conflicts = _table("conflicts", 5)
        cl.addWidget(self.conflicts)
        crow = QHBoxLayout()
        self.keep_here = QPushButton()
        self.keep_here.setObjectName("keep_here")
        self.keep_here.clicked.connect(lambda: self.resolve_selected("local"))
        self.take_incoming = QPushButton()
        self.take_incoming.setObjectName("take_incoming")
        self.take_incoming.clicked.connect(lambda: self.resolve_selected("incoming"))
        crow.addWidget(self.keep_here)
        crow.addWidget(self.take_incoming)
        crow.addStretch(1)
        cl.addLayout(crow)
        lay.addWidget(self.conflicts_box, 2)

        self.duplicates_box = QGroupBox()
        dl = QVBoxLayout(self.duplicates_box)
        self.duplicates = _table("duplicates", 4)
        dl.addWidget(self.duplicates)
        drow = QHBoxLayout()
        self.keep_local_dup = QPushButton()
        self.keep_local_dup.setObjectName("keep_local_duplicate")
        self.keep_local_dup.clicked.connect(lambda: self.resolve_duplicate_selected("local"))
        self.keep_incoming_dup = QPushButton()
        self.keep_incoming_dup.setObjectName("keep_incoming_duplicate")
        self.keep_incoming_dup.clicked.connect(
            lambda: self.resolve_duplicate_selected("incoming"))
        drow.addWidget(self.keep_local_dup)
        drow.addWidget(self.keep_incoming_dup)
        drow.addStretch(1)
        dl.addLayout(drow)
        lay.addWidget(self.duplicates_box, 1)

        # trust: this desk's card, another party's card from a file, what each receives
        self.trust_box = QGroupBox()
        tl = QVBoxLayout(self.trust_box)
        trow = QHBoxLayout()
        self.own_card_btn = QPushButton()
        self.own_card_btn.setObjectName("own_card")
        self.own_card_btn.clicked.connect(self.show_own_card)
        self.trust_btn = QPushButton()
        self.trust_btn.setObjectName("trust_card")
        self.trust_btn.clicked.connect(self.trust_card)
        trow.addWidget(self.own_card_btn)
        trow.addWidget(self.trust_btn)
        trow.addStretch(1)
        self.peer_scope_label = QLabel()
        self.peer_scope = QComboBox()
        self.peer_scope.setObjectName("peer_scope")
        self.peer_scope.activated.connect(self._peer_scope_chosen)
        self.peer_scope_label.setBuddy(self.peer_scope)
        trow.addWidget(self.peer_scope_label)
        trow.addWidget(self.peer_scope)
        tl.addLayout(trow)
        self.peer_table = _table("peers", 4)
        self.peer_table.itemSelectionChanged.connect(self._show_peer_scope)
        tl.addWidget(self.peer_table)
        lay.addWidget(self.trust_box, 1)
        self.dialog: Any = None
        self._importing: str | None = None
        self.retranslate()
        self.refresh()

    # -- texts ------------------------------------------------------------------------------
    def apply_role(self, may: Any) -> None:
        from migdesk.domain.roles import Permission

        self.export_btn.setVisible(may(Permission.EXPORT))
        self.import_btn.setVisible(may(Permission.IMPORT))
        for b in (self.keep_here, self.take_incoming, self.keep_local_dup,
                  self.keep_incoming_dup):
            b.setVisible(may(Permission.RESOLVE))
        self.trust_btn.setVisible(may(Permission.KEYS))
        self.peer_scope.setVisible(may(Permission.KEYS))
        self.peer_scope_label.setVisible(may(Permission.KEYS))

    def retranslate(self) -> None:
        self.heading.setText(_("Synchronisation"))
        self.export_btn.setText(_("Export…"))
        self.import_btn.setText(_("Import…"))
        self.recipient_label.setText(_("&For:"))
        self.scope_label.setText(_("&Receives:"))
        for combo in (self.scope, self.peer_scope):
            combo.clear()
            combo.addItem(_("its own candidates"), "own")
            combo.addItem(_("all candidates"), "all")
        self.trust_box.setTitle(_("Trusted desks and central store"))
        self.own_card_btn.setText(_("This desk's key card…"))
        self.trust_btn.setText(_("Trust a key card…"))
        self.peer_scope_label.setText(_("Receives:"))
        self.peer_table.setHorizontalHeaderLabels(
            [_("Name"), _("Role"), _("Receives"), _("Fingerprint")])
        self.exchanges_box.setTitle(_("Last exchange with each partner"))
        self.exchanges.setHorizontalHeaderLabels(
            [_("Partner"), _("Direction"), _("When"), _("Change numbers"), _("Changes")])
        self.conflicts_box.setTitle(_("Conflicts"))
        self.conflicts.setHorizontalHeaderLabels(
            [_("Record"), _("Field"), _("Value here"), _("Incoming value"), _("From desk")])
        self.keep_here.setText(_("Keep here"))
        self.take_incoming.setText(_("Take incoming"))
        self.duplicates_box.setTitle(_("Duplicates"))
        self.duplicates.setHorizontalHeaderLabels(
            [_("Record"), _("Registered here"), _("Incoming (held)"), _("From desk")])
        self.keep_local_dup.setText(_("Keep the one registered here"))
        self.keep_incoming_dup.setText(_("Keep the incoming one"))
        self._show_result()
        self.refresh()

    # -- tables -----------------------------------------------------------------------------
    def refresh(self) -> None:
        from migdesk.domain.roles import Permission

        if not self.app.may(Permission.RESOLVE):  # the page is not shown to this role
            return
        sync = self.app.sync
        peers = sync.peers()
        names = {p.desk_id: p.name for p in peers}
        self._fill_recipients(peers, sync.role)
        self._fill_peers(peers)
        directions = {"export": _("sent"), "import": _("received")}
        _fill(self.exchanges, [
            (e.partner_id, [e.partner_name if e.partner_id != "*" else _("anyone"),
                            directions.get(e.direction, e.direction), _when(e.at),
                            f"{e.seq_from}–{e.seq_to}", str(e.changes)])
            for e in sync.exchanges()])
        _fill(self.conflicts, [
            (c.id, [f"{c.entity} {c.entity_id[:8]}", c.field, _value(c.local_value),
                    _value(c.incoming_value), names.get(c.incoming_desk, c.incoming_desk[:8])])
            for c in sync.conflicts()])
        _fill(self.duplicates, [
            (d.id, [d.entity, d.local_id[:8], d.incoming_id[:8],
                    names.get(d.incoming_desk, d.incoming_desk[:8])])
            for d in sync.duplicates()])
        has_c, has_d = self.conflicts.rowCount() > 0, self.duplicates.rowCount() > 0
        for b in (self.keep_here, self.take_incoming):
            b.setEnabled(has_c)
        for b in (self.keep_local_dup, self.keep_incoming_dup):
            b.setEnabled(has_d)

    def _fill_recipients(self, peers: list[Any], role: str) -> None:
        """Who a package is for: the central store first, then desks by name; a desk that
        trusts no one may still write a package for anyone (unencrypted)."""
        chosen = self.recipient.currentData()
        self.peers = {p.desk_id: p for p in peers}
        self.recipient.blockSignals(True)
        self.recipient.clear()
        for p in sorted(peers, key=lambda p: (p.role != "central", p.name)):
            label = _("central store") if p.role == "central" else _("desk")
            self.recipient.addItem(f"{p.name} ({label})", p.desk_id)
        if role != "central" and not any(p.role == "central" for p in peers):
            self.recipient.insertItem(0, _("anyone (not encrypted)"), None)
        at = self.recipient.findData(chosen)
        self.recipient.setCurrentIndex(max(at, 0))
        self.recipient.blockSignals(False)
        self.export_btn.setEnabled(self.recipient.count() > 0)
        self._show_scope()

    def _fill_peers(self, peers: list[Any]) -> None:
        from migdesk.ui.trust import role_text

        chosen = _selected(self.peer_table)
        self.peer_table.blockSignals(True)
        _fill(self.peer_table, [
            (p.desk_id, [p.name, role_text(p.role),
                         _("its own candidates") if p.scope == "own" else _("all candidates"),
                         p.fingerprint]) for p in peers])
        for r in range(self.peer_table.rowCount()):
            if self.peer_table.item(r, 0).data(Qt.ItemDataRole.UserRole) == chosen:
                self.peer_table.selectRow(r)
        self.peer_table.blockSignals(False)
        self._show_peer_scope()

    def _show_peer_scope(self) -> None:
        peer = self.peers.get(_selected(self.peer_table)) \
            if self.peer_table.selectionModel().hasSelection() else None
        self.peer_scope.setEnabled(peer is not None and peer.role == "desk")
        self.peer_scope.setCurrentIndex(self.peer_scope.findData(peer.scope if peer else "all"))

    def _peer_scope_chosen(self, _index: int) -> None:
        self.set_scope(self.peers.get(_selected(self.peer_table)),
                       self.peer_scope.currentData())

    # -- trust ------------------------------------------------------------------------------
    def show_own_card(self) -> Any:
        from migdesk.ui.trust import OwnCardDialog

        try:
            self.dialog = OwnCardDialog(self, self.app)
        except MigdeskError as exc:
            show_error(self, exc)
            return None
        self.dialog.open()
        return self.dialog

    def trust_card(self, path: str | None = None, expected_desk: str | None = None,
                   then: Callable[[], Any] | None = None) -> Any:
        """Choose a card file, show its fingerprint to compare, trust it on the officer's
        word; `then` runs once it is trusted (the import that needed it)."""
        from migdesk.ui.trust import choose_card, open_trust

        path = path or choose_card(self)
        if not path:
            return None
        dlg = open_trust(self, self.app, path, expected_desk)
        if dlg is None:
            return None
        self.dialog = dlg

        def trusted(peer: Any) -> None:
            self.message.emit(_("Trusted: {name} ({id}), role {role}").format(
                name=peer.name, id=peer.desk_id, role=peer.role))
            self.refresh()
            if then is not None:
                then()

        dlg.trusted.connect(trusted)
        return dlg

    def _show_scope(self) -> None:
        peer = self.peers.get(self.recipient.currentData())
        is_desk = peer is not None and peer.role == "desk"
        self.scope.setEnabled(is_desk)
        self.scope.setCurrentIndex(self.scope.findData(peer.scope if peer else "all"))

    def _scope_chosen(self, _index: int) -> None:
        self.set_scope(self.peers.get(self.recipient.currentData()), self.scope.currentData())

    def set_scope(self, peer: Any, scope: str) -> None:
        """Which personal data a trusted desk receives from here, after a confirmation."""
        if peer is None or scope == peer.scope:
            return
        text = (_("{name} will receive every candidate's personal data from the next "
                  "package on, starting again from the first change. Go on?")
                if scope == "all" else
                _("{name} will receive only the candidates registered there from the next "
                  "package on; what it was sent before stays with it. Go on?"))
        answer = QMessageBox.question(self, _("What this desk receives"),
                                      text.format(name=peer.name))
        if answer == QMessageBox.StandardButton.Yes:
            try:
                self.app.sync.set_scope(peer.desk_id, scope)
            except MigdeskError as exc:
                show_error(self, exc)
        self.refresh()

    def resolve_selected(self, keep: str, conflict_id: int | None = None) -> None:
        cid = conflict_id if conflict_id is not None else _selected(self.conflicts)
        if cid is None:
            self.message.emit(_("Select a conflict first"))
            return
        try:
            self.app.sync.resolve(int(cid), keep)
        except MigdeskError as exc:
            show_error(self, exc)
        self.refresh()

    def resolve_duplicate_selected(self, keep: str, duplicate_id: int | None = None) -> None:
        did = duplicate_id if duplicate_id is not None else _selected(self.duplicates)
        if did is None:
            self.message.emit(_("Select a duplicate first"))
            return
        try:
            self.app.sync.resolve_duplicate(int(did), keep)
        except MigdeskError as exc:
            show_error(self, exc)
        self.refresh()

    # -- export and import ------------------------------------------------------------------
    def export_(self) -> Handle | None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export changes…"), str(Path.home() / "migdesk.mdp"), PACKAGE_FILTER)
        return self.export_to(path) if path else None

    def import_(self) -> Handle | None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Import changes…"), str(Path.home()), PACKAGE_FILTER)
        return self.import_from(path) if path else None

    def export_to(self, path: str | Path) -> Handle:
        app, to = self.app, self.recipient.currentData()
        return self.runner.submit(
            _("Export changes…"),
            lambda progress: in_worker(
                app, lambda w: w.sync.export(path, to=to, progress=progress)),
            on_done=self._exported, on_error=self._failed)

    def import_from(self, path: str | Path) -> Handle:
        app = self.app
        self._importing = str(path)
        return self.runner.submit(
            _("Import changes…"),
            lambda progress: in_worker(
                app, lambda w: w.sync.import_package(path, progress=progress)),
            on_done=self._imported, on_error=self._failed)

    def _exported(self, r: Any) -> None:
        self.last_result = r
        self._show_result()
        self.message.emit(self.result.text())
        self.refresh()

    def _imported(self, r: Any) -> None:
        self.last_result = r
        self._show_result()
        self.message.emit(self.result.text().splitlines()[0])
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        from migdesk.services.sync import untrusted_sender
        from migdesk.ui.dialogs import Confirm

        self.refresh()
        sender, path = untrusted_sender(exc), self._importing
        if sender and path and self.app.may(Permission.KEYS):
            # not a dead end: trust the sender's card (fingerprint compared), then import
            if Confirm.ask(self, _("Import changes…"), _(
                    "The package is signed by a desk this desk does not trust yet ({desk}). "
                    "Trust it now from its key card? Its fingerprint is shown to compare "
                    "with its owner by telephone.").format(desk=sender)):
                self.trust_card(expected_desk=sender, then=lambda: self.import_from(path))
            return
        show_error(self, exc)

    def _show_result(self) -> None:
        self._result_text()
        self.result.setVisible(bool(self.result.text()))

    def _result_text(self) -> None:
        r = self.last_result
        if r is None:
            self.result.setText("")
        elif hasattr(r, "stats"):
            s = r.stats
            lines = [_("Package from {name} ({id}), changes {first}–{last}").format(
                         name=r.sender_name, id=r.sender_id[:8], first=r.seq_from,
                         last=r.seq_to),
                     _("Applied: {applied}; already known: {known}; conflicts: {conflicts}; "
                       "duplicates: {dups}; waiting for earlier changes: {held}").format(
                         applied=s.applied, known=s.known, conflicts=s.conflicts,
                         dups=s.duplicates, held=s.held)]
            lines += [_("Gap: changes {lo}–{hi} from this desk have not arrived").format(
                lo=lo, hi=hi) for lo, hi in r.gaps]
            self.result.setText("\n".join(lines))
        else:
            text = _("Package written: {path}").format(path=r.path) + "\n" + _(
                "Changes {first}–{last}: {n}; attachments: {a}").format(
                first=r.seq_from, last=r.seq_to, n=r.changes, a=r.attachments)
            if not r.sealed:
                text += "\n" + _("Warning: no central store key is trusted, so the package "
                                 "is not encrypted and anyone who gets the file can read it")
            self.result.setText(text)
