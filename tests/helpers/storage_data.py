"""A small history of every kind of change (messages, states, reads, groups, recalls, drafts
and the people side) written through the ``Storage`` interface: the feed tests page through it,
the upgrade tests keep a database of it made by an older schema."""

from __future__ import annotations

import itertools

from messenger.protocol.models import AllowType, GroupType, StateUpdate
from messenger.protocol.social import AddFriendRequest, FriendGroupEdit, ProfileUpdate
from messenger.server.storage.base import Storage
from messenger.server.storage.op_records import EditOp, MessageOp, ReactOp
from messenger.server.storage.people import PeopleLimits
from messenger.server.storage.records import (
    NewGroup,
    NewMembers,
    NewMessage,
    RecallRequest,
    c2c_key,
)

_ids = itertools.count(1)


def new_message(sender: str, kind: str, key: str, conv_id: int | None, text: str) -> NewMessage:
    n = next(_ids)
    return NewMessage(
        conv_id=conv_id,
        kind_of_conv=kind,
        key=key,
        sender=sender,
        client_msg_id=f"c{n}",
        kind="text",
        body={"text": text},
        mentions=[],
        mention_all=False,
        reply_to=None,
        message_id=f"m{n:08d}",
    )


async def populate(s: Storage) -> None:
    """Interleaved changes of every kind, for alice."""
    for user in ("alice", "bob", "carol"):
        await s.create_user(user, user, None)
    ab = c2c_key("alice", "bob")
    first = await s.insert_message(new_message("bob", "c2c", ab, None, "hi"))
    conv = first.conv_id
    group = await s.create_group(
        NewGroup("team", "Team", GroupType.WORK, "bob", ["carol"], "", "", 100, "tip-1")
    )
    sent = []
    for i in range(12):
        sent.append(await s.insert_message(new_message("bob", "c2c", ab, conv, f"b{i}")))
        if i % 3 == 0:
            await s.insert_message(new_message("alice", "c2c", ab, conv, f"a{i}"))
            await s.mark_read(conv, ab, "bob", None)  # a peer_read for alice
        if i % 4 == 1:
            await s.update_state(conv, "alice", StateUpdate(pinned=i % 8 == 1))
        if i == 5:
            await s.add_members(NewMembers(group.conv_id, "team", "bob", ["alice"], 100, "tip-2"))
        if i >= 5:
            await s.insert_message(new_message("carol", "group", "team", group.conv_id, f"g{i}"))
        if i == 2:
            await people_changes(s)
        if i == 9:
            message_id = sent[2].message.message_id
            await s.recall_message(
                RecallRequest(conv, "c2c", ab, message_id, "bob", 60_000, may_recall_others=False)
            )
            await s.set_draft(conv, "alice", "draft", 5)
        if i == 10:
            await operations(s, conv, ab, [m.message.message_id for m in sent[3:7]])
    await s.mark_read(group.conv_id, "team", "alice", None)
    for i in range(5):  # a tail of one source only: a full page of it must not end the feed
        await s.insert_message(new_message("carol", "group", "team", group.conv_id, f"t{i}"))


async def operations(s: Storage, conv: int, key: str, ids: list[str]) -> None:
    """An edit, reactions, a C2C pin and a delete for me of two messages at once, for alice."""
    own = await s.insert_message(new_message("alice", "c2c", key, conv, "typo"))
    mine = MessageOp(conv, "c2c", key, own.message.message_id, "alice")
    await s.edit_message(EditOp(mine, {"text": "fixed"}, [], False, 60_000))
    for who, emoji in (("bob", "👍"), ("alice", "👍"), ("alice", "🎉")):
        target = MessageOp(conv, "c2c", key, ids[0], who)
        await s.react(ReactOp(target, emoji, True, 20))
    await s.set_c2c_pin(conv, "c2c", key, ids[1], True, 10)
    await s.hide_messages(conv, "c2c", key, "alice", ids[2:4])


LIMITS = PeopleLimits(friends=100, pending_requests=100, friend_groups=10, blocks=10)


async def people_changes(s: Storage) -> None:
    people = s.people
    await people.update_profile("bob", ProfileUpdate(allow_type=AllowType.ANYONE))
    await people.add_friend("alice", AddFriendRequest(user_id="bob", group="Work"), LIMITS, "n1")
    await people.add_friend("alice", AddFriendRequest(user_id="carol"), LIMITS, "n2")  # pending
    await people.update_profile("bob", ProfileUpdate(nickname="Bobby"))
    await people.edit_friend_group("alice", "Work", FriendGroupEdit(new_name="Job"))
    await people.set_blocked("alice", "carol", True, LIMITS)  # closes nothing: alice asked
    await people.update_profile("carol", ProfileUpdate(nickname="not alice's friend"))
