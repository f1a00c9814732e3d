"""``ask_text``: ask for one line of text without blocking the loop (the box is window-modal
and answers through a callback, like ``confirm``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QWidget


def ask_text(
    parent: QWidget, title: str, label: str, text: str, on_ok: Callable[[str], None]
) -> QInputDialog:
    box = QInputDialog(parent)
    box.setObjectName("AskTextBox")
    box.setWindowTitle(title)
    box.setLabelText(label)
    box.setTextValue(text)
    box.textValueSelected.connect(on_ok)
    box.finished.connect(lambda _: box.deleteLater())
    box.open()
    return box
