"""Languages: English in the source, Simplified Chinese from Qt Linguist files, switched at run time.

Widgets write every visible string with ``self.tr(...)`` (QObject subclasses) and rebuild their
texts in ``retranslate()``, which they call from ``changeEvent`` on ``QEvent.LanguageChange``.
``install_language`` swaps the application's translator, which sends that event to every widget.

The default ``QLocale`` follows the language too, so day names and dates in the chat match the
interface ("周一", not "Mon"); when the chosen language is the system's, the system locale
(with its own regional formats) stays the default.

English is the source language; ``messenger_en`` holds only the English plural forms of the
texts written with ``%n`` (``tr("%n member(s)", "", n)``). Sources:
``resources/translations/messenger_<lang>.ts``; compiled ``.qm`` files are built into
``messenger/ui/translations/`` by ``scripts/build_translations.py`` (run by ``make install``).

Qt's own texts (the standard buttons of dialogs — "Close", "OK", "Cancel" —, the edit menus of
text fields) come from Qt's catalogue (``qtbase_<lang>.qm``, shipped with PySide6), installed
with ours: without it a dialog's button box puts its English texts back on every language
change, over ours.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
QM_DIR = Path(__file__).parent / "translations"

_installed: dict[int, list[QTranslator]] = {}


def system_language() -> str:
    name = QLocale.system().name()
    return "zh_CN" if name.startswith("zh") else "en"


def install_language(app: QCoreApplication, language: str) -> bool:
    """Use ``language`` ("en", "zh_CN" or "system") from now on; False if it could not be loaded."""
    if language == "system":
        language = system_language()
    for old in _installed.pop(id(app), []):
        app.removeTranslator(old)
    if language == "en":
        _load(app, "en")  # only the plural forms ("1 member", "2 members"); the rest is source
        loaded = True
    else:
        _load_qt(app, language)  # before ours: the last installed is asked first
        loaded = _load(app, language)
    shown = language if loaded else "en"
    system = QLocale.system()
    if shown != system_language() or system.language() == QLocale.Language.C:
        system = QLocale(shown)  # the C locale (LANG unset or POSIX) writes dates as "3 12 2026"
    QLocale.setDefault(system)
    return loaded


def _load(app: QCoreApplication, language: str) -> bool:
    translator = QTranslator(app)
    path = QM_DIR / f"messenger_{language}.qm"
    if not translator.load(str(path)):
        log.warning("no compiled translation at %s; English texts are shown", path)
        return False
    app.installTranslator(translator)
    _installed.setdefault(id(app), []).append(translator)
    return True


def _load_qt(app: QCoreApplication, language: str) -> None:
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", folder):
        app.installTranslator(translator)
        _installed.setdefault(id(app), []).append(translator)
    else:
        log.info("no Qt translation for %s in %s", language, folder)
