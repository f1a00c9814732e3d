"""Who a new message is pushed to is decided when it commits, not when it was asked for.

A member added (or a conversation blocked) between a send request and its commit is already
in the feed's view of that message, so the live push must agree with it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Any

from messenger.protocol.models import GroupInfo, Limits, Message, RemindType, SendRequest
from messenger.server.hub import Connection, Hub
from messenger.server.services.directory import Directory
from messenger.server.services.fanout import Fanout
from messenger.server.services.messaging import MessagingService
from messenger.server.services.ratelimit import RateLimiter
from messenger.server.services.receipts import ReadReceipts
from messenger.server.storage.records import (
    ConversationMembers,
    MemberInfo,
    NewMessage,
    StoredMessage,
)

CONV_ID = 7


class FakeStorage:
    """Just what sending to a group needs; writes wait until the test commits them."""

    def __init__(self, members: dict[str, MemberInfo]) -> None:
        self._members = members
        self.pending: list[
            tuple[NewMessage, Callable[[StoredMessage], None] | None, asyncio.Future[Any]]
        ] = []

    async def group_by_id(self, group_id: str) -> tuple[int, GroupInfo]:
        return CONV_ID, GroupInfo(group_id=group_id, name=group_id)

    async def members(self, conv_id: int) -> ConversationMembers:
        return ConversationMembers(conv_id, "group", "team", dict(self._members))

    def insert_message(
        self, new: NewMessage, on_commit: Callable[[StoredMessage], None] | None = None
    ) -> asyncio.Future[StoredMessage]:
        future: asyncio.Future[StoredMessage] = asyncio.get_running_loop().create_future()
        self.pending.append((new, on_commit, future))
        return future

    def commit(self, seq: int) -> None:
        new, on_commit, future = self.pending.pop(0)
        message = Message(
            message_id=new.message_id,
            conv_type="group",
            target="team",
            sender=new.sender,
            seq=seq,
            client_msg_id=new.client_msg_id,
            time=1,
            kind=new.kind,
            body=new.body,
            version=100 + seq,
        )
        stored = StoredMessage(CONV_ID, "group", message, duplicate=False)
        assert on_commit is not None
        on_commit(stored)  # callbacks first, then the waiting request: as the writer does
        future.set_result(stored)


class RecordingFanout(Fanout):
    def __init__(self) -> None:
        super().__init__(Hub())
        self.pushed: list[tuple[str, list[str]]] = []

    def message(
        self, message: Message, recipients: Iterable[str], exclude: Connection | None = None
    ) -> int:
        self.pushed.append((message.message_id, sorted(recipients)))
        return 0


def service(storage: FakeStorage) -> tuple[MessagingService, Directory, RecordingFanout]:
    directory = Directory(storage)  # type: ignore[arg-type]
    fanout = RecordingFanout()
    limits = Limits()
    receipts = ReadReceipts(
        storage=storage,  # type: ignore[arg-type]
        directory=directory,
        fanout=fanout,
        limits=limits,
    )
    limiter = RateLimiter(user_rate=100, user_burst=100, group_rate=100, group_burst=100)
    messaging = MessagingService(
        storage=storage,  # type: ignore[arg-type]
        directory=directory,
        fanout=fanout,
        limiter=limiter,
        limits=limits,
        receipts=receipts,
    )
    return messaging, directory, fanout


def members(**remind: RemindType) -> dict[str, MemberInfo]:
    return {user: MemberInfo("member", r) for user, r in remind.items()}


async def send(messaging: MessagingService, sender: str) -> Any:
    req = SendRequest(client_msg_id=f"c-{sender}", body={"text": "hi"})
    return await messaging.submit(sender, "GROUPteam", req)


async def test_a_member_added_before_the_commit_receives_the_message() -> None:
    storage = FakeStorage(members(owner=RemindType.NOTIFY, bob=RemindType.NOTIFY))
    messaging, directory, fanout = service(storage)
    pending = await send(messaging, "owner")
    # the add_members write commits first; its callback updates the members
    directory.members_added(CONV_ID, {"carol": MemberInfo("member", RemindType.NOTIFY)})
    storage.commit(seq=5)
    assert (await pending).message.seq == 5
    ((_, recipients),) = fanout.pushed
    assert recipients == ["bob", "carol", "owner"]


async def test_a_conversation_blocked_before_the_commit_is_not_pushed() -> None:
    storage = FakeStorage(members(owner=RemindType.NOTIFY, bob=RemindType.NOTIFY))
    messaging, directory, fanout = service(storage)
    pending = await send(messaging, "owner")
    directory.remind_changed(CONV_ID, "bob", RemindType.BLOCK)
    storage.commit(seq=5)
    await pending
    ((_, recipients),) = fanout.pushed
    assert recipients == ["owner"]


async def test_without_changes_the_audience_is_the_members_who_did_not_block() -> None:
    storage = FakeStorage(
        members(owner=RemindType.NOTIFY, bob=RemindType.SILENT, carol=RemindType.BLOCK)
    )
    messaging, _, fanout = service(storage)
    pending = await send(messaging, "owner")
    storage.commit(seq=5)
    await pending
    ((_, recipients),) = fanout.pushed
    assert recipients == ["bob", "owner"]
