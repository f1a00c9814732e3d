"""Other users' names: fetched from the server once, then shown from the store, offline too."""

from __future__ import annotations

from collections.abc import Callable

from messenger.core.events import ProfilesChanged
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.helpers.server import ServerProcess


async def test_a_fetched_nickname_is_kept_for_offline_and_for_the_next_launch(
    devices: Devices, own_server: Callable[..., ServerProcess]
) -> None:
    server = own_server()
    bob_id = uid("bob")
    bob = await devices.new(bob_id, url=server.url)
    await bob.client.register(bob_id, "secret-pw", "Bob <b>Builder</b>")
    alice = await devices.sign_in(uid("alice"), url=server.url)

    assert await alice.client.cached_profiles([bob_id]) == {}  # nothing known yet
    fetched = await alice.client.fetch_profiles([bob_id, uid("nobody")])
    assert {k: p.nickname for k, p in fetched.items()} == {bob_id: "Bob <b>Builder</b>"}
    [event] = alice.of(ProfilesChanged)
    assert [p.user_id for p in event.profiles] == [bob_id]

    # Fresh enough: answered from the store, no new event.
    await alice.client.fetch_profiles([bob_id], max_age_ms=60_000)
    assert len(alice.of(ProfilesChanged)) == 1

    server.kill()
    again = await devices.reopen(alice, sign_in=False)
    await again.client.resume(alice.user_id, "stale-token")
    cached = await again.client.cached_profiles([bob_id])
    assert cached[bob_id].nickname == "Bob <b>Builder</b>"
    offline = await again.client.fetch_profiles([bob_id])  # the server is gone: the store answers
    assert offline[bob_id].nickname == "Bob <b>Builder</b>"


async def test_a_changed_nickname_is_announced_once(devices: Devices) -> None:
    carol_id = uid("carol")
    alice = await devices.sign_in(uid("alice"))
    await devices.sign_in(carol_id)  # nickname defaults to the ID

    first = await alice.client.fetch_profiles([carol_id])
    assert first[carol_id].nickname == carol_id
    await alice.client.fetch_profiles([carol_id])  # refetched, unchanged: no second event
    assert [[p.user_id for p in e.profiles] for e in alice.of(ProfilesChanged)] == [[carol_id]]
