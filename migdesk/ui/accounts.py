"""Accounts in the window: changing one's own password, and the administrators' page of
officer accounts (add, role, disable and enable, reset a password)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain.errors import MigdeskError
from migdesk.domain.roles import Permission, Role
from migdesk.i18n import _, language
from migdesk.ui.pages.overview import fill, table
from migdesk.ui.widgets import ERROR_STYLE


def _password() -> QLineEdit:
    e = QLineEdit()
    e.setEchoMode(QLineEdit.EchoMode.Password)
    return e


class ChangePasswordDialog(QDialog):
    def __init__(self, app: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.setObjectName("change_password")
        self.setWindowTitle(_("Change password…"))
        form = QFormLayout(self)
        self.old, self.new, self.again = _password(), _password(), _password()
        self.old.setObjectName("old_password")
        self.new.setObjectName("new_password")
        self.again.setObjectName("password_again")
        form.addRow(_("Current password"), self.old)
        form.addRow(_("New password"), self.new)
        form.addRow(_("Password again"), self.again)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Change"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def submit(self) -> None:
        if self.new.text() != self.again.text():
            self._say(_("The two passwords differ"))
            return
        try:
            self.app.accounts.change_password(self.old.text(), self.new.text())
        except MigdeskError as exc:
            self._say(exc.message(language()))
            return
        self.accept()

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)


class AccountsPage(QWidget):
    """The desk's officer accounts (administrators only)."""

    message = Signal(str)

    def __init__(self, app: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.views: list[Any] = []
        lay = QVBoxLayout(self)
        self.table = table(5, "accounts")
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.role = QComboBox()
        self.role.setObjectName("account_role")
        self.set_role_btn = QPushButton()
        self.disable_btn = QPushButton()
        self.enable_btn = QPushButton()
        self.reset_btn = QPushButton()
        for w in (self.role, self.set_role_btn, self.disable_btn, self.enable_btn,
                  self.reset_btn):
            row.addWidget(w)
        row.addStretch(1)
        lay.addLayout(row)
        self.add_box = QGroupBox()
        form = QFormLayout(self.add_box)
        self.login, self.name = QLineEdit(), QLineEdit()
        self.login.setObjectName("new_login")
        self.name.setObjectName("new_full_name")
        self.new_role = QComboBox()
        self.new_role.setObjectName("new_role")
        self.pw, self.pw2 = _password(), _password()
        self.pw.setObjectName("new_password")
        self.pw2.setObjectName("new_password_again")
        self.add_btn = QPushButton()
        self.form_labels = [QLabel() for _i in range(5)]
        for label, w in zip(self.form_labels, (self.login, self.name, self.new_role, self.pw,
                                               self.pw2), strict=True):
            form.addRow(label, w)
        self.error = QLabel()
        self.error.setObjectName("accounts_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        form.addRow(self.error)
        form.addRow(self.add_btn)
        lay.addWidget(self.add_box)
        self.add_btn.clicked.connect(self.add)
        self.set_role_btn.clicked.connect(self.set_role)
        self.disable_btn.clicked.connect(lambda: self.set_disabled(True))
        self.enable_btn.clicked.connect(lambda: self.set_disabled(False))
        self.reset_btn.clicked.connect(self.reset)
        self.retranslate()

    def retranslate(self) -> None:
        lang = language()
        self.table.setHorizontalHeaderLabels([_("Login"), _("Full name"), _("Role"),
                                              _("State"), _("Last sign-in")])
        for combo in (self.role, self.new_role):
            current = combo.currentData()
            combo.clear()
            for r in Role:
                combo.addItem(r.label(lang), r.value)
            if current is not None:
                combo.setCurrentIndex(max(0, combo.findData(current)))
        self.set_role_btn.setText(_("Set the role"))
        self.disable_btn.setText(_("Disable…"))
        self.enable_btn.setText(_("Enable"))
        self.reset_btn.setText(_("Reset the password…"))
        self.add_box.setTitle(_("New officer account"))
        for label, text in zip(self.form_labels, (_("Login"), _("Full name"), _("Role"),
                                                  _("Password"), _("Password again")),
                               strict=True):
            label.setText(text)
        self.add_btn.setText(_("Add the account"))
        self.refresh()

    def refresh(self) -> None:
        if not self.app.may(Permission.ACCOUNTS):
            return
        try:
            self.views = self.app.accounts.list()
        except MigdeskError as exc:
            self.message.emit(exc.message(language()))
            return
        fill(self.table, [(v.login, v.full_name, v.role_label,
                           _("disabled") if v.disabled else _("active"),
                           v.last_sign_in_at.strftime("%Y-%m-%d %H:%M")
                           if v.last_sign_in_at else "—") for v in self.views])

    def _selected(self) -> Any:
        row = self.table.currentRow()
        return self.views[row] if 0 <= row < len(self.views) else None

    def _do(self, fn: Any, done: str) -> bool:
        self.error.setVisible(False)
        try:
            fn()
        except MigdeskError as exc:
            self.error.setText(exc.message(language()))
            self.error.setVisible(True)
            return False
        self.refresh()
        self.message.emit(done)
        return True

    def add(self) -> None:
        if self.pw.text() != self.pw2.text():
            self.error.setText(_("The two passwords differ"))
            self.error.setVisible(True)
            return
        if self._do(lambda: self.app.accounts.add(self.login.text(), self.name.text(),
                                                  self.new_role.currentData(), self.pw.text()),
                    _("Account added")):
            for w in (self.login, self.name, self.pw, self.pw2):
                w.clear()

    def set_role(self) -> None:
        v = self._selected()
        if v is not None:
            self._do(lambda: self.app.accounts.set_role(v.login, self.role.currentData()),
                     _("Role changed"))

    def set_disabled(self, disabled: bool) -> None:
        from migdesk.ui.dialogs import ReasonDialog

        v = self._selected()
        if v is None:
            return
        reason = ""
        if disabled:
            reason = ReasonDialog.ask(self, _("Disable…"), _("Why is the account disabled?"))
            if not reason:
                return
        self._do(lambda: self.app.accounts.disable(v.login, reason, disabled=disabled),
                 _("Account disabled") if disabled else _("Account enabled"))

    def reset(self) -> None:
        v = self._selected()
        if v is None:
            return
        dlg = ResetPasswordDialog(self)
        if dlg.exec():
            self._do(lambda: self.app.accounts.reset_password(v.login, dlg.new.text()),
                     _("Password reset: tell the officer in person"))


class ResetPasswordDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Reset the password…"))
        form = QFormLayout(self)
        self.new, self.again = _password(), _password()
        form.addRow(_("New password"), self.new)
        form.addRow(_("Password again"), self.again)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setVisible(False)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _ok(self) -> None:
        if self.new.text() != self.again.text():
            self.error.setText(_("The two passwords differ"))
            self.error.setVisible(True)
            return
        self.accept()
