"""Real core ``Client``s against a test server, and waiting for what their user would see.

Every device records the events its client publishes. ``Devices.until`` re-checks a condition
each time any device publishes an event (and at least every 0.2 s, for server-side state), so
tests wait exactly as long as needed and never sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
import msgspec

from messenger.core import Client, LocalMessage, MessageState
from messenger.core.backoff import Backoff
from messenger.core.clock import Clock, system_clock
from messenger.core.events import Event, MessagesAdded, MessageUpdated
from messenger.protocol import errors
from tests.helpers.ids import uid
from tests.helpers.raw import usersig

E = TypeVar("E")


def fast_backoff() -> Backoff:
    return Backoff(base=0.05, cap=0.5)


def refusal(message: LocalMessage) -> errors.MessengerError:
    """The typed error the server refused a (now FAILED) message of mine with."""
    assert message.state is MessageState.FAILED and message.error is not None
    return errors.error_from_wire(msgspec.to_builtins(message.error))


class Device:
    """One client (its own data directory) and every event it has published."""

    def __init__(self, client: Client, user_id: str, pulse: asyncio.Event) -> None:
        self.client = client
        self.user_id = user_id
        self.events: list[Event] = []
        self._pulse = pulse
        client.subscribe(self._record)

    def _record(self, event: Event) -> None:
        self.events.append(event)
        self._pulse.set()

    @property
    def data_dir(self) -> Path:
        return self.client.data_dir

    def of(self, kind: type[E]) -> list[E]:
        return [e for e in self.events if isinstance(e, kind)]

    def added(self, conversation_id: str) -> list[LocalMessage]:
        """Every message ``MessagesAdded`` announced in the conversation, in event order."""
        return [
            m
            for e in self.of(MessagesAdded)
            if e.conversation_id == conversation_id
            for m in e.messages
        ]

    def updated(self, state: MessageState | None = None) -> list[LocalMessage]:
        """Messages ``MessageUpdated`` announced (only those now in ``state``, if given)."""
        return [
            e.message for e in self.of(MessageUpdated) if state is None or e.message.state is state
        ]

    async def history(self, conversation_id: str, limit: int = 500) -> list[LocalMessage]:
        return await self.client.messages(conversation_id, limit=limit)

    async def texts(self, conversation_id: str, limit: int = 500) -> list[str]:
        """The texts the chat shows (tips left out), oldest first."""
        return [m.text for m in await self.history(conversation_id, limit) if m.kind == "text"]


class Devices:
    """The clients of one test, each in its own folder under ``root``; all closed at the end."""

    def __init__(self, url: str, root: Path) -> None:
        self.url = url
        self.root = root
        self.devices: list[Device] = []
        self._pulse = asyncio.Event()
        self._made = 0

    async def new(
        self,
        user_id: str,
        *,
        data_dir: Path | None = None,
        url: str | None = None,
        clock: Clock = system_clock,
        http_transport: httpx.AsyncBaseTransport | None = None,
    ) -> Device:
        """A started client, not signed in; ``data_dir`` reuses a folder (same device)."""
        self._made += 1
        client = Client(
            url or self.url,
            data_dir or self.root / f"{user_id}-{self._made}",
            backoff=fast_backoff,
            clock=clock,
            http_transport=http_transport,
        )
        await client.start()
        device = Device(client, user_id, self._pulse)
        self.devices.append(device)
        return device

    async def sign_in(self, user_id: str, **kw: Any) -> Device:
        """A new device of ``user_id`` (created on the server if needed), synced."""
        device = await self.new(user_id, **kw)
        await device.client.login(user_id, usersig(user_id))
        return device

    async def friends(self) -> tuple[Device, Device]:
        """Two new users, alice and bob, signed in and friends both ways."""
        alice_id, bob_id = uid("alice"), uid("bob")
        alice = await self.sign_in(alice_id)
        bob = await self.sign_in(bob_id)
        await alice.client.add_friend(bob_id)
        await bob.client.accept_friend_request(alice_id)
        return alice, bob

    async def close(self, device: Device) -> None:
        await device.client.aclose()

    async def reopen(self, device: Device, *, sign_in: bool = True) -> Device:
        """The same device after an app restart: a new client on the same folder."""
        await device.client.aclose()
        again = await self.new(
            device.user_id, data_dir=device.data_dir, url=device.client.server_url
        )
        if sign_in:
            await again.client.login(device.user_id, usersig(device.user_id))
        return again

    async def until(
        self, check: Callable[..., object], *, within: float = 10.0, what: str = ""
    ) -> Any:
        """Wait until ``check()`` (sync or async) is truthy and return its value."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            self._pulse.clear()
            result = check()
            if inspect.isawaitable(result):
                result = await result
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"{what or 'condition'} not reached in {within} s: {result!r}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._pulse.wait(), min(remaining, 0.2))

    async def until_equal(
        self, get: Callable[..., object], expected: object, *, within: float = 10.0
    ) -> None:
        """Wait until ``get()`` equals ``expected``; on failure show the last value seen."""
        last: list[Any] = []

        async def check() -> bool:
            value = get()
            if inspect.isawaitable(value):
                value = await value
            last[:] = [value]
            return bool(value == expected)

        try:
            await self.until(check, within=within)
        except AssertionError:
            raise AssertionError(f"expected {expected!r}, last saw {last[0]!r}") from None

    async def aclose(self) -> None:
        for device in self.devices:
            with contextlib.suppress(Exception):
                await device.client.aclose()
