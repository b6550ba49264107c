"""Qt's own strings (dialog buttons) from migdesk's one catalogue, then from Qt's own Georgian
(qtbase_ka.qm, shipped with PySide6) for what the catalogue does not have: the file dialog,
the print dialog, the standard context menus."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from migdesk import i18n


class CatalogueTranslator(QTranslator):
    """Answers Qt's translate() from migdesk.i18n in the current language (no .qm files)."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:  # type: ignore[override]
        lang = i18n.language()
        if lang == "en" or not source:
            return None  # type: ignore[return-value]  # a null QString: "no translation"
        for key in (source, source.replace("&", "")):
            if i18n.has_translation(key, lang):
                return i18n.translate(key, lang)
        # Returning "" would be taken as the translation and blank Qt's own texts
        # (and make QString::arg warn); None reaches Qt as a null string: keep the source.
        return None  # type: ignore[return-value]

    def isEmpty(self) -> bool:  # noqa: N802 - Qt API
        return False


_translator: CatalogueTranslator | None = None
_qt_translators: dict[str, QTranslator | None] = {}
_qt_installed: QTranslator | None = None


def qt_translator(lang: str) -> QTranslator | None:
    """Qt's own translation of qtbase for `lang` (None for English or when none ships)."""
    if lang == "en":
        return None
    if lang not in _qt_translators:
        tr = QTranslator()
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        _qt_translators[lang] = tr if tr.load(f"qtbase_{lang}", folder) else None
    return _qt_translators[lang]


_installed: tuple[int, str] | None = None  # (the QCoreApplication, the language) installed


def install(force: bool = False) -> CatalogueTranslator:
    """Install the catalogue translator once per QCoreApplication (asked first, as the one
    installed last) above Qt's own translation for the current language. Installing again
    posts a LanguageChange to every widget (a QDialogButtonBox then puts back its standard
    texts over the ones set on it): only a change of language does it (`force`)."""
    global _translator, _installed
    if _translator is None:
        _translator = CatalogueTranslator()
    state = (id(QCoreApplication.instance()), i18n.language())
    if state == _installed and not force:
        return _translator
    _install_qt(i18n.language())
    QCoreApplication.removeTranslator(_translator)
    QCoreApplication.installTranslator(_translator)
    _installed = state
    return _translator


def _install_qt(lang: str) -> None:
    global _qt_installed
    wanted = qt_translator(lang)
    if wanted is _qt_installed:
        return
    if _qt_installed is not None:
        QCoreApplication.removeTranslator(_qt_installed)
    if wanted is not None:
        QCoreApplication.installTranslator(wanted)
    _qt_installed = wanted


def switch_language(lang: str) -> None:
    """Change the language for migdesk and for Qt's own dialogs (reinstall = LanguageChange)."""
    i18n.set_language(lang)
    install()  # a new language reinstalls: the LanguageChange reaches every widget
