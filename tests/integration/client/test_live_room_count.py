"""A live room's online count, pushed by the server: real clients join, leave and go offline,
and another member's client learns the new count without asking for it."""

from __future__ import annotations

import asyncio
import itertools
import time

from messenger.core.events import GroupOnlineChanged
from messenger.protocol import frames
from messenger.protocol.models import GroupType
from tests.helpers.clients import Device, Devices
from tests.helpers.ids import uid
from tests.helpers.raw import Make, usersig
from tests.integration.client.test_groups import RecordingTransport


def counts(device: Device, group_id: str) -> list[int]:
    return [e.online for e in device.of(GroupOnlineChanged) if e.group_id == group_id]


def last_count(device: Device, group_id: str) -> int | None:
    seen = counts(device, group_id)
    return seen[-1] if seen else None


async def test_the_count_follows_joins_departures_and_disconnects_without_polling(
    devices: Devices,
) -> None:
    asked = RecordingTransport()
    host_id, bob_id, carol_id = uid("host"), uid("bob"), uid("carol")
    host = await devices.new(host_id, http_transport=asked)
    await host.client.login(host_id, usersig(host_id))
    room = await host.client.create_group("Live", type=GroupType.AVCHATROOM)
    gid = room.group_id

    bob = await devices.sign_in(bob_id)
    await bob.client.join_group(gid)
    await devices.until_equal(lambda: last_count(host, gid), 2)
    await devices.until_equal(lambda: last_count(bob, gid), 2)

    carol = await devices.sign_in(carol_id)
    await carol.client.join_group(gid)
    await devices.until_equal(lambda: last_count(host, gid), 3)

    await devices.close(carol)  # her only device goes offline: she is still a member
    await devices.until_equal(lambda: last_count(host, gid), 2)
    await devices.until_equal(lambda: last_count(bob, gid), 2)

    await bob.client.quit_group(gid)
    await devices.until_equal(lambda: last_count(host, gid), 1)
    assert not [r for r in asked.requests if r.url.path.endswith("/online")], "it polled"
    assert counts(host, gid) == [2, 3, 2, 1], "one frame per change, none repeating a count"


async def test_a_burst_of_viewers_arriving_is_told_at_most_once_a_second(make: Make) -> None:
    host = await make(uid("host"), connect=True)
    room = await host.call("create_group", body={"name": "Live", "type": "AVChatRoom"})
    gid = room.group_id
    viewers = [await make(uid("view")) for _ in range(6)]
    for viewer in viewers:  # members first, still offline: nobody online to count but the host
        await viewer.call("join_group", body={}, group_id=gid)
    first = await host.wait_for(lambda f: isinstance(f, frames.GroupOnline))
    assert isinstance(first, frames.GroupOnline) and first.online == 1

    await asyncio.gather(*(v.connect() for v in viewers))
    told: list[tuple[float, int]] = []
    while not told or told[-1][1] < 7:
        frame = await host.wait_for(lambda f: isinstance(f, frames.GroupOnline), within=10)
        assert isinstance(frame, frames.GroupOnline) and frame.group_id == gid
        told.append((time.monotonic(), frame.online))
    assert len(told) < len(viewers), f"not coalesced: {told}"
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(told)]
    assert all(gap > 0.5 for gap in gaps), f"more than one frame a second: {told}"
