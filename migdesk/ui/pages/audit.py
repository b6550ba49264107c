"""The audit trail for supervisors: entries filtered by officer, action and candidate, and
the chain verified on demand."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain.errors import MigdeskError
from migdesk.domain.roles import Permission
from migdesk.i18n import N_, _, language
from migdesk.ui.pages.overview import fill, stretch, table
from migdesk.ui.widgets import ERROR_STYLE

# The actions the filter offers (the chain may hold others; "all" shows them too).
ACTIONS = (("", N_("all actions")), ("view", N_("viewed")), ("search", N_("searched")),
           ("list", N_("listed")), ("print", N_("printed")), ("export", N_("exported")),
           ("import", N_("imported")), ("sign_in", N_("signed in")),
           ("sign_in_failed", N_("failed sign-in")), ("denied", N_("refused by role")),
           ("journal", N_("records changed")))

# Every other action the chain holds, by the name the table shows.
OTHER_ACTIONS = (("sign_out", N_("signed out")), ("sign_in_refused", N_("sign-in held back")),
                 ("lock", N_("locked")), ("unlock", N_("unlocked")),
                 ("unlock_failed", N_("failed unlock")), ("unlock_refused", N_("unlock held back")),
                 ("account_create", N_("account created")),
                 ("account_role", N_("role changed")),
                 ("account_disable", N_("account disabled")),
                 ("account_enable", N_("account enabled")),
                 ("password_reset", N_("password reset")),
                 ("password_change", N_("password changed")),
                 ("setting", N_("setting changed")), ("desk_rename", N_("desk renamed")),
                 ("trust", N_("desk trusted")), ("scope", N_("scope changed")),
                 ("key", N_("key made")), ("backup", N_("backup made")),
                 ("restore", N_("restored")))


class AuditPage(QWidget):
    message = Signal(str)

    def __init__(self, app: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.officer = QLineEdit()
        self.officer.setObjectName("audit_officer")
        self.candidate = QLineEdit()
        self.candidate.setObjectName("audit_candidate")
        self.action = QComboBox()
        self.action.setObjectName("audit_action")
        self.show_btn = QPushButton()
        self.verify_btn = QPushButton()
        for w in (self.officer, self.candidate, self.action, self.show_btn):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.verify_btn)
        lay.addLayout(bar)
        self.verdict = QLabel()
        self.verdict.setObjectName("audit_verdict")
        self.verdict.setWordWrap(True)
        lay.addWidget(self.verdict)
        self.table = stretch(table(7, "audit"), 5)
        lay.addWidget(self.table, 1)
        self.show_btn.clicked.connect(self.refresh)
        self.officer.returnPressed.connect(self.refresh)
        self.candidate.returnPressed.connect(self.refresh)
        self.verify_btn.clicked.connect(self.verify)
        self.retranslate()

    def retranslate(self) -> None:
        self.officer.setPlaceholderText(_("Officer's login"))
        self.candidate.setPlaceholderText(_("Candidate's personal number"))
        current = self.action.currentData()
        self.action.clear()
        for key, label in ACTIONS:
            self.action.addItem(_(label), key)
        self.action.setCurrentIndex(max(0, self.action.findData(current)))
        self.show_btn.setText(_("Show"))
        self.verify_btn.setText(_("Verify the chain"))
        self.table.setHorizontalHeaderLabels([_("No."), _("Time"), _("Officer"), _("Action"),
                                              _("Record"), _("Detail"), _("Reason")])

    def refresh(self) -> None:
        if not self.app.may(Permission.AUDIT):
            return
        try:
            cid = None
            if self.candidate.text().strip():
                cid = self.app.candidates.summary(self.candidate.text().strip()).id
            rows = self.app.audit.entries(candidate=cid, officer=self.officer.text() or None,
                                          action=self.action.currentData() or None, limit=500)
        except MigdeskError as exc:
            self.verdict.setStyleSheet(ERROR_STYLE)
            self.verdict.setText(exc.message(language()))
            return
        labels = {**dict(ACTIONS), **dict(OTHER_ACTIONS)}
        fill(self.table, [(str(r.seq or ""), _local(r.at), r.officer,
                           _(labels[r.action]) if r.action in labels else r.action,
                           f"{r.entity or ''} {(r.entity_id or '')[:8]}".strip(),
                           (r.detail or "")[:200], r.reason or "") for r in rows])

    def verify(self) -> None:
        try:
            v = self.app.audit.verify()
        except MigdeskError as exc:
            self.verdict.setStyleSheet(ERROR_STYLE)
            self.verdict.setText(exc.message(language()))
            return
        if v.ok:
            self.verdict.setStyleSheet("")
            text = _("The audit trail is unbroken: {n} entries, {c} journal rows").format(
                n=v.entries, c=v.changes)
        else:
            self.verdict.setStyleSheet(ERROR_STYLE)
            text = _("The audit trail is broken at entry {seq}: {why}").format(
                seq=v.broken_at, why=_(v.msgid or "").format(**(v.params or {})))
        self.verdict.setText(text)

    def apply_role(self, may: Any) -> None:
        self.setEnabled(may(Permission.AUDIT))


def _local(at: dt.datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
