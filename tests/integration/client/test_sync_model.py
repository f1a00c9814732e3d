"""A model-based test of sync (hypothesis state machine): real core clients on the real server.

Two users, alice on two devices and bob on one, with a C2C chat and a group. Random interleavings
of sends, sends the outbox must resend (the server down when they are written, or killed while
they are on the wire), recalls, reads, drafts, hides, clears, new groups, bob leaving a group and
being added back, a device closing and reopening (an app restart on the same folder) and server
restarts. After every step each open device's store
must come to what the server says is true for its user: the same visible conversations with the
same last seq, read cursor, unread count, cleared seq and draft, and the same messages (IDs, seqs,
recalled or not) after the cleared seq: nothing lost, nothing twice, order kept.

``make test`` runs a few short derandomized programs; ``MESSENGER_SYNC_PROGRAMS`` runs more.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from messenger.protocol import errors
from tests.helpers.clients import Device, Devices
from tests.helpers.ids import uid
from tests.helpers.raw import RawDevice
from tests.helpers.server import ServerProcess

PROGRAMS = int(os.environ.get("MESSENGER_SYNC_PROGRAMS", "3"))
STEPS = int(os.environ.get("MESSENGER_SYNC_STEPS", "12"))
CONVERGE_SECONDS = 20.0

texts = st.sampled_from(["hi", "hello there", "你好", "ok", "😀", "a longer line of text"])


def _untouched(last_seq: int, draft: str) -> bool:
    """A C2C chat with no message and no draft of mine: the server no longer lists one (a peer's
    draft does not reveal itself), while a device may still hold one whose draft it cleared."""
    return last_seq == 0 and not draft


async def server_truth(raw: RawDevice) -> dict[str, Any]:
    """What the server says this user should see: visible conversations and their messages."""
    listed = await raw.call("conversations")
    truth: dict[str, Any] = {}
    for s in listed.conversations:
        state = s.state
        if s.last_seq <= state.hidden_seq or _untouched(s.last_seq, state.draft_text):
            continue
        page = await raw.history(state.conversation_id, limit=100)
        shown = [
            (m.message_id, m.seq, m.recalled)
            for m in sorted(page.messages, key=lambda m: m.seq)
            if m.seq > state.cleared_seq
        ]
        truth[state.conversation_id] = {
            "last_seq": s.last_seq,
            "read_seq": state.read_seq,
            "unread": state.unread_count,
            "cleared_seq": state.cleared_seq,
            "draft": state.draft_text,
            "messages": shown,
        }
    return truth


async def device_view(device: Device) -> dict[str, Any]:
    """The same, as the device's store has it."""
    view: dict[str, Any] = {}
    for c in await device.client.conversations():
        if c.hidden or _untouched(c.last_seq, c.draft_text):
            continue
        stored = await device.client.messages(c.conversation_id, limit=100)
        shown = [
            (m.message_id, m.seq, m.recalled)
            for m in sorted(stored, key=lambda m: m.seq)
            if m.seq > c.cleared_seq and m.message_id
        ]
        view[c.conversation_id] = {
            "last_seq": c.last_seq,
            "read_seq": c.read_seq,
            "unread": c.unread_count,
            "cleared_seq": c.cleared_seq,
            "draft": c.draft_text,
            "messages": shown,
        }
    return view


class SyncModel(RuleBasedStateMachine):
    server: ServerProcess
    root: Path

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.devices = Devices(self.server.url, self.root / uid("run"))
        self.users = (uid("alice"), uid("bob"))
        self.open: dict[str, Device] = {}  # slot → open device
        self.closed: dict[str, Device] = {}  # slot → device closed (its folder kept)
        self.raw: dict[str, RawDevice] = {}
        self.conversations: dict[str, list[str]] = {}
        self.left: list[str] = []  # groups bob left (alice may add him back)

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    @initialize()
    def start(self) -> None:
        alice, bob = self.users

        async def setup() -> None:
            for slot, user in (("alice1", alice), ("alice2", alice), ("bob", bob)):
                self.open[slot] = await self.devices.sign_in(user)
            for user in self.users:
                self.raw[user] = await RawDevice(self.server.url, user).sign_in()
            group = await self.open["alice1"].client.create_group("team", [bob])
            common = ["GROUP" + group.group_id]
            self.conversations = {alice: ["C2C" + bob, *common], bob: ["C2C" + alice, *common]}

        self.run(setup())

    def teardown(self) -> None:
        async def close() -> None:
            await self.devices.aclose()
            for raw in self.raw.values():
                await raw.aclose()

        self.run(close())
        self.loop.close()

    # -- actions ----------------------------------------------------------------------------------
    def _device(self, data: st.DataObject) -> Device:
        return self.open[data.draw(st.sampled_from(sorted(self.open)), label="device")]

    def _conversation(self, data: st.DataObject, device: Device) -> str:
        return data.draw(st.sampled_from(self.conversations[device.user_id]), label="conversation")

    @precondition(lambda self: self.open)
    @rule(data=st.data(), text=texts)
    def send(self, data: st.DataObject, text: str) -> None:
        device = self._device(data)
        self.run(device.client.send_text(self._conversation(data, device), text))

    @precondition(lambda self: self.open)
    @rule(data=st.data())
    def recall_my_last(self, data: st.DataObject) -> None:
        device = self._device(data)
        conv = self._conversation(data, device)

        async def recall() -> None:
            mine = [
                m
                for m in await device.client.messages(conv, limit=20)
                if m.sender == device.user_id and m.message_id and not m.recalled
            ]
            if mine:
                try:
                    await device.client.recall(conv, mine[-1].message_id)
                except errors.MessengerError:
                    pass  # (a window passed, a network hiccup: the model checks the outcome)

        self.run(recall())

    @precondition(lambda self: self.open)
    @rule(data=st.data())
    def read(self, data: st.DataObject) -> None:
        device = self._device(data)
        self.run(device.client.mark_read(self._conversation(data, device)))

    @precondition(lambda self: self.open)
    @rule(data=st.data(), text=st.sampled_from(["", "draft", "另一个草稿"]))
    def draft(self, data: st.DataObject, text: str) -> None:
        device = self._device(data)
        self.run(device.client.set_draft(self._conversation(data, device), text))

    @precondition(lambda self: self.open)
    @rule(data=st.data())
    def hide(self, data: st.DataObject) -> None:
        device = self._device(data)
        self.run(device.client.hide(self._conversation(data, device)))

    @precondition(lambda self: self.open)
    @rule(data=st.data())
    def clear(self, data: st.DataObject) -> None:
        device = self._device(data)
        self.run(device.client.clear_history(self._conversation(data, device)))

    @precondition(lambda self: self.open)
    @rule(data=st.data(), text=texts)
    def send_while_the_server_is_down(self, data: st.DataObject, text: str) -> None:
        """Written while the server is away: the outbox sends it once the server is back."""
        device = self._device(data)
        conv = self._conversation(data, device)
        self.server.stop()
        self.run(device.client.send_text(conv, text))
        self.server.start()

    @precondition(lambda self: self.open)
    @rule(data=st.data(), text=texts)
    def server_killed_while_sending(self, data: st.DataObject, text: str) -> None:
        """SIGKILL with messages on the wire (stored or not, acknowledged or not): the outbox
        resends, and the server keeps each message once."""
        device = self._device(data)
        conv = self._conversation(data, device)

        async def burst() -> None:
            for n in range(3):
                await device.client.send_text(conv, f"{text} {n}")
            await asyncio.sleep(0.01)

        self.run(burst())
        self.server.restart(hard=True)

    @precondition(lambda self: "bob" in self.open and len(self.conversations[self.users[1]]) > 2)
    @rule(data=st.data())
    def bob_leaves_a_group(self, data: st.DataObject) -> None:
        bob = self.users[1]
        groups = [c for c in self.conversations[bob][2:] if c.startswith("GROUP")]
        conv = data.draw(st.sampled_from(groups), label="group left")
        self.run(self.open["bob"].client.quit_group(conv.removeprefix("GROUP")))
        self.conversations[bob].remove(conv)
        self.left.append(conv)

    @precondition(lambda self: self.left and ("alice1" in self.open or "alice2" in self.open))
    @rule(data=st.data())
    def alice_adds_bob_back(self, data: st.DataObject) -> None:
        device = self.open.get("alice1") or self.open["alice2"]
        conv = data.draw(st.sampled_from(self.left), label="group rejoined")
        self.run(device.client.add_members(conv.removeprefix("GROUP"), [self.users[1]]))
        self.left.remove(conv)
        self.conversations[self.users[1]].append(conv)

    @precondition(lambda self: "alice1" in self.open or "alice2" in self.open)
    @rule()
    def new_group(self) -> None:
        device = self.open.get("alice1") or self.open["alice2"]
        bob = self.users[1]
        group = self.run(device.client.create_group("more", [bob]))
        for user in self.users:
            self.conversations[user].append("GROUP" + group.group_id)

    @precondition(lambda self: len(self.open) > 1)
    @rule(data=st.data())
    def close_device(self, data: st.DataObject) -> None:
        slot = data.draw(st.sampled_from(sorted(self.open)), label="closing")
        device = self.open.pop(slot)
        self.run(self.devices.close(device))
        self.closed[slot] = device

    @precondition(lambda self: self.closed)
    @rule(data=st.data())
    def reopen_device(self, data: st.DataObject) -> None:
        slot = data.draw(st.sampled_from(sorted(self.closed)), label="reopening")
        device = self.closed.pop(slot)
        self.open[slot] = self.run(self.devices.reopen(device))

    @rule()
    def restart_server(self) -> None:
        self.server.restart()

    # -- the property -------------------------------------------------------------------------------
    @invariant()
    def every_open_device_converges(self) -> None:
        if not self.raw:
            return

        async def check() -> None:
            for device in list(self.open.values()):
                raw = self.raw[device.user_id]
                last: list[Any] = []

                async def same(
                    device: Device = device, raw: RawDevice = raw, last: list[Any] = last
                ) -> bool:
                    truth, view = await server_truth(raw), await device_view(device)
                    last[:] = [truth, view]
                    return bool(truth == view)

                try:
                    await self.devices.until(same, within=CONVERGE_SECONDS)
                except AssertionError:
                    truth, view = last
                    raise AssertionError(
                        f"{device.user_id}'s device did not converge:\n"
                        f"server: {truth}\ndevice: {view}"
                    ) from None

        self.run(check())


@pytest.fixture
def model_server(tmp_path: Path) -> Iterator[ServerProcess]:
    # The checks ask the server for everything after every step: more than a user's own rate.
    limits = {"MESSENGER_USER_REQUEST_RATE": "2000", "MESSENGER_USER_REQUEST_BURST": "20000"}
    proc = ServerProcess(tmp_path / "server", "--sqlite-synchronous", "NORMAL", env=limits)
    proc.start()
    yield proc
    proc.kill()


@pytest.mark.timeout(3600)
def test_every_device_converges_to_the_server(model_server: ServerProcess, tmp_path: Path) -> None:
    SyncModel.server = model_server
    SyncModel.root = tmp_path
    run_state_machine_as_test(
        SyncModel,
        settings=settings(
            max_examples=PROGRAMS,
            stateful_step_count=STEPS,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        ),
    )
