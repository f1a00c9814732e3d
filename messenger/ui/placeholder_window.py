"""A plain window until the desktop app lands: the conversation list and the connection state.

Every text from the network is shown as plain text (QListWidget items never render rich text).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QListWidget, QMainWindow, QVBoxLayout, QWidget

from messenger.core.models import Conversation


def conversation_line(conv: Conversation) -> str:
    name = conv.group_name or conv.target
    preview = conv.last_message.text if conv.last_message is not None else ""
    badge = f"  ({conv.badge})" if conv.badge else ""
    mention = "[@me] " if conv.mention else ""
    pin = "📌 " if conv.pinned else ""
    return f"{pin}{name}{badge}\n    {mention}{preview[:80]}"


class PlaceholderWindow(QMainWindow):
    def __init__(self, title: str) -> None:
        super().__init__()
        self.setWindowTitle(title)
        self.resize(420, 560)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.status = QLabel("Connecting…", body)
        self.status.setAccessibleName("Connection state")
        self.list = QListWidget(body)
        self.list.setAccessibleName("Conversations")
        layout.addWidget(self.status)
        layout.addWidget(self.list)
        self.setCentralWidget(body)

    def show_conversations(self, conversations: list[Conversation]) -> None:
        self.list.clear()
        for conv in conversations:
            self.list.addItem(conversation_line(conv))

    def show_state(self, text: str) -> None:
        self.status.setText(text)
