"""Other users' names: fetched from the server once, then shown from the store, offline too."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx

from messenger.core.events import ProfilesChanged
from tests.helpers.clients import Devices
from tests.helpers.ids import uid
from tests.helpers.raw import usersig
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


def _create_users(url: str, user_ids: list[str]) -> None:
    with httpx.Client(base_url=url, timeout=30) as http:
        for user_id in user_ids:
            body = {"user_id": user_id, "user_sig": usersig(user_id), "device_id": "d1"}
            http.post("/v1/auth/login", json=body).raise_for_status()


async def test_the_names_of_many_users_arrive_in_a_few_requests_within_the_request_rate(
    devices: Devices, own_server: Callable[..., ServerProcess]
) -> None:
    # One request per second for each user (after a burst of 20): a request per profile would
    # leave most of these 250 names unknown.
    server = own_server(
        env={
            "MESSENGER_USER_REQUEST_RATE": "1",
            "MESSENGER_USER_REQUEST_BURST": "20",
            "MESSENGER_IP_SIGN_IN_RATE": "1000",
            "MESSENGER_IP_SIGN_IN_BURST": "1000",
        }
    )
    others = [uid(f"u{i}") for i in range(250)]
    _create_users(server.url, others)
    alice = await devices.sign_in(uid("alice"), url=server.url)

    # Three callers at once (the list, a chat, the contacts page) share the requests.
    first, second, third = await asyncio.gather(
        alice.client.fetch_profiles(others[:200]),
        alice.client.fetch_profiles(others[100:]),
        alice.client.fetch_profiles([*others[:10], uid("nobody"), "not a valid id!"]),
    )

    assert sorted(first) == sorted(others[:200])
    assert sorted(second) == sorted(others[100:])
    assert sorted(third) == sorted(others[:10])  # unknown and invalid IDs left out
    cached = await alice.client.cached_profiles(others)
    assert {u: p.nickname for u, p in cached.items()} == {u: u for u in others}
