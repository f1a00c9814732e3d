"""Drafts: local first, follow me to my other devices, and the newest edit always wins."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from messenger.core import ConnectionState
from messenger.core.events import DraftChanged
from tests.helpers.clients import Device, Devices
from tests.helpers.ids import uid
from tests.helpers.server import ServerProcess


def remote_drafts(device: Device) -> list[tuple[str, str]]:
    return [(e.conversation_id, e.text) for e in device.of(DraftChanged) if e.remote]


async def offline(devices: Devices, *targets: Device) -> None:
    for device in targets:
        await devices.until(
            lambda d=device: d.client.connection_state is not ConnectionState.CONNECTED,
            what="the device notices the server is gone",
        )


async def test_a_draft_set_on_one_device_appears_on_the_other(devices: Devices) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    await devices.sign_in(bob_id)
    phone = await devices.sign_in(alice_id)
    laptop = await devices.sign_in(alice_id)
    chat = "C2C" + bob_id

    await phone.client.set_draft(chat, "see you at")
    await devices.until_equal(lambda: remote_drafts(laptop), [(chat, "see you at")])
    assert await laptop.client.draft(chat) == "see you at"
    [listed] = await laptop.client.conversations()  # a draft alone lists the conversation
    assert (listed.conversation_id, listed.draft_text) == (chat, "see you at")

    await laptop.client.set_draft(chat, "see you at noon")
    await devices.until_equal(lambda: remote_drafts(phone), [(chat, "see you at noon")])
    await laptop.client.set_draft(chat, "")
    await devices.until_equal(lambda: phone.client.draft(chat), "")
    assert remote_drafts(laptop) == [(chat, "see you at")]  # my own edits come back as nothing


async def test_an_older_edit_never_overwrites_a_newer_one(
    devices: Devices, own_server: Callable[..., ServerProcess]
) -> None:
    server = own_server()
    alice_id, bob_id = uid("alice"), uid("bob")
    await devices.sign_in(bob_id, url=server.url)
    phone = await devices.sign_in(alice_id, url=server.url)
    laptop = await devices.sign_in(alice_id, url=server.url)
    chat = "C2C" + bob_id

    # Both edit while the server is away: the laptop first, the phone a little later.
    server.kill()
    await offline(devices, phone, laptop)
    await laptop.client.set_draft(chat, "older edit")
    older = laptop.of(DraftChanged)[-1].edit_time
    await asyncio.sleep(max(0.0, (older + 1) / 1000 - time.time()))  # a millisecond later
    await phone.client.set_draft(chat, "newer edit")
    assert phone.of(DraftChanged)[-1].edit_time > older
    await asyncio.to_thread(server.start)

    # Whichever device reconnects first, the newer edit ends up everywhere.
    for device in (phone, laptop):
        await devices.until_equal(lambda d=device: d.client.draft(chat), "newer edit")
    assert (chat, "newer edit") in remote_drafts(laptop)
    assert (chat, "older edit") not in remote_drafts(phone)
    again = await devices.sign_in(alice_id, url=server.url)  # and on the server
    assert await again.client.draft(chat) == "newer edit"


async def test_a_draft_survives_a_restart_without_the_server(
    devices: Devices, own_server: Callable[..., ServerProcess]
) -> None:
    server = own_server()
    alice_id, bob_id = uid("alice"), uid("bob")
    await devices.sign_in(bob_id, url=server.url)
    phone = await devices.sign_in(alice_id, url=server.url)
    laptop = await devices.sign_in(alice_id, url=server.url)
    chat = "C2C" + bob_id
    token = phone.client.session_token
    assert token is not None

    server.kill()
    await offline(devices, phone)
    await phone.client.set_draft(chat, "written on the train")
    phone = await devices.reopen(phone, sign_in=False)
    await phone.client.resume(alice_id, token)  # the app starts again, still offline

    assert await phone.client.draft(chat) == "written on the train"
    [listed] = await phone.client.conversations()
    assert listed.draft_text == "written on the train"

    await asyncio.to_thread(server.start)  # saved on the server once it is back
    await devices.until_equal(lambda: laptop.client.draft(chat), "written on the train")
    assert remote_drafts(laptop) == [(chat, "written on the train")]
