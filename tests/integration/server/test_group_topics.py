"""Community topics: each topic is its own conversation with its own unread count, mentions and
read state; the community's members are the topics' members (joining or leaving the community
joins or leaves its topics); a topic is managed through its community."""

from __future__ import annotations

from typing import Any

import pytest

from messenger.protocol import errors, frames
from tests.helpers.ids import uid
from tests.helpers.raw import Make


async def test_topics_have_their_own_unread_mentions_and_read_state(make: Make) -> None:
    owner = await make(uid("own"))
    bob = await make(uid("bob"))
    community = await owner.call(
        "create_group",
        body={"name": "Makers", "type": "Community", "members": [bob.user_id]},
    )
    cid = community.group_id
    general = await owner.call("create_topic", body={"name": "General"}, group_id=cid)
    random = await owner.call("create_topic", body={"name": "Random"}, group_id=cid)
    assert general.parent == cid and general.group_id != random.group_id
    with pytest.raises(errors.PermissionDenied):
        await bob.call("create_topic", body={"name": "Mine"}, group_id=cid)
    a, b = "GROUP" + general.group_id, "GROUP" + random.group_id
    await owner.send(a, "one")
    await owner.send(a, "two")
    await owner.send(b, "@bob look", mentions=[bob.user_id])

    def states(listed: Any) -> dict[str, Any]:
        return {s.state.conversation_id: s.state for s in listed.conversations}

    mine = states(await bob.call("conversations"))
    assert mine[a].unread_count == 2 and mine[a].mention_seqs == []
    assert mine[b].unread_count == 1 and len(mine[b].mention_seqs) == 1
    await bob.call("read", body={}, conversation_id=a)
    mine = states(await bob.call("conversations"))
    assert (mine[a].unread_count, mine[b].unread_count) == (0, 1)
    listed = await bob.call("topics", group_id=cid)
    assert [t.name for t in listed.groups] == ["General", "Random"]
    with pytest.raises(errors.GroupActionForbidden):
        await owner.call(
            "kick_members", body={"user_ids": [bob.user_id]}, group_id=general.group_id
        )


async def test_joining_and_leaving_the_community_joins_and_leaves_its_topics(make: Make) -> None:
    owner = await make(uid("own"))
    community = await owner.call("create_group", body={"name": "Club", "type": "Community"})
    cid = community.group_id
    topic = await owner.call("create_topic", body={"name": "News"}, group_id=cid)
    await owner.send("GROUP" + topic.group_id, "before you came")
    carol = await make(uid("carol"), connect=True)
    await carol.call("join_group", body={}, group_id=cid)
    await carol.send("GROUP" + topic.group_id, "hi all")
    history = await carol.history("GROUP" + topic.group_id)
    assert [m.body.get("text") for m in history.messages if m.kind == "text"] == ["hi all"]
    await owner.call("kick_members", body={"user_ids": [carol.user_id]}, group_id=cid)
    with pytest.raises(errors.NotMember):
        await carol.send("GROUP" + topic.group_id, "still here?")
    changes, _ = await carol.sync_all()
    left = {c.group.group_id for c in changes if isinstance(c, frames.GroupChange) and not c.member}
    assert left == {cid, topic.group_id}
