"""Reading frames ahead of the listener: merged bursts, order, errors, a bounded backlog."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from messenger.core.transport.inbox import FrameInbox
from messenger.protocol.frames import Changes, Pong, decode_server_frame, encode

from .factories import message, message_change


def changes(*versions: int, catchup: bool = False) -> str:
    frame = Changes(
        changes=[message_change(message(seq=v), v=v) for v in versions], catchup=catchup
    )
    return encode(frame).decode()


def pong(n: int) -> str:
    return encode(Pong(id=n, server_time=0)).decode()


class Source:
    """Raw frames as a socket gives them; counts what was taken; can fail at the end."""

    def __init__(self, raws: list[str], error: BaseException | None = None) -> None:
        self.raws = raws
        self.error = error
        self.taken = 0

    async def __aiter__(self) -> AsyncIterator[str]:
        for raw in self.raws:
            self.taken += 1
            yield raw
            await asyncio.sleep(0)
        if self.error is not None:
            raise self.error


def versions(frame: object) -> list[int] | str:
    if isinstance(frame, Changes):
        return [c.v for c in frame.changes]
    return type(frame).__name__


async def drain(inbox: FrameInbox) -> list[list[int] | str]:
    seen = []
    while (frame := await inbox.next()) is not None:
        seen.append(versions(frame))
    return seen


async def test_what_piled_up_comes_as_one_frame_without_crossing_other_frames() -> None:
    source = Source([changes(1), changes(2), pong(1), changes(3), changes(4, catchup=True)])
    inbox = FrameInbox(source, decode_server_frame)
    inbox.start()
    await asyncio.sleep(0.01)  # everything has been read before the listener asks
    assert await drain(inbox) == [[1, 2], "Pong", [3], [4]]


async def test_a_merged_frame_stays_small_enough_for_one_smooth_batch() -> None:
    source = Source([changes(n) for n in range(1, 8)])
    inbox = FrameInbox(source, decode_server_frame, max_merged=3)
    inbox.start()
    await asyncio.sleep(0.01)
    assert await drain(inbox) == [[1, 2, 3], [4, 5, 6], [7]]


async def test_a_frame_at_a_time_is_handed_over_at_once() -> None:
    source = Source([changes(1), changes(2)])
    inbox = FrameInbox(source, decode_server_frame)
    inbox.start()
    first = await inbox.next()
    assert versions(first) == [1]  # no waiting for a batch to fill
    assert await drain(inbox) == [[2]]


async def test_the_error_that_ended_reading_comes_after_every_frame_read_before_it() -> None:
    source = Source([changes(1), pong(2)], error=ConnectionResetError("gone"))
    inbox = FrameInbox(source, decode_server_frame)
    inbox.start()
    assert versions(await inbox.next()) == [1]
    assert versions(await inbox.next()) == "Pong"
    with pytest.raises(ConnectionResetError):
        await inbox.next()


async def test_reading_pauses_while_the_backlog_is_full() -> None:
    source = Source([pong(n) for n in range(10)])
    inbox = FrameInbox(source, decode_server_frame, limit=3)
    inbox.start()
    await asyncio.sleep(0.05)
    assert source.taken <= 4  # 3 waiting, 1 in hand: the rest stays in the socket
    assert len(await drain(inbox)) == 10
    await inbox.aclose()
