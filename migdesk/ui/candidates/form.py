"""The candidate form: fields with inline errors, Latin names from Georgian, duplicate warnings.

GUI thread. Saving is one service call (one unit of work); a refused save writes nothing and
shows each message beside its field.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain import names
from migdesk.domain.errors import MigdeskError, ValidationError
from migdesk.domain.places import REGIONS, language_name, region_name
from migdesk.domain.statuses import CandidateStatus
from migdesk.domain.vocab import CEFR, Education, Sex
from migdesk.i18n import N_, _, language
from migdesk.services.dto import CandidateDetail, DuplicateHint
from migdesk.services.validation import CandidateInput, ConsentInput
from migdesk.ui.candidates.duplicate_dialog import DuplicateDialog, hint_line
from migdesk.ui.candidates.occupation_picker import OccupationPicker, occupation_text
from migdesk.ui.date_edit import DateEdit
from migdesk.ui.widgets import ERROR_STYLE, WARN_STYLE, ChoiceCombo, FieldBox, data_label, labelled

LANGUAGES = ("en", "de", "fr", "pl", "he", "el", "ru", "tr", "es", "it", "et", "lt")
TEXT_FIELDS = (
    ("personal_number", N_("Personal number")),
    ("last_name_ka", N_("Surname (Georgian)")),
    ("first_name_ka", N_("First name (Georgian)")),
    ("last_name_lat", N_("Surname (Latin)")),
    ("first_name_lat", N_("First name (Latin)")),
    ("birth_date", N_("Date of birth")),
    ("sex", N_("Sex")),
    ("region", N_("Region")),
    ("address", N_("Address")),
    ("phone", N_("Phone")),
    ("email", N_("Email")),
    ("passport_number", N_("Passport number")),
    ("passport_expiry", N_("Passport valid until")),
    ("education", N_("Education")),
)
DATE_FIELDS = ("birth_date", "passport_expiry")


class CandidateForm(QWidget):
    saved = Signal(str)  # candidate id
    status_requested = Signal()
    open_requested = Signal(str)  # candidate id of a likely duplicate to look at

    def __init__(self, app: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.detail: CandidateDetail | None = None
        self.dirty = False
        self._lat_touched = {"first_name_lat": False, "last_name_lat": False}
        self._loading = False
        self.boxes: dict[str, FieldBox] = {}
        self.labels: dict[str, QLabel] = {}
        outer = QVBoxLayout(self)
        # The title and the button bar are placed by the page outside the scrolled form, so
        # Save and the status stay in view however long the form is.
        self.title = QLabel()
        self.title.setObjectName("form_title")
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.name_label = data_label()  # whose record is open (beside the title)
        self.name_label.setObjectName("form_name")
        self.name_label.setStyleSheet("font-size: 15px;")
        self.dup_warning = QLabel()
        self.dup_warning.setObjectName("duplicate_warning")
        self.dup_warning.setStyleSheet(WARN_STYLE)
        self.dup_warning.setWordWrap(True)
        self.dup_warning.setProperty("i18n_data", True)  # holds names
        self.dup_warning.setVisible(False)
        self.dup_warning.linkActivated.connect(lambda cid: self.open_requested.emit(cid))
        outer.addWidget(self.dup_warning)
        self.person_box = QGroupBox()
        form = QFormLayout(self.person_box)
        for key, _label in TEXT_FIELDS:
            editor: QWidget
            if key == "sex":
                editor = ChoiceCombo(labelled(Sex), empty=lambda: "")
            elif key == "region":
                editor = ChoiceCombo(lambda: [(c, region_name(c, language())) for c in REGIONS],
                                     empty=lambda: "")
            elif key == "education":
                editor = ChoiceCombo(labelled(Education), empty=lambda: "")
            elif key in DATE_FIELDS:
                editor = DateEdit()
            else:
                editor = QLineEdit()
                if key == "personal_number":
                    editor.setMaxLength(11)
            editor.setObjectName(key)
            box = FieldBox(key, editor, reserve=True)
            self.boxes[key] = box
            self.labels[key] = QLabel()
            form.addRow(self.labels[key], box)
        self.passport_warning = QLabel()
        self.passport_warning.setObjectName("passport_warning")
        self.passport_warning.setStyleSheet(WARN_STYLE)
        form.addRow("", self.passport_warning)
        outer.addWidget(self.person_box)

        # occupations
        self.occ_box = QGroupBox()
        ol = QVBoxLayout(self.occ_box)
        self.occ_table = QTableWidget(0, 2)
        self.occ_table.setObjectName("occupations")
        self.occ_table.setMaximumHeight(110)
        self.occ_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.occ_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.occ_table.verticalHeader().setVisible(False)
        self.occ_picker = OccupationPicker()
        self.occ_years = QSpinBox()
        self.occ_years.setRange(0, 60)
        self.occ_add = QPushButton()
        self.occ_remove = QPushButton()
        row = QHBoxLayout()
        self.occ_years_label = QLabel()
        row.addWidget(self.occ_years_label)
        row.addWidget(self.occ_years)
        row.addWidget(self.occ_add)
        row.addWidget(self.occ_remove)
        self.occ_field = FieldBox("occupations", self.occ_table)
        ol.addWidget(self.occ_field)
        ol.addWidget(self.occ_picker)
        ol.addLayout(row)
        outer.addWidget(self.occ_box)
        self.occ_add.clicked.connect(self._add_occupation)
        self.occ_remove.clicked.connect(lambda: self._remove_row(self.occ_table))

        # languages
        self.lang_box = QGroupBox()
        ll = QVBoxLayout(self.lang_box)
        self.lang_table = QTableWidget(0, 2)
        self.lang_table.setObjectName("languages")
        self.lang_table.setMaximumHeight(100)
        self.lang_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lang_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.lang_table.verticalHeader().setVisible(False)
        self.lang_code = ChoiceCombo(lambda: [(c, language_name(c, language()))
                                              for c in LANGUAGES])
        self.lang_level = QComboBox()
        for lv in CEFR:
            self.lang_level.addItem(lv.code, lv.value)
        self.lang_add = QPushButton()
        self.lang_remove = QPushButton()
        lrow = QHBoxLayout()
        for w in (self.lang_code, self.lang_level, self.lang_add, self.lang_remove):
            lrow.addWidget(w)
        self.lang_field = FieldBox("languages", self.lang_table)
        ll.addWidget(self.lang_field)
        ll.addLayout(lrow)
        outer.addWidget(self.lang_box)
        self.lang_add.clicked.connect(self._add_language)
        self.lang_remove.clicked.connect(lambda: self._remove_row(self.lang_table))

        # consent
        self.consent_box = QGroupBox()
        cl = QFormLayout(self.consent_box)
        self.consent = QCheckBox()
        self.consent.setObjectName("consent_given")
        self.consent_date = DateEdit()
        self.consent_date.setObjectName("consent_date")
        self.consent_scope = QLineEdit()
        self.consent_field = FieldBox("consent", self.consent_scope, reserve=True)
        self.consent_date_label, self.consent_scope_label = QLabel(), QLabel()
        cl.addRow(self.consent)
        cl.addRow(self.consent_date_label, self.consent_date)
        cl.addRow(self.consent_scope_label, self.consent_field)
        outer.addWidget(self.consent_box)

        self.notes_label = QLabel()
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(60)
        outer.addWidget(self.notes_label)
        outer.addWidget(self.notes)

        self.button_bar = QWidget()
        self.button_bar.setObjectName("form_buttons")
        bar = QVBoxLayout(self.button_bar)
        bar.setContentsMargins(0, 2, 0, 0)
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        bar.addWidget(self.general_error)
        buttons = QHBoxLayout()
        self.status_label = QLabel()
        self.status_label.setObjectName("status_label")
        self.save_button = QPushButton()
        self.save_button.setObjectName("save")
        self.status_button = QPushButton()
        self.status_button.setObjectName("change_status")
        buttons.addWidget(self.status_label)
        buttons.addStretch(1)
        buttons.addWidget(self.status_button)
        buttons.addWidget(self.save_button)
        bar.addLayout(buttons)
        outer.addStretch(1)
        self.save_button.clicked.connect(self.save)
        self.status_button.clicked.connect(self.status_requested.emit)

        self._dup_timer = QTimer(self)
        self._dup_timer.setSingleShot(True)
        self._dup_timer.setInterval(300)
        self._dup_timer.timeout.connect(self.check_duplicates)
        self._hints: list[DuplicateHint] = []
        self._wire()
        self.clear()
        self.retranslate()

    # -- wiring ----------------------------------------------------------------------------
    def editor(self, key: str) -> Any:
        return self.boxes[key].editor

    def _wire(self) -> None:
        for key, box in self.boxes.items():
            ed = box.editor
            if isinstance(ed, QLineEdit):
                ed.textEdited.connect(lambda _t, k=key: self._edited(k))
            else:
                ed.currentIndexChanged.connect(lambda _i, k=key: self._edited(k))
        for w in (self.consent_date, self.consent_scope):
            w.textEdited.connect(lambda _t: self._edited("consent"))
        self.consent.toggled.connect(lambda _c: self._edited("consent"))
        self.notes.textChanged.connect(lambda: self._edited("notes"))

    def set_tab_order(self) -> None:
        """Called once the page has placed the button bar (the tab order needs one window)."""
        chain = [self.boxes[k].editor for k, _l in TEXT_FIELDS]
        chain += [self.occ_picker.edit, self.occ_years, self.occ_add, self.lang_code,
                  self.lang_level, self.lang_add, self.consent, self.consent_date,
                  self.consent_scope, self.notes, self.status_button, self.save_button]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    def _edited(self, key: str) -> None:
        if self._loading:
            return
        self.dirty = True
        if key in ("first_name_lat", "last_name_lat"):
            self._lat_touched[key] = bool(self.editor(key).text().strip())
        if key in ("first_name_ka", "last_name_ka"):
            lat = key.replace("_ka", "_lat")
            if not self._lat_touched[lat]:
                try:
                    text = names.passport_form(self.editor(key).text().strip())
                except Exception:  # noqa: BLE001 - half-typed names are fine
                    text = ""
                self.editor(lat).setText(text)
        if key in self.boxes and self.boxes[key].errors:
            self.boxes[key].set_errors([])
        if key == "passport_expiry":
            self._passport_warning()
        if key in ("personal_number", "first_name_ka", "last_name_ka", "birth_date",
                   "first_name_lat", "last_name_lat"):
            self._dup_timer.start()

    # -- occupations and languages ---------------------------------------------------------
    def _add_occupation(self) -> None:
        code = self.occ_picker.code
        if not code:
            return
        self._put_row(self.occ_table, code, occupation_text(code), str(self.occ_years.value()))
        self.occ_picker.set_code(None)
        self.occ_years.setValue(0)
        self._edited("occupations")

    def _add_language(self) -> None:
        code, level = self.lang_code.key(), self.lang_level.currentData()
        if code:
            self._put_row(self.lang_table, code, language_name(code, language()),
                          CEFR(level).code)
            self._edited("languages")

    @staticmethod
    def _put_row(table: QTableWidget, key: str, first: str, second: str) -> None:
        for r in range(table.rowCount()):
            if table.item(r, 0).data(256) == key:
                table.item(r, 1).setText(second)
                return
        r = table.rowCount()
        table.insertRow(r)
        item = QTableWidgetItem(first)
        item.setData(256, key)
        table.setItem(r, 0, item)
        table.setItem(r, 1, QTableWidgetItem(second))

    def _remove_row(self, table: QTableWidget) -> None:
        if table.currentRow() >= 0:
            table.removeRow(table.currentRow())
            self._edited("occupations" if table is self.occ_table else "languages")

    @staticmethod
    def _rows(table: QTableWidget) -> list[tuple[str, str]]:
        return [(table.item(r, 0).data(256), table.item(r, 1).text())
                for r in range(table.rowCount())]

    # -- reading and writing ---------------------------------------------------------------
    def value(self, key: str) -> str:
        ed = self.editor(key)
        return (ed.text() if isinstance(ed, QLineEdit) else ed.key() or "").strip()

    def to_input(self) -> CandidateInput:
        v = {k: self.value(k) or None for k, _l in TEXT_FIELDS}
        consent = None
        if self.consent.isChecked():
            consent = ConsentInput(self.consent_date.text().strip(),
                                   self.consent_scope.text().strip())
        return CandidateInput(
            personal_number=v["personal_number"] or "", first_name_ka=v["first_name_ka"] or "",
            last_name_ka=v["last_name_ka"] or "", birth_date=v["birth_date"] or "",
            first_name_lat=v["first_name_lat"], last_name_lat=v["last_name_lat"],
            sex=v["sex"], region=v["region"], address=v["address"], phone=v["phone"],
            email=v["email"], passport_number=v["passport_number"],
            passport_expiry=v["passport_expiry"], education=v["education"],
            notes=self.notes.toPlainText().strip() or None,
            occupations=[(c, y) for c, y in self._rows(self.occ_table)],
            languages=[(c, lv.lower()) for c, lv in self._rows(self.lang_table)],
            consent=consent)

    def save(self) -> bool:
        """Register or update; on refusal show each message beside its field."""
        for box in (*self.boxes.values(), self.occ_field, self.lang_field, self.consent_field):
            box.set_errors([])
        self.general_error.setText("")
        self.general_error.setVisible(False)
        if (self.detail is None or self._identity_changed()) and not self.confirm_duplicates():
            return False
        inp = self.to_input()
        try:
            if self.detail is None:
                saved = self.app.candidates.register(inp)
            else:
                saved = self.app.candidates.update(self.detail.id, inp,
                                                   expected_version=self.detail.version)
        except ValidationError as exc:
            self.show_errors(exc)
            return False
        except MigdeskError as exc:
            self.general_error.setText(exc.message(language()))
            self.general_error.setVisible(True)
            return False
        self.dirty = False
        self.load(saved.id)
        self.saved.emit(saved.id)
        return True

    def show_errors(self, exc: ValidationError) -> None:
        extra = {"years": self.occ_field, "occupations": self.occ_field,
                 "languages": self.lang_field, "level": self.lang_field,
                 "consent": self.consent_field}
        general = []
        by_box: dict[FieldBox, list] = {}
        for e in exc.errors:
            box = self.boxes.get(e.field or "") or extra.get(e.field or "")
            if box is None:
                general.append(e)
            else:
                by_box.setdefault(box, []).append(e)
        for box, errs in by_box.items():
            box.set_errors(errs)
        self._general = general
        self.general_error.setText("; ".join(e.line(language()) for e in general))
        self.general_error.setVisible(bool(general))
        first = next(iter(by_box), None)
        if first is not None:
            first.editor.setFocus()

    def _identity_changed(self) -> bool:
        """Whether the fields a duplicate is judged by differ from the saved record."""
        d = self.detail
        if d is None:
            return True
        return any(self.value(k) != (getattr(d, k).isoformat() if isinstance(
            getattr(d, k), dt.date) else (getattr(d, k) or ""))
            for k in ("personal_number", "first_name_ka", "last_name_ka", "first_name_lat",
                      "last_name_lat", "birth_date"))

    def load(self, cid: str | None) -> None:
        self.detail = self.app.candidates.get(cid) if cid else None
        self._fill()

    def clear(self) -> None:
        self.detail = None
        self._fill()

    def _fill(self) -> None:
        d = self.detail
        self._loading = True
        for key, _l in TEXT_FIELDS:
            ed = self.editor(key)
            val = getattr(d, key, None) if d else None
            if isinstance(val, dt.date):
                val = val.isoformat()
            if isinstance(ed, QLineEdit):
                ed.setText(val or "")
            else:
                ed.set_key(val)
            self.boxes[key].set_errors([])
        self._lat_touched = {k: bool(d) for k in self._lat_touched}
        self.occ_table.setRowCount(0)
        self.lang_table.setRowCount(0)
        for o in (d.occupations if d else []):
            self._put_row(self.occ_table, o.isco_code, occupation_text(o.isco_code), str(o.years))
        for x in (d.languages if d else []):
            self._put_row(self.lang_table, x.language, language_name(x.language, language()),
                          CEFR(x.level).code)
        consent = next((c for c in reversed(d.consents) if c.withdrawn_on is None), None) \
            if d else None
        self.consent.setChecked(consent is not None)
        self.consent_date.setText(consent.given_on.isoformat() if consent
                                  else self.app.today().isoformat())
        self.consent_scope.setText(consent.scope if consent else "")
        self.notes.setPlainText(d.notes or "" if d else "")
        self.general_error.setText("")
        self.general_error.setVisible(False)
        self._general = []
        self.dup_warning.setText("")
        self.dup_warning.setVisible(False)
        self._hints = []
        self._loading = False
        self.dirty = False
        self._passport_warning()
        self.retranslate()

    # -- warnings --------------------------------------------------------------------------
    def _passport_warning(self) -> None:
        text = ""
        try:
            expiry = dt.date.fromisoformat(self.value("passport_expiry"))
        except ValueError:
            expiry = None
        if expiry:
            today = self.app.today()
            if expiry < today:
                text = _("The passport has expired")
            elif expiry < today + dt.timedelta(days=183):
                text = _("The passport expires within 6 months")
        self.passport_warning.setText(text)

    def check_duplicates(self) -> None:
        try:
            self._hints = self.app.candidates.duplicates(
                self.to_input(), exclude_id=self.detail.id if self.detail else None)
        except MigdeskError:
            self._hints = []
        self._show_hints()

    def _show_hints(self) -> None:
        """The likely duplicates as lines, each with a link that opens the existing record."""
        lines = []
        link = html.escape(_("Open"))
        for h in self._hints[:3]:
            cid = html.escape(h.candidate.id)
            lines.append(f'{html.escape(hint_line(h))} — <a href="{cid}">{link}</a>')
        self.dup_warning.setText("<br>".join(lines))
        self.dup_warning.setVisible(bool(lines))

    def confirm_duplicates(self) -> bool:
        """Before saving: if the typed person looks already registered, show who and ask.
        True to go on saving; False to stop (cancelled, or the existing record opened)."""
        self.check_duplicates()
        if not self._hints:
            return True
        answer = DuplicateDialog.ask(self, self._hints)
        if answer == "save":
            return True
        if isinstance(answer, tuple) and answer[0] == "open":
            self.open_requested.emit(answer[1])
        return False

    # -- language --------------------------------------------------------------------------
    def retranslate(self) -> None:
        d = self.detail
        self.title.setText(_("New candidate") if d is None else _("Candidate"))
        self.name_label.setText(f"{d.last_name_ka} {d.first_name_ka} · {d.personal_number}"
                                if d else "")
        for key, label in TEXT_FIELDS:
            self.labels[key].setText(_(label))
            self.boxes[key].retranslate()
            ed = self.editor(key)
            if isinstance(ed, ChoiceCombo):
                ed.retranslate()
        for key in DATE_FIELDS:
            self.editor(key).retranslate()
        self.consent_date.retranslate()
        self.person_box.setTitle(_("Person"))
        self.occ_box.setTitle(_("Occupations and work experience"))
        self.lang_box.setTitle(_("Languages"))
        self.consent_box.setTitle(_("Consent to processing of personal data"))
        self.occ_table.setHorizontalHeaderLabels([_("Occupation"), _("Years")])
        self.lang_table.setHorizontalHeaderLabels([_("Language"), _("Level (CEFR)")])
        self.occ_years_label.setText(_("Years of experience"))
        self.occ_add.setText(_("Add occupation"))
        self.occ_remove.setText(_("Remove"))
        self.lang_add.setText(_("Add language"))
        self.lang_remove.setText(_("Remove"))
        self.lang_code.retranslate()
        self.consent.setText(_("Consent given (separate written form)"))
        self.consent_date_label.setText(_("Date"))
        self.consent_scope_label.setText(_("Scope"))
        self.notes_label.setText(_("Notes"))
        self.save_button.setText(_("Save"))
        self.status_button.setText(_("Change status…"))
        self.status_button.setEnabled(d is not None)
        self.status_label.setText(
            _("Status: {status}").format(status=CandidateStatus(d.status).label(language()))
            if d else "")
        self.occ_picker.retranslate()
        for box in (self.occ_field, self.lang_field, self.consent_field):
            box.retranslate()
        if getattr(self, "_general", None):
            self.general_error.setText("; ".join(e.line(language()) for e in self._general))
        self._passport_warning()
        self._show_hints()
        for r in range(self.lang_table.rowCount()):
            self.lang_table.item(r, 0).setText(
                language_name(self.lang_table.item(r, 0).data(256), language()))
        for r in range(self.occ_table.rowCount()):
            self.occ_table.item(r, 0).setText(occupation_text(self.occ_table.item(r, 0).data(256)))

    _general: list = []
    data_label = staticmethod(data_label)
