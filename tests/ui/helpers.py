"""Waiting in UI tests: the loop keeps running (Qt and asyncio) while a condition is checked."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt

STEP = 0.01  # seconds between checks


async def until(check: Callable[..., object], *, within: float = 10.0, what: str = "") -> Any:
    """Wait until ``check()`` (sync or async) is truthy and return its value."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    last: Any = None
    while True:
        last = check()
        if inspect.isawaitable(last):
            last = await last
        if last:
            return last
        if loop.time() > deadline:
            raise AssertionError(
                f"{what or 'condition'} not reached in {within} s (last: {last!r})"
            )
        await asyncio.sleep(STEP)


async def settle(rounds: int = 3) -> None:
    """Let already-queued work (events, callbacks) run; for asserting that nothing happens
    after an action whose effects would be immediate."""
    for _ in range(rounds):
        await asyncio.sleep(0)


def column(model: QAbstractItemModel, role: int = Qt.ItemDataRole.DisplayRole) -> list[Any]:
    """The model's values of one role, top to bottom."""
    return [model.index(r, 0, QModelIndex()).data(role) for r in range(model.rowCount())]


async def sent(device: Any, conversation_id: str, text: str, **kw: Any) -> Any:
    """Send with the device's client and wait until the server has it; the stored message."""
    from messenger.core import MessageState

    echo = await device.client.send_text(conversation_id, text, **kw)

    def stored() -> Any:
        for message in device.updated(MessageState.SENT):
            if message.client_msg_id == echo.client_msg_id:
                return message
        return None

    return await until(stored, what=f"{text!r} is sent")


async def open_chat(window: Any, conversation_id: str) -> None:
    """Open a conversation the way a click on its row does, and wait until it is shown."""
    chat = window.session.chat
    window.open_conversation(conversation_id)
    await until(
        lambda: chat.current_conversation_id == conversation_id and not chat._loading,
        what=f"{conversation_id} is open",
    )


def chat_rows(window: Any) -> list[Any]:
    """The chat's rows (``MessageRow``), top to bottom."""
    from messenger.viewmodels.message_list import ROW_ROLE

    return column(window.session.chat.messages, ROW_ROLE)


def chat_texts(window: Any) -> list[str]:
    return [row.text for row in chat_rows(window)]


async def flood(device: Any, conversation_id: str, count: int, prefix: str = "m") -> None:
    """Send ``count`` messages ("m0", "m1", …) and wait until the server has them all."""
    from messenger.core import MessageState

    last = None
    for n in range(count):
        last = await device.client.send_text(conversation_id, f"{prefix}{n}")
    assert last is not None

    def done() -> bool:
        return any(m.client_msg_id == last.client_msg_id for m in device.updated(MessageState.SENT))

    await until(done, within=60, what=f"{count} messages are sent")


def left_release(point: Any) -> Any:
    """A left button's release at ``point`` (a QPoint of the receiving widget): a click."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QMouseEvent

    return QMouseEvent(
        QMouseEvent.Type.MouseButtonRelease,
        QPointF(point),
        QPointF(point),
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )


async def open_merged_card(window: Any) -> Any:
    """Click the open chat's (only) merged-forward card; its viewer once it shows."""
    [card] = await until(
        lambda: [r for r in chat_rows(window) if r.card == "merged"], what="the card"
    )
    pane = window.chat_pane
    before = pane.merged_viewer
    pane.view.action_clicked.emit("merged", card.key)
    return await until(
        lambda: pane.merged_viewer is not before and pane.merged_viewer, what="the viewer"
    )


def viewer_texts(viewer: Any) -> list[str]:
    """The texts of a merged-forward viewer's rows, top to bottom."""
    return [viewer.model.row(i).text for i in range(viewer.model.rowCount())]
