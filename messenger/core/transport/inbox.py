"""Frames read ahead of the listener, with consecutive ``changes`` frames merged.

Applying a ``changes`` frame takes a trip to the store's thread. Under a burst (a busy group,
a peer pasting hundreds of messages) frames arrive faster than one trip per frame allows, so
the socket is read by a task of its own while the listener works: what piled up meanwhile is
handed over as one frame (one store transaction, one event batch, one repaint). When frames
come one at a time nothing waits: each goes out as soon as it is read. A merged frame holds at
most ``MAX_MERGED`` changes, so no single batch keeps the GUI busy for long. At most ``limit``
frames wait; beyond that reading pauses and TCP flow control slows the server (which drops a
device that stays too slow, to resync it later).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterable, Callable

from messenger.protocol.frames import Changes, ServerFrame

LIMIT = 1024
MAX_MERGED = 256  # changes per merged frame


class FrameInbox:
    def __init__(
        self,
        source: AsyncIterable[str | bytes],
        decode: Callable[[str | bytes], ServerFrame],
        limit: int = LIMIT,
        max_merged: int = MAX_MERGED,
    ) -> None:
        self._source = source
        self._decode = decode
        self._limit = limit
        self._max_merged = max_merged
        self._frames: deque[ServerFrame] = deque()
        self._arrived = asyncio.Event()
        self._room = asyncio.Event()
        self._room.set()
        self._reader: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self._source:
                while len(self._frames) >= self._limit:
                    self._room.clear()
                    await self._room.wait()
                self._frames.append(self._decode(raw))
                self._arrived.set()
        finally:
            self._arrived.set()

    async def next(self) -> ServerFrame | None:
        """The next frame (consecutive ``changes`` merged); None once the socket has closed.
        The reader's error (a closed connection, a frame that does not decode) is raised here,
        after every frame read before it."""
        assert self._reader is not None, "start() first"
        while not self._frames:
            if self._reader.done():
                self._reader.result()  # raises what ended the reading
                return None
            self._arrived.clear()
            await self._arrived.wait()
        frame = self._frames.popleft()
        if isinstance(frame, Changes):
            frame = self._merge(frame)
        self._room.set()
        return frame

    def _merge(self, first: Changes) -> Changes:
        frames = self._frames
        if not frames or not isinstance(frames[0], Changes):
            return first
        changes = list(first.changes)
        while frames:
            following = frames[0]
            if not isinstance(following, Changes) or following.catchup != first.catchup:
                break
            if len(changes) + len(following.changes) > self._max_merged:
                break
            changes.extend(following.changes)
            frames.popleft()
        return Changes(changes=changes, catchup=first.catchup)

    async def aclose(self) -> None:
        if self._reader is not None and not self._reader.done():
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - closing anyway
                pass
