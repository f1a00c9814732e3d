"""File messages of a conversation go out in the order they were written, even when their
uploads finish in another order (a big file before a small photo): a message whose upload is
done waits for the earlier ones still uploading, and goes as soon as they are sent or have
failed. Text never waits for files (it is not held). After a restart the account queues the
messages still held again, in the order written (``Account.restore_order``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

Release = Callable[[str], Awaitable[None]]


class InOrder:
    def __init__(self, release: Release) -> None:
        self._release = release
        self._queues: dict[str, list[str]] = {}  # conversation → held messages, oldest first
        self._ready: set[str] = set()

    def add(self, conversation_id: str, client_msg_id: str) -> None:
        """A held message whose file starts uploading now."""
        self._queues.setdefault(conversation_id, []).append(client_msg_id)

    async def done(self, conversation_id: str, client_msg_id: str) -> None:
        """Its upload completed: send it, once every earlier one has gone."""
        queue = self._queues.get(conversation_id, [])
        if client_msg_id not in queue:
            await self._release(client_msg_id)
            return
        self._ready.add(client_msg_id)
        await self._drain(conversation_id)

    async def dropped(self, conversation_id: str, client_msg_id: str) -> None:
        """Its upload failed or was cancelled: the ones after it wait no more for it."""
        queue = self._queues.get(conversation_id, [])
        if client_msg_id in queue:
            queue.remove(client_msg_id)
            self._ready.discard(client_msg_id)
            await self._drain(conversation_id)

    async def _drain(self, conversation_id: str) -> None:
        queue = self._queues.get(conversation_id, [])
        while queue and queue[0] in self._ready:
            head = queue.pop(0)
            self._ready.discard(head)
            await self._release(head)
        if not queue:
            self._queues.pop(conversation_id, None)
