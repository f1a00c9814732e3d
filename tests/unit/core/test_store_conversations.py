"""The conversation list: order, hide and come back, drafts, a new device's snapshot."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from messenger.core.events import ConversationsChanged, DraftChanged
from messenger.core.store import Store
from messenger.protocol.frames import AnyChange, GroupChange, MessageChange, PeerReadChange
from messenger.protocol.models import ConversationList, ConversationSummary, GroupInfo

from .factories import group_message, message, message_change, state, state_change

T = TypeVar("T")


def only(kind: type[T], value: object) -> T:
    assert isinstance(value, kind)
    return value


async def listed(store: Store) -> list[str]:
    return [c.conversation_id for c in await store.conversations()]


async def test_pinned_first_latest_pin_first_then_by_last_activity(store: Store) -> None:
    await store.apply_changes(
        [
            message_change(message(sender="bob", seq=1, time=1000), v=1),
            message_change(message(sender="carol", seq=1, time=3000), v=2),
            message_change(message(sender="dave", seq=1, time=2000), v=3),
            message_change(message(sender="erin", seq=1, time=500), v=4),
        ]
    )
    assert await listed(store) == ["C2Ccarol", "C2Cdave", "C2Cbob", "C2Cerin"]

    await store.apply_changes(
        [
            state_change(state("C2Cerin", version=5, pinned=True, pin_time=10)),
            state_change(state("C2Cbob", version=6, pinned=True, pin_time=20)),
        ]
    )
    assert await listed(store) == ["C2Cbob", "C2Cerin", "C2Ccarol", "C2Cdave"]


async def test_a_hidden_conversation_comes_back_with_the_next_message(store: Store) -> None:
    await store.apply_changes([message_change(message(seq=1), v=1)])
    delta = await store.apply_changes([state_change(state("C2Cbob", version=2, hidden_seq=1))])

    [changed] = [e for e in delta.events() if isinstance(e, ConversationsChanged)]
    assert changed.conversations[0].hidden
    assert await listed(store) == []
    assert [m.seq for m in await store.messages_between("C2Cbob", 1, 1)] == [1]  # history kept

    await store.apply_changes([message_change(message(seq=2), v=3)])
    assert await listed(store) == ["C2Cbob"]


async def test_a_local_draft_is_kept_until_a_newer_edit_arrives(store: Store) -> None:
    local = await store.set_local_draft("C2Cbob", "half a thought", edit_time=2000)
    assert [(d.text, d.remote) for d in local.drafts] == [("half a thought", False)]
    assert [p.text for p in await store.pending_drafts()] == ["half a thought"]

    older = await store.apply_changes(
        [state_change(state("C2Cbob", version=1, draft_text="old", draft_time=1000))]
    )
    assert older.drafts == []
    conversation = await store.conversation("C2Cbob")
    assert conversation is not None and conversation.draft_text == "half a thought"

    newer = await store.apply_changes(
        [state_change(state("C2Cbob", version=2, draft_text="from laptop", draft_time=3000))]
    )
    assert newer.drafts == [DraftChanged("C2Cbob", "from laptop", 3000, True)]
    conversation = await store.conversation("C2Cbob")
    assert conversation is not None and conversation.draft_text == "from laptop"
    assert await store.pending_drafts() == []


async def test_a_draft_alone_lists_the_conversation(store: Store) -> None:
    await store.set_local_draft("C2Cnewfriend", "hello there", edit_time=1)
    assert await listed(store) == ["C2Cnewfriend"]
    await store.set_local_draft("C2Cnewfriend", "", edit_time=2)
    assert await listed(store) == []


async def test_group_changes_name_the_conversation(store: Store) -> None:
    group = GroupInfo(group_id="g1", name="Team", member_count=3, create_time=5, version=1)
    delta = await store.apply_changes([GroupChange(v=1, group=group)])
    again = await store.apply_changes([GroupChange(v=1, group=group)])

    [conversation] = await store.conversations()
    assert (conversation.conversation_id, conversation.group_name) == ("GROUPg1", "Team")
    assert delta.groups == [(group, True)]
    assert again.events() == []


async def test_peer_read_moves_forward_only(store: Store) -> None:
    first = await store.apply_changes([PeerReadChange(v=1, conversation_id="C2Cbob", read_seq=5)])
    older = await store.apply_changes([PeerReadChange(v=2, conversation_id="C2Cbob", read_seq=3)])
    assert first.peer_read == {"C2Cbob": 5} and older.peer_read == {}
    conversation = await store.conversation("C2Cbob")
    assert conversation is not None and conversation.peer_read_seq == 5


async def test_a_new_devices_snapshot_matches_a_device_that_was_online(
    store: Store, tmp_path: Path
) -> None:
    # Online all along: every change as it happened.
    feed: list[AnyChange] = [
        message_change(message(seq=1), v=1),
        message_change(message(seq=2, text="latest from bob"), v=2),
        state_change(state("C2Cbob", version=3, read_seq=1, pinned=True, pin_time=7)),
        message_change(group_message("g1", seq=1, mentions=["alice"]), v=4),
        PeerReadChange(v=5, conversation_id="C2Cbob", read_seq=2),
        state_change(
            state(
                "GROUPg1",
                version=6,
                unread_count=1,
                unread_at_seq=1,
                mention_seqs=[1],
                draft_text="reply later",
                draft_time=99,
            )
        ),
    ]
    await store.apply_changes(feed)

    # A new device: the server's snapshot of the same moment.
    newcomer = Store(tmp_path / "new" / "messages.sqlite3", "alice")
    await newcomer.open()
    try:
        snapshot = ConversationList(
            version=6,
            conversations=[
                ConversationSummary(
                    state=state(
                        "C2Cbob",
                        version=3,
                        read_seq=1,
                        pinned=True,
                        pin_time=7,
                        unread_count=1,
                        unread_at_seq=2,
                    ),
                    last_seq=2,
                    last_message=only(MessageChange, feed[1]).message,
                    peer_read_seq=2,
                ),
                ConversationSummary(
                    state=state(
                        "GROUPg1",
                        version=6,
                        unread_count=1,
                        unread_at_seq=1,
                        mention_seqs=[1],
                        draft_text="reply later",
                        draft_time=99,
                    ),
                    last_seq=1,
                    last_message=only(MessageChange, feed[3]).message,
                ),
            ],
        )
        await newcomer.apply_snapshot(snapshot)

        assert await newcomer.conversations() == await store.conversations()
        assert await newcomer.total_unread() == await store.total_unread() == 2
        assert await newcomer.sync_version() == await store.sync_version() == 6
    finally:
        await newcomer.aclose()


async def test_sending_implies_having_read_what_came_before(store: Store) -> None:
    # The server moves a sender's read cursor without a change of its own when nothing was
    # unread; the client follows the same rule so its state matches a fresh snapshot.
    await store.apply_changes([message_change(message(seq=1), v=1)])  # bob → alice
    conversation = await store.conversation("C2Cbob")
    assert conversation is not None and conversation.peer_read_seq == 1  # bob read his own

    mine = [message_change(message(sender="alice", target="bob", seq=2), v=2)]
    await store.apply_changes(mine)
    conversation = await store.conversation("C2Cbob")
    assert conversation is not None and conversation.read_seq == 0  # seq 1 was still unread

    await store.put_state(state("C2Cbob", version=3, read_seq=2))
    await store.apply_changes([message_change(message(sender="alice", target="bob", seq=3), v=4)])
    conversation = await store.conversation("C2Cbob")
    assert conversation is not None and conversation.read_seq == 3
