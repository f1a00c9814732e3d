"""English and Simplified Chinese (U4): every string translated, switched while the app runs."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from messenger.ui.i18n import QM_DIR, install_language
from messenger.ui.kick_dialog import KickDialog
from tests.helpers.ids import uid
from tests.ui.qt_loop import qt_app
from tests.ui.shell.conftest import MakeShell
from tests.ui.shell.test_sign_in import signed_up
from tests.ui.shell.waiting import until

ROOT = Path(__file__).resolve().parents[3]
SOURCES = ROOT / "resources" / "translations"
TS = SOURCES / "messenger_zh_CN.ts"
EN_TS = SOURCES / "messenger_en.ts"
BUILD = ROOT / "scripts" / "build_translations.py"
PLURAL_FORMS = {"zh_CN": 1, "en_US": 2}  # how many forms a text with %n has per language


@pytest.fixture(scope="module")
def compiled() -> Path:
    """The .qm files the app loads, rebuilt if older than their sources (``make install``
    builds them)."""
    stale = [
        ts
        for ts in SOURCES.glob("messenger_*.ts")
        if not (qm := QM_DIR / f"{ts.stem}.qm").exists() or qm.stat().st_mtime < ts.stat().st_mtime
    ]
    if stale:
        subprocess.run([sys.executable, str(BUILD)], check=True, capture_output=True)
    return QM_DIR / "messenger_zh_CN.qm"


def test_every_string_of_the_app_is_in_the_ts_and_translated() -> None:
    """lupdate over messenger/ finds nothing new or unfinished (run ``make translations-update``
    and translate what it adds when this fails)."""
    done = subprocess.run(
        [sys.executable, str(BUILD), "--check"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def translation_problems(ts: Path) -> list[str]:
    """Unfinished or empty entries, lost placeholders or mnemonics, wrong plural forms."""
    root = ET.parse(ts).getroot()
    forms_wanted = PLURAL_FORMS[root.get("language", "")]
    bad = []
    for message in root.iter("message"):
        source = message.findtext("source", "")
        translation = message.find("translation")
        assert translation is not None
        plural = message.get("numerus") == "yes"
        texts = [f.text or "" for f in translation.iter("numerusform")] if plural else []
        if not plural:
            texts = [translation.text or ""]
        if translation.get("type") in ("unfinished", "vanished", "obsolete") or not all(texts):
            bad.append(f"unfinished: {source}")
            continue
        if plural and (len(texts) != forms_wanted or "%n" not in source):
            bad.append(f"{len(texts)} plural forms (not {forms_wanted}): {source}")
        for text in texts:
            if plural and "%n" not in text:
                bad.append(f"%n lost: {source} → {text}")
            if set(re.findall(r"\{\w+\}", source)) != set(re.findall(r"\{\w+\}", text)):
                bad.append(f"placeholders differ: {source} → {text}")
            if ("&" in source) != ("&" in text):
                bad.append(f"keyboard mnemonic lost: {source} → {text}")
    return bad


def test_the_ts_has_no_unfinished_entry_and_keeps_every_placeholder() -> None:
    root = ET.parse(TS).getroot()
    assert root.get("language") == "zh_CN"
    assert translation_problems(TS) == []
    assert sum(1 for _ in root.iter("message")) > 150


def test_the_english_ts_holds_the_plural_forms_only() -> None:
    """English is in the source; a text with %n needs its singular and plural there."""
    root = ET.parse(EN_TS).getroot()
    assert root.get("language") == "en_US"
    messages = list(root.iter("message"))
    assert messages and all(m.get("numerus") == "yes" for m in messages)
    assert translation_problems(EN_TS) == []


def test_plural_forms_are_used_at_run_time(compiled: Path) -> None:
    app = qt_app()

    def members(n: int) -> str:
        return QCoreApplication.translate("GroupPanel", "%n member(s)", None, n)

    assert install_language(app, "en")
    assert (members(1), members(2)) == ("1 member", "2 members")
    assert install_language(app, "zh_CN")
    assert (members(1), members(2)) == ("1 位成员", "2 位成员")


async def test_switching_the_language_changes_visible_texts_at_once(
    make_shell: MakeShell, compiled: Path
) -> None:
    shell = await make_shell()
    flow = shell.flow
    await flow.start()
    sign_in = flow.sign_in
    assert sign_in.title.text() == "Sign in to Messenger"
    flow.show_settings()
    dialog = flow.settings_dialog
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("zh_CN"))
    assert shell.settings.settings.language == "zh_CN"
    # No restart: the open windows say it in Chinese (Qt delivers LanguageChange next turn).
    await until(lambda: sign_in.title.text() == "登录 Messenger", what="Chinese")
    assert sign_in.sign_in_button.text() == "登录(&S)"
    assert sign_in.sign_in_button.accessibleName() == "登录"
    assert dialog.windowTitle() == "设置" and dialog.theme_combo.itemText(0) == "跟随系统"
    flow.banner.set_state("offline")
    assert flow.banner.label.text() == "已离线，正在等待重新连接…"
    assert flow.window.windowTitle() == "Messenger"
    assert flow.window.menuBar().actions()[0].text() == "Messenger(&M)"
    kick = KickDialog("other_device", "", "alice")
    assert kick.heading.text() == "已在其他设备上登录"
    kick.deleteLater()
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    await until(lambda: sign_in.title.text() == "Sign in to Messenger", what="English")
    assert dialog.windowTitle() == "Settings"
    assert flow.banner.label.text() == "Offline. Waiting to reconnect…"


async def test_the_chosen_language_is_used_at_the_next_start(
    make_shell: MakeShell, compiled: Path
) -> None:
    first = await make_shell()
    first.settings.set_language("zh_CN")
    await first.close()
    QApplication.instance()  # the app object stays; a new app instance reads the settings
    again = await make_shell(data=first.data)
    await again.flow.start()
    assert again.flow.sign_in.title.text() == "登录 Messenger"


async def test_a_signed_in_window_switches_too(make_shell: MakeShell, compiled: Path) -> None:
    shell = await make_shell()
    await signed_up(shell, uid("sue"))
    shell.settings.set_language("zh_CN")
    window = shell.flow.window
    await until(lambda: window.menuBar().actions()[0].text() == "Messenger(&M)", what="Chinese")
    assert shell.flow.tray._open_action.text() == "打开 Messenger"
    assert shell.flow.banner.button.text() == "立即重连"


def test_dates_in_the_c_locale_are_written_as_in_english() -> None:
    """With LANG unset or POSIX (the C locale) the app's dates follow English rules; the C
    locale wrote a date as "3 12 2026"."""
    code = (
        "from PySide6.QtCore import QCoreApplication, QDate, QLocale\n"
        "from messenger.ui.i18n import install_language\n"
        "app = QCoreApplication([])\n"
        "install_language(app, 'system')\n"
        "print(QLocale().toString(QDate(2026, 12, 3), QLocale.FormatType.ShortFormat))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "LANG": "C", "LC_ALL": "C", "QT_QPA_PLATFORM": "offscreen"}
    shown = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert shown == "12/3/26"
