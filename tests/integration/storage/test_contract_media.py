"""The promises of the media index (``messenger/server/storage/media_index.py``) on every
backend: an upload of the same bytes is found again, not begun twice; a finished upload is one
kept file with its facts, owners and the messages using it; files no message uses are
forgotten after a while, files in use never, files just claimed not yet; a message never names
a file that is not kept; and two servers on one database share it all."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from msgspec.structs import replace as changed

from messenger.protocol.errors import UploadIncomplete
from messenger.protocol.models import ImageVariant, MediaInfo
from messenger.server.storage.base import Storage
from messenger.server.storage.media_index import ImportedIndex, MediaRow, UploadRow
from messenger.server.storage.records import NewMessage, c2c_key
from tests.helpers.storage_data import new_message
from tests.integration.storage.conftest import OpenStorage

_n = itertools.count(1)
LIMIT = 50


def upload(owner: str, sha: str, *, kind: str = "file", size: int = 100, at: int = 1) -> UploadRow:
    return UploadRow(f"{next(_n):032x}", owner, kind, size, sha, at)


def facts(sha: str, *, size: int = 100) -> MediaInfo:
    variants = [
        ImageVariant(variant="small", width=200, height=150),
        ImageVariant(variant="large", width=1200, height=900),
    ]
    return MediaInfo(
        media_id=sha, size=size, mime="image/jpeg", width=4000, height=3000, variants=variants
    )


async def kept(storage: Storage, owner: str, sha: str, *, at: int = 1) -> MediaRow:
    row = await storage.media.add_upload(upload(owner, sha), LIMIT)
    assert row is not None
    return await storage.media.complete_upload(row, facts(sha), False, at)


async def send_with_files(storage: Storage, *media_ids: str) -> NewMessage:
    for user in ("alice", "bob"):
        await storage.create_user(user, user.title(), None, exist_ok=True)
    message = new_message("alice", "c2c", c2c_key("alice", "bob"), None, "")
    message = replace(message, kind="file", body={"name": "a"}, media_ids=media_ids)
    assert not (await storage.insert_message(message)).duplicate
    return message


# -- uploads ---------------------------------------------------------------------------------------
async def test_the_same_bytes_from_the_same_owner_are_one_upload(storage: Storage) -> None:
    index = storage.media
    first = await index.add_upload(upload("alice", "h1"), LIMIT)
    again = await index.add_upload(upload("alice", "h1"), LIMIT)  # another upload ID offered
    assert first is not None and again == first
    found = await index.lookup_upload("alice", "h1", "file", 100)
    assert found.upload == first and found.media is None and not found.owner
    assert await index.get_upload(first.upload_id) == first

    # another kind, size or owner is another upload
    others = [
        upload("alice", "h1", kind="image"),
        upload("alice", "h1", size=101),
        upload("bob", "h1"),
    ]
    for other in others:
        assert await index.add_upload(other, LIMIT) == other
    assert (await index.lookup_upload("carol", "h1", "file", 100)).upload is None

    await index.drop_upload(first.upload_id)
    assert await index.get_upload(first.upload_id) is None
    assert (await index.lookup_upload("alice", "h1", "file", 100)).upload is None


async def test_starting_an_upload_finds_what_is_known_and_records_the_rest_at_once(
    storage: Storage,
) -> None:
    index = storage.media
    offered = upload("alice", "h1")
    first = await index.start_upload(offered, LIMIT)
    assert first.upload == offered and first.media is None and not first.owner
    again = await index.start_upload(upload("alice", "h1"), LIMIT)  # another ID offered
    assert again.upload == offered
    assert await index.get_upload(offered.upload_id) == offered

    stored = await kept(storage, "bob", "h2")
    of_kept = await index.start_upload(upload("alice", "h2"), LIMIT)
    assert of_kept.media == stored and not of_kept.owner and of_kept.upload is None  # not recorded
    assert (await index.lookup_upload("alice", "h2", "file", 100)).upload is None
    mine = await index.start_upload(upload("bob", "h2"), LIMIT)
    assert mine.media == stored and mine.owner and mine.upload is None
    other_size = await index.start_upload(upload("alice", "h2", size=7), LIMIT)
    assert other_size.media == stored and other_size.upload is not None  # not that file

    full = await index.start_upload(upload("carol", "h3"), 0)
    assert full.upload is None and full.media is None  # at the limit: nothing recorded
    assert (await index.lookup_upload("carol", "h3", "file", 100)).upload is None


async def test_an_owner_has_a_limited_number_of_unfinished_uploads(storage: Storage) -> None:
    index = storage.media
    held = [await index.add_upload(upload("alice", f"h{i}"), 2) for i in range(2)]
    assert None not in held
    assert await index.add_upload(upload("alice", "h9"), 2) is None
    assert (await index.lookup_upload("alice", "h9", "file", 100)).upload is None
    assert await index.add_upload(upload("alice", "h0"), 2) == held[0]  # known: still answered
    assert await index.add_upload(upload("bob", "h9"), 2) is not None  # the limit is per owner


async def test_a_finished_upload_is_a_kept_file_with_its_facts_and_owner(storage: Storage) -> None:
    index = storage.media
    row = await index.add_upload(upload("alice", "h1"), LIMIT)
    assert row is not None
    stored = await index.complete_upload(row, facts("h1"), True, 1234)
    assert stored == MediaRow(facts("h1"), True, 1234)  # variants, cleaned flag: as given
    assert await index.get_media("h1") == stored
    assert await index.get_upload(row.upload_id) is None
    found = await index.lookup_upload("alice", "h1", "file", 100)
    assert found.media == stored and found.owner and found.upload is None
    plain = await kept(storage, "bob", "h2")
    assert plain.info.variants == facts("h2").variants and not plain.cleaned

    # someone else: knows the file, is not its owner until added
    assert not (await index.lookup_upload("bob", "h1", "file", 100)).owner
    assert await index.add_owner("h1", "bob", 1234)
    assert await index.add_owner("h1", "bob", 1234)  # twice is once
    assert (await index.lookup_upload("bob", "h1", "file", 100)).owner


async def test_the_same_bytes_finished_twice_are_one_file_with_both_owners(
    storage: Storage,
) -> None:
    index = storage.media
    first = await kept(storage, "alice", "h1", at=10)
    late = await index.add_upload(upload("bob", "h1"), LIMIT)
    assert late is not None
    other_facts = changed(facts("h1"), width=1, height=1, variants=[])
    second = await index.complete_upload(late, other_facts, True, 20)
    assert second.info == first.info and not second.cleaned  # the first facts stay
    assert second.created == 20  # stored again: its collection clock starts again
    for user in ("alice", "bob"):
        assert (await index.lookup_upload(user, "h1", "file", 100)).owner


async def test_what_sending_a_file_needs_is_read_at_once(storage: Storage) -> None:
    index = storage.media
    done = await kept(storage, "alice", "done")
    pending = await index.add_upload(upload("alice", "half"), LIMIT)
    uses = await index.media_uses("alice", ["done", "half", "nothing"])
    assert [(u.media, u.owner, u.pending) for u in uses] == [
        (done, True, None),
        (None, False, pending),
        (None, False, None),
    ]
    [bob_use] = await index.media_uses("bob", ["done"])
    assert bob_use.media == done and not bob_use.owner and bob_use.pending is None
    assert await index.media_uses("alice", []) == []


# -- collection ------------------------------------------------------------------------------------
async def test_files_no_message_uses_are_forgotten_after_a_while(storage: Storage) -> None:
    index = storage.media
    await kept(storage, "alice", "used", at=100)
    await kept(storage, "alice", "unused", at=100)
    await kept(storage, "alice", "recent", at=5000)
    await send_with_files(storage, "used")

    assert sorted(await index.drop_unused_media(1000)) == ["unused"]
    assert await index.get_media("unused") is None
    assert not (await index.lookup_upload("alice", "unused", "file", 100)).owner
    assert await index.get_media("used") is not None  # a message uses it: kept however old
    assert await index.get_media("recent") is not None  # not old enough yet
    assert await index.drop_unused_media(1000) == []


async def test_a_kept_file_found_by_an_upload_or_a_new_owner_is_claimed_again(
    storage: Storage,
) -> None:
    """The uploader told "already have it" goes on to send the file: the claim restarts its
    clock in the write that found it, so a collection meanwhile keeps it."""
    index = storage.media
    await kept(storage, "alice", "found", at=100)
    await kept(storage, "alice", "proved", at=100)
    await kept(storage, "alice", "idle", at=100)

    again = await index.start_upload(upload("alice", "found", at=5000), LIMIT)
    assert again.media is not None and again.media.created == 5000 and again.upload is None
    assert await index.add_owner("proved", "bob", 5000)
    assert await index.drop_unused_media(1000) == ["idle"]  # the claimed two are kept
    assert (await index.lookup_upload("bob", "proved", "file", 100)).owner

    # a file no longer kept cannot be claimed: nothing is written
    assert not await index.add_owner("idle", "bob", 6000)
    assert await index.get_media("idle") is None
    assert not (await index.lookup_upload("bob", "idle", "file", 100)).owner
    assert sorted(await index.drop_unused_media(10**15)) == ["found", "proved"]


async def test_a_message_naming_a_file_no_longer_kept_is_refused_and_nothing_is_stored(
    storage: Storage,
) -> None:
    index = storage.media
    await kept(storage, "alice", "here", at=100)
    with pytest.raises(UploadIncomplete) as refused:
        await send_with_files(storage, "here", "collected")
    assert refused.value.details == {"offset": 0, "media_id": "collected"}
    assert await index.drop_unused_media(1000) == ["here"]  # the refused message holds nothing

    # uploaded again, the same message (same client_msg_id) is stored once
    await kept(storage, "alice", "here", at=100)
    await kept(storage, "alice", "collected", at=100)
    sent = await send_with_files(storage, "here", "collected")
    assert (await storage.insert_message(sent)).duplicate
    assert await index.drop_unused_media(10**15) == []


@pytest.mark.expected_log("messenger.server.storage.sqlite.database", r"write job failed")
async def test_finished_bytes_are_placed_in_the_write_that_records_them(storage: Storage) -> None:
    index = storage.media
    placed: list[str] = []
    row = await index.add_upload(upload("alice", "h1"), LIMIT)
    assert row is not None
    stored = await index.complete_upload(row, facts("h1"), False, 10, lambda: placed.append("h1"))
    assert placed == ["h1"] and await index.get_media("h1") == stored

    def fails() -> None:
        raise OSError("the media folder is full")

    other = await index.add_upload(upload("alice", "h2"), LIMIT)
    assert other is not None
    with pytest.raises(OSError, match="is full"):
        await index.complete_upload(other, facts("h2"), False, 10, fails)
    assert await index.get_media("h2") is None  # not placed: not recorded
    assert await index.get_upload(other.upload_id) == other  # (the upload may try again)


async def test_bytes_are_removed_only_for_dropped_files_not_stored_again(
    storage: Storage,
) -> None:
    index = storage.media
    for sha in ("gone", "back"):
        await kept(storage, "alice", sha, at=100)
    dropped = sorted(await index.drop_unused_media(1000))
    assert dropped == ["back", "gone"]
    await kept(storage, "bob", "back", at=5000)  # the same bytes finished again meanwhile

    removed: list[str] = []
    assert await index.remove_dropped(dropped, removed.append) == ["gone"]
    assert removed == ["gone"]
    assert await index.get_media("back") is not None
    assert await index.remove_dropped([], removed.append) == []


async def test_a_message_records_every_file_it_uses_and_a_resend_changes_nothing(
    storage: Storage,
) -> None:
    index = storage.media
    for sha in ("video", "frame", "other"):
        await kept(storage, "alice", sha, at=100)
    sent = await send_with_files(storage, "video", "frame")
    resent = replace(sent, message_id="m-resent", media_ids=("other",))  # same client_msg_id
    assert (await storage.insert_message(resent)).duplicate
    assert await index.drop_unused_media(10**15) == ["other"]


async def test_unfinished_uploads_are_listed_once_old(storage: Storage) -> None:
    index = storage.media
    old = await index.add_upload(upload("alice", "h1", at=100), LIMIT)
    await index.add_upload(upload("alice", "h2", at=5000), LIMIT)
    assert old is not None and await index.stale_uploads(1000) == [old.upload_id]


# -- one index for every server on the database -----------------------------------------------------
async def test_two_servers_on_one_database_share_the_index(open_storage: OpenStorage) -> None:
    one, address = await open_storage(None)
    two, _ = await open_storage(address)
    begun = await one.media.add_upload(upload("alice", "h1"), LIMIT)
    assert begun is not None
    assert (await two.media.lookup_upload("alice", "h1", "file", 100)).upload == begun
    assert await two.media.add_upload(upload("alice", "h1"), LIMIT) == begun  # not begun twice
    stored = await two.media.complete_upload(begun, facts("h1"), False, 1)
    assert await one.media.get_media("h1") == stored
    assert (await one.media.lookup_upload("alice", "h1", "file", 100)).owner


# -- an index kept elsewhere before ----------------------------------------------------------------
async def test_an_imported_index_is_added_once_and_keeps_what_is_here(storage: Storage) -> None:
    index = storage.media
    here = await kept(storage, "alice", "here", at=7)
    pending = upload("bob", "half", at=3)
    rows = ImportedIndex(
        uploads=[pending],
        media=[
            MediaRow(facts("old"), True, 5),
            MediaRow(changed(facts("here"), width=1), False, 1),
        ],
        owners=[("old", "bob"), ("here", "carol")],
        refs=[("old", "m-old")],
    )
    await index.import_index(rows)
    await index.import_index(rows)  # (twice: nodes starting at once may both import)

    assert await index.get_upload(pending.upload_id) == pending
    assert await index.get_media("old") == MediaRow(facts("old"), True, 5)
    assert await index.get_media("here") == here  # what was here stays as it was
    assert (await index.lookup_upload("bob", "old", "file", 100)).owner
    assert (await index.lookup_upload("carol", "here", "file", 100)).owner
    assert await index.drop_unused_media(10**15) == ["here"]  # "old" is used by its message
