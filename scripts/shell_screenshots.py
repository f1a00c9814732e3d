"""Screenshots of the app shell, offscreen: sign-in window, settings, banner, kick dialog, tray
badge; in light and dark, English and Simplified Chinese. For looking at what was built.

    QT_QPA_PLATFORM=offscreen python scripts/shell_screenshots.py OUT_DIR

No server is needed: the windows are shown with stand-in view-model inputs. Chinese needs a
CJK font on the machine (e.g. fonts-wqy-microhei or fonts-noto-cjk on Linux).
"""

from __future__ import annotations

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
from messenger.ui.i18n import install_language  # noqa: E402
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


def shoot(app: QApplication, widget: QWidget, path: Path) -> None:
    widget.show()
    settle(app)
    widget.grab().save(str(path))
    print(path)


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    for theme in ("light", "dark"):
        for language in ("en", "zh_CN"):
            apply_theme(app, theme)
            install_language(app, language)
            settle(app)
            tag = f"{theme}-{language}"

            signin = SignInDialog(SignInViewModel(StandInAuthenticator("keyring")))
            shoot(app, signin, out / f"signin-{tag}.png")
            no_keyring_vm = SignInViewModel(StandInAuthenticator("memory"))
            no_keyring = SignInDialog(no_keyring_vm)
            no_keyring.select_account("")
            no_keyring_vm.show_error(no_keyring_vm.tr("Wrong user ID or password."))
            shoot(app, no_keyring, out / f"signin-nokeyring-{tag}.png")

            settings = SettingsDialog(SettingsViewModel(Settings(), lambda _s: None))
            account = AccountSettingsViewModel("alice", "", StandInStorage())
            account._cache_size = 12_345_678  # what refresh_cache_size would find
            settings.bind_account(account)
            shoot(app, settings, out / f"settings-{tag}.png")

            window = MainWindow()
            window.resize(900, 420)
            banner = ConnectionBanner(grace_ms=0)
            window.set_banner(banner)
            banner.set_state("offline")
            shoot(app, window, out / f"banner-offline-{tag}.png")
            banner.set_state("connecting")
            shoot(app, window, out / f"banner-connecting-{tag}.png")

            for reason in ("other_device", "banned"):
                kick = KickDialog(reason, "this session has ended (other_device)", "alice", None)
                shoot(app, kick, out / f"kick-{reason}-{tag}.png")
            for widget in (signin, no_keyring, settings, window):
                widget.close()
                widget.deleteLater()
            settle(app)
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


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")))
