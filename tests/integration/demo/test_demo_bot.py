"""The demo account that answers (U6): "dave" replies through the real embedded server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest

from messenger.app.embedded import EmbeddedServer
from messenger.demo.bot import DemoBot
from messenger.demo.data import seed_demo
from messenger.demo.users import DEMO_PASSWORD, DEMO_USERS
from tests.helpers.clients import Device, Devices


@pytest.fixture
async def demo(tmp_path: Path) -> AsyncIterator[tuple[Devices, DemoBot]]:
    """The embedded server with the demo data, dave answering, and a way to open devices."""
    server = EmbeddedServer(tmp_path / "server").start()
    devices = Devices(server.url, tmp_path / "devices")
    bot = DemoBot(
        server.url,
        tmp_path / "bot",
        user_id="dave",
        password=DEMO_PASSWORD,
        names=DEMO_USERS,
        now=lambda: datetime(2025, 6, 3, 14, 5),
    )
    try:
        await seed_demo(server.url, tmp_path / "demo")
        await bot.start()
        yield devices, bot
    finally:
        await bot.aclose()
        await devices.aclose()
        server.stop()


async def signed_in(devices: Devices, user: str) -> Device:
    device = await devices.new(user)
    await device.client.login_with_password(user, DEMO_PASSWORD)
    return device


def texts_from(device: Device, conversation_id: str, sender: str) -> list[str]:
    return [m.text for m in device.added(conversation_id) if m.sender == sender]


async def test_dave_answers_a_direct_message_in_its_language(
    demo: tuple[Devices, DemoBot],
) -> None:
    devices, _ = demo
    alice = await signed_in(devices, "alice")
    await alice.client.send_text("C2Cdave", "what time is it?")
    await devices.until(lambda: texts_from(alice, "C2Cdave", "dave"), what="an answer")
    assert texts_from(alice, "C2Cdave", "dave") == ["It's 14:05 here (Tuesday, 3 June)."]
    await alice.client.send_text("C2Cdave", "你好")
    await devices.until(lambda: len(texts_from(alice, "C2Cdave", "dave")) == 2)
    assert texts_from(alice, "C2Cdave", "dave")[1].startswith("你好，Alice！")


async def test_in_the_group_dave_answers_only_when_mentioned(
    demo: tuple[Devices, DemoBot],
) -> None:
    devices, bot = demo
    bob = await signed_in(devices, "bob")
    await bob.client.send_text("GROUPteam", "just chatting, not for dave")
    await bob.client.send_text("GROUPteam", "@Dave help", mentions=["dave"])
    await devices.until(lambda: texts_from(bob, "GROUPteam", "dave"), what="an answer")
    answers = [m for m in bob.added("GROUPteam") if m.sender == "dave"]
    assert len(answers) == 1 and bot.answered == 1  # the unmentioned one got nothing
    assert answers[0].text.startswith("@Bob 李 I'm Dave, the demo bot")
    assert answers[0].mentions == ("bob",)  # bob's [@me] tells him


async def test_dave_does_not_answer_itself_or_loop(demo: tuple[Devices, DemoBot]) -> None:
    devices, bot = demo
    dave = await signed_in(devices, "dave")  # dave's own second device writes to carol
    carol = await signed_in(devices, "carol")
    await dave.client.send_text("C2Ccarol", "a note from dave's phone")
    await carol.client.send_text("C2Cdave", "hi")
    await devices.until(lambda: texts_from(carol, "C2Cdave", "dave") and bot.answered)
    assert bot.answered == 1  # carol's "hi", not dave's own message
