"""Screenshots of the app shell, offscreen: sign-in window, settings, banner, kick dialog, tray
badge; in light and dark, English and Simplified Chinese. For looking at what was built.

    QT_QPA_PLATFORM=offscreen python scripts/shell_screenshots.py OUT_DIR
        [--themes light,dark] [--languages en,zh_CN] [--only signin,settings,...]

Files are named ``<window>-<theme>[-zh_CN].png`` (English has no suffix), the windows being
signin, signin-nokeyring, settings, banner-offline, banner-connecting, kick-other_device,
kick-banned; plus tray-badges.png. ``--only`` picks some of them (default: all).

No server is needed: the windows are shown with stand-in view-model inputs. Chinese needs the
compiled translations (``make install``) and a CJK font on the machine (fonts-noto-cjk on
Debian and Ubuntu); ``make screenshots`` takes care of both.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from messenger.app.qt_compat import pin_singletons_if_needed

pin_singletons_if_needed()

from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtGui import QColor, QPainter, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from messenger.ui.connection_banner import ConnectionBanner  # noqa: E402
from messenger.ui.fonts import prefer_cjk_font  # noqa: E402
from messenger.ui.i18n import LANGUAGES, install_language  # noqa: E402
from messenger.ui.kick_dialog import KickDialog  # noqa: E402
from messenger.ui.main_window import MainWindow  # noqa: E402
from messenger.ui.settings_dialog import SettingsDialog  # noqa: E402
from messenger.ui.sign_in_dialog import SignInDialog  # noqa: E402
from messenger.ui.theme import apply_theme  # noqa: E402
from messenger.ui.tray import app_icon  # noqa: E402
from messenger.viewmodels.accounts import SavedAccount, SignInForm, SignInViewModel  # noqa: E402
from messenger.viewmodels.settings import (  # noqa: E402
    AccountSettingsViewModel,
    Settings,
    SettingsViewModel,
)


class StandInAuthenticator:
    def __init__(self, storage: str) -> None:
        self.storage = storage

    def saved_accounts(self) -> list[SavedAccount]:
        return [
            SavedAccount("local|alice", "", "alice", "password", True),
            SavedAccount(
                "https://im.example.com|bob", "https://im.example.com", "bob", "usersig", False
            ),
        ]

    def secret_storage(self) -> str:
        return self.storage

    def keyring_problem(self) -> str:
        return "no keyring backend is installed or running"

    def use_file_store(self, enabled: bool) -> None:
        self.storage = "file" if enabled else "memory"

    def forget(self, key: str) -> None:
        pass

    async def sign_in(self, form: SignInForm) -> object:
        return None

    async def sign_up(self, form: SignInForm) -> object:
        return None


class StandInStorage:
    async def size(self) -> int:
        return 12_345_678

    async def clear(self) -> None:
        pass


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


class Shooter:
    """Saves ``<name>-<tag>.png`` of the windows asked for; keeps every window until closed."""

    def __init__(self, app: QApplication, out: Path, tag: str, only: set[str]) -> None:
        self.app, self.out, self.tag, self.only = app, out, tag, only
        self.widgets: list[QWidget] = []

    def __call__(self, name: str, widget: QWidget) -> None:
        self.widgets.append(widget)
        if name in self.only:
            widget.show()
            settle(self.app)
            path = self.out / f"{name}-{self.tag}.png"
            widget.grab().save(str(path))
            print(path)

    def close_all(self) -> None:
        for widget in dict.fromkeys(self.widgets):
            widget.close()
            widget.deleteLater()
        settle(self.app)


WINDOWS = (
    "signin",
    "signin-nokeyring",
    "settings",
    "banner-offline",
    "banner-connecting",
    "kick-other_device",
    "kick-banned",
    "tray-badges",
)


def main(out: Path, themes: list[str], languages: list[str], only: set[str]) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    prefer_cjk_font(app)
    for theme in themes:
        for language in languages:
            apply_theme(app, theme)
            if not install_language(app, language):
                raise SystemExit(f"no compiled {language} translation: run `make install` first")
            settle(app)
            tag = theme if language == "en" else f"{theme}-{language}"
            shoot = Shooter(app, out, tag, only)

            signin = SignInDialog(SignInViewModel(StandInAuthenticator("keyring")))
            shoot("signin", signin)
            no_keyring_vm = SignInViewModel(StandInAuthenticator("memory"))
            no_keyring = SignInDialog(no_keyring_vm)
            no_keyring.select_account("")
            no_keyring_vm.show_error(no_keyring_vm.tr("Wrong user ID or password."))
            shoot("signin-nokeyring", no_keyring)

            settings = SettingsDialog(SettingsViewModel(Settings(), lambda _s: None))
            account = AccountSettingsViewModel("alice", "", StandInStorage())
            account._cache_size = 12_345_678  # what refresh_cache_size would find
            settings.bind_account(account)
            shoot("settings", settings)

            window = MainWindow()
            window.resize(900, 190)  # the banner over the rail, no empty page below
            banner = ConnectionBanner(grace_ms=0)
            window.set_banner(banner)
            banner.set_state("offline")
            shoot("banner-offline", window)
            banner.set_state("connecting")
            shoot("banner-connecting", window)

            for reason in ("other_device", "banned"):
                kick = KickDialog(reason, "this session has ended (other_device)", "alice", None)
                shoot(f"kick-{reason}", kick)
            shoot.close_all()
    if "tray-badges" in only:
        badges = QPixmap(QSize(5 * 72, 72) * 2)
        badges.setDevicePixelRatio(2)
        badges.fill(QColor("#808080"))
        painter = QPainter(badges)
        for i, count in enumerate((0, 1, 9, 42, 120)):
            painter.drawPixmap(i * 72 + 4, 4, app_icon(count).pixmap(QSize(64, 64), 2.0))
        painter.end()
        badges.save(str(out / "tray-badges.png"))
        print(out / "tray-badges.png")
    return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path("screenshots"))
    parser.add_argument("--themes", default="light,dark", help="comma-separated: light,dark")
    parser.add_argument("--languages", default="en,zh_CN", help="comma-separated: en,zh_CN")
    parser.add_argument("--only", default=",".join(WINDOWS), help="comma-separated windows")
    args = parser.parse_args(argv)
    args.themes = [t for t in args.themes.split(",") if t]
    args.languages = [x for x in args.languages.split(",") if x]
    args.only = {w for w in args.only.split(",") if w}
    if not set(args.themes) <= {"light", "dark"}:
        parser.error("--themes takes light and/or dark")
    if not set(args.languages) <= set(LANGUAGES):
        parser.error(f"--languages takes {', '.join(LANGUAGES)}")
    if not args.only <= set(WINDOWS):
        parser.error(f"--only takes {', '.join(WINDOWS)}")
    return args


if __name__ == "__main__":
    options = parse_args(sys.argv[1:])
    raise SystemExit(main(options.out, options.themes, options.languages, options.only))
