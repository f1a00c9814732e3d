"""The unread rules of docs/protocol.md, as the conversation list and the tray show them."""

from __future__ import annotations

from messenger.core.events import TotalUnreadChanged
from messenger.core.models import Accepted
from messenger.core.store import Store
from messenger.protocol.models import RemindType

from .factories import group_message, message, message_change, state, state_change


async def unread(store: Store, conversation_id: str) -> tuple[int, tuple[int, ...]]:
    conversation = await store.conversation(conversation_id)
    assert conversation is not None
    return conversation.unread_count, conversation.mention_seqs


async def test_messages_after_the_servers_count_are_added_to_it(store: Store) -> None:
    await store.apply_changes(
        [state_change(state("C2Cbob", version=1, read_seq=2, unread_count=3, unread_at_seq=5))]
    )
    await store.apply_changes([message_change(message(seq=s), v=10 + s) for s in (4, 5, 6, 7)])

    # 4 and 5 are in the server's count already; 6 and 7 are new.
    assert await unread(store, "C2Cbob") == (5, ())


async def test_my_replys_acknowledgement_with_my_state_reads_the_chat_whatever_comes_later(
    store: Store,
) -> None:
    await store.apply_changes([message_change(message(seq=1), v=10)])
    assert await unread(store, "C2Cbob") == (1, ())

    # my reply read bob's message: the acknowledgement carries my state (version 12)
    mine = message(sender="alice", target="bob", seq=2, version=11)
    after = state("C2Cbob", version=12, read_seq=2, unread_count=0, unread_at_seq=2)
    await store.put_accepted(Accepted(mine, after))
    assert await unread(store, "C2Cbob") == (0, ())

    # bob answers; then the state's own live change (held back) and an older one arrive
    await store.apply_changes([message_change(message(seq=3), v=13)])
    await store.apply_changes([state_change(after)])
    await store.apply_changes([state_change(state("C2Cbob", version=9, unread_count=1))])
    assert await unread(store, "C2Cbob") == (1, ())


async def test_tips_my_own_and_recalled_messages_do_not_count(store: Store) -> None:
    await store.apply_changes(
        [
            message_change(group_message("g1", seq=1, kind="tip"), v=1),
            message_change(group_message("g1", sender="alice", seq=2), v=2),
            message_change(group_message("g1", seq=3, recalled=True), v=3),
            message_change(group_message("g1", seq=4), v=4),
        ]
    )
    assert await unread(store, "GROUPg1") == (1, ())


async def test_messages_at_or_below_my_read_cursor_do_not_count(store: Store) -> None:
    await store.apply_changes([state_change(state("C2Cbob", version=1, read_seq=10))])
    await store.put_messages([message(seq=s) for s in (9, 10, 11)])
    assert await unread(store, "C2Cbob") == (1, ())


async def test_mentions_of_me_and_of_all_are_tracked_until_read(store: Store) -> None:
    await store.apply_changes(
        [
            message_change(group_message("g1", seq=1, mentions=["alice"]), v=1),
            message_change(group_message("g1", seq=2, mentions=["carol"]), v=2),
            message_change(group_message("g1", seq=3, mention_all=True), v=3),
        ]
    )
    assert await unread(store, "GROUPg1") == (3, (1, 3))

    # I read up to 2 on another device: the server says 1 unread (seq 3, @all).
    await store.apply_changes(
        [
            state_change(
                state(
                    "GROUPg1",
                    version=4,
                    read_seq=2,
                    unread_count=1,
                    unread_at_seq=3,
                    mention_seqs=[3],
                )
            )
        ]
    )
    assert await unread(store, "GROUPg1") == (1, (3,))


async def test_mentions_at_or_below_the_read_cursor_are_dropped(store: Store) -> None:
    await store.apply_changes(
        [
            state_change(
                state(
                    "GROUPg1",
                    version=1,
                    read_seq=4,
                    unread_count=2,
                    unread_at_seq=6,
                    mention_seqs=[3, 6],  # 3 is stale: at or below read_seq
                )
            )
        ]
    )
    assert await unread(store, "GROUPg1") == (2, (6,))


async def test_a_recall_takes_back_the_unread_it_caused(store: Store) -> None:
    live = group_message("g1", seq=1, mentions=["alice"], message_id="live")
    await store.apply_changes([message_change(live, v=1)])
    assert await unread(store, "GROUPg1") == (1, (1,))

    recalled = group_message(
        "g1", seq=1, message_id="live", recalled=True, client_msg_id=live.client_msg_id
    )
    await store.apply_changes([message_change(recalled, v=2)])
    await store.apply_changes([message_change(recalled, v=2)])  # applied twice: still once

    assert await unread(store, "GROUPg1") == (0, ())


async def test_a_recall_after_the_servers_count_takes_it_back(store: Store) -> None:
    # The server counted seq 5 at version 10; it is recalled at version 12.
    await store.apply_changes(
        [state_change(state("C2Cbob", version=10, unread_count=2, unread_at_seq=5))]
    )
    await store.apply_changes([message_change(message(seq=5, recalled=True, version=12), v=12)])
    assert await unread(store, "C2Cbob") == (1, ())


async def test_a_state_recounts_the_stored_messages_it_does_not_cover(store: Store) -> None:
    await store.apply_changes([message_change(message(seq=s), v=s) for s in (1, 2, 3)])
    # A REST answer computed when seq 1 was the last: it knows of one unread message.
    await store.put_state(state("C2Cbob", version=20, unread_count=1, unread_at_seq=1))
    assert await unread(store, "C2Cbob") == (3, ())


async def test_an_older_state_does_not_overwrite_a_newer_one(store: Store) -> None:
    await store.put_state(state("C2Cbob", version=20, read_seq=9, pinned=True))
    await store.put_state(state("C2Cbob", version=15, read_seq=3))
    conversation = await store.conversation("C2Cbob")
    assert conversation is not None and conversation.read_seq == 9 and conversation.pinned


async def test_total_unread_counts_visible_notify_conversations_and_marked_unread_as_one(
    store: Store,
) -> None:
    changes = [
        message_change(message(sender="bob", seq=1), v=1),  # C2Cbob: 2 unread
        message_change(message(sender="bob", seq=2), v=2),
        message_change(message(sender="carol", seq=1), v=3),  # silent: not in the total
        message_change(message(sender="dave", seq=1), v=4),  # hidden below: not in the total
        message_change(message(sender="erin", seq=1), v=5),  # read, marked unread: counts 1
    ]
    await store.apply_changes(changes)
    await store.apply_changes(
        [
            state_change(
                state(
                    "C2Ccarol", version=6, unread_count=1, unread_at_seq=1, remind=RemindType.SILENT
                )
            ),
            state_change(state("C2Cdave", version=7, hidden_seq=1)),
            state_change(state("C2Cerin", version=8, read_seq=1, marked_unread=True)),
        ]
    )
    assert await store.total_unread() == 3
    badges = {c.conversation_id: c.badge for c in await store.conversations()}
    assert badges == {"C2Cbob": 2, "C2Ccarol": 1, "C2Cerin": 1}


async def test_a_blocked_conversation_never_counts(store: Store) -> None:
    await store.apply_changes([state_change(state("C2Cbob", version=1, remind=RemindType.BLOCK))])
    await store.put_messages([message(seq=1)])
    assert await unread(store, "C2Cbob") == (0, ())
    assert await store.total_unread() == 0


async def test_the_total_is_reported_only_when_it_changes(store: Store) -> None:
    first = await store.apply_changes([message_change(message(seq=1), v=1)])
    mine = await store.apply_changes(
        [message_change(message(sender="alice", target="bob", seq=2), v=2)]
    )

    assert [e.total for e in first.events() if isinstance(e, TotalUnreadChanged)] == [1]
    assert [e for e in mine.events() if isinstance(e, TotalUnreadChanged)] == []


async def test_unblocking_raises_last_seq_to_the_count_and_reports_the_conversation(
    store: Store,
) -> None:
    await store.apply_changes([message_change(message(seq=1), v=1)])
    blocked = await store.put_state(
        state("C2Cbob", version=5, read_seq=1, remind=RemindType.BLOCK, unread_at_seq=1)
    )
    assert blocked.unblocked == []

    # Two messages came while blocked; the feed held them back, the count covers them.
    delta = await store.put_state(
        state("C2Cbob", version=9, read_seq=1, unread_count=2, unread_at_seq=3)
    )
    conversation = await store.conversation("C2Cbob")
    assert conversation is not None
    assert (conversation.last_seq, conversation.unread_count) == (3, 2)
    assert delta.unblocked == ["C2Cbob"]
    again = await store.put_state(state("C2Cbob", version=10, read_seq=1, unread_at_seq=3))
    assert again.unblocked == []
