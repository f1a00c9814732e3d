"""The kick-out dialog (A3): why this device was signed out, in words, then back to sign-in."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QStyle,
    QVBoxLayout,
    QWidget,
)

OTHER_DEVICE, USERSIG_EXPIRED, BANNED, SIGNED_OUT, ENDED = (
    "other_device",
    "usersig_expired",
    "banned",
    "signed_out",
    "ended",
)
_REVOKED_BECAUSE = re.compile(r"\((\w+)\)\s*$")


def kick_reason(reason: str, message: str = "") -> str:
    """The reason a user can be told, from the core's kick (a push or a refused session)."""
    if reason in ("session_revoked", "session_invalid"):
        found = _REVOKED_BECAUSE.search(message)  # "this session has ended (other_device)"
        reason = found.group(1) if found else reason
    return {
        "other_device": OTHER_DEVICE,
        "usersig_expired": USERSIG_EXPIRED,
        "banned": BANNED,
        "account_banned": BANNED,
        "logged_out": SIGNED_OUT,
    }.get(reason, ENDED)


class KickDialog(QDialog):
    """Shown when the server ends the session; accepting it returns to the sign-in window."""

    def __init__(
        self, reason: str, message: str, user_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("KickDialog")
        self.reason = kick_reason(reason, message)
        self.user_id = user_id
        self.server_message = message
        self.setWindowModality(Qt.WindowModality.WindowModal)
        icon = QLabel(self)
        style = self.style()
        icon.setPixmap(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(48))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.text = QLabel(self)
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # the user ID is not ours to render
        self.text.setWordWrap(True)
        self.details = QLabel(self)
        self.details.setTextFormat(Qt.TextFormat.PlainText)  # the server's words, untrusted
        self.details.setWordWrap(True)
        self.details.setEnabled(False)
        self.details.setVisible(bool(message))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        self.buttons.accepted.connect(self.accept)
        words = QVBoxLayout()
        words.addWidget(self.heading)
        words.addWidget(self.text)
        words.addWidget(self.details)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(words, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        user = self.user_id
        heading, text = {
            OTHER_DEVICE: (
                self.tr("Signed in on another device"),
                self.tr(
                    "{user} signed in on another device, so this one was signed out. "
                    "Sign in again to use it here."
                ),
            ),
            USERSIG_EXPIRED: (
                self.tr("Your sign-in has expired"),
                self.tr("The UserSig of {user} has expired. Sign in again to go on."),
            ),
            BANNED: (
                self.tr("This account is banned"),
                self.tr("The server's administrator has banned {user}."),
            ),
            SIGNED_OUT: (
                self.tr("Signed out"),
                self.tr("{user} was signed out of this device."),
            ),
        }.get(
            self.reason,
            (
                self.tr("Signed out"),
                self.tr("The server ended the session of {user}. Sign in again to go on."),
            ),
        )
        self.setWindowTitle(heading)
        self.heading.setText(heading)
        self.text.setText(text.format(user=user))
        self.details.setText(self.tr("Server message: {text}").format(text=self.server_message))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Sign in again"))
        ok.setAccessibleName(ok.text())
        self.setAccessibleName(heading)
