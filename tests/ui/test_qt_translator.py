"""Qt's own texts go through our catalogue: translated where we have Georgian, untouched
(never blanked) where we do not."""

from PySide6.QtCore import QCoreApplication

from migdesk.ui.i18n_qt import install


def test_untranslated_qt_text_is_kept_and_known_text_is_georgian(qapp):
    install()
    assert QCoreApplication.translate("X", "An untranslated %1 text") == \
        "An untranslated %1 text"
    assert QCoreApplication.translate("QDialogButtonBox", "Cancel") == "გაუქმება"


def test_qt_own_dialogs_are_georgian_in_a_georgian_window_and_english_in_english(qtbot):
    """What the catalogue lacks comes from Qt's qtbase_ka.qm: the non-native file dialog's
    labels, a message box's standard buttons; back to English with the language."""
    from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox

    from migdesk.ui.i18n_qt import switch_language

    def file_dialog_texts():
        dlg = QFileDialog(None, "x")
        dlg.setOption(QFileDialog.Option.DontUseNativeDialog)
        qtbot.addWidget(dlg)
        return {w.text().replace("&", "") for w in dlg.findChildren(QLabel)}

    try:
        switch_language("ka")
        texts = file_dialog_texts()
        assert "Look in:" not in texts and "Files of type:" not in texts
        assert any("ფაილ" in t for t in texts), texts  # "ფაილის სახელი", "ფაილის ტიპი"
        box = QMessageBox(QMessageBox.Icon.Question, "x", "y",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard)
        qtbot.addWidget(box)
        texts = {b.text().replace("&", "") for b in box.buttons()}
        assert "Yes" not in texts and "Discard" not in texts, texts
        switch_language("en")
        assert "Files of type:" in file_dialog_texts()
    finally:
        switch_language("ka")


def test_installing_again_does_not_undo_a_dialogs_own_button_texts(qtbot, tmp_path):
    """Opening another database installs the translators again while its sign-in dialog
    is being shown: a LanguageChange then would put back "OK"/"Cancel" over "Create the
    administrator"/"Quit" (seen on Xvfb)."""
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from migdesk.services import Migdesk
    from migdesk.ui.i18n_qt import switch_language
    from migdesk.ui.sign_in import SignInDialog

    switch_language("ka")
    app = Migdesk.open(str(tmp_path / "new.db"))
    dlg = SignInDialog(app)
    qtbot.addWidget(dlg)
    dlg.show()
    install()
    switch_language("ka")
    QApplication.processEvents()
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "ადმინისტრატორის შექმნა"
    app.close()
