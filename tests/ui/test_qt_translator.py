"""Qt's own texts go through our catalogue: translated where we have Georgian, untouched
(never blanked) where we do not."""

from PySide6.QtCore import QCoreApplication

from migdesk.ui.i18n_qt import install


def test_untranslated_qt_text_is_kept_and_known_text_is_georgian(qapp):
    install()
    assert QCoreApplication.translate("X", "An untranslated %1 text") == \
        "An untranslated %1 text"
    assert QCoreApplication.translate("QDialogButtonBox", "Cancel") == "გაუქმება"
