"""An opt-in probe for the end-to-end tests: what the windows show, answered over a local socket.

Off unless ``MESSENGER_TEST_PROBE`` names a socket path (Unix only). The tests drive the app with
real input (xdotool) and ask the probe what a person would see: which window shows, where a
control is on the screen, and where each chat bubble was drawn, with the lines of its text.
One JSON object per line each way; an answer has ``ok`` and the fields asked for.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from messenger.app.flow import AppFlow

log = logging.getLogger(__name__)

PROBE_ENV = "MESSENGER_TEST_PROBE"


async def start_probe(flow: AppFlow) -> asyncio.AbstractServer | None:
    path = os.environ.get(PROBE_ENV)
    if not path or not hasattr(asyncio, "start_unix_server"):
        return None
    probe = _Probe(flow)
    server = await asyncio.start_unix_server(probe.serve, path)
    log.info("test probe listening on %s", path)
    return server


def _rect(widget: QWidget, rect: QRect | None = None) -> list[int]:
    """A rectangle of ``widget`` (default: all of it) in screen coordinates: x, y, w, h."""
    area = rect if rect is not None else widget.rect()
    top_left = widget.mapToGlobal(area.topLeft())
    return [top_left.x(), top_left.y(), area.width(), area.height()]


class _Probe:
    def __init__(self, flow: AppFlow) -> None:
        self.flow = flow

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                try:
                    request = json.loads(line)
                    answer = {"ok": True, **self.handle(request)}
                except Exception as exc:  # noqa: BLE001 - told to the test, not raised here
                    answer = {"ok": False, "error": repr(exc)}
                writer.write(json.dumps(answer).encode() + b"\n")
                await writer.drain()
        except (asyncio.CancelledError, ConnectionError):
            pass  # the app quits, or the test went away
        finally:
            writer.close()

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        command = request["cmd"]
        if command == "state":
            return self.state()
        if command == "widget":
            return self.widget(request["path"])
        if command == "conversation":
            return self.conversation(request["id"])
        if command == "bubbles":
            return self.bubbles()
        if command == "screenshot":
            screen = QGuiApplication.primaryScreen()
            return {"saved": screen.grabWindow(0).save(request["path"])}
        if command == "language":
            self.flow.settings.set_language(request["value"])
            return {}
        if command == "quit":
            self.flow.quit()
            return {}
        raise ValueError(f"unknown command {command!r}")

    def state(self) -> dict[str, Any]:
        flow = self.flow
        window = flow.visible_window()
        session = flow.session
        return {
            "window": "main" if window is flow.window else "sign_in",
            "visible": window.isVisible(),
            "window_id": int(window.winId()),
            "frame": _rect(window),
            "user": flow.account.user_id if flow.account is not None else "",
            "connection": session.connection_state if session is not None else "",
            "chat": session.chat.current_conversation_id if session is not None else "",
            "group_panel": bool(
                flow.window.group_panel is not None and flow.window.group_panel.isVisible()
            ),
        }

    def widget(self, path: str) -> dict[str, Any]:
        """A widget by its attribute path from the flow, e.g. ``window.chat_pane.composer.edit``."""
        target: Any = self.flow
        for name in path.split("."):
            target = getattr(target, name)
        if not isinstance(target, QWidget):
            raise TypeError(f"{path} is not a widget")
        return {"rect": _rect(target), "visible": target.isVisible(), "enabled": target.isEnabled()}

    def conversation(self, conversation_id: str) -> dict[str, Any]:
        """Where a conversation's row of the list is on the screen."""
        from messenger.viewmodels.conversation_list import ID_ROLE

        listing = self.flow.window.conversation_list
        if listing is None:
            raise LookupError("not signed in")
        view = listing.list
        model = view.model()
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if index.data(ID_ROLE) == conversation_id:
                return {"rect": _rect(view.viewport(), view.visualRect(index))}
        raise LookupError(f"{conversation_id} is not in the list")

    def bubbles(self) -> dict[str, Any]:
        """Every chat row in view: its rectangle, its bubble's, the lines of text drawn, and
        the height its layout wants at the current width (all in viewport coordinates)."""
        pane = self.flow.window.chat_pane
        if pane is None:
            raise LookupError("not signed in")
        view = pane.view
        viewport = view.viewport()
        delegate: Any = view.itemDelegate()
        model = view.model()
        rows = []
        for position in range(model.rowCount()):
            index = model.index(position, 0)
            rect = view.visualRect(index)
            if rect.isEmpty() or not rect.intersects(viewport.rect()):
                continue
            geometry = delegate.geometry(index)
            if geometry is None:
                continue
            bubble = geometry.bubble.translated(rect.topLeft().toPointF())
            rows.append(
                {
                    "key": model.row(position).key if hasattr(model, "row") else str(position),
                    "row": [rect.x(), rect.y(), rect.width(), rect.height()],
                    "bubble": [bubble.x(), bubble.y(), bubble.width(), bubble.height()],
                    "wanted_height": geometry.height,
                    "lines": _lines(geometry.text),
                }
            )
        return {"viewport": [viewport.width(), viewport.height()], "rows": rows}


def _lines(text: Any) -> list[str]:
    """The text of each drawn line (a ``QTextLayout``, or several)."""
    if text is None:
        return []
    layouts = text if isinstance(text, list | tuple) else [text]
    lines: list[str] = []
    for layout in layouts:
        whole = layout.text()
        for n in range(layout.lineCount()):
            line = layout.lineAt(n)
            lines.append(whole[line.textStart() : line.textStart() + line.textLength()])
    return lines
