"""The main window: navigation, menus, toolbar, shortcuts, language, settings, task progress.

GUI thread only. Pages talk to the services; long work goes through `self.runner`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from migdesk import i18n
from migdesk.domain.errors import MigdeskError
from migdesk.i18n import N_, _, language
from migdesk.ui import desk_settings, hooks
from migdesk.ui.candidates.page import CandidatesPage
from migdesk.ui.dialogs import Confirm, UnsavedEdits, show_error
from migdesk.ui.i18n_qt import switch_language
from migdesk.ui.icons import icon
from migdesk.ui.status_line import StatusLine
from migdesk.ui.tasks import Handle, TaskRunner, show_progress

ORGANISATION = "Ministry of Labour of Georgia"
APPLICATION = "migdesk"
PAGES = (("overview", N_("Overview"), "overview"),
         ("candidates", N_("Candidates"), "candidates"),
         ("partners", N_("Partner states and agreements"), "partners"),
         ("visits", N_("Delegation visits"), "visits"),
         ("programs", N_("Programmes"), "programs"),
         ("exchange", N_("Synchronisation"), "export"),
         ("audit", N_("Audit trail"), "audit"),
         ("accounts", N_("Officer accounts"), "accounts"))


def _built_when_used(key: str) -> Any:
    """A window attribute for page `key`: the page, built the first time it is asked for."""
    return property(lambda self: self.page(key))


class MainWindow(QMainWindow):
    # File ▸ New desk database / Open database / a recent one: (path, create); the desk
    # (ui/main.py) opens it, signs in and replaces this window
    database_requested = Signal(str, bool)

    def __init__(self, app: Any, settings: QSettings | None = None,
                 runner: TaskRunner | None = None) -> None:
        super().__init__()
        self.app = app
        self.settings = settings or QSettings(ORGANISATION, APPLICATION)
        self.runner = runner or TaskRunner(self)
        self.runner.started.connect(self._show_progress)
        self.setWindowIcon(icon("migdesk"))
        self.setProperty("i18n_data", True)  # the title names the database file and the desk
        self.resize(1280, 800)

        # The candidate page is built now (its splitter and form are restored with the
        # window); every other page is built the first time it is shown or asked for, so the
        # window paints without importing or querying what it does not show.
        self.candidates = CandidatesPage(app)
        self.pages: dict[str, QWidget] = {}
        self._areas: dict[str, Any] = {}
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMinimumWidth(250)
        self.nav.setMaximumWidth(280)
        self.nav.setWordWrap(True)  # "პარტნიორი სახელმწიფოები და ხელშეკრულებები" takes two lines
        self.stack = QStackedWidget()
        for key, _label, icon_name in PAGES:
            item = QListWidgetItem(icon(icon_name), "")
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
            self._areas[key] = _scrolling(None, key)
            self.stack.addWidget(self._areas[key])
        self._install_page("candidates", self.candidates)
        self.split = QSplitter()
        self.split.addWidget(self.nav)
        self.split.addWidget(self.stack)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([260, 1180])
        self.setCentralWidget(self.split)
        self.nav.currentRowChanged.connect(self._page_changed)
        self.status_text = StatusLine()  # one elided line: a message never widens the window
        self.statusBar().addWidget(self.status_text, 1)
        self._last_message: tuple[str, dict[str, Any]] | None = None
        self._make_actions()
        self._make_menus()
        self._make_database_menu()
        self._make_first_start()
        from migdesk.ui.printing import add_print_menu

        add_print_menu(self)  # the Print menu: dossiers and the list (ui/printing.py)
        self.locked = False
        self.idle: Any = None
        app.db.on_wait = self._waiting  # another program holds the write lock
        self._start_idle_watch()
        self.apply_role()
        self.retranslate()
        self._restore()

    # -- actions ----------------------------------------------------------------------------
    def _action(self, name: str, icon_name: str | None, shortcut: Any, slot: Any) -> QAction:
        act = QAction(self)
        act.setObjectName(name)
        if icon_name:
            act.setIcon(icon(icon_name))
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        return act

    def _make_actions(self) -> None:
        K = QKeySequence.StandardKey  # noqa: N806
        self.act_new = self._action("new_candidate", "new", "Ctrl+N", self.new_candidate)
        self.act_find = self._action("find", "find", "Ctrl+F", self.find)
        self.act_save = self._action("save", "save", "Ctrl+S", self.save)
        self.act_print = self._action("print_dossier", "print", "Ctrl+P", self.print_dossier)
        self.act_export = self._action("export", "export", "Ctrl+E", self.export)
        self.act_import = self._action("import", "import", None, self.import_)
        self.act_export_list = self._action("export_list", "export", "Ctrl+Shift+E",
                                            self.export_list)
        self.act_import_list = self._action("import_list", "import", None, self.import_list)
        self.act_demo = self._action("load_demo", None, None, self.load_demo)
        self.act_delete = self._action("delete_candidate", "delete", None, self.delete_candidate)
        self.act_quit = self._action("quit", None, K.Quit, self.close)
        self.act_status = self._action("change_status", "status", "Ctrl+Shift+S",
                                       lambda: self.candidates.change_status())
        self.act_refresh = self._action("refresh", None, K.Refresh, self.refresh)
        self.act_lock = self._action("lock", None, "Ctrl+L", self.lock)
        self.act_password = self._action("change_password", None, None, self.change_password)
        self.lang_group = QActionGroup(self)
        self.act_ka = self._action("lang_ka", None, None, lambda: self.set_language("ka"))
        self.act_en = self._action("lang_en", None, None, lambda: self.set_language("en"))
        for act in (self.act_ka, self.act_en):
            act.setCheckable(True)
            self.lang_group.addAction(act)
        self.hooks = {"print": hooks.find(hooks.PRINT_DOSSIER),
                      "export": hooks.find(hooks.EXPORT_CHANGES),
                      "import": hooks.find(hooks.IMPORT_CHANGES)}
        self.page_actions = []
        for i, (key, _label, icon_name) in enumerate(PAGES):
            act = self._action(f"go_{key}", icon_name, f"Ctrl+{i + 1}",
                               lambda _c=False, r=i: self.nav.setCurrentRow(r))
            self.page_actions.append(act)

    def _make_menus(self) -> None:
        mb = self.menuBar()
        self.menu_file = mb.addMenu("")
        for a in (self.act_new, self.act_save, self.act_print, None, self.act_import_list,
                  self.act_export_list, self.act_export, self.act_import, self.act_demo, None,
                  self.act_quit):
            self.menu_file.addSeparator() if a is None else self.menu_file.addAction(a)
        self.menu_edit = mb.addMenu("")
        for a in (self.act_find, self.act_status, None, self.act_delete):
            self.menu_edit.addSeparator() if a is None else self.menu_edit.addAction(a)
        self.menu_view = mb.addMenu("")
        for a in (*self.page_actions, None, self.act_refresh):
            self.menu_view.addSeparator() if a is None else self.menu_view.addAction(a)
        self.menu_lang = mb.addMenu("")
        self.menu_lang.addAction(self.act_ka)
        self.menu_lang.addAction(self.act_en)
        self.menu_account = mb.addMenu("")
        self.menu_account.addAction(self.act_password)
        self.menu_account.addAction(self.act_lock)
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for a in (self.act_new, self.act_save, self.act_find, self.act_print, self.act_export):
            self.toolbar.addAction(a)
        self.addToolBar(self.toolbar)

    # -- language -----------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        switch_language(lang)
        desk_settings.set_user_language(self.settings, self.app.officer if self.app.signed_in
                                        else None, lang)
        self.retranslate()
        self.say(N_("Language changed"))

    def retranslate(self) -> None:
        self.setWindowTitle(self._title())
        for i, (_key, label, _icon) in enumerate(PAGES):
            self.nav.item(i).setText(_(label))
            self.page_actions[i].setText(_(label))
        texts = {
            self.act_new: N_("New candidate"), self.act_find: N_("Find"),
            self.act_save: N_("Save"), self.act_print: N_("Print dossier"),
            self.act_export: N_("Export changes…"), self.act_import: N_("Import changes…"),
            self.act_demo: N_("Load demo data…"), self.act_delete: N_("Delete candidate…"),
            self.act_quit: N_("Quit"), self.act_status: N_("Change status…"),
            self.act_refresh: N_("Refresh"), self.act_lock: N_("Lock"),
            self.act_export_list: N_("Export the list…"),
            self.act_import_list: N_("Import a candidate list…"),
            self.act_password: N_("Change password…"),
        }
        for act, msgid in texts.items():
            act.setText(_(msgid))
        self.act_ka.setText("ქართული")
        self.act_en.setText("English")
        self.act_ka.setProperty("i18n_data", True)
        self.act_en.setProperty("i18n_data", True)
        self.act_ka.setChecked(language() == "ka")
        self.act_en.setChecked(language() == "en")
        for key, act in (("print", self.act_print), ("export", self.act_export),
                         ("import", self.act_import)):
            available = self.hooks[key] is not None
            act.setEnabled(available)
            act.setToolTip(act.text() if available else _(
                "Not available yet: this part of migdesk is not installed"))
        self.menu_file.setTitle(_("&File"))
        self.menu_edit.setTitle(_("&Edit"))
        self.menu_view.setTitle(_("&View"))
        self.menu_lang.setTitle(_("&Language"))
        self.menu_account.setTitle(_("&Account"))
        self.toolbar.setWindowTitle(_("Toolbar"))
        for page in self.pages.values():
            page.retranslate()  # type: ignore[attr-defined]
        self._retranslate_databases()
        if self._last_message:
            msgid, params = self._last_message
            self.status_text.setText(_(msgid).format(**params))

    def say(self, msgid_or_text: str, **params: Any) -> None:
        """A status bar message (an English msgid is re-translated on language change)."""
        self._last_message = (msgid_or_text, params)
        self.status_text.setText(_(msgid_or_text).format(**params))

    # -- navigation and settings --------------------------------------------------------------
    def _page_changed(self, row: int) -> None:
        if row < 0:
            return
        if self.showing_first_start() and self._nav_focusing:
            self._clear_nav()  # the list picks its first row on focus; that is no choice
            return
        if self.showing_first_start():  # left for a page: the desk is started
            desk_settings.set_per_database(self.settings, self.app, "first_start_done", 1)
        self.stack.setCurrentIndex(row)
        key = PAGES[row][0]
        desk_settings.set_per_database(self.settings, self.app, "last_view", key)
        page = self.page(key)
        if hasattr(page, "refresh"):
            page.refresh()  # type: ignore[attr-defined]

    # -- pages, built when first needed ---------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The page `key`, built (translated, fitted to the officer's role) on first use."""
        built = self.pages.get(key)
        if built is not None:
            return built
        app = self.app
        if key == "overview":
            from migdesk.ui.pages.overview import OverviewPage
            built = OverviewPage(app)
        elif key == "partners":
            from migdesk.ui.pages.partners import PartnersPage
            built = PartnersPage(app)
        elif key == "visits":
            from migdesk.ui.pages.visits import VisitsPage
            built = VisitsPage(app)
        elif key == "programs":
            from migdesk.ui.pages.programs import ProgramsPage
            built = ProgramsPage(app)
        elif key == "exchange":
            from migdesk.ui.pages.exchange import ExchangePage
            built = ExchangePage(app, runner=self.runner)
        elif key == "audit":
            from migdesk.ui.pages.audit import AuditPage
            built = AuditPage(app)
        elif key == "accounts":
            from migdesk.ui.accounts import AccountsPage
            built = AccountsPage(app)
        else:
            raise KeyError(key)
        self._install_page(key, built)
        built.retranslate()  # type: ignore[attr-defined]
        if hasattr(built, "apply_role"):
            built.apply_role(self.app.may)  # type: ignore[attr-defined]
        return built

    def _install_page(self, key: str, page: QWidget) -> None:
        self.pages[key] = page
        area = self._areas[key]
        area.setObjectName(f"scroll_{page.objectName() or type(page).__name__}")
        area.setWidget(page)
        if hasattr(page, "message"):
            page.message.connect(self.say)  # type: ignore[attr-defined]

    # every page but the candidates', reached by name and built on first use
    overview = _built_when_used("overview")
    partners = _built_when_used("partners")
    visits = _built_when_used("visits")
    programs = _built_when_used("programs")
    exchange = _built_when_used("exchange")
    audit = _built_when_used("audit")
    accounts = _built_when_used("accounts")

    def show_page(self, key: str) -> None:
        self.nav.setCurrentRow([p[0] for p in PAGES].index(key))

    def current_page(self) -> str:
        return PAGES[max(self.nav.currentRow(), 0)][0]

    def _restore(self) -> None:
        """This database's layout and last page (a database never seen here: the last
        window's size, the overview; a desk without data: the first-start page)."""
        def saved(key: str) -> Any:
            value = desk_settings.per_database(self.settings, self.app, key)
            return self.settings.value(key) if value is None else value  # older settings

        geo = saved("geometry")
        if isinstance(geo, QByteArray):
            self.restoreGeometry(geo)
        desk_settings.fit_on_screen(self)
        split = saved("splitter")
        if isinstance(split, QByteArray):
            self.candidates.splitter.restoreState(split)
        if self.first_start_due():
            self.show_first_start()
            return
        last = saved("last_view") or "overview"
        keys = [p[0] for p in PAGES]
        self.nav.setCurrentRow(keys.index(last) if last in keys else 0)

    def _save_settings(self) -> None:
        put = desk_settings.set_per_database
        put(self.settings, self.app, "geometry", self.saveGeometry())
        put(self.settings, self.app, "splitter", self.candidates.splitter.saveState())
        if not self.showing_first_start():
            put(self.settings, self.app, "last_view", self.current_page())
        self.settings.setValue("geometry", self.saveGeometry())  # a new database's size
        self.settings.sync()

    # -- commands ---------------------------------------------------------------------------
    def maybe_keep_edits(self) -> bool:
        """True if it is fine to leave the form (saved, discarded, or nothing to save)."""
        if not self.candidates.form.dirty:
            return True
        answer = UnsavedEdits.ask(self)
        if answer == "save":
            return self.candidates.form.save()
        if answer == "discard":
            self.candidates.form.dirty = False
            return True
        return False

    def new_candidate(self) -> None:
        if self.maybe_keep_edits():
            self.show_page("candidates")
            self.candidates.new_candidate()
            self.say(N_("New candidate: fill in the form and save"))

    def find(self) -> None:
        self.show_page("candidates")
        self.candidates.focus_search()

    def save(self) -> None:
        if self.current_page() == "candidates" or self.candidates.form.dirty:
            if self.candidates.form.save():
                self.say(N_("Candidate saved"))
            else:
                self.say(N_("Not saved: see the messages beside the fields"))

    def refresh(self) -> None:
        page = self.page(self.current_page())
        if hasattr(page, "refresh"):
            page.refresh()  # type: ignore[attr-defined]

    def delete_candidate(self) -> None:
        d = self.candidates.form.detail
        if d is None:
            return
        if not Confirm.ask(self, _("Delete candidate"),
                           _("Delete this candidate? The deletion is recorded and sent to the "
                             "central store.")):
            return
        try:
            self.app.candidates.delete(d.id, "deleted from the desk window")
        except MigdeskError as exc:
            show_error(self, exc)
            return
        self.candidates.new_candidate()
        self.candidates.refresh()
        self.say(N_("Candidate deleted"))

    def _run_hook(self, key: str, title: str, ids: list[str]) -> None:
        fn = self.hooks[key]
        if fn is None:
            return
        app = self.app
        self.runner.submit(title, lambda progress: fn(app, ids, progress),
                           on_done=lambda msg: self.say(str(msg or N_("Done"))),
                           on_error=lambda exc: show_error(self, exc))

    def print_dossier(self) -> None:
        ids = self.candidates.selected_ids()
        if not ids or self.hooks["print"] is None:
            return
        try:
            from migdesk.ui.dossier_preview import show_preview
        except ImportError:
            self._run_hook("print", _("Print dossier"), ids)
            return
        show_preview(self, self.app, ids[0])

    def export(self) -> None:
        self.show_page("exchange")
        self.exchange.export_()

    def import_(self) -> None:
        self.show_page("exchange")
        self.exchange.import_()

    def import_list(self) -> None:
        """The spreadsheet import wizard (ui/sheet_import.py), window-modal."""
        from migdesk.ui.sheet_import import ImportWizard

        self.import_wizard = ImportWizard(self.app, self.runner, self)
        self.import_wizard.finished.connect(self._imported)
        self.import_wizard.open()

    def _imported(self, _code: int) -> None:
        plan = self.import_wizard.result
        if plan is None:
            return
        c = plan.counts
        self.say(N_("Imported: {new} new, {update} updated; {left} rows to correct"),
                 new=c["new"], update=c["update"], left=len(plan.needs_correcting))
        self.candidates.refresh()
        if self.showing_first_start():
            self.show_page("candidates")

    def export_list(self) -> None:
        """The candidates of the current search and filters, every one of them, to an XLSX
        or CSV file (Georgian headers in a Georgian window)."""
        from PySide6.QtWidgets import QFileDialog

        from migdesk.i18n import language

        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export the list…"), str(Path.home() / "candidates.xlsx"),
            "Excel (*.xlsx);;CSV (*.csv)")
        if not path:
            return
        if not path.lower().endswith((".xlsx", ".csv")):
            path += ".xlsx"
        query, filters = self.candidates.search.text(), self.candidates.filters()
        db_url, account, lang = str(self.app.db.engine.url), self.app.account, language()

        def work(progress: Any) -> Any:
            from migdesk.services.app import Migdesk
            from migdesk.services.sheet_export import SheetExportService

            worker_app = Migdesk.open(db_url, create=False, migrate=False, account=account)
            try:
                return SheetExportService(worker_app).candidates(
                    path, query=query, filters=filters, lang=lang,
                    progress=lambda n: progress(n, 0) is not False)
            finally:
                worker_app.close()

        self.runner.submit(_("Export the list…"), work,
                           on_done=lambda r: self.say(N_("{n} candidates exported to {path}"),
                                                      n=r.rows, path=str(r.path)),
                           on_error=lambda exc: show_error(self, exc))

    def load_demo(self, candidates: int = 1000, ask: bool = True) -> None:
        try:
            from migdesk.services.demo import load_demo
        except ImportError:
            return
        if not isinstance(candidates, int) or isinstance(candidates, bool):
            candidates = 1000  # QAction.triggered(checked) must not become the count
        if ask and not Confirm.ask(self, _("Load demo data…"),
                                   _("Load synthetic demo data into this (empty) database?")):
            return
        db_url = str(self.app.db.engine.url)

        def work(progress: Any) -> Any:
            from migdesk.services.app import Migdesk

            worker_app = Migdesk.open(db_url, account=self.app.account)
            try:
                return load_demo(worker_app, candidates=candidates, progress=progress)
            finally:
                worker_app.close()

        def done(_result: Any) -> None:
            self.say(N_("Demo data loaded"))
            self.refresh_all()
            self.setWindowTitle(self._title())
            if self.showing_first_start():
                self.show_page("overview")

        self.runner.submit(_("Load demo data…"), work, on_done=done,
                           on_error=lambda exc: show_error(self, exc))

    def refresh_all(self) -> None:
        for page in self.pages.values():
            if hasattr(page, "refresh"):
                page.refresh()  # type: ignore[attr-defined]

    def _show_progress(self, handle: Handle) -> None:
        show_progress(self, handle)

    # -- the signed-in officer ------------------------------------------------------------
    def apply_role(self) -> None:
        """Hide what the officer's role may not do (the services refuse it as well)."""
        from migdesk.domain.roles import Permission as P

        may = self.app.may
        self.act_delete.setVisible(may(P.REMOVE))
        self.act_demo.setVisible(may(P.SETTINGS))
        self.act_import.setVisible(may(P.IMPORT))
        self.act_export.setVisible(may(P.EXPORT))
        self.act_export_list.setVisible(may(P.EXPORT))
        self.act_import_list.setVisible(may(P.IMPORT))
        self.act_status.setVisible(may(P.EDIT_CANDIDATES))
        self.act_print.setVisible(may(P.PRINT))
        keys = [p[0] for p in PAGES]
        self.nav.item(keys.index("exchange")).setHidden(
            not (may(P.IMPORT) or may(P.EXPORT) or may(P.RESOLVE)))
        self.nav.item(keys.index("audit")).setHidden(not may(P.AUDIT))
        self.nav.item(keys.index("accounts")).setHidden(not may(P.ACCOUNTS))
        for i in range(len(PAGES)):
            self.page_actions[i].setVisible(not self.nav.item(i).isHidden())
        for page in self.pages.values():
            if hasattr(page, "apply_role"):
                page.apply_role(may)  # type: ignore[attr-defined]

    def _waiting(self) -> None:
        self.say(N_("Another migdesk program is writing to this database; waiting for it to "
                    "finish"))
        self.status_text.repaint()  # shown now: the wait holds this thread

    def _start_idle_watch(self) -> None:
        from migdesk.ui.sign_in import IdleWatch, lock_minutes

        minutes = lock_minutes(self.app)
        if minutes > 0:
            self.idle = IdleWatch(minutes, self.lock, self)

    def lock(self) -> None:
        """Hide everything behind the password: the pages stay as they are (an unsaved
        form included) and come back when the same officer unlocks."""
        from migdesk.ui.sign_in import LockDialog

        if self.locked:
            return
        self.locked = True
        # Everything that shows personal data is hidden first: this window's pages and any
        # other window of the application (an import wizard, a dossier preview).
        from PySide6.QtWidgets import QApplication

        self.centralWidget().setVisible(False)
        self.menuBar().setEnabled(False)
        self.toolbar.setEnabled(False)
        self._hidden_windows = [w for w in QApplication.topLevelWidgets()
                                if w is not self and w.isVisible()]
        for w in self._hidden_windows:
            w.hide()
        self.lock_dialog = LockDialog(self.app, self)
        self.lock_dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.lock_dialog.accepted.connect(self._unlocked)
        self.lock_dialog.open()
        try:
            self.app.record("lock", "account", self.app.account.id)
        except MigdeskError:  # a busy or full database must not keep the lock from closing
            import logging

            logging.getLogger("migdesk").warning("the lock could not be recorded")

    def _unlocked(self) -> None:
        self.centralWidget().setVisible(True)
        self.menuBar().setEnabled(True)
        self.toolbar.setEnabled(True)
        for w in getattr(self, "_hidden_windows", []):
            w.show()
        self._hidden_windows = []
        self.locked = False
        if self.idle is not None:
            self.idle.timer.start()

    def change_password(self) -> None:
        from migdesk.ui.accounts import ChangePasswordDialog

        if ChangePasswordDialog(self.app, self).exec():
            self.say(N_("Password changed"))

    # -- closing ----------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if getattr(self, "_retired", False):
            event.accept()
            return
        if self.locked:  # only the officer who locked it decides about their edits
            event.ignore()
            return
        if not self.maybe_keep_edits():
            event.ignore()
            return
        self._save_settings()
        if self.idle is not None:
            self.idle.stop()
        event.accept()

    # -- the title, databases from the window (File ▸ New / Open / Recent) ----------------------
    def _title(self) -> str:
        """The database's file, the desk, the officer: which desk this window is."""
        parts = [desk_settings.database_label(self.app), self.app.desk.name, "migdesk"]
        if self.app.signed_in:
            parts.append(f"{self.app.officer_name} ({self.app.account.role_label})")
        if self.app.is_demo:
            parts.append(_("DEMO DATABASE"))
        return " — ".join(parts)

    def _make_database_menu(self) -> None:
        self.act_new_db = self._action("new_database", None, None, self.new_database)
        self.act_open_db = self._action("open_database", None, "Ctrl+O", self.open_database)
        self.menu_recent = self.menu_file.addMenu("")
        self.menu_recent.setObjectName("recent_databases")
        self.menu_recent.aboutToShow.connect(self._fill_recent)
        first = self.menu_file.actions()[0] if self.menu_file.actions() else None
        for a in (self.act_new_db, self.act_open_db, self.menu_recent.menuAction()):
            self.menu_file.insertAction(first, a)  # type: ignore[arg-type]
        self.menu_file.insertSeparator(first)  # type: ignore[arg-type]
        self._fill_recent()

    def _retranslate_databases(self) -> None:
        self.act_new_db.setText(_("New desk database…"))
        self.act_open_db.setText(_("Open database…"))
        self.menu_recent.setTitle(_("Recent databases"))
        self._fill_recent()
        self.first_start.retranslate()

    def _fill_recent(self) -> None:
        self.menu_recent.clear()
        here = desk_settings.database_target(self.app)
        for target in desk_settings.recent_databases(self.settings):
            act = self.menu_recent.addAction(target)
            act.setProperty("i18n_data", True)
            act.setCheckable(True)
            act.setChecked(target == here)
            act.triggered.connect(lambda _c=False, t=target: self.open_recent(t))
        self.menu_recent.setEnabled(bool(self.menu_recent.actions()))

    def _database_dialog(self, title: str, save: bool) -> str:
        from PySide6.QtWidgets import QFileDialog

        folder = str(Path(desk_settings.database_target(self.app)).parent) \
            if self.app.db.is_sqlite else str(Path.home())
        dlg = QFileDialog(self, title, folder, _("migdesk database") + " (*.db);;* (*)")
        dlg.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own: in Georgian
        if save:
            dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dlg.setDefaultSuffix("db")
            dlg.selectFile("desk.db")
        else:
            dlg.setFileMode(QFileDialog.FileMode.ExistingFile)
        return dlg.selectedFiles()[0] if dlg.exec() and dlg.selectedFiles() else ""

    def new_database(self, path: str | None = None) -> None:
        """A new, empty desk database: its administrator next, then its first-start page."""
        path = path or self._database_dialog(_("New desk database…"), save=True)
        if not path:
            return
        if Path(path).exists() and Path(path).stat().st_size > 0:
            self.say(N_("{path} exists: open it with File ▸ Open database…"), path=path)
            return
        self.request_database(path, create=True)

    def open_database(self, path: str | None = None) -> None:
        path = path or self._database_dialog(_("Open database…"), save=False)
        if path:
            self.request_database(path, create=False)

    def open_recent(self, target: str) -> None:
        if "://" not in target and not Path(target).exists():
            desk_settings.forget_database(self.settings, target)
            self.say(N_("No database at {path}; removed from the recent databases"),
                     path=target)
            return
        self.request_database(target, create=False)

    def request_database(self, target: str, create: bool) -> None:
        if target == desk_settings.database_target(self.app):
            return
        if self.maybe_keep_edits():
            self.database_requested.emit(target, create)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not getattr(self, "_fitted", False):  # the frame is known once shown
            self._fitted = True
            desk_settings.fit_on_screen(self)

    def retire(self) -> None:
        """Another database replaced this one: remember this one's layout and close."""
        self._save_settings()
        if self.idle is not None:
            self.idle.stop()
        self._retired = True
        self.close()

    # -- the first start (ui/first_start.py) --------------------------------------------------
    def _make_first_start(self) -> None:
        from migdesk.ui.first_start import FirstStartPage

        self.first_start = FirstStartPage(self.app)
        self.first_start.chosen.connect(self._first_start_chosen)
        self._nav_focusing = False
        self.nav.installEventFilter(self)
        self.stack.addWidget(self.first_start)  # not in the navigation: it is left for good

    def first_start_due(self) -> bool:
        from migdesk.domain.roles import Permission as P
        from migdesk.ui.first_start import desk_is_empty

        if not self.app.may(P.SETTINGS):
            return False
        if desk_settings.per_database(self.settings, self.app, "first_start_done"):
            return False
        return desk_is_empty(self.app)

    def show_first_start(self) -> None:
        self._clear_nav()
        self.first_start.retranslate()
        self.stack.setCurrentWidget(self.first_start)
        self.first_start.name.setFocus()

    def _clear_nav(self) -> None:
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(-1)
        self.nav.blockSignals(False)

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt API
        from PySide6.QtCore import QEvent, QTimer

        if obj is self.nav and event.type() == QEvent.Type.FocusIn:
            self._nav_focusing = True
            QTimer.singleShot(0, lambda: setattr(self, "_nav_focusing", False))
        return super().eventFilter(obj, event)

    def showing_first_start(self) -> bool:
        return self.stack.currentWidget() is self.first_start

    def _first_start_chosen(self, key: str) -> None:
        self.setWindowTitle(self._title())  # the desk's name may be new
        if key == "demo":
            self.load_demo(ask=False)
        elif key == "sheet":
            self.import_list()
        elif key == "package":
            self.show_page("exchange")
            self.exchange.import_()
        else:
            desk_settings.set_per_database(self.settings, self.app, "first_start_done", 1)
            self.show_page("overview")
            self.say(N_("An empty desk: register the first candidate with Ctrl+N"))


def _scrolling(page: QWidget | None, key: str = "") -> Any:
    """A page wider or taller than the screen scrolls inside the window instead of pushing
    the window past the screen's edge (the stack's minimum is its largest page's). Without a
    page, an empty area the page is put into when it is built."""
    from PySide6.QtWidgets import QFrame, QScrollArea

    area = QScrollArea()
    area.setObjectName(f"scroll_{key}")
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    if page is not None:
        area.setObjectName(f"scroll_{page.objectName() or type(page).__name__}")
        area.setWidget(page)
    return area


def language_from_settings(settings: QSettings) -> str:
    lang = settings.value("language", i18n.DEFAULT_LANGUAGE)
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
