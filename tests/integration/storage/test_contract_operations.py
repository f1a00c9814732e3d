"""The storage promises of the message operations, on every backend: edits and reactions make a
new version of the message, delete for me is one user's only, bundles are stored once, C2C pins
are kept in order within their limit."""

from __future__ import annotations

import pytest

from messenger.protocol import errors, frames
from messenger.server.storage.base import Storage
from messenger.server.storage.op_records import EditOp, MessageOp, ReactOp
from messenger.server.storage.records import SearchFilter
from tests.helpers.storage_data import new_message
from tests.integration.storage.test_contract import AB, talk


async def test_an_edit_is_a_new_version_of_the_message_for_its_viewers(storage: Storage) -> None:
    conv, stored = await talk(storage, 2)
    first = stored[0].message
    mine = MessageOp(conv, "c2c", AB, first.message_id, "alice")
    edited = await storage.edit_message(EditOp(mine, {"text": "first!"}, [], False, 60_000))
    assert edited.changed and sorted(edited.viewers) == ["alice", "bob"]
    assert edited.message.body == {"text": "first!"} and edited.message.edit_time > 0
    assert edited.message.version > stored[-1].message.version
    again = await storage.edit_message(EditOp(mine, {"text": "first!"}, [], False, 60_000))
    assert not again.changed
    theirs = MessageOp(conv, "c2c", AB, first.message_id, "bob")
    with pytest.raises(errors.NotEditable):
        await storage.edit_message(EditOp(theirs, {"text": "mine"}, [], False, 60_000))
    with pytest.raises(errors.EditWindowExpired):
        await storage.edit_message(EditOp(mine, {"text": "late"}, [], False, -1))
    feed = await storage.feed("bob", stored[-1].message.version, 100)
    [change] = [c for c in feed.changes if isinstance(c, frames.MessageChange)]
    assert change.message.body == {"text": "first!"}


async def test_search_finds_an_edited_message_by_its_new_words_only(storage: Storage) -> None:
    conv, stored = await talk(storage, 2)
    long_word = "x" * 3000  # longer than any index keeps whole
    await storage.insert_message(new_message("bob", "c2c", AB, conv, f"{long_word} 天气 end"))
    mine = MessageOp(conv, "c2c", AB, stored[0].message.message_id, "alice")

    async def found(query: str) -> list[object]:
        hits, _ = await storage.search_messages("bob", SearchFilter(query))
        return [h.message.body["text"] for h in hits]

    assert await found("first") == ["first"]
    await storage.edit_message(EditOp(mine, {"text": "平安夜 party"}, [], False, 60_000))
    assert await found("first") == []
    assert await found("安夜") == await found("PART") == ["平安夜 party"]
    assert await found("xxxx 天气") == [f"{long_word} 天气 end"]
    assert await found(long_word + " end") == [f"{long_word} 天气 end"]
    assert await found(long_word + "y") == []


async def test_reactions_keep_who_and_order_within_the_limit(storage: Storage) -> None:
    conv, stored = await talk(storage, 1)
    message_id = stored[0].message.message_id

    async def react(user: str, emoji: str, add: bool = True) -> list[tuple[str, list[str]]]:
        op = ReactOp(MessageOp(conv, "c2c", AB, message_id, user), emoji, add, 2)
        return [(r.emoji, r.users) for r in (await storage.react(op)).message.reactions]

    assert await react("bob", "👍") == [("👍", ["bob"])]
    assert await react("alice", "🎉") == [("👍", ["bob"]), ("🎉", ["alice"])]
    assert await react("alice", "👍") == [("👍", ["bob", "alice"]), ("🎉", ["alice"])]
    with pytest.raises(errors.TooManyReactions):
        await react("bob", "❤️")
    assert await react("alice", "🎉", add=False) == [("👍", ["bob", "alice"])]
    assert await react("alice", "🎉", add=False) == [("👍", ["bob", "alice"])]
    [message], _ = await storage.history(
        conv_id=conv, kind="c2c", key=AB, user_id="bob", before_seq=None, after_seq=None, limit=5
    )
    assert [(r.emoji, r.users) for r in message.reactions] == [("👍", ["bob", "alice"])]


async def test_delete_for_me_is_mine_only_and_all_or_nothing(storage: Storage) -> None:
    conv, stored = await talk(storage, 3)
    ids = [s.message.message_id for s in stored]
    with pytest.raises(errors.MessageNotFound):
        await storage.hide_messages(conv, "c2c", AB, "alice", [ids[0], "nope"])
    done = await storage.hide_messages(conv, "c2c", AB, "alice", [ids[0], ids[2]])
    assert [m.seq for m in done.messages] == [1, 3] and all(m.deleted for m in done.messages)
    versions = [m.version for m in done.messages]
    assert len(set(versions)) == 2  # one version each
    assert (await storage.hide_messages(conv, "c2c", AB, "alice", [ids[0]])).messages == []

    def view(user: str) -> object:
        return storage.history(
            conv_id=conv, kind="c2c", key=AB, user_id=user, before_seq=None, after_seq=None, limit=9
        )

    mine, _ = await view("alice")  # type: ignore[misc]
    theirs, _ = await view("bob")  # type: ignore[misc]
    assert [(m.seq, m.deleted, bool(m.body)) for m in mine] == [
        (1, True, False),
        (2, False, True),
        (3, True, False),
    ]
    assert not any(m.deleted for m in theirs)
    changes = (await storage.feed("alice", stored[-1].message.version, 100)).changes
    assert [c.message.seq for c in changes if isinstance(c, frames.MessageChange)] == [1, 3]
    later = (await storage.feed("bob", stored[-1].message.version, 100)).changes
    assert not [c for c in later if isinstance(c, frames.MessageChange)]


async def test_a_message_deleted_for_me_is_not_found_by_my_search(storage: Storage) -> None:
    conv, stored = await talk(storage, 4)  # "first", "m1", "m2", "m3"
    await storage.hide_messages(conv, "c2c", AB, "alice", [stored[1].message.message_id])

    async def found(user: str, by_relevance: bool) -> list[int]:
        hits, _ = await storage.search_messages(user, SearchFilter("m1", by_relevance=by_relevance))
        return [h.message.seq for h in hits]

    for by_relevance in (False, True):
        assert await found("alice", by_relevance) == []
        assert await found("bob", by_relevance) == [2]


async def test_a_bundle_is_stored_once_and_c2c_pins_stay_in_order(storage: Storage) -> None:
    conv, stored = await talk(storage, 3)
    await storage.put_bundle("ab" * 16, "alice", b'[{"x": 1}]')
    assert await storage.get_bundle("ab" * 16) == ("alice", b'[{"x": 1}]')
    assert await storage.get_bundle("cd" * 16) is None
    ids = [s.message.message_id for s in stored]
    for message_id in (ids[2], ids[0]):
        outcome = await storage.set_c2c_pin(conv, "c2c", AB, message_id, True, 2)
        assert outcome.version > 0
    assert sorted(outcome.participants) == [("alice", "C2Cbob"), ("bob", "C2Calice")]
    with pytest.raises(errors.TooManyPinned):
        await storage.set_c2c_pin(conv, "c2c", AB, ids[1], True, 2)
    assert (await storage.set_c2c_pin(conv, "c2c", AB, ids[0], True, 2)).version == 0
    assert await storage.c2c_pins(conv) == [ids[2], ids[0]]
    await storage.set_c2c_pin(conv, "c2c", AB, ids[2], False, 2)
    assert await storage.c2c_pins(conv) == [ids[0]]
    pins = [
        c for c in (await storage.feed("bob", 0, 100)).changes if isinstance(c, frames.PinsChange)
    ]
    assert [(p.conversation_id, p.pinned) for p in pins] == [("C2Calice", [ids[0]])]
