"""Trust between desks from the window: this desk's key card (shown, saved to a file to give),
and another party's card read from a file, trusted only after its fingerprint was compared
with its owner by telephone, with the personal data it will receive from here (its scope)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain.errors import MigdeskError
from migdesk.i18n import _, language
from migdesk.ui.widgets import ERROR_STYLE, WARN_STYLE, data_label

CARD_FILTER = "migdesk (*.card *.json);;* (*)"


def fingerprint_label(fingerprint: str) -> QLabel:
    """The fingerprint in its groups, large and in a fixed-width font, two lines of four."""
    groups = fingerprint.split()
    text = "\n".join(" ".join(groups[i:i + 4]) for i in range(0, len(groups), 4))
    lbl = data_label(text)
    lbl.setObjectName("fingerprint")
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSize(max(font.pointSize(), 10) + 6)
    font.setBold(True)
    lbl.setFont(font)
    lbl.setAlignment(Qt.AlignmentFlag.AlignCenter)
    lbl.setStyleSheet("padding: 8px; border: 1px solid #888;")
    return lbl


def role_text(role: str) -> str:
    return _("central store") if role == "central" else _("desk")


def _card_rows(form: QFormLayout, card: Any) -> None:
    form.addRow(QLabel(_("Name")), data_label(card.name))
    form.addRow(QLabel(_("Role")), data_label(role_text(card.role)))
    form.addRow(QLabel(_("Desk id")), data_label(card.desk_id))


class OwnCardDialog(QDialog):
    """This desk's card: what the other party reads out, and a button to save the file."""

    def __init__(self, parent: QWidget | None, app: Any) -> None:
        super().__init__(parent)
        self.app = app
        self.card = app.sync.card()
        self.setWindowTitle(_("This desk's key card"))
        lay = QVBoxLayout(self)
        form = QFormLayout()
        _card_rows(form, self.card)
        lay.addLayout(form)
        hint = QLabel(_("Give the card file to the other party and read this fingerprint out "
                        "to them by telephone; they trust the card only if it matches."))
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.fingerprint = fingerprint_label(self.card.fingerprint)
        lay.addWidget(self.fingerprint)
        self.written = data_label()
        self.written.setObjectName("result")
        self.written.setWordWrap(True)
        lay.addWidget(self.written)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.save_button = QPushButton(_("Save to a file…"))
        self.save_button.setObjectName("save_card")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        lay.addWidget(buttons)

    def save(self) -> str | None:
        name = "".join(ch if ch.isalnum() else "-" for ch in self.card.name).strip("-")
        path, _f = QFileDialog.getSaveFileName(
            self, _("Save the key card"), str(Path.home() / f"{name or 'migdesk'}.card"),
            CARD_FILTER)
        if not path:
            return None
        return self.save_to(path)

    def save_to(self, path: str) -> str | None:
        try:
            self.app.sync.write_card(path)
        except MigdeskError as exc:
            self.written.setStyleSheet(ERROR_STYLE)
            self.written.setText(exc.message(language()))
            return None
        self.written.setStyleSheet("")
        self.written.setText(_("Key card written to {path}").format(path=path))
        return path


class TrustDialog(QDialog):
    """Another party's card before it is trusted: who, the fingerprint to compare by
    telephone, and what it will receive from here. `trusted` carries the PeerView."""

    trusted = Signal(object)

    def __init__(self, parent: QWidget | None, app: Any, path: str | Path, card: Any,
                 expected_desk: str | None = None) -> None:
        super().__init__(parent)
        self.app, self.path, self.card = app, str(path), card
        self.setWindowTitle(_("Trust a key card"))
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        _card_rows(form, card)
        self.scope = QComboBox()
        self.scope.setObjectName("scope")
        self.scope.addItem(_("its own candidates"), "own")
        self.scope.addItem(_("all candidates"), "all")
        if card.role == "central":
            self.scope.setCurrentIndex(1)
            self.scope.setEnabled(False)  # the central store receives everything
        form.addRow(QLabel(_("Receives from here:")), self.scope)
        lay.addLayout(form)
        ask = QLabel(_("Telephone the owner of the card and have them read out the "
                       "fingerprint of their desk. Trust the card only if every group matches."))
        ask.setWordWrap(True)
        lay.addWidget(ask)
        self.fingerprint = fingerprint_label(card.fingerprint)
        lay.addWidget(self.fingerprint)
        known = {p.desk_id: p for p in app.sync.peers()}.get(card.desk_id)
        self.replace = QCheckBox(_("Replace the keys trusted before for this party"))
        self.replace.setObjectName("replace")
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARN_STYLE)
        changed = known is not None and known.fingerprint != card.fingerprint
        if changed:
            self.warning.setText(_("{name} is already trusted with other keys (fingerprint "
                                   "{old}). Replace them only if its owner confirms the new "
                                   "fingerprint.").format(name=known.name,
                                                          old=known.fingerprint))
        self.warning.setVisible(changed)
        self.replace.setVisible(changed)
        lay.addWidget(self.warning)
        lay.addWidget(self.replace)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.trust_button = QPushButton(_("The fingerprint matches: trust"))
        self.trust_button.setObjectName("trust")
        buttons.addButton(self.trust_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.trust_button.clicked.connect(self.submit)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        if expected_desk and card.desk_id != expected_desk:
            self.error.setText(_("This card is of another desk ({desk}) than the one that "
                                 "signed the package ({expected}).").format(
                desk=card.desk_id, expected=expected_desk))
            self.trust_button.setEnabled(False)

    def submit(self) -> bool:
        scope = None if self.card.role == "central" else self.scope.currentData()
        try:
            peer = self.app.sync.trust(self.path, replace=self.replace.isChecked(), scope=scope,
                                       expected=self.card.fingerprint)
        except MigdeskError as exc:
            self.error.setText(exc.message(language()))
            return False
        self.trusted.emit(peer)
        self.accept()
        return True


def open_trust(parent: QWidget, app: Any, path: str,
               expected_desk: str | None = None) -> TrustDialog | None:
    """Read the card at `path` and open its dialog (an unreadable card: an error box)."""
    from migdesk.ui.dialogs import show_error

    try:
        card = app.sync.read_card(path)
    except MigdeskError as exc:
        show_error(parent, exc)
        return None
    dlg = TrustDialog(parent, app, path, card, expected_desk)
    dlg.open()
    return dlg


def choose_card(parent: QWidget) -> str | None:
    path, _f = QFileDialog.getOpenFileName(parent, _("Trust a key card"), str(Path.home()),
                                           CARD_FILTER)
    return path or None
