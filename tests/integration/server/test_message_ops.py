"""Message operations on the bare protocol: refused cases for every endpoint (another user's
chat, a group one is not in, a plain member doing an owner's action, a logged-out token), each
checking that nothing changed, and the limits (edit window, emoji, reactions per message,
bundle size) with their typed errors."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from messenger.protocol import api, errors
from tests.helpers.authz import nothing_changes, refuses
from tests.helpers.ids import uid
from tests.helpers.raw import Make, RawDevice
from tests.helpers.server import SDK_APP_ID, SECRET_KEY, ServerProcess


@pytest.fixture(scope="module")
def tight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server whose ``server.toml`` allows edits for 1 ms and two emoji per message."""
    data = tmp_path_factory.mktemp("tight-ops")
    (data / "server.toml").write_text(
        f'sdk_app_id = {SDK_APP_ID}\nsecret_key = "{SECRET_KEY}"\n\n'
        "[limits]\nedit_window_ms = 1\nreactions_per_message = 2\n",
        "utf-8",
    )
    proc = ServerProcess(data).start()
    yield proc
    proc.stop()


ROUTES = (
    "edit_message",
    "delete_for_me",
    "react",
    "create_bundle",
    "get_bundle",
    "conversation_pins",
    "pin_in_conversation",
    "unpin_in_conversation",
)


async def _pair(make: Make) -> tuple[RawDevice, RawDevice, RawDevice, str, str]:
    """alice and bob with one message of alice in their chat, and carol, a stranger to it;
    returns the chat (as alice sees it) and the message ID."""
    a = await make(uid("alice"))
    b = await make(uid("bob"))
    c = await make(uid("carol"))
    message = await a.send("C2C" + b.user_id, "hello bob")
    return a, b, c, "C2C" + b.user_id, message.message_id


@refuses(*ROUTES)
@pytest.mark.parametrize("route", ROUTES)
async def test_a_logged_out_token_is_refused(make: Make, route: str) -> None:
    a, b, _c, conv, message_id = await _pair(make)
    gone = RawDevice(a.url, a.user_id, "old-device")
    await gone.sign_in()
    await gone.call("logout")
    endpoint = api.BY_NAME[route]
    path = {"conversation_id": conv, "message_id": message_id}
    async with nothing_changes(a, b):
        response = await gone.http.request(
            endpoint.method,
            endpoint.url(**{p: path[p] for p in endpoint.path_params}),
            json={},
            headers={"Authorization": f"Bearer {gone.token}"},
        )
        assert response.status_code == 401
        assert response.json()["name"] == "session_revoked"
    await gone.aclose()


@refuses("edit_message")
async def test_only_the_sender_edits_and_only_text(make: Make) -> None:
    a, b, c, conv, message_id = await _pair(make)
    async with nothing_changes(a, b, c):
        with pytest.raises(errors.NotEditable):  # bob edits alice's message in their chat
            await b.call(
                "edit_message",
                body={"text": "forged"},
                conversation_id="C2C" + a.user_id,
                message_id=message_id,
            )
        with pytest.raises(errors.NotFound):  # carol's chat with bob has no such message
            await c.call(
                "edit_message",
                body={"text": "forged"},
                conversation_id="C2C" + b.user_id,
                message_id=message_id,
            )
        with pytest.raises(errors.MessageTooLarge):
            await a.call(
                "edit_message",
                body={"text": "x" * 13_000},
                conversation_id=conv,
                message_id=message_id,
            )
    edited = await a.call(
        "edit_message", body={"text": "hello, bob"}, conversation_id=conv, message_id=message_id
    )
    assert edited.body == {"text": "hello, bob"} and edited.edit_time > 0
    [seen] = (await b.history("C2C" + a.user_id)).messages
    assert seen.body == {"text": "hello, bob"} and seen.edit_time == edited.edit_time


async def test_the_edit_window_is_configurable(tight: ServerProcess) -> None:
    a = await RawDevice(tight.url, uid("alice")).sign_in()
    b = await RawDevice(tight.url, uid("bob")).sign_in()
    assert a.login.limits.edit_window_ms == 1
    message = await a.send("C2C" + b.user_id, "too late to change")
    with pytest.raises(errors.EditWindowExpired) as caught:
        await a.call(
            "edit_message",
            body={"text": "changed"},
            conversation_id="C2C" + b.user_id,
            message_id=message.message_id,
        )
    assert caught.value.details["window_ms"] == 1
    [kept] = (await b.history("C2C" + a.user_id)).messages
    assert kept.body == {"text": "too late to change"} and kept.edit_time == 0
    await a.aclose()
    await b.aclose()


@refuses("delete_for_me")
async def test_delete_for_me_touches_only_my_own_view(make: Make) -> None:
    a, b, c, conv, message_id = await _pair(make)
    async with nothing_changes(a, b, c):
        with pytest.raises(errors.NotFound):  # not in carol's chat with bob
            await c.call(
                "delete_for_me",
                body={"message_ids": [message_id]},
                conversation_id="C2C" + b.user_id,
            )
        with pytest.raises(errors.MessageNotFound):  # one unknown ID: nothing is deleted
            await a.call(
                "delete_for_me",
                body={"message_ids": [message_id, "nope"]},
                conversation_id=conv,
            )
        with pytest.raises(errors.InvalidParameter):  # more than 100 at once
            await a.call("delete_for_me", body={"message_ids": ["x"] * 101}, conversation_id=conv)
    done = await b.call(
        "delete_for_me", body={"message_ids": [message_id]}, conversation_id="C2C" + a.user_id
    )
    assert done.deleted == 1
    [gone] = (await b.history("C2C" + a.user_id)).messages
    assert gone.deleted and gone.body == {}
    [kept] = (await a.history(conv)).messages
    assert not kept.deleted and kept.body == {"text": "hello bob"}


@refuses("react")
async def test_reactions_need_a_message_one_sees_and_an_emoji(make: Make) -> None:
    a, b, c, conv, message_id = await _pair(make)
    async with nothing_changes(a, b, c):
        with pytest.raises(errors.NotFound):
            await c.call(
                "react",
                body={"emoji": "👍"},
                conversation_id="C2C" + b.user_id,
                message_id=message_id,
            )
        for bad in ("ok", "👍 ", "1", "<b>", "\u0000"):
            with pytest.raises(errors.InvalidParameter):
                await b.call(
                    "react",
                    body={"emoji": bad},
                    conversation_id="C2C" + a.user_id,
                    message_id=message_id,
                )
    for emoji in ("👍", "🇨🇳", "1️⃣", "👩🏽‍💻"):
        await b.call(
            "react", body={"emoji": emoji}, conversation_id="C2C" + a.user_id, message_id=message_id
        )
    [seen] = (await a.history(conv)).messages
    assert [r.emoji for r in seen.reactions] == ["👍", "🇨🇳", "1️⃣", "👩🏽‍💻"]


async def test_a_message_carries_a_limited_number_of_different_emoji(
    tight: ServerProcess,
) -> None:
    a = await RawDevice(tight.url, uid("alice")).sign_in()
    b = await RawDevice(tight.url, uid("bob")).sign_in()
    conv = "C2C" + b.user_id
    message = await a.send(conv, "vote")
    target = {"conversation_id": conv, "message_id": message.message_id}
    for emoji in ("👍", "👎"):
        await a.call("react", body={"emoji": emoji}, **target)
    with pytest.raises(errors.TooManyReactions):
        await a.call("react", body={"emoji": "🤷"}, **target)
    # the same emoji again is fine (bob adds himself to 👍)
    again = await b.call(
        "react",
        body={"emoji": "👍"},
        conversation_id="C2C" + a.user_id,
        message_id=message.message_id,
    )
    assert [(r.emoji, r.users) for r in again.reactions] == [
        ("👍", [a.user_id, b.user_id]),
        ("👎", [a.user_id]),
    ]
    await a.aclose()
    await b.aclose()


@refuses("create_bundle", "get_bundle")
async def test_bundles_hold_only_what_their_maker_sees_and_open_for_its_readers(
    make: Make,
) -> None:
    a, b, c, conv, message_id = await _pair(make)
    ref = {"conversation_id": conv, "message_id": message_id}
    async with nothing_changes(a, b, c):
        with pytest.raises(errors.NotFound):  # carol cannot bundle alice's words
            await c.call(
                "create_bundle",
                body={"messages": [{**ref, "conversation_id": "C2C" + b.user_id}]},
            )
        with pytest.raises(errors.InvalidParameter):
            await a.call("create_bundle", body={"messages": []})
    bundle = await a.call("create_bundle", body={"messages": [ref]})
    assert bundle.count == 1 and bundle.preview == [f"{a.user_id}: hello bob"]
    card = {"title": "History", "bundle_id": bundle.bundle_id}
    async with nothing_changes(a, b, c):
        with pytest.raises(errors.BundleNotFound):  # carol cannot send a card of alice's bundle
            await c.call(
                "send",
                body={"client_msg_id": uuid.uuid4().hex, "kind": "merged", "body": card},
                conversation_id="C2C" + a.user_id,
            )
    sent = await a.call(
        "send",
        body={
            "client_msg_id": uuid.uuid4().hex,
            "kind": "merged",
            "body": {**card, "preview": ["forged: words"], "count": 99},
        },
        conversation_id=conv,
    )
    assert sent.body["count"] == 1 and sent.body["preview"] == [f"{a.user_id}: hello bob"]
    opened = await b.call(
        "get_bundle", conversation_id="C2C" + a.user_id, message_id=sent.message_id
    )
    assert [m.body for m in opened.messages] == [{"text": "hello bob"}]
    async with nothing_changes(a, b, c):
        with pytest.raises(errors.BundleNotFound):
            await c.call(
                "get_bundle", conversation_id="C2C" + b.user_id, message_id=sent.message_id
            )
        with pytest.raises(errors.BundleNotFound):  # a plain message is no bundle
            await b.call("get_bundle", conversation_id="C2C" + a.user_id, message_id=message_id)
        with pytest.raises(errors.BundleNotFound):  # nor is a bundle not inside this card
            await b.call(
                "get_bundle",
                conversation_id="C2C" + a.user_id,
                message_id=sent.message_id,
                query={"bundle_id": "0" * 32},
            )


@refuses("conversation_pins", "pin_in_conversation", "unpin_in_conversation")
async def test_pins_follow_the_group_rules_and_stay_in_their_conversation(make: Make) -> None:
    owner = await make(uid("owner"))
    member = await make(uid("member"))
    outsider = await make(uid("outsider"))
    group = await owner.call("create_group", body={"name": "team", "members": [member.user_id]})
    gconv = "GROUP" + group.group_id
    message = await owner.send(gconv, "the rules")
    async with nothing_changes(owner, member, outsider):
        with pytest.raises(errors.PermissionDenied):  # a plain member (group rules)
            await member.call(
                "pin_in_conversation",
                body={"message_id": message.message_id},
                conversation_id=gconv,
            )
        with pytest.raises(errors.NotMember):
            await outsider.call("conversation_pins", conversation_id=gconv)
        with pytest.raises(errors.NotMember):
            await outsider.call(
                "unpin_in_conversation", conversation_id=gconv, message_id=message.message_id
            )
    pins = await owner.call(
        "pin_in_conversation", body={"message_id": message.message_id}, conversation_id=gconv
    )
    assert pins.pinned == [message.message_id]
    async with nothing_changes(owner, member, outsider):
        with pytest.raises(errors.PermissionDenied):
            await member.call(
                "unpin_in_conversation", conversation_id=gconv, message_id=message.message_id
            )
    assert (await member.call("conversation_pins", conversation_id=gconv)).pinned == [
        message.message_id
    ]
    # C2C: a message of another chat cannot be pinned here
    a, b, c, _conv, message_id = await _pair(make)
    await c.send("C2C" + b.user_id, "hi, I am carol")  # carol's own chat with bob exists
    async with nothing_changes(a, b, c):
        with pytest.raises(errors.MessageNotFound):
            await c.call(
                "pin_in_conversation",
                body={"message_id": message_id},
                conversation_id="C2C" + b.user_id,
            )
    assert (await c.call("conversation_pins", conversation_id="C2C" + b.user_id)).pinned == []
