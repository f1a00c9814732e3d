"""Groups: members, what outsiders can (not) do, history of a member who joined late."""

from __future__ import annotations

import httpx
import pytest

from messenger.core import MessageState
from messenger.core.events import GroupChanged, MessagesAdded
from messenger.protocol import errors
from messenger.protocol.models import GroupRole, UpdateGroupRequest
from tests.helpers.clients import Device, Devices, refusal
from tests.helpers.ids import uid
from tests.helpers.media import png


class RecordingTransport(httpx.AsyncBaseTransport):
    """The real HTTP transport, remembering every request the client makes."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()

    def history_requests(self) -> list[str]:
        return [str(r.url) for r in self.requests if r.url.path.endswith("/messages")]


async def test_a_group_is_created_members_are_added_and_listed(devices: Devices) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    carol = await devices.sign_in(carol_id)

    group = await alice.client.create_group("Project", [bob_id])
    assert (group.name, group.owner, group.member_count) == ("Project", alice_id, 2)
    await devices.until(lambda: bob.of(GroupChanged), what="bob learns of the group")
    added = await alice.client.add_members(group.group_id, [carol_id])
    assert added.member_count == 3

    page = await bob.client.members(group.group_id)
    assert (page.total, page.has_more) == (3, False)
    assert {(m.user_id, m.role) for m in page.members} == {
        (alice_id, GroupRole.OWNER),
        (bob_id, GroupRole.MEMBER),
        (carol_id, GroupRole.MEMBER),
    }
    chat = "GROUP" + group.group_id
    for device in (alice, bob, carol):
        await devices.until_equal(lambda d=device: member_count(d, chat), 3)
        assert group.group_id in [g.group_id for g in await device.client.groups()]
    shown = await carol.history("GROUP" + group.group_id)
    assert [m.body.get("tip") for m in shown] == ["members_added"]


async def test_an_outsider_can_neither_read_nor_send_and_receives_nothing(
    devices: Devices,
) -> None:
    alice_id, bob_id, dave_id = uid("alice"), uid("bob"), uid("dave")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    dave = await devices.sign_in(dave_id)
    group = await alice.client.create_group("Private", [bob_id])
    chat = "GROUP" + group.group_id

    with pytest.raises(errors.NotMember):
        await dave.client.members(group.group_id)
    with pytest.raises(errors.NotMember):
        await dave.client.group(group.group_id)
    with pytest.raises(errors.PermissionDenied):
        await dave.client.receipts(chat, [1])
    assert await dave.history(chat) == []  # the server refused the history: nothing shown

    intrusion = await dave.client.send_text(chat, "let me in")
    assert intrusion.state is MessageState.SENDING  # shown at once, then refused for good
    [failed] = await devices.until(lambda: dave.updated(MessageState.FAILED), what="refusal")
    assert isinstance(refusal(failed), errors.NotMember)

    await alice.client.send_text(chat, "members only")
    await devices.until_equal(lambda: bob.texts(chat), ["members only"])
    assert await bob.texts(chat) == ["members only"]  # dave's message was never stored
    assert [e for e in dave.of(MessagesAdded) if e.conversation_id == chat] == [
        MessagesAdded(chat, (intrusion,))  # only the echo of the refused message
    ]
    assert dave.of(GroupChanged) == []
    assert [c.conversation_id for c in await dave.client.conversations()] == [chat]
    assert (await dave.history(chat))[-1].state is MessageState.FAILED


async def test_a_member_added_late_sees_only_what_came_after_and_never_asks_for_the_rest(
    devices: Devices,
) -> None:
    alice_id, bob_id, carol_id = uid("alice"), uid("bob"), uid("carol")
    alice = await devices.sign_in(alice_id)
    await devices.sign_in(bob_id)
    transport = RecordingTransport()
    carol = await devices.sign_in(carol_id, http_transport=transport)
    group = await alice.client.create_group("Old team", [bob_id])
    chat = "GROUP" + group.group_id
    for i in range(5):
        await alice.client.send_text(chat, f"before {i}")
    await devices.until(lambda: len(alice.updated(MessageState.SENT)) == 5, what="5 acks")

    await alice.client.add_members(group.group_id, [carol_id])
    await devices.until(lambda: carol.added(chat), what="carol gets the group")
    conversation = await carol.client.conversation(chat)
    assert conversation is not None and conversation.joined_seq == 6  # tip + 5 messages

    shown = await carol.client.messages(chat, limit=50)
    assert [(m.seq, m.body.get("tip")) for m in shown] == [(7, "members_added")]
    assert await carol.client.messages(chat, before_seq=7) == []
    assert transport.history_requests() == []  # nothing before joining was asked for

    await alice.client.send_text(chat, "welcome")
    await devices.until_equal(lambda: carol.texts(chat), ["welcome"])
    conversation = await carol.client.conversation(chat)
    assert conversation is not None and conversation.unread_count == 1


async def member_count(device: Device, chat: str) -> int | None:
    found = await device.client.conversation(chat)
    return None if found is None else found.member_count


async def test_a_groups_avatar_is_a_picture_uploaded_to_the_server_never_an_address(
    devices: Devices,
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    for chosen in ("https://example.com/face.png", "a" * 32):  # an address; an unknown ID
        with pytest.raises(errors.AvatarNotFound):
            await alice.client.create_group("Faces", [bob_id], avatar=chosen)
    assert await alice.client.groups() == []  # nothing half made

    avatar = await alice.client.upload_avatar(png(300, 200))
    group = await alice.client.create_group("Faces", [bob_id], avatar=avatar)
    assert group.avatar == avatar
    with pytest.raises(errors.AvatarNotFound):
        await alice.client.update_group(group.group_id, UpdateGroupRequest(avatar="../../etc"))
    newer = await bob.client.upload_avatar(png(64, 64))
    await alice.client.update_group(group.group_id, UpdateGroupRequest(avatar=newer))
    await devices.until(
        lambda: any(e.group.avatar == newer for e in bob.of(GroupChanged)),
        what="bob learns of the new avatar",
    )
    assert len(await bob.client.avatar(newer)) > 0  # what his app then shows


async def test_a_group_i_leave_leaves_my_list_on_every_device_and_comes_back_when_re_added(
    devices: Devices,
) -> None:
    alice_id, bob_id = uid("alice"), uid("bob")
    alice = await devices.sign_in(alice_id)
    bob = await devices.sign_in(bob_id)
    bob_laptop = await devices.sign_in(bob_id)
    group = await alice.client.create_group("Club", [bob_id])
    chat = "GROUP" + group.group_id
    await alice.client.send_text(chat, "welcome")
    for device in (bob, bob_laptop):
        await devices.until(lambda d=device: listed(d, chat), what="bob's devices list it")
    await devices.close(bob_laptop)

    await bob.client.quit_group(group.group_id)
    await devices.until(lambda: unlisted(bob, chat), what="gone from bob's list")
    assert "welcome" in await bob.texts(chat)  # history stays on the device
    notices = await bob.client.conversations()
    system = [c for c in notices if c.conversation_id == "@TIM#SYSTEM"]
    # Told of both; "added" is unread, "you left" (my own doing) is not, and does not mark the
    # notice before it read (the server says the same: the sync model compares them).
    assert system and (system[0].last_seq, system[0].unread_count) == (2, 1)
    bob_laptop = await devices.reopen(bob_laptop)  # offline meanwhile: the same after its sync
    await devices.until(lambda: unlisted(bob_laptop, chat), what="gone from the laptop too")

    await alice.client.add_members(group.group_id, [bob_id])
    await alice.client.send_text(chat, "back again")
    for device in (bob, bob_laptop):
        await devices.until(lambda d=device: listed(d, chat), what="listed again")


async def unlisted(device: Device, conversation_id: str) -> bool:
    return not await listed(device, conversation_id)


async def listed(device: Device, conversation_id: str) -> bool:
    return any(
        c.conversation_id == conversation_id and not c.hidden
        for c in await device.client.conversations()
    )
