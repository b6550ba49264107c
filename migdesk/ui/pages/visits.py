"""Delegation visits: the list, an editor, outcomes and follow-up actions (overdue in red)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from migdesk.domain.errors import MigdeskError, ValidationError
from migdesk.domain.places import country_name
from migdesk.domain.vocab import ActionStatus, VisitDirection
from migdesk.i18n import N_, _, language
from migdesk.services.dto import FollowUpView, VisitView
from migdesk.services.visits import FollowUpInput, VisitInput
from migdesk.ui.date_edit import DateEdit
from migdesk.ui.dialogs import ReasonDialog
from migdesk.ui.pages.overview import OVERDUE, fill, follow_up_state, stretch, table
from migdesk.ui.pages.partner_forms import country_combo
from migdesk.ui.record_dialog import RecordDialog, text_area
from migdesk.ui.widgets import ERROR_STYLE, ChoiceCombo, FieldBox, labelled

FIELDS = (("direction", N_("Direction")), ("country", N_("Country")),
          ("city", N_("City")), ("start_date", N_("Start date")), ("end_date", N_("End date")),
          ("lead_agency", N_("Lead agency")), ("participants", N_("Participating agencies")),
          ("purpose", N_("Purpose")), ("outcomes", N_("Outcomes")))
FU_FIELDS = (("action", N_("Action")), ("responsible", N_("Responsible")),
             ("due_date", N_("Due date")))


class FollowUpDialog(RecordDialog):
    """A follow-up action's text, responsible, due date, status, completion date and note."""

    def __init__(self, parent: QWidget | None, app: Any, f: FollowUpView) -> None:
        super().__init__(parent, _("Follow-up action"), aliases={"date": "completed_on"})
        self.app, self.follow_up = app, f
        self.field("action", _("Action"), text_area(60))
        self.field("responsible", _("Responsible"), QLineEdit())
        self.field("due_date", _("Due date"), DateEdit())
        self.field("status", _("Status"), ChoiceCombo(labelled(ActionStatus)))
        self.field("completed_on", _("Done on"), DateEdit())
        self.field("note", _("Note"), text_area(60))
        for key in ("action", "responsible", "status", "note"):
            self.set_value(key, getattr(f, key))
        self.set_value("due_date", f.due_date.isoformat() if f.due_date else "")
        self.set_value("completed_on", f.completed_on.isoformat() if f.completed_on else "")

    def save(self) -> Any:
        status = self.value("status") or "open"
        return self.app.visits.update_follow_up(self.follow_up.id, FollowUpInput(
            action=self.value("action") or "", responsible=self.value("responsible"),
            due_date=self.value("due_date"), status=status,
            completed_on=self.value("completed_on") if status == "done" else None,
            note=self.value("note")))


class VisitsPage(QWidget):
    message = Signal(str)

    def __init__(self, app: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.views: list[VisitView] = []
        self.current: VisitView | None = None
        split = QSplitter(Qt.Orientation.Horizontal)
        QVBoxLayout(self).addWidget(split)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        # the city takes the room left (whole in its tooltip): no sideways scroll at 1366
        self.list = stretch(table(4, "visits"), 2)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.new_button = QPushButton()
        ll.addWidget(self.list)
        lrow = QHBoxLayout()
        lrow.addWidget(self.new_button)
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("remove_visit")
        lrow.addWidget(self.remove_button)
        ll.addLayout(lrow)
        split.addWidget(left)
        right = QWidget()
        rl = QVBoxLayout(right)
        self.editor_box = QGroupBox()
        form = QFormLayout(self.editor_box)
        self.boxes: dict[str, FieldBox] = {}
        self.labels: dict[str, QLabel] = {}
        for key, _l in FIELDS:
            if key == "direction":
                ed: QWidget = ChoiceCombo(labelled(VisitDirection))
            elif key == "country":
                ed = country_combo(empty=True)
            elif key in ("start_date", "end_date"):
                ed = DateEdit()
            elif key in ("purpose", "outcomes"):
                ed = QPlainTextEdit()
                ed.setTabChangesFocus(True)
                ed.setMaximumHeight(46)
            else:
                ed = QLineEdit()
            ed.setObjectName(f"visit_{key}")
            self.boxes[key] = FieldBox(key, ed)
            self.labels[key] = QLabel()
            if key == "end_date":  # beside the start date: the page fits 768 pixels' height
                dates = QHBoxLayout()
                dates.addWidget(self.boxes["start_date"], 1)
                dates.addWidget(self.labels[key])
                dates.addWidget(self.boxes[key], 1)
                form.addRow(self.labels["start_date"], dates)
            elif key != "start_date":
                form.addRow(self.labels[key], self.boxes[key])
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.save_button = QPushButton()
        self.save_button.setObjectName("save_visit")
        self.error.setWordWrap(True)
        save_row = QHBoxLayout()
        save_row.addWidget(self.error, 1)
        save_row.addWidget(self.save_button)
        form.addRow(save_row)
        rl.addWidget(self.editor_box)
        self.fu_box = QGroupBox()
        fl = QVBoxLayout(self.fu_box)
        self.follow_ups = stretch(table(4, "visit_follow_ups"), 1)
        # room for a header and three actions whatever the screen
        self.follow_ups.setMinimumHeight(self.follow_ups.horizontalHeader().sizeHint().height()
                                         + 3 * self.follow_ups.verticalHeader()
                                         .defaultSectionSize() + 4)
        fl.addWidget(self.follow_ups, 1)
        new_row = QVBoxLayout()
        row = QHBoxLayout()
        self.fu_edits: dict[str, QLineEdit] = {}
        for key, _l in FU_FIELDS:
            e = DateEdit() if key == "due_date" else QLineEdit()
            e.setObjectName(f"follow_up_{key}")
            self.fu_edits[key] = e
            if key == "action":  # the action's text has a line of its own
                new_row.addWidget(e)
            else:
                row.addWidget(e, 1)
        self.fu_add = QPushButton()
        self.fu_add.setObjectName("add_follow_up")
        row.addWidget(self.fu_add)
        new_row.addLayout(row)
        fl.addLayout(new_row)
        # the selected follow-up action: its status, due date and responsible
        sel = QHBoxLayout()
        self.fu_sel_label = QLabel()
        sel.addWidget(self.fu_sel_label)
        self.fu_status = ChoiceCombo(labelled(ActionStatus))
        self.fu_status.setObjectName("follow_up_status")
        sel.addWidget(self.fu_status, 1)
        self.fu_sel_due = DateEdit()
        self.fu_sel_due.setObjectName("follow_up_sel_due_date")
        sel.addWidget(self.fu_sel_due, 1)
        self.fu_sel_responsible = QLineEdit()
        self.fu_sel_responsible.setObjectName("follow_up_sel_responsible")
        sel.addWidget(self.fu_sel_responsible, 1)
        self.fu_update = QPushButton()
        self.fu_update.setObjectName("update_follow_up")
        fl.addLayout(sel)
        acts = QHBoxLayout()
        acts.addStretch(1)
        acts.addWidget(self.fu_update)
        self.fu_done = QPushButton()
        self.fu_done.setObjectName("follow_up_done")
        self.fu_edit = QPushButton()
        self.fu_edit.setObjectName("edit_follow_up")
        self.fu_remove = QPushButton()
        self.fu_remove.setObjectName("remove_follow_up")
        for b in (self.fu_done, self.fu_edit, self.fu_remove):
            acts.addWidget(b)
        fl.addLayout(acts)
        self.dialog: RecordDialog | None = None
        self.fu_selected: FollowUpView | None = None
        self.fu_error = QLabel()
        self.fu_error.setStyleSheet(ERROR_STYLE)
        fl.addWidget(self.fu_error)
        rl.addWidget(self.fu_box, 1)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        split.setSizes([380, 720])
        self.list.currentCellChanged.connect(lambda r, *_a: self._open(r))
        self.new_button.clicked.connect(self.new_visit)
        self.save_button.clicked.connect(self.save)
        self.fu_add.clicked.connect(self.add_follow_up)
        self.follow_ups.currentCellChanged.connect(lambda r, *_a: self._pick_follow_up(r))
        self.fu_update.clicked.connect(self.update_follow_up)
        self.fu_done.clicked.connect(self.mark_done)
        self.fu_edit.clicked.connect(self.edit_follow_up)
        self.fu_remove.clicked.connect(self.remove_follow_up)
        self.remove_button.clicked.connect(self.remove_visit)
        self.retranslate()

    def refresh(self) -> None:
        try:
            self.views = sorted(self.app.visits.list(), key=lambda v: v.start_date, reverse=True)
        except MigdeskError:
            self.views = []
        keep = self.current.id if self.current else None
        self._fill_list()
        if keep:
            self._select(keep)

    def _fill_list(self) -> None:
        lang = language()
        self.list.blockSignals(True)
        fill(self.list, [(v.start_date.isoformat(), country_name(v.country, lang), v.city or "",
                          str(sum(f.overdue for f in v.follow_ups)) if any(
                              f.overdue for f in v.follow_ups) else "")
                         for v in self.views],
             [OVERDUE if any(f.overdue for f in v.follow_ups) else None for v in self.views])
        self.list.blockSignals(False)

    def _select(self, vid: str) -> None:
        for r, v in enumerate(self.views):
            if v.id == vid:
                self.list.setCurrentCell(r, 0)
                self._open(r)

    def _open(self, row: int) -> None:
        self.current = self.views[row] if 0 <= row < len(self.views) else None
        self._fill_editor()

    def new_visit(self) -> None:
        self.current = None
        self.list.clearSelection()
        self._fill_editor()

    def _ed(self, key: str) -> Any:
        return self.boxes[key].editor

    def _fill_editor(self) -> None:
        v = self.current
        for key, _l in FIELDS:
            ed = self._ed(key)
            val = getattr(v, key, None) if v else None
            val = val.isoformat() if hasattr(val, "isoformat") else val
            if isinstance(ed, ChoiceCombo):
                ed.set_key(val or ("outgoing" if key == "direction" else None))
            elif isinstance(ed, QPlainTextEdit):
                ed.setPlainText(val or "")
            else:
                ed.setText(val or "")
            self.boxes[key].set_errors([])
        self.error.setText("")
        self._fill_follow_ups()
        self.fu_box.setEnabled(v is not None)
        self.remove_button.setEnabled(v is not None)

    def _fill_follow_ups(self) -> None:
        lang = language()
        fus = self.current.follow_ups if self.current else []
        keep = self.fu_selected.id if self.fu_selected else None
        self.follow_ups.blockSignals(True)
        fill(self.follow_ups, [(f.due_date.isoformat() if f.due_date else "", f.action,
                                f.responsible or "", follow_up_state(f, lang)) for f in fus],
             [OVERDUE if f.overdue else None for f in fus])
        row = next((r for r, f in enumerate(fus) if f.id == keep), -1)
        if row >= 0:
            self.follow_ups.setCurrentCell(row, 0)
        self.follow_ups.blockSignals(False)
        self._pick_follow_up(row)

    def _pick_follow_up(self, row: int) -> None:
        fus = self.current.follow_ups if self.current else []
        f = fus[row] if 0 <= row < len(fus) else None
        self.fu_selected = f
        self.fu_status.set_key(f.status if f else "open")
        self.fu_sel_due.setText(f.due_date.isoformat() if f and f.due_date else "")
        self.fu_sel_responsible.setText(f.responsible or "" if f else "")
        for w in (self.fu_status, self.fu_sel_due, self.fu_sel_responsible, self.fu_update,
                  self.fu_edit, self.fu_remove):
            w.setEnabled(f is not None)
        self.fu_done.setEnabled(f is not None and f.status != ActionStatus.DONE.value)

    def update_follow_up(self) -> bool:
        """Saves the selected action's status, due date and responsible."""
        f = self.fu_selected
        if self.current is None or f is None:
            return False
        status = self.fu_status.key() or f.status
        inp = FollowUpInput(action=f.action,
                            responsible=self.fu_sel_responsible.text().strip() or None,
                            due_date=self.fu_sel_due.text().strip() or None, status=status,
                            completed_on=f.completed_on if status == "done" else None,
                            note=f.note)
        try:
            self.app.visits.update_follow_up(f.id, inp)
        except MigdeskError as exc:
            self.fu_error.setText(exc.message(language()))
            return False
        self.fu_error.setText("")
        self.current = self.app.visits.get(self.current.id)
        self.refresh()
        self._fill_editor()
        self.message.emit(_("Follow-up action saved"))
        return True

    def _after_follow_up(self, done: str) -> None:
        self.fu_error.setText("")
        if self.current is not None:
            self.current = self.app.visits.get(self.current.id)
        self.refresh()
        self._fill_editor()
        self.message.emit(done)

    def mark_done(self) -> bool:
        """The selected action done today."""
        f = self.fu_selected
        if f is None:
            return False
        try:
            self.app.visits.mark_done(f.id)
        except MigdeskError as exc:
            self.fu_error.setText(exc.message(language()))
            return False
        self._after_follow_up(N_("Follow-up action saved"))
        return True

    def edit_follow_up(self) -> RecordDialog | None:
        """All of the selected action's fields in a dialog (its text, dates, note)."""
        f = self.fu_selected
        if f is None:
            return None
        dlg = FollowUpDialog(self, self.app, f)
        self.dialog = dlg
        dlg.saved.connect(lambda _s: self._after_follow_up(N_("Follow-up action saved")))
        dlg.open()
        return dlg

    def _reason(self) -> str | None:
        return ReasonDialog.ask(self, _("Remove"), _(
            "Why is this record removed? It disappears from the lists; the reason and the "
            "record are kept in the history."))

    def remove_follow_up(self) -> bool:
        f = self.fu_selected
        reason = self._reason() if f is not None else None
        if f is None or not reason:
            return False
        try:
            self.app.visits.remove_follow_up(f.id, reason)
        except MigdeskError as exc:
            self.fu_error.setText(exc.message(language()))
            return False
        self.fu_selected = None
        self._after_follow_up(N_("Removed"))
        return True

    def remove_visit(self) -> bool:
        v = self.current
        reason = self._reason() if v is not None else None
        if v is None or not reason:
            return False
        try:
            self.app.visits.remove(v.id, reason)
        except MigdeskError as exc:
            self.error.setText(exc.message(language()))
            return False
        self.current = None
        self.refresh()
        self._fill_editor()
        self.message.emit(N_("Removed"))
        return True

    def _value(self, key: str) -> str:
        ed = self._ed(key)
        if isinstance(ed, ChoiceCombo):
            return ed.key() or ""
        if isinstance(ed, QPlainTextEdit):
            return ed.toPlainText().strip()
        return ed.text().strip()

    def save(self) -> bool:
        inp = VisitInput(**{k: self._value(k) or None for k, _l in FIELDS})  # type: ignore[arg-type]
        for b in self.boxes.values():
            b.set_errors([])
        try:
            if self.current is None:
                saved = self.app.visits.add(inp)
            else:
                saved = self.app.visits.update(self.current.id, inp)
        except ValidationError as exc:
            for key, box in self.boxes.items():
                box.set_errors(exc.for_field(key))
            self.error.setText("; ".join(e.line(language()) for e in exc.errors
                                         if e.field not in self.boxes))
            return False
        except MigdeskError as exc:
            self.error.setText(exc.message(language()))
            return False
        self.current = self.app.visits.get(saved.id)
        self.refresh()
        self.message.emit(_("Visit saved"))
        return True

    def add_follow_up(self) -> bool:
        if self.current is None:
            return False
        inp = FollowUpInput(**{k: e.text().strip() or None for k, e in self.fu_edits.items()})
        try:
            self.app.visits.add_follow_up(self.current.id, inp)
        except MigdeskError as exc:
            self.fu_error.setText(exc.message(language()))
            return False
        self.fu_error.setText("")
        for e in self.fu_edits.values():
            e.clear()
        self.current = self.app.visits.get(self.current.id)
        self.refresh()
        self._fill_editor()
        self.message.emit(_("Follow-up action added"))
        return True

    def retranslate(self) -> None:
        self.list.setHorizontalHeaderLabels([_("Start date"), _("Country"), _("City"),
                                             _("Overdue")])
        self.new_button.setText(_("New visit"))
        self.editor_box.setTitle(_("Delegation visit"))
        for key, label in FIELDS:
            self.labels[key].setText(_(label))
            self.boxes[key].retranslate()
            ed = self._ed(key)
            if isinstance(ed, ChoiceCombo):
                ed.retranslate()
        for key in ("start_date", "end_date"):
            self._ed(key).retranslate()
        self.save_button.setText(_("Save visit"))
        self.fu_box.setTitle(_("Follow-up actions"))
        self.follow_ups.setHorizontalHeaderLabels([_("Due date"), _("Action"),
                                                   _("Responsible"), _("Status")])
        for key, label in FU_FIELDS:
            self.fu_edits[key].setPlaceholderText(_(label))
        self.fu_edits["due_date"].retranslate()
        self.fu_edits["due_date"].setPlaceholderText(_("Due date") + " " + _("YYYY-MM-DD"))
        self.fu_add.setText(_("Add follow-up action"))
        self.fu_sel_label.setText(_("Selected action:"))
        self.fu_status.retranslate()
        self.fu_sel_due.setPlaceholderText(_("Due date") + " " + _("YYYY-MM-DD"))
        self.fu_sel_responsible.setPlaceholderText(_("Responsible"))
        self.fu_update.setText(_("Save follow-up action"))
        self.fu_done.setText(_("Mark done"))
        self.fu_edit.setText(_("Edit…"))
        self.fu_remove.setText(_("Remove…"))
        self.remove_button.setText(_("Remove visit…"))
        self._fill_list()
        self._fill_editor()
