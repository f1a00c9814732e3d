"""A device's frames leave in the order they were pushed, whether written directly into the socket
or queued while the socket cannot take them (flow control) or the device is still catching up."""

from __future__ import annotations

import asyncio

import pytest

from messenger.protocol import frames
from messenger.server.hub import Connection, Hub


class FakeSocket:
    """The socket seen by a Connection: a synchronous ``write`` that may refuse, and the slower
    ``send`` that waits until the socket can take the frame."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.writable = True
        self.can_send = asyncio.Event()
        self.can_send.set()
        self.closed: tuple[int, str] | None = None

    def write(self, text: str) -> bool:
        if not self.writable:
            return False
        self.out.append(text)
        return True

    async def send(self, text: str) -> None:
        await self.can_send.wait()
        self.out.append(text)

    async def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)


def connection(sock: FakeSocket, queue_limit: int = 100) -> Connection:
    return Connection(
        user_id="u",
        device_id="d",
        token_hash="t",
        expires_at=0,
        send_text=sock.send,
        close=sock.close,
        queue_limit=queue_limit,
        write=sock.write,
    )


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_live_device_is_written_to_directly_without_a_task() -> None:
    sock = FakeSocket()
    conn = connection(sock)
    conn.go_live(0)
    conn.push(1, "a")
    conn.push(0, "ack")
    conn.push(2, "b")
    assert sock.out == ["a", "ack", "b"]  # at once, synchronously
    assert conn._task is None
    assert conn.sent_version == 2


async def test_changes_wait_while_catching_up_and_the_covered_ones_are_skipped() -> None:
    sock = FakeSocket()
    conn = connection(sock)
    conn.push(5, "v5")  # arrives while the catch-up runs
    conn.push(0, "ack")
    conn.push(7, "v7")
    assert sock.out == []
    conn.go_live(5)  # the catch-up covered up to 5
    await settle()
    assert sock.out == ["ack", "v7"]
    conn.push(4, "covered")  # the catch-up sent it already
    conn.push(8, "v8")
    assert sock.out == ["ack", "v7", "v8"]


async def test_a_change_from_another_node_is_delivered_even_after_a_newer_one() -> None:
    """Several writers commit out of version order: 6 arrives after 7 and must still go out
    (only what the catch-up covered is skipped)."""
    sock = FakeSocket()
    conn = connection(sock)
    conn.push(3, "v3")  # queued during the catch-up
    conn.go_live(2)
    await settle()
    conn.push(7, "v7")
    conn.push(6, "v6")
    conn.push(2, "covered")
    assert sock.out == ["v3", "v7", "v6"]
    assert conn.sent_version == 7


async def test_frames_keep_their_order_when_the_socket_pushes_back() -> None:
    sock = FakeSocket()
    conn = connection(sock)
    conn.go_live(0)
    conn.push(1, "1")
    sock.writable = False  # flow control: the transport is paused
    sock.can_send.clear()
    conn.push(2, "2")
    conn.push(0, "ack")
    await settle()  # the drain task took "2" and waits for the socket
    sock.writable = True  # writable again, but "2" is still on its way: no overtaking
    conn.push(3, "3")
    assert sock.out == ["1"]
    sock.can_send.set()
    await settle()
    assert sock.out == ["1", "2", "ack", "3"]
    assert conn._task is None  # the drain task ends once the queue is empty
    conn.push(4, "4")
    assert sock.out[-1] == "4"  # and direct writes resume


@pytest.mark.expected_log("messenger.server.hub", r"dropping slow device")
async def test_a_device_that_falls_too_far_behind_is_closed() -> None:
    sock = FakeSocket()
    sock.writable = False
    sock.can_send.clear()
    conn = connection(sock, queue_limit=3)
    conn.go_live(0)
    for v in range(1, 10):
        conn.push(v, str(v))
    await settle()
    assert conn.closed
    assert sock.closed == (frames.CLOSE_TOO_SLOW, "too slow")


async def test_without_a_direct_path_frames_go_through_the_queue() -> None:
    sock = FakeSocket()
    conn = Connection(
        user_id="u",
        device_id="d",
        token_hash="t",
        expires_at=0,
        send_text=sock.send,
        close=sock.close,
        queue_limit=10,
    )
    conn.go_live(0)
    conn.push(1, "a")
    conn.push(2, "b")
    await settle()
    assert sock.out == ["a", "b"]


async def test_the_hub_pushes_one_text_to_every_device_but_the_origin() -> None:
    hub = Hub()
    socks = [FakeSocket() for _ in range(3)]
    conns = [connection(s) for s in socks]
    for c in conns:
        c.user_id = "alice" if c is not conns[2] else "bob"
        hub.register(c)
        c.go_live(0)
    delivered = hub.push(["alice", "bob", "nobody"], "hi", version=3, exclude=conns[0])
    assert delivered == 2
    assert [s.out for s in socks] == [[], ["hi"], ["hi"]]
    await conns[1].stop()
