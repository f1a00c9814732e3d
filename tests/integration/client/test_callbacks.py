"""Callbacks to the operator's service (S5), with a real HTTP receiver on loopback and real
clients: a refused message or join reaches the user as ``RefusedByCallback`` with the service's
reason and changes nothing; allowed ones go through and are reported after commit; every call
is signed; a failing or slow service follows ``callback_on_failure``."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from messenger.core import MessageState
from messenger.protocol import errors
from messenger.protocol.models import GroupType, JoinOption
from tests.helpers.callback_service import callback_env, callback_service
from tests.helpers.clients import Devices, refusal
from tests.helpers.ids import uid
from tests.helpers.raw import RawDevice
from tests.helpers.server import ServerProcess

OwnServer = Callable[..., ServerProcess]


def _no_swearing(document: dict[str, object]) -> str | None:
    body = document.get("body")
    text = body.get("text", "") if isinstance(body, dict) else ""
    return "that word is not allowed here" if "darn" in str(text) else None


async def test_a_refused_message_fails_with_the_services_reason_and_nobody_gets_it(
    devices: Devices, own_server: OwnServer
) -> None:
    async with callback_service() as service:
        service.decide = _no_swearing
        server = own_server(env=callback_env(service))
        alice_id, bob_id = uid("alice"), uid("bob")
        alice = await devices.sign_in(alice_id, url=server.url)
        bob = await devices.sign_in(bob_id, url=server.url)
        conv = "C2C" + bob_id

        await alice.client.send_text(conv, "darn it")
        await alice.client.send_text(conv, "hello there")

        await devices.until(
            lambda: [m.text for m in bob.added("C2C" + alice_id)] == ["hello there"]
        )
        failed = await devices.until(lambda: alice.updated(MessageState.FAILED))
        assert [m.text for m in failed] == ["darn it"]
        error = refusal(failed[0])
        assert isinstance(error, errors.RefusedByCallback)
        assert error.message == "that word is not allowed here"
        assert error.details["event"] == "before_send"

        asked = service.of("before_send")
        assert [c.document["body"]["text"] for c in asked] == ["darn it", "hello there"]
        assert all(c.signed for c in asked)
        assert asked[0].document["sender"] == alice_id and asked[0].document["to"] == bob_id
        told = await service.wait_for("after_send")
        assert [c.document["message"]["body"]["text"] for c in told] == ["hello there"]
        assert told[0].document["message"]["seq"] >= 1 and told[0].signed
        assert await bob.texts("C2C" + alice_id) == ["hello there"]


async def test_a_refused_join_is_a_typed_error_and_the_user_stays_outside(
    devices: Devices, own_server: OwnServer
) -> None:
    async with callback_service() as service:
        service.decide = lambda d: (
            "no newcomers today" if d["user_id"].startswith("carol") else None
        )
        server = own_server(env=callback_env(service))
        owner = await devices.sign_in(uid("owner"), url=server.url)
        carol = await devices.sign_in(uid("carol"), url=server.url)
        dave = await devices.sign_in(uid("dave"), url=server.url)
        group = await owner.client.create_group(
            "Open", type=GroupType.PUBLIC, join_option=JoinOption.FREE
        )

        with pytest.raises(errors.RefusedByCallback) as refused:
            await carol.client.join_group(group.group_id)
        assert refused.value.message == "no newcomers today"
        joined = await dave.client.join_group(group.group_id)
        assert joined.status.value == "joined"

        members = await owner.client.members(group.group_id)
        names = {m.user_id for m in members.members}
        assert dave.user_id in names and carol.user_id not in names
        asked = service.of("before_join")
        assert [c.document["user_id"] for c in asked] == [carol.user_id, dave.user_id]
        assert all(c.signed and c.document["group_id"] == group.group_id for c in asked)


async def test_a_friend_request_is_reported_after_it_is_made(
    devices: Devices, own_server: OwnServer
) -> None:
    async with callback_service() as service:
        server = own_server(env=callback_env(service))
        alice = await devices.sign_in(uid("alice"), url=server.url)
        bob = await devices.sign_in(uid("bob"), url=server.url)

        result = await alice.client.add_friend(bob.user_id, note="we met at the fair")

        (call,) = await service.wait_for("after_friend_request")
        assert call.signed
        assert call.document["from"] == alice.user_id and call.document["to"] == bob.user_id
        assert call.document["note"] == "we met at the fair"
        assert call.document["result"] == result


async def test_a_slow_service_lets_messages_through_by_default(
    devices: Devices, own_server: OwnServer
) -> None:
    async with callback_service() as service:
        service.delay = 2.0
        server = own_server(env=callback_env(service, timeout_ms="200"))
        alice_id, bob_id = uid("alice"), uid("bob")
        alice = await devices.sign_in(alice_id, url=server.url)
        bob = await devices.sign_in(bob_id, url=server.url)

        await alice.client.send_text("C2C" + bob_id, "still here")

        await devices.until(lambda: bob.added("C2C" + alice_id))
        assert [m.text for m in bob.added("C2C" + alice_id)] == ["still here"]
        async with httpx.AsyncClient() as http:
            metrics = (await http.get(server.url + "/metrics")).text
        assert 'messenger_callbacks_total{event="before_send",outcome="failed"} 1.0' in metrics


async def test_a_failing_service_with_refuse_policy_holds_messages_until_it_recovers(
    devices: Devices, own_server: OwnServer
) -> None:
    async with callback_service() as service:
        service.status = 500
        server = own_server(env=callback_env(service, on_failure="refuse"))
        alice_id, bob_id = uid("alice"), uid("bob")
        alice = await devices.sign_in(alice_id, url=server.url)
        bob = await devices.sign_in(bob_id, url=server.url)
        raw = await RawDevice(server.url, alice_id).sign_in()
        try:
            with pytest.raises(errors.CallbackUnavailable):
                await raw.send("C2C" + bob_id, "not now")
        finally:
            await raw.aclose()

        await alice.client.send_text("C2C" + bob_id, "kept in the outbox")
        await service.wait_for("before_send", count=3)  # refused once more: still pending
        assert not alice.updated(MessageState.FAILED)
        service.status = 200

        await devices.until(lambda: bob.added("C2C" + alice_id), within=20)
        assert [m.text for m in bob.added("C2C" + alice_id)] == ["kept in the outbox"]

        async def sent() -> bool:
            mine = await alice.history("C2C" + bob_id)
            return [(m.text, m.state) for m in mine] == [("kept in the outbox", MessageState.SENT)]

        await devices.until(sent)
