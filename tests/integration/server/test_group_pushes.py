"""How a group change reaches an online member: one frame carrying the group's new version and
its tip, not one frame for each (a 10,000-member group is pushed one frame per member)."""

from __future__ import annotations

from typing import Any

import pytest

from messenger.protocol import frames
from tests.helpers.ids import uid
from tests.helpers.raw import Make, RawDevice


async def club(make: Make) -> tuple[str, RawDevice, RawDevice, RawDevice]:
    """A Public group: the owner, an online member who watches, and a member to act on."""
    owner = await make(uid("own"))
    watcher = await make(uid("wat"))
    target = await make(uid("tgt"))
    group = await owner.call(
        "create_group",
        body={"name": "Club", "type": "Public", "members": [watcher.user_id, target.user_id]},
    )
    await watcher.connect()
    await watcher.barrier()
    return group.group_id, owner, watcher, target


def changes_frames(got: list[frames.AnyServerFrame]) -> list[frames.Changes]:
    return [f for f in got if isinstance(f, frames.Changes)]


def kinds(changes: list[frames.AnyChange]) -> list[str]:
    """``group`` for a group change, ``tip:<kind>`` for a tip, the class name otherwise."""
    return [
        f"tip:{c.message.body['tip']}"
        if isinstance(c, frames.MessageChange)
        else "group"
        if isinstance(c, frames.GroupChange)
        else type(c).__name__
        for c in changes
    ]


async def do(action: str, owner: RawDevice, group_id: str, target: str) -> None:
    if action == "mute":
        await owner.call("mute_member", body={"seconds": 60}, group_id=group_id, user_id=target)
    elif action == "kick":
        await owner.call("kick_members", body={"user_ids": [target]}, group_id=group_id)
    elif action == "edit":
        await owner.call("update_group", body={"name": "Club 2"}, group_id=group_id)
    else:
        await owner.call(
            "set_member_role", body={"role": "admin"}, group_id=group_id, user_id=target
        )


@pytest.mark.parametrize(
    ("action", "tip"),
    [
        ("mute", "member_info_changed"),
        ("kick", "member_kicked"),
        ("edit", "profile_changed"),
        ("admin", "admin_set"),
    ],
)
async def test_one_change_is_one_frame_to_each_member(make: Make, action: str, tip: str) -> None:
    group_id, owner, watcher, target = await club(make)
    await do(action, owner, group_id, target.user_id)
    got = changes_frames(await watcher.barrier())
    assert [kinds(f.changes) for f in got] == [["group", f"tip:{tip}"]]
    group, message = got[0].changes
    assert isinstance(group, frames.GroupChange) and isinstance(message, frames.MessageChange)
    assert group.group.group_id == group_id and group.v < message.v


async def test_a_member_who_blocks_the_group_gets_the_change_without_the_tip(
    make: Make,
) -> None:
    group_id, owner, watcher, target = await club(make)
    await watcher.call("update_state", body={"remind": "block"}, conversation_id="GROUP" + group_id)
    await watcher.barrier()
    await do("edit", owner, group_id, target.user_id)
    got = changes_frames(await watcher.barrier())
    assert [kinds(f.changes) for f in got] == [["group"]]
    group: Any = got[0].changes[0]
    assert group.group.name == "Club 2"


async def test_the_frame_catches_up_like_the_feed(make: Make) -> None:
    """A member offline during the change gets the same two changes from the feed."""
    group_id, owner, watcher, target = await club(make)
    since = watcher.synced_version
    await watcher.disconnect()
    await do("mute", owner, group_id, target.user_id)
    caught = await watcher.connect(since=since)
    assert kinds(caught) == ["group", "tip:member_info_changed"]
