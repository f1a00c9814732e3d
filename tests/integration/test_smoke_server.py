from __future__ import annotations

from messenger.protocol import frames
from tests.helpers.ids import uid
from tests.helpers.raw import RawDevice
from tests.helpers.server import ServerProcess


async def test_c2c_message_reaches_peer_and_own_other_device(
    server: ServerProcess, raw_devices: list[RawDevice]
) -> None:
    alice, bob = uid("alice"), uid("bob")
    a1 = await RawDevice(server.url, alice).sign_in()
    a2 = await RawDevice(server.url, alice).sign_in()
    b1 = await RawDevice(server.url, bob).sign_in()
    raw_devices += [a1, a2, b1]
    for d in (a1, a2, b1):
        await d.connect(since=0)
    rid = await a1.ws_send("C2C" + bob, "hello bob")
    ack = await a1.next_of(frames.Ack)
    assert ack.id == rid and ack.message.seq == 1
    got_b = await b1.changes(1)
    got_a2 = await a2.changes(1)
    assert got_b[0].message.body == {"text": "hello bob"}
    assert got_a2[0].message.message_id == ack.message.message_id
