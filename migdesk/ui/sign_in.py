"""Signing in to the window, the first start of a desk (its administrator), and the lock
after an idle time that keeps everything on screen, unsaved edits included, behind it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain.errors import MigdeskError
from migdesk.i18n import _, language

LOCK_KEY = "lock_minutes"
DEFAULT_LOCK_MINUTES = 10


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("field_error")
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    return label


class SignInDialog(QDialog):
    """Sign in, or on a desk without accounts create its first administrator."""

    def __init__(self, app: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.first_start = not app.accounts.any()
        self.setObjectName("sign_in")
        self.setWindowTitle("migdesk")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setMinimumHeight(QLabel("x\nx\nx").sizeHint().height())
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.login = QLineEdit()
        self.login.setObjectName("login")
        self.full_name = QLineEdit()
        self.full_name.setObjectName("full_name")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setObjectName("password_again")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors = {k: _error_label() for k in ("login", "full_name", "password", "form")}
        self.labels = {k: QLabel() for k in ("login", "full_name", "password", "again")}
        form.addRow(self.labels["login"], self.login)
        form.addRow("", self.errors["login"])
        if self.first_start:
            form.addRow(self.labels["full_name"], self.full_name)
            form.addRow("", self.errors["full_name"])
        form.addRow(self.labels["password"], self.password)
        if self.first_start:
            form.addRow(self.labels["again"], self.again)
        form.addRow("", self.errors["password"])
        layout.addLayout(form)
        layout.addWidget(self.errors["form"])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for e in self.errors.values():
            e.setVisible(False)
        self.retranslate()

    def retranslate(self) -> None:
        if self.first_start:
            self.intro.setText(_("This desk has no officer accounts yet. Create the desk's "
                                 "administrator: they add the other officers."))
        elif self.app.is_demo:
            self.intro.setText(_("Demo database with synthetic people. Sign in as demo, "
                                 "password demo."))
        else:
            self.intro.setText(_("Sign in with your migdesk account."))
        self.labels["login"].setText(_("Login"))
        self.labels["full_name"].setText(_("Full name"))
        self.labels["password"].setText(_("Password"))
        self.labels["again"].setText(_("Password again"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Create the administrator") if self.first_start else _("Sign in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Quit"))

    def _show(self, key: str, text: str) -> None:
        self.errors[key].setText(text)
        self.errors[key].setVisible(bool(text))

    def submit(self) -> None:
        for k in self.errors:
            self._show(k, "")
        lang = language()
        try:
            if self.first_start:
                if self.password.text() != self.again.text():
                    self._show("password", _("The two passwords differ"))
                    return
                self.app.accounts.create_first_admin(self.login.text(), self.full_name.text(),
                                                     self.password.text())
            else:
                self.app.sign_in(self.login.text(), self.password.text())
        except MigdeskError as exc:
            placed = False
            for err in getattr(exc, "errors", []):
                key = err.field if err.field in self.errors else "form"
                self._show(key, err.message(lang))
                placed = True
            if not placed:
                self._show("form", exc.message(lang))
            self.password.clear()
            self.again.clear()
            self.password.setFocus()
            return
        self.accept()


class LockDialog(QDialog):
    """Covers the window after an idle time; the signed-in officer's password opens it."""

    def __init__(self, app: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.setObjectName("lock")
        self.setModal(True)
        self.setWindowTitle("migdesk")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.password)
        self.error = _error_label()
        self.error.setVisible(False)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.submit)
        layout.addWidget(self.buttons)
        self.text.setText(_("migdesk is locked. {name}, enter your password to go on; "
                            "nothing you typed is lost.").format(name=app.officer_name))
        self.text.setMinimumHeight(self.text.heightForWidth(440))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Unlock"))

    def reject(self) -> None:  # Escape does not unlock
        return

    def submit(self) -> None:
        try:
            ok = self.app.accounts.check_password(self.password.text())
        except MigdeskError as exc:
            self.error.setText(exc.message(language()))
            self.error.setVisible(True)
            return
        self.password.clear()
        if not ok:
            self.error.setText(_("The password is wrong"))
            self.error.setVisible(True)
            self.adjustSize()
            return
        self.accept()


class IdleWatch(QObject):
    """Calls `on_idle` after `minutes` without a key press or a mouse action in the app."""

    EVENTS = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
              QEvent.Type.Wheel)

    def __init__(self, minutes: float, on_idle: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        self.timer.timeout.connect(on_idle)
        qapp = QApplication.instance()
        if qapp is not None:
            qapp.installEventFilter(self)
        self.timer.start()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in self.EVENTS and self.timer.isActive():
            self.timer.start()
        return False

    def stop(self) -> None:
        self.timer.stop()
        qapp = QApplication.instance()
        if qapp is not None:
            qapp.removeEventFilter(self)


def lock_minutes(app: Any) -> float:
    """The desk's idle time before the lock (setting `lock_minutes`; 0 turns it off)."""
    try:
        value = float(app.setting(LOCK_KEY) or DEFAULT_LOCK_MINUTES)
    except ValueError:
        value = DEFAULT_LOCK_MINUTES
    return max(0.0, min(value, 24 * 60))


def sign_in(app: Any, parent: QWidget | None = None) -> bool:
    """Ask for the sign-in (or the first administrator); False if the officer quit."""
    dlg = SignInDialog(app, parent)
    dlg.setWindowModality(Qt.WindowModality.ApplicationModal)
    return dlg.exec() == QDialog.DialogCode.Accepted
