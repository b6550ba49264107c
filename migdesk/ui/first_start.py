"""The first start of a desk: a short page shown instead of empty pages.

A database without data opens here (for an officer who may change the desk's settings):
1. the desk's name (as packages and printed dossiers show it);
2. its administrator, created in the sign-in dialog before the window opened (ui/sign_in.py);
3. one click: load the demo data, import a candidate spreadsheet (the import wizard), import
   a change package (the synchronisation page's import), or start empty.
The window (main_window.py) does the chosen thing; this page only asks."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain.errors import MigdeskError
from migdesk.i18n import _, language

CHOICES = ("demo", "sheet", "package", "empty")


def desk_is_empty(app: Any) -> bool:
    """No candidates, partner states, programmes or visits (accounts do not count)."""
    return (app.candidates.count() == 0 and not app.partners.list()
            and not app.programs.list() and not app.visits.list())


class FirstStartPage(QScrollArea):
    chosen = Signal(str)  # one of CHOICES, after the desk's name was saved

    def __init__(self, app: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.setObjectName("first_start")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setMaximumWidth(1000)  # lines that the eye can follow on a wide screen
        outer = QVBoxLayout(body)
        outer.setContentsMargins(32, 24, 32, 24)
        self.heading = QLabel()
        self.heading.setObjectName("first_start_heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        outer.addWidget(self.heading)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        outer.addWidget(self.intro)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.name_label = QLabel()
        self.name = QLineEdit(app.desk.name)
        self.name.setObjectName("desk_name")
        self.name.setMaxLength(200)
        self.name.setProperty("i18n_data", True)
        self.name_error = QLabel()
        self.name_error.setObjectName("field_error")
        self.name_error.setStyleSheet("color: #b00020;")
        self.name_error.setWordWrap(True)
        self.name_error.setVisible(False)
        self.name_hint = QLabel()
        self.name_hint.setWordWrap(True)
        name_box = QVBoxLayout()
        name_box.addWidget(self.name)
        name_box.addWidget(self.name_error)
        name_box.addWidget(self.name_hint)
        form.addRow(self.name_label, name_box)
        self.admin_label = QLabel()
        self.admin = QLabel()
        self.admin.setObjectName("administrator")
        self.admin.setWordWrap(True)
        self.admin.setProperty("i18n_data", True)  # the officer's name and login
        form.addRow(self.admin_label, self.admin)
        outer.addLayout(form)

        self.then = QLabel()
        self.then.setWordWrap(True)
        outer.addWidget(self.then)
        self.buttons: dict[str, QPushButton] = {}
        self.hints: dict[str, QLabel] = {}
        for key in CHOICES:
            row = QHBoxLayout()
            button = QPushButton()
            button.setObjectName(f"first_start_{key}")
            button.setMinimumWidth(300)
            button.clicked.connect(lambda _c=False, k=key: self.choose(k))
            hint = QLabel()
            hint.setWordWrap(True)
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(hint, 1)
            outer.addLayout(row)
            self.buttons[key], self.hints[key] = button, hint
        outer.addStretch(1)
        self.setWidget(body)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("A new desk"))
        self.intro.setText(_("This database holds no candidates, partner states, programmes or "
                             "visits yet. Three steps make it a working desk."))
        self.name_label.setText(_("1. The desk's name"))
        self.name_hint.setText(_("Change packages and printed dossiers name the desk so; an "
                                 "administrator can change it later."))
        self.admin_label.setText(_("2. The administrator"))
        acc = self.app.account if self.app.signed_in else None
        self.admin.setText(f"✓ {acc.full_name} ({acc.login})" if acc else "")
        self.then.setText(_("3. Start with one of these:"))
        texts = {
            "demo": (_("Load the demo data"),
                     _("Synthetic people and the memo's partner states, to try every page; "
                       "the window then says DEMO DATABASE.")),
            "sheet": (_("Import a candidate spreadsheet…"),
                      _("A spreadsheet list: the wizard maps its columns and shows the rows "
                        "to correct before anything is saved.")),
            "package": (_("Import a change package…"),
                        _("A package from the central store or from another desk.")),
            "empty": (_("Start empty"),
                      _("Register the first candidate or partner state by hand.")),
        }
        for key, (label, hint) in texts.items():
            self.buttons[key].setText(label)
            self.hints[key].setText(hint)

    def save_name(self) -> bool:
        """The desk's name as typed (renaming is an administrator's change of settings)."""
        self.name_error.setVisible(False)
        name = self.name.text().strip()
        if not name:
            self.name_error.setText(_("Required"))
            self.name_error.setVisible(True)
            self.name.setFocus()
            return False
        if name == self.app.desk.name:
            return True
        try:
            self.app.ensure_desk(name)
        except MigdeskError as exc:
            self.name_error.setText(exc.message(language()))
            self.name_error.setVisible(True)
            return False
        return True

    def choose(self, key: str) -> None:
        if self.save_name():
            self.chosen.emit(key)
