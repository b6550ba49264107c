"""Qt's own strings (dialog buttons) from migdesk's one catalogue, and the retranslate pattern."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

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


def install() -> CatalogueTranslator:
    """Install the catalogue translator once per QCoreApplication."""
    global _translator
    if _translator is None:
        _translator = CatalogueTranslator()
    QCoreApplication.installTranslator(_translator)
    return _translator


def switch_language(lang: str) -> None:
    """Change the language for migdesk and for Qt's own dialogs (reinstall = LanguageChange)."""
    i18n.set_language(lang)
    tr = install()
    QCoreApplication.removeTranslator(tr)
    QCoreApplication.installTranslator(tr)
